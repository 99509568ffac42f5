//! `POST /api/v1/agent/{id}/archive` and `/unarchive` (the engine's paths; the cloud's are not
//! documented): an archived agent is left out of `/agent/all` (unless `includeArchived=true`)
//! and of its space's agents and space starts. Answers the agent.

use axum::{
    Json,
    extract::{Path, State},
};

use super::{Answer, AppState, existing_agent};
use crate::api::types::Agent;

pub(super) async fn archive(state: State<AppState>, agent_id: Path<String>) -> Answer<Json<Agent>> {
    set(state, agent_id, true)
}

pub(super) async fn unarchive(
    state: State<AppState>,
    agent_id: Path<String>,
) -> Answer<Json<Agent>> {
    set(state, agent_id, false)
}

fn set(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
    archived: bool,
) -> Answer<Json<Agent>> {
    let agent = existing_agent(&state, &agent_id)?;
    state
        .store
        .set_archived(agent.id.unwrap_or_default(), archived)?;
    Ok(Json(existing_agent(&state, &agent_id)?))
}
