//! Shared by the HTTP transport tests: a small MCP handler (a tool that reports progress and a
//! tool that blocks until the test releases it), a server runner on 127.0.0.1:0, a progress
//! collecting client, and a minimal SSE reader for raw streams.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use futures::StreamExt;
use rmcp::{
    ClientHandler, Json, RoleClient, RoleServer, ServerHandler,
    handler::server::{router::tool::ToolRouter, wrapper::Parameters},
    model::{Implementation, ProgressNotificationParam, ServerCapabilities, ServerConfig},
    service::{NotificationContext, RequestContext},
    tool, tool_handler, tool_router,
};
use schemars::JsonSchema;
use sequentum_mcp::transport::{HttpOptions, serve_http_on};
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, mpsc};
use tokio_util::sync::CancellationToken;

/// Upper bound for any single wait in these tests; a hang fails instead of blocking CI.
pub const DEADLINE: Duration = Duration::from_secs(10);

#[derive(Debug, Deserialize, JsonSchema)]
pub struct CountInput {
    /// Steps to count (each reports progress).
    pub steps: u32,
    /// Pause per step in milliseconds.
    pub delay_ms: u64,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CountOutput {
    pub completed_steps: u32,
}

/// Lets a test hold a tool call in flight: the tool signals `started`, then waits for `release`.
#[derive(Default)]
pub struct Gate {
    pub started: Notify,
    pub release: Notify,
}

#[derive(Clone)]
pub struct TestServer {
    tool_router: ToolRouter<Self>,
    pub gate: Arc<Gate>,
}

#[tool_router]
impl TestServer {
    pub fn new() -> Self {
        Self {
            tool_router: Self::tool_router(),
            gate: Arc::default(),
        }
    }

    /// Counts slowly, sending a progress notification per step when asked for progress.
    #[tool]
    async fn count(
        &self,
        Parameters(input): Parameters<CountInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<CountOutput>, String> {
        let token = ctx.meta.get_progress_token();
        for step in 1..=input.steps {
            tokio::time::sleep(Duration::from_millis(input.delay_ms)).await;
            if let Some(token) = &token {
                ctx.peer
                    .notify_progress(
                        ProgressNotificationParam::new(token.clone(), step as f64)
                            .with_total(input.steps as f64),
                    )
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
        Ok(Json(CountOutput {
            completed_steps: input.steps,
        }))
    }

    /// Blocks until the test releases the gate: a call that is in flight for as long as needed.
    #[tool]
    async fn gated(&self) -> String {
        self.gate.started.notify_one();
        self.gate.release.notified().await;
        "released".to_owned()
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for TestServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("transport-test", "0"))
            .with_instructions("test server")
    }
}

/// A server under test: its address, its handler (for the gate) and how to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub server: TestServer,
    pub stop: CancellationToken,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Running {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Signals shutdown and waits until the listener stops accepting connections (the
    /// server is then draining the work already in flight).
    pub async fn begin_drain(&self) {
        self.stop.cancel();
        let addr = self.addr;
        eventually("listener closed", || async move {
            tokio::net::TcpStream::connect(addr).await.is_err()
        })
        .await;
    }
}

/// Starts the HTTP transport with `opts` on 127.0.0.1:0.
pub async fn start(opts: HttpOptions) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = TestServer::new();
    let stop = CancellationToken::new();
    let task = tokio::spawn(serve_http_on(
        server.clone(),
        opts,
        listener,
        stop.clone().cancelled_owned(),
    ));
    Running {
        addr,
        server,
        stop,
        task,
    }
}

/// Client handler that forwards every progress notification to a channel.
#[derive(Clone)]
pub struct ProgressClient(pub mpsc::UnboundedSender<ProgressNotificationParam>);

impl ClientHandler for ProgressClient {
    async fn on_progress(
        &self,
        params: ProgressNotificationParam,
        _ctx: NotificationContext<RoleClient>,
    ) {
        let _ = self.0.send(params);
    }
}

/// Receives `n` progress values, failing if they do not arrive in time.
pub async fn progress_values(
    rx: &mut mpsc::UnboundedReceiver<ProgressNotificationParam>,
    n: usize,
) -> Vec<f64> {
    let mut seen = Vec::new();
    while seen.len() < n {
        let p = tokio::time::timeout(DEADLINE, rx.recv())
            .await
            .expect("progress notification in time")
            .expect("progress channel open");
        seen.push(p.progress);
    }
    seen
}

/// One server-sent event.
#[derive(Debug)]
pub struct SseEvent {
    pub event: String,
    pub data: String,
}

/// Reads events from a `text/event-stream` response body (comments are skipped).
pub struct SseReader {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

impl SseReader {
    pub fn new(response: reqwest::Response) -> Self {
        Self {
            body: response.bytes_stream().boxed(),
            buffer: String::new(),
        }
    }

    /// The next event, or `None` when the stream ended.
    pub async fn next(&mut self) -> Option<SseEvent> {
        tokio::time::timeout(DEADLINE, self.next_untimed())
            .await
            .expect("SSE event in time")
    }

    async fn next_untimed(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    event: "message".to_owned(),
                    data: String::new(),
                };
                let mut has_data = false;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event.event = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        if has_data {
                            event.data.push('\n');
                        }
                        event.data.push_str(v.strip_prefix(' ').unwrap_or(v));
                        has_data = true;
                    }
                }
                if has_data {
                    return Some(event);
                }
                continue; // a keep-alive comment
            }
            let chunk = self.body.next().await?.ok()?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

/// Polls `condition` until it holds, failing after [`DEADLINE`].
pub async fn eventually<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while !condition().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
