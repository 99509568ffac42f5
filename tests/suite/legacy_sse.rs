//! The 2024-11-05 HTTP+SSE transport (`GET /sse` + `POST /message`) driven as an old client
//! would: endpoint event, JSON-RPC over POST, answers on the stream; plus its limits, its
//! teardown when the client leaves, and draining on shutdown.

use std::time::Duration;

use crate::transport_support::{DEADLINE, Running, SseReader, eventually, start};
use reqwest::StatusCode;
use sequentum_mcp::transport::HttpOptions;
use serde_json::{Value, json};

/// An open legacy session: its event stream and the POST URL the endpoint event named.
struct Session {
    events: SseReader,
    post_url: String,
    http: reqwest::Client,
}

impl Session {
    async fn open(server: &Running) -> Self {
        let http = reqwest::Client::new();
        let response = http.get(server.url("/sse")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        let mut events = SseReader::new(response);
        let endpoint = events.next().await.expect("endpoint event");
        assert_eq!(endpoint.event, "endpoint");
        let session_id = endpoint
            .data
            .strip_prefix("/message?sessionId=")
            .expect("endpoint names /message with a session id");
        assert_eq!(session_id.len(), 32, "128-bit hex id");
        assert!(session_id.chars().all(|c| c.is_ascii_hexdigit()));
        Self {
            events,
            post_url: server.url(&endpoint.data),
            http,
        }
    }

    async fn post(&self, message: Value) -> StatusCode {
        post_to(&self.http, &self.post_url, message).await
    }

    /// initialize + initialized, returning the initialize result.
    async fn handshake(&mut self) -> Value {
        let init = json!({
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {
                "protocolVersion": "2024-11-05",
                "capabilities": {},
                "clientInfo": { "name": "legacy-test", "version": "0" }
            }
        });
        assert_eq!(self.post(init).await, StatusCode::ACCEPTED);
        let reply = self.next_message().await;
        assert_eq!(reply["id"], 1);
        let initialized = json!({"jsonrpc":"2.0","method":"notifications/initialized"});
        assert_eq!(self.post(initialized).await, StatusCode::ACCEPTED);
        reply["result"].clone()
    }

    async fn next_message(&mut self) -> Value {
        let event = self.events.next().await.expect("stream open");
        assert_eq!(event.event, "message");
        serde_json::from_str(&event.data).unwrap()
    }
}

async fn post_to(http: &reqwest::Client, url: &str, message: Value) -> StatusCode {
    http.post(url).json(&message).send().await.unwrap().status()
}

fn legacy_opts(max_sse_sessions: usize) -> HttpOptions {
    HttpOptions {
        max_sse_sessions,
        ..HttpOptions::default()
    }
}

#[tokio::test]
async fn legacy_client_initializes_calls_a_tool_and_reads_progress() {
    let server = start(legacy_opts(4)).await;
    let mut session = Session::open(&server).await;
    let init = session.handshake().await;
    assert_eq!(init["protocolVersion"], "2024-11-05");
    assert_eq!(init["serverInfo"]["name"], "transport-test");

    let call = json!({
        "jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {
            "name": "count",
            "arguments": { "steps": 2, "delay_ms": 5 },
            "_meta": { "progressToken": "p1" }
        }
    });
    assert_eq!(session.post(call).await, StatusCode::ACCEPTED);
    for step in [1, 2] {
        let progress = session.next_message().await;
        assert_eq!(progress["method"], "notifications/progress");
        assert_eq!(progress["params"]["progressToken"], "p1");
        assert_eq!(progress["params"]["progress"].as_f64(), Some(step as f64));
    }
    let result = session.next_message().await;
    assert_eq!(result["id"], 2);
    assert_eq!(result["result"]["structuredContent"]["completed_steps"], 2);

    let list = json!({"jsonrpc":"2.0","id":3,"method":"tools/list"});
    assert_eq!(session.post(list).await, StatusCode::ACCEPTED);
    let tools = session.next_message().await;
    assert_eq!(tools["result"]["tools"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_posts_are_refused_clearly() {
    let server = start(legacy_opts(4)).await;
    let http = reqwest::Client::new();
    let ping = json!({"jsonrpc":"2.0","id":1,"method":"ping"});
    let unknown = format!("/message?sessionId={}", "0".repeat(32));
    assert_eq!(
        post_to(&http, &server.url(&unknown), ping.clone()).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post_to(&http, &server.url("/message"), ping).await,
        StatusCode::BAD_REQUEST
    );
    let session = Session::open(&server).await;
    let garbage = http
        .post(&session.post_url)
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    let body: Value = garbage.json().await.unwrap();
    assert_eq!(body["error"]["code"], -32700);
    // JSON that is not a message, and a tools/call without a name, are answered on the POST.
    for (message, code) in [
        (json!([]), -32600),
        (
            json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {}}),
            -32602,
        ),
    ] {
        let refused = http
            .post(&session.post_url)
            .json(&message)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{message}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{body}");
    }
}

#[tokio::test]
async fn open_streams_are_capped_and_slots_come_back() {
    let server = start(legacy_opts(2)).await;
    let first = Session::open(&server).await;
    let _second = Session::open(&server).await;

    let http = reqwest::Client::new();
    let refused = http.get(server.url("/sse")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = refused.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("limit 2") && message.contains("/mcp"),
        "{message}"
    );

    drop(first);
    let url = server.url("/sse");
    eventually("a slot frees up after a client leaves", || {
        let (http, url) = (http.clone(), url.clone());
        async move { http.get(&url).send().await.unwrap().status() == StatusCode::OK }
    })
    .await;
}

#[tokio::test]
async fn a_client_that_goes_away_loses_its_session() {
    let server = start(legacy_opts(4)).await;
    let mut session = Session::open(&server).await;
    session.handshake().await;
    let Session {
        events,
        post_url,
        http,
    } = session;
    drop(events); // closes the connection carrying the stream

    eventually("the session is removed", || {
        let (http, url) = (http.clone(), post_url.clone());
        async move {
            let ping = json!({"jsonrpc":"2.0","id":9,"method":"ping"});
            post_to(&http, &url, ping).await == StatusCode::NOT_FOUND
        }
    })
    .await;
}

#[tokio::test]
async fn shutdown_drains_a_session_then_closes_its_stream() {
    let server = start(HttpOptions {
        shutdown_grace: Duration::from_secs(60),
        ..legacy_opts(4)
    })
    .await;
    let mut session = Session::open(&server).await;
    session.handshake().await;
    let call = json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gated"}});
    assert_eq!(session.post(call).await, StatusCode::ACCEPTED);
    tokio::time::timeout(DEADLINE, server.server.gate.started.notified())
        .await
        .expect("the call reached the tool");

    // Once draining, the server accepts no new connections...
    server.begin_drain().await;
    // ...but the call in flight is answered, after which the stream closes and the server
    // exits long before the 60 s grace period.
    server.server.gate.release.notify_one();
    let result = session.next_message().await;
    assert_eq!(result["id"], 2);
    assert_eq!(result["result"]["content"][0]["text"], "released");
    assert!(
        session.events.next().await.is_none(),
        "stream closed after draining"
    );
    tokio::time::timeout(DEADLINE, server.task)
        .await
        .expect("server exits once drained")
        .unwrap()
        .unwrap();
}
