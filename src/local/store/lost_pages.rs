//! The pages a run gave up on (after its retries), kept so that a restart can read them and
//! what they lead to, and keep everything the run already stored. Rows go with their run (ON
//! DELETE CASCADE); the run's `lost_pages` column counts them for status and summaries.

use rusqlite::params;

use super::{Cached, Store, StoreResult, in_transaction};
use crate::api::types::RunStatus;

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS run_lost_pages (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    url    TEXT NOT NULL,
    depth  INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
"#;

/// A page a run could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostPage {
    pub url: String,
    /// Pages of its chain (its start URL's pagination) read before it, so a resumed chain
    /// keeps to the agent's `max_pages`.
    pub depth: u32,
    /// Why it could not be read, in words.
    pub reason: String,
}

impl Store {
    /// Records the pages a run lost (replacing any recorded before) and their count.
    pub fn save_lost_pages(&self, run_id: i64, pages: &[LostPage]) -> StoreResult<()> {
        in_transaction(&self.db(), |tx| {
            tx.exec("DELETE FROM run_lost_pages WHERE run_id = ?1", [run_id])?;
            for (seq, page) in pages.iter().enumerate() {
                tx.exec(
                    "INSERT INTO run_lost_pages (run_id, seq, url, depth, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![run_id, seq as i64, page.url, page.depth, page.reason],
                )?;
            }
            tx.exec(
                "UPDATE runs SET lost_pages = ?2 WHERE id = ?1",
                params![run_id, pages.len() as i64],
            )?;
            Ok(())
        })
    }

    /// The pages a run lost, in the order it met them.
    pub fn lost_pages(&self, run_id: i64) -> StoreResult<Vec<LostPage>> {
        let db = self.db();
        let mut stmt = db.prepare_cached(
            "SELECT url, depth, reason FROM run_lost_pages WHERE run_id = ?1 ORDER BY seq",
        )?;
        let pages = stmt
            .query_map([run_id], |r| {
                Ok(LostPage {
                    url: r.get(0)?,
                    depth: r.get(1)?,
                    reason: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(pages)
    }

    /// Puts a finished run in `from` back to `status` to read its lost pages with definition
    /// `version`: its records, files and counters stay (the lost pages no longer count as
    /// errors), its start and end are cleared (the resumed attempt gets its own start time, so
    /// a task that followed the earlier attempt stays finished). Returns whether it moved (not
    /// when someone else restarted it first).
    pub fn resume_run(
        &self,
        run_id: i64,
        from: RunStatus,
        status: RunStatus,
        version: i64,
    ) -> StoreResult<bool> {
        in_transaction(&self.db(), |tx| {
            let changed = tx.exec(
                "UPDATE runs SET status = ?2, agent_version = ?3, message = NULL, start_time = NULL, end_time = NULL, run_time_sec = NULL,
                 export_count = NULL, error_count = MAX(0, error_count - lost_pages), lost_pages = 0
                 WHERE id = ?1 AND status = ?4",
                params![run_id, status.0, version, from.0],
            )?;
            Ok(changed > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::store::testing::running_run;

    #[test]
    fn lost_pages_are_kept_in_order_and_counted_on_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("engine.db")).unwrap();
        let (agent, run) = running_run(&store, "a");
        let lost = |n: u32| LostPage {
            url: format!("http://x.test/{n}"),
            depth: n,
            reason: "HTTP 500".into(),
        };
        store.save_lost_pages(run, &[lost(2), lost(1)]).unwrap();
        assert_eq!(store.lost_pages(run).unwrap(), vec![lost(2), lost(1)]);
        let row = store.run(agent, run).unwrap().unwrap();
        assert_eq!(row.lost_page_count, Some(2));
        store
            .finish_run(run, RunStatus::COMPLETED, "with errors", 0)
            .unwrap();
        assert!(
            !store
                .resume_run(run, RunStatus::FAILURE, RunStatus::STARTING, 1)
                .unwrap(),
            "only from the status it is in"
        );
        assert!(
            store
                .resume_run(run, RunStatus::COMPLETED, RunStatus::STARTING, 1)
                .unwrap()
        );
        let row = store.run(agent, run).unwrap().unwrap();
        assert_eq!(
            (row.status(), row.lost_page_count, row.message),
            (RunStatus::STARTING, Some(0), None)
        );
        assert_eq!(store.lost_pages(run).unwrap().len(), 2, "kept to be read");
    }
}
