//! Accepting HTTP connections with limits that hold before any request is authenticated, for
//! the MCP HTTP transport and the embedded engine's listeners alike.
//!
//! `axum::serve` reads request heads without a deadline and accepts every connection, so a
//! client that sends half a header, or opens thousands of sockets, holds them forever. Here
//! each listener:
//!
//! * closes a connection that has no request in progress for
//!   [`ConnectionLimits::header_read_timeout`]: from its opening until its first request head
//!   is complete, and from each response until the next head. The timer is ours, around the
//!   whole connection, so it holds whatever the client speaks: during the sniffing that picks
//!   HTTP/1 or HTTP/2 (which has no timer of its own), during HTTP/2's handshake, on an HTTP/2
//!   connection whose streams are all done, and on an idle HTTP/1 keep-alive connection;
//!   hyper's HTTP/1 header timer stays as a second bound on a head that dribbles in;
//! * serves at most [`ConnectionLimits::max_connections`] connections at once, and at most
//!   [`ConnectionLimits::max_connections_per_client`] from one address (`clients.rs`); one
//!   more is answered with the caller's "busy" response (503) and closed, so a client learns
//!   why rather than hanging in the accept queue. As many again may wait for that answer;
//!   beyond that a connection is closed at once, so file descriptors stay bounded too;
//! * answers requests beyond [`ConnectionLimits::client_rate`] with 429 and `Retry-After`.
//!
//! Bodies are read later, by each app's middleware (in the MCP transport after the token
//! check), through [`read_body`]: one deadline and one size cap.
//!
//! A leaf module: the transport and the engine both serve HTTP with it, and it knows neither.

use std::{
    future::Future,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    response::Response,
    serve::Listener,
};
use http_body_util::BodyExt as _;
use hyper::{body::Incoming, service::Service as _};
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto,
    service::TowerToHyperService,
};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{Notify, OwnedSemaphorePermit, Semaphore},
};
use tokio_util::{sync::CancellationToken, task::TaskTracker};

mod clients;

pub use clients::Rate;
use clients::{ClientSlot, Clients};

/// Per-listener limits on connections and requests, applied before any request reaches a
/// handler.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Longest time a connection may go without a request in progress: from its opening to
    /// the end of its first request head, and from each response to the end of the next head.
    pub header_read_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// Connections served at once from one client address (0: only the total cap).
    pub max_connections_per_client: usize,
    /// Requests per client address (`None`: unlimited).
    pub client_rate: Option<Rate>,
}

/// Why a request was refused before reaching the app; the caller words the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The listener holds `max_connections` connections.
    Full,
    /// This address holds its share of connections.
    ClientShare,
    /// This address sent requests faster than its rate.
    ClientRate,
}

/// The body of a refusal (the listener adds the status line's headers).
pub(crate) type Busy = fn(StatusCode, Refusal) -> Response;

/// Serves `app` on `listener` until `shutdown` completes. Then it stops accepting, asks every
/// open connection to close after its current request, and returns once all are closed.
/// `busy` words the answer to refused connections and requests.
pub(crate) async fn serve(
    mut listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    busy: Busy,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let refusing = Arc::new(Semaphore::new(limits.max_connections));
    let clients = Clients::new(limits.max_connections_per_client, limits.client_rate);
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    let app = TowerToHyperService::new(app);
    let draining = CancellationToken::new();
    let connections = TaskTracker::new();
    tokio::pin!(shutdown);
    loop {
        // axum's `Listener` retries transient accept errors (such as running out of file
        // descriptors) with a pause, and logs them.
        let (stream, peer) = tokio::select! {
            accepted = Listener::accept(&mut listener) => accepted,
            () = &mut shutdown => break,
        };
        let admitted = slots.clone().try_acquire_owned().ok().map(|slot| {
            let client = clients.admit(peer.ip());
            (slot, client)
        });
        // What the connection holds of the listener's capacity while it lives: a slot, or
        // a place among the refusals waiting for their answer.
        let (handling, held): (_, OwnedSemaphorePermit) = match admitted {
            Some((slot, Some(client))) => (Handling::Serve(client), slot),
            other => {
                let why = match other {
                    Some(_) => Refusal::ClientShare,
                    None => Refusal::Full,
                };
                // A connection over its client's share gives its total slot back at once.
                drop(other);
                let Ok(permit) = refusing.clone().try_acquire_owned() else {
                    // Too many refusals pending already: close without an answer.
                    drop(stream);
                    continue;
                };
                if why == Refusal::Full {
                    tracing::warn!(
                        limit = limits.max_connections,
                        "connection limit reached; answering 503"
                    );
                } else {
                    tracing::debug!(peer = %peer.ip(), "client's connection share reached; answering 503");
                }
                (Handling::Refuse(why), permit)
            }
        };
        let connection = Connection {
            builder: builder.clone(),
            app: app.clone(),
            busy,
            handling,
            idle_timeout: limits.header_read_timeout,
        };
        let draining = draining.clone();
        connections.spawn(async move {
            connection.run(stream, draining).await;
            drop(held);
        });
    }
    drop(listener);
    draining.cancel();
    connections.close();
    connections.wait().await;
}

/// How a connection's requests are answered.
enum Handling {
    /// By the app, within the client's rate.
    Serve(ClientSlot),
    /// By the refusal, each request (the connection closes after the first).
    Refuse(Refusal),
}

/// One accepted connection and what it needs to be served.
struct Connection {
    builder: Arc<auto::Builder<TokioExecutor>>,
    app: TowerToHyperService<Router>,
    busy: Busy,
    handling: Handling,
    idle_timeout: Duration,
}

impl Connection {
    /// Serves the connection until the client closes it, it stays idle for too long, or the
    /// listener drains.
    async fn run(self, stream: TcpStream, draining: CancellationToken) {
        let activity = Arc::new(Activity::default());
        let Connection {
            builder,
            app,
            busy,
            handling,
            idle_timeout,
        } = self;
        let handling = Arc::new(handling);
        let counted = activity.clone();
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let request_guard = counted.begin();
            let handling = handling.clone();
            let app = app.clone();
            async move {
                let response = match &*handling {
                    Handling::Refuse(why) => refusal(busy, *why),
                    Handling::Serve(client) => match client.take_request() {
                        Err(wait) => too_many_requests(busy, wait),
                        Ok(()) => app.call(request).await?,
                    },
                };
                // The request is in progress until its response body is done or dropped
                // (a long SSE stream keeps its connection busy, not idle).
                Ok::<_, std::convert::Infallible>(response.map(|body| {
                    Body::new(Tracked {
                        body,
                        _in_progress: request_guard,
                    })
                }))
            }
        });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        tokio::pin!(connection);
        let served = tokio::select! {
            served = connection.as_mut() => served,
            () = draining.cancelled() => {
                connection.as_mut().graceful_shutdown();
                connection.await
            }
            () = activity.idle_for(idle_timeout) => {
                // Nothing is in progress: a graceful close loses nothing, and a client that
                // does not complete it within another period is cut off.
                connection.as_mut().graceful_shutdown();
                tokio::time::timeout(idle_timeout, connection.as_mut())
                    .await
                    .unwrap_or(Ok(()))
            }
        };
        log_end(served);
    }
}

/// Requests in progress on one connection, and a signal each time one ends.
#[derive(Default)]
struct Activity {
    in_progress: AtomicUsize,
    changed: Notify,
}

/// One request in progress; dropping it ends it.
struct InProgress(Arc<Activity>);

impl Activity {
    fn begin(self: &Arc<Self>) -> InProgress {
        self.in_progress.fetch_add(1, Ordering::SeqCst);
        self.changed.notify_waiters();
        InProgress(self.clone())
    }

    /// Completes once no request has been in progress for `timeout` without a break.
    async fn idle_for(&self, timeout: Duration) {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.in_progress.load(Ordering::SeqCst) > 0 {
                changed.await;
                continue;
            }
            if tokio::time::timeout(timeout, changed).await.is_err() {
                return;
            }
        }
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.in_progress.fetch_sub(1, Ordering::SeqCst);
        self.0.changed.notify_waiters();
    }
}

/// A response body that holds its request in progress until it is sent or dropped, and is
/// otherwise the body it wraps (its length too, so `Content-Length` is kept).
struct Tracked {
    body: Body,
    _in_progress: InProgress,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// The answer to a request on a refused connection: 503, and the connection closes.
fn refusal(busy: Busy, why: Refusal) -> Response {
    let mut response = with_connection_close(busy(StatusCode::SERVICE_UNAVAILABLE, why));
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// 429 with `Retry-After` in whole seconds (at least 1), for a client over its rate.
fn too_many_requests(busy: Busy, wait: Duration) -> Response {
    let mut response = busy(StatusCode::TOO_MANY_REQUESTS, Refusal::ClientRate);
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
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
