//! Agent Builder endpoints: start, status, stop, and the events cursor.

use reqwest::Method;

use super::{
    ApiError, Client, Repeat,
    types::{
        BuilderEvents, BuilderFollowupResponse, BuilderStartRequest, BuilderStartResponse,
        BuilderStatus,
    },
};

impl Client {
    /// Opens a builder session from a plain-language prompt. Never repeated (a repeat would
    /// open a second session and build a second agent).
    pub async fn builder_start(&self, req: &BuilderStartRequest) -> Result<String, ApiError> {
        let body = serde_json::to_value(req).map_err(|e| ApiError::Decode(e.to_string()))?;
        let resp: BuilderStartResponse = self
            .send_json(
                Method::POST,
                "/api/v1/agent-builder/start",
                &body,
                Repeat::Never,
            )
            .await?;
        match resp.session_id.filter(|s| !s.is_empty()) {
            Some(id) => Ok(id),
            None => Err(ApiError::Status {
                status: 422,
                message: resp
                    .error
                    .unwrap_or_else(|| "the Agent Builder did not open a session".into()),
                code: None,
            }),
        }
    }

    pub async fn builder_status(&self, session_id: &str) -> Result<BuilderStatus, ApiError> {
        self.get_json(
            &format!("/api/v1/agent-builder/{}/status", encode(session_id)),
            &[],
        )
        .await
    }

    /// Aborts a build. Safe to repeat: it has no effect once the session is terminal.
    pub async fn builder_stop(&self, session_id: &str) -> Result<(), ApiError> {
        self.post_void(
            &format!("/api/v1/agent-builder/{}/stop", encode(session_id)),
            Repeat::Safe,
        )
        .await
    }

    /// Sends a follow-up message ("add the rating") to a session. Never repeated: a repeat
    /// would apply the change twice.
    pub async fn builder_followup(
        &self,
        session_id: &str,
        message: &str,
    ) -> Result<BuilderFollowupResponse, ApiError> {
        let body = serde_json::json!({ "message": message });
        let answer: BuilderFollowupResponse = self
            .send_json(
                Method::POST,
                &format!("/api/v1/agent-builder/{}/followup", encode(session_id)),
                &body,
                Repeat::Never,
            )
            .await?;
        match (answer.success, &answer.error) {
            (Some(false), error) => Err(ApiError::Status {
                status: 422,
                message: error
                    .clone()
                    .unwrap_or_else(|| "the Agent Builder refused the follow-up".into()),
                code: None,
            }),
            _ => Ok(answer),
        }
    }

    /// Events after `last_event_index` (-1 for all). Deployments without the events endpoint
    /// answer 404; callers treat that as "no narration".
    pub async fn builder_events(
        &self,
        session_id: &str,
        last_event_index: i64,
    ) -> Result<BuilderEvents, ApiError> {
        self.get_json(
            &format!("/api/v1/agent-builder/{}/events", encode(session_id)),
            &[("lastEventIndex", last_event_index.to_string())],
        )
        .await
    }
}

/// Session ids are opaque strings from the server or the model: keep them inside one path segment.
fn encode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}
