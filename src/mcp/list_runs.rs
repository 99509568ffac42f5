//! `list_runs`: an agent's recent runs, newest first.

use rmcp::{Json, handler::server::wrapper::Parameters, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Server,
    failure::{ToolFailure, in_range, positive_id},
    views::{RunSummary, RunView},
};

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ListRunsInput {
    /// Agent whose runs to list.
    pub agent_id: i64,
    /// Runs to return, 1..100 (default 10).
    #[serde(default)]
    pub limit: Option<i64>,
    /// Only runs still in progress.
    #[serde(default)]
    pub active_only: bool,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListRunsOutput {
    pub agent_id: i64,
    /// Newest first.
    pub runs: Vec<RunSummary>,
    /// More runs exist than were returned.
    pub truncated: bool,
}

/// Recent runs searched for active ones when `active_only` is set.
const ACTIVE_SCAN: u32 = 100;

#[tool_router(router = list_runs_router, vis = "pub(super)")]
impl Server {
    /// Recent runs of an agent, newest first, with status and record counts. Use a run_id with
    /// get_run_status or fetch_records.
    #[tool(
        title = "List runs",
        annotations(
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = true
        )
    )]
    async fn list_runs(
        &self,
        Parameters(input): Parameters<ListRunsInput>,
    ) -> Result<Json<ListRunsOutput>, ToolFailure> {
        let agent_id = positive_id("agent_id", input.agent_id)?;
        let limit = in_range("limit", input.limit.unwrap_or(10), 1, 100)? as usize;
        // Ask for one more than needed so a longer list is reported as truncated, not hidden.
        // Active runs may be older than the newest few finished ones, so that filter looks
        // further back.
        let wanted = if input.active_only {
            ACTIVE_SCAN.max(limit as u32 + 1)
        } else {
            limit as u32 + 1
        };
        let runs = self
            .client
            .list_runs(agent_id, wanted)
            .await
            .map_err(|e| ToolFailure::from_api(e, &format!("agent {agent_id}")))?;
        let mut matching: Vec<RunSummary> = runs
            .iter()
            .filter(|r| !input.active_only || r.status().is_active())
            .map(|r| RunSummary::from(&RunView::from_run(r, agent_id)))
            .collect();
        let truncated = matching.len() > limit;
        matching.truncate(limit);
        Ok(Json(ListRunsOutput {
            agent_id,
            runs: matching,
            truncated,
        }))
    }
}
