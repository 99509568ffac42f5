//! Accepting HTTP connections with limits that hold before any request is authenticated, for
//! the MCP HTTP transport and the embedded engine's listeners alike.
//!
//! `axum::serve` reads request heads without a deadline and accepts every connection, so a
//! client that sends half a header, or opens thousands of sockets, holds them forever. Here
//! each listener:
//!
//! * closes a connection whose request head has not fully arrived within
//!   [`ConnectionLimits::header_read_timeout`] (hyper's HTTP/1 header timer; it also bounds how
//!   long an idle keep-alive connection waits for its next request);
//! * serves at most [`ConnectionLimits::max_connections`] connections at once; one more is
//!   answered with the caller's "busy" response (503) and closed, so a client learns why rather
//!   than hanging in the accept queue.
//!
//! (HTTP/2, which clients here reach only with prior knowledge, has no such head timer; the
//! connection cap still holds.) Bodies are read later, by each app's middleware (in the MCP
//! transport after the token check), through [`read_body`]: one deadline and one size cap.

use std::{future::Future, sync::Arc, time::Duration};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::Request,
    http::{HeaderValue, header},
    response::Response,
    serve::Listener,
};
use http_body_util::BodyExt as _;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto,
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::Semaphore};
use tokio_util::{sync::CancellationToken, task::TaskTracker};

/// Per-listener limits on connections, applied before any request reaches a handler.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Longest time from a connection's opening (or its previous response) to the end of the
    /// next request head; a connection that sends nothing is closed after it too.
    pub header_read_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
}

/// Serves `app` on `listener` until `shutdown` completes. Then it stops accepting, asks every
/// open connection to close after its current request, and returns once all are closed.
/// `busy` answers every request of a connection beyond the cap.
pub(crate) async fn serve(
    mut listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    busy: fn() -> Response,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let busy = Router::new().fallback(move || std::future::ready(with_connection_close(busy())));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let builder = Arc::new(builder);
    let draining = CancellationToken::new();
    let connections = TaskTracker::new();
    tokio::pin!(shutdown);
    loop {
        // axum's `Listener` retries transient accept errors (such as running out of file
        // descriptors) with a pause, and logs them.
        let (stream, _peer) = tokio::select! {
            accepted = Listener::accept(&mut listener) => accepted,
            () = &mut shutdown => break,
        };
        let slot = slots.clone().try_acquire_owned().ok();
        let service = match slot {
            Some(_) => app.clone(),
            None => {
                tracing::warn!(
                    limit = limits.max_connections,
                    "connection limit reached; answering 503"
                );
                busy.clone()
            }
        };
        let builder = builder.clone();
        let draining = draining.clone();
        connections.spawn(async move {
            let connection =
                builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            tokio::pin!(connection);
            tokio::select! {
                served = connection.as_mut() => log_end(served),
                () = draining.cancelled() => {
                    connection.as_mut().graceful_shutdown();
                    log_end(connection.await);
                }
            }
            drop(slot);
        });
    }
    drop(listener);
    draining.cancel();
    connections.close();
    connections.wait().await;
}

fn log_end(served: Result<(), Box<dyn std::error::Error + Send + Sync>>) {
    if let Err(e) = served {
        // Timeouts and clients that hang up mid-request end up here; not a server fault.
        tracing::debug!("connection closed: {e}");
    }
}

/// `response` with `Connection: close`: for refusals after which the connection cannot or
/// should not carry another request (over the cap, or a body left unread).
pub(crate) fn with_connection_close(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Why a request body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// More than the allowed bytes (declared or streamed).
    TooLarge,
    /// Not complete within the deadline.
    TimedOut,
    /// The connection failed or the client hung up.
    Broken,
}

/// Reads a request's whole body within `timeout` and `max_bytes`, and gives the request back
/// with the body buffered, so whatever handles it next reads from memory. One deadline for the
/// whole body: a client that announces 1,000 bytes and sends 41 cannot hold the request open.
pub(crate) async fn read_body(
    request: Request,
    max_bytes: usize,
    timeout: Duration,
) -> Result<(Request, Bytes), BodyError> {
    let (parts, body) = request.into_parts();
    let limited = http_body_util::Limited::new(body, max_bytes);
    let bytes = match tokio::time::timeout(timeout, limited.collect()).await {
        Err(_) => return Err(BodyError::TimedOut),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return Err(BodyError::TooLarge);
        }
        Ok(Err(_)) => return Err(BodyError::Broken),
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    Ok((Request::from_parts(parts, Body::from(bytes.clone())), bytes))
}
