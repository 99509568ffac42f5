//! The HTTP listener under hostile load from loopback: idle sockets (plain and HTTP/2
//! preface), a slowloris from one address, and a client over its request rate. Attackers use
//! 127.0.0.1 and the legitimate client 127.0.0.2 (both loopback on Linux), so the limits per
//! client address can tell them apart. The head timeout is injected short, so nothing waits
//! the real 10 s.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use reqwest::{StatusCode, header};
use sequentum_mcp::transport::{HttpOptions, Rate};
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
};

use crate::transport_support::{DEADLINE, start};

const ATTACKER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
const NEIGHBOUR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

/// HTTP/2 with prior knowledge: the connection preface and an empty SETTINGS frame.
const H2_PREFACE_AND_SETTINGS: &[u8] =
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";

/// A TCP connection to `server` from the loopback address `from`.
async fn connect_from(from: Ipv4Addr, server: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(IpAddr::V4(from), 0))?;
    socket.connect(server).await
}

/// A client on `from` that opens a new connection per request (so every call is accepted by
/// the listener anew, as a new visitor's would be).
fn client_from(from: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(from))
        .pool_max_idle_per_host(0)
        .timeout(DEADLINE)
        .build()
        .unwrap()
}

/// Lets this process hold `wanted` file descriptors if the hard limit allows, and says how
/// many it may use.
fn file_limit(wanted: u64) -> u64 {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    let hard = limit.maximum.unwrap_or(u64::MAX);
    if limit.current.is_some_and(|soft| soft < wanted) {
        limit.current = Some(wanted.min(hard));
        let _ = setrlimit(Resource::Nofile, limit);
    }
    getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX)
}

#[tokio::test]
async fn idle_sockets_plain_and_h2_preface_are_closed_within_the_head_timeout() {
    // 600 sockets hold 1,200 descriptors in this process (both ends); the rest of the suite
    // runs alongside, so ask for room and scale down where the hard limit is small.
    let sockets = 600.min((file_limit(8192).saturating_sub(1024) / 2) as usize);
    assert!(
        sockets >= 100,
        "the file limit leaves room for only {sockets} sockets"
    );
    let head_timeout = Duration::from_secs(1);
    let server = start(HttpOptions {
        header_read_timeout: head_timeout,
        ..HttpOptions::default()
    })
    .await;

    let mut idle = Vec::new();
    for i in 0..sockets {
        let mut socket = connect_from(ATTACKER, server.addr).await.unwrap();
        if i % 2 == 1 {
            socket.write_all(H2_PREFACE_AND_SETTINGS).await.unwrap();
        }
        idle.push((Instant::now(), socket));
    }

    // Meanwhile another address is served at once, /health and MCP alike.
    let neighbour = client_from(NEIGHBOUR);
    let health = neighbour.get(server.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let ping = neighbour
        .post(server.url("/mcp"))
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header(header::CONTENT_TYPE, "application/json")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(ping.status(), StatusCode::OK);

    // Every idle socket is closed by the server within the head timeout (plus scheduling).
    let closing = idle.into_iter().map(|(opened, mut socket)| async move {
        let mut sink = Vec::new();
        let read = tokio::time::timeout(DEADLINE, socket.read_to_end(&mut sink)).await;
        (opened.elapsed(), read.is_ok())
    });
    let closed = futures::future::join_all(closing).await;
    for (i, (after, closed)) in closed.iter().enumerate() {
        assert!(closed, "idle socket {i} was never closed");
        assert!(
            *after <= head_timeout + Duration::from_secs(3),
            "idle socket {i} was closed only after {after:?}"
        );
    }
    // The attacker's address may connect again once its sockets are gone.
    let after = client_from(ATTACKER)
        .get(server.url("/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_slowloris_from_one_address_leaves_another_addresss_calls_answered() {
    file_limit(4096);
    let server = start(HttpOptions {
        header_read_timeout: Duration::from_millis(500),
        max_connections: 64,
        max_connections_per_client: 16,
        ..HttpOptions::default()
    })
    .await;
    // 100 connections from one address, each sending its head a byte at a time and reopened
    // as soon as the server cuts it: more than all 64 slots if one address could take them.
    let stop = Arc::new(AtomicBool::new(false));
    let (opened_tx, mut opened_rx) = tokio::sync::mpsc::unbounded_channel();
    let attackers: Vec<_> = (0..100)
        .map(|_| {
            let (stop, opened_tx, addr) = (stop.clone(), opened_tx.clone(), server.addr);
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let Ok(mut socket) = connect_from(ATTACKER, addr).await else {
                        continue;
                    };
                    let _ = opened_tx.send(());
                    let head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
                    if socket.write_all(head).await.is_err() {
                        continue;
                    }
                    // The attack's own pace, not a synchronisation.
                    while !stop.load(Ordering::Relaxed) && socket.write_all(b"a").await.is_ok() {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            })
        })
        .collect();
    for _ in 0..100 {
        opened_rx.recv().await.unwrap();
    }

    let neighbour = client_from(NEIGHBOUR);
    let mut answered = 0;
    for _ in 0..50 {
        if let Ok(response) = neighbour.get(server.url("/health")).send().await
            && response.status() == StatusCode::OK
        {
            answered += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for attacker in attackers {
        attacker.abort();
    }
    assert!(answered >= 45, "only {answered} of 50 calls were answered");
}

#[tokio::test]
async fn requests_beyond_a_clients_rate_get_429_with_retry_after() {
    let server = start(HttpOptions {
        client_rate: Some(Rate {
            per_second: 1,
            burst: 3,
        }),
        ..HttpOptions::default()
    })
    .await;
    let flooding = client_from(ATTACKER);
    for _ in 0..3 {
        let response = flooding.get(server.url("/health")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    // A new connection does not refill the bucket: it belongs to the address.
    let refused = flooding.get(server.url("/health")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = refused.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry_after), "Retry-After {retry_after}");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["jsonrpc"], "2.0");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Too many requests from your address"),
        "{body}"
    );
    let other = client_from(NEIGHBOUR)
        .get(server.url("/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "another address has its own rate"
    );
}
