//! Agent versions: list, and restore an old one as a new version.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    ApiError, Client, Repeat,
    types::{Timestamp, lenient_i64, lenient_time},
};

/// One saved version (`GET /agent/{id}/versions`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Version {
    pub user_name: Option<String>,
    pub version: i64,
    #[serde(deserialize_with = "lenient_time")]
    pub created: Option<Timestamp>,
    pub comments: Option<String>,
    #[serde(deserialize_with = "lenient_i64")]
    pub file_size: Option<i64>,
}

impl Client {
    pub async fn versions(&self, agent_id: i64) -> Result<Vec<Version>, ApiError> {
        self.get_json(&format!("/api/v1/agent/{agent_id}/versions"), &[])
            .await
    }

    /// Copies `version` into a new version kept with `comment` (the API answers no body).
    /// Never repeated: a repeat would save a second copy.
    pub async fn restore_version(
        &self,
        agent_id: i64,
        version: i64,
        comment: &str,
    ) -> Result<(), ApiError> {
        let path = format!("/api/v1/agent/{agent_id}/version/{version}/restore");
        let body = json!({ "content": comment });
        let timeout = self.options().request_timeout;
        self.send(
            Method::POST,
            &path,
            &[],
            Some(&body),
            Repeat::Never,
            timeout,
        )
        .await
        .map(drop)
    }
}
