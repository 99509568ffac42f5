//! What the runner saw of each page (see `local::page_log`), kept per run for diagnostics. A
//! table of its own with its own schema; rows go with their run (ON DELETE CASCADE) and are
//! cleared when a run restarts.

use rusqlite::{Connection, params};

use super::{Cached, Store, StoreResult};
use crate::api::analytics::PageTraceWire;

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS run_pages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    http_status INTEGER,
    fetch_ms    INTEGER,
    records     INTEGER NOT NULL DEFAULT 0,
    problem     TEXT
);
CREATE INDEX IF NOT EXISTS run_pages_by_run ON run_pages(run_id, id);
"#;

/// Adds one page inside the caller's transaction (the page's own commit).
pub(super) fn insert(db: &Connection, run_id: i64, page: &PageTraceWire) -> rusqlite::Result<()> {
    db.exec(
        "INSERT INTO run_pages (run_id, url, http_status, fetch_ms, records, problem) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            run_id,
            page.url,
            page.http_status,
            page.fetch_ms.map(|ms| ms as i64),
            page.records as i64,
            page.problem
        ],
    )?;
    Ok(())
}

/// Forgets a run's pages (a restart starts them over).
pub(super) fn clear(db: &Connection, run_id: i64) -> rusqlite::Result<()> {
    db.exec("DELETE FROM run_pages WHERE run_id = ?1", [run_id])?;
    Ok(())
}

impl Store {
    /// The pages kept for a run, in the order they were read.
    pub fn run_pages(&self, run_id: i64) -> StoreResult<Vec<PageTraceWire>> {
        let db = self.db();
        let mut stmt = db.prepare_cached(
            "SELECT url, http_status, fetch_ms, records, problem FROM run_pages WHERE run_id = ?1 ORDER BY id",
        )?;
        let pages = stmt
            .query_map([run_id], |r| {
                Ok(PageTraceWire {
                    url: r.get(0)?,
                    http_status: r.get(1)?,
                    fetch_ms: r.get::<_, Option<i64>>(2)?.map(|ms| ms as u64),
                    records: r.get::<_, i64>(3)? as u64,
                    problem: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(pages)
    }
}
