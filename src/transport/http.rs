//! MCP over HTTP: Streamable HTTP on `/mcp` (stateless, both protocol eras), the legacy
//! HTTP+SSE pair `/sse` + `/message`, and `/health`, all behind the guards in `guards.rs`.
//!
//! `/mcp` is stateless (no `Mcp-Session-Id`): every POST is self-contained and served by a
//! clone of one shared handler, so restarts and replicas behind a load balancer are invisible
//! to clients. 2025-era clients still `initialize` (rmcp answers it per request) and 2026-era
//! clients use `server/discover` with per-request `_meta`; GET and DELETE answer 405.

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use super::{
    frame, guards, legacy_sse, oauth,
    options::{HttpOptions, Shutdown},
};
use crate::listener::{self, ConnectionLimits, Refusal};
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
        // In OAuth mode an answer waits for the tool's result (a JSON body rather than a
        // stream whose status is sent first), so the guard can still turn it into the 401
        // the API gave for the user's token.
        .with_json_response(opts.oauth.is_some())
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
    let mut app = Router::new()
        .route_service("/mcp", mcp)
        .route_layer(middleware::from_fn(frame::check_post));
    // Legacy HTTP+SSE predates MCP's authorization spec; its clients cannot sign in, so
    // OAuth mode serves /mcp only, and the resource metadata instead.
    app = match &opts.oauth {
        Some(oauth) => app.merge(oauth::routes(oauth.clone())),
        None => app.merge(legacy_sse::routes(handler, opts.max_sse_sessions, shutdown)),
    };
    app.route("/health", get(health_status).with_state(Arc::new(health)))
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
        "MCP Streamable HTTP at http://{addr}/mcp ({legacy}health at /health){auth}",
        addr = opts.listen,
        legacy = if opts.oauth.is_some() {
            ""
        } else {
            "legacy SSE at /sse, "
        },
        auth = match (&opts.oauth, &opts.auth_token) {
            (Some(oauth), _) => format!("; {}", oauth.describe()),
            (None, Some(_)) => "; bearer token required".to_owned(),
            (None, None) => String::new(),
        },
    );
    let stages = Shutdown::default();
    let app = build_router(handler, &opts, stages.clone());
    let draining = stages.draining.clone();
    let limits = ConnectionLimits {
        header_read_timeout: opts.header_read_timeout,
        max_connections: opts.max_connections,
        max_connections_per_client: opts.max_connections_per_client,
        client_rate: opts.client_rate,
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

/// The answer to a connection or request the listener refused (see `listener::Refusal`).
fn too_many_connections(status: axum::http::StatusCode, why: Refusal) -> axum::response::Response {
    let message = match why {
        Refusal::Full => {
            "Service unavailable: too many open connections to this server. Retry shortly, or \
             close idle clients."
        }
        Refusal::ClientShare => {
            "Service unavailable: too many open connections from your address. Close idle \
             connections or reuse one, then retry."
        }
        Refusal::ClientRate => {
            "Too many requests from your address. Wait for the Retry-After seconds, then retry."
        }
    };
    guards::rejection(status, -32000, message)
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
