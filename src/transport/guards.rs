//! The checks every HTTP request passes before it reaches MCP, in this order:
//!
//! 1. `Host` allow-list (403): blocks DNS rebinding, where a hostile web page resolves its own
//!    name to 127.0.0.1 and talks to a local server from the victim's browser.
//! 2. `Origin` allow-list when the header is present (403): the spec's normative check against
//!    browsers on other sites.
//! 3. CORS preflights (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin
//!    are answered here: browsers send them without credentials, so they cannot wait for the
//!    token check. Every answer to an allowed origin carries the CORS headers a browser needs
//!    to read it, rejections included.
//! 4. `Authorization: Bearer <token>` when a token is configured (401), except on `/health`;
//!    in OAuth mode the user's token is checked instead (401 with a challenge naming the
//!    resource metadata, which is served without a token), and the signed-in user rides on
//!    the request. When the API refused that user's token during the request, the answer
//!    becomes the 401 (or 403 `insufficient_scope`) the API gave.
//! 5. Body size (413) and body time (408): the declared `Content-Length`, then the body itself
//!    is read here, within the size cap and a deadline, so chunked and slow bodies get the same
//!    JSON-RPC answer and no handler waits on a client that stopped sending.
//! 6. Time limit on producing the response (504).
//!
//! Slow or absent request heads and the number of connections are limited earlier, by the
//! listener (the `listener` module). Nothing here logs bodies, query strings or headers: only method,
//! path, status and latency.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{
    oauth::{OAuth, WELL_KNOWN},
    options::HttpOptions,
};
use crate::listener::{self, BodyError};

/// Host names a local server always answers to, with any port.
const LOOPBACK_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// The only route reachable without the bearer token, so load balancers can probe it.
const UNAUTHENTICATED_PATH: &str = "/health";

/// Request headers a browser client of MCP sends, allowed by preflight answers.
const CORS_ALLOW_HEADERS: &str =
    "authorization, content-type, accept, last-event-id, mcp-protocol-version, mcp-session-id";
/// Response headers a browser client may read.
const CORS_EXPOSE_HEADERS: &str = "mcp-session-id, mcp-protocol-version, www-authenticate";
/// How long a browser may cache a preflight answer, in seconds.
const CORS_MAX_AGE: &str = "600";

/// Immutable guard settings, built once per router from the HTTP options.
pub(crate) struct GuardConfig {
    hosts: Vec<HostRule>,
    origins: Vec<String>,
    /// SHA-256 of the token: comparing fixed-size digests in constant time reveals neither the
    /// token's bytes nor its length through timing.
    token_digest: Option<[u8; 32]>,
    oauth: Option<Arc<OAuth>>,
    max_body_bytes: usize,
    body_read_timeout: Duration,
    request_timeout: Duration,
}

impl GuardConfig {
    pub(crate) fn new(opts: &HttpOptions) -> Self {
        let listen: SocketAddr = opts.listen;
        let mut hosts: Vec<HostRule> = LOOPBACK_NAMES
            .iter()
            .map(|name| HostRule {
                host: (*name).to_owned(),
                port: None,
            })
            .collect();
        if !listen.ip().is_unspecified() {
            hosts.push(HostRule {
                host: bracket_ipv6(&listen.ip().to_string()),
                port: Some(listen.port()),
            });
        }
        hosts.extend(opts.allowed_hosts.iter().filter_map(|h| HostRule::parse(h)));
        Self {
            hosts,
            origins: opts
                .allowed_origins
                .iter()
                .map(|o| normalize_origin(o))
                .collect(),
            token_digest: opts
                .auth_token
                .as_deref()
                .map(|t| Sha256::digest(t.as_bytes()).into()),
            oauth: opts.oauth.clone(),
            max_body_bytes: opts.max_body_bytes,
            body_read_timeout: opts.body_read_timeout,
            request_timeout: opts.request_timeout,
        }
    }

    /// HTTP/1.1 carries `Host`; HTTP/2 carries the authority in the URI instead, and an
    /// HTTP/1.1 request may too (`POST http://evil.example/mcp`): every name the request
    /// gives must be allowed, and it must give one.
    fn host_allowed(&self, headers: &HeaderMap, uri_authority: Option<&str>) -> bool {
        let header = headers.get(header::HOST).map(|v| v.to_str().ok());
        let names = [header, uri_authority.map(Some)];
        let mut given = names.into_iter().flatten().peekable();
        given.peek().is_some()
            && given.all(|name| {
                name.and_then(HostRule::parse)
                    .is_some_and(|rule| self.hosts.iter().any(|allowed| allowed.admits(&rule)))
            })
    }

    fn origin_allowed(&self, origin: &HeaderValue) -> bool {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        let origin = normalize_origin(origin);
        if self.origins.contains(&origin) {
            return true;
        }
        let Some(authority) = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
        else {
            return false;
        };
        HostRule::parse(authority).is_some_and(|h| LOOPBACK_NAMES.contains(&h.host.as_str()))
    }

    fn token_accepted(&self, headers: &HeaderMap) -> bool {
        let Some(expected) = &self.token_digest else {
            return true;
        };
        let Some(given) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token)
        else {
            return false;
        };
        let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        given.ct_eq(expected).into()
    }

    fn declared_body_too_large(&self, headers: &HeaderMap) -> bool {
        headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|len| len > self.max_body_bytes as u64)
    }
}

/// axum middleware applying [`GuardConfig`] to one request.
pub(crate) async fn guard(
    State(cfg): State<Arc<GuardConfig>>,
    req: Request,
    next: Next,
) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let cors_origin = req
        .headers()
        .get(header::ORIGIN)
        .filter(|origin| cfg.origin_allowed(origin))
        .cloned();
    let mut response = check(&cfg, req, next).await;
    if let Some(origin) = cors_origin {
        allow_origin(&mut response, origin);
    }
    tracing::debug!(
        %method,
        %path,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_millis() as u64,
        "http request"
    );
    response
}

async fn check(cfg: &GuardConfig, req: Request, next: Next) -> Response {
    let headers = req.headers();
    if !cfg.host_allowed(headers, req.uri().authority().map(|a| a.as_str())) {
        return rejection(
            StatusCode::FORBIDDEN,
            -32000,
            "Forbidden: host not allowed. Connect through localhost or 127.0.0.1, or start the \
             server with this host name in its allowed hosts.",
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN)
        && !cfg.origin_allowed(origin)
    {
        return rejection(
            StatusCode::FORBIDDEN,
            -32000,
            "Forbidden: origin not allowed",
        );
    }
    if headers.contains_key(header::ORIGIN) && is_preflight(&req) {
        return preflight();
    }
    let open_path = req.uri().path() == UNAUTHENTICATED_PATH
        || (cfg.oauth.is_some() && req.uri().path().starts_with(WELL_KNOWN));
    let mut signed_in = None;
    if let Some(oauth) = cfg.oauth.as_ref().filter(|_| !open_path) {
        match oauth.authenticate(headers).await {
            Ok(caller) => signed_in = Some((oauth.clone(), caller)),
            Err(challenge) => return challenge,
        }
    }
    if !open_path && !cfg.token_accepted(headers) {
        let mut response = rejection(
            StatusCode::UNAUTHORIZED,
            -32001,
            "Unauthorized: send the header `Authorization: Bearer <token>` with the token this \
             server was started with (--auth-token or MCP_AUTH_TOKEN).",
        );
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"sequentum-mcp\""),
        );
        return response;
    }
    if cfg.declared_body_too_large(headers) {
        return listener::with_connection_close(body_too_large(cfg.max_body_bytes));
    }
    let mut req = req;
    if let Some((_, caller)) = &signed_in {
        req.extensions_mut().insert(caller.clone());
    }
    let req = if req.method() == Method::POST {
        match listener::read_body(req, cfg.max_body_bytes, cfg.body_read_timeout).await {
            Ok((req, _)) => req,
            Err(e) => return listener::with_connection_close(body_refused(cfg, &e)),
        }
    } else {
        req
    };
    match tokio::time::timeout(cfg.request_timeout, next.run(req)).await {
        Ok(response) => match &signed_in {
            Some((oauth, caller)) => match caller.refusal() {
                Some(refusal) => oauth.refused(&refusal),
                None => response,
            },
            None => response,
        },
        Err(_) => rejection(
            StatusCode::GATEWAY_TIMEOUT,
            -32000,
            &format!(
                "Request timed out after {} s. Long jobs return a handle: call the tool again \
                 with a shorter wait_seconds and poll.",
                cfg.request_timeout.as_secs()
            ),
        ),
    }
}

/// The answer to a request body that could not be read: 413, 408 or 400.
fn body_refused(cfg: &GuardConfig, why: &BodyError) -> Response {
    match why {
        BodyError::TooLarge => body_too_large(cfg.max_body_bytes),
        BodyError::TimedOut => rejection(
            StatusCode::REQUEST_TIMEOUT,
            -32000,
            &format!(
                "Request timeout: the request body did not arrive within {} s; send the whole \
                 body promptly (and a Content-Length that matches it).",
                cfg.body_read_timeout.as_secs_f32()
            ),
        ),
        BodyError::Broken => rejection(
            StatusCode::BAD_REQUEST,
            -32700,
            "Parse error: the request body could not be read to its end.",
        ),
    }
}

/// A CORS preflight: a browser asking whether it may send a cross-origin request.
fn is_preflight(req: &Request) -> bool {
    req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// 204 allowing the MCP methods and headers; [`guard`] adds the origin, already found allowed.
fn preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, DELETE"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(CORS_ALLOW_HEADERS),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static(CORS_MAX_AGE),
    );
    response
}

/// Lets the browser at `origin` (an allowed one) read `response`.
fn allow_origin(response: &mut Response, origin: HeaderValue) {
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(CORS_EXPOSE_HEADERS),
    );
    headers.append(header::VARY, HeaderValue::from_static("origin"));
}

/// 413 with a body that says what the limit is, whether the size was declared or streamed.
fn body_too_large(max_body_bytes: usize) -> Response {
    rejection(
        StatusCode::PAYLOAD_TOO_LARGE,
        -32600,
        &format!("Payload too large: request bodies are limited to {max_body_bytes} bytes."),
    )
}

/// An HTTP error whose body is a JSON-RPC error without an id, which MCP clients can display.
pub(crate) fn rejection(status: StatusCode, code: i32, message: &str) -> Response {
    let body = super::frame::error(serde_json::Value::Null, code, message);
    (status, axum::Json(body)).into_response()
}

/// The token of an `Authorization: Bearer <token>` value (scheme name case-insensitive).
pub(crate) fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Lower-case, without a trailing slash: how browsers send origins, so lists compare exactly.
fn normalize_origin(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

fn bracket_ipv6(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

/// A host name (IPv6 literals bracketed, lower-case) with an optional port; no port in an
/// allow-list entry means any port.
#[derive(Debug, PartialEq)]
struct HostRule {
    host: String,
    port: Option<u16>,
}

impl HostRule {
    fn parse(authority: &str) -> Option<Self> {
        let authority = authority.trim().to_ascii_lowercase();
        let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
            let (inside, after) = rest.split_once(']')?;
            (format!("[{inside}]"), after.strip_prefix(':'))
        } else if authority.matches(':').count() > 1 {
            // A bare IPv6 literal (only valid in allow-list entries, never in a Host header).
            (format!("[{authority}]"), None)
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return None;
        }
        let port = match port {
            Some(p) => Some(p.parse().ok()?),
            None => None,
        };
        Some(Self { host, port })
    }

    fn admits(&self, request: &HostRule) -> bool {
        self.host == request.host && self.port.is_none_or(|p| request.port == Some(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra_hosts: &[&str], extra_origins: &[&str]) -> GuardConfig {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        GuardConfig::new(&HttpOptions {
            listen: "10.0.0.5:8787".parse().unwrap(),
            allowed_hosts: own(extra_hosts),
            allowed_origins: own(extra_origins),
            auth_token: Some("s3cret".into()),
            ..HttpOptions::default()
        })
    }

    fn host_ok(cfg: &GuardConfig, host: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        cfg.host_allowed(&headers, None)
    }

    #[test]
    fn hosts_loopback_any_port_listen_address_exact_and_extras() {
        let cfg = config(&["mcp.example.com", "proxy.local:9000", "fe80::1"], &[]);
        for ok in [
            "localhost",
            "LOCALHOST:1234",
            "127.0.0.1:8787",
            "[::1]:3000",
            "10.0.0.5:8787",
            "mcp.example.com:443",
            "proxy.local:9000",
            "[fe80::1]:8787",
        ] {
            assert!(host_ok(&cfg, ok), "{ok} should be allowed");
        }
        for bad in [
            "evil.example.com",
            "10.0.0.5:9999",
            "10.0.0.5",
            "proxy.local:9001",
            "localhost.evil.com",
            "127.0.0.1:notaport",
            "",
        ] {
            assert!(!host_ok(&cfg, bad), "{bad} should be refused");
        }
        assert!(!cfg.host_allowed(&HeaderMap::new(), None), "no host at all");
        assert!(cfg.host_allowed(&HeaderMap::new(), Some("127.0.0.1:1")));
        // An absolute-form target names a host too, and it is checked like Host.
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8787"));
        assert!(cfg.host_allowed(&headers, Some("localhost:8787")));
        assert!(!cfg.host_allowed(&headers, Some("evil.example.com")));
    }

    #[test]
    fn origins_loopback_any_port_and_exact_extras() {
        let cfg = config(&[], &["https://app.example.com"]);
        let ok = |o: &str| cfg.origin_allowed(&HeaderValue::from_str(o).unwrap());
        assert!(ok("http://localhost:5173"));
        assert!(ok("https://127.0.0.1"));
        assert!(ok("http://[::1]:8080"));
        assert!(ok("https://APP.example.com/"));
        assert!(!ok("http://evil.example.com"));
        assert!(!ok("https://app.example.com.evil.net"));
        assert!(!ok("null"));
        assert!(!ok("file://localhost"));
    }

    #[test]
    fn bearer_token_parsing() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("abc"), None);
    }
}
