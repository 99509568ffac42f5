//! `get_run_diagnostics`: why a run failed, from what the platform (or the engine's runner)
//! recorded about it.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{
        Code, Id, Tool, ToolFailure,
        diagnostics::PageTrace,
        views::{quoted, run_args},
    },
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetRunDiagnosticsInput {
    /// Agent.
    pub agent_id: Id,
    /// Run (default: latest failure).
    #[serde(default)]
    pub run_id: Option<Id>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct GetRunDiagnosticsOutput {
    /// Absent when no run had problems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub causes: Vec<String>,
    pub actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub page_log: Vec<String>,
    pub next_step: String,
}

#[tool_router(router = get_run_diagnostics_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Why a run failed: causes, actions, and per-page status, time and problems where
    /// recorded. Default: the latest failure.
    #[tool(
        title = "Diagnose run",
        input_schema = args::schema::<GetRunDiagnosticsInput>()
    )]
    async fn get_run_diagnostics(
        &self,
        Args(input): Args<GetRunDiagnosticsInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<GetRunDiagnosticsOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let run_id = input
            .run_id
            .as_ref()
            .map(|r| self.jobs.id("run_id", r))
            .transpose()?;
        let found = self
            .jobs
            .platform
            .diagnose(&agent_id, run_id.as_ref())
            .await;
        let d = match found {
            Ok(d) => d,
            // No run with problems is an answer, once the agent is known to exist.
            Err(e) if e.code == Code::NotFound && run_id.is_none() => {
                self.jobs.platform.list_runs(&agent_id, 1).await?;
                return Ok(Json(nothing_wrong(&agent_id)));
            }
            Err(e) => return Err(e),
        };
        let guide = self.guide(&ctx);
        let restartable = self
            .jobs
            .run(&d.agent_id, &d.run_id)
            .await
            .is_ok_and(|r| r.restartable);
        let next_step = "Tell the user the likely cause and the suggested actions".to_string()
            + &if restartable {
                guide.when(Tool::RestartRun, || {
                    format!(
                        "; once it is fixed, restart_run with {} reads the pages it missed and keeps its records",
                        run_args(&d.agent_id, &d.run_id)
                    )
                })
            } else {
                guide.when(Tool::RunAgent, || {
                    format!(
                        "; once it is fixed, run_agent with agent_id={} tries again",
                        quoted(&d.agent_id)
                    )
                })
            }
            + ".";
        Ok(Json(GetRunDiagnosticsOutput {
            run_id: Some(d.run_id),
            message: d.message,
            causes: d.causes,
            actions: d.actions,
            page_log: d.page_log.iter().map(PageTrace::line).collect(),
            next_step,
        }))
    }
}

/// The answer when the agent has no run that failed or lost pages.
fn nothing_wrong(agent_id: &Id) -> GetRunDiagnosticsOutput {
    GetRunDiagnosticsOutput {
        run_id: None,
        message: Some(format!(
            "No run of agent {agent_id} failed or lost pages: there is nothing to diagnose."
        )),
        causes: Vec::new(),
        actions: Vec::new(),
        page_log: Vec::new(),
        next_step: format!(
            "Tell the user no run of this agent went wrong; to look at one run anyway, pass its run_id (list_runs with agent_id={} lists them).",
            quoted(agent_id)
        ),
    }
}
