//! `num(text)`: the number a page wrote, in the forms pages write numbers and prices.
//!
//! Scraped values are text such as "£1,299.00", "1.2k", "4,5 €", "1.299,00 EUR", "-12%" or
//! "Save $ 1 299". No crate reads all of these (number parsers expect one locale), so this is
//! written here: take the first run of digits and separators, decide which separator is the
//! decimal one, and apply a k/m/bn suffix.
//!
//! Which separator is the decimal mark:
//! * spaces (plain, non-breaking, thin, narrow) and apostrophes (`'`, `’`) before three digits
//!   group thousands ("1 299", "CHF 1’299.50");
//! * with both `,` and `.`, the last one is the decimal mark ("1.299,00", "1,299.00");
//! * one kind used several times groups thousands ("1,234,567", "1.234.567");
//! * one separator used once is a thousands separator when exactly three digits follow it, one
//!   to three digits other than a lone `0` precede it, and no k/m/bn suffix follows
//!   ("€45.000" is 45000, "€1.299" is 1299, "1,299" is 1299); otherwise it is the decimal mark
//!   ("4,50", "1.5k", "0.125", "1234.567"). So a price written with three decimals ("$3.499")
//!   reads as thousands: pages write money with two decimals or none.

/// The number in `text`: an integer when it has no fractional part, else a real; `None` when
/// the text holds no digits.
pub fn parse(text: &str) -> Option<Number> {
    let chars: Vec<char> = text.chars().collect();
    let first = chars.iter().position(|c| c.is_ascii_digit())?;
    // A decimal point right before the first digit (".5") belongs to the number.
    let start = if first > 0 && chars[first - 1] == '.' {
        first - 1
    } else {
        first
    };
    let negative = is_negative(&chars[..start]);
    let mut end = start;
    while end < chars.len() {
        let c = chars[end];
        let grouping_space = matches!(
            c,
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2008}' | '\'' | '\u{2019}'
        ) && digits_at(&chars, end + 1) == 3
            && chars[start..end].iter().any(char::is_ascii_digit);
        let separator = (c == ',' || c == '.') && digits_at(&chars, end + 1) > 0;
        if !(c.is_ascii_digit() || separator || grouping_space) {
            break;
        }
        end += 1;
    }
    let body: String = chars[start..end]
        .iter()
        .filter(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
        .collect();
    let multiplier = suffix(&chars[end..]);
    let (mut value, fractional) = decimal(&body, multiplier > 1.0)?;
    value *= multiplier;
    if negative {
        value = -value;
    }
    let integral = (!fractional || multiplier > 1.0) && value.fract() == 0.0;
    Some(if integral && value.abs() < 9.0e15 {
        Number::Integer(value as i64)
    } else {
        Number::Real(value)
    })
}

/// A parsed number, kept an integer when it is one so that grouping and equality behave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Integer(i64),
    Real(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Integer(i) => i as f64,
            Number::Real(r) => r,
        }
    }
}

/// Whether the text before a number makes it negative: a minus sign or an opening bracket right
/// before it (or before its currency symbol), not part of a word ("X-200" is not negative).
fn is_negative(before: &[char]) -> bool {
    let is_sign = |c: char| matches!(c, '-' | '−' | '(');
    let mut rest = before
        .iter()
        .rev()
        .skip_while(|c| c.is_whitespace() || !(c.is_alphanumeric() || is_sign(**c)));
    match rest.next() {
        Some(&c) if is_sign(c) => !rest.next().is_some_and(|c| c.is_alphanumeric()),
        _ => false,
    }
}

/// How many ASCII digits follow position `at`.
fn digits_at(chars: &[char], at: usize) -> usize {
    chars
        .get(at..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// Reads digits with `,` and `.` separators by the rules in the module comment; `suffixed` says
/// a k/m/bn suffix follows, which makes a lone separator a decimal mark ("1.250k").
fn decimal(body: &str, suffixed: bool) -> Option<(f64, bool)> {
    let last_comma = body.rfind(',');
    let last_dot = body.rfind('.');
    let decimal_mark = match (last_comma, last_dot) {
        (Some(c), Some(d)) => Some(c.max(d)),
        (Some(at), None) | (None, Some(at)) => {
            let mark = &body[at..=at];
            let once = body.matches(mark).count() == 1;
            let groups_thousands = body.len() - at - 1 == 3
                && (1..=3).contains(&at)
                && !body.starts_with('0')
                && !suffixed;
            (once && !groups_thousands).then_some(at)
        }
        (None, None) => None,
    };
    let mut plain = String::with_capacity(body.len());
    for (i, c) in body.char_indices() {
        if c.is_ascii_digit() {
            plain.push(c);
        } else if Some(i) == decimal_mark {
            plain.push('.');
        }
    }
    let value: f64 = plain.parse().ok()?;
    Some((value, decimal_mark.is_some()))
}

/// The multiplier of a suffix right after the number: k, m, bn (and words), else 1.
fn suffix(rest: &[char]) -> f64 {
    let word: String = rest
        .iter()
        .skip_while(|c| **c == ' ')
        .take_while(|c| c.is_alphabetic())
        .flat_map(|c| c.to_lowercase())
        .collect();
    match word.as_str() {
        "k" | "thousand" => 1e3,
        "m" | "mn" | "mio" | "million" | "millions" => 1e6,
        "b" | "bn" | "billion" | "billions" => 1e9,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> Option<f64> {
        parse(text).map(Number::as_f64)
    }

    #[test]
    fn reads_prices_in_the_forms_pages_write_them() {
        assert_eq!(n("£1,299.00"), Some(1299.0));
        assert_eq!(n("$19.99"), Some(19.99));
        assert_eq!(n("4,5 €"), Some(4.5));
        assert_eq!(n("1.299,00 EUR"), Some(1299.0));
        assert_eq!(n("1,234,567"), Some(1_234_567.0));
        assert_eq!(n("1.234.567"), Some(1_234_567.0));
        assert_eq!(n("Save $ 1 299 today"), Some(1299.0));
        assert_eq!(n("CHF 1'250.50"), Some(1250.5));
        assert_eq!(n("12 345,6"), Some(12345.6));
        assert_eq!(n("0,125"), Some(0.125));
        assert_eq!(n(".5"), Some(0.5));
        assert_eq!(n("1.5"), Some(1.5));
    }

    /// One separator before exactly three digits groups thousands unless a lone 0 precedes it,
    /// more than three digits precede it or a suffix follows; grouping by spaces and apostrophes.
    #[test]
    fn tells_thousands_separators_from_decimal_marks() {
        for (text, value) in [
            ("€45.000", 45_000.0),
            ("45.000 €", 45_000.0),
            ("€1.299", 1_299.0),
            ("1,299", 1_299.0),
            ("CHF 1’299.50", 1_299.5),
            ("CHF 1'299", 1_299.0),
            ("1\u{a0}299,50 €", 1_299.5),
            ("1\u{202f}299", 1_299.0),
            ("1\u{2009}234\u{2009}567", 1_234_567.0),
            ("1.299,00 €", 1_299.0),
            ("1.234.567", 1_234_567.0),
            ("999.999", 999_999.0),
            ("0.125", 0.125),
            ("0,125", 0.125),
            ("1234.567", 1_234.567),
            ("4,50", 4.5),
            ("4.50", 4.5),
            ("1.5k", 1_500.0),
            ("1.250k", 1_250.0),
            ("12.5", 12.5),
            ("1.2345", 1.2345),
        ] {
            assert_eq!(n(text), Some(value), "{text}");
        }
        assert_eq!(parse("€45.000"), Some(Number::Integer(45_000)));
    }

    #[test]
    fn reads_suffixes_signs_and_refuses_text_without_digits() {
        assert_eq!(n("1.2k"), Some(1200.0));
        assert_eq!(n("3M views"), Some(3e6));
        assert_eq!(n("2.5 bn"), Some(2.5e9));
        assert_eq!(n("-12%"), Some(-12.0));
        assert_eq!(n("−£5.50"), Some(-5.5));
        assert_eq!(n("(42)"), Some(-42.0));
        assert_eq!(n("3 items"), Some(3.0));
        assert_eq!(n("Model X-200"), Some(200.0));
        assert_eq!(n("out of stock"), None);
        assert_eq!(n(""), None);
        assert_eq!(parse("1,299"), Some(Number::Integer(1299)));
        assert_eq!(parse("1.2k"), Some(Number::Integer(1200)));
        assert_eq!(parse("4.50"), Some(Number::Real(4.5)));
    }
}
