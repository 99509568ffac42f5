//! Streamable HTTP (`/mcp`) end to end with rmcp's client in both protocol eras, every guard
//! over raw HTTP, stateless behaviour, and graceful shutdown.

use std::time::Duration;

use crate::transport_support::{DEADLINE, ProgressClient, progress_values, start};
use reqwest::{StatusCode, header};
use rmcp::{
    ClientLifecycleMode, ClientServiceExt, ServiceExt,
    model::{CallToolRequestParams, ProtocolVersion},
    object,
    transport::{
        StreamableHttpClientTransport, streamable_http_client::StreamableHttpClientTransportConfig,
    },
};
use sequentum_mcp::transport::{HttpOptions, http::serve_http_on};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::mpsc,
};
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "test-token-0123456789";
const ACCEPT_BOTH: &str = "application/json, text/event-stream";

fn count_call(steps: u32) -> CallToolRequestParams {
    CallToolRequestParams::new("count").with_arguments(object!({ "steps": steps, "delay_ms": 5 }))
}

fn initialize_body() -> Value {
    json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": { "name": "raw", "version": "0" }
        }
    })
}

/// POSTs `initialize` to `/mcp` with `extra` headers; the request every guard test varies.
async fn post_initialize(url: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(url)
        .header(header::ACCEPT, ACCEPT_BOTH)
        .json(&initialize_body());
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// The JSON-RPC result carried by a `/mcp` response, whether JSON or SSE.
async fn jsonrpc_result(response: reqwest::Response) -> Value {
    let is_sse = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.to_str().unwrap().starts_with("text/event-stream"));
    let text = response.text().await.unwrap();
    let body = if is_sse {
        text.lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .map(str::trim)
            .rfind(|d| !d.is_empty())
            .unwrap()
            .to_owned()
    } else {
        text
    };
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn rmcp_client_2025_era_lists_tools_and_gets_progress() {
    let server = start(HttpOptions::default()).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let client = ProgressClient(tx)
        .serve(StreamableHttpClientTransport::from_uri(server.url("/mcp")))
        .await
        .unwrap();
    let info = client.peer_info().unwrap();
    assert_eq!(info.protocol_version, ProtocolVersion::V_2025_11_25);
    assert_eq!(info.server_info.as_ref().unwrap().name, "transport-test");

    let tools = client.list_all_tools().await.unwrap();
    let mut names: Vec<_> = tools.iter().map(|t| t.name.to_string()).collect();
    names.sort();
    assert_eq!(names, ["count", "gated"]);

    let result = client.call_tool(count_call(3)).await.unwrap();
    assert_eq!(result.structured_content.unwrap()["completed_steps"], 3);
    assert_eq!(progress_values(&mut rx, 3).await, [1.0, 2.0, 3.0]);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn rmcp_client_2026_era_discovers_and_gets_progress() {
    let server = start(HttpOptions::default()).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let client = ProgressClient(tx)
        .serve_with_lifecycle(
            StreamableHttpClientTransport::from_uri(server.url("/mcp")),
            ClientLifecycleMode::Discover {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
            },
        )
        .await
        .unwrap();
    let info = client.peer_info().unwrap();
    assert_eq!(info.protocol_version, ProtocolVersion::V_2026_07_28);
    assert_eq!(info.instructions.as_deref(), Some("test server"));

    let result = client.call_tool(count_call(2)).await.unwrap();
    assert_eq!(result.structured_content.unwrap()["completed_steps"], 2);
    assert_eq!(progress_values(&mut rx, 2).await, [1.0, 2.0]);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn rmcp_client_with_the_token_is_served() {
    let server = start(HttpOptions {
        auth_token: Some(TOKEN.into()),
        ..HttpOptions::default()
    })
    .await;
    let config =
        StreamableHttpClientTransportConfig::with_uri(server.url("/mcp")).auth_header(TOKEN);
    let client = ().serve(StreamableHttpClientTransport::from_config(config)).await.unwrap();
    assert_eq!(client.list_all_tools().await.unwrap().len(), 2);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn host_guard_refuses_foreign_hosts_and_admits_configured_ones() {
    let server = start(HttpOptions {
        allowed_hosts: vec!["mcp.example.com".into()],
        ..HttpOptions::default()
    })
    .await;
    let url = server.url("/mcp");
    let refused = post_initialize(&url, &[("host", "evil.example.com")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("host not allowed")
    );
    // Every route is guarded, not only /mcp.
    let health = reqwest::Client::new()
        .get(server.url("/health"))
        .header("host", "evil.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::FORBIDDEN);

    for host in ["localhost:1234", "mcp.example.com"] {
        let admitted = post_initialize(&url, &[("host", host)]).await;
        assert_eq!(admitted.status(), StatusCode::OK, "host {host}");
    }
}

#[tokio::test]
async fn origin_guard_refuses_foreign_origins_with_a_jsonrpc_error() {
    let server = start(HttpOptions {
        allowed_origins: vec!["https://app.example.com".into()],
        ..HttpOptions::default()
    })
    .await;
    let url = server.url("/mcp");
    let refused = post_initialize(&url, &[("origin", "http://evil.example.com")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        refused.json::<Value>().await.unwrap(),
        json!({"jsonrpc":"2.0","error":{"code":-32000,"message":"Forbidden: origin not allowed"},"id":null})
    );
    for origin in ["http://localhost:5173", "https://app.example.com"] {
        let admitted = post_initialize(&url, &[("origin", origin)]).await;
        assert_eq!(admitted.status(), StatusCode::OK, "origin {origin}");
        let result = jsonrpc_result(admitted).await;
        assert_eq!(result["result"]["serverInfo"]["name"], "transport-test");
    }
}

#[tokio::test]
async fn token_is_required_everywhere_but_health() {
    let server = start(HttpOptions {
        auth_token: Some(TOKEN.into()),
        backend: "cloud".into(),
        ..HttpOptions::default()
    })
    .await;
    let url = server.url("/mcp");
    let wrong = format!("Bearer {TOKEN}x");
    for headers in [vec![], vec![("authorization", wrong.as_str())]] {
        let response = post_initialize(&url, &headers).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.headers()[header::WWW_AUTHENTICATE],
            "Bearer realm=\"sequentum-mcp\""
        );
        let body: Value = response.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("Authorization: Bearer"), "{message}");
        assert!(!message.contains(TOKEN), "the token must never be echoed");
    }
    let right = format!("Bearer {TOKEN}");
    let ok = post_initialize(&url, &[("authorization", right.as_str())]).await;
    assert_eq!(ok.status(), StatusCode::OK);

    let http = reqwest::Client::new();
    let sse = http.get(server.url("/sse")).send().await.unwrap();
    assert_eq!(sse.status(), StatusCode::UNAUTHORIZED);
    let message = http
        .post(server.url("/message?sessionId=x"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(message.status(), StatusCode::UNAUTHORIZED);

    let health = http.get(server.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let health: Value = health.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["name"], "sequentum-mcp");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(health["backend"], "cloud");
    assert!(health["uptime_seconds"].is_u64());
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_declared_or_streamed() {
    let limit = 1024;
    let server = start(HttpOptions {
        max_body_bytes: limit,
        ..HttpOptions::default()
    })
    .await;
    let http = reqwest::Client::new();
    let big = vec![b' '; limit + 1];

    for path in ["/mcp", "/message?sessionId=x"] {
        let declared = http
            .post(server.url(path))
            .header(header::ACCEPT, ACCEPT_BOTH)
            .header(header::CONTENT_TYPE, "application/json")
            .body(big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(declared.status(), StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        let body: Value = declared.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("1024 bytes")
        );
    }

    // Chunked bodies have no Content-Length; the body readers enforce the same cap.
    let chunks = futures::stream::iter(
        big.chunks(100)
            .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
            .collect::<Vec<_>>(),
    );
    let streamed = http
        .post(server.url("/mcp"))
        .header(header::ACCEPT, ACCEPT_BOTH)
        .header(header::CONTENT_TYPE, "application/json")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    assert_eq!(streamed.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // One shape for both: the same JSON-RPC error whether the size was declared or streamed.
    let streamed: Value = streamed.json().await.unwrap();
    assert_eq!(streamed["error"]["code"], -32600);
    assert!(
        streamed["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1024 bytes")
    );

    let small = post_initialize(&server.url("/mcp"), &[]).await;
    assert_eq!(small.status(), StatusCode::OK);
}

#[tokio::test]
async fn mcp_is_stateless() {
    let server = start(HttpOptions::default()).await;
    let url = server.url("/mcp");
    let init = post_initialize(&url, &[]).await;
    assert_eq!(init.status(), StatusCode::OK);
    assert!(
        init.headers().get("mcp-session-id").is_none(),
        "no session minted"
    );

    // Two independent requests, neither carrying a session id, both served.
    let http = reqwest::Client::new();
    for id in [2, 3] {
        let response = http
            .post(&url)
            .header(header::ACCEPT, ACCEPT_BOTH)
            .header("mcp-protocol-version", "2025-11-25")
            .json(&json!({"jsonrpc":"2.0","id":id,"method":"tools/list","params":{}}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let result = jsonrpc_result(response).await;
        assert_eq!(result["id"], id);
        assert_eq!(result["result"]["tools"].as_array().unwrap().len(), 2);
    }
    // No standalone stream and no session to delete.
    for method in [reqwest::Method::GET, reqwest::Method::DELETE] {
        let response = http
            .request(method.clone(), &url)
            .header(header::ACCEPT, ACCEPT_BOTH)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
    }
}

#[test]
fn validate_refuses_a_public_listen_address_without_a_token() {
    let mut opts = HttpOptions {
        listen: "0.0.0.0:8787".parse().unwrap(),
        ..HttpOptions::default()
    };
    assert!(opts.validate().unwrap_err().contains("--auth-token"));
    opts.auth_token = Some(TOKEN.into());
    assert_eq!(opts.validate(), Ok(()));
}

#[tokio::test]
async fn shutdown_lets_an_in_flight_call_finish() {
    let server = start(HttpOptions {
        shutdown_grace: Duration::from_secs(30),
        ..HttpOptions::default()
    })
    .await;
    let client =
        ().serve(StreamableHttpClientTransport::from_uri(server.url("/mcp")))
            .await
            .unwrap();
    let call = tokio::spawn(async move {
        let result = client.call_tool(CallToolRequestParams::new("gated")).await;
        let _ = client.cancel().await;
        result
    });
    tokio::time::timeout(DEADLINE, server.server.gate.started.notified())
        .await
        .expect("the call reached the tool");

    // Once draining, the server accepts no new connections...
    server.begin_drain().await;
    // ...but the call in flight still completes, and then the server exits well before the grace.
    server.server.gate.release.notify_one();
    let result = tokio::time::timeout(DEADLINE, call)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(result.content[0].as_text().unwrap().text, "released");
    tokio::time::timeout(DEADLINE, server.task)
        .await
        .expect("server exits once idle")
        .unwrap()
        .unwrap();
}

/// Writes `request` on a fresh raw connection and reads until the server closes it.
async fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut socket = TcpStream::connect(addr).await.unwrap();
    socket.write_all(request).await.unwrap();
    read_until_closed(&mut socket).await
}

/// Everything the server sends until it closes the connection; fails if it never does.
async fn read_until_closed(socket: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(DEADLINE, socket.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_half_sent_request_head_is_closed_before_authentication() {
    let server = start(HttpOptions {
        auth_token: Some(TOKEN.into()),
        header_read_timeout: Duration::from_millis(200),
        ..HttpOptions::default()
    })
    .await;
    // No Authorization and no end of the head: the listener, not the token check, closes it.
    let answer = raw_exchange(server.addr, b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n").await;
    assert!(!answer.contains("200 OK"), "{answer}");
    // A complete request on a new connection is still served.
    let health = raw_exchange(
        server.addr,
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
}

#[tokio::test]
async fn a_body_shorter_than_announced_gets_408_and_the_connection_closes() {
    let server = start(HttpOptions {
        auth_token: Some(TOKEN.into()),
        body_read_timeout: Duration::from_millis(200),
        ..HttpOptions::default()
    })
    .await;
    let short_body = |authorization: &str| {
        let head = format!(
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n{authorization}\
             Content-Type: application/json\r\nAccept: {ACCEPT_BOTH}\r\n\
             Content-Length: 1000\r\n\r\n"
        );
        let mut request = head.into_bytes();
        request.extend_from_slice(br#"{"jsonrpc":"2.0","id":1,"method":"ping"   "#);
        request
    };
    // Without the token the body is never waited for: 401, and the connection closes.
    let unauthorised = raw_exchange(server.addr, &short_body("")).await;
    assert!(unauthorised.starts_with("HTTP/1.1 401"), "{unauthorised}");
    let answer = raw_exchange(
        server.addr,
        &short_body(&format!("Authorization: Bearer {TOKEN}\r\n")),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("request body did not arrive"),
        "{body}"
    );
}

#[tokio::test]
async fn connections_beyond_the_cap_get_503_and_slots_come_back() {
    let server = start(HttpOptions {
        max_connections: 1,
        ..HttpOptions::default()
    })
    .await;
    // The first connection takes the only slot (the listener accepts in connection order).
    let mut holder = TcpStream::connect(server.addr).await.unwrap();
    holder.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
    let refused = raw_exchange(
        server.addr,
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    )
    .await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.to_ascii_lowercase().contains("connection: close"));
    assert!(refused.contains("too many open connections"), "{refused}");

    drop(holder);
    let url = server.url("/health");
    crate::transport_support::eventually("the slot is free again", || {
        let url = url.clone();
        async move {
            reqwest::get(&url)
                .await
                .is_ok_and(|r| r.status() == StatusCode::OK)
        }
    })
    .await;
}

/// POSTs `body` as is to `/mcp` and returns the status and the JSON answer.
async fn post_raw(url: &str, body: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .header(header::ACCEPT, ACCEPT_BOTH)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn malformed_messages_get_jsonrpc_errors_not_silence() {
    let server = start(HttpOptions::default()).await;
    let url = server.url("/mcp");
    let (status, body) = post_raw(&url, "{").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], -32700);
    for not_a_message in ["[]", "{}", "null", "\"str\""] {
        let (status, body) = post_raw(&url, not_a_message).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{not_a_message}");
        assert_eq!(body["error"]["code"], -32600, "{not_a_message}: {body}");
        assert!(body["id"].is_null());
    }
    for (params, problem) in [
        (json!({}), "missing field `name`"),
        (
            json!({"name": "count", "arguments": [1]}),
            "invalid type: sequence",
        ),
    ] {
        let call = json!({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": params});
        let (status, body) = post_raw(&url, &call.to_string()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["id"], 9);
        assert_eq!(body["error"]["code"], -32602, "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(problem) && message.contains("tools/call"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn an_unknown_protocol_version_header_gets_a_jsonrpc_error() {
    let server = start(HttpOptions::default()).await;
    let response = reqwest::Client::new()
        .post(server.url("/mcp"))
        .header(header::ACCEPT, ACCEPT_BOTH)
        .header(header::CONTENT_TYPE, "application/json")
        .header("MCP-Protocol-Version", "1999-01-01")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], -32600, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1999-01-01"),
        "{body}"
    );
}

#[tokio::test]
async fn an_absolute_form_target_with_a_foreign_host_is_refused() {
    let server = start(HttpOptions::default()).await;
    let answer = raw_exchange(
        server.addr,
        b"GET http://evil.example.com/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
}

#[tokio::test]
async fn cors_preflights_from_allowed_origins_are_answered_before_the_token() {
    let server = start(HttpOptions {
        auth_token: Some(TOKEN.into()),
        allowed_origins: vec!["https://app.example.com".into()],
        ..HttpOptions::default()
    })
    .await;
    let http = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        http.request(reqwest::Method::OPTIONS, server.url("/mcp"))
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "authorization, content-type",
            )
            .send()
    };
    let allowed = preflight("https://app.example.com").await.unwrap();
    assert_eq!(allowed.status(), StatusCode::NO_CONTENT);
    let headers = allowed.headers();
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://app.example.com"
    );
    assert!(
        headers[header::ACCESS_CONTROL_ALLOW_METHODS]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    assert!(
        headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
            .to_str()
            .unwrap()
            .contains("authorization")
    );
    let foreign = preflight("https://evil.example.com").await.unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert!(
        !foreign
            .headers()
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    );

    // The real request from that origin (with the token) is readable by the browser.
    let bearer = format!("Bearer {TOKEN}");
    let served = post_initialize(
        &server.url("/mcp"),
        &[
            ("origin", "https://app.example.com"),
            ("authorization", &bearer),
        ],
    )
    .await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(
        served.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://app.example.com"
    );
    // A refusal too, so the browser can show why.
    let refused = post_initialize(
        &server.url("/mcp"),
        &[("origin", "https://app.example.com")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(
        refused
            .headers()
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    );
}

#[tokio::test]
async fn a_request_header_narrows_the_toolsets_but_never_widens_them() {
    use sequentum_mcp::{cli::tools::catalog_server, mcp::toolsets::Selection};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(serve_http_on(
        catalog_server(&Selection::all()).unwrap(),
        HttpOptions::default(),
        listener,
        stop.clone().cancelled_owned(),
    ));
    let url = format!("http://{addr}/mcp");
    let list = |toolsets: Option<&'static str>| {
        let url = url.clone();
        async move {
            let mut request = reqwest::Client::new()
                .post(&url)
                .header(header::ACCEPT, ACCEPT_BOTH)
                .header("mcp-protocol-version", "2025-11-25")
                .json(&json!({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}));
            if let Some(toolsets) = toolsets {
                request = request.header("x-mcp-toolsets", toolsets);
            }
            let result = jsonrpc_result(request.send().await.unwrap()).await;
            let names: Vec<String> = result["result"]["tools"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["name"].as_str().unwrap().to_string())
                .collect();
            names
        }
    };
    let all = list(None).await;
    assert_eq!(all.len(), 28, "{all:?}");
    assert_eq!(list(Some("all")).await, all);
    let narrowed = list(Some("core")).await;
    assert_eq!(narrowed.len(), 8, "{narrowed:?}");
    assert!(!narrowed.contains(&"save_records".to_string()));
    let editor = list(Some("editor")).await;
    assert_eq!(editor.len(), 11, "core and the editor: {editor:?}");
    assert!(editor.contains(&"test_agent_definition".to_string()));
    // A header that names nothing usable narrows nothing.
    assert_eq!(list(Some("bogus")).await, all);
    stop.cancel();
}
