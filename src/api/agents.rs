//! Agent endpoints: list (paged), get; and the embedded engine's definition editing (read,
//! dry-run, save as a new version), which Sequentum cloud does not offer.

use serde_json::{Value, json};

use reqwest::Method;

use super::{
    ApiError, Client, Repeat,
    types::{Agent, AgentDefinitionBody, AgentPage, DefinitionTestRequest, DefinitionTestResult},
};

/// Filters for `GET /api/v1/agent/all`.
#[derive(Debug, Clone, Default)]
pub struct AgentQuery {
    /// Name contains (case-insensitive).
    pub name: Option<String>,
    pub space_id: Option<i64>,
    /// 1-based page.
    pub page: u32,
    pub per_page: u32,
    /// Archived agents too.
    pub include_archived: bool,
}

impl Client {
    /// One page of agents, sorted by name. Always sends both paging parameters, so the answer
    /// is the `{agents, totalRecordCount}` object rather than a bare array.
    pub async fn list_agents(&self, q: &AgentQuery) -> Result<AgentPage, ApiError> {
        let mut query = vec![
            ("pageIndex", q.page.max(1).to_string()),
            ("recordsPerPage", q.per_page.max(1).to_string()),
            ("sortColumn", "name".to_string()),
            ("sortOrder", "0".to_string()),
        ];
        if let Some(name) = q.name.as_deref().filter(|n| !n.trim().is_empty()) {
            query.push(("name", name.trim().to_string()));
        }
        if let Some(space) = q.space_id {
            query.push(("spaceId", space.to_string()));
        }
        if q.include_archived {
            query.push(("includeArchived", "true".to_string()));
        }
        // Some deployments answer a bare array even with paging parameters; accept both.
        let value: serde_json::Value = self.get_json("/api/v1/agent/all", &query).await?;
        if value.is_array() {
            let agents: Vec<Agent> =
                serde_json::from_value(value).map_err(|e| ApiError::Decode(e.to_string()))?;
            return Ok(AgentPage {
                total_record_count: Some(agents.len() as i64),
                agents,
            });
        }
        serde_json::from_value(value).map_err(|e| ApiError::Decode(e.to_string()))
    }

    /// One agent's details (the agents toolset's get_agent will show them).
    pub async fn get_agent(&self, agent_id: i64) -> Result<Agent, ApiError> {
        self.get_json(&format!("/api/v1/agent/{agent_id}"), &[])
            .await
    }

    /// The agent's current definition and version (embedded engine).
    pub async fn agent_definition(&self, agent_id: i64) -> Result<AgentDefinitionBody, ApiError> {
        self.get_json(&format!("/api/v1/agent/{agent_id}/definition"), &[])
            .await
    }

    /// Tries a definition on one page without saving it (embedded engine). Changes nothing,
    /// so it may be repeated.
    pub async fn test_definition(
        &self,
        req: &DefinitionTestRequest,
    ) -> Result<DefinitionTestResult, ApiError> {
        let body = serde_json::to_value(req).map_err(|e| ApiError::Decode(e.to_string()))?;
        self.send_json(
            Method::POST,
            "/api/v1/agent/test-definition",
            &body,
            Repeat::Safe,
        )
        .await
    }

    /// Saves `definition` (whole, or a change merged onto the current one) as the agent's next
    /// version with `comments` (embedded engine). Never repeated: a repeat would save twice.
    pub async fn update_definition(
        &self,
        agent_id: i64,
        definition: &Value,
        comments: &str,
    ) -> Result<Agent, ApiError> {
        let body = json!({"definition": definition, "comments": comments});
        self.send_json(
            Method::PUT,
            &format!("/api/v1/agent/{agent_id}"),
            &body,
            Repeat::Never,
        )
        .await
    }
}
