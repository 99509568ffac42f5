//! MCP over stdin/stdout: what desktop clients launch. stdout carries JSON-RPC frames only, so
//! all logging must already be routed to stderr by the caller.

use rmcp::{ServerHandler, ServiceExt};

/// Serve `handler` on stdin/stdout until the client closes stdin (EOF), then return.
pub async fn serve_stdio<H: ServerHandler>(handler: H) -> anyhow::Result<()> {
    let running = handler
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| anyhow::anyhow!("MCP over stdio failed to start: {e}"))?;
    let reason = running.waiting().await?;
    tracing::debug!(?reason, "stdio session ended");
    Ok(())
}
