//! The engine's persistent state in one SQLite file (WAL mode): agents and their versions,
//! runs with their counters, extracted records, run files, and Agent Builder sessions with
//! their events. Everything survives a restart; runs and builds that were active when the
//! engine went away are marked failed at the next start (`local::recovery`).
//!
//! One connection sits behind a std `Mutex`. Every method takes the lock for one short,
//! blocking statement or transaction and never across an `.await`, so async callers may call
//! these methods directly.

mod agents;
mod lost_pages;
mod page_log;
mod records;
mod run_analytics;
mod runs;
mod schedules;
mod sessions;
mod spaces;

use std::{
    path::Path,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use rusqlite::{Connection, Params, Row};

use crate::api::types::Timestamp;

pub use agents::{AgentFilter, NameTaken, VersionInfo};
pub use lost_pages::LostPage;
pub use runs::{Counters, InterruptedRun, NewRun, StoredFile};
pub use schedules::StoredSchedule;
pub use sessions::{SessionEnd, SessionRow};

/// Message left on runs that were active when the engine stopped.
pub const RUN_RECOVERY_MESSAGE: &str = "The engine stopped while this run was active (crash or shutdown); the records it had extracted are kept in its files. The engine did not record where it stopped, so it cannot resume: start a new run.";

/// Message left on builder sessions that were processing when the engine stopped.
pub const SESSION_RECOVERY_MESSAGE: &str = "The engine stopped while this build was in progress (crash or shutdown); start a new build with the same prompt.";

/// A storage failure, worded for the person or model that will read it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the local engine's database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("a stored value could not be read back: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the local engine's database file could not be created: {0}")]
    Create(std::io::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS agents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT,
    space_id    INTEGER,
    version     INTEGER NOT NULL,
    start_url   TEXT,
    created     TEXT NOT NULL,
    updated     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agent_versions (
    agent_id   INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    definition TEXT NOT NULL,
    comments   TEXT,
    user_name  TEXT,
    created    TEXT NOT NULL,
    PRIMARY KEY (agent_id, version)
);
CREATE TABLE IF NOT EXISTS runs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id         INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    agent_name       TEXT NOT NULL,
    agent_version    INTEGER NOT NULL,
    space_id         INTEGER,
    status           INTEGER NOT NULL,
    message          TEXT,
    input_parameters TEXT,
    parallelism      INTEGER NOT NULL DEFAULT 1,
    created          TEXT NOT NULL,
    start_time       TEXT,
    end_time         TEXT,
    action_count     INTEGER NOT NULL DEFAULT 0,
    page_count       INTEGER NOT NULL DEFAULT 0,
    request_count    INTEGER NOT NULL DEFAULT 0,
    data_count       INTEGER NOT NULL DEFAULT 0,
    error_count      INTEGER NOT NULL DEFAULT 0,
    export_count     INTEGER,
    traffic          INTEGER NOT NULL DEFAULT 0,
    run_time_sec     INTEGER
);
CREATE INDEX IF NOT EXISTS runs_by_agent ON runs(agent_id, id);
CREATE TABLE IF NOT EXISTS files (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    file_type INTEGER NOT NULL,
    name      TEXT NOT NULL,
    path      TEXT NOT NULL,
    size      INTEGER NOT NULL DEFAULT 0,
    created   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_run ON files(run_id);
CREATE TABLE IF NOT EXISTS builder_sessions (
    id             TEXT PRIMARY KEY,
    prompt         TEXT NOT NULL,
    space_id       INTEGER,
    status         TEXT NOT NULL,
    agent_id       INTEGER,
    agent_name     TEXT,
    error          TEXT,
    sample_records TEXT,
    created        TEXT NOT NULL,
    finished       TEXT
);
CREATE TABLE IF NOT EXISTS builder_events (
    session_id  TEXT NOT NULL REFERENCES builder_sessions(id) ON DELETE CASCADE,
    event_index INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    timestamp   TEXT NOT NULL,
    payload     TEXT NOT NULL,
    PRIMARY KEY (session_id, event_index)
);
"#;

/// Columns added to tables after their first release, as (table, column, declaration).
/// `CREATE TABLE IF NOT EXISTS` leaves an existing database's tables as they were, so each
/// added column is also added here, where opening an older database adds it in place.
const ADDED_COLUMNS: &[(&str, &str, &str)] = &[
    ("agents", "archived", "INTEGER NOT NULL DEFAULT 0"),
    ("runs", "schedule_id", "INTEGER"),
    ("runs", "lost_pages", "INTEGER NOT NULL DEFAULT 0"),
    ("builder_sessions", "missing_fields", "TEXT"),
];

/// Adds `column` to `table` unless a previous open already did.
fn add_column_if_missing(
    conn: &Connection,
    table: &str,
    column: &str,
    declaration: &str,
) -> rusqlite::Result<()> {
    let present: bool = conn.query_row(
        "SELECT COUNT(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2",
        rusqlite::params![table, column],
        |r| r.get(0),
    )?;
    if !present {
        conn.execute_batch(&format!(
            "ALTER TABLE {table} ADD COLUMN {column} {declaration}"
        ))?;
    }
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database at `path`, in WAL mode. A new database is
    /// created 0600; SQLite gives its journal files the database's permissions.
    pub fn open(path: &Path) -> StoreResult<Store> {
        crate::private::options()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(StoreError::Create)?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // journal_mode answers with the mode in effect, so it is read as a query.
        let _mode: String = conn.row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;")?;
        // A checkpoint runs inside whichever commit crosses the limit, under the store's lock,
        // and ends with two fsyncs; at SQLite's default of 1,000 pages that was every ~200
        // run pages. Checkpoints change nothing about what a commit keeps (the WAL is as
        // durable as the database file), so they are made rarer: the WAL grows to about 16 MiB
        // before its frames are copied back, and a page rewritten by many commits (a run's
        // counters, the tail of its records) is copied back once per checkpoint.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)?;
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(page_log::SCHEMA)?;
        conn.execute_batch(records::SCHEMA)?;
        records::migrate_record_rows(&conn)?;
        conn.execute_batch(spaces::SCHEMA)?;
        for (table, column, declaration) in ADDED_COLUMNS {
            add_column_if_missing(&conn, table, column, declaration)?;
        }
        conn.execute_batch(schedules::SCHEMA)?;
        conn.execute_batch(lost_pages::SCHEMA)?;
        // Every statement goes through the cache (see [`Cached`]); room for all of them, the
        // few built per filter or status list included, so none is prepared twice per page.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// The connection, for one short blocking section. A panic while the lock was held leaves
    /// SQLite itself consistent (statements are atomic), so a poisoned lock is taken over.
    fn db(&self) -> MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Marks builds that were processing when the engine last stopped as failed, so no
    /// client waits forever on work that no process is doing. Returns how many.
    pub fn recover_sessions(&self) -> StoreResult<usize> {
        Ok(self.db().exec(
            "UPDATE builder_sessions SET status = 'error', error = ?1, finished = ?2 WHERE status = 'processing'",
            rusqlite::params![SESSION_RECOVERY_MESSAGE, now_text()],
        )?)
    }
}

/// Database pages (4 KiB) the WAL holds before a checkpoint copies them back.
const WAL_CHECKPOINT_PAGES: i64 = 4096;

/// Prepared statements kept per connection: more than the store has distinct statements.
const STATEMENT_CACHE: usize = 128;

/// `execute` and `query_row` through the connection's statement cache, so SQLite parses and
/// plans each statement once per connection instead of on every call (the runner writes a
/// page many times a second). A `Transaction` reaches these through its `Deref` to the
/// connection, so statements prepared inside a transaction are cached too.
trait Cached {
    fn exec<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn exec<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

/// Runs `f` in one transaction whose `BEGIN` and `COMMIT` come from the statement cache
/// (rusqlite's `Transaction` parses both anew each time, a cost the per-page commit paid many
/// times a second). An error, or a panic, in `f` or in the commit rolls it all back.
fn in_transaction<T>(
    db: &Connection,
    f: impl FnOnce(&Connection) -> StoreResult<T>,
) -> StoreResult<T> {
    /// Rolls back whatever is still open when it is dropped: nothing once the commit is done.
    struct Open<'c>(&'c Connection);
    impl Drop for Open<'_> {
        fn drop(&mut self) {
            if !self.0.is_autocommit() {
                let _ = self.0.exec("ROLLBACK", []);
            }
        }
    }
    db.exec("BEGIN", [])?;
    let open = Open(db);
    let value = f(open.0)?;
    open.0.exec("COMMIT", [])?;
    Ok(value)
}

/// Times are stored as RFC 3339 text in UTC with milliseconds, which also sorts correctly.
fn now_text() -> String {
    Timestamp::now().to_rfc3339()
}

fn parse_time(text: Option<String>) -> Option<Timestamp> {
    text.as_deref().and_then(Timestamp::parse_lenient)
}

/// What tests of the store's users share.
#[cfg(test)]
pub(crate) mod testing {
    use super::{NewRun, Store};
    use crate::local::definition::AgentDefinition;

    /// A definition whose records have one field, `n` (the record's text).
    pub(crate) fn definition() -> AgentDefinition {
        serde_json::from_value(serde_json::json!({
            "start_urls": ["http://shop.test/"],
            "record_selector": "li",
            "fields": [{"name": "n", "selector": ""}]
        }))
        .unwrap()
    }

    /// A Running run of a new agent named `name` with [`definition`]; returns the agent's
    /// id and the run's id.
    pub(crate) fn running_run(store: &Store, name: &str) -> (i64, i64) {
        let agent_id = store
            .create_agent(name, None, None, &definition(), None)
            .unwrap()
            .unwrap();
        let run = store
            .create_run(&NewRun {
                agent_id,
                agent_name: name,
                agent_version: 1,
                space_id: None,
                status: crate::api::types::RunStatus::RUNNING,
                input_parameters: None,
                parallelism: 1,
                schedule_id: None,
            })
            .unwrap();
        (agent_id, run.id)
    }
}
