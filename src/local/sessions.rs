//! Agent Builder sessions: each build runs in its own task, every note the builder makes is
//! stored as an event that clients read with a long-polling cursor, and a successful build is
//! saved as a new agent (version 1).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Map, Value, json};
use tokio::sync::{Notify, mpsc};
use tokio_util::{sync::CancellationToken, task::TaskTracker};

use super::{
    builder::{BuilderNote, Refined, build_agent, refine_agent},
    fetch::Fetcher,
    store::{SessionEnd, SessionRow, Store, StoreResult},
};
use crate::api::types::{BuilderEvents, builder_state};

/// Most events returned by one events call.
const MAX_EVENTS_PER_CALL: i64 = 200;

/// A handle on the builder sessions; cheap to clone.
#[derive(Clone)]
pub struct Sessions {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    fetcher: Fetcher,
    /// Woken when any session gains an event or ends, for long-polling readers.
    changed: Notify,
    cancels: Mutex<HashMap<String, CancellationToken>>,
    shutdown: CancellationToken,
    tasks: TaskTracker,
}

impl Sessions {
    pub fn new(
        store: Store,
        fetcher: Fetcher,
        shutdown: CancellationToken,
        tasks: TaskTracker,
    ) -> Sessions {
        Sessions {
            inner: Arc::new(Inner {
                store,
                fetcher,
                changed: Notify::new(),
                cancels: Mutex::new(HashMap::new()),
                shutdown,
                tasks,
            }),
        }
    }

    /// Opens a session and starts building in the background; returns the session id.
    /// `agent_name` overrides the name the builder would choose.
    pub fn start(
        &self,
        prompt: &str,
        space_id: Option<i64>,
        agent_name: Option<&str>,
    ) -> StoreResult<String> {
        let id = format!("local-{}", crate::random::hex(12));
        let store = &self.inner.store;
        store.create_session(&id, prompt, space_id)?;
        store.add_event(
            &id,
            "session_started",
            &payload(json!({"sessionId": id, "mode": "prompt"})),
        )?;
        store.add_event(&id, "user_prompt", &payload(json!({"prompt": prompt})))?;
        let cancel = self.inner.shutdown.child_token();
        self.inner
            .cancels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.clone(), cancel.clone());
        self.inner.tasks.spawn(build_task(
            self.inner.clone(),
            id.clone(),
            prompt.to_string(),
            space_id,
            agent_name.map(str::to_string),
            cancel,
        ));
        Ok(id)
    }

    pub fn status(&self, id: &str) -> StoreResult<Option<SessionRow>> {
        self.inner.store.session(id)
    }

    /// Cancels a build that is still processing; no effect once the session has ended.
    /// `None` when there is no such session.
    pub fn stop(&self, id: &str) -> StoreResult<Option<()>> {
        if self.inner.store.session(id)?.is_none() {
            return Ok(None);
        }
        let ended = self.inner.store.finish_session(
            id,
            &SessionEnd {
                status: builder_state::CANCELLED,
                agent_id: None,
                agent_name: None,
                error: None,
                sample_records: None,
                missing_fields: &[],
            },
        )?;
        if ended {
            if let Some(cancel) = self
                .inner
                .cancels
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(id)
            {
                cancel.cancel();
            }
            self.inner.changed.notify_waiters();
        }
        Ok(Some(()))
    }

    /// Events after `after`; when there are none and the session is still processing, holds
    /// the request up to `hold` for one to arrive. `None` when there is no such session.
    pub async fn events(
        &self,
        id: &str,
        after: i64,
        hold: Duration,
    ) -> StoreResult<Option<BuilderEvents>> {
        let deadline = tokio::time::Instant::now() + hold;
        loop {
            // Registered before reading, so an event stored in between still wakes us.
            let notified = self.inner.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let Some(session) = self.inner.store.session(id)? else {
                return Ok(None);
            };
            let events = self
                .inner
                .store
                .events_after(id, after, MAX_EVENTS_PER_CALL)?;
            let finished = session.status != builder_state::PROCESSING;
            if !events.is_empty() || finished {
                let last_event_index = events.last().map_or(after, |e| e.event_index);
                return Ok(Some(BuilderEvents {
                    events,
                    last_event_index,
                }));
            }
            tokio::select! {
                _ = notified => {}
                _ = tokio::time::sleep_until(deadline) => {
                    return Ok(Some(BuilderEvents { events: Vec::new(), last_event_index: after }));
                }
                _ = self.inner.shutdown.cancelled() => {
                    return Ok(Some(BuilderEvents { events: Vec::new(), last_event_index: after }));
                }
            }
        }
    }
}

/// A follow-up applied to the agent a session built, saved as its next version.
#[derive(Debug, Clone)]
pub struct Refinement {
    pub agent_id: i64,
    pub version: i64,
    pub refined: Refined,
}

impl Sessions {
    /// Applies a follow-up `message` ("add the rating", "first page only", "skip sponsored")
    /// to the agent the completed session `id` built, tests it on the agent's start page and
    /// saves it as the agent's next version, with the message as the version's comment. The
    /// exchange is added to the session's events. The error says what to do instead.
    pub async fn refine(&self, id: &str, message: &str) -> Result<Refinement, String> {
        let store = &self.inner.store;
        let session = store
            .session(id)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("There is no builder session {id}."))?;
        let agent_id = session.agent_id.filter(|_| session.status == builder_state::COMPLETED).ok_or_else(|| {
            format!("Session {id} has not built an agent (it is {}); only a completed build can be refined.", session.status)
        })?;
        let (_, current) = store
            .current_definition(agent_id)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("Agent {agent_id}, built by session {id}, no longer exists."))?;
        self.inner.record(
            id,
            "user_message",
            &payload(json!({"message": message, "role": "user"})),
        );
        let refined = match refine_agent(&current, message, &self.inner.fetcher).await {
            Ok(r) => r,
            Err(e) => {
                self.inner.record(
                    id,
                    "error",
                    &payload(json!({"message": e, "isRecoverable": true})),
                );
                return Err(e);
            }
        };
        let version = store
            .add_version(agent_id, &refined.definition, Some(message))
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("Agent {agent_id} no longer exists."))?;
        let still_missing: Vec<_> = session
            .missing_fields
            .iter()
            .filter(|m| !refined.definition.fields.iter().any(|f| f.name == m.field))
            .cloned()
            .collect();
        if still_missing.len() != session.missing_fields.len()
            && let Err(e) = store.set_missing_fields(id, &still_missing)
        {
            tracing::warn!(session = id, error = %e, "missing fields not updated");
        }
        self.inner.record(
            id,
            "completed",
            &payload(json!({
                "message": format!("{} Saved as version {version} with {} sample record(s).", refined.changes.join(" "), refined.sample_records.len()),
                "agentId": agent_id,
                "version": version,
            })),
        );
        Ok(Refinement {
            agent_id,
            version,
            refined,
        })
    }
}

fn payload(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl Inner {
    fn record(&self, id: &str, kind: &str, payload: &Map<String, Value>) {
        if let Err(e) = self.store.add_event(id, kind, payload) {
            tracing::warn!(session = id, error = %e, "builder event not stored");
        }
        self.changed.notify_waiters();
    }

    fn finish(&self, id: &str, end: &SessionEnd<'_>) {
        if let Err(e) = self.store.finish_session(id, end) {
            tracing::warn!(session = id, error = %e, "builder session end not stored");
        }
        self.cancels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
        self.changed.notify_waiters();
    }
}

async fn build_task(
    inner: Arc<Inner>,
    id: String,
    prompt: String,
    space_id: Option<i64>,
    agent_name: Option<String>,
    cancel: CancellationToken,
) {
    let (notes, mut incoming) = mpsc::unbounded_channel::<BuilderNote>();
    let build = build_agent(&prompt, &inner.fetcher, notes, cancel.clone());
    tokio::pin!(build);
    let result = loop {
        tokio::select! {
            result = &mut build => break result,
            Some(note) = incoming.recv() => inner.record(&id, &note.kind, &note.payload),
        }
    };
    while let Ok(note) = incoming.try_recv() {
        inner.record(&id, &note.kind, &note.payload);
    }
    if inner.shutdown.is_cancelled() {
        // Left processing; the next start marks it as an error.
        return;
    }
    if cancel.is_cancelled() {
        // The stop endpoint already ended the session as cancelled.
        return;
    }
    match result {
        Ok(outcome) => {
            let saved = inner.store.create_agent_unique(
                agent_name.as_deref().unwrap_or(&outcome.name),
                space_id,
                &outcome.definition,
                "Created by the Agent Builder",
            );
            match saved {
                Ok((agent_id, name)) => {
                    let wanted = agent_name.as_deref().unwrap_or(&outcome.name).trim();
                    // A silently changed name would leave the user looking for the wrong agent.
                    let renamed = if name == wanted {
                        String::new()
                    } else {
                        format!(
                            " An agent named {wanted:?} already exists, so this one is named {name:?}."
                        )
                    };
                    inner.record(
                        &id,
                        "completed",
                        &payload(json!({
                            "message": format!("Saved agent {name:?} (id {agent_id}) with {} sample record(s).{renamed}{}", outcome.sample_records.len(), outcome.missing_note.as_ref().map_or(String::new(), |m| format!(" {m}"))),
                            "agentId": agent_id,
                            "agentName": name,
                        })),
                    );
                    inner.finish(
                        &id,
                        &SessionEnd {
                            status: builder_state::COMPLETED,
                            agent_id: Some(agent_id),
                            agent_name: Some(&name),
                            error: None,
                            sample_records: Some(&outcome.sample_records),
                            missing_fields: &outcome.missing_fields,
                        },
                    );
                }
                Err(e) => fail(
                    &inner,
                    &id,
                    &format!("The agent was built but could not be saved: {e}"),
                ),
            }
        }
        Err(message) => fail(&inner, &id, &message),
    }
}

fn fail(inner: &Inner, id: &str, message: &str) {
    inner.record(
        id,
        "error",
        &payload(json!({"message": message, "isRecoverable": false})),
    );
    inner.finish(
        id,
        &SessionEnd {
            status: builder_state::ERROR,
            agent_id: None,
            agent_name: None,
            error: Some(message),
            sample_records: None,
            missing_fields: &[],
        },
    );
}
