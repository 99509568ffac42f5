//! Run endpoints: start (asynchronous and synchronous), list, status, stop, kill, restart,
//! delete.
//!
//! `POST /agent/{id}/run/{runId}/restart` is this engine's path for the cloud's "restart-run
//! endpoint": a run in Failure (6) or one that completed with lost pages restarts in place and
//! resumes (see `runner`); anything else is 409.

use std::time::Duration;

use axum::{
    Json,
    body::{Body, Bytes},
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::{Answer, AppState, Failure, agents::Params, existing_agent, existing_run, json_body};
use crate::{
    api::types::{AgentRun, RunStatus, StartRunRequest},
    local::{
        export::records_json_stream,
        runner::{StartSettings, StopOutcome},
    },
};

/// Seconds a synchronous start waits when the request names no timeout.
const DEFAULT_SYNC_TIMEOUT_SECS: i64 = 60;
const MAX_SYNC_TIMEOUT_SECS: i64 = 3600;

/// Recent runs searched for an active one before an exclusive start.
const EXCLUSIVE_SCAN: i64 = 100;

pub(super) async fn start(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
    body: Bytes,
) -> Answer<Response> {
    let agent = existing_agent(&state, &agent_id)?;
    let id = agent.id.unwrap_or_default();
    let value: Value = json_body(&body)?;
    if !value.is_object() {
        return Err(Failure::bad_request(
            "The start body must be a JSON object (or empty)",
        ));
    }
    let req = StartRunRequest::from_any_case(&value)
        .map_err(|e| Failure::bad_request(format!("The start body is not valid: {e}")))?;
    let sync = req.is_run_synchronously.unwrap_or(false);
    let parallelism = req.parallelism.unwrap_or(1);
    if !(1..=50).contains(&parallelism) {
        return Err(Failure::bad_request("Parallelism must be between 1 and 50"));
    }
    if sync && parallelism != 1 {
        return Err(Failure::bad_request(
            "Parallelism must be 1 for a synchronous run",
        ));
    }
    if let Some(text) = req.input_parameters.as_deref() {
        serde_json::from_str::<Value>(text).map_err(|e| {
            Failure::bad_request(format!(
                "InputParameters must be JSON text such as \"{{\\\"key\\\":\\\"value\\\"}}\": {e}"
            ))
        })?;
    }
    let timeout = req.timeout.unwrap_or(DEFAULT_SYNC_TIMEOUT_SECS);
    if sync && !(1..=MAX_SYNC_TIMEOUT_SECS).contains(&timeout) {
        return Err(Failure::bad_request(format!(
            "Timeout must be between 1 and {MAX_SYNC_TIMEOUT_SECS} seconds"
        )));
    }
    let current = state
        .store
        .current_definition(id)?
        .ok_or_else(|| Failure::agent_not_found(id))?;
    if req.is_exclusive == Some(true)
        && let Some(active) = active_run(&state, id)?
    {
        return Err(Failure::conflict(
            "run-already-active",
            "The agent already has an active run",
            format!(
                "Run {} of agent {id} is {}; an exclusive start waits for it to end. Stop it, or start with IsExclusive false.",
                active.id,
                active.status_name()
            ),
        ));
    }
    let name = agent.name.clone().unwrap_or_default();
    let run = state.runner.start(
        id,
        &name,
        agent.space_id,
        current,
        &StartSettings {
            input_parameters: req.input_parameters.as_deref(),
            parallelism,
            schedule_id: None,
        },
    )?;
    if !sync {
        return Ok(Json(run).into_response());
    }
    let waited = state
        .runner
        .wait_until_finished(run.id, Duration::from_secs(timeout as u64))
        .await?;
    match waited {
        None => Err(Failure::problem(
            StatusCode::GATEWAY_TIMEOUT,
            "run-timeout",
            "Synchronous run timed out",
            format!(
                "Run {} did not finish within {timeout} s and continues in the background (runId {}). Poll GET /api/v1/agent/{id}/run/{}/status and read its files when it ends.",
                run.id, run.id, run.id
            ),
        )),
        Some(RunStatus::FAILURE) => {
            let message = state
                .store
                .run(id, run.id)?
                .and_then(|r| r.message)
                .unwrap_or_default();
            Err(Failure::problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "run-failed",
                "Run failed",
                format!(
                    "Run {} ended in Failure: {message} Its log and any records are in the run's files.",
                    run.id
                ),
            ))
        }
        Some(_) => Ok((
            [(header::CONTENT_TYPE, "application/json")],
            Body::from_stream(records_json_stream(state.store.clone(), run.id, name)),
        )
            .into_response()),
    }
}

/// The agent's newest active run, which an exclusive start (and a space start) refuses to
/// run beside.
pub(super) fn active_run(state: &AppState, agent_id: i64) -> Answer<Option<AgentRun>> {
    Ok(state
        .store
        .runs(agent_id, EXCLUSIVE_SCAN)?
        .into_iter()
        .find(|r| r.status().is_active()))
}

pub(super) async fn list(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
    query: Query<Vec<(String, String)>>,
) -> Answer<Json<Vec<AgentRun>>> {
    let agent = existing_agent(&state, &agent_id)?;
    let max = Params::new(query)
        .int("maxRecords")?
        .unwrap_or(50)
        .clamp(1, 1000);
    Ok(Json(state.store.runs(agent.id.unwrap_or_default(), max)?))
}

pub(super) async fn status(
    State(state): State<AppState>,
    Path((agent_id, run_id)): Path<(String, String)>,
) -> Answer<Json<AgentRun>> {
    Ok(Json(existing_run(&state, &agent_id, &run_id)?))
}

fn stop_answer(outcome: StopOutcome, first: &str) -> Json<Value> {
    Json(json!({
        "message": match outcome {
            StopOutcome::Stopping => first.to_string(),
            StopOutcome::AlreadyFinished(status) => format!("The run had already ended ({}); nothing changed.", status.name()),
        }
    }))
}

pub(super) async fn stop(
    State(state): State<AppState>,
    Path((agent_id, run_id)): Path<(String, String)>,
) -> Answer<Json<Value>> {
    let run = existing_run(&state, &agent_id, &run_id)?;
    let outcome = state.runner.stop(run.id)?;
    Ok(stop_answer(outcome, "The agent was successfully stopped"))
}

pub(super) async fn kill(
    State(state): State<AppState>,
    Path((agent_id, run_id)): Path<(String, String)>,
) -> Answer<Json<Value>> {
    let run = existing_run(&state, &agent_id, &run_id)?;
    let outcome = state.runner.kill(run.id)?;
    Ok(stop_answer(
        outcome,
        "The kill command was successfully sent",
    ))
}

pub(super) async fn restart(
    State(state): State<AppState>,
    Path((agent_id, run_id)): Path<(String, String)>,
) -> Answer<Json<AgentRun>> {
    let run = existing_run(&state, &agent_id, &run_id)?;
    Ok(Json(state.runner.restart(run.config_id, run.id)?))
}

/// `removeMethod`: RemoveEntireRun (default), RemoveAllFiles or RemoveAllFilesAndAgentInput.
pub(super) async fn remove(
    State(state): State<AppState>,
    Path((agent_id, run_id)): Path<(String, String)>,
    query: Query<Vec<(String, String)>>,
) -> Answer<StatusCode> {
    use crate::api::run_removal::remove_method;
    let run = existing_run(&state, &agent_id, &run_id)?;
    let params = Params::new(query);
    let (files_only, input) = match params.text("removeMethod") {
        None | Some(remove_method::ENTIRE_RUN) => (false, false),
        Some(remove_method::ALL_FILES) => (true, false),
        Some(remove_method::FILES_AND_INPUT) => (true, true),
        Some(other) => {
            return Err(Failure::bad_request(format!(
                "removeMethod {other:?} is not one of {}, {}, {}",
                remove_method::ENTIRE_RUN,
                remove_method::ALL_FILES,
                remove_method::FILES_AND_INPUT
            )));
        }
    };
    state.runner.delete(run.id, files_only, input)?;
    Ok(StatusCode::NO_CONTENT)
}
