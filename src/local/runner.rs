//! Runs agents for real: a pool of worker slots, the run lifecycle, and stop, kill and restart.
//!
//! Lifecycle: Queuing (4, only while every slot is busy) -> Starting (3) -> Running (1) ->
//! Exporting (2) -> Completed (9), or Success (10) / Failure (6) when the definition has success
//! criteria. A stop request moves the run to Stopping (5): the page in flight is finished, what
//! was extracted is exported, and the run ends Stopped (8). A kill while Stopping abandons the
//! page in flight at once; records already saved are still exported. A run that ended in
//! Failure can be restarted in place (same run id).
//!
//! Each run is one task. A few pages' records and the run's counters are committed together
//! (see [`PageCommits`]: at most 100 ms after a page was read), so memory stays bounded,
//! status polls see progress, and a crash loses nothing that status reported. Every run that got as far as fetching ends with its records exported, Failure
//! included. When the engine shuts down, active runs end Stopped with what they saved. Status
//! changes that can race with the stop endpoint are conditional transitions in the store.

use std::{
    collections::{HashMap, HashSet},
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

mod admission;

use admission::{Admission, SpaceGates};
use tokio::sync::{Notify, Semaphore};
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use url::Url;

use super::{
    commits::PageCommits,
    definition::AgentDefinition,
    export::{self, ExportedFile, RecordFiles},
    fetch::Fetcher,
    page_log::{self, PageTrail},
    pages::PageReader,
    run_log::RunLog,
    store::{Counters, NewRun, Store, StoreError},
};
use crate::api::types::{AgentRun, RunStatus, file_type};

/// What went wrong with a run request.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("run {0} was not found")]
    NotFound(i64),
    #[error(
        "run {run_id} is {status} and only a run in Failure can be restarted; start a new run instead"
    )]
    NotRestartable { run_id: i64, status: String },
    #[error("Run is currently active and cannot be deleted")]
    Active,
}

/// What a stop or kill request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopOutcome {
    /// The run is stopping (or, for a second kill, being aborted).
    Stopping,
    /// The run had already ended with this status; nothing changed.
    AlreadyFinished(RunStatus),
}

/// A handle on the run machinery; cheap to clone.
#[derive(Clone)]
pub struct Runner {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    fetcher: Fetcher,
    slots: Arc<Semaphore>,
    /// Places in spaces with a concurrency limit.
    spaces: SpaceGates,
    files_dir: PathBuf,
    controls: Mutex<HashMap<i64, RunControl>>,
    /// Woken whenever a run ends, for synchronous starts.
    finished: Notify,
    shutdown: CancellationToken,
    tasks: TaskTracker,
}

/// How the endpoints reach a live run. Both tokens are children of the engine's shutdown
/// token, so a shutdown stops every run at once.
#[derive(Clone)]
struct RunControl {
    /// Finish the current page, export, end Stopped.
    stop: CancellationToken,
    /// Abandon the page in flight now.
    kill: CancellationToken,
}

/// Everything a run task needs.
struct Job {
    run_id: i64,
    agent_name: String,
    def: Arc<AgentDefinition>,
    control: RunControl,
}

/// A run's settings from the start request.
pub struct StartSettings<'a> {
    pub input_parameters: Option<&'a str>,
    pub parallelism: i64,
    /// The schedule starting the run, if one is.
    pub schedule_id: Option<i64>,
}

impl Runner {
    /// `workers` runs execute at once (at least one); more starts queue. Tasks are spawned on
    /// `tasks`; when `shutdown` is cancelled they abandon the page in flight and end their runs
    /// Stopped with the records saved so far.
    pub fn new(
        store: Store,
        fetcher: Fetcher,
        workers: usize,
        files_dir: PathBuf,
        shutdown: CancellationToken,
        tasks: TaskTracker,
    ) -> Runner {
        Runner {
            inner: Arc::new(Inner {
                store,
                fetcher,
                slots: Arc::new(Semaphore::new(workers.max(1))),
                spaces: SpaceGates::default(),
                files_dir,
                controls: Mutex::new(HashMap::new()),
                finished: Notify::new(),
                shutdown,
                tasks,
            }),
        }
    }

    /// Starts a run of the agent's current definition; answers at once with the new run
    /// (Starting, or Queuing when every slot is busy).
    pub fn start(
        &self,
        agent_id: i64,
        agent_name: &str,
        space_id: Option<i64>,
        (version, def): (i64, AgentDefinition),
        settings: &StartSettings<'_>,
    ) -> Result<AgentRun, RunnerError> {
        let admission = self.admit(space_id)?;
        let run = self.inner.store.create_run(&NewRun {
            agent_id,
            agent_name,
            agent_version: version,
            space_id,
            status: admission_status(&admission),
            input_parameters: settings.input_parameters,
            parallelism: settings.parallelism,
            schedule_id: settings.schedule_id,
        })?;
        self.launch(run.id, agent_name, def, admission);
        Ok(run)
    }

    /// What a run of an agent in `space_id` may take now (see `admission`).
    fn admit(&self, space_id: Option<i64>) -> Result<Admission, StoreError> {
        let limited = match space_id {
            Some(id) => self
                .inner
                .store
                .space(id)?
                .and_then(|s| s.concurrency_limit)
                .map(|limit| (id, limit)),
            None => None,
        };
        Ok(Admission::try_now(
            &self.inner.spaces,
            &self.inner.slots,
            limited,
        ))
    }

    /// Runs a Failure run again in place with the agent's current definition.
    pub fn restart(&self, agent_id: i64, run_id: i64) -> Result<AgentRun, RunnerError> {
        let store = &self.inner.store;
        let run = store
            .run(agent_id, run_id)?
            .ok_or(RunnerError::NotFound(run_id))?;
        let not_restartable = |status: RunStatus| RunnerError::NotRestartable {
            run_id,
            status: status.name(),
        };
        if run.status() != RunStatus::FAILURE {
            return Err(not_restartable(run.status()));
        }
        let (version, def) = store
            .current_definition(agent_id)?
            .ok_or(RunnerError::NotFound(run_id))?;
        let admission = self.admit(run.space_id)?;
        let status = admission_status(&admission);
        let Some(paths) = store.reset_failed_run(run_id, status, version)? else {
            // Someone else restarted it between the read and the reset.
            let now = store.run_status(run_id)?.unwrap_or(RunStatus::INVALID);
            return Err(not_restartable(now));
        };
        for path in paths {
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::debug!(run_id, path = %path.display(), error = %e, "old run file not removed");
            }
        }
        let name = run.config_name.clone().unwrap_or_default();
        self.launch(run_id, &name, def, admission);
        store
            .run(agent_id, run_id)?
            .ok_or(RunnerError::NotFound(run_id))
    }

    fn launch(&self, run_id: i64, agent_name: &str, def: AgentDefinition, admission: Admission) {
        let control = RunControl {
            stop: self.inner.shutdown.child_token(),
            kill: self.inner.shutdown.child_token(),
        };
        self.inner
            .controls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(run_id, control.clone());
        let job = Job {
            run_id,
            agent_name: agent_name.to_string(),
            def: Arc::new(def),
            control,
        };
        self.inner
            .tasks
            .spawn(run_task(self.inner.clone(), job, admission));
    }

    /// Runs queued or executing in this engine.
    pub fn active_runs(&self) -> usize {
        self.inner
            .controls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }

    fn control(&self, run_id: i64) -> Option<RunControl> {
        self.inner
            .controls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&run_id)
            .cloned()
    }

    /// Asks a run to finish its current page and stop.
    pub fn stop(&self, run_id: i64) -> Result<StopOutcome, RunnerError> {
        let store = &self.inner.store;
        let status = store
            .run_status(run_id)?
            .ok_or(RunnerError::NotFound(run_id))?;
        if status.is_terminal() {
            return Ok(StopOutcome::AlreadyFinished(status));
        }
        store.transition(
            run_id,
            &[
                RunStatus::RUNNING,
                RunStatus::EXPORTING,
                RunStatus::STARTING,
                RunStatus::QUEUING,
                RunStatus::WAITING,
            ],
            RunStatus::STOPPING,
        )?;
        if let Some(control) = self.control(run_id) {
            control.stop.cancel();
        }
        Ok(StopOutcome::Stopping)
    }

    /// First call: a stop. A call while the run is Stopping aborts the page in flight.
    pub fn kill(&self, run_id: i64) -> Result<StopOutcome, RunnerError> {
        let status = self
            .inner
            .store
            .run_status(run_id)?
            .ok_or(RunnerError::NotFound(run_id))?;
        if status != RunStatus::STOPPING {
            return self.stop(run_id);
        }
        if let Some(control) = self.control(run_id) {
            control.kill.cancel();
        }
        Ok(StopOutcome::Stopping)
    }

    /// Deletes a finished run with its records and files, or (`files_only`) only its files
    /// and records, with `input` also the parameters it was started with.
    pub fn delete(&self, run_id: i64, files_only: bool, input: bool) -> Result<(), RunnerError> {
        let store = &self.inner.store;
        let status = store
            .run_status(run_id)?
            .ok_or(RunnerError::NotFound(run_id))?;
        if status.is_active() {
            return Err(RunnerError::Active);
        }
        if files_only {
            store.remove_run_files(run_id, input)?;
        } else {
            store.delete_run(run_id)?;
        }
        let dir = self.inner.files_dir.join(run_id.to_string());
        if let Err(e) = std::fs::remove_dir_all(&dir) {
            tracing::debug!(run_id, error = %e, "run directory not removed");
        }
        Ok(())
    }

    /// Waits until the run has ended, at most `limit`. `None` when the time ran out or the
    /// engine is shutting down (the run goes on in the first case).
    pub async fn wait_until_finished(
        &self,
        run_id: i64,
        limit: Duration,
    ) -> Result<Option<RunStatus>, RunnerError> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            // Registered before the check, so an end between the check and the wait still wakes us.
            let notified = self.inner.finished.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let status = self
                .inner
                .store
                .run_status(run_id)?
                .ok_or(RunnerError::NotFound(run_id))?;
            if status.is_terminal() {
                return Ok(Some(status));
            }
            tokio::select! {
                _ = notified => {}
                _ = tokio::time::sleep_until(deadline) => return Ok(None),
                _ = self.inner.shutdown.cancelled() => return Ok(None),
            }
        }
    }
}

async fn run_task(inner: Arc<Inner>, job: Job, admission: Admission) {
    let queued = admission.is_queued();
    let Some(_admitted) = admission.wait(&inner.slots, &job.control.stop).await else {
        inner.end(
            &job,
            RunStatus::STOPPED,
            "Stopped while queued; nothing was fetched.",
            0,
        );
        return;
    };
    if queued
        && let Err(e) =
            inner
                .store
                .transition(job.run_id, &[RunStatus::QUEUING], RunStatus::STARTING)
    {
        tracing::warn!(run_id = job.run_id, error = %e, "could not mark the run Starting");
    }
    execute(&inner, &job).await;
}

/// Starting when the run may execute now, Queuing when it waits for a slot or its space.
fn admission_status(admission: &Admission) -> RunStatus {
    if admission.is_queued() {
        RunStatus::QUEUING
    } else {
        RunStatus::STARTING
    }
}

impl Inner {
    /// Writes the final state of a run; a storage failure here can only be logged.
    fn end(&self, job: &Job, status: RunStatus, message: &str, exported: i64) {
        if let Err(e) = self.store.finish_run(job.run_id, status, message, exported) {
            tracing::warn!(run_id = job.run_id, error = %e, "could not record the end of the run");
        }
        self.end_notify(job.run_id);
    }

    fn end_notify(&self, run_id: i64) {
        self.controls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&run_id);
        self.finished.notify_waiters();
    }
}

/// What the crawl learnt beyond the counters.
#[derive(Default)]
struct Report {
    /// Start URLs whose first page could not be read, with the reason.
    failures: Vec<String>,
    /// The engine-wide page cap ended the crawl.
    capped: bool,
}

async fn execute(inner: &Inner, job: &Job) {
    let dir = inner.files_dir.join(job.run_id.to_string());
    let mut log = match RunLog::create(&inner.store, job.run_id, &dir) {
        Ok(log) => log,
        Err(e) => {
            let message = format!(
                "The run could not start: its log file could not be created ({e}). Check that the data directory is writable."
            );
            inner.end(job, RunStatus::FAILURE, &message, 0);
            return;
        }
    };
    if let Err(e) = inner
        .store
        .transition(job.run_id, &[RunStatus::STARTING], RunStatus::RUNNING)
    {
        tracing::warn!(run_id = job.run_id, error = %e, "could not mark the run Running");
    }
    log.line(&format!(
        "Run {} of agent {:?} started: {} start URL(s), up to {} page(s) each.",
        job.run_id,
        job.agent_name,
        job.def.start_urls.len(),
        job.def.max_pages()
    ));

    let mut counters = Counters::default();
    let mut report = Report::default();
    let files = RecordFiles::create(&job.agent_name, &job.def, &dir)
        .map_err(|e| format!("The export failed: {e}"));
    let mut commits = PageCommits::new(inner.store.clone(), job.run_id, files);
    let mut crawl_error = None;
    let killed = tokio::select! {
        biased;
        _ = job.control.kill.cancelled() => true,
        result = crawl(inner, job, &mut log, &mut counters, &mut report, &mut commits) => {
            crawl_error = result.err();
            false
        }
    };
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
    // files count what the store really holds.
    let exported = commits
        .finish_files()
        .and_then(|(files, count)| list_files(&inner.store, job.run_id, &files).map(|()| count));
    if let Ok(records) = exported {
        counters.records = records;
        log.line(&format!("Exported {records} record(s)."));
    }
    if let Err(e) = inner.store.save_counters(job.run_id, &counters) {
        tracing::warn!(run_id = job.run_id, error = %e, "could not save run counters");
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
    inner.end(job, status, &message, exported.unwrap_or(0));
}

/// Writes a run's record files from the store into `dir` and lists them as its delivered
/// files, replacing an earlier export (blocking). Returns the records exported. Rebuilds the
/// export of a run a crash interrupted.
pub(super) fn export_run(
    store: &Store,
    run_id: i64,
    agent_name: &str,
    def: &AgentDefinition,
    dir: &std::path::Path,
) -> Result<i64, String> {
    let (files, count) = export::write_files(store, run_id, agent_name, def, dir)
        .map_err(|e| format!("The export failed: {e}"))?;
    list_files(store, run_id, &files)?;
    Ok(count)
}

/// Lists a run's finished record files as its delivered files.
fn list_files(store: &Store, run_id: i64, files: &[ExportedFile]) -> Result<(), String> {
    store
        .replace_delivered_files(
            run_id,
            files
                .iter()
                .map(|f| (f.name.as_str(), f.path.as_path(), f.size)),
        )
        .map_err(|e| format!("The export could not be listed: {e}"))
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
    if !report.failures.is_empty() && report.failures.len() == job.def.start_urls.len() {
        return (
            RunStatus::FAILURE,
            format!("No start URL could be read: {}", report.failures.join("; ")),
        );
    }
    let capped = if report.capped {
        " The engine's page limit per run ended the crawl early."
    } else {
        ""
    };
    match &job.def.success_criteria {
        Some(criteria) if (c.records as u64) >= criteria.min_records => (
            RunStatus::SUCCESS,
            format!(
                "Extracted {kept}; the success criteria (at least {} records) are met.{capped}",
                criteria.min_records
            ),
        ),
        Some(criteria) => (
            RunStatus::FAILURE,
            format!(
                "Success criteria not met: extracted {kept}, at least {} records required. Check the record selector and fields against the page, or lower min_records.{capped}",
                criteria.min_records
            ),
        ),
        None => (RunStatus::COMPLETED, format!("Extracted {kept}.{capped}")),
    }
}

/// Fetches and extracts every page the definition reaches, handing records and counters to
/// `commits` after each page, in page order (the start URLs are read ahead, see
/// [`PageReader`]). Returns early when a stop is requested.
async fn crawl(
    inner: &Inner,
    job: &Job,
    log: &mut RunLog,
    c: &mut Counters,
    report: &mut Report,
    commits: &mut PageCommits,
) -> Result<(), StoreError> {
    let max_per_run = i64::from(inner.fetcher.policy().max_pages_per_run);
    let mut visited = HashSet::new();
    let mut pages = PageReader::new(inner.fetcher.clone(), &job.def);
    let mut trail = PageTrail::default();
    let mut snapshots = PageSnapshots::default();
    'urls: for start in &job.def.start_urls {
        let mut next = match Url::parse(start) {
            Ok(url) => Some(url),
            Err(e) => {
                report
                    .failures
                    .push(format!("{start}: not a valid URL ({e})"));
                continue;
            }
        };
        let mut pages_here = 0u32;
        while let Some(url) = next.take() {
            // This page's records, committed with the counters below.
            let mut saved = Vec::new();
            let mut enough = false;
            if job.control.stop.is_cancelled() {
                log.line("Stop requested: no further pages will be fetched.");
                break 'urls;
            }
            if c.pages >= max_per_run {
                report.capped = true;
                log.line(&format!(
                    "Reached the engine's limit of {max_per_run} pages per run; stopping here."
                ));
                break 'urls;
            }
            if !visited.insert(url.clone()) {
                log.line(&format!(
                    "{url} was already read in this run; pagination stops here."
                ));
                break;
            }
            log.line(&format!("Fetching {url}"));
            c.actions += 1;
            let first = pages_here == 0;
            let mut read = commits.while_awaiting(pages.read(&url), log).await?;
            if let Some(html) = read.as_mut().ok().and_then(|page| page.html.take()) {
                snapshots.save(inner, job.run_id, &url, &html, log);
            }
            let seen = trail.keep(match &read {
                Ok(page) => page_log::read(&url, page),
                Err(e) => page_log::unread(&url, e),
            });
            match read {
                Err(e) => {
                    c.requests += i64::from(e.requests);
                    c.traffic += e.bytes as i64;
                    page_failed(log, c, report, &url, &e.message, first);
                }
                Ok(page) if page.status >= 400 => {
                    c.requests += i64::from(page.requests);
                    c.traffic += page.bytes as i64;
                    let reason = format!("the site answered HTTP {}", page.status);
                    page_failed(log, c, report, &url, &reason, first);
                }
                Ok(page) => {
                    c.requests += i64::from(page.requests);
                    c.traffic += page.bytes as i64;
                    c.pages += 1;
                    pages_here += 1;
                    let (status, bytes) = (page.status, page.bytes);
                    let extraction = page.extraction;
                    c.errors += i64::from(extraction.dropped);
                    let found = extraction.records.len() as i64;
                    if extraction.needs_javascript && found == 0 {
                        let reason = "the page builds its content with JavaScript, and pages that need JavaScript are not supported by the local engine";
                        page_failed(log, c, report, &url, reason, first);
                    }
                    saved = extraction.records;
                    // The agent's item limit: keep what is left of it, in page order.
                    if let Some(max) = job.def.max_records {
                        let left = usize::try_from((max as i64 - c.records).max(0)).unwrap_or(0);
                        if saved.len() >= left {
                            saved.truncate(left);
                            enough = true;
                        }
                    }
                    let found = saved.len() as i64;
                    c.records += found;
                    c.actions += found;
                    log.line(&format!(
                        "Page {}: {url} (HTTP {status}, {bytes} bytes): {found} record(s), {} dropped for missing required fields.",
                        c.pages, extraction.dropped
                    ));
                    if pages_here < job.def.max_pages() {
                        next = extraction.next_page;
                    } else if extraction.next_page.is_some() {
                        log.line(&format!(
                            "Reached max_pages ({}) for this start URL.",
                            job.def.max_pages()
                        ));
                    }
                }
            }
            commits.add(saved, c, seen, log)?;
            if enough {
                log.line(&format!(
                    "Reached max_records ({}); stopping here.",
                    job.def.max_records.unwrap_or_default()
                ));
                break 'urls;
            }
        }
    }
    Ok(())
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
        let written = super::private::create(&path)
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

/// Counts and narrates a page that yielded nothing; a start URL whose first page fails is
/// remembered, because a run where every start URL fails ends in Failure.
fn page_failed(
    log: &mut RunLog,
    c: &mut Counters,
    report: &mut Report,
    url: &Url,
    reason: &str,
    first: bool,
) {
    c.errors += 1;
    log.line(&format!("Could not read {url}: {reason}"));
    if first {
        report.failures.push(format!("{url}: {reason}"));
    }
}
