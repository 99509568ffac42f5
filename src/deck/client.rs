//! The Deck v2 REST client: Bearer key, JSON in and out, cursor pages, and one retry rule.
//!
//! Every POST carries an `Idempotency-Key` made once per logical call, so any call — a run start
//! included — may be repeated after a 429 (`rate_limit_exceeded`, `session_limit_exceeded`; Deck
//! sends no Retry-After), a 5xx, a timeout or a lost connection: Deck answers a repeat with the
//! first answer instead of acting twice. Repeats back off exponentially with jitter.

use std::{fmt, path::Path, time::Duration};

use reqwest::{Method, header};
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::{error::DeckError, types::Page, types::WireError};
use crate::api::RetryPolicy;

/// Deck's production API.
pub const DEFAULT_URL: &str = "https://api.deck.co/v2";

/// Items asked for per page when walking a whole list (Deck's maximum).
pub const PAGE_LIMIT: u32 = 100;

const USER_AGENT: &str = concat!("sequentum-mcp/", env!("CARGO_PKG_VERSION"));

/// Everything a client needs. The key never appears in `Debug` output.
#[derive(Clone)]
pub struct DeckOptions {
    pub base_url: Url,
    pub api_key: String,
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
}

impl DeckOptions {
    pub fn new(base_url: Url, api_key: String) -> Self {
        DeckOptions {
            base_url,
            api_key,
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy {
                // Deck's own advice: up to 5 attempts, min(1000 * 2^n, 30000) ms.
                max_attempts: 5,
                base_delay: Duration::from_secs(1),
                max_delay: Duration::from_secs(8),
                max_retry_after: Duration::from_secs(8),
            },
        }
    }
}

impl fmt::Debug for DeckOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeckOptions")
            .field("base_url", &self.base_url.as_str())
            .field("api_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// A cheap-to-clone handle on one Deck organisation.
#[derive(Clone)]
pub struct DeckClient {
    api: reqwest::Client,
    /// Fetches signed storage links: no Authorization header.
    plain: reqwest::Client,
    options: DeckOptions,
}

impl fmt::Debug for DeckClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.options.fmt(f)
    }
}

impl DeckClient {
    pub fn new(options: DeckOptions) -> Result<Self, DeckError> {
        let mut auth = header::HeaderValue::from_str(&format!("Bearer {}", options.api_key))
            .map_err(|_| {
                DeckError::Network("DECK_API_KEY holds characters a header cannot carry".into())
            })?;
        auth.set_sensitive(true);
        let mut headers = header::HeaderMap::new();
        headers.insert(header::AUTHORIZATION, auth);
        headers.insert(
            header::ACCEPT,
            header::HeaderValue::from_static("application/json"),
        );
        let build = |headers: header::HeaderMap| {
            reqwest::Client::builder()
                // Cloudflare in front of Deck rejects some default user agents.
                .user_agent(USER_AGENT)
                .default_headers(headers)
                .connect_timeout(Duration::from_secs(10))
                .build()
                .map_err(|e| DeckError::Network(format!("could not set up HTTP: {e}")))
        };
        Ok(DeckClient {
            api: build(headers)?,
            plain: build(header::HeaderMap::new())?,
            options,
        })
    }

    pub fn base_url(&self) -> &Url {
        &self.options.base_url
    }

    fn url(&self, path: &str) -> Url {
        let base = self.options.base_url.as_str().trim_end_matches('/');
        Url::parse(&format!("{base}/{}", path.trim_start_matches('/')))
            .unwrap_or_else(|_| self.options.base_url.clone())
    }

    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, DeckError> {
        self.call(Method::GET, path, query, None).await
    }

    /// A POST (or PATCH) with a fresh idempotency key, kept across its repeats.
    pub async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &Value,
    ) -> Result<T, DeckError> {
        self.call(method, path, &[], Some(body)).await
    }

    /// One page of a list.
    pub async fn page<T: DeserializeOwned>(
        &self,
        path: &str,
        filters: &[(&str, String)],
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<T>, DeckError> {
        let mut query = filters.to_vec();
        query.push(("limit", limit.clamp(1, PAGE_LIMIT).to_string()));
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor.to_string()));
        }
        self.get(path, &query).await
    }

    /// Up to `max` items of a list, page after page.
    pub async fn collect<T: DeserializeOwned>(
        &self,
        path: &str,
        filters: &[(&str, String)],
        max: usize,
    ) -> Result<Vec<T>, DeckError> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let want = (max - items.len()).min(PAGE_LIMIT as usize) as u32;
            let page: Page<T> = self.page(path, filters, cursor.as_deref(), want).await?;
            cursor = page.next().map(str::to_string);
            items.extend(page.data);
            if cursor.is_none() || items.len() >= max {
                items.truncate(max);
                return Ok(items);
            }
        }
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<T, DeckError> {
        let key = (method != Method::GET).then(|| crate::random::hex(16));
        let retry = &self.options.retry;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self
                .api
                .request(method.clone(), self.url(path))
                .query(query)
                .timeout(self.options.request_timeout);
            if let Some(key) = &key {
                request = request.header("Idempotency-Key", key);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            match self.exchange(request).await {
                Err(err) if err.transient() && attempt < retry.max_attempts => {
                    let delay = backoff(retry, attempt);
                    tracing::debug!(%err, attempt, ?delay, "Deck call repeated");
                    tokio::time::sleep(delay).await;
                }
                Err(err) => return Err(err),
                Ok(value) => {
                    return serde_json::from_value(value)
                        .map_err(|e| DeckError::Decode(format!("{path}: {e}")));
                }
            }
        }
    }

    async fn exchange(&self, request: reqwest::RequestBuilder) -> Result<Value, DeckError> {
        let response = request.send().await.map_err(|e| self.transport(e))?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| self.transport(e))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|e| DeckError::Decode(format!("not JSON ({e})")));
        }
        #[derive(serde::Deserialize)]
        struct Body {
            #[serde(default)]
            errors: Vec<WireError>,
        }
        let errors = serde_json::from_slice::<Body>(&bytes)
            .map(|b| b.errors)
            .unwrap_or_default();
        Err(DeckError::Status {
            status: status.as_u16(),
            errors,
        })
    }

    fn transport(&self, e: reqwest::Error) -> DeckError {
        if e.is_timeout() {
            DeckError::Timeout(self.options.request_timeout)
        } else {
            // Without the URL: it is ours, and the error text goes to the model.
            DeckError::Network(e.without_url().to_string())
        }
    }

    /// Downloads a signed storage link to `dest` (atomically), without the API key.
    pub async fn download(&self, url: &Url, dest: &Path) -> Result<u64, DeckError> {
        let response = self
            .plain
            .get(url.clone())
            .timeout(Duration::from_secs(300))
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        if !response.status().is_success() {
            return Err(DeckError::Status {
                status: response.status().as_u16(),
                errors: Vec::new(),
            });
        }
        let bytes = response.bytes().await.map_err(|e| self.transport(e))?;
        write_atomically(dest, &bytes).map_err(|e| DeckError::Network(e.to_string()))?;
        Ok(bytes.len() as u64)
    }
}

/// Writes through a temporary file in the same directory, so a failure leaves nothing behind.
pub fn write_atomically(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.persist(dest).map_err(|e| e.error)?;
    Ok(())
}

/// `base * 2^(attempt-1)`, capped, ±25 % jitter.
fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let exp = policy
        .base_delay
        .saturating_mul(1u32 << (attempt - 1).min(16))
        .min(policy.max_delay);
    exp.mul_f64(0.75 + fastrand::f64() * 0.5)
}
