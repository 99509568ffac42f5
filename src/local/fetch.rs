//! Polite, bounded page fetching for the embedded engine: one identifiable user agent, a
//! timeout, a size cap, robots.txt respected per origin and an optional delay between requests.

mod robots;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use robots::RobotRules;
use tokio::time::Instant;

/// The token looked for in robots.txt `User-agent` lines.
pub const ROBOTS_TOKEN: &str = "sequentum-mcp";

/// Origins whose robots.txt is remembered; the cache starts over when full, which only costs
/// a refetch.
const ROBOTS_CACHE_LIMIT: usize = 256;
/// RFC 9309 asks crawlers to parse at least 500 KiB; more than that is not read.
const ROBOTS_MAX_BYTES: usize = 512 * 1024;
const MAX_REDIRECTS: usize = 10;

/// How the engine fetches pages: who it says it is, how long and how much it reads.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    pub user_agent: String,
    pub timeout: Duration,
    pub max_page_bytes: usize,
    pub max_pages_per_run: u32,
    /// Pause between two requests of the same fetcher.
    pub delay: Duration,
    pub respect_robots: bool,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        Self {
            user_agent: format!(
                "{ROBOTS_TOKEN}/{} (+https://github.com/sequentum/sequentum-mcp; local engine)",
                env!("CARGO_PKG_VERSION")
            ),
            timeout: Duration::from_secs(20),
            max_page_bytes: 5 * 1024 * 1024,
            max_pages_per_run: 500,
            delay: Duration::ZERO,
            respect_robots: true,
        }
    }
}

/// Fetches pages under a [`FetchPolicy`]. Clones share the robots.txt cache and the pacing.
#[derive(Clone)]
pub struct Fetcher {
    policy: Arc<FetchPolicy>,
    /// Built on first fetch: building it loads the system's root certificates, which would
    /// otherwise slow every start of the engine, fetching or not.
    client: Arc<OnceLock<reqwest::Client>>,
    robots: Arc<Mutex<HashMap<String, RobotRules>>>,
    /// When the last request was sent, to honour `delay`.
    last_request: Arc<tokio::sync::Mutex<Option<Instant>>>,
}

/// A page that was fetched and is HTML.
#[derive(Debug)]
pub struct FetchedPage {
    /// Final URL after redirects.
    pub url: url::Url,
    pub status: u16,
    pub html: String,
    /// Body bytes read, robots.txt included.
    pub bytes: u64,
    /// HTTP requests made, robots.txt included.
    pub requests: u32,
}

/// Why a page could not be fetched, in words for a person, with what it cost.
#[derive(Debug)]
pub struct FetchError {
    pub message: String,
    pub bytes: u64,
    pub requests: u32,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FetchError {}

/// Bytes and requests spent so far on one `fetch` call.
#[derive(Default)]
struct Cost {
    bytes: u64,
    requests: u32,
}

impl Cost {
    fn fail(&self, message: impl Into<String>) -> FetchError {
        FetchError {
            message: message.into(),
            bytes: self.bytes,
            requests: self.requests,
        }
    }
}

impl Fetcher {
    pub fn new(policy: FetchPolicy) -> Self {
        Self {
            policy: Arc::new(policy),
            client: Arc::default(),
            robots: Arc::default(),
            last_request: Arc::default(),
        }
    }

    fn client(&self) -> &reqwest::Client {
        self.client.get_or_init(|| {
            let policy = &self.policy;
            reqwest::Client::builder()
                .user_agent(policy.user_agent.clone())
                .timeout(policy.timeout)
                .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
                .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
                .build()
                .unwrap_or_default()
        })
    }

    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// Fetches one HTML page, after checking the origin's robots.txt when the policy says so.
    pub async fn fetch(&self, url: &url::Url) -> Result<FetchedPage, FetchError> {
        let mut cost = Cost::default();
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(cost.fail(format!(
                "{url} is not an http(s) address; the engine only fetches web pages"
            )));
        }
        if self.policy.respect_robots {
            let rules = self.robots_for(url, &mut cost).await?;
            let path = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_string(),
            };
            if !rules.allows(&path) {
                return Err(cost.fail(format!(
                    "{url} is disallowed by its robots.txt (the engine respects robots.txt; \
                     pass --ignore-robots to override)"
                )));
            }
        }
        let (final_url, status, body, content_type) =
            self.get(url, self.policy.max_page_bytes, &mut cost).await?;
        if !(200..300).contains(&status) {
            return Err(cost.fail(format!("HTTP {status} from {url}")));
        }
        if let Some(ct) = content_type {
            let mime = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if !mime.is_empty() && mime != "text/html" && mime != "application/xhtml+xml" {
                return Err(cost.fail(format!(
                    "{url} is not an HTML page (content-type {mime}); give the address of a web page"
                )));
            }
        }
        let body = body.map_err(|too_big| cost.fail(too_big))?;
        Ok(FetchedPage {
            url: final_url,
            status,
            html: String::from_utf8_lossy(&body).into_owned(),
            bytes: cost.bytes,
            requests: cost.requests,
        })
    }

    /// The robots rules of `url`'s origin, fetched once and cached.
    async fn robots_for(&self, url: &url::Url, cost: &mut Cost) -> Result<RobotRules, FetchError> {
        let origin = url.origin().ascii_serialization();
        if let Some(rules) = self.lock_robots().get(&origin) {
            return Ok(rules.clone());
        }
        let robots_url = url
            .join("/robots.txt")
            .map_err(|e| cost.fail(e.to_string()))?;
        let (_, status, body, _) = self.get(&robots_url, ROBOTS_MAX_BYTES, cost).await?;
        let rules = match status {
            200..=299 => {
                // A robots.txt over the cap is read up to the cap, as the RFC allows.
                let text = match body {
                    Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                    Err(_) => String::new(),
                };
                RobotRules::parse(&text, ROBOTS_TOKEN)
            }
            // Server errors: RFC 9309 says assume complete disallow; not cached so a later
            // fetch tries again.
            500..=599 => {
                return Err(cost.fail(format!(
                    "{robots_url} answered HTTP {status}; until it is reachable the engine treats \
                     the site as disallowed (RFC 9309). Try again later or pass --ignore-robots"
                )));
            }
            // 4xx (and anything else): no usable robots.txt, everything is allowed.
            _ => RobotRules::allow_all(),
        };
        let mut cache = self.lock_robots();
        if cache.len() >= ROBOTS_CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(origin, rules.clone());
        Ok(rules)
    }

    fn lock_robots(&self) -> std::sync::MutexGuard<'_, HashMap<String, RobotRules>> {
        self.robots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until `delay` has passed since the previous request of this fetcher.
    async fn pace(&self) {
        let mut last = self.last_request.lock().await;
        if let Some(prev) = *last {
            tokio::time::sleep_until(prev + self.policy.delay).await;
        }
        *last = Some(Instant::now());
    }

    /// One GET: final URL, status, the body (or why it was not read in full) and the
    /// content type. The body stops at `cap` bytes.
    #[allow(clippy::type_complexity)]
    async fn get(
        &self,
        url: &url::Url,
        cap: usize,
        cost: &mut Cost,
    ) -> Result<(url::Url, u16, Result<Vec<u8>, String>, Option<String>), FetchError> {
        self.pace().await;
        cost.requests += 1;
        let mut resp = self
            .client()
            .get(url.clone())
            .send()
            .await
            .map_err(|e| cost.fail(describe(&e, url, self.policy.timeout)))?;
        let final_url = resp.url().clone();
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let too_big = format!("page larger than {} at {url}", human_size(cap));
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Ok((final_url, status, Err(too_big), content_type));
        }
        let mut body = Vec::new();
        loop {
            let chunk = resp
                .chunk()
                .await
                .map_err(|e| cost.fail(describe(&e, url, self.policy.timeout)))?;
            let Some(chunk) = chunk else { break };
            cost.bytes += chunk.len() as u64;
            if body.len() + chunk.len() > cap {
                return Ok((final_url, status, Err(too_big), content_type));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((final_url, status, Ok(body), content_type))
    }
}

/// A transport error in words: timeouts, refused connections, unknown hosts, redirect loops.
fn describe(err: &reqwest::Error, url: &url::Url, timeout: Duration) -> String {
    let host = url.host_str().unwrap_or("the server");
    if err.is_timeout() {
        return format!(
            "timed out after {} s waiting for {url}; the site is slow or not answering",
            timeout.as_secs()
        );
    }
    if err.is_redirect() {
        return format!("{url} redirects too often (more than {MAX_REDIRECTS} redirects)");
    }
    let mut cause: &dyn std::error::Error = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let cause = cause.to_string();
    // "Connection refused (os error 111)" -> "connection refused"
    let cause = cause
        .split(" (os error")
        .next()
        .unwrap_or(&cause)
        .to_lowercase();
    if err.is_connect() {
        format!("could not connect to {host}: {cause}")
    } else {
        format!("failed to fetch {url}: {cause}")
    }
}

fn human_size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;
    use axum::routing::get;

    /// Serves a few pages on 127.0.0.1 and returns the base URL.
    async fn serve(robots: Option<&'static str>) -> url::Url {
        let mut app = axum::Router::new()
            .route(
                "/page",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        "<p>hi \u{e9}</p>",
                    )
                }),
            )
            .route(
                "/big",
                get(|| async { ([(header::CONTENT_TYPE, "text/html")], "x".repeat(4096)) }),
            )
            .route(
                "/image",
                get(|| async { ([(header::CONTENT_TYPE, "image/png")], vec![0u8; 10]) }),
            )
            .route(
                "/plain",
                get(|| async { "no content type header is text/plain here" }),
            )
            .route(
                "/moved",
                get(|| async { axum::response::Redirect::to("/page") }),
            );
        if let Some(text) = robots {
            app = app.route("/robots.txt", get(move || async move { text }));
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url::Url::parse(&format!("http://{addr}/")).unwrap()
    }

    #[tokio::test]
    async fn fetches_html_follows_redirects_and_counts_the_robots_request_once() {
        let base = serve(None).await;
        let fetcher = Fetcher::new(FetchPolicy::default());
        let page = fetcher.fetch(&base.join("moved").unwrap()).await.unwrap();
        assert_eq!(page.url, base.join("page").unwrap());
        assert_eq!(page.status, 200);
        assert_eq!(page.html, "<p>hi \u{e9}</p>");
        // robots.txt (404, allows all) + redirect hop handled inside one request.
        assert_eq!(page.requests, 2);
        let again = fetcher.fetch(&base.join("page").unwrap()).await.unwrap();
        assert_eq!(again.requests, 1, "robots.txt is cached per origin");
    }

    #[tokio::test]
    async fn robots_disallow_is_refused_with_an_explanation_unless_ignored() {
        let base = serve(Some("User-agent: sequentum-mcp\nDisallow: /page\n")).await;
        let url = base.join("page").unwrap();
        let err = Fetcher::new(FetchPolicy::default())
            .fetch(&url)
            .await
            .unwrap_err();
        assert!(
            err.message.contains("disallowed by its robots.txt"),
            "{err}"
        );
        assert!(err.message.contains("--ignore-robots"));
        assert_eq!(err.requests, 1);
        let lenient = Fetcher::new(FetchPolicy {
            respect_robots: false,
            ..FetchPolicy::default()
        });
        assert!(lenient.fetch(&url).await.is_ok());
    }

    #[tokio::test]
    async fn pages_over_the_size_cap_are_refused() {
        let base = serve(None).await;
        let fetcher = Fetcher::new(FetchPolicy {
            max_page_bytes: 1024,
            ..FetchPolicy::default()
        });
        let err = fetcher.fetch(&base.join("big").unwrap()).await.unwrap_err();
        assert!(err.message.starts_with("page larger than 1 KiB"), "{err}");
        assert!(fetcher.fetch(&base.join("page").unwrap()).await.is_ok());
    }

    #[tokio::test]
    async fn non_html_pages_and_http_errors_are_refused() {
        let base = serve(None).await;
        let fetcher = Fetcher::new(FetchPolicy::default());
        let err = fetcher
            .fetch(&base.join("image").unwrap())
            .await
            .unwrap_err();
        assert!(
            err.message
                .contains("not an HTML page (content-type image/png)"),
            "{err}"
        );
        let err = fetcher
            .fetch(&base.join("plain").unwrap())
            .await
            .unwrap_err();
        assert!(err.message.contains("content-type text/plain"), "{err}");
        let missing = base.join("missing").unwrap();
        let err = fetcher.fetch(&missing).await.unwrap_err();
        assert_eq!(err.message, format!("HTTP 404 from {missing}"));
    }

    #[tokio::test]
    async fn a_closed_port_is_a_connection_error_in_words() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let url = url::Url::parse(&format!("http://127.0.0.1:{port}/x")).unwrap();
        let err = Fetcher::new(FetchPolicy::default())
            .fetch(&url)
            .await
            .unwrap_err();
        assert!(
            err.message.starts_with("could not connect to 127.0.0.1"),
            "{err}"
        );
        assert!(err.message.contains("refused"), "{err}");
        let err = Fetcher::new(FetchPolicy::default())
            .fetch(&url::Url::parse("ftp://example.com/").unwrap())
            .await
            .unwrap_err();
        assert!(err.message.contains("not an http(s) address"));
    }

    #[tokio::test]
    async fn delay_spaces_requests_of_one_fetcher() {
        let base = serve(None).await;
        let fetcher = Fetcher::new(FetchPolicy {
            delay: Duration::from_millis(300),
            respect_robots: false,
            ..FetchPolicy::default()
        });
        let start = Instant::now();
        fetcher.fetch(&base.join("page").unwrap()).await.unwrap();
        fetcher.fetch(&base.join("page").unwrap()).await.unwrap();
        assert!(start.elapsed() >= Duration::from_millis(300));
    }
}
