//! Dates from structured data as the page writes them: the data says
//! `2025-09-04T18:00:00+02:00` where the page says "Thu, Sep 4 · 6:00 PM". The page's form is
//! found by a `<time datetime>` holding the same moment, else by a short text naming the
//! same day and month (English, French or Spanish month names, or day/month/year numbers).

use scraper::{ElementRef, Html, Selector};

use super::extract::collapsed_text;

/// Longest text taken as a date's written form: longer is a sentence, not a date.
const MAX_SHOWN: usize = 60;

const MONTHS: [&[&str]; 12] = [
    &["january", "janvier", "enero"],
    &["february", "février", "fevrier", "febrero"],
    &["march", "mars", "marzo"],
    &["april", "avril", "abril"],
    &["may", "mai", "mayo"],
    &["june", "juin", "junio"],
    &["july", "juillet", "julio"],
    &["august", "août", "aout", "agosto"],
    &["september", "septembre", "septiembre", "setiembre"],
    &["october", "octobre", "octubre"],
    &["november", "novembre", "noviembre"],
    &["december", "décembre", "decembre", "diciembre"],
];

/// The places of a page that may show a date, gathered once per page.
pub struct DateSpots {
    /// Each `<time datetime>`: the attribute and the element's text.
    times: Vec<(String, String)>,
    /// Short texts holding a digit: their lowercase words and the text to give.
    texts: Vec<(Vec<String>, String)>,
}

/// A date or moment read from an ISO value.
struct Moment {
    year: u32,
    month: u32,
    day: u32,
    /// Hour and minute, when the value has a time.
    time: Option<(u32, u32)>,
}

impl DateSpots {
    pub fn of(doc: &Html) -> DateSpots {
        let times = Selector::parse("time[datetime]")
            .map(|sel| {
                doc.select(&sel)
                    .filter_map(|t| {
                        let shown = collapsed_text(t);
                        let attr = t.value().attr("datetime")?.trim().to_string();
                        (!shown.is_empty()).then_some((attr, shown))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut texts = Vec::new();
        for node in doc.root_element().descendants() {
            let Some(text) = node.value().as_text() else {
                continue;
            };
            let trimmed = text.trim();
            if trimmed.is_empty()
                || trimmed.len() > MAX_SHOWN * 2
                || !trimmed.contains(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
                continue;
            };
            if matches!(
                parent.value().name(),
                "script" | "style" | "noscript" | "template" | "title"
            ) {
                continue;
            }
            let around = collapsed_text(parent);
            let shown = if around.chars().count() <= MAX_SHOWN {
                around
            } else {
                trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            texts.push((words(trimmed), shown));
        }
        DateSpots { times, texts }
    }

    /// `value` (an ISO date or moment) as the page shows it, if the page shows it.
    pub fn shown(&self, value: &str) -> Option<String> {
        let moment = Moment::parse(value)?;
        if let Some((_, shown)) = self.times.iter().find(|(attr, _)| same_moment(attr, value)) {
            return Some(shown.clone());
        }
        let naming: Vec<&String> = self
            .texts
            .iter()
            .filter(|(words, _)| moment.named_in(words))
            .map(|(_, shown)| shown)
            .filter(|shown| shown.chars().count() <= MAX_SHOWN)
            .collect();
        naming
            .iter()
            .find(|shown| moment.time_in(shown))
            .or(naming.first())
            .map(|s| (*s).clone())
    }
}

/// Whether `value` is an ISO date or moment (`2025-09-04`, `2025-09-04T18:00…`).
pub fn is_date(value: &str) -> bool {
    Moment::parse(value).is_some()
}

/// Whether a `datetime` attribute is the moment `value` is: equal, the same minute, or the
/// same day when either gives only the day.
fn same_moment(attr: &str, value: &str) -> bool {
    let prefix = |s: &str, n: usize| s.get(..n).map(str::to_string);
    attr == value
        || (attr.len() >= 16 && value.len() >= 16 && prefix(attr, 16) == prefix(value, 16))
        || ((attr.len() == 10 || value.len() == 10) && prefix(attr, 10) == prefix(value, 10))
}

impl Moment {
    /// `2025-09-04`, `2025-09-04T18:00…`.
    fn parse(value: &str) -> Option<Moment> {
        let v = value.trim();
        let b = v.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |range: std::ops::Range<usize>| v.get(range)?.parse::<u32>().ok();
        let time = if b.len() >= 16 && b[10] == b'T' && b[13] == b':' {
            Some((num(11..13)?, num(14..16)?))
        } else {
            None
        };
        let moment = Moment {
            year: num(0..4)?,
            month: num(5..7)?,
            day: num(8..10)?,
            time,
        };
        ((1..=12).contains(&moment.month) && (1..=31).contains(&moment.day)).then_some(moment)
    }

    /// Whether `words` name this day: a month name (or its abbreviation) beside the day's
    /// number, or day, month and year as numbers; a different year written there rules it out.
    fn named_in(&self, words: &[String]) -> bool {
        let number = |w: &str| w.parse::<u32>().ok();
        let other_year = words
            .iter()
            .any(|w| w.len() == 4 && number(w).is_some_and(|y| y != self.year && y > 1900));
        if other_year {
            return false;
        }
        let is_day = |i: Option<&String>| i.and_then(|w| number(w)) == Some(self.day);
        let named = words.iter().enumerate().any(|(i, w)| {
            self.is_month(w)
                && (is_day(words.get(i + 1))
                    || (i >= 1 && is_day(words.get(i - 1)))
                    || (i >= 2 && words[i - 1] == "de" && is_day(words.get(i - 2))))
        });
        let year_ok =
            |w: &String| number(w) == Some(self.year) || number(w) == Some(self.year % 100);
        let numeric = words.windows(3).any(|w| {
            let (a, b, c) = (number(&w[0]), number(&w[1]), number(&w[2]));
            (a == Some(self.day) && b == Some(self.month) && year_ok(&w[2]))
                || (a == Some(self.month) && b == Some(self.day) && year_ok(&w[2]))
                || (year_ok(&w[0]) && b == Some(self.month) && c == Some(self.day))
        });
        named || numeric
    }

    /// A month's name or an abbreviation of three letters or more ("sep", "sept").
    fn is_month(&self, word: &str) -> bool {
        word.chars().count() >= 3
            && MONTHS[self.month as usize - 1]
                .iter()
                .any(|name| name.starts_with(word))
    }

    /// Whether `shown` writes this moment's time ("6:00 PM", "18:00", "18h00").
    fn time_in(&self, shown: &str) -> bool {
        let Some((hour, minute)) = self.time else {
            return false;
        };
        let twelve = if hour % 12 == 0 { 12 } else { hour % 12 };
        [
            format!("{hour}:{minute:02}"),
            format!("{hour:02}:{minute:02}"),
            format!("{twelve}:{minute:02}"),
            format!("{hour}h{minute:02}"),
        ]
        .iter()
        .any(|t| shown.contains(t.as_str()))
    }
}

/// Lowercase words and numbers of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(body: &str, value: &str) -> Option<String> {
        DateSpots::of(&Html::parse_document(&format!("<body>{body}</body>"))).shown(value)
    }

    #[test]
    fn a_time_element_with_the_same_moment_gives_its_text() {
        let body = r#"<li><time datetime="2025-09-04T18:00:00+02:00">yesterday</time></li>
            <li><time datetime="2025-09-05">Fri 5 Sept</time></li>"#;
        assert_eq!(
            shown(body, "2025-09-04T18:00:00+02:00").as_deref(),
            Some("yesterday")
        );
        assert_eq!(
            shown(body, "2025-09-05T09:00").as_deref(),
            Some("Fri 5 Sept")
        );
    }

    #[test]
    fn a_short_text_naming_the_day_is_the_shown_form_preferring_the_one_with_the_time() {
        let body = r#"<aside>Archive: Sep 4, 2019</aside>
            <div class="when">Thu, Sep 4 · all day</div><div class="when">Thu, Sep 4 · 6:00 PM</div>
            <p>le 12 mars 2026</p><p>3 de octubre</p><p>09/11/2025</p>"#;
        assert_eq!(
            shown(body, "2025-09-04T18:00:00-05:00").as_deref(),
            Some("Thu, Sep 4 · 6:00 PM")
        );
        assert_eq!(
            shown(body, "2026-03-12").as_deref(),
            Some("le 12 mars 2026")
        );
        assert_eq!(shown(body, "2024-10-03").as_deref(), Some("3 de octubre"));
        assert_eq!(shown(body, "2025-11-09").as_deref(), Some("09/11/2025"));
        assert_eq!(shown(body, "2025-09-05"), None, "no text names that day");
        assert_eq!(shown(body, "not a date"), None);
    }
}
