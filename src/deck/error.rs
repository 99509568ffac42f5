//! Deck's failures, and how they become tool failures: Deck's `{errors:[{type,code,message,
//! field}]}` keeps its message, and its `type`/`code` pick our failure code.

use std::time::Duration;

use super::types::WireError;
use crate::jobs::model::{Code, ToolFailure};

/// A failed call to the Deck API.
#[derive(Debug, Clone)]
pub enum DeckError {
    /// Deck answered with an error status; `errors` is its array (empty when the body had none).
    Status {
        status: u16,
        errors: Vec<WireError>,
    },
    Timeout(Duration),
    Network(String),
    Decode(String),
}

impl DeckError {
    /// Worth repeating with the same idempotency key: rate limits, server errors, no answer.
    pub fn transient(&self) -> bool {
        match self {
            DeckError::Status { status, .. } => *status == 429 || *status >= 500,
            DeckError::Timeout(_) | DeckError::Network(_) => true,
            DeckError::Decode(_) => false,
        }
    }

    /// The first error's code, for callers that react to one (`cursor_invalid`).
    pub fn code(&self) -> Option<&str> {
        match self {
            DeckError::Status { errors, .. } => errors.first()?.code.as_deref(),
            _ => None,
        }
    }

    fn messages(&self) -> String {
        match self {
            DeckError::Status { status, errors } if errors.is_empty() => format!("HTTP {status}"),
            DeckError::Status { errors, .. } => errors
                .iter()
                .map(WireError::describe)
                .collect::<Vec<_>>()
                .join("; "),
            DeckError::Timeout(after) => format!("no answer within {} s", after.as_secs()),
            DeckError::Network(detail) | DeckError::Decode(detail) => detail.clone(),
        }
    }
}

impl std::fmt::Display for DeckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.messages())
    }
}

/// Translates a Deck error. `subject` names what the call was about ("task run trun_1").
pub fn failure(err: DeckError, subject: &str) -> ToolFailure {
    let said = err.messages();
    let (status, kind) = match &err {
        DeckError::Status { status, errors } => (
            *status,
            errors
                .first()
                .and_then(|e| e.kind.clone())
                .unwrap_or_default(),
        ),
        DeckError::Timeout(_) => {
            return ToolFailure::new(
                Code::Timeout,
                format!("The Deck API did not answer about {subject} ({said})"),
                "Repeat the call; if it keeps happening, check Deck's status page",
            );
        }
        DeckError::Network(_) => {
            return ToolFailure::new(
                Code::UpstreamUnavailable,
                format!("Could not reach the Deck API ({said})"),
                "Check the network and DECK_API_URL, then repeat the call",
            );
        }
        DeckError::Decode(_) => {
            return ToolFailure::new(
                Code::UpstreamUnavailable,
                format!("The Deck API gave an answer this server cannot read ({said})"),
                "Repeat the call later; if it persists, report it with the server logs",
            );
        }
    };
    match (status, kind.as_str()) {
        (429, _) | (_, "rate_limit") => ToolFailure {
            retry_after_seconds: Some(10),
            ..ToolFailure::new(
                Code::RateLimited,
                format!("Deck's rate limit was reached ({said})"),
                "Wait 10 seconds, then repeat the call",
            )
        },
        (401, _) => ToolFailure::new(
            Code::Unauthorized,
            format!("Deck refused the API key ({said})"),
            "Check DECK_API_KEY (a secret key sk_live_… from console.deck.co) in the MCP server configuration",
        ),
        (403, _) | (_, "organization") => ToolFailure::new(
            Code::Forbidden,
            format!("Deck does not allow this for {subject} ({said})"),
            "The organisation's plan or permissions forbid it; change them in the Deck Console",
        ),
        (404, _) => ToolFailure::new(
            Code::NotFound,
            format!("Deck has no {subject}"),
            "Check the id; list_agents and list_runs show the valid ones",
        ),
        (409, "idempotency") => ToolFailure::new(
            Code::Conflict,
            format!("Deck refused a repeated request for {subject} ({said})"),
            "Repeat the call; a new request gets a new idempotency key",
        ),
        (409, _) => ToolFailure::new(
            Code::Conflict,
            format!("{subject} is not in a state that allows this ({said})"),
            "Check its status with get_run_status first",
        ),
        (400 | 422, _) => ToolFailure::new(
            Code::InvalidArgument,
            format!("Deck rejected the request for {subject}: {said}"),
            "Correct the arguments and try again",
        ),
        _ => ToolFailure::new(
            Code::UpstreamUnavailable,
            format!("The Deck API failed ({said})"),
            "Repeat the call in a minute; Deck may be busy",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, kind: &str, code: &str, message: &str) -> DeckError {
        DeckError::Status {
            status,
            errors: vec![WireError {
                kind: Some(kind.into()),
                code: Some(code.into()),
                message: Some(message.into()),
                field: None,
            }],
        }
    }

    #[test]
    fn deck_errors_keep_their_message_and_pick_a_code() {
        let f = failure(
            status(
                429,
                "rate_limit",
                "session_limit_exceeded",
                "Agent sandbox limit exceeded.",
            ),
            "task task_1",
        );
        assert_eq!(f.code, Code::RateLimited);
        assert!(
            f.message.contains("Agent sandbox limit exceeded."),
            "{}",
            f.message
        );
        let f = failure(
            status(404, "request", "task_not_found", "No such task"),
            "task task_9",
        );
        assert_eq!(f.code, Code::NotFound);
        // Not found is one fact (which id) and one advice, without Deck's wording of the same.
        assert_eq!(
            f.text(),
            "not_found: Deck has no task task_9. Check the id; list_agents and list_runs show the valid ones."
        );
        let f = failure(
            status(400, "request", "input_missing", "`name` is required"),
            "x",
        );
        assert_eq!(f.code, Code::InvalidArgument);
        assert!(status(503, "api", "api_error", "").transient());
        assert!(!status(400, "request", "input_missing", "").transient());
    }
}
