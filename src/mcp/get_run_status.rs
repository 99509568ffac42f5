//! `get_run_status`: a run's status now, or after waiting a bounded time for it to finish.

use std::time::Duration;

use rmcp::{
    Json, RoleServer, handler::server::wrapper::Parameters, service::RequestContext, tool,
    tool_router,
};
use schemars::JsonSchema;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::{
    Server,
    failure::{ToolFailure, positive_id},
    views::RunView,
    wait::{WaitEnd, Waiter, clamp_wait},
};
use crate::api::types::AgentRun;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetRunStatusInput {
    /// Agent of the run.
    pub agent_id: i64,
    /// Run from run_agent or list_runs.
    pub run_id: i64,
    /// Seconds to wait for the run to finish, 0..45 (default 0 = answer at once).
    #[serde(default)]
    pub wait_seconds: Option<i64>,
}

#[tool_router(router = get_run_status_router, vis = "pub(super)")]
impl Server {
    /// Status and counters of a run. With wait_seconds > 0, waits until the run finishes or the
    /// wait ends (progress is reported meanwhile). When terminal, next_step says how to read
    /// the records.
    #[tool(
        title = "Get run status",
        annotations(
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = true
        )
    )]
    async fn get_run_status(
        &self,
        Parameters(input): Parameters<GetRunStatusInput>,
        cancel: CancellationToken,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<RunView>, ToolFailure> {
        let agent_id = positive_id("agent_id", input.agent_id)?;
        let run_id = positive_id("run_id", input.run_id)?;
        let run = self.run_snapshot(agent_id, run_id).await?;
        let mut waiter = Waiter::new(cancel, &ctx);
        let budget = clamp_wait(input.wait_seconds, 0);
        let (run, _) = self
            .wait_for_run(&mut waiter, run, agent_id, run_id, budget)
            .await?;
        Ok(Json(RunView::from_run(&run, agent_id)))
    }
}

impl Server {
    pub(super) async fn run_snapshot(
        &self,
        agent_id: i64,
        run_id: i64,
    ) -> Result<AgentRun, ToolFailure> {
        self.client
            .run_status(agent_id, run_id)
            .await
            .map_err(|e| ToolFailure::from_api(e, &format!("run {run_id} of agent {agent_id}")))
    }

    /// Waits (bounded) until the run is terminal, reporting progress.
    pub(super) async fn wait_for_run(
        &self,
        waiter: &mut Waiter,
        first: AgentRun,
        agent_id: i64,
        run_id: i64,
        budget: Duration,
    ) -> Result<(AgentRun, WaitEnd), ToolFailure> {
        waiter
            .wait_for(
                first,
                budget,
                self.settings.poll_interval,
                || self.run_snapshot(agent_id, run_id),
                |run| run.status().is_terminal(),
                describe_run,
            )
            .await
    }
}

/// One progress line: status and counters.
fn describe_run(run: &AgentRun) -> String {
    format!(
        "{}: {} records, {} pages, {} errors",
        run.status().name(),
        run.data_count.unwrap_or(0),
        run.page_count.unwrap_or(0),
        run.error_count.unwrap_or(0)
    )
}
