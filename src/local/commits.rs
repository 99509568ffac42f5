//! A run's pages on their way into the store: the records and counters of several pages go in
//! one commit, at most [`MAX_WAIT`] after the first of them was read and at most
//! [`MAX_PAGES`] pages at once.
//!
//! A commit has a fixed cost (its `BEGIN`/`COMMIT`, and the WAL frames of the run's row, of its
//! log's row and of the tail of the record batches, whatever the number of records), which one
//! commit per page paid at every page; and a commit stores its records as one row (see
//! `store::records`), so the fewer commits, the fewer rows. Batching keeps what matters: each
//! commit holds the records and the counters that count them, so a crash never leaves a
//! count that the stored records do not back, and it loses at most the pages of the last
//! [`MAX_WAIT`] of an active run. Status polls see progress that much later, and the run's log
//! lines reach its file with the commit of their pages. Whatever ends the
//! crawl (the last page, a stop, a kill, a shutdown, a failure), the run commits what is
//! pending ([`PageCommits::commit`]) before it finishes its record files, which each commit
//! fed with the records it stored ([`PageCommits::finish_files`]).

use std::future::Future;
use std::time::Duration;

use serde_json::{Map, Value};
use tokio::time::Instant;

use super::{
    export::{ExportedFile, RecordFiles},
    run_log::RunLog,
    store::{Counters, Store, StoreError},
};
use crate::api::analytics::PageTraceWire;

/// The longest a read page waits for its commit.
pub const MAX_WAIT: Duration = Duration::from_millis(100);
/// The most pages in one commit, which bounds the records held in memory and how long one
/// commit holds the store (a few milliseconds for 32 pages of 20 records).
pub const MAX_PAGES: usize = 32;

/// The pages of one run read but not committed yet.
pub struct PageCommits {
    store: Store,
    run_id: i64,
    records: Vec<Map<String, Value>>,
    pages: usize,
    /// The run's counters after the last page added; `None` when nothing is pending.
    counters: Option<Counters>,
    /// What the runner saw of the pending pages kept for diagnostics.
    seen: Vec<PageTraceWire>,
    /// The run's record files, fed with each commit's records once they are stored; the
    /// failure's text once writing them failed (the store still has the records, and the
    /// run's end reports the failure).
    files: Result<RecordFiles, String>,
    /// The JSON texts of the records being committed, one per line, and where each ends:
    /// encoded once for the store and the JSON file, in a buffer reused from commit to commit.
    text: Vec<u8>,
    ends: Vec<usize>,
    /// When the pending pages must be committed: [`MAX_WAIT`] after the first was added.
    due: Option<Instant>,
}

impl PageCommits {
    pub fn new(store: Store, run_id: i64, files: Result<RecordFiles, String>) -> PageCommits {
        PageCommits {
            files,
            text: Vec::new(),
            ends: Vec::new(),
            store,
            run_id,
            records: Vec::new(),
            pages: 0,
            counters: None,
            seen: Vec::new(),
            due: None,
        }
    }

    /// Adds a page's records with the run's counters after it, and what the runner saw of it
    /// when that is kept; commits when the batch is full or due.
    pub fn add(
        &mut self,
        records: Vec<Map<String, Value>>,
        counters: &Counters,
        seen: Option<PageTraceWire>,
        log: &mut RunLog,
    ) -> Result<(), StoreError> {
        self.records.extend(records);
        self.seen.extend(seen);
        self.pages += 1;
        self.counters = Some(*counters);
        let due = *self.due.get_or_insert_with(|| Instant::now() + MAX_WAIT);
        if self.pages >= MAX_PAGES || Instant::now() >= due {
            self.commit(log)?;
        }
        Ok(())
    }

    /// Awaits `work` (the next page's read); when it lasts past the pending pages' due time,
    /// commits them meanwhile, so a slow site never holds read pages back.
    pub async fn while_awaiting<F: Future>(
        &mut self,
        work: F,
        log: &mut RunLog,
    ) -> Result<F::Output, StoreError> {
        let Some(due) = self.due else {
            return Ok(work.await);
        };
        tokio::pin!(work);
        match tokio::time::timeout_at(due, &mut work).await {
            Ok(output) => Ok(output),
            Err(_) => {
                self.commit(log)?;
                Ok(work.await)
            }
        }
    }

    /// Commits the pending pages, if any, in one transaction with the size of the run's log
    /// once their lines are written, then adds their records to the run's files.
    pub fn commit(&mut self, log: &mut RunLog) -> Result<(), StoreError> {
        let Some(counters) = self.counters.take() else {
            return Ok(());
        };
        self.due = None;
        self.pages = 0;
        let records = std::mem::take(&mut self.records);
        let seen = std::mem::take(&mut self.seen);
        self.text.clear();
        self.ends.clear();
        for record in &records {
            if !self.ends.is_empty() {
                self.text.push(b'\n');
            }
            serde_json::to_writer(&mut self.text, record)?;
            self.ends.push(self.text.len());
        }
        self.store.save_page(
            self.run_id,
            &self.text,
            records.len(),
            &counters,
            log.flush(),
            &seen,
        )?;
        if let Ok(files) = &mut self.files {
            // Each record's text starts after the line break that ends the one before.
            let starts = std::iter::once(0).chain(self.ends.iter().map(|end| end + 1));
            let appended = starts
                .zip(&self.ends)
                .zip(&records)
                .try_for_each(|((from, &to), record)| files.append(&self.text[from..to], record));
            if let Err(e) = appended {
                self.files = Err(format!("The export failed: {e}"));
            }
        }
        Ok(())
    }

    /// Completes the run's record files (call after the last commit); returns them and the
    /// records they hold.
    pub fn finish_files(self) -> Result<(Vec<ExportedFile>, i64), String> {
        self.files?
            .finish()
            .map_err(|e| format!("The export failed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::store::testing::{definition, running_run};

    fn page(n: usize) -> Vec<Map<String, Value>> {
        let mut record = Map::new();
        record.insert("n".into(), Value::String(n.to_string()));
        vec![record]
    }

    /// The commits of a run of agent "a", its record files in `dir`.
    fn commits(dir: &tempfile::TempDir, store: &Store, run_id: i64) -> PageCommits {
        let files = RecordFiles::create("a", &definition(), &dir.path().join("files"))
            .map_err(|e| e.to_string());
        PageCommits::new(store.clone(), run_id, files)
    }

    /// A store with one run: the store, its agent's id and the run's id.
    fn store_with_run() -> (tempfile::TempDir, Store, i64, i64) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let (agent_id, run_id) = running_run(&store, "a");
        (dir, store, agent_id, run_id)
    }

    /// Records stored and the page count status reports.
    fn stored(store: &Store, agent_id: i64, run_id: i64) -> (usize, Option<i64>) {
        let records = store.records_after(run_id, 0, 1000).unwrap().len();
        let run = store.run(agent_id, run_id).unwrap().unwrap();
        (records, run.page_count)
    }

    #[test]
    fn a_full_batch_commits_records_and_counters_together_and_commit_flushes_the_rest() {
        let (dir, store, agent_id, run_id) = store_with_run();
        let mut commits = commits(&dir, &store, run_id);
        let log_path = dir.path().join("log.txt");
        let mut log = RunLog::new(std::fs::File::create(&log_path).unwrap(), 0);
        let logged = || std::fs::read_to_string(&log_path).unwrap().lines().count();
        let mut c = Counters::default();
        for n in 1..MAX_PAGES {
            c.pages += 1;
            c.records += 1;
            log.line(&format!("page {n}"));
            commits.add(page(n), &c, None, &mut log).unwrap();
        }
        assert_eq!(
            stored(&store, agent_id, run_id),
            (0, Some(0)),
            "not full, not due"
        );
        assert_eq!(logged(), 0, "the log is written with the commit");
        c.pages += 1;
        c.records += 1;
        log.line("the last page of the batch");
        commits.add(page(MAX_PAGES), &c, None, &mut log).unwrap();
        let full = MAX_PAGES as i64;
        assert_eq!(stored(&store, agent_id, run_id), (MAX_PAGES, Some(full)));
        assert_eq!(logged(), MAX_PAGES);
        c.pages += 1;
        c.records += 1;
        commits.add(page(0), &c, None, &mut log).unwrap();
        commits.commit(&mut log).unwrap();
        assert_eq!(
            stored(&store, agent_id, run_id),
            (MAX_PAGES + 1, Some(full + 1))
        );
        let seqs: Vec<i64> = store
            .records_after(run_id, 0, 1000)
            .unwrap()
            .into_iter()
            .map(|(seq, _)| seq)
            .collect();
        assert_eq!(seqs, (1..=full + 1).collect::<Vec<_>>(), "in page order");

        // The record files hold what was committed, in the same order.
        let (files, count) = commits.finish_files().unwrap();
        assert_eq!(count, full + 1);
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a.csv", "a.json"]);
        let want: Vec<String> = (1..=MAX_PAGES).chain([0]).map(|n| n.to_string()).collect();
        let csv = std::fs::read_to_string(&files[0].path).unwrap();
        let cells: Vec<&str> = csv.lines().collect();
        assert_eq!(cells[0], "n");
        assert_eq!(cells[1..], want);
        let json: Value =
            serde_json::from_str(&std::fs::read_to_string(&files[1].path).unwrap()).unwrap();
        let values: Vec<&str> = json["a"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["n"].as_str().unwrap())
            .collect();
        assert_eq!(values, want);
        assert_eq!(files[1].size as usize, json.to_string().len());
    }

    #[tokio::test(start_paused = true)]
    async fn pages_pending_while_the_next_read_is_slow_are_committed_when_due() {
        let (dir, store, agent_id, run_id) = store_with_run();
        let mut commits = commits(&dir, &store, run_id);
        let c = Counters {
            pages: 1,
            records: 1,
            ..Counters::default()
        };
        let mut log = RunLog::new(
            std::fs::File::create(dir.path().join("log.txt")).unwrap(),
            0,
        );
        commits.add(page(1), &c, None, &mut log).unwrap();
        let check = store.clone();
        let read = async move {
            tokio::time::sleep(MAX_WAIT * 3).await;
            stored(&check, agent_id, run_id)
        };
        let seen_during_the_read = commits.while_awaiting(read, &mut log).await.unwrap();
        assert_eq!(seen_during_the_read, (1, Some(1)));
    }
}
