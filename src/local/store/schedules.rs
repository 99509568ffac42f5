//! Schedules: each keeps the request that made it (the wire body, normalised) and the time
//! it fires next, which the scheduler moves on after every firing, so a restart neither
//! forgets a schedule nor replays every slot it missed.

use rusqlite::{OptionalExtension, Row, params};

use super::{Cached, Store, StoreResult, now_text, parse_time};
use crate::api::{schedules::ScheduleRequest, types::Timestamp};

/// Appended to the store's schema at open.
pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS schedules (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id      INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    request       TEXT NOT NULL,
    is_enabled    INTEGER NOT NULL,
    next_run_time TEXT,
    created       TEXT NOT NULL,
    updated       TEXT
);
CREATE INDEX IF NOT EXISTS schedules_by_next ON schedules(is_enabled, next_run_time);
"#;

/// A schedule as stored.
#[derive(Debug, Clone)]
pub struct StoredSchedule {
    pub id: i64,
    pub agent_id: i64,
    pub request: ScheduleRequest,
    pub enabled: bool,
    pub next_run: Option<Timestamp>,
    pub created: Option<Timestamp>,
    pub updated: Option<Timestamp>,
}

const COLUMNS: &str = "id, agent_id, request, is_enabled, next_run_time, created, updated";

fn from_row(row: &Row<'_>) -> rusqlite::Result<StoredSchedule> {
    let request: String = row.get("request")?;
    Ok(StoredSchedule {
        id: row.get("id")?,
        agent_id: row.get("agent_id")?,
        request: serde_json::from_str(&request).unwrap_or_default(),
        enabled: row.get("is_enabled")?,
        next_run: parse_time(row.get("next_run_time")?),
        created: parse_time(row.get("created")?),
        updated: parse_time(row.get("updated")?),
    })
}

fn time(t: Option<Timestamp>) -> Option<String> {
    t.map(Timestamp::to_rfc3339)
}

impl Store {
    fn schedules_where(
        &self,
        filter: &str,
        args: impl rusqlite::Params,
    ) -> StoreResult<Vec<StoredSchedule>> {
        let db = self.db();
        let mut stmt = db.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM schedules WHERE {filter} ORDER BY id"
        ))?;
        let rows = stmt.query_map(args, from_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn create_schedule(
        &self,
        agent_id: i64,
        request: &ScheduleRequest,
        next_run: Option<Timestamp>,
    ) -> StoreResult<StoredSchedule> {
        let id = {
            let db = self.db();
            db.exec(
                "INSERT INTO schedules (agent_id, request, is_enabled, next_run_time, created) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![agent_id, serde_json::to_string(request)?, request.is_enabled, time(next_run), now_text()],
            )?;
            db.last_insert_rowid()
        };
        Ok(self
            .schedule(agent_id, id)?
            .expect("the schedule just inserted"))
    }

    /// Replaces a schedule's request; `None` if the agent has no such schedule.
    pub fn replace_schedule(
        &self,
        agent_id: i64,
        id: i64,
        request: &ScheduleRequest,
        next_run: Option<Timestamp>,
    ) -> StoreResult<Option<StoredSchedule>> {
        let changed = self.db().exec(
            "UPDATE schedules SET request = ?3, is_enabled = ?4, next_run_time = ?5, updated = ?6 WHERE id = ?1 AND agent_id = ?2",
            params![id, agent_id, serde_json::to_string(request)?, request.is_enabled, time(next_run), now_text()],
        )?;
        if changed == 0 {
            return Ok(None);
        }
        self.schedule(agent_id, id)
    }

    pub fn schedule(&self, agent_id: i64, id: i64) -> StoreResult<Option<StoredSchedule>> {
        Ok(self
            .db()
            .row(
                &format!("SELECT {COLUMNS} FROM schedules WHERE id = ?1 AND agent_id = ?2"),
                [id, agent_id],
                from_row,
            )
            .optional()?)
    }

    pub fn schedules(&self, agent_id: i64) -> StoreResult<Vec<StoredSchedule>> {
        self.schedules_where("agent_id = ?1", [agent_id])
    }

    /// Enabled schedules that will fire again.
    pub fn enabled_schedules(&self) -> StoreResult<Vec<StoredSchedule>> {
        self.schedules_where("is_enabled = 1 AND next_run_time IS NOT NULL", [])
    }

    /// Enabled schedules due at `now`.
    pub fn due_schedules(&self, now: Timestamp) -> StoreResult<Vec<StoredSchedule>> {
        self.schedules_where(
            "is_enabled = 1 AND next_run_time IS NOT NULL AND next_run_time <= ?1",
            [now.to_rfc3339()],
        )
    }

    /// When the earliest enabled schedule fires.
    pub fn earliest_next_run(&self) -> StoreResult<Option<Timestamp>> {
        let text: Option<String> = self.db().row(
            "SELECT MIN(next_run_time) FROM schedules WHERE is_enabled = 1",
            [],
            |r| r.get(0),
        )?;
        Ok(parse_time(text))
    }

    /// Sets whether a schedule fires and when next; false if the agent has no such schedule.
    pub fn set_schedule_state(
        &self,
        agent_id: i64,
        id: i64,
        enabled: bool,
        next_run: Option<Timestamp>,
    ) -> StoreResult<bool> {
        let db = self.db();
        let mut request: ScheduleRequest = match db
            .row(
                "SELECT request FROM schedules WHERE id = ?1 AND agent_id = ?2",
                [id, agent_id],
                |r| r.get::<_, String>(0),
            )
            .optional()?
        {
            Some(text) => serde_json::from_str(&text)?,
            None => return Ok(false),
        };
        request.is_enabled = enabled;
        db.exec(
            "UPDATE schedules SET request = ?2, is_enabled = ?3, next_run_time = ?4, updated = ?5 WHERE id = ?1",
            params![id, serde_json::to_string(&request)?, enabled, time(next_run), now_text()],
        )?;
        Ok(true)
    }

    /// Moves a schedule's next firing (after it fired).
    pub fn set_next_run(&self, id: i64, next_run: Option<Timestamp>) -> StoreResult<()> {
        self.db().exec(
            "UPDATE schedules SET next_run_time = ?2 WHERE id = ?1",
            params![id, time(next_run)],
        )?;
        Ok(())
    }

    pub fn delete_schedule(&self, agent_id: i64, id: i64) -> StoreResult<bool> {
        Ok(self.db().exec(
            "DELETE FROM schedules WHERE id = ?1 AND agent_id = ?2",
            [id, agent_id],
        )? > 0)
    }

    /// A run the schedule started that is still active.
    pub fn active_scheduled_run(&self, schedule_id: i64) -> StoreResult<Option<i64>> {
        Ok(self
            .db()
            .row(
                &format!(
                    "SELECT id FROM runs WHERE schedule_id = ?1 AND status IN ({}) ORDER BY id DESC LIMIT 1",
                    super::runs::ACTIVE_STATUSES
                ),
                [schedule_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}
