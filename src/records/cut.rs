//! Fitting one record into a byte budget by cutting its longest text values, for a record (or a
//! query row) that alone is larger than a page may be. The cut values end with a marker saying
//! how much was left out, and the caller lists the cut fields, so nothing is dropped silently.

use serde_json::{Map, Value};

use super::json_size;

/// Characters a cut value always keeps, so a cut never leaves only the marker.
const MIN_KEPT_CHARS: usize = 32;
/// Room for the marker appended to a cut value ("… [cut: 1234567 more characters]").
const MARKER_BYTES: usize = 40;

/// Cuts the longest text values of `record`, longest first, until it fits `max_bytes` as JSON
/// (or nothing long is left to cut). Returns the names of the fields cut, in the order cut.
pub fn cut_to_fit(record: &mut Map<String, Value>, max_bytes: usize) -> Vec<String> {
    let mut cut = Vec::new();
    loop {
        let size = json_size(record);
        if size <= max_bytes {
            break;
        }
        let longest = record
            .iter()
            .filter(|(name, _)| !cut.contains(*name))
            .filter_map(|(name, value)| Some((name, value.as_str()?.chars().count())))
            .filter(|(_, chars)| *chars > MIN_KEPT_CHARS)
            .max_by_key(|(_, chars)| *chars)
            .map(|(name, chars)| (name.clone(), chars));
        let Some((name, chars)) = longest else {
            break;
        };
        // Each character dropped saves at least one byte of JSON.
        let keep = chars
            .saturating_sub(size - max_bytes + MARKER_BYTES)
            .max(MIN_KEPT_CHARS);
        if let Some(Value::String(text)) = record.get_mut(&name) {
            let kept: String = text.chars().take(keep).collect();
            *text = format!("{kept}… [cut: {} more characters]", chars - keep);
        }
        cut.push(name);
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn the_longest_values_are_cut_until_the_record_fits() {
        let mut r = record(json!({
            "name": "short",
            "body": "x".repeat(3_000_000),
            "notes": "é".repeat(5_000),
            "n": 7,
        }));
        assert_eq!(cut_to_fit(&mut r, 1024), ["body", "notes"]);
        assert!(json_size(&r) <= 1024, "{}", json_size(&r));
        assert_eq!(r["name"], "short");
        assert_eq!(r["n"], 7);
        assert!(r["body"].as_str().unwrap().ends_with("more characters]"));

        let mut fits = record(json!({"a": "x".repeat(100)}));
        assert!(cut_to_fit(&mut fits, 1024).is_empty());
        assert_eq!(fits["a"].as_str().unwrap().len(), 100);
    }

    #[test]
    fn short_values_are_never_cut_even_when_the_record_stays_over() {
        let mut many = Map::new();
        for i in 0..100 {
            many.insert(format!("field_{i}"), Value::from("y".repeat(20)));
        }
        assert!(cut_to_fit(&mut many, 1024).is_empty());
    }
}
