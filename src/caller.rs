//! Who one request acts for, when that is a signed-in user rather than the process.
//!
//! In OAuth mode (`serve --transport http --auth oauth`) the transport checks the user's token
//! and finds the token the Sequentum API accepts for that user (`transport::oauth`). It hands
//! both on as a [`Caller`] in the HTTP request's extensions; the MCP server runs each request's
//! handler inside [`scope`], and the layers below read it from there: the API client sends
//! the caller's upstream token (`api::Client`), and signed cursors and task ids are bound to
//! the caller's subject (`records::cursor`). A task-local rather than a parameter threaded
//! through every tool: no tool can forget it, and nothing outside a request's scope can
//! pick up another request's token.
//!
//! What the API answered about the token (401, 403 insufficient_scope) is noted on the caller,
//! so the transport can turn it into the HTTP status the MCP authorization spec asks for.

use std::{fmt, future::Future, sync::Arc, sync::Mutex};

tokio::task_local! {
    static CURRENT: Arc<Caller>;
}

/// A signed-in user of one request. `Debug` shows neither the subject nor the token.
pub struct Caller {
    subject: String,
    /// The bearer token the Sequentum API accepts for this user (exchanged or forwarded).
    upstream_token: String,
    refusal: Mutex<Option<Refusal>>,
}

/// The API's verdict on the caller's upstream token, as the transport answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 401: the token is invalid, expired or revoked; the client must sign in again.
    Unauthorized,
    /// 403 `insufficient_scope`, with the scope the API asked for when it said.
    InsufficientScope(Option<String>),
}

impl Caller {
    /// The user `subject` (the token's `sub`, issuer-qualified by the caller) whose calls go
    /// to the API with the bearer token `upstream_token`.
    pub fn new(subject: String, upstream_token: String) -> Self {
        Caller {
            subject,
            upstream_token,
            refusal: Mutex::new(None),
        }
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The bearer token the API client sends for this caller.
    pub fn upstream_token(&self) -> &str {
        &self.upstream_token
    }

    /// Records that the API refused the upstream token; the first refusal wins.
    pub fn refuse(&self, refusal: Refusal) {
        let mut slot = self.refusal.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(refusal);
    }

    /// What the API refused during this request, if anything.
    pub fn refusal(&self) -> Option<Refusal> {
        self.refusal
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl fmt::Debug for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Caller(<redacted>)")
    }
}

/// Runs `work` on behalf of `caller` (or of the process, when `None`).
pub async fn scope<F: Future>(caller: Option<Arc<Caller>>, work: F) -> F::Output {
    match caller {
        Some(caller) => CURRENT.scope(caller, work).await,
        None => work.await,
    }
}

/// The caller of the request being served, if it is a signed-in user.
pub fn current() -> Option<Arc<Caller>> {
    CURRENT.try_with(Arc::clone).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_caller_is_seen_only_inside_its_scope() {
        assert!(current().is_none());
        let alice = Arc::new(Caller::new("alice".into(), "t".into()));
        let seen = scope(Some(alice.clone()), async {
            current().map(|c| c.subject().to_owned())
        })
        .await;
        assert_eq!(seen.as_deref(), Some("alice"));
        assert!(current().is_none());
        assert!(scope(None, async { current().is_none() }).await);
        alice.refuse(Refusal::InsufficientScope(Some("agents:write".into())));
        alice.refuse(Refusal::Unauthorized);
        assert_eq!(
            alice.refusal(),
            Some(Refusal::InsufficientScope(Some("agents:write".into())))
        );
        assert_eq!(format!("{alice:?}"), "Caller(<redacted>)");
    }
}
