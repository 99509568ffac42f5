//! Spaces: named groups of agents, listed with their agents and started all at once.

use futures::future::join_all;
use serde_json::{Map, Value};

use super::{Id, Jobs, Run, RunState, ToolFailure, platform::AgentSummary};

/// Runs whose state run_space reads back to tell started from queued; the platform's answer
/// alone is reported for the rest, so one call stays within the cloud's rate limit.
pub const STATE_CHECKS: usize = 50;

/// One space with its (unarchived) agents.
#[derive(Debug, Clone)]
pub struct Space {
    pub id: Id,
    pub name: String,
    /// Runs of the space's agents that may execute at once (the engine); others queue.
    pub concurrency_limit: Option<i64>,
    pub agents: Vec<AgentSummary>,
}

/// What starting every agent of a space did, agent by agent.
#[derive(Debug, Clone)]
pub struct SpaceRun {
    pub space_id: Id,
    pub space_name: String,
    pub agents: Vec<SpaceStart>,
}

/// One agent of a space start: a run id, or why none was started.
#[derive(Debug, Clone)]
pub struct SpaceStart {
    pub agent_id: Id,
    pub agent_name: String,
    pub run_id: Option<Id>,
    /// The platform's reason for not starting it (e.g. "Agent is already running").
    pub refused: Option<String>,
}

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
