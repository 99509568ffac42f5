//! MCP over stdin/stdout: what desktop clients launch. stdout carries JSON-RPC frames only, so
//! all logging must already be routed to stderr by the caller.
//!
//! The framing is ours rather than rmcp's because rmcp silently drops a line that is not JSON,
//! or not a message. JSON-RPC asks for an error reply (`frame.rs` decides which), and a client
//! or a person typing at the server deserves to learn why nothing happened; the server then
//! keeps serving.
//! Lines are bounded, so a runaway writer cannot exhaust memory.
//!
//! Answers go out through one writer task that batches whatever is queued into a single write
//! and flush: with pipelined requests, a write to stdout (a hop to tokio's blocking pool) per
//! answer cost more than producing the answer.

use std::{future::Future, io};

use super::frame;
use rmcp::{
    RoleServer, ServerHandler, ServiceExt,
    model::{ClientJsonRpcMessage, ServerJsonRpcMessage},
    transport::Transport,
};
use serde_json::Value;
use tokio::{
    io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, BufWriter},
    sync::mpsc,
    task::JoinHandle,
};

/// Longest accepted message line; longer ones are answered with an error and skipped.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Answers queued for the writer; senders wait beyond this, so a client that stops reading
/// cannot make the queue grow without bound.
const QUEUED_ANSWERS: usize = 64;
/// Initial buffer of one serialised answer.
const ANSWER_CAPACITY: usize = 16 * 1024;
/// Output buffer of the writer: a batch of answers goes out in writes of up to this size.
const WRITE_BUFFER_BYTES: usize = 64 * 1024;

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
pub struct LineTransport<R> {
    reader: BufReader<R>,
    /// The line being read; kept across calls because `receive` may be cancelled mid-line.
    line: Vec<u8>,
    /// The current line outgrew `MAX_LINE_BYTES`: its bytes are being skipped.
    oversized: bool,
    /// Complete output lines for the writer task; `None` once closed.
    answers: Option<mpsc::Sender<Vec<u8>>>,
    writer: Option<JoinHandle<io::Result<()>>>,
}

impl<R: AsyncRead + Unpin> LineTransport<R> {
    /// Starts the writer task on `output` (so it must be called within a Tokio runtime).
    pub fn new<W: AsyncWrite + Unpin + Send + 'static>(input: R, output: W) -> Self {
        let (answers, queue) = mpsc::channel(QUEUED_ANSWERS);
        LineTransport {
            reader: BufReader::new(input),
            line: Vec::new(),
            oversized: false,
            answers: Some(answers),
            writer: Some(tokio::spawn(write_lines(queue, output))),
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
        if let Err(e) = queue_line(self.answers.clone(), line).await {
            tracing::debug!("could not write an error reply: {e}");
        }
    }
}

/// Writes queued lines to `output`, each batch of lines already waiting in one flush, until
/// every sender is gone. Ends at the first write error (the senders then see a closed queue).
async fn write_lines<W: AsyncWrite + Unpin>(
    mut queue: mpsc::Receiver<Vec<u8>>,
    output: W,
) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(WRITE_BUFFER_BYTES, output);
    while let Some(line) = queue.recv().await {
        out.write_all(&line).await?;
        while let Ok(line) = queue.try_recv() {
            out.write_all(&line).await?;
        }
        out.flush().await?;
    }
    out.shutdown().await
}

/// Hands a line to the writer task.
async fn queue_line(answers: Option<mpsc::Sender<Vec<u8>>>, line: Vec<u8>) -> io::Result<()> {
    let closed = || io::Error::new(io::ErrorKind::BrokenPipe, "the output stream is closed");
    answers
        .ok_or_else(closed)?
        .send(line)
        .await
        .map_err(|_| closed())
}

impl<R> Transport<RoleServer> for LineTransport<R>
where
    R: AsyncRead + Unpin + Send + 'static,
{
    type Error = std::io::Error;

    fn send(
        &mut self,
        item: ServerJsonRpcMessage,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        let answers = self.answers.clone();
        async move {
            // Sized for a typical answer (tools/list is about 12 KB), so serialising does not
            // regrow the buffer step by step from a few bytes.
            let mut line = Vec::with_capacity(ANSWER_CAPACITY);
            serde_json::to_writer(&mut line, &item)?;
            line.push(b'\n');
            queue_line(answers, line).await
        }
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        loop {
            let line = match self.next_line().await? {
                Ok(line) => line,
                Err(why) => {
                    let message = format!("Parse error: {why}");
                    self.reply(frame::error(Value::Null, frame::PARSE_ERROR, &message))
                        .await;
                    continue;
                }
            };
            let text = line.trim_ascii();
            if text.is_empty() {
                continue;
            }
            match frame::parse(text) {
                Ok(message) => return Some(message),
                Err(frame::Refusal::Ignore(why)) => {
                    tracing::debug!("ignoring an unknown notification: {why}");
                }
                Err(refusal) => {
                    if let Some(answer) = refusal.answer() {
                        self.reply(answer).await;
                    }
                }
            }
        }
    }

    /// Waits until every queued answer is written (answers still being sent are included:
    /// the writer ends when the last sender is gone).
    async fn close(&mut self) -> Result<(), Self::Error> {
        drop(self.answers.take());
        match self.writer.take() {
            Some(writer) => writer.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
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
    async fn json_that_is_not_a_message_gets_invalid_request_and_bad_params_get_32602() {
        let mut input = format!("{INIT}\n[]\n{{}}\nnull\n\"str\"\n");
        // An unknown notification is never answered.
        input.push_str("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/whatever\"}\n");
        input.push_str("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{}}\n");
        input.push_str(
            "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"arguments\":[]}}\n",
        );
        let replies = exchange(input.as_bytes()).await;
        assert_eq!(replies.len(), 7, "{replies:?}");
        for invalid in &replies[1..5] {
            assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
            assert!(invalid["id"].is_null());
        }
        assert!(
            replies[2]["error"]["message"]
                .as_str()
                .unwrap()
                .contains("object")
        );
        for (reply, id, problem) in [
            (&replies[5], 5, "missing field `name`"),
            (&replies[6], 6, "invalid type: sequence"),
        ] {
            assert_eq!(reply["id"], id);
            assert_eq!(reply["error"]["code"], -32602, "{reply}");
            let message = reply["error"]["message"].as_str().unwrap();
            assert!(message.contains(problem), "{message}");
        }
    }

    #[tokio::test]
    async fn pipelined_requests_are_each_answered_once_before_serving_ends() {
        let mut input =
            format!("{INIT}\n{{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}}\n");
        for id in 2..=301 {
            input.push_str(&format!(
                "{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"ping\"}}\n"
            ));
        }
        let replies = exchange(input.as_bytes()).await;
        let mut ids: Vec<i64> = replies.iter().filter_map(|r| r["id"].as_i64()).collect();
        ids.sort_unstable();
        assert_eq!(
            ids,
            (1..=301).collect::<Vec<_>>(),
            "every request answered once"
        );
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
