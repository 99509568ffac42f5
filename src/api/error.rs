//! Errors of the Sequentum API client, decoded from both error body shapes the API uses.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

/// Everything that can go wrong talking to the Sequentum API.
///
/// Messages never contain credentials: the API key travels only in a header, and bodies are
/// quoted from the server's answer, truncated.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The API answered with a non-success status.
    #[error("{message} (HTTP {status})")]
    Status {
        status: u16,
        message: String,
        /// `errorCode` of a BadRequestError body, or the `type` of a ProblemDetails body.
        code: Option<String>,
    },
    /// HTTP 429: too many requests for this key.
    #[error("rate limited by the Sequentum API")]
    RateLimited { retry_after: Option<Duration> },
    /// No answer within the per-request time limit.
    #[error("the Sequentum API did not answer within {0:?}")]
    Timeout(Duration),
    /// The connection failed (DNS, refused, reset, TLS).
    #[error("could not reach the Sequentum API: {0}")]
    Network(String),
    /// A success answer whose body was not what the endpoint promises.
    #[error("unexpected answer from the Sequentum API: {0}")]
    Decode(String),
}

impl ApiError {
    /// HTTP status, when the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            ApiError::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// Worth repeating for a call that is safe to repeat.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Status { status, .. } => matches!(status, 502..=504),
            ApiError::RateLimited { .. } | ApiError::Timeout(_) | ApiError::Network(_) => true,
            ApiError::Decode(_) => false,
        }
    }

    /// Replaces every occurrence of `secret` in text quoted from a server, for servers (or
    /// proxies) that echo the credential back ("Invalid API key sk-...").
    pub(crate) fn redact(self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let clean = |text: String| text.replace(secret, "<redacted>");
        match self {
            ApiError::Status {
                status,
                message,
                code,
            } => ApiError::Status {
                status,
                message: clean(message),
                code: code.map(clean),
            },
            ApiError::Decode(text) => ApiError::Decode(clean(text)),
            ApiError::Network(text) => ApiError::Network(clean(text)),
            other => other,
        }
    }

    /// Builds the error for a non-success answer from its status, headers and body.
    pub(crate) fn from_response(
        status: StatusCode,
        retry_after: Option<Duration>,
        body: &[u8],
    ) -> Self {
        if status == StatusCode::TOO_MANY_REQUESTS {
            return ApiError::RateLimited { retry_after };
        }
        let (message, code) = decode_error_body(status, body);
        ApiError::Status {
            status: status.as_u16(),
            message,
            code,
        }
    }

    pub(crate) fn from_reqwest(err: reqwest::Error, timeout: Duration) -> Self {
        if err.is_timeout() {
            ApiError::Timeout(timeout)
        } else {
            // reqwest also files a body that breaks off mid-read (reset, truncated) under
            // "decode"; the client never asks reqwest to parse, so that is a transport failure.
            // The URL carries no secret (credentials travel in a header), but it adds noise.
            ApiError::Network(describe_chain(&err.without_url()))
        }
    }
}

/// The error message with its causes, which is where reqwest keeps "connection refused".
fn describe_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Longest slice of a non-JSON error body quoted in a message.
const MAX_QUOTED_BODY: usize = 300;

/// Reads `{message, errorCode, statusDescription}` or ProblemDetails `{title, detail, type}`;
/// anything else (an HTML gateway page, plain text) is summarised, never dumped whole.
fn decode_error_body(status: StatusCode, body: &[u8]) -> (String, Option<String>) {
    let fallback = || {
        format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("error")
        )
    };
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        let text = |key: &str| {
            map.get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let code = text("errorCode").or_else(|| text("type"));
        let message = text("message")
            .or_else(|| match (text("title"), text("detail")) {
                (Some(t), Some(d)) => Some(format!("{t}: {d}")),
                (t, d) => d.or(t),
            })
            .or_else(|| text("statusDescription"))
            .unwrap_or_else(fallback);
        return (message, code);
    }
    let raw = String::from_utf8_lossy(body);
    let looks_like_html = raw.trim_start().starts_with('<');
    let text = raw.trim();
    if text.is_empty() || looks_like_html {
        return (fallback(), None);
    }
    let mut quoted: String = text.chars().take(MAX_QUOTED_BODY).collect();
    if quoted.len() < text.len() {
        quoted.push_str("...");
    }
    (format!("{}: {quoted}", fallback()), None)
}

/// Reads `Retry-After` as delta-seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = (when.timestamp() - chrono::Utc::now().timestamp()).max(0) as u64;
    Some(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_error_shapes_and_html_are_decoded() {
        let (m, c) = decode_error_body(
            StatusCode::NOT_FOUND,
            br#"{"type":"https://docs.sequentum.com/errors/agent-not-found","title":"Agent not found","status":404,"detail":"No agent with id 4711 exists in space 1."}"#,
        );
        assert_eq!(
            m,
            "Agent not found: No agent with id 4711 exists in space 1."
        );
        assert!(c.unwrap().ends_with("agent-not-found"));
        let (m, c) = decode_error_body(
            StatusCode::BAD_REQUEST,
            br#"{"statusCode":400,"message":"Run is currently active","errorCode":"run_active"}"#,
        );
        assert_eq!(m, "Run is currently active");
        assert_eq!(c.as_deref(), Some("run_active"));
        let (m, _) = decode_error_body(StatusCode::BAD_GATEWAY, b"<html><body>nginx</body></html>");
        assert_eq!(m, "502 Bad Gateway");
        let (m, _) = decode_error_body(StatusCode::INTERNAL_SERVER_ERROR, &vec![b'x'; 5000]);
        assert!(m.len() < 400 && m.ends_with("..."));
    }

    #[test]
    fn an_echoed_secret_is_redacted() {
        let err = ApiError::from_response(
            StatusCode::UNAUTHORIZED,
            None,
            br#"{"message":"Invalid API key sk-abc123"}"#,
        )
        .redact("sk-abc123");
        assert_eq!(err.to_string(), "Invalid API key <redacted> (HTTP 401)");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
