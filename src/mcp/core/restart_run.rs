//! `restart_run`: resume a failed run, or one that completed with errors, in place (same run
//! id) and wait a bounded time for it.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use crate::{
    jobs::{
        Id, ToolFailure, number,
        views::RunView,
        wait::{WaitEnd, Waiter},
    },
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestartRunInput {
    /// Agent of the run.
    pub agent_id: Id,
    /// A run with restartable: true.
    pub run_id: Id,
    /// Seconds to wait for the run to end, 0 to 45 (default 20).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
    pub wait_seconds: Option<i64>,
}

#[tool_router(router = restart_run_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Resume a run with restartable: true in place (same run_id): it reads the pages it
    /// missed and keeps its records. For others, start a new run with run_agent.
    #[tool(
        title = "Resume a failed run",
        input_schema = args::schema::<RestartRunInput>()
    )]
    async fn restart_run(
        &self,
        Args(input): Args<RestartRunInput>,
        cancel: CancellationToken,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<RunView>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let run_id = self.jobs.id("run_id", &input.run_id)?;
        let mut waiter = Waiter::new(cancel, &ctx);
        let (run, end) = self
            .jobs
            .restart(
                &mut waiter,
                &agent_id,
                &run_id,
                number::wait(input.wait_seconds, 20)?,
            )
            .await?;
        let mut view = RunView::new(&run, self.guide(&ctx));
        if end == WaitEnd::TimedOut {
            view.next_step = format!("Restarted and still {}: {}", view.phase, view.next_step);
        }
        Ok(Json(view))
    }
}
