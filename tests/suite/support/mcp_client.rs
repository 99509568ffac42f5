//! The MCP server in-process, talking to the fake API, driven by a real rmcp client over an
//! in-memory duplex pipe: what a model's host does, minus the process boundary.
//!
//! ```ignore
//! let h = Harness::start().await;
//! let agent = h.fake.add_agent("Shop");
//! let run = h.call("run_agent", json!({"agent_id": agent})).await.unwrap();
//! let err = h.call("get_run_status", json!({"agent_id": agent, "run_id": 999})).await.unwrap_err();
//! ```
//!
//! Every result the harness hands back has already been checked for the fake's API key, so
//! each test also proves, for its own calls, that no secret reaches the model.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::Duration,
};

use rmcp::{
    ClientHandler, RoleClient, ServiceExt,
    model::{
        CallToolRequestParams, CallToolResult, ClientRequest, ProgressNotificationParam,
        ProgressToken, Request, ServerResult,
    },
    service::{NotificationContext, PeerRequestOptions, RequestHandle, RunningService},
};
use sequentum_mcp::{
    api::platform::Sequentum,
    mcp::{Server, Settings, toolsets::Selection},
    records::{cache::FileCache, cursor::CursorKey},
};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::watch;

use super::FakeApi;

/// How long a test waits for a call or a notification before failing.
const WAIT_LIMIT: Duration = Duration::from_secs(10);
/// How often the server polls the fake while a tool waits: fast, so waits end quickly.
pub const POLL_INTERVAL: Duration = Duration::from_millis(20);
/// Record cache size: plenty for test files, small enough to be a real bound.
const CACHE_BYTES: u64 = 64 << 20;

/// Progress notifications as they arrive, with a counter to wake waiters.
#[derive(Clone)]
struct ProgressLog {
    seen: Arc<Mutex<Vec<ProgressNotificationParam>>>,
    count: watch::Sender<usize>,
}

impl ProgressLog {
    fn all(&self) -> Vec<ProgressNotificationParam> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl ClientHandler for ProgressLog {
    async fn on_progress(
        &self,
        params: ProgressNotificationParam,
        _ctx: NotificationContext<RoleClient>,
    ) {
        let total = {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            seen.push(params);
            seen.len()
        };
        self.count.send_replace(total);
    }
}

/// A fake API, the MCP server in front of it, and a connected client.
pub struct Harness {
    pub fake: FakeApi,
    client: RunningService<RoleClient, ProgressLog>,
    progress: ProgressLog,
    output_dir: PathBuf,
    _dir: TempDir,
}

impl Harness {
    /// Every tool of every toolset.
    pub async fn start() -> Harness {
        Harness::start_with(&Selection::all()).await
    }

    /// The tools `selection` asks for.
    pub async fn start_with(selection: &Selection) -> Harness {
        Harness::serve(selection, true).await
    }

    /// A server whose caller is remote (as over HTTP): no save_records, no loopback links.
    pub async fn start_remote() -> Harness {
        Harness::serve(&Selection::all(), false).await
    }

    async fn serve(selection: &Selection, caller_is_local: bool) -> Harness {
        let fake = FakeApi::start().await;
        let dir = tempfile::tempdir().expect("temporary directory");
        let output_dir = dir.path().join("out");
        let settings = Settings {
            poll_interval: Some(POLL_INTERVAL),
            output_dir: caller_is_local.then(|| output_dir.clone()),
            cache: FileCache::new(dir.path().join("cache"), CACHE_BYTES),
            cursor_key: CursorKey::derive(&[b"test"]),
            caller_is_local,
        };
        let platform = std::sync::Arc::new(Sequentum::cloud(fake.client()));
        let server = Server::new(platform, settings, selection).expect("valid selection");
        let progress = ProgressLog {
            seen: Arc::default(),
            count: watch::channel(0).0,
        };
        let client = sequentum_mcp::mcp::in_process::connect(server, progress.clone())
            .await
            .expect("MCP client connects");
        Harness {
            fake,
            client,
            progress,
            output_dir,
            _dir: dir,
        }
    }

    /// Where save_records files land.
    pub fn output_dir(&self) -> &Path {
        &self.output_dir
    }

    /// Calls a tool: `Ok(structuredContent)` on success, `Err(text)` when `isError`.
    pub async fn call(&self, tool: &str, args: Value) -> Result<Value, String> {
        outcome(self.call_raw(tool, args).await)
    }

    /// Calls a tool and returns the whole result (content blocks included).
    pub async fn call_raw(&self, tool: &str, args: Value) -> CallToolResult {
        let result = self
            .client
            .call_tool(params(tool, args))
            .await
            .unwrap_or_else(|e| panic!("{tool}: protocol error {e:?}"));
        self.assert_no_secret(&result);
        result
    }

    /// Calls a tool the server must refuse at the protocol level; returns the error text.
    pub async fn call_refused(&self, tool: &str, args: Value) -> String {
        match self.client.call_tool(params(tool, args)).await {
            Ok(result) => panic!("{tool}: expected a protocol error, got {result:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// Sends a tool call without waiting for it: the handle carries the request's progress
    /// token and can cancel it.
    pub async fn start_call(&self, tool: &str, args: Value) -> RequestHandle<RoleClient> {
        self.client
            .send_cancellable_request(
                ClientRequest::CallToolRequest(Request::new(params(tool, args))),
                PeerRequestOptions::no_options(),
            )
            .await
            .unwrap_or_else(|e| panic!("{tool}: could not send ({e:?})"))
    }

    /// Waits (bounded) for the answer to a call sent with `start_call`.
    pub async fn finish(&self, handle: RequestHandle<RoleClient>) -> Result<Value, String> {
        let answer = tokio::time::timeout(WAIT_LIMIT, handle.await_response())
            .await
            .expect("the tool answered in time")
            .expect("the call succeeded at the protocol level");
        let ServerResult::CallToolResult(result) = answer else {
            panic!("not a tool result: {answer:?}");
        };
        self.assert_no_secret(&result);
        outcome(result)
    }

    /// Every progress notification received so far, in arrival order.
    pub fn progress(&self) -> Vec<ProgressNotificationParam> {
        self.progress.all()
    }

    /// Waits (up to 10 s, then panics) until `n` notifications for `token` arrived; returns them.
    pub async fn wait_for_progress(
        &self,
        token: &ProgressToken,
        n: usize,
    ) -> Vec<ProgressNotificationParam> {
        let mut changed = self.progress.count.subscribe();
        let mine = || -> Vec<ProgressNotificationParam> {
            self.progress
                .all()
                .into_iter()
                .filter(|p| &p.progress_token == token)
                .collect()
        };
        tokio::time::timeout(WAIT_LIMIT, async {
            loop {
                let got = mine();
                if got.len() >= n {
                    return got;
                }
                changed.changed().await.expect("client alive");
            }
        })
        .await
        .unwrap_or_else(|_| panic!("fewer than {n} progress notifications within {WAIT_LIMIT:?}"))
    }

    /// Fails the test if the fake's API key appears anywhere in a result.
    fn assert_no_secret(&self, result: &CallToolResult) {
        let text = serde_json::to_string(result).expect("results serialize");
        assert!(
            !text.contains(self.fake.api_key()),
            "a tool result leaked the API key: {text}"
        );
    }
}

fn params(tool: &str, args: Value) -> CallToolRequestParams {
    let Value::Object(args) = args else {
        panic!("tool arguments must be a JSON object");
    };
    CallToolRequestParams::new(tool.to_string()).with_arguments(args)
}

/// Splits a result into structured success or the error text, checking the error shape the
/// contract promises: one text block and no structured content.
pub fn outcome(result: CallToolResult) -> Result<Value, String> {
    if result.is_error == Some(true) {
        assert!(
            result.structured_content.is_none(),
            "errors carry no structuredContent"
        );
        assert_eq!(result.content.len(), 1, "errors are one text block");
        let text = result.content[0]
            .as_text()
            .expect("the error block is text")
            .text
            .clone();
        return Err(text);
    }
    Ok(result
        .structured_content
        .expect("successful results carry structuredContent"))
}

/// The text of an expected failure, with a readable panic when the call succeeded.
pub fn failure(outcome: Result<Value, String>) -> String {
    match outcome {
        Err(text) => text,
        Ok(value) => panic!("expected a tool error, got {value:#}"),
    }
}

/// The structured result of an expected success, with the error text when it failed.
pub fn success(outcome: Result<Value, String>) -> Value {
    outcome.unwrap_or_else(|text| panic!("expected success, got: {text}"))
}
