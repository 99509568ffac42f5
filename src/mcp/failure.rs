//! Tool failures: what the model sees when a tool cannot do what was asked.
//!
//! Every failure is a tool result with `isError: true` and one text block
//! `"<code>: <what happened>. <what to do>"`, never a JSON-RPC error, so the model can read it
//! and correct itself. No `structuredContent` is attached: clients validate that against the
//! tool's output schema, which describes success.

use rmcp::{
    handler::server::tool::IntoCallToolResult,
    model::{CallToolResponse, CallToolResult, ContentBlock},
};

use crate::api::ApiError;

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

    /// Whether the same call may succeed later without changes.
    pub fn retryable(&self) -> bool {
        matches!(
            self.code,
            Code::RateLimited | Code::UpstreamUnavailable | Code::Timeout
        )
    }

    /// Translates an API error. `subject` names what the call was about ("run 7 of agent 3"),
    /// so a 404 can say which id was unknown.
    pub fn from_api(err: ApiError, subject: &str) -> Self {
        match err {
            ApiError::RateLimited { retry_after } => {
                let secs = retry_after.map(|d| d.as_secs().max(1)).unwrap_or(30);
                ToolFailure {
                    retry_after_seconds: Some(secs),
                    ..Self::new(
                        Code::RateLimited,
                        "The Sequentum API rate limit was reached",
                        format!("Wait {secs} seconds, then repeat the call"),
                    )
                }
            }
            ApiError::Timeout(after) => Self::new(
                Code::Timeout,
                format!(
                    "The Sequentum API did not answer within {} seconds",
                    after.as_secs()
                ),
                "Repeat the call; if it keeps happening, check the service status",
            ),
            ApiError::Network(detail) => Self::new(
                Code::UpstreamUnavailable,
                format!("Could not reach the Sequentum API ({detail})"),
                "Check the network and SEQUENTUM_API_URL, then repeat the call",
            ),
            ApiError::Decode(detail) => Self::new(
                Code::UpstreamUnavailable,
                format!("The Sequentum API gave an answer this server cannot read ({detail})"),
                "Repeat the call later; if it persists, report it with the server logs",
            ),
            ApiError::Status {
                status, message, ..
            } => match status {
                401 => Self::new(
                    Code::Unauthorized,
                    format!("The Sequentum API refused the credentials ({message})"),
                    "Check SEQUENTUM_API_KEY (or SEQUENTUM_ACCESS_TOKEN) in the MCP server configuration",
                ),
                403 => Self::new(
                    Code::Forbidden,
                    format!("Access to {subject} is not allowed for these credentials ({message})"),
                    "Use an agent your account can access, or ask an admin for access",
                ),
                404 => Self::new(
                    Code::NotFound,
                    format!("{} was not found ({message})", capitalize(subject)),
                    "Check the id; list_agents and list_runs show the valid ones",
                ),
                409 => Self::new(
                    Code::Conflict,
                    format!(
                        "{} is not in a state that allows this ({message})",
                        capitalize(subject)
                    ),
                    "Check its status with get_run_status or list_runs first",
                ),
                400 | 422 => Self::new(
                    Code::InvalidArgument,
                    format!("The Sequentum API rejected the request for {subject}: {message}"),
                    "Correct the arguments and try again",
                ),
                _ => Self::new(
                    Code::UpstreamUnavailable,
                    format!("The Sequentum API failed ({message})"),
                    "Repeat the call in a minute; the platform may be busy",
                ),
            },
        }
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

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl IntoCallToolResult for ToolFailure {
    fn into_call_tool_result(self) -> Result<CallToolResponse, rmcp::ErrorData> {
        tracing::debug!(code = self.code.as_str(), message = %self.message, "tool failure");
        Ok(CallToolResult::error(vec![ContentBlock::text(self.text())]).into())
    }
}

/// Checks an id the model passed: ids are positive integers.
pub fn positive_id(name: &str, value: i64) -> Result<i64, ToolFailure> {
    if value > 0 {
        Ok(value)
    } else {
        Err(ToolFailure::invalid(
            format!("{name} must be a positive integer, got {value}"),
            format!(
                "Pass the {name} returned by an earlier call (list_agents or list_runs show them)"
            ),
        ))
    }
}

/// Checks a bounded integer argument, with an error that states the bounds.
pub fn in_range(name: &str, value: i64, min: i64, max: i64) -> Result<i64, ToolFailure> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ToolFailure::invalid(
            format!("{name} must be between {min} and {max}, got {value}"),
            format!("Pass a {name} in {min}..={max}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn text_has_code_message_and_hint() {
        let f = ToolFailure::from_api(
            ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(12)),
            },
            "agent 1",
        );
        assert_eq!(f.code, Code::RateLimited);
        assert!(f.retryable());
        assert!(f.text().starts_with("rate_limited: "));
        assert!(f.text().contains("retry_after_seconds: 12"));
        let f = ToolFailure::from_api(
            ApiError::Status {
                status: 404,
                message: "Run not found".into(),
                code: None,
            },
            "run 9 of agent 2",
        );
        assert_eq!(
            f.text(),
            "not_found: Run 9 of agent 2 was not found (Run not found). Check the id; list_agents and list_runs show the valid ones."
        );
    }

    #[test]
    fn ids_and_ranges_are_checked() {
        assert!(
            positive_id("run_id", -3)
                .unwrap_err()
                .text()
                .contains("positive")
        );
        assert_eq!(in_range("limit", 5, 1, 500).unwrap(), 5);
        assert!(in_range("limit", 0, 1, 500).is_err());
    }
}
