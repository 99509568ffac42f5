//! Runs agents for real: a pool of worker slots, the run lifecycle, and stop, kill and restart.
//! This is the handle the endpoints hold; one run's execution is in [`run`].
//!
//! Lifecycle: Queuing (4, only while every slot is busy) -> Starting (3) -> Running (1) ->
//! Exporting (2) -> Completed (9), or Success (10) / Failure (6) when the definition has success
//! criteria. A stop request moves the run to Stopping (5): the page in flight is finished, what
//! was extracted is exported, and the run ends Stopped (8). A kill while Stopping abandons the
//! page in flight at once; records already saved are still exported. A run that lost pages
//! (Failure, or "completed with errors") is restarted in place (same run id): it reads the
//! pages it lost and what they lead to, keeping its records. A Failure with nothing to resume
//! from starts over only when it kept no records; otherwise the restart is refused and says to
//! start a new run, so records are never dropped without a word.
//!
//! Each run is one task. A few pages' records and the run's counters are committed together
//! (see [`PageCommits`]: at most 100 ms after a page was read), so memory stays bounded,
//! status polls see progress, and a crash loses nothing that status reported. Every run that got as far as fetching ends with its records exported, Failure
//! included. When the engine shuts down, active runs end Stopped with what they saved. Status
//! changes that can race with the stop endpoint are conditional transitions in the store.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

mod admission;
mod run;

use admission::{Admission, SpaceGates};
use tokio::sync::{Notify, Semaphore};
use tokio_util::{sync::CancellationToken, task::TaskTracker};

use super::{
    definition::AgentDefinition,
    export::{self, ExportedFile},
    fetch::Fetcher,
    store::{Counters, LostPage, NewRun, Store, StoreError},
};
use crate::api::types::{AgentRun, RunStatus};

/// What went wrong with a run request.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("run {0} was not found")]
    NotFound(i64),
    #[error(
        "run {run_id} is {status} and only a run in Failure or one that completed with errors (lost pages) can be restarted; start a new run instead"
    )]
    NotRestartable { run_id: i64, status: String },
    #[error(
        "run {run_id} has no lost pages to resume from, and restarting it would start it over and drop its {records} record(s); start a new run instead (its records stay readable)"
    )]
    NothingToResume { run_id: i64, records: i64 },
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
    /// Set when the run resumes: what it had lost and the counters it had.
    resume: Option<Resume>,
}

/// Where a restarted run picks up.
struct Resume {
    lost: Vec<LostPage>,
    counters: Counters,
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
        self.launch(run.id, agent_name, def, admission, None);
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

    /// Restarts a run in place with the agent's current definition: a run that lost pages
    /// (Failure, or completed with errors) reads them and what they lead to, keeping its
    /// records; a Failure that kept no records starts over. Anything else is refused.
    pub fn restart(&self, agent_id: i64, run_id: i64) -> Result<AgentRun, RunnerError> {
        let store = &self.inner.store;
        let run = store
            .run(agent_id, run_id)?
            .ok_or(RunnerError::NotFound(run_id))?;
        let not_restartable = |status: RunStatus| RunnerError::NotRestartable {
            run_id,
            status: status.name(),
        };
        let status = run.status();
        let lost = store.lost_pages(run_id)?;
        let with_errors = status.is_terminal() && !lost.is_empty();
        if status != RunStatus::FAILURE && !with_errors {
            return Err(not_restartable(status));
        }
        let records = run.data_count.unwrap_or(0);
        if lost.is_empty() && records > 0 {
            return Err(RunnerError::NothingToResume { run_id, records });
        }
        let (version, def) = store
            .current_definition(agent_id)?
            .ok_or(RunnerError::NotFound(run_id))?;
        let admission = self.admit(run.space_id)?;
        let next = admission_status(&admission);
        let resume = if lost.is_empty() {
            let Some(paths) = store.reset_failed_run(run_id, next, version)? else {
                return Err(not_restartable(
                    store.run_status(run_id)?.unwrap_or(RunStatus::INVALID),
                ));
            };
            for path in paths {
                if let Err(e) = std::fs::remove_file(&path) {
                    tracing::debug!(run_id, path = %path.display(), error = %e, "old run file not removed");
                }
            }
            None
        } else {
            if !store.resume_run(run_id, status, next, version)? {
                // Someone else restarted it between the read and the reset.
                return Err(not_restartable(
                    store.run_status(run_id)?.unwrap_or(RunStatus::INVALID),
                ));
            }
            Some(Resume {
                lost,
                counters: counters_of(&run),
            })
        };
        let name = run.config_name.clone().unwrap_or_default();
        self.launch(run_id, &name, def, admission, resume);
        store
            .run(agent_id, run_id)?
            .ok_or(RunnerError::NotFound(run_id))
    }

    fn launch(
        &self,
        run_id: i64,
        agent_name: &str,
        def: AgentDefinition,
        admission: Admission,
        resume: Option<Resume>,
    ) {
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
            resume,
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
            (0, &Counters::default()),
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
    run::execute(&inner, &job).await;
}

/// The counters a run had reached, from its row.
fn counters_of(run: &AgentRun) -> Counters {
    Counters {
        actions: run.action_count.unwrap_or(0),
        pages: run.page_count.unwrap_or(0),
        requests: run.request_count.unwrap_or(0),
        records: run.data_count.unwrap_or(0),
        // The lost pages no longer count: they are read again.
        errors: (run.error_count.unwrap_or(0) - run.lost_page_count.unwrap_or(0)).max(0),
        traffic: run.traffic.unwrap_or(0),
    }
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
    /// Writes the final state of a run (`exported` records and the run's counters) and says so
    /// in the engine's log, so `engine logs` tells what ran and how it ended; a storage failure
    /// here can only be logged.
    fn end(
        &self,
        job: &Job,
        status: RunStatus,
        message: &str,
        (exported, counters): (i64, &Counters),
    ) {
        if let Err(e) = self.store.finish_run(job.run_id, status, message, exported) {
            tracing::warn!(run_id = job.run_id, error = %e, "could not record the end of the run");
        }
        if status == RunStatus::FAILURE {
            tracing::warn!(
                run_id = job.run_id,
                agent = %job.agent_name,
                pages = counters.pages,
                records = counters.records,
                errors = counters.errors,
                reason = %message,
                "run failed"
            );
        } else {
            tracing::info!(
                run_id = job.run_id,
                agent = %job.agent_name,
                status = %status.name(),
                pages = counters.pages,
                records = counters.records,
                errors = counters.errors,
                "run ended"
            );
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
