//! Values from structured data written the way the page shows them to a person: the data
//! says `328.00` and `USD` where the page says "$328.00", `https://schema.org/InStock` where
//! it says "In Stock", and `2025-09-04T18:00` where it says "Thu, Sep 4 · 6:00 PM". A record read from structured data should hold what a careful
//! person would copy from the page, not the machine form.

use std::cell::OnceCell;

use scraper::{Html, Selector};
use serde_json::{Map, Value};

use super::json_ld::parent_at;
use super::shown_dates::{DateSpots, is_date};

/// The visible text of a page and the places it shows dates, each read once and only if a
/// value needs it.
pub struct PageText<'a> {
    doc: &'a Html,
    text: OnceCell<String>,
    dates: OnceCell<DateSpots>,
}

impl<'a> PageText<'a> {
    pub fn new(doc: &'a Html) -> PageText<'a> {
        PageText {
            doc,
            text: OnceCell::new(),
            dates: OnceCell::new(),
        }
    }

    fn dates(&self) -> &DateSpots {
        self.dates.get_or_init(|| DateSpots::of(self.doc))
    }

    fn get(&self) -> &str {
        self.text.get_or_init(|| {
            let mut out = String::new();
            if let Some(body) = Selector::parse("body")
                .ok()
                .and_then(|s| self.doc.select(&s).next())
            {
                push_text(body, &mut out, 0);
            }
            out.split_whitespace().collect::<Vec<_>>().join(" ")
        })
    }
}

/// Elements that flow within a line: their text joins the text beside it ("$" "12" ".99").
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];
/// Elements whose text is not shown.
const HIDDEN: &[&str] = &["script", "style", "template", "noscript", "head"];
/// Nesting followed when reading text; deeper is no real page.
const MAX_TEXT_DEPTH: usize = 256;

/// The text under `el`, a space around every element that is not inline, so a heading's last
/// digit does not run into the price in the block after it.
fn push_text(el: scraper::ElementRef<'_>, out: &mut String, depth: usize) {
    if depth > MAX_TEXT_DEPTH {
        return;
    }
    for child in el.children() {
        if let Some(text) = child.value().as_text() {
            out.push_str(text);
        } else if let Some(inner) = scraper::ElementRef::wrap(child) {
            let name = inner.value().name();
            if HIDDEN.contains(&name) {
                continue;
            }
            let block = !INLINE.contains(&name);
            if block {
                out.push(' ');
            }
            push_text(inner, out, depth + 1);
            if block {
                out.push(' ');
            }
        }
    }
}

/// `value`, found at `path` in `object`, as the page shows it: a schema.org enumeration in
/// words, a date and a price with its currency in the page's own form. Anything else, or a
/// date or price the page does not show, is returned as it is.
pub fn as_shown(object: &Map<String, Value>, path: &str, value: String, page: &PageText) -> String {
    if let Some(words) = enumeration_words(&value) {
        return words;
    }
    // The page's dates are gathered only for a value that is a date.
    if is_date(&value)
        && let Some(shown) = page.dates().shown(&value)
    {
        return shown;
    }
    let last = path.rsplit('.').next().unwrap_or(path);
    let Some(currency) = currency_of(object, path, last) else {
        return value;
    };
    shown_price(&value, &currency, page.get())
        .or_else(|| shown_free(&value, page.get()))
        .unwrap_or(value)
}

/// Words a page writes for a price of nothing.
const FREE: &[&str] = &[
    "free",
    "gratuit",
    "gratuite",
    "gratis",
    "gratuito",
    "kostenlos",
];

/// A zero price the page does not write as an amount, as the page's word for it ("Free").
fn shown_free(amount: &str, text: &str) -> Option<String> {
    if amount.trim().parse::<f64>().ok()? != 0.0 {
        return None;
    }
    text.split(|c: char| !c.is_alphanumeric())
        .find(|w| FREE.iter().any(|f| w.eq_ignore_ascii_case(f)))
        .map(str::to_string)
}

/// `https://schema.org/InStock` -> "In Stock": the words of a schema.org enumeration member.
fn enumeration_words(value: &str) -> Option<String> {
    let tail = ["https://schema.org/", "http://schema.org/", "schema:"]
        .iter()
        .find_map(|p| value.strip_prefix(p))?;
    if tail.is_empty() || !tail.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut out = String::new();
    for (i, c) in tail.char_indices() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push(' ');
        }
        out.push(c);
    }
    Some(out)
}

/// For a price path, the currency code beside it: `priceCurrency`/`currency` in the price's
/// object, or for a meta tag `…:amount` its `…:currency`; empty when the data names none.
/// None for any other path.
fn currency_of(object: &Map<String, Value>, path: &str, last: &str) -> Option<String> {
    let named = |map: &Map<String, Value>, keys: &[&str]| {
        keys.iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
            .map_or_else(String::new, |c| c.trim().to_string())
    };
    if let Some(stem) = last.strip_suffix(":amount") {
        return Some(named(object, &[&format!("{stem}:currency")]));
    }
    let lower = last.to_ascii_lowercase();
    if !(lower == "price" || lower.ends_with("price")) {
        return None;
    }
    Some(named(
        parent_at(object, path)?,
        &["priceCurrency", "currency"],
    ))
}

/// Signs a currency is written with (any common one when the code is unknown), longest
/// first so "R$" is not read as "$".
fn signs(code: &str) -> Vec<&'static str> {
    let mut signs: Vec<&'static str> = match code.to_ascii_uppercase().as_str() {
        "" => vec![
            "US$", "CA$", "AU$", "MX$", "R$", "$", "€", "£", "¥", "₹", "₩", "₽", "₺", "zł",
        ],
        "USD" => vec!["US$", "$"],
        "EUR" => vec!["€"],
        "GBP" => vec!["£"],
        "JPY" => vec!["¥", "円"],
        "CNY" => vec!["¥", "元"],
        "INR" => vec!["₹", "Rs."],
        "KRW" => vec!["₩"],
        "BRL" => vec!["R$"],
        "CAD" => vec!["CA$", "C$", "$"],
        "AUD" => vec!["AU$", "A$", "$"],
        "MXN" => vec!["MX$", "$"],
        "CHF" => vec!["Fr."],
        "RUB" => vec!["₽"],
        "PLN" => vec!["zł"],
        "TRY" => vec!["₺"],
        "SEK" | "NOK" | "DKK" => vec!["kr"],
        _ => Vec::new(),
    };
    signs.sort_by_key(|s| std::cmp::Reverse(s.len()));
    signs
}

/// The first place the page writes `amount` with a sign or the code of `currency` right
/// before or after it, as written there ("$1,299.00", "34,90 €").
fn shown_price(amount: &str, currency: &str, text: &str) -> Option<String> {
    let code = currency.trim().to_ascii_uppercase();
    let mut marks: Vec<String> = signs(&code).into_iter().map(str::to_string).collect();
    if !code.is_empty() {
        marks.push(code);
    }
    if marks.is_empty() {
        return None;
    }
    for number in renderings(amount) {
        for (at, _) in text.match_indices(number.as_str()) {
            let end = at + number.len();
            let before = &text[..at];
            let after = &text[end..];
            let digit_before = before
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit());
            let mut rest = after.chars();
            let digit_after = match rest.next() {
                Some(c) if c.is_ascii_digit() => true,
                Some('.' | ',') => rest.next().is_some_and(|c| c.is_ascii_digit()),
                _ => false,
            };
            if digit_before || digit_after {
                continue;
            }
            let lead = before.trim_end();
            if let Some(mark) = marks.iter().find(|m| lead.ends_with(m.as_str())) {
                return Some(text[lead.len() - mark.len()..end].to_string());
            }
            let trail = after.trim_start();
            if let Some(mark) = marks.iter().find(|m| trail.starts_with(m.as_str())) {
                let stop = end + (after.len() - trail.len()) + mark.len();
                return Some(text[at..stop].to_string());
            }
        }
    }
    None
}

/// The ways a page may write a plain amount such as `1299.5`: two decimals or as given, a
/// point or a comma before them, thousands grouped by a comma, a point or a space, or not.
fn renderings(amount: &str) -> Vec<String> {
    let amount = amount.trim();
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return Vec::new();
    }
    let mut fractions = vec![fraction.to_string()];
    if fraction.len() < 2 {
        fractions.insert(0, format!("{fraction:0<2}"));
    }
    if fraction.chars().all(|c| c == '0') {
        fractions.push(String::new());
    }
    let mut out = Vec::new();
    for fraction in &fractions {
        for (group, point) in [
            ("", "."),
            (",", "."),
            ("", ","),
            (".", ","),
            (" ", ","),
            (" ", "."),
        ] {
            let grouped = group_thousands(whole, group);
            let text = if fraction.is_empty() {
                grouped
            } else {
                format!("{grouped}{point}{fraction}")
            };
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}

fn group_thousands(digits: &str, separator: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shown(object: Value, path: &str, value: &str, body: &str) -> String {
        let doc = Html::parse_document(&format!("<body>{body}</body>"));
        let object = object.as_object().unwrap().clone();
        as_shown(&object, path, value.to_string(), &PageText::new(&doc))
    }

    #[test]
    fn a_price_takes_the_form_the_page_shows() {
        let offer = json!({"offers": {"price": "1499.5", "priceCurrency": "GBP"}});
        let body = "<p>Was 1499.50 points</p><p class=p><span>£</span><span>1,499</span>.<span>50</span></p>";
        assert_eq!(shown(offer, "offers.price", "1499.5", body), "£1,499.50");
        let after_a_heading = json!({"price": "12.00", "priceCurrency": "USD"});
        assert_eq!(
            shown(
                after_a_heading,
                "price",
                "12",
                "<h2>Lamp 3</h2><div>12.00 USD</div>"
            ),
            "12.00 USD",
            "the heading's digit is not part of the price"
        );
        let euro = json!({"offers": [{"lowPrice": "12", "priceCurrency": "EUR"}]});
        assert_eq!(
            shown(euro, "offers.lowPrice", "12", "<b>dès 12,00\u{a0}€ TTC</b>"),
            "12,00 €"
        );
        let meta = json!({"product:price:amount": "8", "product:price:currency": "CHF"});
        assert_eq!(
            shown(meta, "product:price:amount", "8", "<i>CHF 8.00</i>"),
            "CHF 8.00"
        );
    }

    #[test]
    fn a_price_the_page_does_not_show_stays_plain() {
        let offer = json!({"price": "20.00", "priceCurrency": "USD"});
        assert_eq!(
            shown(offer.clone(), "price", "20.00", "<p>120.00 $</p>"),
            "20.00"
        );
        assert_eq!(
            shown(offer, "price", "20.00", "<p>20.00 credits</p>"),
            "20.00"
        );
        let nothing = json!({"price": "0", "priceCurrency": "EUR"});
        assert_eq!(
            shown(nothing.clone(), "price", "0", "<p>Entrée gratuite</p>"),
            "gratuite"
        );
        assert_eq!(
            shown(nothing, "price", "0", "<p>Tickets at the door</p>"),
            "0"
        );
        let no_currency = json!({"price": "5"});
        assert_eq!(
            shown(no_currency.clone(), "price", "5", "<p>5 pts</p>"),
            "5"
        );
        assert_eq!(
            shown(no_currency, "price", "5", "<p>only 5,00 zł</p>"),
            "5,00 zł",
            "without a currency in the data, any sign the page writes beside the amount"
        );
        assert_eq!(shown(json!({"name": "9"}), "name", "9", "<p>$9</p>"), "9");
    }

    #[test]
    fn a_date_takes_the_form_the_page_shows() {
        let event = json!({"startDate": "2026-01-30T20:00"});
        let body = "<ul><li><span>Fri, Jan 30</span> <span>8:00 PM</span></li></ul>";
        assert_eq!(
            shown(event.clone(), "startDate", "2026-01-30T20:00", body),
            "Fri, Jan 30"
        );
        assert_eq!(
            shown(event, "startDate", "2026-01-30T20:00", "<p>Soon</p>"),
            "2026-01-30T20:00"
        );
    }

    #[test]
    fn schema_org_enumerations_become_words() {
        let item = json!({"availability": "http://schema.org/LimitedAvailability"});
        assert_eq!(
            shown(
                item,
                "availability",
                "http://schema.org/LimitedAvailability",
                ""
            ),
            "Limited Availability"
        );
        assert_eq!(enumeration_words("https://schema.org/"), None);
        assert_eq!(enumeration_words("https://example.test/InStock"), None);
    }
}
