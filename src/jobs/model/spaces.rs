//! Spaces: named groups of agents, listed with their agents, and what starting all of a
//! space's agents at once did.

use super::{Id, agent_details::AgentSummary};

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
