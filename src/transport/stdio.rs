//! MCP over stdin/stdout: what desktop clients launch. stdout carries JSON-RPC frames only, so
//! all logging must already be routed to stderr by the caller.
//!
//! The framing is ours rather than rmcp's because rmcp silently drops a line that is not JSON.
//! JSON-RPC asks for a `-32700 Parse error` reply (with a null id), and a client or a person
//! typing at the server deserves to learn why nothing happened; the server then keeps serving.
//! Lines are bounded, so a runaway writer cannot exhaust memory.

use std::{future::Future, sync::Arc};

use rmcp::{
    RoleServer, ServerHandler, ServiceExt,
    model::{ClientJsonRpcMessage, ServerJsonRpcMessage},
    transport::Transport,
};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader},
    sync::Mutex,
};

/// Longest accepted message line; longer ones are answered with an error and skipped.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Serve `handler` on stdin/stdout until the client closes stdin (EOF), then return.
pub async fn serve_stdio<H: ServerHandler>(handler: H) -> anyhow::Result<()> {
    serve_lines(handler, tokio::io::stdin(), tokio::io::stdout()).await
}

/// Serve `handler` on any pair of byte streams with newline-delimited JSON-RPC.
pub async fn serve_lines<H, R, W>(handler: H, input: R, output: W) -> anyhow::Result<()>
where
    H: ServerHandler,
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let running = handler
        .serve(LineTransport::new(input, output))
        .await
        .map_err(|e| anyhow::anyhow!("MCP over stdio failed to start: {e}"))?;
    let reason = running.waiting().await?;
    tracing::debug!(?reason, "stdio session ended");
    Ok(())
}

/// Newline-delimited JSON-RPC over a reader and a writer.
pub struct LineTransport<R, W> {
    reader: BufReader<R>,
    /// The line being read; kept across calls because `receive` may be cancelled mid-line.
    line: Vec<u8>,
    /// The current line outgrew `MAX_LINE_BYTES`: its bytes are being skipped.
    oversized: bool,
    writer: Arc<Mutex<W>>,
}

impl<R: AsyncRead + Unpin, W: AsyncWrite + Unpin> LineTransport<R, W> {
    pub fn new(input: R, output: W) -> Self {
        LineTransport {
            reader: BufReader::new(input),
            line: Vec::new(),
            oversized: false,
            writer: Arc::new(Mutex::new(output)),
        }
    }

    /// Reads up to the next newline (or EOF). `None` at end of input with nothing pending.
    async fn next_line(&mut self) -> Option<Result<Vec<u8>, &'static str>> {
        loop {
            let chunk = match self.reader.fill_buf().await {
                Ok(chunk) => chunk,
                Err(e) => {
                    tracing::error!("reading stdin failed: {e}");
                    return None;
                }
            };
            if chunk.is_empty() {
                // EOF: a last line without a newline still counts.
                return (!self.line.is_empty() || self.oversized).then(|| self.finish_line());
            }
            let (take, complete) = match chunk.iter().position(|b| *b == b'\n') {
                Some(pos) => (pos + 1, true),
                None => (chunk.len(), false),
            };
            if !self.oversized {
                if self.line.len() + take > MAX_LINE_BYTES {
                    self.oversized = true;
                    self.line = Vec::new();
                } else {
                    self.line.extend_from_slice(&chunk[..take]);
                }
            }
            self.reader.consume(take);
            if complete {
                return Some(self.finish_line());
            }
        }
    }

    fn finish_line(&mut self) -> Result<Vec<u8>, &'static str> {
        let line = std::mem::take(&mut self.line);
        if std::mem::take(&mut self.oversized) {
            return Err("message larger than 16 MiB");
        }
        Ok(line)
    }

    async fn reply(&mut self, error: Value) {
        let mut line = error.to_string().into_bytes();
        line.push(b'\n');
        let mut writer = self.writer.lock().await;
        if let Err(e) = async {
            writer.write_all(&line).await?;
            writer.flush().await
        }
        .await
        {
            tracing::debug!("could not write an error reply: {e}");
        }
    }
}

fn error_reply(id: Value, code: i32, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

impl<R, W> Transport<RoleServer> for LineTransport<R, W>
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    type Error = std::io::Error;

    fn send(
        &mut self,
        item: ServerJsonRpcMessage,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        let writer = self.writer.clone();
        async move {
            let mut line = serde_json::to_vec(&item)?;
            line.push(b'\n');
            let mut writer = writer.lock().await;
            writer.write_all(&line).await?;
            writer.flush().await
        }
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        loop {
            let line = match self.next_line().await? {
                Ok(line) => line,
                Err(why) => {
                    self.reply(error_reply(
                        Value::Null,
                        -32700,
                        format!("Parse error: {why}"),
                    ))
                    .await;
                    continue;
                }
            };
            let text = line.trim_ascii();
            if text.is_empty() {
                continue;
            }
            match serde_json::from_slice::<ClientJsonRpcMessage>(text) {
                Ok(message) => return Some(message),
                Err(e) if e.is_syntax() || e.is_eof() => {
                    let message = format!(
                        "Parse error: the line is not valid JSON ({e}); send one JSON-RPC message per line"
                    );
                    self.reply(error_reply(Value::Null, -32700, message)).await;
                }
                Err(e) => {
                    // Valid JSON that is not a message this server understands. A request
                    // (it has an id) gets an answer; a notification never does.
                    let id = serde_json::from_slice::<Value>(text)
                        .ok()
                        .and_then(|v| v.get("id").cloned());
                    match id {
                        Some(id) => {
                            let message = format!("Invalid request: {e}");
                            self.reply(error_reply(id, -32600, message)).await;
                        }
                        None => tracing::debug!("ignoring an unknown notification: {e}"),
                    }
                }
            }
        }
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        self.writer.lock().await.flush().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

    #[derive(Clone)]
    struct Empty;
    impl ServerHandler for Empty {}

    async fn exchange(input: &[u8]) -> Vec<Value> {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server);
        let serving = tokio::spawn(serve_lines(Empty, server_read, server_write));
        let (client_read, mut client_write) = tokio::io::split(client);
        client_write.write_all(input).await.unwrap();
        client_write.shutdown().await.unwrap();
        let mut lines = tokio::io::BufReader::new(client_read).lines();
        let mut replies = Vec::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            replies.push(serde_json::from_str(&line).expect("every output line is JSON"));
        }
        serving.await.unwrap().unwrap();
        replies
    }

    const INIT: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#;

    #[tokio::test]
    async fn a_malformed_line_gets_a_parse_error_and_serving_goes_on() {
        let input = format!(
            "{INIT}\n{{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}}\nthis is not json\n\n{{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}}\n"
        );
        let replies = exchange(input.as_bytes()).await;
        assert_eq!(replies.len(), 3, "{replies:?}");
        assert_eq!(replies[0]["id"], 1);
        assert_eq!(replies[1]["error"]["code"], -32700);
        assert!(replies[1]["id"].is_null());
        assert_eq!(replies[2]["id"], 7);
        assert!(replies[2]["result"].is_object());
    }

    #[tokio::test]
    async fn a_request_of_the_wrong_shape_is_answered_with_its_id() {
        let input = format!("{INIT}\n{{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"params\":5}}\n");
        let replies = exchange(input.as_bytes()).await;
        let bad = replies.iter().find(|r| r["id"] == "x").expect("answered");
        assert_eq!(bad["error"]["code"], -32600);
    }

    #[tokio::test]
    async fn an_oversized_line_is_refused_without_buffering_it() {
        let mut input = INIT.as_bytes().to_vec();
        input.push(b'\n');
        input.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
        input.extend_from_slice(b"\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n");
        let replies = exchange(&input).await;
        assert!(replies.iter().any(|r| {
            r["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("16 MiB"))
        }));
        assert!(
            replies
                .iter()
                .any(|r| r["id"] == 2 && r["result"].is_object())
        );
    }
}
