//! Agent Builder sessions and their event logs.

use rusqlite::{OptionalExtension, params};
use serde_json::{Map, Value};

use super::{Cached, Store, StoreResult, now_text, parse_time};
use crate::api::types::{BuilderEvent, BuilderMissingField, Timestamp, builder_state};

/// A builder session as stored.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: String,
    pub status: String,
    pub agent_id: Option<i64>,
    pub agent_name: Option<String>,
    pub error: Option<String>,
    pub sample_records: Option<Vec<Value>>,
    /// Requested fields the agent lacks, with candidates; emptied as follow-ups add them.
    pub missing_fields: Vec<BuilderMissingField>,
    pub created: Option<Timestamp>,
    pub finished: Option<Timestamp>,
    /// Index of the newest event, -1 when there is none.
    pub last_event_index: i64,
}

/// How a session ended.
pub struct SessionEnd<'a> {
    pub status: &'a str,
    pub agent_id: Option<i64>,
    pub agent_name: Option<&'a str>,
    pub error: Option<&'a str>,
    pub sample_records: Option<&'a [Map<String, Value>]>,
    pub missing_fields: &'a [BuilderMissingField],
}

impl Store {
    pub fn create_session(&self, id: &str, prompt: &str, space_id: Option<i64>) -> StoreResult<()> {
        self.db().exec(
            "INSERT INTO builder_sessions (id, prompt, space_id, status, created) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, prompt, space_id, builder_state::PROCESSING, now_text()],
        )?;
        Ok(())
    }

    pub fn session(&self, id: &str) -> StoreResult<Option<SessionRow>> {
        let db = self.db();
        let row = db
            .row(
                "SELECT id, status, agent_id, agent_name, error, sample_records, created, finished,
                 COALESCE((SELECT MAX(event_index) FROM builder_events e WHERE e.session_id = s.id), -1),
                 missing_fields
                 FROM builder_sessions s WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        SessionRow {
                            id: r.get(0)?,
                            status: r.get(1)?,
                            agent_id: r.get(2)?,
                            agent_name: r.get(3)?,
                            error: r.get(4)?,
                            sample_records: None,
                            missing_fields: Vec::new(),
                            created: parse_time(r.get(6)?),
                            finished: parse_time(r.get(7)?),
                            last_event_index: r.get(8)?,
                        },
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, Option<String>>(9)?,
                    ))
                },
            )
            .optional()?;
        drop(db);
        let Some((mut session, samples, missing)) = row else {
            return Ok(None);
        };
        if let Some(text) = samples {
            session.sample_records = Some(serde_json::from_str(&text)?);
        }
        if let Some(text) = missing {
            session.missing_fields = serde_json::from_str(&text)?;
        }
        Ok(Some(session))
    }

    /// Appends an event and returns its index (0, 1, 2 ... per session).
    pub fn add_event(
        &self,
        session_id: &str,
        kind: &str,
        payload: &Map<String, Value>,
    ) -> StoreResult<i64> {
        let text = serde_json::to_string(payload)?;
        let db = self.db();
        let index: i64 = db.row(
            "INSERT INTO builder_events (session_id, event_index, kind, timestamp, payload)
             VALUES (?1, (SELECT COALESCE(MAX(event_index), -1) + 1 FROM builder_events WHERE session_id = ?1), ?2, ?3, ?4)
             RETURNING event_index",
            params![session_id, kind, now_text(), text],
            |r| r.get(0),
        )?;
        Ok(index)
    }

    /// Events with an index above `after`, oldest first, at most `limit`.
    pub fn events_after(
        &self,
        session_id: &str,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<BuilderEvent>> {
        let db = self.db();
        let mut stmt = db.prepare_cached(
            "SELECT kind, timestamp, event_index, payload FROM builder_events WHERE session_id = ?1 AND event_index > ?2 ORDER BY event_index LIMIT ?3",
        )?;
        let rows: Vec<(String, Option<String>, i64, String)> = stmt
            .query_map(params![session_id, after, limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        drop(stmt);
        drop(db);
        rows.into_iter()
            .map(|(kind, timestamp, event_index, payload)| {
                Ok(BuilderEvent {
                    kind,
                    timestamp: parse_time(timestamp),
                    event_index,
                    payload: serde_json::from_str(&payload)?,
                })
            })
            .collect()
    }

    /// Ends a session that is still processing; returns false (and changes nothing) when it
    /// had already ended, so a late build result never overwrites a cancellation.
    pub fn finish_session(&self, id: &str, end: &SessionEnd<'_>) -> StoreResult<bool> {
        let samples = end.sample_records.map(serde_json::to_string).transpose()?;
        let missing = serde_json::to_string(end.missing_fields)?;
        let changed = self.db().exec(
            "UPDATE builder_sessions SET status = ?2, agent_id = ?3, agent_name = ?4, error = ?5, sample_records = ?6, finished = ?7, missing_fields = ?9
             WHERE id = ?1 AND status = ?8",
            params![
                id,
                end.status,
                end.agent_id,
                end.agent_name,
                end.error,
                samples,
                now_text(),
                builder_state::PROCESSING,
                missing
            ],
        )?;
        Ok(changed > 0)
    }

    /// Replaces what a session says its agent lacks: a follow-up that adds a field settles it.
    pub fn set_missing_fields(&self, id: &str, missing: &[BuilderMissingField]) -> StoreResult<()> {
        let text = serde_json::to_string(missing)?;
        self.db().exec(
            "UPDATE builder_sessions SET missing_fields = ?2 WHERE id = ?1",
            params![id, text],
        )?;
        Ok(())
    }
}
