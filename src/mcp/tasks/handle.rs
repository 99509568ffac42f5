//! Task ids: a signed, self-describing handle instead of a task store.
//!
//! The platform already keeps every run and build durably, so a task id only has to say which
//! one it follows: platform, agent and run (with the attempt) or builder session, when it was
//! issued, for how long it holds and for whom. Sealed with a key derived from the cursor key,
//! any process with the same configuration (a replica, a restart) decodes it and asks the
//! platform, and nobody can edit it into pointing at another run. The id is signed, not
//! encrypted: it holds ids and times, never a secret.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, TimeZone, Utc};
use rmcp::{ErrorData, RoleServer, service::RequestContext};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

use crate::{
    jobs::{Id, views::run_args},
    records::cursor::CursorKey,
};

/// Marks a task id, so a cursor or any other signed text is never mistaken for one.
const PREFIX: &str = "t1.";
/// First payload byte; lets a future layout be told apart from this one.
const VERSION: u8 = 1;
/// How long a task id holds: longer than any run plus the time its records stay readable,
/// so a client that polls a day later still gets its result.
pub const TTL: chrono::Duration = chrono::Duration::days(7);

/// What a task follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// A run_agent run. `attempt` is the run's start time (Unix ms) when the task began: a
    /// restart in place (same run id) starts a new attempt, and the task of the old one stays
    /// finished.
    #[serde(rename = "r")]
    Run {
        #[serde(rename = "a")]
        agent_id: Id,
        #[serde(rename = "r")]
        run_id: Id,
        #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
        attempt: Option<i64>,
        /// run_agent returned a run that was already active (its answer says so).
        #[serde(rename = "x", default, skip_serializing_if = "std::ops::Not::not")]
        already_running: bool,
    },
    /// A build_agent build session, in the turn it was at when the task began (0: the build
    /// itself; n: after n follow-up messages): a later follow-up never changes the task.
    #[serde(rename = "b")]
    Build {
        #[serde(rename = "s")]
        session_id: String,
        #[serde(rename = "n", default, skip_serializing_if = "is_zero")]
        turn: usize,
    },
}

impl Job {
    /// How the model follows the job without the task, for messages.
    pub fn fallback(&self) -> String {
        match self {
            Job::Run {
                agent_id, run_id, ..
            } => format!(
                "run {run_id} of agent {agent_id}: call get_run_status with {}",
                run_args(agent_id, run_id)
            ),
            Job::Build { session_id, .. } => format!(
                "build session {session_id:?}: call build_agent with session_id=\"{session_id}\""
            ),
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The contents of a task id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handle {
    #[serde(rename = "j")]
    pub job: Job,
    /// The platform's backend name (`cloud`, `local`, `deck`).
    #[serde(rename = "p")]
    pub platform: String,
    /// Issue time, Unix milliseconds: the task's `createdAt` on every process.
    #[serde(rename = "i")]
    pub issued_ms: i64,
    /// Lifetime from issue, milliseconds: stated in the id so a later change of `TTL` never
    /// shortens or extends ids already handed out.
    #[serde(rename = "l")]
    pub ttl_ms: u64,
    /// Digest of the caller's credential (see `caller`).
    #[serde(rename = "c")]
    pub caller: String,
}

impl Handle {
    pub fn issued_at(&self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.issued_ms)
            .single()
            .unwrap_or_default()
    }

    fn expired(&self, now: DateTime<Utc>) -> bool {
        now.timestamp_millis() - self.issued_ms > self.ttl_ms as i64
    }
}

/// Why a task id was refused. Every case is -32602, as the extension requires.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// Altered, truncated, made up, signed elsewhere, for another caller or platform: one
    /// message for all, so a guesser learns nothing.
    Unknown,
    /// Genuine but past its lifetime; names the job so the model can follow it directly.
    Expired(Job),
}

impl From<Refused> for ErrorData {
    fn from(refused: Refused) -> Self {
        let message = match refused {
            Refused::Unknown => "unknown task id: it was altered, is not from this server, or belongs to another caller. Follow the run with get_run_status instead".to_string(),
            Refused::Expired(job) => format!(
                "the task expired (task ids hold for {} days); it followed {}",
                TTL.num_days(),
                job.fallback()
            ),
        };
        ErrorData::invalid_params(message, None)
    }
}

/// Seals and opens task ids.
#[derive(Debug, Clone)]
pub struct Sealer {
    key: CursorKey,
}

impl Sealer {
    pub fn new(cursor_key: &CursorKey) -> Self {
        Sealer {
            key: cursor_key.for_purpose("mcp-task-id"),
        }
    }

    pub fn seal(&self, handle: &Handle) -> String {
        let mut bytes = vec![VERSION];
        serde_json::to_writer(&mut bytes, handle).expect("serialising to a Vec cannot fail");
        format!("{PREFIX}{}", self.key.seal(&bytes))
    }

    /// The handle of a task id issued by this configuration to `caller` on `platform`,
    /// still within its lifetime at `now`.
    pub fn open(
        &self,
        task_id: &str,
        caller: &str,
        platform: &str,
        now: DateTime<Utc>,
    ) -> Result<Handle, Refused> {
        let bytes = task_id
            .strip_prefix(PREFIX)
            .and_then(|sealed| self.key.open(sealed))
            .ok_or(Refused::Unknown)?;
        if bytes[0] != VERSION {
            return Err(Refused::Unknown);
        }
        let handle: Handle = serde_json::from_slice(&bytes[1..]).map_err(|_| Refused::Unknown)?;
        if handle.caller != caller || handle.platform != platform {
            return Err(Refused::Unknown);
        }
        if handle.expired(now) {
            return Err(Refused::Expired(handle.job));
        }
        Ok(handle)
    }
}

/// Who is asking: in OAuth mode a digest of the signed-in user's subject, so a task id works
/// for that user across token refreshes and for no one else; otherwise a digest of the
/// request's `Authorization` header over HTTP, so it only works for the credential it was
/// issued to; `local` over stdio, where the one caller owns the process.
pub fn caller(ctx: &RequestContext<RoleServer>) -> String {
    let parts = ctx.extensions.get::<axum::http::request::Parts>();
    if let Some(user) = parts.and_then(|p| p.extensions.get::<Arc<crate::caller::Caller>>()) {
        let digest = Sha256::digest(user.subject().as_bytes());
        return format!("user:{}", URL_SAFE_NO_PAD.encode(&digest[..9]));
    }
    let authorization = parts.and_then(|p| p.headers.get(axum::http::header::AUTHORIZATION));
    match authorization {
        Some(value) => URL_SAFE_NO_PAD.encode(&Sha256::digest(value.as_bytes())[..9]),
        None => "local".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer() -> Sealer {
        Sealer::new(&CursorKey::derive(&[b"tasks-test"]))
    }

    fn handle(issued: DateTime<Utc>) -> Handle {
        Handle {
            job: Job::Run {
                agent_id: Id::Num(7),
                run_id: Id::Num(70),
                attempt: Some(1_795_000_000_000),
                already_running: false,
            },
            platform: "cloud".into(),
            issued_ms: issued.timestamp_millis(),
            ttl_ms: TTL.num_milliseconds() as u64,
            caller: "local".into(),
        }
    }

    #[test]
    fn round_trips_for_its_caller_and_platform_only() {
        let now = Utc::now();
        let id = sealer().seal(&handle(now));
        assert!(id.starts_with(PREFIX) && id.len() < 250, "{id}");
        assert_eq!(
            sealer().open(&id, "local", "cloud", now).unwrap(),
            handle(now)
        );
        for (caller, platform) in [("other", "cloud"), ("local", "local")] {
            assert_eq!(
                sealer().open(&id, caller, platform, now),
                Err(Refused::Unknown)
            );
        }
        let other_key = Sealer::new(&CursorKey::derive(&[b"elsewhere"]));
        assert_eq!(
            other_key.open(&id, "local", "cloud", now),
            Err(Refused::Unknown)
        );
        // A records cursor signed with the same cursor key is no task id.
        let cursor_key = CursorKey::derive(&[b"tasks-test"]);
        let cursor = cursor_key.seal(&[1, b'[', b']']);
        for text in [cursor.clone(), format!("{PREFIX}{cursor}")] {
            assert_eq!(
                sealer().open(&text, "local", "cloud", now),
                Err(Refused::Unknown)
            );
        }
    }

    #[test]
    fn expires_after_its_stated_lifetime_naming_the_run() {
        let issued = Utc::now() - chrono::Duration::days(8);
        let id = sealer().seal(&handle(issued));
        let refused = sealer()
            .open(&id, "local", "cloud", Utc::now())
            .unwrap_err();
        assert_eq!(refused, Refused::Expired(handle(issued).job));
        let error = ErrorData::from(refused);
        assert_eq!(error.code, rmcp::model::ErrorCode::INVALID_PARAMS);
        assert!(
            error.message.contains("agent_id=7, run_id=70"),
            "{}",
            error.message
        );
        assert!(
            sealer()
                .open(&id, "local", "cloud", issued + chrono::Duration::days(6))
                .is_ok()
        );
    }
}
