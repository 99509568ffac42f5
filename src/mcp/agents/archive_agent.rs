//! `archive_agent`: archive an agent (hidden from lists, kept with its runs) or bring it back.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Id, Tool, ToolFailure},
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveAgentInput {
    /// Agent to archive.
    pub agent_id: Id,
    /// false unarchives (default true).
    #[serde(default = "yes")]
    pub archived: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ArchiveAgentOutput {
    pub agent_id: Id,
    pub archived: bool,
    pub next_step: String,
}

#[tool_router(router = archive_agent_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Archive an agent (hidden from list_agents unless archived=true; runs are kept) or
    /// unarchive it.
    #[tool(
        title = "Archive agent",
        input_schema = args::schema::<ArchiveAgentInput>()
    )]
    async fn archive_agent(
        &self,
        Args(input): Args<ArchiveAgentInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<ArchiveAgentOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        self.jobs
            .platform
            .set_archived(&agent_id, input.archived)
            .await?;
        let guide = self.guide(&ctx);
        let next_step = if input.archived {
            format!(
                "Archived; list_agents shows it only with archived=true.{}",
                guide.when(Tool::ArchiveAgent, || format!(
                    " Undo with archive_agent (agent_id={agent_id}, archived=false)."
                ))
            )
        } else {
            format!(
                "Unarchived; it is listed again.{}",
                guide.when(Tool::RunAgent, || format!(
                    " Run it with run_agent (agent_id={agent_id})."
                ))
            )
        };
        Ok(Json(ArchiveAgentOutput {
            agent_id,
            archived: input.archived,
            next_step,
        }))
    }
}
