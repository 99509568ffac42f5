//! The server in-process behind an in-memory pipe, driven by a real rmcp client: the whole
//! protocol path of a tool call (framing, JSON-RPC, dispatch, argument decoding, structured
//! results) without a process boundary. Used by `demo`, the tests and the benchmarks.

use rmcp::{ClientHandler, RoleClient, ServiceExt, service::RunningService};

use super::Server;

/// Bytes the pipe buffers in each direction: a large records page fits at once.
const PIPE_BYTES: usize = 1 << 20;

/// Serves `server` on one end of a pipe and connects `client` to the other end.
pub async fn connect<C: ClientHandler>(
    server: Server,
    client: C,
) -> anyhow::Result<RunningService<RoleClient, C>> {
    let (server_io, client_io) = tokio::io::duplex(PIPE_BYTES);
    tokio::spawn(async move {
        match server.serve(server_io).await {
            Ok(running) => {
                let _ = running.waiting().await;
            }
            Err(e) => tracing::error!("the in-process MCP server failed to start: {e}"),
        }
    });
    Ok(client.serve(client_io).await?)
}
