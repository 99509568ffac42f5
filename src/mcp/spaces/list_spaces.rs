//! `list_spaces`: spaces (optionally by name) with their agents.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Id, Tool, ToolFailure, failure::bounded_text},
    mcp::{
        Server,
        args::{self, Args},
    },
    records::sanitize::clean_text,
};

/// Longest name filter accepted.
const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListSpacesInput {
    /// Only spaces whose name contains this, any case.
    #[serde(default)]
    pub query: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SpaceItem {
    pub space_id: Id,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency_limit: Option<i64>,
    pub agents: Vec<SpaceAgentItem>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SpaceAgentItem {
    pub id: Id,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListSpacesOutput {
    pub spaces: Vec<SpaceItem>,
    pub next_step: String,
}

#[tool_router(router = list_spaces_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Spaces (groups of agents) with their agents.
    #[tool(
        title = "List spaces",
        input_schema = args::schema::<ListSpacesInput>()
    )]
    async fn list_spaces(
        &self,
        Args(input): Args<ListSpacesInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<ListSpacesOutput>, ToolFailure> {
        let input = input?;
        let query = input
            .query
            .as_deref()
            .map(|q| bounded_text("query", q, MAX_QUERY_CHARS))
            .transpose()?
            .filter(|q| !q.trim().is_empty());
        let spaces = self.jobs.platform.spaces(query).await?;
        let next_step = match (spaces.first(), query) {
            (None, Some(_)) => {
                "No space name contains that text; call list_spaces without query to see them all."
                    .to_string()
            }
            (None, None) => "There are no spaces.".to_string(),
            (Some(first), _) => self.guide(&ctx).when(Tool::RunSpace, || {
                format!(
                    "Start every agent of a space with run_space (space_id={}).",
                    first.id
                )
            }),
        };
        Ok(Json(ListSpacesOutput {
            spaces: spaces
                .into_iter()
                .map(|s| SpaceItem {
                    space_id: s.id,
                    name: clean_text(&s.name).into_owned(),
                    concurrency_limit: s.concurrency_limit,
                    agents: s
                        .agents
                        .into_iter()
                        .map(|a| SpaceAgentItem {
                            id: a.id,
                            name: clean_text(&a.name).into_owned(),
                            last_status: a.last_status,
                        })
                        .collect(),
                })
                .collect(),
            next_step: if next_step.is_empty() {
                "Show the user the spaces.".to_string()
            } else {
                next_step
            },
        }))
    }
}
