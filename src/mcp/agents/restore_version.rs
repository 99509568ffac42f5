//! `restore_version`: copy an old version of an agent into a new version; later runs use it.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Id, Tool, ToolFailure, failure::bounded_text},
    mcp::{
        Server,
        args::{self, Args},
    },
};

/// Longest version comment accepted.
const MAX_COMMENT_CHARS: usize = 500;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreVersionInput {
    /// Agent to restore.
    pub agent_id: Id,
    /// From list_versions.
    #[serde(deserialize_with = "crate::jobs::number::required")]
    pub version: i64,
    /// Why; kept with the version (1 to 500 chars).
    pub comment: String,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct RestoreVersionOutput {
    pub agent_id: Id,
    pub restored: i64,
    /// The version created, now current.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_version: Option<i64>,
    pub next_step: String,
}

#[tool_router(router = restore_version_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Restore an old version of an agent: it is copied into a new, current version.
    #[tool(
        title = "Restore version",
        input_schema = args::schema::<RestoreVersionInput>()
    )]
    async fn restore_version(
        &self,
        Args(input): Args<RestoreVersionInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<RestoreVersionOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let comment = bounded_text("comment", input.comment.trim(), MAX_COMMENT_CHARS)?;
        if comment.is_empty() {
            return Err(ToolFailure::invalid(
                "comment is empty",
                "Say why, e.g. \"back to version 3: version 4 broke the price field\"",
            ));
        }
        let agent = self
            .jobs
            .restore_version(&agent_id, input.version, comment)
            .await?;
        let saved = agent.version.map_or("Restored".to_string(), |v| {
            format!("Version {} was copied into version {v}", input.version)
        });
        let run = self.guide(&ctx).when(Tool::RunAgent, || {
            format!(" Run it with run_agent (agent_id={agent_id}).")
        });
        Ok(Json(RestoreVersionOutput {
            agent_id,
            restored: input.version,
            new_version: agent.version,
            next_step: format!("{saved}.{run}"),
        }))
    }
}
