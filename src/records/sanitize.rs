//! Cleaning of scraped text before a model sees it.
//!
//! Record values come from arbitrary web pages, so they may carry characters a person never sees
//! but a model reads: zero-width characters, bidirectional overrides that reorder what is
//! displayed, Unicode tag characters (an invisible copy of ASCII used to smuggle instructions),
//! and control characters. They are removed; line breaks are normalised to `\n`. Visible text,
//! including emoji and their variation selectors, is left exactly as it was.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// What happens to one character.
enum Action {
    Keep,
    Drop,
    /// A carriage return: `\r\n` becomes `\n`, and a lone `\r` (old Mac line end) becomes `\n`.
    CarriageReturn,
}

fn action(c: char) -> Action {
    match c {
        '\n' | '\t' => Action::Keep,
        '\r' => Action::CarriageReturn,
        // C0 controls, DEL and C1 controls.
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Action::Drop,
        // Zero-width space/non-joiner/joiner, word joiner and invisible operators, BOM.
        '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}' => Action::Drop,
        // Bidirectional marks, embeddings, overrides and isolates.
        '\u{200e}'
        | '\u{200f}'
        | '\u{061c}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Action::Drop,
        // Tag characters.
        '\u{e0000}'..='\u{e007f}' => Action::Drop,
        _ => Action::Keep,
    }
}

/// Returns `text` without invisible, bidirectional-control, tag and control characters, with
/// line breaks as `\n`. Borrows when nothing had to change (the common case).
pub fn clean_text(text: &str) -> Cow<'_, str> {
    let Some(first) = text
        .char_indices()
        .find(|&(_, c)| !matches!(action(c), Action::Keep))
    else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first.0]);
    let mut chars = text[first.0..].chars().peekable();
    while let Some(c) = chars.next() {
        match action(c) {
            Action::Keep => out.push(c),
            Action::Drop => {}
            Action::CarriageReturn => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
        }
    }
    Cow::Owned(out)
}

/// Cleans every string and every object key inside `value`, in place.
pub fn clean_value(value: &mut Value) {
    match value {
        Value::String(s) => {
            if let Cow::Owned(cleaned) = clean_text(s) {
                *s = cleaned;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(clean_value),
        Value::Object(map) => clean_map(map),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Cleans the keys and values of an object, keeping key order. When two keys become equal after
/// cleaning, the first one wins, so a hidden-character twin cannot replace a visible field.
pub(crate) fn clean_map(map: &mut Map<String, Value>) {
    map.values_mut().for_each(clean_value);
    if map
        .keys()
        .all(|k| matches!(clean_text(k), Cow::Borrowed(_)))
    {
        return;
    }
    let old = std::mem::take(map);
    for (key, value) in old {
        let key = clean_text(&key).into_owned();
        map.entry(key).or_insert(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn clean_text_borrows_when_nothing_changes() {
        for text in ["plain", "tab\tand\nnewline", "café ☕ 日本語", "👍🏽 ❤️", ""] {
            assert!(
                matches!(clean_text(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn clean_text_removes_invisible_and_control_characters() {
        let cases = [
            ("a\u{200b}b\u{200c}c\u{200d}d", "abcd"),
            ("x\u{2060}\u{2061}\u{2064}y\u{feff}", "xy"),
            (
                "\u{202e}evil\u{202c} \u{2066}iso\u{2069}\u{200e}\u{200f}\u{061c}",
                "evil iso",
            ),
            // "hi" smuggled as tag characters.
            ("ok\u{e0001}\u{e0068}\u{e0069}\u{e007f}", "ok"),
            (
                "bell\u{7}nul\u{0}esc\u{1b}del\u{7f}c1\u{85}\u{9f}",
                "bellnulescdelc1",
            ),
            ("one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour"),
            ("keep\ttabs", "keep\ttabs"),
        ];
        for (input, want) in cases {
            assert_eq!(clean_text(input), want, "{input:?}");
        }
    }

    #[test]
    fn clean_text_keeps_variation_selectors() {
        assert_eq!(clean_text("\u{2764}\u{fe0f}\u{200b}"), "\u{2764}\u{fe0f}");
    }

    #[test]
    fn clean_value_recurses_into_strings_and_keys() {
        let mut v = json!({
            "na\u{200b}me": "Bob\u{202e}",
            "list": ["a\u{0}", {"in\u{feff}ner": "x\r\ny"}],
            "n": 5, "b": true, "z": null
        });
        clean_value(&mut v);
        assert_eq!(
            v,
            json!({"name": "Bob", "list": ["a", {"inner": "x\ny"}], "n": 5, "b": true, "z": null})
        );
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["name", "list", "n", "b", "z"], "key order is kept");
    }

    #[test]
    fn clean_value_keeps_the_first_of_colliding_keys() {
        let mut v = json!({"price": "10", "pri\u{200b}ce": "0"});
        clean_value(&mut v);
        assert_eq!(v, json!({"price": "10"}));
    }
}
