//! `POST /api/v1/agent/{id}/version/{version}/restore` with `{"content": "<comment>"}`: copies
//! an old version into a new one (the cloud's shape). 404 when the agent or the version does
//! not exist; 200 with no body otherwise, as the cloud answers.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Deserialize;

use super::{Answer, AppState, Failure, existing_agent, json_body, parse_id};

#[derive(Deserialize)]
struct Restore {
    /// The comment kept with the new version (`Content` from PascalCase clients).
    #[serde(alias = "Content")]
    content: Option<String>,
}

pub(super) async fn restore(
    State(state): State<AppState>,
    Path((agent_id, version)): Path<(String, String)>,
    body: Bytes,
) -> Answer<StatusCode> {
    let agent = existing_agent(&state, &agent_id)?;
    let id = agent.id.unwrap_or_default();
    let version = parse_id(&version, "version")?;
    let req: Restore = json_body(&body)?;
    let comment = req
        .content
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| format!("Restored from version {version}"));
    state
        .store
        .restore_version(id, version, Some(&comment))?
        .ok_or_else(|| {
            Failure::not_found(
                "version-not-found",
                "Version not found",
                format!(
                    "Agent {id} has no version {version}; GET /api/v1/agent/{id}/versions lists its versions."
                ),
            )
        })?;
    Ok(StatusCode::OK)
}
