//! `date(text)`: a date a page wrote, as ISO 8601 (`YYYY-MM-DD`, like SQLite's own `date()`,
//! which it replaces for one argument; `date(x, modifier)` is still SQLite's).
//!
//! Pages write dates as "2024-03-05", "5 March 2024", "March 5th, 2024", "Tue, 05 Mar 2024
//! 10:00:00 GMT", "05.03.2024" or "03/05/2024". chrono parses each form when told which one it
//! is; this tries the common forms in turn after removing what the formats cannot express
//! (weekday names, ordinal suffixes, "at", commas). Numeric dates with slashes are read
//! month first (the US habit, which is where that form dominates) unless the first number
//! cannot be a month; dots and dashes are read day first.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// The date in `text` as `YYYY-MM-DD` (in UTC when the text gave a time zone); `today` and
/// `now` are today's date in UTC.
pub fn parse(text: &str) -> Option<String> {
    parse_date(text).map(|d| d.format("%Y-%m-%d").to_string())
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() || text.len() > 100 {
        return None;
    }
    if text.eq_ignore_ascii_case("now") || text.eq_ignore_ascii_case("today") {
        return Some(Utc::now().date_naive());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.to_utc().date_naive());
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Some(t.to_utc().date_naive());
    }
    let cleaned = clean(text);
    DATE_TIMES
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&cleaned, f).ok())
        .map(|t| t.date())
        .or_else(|| {
            DATES
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(&cleaned, f).ok())
        })
}

/// Date-and-time forms, after `clean`.
const DATE_TIMES: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d %B %Y %H:%M:%S",
    "%d %B %Y %H:%M",
    "%B %d %Y %H:%M:%S",
    "%B %d %Y %H:%M",
    "%B %d %Y %I:%M %p",
    "%d %B %Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%d.%m.%Y %H:%M",
];

/// Date forms, after `clean`; the first that parses wins, so the order settles ambiguity.
const DATES: &[&str] = &[
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d %B %Y", "%B %d %Y", "%B %Y %d", "%m/%d/%Y", "%d/%m/%Y",
    "%d.%m.%Y", "%d-%m-%Y", "%d-%B-%Y", "%Y%m%d",
];

/// Removes what no format expresses: weekday names, ordinal suffixes ("5th"), "at", "of",
/// commas and repeated spaces.
fn clean(text: &str) -> String {
    const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let spaced = text.replace(',', " ");
    let words = spaced.split_whitespace().filter_map(|word| {
        let lower = word.to_ascii_lowercase();
        if WEEKDAYS.iter().any(|d| lower.starts_with(d)) && lower.chars().all(char::is_alphabetic) {
            return None;
        }
        if lower == "at" || lower == "of" {
            return None;
        }
        let digits = word.chars().take_while(char::is_ascii_digit).count();
        let rest = &lower[digits..];
        if digits > 0 && ["st", "nd", "rd", "th"].contains(&rest) {
            return Some(word[..digits].to_string());
        }
        if lower.starts_with("sept") && lower.len() <= 5 {
            return Some("Sep".to_string());
        }
        Some(word.to_string())
    });
    words.collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_common_page_forms() {
        for (text, iso) in [
            ("2024-03-05", "2024-03-05"),
            ("5 March 2024", "2024-03-05"),
            ("March 5th, 2024", "2024-03-05"),
            ("Mar 5 2024", "2024-03-05"),
            ("Tuesday, 5th of March 2024", "2024-03-05"),
            ("5 Sept 2024", "2024-09-05"),
            ("05.03.2024", "2024-03-05"),
            ("03/05/2024", "2024-03-05"),
            ("25/12/2024", "2024-12-25"),
            ("2024/03/05", "2024-03-05"),
            ("05-Mar-2024", "2024-03-05"),
            ("2024-03-05 14:30", "2024-03-05"),
            ("March 5, 2024 at 2:30 PM", "2024-03-05"),
            ("2024-03-05T23:00:00-02:00", "2024-03-06"),
            ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05"),
        ] {
            assert_eq!(parse(text).as_deref(), Some(iso), "{text}");
        }
    }

    #[test]
    fn text_without_a_date_is_none() {
        for text in ["", "soon", "in stock", "13/13/2024", "2024-02-30"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
