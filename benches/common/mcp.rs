//! The MCP server in-process behind an in-memory pipe, driven by a real rmcp client: the
//! whole protocol path of a tool call (framing, JSON-RPC, dispatch, schema-checked arguments,
//! structured results) without a process boundary.

use std::{path::Path, sync::Arc, time::Duration};

use rmcp::{
    RoleClient,
    model::{CallToolRequestParams, CallToolResult},
    service::RunningService,
};
use sequentum_mcp::{
    api::{Client, platform::Sequentum},
    mcp::{Server, Settings, in_process, toolsets::Selection},
    records::{cache::FileCache, cursor::CursorKey},
};
use serde_json::Value;

/// Record cache size: the production default, so a large export is cached as in real use.
const CACHE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// A connected client; dropping it ends the session.
pub struct Connection {
    client: RunningService<RoleClient, ()>,
}

impl Connection {
    /// Serves a cloud-backend server on `api` (its cache under `dir`) and connects to it.
    pub async fn open(api: Client, dir: &Path) -> Connection {
        let settings = Settings {
            poll_interval: Some(Duration::from_millis(20)),
            output_dir: None,
            cache: FileCache::new(dir.join("cache"), CACHE_BYTES),
            cursor_key: CursorKey::derive(&[b"bench"]),
            caller_is_local: true,
        };
        let platform = Arc::new(Sequentum::cloud(api));
        let server = Server::new(platform, settings, &Selection::default()).expect("default set");
        let client = in_process::connect(server, ())
            .await
            .expect("the MCP client connects");
        Connection { client }
    }

    /// Calls a tool and returns the whole result.
    pub async fn call_raw(&self, tool: &str, args: Value) -> CallToolResult {
        let Value::Object(args) = args else {
            panic!("tool arguments must be a JSON object");
        };
        self.client
            .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(args))
            .await
            .unwrap_or_else(|e| panic!("{tool}: protocol error {e:?}"))
    }

    /// Calls a tool that must succeed and returns its structured content.
    pub async fn call(&self, tool: &str, args: Value) -> Value {
        let result = self.call_raw(tool, args).await;
        if result.is_error == Some(true) {
            panic!("{tool} failed: {:?}", result.content);
        }
        result
            .structured_content
            .unwrap_or_else(|| panic!("{tool} returned no structured content"))
    }
}
