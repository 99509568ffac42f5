//! Agents: one line of an agent list, and an agent's details and versions (the agents
//! toolset): what it starts from, what it takes and extracts, which version it is.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::Id;

/// One agent in a list.
#[derive(Debug, Clone)]
pub struct AgentSummary {
    pub id: Id,
    pub name: String,
    /// State name of the agent's last run.
    pub last_status: Option<String>,
    pub last_activity: Option<DateTime<Utc>>,
    pub version: Option<i64>,
}

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
