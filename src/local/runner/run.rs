//! The execution of one run, from Starting to its final status: the crawl over its pages, the
//! export of what it stored, and the verdict that says what happened, lost pages and limits
//! included.
//!
//! A page the fetcher gave up on (after its retries) is a lost page: it is kept in the store
//! with its depth, the run ends "with errors" naming it, and a restart reads the lost pages
//! and what they lead to, keeping every record already stored.

use std::collections::HashSet;

use url::Url;

use super::{Inner, Job, list_files};
use crate::api::types::{RunStatus, file_type};
use crate::local::{
    commits::PageCommits,
    export::RecordFiles,
    fetch::Refusal,
    page_log::{self, PageTrail},
    pages::{PageReader, ReadPage},
    run_log::RunLog,
    store::{Counters, LostPage, StoreError},
};

/// Runs `job` to its end and records its final status.
pub(super) async fn execute(inner: &Inner, job: &Job) {
    let dir = inner.files_dir.join(job.run_id.to_string());
    let mut log = match RunLog::create(&inner.store, job.run_id, &dir) {
        Ok(log) => log,
        Err(e) => {
            let message = format!(
                "The run could not start: its log file could not be created ({e}). Check that the data directory is writable."
            );
            inner.end(job, RunStatus::FAILURE, &message, (0, &Counters::default()));
            return;
        }
    };
    if let Err(e) = inner
        .store
        .transition(job.run_id, &[RunStatus::STARTING], RunStatus::RUNNING)
    {
        tracing::warn!(run_id = job.run_id, error = %e, "could not mark the run Running");
    }
    tracing::info!(
        run_id = job.run_id,
        agent = %job.agent_name,
        resumed = job.resume.is_some(),
        start_urls = job.def.start_urls.len(),
        "run started"
    );
    match &job.resume {
        Some(resume) => log.line(&format!(
            "Run {} of agent {:?} resumed: {} page(s) it could not read before; the {} record(s) it has are kept.",
            job.run_id,
            job.agent_name,
            resume.lost.len(),
            resume.counters.records
        )),
        None => log.line(&format!(
            "Run {} of agent {:?} started: {} start URL(s), up to {} page(s) each.",
            job.run_id,
            job.agent_name,
            job.def.start_urls.len(),
            job.def.max_pages()
        )),
    }
    let files = RecordFiles::create(&job.agent_name, &job.def, &dir)
        .map_err(|e| format!("The export failed: {e}"));
    let mut crawl = Crawl {
        inner,
        job,
        commits: PageCommits::new(inner.store.clone(), job.run_id, files),
        log,
        // A resumed run reads its lost pages again: their errors count anew only if they
        // fail again, so the run's error count never holds one page twice.
        counters: job
            .resume
            .as_ref()
            .map(|r| Counters {
                errors: (r.counters.errors - r.lost.len() as i64).max(0),
                ..r.counters
            })
            .unwrap_or_default(),
        report: Report::default(),
        visited: HashSet::new(),
        trail: PageTrail::default(),
        snapshots: PageSnapshots::default(),
    };
    let mut crawl_error = None;
    let killed = tokio::select! {
        biased;
        _ = job.control.kill.cancelled() => true,
        result = crawl.run() => {
            crawl_error = result.err();
            false
        }
    };
    let Crawl {
        mut log,
        mut commits,
        mut counters,
        report,
        ..
    } = crawl;
    // Pages read but not committed yet, whatever ended the crawl.
    if let Err(e) = commits.commit(&mut log) {
        crawl_error.get_or_insert(e);
    }
    let shutting_down = inner.shutdown.is_cancelled();
    if shutting_down {
        log.line("The engine is shutting down: the page in flight was abandoned; records already saved are kept.");
    } else if killed {
        log.line("Killed: the page in flight was abandoned; records already saved are kept.");
    }
    let stopped = job.control.stop.is_cancelled() || killed;
    if !stopped {
        let _ = inner
            .store
            .transition(job.run_id, &[RunStatus::RUNNING], RunStatus::EXPORTING);
    }

    // Whatever ended the crawl, what was saved is in the record files: each commit added its
    // records. A crawl cut short may have counted records of a page it never committed; the
    // files count what the store really holds. A resumed run's files only saw this crawl's
    // records, so they are written again from the store.
    let exported = match job.resume {
        None => commits.finish_files().and_then(|(files, count)| {
            list_files(&inner.store, job.run_id, &files).map(|()| count)
        }),
        Some(_) => {
            drop(commits);
            super::export_run(&inner.store, job.run_id, &job.agent_name, &job.def, &dir)
        }
    };
    if let Ok(records) = exported {
        counters.records = records;
        log.line(&format!("Exported {records} record(s)."));
    }
    if let Err(e) = inner.store.save_counters(job.run_id, &counters) {
        tracing::warn!(run_id = job.run_id, error = %e, "could not save run counters");
    }
    if let Err(e) = inner.store.save_lost_pages(job.run_id, &report.lost) {
        tracing::warn!(run_id = job.run_id, error = %e, "could not save the run's lost pages");
    }
    let (status, message) = match (&crawl_error, &exported) {
        (_, Err(message)) => (RunStatus::FAILURE, message.clone()),
        (Some(e), Ok(_)) => (
            RunStatus::FAILURE,
            format!("The run failed while saving its progress: {e}"),
        ),
        (None, Ok(_)) if shutting_down => (
            RunStatus::STOPPED,
            format!(
                "Stopped because the engine shut down; kept {} record(s) from {} page(s).",
                counters.records, counters.pages
            ),
        ),
        (None, Ok(_)) => verdict(job, &counters, &report, stopped, killed),
    };
    log.line(&format!("{}: {message}", status.name()));
    log.close(&inner.store);
    inner.end(job, status, &message, (exported.unwrap_or(0), &counters));
}

/// What the crawl learnt beyond the counters.
#[derive(Default)]
struct Report {
    /// Entries (start URLs, or lost pages when resuming) whose first page could not be read,
    /// with the reason.
    failed_starts: Vec<String>,
    /// Pages given up after their retries, in the order met.
    lost: Vec<LostPage>,
    /// Limits that ended the crawl while more was there to read, each with how to lift it.
    limits: Vec<String>,
    /// Records left out because a required field found nothing, and those fields.
    dropped: u64,
    dropped_by: Vec<String>,
}

/// One run's crawl: where it is and what it has seen.
struct Crawl<'a> {
    inner: &'a Inner,
    job: &'a Job,
    log: RunLog,
    counters: Counters,
    report: Report,
    commits: PageCommits,
    /// Pages read in this crawl; pagination that comes back to one stops there.
    visited: HashSet<Url>,
    trail: PageTrail,
    snapshots: PageSnapshots,
}

/// Where a chain of pages begins: a start URL, or a page a run lost, to be read again.
struct Entry {
    url: Result<Url, String>,
    /// Pages of the chain read before it.
    depth: u32,
    /// The text of a start URL that is not a URL, for the report.
    given: String,
}

impl Crawl<'_> {
    fn entries(&self) -> Vec<Entry> {
        let parse = |text: &str, depth| Entry {
            url: Url::parse(text).map_err(|e| e.to_string()),
            depth,
            given: text.to_string(),
        };
        match &self.job.resume {
            Some(resume) => resume
                .lost
                .iter()
                .map(|page| parse(&page.url, page.depth))
                .collect(),
            None => self
                .job
                .def
                .start_urls
                .iter()
                .map(|url| parse(url, 0))
                .collect(),
        }
    }

    /// Fetches and extracts every page the run reaches, handing records and counters to the
    /// commits after each page, in page order (the entries are read ahead, see
    /// [`PageReader`]). Returns early when a stop is requested.
    async fn run(&mut self) -> Result<(), StoreError> {
        let entries = self.entries();
        let known = entries.iter().filter_map(|e| e.url.as_ref().ok());
        let mut pages = PageReader::new(self.inner.fetcher.clone(), &self.job.def, known);
        let max_per_run = i64::from(self.inner.fetcher.policy().max_pages_per_run);
        let max_pages = self.job.def.max_pages();
        'entries: for entry in entries {
            let mut next = match entry.url {
                Ok(url) => Some(url),
                Err(e) => {
                    let failure = format!("{}: not a valid URL ({e})", entry.given);
                    self.log.line(&format!("Could not read {failure}"));
                    self.report.failed_starts.push(failure);
                    continue;
                }
            };
            let mut depth = entry.depth;
            while let Some(url) = next.take() {
                let first = depth == entry.depth;
                if self.job.control.stop.is_cancelled() {
                    self.log
                        .line("Stop requested: no further pages will be fetched.");
                    break 'entries;
                }
                if self.counters.pages >= max_per_run {
                    self.report.limits.push(format!(
                        "the engine's limit of {max_per_run} pages per run ended the crawl with pages left to read; split the start URLs over several agents to read more"
                    ));
                    self.log.line(&format!(
                        "Reached the engine's limit of {max_per_run} pages per run; stopping here."
                    ));
                    break 'entries;
                }
                if !self.visited.insert(url.clone()) {
                    self.log.line(&format!(
                        "{url} was already read in this run; pagination stops here."
                    ));
                    break;
                }
                self.log.line(&format!("Fetching {url}"));
                self.counters.actions += 1;
                let read = self
                    .commits
                    .while_awaiting(pages.read(&url), &mut self.log)
                    .await?;
                let outcome = match read {
                    Ok(page) => self.page_read(&url, page, depth, first),
                    Err(e) => {
                        for note in &e.retries {
                            self.log.line(&format!("Retried {url}: {note}"));
                        }
                        let seen = self.trail.keep(page_log::unread(&url, &e));
                        self.counters.requests += i64::from(e.requests);
                        self.counters.traffic += e.bytes as i64;
                        let lost = e.refusal != Refusal::Robots;
                        self.page_failed(&url, &e.message, (depth, first), lost);
                        Outcome::default().seen(seen)
                    }
                };
                self.commits
                    .add(outcome.records, &self.counters, outcome.seen, &mut self.log)?;
                depth += 1;
                if outcome.enough {
                    break 'entries;
                }
                match outcome.next {
                    Some(link) if depth < max_pages => next = Some(link),
                    Some(_) => {
                        self.log.line(&format!(
                            "Reached max_pages ({max_pages}) for this start URL."
                        ));
                        self.report.limits.push(format!(
                            "next_page.max_pages ({max_pages}) ended a chain of pages with more to read; raise it in the agent's definition and run again"
                        ));
                    }
                    None => {}
                }
            }
        }
        Ok(())
    }

    /// Counts and narrates a page that was fetched; its records (within the agent's item
    /// limit) and the next page to read.
    fn page_read(&mut self, url: &Url, mut page: ReadPage, depth: u32, first: bool) -> Outcome {
        for note in &page.retries {
            self.log.line(&format!("Retried {url}: {note}"));
        }
        if let Some(html) = page.html.take() {
            self.snapshots
                .save(self.inner, self.job.run_id, url, &html, &mut self.log);
        }
        let seen = self.trail.keep(page_log::read(url, &page));
        let c = &mut self.counters;
        c.requests += i64::from(page.requests);
        c.traffic += page.bytes as i64;
        if page.status >= 400 {
            let reason = format!("the site answered HTTP {}", page.status);
            self.page_failed(url, &reason, (depth, first), true);
            return Outcome::default().seen(seen);
        }
        c.pages += 1;
        let extraction = page.extraction;
        c.errors += i64::from(extraction.dropped);
        self.report.dropped += u64::from(extraction.dropped);
        for field in &extraction.dropped_by {
            if !self.report.dropped_by.contains(field) {
                self.report.dropped_by.push(field.clone());
            }
        }
        let mut records = extraction.records;
        let mut enough = false;
        // The agent's item limit: keep what is left of it, in page order.
        if let Some(max) = self.job.def.max_records {
            let left = usize::try_from((max as i64 - c.records).max(0)).unwrap_or(0);
            if records.len() >= left {
                let more = records.len() > left || extraction.next_page.is_some();
                records.truncate(left);
                enough = true;
                self.log
                    .line(&format!("Reached max_records ({max}); stopping here."));
                if more {
                    self.report.limits.push(format!(
                        "max_records ({max}) ended the run with more records to read; raise or remove it in the agent's definition and run again"
                    ));
                }
            }
        }
        let found = records.len() as i64;
        c.records += found;
        c.actions += found;
        self.log.line(&format!(
            "Page {}: {url} (HTTP {}, {} bytes): {found} record(s), {} dropped for missing required fields.",
            c.pages, page.status, page.bytes, extraction.dropped
        ));
        if extraction.needs_javascript && found == 0 {
            let reason = "the page builds its content with JavaScript, and pages that need JavaScript are not supported by the local engine";
            self.page_failed(url, reason, (depth, first), false);
        }
        Outcome {
            records,
            seen,
            next: extraction.next_page,
            enough,
        }
    }

    /// Counts and narrates a page that yielded nothing, at `depth` in its chain (`first`: the
    /// chain's first page). `lost`: the page may read on another day (a server error, a
    /// timeout), so the run keeps it for a restart.
    fn page_failed(&mut self, url: &Url, reason: &str, (depth, first): (u32, bool), lost: bool) {
        self.counters.errors += 1;
        self.log.line(&format!("Could not read {url}: {reason}"));
        if first {
            self.report.failed_starts.push(format!("{url}: {reason}"));
        }
        if lost {
            self.report.lost.push(LostPage {
                url: url.to_string(),
                depth,
                reason: reason.to_string(),
            });
        }
    }
}

/// What one page gave the crawl.
#[derive(Default)]
struct Outcome {
    records: Vec<serde_json::Map<String, serde_json::Value>>,
    seen: Option<crate::api::analytics::PageTraceWire>,
    next: Option<Url>,
    /// The agent's item limit is reached.
    enough: bool,
}

impl Outcome {
    fn seen(self, seen: Option<crate::api::analytics::PageTraceWire>) -> Outcome {
        Outcome { seen, ..self }
    }
}

/// Lost pages named in a message: the first few, then how many more.
fn name_lost(lost: &[LostPage]) -> String {
    const NAMED: usize = 3;
    let mut text = lost
        .iter()
        .take(NAMED)
        .map(|p| format!("{} ({})", p.url, p.reason))
        .collect::<Vec<_>>()
        .join("; ");
    if lost.len() > NAMED {
        text.push_str(&format!("; and {} more", lost.len() - NAMED));
    }
    text
}

/// The final status and the message that explains it.
fn verdict(
    job: &Job,
    c: &Counters,
    report: &Report,
    stopped: bool,
    killed: bool,
) -> (RunStatus, String) {
    let kept = format!("{} record(s) from {} page(s)", c.records, c.pages);
    if killed {
        return (
            RunStatus::STOPPED,
            format!("Killed on request; kept {kept}."),
        );
    }
    if stopped {
        return (
            RunStatus::STOPPED,
            format!("Stopped on request; kept {kept}."),
        );
    }
    let (entries, what) = match &job.resume {
        Some(resume) => (
            resume.lost.len(),
            "None of the pages it missed could be read again",
        ),
        None => (job.def.start_urls.len(), "No start URL could be read"),
    };
    let lost = &report.lost;
    // A resumed run whose lost pages fail again but that has records ends with errors
    // (below), keeping them, not as a run that could read nothing.
    let failed_all = entries > 0 && report.failed_starts.len() >= entries;
    if failed_all && (job.resume.is_none() || c.records == 0) {
        let again = if lost.is_empty() {
            ""
        } else {
            " restart_run reads them again once the site answers."
        };
        return (
            RunStatus::FAILURE,
            format!("{what}: {}.{again}", report.failed_starts.join("; ")),
        );
    }
    let mut notes = String::new();
    if !lost.is_empty() {
        notes.push_str(&format!(
            " With errors: {} page(s) could not be read after retries, and the pages they lead to were not read: {}. get_run_diagnostics shows the details; restart_run reads the missed pages and keeps these records.",
            lost.len(),
            name_lost(lost)
        ));
    }
    for limit in dedup(&report.limits) {
        notes.push_str(&format!(" More exists: {limit}."));
    }
    if c.records == 0 && report.dropped > 0 {
        // The pages had records, and a required field left out every one: not a success,
        // and not the record selector's fault.
        return (
            RunStatus::FAILURE,
            format!(
                "No record kept: all {} record(s) found lacked the required field(s) {}, whose selector found nothing in them. Fix the selector (test_agent_definition shows what each field finds) or make the field optional, then run again.{notes}",
                report.dropped,
                report.dropped_by.join(", ")
            ),
        );
    }
    match &job.def.success_criteria {
        Some(criteria) if (c.records as u64) >= criteria.min_records => (
            RunStatus::SUCCESS,
            format!(
                "Extracted {kept}; the success criteria (at least {} records) are met.{notes}",
                criteria.min_records
            ),
        ),
        Some(criteria) => (
            RunStatus::FAILURE,
            format!(
                "Success criteria not met: extracted {kept}, at least {} records required. Check the record selector and fields against the page, or lower min_records.{notes}",
                criteria.min_records
            ),
        ),
        None => (RunStatus::COMPLETED, format!("Extracted {kept}.{notes}")),
    }
}

/// `items` without repeats, in order.
fn dedup(items: &[String]) -> Vec<&String> {
    let mut seen = HashSet::new();
    items.iter().filter(|i| seen.insert(*i)).collect()
}

/// Most page snapshots one run keeps: enough to diagnose an agent, bounded so that a long
/// crawl with `save_pages` on cannot fill the disk.
const MAX_PAGE_SNAPSHOTS: u32 = 500;

/// The HTML of the pages a run fetched, as run files, for agents with `save_pages` on.
#[derive(Default)]
struct PageSnapshots {
    saved: u32,
}

impl PageSnapshots {
    /// Writes one page as `page-NNNN.html` in the run's folder and lists it with the run's
    /// files. A snapshot that cannot be written is noted in the log and the run goes on: it
    /// is a diagnostic aid, never a reason to lose the records.
    fn save(&mut self, inner: &Inner, run_id: i64, url: &Url, html: &str, log: &mut RunLog) {
        if self.saved >= MAX_PAGE_SNAPSHOTS {
            return;
        }
        self.saved += 1;
        let name = format!("page-{:04}.html", self.saved);
        let path = inner.files_dir.join(run_id.to_string()).join(&name);
        let written = crate::local::private::create(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, html.as_bytes()))
            .map_err(|e| e.to_string())
            .and_then(|()| {
                inner
                    .store
                    .add_file(run_id, file_type::LOG_HTML, &name, &path, html.len() as i64)
                    .map_err(|e| e.to_string())
            });
        match written {
            Ok(_) => log.line(&format!("Saved the HTML of {url} as {name}.")),
            Err(e) => log.line(&format!("Could not save the HTML of {url}: {e}")),
        }
        if self.saved == MAX_PAGE_SNAPSHOTS {
            log.line(&format!(
                "Saved {MAX_PAGE_SNAPSHOTS} pages, the most one run keeps; later pages are not saved."
            ));
        }
    }
}
