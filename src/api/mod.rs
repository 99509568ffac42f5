//! The Sequentum REST API client.
//!
//! One `Client` per backend (cloud or the embedded engine). It knows the base URL, the
//! credential, timeouts and the retry policy; the endpoint groups live in `agents`, `runs`,
//! `files` and `builder`. It knows nothing about MCP.
//!
//! Retries follow one rule: a call is repeated only when repeating it cannot change the outcome.
//! GETs and `stop` are repeated on 429/502/503/504, timeouts and connection errors, honouring
//! `Retry-After` (capped) with jittered exponential backoff; `start` and `kill` are never repeated,
//! because a second start queues a second run and a second kill forces termination.

pub mod agents;
pub mod analytics;
mod archive;
pub mod billing;
pub mod builder;
mod error;
pub mod files;
mod neutral_analytics;
pub mod platform;
pub mod run_removal;
pub mod runs;
pub mod schedules;
pub mod spaces;
pub mod types;
pub mod versions;

use std::{
    fmt,
    sync::{Arc, OnceLock},
    time::Duration,
};

use reqwest::{Method, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

pub use error::ApiError;

/// How the client proves who it is. The secret never appears in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// `Authorization: ApiKey <key>` (`SEQUENTUM_API_KEY`).
    ApiKey(String),
    /// `Authorization: Bearer <token>` (`SEQUENTUM_ACCESS_TOKEN`).
    Bearer(String),
    /// No credential of the server's own: each request sends the upstream token of the
    /// signed-in user it serves (`crate::caller`, OAuth mode), and a request without one is
    /// refused before it leaves, so no user's call ever goes out with another's token.
    PerCaller,
}

impl Credential {
    /// The `Authorization` value, or `None` for [`Credential::PerCaller`].
    fn header_value(&self) -> Option<header::HeaderValue> {
        let text = match self {
            Credential::ApiKey(key) => format!("ApiKey {key}"),
            Credential::Bearer(token) => format!("Bearer {token}"),
            Credential::PerCaller => return None,
        };
        let mut value = header::HeaderValue::from_str(&text)
            .unwrap_or_else(|_| header::HeaderValue::from_static("invalid"));
        value.set_sensitive(true);
        Some(value)
    }

    /// The secret itself, for redaction checks and key derivation (empty for `PerCaller`).
    pub fn secret(&self) -> &str {
        match self {
            Credential::ApiKey(s) | Credential::Bearer(s) => s,
            Credential::PerCaller => "",
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Credential::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credential::PerCaller => f.write_str("PerCaller"),
        }
    }
}

/// When and how often safe calls are repeated.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled each time, with ±25 % jitter.
    pub base_delay: Duration,
    /// Longest computed backoff.
    pub max_delay: Duration,
    /// Longest `Retry-After` the client will sit out; a longer one is returned as `RateLimited`
    /// at once, so a tool call never hangs for minutes.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(10),
        }
    }
}

/// Everything a client needs.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub base_url: Url,
    pub credential: Credential,
    /// Limit for one HTTP exchange (synchronous starts get their own, longer limit).
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
}

impl ClientOptions {
    pub fn new(base_url: Url, credential: Credential) -> Self {
        ClientOptions {
            base_url,
            credential,
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// Whether a call may be repeated after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    Safe,
    Never,
}

/// A cheap-to-clone handle on one Sequentum API.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: LazyHttp,
    /// Fetches signed storage URLs: no Authorization header, redirects followed.
    storage: LazyHttp,
    options: ClientOptions,
}

/// A `reqwest::Client` built on first use. Building one loads the system's root certificates
/// (several milliseconds, most of a cold start), and many sessions — a client that only lists
/// tools, a process that never downloads a file — never need it. A failed build is kept and
/// reported by every request, as the eager build reported it once.
struct LazyHttp {
    client: OnceLock<Result<reqwest::Client, String>>,
    build: fn(&ClientOptions) -> reqwest::Result<reqwest::Client>,
}

impl LazyHttp {
    fn new(build: fn(&ClientOptions) -> reqwest::Result<reqwest::Client>) -> LazyHttp {
        LazyHttp {
            client: OnceLock::new(),
            build,
        }
    }

    fn get(&self, options: &ClientOptions) -> Result<&reqwest::Client, ApiError> {
        self.client
            .get_or_init(|| (self.build)(options).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| ApiError::Network(format!("could not set up HTTP: {e}")))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.options.base_url.as_str())
            .finish_non_exhaustive()
    }
}

const USER_AGENT: &str = concat!("sequentum-mcp/", env!("CARGO_PKG_VERSION"));

fn api_http(options: &ClientOptions) -> reqwest::Result<reqwest::Client> {
    let mut headers = header::HeaderMap::new();
    if let Some(value) = options.credential.header_value() {
        headers.insert(header::AUTHORIZATION, value);
    }
    headers.insert(
        header::ACCEPT,
        header::HeaderValue::from_static("application/json"),
    );
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .default_headers(headers)
        // Downloads answer with a redirect to a signed URL; it is read, not followed,
        // so the Authorization header never travels to the storage host.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .build()
}

fn storage_http(_: &ClientOptions) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::limited(5))
        .connect_timeout(Duration::from_secs(10))
        .build()
}

impl Client {
    /// A client for `options`. Cheap: the HTTP clients are built on first use.
    pub fn new(options: ClientOptions) -> Result<Self, ApiError> {
        Ok(Client {
            inner: Arc::new(Inner {
                http: LazyHttp::new(api_http),
                storage: LazyHttp::new(storage_http),
                options,
            }),
        })
    }

    /// The signed-in user a `PerCaller` client acts for; such a client refuses to call
    /// without one rather than call without a token.
    fn caller(&self) -> Result<Option<Arc<crate::caller::Caller>>, ApiError> {
        if self.inner.options.credential != Credential::PerCaller {
            return Ok(None);
        }
        crate::caller::current()
            .map(Some)
            .ok_or_else(|| ApiError::Status {
                status: 401,
                message: "no signed-in user for this call".to_owned(),
                code: None,
            })
    }

    /// The HTTP client of API requests.
    fn http(&self) -> Result<&reqwest::Client, ApiError> {
        self.inner.http.get(&self.inner.options)
    }

    /// The HTTP client of signed storage URLs.
    fn storage(&self) -> Result<&reqwest::Client, ApiError> {
        self.inner.storage.get(&self.inner.options)
    }

    pub fn base_url(&self) -> &Url {
        &self.inner.options.base_url
    }

    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    fn url(&self, path: &str) -> Url {
        let base = self.inner.options.base_url.as_str().trim_end_matches('/');
        Url::parse(&format!("{base}{path}")).expect("API paths are valid URL suffixes")
    }

    /// Sends one request (repeating it only if `repeat` allows) and returns the successful
    /// (2xx or 3xx) response; anything else becomes an `ApiError`.
    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        repeat: Repeat,
        timeout: Duration,
    ) -> Result<reqwest::Response, ApiError> {
        let policy = &self.inner.options.retry;
        let url = self.url(path);
        let caller = self.caller()?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self
                .http()?
                .request(method.clone(), url.clone())
                .timeout(timeout)
                .query(query);
            if let Some(value) = caller
                .as_ref()
                .and_then(|c| Credential::Bearer(c.upstream_token().to_owned()).header_value())
            {
                request = request.header(header::AUTHORIZATION, value);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let outcome = match request.send().await {
                Ok(resp) if resp.status().is_success() || resp.status().is_redirection() => {
                    return Ok(resp);
                }
                Ok(resp) => {
                    let status = resp.status();
                    let retry_after = resp
                        .headers()
                        .get(header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(error::parse_retry_after);
                    if let Some(caller) = &caller {
                        note_refusal(caller, status, resp.headers());
                    }
                    let body = resp.bytes().await.unwrap_or_default();
                    ApiError::from_response(status, retry_after, &body)
                        .redact(self.inner.options.credential.secret())
                        .redact(caller.as_ref().map_or("", |c| c.upstream_token()))
                }
                Err(e) => ApiError::from_reqwest(e, timeout),
            };
            let may_repeat =
                repeat == Repeat::Safe && outcome.is_transient() && attempt < policy.max_attempts;
            if !may_repeat {
                return Err(outcome);
            }
            let delay = match &outcome {
                ApiError::RateLimited {
                    retry_after: Some(wait),
                } if *wait > policy.max_retry_after => return Err(outcome),
                ApiError::RateLimited {
                    retry_after: Some(wait),
                } => *wait,
                _ => backoff(policy, attempt),
            };
            tracing::debug!(%method, path, attempt, ?delay, error = %outcome, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ApiError> {
        let timeout = self.inner.options.request_timeout;
        let resp = self
            .send(Method::GET, path, query, None, Repeat::Safe, timeout)
            .await?;
        self.decode_json(resp, timeout).await
    }

    /// Sends `body` with `method` (POST, PUT) and decodes the JSON answer.
    async fn send_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &Value,
        repeat: Repeat,
    ) -> Result<T, ApiError> {
        let timeout = self.inner.options.request_timeout;
        let resp = self
            .send(method, path, &[], Some(body), repeat, timeout)
            .await?;
        self.decode_json(resp, timeout).await
    }

    /// A POST whose answer carries nothing the caller needs (stop, kill, builder stop).
    async fn post_void(&self, path: &str, repeat: Repeat) -> Result<(), ApiError> {
        let timeout = self.inner.options.request_timeout;
        self.send(Method::POST, path, &[], None, repeat, timeout)
            .await
            .map(drop)
    }
}

/// Notes on `caller` that the API refused its token (401) or its scope (403
/// `insufficient_scope`, read from the `WWW-Authenticate` challenge), for the transport.
fn note_refusal(caller: &crate::caller::Caller, status: StatusCode, headers: &header::HeaderMap) {
    use crate::caller::Refusal;
    let challenge = headers
        .get(header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match status {
        StatusCode::UNAUTHORIZED => caller.refuse(Refusal::Unauthorized),
        StatusCode::FORBIDDEN if challenge.contains("insufficient_scope") => caller.refuse(
            Refusal::InsufficientScope(challenge_param(challenge, "scope")),
        ),
        _ => {}
    }
}

/// The value of `name="value"` in a `WWW-Authenticate` challenge.
fn challenge_param(challenge: &str, name: &str) -> Option<String> {
    let start = challenge.find(&format!("{name}=\""))? + name.len() + 2;
    let rest = &challenge[start..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// Exponential backoff with ±25 % jitter, capped.
fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let exp = policy
        .base_delay
        .saturating_mul(1 << (attempt - 1).min(16))
        .min(policy.max_delay);
    let jitter = 0.75 + fastrand::f64() * 0.5;
    exp.mul_f64(jitter)
}

impl Client {
    /// Reads a JSON body; a decoding error quotes the body's start, with the credential
    /// taken out in case the server echoed it.
    async fn decode_json<T: DeserializeOwned>(
        &self,
        resp: reqwest::Response,
        timeout: Duration,
    ) -> Result<T, ApiError> {
        let caller = crate::caller::current();
        read_json(resp, timeout).await.map_err(|e| {
            e.redact(self.inner.options.credential.secret())
                .redact(caller.as_ref().map_or("", |c| c.upstream_token()))
        })
    }
}

async fn read_json<T: DeserializeOwned>(
    resp: reqwest::Response,
    timeout: Duration,
) -> Result<T, ApiError> {
    let status = resp.status();
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| ApiError::from_reqwest(e, timeout))?;
    let body: &[u8] =
        if bytes.iter().all(u8::is_ascii_whitespace) && status == StatusCode::NO_CONTENT {
            b"null"
        } else {
            &bytes
        };
    serde_json::from_slice(body).map_err(|e| {
        let preview: String = String::from_utf8_lossy(&bytes).chars().take(120).collect();
        ApiError::Decode(format!(
            "{}; the body began with {preview:?}",
            crate::serde_words::plain(&e.to_string())
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default();
        let first = backoff(&policy, 1);
        assert!(first >= Duration::from_millis(375) && first <= Duration::from_millis(625));
        let late = backoff(&policy, 12);
        assert!(late <= policy.max_delay.mul_f64(1.25));
    }

    #[test]
    fn scope_is_read_from_an_insufficient_scope_challenge() {
        let challenge = r#"Bearer error="insufficient_scope", scope="agents:read agents:write""#;
        assert_eq!(
            challenge_param(challenge, "scope").as_deref(),
            Some("agents:read agents:write")
        );
        assert_eq!(challenge_param("Bearer", "scope"), None);
    }

    #[tokio::test]
    async fn a_per_caller_client_refuses_to_call_without_a_caller() {
        let client = Client::new(ClientOptions::new(
            Url::parse("http://127.0.0.1:9").unwrap(),
            Credential::PerCaller,
        ))
        .unwrap();
        let err = client.caller().unwrap_err();
        assert_eq!(err.status(), Some(401));
    }

    #[test]
    fn credential_debug_is_redacted() {
        let c = Credential::ApiKey("sk-very-secret".into());
        assert!(!format!("{c:?}").contains("sk-very-secret"));
    }
}
