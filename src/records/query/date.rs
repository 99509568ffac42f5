//! `date(text)` and `date(text, order)`: a date a page wrote, as ISO 8601 (`YYYY-MM-DD`, like
//! SQLite's own `date()`, which they replace for one argument and for the orders `'dmy'` and
//! `'mdy'`; `date(x, modifier)` with any other modifier is still SQLite's).
//!
//! Pages write dates as "2024-03-05", "5 March 2024", "March 5th, 2024", "Tue, 05 Mar 2024
//! 10:00:00 GMT", "05.03.2024" or "03/05/2024". chrono parses each form when told which one it
//! is; this tries the common forms in turn after removing what the formats cannot express
//! (weekday names, ordinal suffixes, "at", commas). Rather than a wrong date, the answer is
//! NULL:
//! * numbers with slashes or dashes ("03/05/2024", "1/2/25") are read day first when the first
//!   cannot be a month (25/12/2024), month first when the second cannot be (12/25/2024), and
//!   when both could be a month they are ambiguous: NULL, unless the order is given
//!   (`date(text, 'dmy')` or `date(text, 'mdy')`, for a column whose other values show it);
//! * numbers with dots ("05.03.2024") are read day first, the only order written with dots,
//!   unless `'mdy'` is given; a year first ("2024/03/05") is always year, month, day;
//! * a two-digit year is 2000-2068 for 00-68 and 1969-1999 for 69-99;
//! * a month and a year alone ("January 2025", "Mar 2025") is the first of that month;
//! * a year must have four digits unless it is the last of three numbers.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};

/// Which of two small numbers in a numeric date is the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    DayFirst,
    MonthFirst,
}

impl Order {
    /// The order named by `date()`'s second argument (`'dmy'` or `'mdy'`), if it is one.
    pub fn named(text: &str) -> Option<Order> {
        match text.trim().to_ascii_lowercase().as_str() {
            "dmy" => Some(Order::DayFirst),
            "mdy" => Some(Order::MonthFirst),
            _ => None,
        }
    }
}

/// The date in `text` as `YYYY-MM-DD` (in UTC when the text gave a time zone); `today` and
/// `now` are today's date in UTC. `order` settles numeric dates that read both ways.
pub fn parse(text: &str, order: Option<Order>) -> Option<String> {
    parse_date(text, order).map(|d| d.format("%Y-%m-%d").to_string())
}

fn parse_date(text: &str, order: Option<Order>) -> Option<NaiveDate> {
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
    let first_word = cleaned.split(' ').next().unwrap_or_default();
    if let Some(numeric) = numeric(first_word, order) {
        return numeric;
    }
    if let Some(month) = month_and_year(&cleaned) {
        return Some(month);
    }
    let plausible = |d: &NaiveDate| d.year() >= 1000;
    DATE_TIMES
        .iter()
        .find_map(|f| {
            NaiveDateTime::parse_from_str(&cleaned, f)
                .ok()
                .map(|t| t.date())
                .filter(plausible)
        })
        .or_else(|| {
            DATES.iter().find_map(|f| {
                NaiveDate::parse_from_str(&cleaned, f)
                    .ok()
                    .filter(plausible)
            })
        })
}

/// A date written as three numbers ("05/03/2024", "2024.03.05", "1-2-25"): `None` when `word`
/// is not one, `Some(None)` when it is one but no date (or both readings are valid and no
/// order was given).
fn numeric(word: &str, order: Option<Order>) -> Option<Option<NaiveDate>> {
    let separator = word.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let parts: Vec<&str> = word.split(separator).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    if ![a, b, c]
        .iter()
        .all(|p| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let number = |p: &str| p.parse::<u32>().ok();
    let (a_n, b_n, c_n) = (number(a)?, number(b)?, number(c)?);
    if a.len() == 4 {
        return Some(NaiveDate::from_ymd_opt(a_n as i32, b_n, c_n));
    }
    let year = match c.len() {
        4 => c_n as i32,
        2 if c_n < 69 => 2000 + c_n as i32,
        2 => 1900 + c_n as i32,
        _ => return Some(None),
    };
    let order = match order {
        Some(order) => order,
        None if separator == '.' => Order::DayFirst,
        None if a_n > 12 || a_n == b_n => Order::DayFirst,
        None if b_n > 12 => Order::MonthFirst,
        None => return Some(None),
    };
    let (day, month) = match order {
        Order::DayFirst => (a_n, b_n),
        Order::MonthFirst => (b_n, a_n),
    };
    Some(NaiveDate::from_ymd_opt(year, month, day))
}

/// "January 2025" or "Mar 2025": the first of that month.
fn month_and_year(cleaned: &str) -> Option<NaiveDate> {
    let (month, year) = cleaned.split_once(' ')?;
    if year.len() != 4 || !month.chars().all(char::is_alphabetic) {
        return None;
    }
    NaiveDate::parse_from_str(&format!("1 {month} {year}"), "%d %B %Y").ok()
}

/// Date-and-time forms, after `clean`.
const DATE_TIMES: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%d %B %Y %H:%M:%S",
    "%d %B %Y %H:%M",
    "%B %d %Y %H:%M:%S",
    "%B %d %Y %H:%M",
    "%B %d %Y %I:%M %p",
    "%d %B %Y %I:%M %p",
];

/// Date forms, after `clean`; the first that parses wins, so the order settles ambiguity.
/// Dates written as three numbers are read by `numeric` instead.
const DATES: &[&str] = &["%d %B %Y", "%B %d %Y", "%B %Y %d", "%d-%B-%Y", "%Y%m%d"];

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
            ("12/25/2024", "2024-12-25"),
            ("25/12/2024", "2024-12-25"),
            ("05/05/2024", "2024-05-05"),
            ("28-01-2025", "2025-01-28"),
            ("2024/03/05", "2024-03-05"),
            ("05-Mar-2024", "2024-03-05"),
            ("2024-03-05 14:30", "2024-03-05"),
            ("March 5, 2024 at 2:30 PM", "2024-03-05"),
            ("2024-03-05T23:00:00-02:00", "2024-03-06"),
            ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05"),
        ] {
            assert_eq!(parse(text, None).as_deref(), Some(iso), "{text}");
        }
    }

    /// The forms the trial misread: each is a right date or NULL, never a wrong one.
    #[test]
    fn months_short_years_and_ambiguous_orders_are_never_guessed() {
        for (text, order, iso) in [
            ("January 2025", None, Some("2025-01-01")),
            ("Mar 2025", None, Some("2025-03-01")),
            ("Sept 2024", None, Some("2024-09-01")),
            ("1/2/25", None, None),
            ("1/2/25", Some(Order::DayFirst), Some("2025-02-01")),
            ("1/2/25", Some(Order::MonthFirst), Some("2025-01-02")),
            ("13/2/99", None, Some("1999-02-13")),
            ("09/07/2025", None, None),
            ("09/07/2025", Some(Order::DayFirst), Some("2025-07-09")),
            ("09/07/2025", Some(Order::MonthFirst), Some("2025-09-07")),
            ("28/01/2025", Some(Order::MonthFirst), None),
            ("03/05/2024 14:30", None, None),
            (
                "03/05/2024 14:30",
                Some(Order::MonthFirst),
                Some("2024-03-05"),
            ),
            ("05.03.2024", Some(Order::MonthFirst), Some("2024-05-03")),
            ("2024/03/05", Some(Order::MonthFirst), Some("2024-03-05")),
            ("2024.03.05", None, Some("2024-03-05")),
            ("5 Mar 25", None, None),
        ] {
            assert_eq!(parse(text, order).as_deref(), iso, "{text} {order:?}");
        }
        assert_eq!(Order::named(" DMY "), Some(Order::DayFirst));
        assert_eq!(Order::named("mdy"), Some(Order::MonthFirst));
        assert_eq!(Order::named("+1 day"), None);
    }

    #[test]
    fn text_without_a_date_is_none() {
        for text in ["", "soon", "in stock", "13/13/2024", "2024-02-30"] {
            assert_eq!(parse(text, None), None, "{text}");
        }
    }
}
