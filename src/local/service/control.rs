//! The engine's own endpoints, beside the Sequentum API: `GET /engine/health` (no key: it is
//! how a client checks an address file's identity before sending the key anywhere) and
//! `POST /engine/shutdown` (with the key). Also the bookkeeping that decides when the engine
//! is idle.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    extract::{Query, Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::local::{runner::Runner, scheduler::Scheduler};

/// The `service` field of every health answer.
pub const SERVICE: &str = "sequentum-mcp-engine";

/// `GET /engine/health`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub service: String,
    pub version: String,
    /// Matches the address file's `instance`.
    pub instance: String,
    pub pid: u32,
    pub uptime_seconds: u64,
    pub active_runs: usize,
    /// Seconds since the last request or run, `None` while something is going on.
    pub idle_seconds: Option<u64>,
}

/// When the engine last did something, for the idle exit.
pub struct Activity {
    in_flight: AtomicUsize,
    last: Mutex<Instant>,
}

impl Activity {
    pub fn new() -> Arc<Activity> {
        Arc::new(Activity {
            in_flight: AtomicUsize::new(0),
            last: Mutex::new(Instant::now()),
        })
    }

    fn touch(&self) {
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    /// How long nothing has happened: no request in flight, no active run. `None` while busy
    /// (and being busy counts as activity, so the idle time starts when the work ends).
    pub fn idle_for(&self, active_runs: usize) -> Option<Duration> {
        if active_runs > 0 || self.in_flight.load(Ordering::SeqCst) > 0 {
            self.touch();
            return None;
        }
        Some(
            self.last
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .elapsed(),
        )
    }
}

/// Middleware: a request in flight keeps the engine busy; its end is activity.
pub async fn track(
    State(activity): State<Arc<Activity>>,
    request: Request,
    next: Next,
) -> Response {
    struct InFlight(Arc<Activity>);
    impl Drop for InFlight {
        fn drop(&mut self) {
            self.0.touch();
            self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
        }
    }
    activity.in_flight.fetch_add(1, Ordering::SeqCst);
    let _guard = InFlight(activity);
    next.run(request).await
}

/// What the control endpoints read.
#[derive(Clone)]
pub struct Control {
    pub instance: Arc<str>,
    pub started: Instant,
    pub activity: Arc<Activity>,
    pub runner: Runner,
    /// An enabled schedule keeps the engine up: it must be there when the schedule fires.
    pub scheduler: Scheduler,
    /// Cancelled to stop the engine.
    pub shutdown: CancellationToken,
}

impl Control {
    /// How long nothing has happened; `None` while a run is active, a request is in flight
    /// or an enabled schedule will fire again (an engine that exits would miss it).
    pub fn idle_for(&self) -> Option<Duration> {
        let busy = self.runner.active_runs() + usize::from(self.scheduler.has_work());
        self.activity.idle_for(busy)
    }

    pub fn health(&self) -> Health {
        let active_runs = self.runner.active_runs();
        Health {
            service: SERVICE.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            instance: self.instance.to_string(),
            pid: std::process::id(),
            uptime_seconds: self.started.elapsed().as_secs(),
            active_runs,
            idle_seconds: self.idle_for().map(|d| d.as_secs()),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShutdownQuery {
    /// Only stop when no run is active (how a newer binary replaces an older engine).
    #[serde(default)]
    if_idle: bool,
}

/// `GET /engine/health`, open to anyone on loopback: it tells nothing secret.
pub fn health_route(control: Control) -> Router {
    Router::new()
        .route("/engine/health", get(health))
        .with_state(control)
}

/// `POST /engine/shutdown`; the caller adds the key check.
pub fn shutdown_route(control: Control) -> Router {
    Router::new()
        .route("/engine/shutdown", post(shutdown))
        .with_state(control)
}

async fn health(State(control): State<Control>) -> Json<Health> {
    Json(control.health())
}

async fn shutdown(State(control): State<Control>, Query(q): Query<ShutdownQuery>) -> Response {
    let active = control.runner.active_runs();
    if q.if_idle && active > 0 {
        return (
            StatusCode::CONFLICT,
            Json(json!({"message": format!("The engine is busy with {active} active run(s) and keeps running.")})),
        )
            .into_response();
    }
    tracing::info!(active_runs = active, "shutdown requested");
    control.shutdown.cancel();
    (
        StatusCode::ACCEPTED,
        Json(json!({"message": "The engine is stopping; active runs end Stopped with their records."})),
    )
        .into_response()
}
