//! Agent Builder endpoints: start, status, stop, the long-polling events cursor, and the
//! follow-up that refines the agent a session built.

use std::time::Duration;

use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
    http::StatusCode,
};
use serde::Deserialize;
use serde_json::Value;

use super::{Answer, AppState, Failure, agents::Params, json_body};
use crate::{
    api::types::{BuilderEvents, BuilderStartResponse, BuilderStatus, Timestamp, camel_case_keys},
    local::store::SessionRow,
};

/// How long an events call waits for a new event before answering with none.
const EVENTS_HOLD: Duration = Duration::from_secs(2);

const MIN_PROMPT_CHARS: usize = 10;
const MAX_PROMPT_CHARS: usize = 5000;

/// Both generations of the start body: `{prompt, spaceId}` and the older `{mode, url, prompt}`,
/// plus the engine's own `agentName` (the name to save the agent under).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct StartBody {
    prompt: Option<String>,
    space_id: Option<i64>,
    url: Option<String>,
    agent_name: Option<String>,
}

pub(super) async fn start(
    State(state): State<AppState>,
    body: Bytes,
) -> Answer<Json<BuilderStartResponse>> {
    let raw: Value = json_body(&body)?;
    let req: StartBody = serde_json::from_value(camel_case_keys(&raw))
        .map_err(|e| Failure::bad_request(format!("The start body is not valid: {e}")))?;
    let mut prompt = req.prompt.unwrap_or_default().trim().to_string();
    // The older URL mode names the site separately; the builder reads it from the prompt.
    if let Some(url) = req
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty() && !prompt.contains(u))
    {
        prompt = if prompt.is_empty() {
            format!("Extract the data shown at {url}")
        } else {
            format!("{prompt} {url}")
        };
    }
    let chars = prompt.chars().count();
    if !(MIN_PROMPT_CHARS..=MAX_PROMPT_CHARS).contains(&chars) {
        return Err(Failure::bad_request(format!(
            "prompt must be {MIN_PROMPT_CHARS} to {MAX_PROMPT_CHARS} characters after trimming (got {chars}); describe the site URL and the fields to extract"
        )));
    }
    let agent_name = req
        .agent_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let session_id = state.sessions.start(&prompt, req.space_id, agent_name)?;
    Ok(Json(BuilderStartResponse {
        session_id: Some(session_id),
        success: None,
        error: None,
    }))
}

fn session_not_found(id: &str) -> Failure {
    Failure::not_found(
        "builder-session-not-found",
        "Session not found",
        format!("There is no Agent Builder session {id:?} on the local engine; start a new build."),
    )
}

fn status_body(session: SessionRow) -> BuilderStatus {
    let end = session.finished.unwrap_or_else(Timestamp::now);
    let elapsed = session
        .created
        .map(|start| (end.0 - start.0).num_milliseconds().max(0) as f64 / 1000.0);
    BuilderStatus {
        status: session.status,
        agent_id: session.agent_id,
        config_id: session.agent_id,
        agent_name: session.agent_name,
        error: session.error,
        last_event_index: Some(session.last_event_index),
        agent_elapsed_seconds: elapsed,
        sample_records: session.sample_records,
        missing_fields: session.missing_fields,
    }
}

pub(super) async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Answer<Json<BuilderStatus>> {
    let session = state
        .sessions
        .status(&id)?
        .ok_or_else(|| session_not_found(&id))?;
    Ok(Json(status_body(session)))
}

pub(super) async fn stop(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Answer<StatusCode> {
    state
        .sessions
        .stop(&id)?
        .ok_or_else(|| session_not_found(&id))?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Query<Vec<(String, String)>>,
) -> Answer<Json<BuilderEvents>> {
    let after = Params::new(query)
        .int("lastEventIndex")?
        .unwrap_or(-1)
        .max(-1);
    let events = state
        .sessions
        .events(&id, after, EVENTS_HOLD)
        .await?
        .ok_or_else(|| session_not_found(&id))?;
    Ok(Json(events))
}

/// `{message}`: the follow-up to apply ("add the rating", "first page only").
#[derive(Deserialize, Default)]
#[serde(default)]
struct FollowupBody {
    message: String,
}

/// Applies a follow-up message to the agent the session built and saves it as a new version;
/// answers `{agentId, version, changes, sampleRecords, definition}`. A change that cannot be
/// made is a 422 whose detail says why and what can be asked instead.
pub(super) async fn followup(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer<Json<Value>> {
    let raw: Value = json_body(&body)?;
    let req: FollowupBody = serde_json::from_value(raw)
        .map_err(|e| Failure::bad_request(format!("The follow-up body is not valid: {e}")))?;
    let message = req.message.trim();
    if message.is_empty() || message.chars().count() > MAX_PROMPT_CHARS {
        return Err(Failure::bad_request(format!(
            "message must be 1 to {MAX_PROMPT_CHARS} characters, e.g. \"add the rating\""
        )));
    }
    state
        .sessions
        .status(&id)?
        .ok_or_else(|| session_not_found(&id))?;
    let done = state.sessions.refine(&id, message).await.map_err(|e| {
        Failure::problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "builder-followup-refused",
            "The change could not be made",
            e,
        )
    })?;
    Ok(Json(serde_json::json!({
        "agentId": done.agent_id,
        "version": done.version,
        "changes": done.refined.changes,
        "sampleRecords": done.refined.sample_records,
        "definition": done.refined.definition,
    })))
}
