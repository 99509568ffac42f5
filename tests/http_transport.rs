//! Streamable HTTP (`/mcp`) end to end with rmcp's client in both protocol eras, every guard
//! over raw HTTP, stateless behaviour, and graceful shutdown.

mod transport_support;

use std::time::Duration;

use reqwest::{StatusCode, header};
use rmcp::{
    ClientLifecycleMode, ClientServiceExt, ServiceExt,
    model::{CallToolRequestParams, ProtocolVersion},
    object,
    transport::{
        StreamableHttpClientTransport, streamable_http_client::StreamableHttpClientTransportConfig,
    },
};
use sequentum_mcp::transport::HttpOptions;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use transport_support::{DEADLINE, ProgressClient, progress_values, start};

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
