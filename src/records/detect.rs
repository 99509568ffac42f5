//! Which record format a file is in, from its name and first bytes.

use serde_json::{Map, Value};

use super::{
    RecordFormat,
    json_scan::{ValueEnd, is_ws},
};

fn extension(file_name: &str) -> String {
    match file_name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => String::new(),
    }
}

/// The format of a file: CSV by its `.csv` name, JSON lines by `.jsonl`/`.ndjson`, otherwise
/// sniffed from `head` (the file's first bytes): `[` is an array of records, `{` is either an
/// object of tables or the first of several JSON lines. `None`: not readable as records.
pub fn detect_format(file_name: &str, head: &[u8]) -> Option<RecordFormat> {
    match extension(file_name).as_str() {
        "csv" => return Some(RecordFormat::Csv),
        "jsonl" | "ndjson" => return Some(RecordFormat::JsonLines),
        _ => {}
    }
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let body = &head[head.iter().position(|&b| !is_ws(b))?..];
    match body[0] {
        b'[' => Some(RecordFormat::JsonArray),
        b'{' => Some(sniff_object(body)),
        _ => None,
    }
}

/// Tells `{"Table": [...], ...}` from JSON lines. When the first object ends inside `head`, more
/// content after it means JSON lines, and a lone object is a table object only if every value is
/// an array. When it does not end inside `head`, the first value decides: an array means tables.
fn sniff_object(body: &[u8]) -> RecordFormat {
    match ValueEnd::default().feed(body) {
        Some(end) => {
            let more_follows = body[end..].iter().any(|&b| !is_ws(b));
            let all_arrays = serde_json::from_slice::<Map<String, Value>>(&body[..end])
                .is_ok_and(|map| !map.is_empty() && map.values().all(Value::is_array));
            if !more_follows && all_arrays {
                RecordFormat::JsonObject
            } else {
                RecordFormat::JsonLines
            }
        }
        None => {
            let first_value_is_array = first_value(body).is_some_and(|v| v.first() == Some(&b'['));
            if first_value_is_array {
                RecordFormat::JsonObject
            } else {
                RecordFormat::JsonLines
            }
        }
    }
}

/// The bytes from the first key's value onwards, for `{ "key" : value ...`.
fn first_value(body: &[u8]) -> Option<&[u8]> {
    let rest = trim_start(&body[1..]);
    let key_len = ValueEnd::default()
        .feed(rest)
        .filter(|_| rest.first() == Some(&b'"'))?;
    let rest = trim_start(&rest[key_len..]);
    Some(trim_start(rest.strip_prefix(b":")?))
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| !is_ws(b)).unwrap_or(bytes.len());
    &bytes[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecordFormat::*;

    #[test]
    fn by_name_and_by_content() {
        let cases: &[(&str, &str, Option<RecordFormat>)] = &[
            ("Out.CSV", "[looks,like,json]", Some(Csv)),
            ("out.csv", "", Some(Csv)),
            ("x.jsonl", "{\"a\":[1]}", Some(JsonLines)),
            ("x.ndjson", "", Some(JsonLines)),
            ("x.json", "\u{feff}\n  [{\"a\":1}]", Some(JsonArray)),
            ("x", "[1,2]", Some(JsonArray)),
            (
                "x.json",
                "{\"Agent\": [{\"a\": 1}], \"Other\": []}",
                Some(JsonObject),
            ),
            ("x.json", "{\"a\": 1}\n{\"a\": 2}\n", Some(JsonLines)),
            ("x.json", "{\"a\": [1]}\n{\"a\": [2]}\n", Some(JsonLines)),
            (
                "x.json",
                "{\"name\": \"one record\", \"tags\": []}",
                Some(JsonLines),
            ),
            // First object larger than the head: decided by its first value.
            (
                "x.json",
                "{\"Agent\" : [{\"a\": \"}\"}, {\"a\"",
                Some(JsonObject),
            ),
            ("x.json", "{\"a\": \"{[\", \"b\": [", Some(JsonLines)),
            ("x.json", "", None),
            ("x.json", "   ", None),
            ("x.xml", "<rows/>", None),
            ("x.xlsx", "PK\u{3}\u{4}", None),
            ("notes.txt", "plain text", None),
        ];
        for (name, head, want) in cases {
            assert_eq!(
                detect_format(name, head.as_bytes()),
                *want,
                "{name} {head:?}"
            );
        }
    }
}
