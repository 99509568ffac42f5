//! `stop_run`: stop a run (gracefully, or forced) or abort an agent build.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::{
    jobs::{
        Id, RunState, ToolFailure,
        failure::bounded_text,
        number,
        platform::StopMode,
        views::{BuildView, RunView, run_args},
        wait::Waiter,
    },
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StopRunInput {
    /// Agent of the run.
    #[serde(default)]
    pub agent_id: Option<Id>,
    /// Run to stop.
    #[serde(default)]
    pub run_id: Option<Id>,
    /// A build_agent session to abort, instead of a run.
    #[serde(default)]
    pub session_id: Option<String>,
    /// Runs only: terminate at once (default false).
    #[serde(default)]
    pub force: Option<bool>,
    /// Runs only: seconds to wait for the run to end, 0 to 45 (default 10).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
    pub wait_seconds: Option<i64>,
}

/// Either the stopped run or the aborted build.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct StopRunOutput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<BuildView>,
}

/// Longest build session id accepted.
const MAX_SESSION_CHARS: usize = 200;

#[tool_router(router = stop_run_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Stop a run (agent_id + run_id): it finishes the current page and ends Stopped, its
    /// records readable with fetch_records; force=true terminates it at once. Or abort a
    /// build (session_id).
    #[tool(
        title = "Stop a run or build",
        input_schema = args::schema::<StopRunInput>()
    )]
    async fn stop_run(
        &self,
        Args(input): Args<StopRunInput>,
        cancel: CancellationToken,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<StopRunOutput>, ToolFailure> {
        let input = input?;
        let guide = self.guide(&ctx);
        match (input.session_id.as_deref(), &input.agent_id, &input.run_id) {
            (Some(session), None, None) => {
                if input.force.is_some() || input.wait_seconds.is_some() {
                    return Err(ToolFailure::invalid(
                        "force and wait_seconds apply to runs, not to builds; a build is aborted at once",
                        "Call stop_run with session_id alone",
                    ));
                }
                let session = bounded_text("session_id", session.trim(), MAX_SESSION_CHARS)?;
                let build = self.jobs.stop_build(session).await?;
                Ok(Json(StopRunOutput {
                    run: None,
                    build: Some(BuildView::new(&build, guide)),
                }))
            }
            (None, Some(agent_id), Some(run_id)) => {
                let agent_id = self.jobs.id("agent_id", agent_id)?;
                let run_id = self.jobs.id("run_id", run_id)?;
                let force = input.force.unwrap_or(false);
                let mode = if force {
                    StopMode::Force
                } else {
                    StopMode::Graceful
                };
                let budget = number::wait(input.wait_seconds, 10)?;
                let mut waiter = Waiter::new(cancel, &ctx);
                let (_, run) = self
                    .jobs
                    .stop(&mut waiter, &agent_id, &run_id, mode, budget)
                    .await?;
                let mut view = RunView::new(&run, guide);
                if run.state == RunState::Stopping {
                    let ids = run_args(&agent_id, &run_id);
                    view.next_step = if force {
                        format!(
                            "Kill sent; the run was still stopping when the {}-second wait ended. Call get_run_status with {ids} to confirm it ended.",
                            budget.as_secs()
                        )
                    } else {
                        format!(
                            "The run is finishing its current page. Call get_run_status with {ids}, wait_seconds=30; if it stays stopping, call stop_run again with force=true."
                        )
                    };
                }
                Ok(Json(StopRunOutput {
                    run: Some(view),
                    build: None,
                }))
            }
            _ => Err(ToolFailure::invalid(
                "stop_run needs agent_id and run_id (to stop a run) or session_id alone (to abort a build)",
                "Pass exactly one of those",
            )),
        }
    }
}
