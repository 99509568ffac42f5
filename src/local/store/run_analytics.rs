//! Queries over runs for the analytics endpoints: an agent's latest run with problems, and runs
//! and records over a date range (by creation time, RFC 3339 text that sorts as time).

use rusqlite::{OptionalExtension, params};

use super::{Cached, Store, StoreResult};

/// A run with problems: failed, or ended after losing pages.
const WITH_PROBLEMS: &str = "(status IN (6, 7) OR (lost_pages > 0 AND status IN (8, 9, 10)))";

/// Runs over a range by status code, with the failed ones when asked.
pub struct RunsInRange {
    /// (status, lost pages, count)
    pub by_status: Vec<(i32, bool, i64)>,
    pub failed: Vec<FailedRow>,
}

/// A failed run in a range.
pub struct FailedRow {
    pub run_id: i64,
    pub agent_id: i64,
    pub agent_name: String,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub status: i32,
    pub message: Option<String>,
}

/// Records over a range.
pub struct RecordsInRange {
    pub extracted: i64,
    pub exported: i64,
    pub errors: i64,
    pub pages: i64,
    pub runs: i64,
}

impl Store {
    /// The id of the agent's most recent run with problems: a failure, or a run that lost
    /// pages.
    pub fn latest_with_problems(&self, agent_id: i64) -> StoreResult<Option<i64>> {
        Ok(self
            .db()
            .row(
                &format!(
                    "SELECT id FROM runs WHERE agent_id = ?1 AND {WITH_PROBLEMS} ORDER BY id DESC LIMIT 1"
                ),
                [agent_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Runs created in `from..=to`, of `agent_id` only when given; with the failed ones (and
    /// those that lost pages) when `failed`.
    pub fn runs_in_range(
        &self,
        (from, to): (&str, &str),
        agent_id: Option<i64>,
        failed: bool,
    ) -> StoreResult<RunsInRange> {
        let db = self.db();
        let mut stmt = db.prepare_cached(
            "SELECT status, lost_pages > 0, COUNT(*) FROM runs WHERE created >= ?1 AND created <= ?2 AND (?3 IS NULL OR agent_id = ?3) GROUP BY status, lost_pages > 0",
        )?;
        let by_status = stmt
            .query_map(params![from, to, agent_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        let failed = if failed {
            let mut stmt = db.prepare_cached(&format!(
                "SELECT id, agent_id, agent_name, start_time, end_time, status, message FROM runs WHERE created >= ?1 AND created <= ?2 AND (?3 IS NULL OR agent_id = ?3) AND {WITH_PROBLEMS} ORDER BY id DESC LIMIT 100"
            ))?;
            stmt.query_map(params![from, to, agent_id], |r| {
                Ok(FailedRow {
                    run_id: r.get(0)?,
                    agent_id: r.get(1)?,
                    agent_name: r.get(2)?,
                    start_time: r.get(3)?,
                    end_time: r.get(4)?,
                    status: r.get(5)?,
                    message: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        Ok(RunsInRange { by_status, failed })
    }

    pub fn records_in_range(
        &self,
        from: &str,
        to: &str,
        agent_id: Option<i64>,
    ) -> StoreResult<RecordsInRange> {
        Ok(self.db().row(
            "SELECT COALESCE(SUM(data_count), 0), COALESCE(SUM(export_count), 0), COALESCE(SUM(error_count), 0), COALESCE(SUM(page_count), 0), COUNT(*) FROM runs WHERE created >= ?1 AND created <= ?2 AND (?3 IS NULL OR agent_id = ?3)",
            params![from, to, agent_id],
            |r| {
                Ok(RecordsInRange {
                    extracted: r.get(0)?,
                    exported: r.get(1)?,
                    errors: r.get(2)?,
                    pages: r.get(3)?,
                    runs: r.get(4)?,
                })
            },
        )?)
    }

    /// Removes a finished run's files and records, and with `input` the parameters it was
    /// started with; the run and its counters stay. Returns the file paths to remove.
    pub fn remove_run_files(
        &self,
        run_id: i64,
        input: bool,
    ) -> StoreResult<Vec<std::path::PathBuf>> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let paths = {
            let mut stmt = tx.prepare_cached("SELECT path FROM files WHERE run_id = ?1")?;
            stmt.query_map([run_id], |r| {
                r.get::<_, String>(0).map(std::path::PathBuf::from)
            })?
            .collect::<Result<Vec<_>, _>>()?
        };
        tx.exec("DELETE FROM files WHERE run_id = ?1", [run_id])?;
        tx.exec("DELETE FROM record_batches WHERE run_id = ?1", [run_id])?;
        if input {
            tx.exec(
                "UPDATE runs SET input_parameters = NULL WHERE id = ?1",
                [run_id],
            )?;
        }
        tx.commit()?;
        Ok(paths)
    }
}
