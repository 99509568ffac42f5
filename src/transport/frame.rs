//! Decoding one client message (a stdio line or an HTTP POST body) with the JSON-RPC answers
//! rmcp does not give.
//!
//! rmcp drops what it cannot decode without a word, and decodes a known method whose params do
//! not fit (such as `tools/call` without a `name`) as a custom request, which then gets
//! `-32601 Method not found`. Here every transport gets the same, readable answers instead:
//! `-32700` for text that is not JSON, `-32600` for JSON that is not a message (`[]`, `{}`,
//! `null`, `"str"`), and `-32602` naming the missing or mistyped field of a known method.
//! Notifications are never answered, as JSON-RPC requires: an unknown one is only logged.

use axum::{
    body::Body,
    extract::Request,
    http::{Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use rmcp::model::{
    CallToolRequestParams, ClientJsonRpcMessage, ClientRequest, CustomRequest, JsonRpcMessage,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub(crate) const PARSE_ERROR: i32 = -32700;
pub(crate) const INVALID_REQUEST: i32 = -32600;
pub(crate) const INVALID_PARAMS: i32 = -32602;

/// Why a frame is not handed to rmcp.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// Answer with this error (`id` is null when the frame had none or could not be read).
    Answer {
        id: Value,
        code: i32,
        message: String,
    },
    /// A notification this server does not know: JSON-RPC forbids answering it.
    Ignore(String),
}

impl Refusal {
    /// The JSON-RPC error object to send, or `None` for an ignored notification.
    pub(crate) fn answer(&self) -> Option<Value> {
        match self {
            Refusal::Answer { id, code, message } => Some(error(id.clone(), *code, message)),
            Refusal::Ignore(_) => None,
        }
    }
}

/// A JSON-RPC error response.
pub(crate) fn error(id: Value, code: i32, message: &str) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    })
}

/// One client message, or the answer it deserves.
pub(crate) fn parse(bytes: &[u8]) -> Result<ClientJsonRpcMessage, Refusal> {
    match serde_json::from_slice::<ClientJsonRpcMessage>(bytes) {
        Ok(JsonRpcMessage::Request(request)) => match &request.request {
            ClientRequest::CustomRequest(custom) => match invalid_params(custom) {
                Some(message) => Err(Refusal::Answer {
                    id: serde_json::to_value(&request.id).unwrap_or(Value::Null),
                    code: INVALID_PARAMS,
                    message,
                }),
                None => Ok(JsonRpcMessage::Request(request)),
            },
            _ => Ok(JsonRpcMessage::Request(request)),
        },
        Ok(message) => Ok(message),
        Err(e) if e.is_syntax() || e.is_eof() => Err(Refusal::Answer {
            id: Value::Null,
            code: PARSE_ERROR,
            message: format!(
                "Parse error: the message is not valid JSON ({e}); send one JSON-RPC message \
                 object"
            ),
        }),
        Err(e) => Err(not_a_message(bytes, &e)),
    }
}

/// Valid JSON that rmcp could not decode: an unknown notification (ignored) or an invalid
/// request, answered with its id when it has one.
fn not_a_message(bytes: &[u8], error: &serde_json::Error) -> Refusal {
    let value: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    let object = value.as_object();
    let id = object.and_then(|o| o.get("id")).cloned();
    let is_notification = object.is_some_and(|o| o.get("method").is_some_and(Value::is_string));
    match id {
        None if is_notification => Refusal::Ignore(error.to_string()),
        id => Refusal::Answer {
            id: id.unwrap_or(Value::Null),
            code: INVALID_REQUEST,
            message: format!(
                "Invalid request: expected one JSON-RPC 2.0 message object such as \
                 {{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}}, got {} ({error})",
                kind(&value)
            ),
        },
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(a) if a.is_empty() => "an empty array",
        Value::Array(_) => "an array (batches are not supported)",
        Value::Object(_) => "an object without a valid method",
    }
}

/// What is wrong with the params of a known method that rmcp fell back to decoding as a
/// custom request; `None` for methods this server does not know (rmcp answers -32601).
/// `initialize` is left to rmcp: in the 2026-07-28 era it is a removed method, which must be
/// answered 404 with -32601 whatever its params.
fn invalid_params(custom: &CustomRequest) -> Option<String> {
    match custom.method.as_str() {
        "tools/call" => Some(describe::<CallToolRequestParams>(
            custom,
            r#"{"name": "<tool>", "arguments": {...}}"#,
        )),
        _ => None,
    }
}

fn describe<T: DeserializeOwned>(custom: &CustomRequest, shape: &str) -> String {
    let problem = match custom.params_as::<T>() {
        Ok(None) => "params are missing".to_owned(),
        Err(e) => e.to_string(),
        Ok(Some(_)) => "params are not valid".to_owned(),
    };
    format!(
        "Invalid params for {}: {problem}; send params like {shape}",
        custom.method
    )
}

/// axum middleware for POSTed messages: refused frames are answered here (400, or 200 with the
/// error for a request with an id, as a JSON-RPC answer to it); others go on to rmcp.
/// The guard in front has already read the body into memory, within its limits.
pub(crate) async fn check_post(request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    if let Err(refusal) = parse(&bytes)
        && let Some(answer) = refusal.answer()
    {
        let status = match refusal {
            Refusal::Answer {
                code: INVALID_PARAMS,
                ..
            } => StatusCode::OK,
            _ => StatusCode::BAD_REQUEST,
        };
        return (status, axum::Json(answer)).into_response();
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    plain_error_as_jsonrpc(response).await
}

/// rmcp answers some refusals (an unknown `MCP-Protocol-Version`, a wrong content type) with
/// plain text, which MCP clients cannot show; those become a JSON-RPC error carrying the text,
/// with the same status.
async fn plain_error_as_jsonrpc(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/event-stream"));
    if !response.status().is_client_error() || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let message = match text.trim() {
        "" => format!("{}", parts.status),
        text => text.to_owned(),
    };
    let body = error(serde_json::Value::Null, INVALID_REQUEST, &message);
    (parts.status, axum::Json(body)).into_response()
}
