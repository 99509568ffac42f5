//! MCP over HTTP: Streamable HTTP on `/mcp` (stateless, both protocol eras), the legacy
//! HTTP+SSE pair `/sse` + `/message`, and `/health`, all behind the guards in `guards.rs`.
//!
//! `/mcp` is stateless (no `Mcp-Session-Id`): every POST is self-contained and served by a
//! clone of one shared handler, so restarts and replicas behind a load balancer are invisible
//! to clients. 2025-era clients still `initialize` (rmcp answers it per request) and 2026-era
//! clients use `server/discover` with per-request `_meta`; GET and DELETE answer 405.

use std::{
    future::Future,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, State},
    middleware,
    routing::get,
};
use rmcp::{
    ServerHandler,
    transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
    },
};
use tokio_util::sync::CancellationToken;

use super::{
    frame, guards, legacy_sse,
    listener::{self, ConnectionLimits},
};

/// Settings of the HTTP transport (flags and environment variables of `serve --transport http`).
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Address to listen on; loopback unless a token is set.
    pub listen: SocketAddr,
    /// Bearer token required on every route but `/health` (`--auth-token` / `MCP_AUTH_TOKEN`).
    pub auth_token: Option<String>,
    /// Extra accepted `Host` values besides loopback names and the listen address; `name`
    /// admits any port, `name:port` only that port.
    pub allowed_hosts: Vec<String>,
    /// Extra accepted `Origin` values (exact, e.g. `https://app.example.com`) besides
    /// `http(s)://localhost|127.0.0.1|[::1]` with any port.
    pub allowed_origins: Vec<String>,
    /// Largest accepted request body; larger ones get 413.
    pub max_body_bytes: usize,
    /// Longest wait for a request head (before authentication too); the connection is then
    /// closed.
    pub header_read_timeout: Duration,
    /// Longest wait for a whole request body once its head arrived; then 408.
    pub body_read_timeout: Duration,
    /// Connections served at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Longest time to produce a response; longer than the longest tool wait (45 s).
    pub request_timeout: Duration,
    /// How long in-flight calls may continue after a shutdown signal.
    pub shutdown_grace: Duration,
    /// Cap on open legacy `/sse` streams; more get 503.
    pub max_sse_sessions: usize,
    /// Which backend serves the tools ("cloud" or "local"), reported by `/health`.
    pub backend: String,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            auth_token: None,
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            max_body_bytes: 4 * 1024 * 1024,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 512,
            request_timeout: Duration::from_secs(120),
            shutdown_grace: Duration::from_secs(5),
            max_sse_sessions: 64,
            backend: "local".to_owned(),
        }
    }
}

impl HttpOptions {
    /// Refuses settings that would expose the server or cannot work, with a message saying
    /// what to change.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(token) = &self.auth_token
            && (token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(
                "the auth token must be non-empty printable ASCII without spaces (it travels in \
                 an `Authorization: Bearer` header)"
                    .to_owned(),
            );
        }
        if !self.listen.ip().is_loopback() && self.auth_token.is_none() {
            return Err(format!(
                "refusing to listen on {} without an auth token: anyone who can reach that \
                 address could drive your agents. Set --auth-token (or MCP_AUTH_TOKEN), or \
                 listen on 127.0.0.1",
                self.listen
            ));
        }
        if self.max_body_bytes == 0 {
            return Err("max_body_bytes must be greater than 0".to_owned());
        }
        if self.request_timeout.is_zero()
            || self.header_read_timeout.is_zero()
            || self.body_read_timeout.is_zero()
        {
            return Err("request, header and body timeouts must be greater than 0".to_owned());
        }
        if self.max_connections == 0 {
            return Err("max_connections must be greater than 0".to_owned());
        }
        Ok(())
    }
}

/// Tokens that stage a graceful shutdown: `draining` stops new work and lets calls finish;
/// `force` ends whatever is still running once the grace period is over.
#[derive(Clone, Default)]
pub(crate) struct Shutdown {
    pub(crate) draining: CancellationToken,
    pub(crate) force: CancellationToken,
}

/// The complete HTTP app (`/mcp`, `/sse`, `/message`, `/health`, all guarded) for `handler`.
pub fn router<H>(handler: H, opts: &HttpOptions) -> Router
where
    H: ServerHandler + Clone + Send + Sync + 'static,
{
    build_router(handler, opts, Shutdown::default())
}

fn build_router<H>(handler: H, opts: &HttpOptions, shutdown: Shutdown) -> Router
where
    H: ServerHandler + Clone + Send + Sync + 'static,
{
    // Host and Origin are checked by our guard for every route with one set of rules, so
    // rmcp's own (loopback-only) Host check is switched off rather than kept in sync.
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .disable_allowed_hosts()
        .disable_allowed_origins()
        .with_max_request_body_bytes(opts.max_body_bytes)
        .with_cancellation_token(shutdown.force.child_token());
    let shared = handler.clone();
    let mcp = StreamableHttpService::new(
        move || Ok(shared.clone()),
        LocalSessionManager::default().into(),
        config,
    );
    let health = Health {
        backend: opts.backend.clone(),
        started: Instant::now(),
    };
    let guard_config = guards::GuardConfig::new(opts);
    Router::new()
        .route_service("/mcp", mcp)
        .route_layer(middleware::from_fn(frame::check_post))
        .merge(legacy_sse::routes(handler, opts.max_sse_sessions, shutdown))
        .route("/health", get(health_status).with_state(Arc::new(health)))
        .layer(DefaultBodyLimit::max(opts.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            Arc::new(guard_config),
            guards::guard,
        ))
}

struct Health {
    backend: String,
    started: Instant,
}

async fn health_status(State(health): State<Arc<Health>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "status": "ok",
        "name": "sequentum-mcp",
        "version": env!("CARGO_PKG_VERSION"),
        "backend": health.backend,
        "uptime_seconds": health.started.elapsed().as_secs(),
    }))
}

/// Binds `opts.listen`, serves until SIGINT or SIGTERM, then shuts down gracefully.
pub async fn serve_http<H>(handler: H, opts: HttpOptions) -> anyhow::Result<()>
where
    H: ServerHandler + Clone + Send + Sync + 'static,
{
    opts.validate().map_err(anyhow::Error::msg)?;
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .with_context(|| {
            format!(
                "could not listen on {} (is another server using the port?)",
                opts.listen
            )
        })?;
    serve_http_on(handler, opts, listener, termination_signal()).await
}

/// Serves on an already bound `listener` until `shutdown` completes. Then it stops accepting
/// connections, lets in-flight calls finish for up to `opts.shutdown_grace`, ends what remains
/// and returns.
pub async fn serve_http_on<H>(
    handler: H,
    mut opts: HttpOptions,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()>
where
    H: ServerHandler + Clone + Send + Sync + 'static,
{
    opts.validate().map_err(anyhow::Error::msg)?;
    // The bound address is the truth (port 0 becomes a real port) for the Host allow-list.
    opts.listen = listener.local_addr()?;
    tracing::info!(
        "MCP Streamable HTTP at http://{addr}/mcp (legacy SSE at /sse, health at /health){auth}",
        addr = opts.listen,
        auth = if opts.auth_token.is_some() {
            "; bearer token required"
        } else {
            ""
        },
    );
    let stages = Shutdown::default();
    let app = build_router(handler, &opts, stages.clone());
    let draining = stages.draining.clone();
    let limits = ConnectionLimits {
        header_read_timeout: opts.header_read_timeout,
        max_connections: opts.max_connections,
    };
    let server = listener::serve(listener, app, limits, too_many_connections, async move {
        shutdown.await;
        draining.cancel();
    });
    tokio::pin!(server);
    let grace = opts.shutdown_grace;
    let grace_over = async {
        stages.draining.cancelled().await;
        tracing::info!(
            "shutting down: no new connections; in-flight calls have {} s to finish",
            grace.as_secs_f32()
        );
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        () = &mut server => {}
        () = grace_over => {
            tracing::warn!("shutdown grace period over; closing the remaining requests");
            stages.force.cancel();
            // Streams end promptly once forced; do not wait on a peer that stopped reading.
            let _ = tokio::time::timeout(Duration::from_secs(1), &mut server).await;
        }
    };
    stages.force.cancel();
    Ok(())
}

/// The answer on a connection beyond `max_connections`.
fn too_many_connections() -> axum::response::Response {
    guards::rejection(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        -32000,
        "Service unavailable: too many open connections to this server. Retry shortly, or \
         close idle clients.",
    )
}

/// Completes on the first SIGINT (Ctrl-C) or SIGTERM (container stop).
async fn termination_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_refuses_exposed_listen_without_token() {
        let mut opts = HttpOptions {
            listen: "0.0.0.0:8787".parse().unwrap(),
            ..HttpOptions::default()
        };
        let err = opts.validate().unwrap_err();
        assert!(err.contains("0.0.0.0:8787") && err.contains("--auth-token"));
        opts.auth_token = Some("a-long-random-token".into());
        assert_eq!(opts.validate(), Ok(()));
        opts.auth_token = Some("has space".into());
        assert!(opts.validate().unwrap_err().contains("printable"));
        assert_eq!(HttpOptions::default().validate(), Ok(()));
        let v6 = HttpOptions {
            listen: "[::1]:8787".parse().unwrap(),
            ..HttpOptions::default()
        };
        assert_eq!(v6.validate(), Ok(()));
    }
}
