//! Field projection: the caller names the fields it wants, in the order it wants them.
//!
//! Names match exactly first and then case-insensitively, because models rarely reproduce the
//! capitalisation of a scraped header faithfully.

use serde_json::{Map, Value};

use super::RecordsError;

fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

fn find(name: &str, available: &[String]) -> Option<usize> {
    available
        .iter()
        .position(|a| a == name)
        .or_else(|| available.iter().position(|a| same_ignoring_case(a, name)))
}

/// Indices into `available` of the requested fields, in request order; a name given twice is
/// kept once. Any name that matches nothing fails with the full list of available fields.
pub(crate) fn resolve(
    requested: &[String],
    available: &[String],
) -> Result<Vec<usize>, RecordsError> {
    let mut picked = Vec::with_capacity(requested.len());
    let mut missing = Vec::new();
    for name in requested {
        match find(name, available) {
            Some(i) if !picked.contains(&i) => picked.push(i),
            Some(_) => {}
            None => missing.push(name.clone()),
        }
    }
    if missing.is_empty() {
        Ok(picked)
    } else {
        Err(RecordsError::UnknownFields {
            missing,
            available: available.to_vec(),
        })
    }
}

/// The named fields of a JSON record, in the order given; a field the record lacks is null so
/// every record of a page has the same shape.
pub(crate) fn project(mut record: Map<String, Value>, names: &[String]) -> Map<String, Value> {
    let mut out = Map::with_capacity(names.len());
    for name in names {
        let value = record.remove(name).or_else(|| {
            let key = record.keys().find(|k| same_ignoring_case(k, name))?.clone();
            record.remove(&key)
        });
        out.insert(name.clone(), value.unwrap_or(Value::Null));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn resolve_orders_dedupes_and_matches_case_insensitively() {
        let available = names(&["Name", "Price", "URL", "price"]);
        assert_eq!(
            resolve(&names(&["url", "Name", "NAME"]), &available).unwrap(),
            [2, 0]
        );
        assert_eq!(
            resolve(&names(&["price"]), &available).unwrap(),
            [3],
            "exact match wins"
        );
        assert_eq!(resolve(&names(&["PRICE"]), &available).unwrap(), [1]);
    }

    #[test]
    fn resolve_reports_every_unknown_field_and_what_exists() {
        let available = names(&["Name", "Price"]);
        match resolve(&names(&["name", "colour", "size"]), &available) {
            Err(RecordsError::UnknownFields {
                missing,
                available: listed,
            }) => {
                assert_eq!(missing, ["colour", "size"]);
                assert_eq!(listed, available);
            }
            other => panic!("expected UnknownFields, got {other:?}"),
        }
    }

    #[test]
    fn project_picks_in_order_and_fills_missing_with_null() {
        let record = json!({"a": 1, "B": 2, "c": 3}).as_object().unwrap().clone();
        let out = project(record, &names(&["c", "b", "d"]));
        assert_eq!(
            Value::Object(out.clone()),
            json!({"c": 3, "b": 2, "d": null})
        );
        assert_eq!(out.keys().collect::<Vec<_>>(), ["c", "b", "d"]);
    }
}
