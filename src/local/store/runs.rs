//! Runs, their counters, their extracted records and their files.

use std::path::PathBuf;

use rusqlite::{OptionalExtension, Row, params};

use super::{Cached, Store, StoreResult, in_transaction, now_text, parse_time};
use crate::{
    api::analytics::PageTraceWire,
    api::types::{AgentRun, RunFile, RunStatus, Timestamp, file_type},
    local::definition::AgentDefinition,
};

/// What a run has done so far; persisted with each commit of pages so status polls see it move.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub actions: i64,
    pub pages: i64,
    pub requests: i64,
    pub records: i64,
    pub errors: i64,
    pub traffic: i64,
}

/// A run file as stored: its wire description and where its bytes are.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub file: RunFile,
    pub run_id: i64,
    pub path: PathBuf,
}

const RUN_COLUMNS: &str = "id, agent_id, agent_name, agent_version, space_id, status, message, parallelism, created, start_time, end_time, action_count, page_count, request_count, data_count, error_count, export_count, traffic, run_time_sec, schedule_id, lost_pages";

fn run_from_row(row: &Row<'_>) -> rusqlite::Result<AgentRun> {
    Ok(AgentRun {
        id: row.get("id")?,
        config_id: row.get("agent_id")?,
        config_name: row.get("agent_name")?,
        space_id: row.get("space_id")?,
        parallelism: row.get("parallelism")?,
        parallel_export: Some("Combined".into()),
        start_time: parse_time(row.get("start_time")?),
        end_time: parse_time(row.get("end_time")?),
        created: parse_time(row.get("created")?),
        status: Some(RunStatus(row.get("status")?).into()),
        message: row.get("message")?,
        config_version: row.get("agent_version")?,
        action_count: row.get("action_count")?,
        page_count: row.get("page_count")?,
        dynamic_page_count: Some(0),
        request_count: row.get("request_count")?,
        data_count: row.get("data_count")?,
        input_count: Some(0),
        error_count: row.get("error_count")?,
        export_count: row.get("export_count")?,
        traffic: row.get("traffic")?,
        run_time_sec: row.get("run_time_sec")?,
        server_name: Some("local".into()),
        table_type: Some("run".into()),
        schedule_id: row.get("schedule_id")?,
        lost_page_count: Some(row.get("lost_pages")?),
    })
}

fn file_from_row(row: &Row<'_>) -> rusqlite::Result<StoredFile> {
    Ok(StoredFile {
        file: RunFile {
            id: row.get("id")?,
            file_type: row.get("file_type")?,
            name: row.get("name")?,
            file_size: row.get("size")?,
            created: parse_time(row.get("created")?),
        },
        run_id: row.get("run_id")?,
        path: PathBuf::from(row.get::<_, String>("path")?),
    })
}

fn file_paths(db: &rusqlite::Connection, run_id: i64) -> rusqlite::Result<Vec<PathBuf>> {
    let mut stmt = db.prepare_cached("SELECT path FROM files WHERE run_id = ?1")?;
    stmt.query_map([run_id], |r| r.get::<_, String>(0).map(PathBuf::from))?
        .collect()
}

/// Statuses of a run that some engine is still working on (Running, Exporting, Starting,
/// Queuing, Stopping, Waiting).
pub(super) const ACTIVE_STATUSES: &str = "1, 2, 3, 4, 5, 12";

/// A run left active by an engine that went away.
pub struct InterruptedRun {
    pub run_id: i64,
    pub agent_name: String,
    /// The definition the run ran with; `None` if its agent version is gone.
    pub definition: Option<AgentDefinition>,
}

fn write_counters(db: &rusqlite::Connection, run_id: i64, c: &Counters) -> rusqlite::Result<()> {
    db.exec(
        "UPDATE runs SET action_count = ?2, page_count = ?3, request_count = ?4, data_count = ?5, error_count = ?6, traffic = ?7 WHERE id = ?1",
        params![run_id, c.actions, c.pages, c.requests, c.records, c.errors, c.traffic],
    )?;
    Ok(())
}

/// What a new run is made of.
pub struct NewRun<'a> {
    pub agent_id: i64,
    pub agent_name: &'a str,
    pub agent_version: i64,
    pub space_id: Option<i64>,
    pub status: RunStatus,
    pub input_parameters: Option<&'a str>,
    pub parallelism: i64,
    /// The schedule that started the run, if one did.
    pub schedule_id: Option<i64>,
}

impl Store {
    pub fn create_run(&self, run: &NewRun<'_>) -> StoreResult<AgentRun> {
        let db = self.db();
        db.exec(
            "INSERT INTO runs (agent_id, agent_name, agent_version, space_id, status, input_parameters, parallelism, created, schedule_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                run.agent_id,
                run.agent_name,
                run.agent_version,
                run.space_id,
                run.status.0,
                run.input_parameters,
                run.parallelism,
                now_text(),
                run.schedule_id
            ],
        )?;
        let id = db.last_insert_rowid();
        Ok(db.row(
            &format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1"),
            [id],
            run_from_row,
        )?)
    }

    /// A run of `agent_id`; `None` if it does not exist or belongs to another agent.
    pub fn run(&self, agent_id: i64, run_id: i64) -> StoreResult<Option<AgentRun>> {
        let db = self.db();
        Ok(db
            .row(
                &format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1 AND agent_id = ?2"),
                [run_id, agent_id],
                run_from_row,
            )
            .optional()?)
    }

    /// A run by its id alone (signed download links carry no agent id).
    pub fn run_by_id(&self, run_id: i64) -> StoreResult<Option<AgentRun>> {
        let db = self.db();
        Ok(db
            .row(
                &format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1"),
                [run_id],
                run_from_row,
            )
            .optional()?)
    }

    /// Status of a run, by id alone.
    pub fn run_status(&self, run_id: i64) -> StoreResult<Option<RunStatus>> {
        let db = self.db();
        Ok(db
            .row("SELECT status FROM runs WHERE id = ?1", [run_id], |r| {
                r.get(0).map(RunStatus)
            })
            .optional()?)
    }

    /// Newest first.
    pub fn runs(&self, agent_id: i64, max_records: i64) -> StoreResult<Vec<AgentRun>> {
        let db = self.db();
        let mut stmt = db.prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE agent_id = ?1 ORDER BY id DESC LIMIT ?2"
        ))?;
        let runs = stmt
            .query_map([agent_id, max_records], run_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(runs)
    }

    /// Moves a run to `to` only if it is in one of `from`; returns whether it moved. This is how
    /// the runner and the stop endpoint avoid overwriting each other's transitions.
    pub fn transition(&self, run_id: i64, from: &[RunStatus], to: RunStatus) -> StoreResult<bool> {
        let list = from
            .iter()
            .map(|s| s.0.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let start_time = if to == RunStatus::RUNNING {
            ", start_time = COALESCE(start_time, ?3)"
        } else {
            ""
        };
        let sql =
            format!("UPDATE runs SET status = ?2{start_time} WHERE id = ?1 AND status IN ({list})");
        let db = self.db();
        let changed = if start_time.is_empty() {
            db.exec(&sql, params![run_id, to.0])?
        } else {
            db.exec(&sql, params![run_id, to.0, now_text()])?
        };
        Ok(changed > 0)
    }

    pub fn save_counters(&self, run_id: i64, c: &Counters) -> StoreResult<()> {
        write_counters(&self.db(), run_id, c)?;
        Ok(())
    }

    /// Ends a run: final status, message, exported records, end time and duration.
    pub fn finish_run(
        &self,
        run_id: i64,
        status: RunStatus,
        message: &str,
        export_count: i64,
    ) -> StoreResult<()> {
        let db = self.db();
        let start: Option<String> = db.row(
            "SELECT COALESCE(start_time, created) FROM runs WHERE id = ?1",
            [run_id],
            |r| r.get(0),
        )?;
        let end = Timestamp::now();
        let secs = parse_time(start).map_or(0, |s| (end.0 - s.0).num_seconds().max(0));
        db.exec(
            "UPDATE runs SET status = ?2, message = ?3, export_count = ?4, end_time = ?5, run_time_sec = ?6 WHERE id = ?1",
            params![run_id, status.0, message, export_count, end.to_rfc3339(), secs],
        )?;
        Ok(())
    }

    /// Puts a run that ended in Failure back to `status` for a restart with definition
    /// `version`: counters, records and files are cleared. Returns the paths of the dropped
    /// files, or `None` (and changes nothing) when the run is not in Failure.
    pub fn reset_failed_run(
        &self,
        run_id: i64,
        status: RunStatus,
        version: i64,
    ) -> StoreResult<Option<Vec<PathBuf>>> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let changed = tx.exec(
            "UPDATE runs SET status = ?2, agent_version = ?3, message = NULL, start_time = NULL, end_time = NULL, run_time_sec = NULL,
             export_count = NULL, action_count = 0, page_count = 0, request_count = 0, data_count = 0, error_count = 0, traffic = 0, lost_pages = 0
             WHERE id = ?1 AND status = ?4",
            params![run_id, status.0, version, RunStatus::FAILURE.0],
        )?;
        if changed == 0 {
            return Ok(None);
        }
        let paths = file_paths(&tx, run_id)?;
        tx.exec("DELETE FROM files WHERE run_id = ?1", [run_id])?;
        tx.exec("DELETE FROM record_batches WHERE run_id = ?1", [run_id])?;
        tx.exec("DELETE FROM run_lost_pages WHERE run_id = ?1", [run_id])?;
        super::page_log::clear(&tx, run_id)?;
        tx.commit()?;
        Ok(Some(paths))
    }

    /// Deletes a run with its records and file rows; returns the file paths to remove.
    pub fn delete_run(&self, run_id: i64) -> StoreResult<Vec<PathBuf>> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let paths = file_paths(&tx, run_id)?;
        tx.exec("DELETE FROM runs WHERE id = ?1", [run_id])?;
        tx.commit()?;
        Ok(paths)
    }

    /// Commits pages at once: their records, the run's counters, the size of its log and what
    /// the runner saw of the pages kept for diagnostics in one transaction, so a crash never
    /// leaves a count that the stored records do not back
    /// (the counters are what status reports; the records are what the export is rebuilt
    /// from), and a batch of pages costs one commit. `records` holds `count` records' JSON
    /// texts, one per line.
    pub fn save_page(
        &self,
        run_id: i64,
        records: &[u8],
        count: usize,
        c: &Counters,
        log: (i64, i64),
        seen: &[PageTraceWire],
    ) -> StoreResult<()> {
        in_transaction(&self.db(), |tx| {
            if count > 0 {
                super::records::insert_batch(tx, run_id, records, count)?;
            }
            write_counters(tx, run_id, c)?;
            let (file_id, size) = log;
            tx.exec("UPDATE files SET size = ?2 WHERE id = ?1", [file_id, size])?;
            for page in seen {
                super::page_log::insert(tx, run_id, page)?;
            }
            Ok(())
        })
    }

    pub fn add_file(
        &self,
        run_id: i64,
        file_type: i64,
        name: &str,
        path: &std::path::Path,
        size: i64,
    ) -> StoreResult<i64> {
        let db = self.db();
        db.exec(
            "INSERT INTO files (run_id, file_type, name, path, size, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![run_id, file_type, name, path.to_string_lossy(), size, now_text()],
        )?;
        Ok(db.last_insert_rowid())
    }

    /// Lists a fresh export as the run's delivered files, replacing any listed before (an
    /// export rebuilt after a crash supersedes a partial one).
    pub fn replace_delivered_files<'a>(
        &self,
        run_id: i64,
        files: impl IntoIterator<Item = (&'a str, &'a std::path::Path, u64)>,
    ) -> StoreResult<()> {
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.exec(
            "DELETE FROM files WHERE run_id = ?1 AND file_type = ?2",
            params![run_id, file_type::DELIVERED_FILE],
        )?;
        let now = now_text();
        for (name, path, size) in files {
            tx.exec(
                "INSERT INTO files (run_id, file_type, name, path, size, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![run_id, file_type::DELIVERED_FILE, name, path.to_string_lossy(), size as i64, now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs that were active when the engine last went away, oldest first, with what their
    /// export needs.
    pub fn interrupted_runs(&self) -> StoreResult<Vec<InterruptedRun>> {
        let db = self.db();
        let mut stmt = db.prepare_cached(&format!(
            "SELECT r.id, r.agent_name, v.definition FROM runs r LEFT JOIN agent_versions v ON v.agent_id = r.agent_id AND v.version = r.agent_version WHERE r.status IN ({ACTIVE_STATUSES}) ORDER BY r.id"
        ))?;
        let rows: Vec<(i64, String, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(run_id, agent_name, definition)| {
                Ok(InterruptedRun {
                    run_id,
                    agent_name,
                    definition: definition.map(|d| serde_json::from_str(&d)).transpose()?,
                })
            })
            .collect()
    }

    pub fn set_file_size(&self, file_id: i64, size: i64) -> StoreResult<()> {
        self.db()
            .exec("UPDATE files SET size = ?2 WHERE id = ?1", [file_id, size])?;
        Ok(())
    }

    pub fn files(&self, run_id: i64) -> StoreResult<Vec<StoredFile>> {
        let db = self.db();
        let mut stmt = db.prepare_cached("SELECT * FROM files WHERE run_id = ?1 ORDER BY id")?;
        let files = stmt
            .query_map([run_id], file_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(files)
    }

    pub fn file(&self, file_id: i64) -> StoreResult<Option<StoredFile>> {
        let db = self.db();
        Ok(db
            .row(
                "SELECT * FROM files WHERE id = ?1",
                [file_id],
                file_from_row,
            )
            .optional()?)
    }
}
