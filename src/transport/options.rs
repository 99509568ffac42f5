//! The settings of the HTTP transport, and the shutdown stages its parts share: below the
//! router (`http.rs`), the guards and the legacy SSE routes, so each of them can read them
//! without importing another.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use tokio_util::sync::CancellationToken;

use super::oauth::OAuth;
use crate::listener::Rate;

/// Default of [`HttpOptions::max_connections`].
pub const MAX_CONNECTIONS: usize = 512;
/// Default of [`HttpOptions::max_connections_per_client`]: an eighth of the slots.
pub const MAX_CONNECTIONS_PER_CLIENT: usize = 64;
/// Default of [`HttpOptions::client_rate`]: far above what an assistant sends, far below a
/// flood.
pub const CLIENT_RATE: Rate = Rate {
    per_second: 100,
    burst: 200,
};

/// Settings of the HTTP transport (flags and environment variables of `serve --transport http`).
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Address to listen on; loopback unless a token or OAuth is set.
    pub listen: SocketAddr,
    /// Bearer token required on every route but `/health` (`--auth-token` / `MCP_AUTH_TOKEN`).
    pub auth_token: Option<String>,
    /// OAuth mode (`--auth oauth`): each user signs in; excludes `auth_token`.
    pub oauth: Option<Arc<OAuth>>,
    /// Extra accepted `Host` values besides loopback names and the listen address; `name`
    /// admits any port, `name:port` only that port.
    pub allowed_hosts: Vec<String>,
    /// Extra accepted `Origin` values (exact, e.g. `https://app.example.com`) besides
    /// `http(s)://localhost|127.0.0.1|[::1]` with any port.
    pub allowed_origins: Vec<String>,
    /// Largest accepted request body; larger ones get 413.
    pub max_body_bytes: usize,
    /// Longest wait for a request head (before authentication too); the connection is then
    /// closed.
    pub header_read_timeout: Duration,
    /// Longest wait for a whole request body once its head arrived; then 408.
    pub body_read_timeout: Duration,
    /// Connections served at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Connections served at once from one client address (0: only the total cap), so one
    /// address cannot take every slot.
    pub max_connections_per_client: usize,
    /// Requests per client address; beyond it 429 with `Retry-After` (`None`: unlimited).
    pub client_rate: Option<Rate>,
    /// Longest time to produce a response; longer than the longest tool wait (45 s).
    pub request_timeout: Duration,
    /// How long in-flight calls may continue after a shutdown signal.
    pub shutdown_grace: Duration,
    /// Cap on open legacy `/sse` streams; more get 503.
    pub max_sse_sessions: usize,
    /// Which backend serves the tools ("cloud" or "local"), reported by `/health`.
    pub backend: String,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            auth_token: None,
            oauth: None,
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            max_body_bytes: 4 * 1024 * 1024,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_connections: MAX_CONNECTIONS,
            max_connections_per_client: MAX_CONNECTIONS_PER_CLIENT,
            client_rate: Some(CLIENT_RATE),
            request_timeout: Duration::from_secs(120),
            shutdown_grace: Duration::from_secs(5),
            max_sse_sessions: 64,
            backend: "local".to_owned(),
        }
    }
}

impl HttpOptions {
    /// Refuses settings that would expose the server or cannot work, with a message saying
    /// what to change.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(token) = &self.auth_token
            && (token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(
                "the auth token must be non-empty printable ASCII without spaces (it travels in \
                 an `Authorization: Bearer` header)"
                    .to_owned(),
            );
        }
        if self.auth_token.is_some() && self.oauth.is_some() {
            return Err(
                "a shared auth token and OAuth sign-in cannot be mixed; use one of them".to_owned(),
            );
        }
        if !self.listen.ip().is_loopback() && self.auth_token.is_none() && self.oauth.is_none() {
            return Err(format!(
                "refusing to listen on {} without an auth token: anyone who can reach that \
                 address could drive your agents. Set --auth-token (or MCP_AUTH_TOKEN), sign \
                 users in with --auth oauth, or listen on 127.0.0.1",
                self.listen
            ));
        }
        if self.max_body_bytes == 0 {
            return Err("max_body_bytes must be greater than 0".to_owned());
        }
        if self.request_timeout.is_zero()
            || self.header_read_timeout.is_zero()
            || self.body_read_timeout.is_zero()
        {
            return Err("request, header and body timeouts must be greater than 0".to_owned());
        }
        if self.max_connections == 0 {
            return Err("max_connections must be greater than 0".to_owned());
        }
        Ok(())
    }
}

/// Tokens that stage a graceful shutdown: `draining` stops new work and lets calls finish;
/// `force` ends whatever is still running once the grace period is over.
#[derive(Clone, Default)]
pub(crate) struct Shutdown {
    pub(crate) draining: CancellationToken,
    pub(crate) force: CancellationToken,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_refuses_exposed_listen_without_token() {
        let mut opts = HttpOptions {
            listen: "0.0.0.0:8787".parse().unwrap(),
            ..HttpOptions::default()
        };
        let err = opts.validate().unwrap_err();
        assert!(err.contains("0.0.0.0:8787") && err.contains("--auth-token"));
        opts.auth_token = Some("a-long-random-token".into());
        assert_eq!(opts.validate(), Ok(()));
        opts.auth_token = Some("has space".into());
        assert!(opts.validate().unwrap_err().contains("printable"));
        assert_eq!(HttpOptions::default().validate(), Ok(()));
        let v6 = HttpOptions {
            listen: "[::1]:8787".parse().unwrap(),
            ..HttpOptions::default()
        };
        assert_eq!(v6.validate(), Ok(()));
    }
}
