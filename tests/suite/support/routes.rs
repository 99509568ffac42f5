//! The fake's HTTP routes: the endpoints `sequentum_mcp::api::Client` calls, answering with
//! the wire shapes of the live API (see shared/reference/sequentum-api.md §2–§4).

use std::{collections::HashMap, sync::Arc};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use sequentum_mcp::api::types::{RunStatus, StartRunRequest};
use serde_json::{Value, json};

use super::{
    fake_api::{ApiUser, Shared, World},
    faults,
    scripts::RunScript,
};

type AppState = State<Arc<Shared>>;
type Params = Query<HashMap<String, String>>;

pub(super) fn router(shared: Arc<Shared>) -> Router {
    let agent = "/api/v1/agent/{agent}";
    let run = "/api/v1/agent/{agent}/run/{run}";
    let session = "/api/v1/agent-builder/{session}";
    Router::new()
        .route("/api/v1/agent/all", get(list_agents))
        .route("/api/v1/agent/search", get(search_agents))
        .route(agent, get(get_agent))
        .route(&format!("{agent}/start"), post(start_run))
        .route(&format!("{agent}/runs"), get(list_runs))
        .route(&format!("{run}/status"), get(run_status))
        .route(&format!("{run}/stop"), post(stop_run))
        .route(&format!("{run}/kill"), post(kill_run))
        .route(&format!("{run}/restart"), post(restart_run))
        .route(&format!("{run}/files"), get(run_files))
        .route(&format!("{run}/file/{{file}}/download"), get(download))
        .route("/signed/{token}", get(signed))
        .route("/api/v1/agent-builder/start", post(builder_start))
        .route(&format!("{session}/status"), get(builder_status))
        .route(&format!("{session}/events"), get(builder_events))
        .route(&format!("{session}/stop"), post(builder_stop))
        .route(&format!("{session}/followup"), post(builder_followup))
        .merge(super::run_admin::router())
        .merge(super::toolset_routes::router())
        .merge(super::schedules::router())
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults::intercept,
        ))
        .with_state(shared)
}

fn problem(status: StatusCode, title: &str, detail: String) -> Response {
    let body = json!({
        "type": format!("https://docs.sequentum.com/errors/{}", title.to_lowercase().replace(' ', "-")),
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

fn bad_request(message: String, code: &str) -> Response {
    let body = json!({"statusCode": 400, "statusDescription": "Bad Request", "message": message, "errorCode": code});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

fn agent_not_found(agent: i64) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Agent not found",
        format!("No agent with id {agent} exists."),
    )
}

fn run_not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"message": "Run not found"})),
    )
        .into_response()
}

fn session_not_found(id: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Session not found",
        format!("No builder session {id}."),
    )
}

fn number(params: &HashMap<String, String>, key: &str) -> Option<i64> {
    params.get(key).and_then(|v| v.parse().ok())
}

/// Paged object when both paging parameters are present, bare array otherwise (or always,
/// when the test asked for the bare-array deployment).
async fn list_agents(
    State(shared): AppState,
    user: Option<axum::Extension<ApiUser>>,
    Query(params): Params,
) -> Response {
    let user = user.map(|axum::Extension(ApiUser(u))| u);
    let world = shared.world();
    let name = params.get("name").map(|n| n.to_lowercase());
    let space = number(&params, "spaceId");
    let archived_too = params.get("includeArchived").map(String::as_str) == Some("true");
    let mut agents: Vec<Value> = world
        .agents
        .values()
        .filter(|a| {
            name.as_ref()
                .is_none_or(|n| a.name.to_lowercase().contains(n))
        })
        .filter(|_| space.is_none())
        .filter(|a| a.owner == user)
        .filter(|a| archived_too || !world.extras.is_archived(a.id))
        .map(|a| world.agent_json(a))
        .collect();
    agents.sort_by_key(|a| a["name"].as_str().unwrap_or_default().to_lowercase());
    let paging = (
        number(&params, "pageIndex"),
        number(&params, "recordsPerPage"),
    );
    let (Some(page), Some(per_page), false) = (paging.0, paging.1, world.bare_agent_list) else {
        return Json(Value::from(agents)).into_response();
    };
    let total = agents.len();
    let skip = ((page.max(1) - 1) * per_page.max(1)) as usize;
    let page: Vec<Value> = agents
        .into_iter()
        .skip(skip)
        .take(per_page.max(1) as usize)
        .collect();
    Json(json!({"agents": page, "totalRecordCount": total})).into_response()
}

async fn search_agents(State(shared): AppState, Query(params): Params) -> Response {
    let Some(query) = params
        .get("query")
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty())
    else {
        return bad_request("query is required".into(), "validation_error");
    };
    let max = number(&params, "maxRecords").unwrap_or(50).clamp(1, 1000) as usize;
    let world = shared.world();
    let found: Vec<Value> = world
        .agents
        .values()
        .map(|a| world.agent_json(a))
        .filter(|a| {
            ["name", "description"].iter().any(|k| {
                a[*k]
                    .as_str()
                    .is_some_and(|t| t.to_lowercase().contains(&query))
            })
        })
        .take(max)
        .collect();
    Json(Value::from(found)).into_response()
}

async fn get_agent(State(shared): AppState, Path(agent): Path<i64>) -> Response {
    let world = shared.world();
    match world.agents.get(&agent) {
        Some(entry) => Json(world.agent_json(entry)).into_response(),
        None => agent_not_found(agent),
    }
}

/// Async: 202 with the new run at its first step. Sync: the run is played to its end and the
/// answer is `{"<AgentName>": [records]}`, or a 400 carrying the failure message.
async fn start_run(State(shared): AppState, Path(agent): Path<i64>, body: Bytes) -> Response {
    let body: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return bad_request(format!("invalid JSON body: {e}"), "invalid_body"),
        }
    };
    let Ok(request) = StartRunRequest::from_any_case(&body) else {
        return bad_request(
            "the start body has fields of the wrong type".into(),
            "invalid_body",
        );
    };
    let mut world = shared.world();
    let Some(entry) = world.agents.get_mut(&agent) else {
        return agent_not_found(agent);
    };
    let script = entry
        .next_runs
        .pop_front()
        .unwrap_or_else(|| RunScript::completes(super::records::rows(3)));
    let name = entry.name.clone();
    let run = world.create_run(agent, script);
    if request.is_run_synchronously != Some(true) {
        let body = world.run_json(run).expect("run just created");
        return (StatusCode::ACCEPTED, Json(body)).into_response();
    }
    let entry = world.run_mut(run);
    entry.at = entry.script.steps.len() - 1;
    let last = entry.current().clone();
    if last.code() == RunStatus::FAILURE {
        let message = last.message.unwrap_or_else(|| "The run failed".into());
        return bad_request(message, "run_failed");
    }
    Json(json!({ name: entry.script.records })).into_response()
}

async fn list_runs(
    State(shared): AppState,
    Path(agent): Path<i64>,
    Query(params): Params,
) -> Response {
    let world = shared.world();
    if !world.agents.contains_key(&agent) {
        return agent_not_found(agent);
    }
    let max = number(&params, "maxRecords").unwrap_or(50).clamp(1, 1000) as usize;
    // The newest `max` runs, oldest first: the API implies an order it does not promise.
    let mut ids: Vec<i64> = world
        .runs
        .values()
        .filter(|r| r.agent_id == agent)
        .map(|r| r.id)
        .rev()
        .take(max)
        .collect();
    ids.reverse();
    let runs: Vec<Value> = ids
        .into_iter()
        .filter_map(|id| world.run_json(id))
        .collect();
    Json(Value::from(runs)).into_response()
}

/// Looks up a run of an agent and applies `action` to it under the world lock.
fn with_run(
    shared: &Shared,
    agent: i64,
    run: i64,
    action: impl FnOnce(&mut World) -> Response,
) -> Response {
    let mut world = shared.world();
    match world.runs.get(&run) {
        Some(entry) if entry.agent_id == agent => action(&mut world),
        _ => run_not_found(),
    }
}

/// Each poll of a run that is not `manual` moves it one step first.
async fn run_status(State(shared): AppState, Path((agent, run)): Path<(i64, i64)>) -> Response {
    with_run(&shared, agent, run, |world| {
        let entry = world.run_mut(run);
        if !entry.script.manual {
            entry.advance();
        }
        Json(world.run_json(run).expect("run exists")).into_response()
    })
}

async fn stop_run(State(shared): AppState, Path((agent, run)): Path<(i64, i64)>) -> Response {
    with_run(&shared, agent, run, |world| {
        world.run_mut(run).stop();
        "The agent was successfully stopped".into_response()
    })
}

async fn kill_run(State(shared): AppState, Path((agent, run)): Path<(i64, i64)>) -> Response {
    with_run(&shared, agent, run, |world| {
        world.run_mut(run).kill();
        "The kill command was successfully sent".into_response()
    })
}

async fn restart_run(State(shared): AppState, Path((agent, run)): Path<(i64, i64)>) -> Response {
    with_run(&shared, agent, run, |world| match world.restart_run(run) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(message) => bad_request(message, "run_not_failed"),
    })
}

async fn run_files(State(shared): AppState, Path((agent, run)): Path<(i64, i64)>) -> Response {
    with_run(&shared, agent, run, |world| {
        let files: Vec<Value> = world
            .files
            .iter()
            .filter(|(_, f)| f.run_id == run)
            .map(|(id, f)| World::file_json(*id, f))
            .collect();
        Json(Value::from(files)).into_response()
    })
}

/// 302 to a fresh signed URL on this server, as the cloud redirects to blob storage.
async fn download(
    State(shared): AppState,
    Path((agent, run, file)): Path<(i64, i64, i64)>,
) -> Response {
    let origin = shared.origin.clone();
    with_run(&shared, agent, run, |world| {
        if world.files.get(&file).is_none_or(|f| f.run_id != run) {
            return (
                StatusCode::NOT_FOUND,
                Json(json!({"message": "File not found"})),
            )
                .into_response();
        }
        let token = format!("f{file}-{:016x}", fastrand::u64(..));
        world.signed.insert(token.clone(), file);
        let location = format!("{origin}/signed/{token}?sig=fake&se=2026-01-15T11%3A00%3A00Z");
        (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
    })
}

/// Storage host: the URL authenticates itself, and a request that also carries an
/// Authorization header is refused, as blob stores do.
async fn signed(
    State(shared): AppState,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    if headers.contains_key(header::AUTHORIZATION) {
        let body = "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>";
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "application/xml")],
            body,
        )
            .into_response();
    }
    let world = shared.world();
    let Some(file) = world.signed.get(&token).and_then(|id| world.files.get(id)) else {
        return (StatusCode::FORBIDDEN, "signature not valid").into_response();
    };
    let kind = match file.file.name.rsplit('.').next() {
        Some("csv") => "text/csv",
        Some("json") => "application/json",
        Some("txt" | "log") => "text/plain",
        _ => "application/octet-stream",
    };
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, kind)],
        file.file.bytes.clone(),
    )
        .into_response()
}

async fn builder_start(State(shared): AppState, Json(body): Json<Value>) -> Response {
    let prompt = body
        .get("prompt")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or_default();
    if !(10..=5000).contains(&prompt.chars().count()) {
        let detail = "The prompt must be between 10 and 5000 characters.".to_string();
        return problem(StatusCode::BAD_REQUEST, "Invalid prompt", detail);
    }
    let id = shared.world().start_session();
    Json(json!({"sessionId": id})).into_response()
}

async fn builder_status(State(shared): AppState, Path(session): Path<String>) -> Response {
    let mut world = shared.world();
    match world.sessions.get(&session) {
        Some(s) if !s.script.manual => world.session_advance(&session),
        Some(_) => {}
        None => return session_not_found(&session),
    }
    Json(world.session_json(&session).expect("session exists")).into_response()
}

/// Events after the cursor; answers at once (the live API long-polls).
async fn builder_events(
    State(shared): AppState,
    Path(session): Path<String>,
    Query(params): Params,
) -> Response {
    let after = number(&params, "lastEventIndex").unwrap_or(-1);
    let world = shared.world();
    let Some(s) = world.sessions.get(&session) else {
        return session_not_found(&session);
    };
    let events: Vec<Value> = s
        .emitted
        .iter()
        .filter(|e| e["eventIndex"].as_i64() > Some(after))
        .cloned()
        .collect();
    let last = events
        .last()
        .and_then(|e| e["eventIndex"].as_i64())
        .unwrap_or(after);
    Json(json!({"events": events, "lastEventIndex": last})).into_response()
}

/// The cloud's follow-up answer: `{success}` only; a session that ended refuses it.
async fn builder_followup(State(shared): AppState, Path(session): Path<String>) -> Response {
    let world = shared.world();
    let Some(s) = world.sessions.get(&session) else {
        return session_not_found(&session);
    };
    if matches!(s.status, "error" | "cancelled") {
        return Json(json!({"success": false, "error": format!("The session is {}", s.status)}))
            .into_response();
    }
    Json(json!({"success": true})).into_response()
}

/// 204; cancels a session still processing, no effect once it ended.
async fn builder_stop(State(shared): AppState, Path(session): Path<String>) -> Response {
    let mut world = shared.world();
    let Some(s) = world.sessions.get_mut(&session) else {
        return session_not_found(&session);
    };
    if s.status == "processing" {
        s.status = "cancelled";
    }
    StatusCode::NO_CONTENT.into_response()
}
