//! serde's error messages in plain words, for people and models.
//!
//! serde writes "unknown field `x`, expected one of `a`, `b`, `c`" and "invalid type: string
//! \"5\", expected i64 at line 1 column 9": Rust type names, backticks and positions in a text
//! nobody typed. Tool arguments (`mcp::args`) and the engine's definition checks both show
//! these messages, so the rewording lives here, once. A leaf module: every layer uses it.

use serde_json::Value;

/// The field serde did not know, and the fields it accepts (empty when it accepts none).
pub struct UnknownField {
    pub name: String,
    pub accepted: Vec<String>,
}

/// Reads serde's "unknown field" message.
pub fn unknown_field(message: &str) -> Option<UnknownField> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once('`')?;
    let accepted = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some(UnknownField {
        name: name.to_string(),
        accepted,
    })
}

/// serde's message in plain words: no backticks, no Rust type names, no line and column, and
/// a list of accepted names given once.
pub fn plain(message: &str) -> String {
    let message = strip_position(message);
    if let Some(unknown) = unknown_field(message) {
        return match unknown.accepted.as_slice() {
            [] => format!(
                "unknown field \"{}\"; no fields are accepted here",
                unknown.name
            ),
            accepted => format!(
                "unknown field \"{}\"; the accepted fields are {}",
                unknown.name,
                accepted.join(", ")
            ),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant `")
        && let Some((value, rest)) = rest.split_once('`')
    {
        let accepted: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        return format!(
            "unknown value \"{value}\"; the accepted values are {}",
            accepted.join(", ")
        );
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((got, expected)) = message
            .strip_prefix(prefix)
            .and_then(|rest| rest.rsplit_once(", expected "))
        {
            return format!(
                "expected {}, got {}",
                expected_words(expected),
                got_words(got)
            );
        }
    }
    message.replace('`', "\"")
}

/// What serde expected, in words.
fn expected_words(expected: &str) -> String {
    match expected {
        "i8" | "i16" | "i32" | "i64" => "an integer".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a sequence" => "an array".into(),
        "a map" => "an object".into(),
        other if other.starts_with("struct ") => "an object".into(),
        other => other.replace('`', "\""),
    }
}

/// What serde got instead, in words.
fn got_words(got: &str) -> String {
    let unquoted = |s: &str| s.trim_matches('`').to_string();
    match got.split_once(' ') {
        Some(("string", value)) => format!("the string {value}"),
        Some(("integer" | "floating", value)) => {
            format!(
                "the number {}",
                unquoted(value.trim_start_matches("point "))
            )
        }
        Some(("boolean", value)) => unquoted(value),
        _ => match got {
            "map" => "an object".into(),
            "sequence" => "an array".into(),
            other => other.replace('`', "\""),
        },
    }
}

/// A JSON value's kind, for messages such as "expected an integer, got a string".
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a decimal number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The message without serde_json's " at line 1 column 9".
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => &message[..at],
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_name_the_accepted_ones_once_without_backticks() {
        assert_eq!(
            plain(
                "unknown field `colour`, expected one of `name`, `selector`, `attribute` at line 1 column 20"
            ),
            "unknown field \"colour\"; the accepted fields are name, selector, attribute"
        );
        assert_eq!(
            plain("unknown field `x`, expected `name`"),
            "unknown field \"x\"; the accepted fields are name"
        );
        assert_eq!(
            plain("unknown field `x`, there are no fields"),
            "unknown field \"x\"; no fields are accepted here"
        );
        assert_eq!(
            plain("unknown variant `xml`, expected `csv` or `json`"),
            "unknown value \"xml\"; the accepted values are csv, json"
        );
    }

    #[test]
    fn types_are_named_in_words() {
        assert_eq!(
            plain("invalid type: string \"5\", expected i64 at line 1 column 9"),
            "expected an integer, got the string \"5\""
        );
        assert_eq!(
            plain("invalid type: floating point `1.5`, expected u32"),
            "expected a whole number, got the number 1.5"
        );
        assert_eq!(
            plain("invalid type: map, expected a sequence"),
            "expected an array, got an object"
        );
        assert_eq!(plain("missing field `run_id`"), "missing field \"run_id\"");
    }
}
