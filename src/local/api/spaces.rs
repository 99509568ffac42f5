//! Space endpoints with the cloud's wire shapes: list, get, search by name, a space's agents,
//! and run-all, which starts every (unarchived) agent of the space. An agent with an active
//! run is refused ("Agent is already running"), as the cloud does; runs beyond the space's
//! concurrency limit queue and start as others end (see `local::runner`).
//!
//! Local extension: `POST /api/v1/spaces` with `{"name", "concurrencyLimit"?}` creates a space
//! (409 when the name is taken); agents join it through `spaceId` when they are created.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
};
use serde::Deserialize;
use serde_json::Value;

use super::{Answer, AppState, Failure, agents::Params, json_body, parse_id, runs::active_run};
use crate::{
    api::{
        spaces::{RunSpaceItem, RunSpaceResult, Space, SpaceAgent},
        types::camel_case_keys,
    },
    local::{runner::StartSettings, store::AgentFilter},
};

/// Longest space name accepted.
const MAX_NAME_CHARS: usize = 200;

pub(super) async fn list(State(state): State<AppState>) -> Answer<Json<Vec<Space>>> {
    Ok(Json(state.store.spaces()?))
}

fn space_not_found(what: String) -> Failure {
    Failure::not_found(
        "space-not-found",
        "Space not found",
        format!("{what}; GET /api/v1/spaces lists the spaces."),
    )
}

fn existing_space(state: &AppState, text: &str) -> Answer<Space> {
    let id = parse_id(text, "space")?;
    state
        .store
        .space(id)?
        .ok_or_else(|| space_not_found(format!("No space with id {id} exists")))
}

pub(super) async fn get(
    State(state): State<AppState>,
    Path(space_id): Path<String>,
) -> Answer<Json<Space>> {
    Ok(Json(existing_space(&state, &space_id)?))
}

pub(super) async fn search(
    State(state): State<AppState>,
    query: Query<Vec<(String, String)>>,
) -> Answer<Json<Space>> {
    let q = Params::new(query);
    let name = q
        .text("name")
        .ok_or_else(|| Failure::bad_request("Query parameter name is required"))?;
    let space = state
        .store
        .space_named(name)?
        .ok_or_else(|| space_not_found(format!("No space is named {name:?}")))?;
    Ok(Json(space))
}

/// The space's unarchived agents.
fn members(state: &AppState, space_id: i64) -> Answer<Vec<crate::api::types::Agent>> {
    let filter = AgentFilter {
        space_id: Some(space_id),
        ..AgentFilter::default()
    };
    Ok(state.store.list_agents(&filter)?.0)
}

pub(super) async fn agents(
    State(state): State<AppState>,
    Path(space_id): Path<String>,
) -> Answer<Json<Vec<SpaceAgent>>> {
    let space = existing_space(&state, &space_id)?;
    let agents = members(&state, space.id)?
        .into_iter()
        .map(|a| SpaceAgent {
            id: a.id.unwrap_or_default(),
            name: a.name,
            description: a.description,
            config_type: a.config_type,
            status: a.status,
            last_activity: a.last_activity,
            version: a.version,
        })
        .collect();
    Ok(Json(agents))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RunAll {
    /// JSON text, as run starts take it.
    input_parameters: Option<String>,
}

pub(super) async fn run_all(
    State(state): State<AppState>,
    Path(space_id): Path<String>,
    body: Bytes,
) -> Answer<Json<RunSpaceResult>> {
    let space = existing_space(&state, &space_id)?;
    let value: Value = json_body(&body)?;
    let req: RunAll = serde_json::from_value(camel_case_keys(&value))
        .map_err(|e| Failure::bad_request(format!("The run-all body is not valid: {e}")))?;
    if let Some(text) = req.input_parameters.as_deref() {
        serde_json::from_str::<Value>(text)
            .map_err(|e| Failure::bad_request(format!("InputParameters must be JSON text: {e}")))?;
    }
    let agents = members(&state, space.id)?;
    let mut results = Vec::new();
    for agent in &agents {
        let id = agent.id.unwrap_or_default();
        let name = agent.name.clone().unwrap_or_default();
        let refused = |message: String| RunSpaceItem {
            agent_id: id,
            agent_name: Some(name.clone()),
            success: false,
            run_id: None,
            error_message: Some(message),
        };
        if let Some(active) = active_run(&state, id)? {
            results.push(refused(format!(
                "Agent is already running (run {})",
                active.id
            )));
            continue;
        }
        let Some(current) = state.store.current_definition(id)? else {
            results.push(refused("The agent has no definition".to_string()));
            continue;
        };
        let settings = StartSettings {
            input_parameters: req.input_parameters.as_deref(),
            parallelism: 1,
            schedule_id: None,
        };
        let run = state
            .runner
            .start(id, &name, Some(space.id), current, &settings)?;
        results.push(RunSpaceItem {
            agent_id: id,
            agent_name: Some(name),
            success: true,
            run_id: Some(run.id),
            error_message: None,
        });
    }
    let started = results.iter().filter(|r| r.success).count() as i64;
    Ok(Json(RunSpaceResult {
        space_id: space.id,
        space_name: space.name,
        total_agents: results.len() as i64,
        agents_started: started,
        agents_failed: results.len() as i64 - started,
        results,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateSpace {
    #[serde(default)]
    name: String,
    concurrency_limit: Option<i64>,
}

pub(super) async fn create(State(state): State<AppState>, body: Bytes) -> Answer<Json<Space>> {
    let req: CreateSpace = json_body(&body)?;
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(Failure::bad_request(format!(
            "name is required and must be at most {MAX_NAME_CHARS} characters"
        )));
    }
    if req.concurrency_limit.is_some_and(|n| n < 1) {
        return Err(Failure::bad_request(
            "concurrencyLimit must be at least 1 (leave it out for no limit)",
        ));
    }
    let space = state
        .store
        .create_space(name, req.concurrency_limit)?
        .map_err(|_| {
            Failure::conflict(
                "space-name-taken",
                "Space name already exists",
                format!("A space named {name:?} already exists; choose another name."),
            )
        })?;
    Ok(Json(space))
}
