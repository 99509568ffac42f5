//! A run's input checked against the task's input_schema before it is sent, so the model gets
//! the mismatch in one clear sentence instead of a run that never starts. Deck checks again;
//! this covers the JSON Schema keywords task schemas use (`required`, `properties` with
//! `type`, `additionalProperties: false`).

use serde_json::{Map, Value};

use crate::{jobs::model::ToolFailure, serde_words::json_kind};

pub fn check(schema: Option<&Value>, input: &Map<String, Value>) -> Result<(), ToolFailure> {
    let Some(schema) = schema.filter(|s| s.is_object()) else {
        return Ok(());
    };
    let properties = schema.get("properties").and_then(Value::as_object);
    let mut problems = Vec::new();
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = name.as_str().filter(|n| !input.contains_key(*n)) {
            problems.push(format!("{name} is required"));
        }
    }
    for (name, value) in input {
        match properties.and_then(|p| p.get(name)) {
            Some(property) => {
                if let Some(wanted) = property.get("type").and_then(Value::as_str)
                    && !has_type(value, wanted)
                {
                    problems.push(format!("{name} must be {wanted}, got {}", json_kind(value)));
                }
            }
            None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                problems.push(format!("{name} is not an input of this task"));
            }
            None => {}
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let known: Vec<&str> = properties
        .into_iter()
        .flatten()
        .map(|(k, _)| k.as_str())
        .collect();
    Err(ToolFailure::invalid(
        format!(
            "The input does not fit the task's input_schema: {}",
            problems.join("; ")
        ),
        format!(
            "Pass input_parameters with the task's inputs ({})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ),
    ))
}

fn has_type(value: &Value, wanted: &str) -> bool {
    match wanted {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn required_fields_and_types_are_checked() {
        let schema = json!({"type": "object", "required": ["month"],
            "properties": {"month": {"type": "string"}, "count": {"type": "integer"}},
            "additionalProperties": false});
        let ok = json!({"month": "2026-01", "count": 3});
        assert!(check(Some(&schema), ok.as_object().unwrap()).is_ok());
        let bad = json!({"count": "three", "x": 1});
        let err = check(Some(&schema), bad.as_object().unwrap())
            .unwrap_err()
            .text();
        assert!(err.contains("month is required"), "{err}");
        assert!(err.contains("count must be integer, got a string"), "{err}");
        assert!(err.contains("x is not an input"), "{err}");
        assert!(check(None, bad.as_object().unwrap()).is_ok());
    }
}
