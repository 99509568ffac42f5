//! Runs: reading, waiting, starting with duplicate protection (one agent, or every agent of a
//! space), answering a paused run, stopping and restarting.

use std::time::Duration;

use futures::future::join_all;
use serde_json::{Map, Value};

use super::{
    ACTIVE_SCAN, Code, Id, Jobs, Run, RunState, ToolFailure,
    model::{
        platform::{StartRun, StopMode},
        spaces::{SpaceRun, SpaceStart},
    },
    views::{describe_run, run_args},
    wait::{WaitEnd, Waiter},
};

/// The outcome of run_agent's start.
#[derive(Debug)]
pub struct Started {
    /// The run as the wait left it.
    pub run: Run,
    /// An active run was returned instead of starting a new one.
    pub already_running: bool,
    pub end: WaitEnd,
}

impl Jobs {
    pub async fn run(&self, agent_id: &Id, run_id: &Id) -> Result<Run, ToolFailure> {
        self.platform.run(agent_id, run_id).await
    }

    /// Waits (bounded) until the run is terminal or paused for a person, reporting progress.
    pub async fn wait_for_run(
        &self,
        waiter: &mut Waiter,
        first: Run,
        budget: Duration,
    ) -> Result<(Run, WaitEnd), ToolFailure> {
        let (agent_id, run_id) = (first.agent_id.clone(), first.run_id.clone());
        waiter
            .wait_for(
                first,
                budget,
                self.poll_interval,
                || self.run(&agent_id, &run_id),
                |run: &Run| run.is_terminal() || run.needs_someone(),
                describe_run,
            )
            .await
    }

    /// The agent's newest active run, if any.
    pub async fn active_run(&self, agent_id: &Id) -> Result<Option<Run>, ToolFailure> {
        let runs = self.platform.list_runs(agent_id, ACTIVE_SCAN).await?;
        Ok(runs.into_iter().find(Run::is_active))
    }

    /// Starts a run (or, unless `allow_concurrent`, returns the active one) and waits a bounded
    /// time for it to finish. A failure after the start still names the run, so it is never
    /// lost.
    pub async fn start(
        &self,
        waiter: &mut Waiter,
        agent_id: &Id,
        mut start: StartRun,
        allow_concurrent: bool,
        budget: Duration,
    ) -> Result<Started, ToolFailure> {
        if !allow_concurrent && let Some(active) = self.active_run(agent_id).await? {
            return Ok(Started {
                run: active,
                already_running: true,
                end: WaitEnd::Done,
            });
        }
        start.exclusive = !allow_concurrent;
        let started = self
            .platform
            .start_run(agent_id, &start)
            .await
            .map_err(|f| uncertain_start(f, agent_id))?;
        let run_id = started.run_id.clone();
        let (run, end) = self
            .wait_for_run(waiter, started, budget)
            .await
            .map_err(|f| started_run(f, agent_id, &run_id))?;
        Ok(Started {
            run,
            already_running: false,
            end,
        })
    }

    /// Asks a run to stop and waits a bounded time for it to end. Returns the run before the
    /// request and as the wait left it.
    pub async fn stop(
        &self,
        waiter: &mut Waiter,
        agent_id: &Id,
        run_id: &Id,
        mode: StopMode,
        budget: Duration,
    ) -> Result<(Run, Run), ToolFailure> {
        if mode == StopMode::Force && !self.platform.info().can_force_stop {
            return Err(ToolFailure::invalid(
                "This platform has no forced stop",
                "Call stop_run without force; the run is canceled as soon as the platform can",
            ));
        }
        let before = self.run(agent_id, run_id).await?;
        if before.is_terminal() {
            return Err(ToolFailure::new(
                Code::Conflict,
                format!(
                    "Run {run_id} already ended ({}); there is nothing to stop",
                    before.status
                ),
                format!(
                    "Read its records with fetch_records ({})",
                    run_args(agent_id, run_id)
                ),
            ));
        }
        self.platform.stop_run(agent_id, run_id, mode).await?;
        let first = self.run(agent_id, run_id).await?;
        let (after, _) = self.wait_for_run(waiter, first, budget).await?;
        Ok((before, after))
    }

    /// Restarts a failed run, or one that completed with errors, in place (it resumes where it
    /// lost pages, keeping its records) and waits a bounded time for it to finish.
    pub async fn restart(
        &self,
        waiter: &mut Waiter,
        agent_id: &Id,
        run_id: &Id,
        budget: Duration,
    ) -> Result<(Run, WaitEnd), ToolFailure> {
        let before = self.run(agent_id, run_id).await?;
        if !before.restartable {
            let why = match before.state {
                RunState::Failed => {
                    "it was archived, and only a failed run still in the active list restarts"
                        .to_string()
                }
                state if state.is_terminal() => {
                    format!(
                        "it ended {} and only a failed run, or one that completed with errors, restarts",
                        before.status
                    )
                }
                _ => format!("it is still {}", before.status),
            };
            return Err(ToolFailure::new(
                Code::Conflict,
                format!("Run {run_id} cannot be restarted: {why}"),
                if before.is_terminal() {
                    format!("Start a new run with run_agent (agent_id={agent_id})")
                } else {
                    format!(
                        "Follow it with get_run_status ({})",
                        run_args(agent_id, run_id)
                    )
                },
            ));
        }
        self.platform.restart_run(agent_id, run_id).await?;
        let first = self.run(agent_id, run_id).await?;
        self.wait_for_run(waiter, first, budget)
            .await
            .map_err(|f| started_run(f, agent_id, run_id))
    }
}

/// A start that timed out, lost its connection or met a server error may still have started
/// a run (the platform may have queued it before failing to answer), so the model is told to
/// look before starting again.
fn uncertain_start(failure: ToolFailure, agent_id: &Id) -> ToolFailure {
    if !matches!(failure.code, Code::Timeout | Code::UpstreamUnavailable) {
        return failure;
    }
    ToolFailure {
        message: format!(
            "{}; the run may or may not have started",
            failure.message.trim_end_matches('.')
        ),
        hint: format!(
            "Call list_runs with agent_id={} to check before calling run_agent again",
            super::views::quoted(agent_id)
        ),
        ..failure
    }
}

/// Adds the handle of a run that did start, so a failure while waiting never loses it.
fn started_run(failure: ToolFailure, agent_id: &Id, run_id: &Id) -> ToolFailure {
    ToolFailure {
        message: format!(
            "Run {run_id} of agent {agent_id} was started, but following it failed: {}",
            failure.message
        ),
        hint: format!(
            "Call get_run_status with {} later. {}",
            run_args(agent_id, run_id),
            failure.hint
        ),
        ..failure
    }
}

impl Jobs {
    /// Answers a paused run after checking the answer against its question, and returns the run
    /// as the platform reports it next.
    pub async fn answer(
        &self,
        run_id: &Id,
        values: &Map<String, Value>,
    ) -> Result<Run, ToolFailure> {
        let Some(question) = self.platform.interaction(run_id).await? else {
            return Err(ToolFailure::new(
                Code::Conflict,
                format!("Run {run_id} is not waiting for input"),
                "Check it with get_run_status; only a run in phase waiting_for_input takes an answer",
            ));
        };
        question.check_answer(values)?;
        self.platform.answer_interaction(run_id, values).await
    }
}

/// Runs whose state run_space reads back to tell started from queued; the platform's answer
/// alone is reported for the rest, so one call stays within the cloud's rate limit.
pub const STATE_CHECKS: usize = 50;

/// A space start's agent with its run as it was right after the start (when read).
#[derive(Debug, Clone)]
pub struct StartedAgent {
    pub start: SpaceStart,
    pub run: Option<Run>,
}

impl StartedAgent {
    /// started, queued or refused.
    pub fn outcome(&self) -> &'static str {
        match (&self.start.run_id, &self.run) {
            (None, _) => "refused",
            (Some(_), Some(run)) if run.state == RunState::Queued => "queued",
            (Some(_), _) => "started",
        }
    }
}

impl Jobs {
    /// Starts every agent of the space and reads back the state of each new run, so queued
    /// runs (beyond the space's concurrency limit) are told from started ones.
    pub async fn run_space(
        &self,
        space_id: &Id,
        input: Option<&Map<String, Value>>,
    ) -> Result<(SpaceRun, Vec<StartedAgent>), ToolFailure> {
        let result = self.platform.run_space(space_id, input).await?;
        let reads = result
            .agents
            .iter()
            .enumerate()
            .map(|(i, start)| async move {
                let run = match &start.run_id {
                    // A failed read only loses the distinction between started and queued.
                    Some(run_id) if i < STATE_CHECKS => {
                        self.platform.run(&start.agent_id, run_id).await.ok()
                    }
                    _ => None,
                };
                StartedAgent {
                    start: start.clone(),
                    run,
                }
            });
        let agents = join_all(reads).await;
        Ok((result, agents))
    }
}
