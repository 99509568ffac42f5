//! A server process's link to the shared engine: a forwarder on 127.0.0.1 with a key of its
//! own. The server's API client talks to the link as it would to any Sequentum API; the link
//! sends each request on to the data directory's engine with the engine's key. When the
//! engine cannot be reached (it exited idle, crashed or was stopped), the link finds or starts
//! the current one and sends the request there, so the server never holds a dead address and
//! an engine restart between two calls costs only the time to start it.
//!
//! A request is sent again only when the connection could not be made (nothing reached the
//! engine), so a run start is never repeated.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::{
    address::EngineAddress,
    attach::{self, Launch},
};
use crate::local::signing::constant_time_eq;

/// Largest request body forwarded (the engine's own limit).
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A running link; dropping it (or [`Link::close`]) stops forwarding. The engine goes on.
pub struct Link {
    base_url: Url,
    /// The engine's demo shop, reached directly: its address outlives this link.
    demo_url: Url,
    api_key: String,
    stop: CancellationToken,
    server: Option<JoinHandle<()>>,
}

struct Shared {
    launch: Launch,
    key: String,
    http: reqwest::Client,
    /// The engine requests go to; replaced when it stops answering. The lock also makes
    /// concurrent requests wait for one start rather than each starting an engine.
    engine: tokio::sync::Mutex<Option<EngineAddress>>,
}

impl Link {
    /// Finds or starts the engine for `launch.data_dir`, then listens on a free loopback port.
    pub async fn start(launch: Launch) -> anyhow::Result<Link> {
        let http = attach::loopback_client()?;
        let engine = attach::connect_or_start(&http, &launch).await?;
        let demo_url = engine.demo_url();
        let shared = Arc::new(Shared {
            launch,
            key: crate::local::random_api_key(),
            http,
            engine: tokio::sync::Mutex::new(Some(engine)),
        });
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let base_url = Url::parse(&format!("http://{}/", listener.local_addr()?))?;
        let api_key = shared.key.clone();
        let app = Router::new().fallback(forward).with_state(shared);
        let stop = CancellationToken::new();
        let until = stop.clone().cancelled_owned();
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app)
                .with_graceful_shutdown(until)
                .await
            {
                tracing::warn!(error = %e, "the engine link stopped with an error");
            }
        });
        Ok(Link {
            base_url,
            demo_url,
            api_key,
            stop,
            server: Some(server),
        })
    }

    /// Where the server's API client sends its requests.
    pub fn base_url(&self) -> Url {
        self.base_url.clone()
    }

    /// The demo shop's listing on the engine's demo origin (not on this link, which ends
    /// with its process).
    pub fn demo_url(&self) -> Url {
        self.demo_url.clone()
    }

    /// The key the server's API client sends; the link swaps it for the engine's.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// Stops forwarding once the requests in flight are answered.
    pub async fn close(mut self) {
        self.stop.cancel();
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

impl Shared {
    /// The engine to use: the known one, or, after `failed` could not be reached, whichever
    /// engine now serves the data directory (started if need be).
    async fn engine(&self, failed: Option<&EngineAddress>) -> Result<EngineAddress, String> {
        let mut current = self.engine.lock().await;
        match current.as_ref() {
            Some(known) if failed.is_none_or(|f| f.instance != known.instance) => {
                return Ok(known.clone());
            }
            _ => {}
        }
        *current = None;
        let found = attach::connect_or_start(&self.http, &self.launch)
            .await
            .map_err(|e| e.to_string())?;
        *current = Some(found.clone());
        Ok(found)
    }
}

async fn forward(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    // Buffered, so that it can be sent again after a failed connection.
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return unavailable(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is too large.",
        );
    };
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .trim_start_matches('/');
    let mut failed: Option<EngineAddress> = None;
    loop {
        let engine = match shared.engine(failed.as_ref()).await {
            Ok(engine) => engine,
            Err(e) => {
                return unavailable(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &format!("The local engine is not available: {e}"),
                );
            }
        };
        let Ok(url) = engine.url.join(path) else {
            return unavailable(StatusCode::BAD_REQUEST, "The request path is not valid.");
        };
        let sent = shared
            .http
            .request(parts.method.clone(), url)
            .headers(outgoing_headers(&parts.headers, &shared.key, &engine.key))
            .body(body.clone())
            .send()
            .await;
        match sent {
            Ok(response) => return relay(response),
            // Nothing reached the engine: find the current one and try there, once.
            Err(e) if e.is_connect() && failed.is_none() => {
                tracing::info!(
                    "the engine at {} is gone; finding or starting it again",
                    engine.url
                );
                failed = Some(engine);
            }
            Err(e) => {
                return unavailable(
                    StatusCode::BAD_GATEWAY,
                    &format!("The local engine did not answer: {e}"),
                );
            }
        }
    }
}

/// Headers that describe one hop, not the message.
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-connection"
            | "transfer-encoding"
            | "te"
            | "trailer"
            | "upgrade"
    )
}

/// The request's headers for the engine: the link's key becomes the engine's; any other
/// credential goes on unchanged (and the engine refuses it).
fn outgoing_headers(incoming: &HeaderMap, link_key: &str, engine_key: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in incoming {
        // The HTTP client sets Host and Content-Length for the engine.
        if hop_by_hop(name) || name == header::HOST || name == header::CONTENT_LENGTH {
            continue;
        }
        let presented = (name == header::AUTHORIZATION)
            .then(|| {
                value
                    .to_str()
                    .ok()?
                    .trim()
                    .split_once(' ')
                    .map(|(_, k)| k.trim())
            })
            .flatten();
        match presented {
            Some(key) if constant_time_eq(key.as_bytes(), link_key.as_bytes()) => {
                if let Ok(value) = HeaderValue::from_str(&format!("ApiKey {engine_key}")) {
                    headers.insert(header::AUTHORIZATION, value);
                }
            }
            _ => {
                headers.append(name.clone(), value.clone());
            }
        }
    }
    headers
}

/// The engine's answer, streamed back as it arrives.
fn relay(response: reqwest::Response) -> Response {
    let mut out = Response::builder().status(response.status());
    if let Some(headers) = out.headers_mut() {
        for (name, value) in response.headers() {
            if !hop_by_hop(name) {
                headers.append(name.clone(), value.clone());
            }
        }
    }
    out.body(Body::from_stream(response.bytes_stream()))
        .unwrap_or_else(|e| unavailable(StatusCode::BAD_GATEWAY, &e.to_string()))
}

/// An error in the API's `{statusCode, message}` shape.
fn unavailable(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({
            "statusCode": status.as_u16(),
            "statusDescription": status.canonical_reason().unwrap_or("Error"),
            "message": message,
            "severity": "Error",
        })),
    )
        .into_response()
}
