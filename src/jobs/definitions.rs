//! Agent definitions as the editor tools pass them: bounded in size, objects only.

use serde_json::{Map, Value};

use super::{ToolFailure, failure::bounded_text};

/// Largest definition (or change) accepted, in bytes of compact JSON: real definitions are a
/// few kilobytes.
pub const MAX_DEFINITION_BYTES: usize = 64 * 1024;

/// Longest page URL accepted.
pub const MAX_URL_CHARS: usize = 2000;

/// A definition argument as JSON, refused when it is larger than any real definition.
pub fn checked_definition(definition: Map<String, Value>) -> Result<Value, ToolFailure> {
    let value = Value::Object(definition);
    let size = value.to_string().len();
    if size > MAX_DEFINITION_BYTES {
        return Err(ToolFailure::invalid(
            format!(
                "definition is {size} bytes of JSON; at most {MAX_DEFINITION_BYTES} are accepted"
            ),
            "Pass only the change (e.g. one field's new selector) rather than a whole page of JSON",
        ));
    }
    Ok(value)
}

/// A page URL argument, trimmed and bounded (the platform checks that it is http(s)).
pub fn checked_url(url: &str) -> Result<String, ToolFailure> {
    Ok(bounded_text("url", url.trim(), MAX_URL_CHARS)?.to_string())
}
