//! `stop_run`: stop a run (gracefully, or forced) or abort an Agent Builder session.

use rmcp::{
    Json, RoleServer, handler::server::wrapper::Parameters, service::RequestContext, tool,
    tool_router,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::{
    Server,
    failure::{Code, ToolFailure, positive_id},
    views::{BuildView, RunView},
    wait::{Waiter, clamp_wait},
};
use crate::api::types::RunStatus;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct StopRunInput {
    /// Agent of the run to stop (with run_id).
    #[serde(default)]
    pub agent_id: Option<i64>,
    /// Run to stop (with agent_id).
    #[serde(default)]
    pub run_id: Option<i64>,
    /// A build_agent session to abort, instead of a run.
    #[serde(default)]
    pub session_id: Option<String>,
    /// Kill instead of stop (default false). A second forced call while the run is Stopping
    /// terminates it at once and may lose in-flight work.
    #[serde(default)]
    pub force: bool,
    /// Seconds to wait for the run to end, 0..45 (default 10).
    #[serde(default)]
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

#[tool_router(router = stop_run_router, vis = "pub(super)")]
impl Server {
    /// Stop a run (agent_id + run_id): it finishes the current page, keeps the records
    /// extracted so far and ends Stopped. force=true kills it instead. Or abort a build
    /// (session_id). Records of a stopped run stay readable with fetch_records.
    #[tool(
        title = "Stop a run or build",
        annotations(
            read_only_hint = false,
            destructive_hint = true,
            idempotent_hint = true,
            open_world_hint = true
        )
    )]
    async fn stop_run(
        &self,
        Parameters(input): Parameters<StopRunInput>,
        cancel: CancellationToken,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<StopRunOutput>, ToolFailure> {
        match (input.session_id.as_deref(), input.agent_id, input.run_id) {
            (Some(session), None, None) => {
                let build = self.stop_build(session).await?;
                Ok(Json(StopRunOutput {
                    run: None,
                    build: Some(build),
                }))
            }
            (None, Some(agent_id), Some(run_id)) => {
                let agent_id = positive_id("agent_id", agent_id)?;
                let run_id = positive_id("run_id", run_id)?;
                let mut waiter = Waiter::new(cancel, &ctx);
                let run = self
                    .stop_agent_run(
                        &mut waiter,
                        agent_id,
                        run_id,
                        input.force,
                        input.wait_seconds,
                    )
                    .await?;
                Ok(Json(StopRunOutput {
                    run: Some(run),
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

impl Server {
    async fn stop_agent_run(
        &self,
        waiter: &mut Waiter,
        agent_id: i64,
        run_id: i64,
        force: bool,
        wait_seconds: Option<i64>,
    ) -> Result<RunView, ToolFailure> {
        let subject = format!("run {run_id} of agent {agent_id}");
        let before = self.run_snapshot(agent_id, run_id).await?;
        if before.status().is_terminal() {
            return Err(ToolFailure::new(
                Code::Conflict,
                format!(
                    "Run {run_id} already ended ({}); there is nothing to stop",
                    before.status().name()
                ),
                format!(
                    "Read its records with fetch_records (agent_id={agent_id}, run_id={run_id})"
                ),
            ));
        }
        let outcome = if force {
            self.client.kill_run(agent_id, run_id).await
        } else {
            self.client.stop_run(agent_id, run_id).await
        };
        outcome.map_err(|e| ToolFailure::from_api(e, &subject))?;
        let first = self.run_snapshot(agent_id, run_id).await?;
        let (run, _) = self
            .wait_for_run(
                waiter,
                first,
                agent_id,
                run_id,
                clamp_wait(wait_seconds, 10),
            )
            .await?;
        let mut view = RunView::from_run(&run, agent_id);
        if run.status() == RunStatus::STOPPING {
            view.next_step = if force && before.status() == RunStatus::STOPPING {
                format!(
                    "The kill was sent; call get_run_status with agent_id={agent_id}, run_id={run_id} to confirm it ended."
                )
            } else {
                format!(
                    "The run is finishing its current page. Call get_run_status with agent_id={agent_id}, run_id={run_id}, wait_seconds=30; if it stays Stopping, call stop_run again with force=true."
                )
            };
        }
        Ok(view)
    }

    async fn stop_build(&self, session_id: &str) -> Result<BuildView, ToolFailure> {
        let session_id = session_id.trim();
        let subject = format!("build session {session_id:?}");
        self.client
            .builder_stop(session_id)
            .await
            .map_err(|e| ToolFailure::from_api(e, &subject))?;
        self.build_snapshot(session_id).await
    }
}
