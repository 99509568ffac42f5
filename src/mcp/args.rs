//! Tool arguments, decoded so that every mistake is a tool error the model can act on.
//!
//! rmcp's own `Parameters` answers a wrong type with a bare JSON-RPC error ("failed to
//! deserialize parameters: invalid type: string \"5\", expected i64") and silently ignores an
//! unknown argument, so a typo such as `"run": 1` read the latest run instead of run 1. `Args`
//! hands the decoding result to the tool instead, and the inputs deny unknown fields: the model
//! gets `invalid_argument` naming the argument, what it expects and the valid names.

use rmcp::{
    handler::server::{common::FromContextPart, tool::ToolCallContext},
    model::JsonObject,
};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{
    jobs::{ToolFailure, failure::excerpt},
    serde_words,
};

/// Decoded arguments of a tool call, or why they could not be decoded.
pub struct Args<T>(pub Result<T, ToolFailure>);

impl<S, T: DeserializeOwned + JsonSchema + 'static> FromContextPart<ToolCallContext<'_, S>>
    for Args<T>
{
    fn from_context_part(context: &mut ToolCallContext<S>) -> Result<Self, rmcp::ErrorData> {
        let arguments = context.arguments.take().unwrap_or_default();
        Ok(Args(decode(arguments)))
    }
}

/// The input schema of a tool taking `Args<T>`, for the `#[tool(input_schema = ...)]` attribute.
pub fn schema<T: JsonSchema + 'static>() -> std::sync::Arc<JsonObject> {
    rmcp::handler::server::common::schema_for_input::<T>().unwrap_or_else(|e| {
        panic!(
            "invalid input schema for {}: {e}",
            std::any::type_name::<T>()
        )
    })
}

fn decode<T: DeserializeOwned + JsonSchema + 'static>(
    arguments: JsonObject,
) -> Result<T, ToolFailure> {
    serde_path_to_error::deserialize(Value::Object(arguments)).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        let unknown =
            serde_words::unknown_field(&message).filter(|u| path == "." || path == u.name);
        if let Some(unknown) = unknown {
            // A misspelt argument: say which, and list the valid names once.
            ToolFailure::invalid(
                format!("unknown argument \"{}\"", excerpt(&unknown.name)),
                format!("Valid arguments: {}", names::<T>()),
            )
        } else if path == "." {
            ToolFailure::invalid(
                serde_words::plain(&message).replace("field", "argument"),
                format!("Valid arguments: {}", names::<T>()),
            )
        } else {
            ToolFailure::invalid(
                format!("argument {path}: {}", short(&serde_words::plain(&message))),
                format!("Send {path} as the tool's input schema describes"),
            )
        }
    })
}

/// The argument names a tool accepts, from its schema (built only when a call went wrong).
fn names<T: JsonSchema + 'static>() -> String {
    let schema = schema::<T>();
    let names: Vec<&str> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    names.join(", ")
}

/// The message with any quoted input cut short (a long string value is echoed inside it).
fn short(message: &str) -> String {
    match (message.find('"'), message.rfind('"')) {
        (Some(start), Some(end)) if end > start + 41 => format!(
            "{}\"{}\"{}",
            &message[..start],
            excerpt(&message[start + 1..end]),
            &message[end + 1..]
        ),
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Input {
        run_id: i64,
        #[serde(default)]
        limit: Option<i64>,
    }

    fn args(value: Value) -> Result<Input, ToolFailure> {
        decode(value.as_object().unwrap().clone())
    }

    #[test]
    fn wrong_types_and_unknown_names_are_named_with_the_valid_ones_once() {
        let err = args(serde_json::json!({"run_id": 1, "limit": [5]})).unwrap_err();
        assert_eq!(
            err.text(),
            "invalid_argument: argument limit: expected an integer, got an array. Send limit as the tool's input schema describes."
        );
        let err = args(serde_json::json!({"run": 1})).unwrap_err();
        assert_eq!(
            err.text(),
            "invalid_argument: unknown argument \"run\". Valid arguments: run_id, limit."
        );
        let err = args(serde_json::json!({})).unwrap_err();
        assert_eq!(
            err.text(),
            "invalid_argument: missing argument \"run_id\". Valid arguments: run_id, limit."
        );
        let err = args(serde_json::json!({"run_id": "x".repeat(20_000)})).unwrap_err();
        assert!(err.text().len() < 300, "{}", err.text());
        assert_eq!(args(serde_json::json!({"run_id": 3})).unwrap().run_id, 3);
    }
}
