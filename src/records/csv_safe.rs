//! Spreadsheet-safe CSV cells ("CSV injection", OWASP's formula injection).
//!
//! Records are scraped from the web, and a CSV file is usually opened in a spreadsheet. There a
//! cell such as `=HYPERLINK("http://evil.example","click")` or `+cmd|' /C calc'!A0` is not
//! text but a formula that can exfiltrate data or start programs. CSV written for people
//! therefore passes every cell through [`neutralize_formula`], which does what
//! spreadsheet-safe exporters do: a cell that would start a formula gets a leading `'`, which
//! spreadsheets treat as "this is text" and do not display. Plain numbers such as `-12.5` or
//! `+44` stay as they are: they cannot be formulas, and quoting them would turn figures into text.

use std::borrow::Cow;

/// First characters that make a spreadsheet evaluate a cell (tab and carriage return because
/// some spreadsheets skip them and read the formula behind).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` made safe to open in a spreadsheet: prefixed with `'` when it starts with
/// `= + - @`, a tab or a carriage return and is not a plain number; otherwise unchanged
/// (borrowed, so the common case costs no allocation).
pub fn neutralize_formula(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A signed decimal number such as `-12.5`, `+3` or `-1e3`, and nothing else.
fn is_plain_number(cell: &str) -> bool {
    cell.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && cell.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_quoted_and_everything_else_is_kept() {
        for (scraped, written) in [
            (
                "=HYPERLINK(\"http://evil.example\",\"click\")",
                "'=HYPERLINK(\"http://evil.example\",\"click\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            (
                "@SUM(1+9)*cmd|' /C calc'!A0",
                "'@SUM(1+9)*cmd|' /C calc'!A0",
            ),
            ("\t=1+2", "'\t=1+2"),
            ("\r=1+2", "'\r=1+2"),
            ("-inf", "'-inf"),
            ("-", "'-"),
        ] {
            assert_eq!(neutralize_formula(scraped), written, "{scraped:?}");
        }
        for kept in [
            "Widget", "", "12.5", "-12.5", "+44", "-1e3", "a=b", " =1", "'=1",
        ] {
            assert!(
                matches!(neutralize_formula(kept), Cow::Borrowed(k) if k == kept),
                "{kept:?} must be kept as it is"
            );
        }
    }
}
