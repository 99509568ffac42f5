//! The engine's HTTP face: the Sequentum REST API (`/api/v1`, the endpoints `crate::api`
//! calls, with the wire shapes of `crate::api::types`), a few local extensions for creating
//! and editing agents, and `robots.txt`; and, on a second origin of its own, signed storage
//! downloads ([`storage_router`]).
//!
//! Every `/api/v1` request needs `Authorization: ApiKey <key>` or `Bearer <key>`. Errors use the
//! API's two shapes: ProblemDetails for 404/409/504 and `{statusCode, message}` for 400/401/500.

mod agents;
mod analytics;
mod archive;
mod builder;
mod files;
mod live_file;
mod runs;
mod schedules;
mod spaces;
mod versions;

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Request, State},
    http::{StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{delete, get, post},
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use url::Url;

use super::{
    fetch::Fetcher,
    runner::{Runner, RunnerError},
    scheduler::Scheduler,
    sessions::Sessions,
    signing::{UrlSigner, constant_time_eq},
    store::{Store, StoreError},
};
use crate::{
    api::types::ProblemDetails,
    listener::{self, BodyError, ConnectionLimits},
};

/// Largest request body accepted.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Longest wait for a whole request body once its head arrived.
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Connection limits of each engine listener (see `listener`).
/// Its callers are local processes holding the engine's key, trusted not to flood it, so
/// there is no request rate; every connection still has the head and idle timeout, and the
/// share per address is the whole cap (every caller is 127.0.0.1).
pub const CONNECTION_LIMITS: ConnectionLimits = ConnectionLimits {
    header_read_timeout: Duration::from_secs(10),
    max_connections: 256,
    max_connections_per_client: 0,
    client_rate: None,
};

/// Where ProblemDetails `type` URIs point.
const PROBLEM_BASE: &str = "https://docs.sequentum.com/errors/";

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub runner: Runner,
    /// Told of every schedule change; its clock is the engine's time for schedules.
    pub scheduler: Scheduler,
    pub sessions: Sessions,
    /// Fetches the pages a definition is tested on.
    pub fetcher: Fetcher,
    pub signer: Arc<UrlSigner>,
    pub api_key: Arc<str>,
    /// The storage origin (a listener of its own), where signed download URLs point.
    pub storage_url: Url,
}

/// The whole engine router (the demo shop is nested by the caller).
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/agent", post(agents::create))
        .route("/agent/all", get(agents::list))
        .route("/agent/search", get(agents::search))
        .route("/agent/test-definition", post(agents::test_definition))
        .route("/agent/{agent_id}", get(agents::get).put(agents::update))
        .route("/agent/{agent_id}/definition", get(agents::definition))
        .route("/agent/{agent_id}/versions", get(agents::versions))
        .route(
            "/agent/{agent_id}/version/{version}/restore",
            post(versions::restore),
        )
        .route("/agent/{agent_id}/archive", post(archive::archive))
        .route("/agent/{agent_id}/unarchive", post(archive::unarchive))
        .route("/spaces", get(spaces::list).post(spaces::create))
        .route("/spaces/search", get(spaces::search))
        .route("/spaces/{space_id}", get(spaces::get))
        .route("/spaces/{space_id}/agents", get(spaces::agents))
        .route("/spaces/{space_id}/run-all", post(spaces::run_all))
        .route("/agent/{agent_id}/start", post(runs::start))
        .route("/agent/{agent_id}/runs", get(runs::list))
        .route("/agent/{agent_id}/run/{run_id}", delete(runs::remove))
        .route("/agent/{agent_id}/run/{run_id}/status", get(runs::status))
        .route("/agent/{agent_id}/run/{run_id}/stop", post(runs::stop))
        .route("/agent/{agent_id}/run/{run_id}/kill", post(runs::kill))
        .route(
            "/agent/{agent_id}/run/{run_id}/restart",
            post(runs::restart),
        )
        .route("/agent/{agent_id}/run/{run_id}/files", get(files::list))
        .route(
            "/agent/{agent_id}/run/{run_id}/file/{file_id}/download",
            get(files::download),
        )
        .route(
            "/analytics/agents/{agent_id}/runs/{run_id}/diagnostics",
            get(analytics::diagnostics),
        )
        .route(
            "/analytics/agents/{agent_id}/latest-failure",
            get(analytics::latest_failure),
        )
        .route("/analytics/runs/summary", get(analytics::runs_summary))
        .route(
            "/analytics/records/summary",
            get(analytics::records_summary),
        )
        .route(
            "/agent/{agent_id}/schedules",
            get(schedules::list).post(schedules::create),
        )
        .route(
            "/agent/{agent_id}/schedules/{schedule_id}",
            get(schedules::read)
                .put(schedules::replace)
                .delete(schedules::remove),
        )
        .route(
            "/agent/{agent_id}/schedules/{schedule_id}/enable",
            post(schedules::enable),
        )
        .route(
            "/agent/{agent_id}/schedules/{schedule_id}/disable",
            post(schedules::disable),
        )
        .route("/analytics/schedules/upcoming", get(schedules::upcoming))
        .route("/agent-builder/start", post(builder::start))
        .route("/agent-builder/{session_id}/status", get(builder::status))
        .route("/agent-builder/{session_id}/stop", post(builder::stop))
        .route("/agent-builder/{session_id}/events", get(builder::events))
        .route(
            "/agent-builder/{session_id}/followup",
            post(builder::followup),
        )
        .fallback(unknown_endpoint)
        .layer(middleware::from_fn_with_state(
            state.api_key.clone(),
            require_api_key,
        ));
    Router::new()
        .nest("/api/v1", api)
        .route("/robots.txt", get(robots))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(read_body))
        .layer(middleware::from_fn(trace_request))
        .with_state(state)
}

/// The storage origin: `/storage/<token>` only, as cloud storage hosts serve files apart from
/// the API. A different origin (another port) matters to clients: one that follows the
/// download redirect drops its `Authorization` header on a cross-origin redirect (the Fetch
/// standard, and Node's fetch), while on a same-origin redirect it keeps sending the key.
pub fn storage_router(state: AppState) -> Router {
    Router::new()
        .route("/storage/{token}", get(files::storage))
        .layer(middleware::from_fn(trace_request))
        .with_state(state)
}

/// The answer on a connection beyond [`CONNECTION_LIMITS`].
pub fn too_many_connections(status: StatusCode, _why: listener::Refusal) -> Response {
    Failure::Message(
        status,
        "The local engine has too many open connections; retry shortly.".into(),
    )
    .into_response()
}

/// Reads request bodies within [`BODY_READ_TIMEOUT`] and [`MAX_BODY_BYTES`], so no handler
/// waits on a client that announced more than it sends.
async fn read_body(request: Request, next: Next) -> Response {
    match listener::read_body(request, MAX_BODY_BYTES, BODY_READ_TIMEOUT).await {
        Ok((request, _)) => next.run(request).await,
        Err(why) => {
            let (status, message) = match why {
                BodyError::TooLarge => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
                ),
                BodyError::TimedOut => (
                    StatusCode::REQUEST_TIMEOUT,
                    format!(
                        "The request body did not arrive within {} s.",
                        BODY_READ_TIMEOUT.as_secs()
                    ),
                ),
                BodyError::Broken => (
                    StatusCode::BAD_REQUEST,
                    "The request body could not be read to its end.".into(),
                ),
            };
            listener::with_connection_close(Failure::Message(status, message).into_response())
        }
    }
}

/// Crawlers may read the demo shop; the API is off limits.
async fn robots() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "User-agent: *\nDisallow: /api/\nAllow: /\n",
    )
}

async fn unknown_endpoint(request: Request) -> Failure {
    Failure::not_found(
        "endpoint-not-found",
        "Endpoint not found",
        format!(
            "The local engine has no endpoint {} {}.",
            request.method(),
            request.uri().path()
        ),
    )
}

/// Accepts `ApiKey <key>` or `Bearer <key>` (scheme in any case), comparing in constant time.
pub(crate) async fn require_api_key(
    State(api_key): State<Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("ApiKey") || scheme.eq_ignore_ascii_case("Bearer")
        })
        .map(|(_, key)| key.trim());
    match presented {
        Some(key) if constant_time_eq(key.as_bytes(), api_key.as_bytes()) => {
            next.run(request).await
        }
        Some(_) => unauthorized("Invalid API key"),
        None => unauthorized(
            "Invalid API key: no credential was sent; send the header Authorization: ApiKey <key>",
        ),
    }
}

fn unauthorized(message: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "ApiKey")],
        Json(json!({
            "statusCode": 401,
            "statusDescription": "Unauthorized",
            "message": message,
            "severity": "Error",
        })),
    )
        .into_response()
}

/// Logs each request at debug: method, path, status and time. Never bodies or headers (they
/// carry keys), and signed storage tokens are cut from the path.
async fn trace_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let shown = if path.starts_with("/storage/") {
        "/storage/<token>"
    } else {
        path.as_str()
    };
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::debug!(
        %method,
        path = shown,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "local engine request"
    );
    response
}

/// An error answer in one of the API's two shapes.
#[derive(Debug)]
pub enum Failure {
    /// `{statusCode, statusDescription, message, severity}`.
    Message(StatusCode, String),
    /// RFC 7807.
    Problem(StatusCode, ProblemDetails),
}

impl Failure {
    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure::Message(StatusCode::BAD_REQUEST, message.into())
    }

    pub fn problem(
        status: StatusCode,
        slug: &str,
        title: &str,
        detail: impl Into<String>,
    ) -> Failure {
        Failure::Problem(
            status,
            ProblemDetails {
                kind: Some(format!("{PROBLEM_BASE}{slug}")),
                title: Some(title.into()),
                status: Some(status.as_u16()),
                detail: Some(detail.into()),
                instance: None,
            },
        )
    }

    pub fn not_found(slug: &str, title: &str, detail: impl Into<String>) -> Failure {
        Failure::problem(StatusCode::NOT_FOUND, slug, title, detail)
    }

    pub fn conflict(slug: &str, title: &str, detail: impl Into<String>) -> Failure {
        Failure::problem(StatusCode::CONFLICT, slug, title, detail)
    }

    fn agent_not_found(agent_id: i64) -> Failure {
        Failure::not_found(
            "agent-not-found",
            "Agent not found",
            format!(
                "No agent with id {agent_id} exists on the local engine; list agents to find the right id."
            ),
        )
    }

    fn run_not_found(agent_id: i64, run_id: i64) -> Failure {
        Failure::not_found(
            "run-not-found",
            "Run not found",
            format!(
                "Agent {agent_id} has no run {run_id}; list the agent's runs to find the right id."
            ),
        )
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::Message(status, message) => (
                status,
                Json(json!({
                    "statusCode": status.as_u16(),
                    "statusDescription": status.canonical_reason().unwrap_or("Error"),
                    "message": message,
                    "severity": "Error",
                })),
            )
                .into_response(),
            Failure::Problem(status, problem) => (
                status,
                [(header::CONTENT_TYPE, "application/problem+json")],
                serde_json::to_vec(&problem).unwrap_or_default(),
            )
                .into_response(),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        tracing::warn!(error = %e, "local engine storage error");
        Failure::Message(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl From<RunnerError> for Failure {
    fn from(e: RunnerError) -> Failure {
        match e {
            RunnerError::Store(e) => e.into(),
            RunnerError::NotFound(run_id) => Failure::not_found(
                "run-not-found",
                "Run not found",
                format!("There is no run {run_id}; list the agent's runs to find the right id."),
            ),
            RunnerError::NotRestartable { .. } | RunnerError::NothingToResume { .. } => {
                Failure::conflict(
                    "run-not-restartable",
                    "Run cannot be restarted",
                    e.to_string(),
                )
            }
            RunnerError::Active => Failure::bad_request(e.to_string()),
        }
    }
}

pub type Answer<T> = Result<T, Failure>;

/// Path ids arrive as text so a non-number is a useful 404 rather than a bare 400.
fn parse_id(text: &str, what: &str) -> Answer<i64> {
    text.trim().parse().map_err(|_| {
        Failure::not_found(
            &format!("{what}-not-found"),
            "Not found",
            format!("{text:?} is not a valid {what} id (ids are integers)."),
        )
    })
}

/// The agent id of the path, checked to exist.
fn existing_agent(state: &AppState, text: &str) -> Answer<crate::api::types::Agent> {
    let agent_id = parse_id(text, "agent")?;
    state
        .store
        .agent(agent_id)?
        .ok_or_else(|| Failure::agent_not_found(agent_id))
}

/// The run of the path, checked to belong to the agent of the path.
fn existing_run(
    state: &AppState,
    agent_text: &str,
    run_text: &str,
) -> Answer<crate::api::types::AgentRun> {
    let agent_id = parse_id(agent_text, "agent")?;
    let run_id = parse_id(run_text, "run")?;
    state
        .store
        .run(agent_id, run_id)?
        .ok_or_else(|| Failure::run_not_found(agent_id, run_id))
}

/// Reads a JSON body with a message that says what is wrong; an empty body reads as `{}`.
fn json_body<T: DeserializeOwned>(body: &Bytes) -> Answer<T> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body)
            .map_err(|e| Failure::bad_request(format!("The request body is not valid JSON: {e}")))?
    };
    serde_json::from_value(value).map_err(|e| {
        Failure::bad_request(format!(
            "The request body is not what this endpoint takes: {e}"
        ))
    })
}
