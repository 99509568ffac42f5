//! The deprecated 2024-11-05 "HTTP+SSE" transport, for clients that predate Streamable HTTP.
//! rmcp dropped its own server for it, so this adapts rmcp's `Transport` trait to two routes:
//!
//! * `GET /sse` opens a session: the first event (`endpoint`) names the POST URL carrying an
//!   unguessable session id, then every server message follows as an `event: message` frame,
//!   with keep-alive comments in between so proxies and dead peers are noticed.
//! * `POST /message?sessionId=ID` hands one client message to that session and answers 202;
//!   the reply travels on the SSE stream.
//!
//! A session lives exactly as long as its SSE stream: when the client goes away, the stream is
//! dropped, the session leaves the table, its inbound channel closes and the rmcp service ends.
//! The number of open streams is capped because each one holds a connection and a task.
//! On shutdown (the listener no longer accepts connections, so no new messages arrive) a
//! session closes once its in-flight requests have been answered, or when the grace period
//! forces it.

use std::{
    collections::HashMap,
    convert::Infallible,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::{Query, State},
    http::{HeaderValue, StatusCode},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::{get, post},
};
use futures::{Stream, StreamExt, stream};
use rmcp::{
    RoleServer, ServerHandler, ServiceExt,
    model::{ClientJsonRpcMessage, JsonRpcMessage, ServerJsonRpcMessage},
    transport::Transport,
};
use tokio::sync::{mpsc, watch};

use super::{frame, guards::rejection, options::Shutdown};

/// Messages buffered per direction before the sender waits (backpressure, bounded memory).
const CHANNEL_CAPACITY: usize = 64;
/// Interval of `:` comment lines on an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Routes `/sse` and `/message` serving clones of `handler`, at most `max_sessions` at once.
pub(crate) fn routes<H>(handler: H, max_sessions: usize, shutdown: Shutdown) -> Router
where
    H: ServerHandler + Clone + Send + Sync + 'static,
{
    let state = LegacySse {
        handler,
        sessions: Arc::new(Mutex::new(HashMap::new())),
        max_sessions,
        shutdown,
    };
    Router::new()
        .route("/sse", get(open_stream::<H>))
        .route("/message", post(post_message::<H>))
        .with_state(state)
}

#[derive(Clone)]
struct LegacySse<H> {
    handler: H,
    sessions: Sessions,
    max_sessions: usize,
    shutdown: Shutdown,
}

/// Open sessions by id. A std mutex: it is never held across an await, and the stream's drop
/// guard must be able to remove its entry synchronously.
type Sessions = Arc<Mutex<HashMap<String, SessionEntry>>>;

#[derive(Clone)]
struct SessionEntry {
    inbound: mpsc::Sender<ClientJsonRpcMessage>,
    /// Requests forwarded to the service and not yet answered; shutdown waits for zero.
    in_flight: Arc<watch::Sender<usize>>,
}

async fn open_stream<H>(State(app): State<LegacySse<H>>) -> Response
where
    H: ServerHandler + Clone + Send + Sync + 'static,
{
    let id = new_session_id();
    let (in_tx, in_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let (out_tx, out_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let in_flight = Arc::new(watch::Sender::new(0usize));
    {
        let mut sessions = app.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        if sessions.len() >= app.max_sessions {
            return rejection(
                StatusCode::SERVICE_UNAVAILABLE,
                -32000,
                &format!(
                    "Too many open legacy SSE streams (limit {}). Close an unused client, or \
                     connect with Streamable HTTP at /mcp, which holds no stream open.",
                    app.max_sessions
                ),
            );
        }
        sessions.insert(
            id.clone(),
            SessionEntry {
                inbound: in_tx,
                in_flight: in_flight.clone(),
            },
        );
    }
    tracing::debug!("legacy SSE session opened");

    let transport = ChannelTransport {
        inbound: in_rx,
        outbound: out_tx,
        in_flight: in_flight.clone(),
    };
    tokio::spawn(run_session(
        app.handler.clone(),
        transport,
        in_flight.subscribe(),
        app.shutdown.clone(),
    ));

    let endpoint = Event::default()
        .event("endpoint")
        .data(format!("/message?sessionId={id}"));
    let guard = SessionGuard {
        id,
        sessions: app.sessions.clone(),
    };
    let messages = stream::unfold((out_rx, guard), |(mut rx, guard)| async move {
        let msg = rx.recv().await?;
        Some((message_event(&msg), (rx, guard)))
    });
    let events = stream::once(async { Ok::<_, Infallible>(endpoint) })
        .chain(messages.map(Ok::<_, Infallible>));
    sse_response(events)
}

fn sse_response(
    events: impl Stream<Item = Result<Event, Infallible>> + Send + 'static,
) -> Response {
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    // Stops nginx-style proxies from buffering the stream.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

fn message_event(msg: &ServerJsonRpcMessage) -> Event {
    match serde_json::to_string(msg) {
        Ok(json) => Event::default().event("message").data(json),
        Err(e) => {
            tracing::error!("could not serialise a server message: {e}");
            Event::default().comment("dropped unserialisable message")
        }
    }
}

/// Runs one session's rmcp service until the client leaves, or until shutdown has drained it.
async fn run_session<H: ServerHandler>(
    handler: H,
    transport: ChannelTransport,
    mut in_flight: watch::Receiver<usize>,
    shutdown: Shutdown,
) {
    // The handshake waits for the client's `initialize`; a session that never sent one has
    // nothing in flight and may simply end on shutdown.
    let running = tokio::select! {
        started = handler.serve(transport) => match started {
            Ok(running) => running,
            Err(e) => {
                tracing::debug!("legacy SSE session ended before initialisation: {e}");
                return;
            }
        },
        _ = shutdown.draining.cancelled() => return,
    };
    let stop = running.cancellation_token();
    let finished = running.waiting();
    tokio::pin!(finished);
    let drained = async {
        shutdown.draining.cancelled().await;
        tokio::select! {
            _ = in_flight.wait_for(|n| *n == 0) => {}
            _ = shutdown.force.cancelled() => {}
        }
    };
    tokio::select! {
        _ = &mut finished => {}
        _ = drained => {
            stop.cancel();
            let _ = finished.await;
        }
    }
    tracing::debug!("legacy SSE session ended");
}

/// Removes the session from the table when the SSE stream is dropped (client disconnect or
/// the service ended); dropping the entry's sender makes `receive()` return `None`.
struct SessionGuard {
    id: String,
    sessions: Sessions,
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        self.sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
        tracing::debug!("legacy SSE session closed");
    }
}

#[derive(serde::Deserialize)]
struct SessionQuery {
    #[serde(rename = "sessionId")]
    session_id: Option<String>,
}

async fn post_message<H>(
    State(app): State<LegacySse<H>>,
    Query(query): Query<SessionQuery>,
    body: Bytes,
) -> Response
where
    H: ServerHandler + Clone + Send + Sync + 'static,
{
    let Some(session_id) = query.session_id else {
        return rejection(
            StatusCode::BAD_REQUEST,
            -32600,
            "Missing sessionId: POST to the URL given by the `endpoint` event of GET /sse.",
        );
    };
    let entry = app
        .sessions
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&session_id)
        .cloned();
    let Some(entry) = entry else {
        return unknown_session();
    };
    // A refused frame is answered on the POST itself (400 with the JSON-RPC error), where
    // the client that sent it is waiting; an unknown notification is accepted and dropped.
    let msg = match frame::parse(&body) {
        Ok(msg) => msg,
        Err(refusal) => {
            return match refusal.answer() {
                Some(answer) => (StatusCode::BAD_REQUEST, axum::Json(answer)).into_response(),
                None => (StatusCode::ACCEPTED, "Accepted").into_response(),
            };
        }
    };
    let is_request = matches!(msg, JsonRpcMessage::Request(_));
    if is_request {
        entry.in_flight.send_modify(|n| *n += 1);
    }
    if entry.inbound.send(msg).await.is_err() {
        if is_request {
            entry.in_flight.send_modify(|n| *n = n.saturating_sub(1));
        }
        return unknown_session();
    }
    (StatusCode::ACCEPTED, "Accepted").into_response()
}

fn unknown_session() -> Response {
    rejection(
        StatusCode::NOT_FOUND,
        -32001,
        "Session not found: it was closed or never existed. Open a new stream with GET /sse.",
    )
}

/// 128 bits from the operating system's CSPRNG, hex-encoded: knowing one session id says
/// nothing about another, so an id cannot be guessed to inject messages into a session.
fn new_session_id() -> String {
    crate::random::hex(16)
}

/// One session's rmcp transport: client messages arrive from POSTs, server messages leave on
/// the SSE stream.
struct ChannelTransport {
    inbound: mpsc::Receiver<ClientJsonRpcMessage>,
    outbound: mpsc::Sender<ServerJsonRpcMessage>,
    in_flight: Arc<watch::Sender<usize>>,
}

impl Transport<RoleServer> for ChannelTransport {
    type Error = mpsc::error::SendError<ServerJsonRpcMessage>;

    fn send(
        &mut self,
        item: ServerJsonRpcMessage,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        let outbound = self.outbound.clone();
        let in_flight = self.in_flight.clone();
        let answers_request =
            matches!(item, JsonRpcMessage::Response(_) | JsonRpcMessage::Error(_));
        async move {
            outbound.send(item).await?;
            if answers_request {
                in_flight.send_modify(|n| *n = n.saturating_sub(1));
            }
            Ok(())
        }
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        self.inbound.recv().await
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        self.inbound.close();
        Ok(())
    }
}
