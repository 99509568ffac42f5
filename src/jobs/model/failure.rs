//! Tool failures: what the model sees when a tool cannot do what was asked.
//!
//! Every failure is a tool result with `isError: true` and one text block
//! `"<code>: <what happened>. <what to do>"`, never a JSON-RPC error, so the model can read it
//! and correct itself. No `structuredContent` is attached: clients validate that against the
//! tool's output schema, which describes success.

use crate::schedule_rules::ScheduleError;

/// Stable failure codes (part of the tool contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    InvalidArgument,
    NotFound,
    AmbiguousName,
    Unauthorized,
    Forbidden,
    RateLimited,
    UpstreamUnavailable,
    Timeout,
    Conflict,
    UnsupportedRecordsFormat,
    InvalidCursor,
    /// The platform behind this server has no such operation.
    Unsupported,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidArgument => "invalid_argument",
            Code::NotFound => "not_found",
            Code::AmbiguousName => "ambiguous_name",
            Code::Unauthorized => "unauthorized",
            Code::Forbidden => "forbidden",
            Code::RateLimited => "rate_limited",
            Code::UpstreamUnavailable => "upstream_unavailable",
            Code::Timeout => "timeout",
            Code::Conflict => "conflict",
            Code::UnsupportedRecordsFormat => "unsupported_records_format",
            Code::InvalidCursor => "invalid_cursor",
            Code::Unsupported => "unsupported",
        }
    }
}

/// A failure a tool reports to the model.
#[derive(Debug, Clone)]
pub struct ToolFailure {
    pub code: Code,
    /// What happened, in one sentence.
    pub message: String,
    /// What to do next, in one sentence.
    pub hint: String,
    /// For rate limits: seconds to wait before trying again.
    pub retry_after_seconds: Option<u64>,
}

impl ToolFailure {
    pub fn new(code: Code, message: impl Into<String>, hint: impl Into<String>) -> Self {
        ToolFailure {
            code,
            message: message.into(),
            hint: hint.into(),
            retry_after_seconds: None,
        }
    }

    pub fn invalid(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::new(Code::InvalidArgument, message, hint)
    }

    /// `what` does not exist on the `backend` platform: the default of every optional
    /// `Platform` method, so a platform implements only what it has.
    pub fn unsupported(backend: &str, what: &str) -> Self {
        Self::new(
            Code::Unsupported,
            format!("the {backend} backend has no {what}"),
            "use another tool, or a server configured for a platform that has it",
        )
    }

    /// Whether the same call may succeed later without changes.
    pub fn retryable(&self) -> bool {
        matches!(
            self.code,
            Code::RateLimited | Code::UpstreamUnavailable | Code::Timeout
        )
    }

    /// The single line the model reads.
    pub fn text(&self) -> String {
        let mut text = format!(
            "{}: {}. {}.",
            self.code.as_str(),
            self.message.trim_end_matches('.'),
            self.hint.trim_end_matches('.')
        );
        if let Some(secs) = self.retry_after_seconds {
            text.push_str(&format!(" (retry_after_seconds: {secs})"));
        }
        text
    }
}

/// Checks a text argument's length, so an oversized value gets a clear error instead of a
/// request the platform cannot take (a 66,000-character name makes a URL too long to send).
pub fn bounded_text<'a>(
    name: &str,
    value: &'a str,
    max_chars: usize,
) -> Result<&'a str, ToolFailure> {
    let chars = value.chars().count();
    if chars <= max_chars {
        Ok(value)
    } else {
        Err(ToolFailure::invalid(
            format!(
                "{name} has {chars} characters (\"{}\"); at most {max_chars} are accepted",
                excerpt(value)
            ),
            format!("Pass a shorter {name}"),
        ))
    }
}

pub use crate::quote::excerpt;

/// A schedule the shared rules refused, as the tool failure the model reads.
impl From<ScheduleError> for ToolFailure {
    fn from(e: ScheduleError) -> ToolFailure {
        ToolFailure::invalid(e.message, e.advice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_has_code_message_and_hint() {
        let mut f = ToolFailure::new(Code::RateLimited, "Too fast.", "Wait");
        f.retry_after_seconds = Some(12);
        assert!(f.retryable());
        assert_eq!(
            f.text(),
            "rate_limited: Too fast. Wait. (retry_after_seconds: 12)"
        );
    }

    #[test]
    fn lengths_are_checked_and_errors_quote_little() {
        let long = "x".repeat(20_000);
        let err = bounded_text("query", &long, 200).unwrap_err().text();
        assert!(err.contains("20000 characters") && err.len() < 300, "{err}");
        assert_eq!(bounded_text("query", "ok", 200).unwrap(), "ok");
    }
}
