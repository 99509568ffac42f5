//! The fake's analytics routes (diagnostics, latest failure, run and record summaries) and
//! run deletion, with the live wire shapes (shared/reference/sequentum-api.md §2.1, §2.5).

use std::{collections::HashMap, sync::Arc};

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{delete, get},
};
use serde_json::{Value, json};

use super::fake_api::{Shared, World};

type AppState = State<Arc<Shared>>;
type Params = Query<HashMap<String, String>>;

/// Causes and actions the fake gives every failed run.
pub const FAKE_CAUSE: &str = "The target site blocked the agent's requests.";
pub const FAKE_ACTION: &str = "Enable a proxy pool and lower the request rate.";

pub(super) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/api/v1/analytics/agents/{agent}/runs/{run}/diagnostics",
            get(diagnostics),
        )
        .route(
            "/api/v1/analytics/agents/{agent}/latest-failure",
            get(latest_failure),
        )
        .route("/api/v1/analytics/runs/summary", get(runs_summary))
        .route("/api/v1/analytics/records/summary", get(records_summary))
        .route("/api/v1/agent/{agent}/run/{run}", delete(delete_run))
}

fn message(status: StatusCode, text: &str) -> Response {
    (
        status,
        Json(json!({"statusCode": status.as_u16(), "message": text})),
    )
        .into_response()
}

fn diagnostics_json(world: &World, run: i64) -> Value {
    let body = world.run_json(run).expect("run exists");
    let failed = matches!(body["status"].as_i64(), Some(6 | 7));
    json!({
        "runId": run,
        "agentId": body["configId"],
        "agentName": body["configName"],
        "status": body["status"],
        "errorMessage": body["message"],
        "startTime": body["startTime"],
        "endTime": body["endTime"],
        "runtimeSeconds": body["runTimeSec"],
        "stats": {"dataCount": body["dataCount"], "errorCount": body["errorCount"], "pageCount": body["pageCount"], "exportCount": body["exportCount"]},
        "possibleCauses": if failed { vec![FAKE_CAUSE] } else { vec![] },
        "suggestedActions": if failed { vec![FAKE_ACTION] } else { vec![] },
    })
}

async fn diagnostics(State(shared): AppState, Path((agent, run)): Path<(i64, i64)>) -> Response {
    let world = shared.world();
    match world.runs.get(&run) {
        Some(entry) if entry.agent_id == agent => {
            Json(diagnostics_json(&world, run)).into_response()
        }
        _ => message(StatusCode::NOT_FOUND, "Run not found"),
    }
}

async fn latest_failure(State(shared): AppState, Path(agent): Path<i64>) -> Response {
    let world = shared.world();
    let failed = world
        .runs
        .values()
        .rev()
        .find(|r| r.agent_id == agent && matches!(r.current().code().0, 6 | 7))
        .map(|r| r.id);
    match failed {
        Some(run) => Json(diagnostics_json(&world, run)).into_response(),
        None => message(StatusCode::NOT_FOUND, "No failures found for this agent"),
    }
}

/// The required `startDate` and `endDate`.
fn dates(params: &HashMap<String, String>) -> Option<(String, String)> {
    Some((
        params.get("startDate")?.clone(),
        params.get("endDate")?.clone(),
    ))
}

fn dates_missing() -> Response {
    message(
        StatusCode::BAD_REQUEST,
        "startDate and endDate are required",
    )
}

async fn runs_summary(State(shared): AppState, Query(params): Params) -> Response {
    let Some((start, end)) = dates(&params) else {
        return dates_missing();
    };
    let world = shared.world();
    let codes: Vec<(i64, i32)> = world
        .runs
        .values()
        .map(|r| (r.id, r.current().code().0))
        .collect();
    let count = |set: &[i32]| codes.iter().filter(|(_, c)| set.contains(c)).count();
    let details = params.get("includeDetails").map(String::as_str) == Some("true");
    let failed: Vec<Value> = codes
        .iter()
        .filter(|(_, c)| matches!(c, 6 | 7))
        .map(|(id, _)| {
            let d = diagnostics_json(&world, *id);
            json!({"runId": id, "agentId": d["agentId"], "agentName": d["agentName"], "startTime": d["startTime"], "endTime": d["endTime"], "status": d["status"], "errorMessage": d["errorMessage"]})
        })
        .collect();
    Json(json!({
        "startDate": start, "endDate": end,
        "totalRuns": codes.len(),
        "completedRuns": count(&[9, 10]),
        "failedRuns": count(&[6, 7]),
        "completedWithErrorsRuns": 0,
        "runningRuns": count(&[1, 2, 5]),
        "queuedRuns": count(&[3, 4]),
        "stoppedRuns": count(&[8]),
        "failedRunDetails": if details { Value::from(failed) } else { Value::Null },
    }))
    .into_response()
}

async fn records_summary(State(shared): AppState, Query(params): Params) -> Response {
    let Some((start, end)) = dates(&params) else {
        return dates_missing();
    };
    let agent: Option<i64> = params.get("agentId").and_then(|a| a.parse().ok());
    let world = shared.world();
    let runs: Vec<_> = world
        .runs
        .values()
        .filter(|r| agent.is_none_or(|a| r.agent_id == a))
        .map(|r| r.current().clone())
        .collect();
    Json(json!({
        "startDate": start, "endDate": end,
        "totalRecordsExtracted": runs.iter().map(|s| s.data).sum::<i64>(),
        "totalRecordsExported": runs.iter().map(|s| s.exported).sum::<i64>(),
        "totalErrors": runs.iter().map(|s| s.errors).sum::<i64>(),
        "totalPageLoads": runs.iter().map(|s| s.pages).sum::<i64>(),
        "runCount": runs.len(),
        "agentId": agent,
    }))
    .into_response()
}

async fn delete_run(
    State(shared): AppState,
    Path((agent, run)): Path<(i64, i64)>,
    Query(params): Params,
) -> Response {
    let mut world = shared.world();
    match world.runs.get(&run) {
        Some(entry) if entry.agent_id == agent => {
            if entry.current().code().is_active() {
                return message(
                    StatusCode::BAD_REQUEST,
                    "Run is currently active and cannot be deleted",
                );
            }
        }
        _ => return message(StatusCode::NOT_FOUND, "Run not found"),
    }
    let method = params
        .get("removeMethod")
        .map(String::as_str)
        .unwrap_or("RemoveEntireRun");
    match method {
        "RemoveEntireRun" => {
            world.runs.remove(&run);
        }
        "RemoveAllFiles" | "RemoveAllFilesAndAgentInput" => {}
        _ => return message(StatusCode::BAD_REQUEST, "Invalid removeMethod"),
    }
    world.files.retain(|_, f| f.run_id != run);
    StatusCode::NO_CONTENT.into_response()
}
