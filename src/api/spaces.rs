//! Spaces: list them, list a space's agents, start every agent of a space. The wire types
//! are shared with the embedded engine, which serves the same endpoints.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{
    ApiError, Client, Repeat,
    types::{RunStatus, Timestamp, lenient_i64, lenient_status, lenient_time},
};

/// A space (`GET /spaces`, `/spaces/{id}`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Space {
    pub id: i64,
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient_i64")]
    pub organization_id: Option<i64>,
    #[serde(deserialize_with = "lenient_time")]
    pub created: Option<Timestamp>,
    pub is_default_access: Option<bool>,
    /// Runs of the space's agents that execute at once; the rest queue (the engine's own
    /// field; the cloud does not send it).
    #[serde(
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub concurrency_limit: Option<i64>,
}

/// An agent of a space (`GET /spaces/{id}/agents`; archived agents are left out).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SpaceAgent {
    pub id: i64,
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient_i64")]
    pub config_type: Option<i64>,
    /// Status of the last run; null when it never ran.
    #[serde(deserialize_with = "lenient_status")]
    pub status: Option<RunStatus>,
    #[serde(deserialize_with = "lenient_time")]
    pub last_activity: Option<Timestamp>,
    #[serde(deserialize_with = "lenient_i64")]
    pub version: Option<i64>,
}

/// The answer of `POST /spaces/{id}/run-all`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunSpaceResult {
    pub space_id: i64,
    pub space_name: Option<String>,
    pub total_agents: i64,
    pub agents_started: i64,
    pub agents_failed: i64,
    pub results: Vec<RunSpaceItem>,
}

/// One agent of a space start.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunSpaceItem {
    pub agent_id: i64,
    pub agent_name: Option<String>,
    pub success: bool,
    #[serde(deserialize_with = "lenient_i64")]
    pub run_id: Option<i64>,
    pub error_message: Option<String>,
}

impl Client {
    pub async fn spaces(&self) -> Result<Vec<Space>, ApiError> {
        self.get_json("/api/v1/spaces", &[]).await
    }

    pub async fn space_agents(&self, space_id: i64) -> Result<Vec<SpaceAgent>, ApiError> {
        self.get_json(&format!("/api/v1/spaces/{space_id}/agents"), &[])
            .await
    }

    /// Starts every agent of the space; `input_parameters` is JSON text, as run starts take
    /// it. Never repeated: a repeat would start every agent again.
    pub async fn run_space(
        &self,
        space_id: i64,
        input_parameters: Option<String>,
    ) -> Result<RunSpaceResult, ApiError> {
        let body = match input_parameters {
            Some(text) => json!({ "InputParameters": text }),
            None => Value::Object(Default::default()),
        };
        self.send_json(
            Method::POST,
            &format!("/api/v1/spaces/{space_id}/run-all"),
            &body,
            Repeat::Never,
        )
        .await
    }
}
