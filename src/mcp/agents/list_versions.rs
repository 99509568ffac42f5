//! `list_versions`: an agent's saved versions with their comments, newest (current) first.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Id, Tool, ToolFailure},
    mcp::{
        Server,
        args::{self, Args},
    },
    records::sanitize::clean_text,
};

/// Versions listed at most (the newest).
const MAX_VERSIONS: usize = 50;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListVersionsInput {
    /// Agent whose versions to list.
    pub agent_id: Id,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct VersionItem {
    pub version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListVersionsOutput {
    pub agent_id: Id,
    pub versions: Vec<VersionItem>,
    /// More versions exist than are listed.
    pub truncated: bool,
    pub next_step: String,
}

#[tool_router(router = list_versions_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// An agent's versions with their comments, newest (current) first.
    #[tool(
        title = "List versions",
        input_schema = args::schema::<ListVersionsInput>()
    )]
    async fn list_versions(
        &self,
        Args(input): Args<ListVersionsInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<ListVersionsOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let versions = self.jobs.platform.versions(&agent_id).await?;
        let truncated = versions.len() > MAX_VERSIONS;
        let next_step = self.guide(&ctx).when(Tool::RestoreVersion, || {
            format!("To go back to one, call restore_version with agent_id={agent_id}, version and a comment.")
        });
        Ok(Json(ListVersionsOutput {
            versions: versions
                .into_iter()
                .take(MAX_VERSIONS)
                .map(|v| VersionItem {
                    version: v.version,
                    created: v.created.map(|t| t.to_rfc3339()),
                    comment: v.comment.map(|c| clean_text(&c).into_owned()),
                    author: v.author,
                })
                .collect(),
            agent_id,
            truncated,
            next_step: if next_step.is_empty() {
                "Show the user the versions.".to_string()
            } else {
                next_step
            },
        }))
    }
}
