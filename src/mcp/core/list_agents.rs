//! `list_agents`: find agents by name, a page at a time.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Id, Tool, ToolFailure, failure::bounded_text, number::in_range, platform::AgentQuery},
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
pub struct ListAgentsInput {
    /// Only agents whose name contains this text (case-insensitive, at most 200 characters).
    #[serde(default)]
    pub query: Option<String>,
    /// Only agents of this space.
    #[serde(default)]
    pub space_id: Option<Id>,
    /// Page number, from 1 (default 1).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
    pub page: Option<i64>,
    /// Agents per page, 1 to 100 (default 20).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
    pub per_page: Option<i64>,
    /// Include archived agents.
    #[serde(default)]
    pub archived: bool,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct AgentItem {
    pub id: Id,
    pub name: String,
    /// Status of the last run; absent if it never ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_activity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListAgentsOutput {
    pub agents: Vec<AgentItem>,
    /// Agents matching in all pages, when the platform reports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// Next page number, absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<i64>,
    pub next_step: String,
}

#[tool_router(router = list_agents_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// List agents (id, name, last run status), optionally filtered by name.
    #[tool(
        title = "List agents",
        input_schema = args::schema::<ListAgentsInput>()
    )]
    async fn list_agents(
        &self,
        Args(input): Args<ListAgentsInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<ListAgentsOutput>, ToolFailure> {
        let input = input?;
        let page = in_range("page", input.page.unwrap_or(1), 1, 100_000)?;
        let per_page = in_range("per_page", input.per_page.unwrap_or(20), 1, 100)?;
        let name = input
            .query
            .as_deref()
            .map(|q| bounded_text("query", q, MAX_QUERY_CHARS))
            .transpose()?;
        let query = AgentQuery {
            name: name.map(str::to_string),
            space_id: input
                .space_id
                .as_ref()
                .map(|s| self.jobs.id("space_id", s))
                .transpose()?,
            page: page as u32,
            per_page: per_page as u32,
            include_archived: input.archived,
        };
        let result = self.jobs.platform.list_agents(&query).await?;
        let seen = (page - 1) * per_page + result.agents.len() as i64;
        let more = match result.total {
            Some(total) => seen < total,
            None => result.agents.len() as i64 == per_page,
        };
        let agents: Vec<AgentItem> = result
            .agents
            .into_iter()
            .map(|a| AgentItem {
                id: a.id,
                name: clean_text(&a.name).into_owned(),
                last_status: a.last_status,
                last_activity: a.last_activity.map(|t| t.to_rfc3339()),
                version: a.version,
            })
            .collect();
        let guide = self.guide(&ctx);
        let next_step = if agents.is_empty() && page == 1 {
            match (name, guide.offers(Tool::BuildAgent)) {
                (Some(_), _) => "No agent name contains that text; call list_agents without query to see them all.".to_string(),
                (None, true) => "No agents yet: build one with build_agent from the user's request (URL and fields).".to_string(),
                (None, false) => "No agents exist yet.".to_string(),
            }
        } else if more {
            format!("Call list_agents with page={} for more.", page + 1)
        } else {
            "This is the last page. Use an agent's id with list_runs or fetch_records.".to_string()
        };
        Ok(Json(ListAgentsOutput {
            agents,
            total: result.total,
            next_page: more.then_some(page + 1),
            next_step,
        }))
    }
}
