//! Whole records within a byte budget: a page stops before the record that would overflow
//! it, so only a single record larger than the whole budget is ever cut, field by field and
//! visibly, rather than cut anywhere inside a page.

use serde_json::{Map, Value};

/// Cuts the long text values of a record that alone exceeds the byte budget (a page always
/// holds at least one record) so that it fits, marking each cut value. The room left after
/// the record's other bytes is shared among its long texts: a text shorter than its share
/// keeps all of it, and what it leaves over goes to the longer ones. Returns the fields cut.
pub fn cut_to_fit(record: &mut Map<String, Value>, max_bytes: usize) -> Vec<String> {
    /// Room kept for each cut mark ("… [cut: N more characters]").
    const MARK: usize = 40;
    let size = super::json_size(record);
    if size <= max_bytes {
        return Vec::new();
    }
    let mut texts: Vec<(String, usize)> = record
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|t| (k.clone(), escaped_len(t))))
        .collect();
    let text_bytes: usize = texts.iter().map(|(_, n)| n).sum();
    let mut room = max_bytes.saturating_sub(size - text_bytes);
    texts.sort_by_key(|(_, n)| *n);
    let mut cut = Vec::new();
    let mut left = texts.len();
    for (key, len) in texts {
        let share = room / left.max(1);
        left -= 1;
        if len <= share {
            room -= len;
            continue;
        }
        let keep = share.saturating_sub(MARK);
        room -= share;
        if let Some(Value::String(text)) = record.get_mut(&key) {
            let mut used = 0;
            let kept: String = text
                .chars()
                .take_while(|c| {
                    used += escaped_len(c.encode_utf8(&mut [0; 4]));
                    used <= keep
                })
                .collect();
            let more = text.chars().count() - kept.chars().count();
            *text = format!("{kept}… [cut: {more} more characters]");
        }
        cut.push(key);
    }
    cut.sort_by_key(|k| record.keys().position(|f| f == k));
    cut
}

/// Bytes of `text` inside a JSON string, escapes included.
fn escaped_len(text: &str) -> usize {
    text.chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversized_single_record_is_cut_to_the_budget_and_its_cuts_listed() {
        let mut record = Map::new();
        record.insert("name".into(), Value::String("short".into()));
        record.insert("body".into(), Value::String("x".repeat(100_000)));
        record.insert("notes".into(), Value::String("\"q\"".repeat(5_000)));
        record.insert("price".into(), Value::from(12.5));
        assert_eq!(cut_to_fit(&mut record, 2048), ["body", "notes"]);
        let size = crate::records::json_size(&record);
        assert!(size <= 2048, "{size}");
        assert!(size > 1500, "the budget is used, not wasted: {size}");
        assert_eq!(record["name"], "short");
        assert_eq!(record["price"], 12.5);
        assert!(
            record["body"]
                .as_str()
                .unwrap()
                .ends_with("more characters]")
        );
        assert!(cut_to_fit(&mut record, 1 << 20).is_empty());
    }
}
