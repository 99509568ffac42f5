//! `update_agent_definition`: validate a definition (or a change to the agent's) and save it
//! as the agent's next version with a comment.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{
    jobs::{Id, Tool, ToolFailure, definitions::checked_definition, failure::bounded_text},
    mcp::{
        Server,
        args::{self, Args},
    },
};

/// Longest version comment accepted.
const MAX_COMMENT_CHARS: usize = 500;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAgentDefinitionInput {
    /// Agent to update.
    pub agent_id: Id,
    /// The definition, or a change merged onto the current one as test_agent_definition does.
    pub definition: Map<String, Value>,
    /// What changed and why, kept with the version (1 to 500 characters).
    pub comment: String,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct UpdateAgentDefinitionOutput {
    pub agent_id: Id,
    /// The new version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    pub comment: String,
    pub next_step: String,
}

#[tool_router(router = update_agent_definition_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Validate a definition (or a change to the agent's) and save it as the agent's next
    /// version with a comment; later runs use it. Test it first with test_agent_definition.
    #[tool(
        title = "Update an agent definition",
        input_schema = args::schema::<UpdateAgentDefinitionInput>()
    )]
    async fn update_agent_definition(
        &self,
        Args(input): Args<UpdateAgentDefinitionInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<UpdateAgentDefinitionOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let comment = bounded_text("comment", input.comment.trim(), MAX_COMMENT_CHARS)?;
        if comment.is_empty() {
            return Err(ToolFailure::invalid(
                "comment is empty",
                "Say what changed and why, e.g. \"price: .prise matched nothing, use .price\"",
            ));
        }
        let definition = checked_definition(input.definition)?;
        let version = self
            .jobs
            .platform
            .update_definition(&agent_id, &definition, comment)
            .await?;
        let saved = version.map_or("Saved".to_string(), |v| format!("Saved as version {v}"));
        let run = self.guide(&ctx).when(Tool::RunAgent, || {
            format!(" Run it with run_agent (agent_id={agent_id}) to extract with the new version.")
        });
        Ok(Json(UpdateAgentDefinitionOutput {
            agent_id,
            version,
            comment: comment.to_string(),
            next_step: format!("{saved}.{run}"),
        }))
    }
}
