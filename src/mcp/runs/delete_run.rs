//! `delete_run`: delete a finished run, or only its files; a run in progress is refused with
//! what to do instead.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Code, Id, Tool, ToolFailure, summary::Removal, views::run_args},
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteRunInput {
    /// Agent.
    pub agent_id: Id,
    /// The run.
    pub run_id: Id,
    /// What to delete (default: run).
    #[serde(default)]
    pub remove: Removal,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct DeleteRunOutput {
    pub agent_id: Id,
    pub run_id: Id,
    pub removed: Removal,
    pub next_step: String,
}

#[tool_router(router = delete_run_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Delete a finished run (records and files) or only its files. Refuses active runs.
    /// Irreversible.
    #[tool(
        title = "Delete run",
        input_schema = args::schema::<DeleteRunInput>()
    )]
    async fn delete_run(
        &self,
        Args(input): Args<DeleteRunInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<DeleteRunOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let run_id = self.jobs.id("run_id", &input.run_id)?;
        let ids = run_args(&agent_id, &run_id);
        let run = self.jobs.run(&agent_id, &run_id).await?;
        if !run.is_terminal() {
            let hint = match self.guide(&ctx).offers(Tool::StopRun) {
                true => format!("Stop it first with stop_run ({ids}), then delete it"),
                false => "Wait until it has finished, then delete it".to_string(),
            };
            return Err(ToolFailure::new(
                Code::Conflict,
                format!("Run {run_id} is still {} and cannot be deleted", run.status),
                hint,
            ));
        }
        self.jobs
            .platform
            .delete_run(&agent_id, &run_id, input.remove)
            .await?;
        let next_step = match input.remove {
            Removal::Run => format!("Run {run_id} is gone; tell the user."),
            _ => format!(
                "The files of run {run_id} are gone; the run and its counters remain ({ids})."
            ),
        };
        Ok(Json(DeleteRunOutput {
            agent_id,
            run_id,
            removed: input.remove,
            next_step,
        }))
    }
}
