//! The fake's schedule routes (`/agent/{id}/schedules…`, `/analytics/schedules/upcoming`),
//! with the live API's traps: PascalCase requests, the cron text answered as `schedule`,
//! `RunEveryPeriod` 1–5, and RunOnce refused unless it starts at least a minute ahead.

use std::sync::Arc;

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::fake_api::Shared;

type AppState = State<Arc<Shared>>;

/// Where the fake says a cron or every schedule runs next (fixed, so bodies are deterministic).
pub const FAKE_NEXT_RUN: &str = "2026-12-01T07:00:00Z";

/// First schedule id (apart from agent and run ids, so a mix-up is a 404).
const FIRST_ID: i64 = 9001;

pub(super) fn router() -> Router<Arc<Shared>> {
    let one = "/api/v1/agent/{agent}/schedules/{schedule}";
    Router::new()
        .route("/api/v1/agent/{agent}/schedules", get(list).post(create))
        .route(one, get(read).put(update).delete(remove))
        .route(&format!("{one}/enable"), post(enable))
        .route(&format!("{one}/disable"), post(disable))
        .route("/api/v1/analytics/schedules/upcoming", get(upcoming))
}

fn message(status: StatusCode, text: &str) -> Response {
    (
        status,
        Json(json!({"statusCode": status.as_u16(), "message": text})),
    )
        .into_response()
}

fn not_found() -> Response {
    message(StatusCode::NOT_FOUND, "Schedule not found")
}

/// The stored schedule answer from a PascalCase body, or the message of the API's 400.
fn from_body(id: i64, agent: i64, body: &Bytes) -> Result<Value, &'static str> {
    let body: Value = serde_json::from_slice(body).map_err(|_| "The body is not JSON")?;
    let name = body["Name"].as_str().unwrap_or_default();
    if name.is_empty() {
        return Err("Name is required");
    }
    let kind = body["ScheduleType"].as_i64().unwrap_or(0);
    let start = body["StartTime"]
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    if kind == 1 && start.is_none_or(|t| t < Utc::now() + Duration::minutes(1)) {
        return Err("Start time must be at least 1 minute in the future");
    }
    if kind == 2 && !(1..=5).contains(&body["RunEveryPeriod"].as_i64().unwrap_or(0)) {
        return Err("RunEveryPeriod must be 1-5");
    }
    let next = match (kind, start) {
        (1, Some(t)) => t.to_rfc3339(),
        _ => FAKE_NEXT_RUN.to_string(),
    };
    Ok(json!({
        "id": id,
        "configId": agent,
        "name": name,
        "schedule": body["CronExpression"],
        "timezone": body["Timezone"],
        "nextRunTime": next,
        "startTime": body["StartTime"],
        "scheduleType": kind,
        "isEnabled": body["IsEnabled"],
        "runEveryCount": body["RunEveryCount"],
        "runEveryPeriod": body["RunEveryPeriod"],
        "inputParameters": body["InputParameters"],
        "isExclusive": body["IsExclusive"],
        "isWaitOnFailure": false,
        "created": "2026-01-15T10:00:00Z",
    }))
}

async fn list(State(shared): AppState, Path(agent): Path<i64>) -> Response {
    let world = shared.world();
    if !world.agents.contains_key(&agent) {
        return message(StatusCode::NOT_FOUND, "Agent not found");
    }
    let mine: Vec<&Value> = world
        .schedules
        .iter()
        .filter(|s| s["configId"] == agent)
        .collect();
    Json(mine).into_response()
}

async fn create(State(shared): AppState, Path(agent): Path<i64>, body: Bytes) -> Response {
    let mut world = shared.world();
    if !world.agents.contains_key(&agent) {
        return message(StatusCode::NOT_FOUND, "Agent not found");
    }
    let id = FIRST_ID + world.schedules.len() as i64;
    match from_body(id, agent, &body) {
        Ok(schedule) => {
            world.schedules.push(schedule.clone());
            Json(schedule).into_response()
        }
        Err(refusal) => message(StatusCode::BAD_REQUEST, refusal),
    }
}

/// The schedule of the path, as a mutable entry of the fake's world.
fn with_schedule(
    shared: &Shared,
    (agent, id): (i64, i64),
    change: impl FnOnce(&mut Value) -> Response,
) -> Response {
    let mut world = shared.world();
    match world
        .schedules
        .iter_mut()
        .find(|s| s["id"] == id && s["configId"] == agent)
    {
        Some(schedule) => change(schedule),
        None => not_found(),
    }
}

async fn read(State(shared): AppState, Path(ids): Path<(i64, i64)>) -> Response {
    with_schedule(&shared, ids, |s| Json(s.clone()).into_response())
}

async fn update(State(shared): AppState, Path(ids): Path<(i64, i64)>, body: Bytes) -> Response {
    with_schedule(&shared, ids, |s| match from_body(ids.1, ids.0, &body) {
        Ok(new) => {
            *s = new;
            s["updated"] = json!("2026-01-16T10:00:00Z");
            Json(s.clone()).into_response()
        }
        Err(refusal) => message(StatusCode::BAD_REQUEST, refusal),
    })
}

async fn remove(State(shared): AppState, Path((agent, id)): Path<(i64, i64)>) -> Response {
    let mut world = shared.world();
    let before = world.schedules.len();
    world
        .schedules
        .retain(|s| !(s["id"] == id && s["configId"] == agent));
    if world.schedules.len() == before {
        not_found()
    } else {
        StatusCode::NO_CONTENT.into_response()
    }
}

async fn enable(State(shared): AppState, Path(ids): Path<(i64, i64)>) -> Response {
    with_schedule(&shared, ids, |s| {
        s["isEnabled"] = json!(true);
        StatusCode::OK.into_response()
    })
}

async fn disable(State(shared): AppState, Path(ids): Path<(i64, i64)>) -> Response {
    with_schedule(&shared, ids, |s| {
        s["isEnabled"] = json!(false);
        StatusCode::OK.into_response()
    })
}

/// One entry per enabled schedule, as the live endpoint answers.
async fn upcoming(State(shared): AppState) -> Response {
    let world = shared.world();
    let entries: Vec<Value> = world
        .schedules
        .iter()
        .filter(|s| s["isEnabled"] == true)
        .map(|s| {
            let agent = s["configId"].as_i64().unwrap_or_default();
            json!({
                "scheduleId": s["id"],
                "agentId": agent,
                "agentName": world.agents.get(&agent).map(|a| a.name.clone()),
                "scheduleName": s["name"],
                "nextRunTime": s["nextRunTime"],
                "timezone": s["timezone"],
                "isEnabled": true,
                "schedule": s["schedule"],
                "scheduleType": s["scheduleType"],
            })
        })
        .collect();
    Json(entries).into_response()
}
