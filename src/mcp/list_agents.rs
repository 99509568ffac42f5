//! `list_agents`: find agents by name, a page at a time.

use rmcp::{Json, handler::server::wrapper::Parameters, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Server,
    failure::{ToolFailure, in_range, positive_id},
};
use crate::{api::agents::AgentQuery, records::sanitize::clean_text};

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ListAgentsInput {
    /// Only agents whose name contains this text (case-insensitive).
    #[serde(default)]
    pub query: Option<String>,
    /// Only agents of this space.
    #[serde(default)]
    pub space_id: Option<i64>,
    /// Page number, from 1 (default 1).
    #[serde(default)]
    pub page: Option<i64>,
    /// Agents per page, 1..100 (default 20).
    #[serde(default)]
    pub per_page: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct AgentItem {
    pub id: i64,
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
}

#[tool_router(router = list_agents_router, vis = "pub(super)")]
impl Server {
    /// List agents (id, name, last run status), optionally filtered by name. Use the id with
    /// run_agent, list_runs or fetch_records.
    #[tool(
        title = "List agents",
        annotations(
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = true
        )
    )]
    async fn list_agents(
        &self,
        Parameters(input): Parameters<ListAgentsInput>,
    ) -> Result<Json<ListAgentsOutput>, ToolFailure> {
        let page = positive_id("page", input.page.unwrap_or(1))?;
        let per_page = in_range("per_page", input.per_page.unwrap_or(20), 1, 100)?;
        let query = AgentQuery {
            name: input.query.clone(),
            space_id: input
                .space_id
                .map(|s| positive_id("space_id", s))
                .transpose()?,
            page: page as u32,
            per_page: per_page as u32,
        };
        let result = self
            .client
            .list_agents(&query)
            .await
            .map_err(|e| ToolFailure::from_api(e, "the agent list"))?;
        let agents: Vec<AgentItem> = result
            .agents
            .iter()
            .filter_map(|a| {
                Some(AgentItem {
                    id: a.id?,
                    name: clean_text(a.name.as_deref().unwrap_or("")).into_owned(),
                    last_status: a.status.map(|s| s.name()),
                    last_activity: a.last_activity.map(|t| t.to_rfc3339()),
                    version: a.version,
                })
            })
            .collect();
        let seen = (page - 1) * per_page + result.agents.len() as i64;
        let more = match result.total_record_count {
            Some(total) => seen < total,
            None => result.agents.len() as i64 == per_page,
        };
        Ok(Json(ListAgentsOutput {
            agents,
            total: result.total_record_count,
            next_page: more.then_some(page + 1),
        }))
    }
}
