//! `get_run_status`: a run's status now, or after waiting a bounded time for it to finish.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use crate::{
    jobs::{Id, ToolFailure, number, views::RunView, wait::Waiter},
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetRunStatusInput {
    /// Agent of the run.
    pub agent_id: Id,
    /// Run from run_agent or list_runs.
    pub run_id: Id,
    /// Seconds to wait for the run to end, 0 to 45 (default 0).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
    pub wait_seconds: Option<i64>,
}

#[tool_router(router = get_run_status_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Status and counters of a run; with wait_seconds > 0, waits for its end (reporting
    /// progress). When terminal, next_step says how to read the records.
    #[tool(
        title = "Get run status",
        input_schema = args::schema::<GetRunStatusInput>()
    )]
    async fn get_run_status(
        &self,
        Args(input): Args<GetRunStatusInput>,
        cancel: CancellationToken,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<RunView>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let run_id = self.jobs.id("run_id", &input.run_id)?;
        let run = self.jobs.run(&agent_id, &run_id).await?;
        let mut waiter = Waiter::new(cancel, &ctx);
        let budget = number::wait(input.wait_seconds, 0)?;
        let (run, _) = self.jobs.wait_for_run(&mut waiter, run, budget).await?;
        // A run paused for input: the user answers directly where the client allows it.
        let run = self.ask_user(run, &ctx.peer, &mut waiter, budget).await?;
        Ok(Json(RunView::new(&run, self.guide(&ctx))))
    }
}
