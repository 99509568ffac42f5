//! `list_runs`: an agent's recent runs, newest first.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{
        ACTIVE_SCAN, Id, Run, ToolFailure,
        number::in_range,
        views::{RunSummary, RunView, quoted},
    },
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRunsInput {
    /// Agent whose runs to list.
    pub agent_id: Id,
    /// Runs to return, 1 to 100 (default 10).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
    pub limit: Option<i64>,
    /// Only runs still in progress.
    #[serde(default)]
    pub active_only: bool,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListRunsOutput {
    pub agent_id: Id,
    /// Newest first.
    pub runs: Vec<RunSummary>,
    /// More runs exist than were returned.
    pub truncated: bool,
    pub next_step: String,
}

#[tool_router(router = list_runs_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Recent runs of an agent, newest first, with status and record counts.
    #[tool(
        title = "List runs",
        input_schema = args::schema::<ListRunsInput>()
    )]
    async fn list_runs(
        &self,
        Args(input): Args<ListRunsInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<ListRunsOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let limit = in_range("limit", input.limit.unwrap_or(10), 1, 100)? as usize;
        // Ask for one more than needed so a longer list is reported as truncated, not hidden.
        let wanted = if input.active_only {
            ACTIVE_SCAN.max(limit as u32 + 1)
        } else {
            limit as u32 + 1
        };
        let guide = self.guide(&ctx);
        let runs = self.jobs.platform.list_runs(&agent_id, wanted).await?;
        let mut matching: Vec<&Run> = runs
            .iter()
            .filter(|r| !input.active_only || r.is_active())
            .collect();
        let truncated = matching.len() > limit;
        matching.truncate(limit);
        let agent = quoted(&agent_id);
        let next_step = match matching.first() {
            None if input.active_only => format!("Agent {agent} has no active run."),
            None => format!(
                "Agent {agent} has never run{}.",
                guide.when(crate::jobs::Tool::RunAgent, || format!(
                    "; start it with run_agent (agent_id={agent})"
                ))
            ),
            Some(newest) => format!(
                "Pass a run_id to get_run_status or fetch_records (agent_id={agent}); the newest is run_id={}{}.",
                quoted(&newest.run_id),
                if truncated {
                    "; raise limit to see older runs"
                } else {
                    ""
                }
            ),
        };
        Ok(Json(ListRunsOutput {
            agent_id,
            runs: matching
                .into_iter()
                .map(|r| RunSummary::from(RunView::new(r, guide)))
                .collect(),
            truncated,
            next_step,
        }))
    }
}
