//! An agent's details and versions (the agents toolset): what it starts from, what it takes
//! and extracts, which version it is, its last run; restoring an old version as a new one.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{Code, Id, Jobs, Run, ToolFailure};

/// One agent as get_agent shows it.
#[derive(Debug, Clone)]
pub struct AgentDetails {
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    pub start_url: Option<String>,
    /// Input parameter name -> default value.
    pub input_parameters: Map<String, Value>,
    pub version: Option<i64>,
    pub space_id: Option<Id>,
    pub archived: bool,
    /// Names of the fields it extracts, where the platform shows its definition.
    pub fields: Vec<String>,
    pub created: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
}

/// One saved version of an agent.
#[derive(Debug, Clone)]
pub struct AgentVersion {
    pub version: i64,
    pub created: Option<DateTime<Utc>>,
    pub comment: Option<String>,
    pub author: Option<String>,
}

impl Jobs {
    /// The agent's details and its newest run (none when it never ran).
    pub async fn agent_details(
        &self,
        agent_id: &Id,
    ) -> Result<(AgentDetails, Option<Run>), ToolFailure> {
        let details = self.platform.agent(agent_id).await?;
        let last = self
            .platform
            .list_runs(agent_id, 1)
            .await?
            .into_iter()
            .next();
        Ok((details, last))
    }

    /// Copies `version` into a new version with `comment` and returns the agent as it is
    /// afterwards. A version the agent does not have is refused before anything changes,
    /// naming the versions it does have.
    pub async fn restore_version(
        &self,
        agent_id: &Id,
        version: i64,
        comment: &str,
    ) -> Result<AgentDetails, ToolFailure> {
        let versions = self.platform.versions(agent_id).await?;
        if !versions.iter().any(|v| v.version == version) {
            let have: Vec<String> = versions.iter().map(|v| v.version.to_string()).collect();
            return Err(ToolFailure::new(
                Code::NotFound,
                format!(
                    "Agent {agent_id} has no version {version} (it has {})",
                    if have.is_empty() {
                        "none".to_string()
                    } else {
                        have.join(", ")
                    }
                ),
                format!(
                    "Pick one of those; list_versions with agent_id={agent_id} shows their comments"
                ),
            ));
        }
        self.platform
            .restore_version(agent_id, version, comment)
            .await?;
        self.platform.agent(agent_id).await
    }
}
