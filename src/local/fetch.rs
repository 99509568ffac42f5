//! Polite, bounded page fetching for the embedded engine: one identifiable user agent, a
//! timeout, a size cap, and politeness per site (scheme, host and port): robots.txt respected,
//! a few requests in flight at once, and a delay between requests when the flags or the site's
//! `Crawl-delay` ask for one. Runs on different sites never wait for each other. Failures that
//! may pass (server errors, timeouts, resets) are retried (see [`retry`]).

mod retry;
mod site;
mod target;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub use retry::{DEFAULT_RETRIES, Pause, RetryPolicy};
use site::{Site, Sites};
use target::{PrivateTarget, PublicOnly};
use texting_robots::Robot;

/// The token looked for in robots.txt `User-agent` lines.
pub const ROBOTS_TOKEN: &str = "sequentum-mcp";

/// RFC 9309 asks crawlers to parse at least 500 KiB; more than that is not read.
const ROBOTS_MAX_BYTES: usize = 512 * 1024;
const MAX_REDIRECTS: usize = 10;
/// The longest `Crawl-delay` honoured. Some sites ask for an hour, which would stretch a
/// 500-page run over three weeks; a minute keeps such a site at a crawl without stalling runs
/// beyond anything a person would wait for.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// How the engine fetches pages: who it says it is, how long and how much it reads, and how
/// hard it may press one site.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    pub user_agent: String,
    pub timeout: Duration,
    pub max_page_bytes: usize,
    pub max_pages_per_run: u32,
    /// Rest between two requests to one site: the next starts this long after the previous
    /// ended, one at a time. A longer `Crawl-delay` in the site's robots.txt wins.
    pub delay: Duration,
    /// Requests one site may have in flight at once, across every run of the engine.
    pub site_concurrency: usize,
    /// Obey robots.txt: its Allow/Disallow rules and its `Crawl-delay`.
    pub respect_robots: bool,
    /// Refuse pages on loopback, private, link-local, unique-local and metadata addresses
    /// (after DNS resolution and on every redirect), for servers whose callers are remote.
    pub refuse_private_targets: bool,
    /// Pages always allowed whatever `refuse_private_targets` says: the engine's own demo
    /// pages (`http://127.0.0.1:PORT/demo/`), set when the engine has its address.
    pub own_pages: Option<url::Url>,
    /// Second chances for pages that failed in a way that may pass.
    pub retry: RetryPolicy,
}

/// Requests one site gets at once by default: enough to hide network latency, few enough for
/// any real site (Scrapy allows 8 per domain).
pub const DEFAULT_SITE_CONCURRENCY: u16 = 4;

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
            site_concurrency: usize::from(DEFAULT_SITE_CONCURRENCY),
            respect_robots: true,
            refuse_private_targets: false,
            own_pages: None,
            retry: RetryPolicy::default(),
        }
    }
}

/// What one site's robots.txt says to us.
struct Robots {
    /// `None`: no usable robots.txt, everything is allowed.
    rules: Option<Robot>,
    /// The site's `Crawl-delay`, capped at [`MAX_CRAWL_DELAY`].
    crawl_delay: Duration,
}

impl Robots {
    const ALLOW_ALL: Robots = Robots {
        rules: None,
        crawl_delay: Duration::ZERO,
    };

    /// Parses robots.txt with `texting_robots` (tested against Google's robots.txt cases).
    /// A file it cannot parse counts as none, as RFC 9309 asks of unparseable lines.
    fn parse(text: &[u8]) -> Robots {
        match Robot::new(ROBOTS_TOKEN, text) {
            Ok(robot) => Robots {
                crawl_delay: robot
                    .delay
                    .filter(|d| d.is_finite() && *d > 0.0)
                    .map_or(Duration::ZERO, |d| {
                        Duration::from_secs_f32(d.min(MAX_CRAWL_DELAY.as_secs_f32()))
                    }),
                rules: Some(robot),
            },
            Err(e) => {
                tracing::debug!(error = %e, "robots.txt not understood; everything is allowed");
                Robots::ALLOW_ALL
            }
        }
    }

    fn allows(&self, url: &url::Url) -> bool {
        self.rules.as_ref().is_none_or(|r| r.allowed(url.as_str()))
    }
}

/// Fetches pages under a [`FetchPolicy`]. Clones share the robots.txt cache and the gates of
/// every site, so the limits hold across every run and builder session of the engine.
#[derive(Clone)]
pub struct Fetcher {
    policy: Arc<FetchPolicy>,
    /// Built on first fetch: building it loads the system's root certificates, which would
    /// otherwise slow every start of the engine, fetching or not.
    client: Arc<OnceLock<reqwest::Client>>,
    sites: Arc<Sites<Robots>>,
    /// Set when the policy refuses private targets.
    public_only: Option<PublicOnly>,
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
    /// The failed attempts before this one, in words ("HTTP 500; retried after 0.4 s").
    pub retries: Vec<String>,
}

/// Why a page could not be fetched, in words for a person, with what it cost.
#[derive(Debug)]
pub struct FetchError {
    pub message: String,
    pub bytes: u64,
    pub requests: u32,
    /// What kept the page out, for the run's diagnostics.
    pub refusal: Refusal,
    /// The failed attempts before the last one, in words.
    pub retries: Vec<String>,
}

/// Why a page was refused, beyond the message: what diagnostics count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Refusal {
    #[default]
    Other,
    /// The site's robots.txt disallows the page.
    Robots,
    /// The site answered with this non-2xx HTTP status.
    Status(u16),
    /// The connection failed, was reset or timed out: it may pass on another try.
    Transient,
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
            refusal: Refusal::Other,
            retries: Vec::new(),
        }
    }
}

/// One response as far as it was read.
struct Response {
    /// Final URL after redirects.
    url: url::Url,
    status: u16,
    /// The body, or why it was not read in full.
    body: Result<Vec<u8>, String>,
    content_type: Option<String>,
    /// How long a 429 or 503 asks us to wait.
    retry_after: Option<Duration>,
}

impl Fetcher {
    pub fn new(policy: FetchPolicy) -> Self {
        Self {
            client: Arc::default(),
            sites: Arc::new(Sites::new(
                policy.site_concurrency,
                policy.retry.pause.clone(),
            )),
            public_only: policy
                .refuse_private_targets
                .then(|| PublicOnly::new(policy.own_pages.clone())),
            policy: Arc::new(policy),
        }
    }

    fn client(&self) -> &reqwest::Client {
        self.client.get_or_init(|| {
            let policy = &self.policy;
            let builder = reqwest::Client::builder()
                .user_agent(policy.user_agent.clone())
                .timeout(policy.timeout)
                .connect_timeout(policy.timeout.min(Duration::from_secs(10)));
            let builder = match &self.public_only {
                Some(rule) => builder
                    .dns_resolver(Arc::new(rule.clone()))
                    .redirect(rule.redirects(MAX_REDIRECTS)),
                None => builder.redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS)),
            };
            builder.build().unwrap_or_default()
        })
    }

    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// Fetches one HTML page, after checking the site's robots.txt when the policy says so,
    /// through the site's gate.
    pub async fn fetch(&self, url: &url::Url) -> Result<FetchedPage, FetchError> {
        let mut cost = Cost::default();
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(cost.fail(format!(
                "{url} is not an http(s) address; the engine only fetches web pages"
            )));
        }
        if let Some(rule) = &self.public_only {
            rule.check(url)
                .map_err(|refused| cost.fail(refused.to_string()))?;
        }
        let site = self.sites.get(&url.origin().ascii_serialization());
        let mut rest = self.policy.delay;
        if self.policy.respect_robots {
            let robots = self.robots(&site, url, &mut cost).await?;
            if !robots.allows(url) {
                return Err(FetchError {
                    refusal: Refusal::Robots,
                    ..cost.fail(format!(
                        "{url} is disallowed by its robots.txt (the engine respects robots.txt; \
                         pass --ignore-robots to override)"
                    ))
                });
            }
            rest = rest.max(robots.crawl_delay);
        }
        let (response, retries) = self.get_with_retries(&site, rest, url, &mut cost).await?;
        let Response {
            url: final_url,
            status,
            body,
            content_type,
            ..
        } = response;
        if !(200..300).contains(&status) {
            let tries = match retries.len() {
                0 => String::new(),
                n => format!(" (after {n} retr{})", if n == 1 { "y" } else { "ies" }),
            };
            return Err(FetchError {
                refusal: Refusal::Status(status),
                retries,
                ..cost.fail(format!("HTTP {status} from {url}{tries}"))
            });
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
            html: text(body),
            bytes: cost.bytes,
            requests: cost.requests,
            retries,
        })
    }

    /// One GET through the site's gate, repeated while it fails in a way that may pass (see
    /// [`retry`]); also the notes of the failed attempts. A `Retry-After` holds the whole site,
    /// so the other pages of every run wait with this one.
    async fn get_with_retries(
        &self,
        site: &Arc<Site<Robots>>,
        rest: Duration,
        url: &url::Url,
        cost: &mut Cost,
    ) -> Result<(Response, Vec<String>), FetchError> {
        let policy = &self.policy.retry;
        let mut retries = Vec::new();
        loop {
            let turn = site.turn(rest).await;
            let got = self.get(url, self.policy.max_page_bytes, cost).await;
            drop(turn);
            let (why, asked) = match &got {
                Ok(r) if retry::retryable_status(r.status) => {
                    (format!("HTTP {}", r.status), r.retry_after)
                }
                Err(e) if e.refusal == Refusal::Transient => (e.message.clone(), None),
                _ => return got.map(|r| (r, retries)),
            };
            let attempt = retries.len() as u32 + 1;
            if attempt > policy.retries {
                return match got {
                    Ok(r) => Ok((r, retries)),
                    Err(e) => Err(FetchError { retries, ..e }),
                };
            }
            let wait = policy.wait(attempt, asked);
            let from_site = if asked.is_some() {
                " (the site's Retry-After)"
            } else {
                ""
            };
            retries.push(format!(
                "{why}; retry {attempt} of {} after {}{from_site}",
                policy.retries,
                retry::seconds(wait),
            ));
            if asked.is_some() {
                // The next turn of every page of the site waits until then.
                site.hold(wait);
            } else {
                policy.pause.wait(wait).await;
            }
        }
    }

    /// The site's robots.txt rules, fetched by the first request to the site and kept.
    async fn robots<'s>(
        &self,
        site: &'s Arc<Site<Robots>>,
        url: &url::Url,
        cost: &mut Cost,
    ) -> Result<&'s Robots, FetchError> {
        site.robots
            .get_or_try_init(|| async {
                let robots_url = url
                    .join("/robots.txt")
                    .map_err(|e| cost.fail(e.to_string()))?;
                let mut turn = site.turn(self.policy.delay).await;
                let Response { status, body, .. } =
                    self.get(&robots_url, ROBOTS_MAX_BYTES, cost).await?;
                let robots = match status {
                    // A robots.txt over the cap counts as none.
                    200..=299 => Robots::parse(&body.unwrap_or_default()),
                    // Server errors: RFC 9309 says assume complete disallow; not kept, so a
                    // later fetch tries again.
                    500..=599 => {
                        return Err(cost.fail(format!(
                            "{robots_url} answered HTTP {status}; until it is reachable the engine \
                             treats the site as disallowed (RFC 9309). Try again later or pass \
                             --ignore-robots"
                        )));
                    }
                    // 4xx (and anything else): no usable robots.txt, everything is allowed.
                    _ => Robots::ALLOW_ALL,
                };
                // The first page waits for the site's Crawl-delay too.
                turn.rest = turn.rest.max(robots.crawl_delay);
                Ok(robots)
            })
            .await
    }

    /// One GET, its body read up to `cap` bytes.
    async fn get(
        &self,
        url: &url::Url,
        cap: usize,
        cost: &mut Cost,
    ) -> Result<Response, FetchError> {
        cost.requests += 1;
        let failed = |e: reqwest::Error, cost: &Cost| FetchError {
            refusal: if retry::transient(&e) && !is_private_refusal(&e) {
                Refusal::Transient
            } else {
                Refusal::Other
            },
            ..cost.fail(describe(&e, url, self.policy.timeout))
        };
        let mut resp = match self.client().get(url.clone()).send().await {
            Ok(resp) => resp,
            Err(e) => return Err(failed(e, cost)),
        };
        let status = resp.status().as_u16();
        let mut response = Response {
            url: resp.url().clone(),
            status,
            body: Ok(Vec::new()),
            content_type: resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            retry_after: retry::retry_after(status, resp.headers()),
        };
        let too_big = || format!("page larger than {} at {url}", human_size(cap));
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            response.body = Err(too_big());
            return Ok(response);
        }
        let mut body = Vec::new();
        loop {
            let chunk = match resp.chunk().await {
                Ok(chunk) => chunk,
                Err(e) => return Err(failed(e, cost)),
            };
            let Some(chunk) = chunk else { break };
            cost.bytes += chunk.len() as u64;
            if body.len() + chunk.len() > cap {
                response.body = Err(too_big());
                return Ok(response);
            }
            body.extend_from_slice(&chunk);
        }
        response.body = Ok(body);
        Ok(response)
    }
}

/// Whether the private-address guard refused the connection.
fn is_private_refusal(err: &reqwest::Error) -> bool {
    let mut cause: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = cause {
        if e.downcast_ref::<PrivateTarget>().is_some() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// A body as text: valid UTF-8 (nearly every page) is taken as it is, without a copy; other
/// bytes are replaced by U+FFFD.
fn text(body: Vec<u8>) -> String {
    String::from_utf8(body)
        .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned())
}

/// A transport error in words: timeouts, refused connections, unknown hosts, redirect loops.
fn describe(err: &reqwest::Error, url: &url::Url, timeout: Duration) -> String {
    let host = url.host_str().unwrap_or("the server");
    let mut cause: &dyn std::error::Error = err;
    loop {
        if let Some(refused) = cause.downcast_ref::<PrivateTarget>() {
            return refused.to_string();
        }
        match cause.source() {
            Some(next) => cause = next,
            None => break,
        }
    }
    if err.is_timeout() {
        return format!(
            "timed out after {} s waiting for {url}; the site is slow or not answering",
            timeout.as_secs()
        );
    }
    if err.is_redirect() {
        return format!("{url} redirects too often (more than {MAX_REDIRECTS} redirects)");
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
        listen(pages(robots)).await
    }

    /// When each request reached a test site.
    type Arrivals = Arc<std::sync::Mutex<Vec<std::time::Instant>>>;

    /// [`serve`], noting when each request arrives.
    async fn serve_logged(robots: Option<&'static str>) -> (url::Url, Arrivals) {
        let arrivals = Arrivals::default();
        let log = arrivals.clone();
        let app = pages(robots).layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                log.lock().unwrap().push(std::time::Instant::now());
                next.run(req)
            },
        ));
        (listen(app).await, arrivals)
    }

    /// The shortest time between two requests that reached a site.
    fn smallest_gap(arrivals: &Arrivals) -> Duration {
        let times = arrivals.lock().unwrap();
        times
            .windows(2)
            .map(|w| w[1] - w[0])
            .min()
            .expect("at least two requests")
    }

    async fn listen(app: axum::Router) -> url::Url {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url::Url::parse(&format!("http://{addr}/")).unwrap()
    }

    fn pages(robots: Option<&'static str>) -> axum::Router {
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
            )
            .route(
                "/demo/page",
                get(|| async { axum::response::Html("<p>demo</p>") }),
            )
            .route(
                "/demo/out",
                get(|| async { axum::response::Redirect::to("/page") }),
            );
        if let Some(text) = robots {
            app = app.route("/robots.txt", get(move || async move { text }));
        }
        app
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
    async fn a_delay_spaces_requests_to_one_site_while_other_sites_go_on() {
        let (slow, slow_arrivals) = serve_logged(None).await;
        let (fast, fast_arrivals) = serve_logged(None).await;
        let delay = Duration::from_millis(500);
        let fetcher = Fetcher::new(FetchPolicy {
            delay,
            respect_robots: false,
            ..FetchPolicy::default()
        });
        let page = slow.join("page").unwrap();
        fetcher.fetch(&page).await.unwrap();
        let second = tokio::spawn({
            let fetcher = fetcher.clone();
            async move { fetcher.fetch(&page).await.map(drop) }
        });
        fetcher.fetch(&fast.join("page").unwrap()).await.unwrap();
        second.await.unwrap().unwrap();
        assert!(smallest_gap(&slow_arrivals) >= delay);
        let fast_arrival = fast_arrivals.lock().unwrap()[0];
        assert!(
            fast_arrival < slow_arrivals.lock().unwrap()[1],
            "the other site was served while the first one rested"
        );
    }

    #[tokio::test]
    async fn the_crawl_delay_of_robots_txt_spaces_requests_from_the_first_page_on() {
        let (base, arrivals) =
            serve_logged(Some("User-agent: *\nCrawl-delay: 0.3\nDisallow: /big\n")).await;
        let fetcher = Fetcher::new(FetchPolicy::default());
        fetcher.fetch(&base.join("page").unwrap()).await.unwrap();
        fetcher.fetch(&base.join("page").unwrap()).await.unwrap();
        assert_eq!(
            arrivals.lock().unwrap().len(),
            3,
            "robots.txt and two pages"
        );
        assert!(smallest_gap(&arrivals) >= Duration::from_millis(300));
        let err = fetcher.fetch(&base.join("big").unwrap()).await.unwrap_err();
        assert!(
            err.message.contains("disallowed by its robots.txt"),
            "{err}"
        );
    }

    /// Counts the requests a held site has in flight; each is answered when the test adds a
    /// permit to `release`.
    #[derive(Clone)]
    struct Held {
        in_flight: Arc<std::sync::atomic::AtomicUsize>,
        most: Arc<std::sync::atomic::AtomicUsize>,
        arrived: Arc<tokio::sync::watch::Sender<usize>>,
        release: Arc<tokio::sync::Semaphore>,
    }

    async fn hold(
        axum::extract::State(held): axum::extract::State<Held>,
    ) -> axum::response::Html<&'static str> {
        use std::sync::atomic::Ordering::SeqCst;
        let now = held.in_flight.fetch_add(1, SeqCst) + 1;
        held.most.fetch_max(now, SeqCst);
        held.arrived.send_modify(|n| *n += 1);
        held.release.acquire().await.unwrap().forget();
        held.in_flight.fetch_sub(1, SeqCst);
        axum::response::Html("<p>held</p>")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_site_never_has_more_requests_in_flight_than_the_limit() {
        let held = Held {
            in_flight: Arc::default(),
            most: Arc::default(),
            arrived: Arc::default(),
            release: Arc::new(tokio::sync::Semaphore::new(0)),
        };
        let mut arrived = held.arrived.subscribe();
        let base = listen(
            axum::Router::new()
                .route("/hold", get(hold))
                .with_state(held.clone()),
        )
        .await;
        let fetcher = Fetcher::new(FetchPolicy {
            site_concurrency: 2,
            respect_robots: false,
            ..FetchPolicy::default()
        });
        let url = base.join("hold").unwrap();
        let fetches: Vec<_> = (0..5)
            .map(|_| {
                let (fetcher, url) = (fetcher.clone(), url.clone());
                tokio::spawn(async move { fetcher.fetch(&url).await.map(drop) })
            })
            .collect();
        // Answer one request each time a new one may arrive: with the limit broken, all five
        // would be in flight before the first answer.
        for seen in 2..=5 {
            arrived.wait_for(|n| *n >= seen).await.unwrap();
            held.release.add_permits(1);
        }
        held.release.add_permits(4);
        for fetch in fetches {
            fetch.await.unwrap().unwrap();
        }
        assert_eq!(held.most.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    fn public_only(own_pages: Option<url::Url>) -> Fetcher {
        Fetcher::new(FetchPolicy {
            refuse_private_targets: true,
            own_pages,
            ..FetchPolicy::default()
        })
    }

    #[tokio::test]
    async fn private_targets_are_refused_naming_the_address_and_the_flag() {
        let base = serve(None).await;
        let fetcher = public_only(None);
        let err = fetcher
            .fetch(&base.join("page").unwrap())
            .await
            .unwrap_err();
        assert!(
            err.message.starts_with("127.0.0.1 is a loopback address;"),
            "{err}"
        );
        assert!(err.message.contains("--allow-private-targets"), "{err}");
        assert_eq!(err.requests, 0, "refused before any request");
        let v6 = url::Url::parse("http://[::1]:9/page").unwrap();
        let err = fetcher.fetch(&v6).await.unwrap_err();
        assert!(
            err.message.starts_with("::1 is a loopback address;"),
            "{err}"
        );
        // A name is checked once resolved: localhost is 127.0.0.1 or ::1.
        let mut named = base.join("page").unwrap();
        named.set_host(Some("localhost")).unwrap();
        let err = fetcher.fetch(&named).await.unwrap_err();
        assert!(err.message.starts_with("localhost resolves to "), "{err}");
        assert!(err.message.contains("loopback address"), "{err}");
        assert!(err.message.contains("--allow-private-targets"), "{err}");
    }

    #[tokio::test]
    async fn the_engines_own_pages_are_allowed_but_not_a_redirect_out_of_them() {
        let base = serve(None).await;
        let fetcher = public_only(Some(base.join("demo/").unwrap()));
        let page = fetcher
            .fetch(&base.join("demo/page").unwrap())
            .await
            .unwrap();
        assert_eq!(page.html, "<p>demo</p>");
        let err = fetcher
            .fetch(&base.join("demo/out").unwrap())
            .await
            .unwrap_err();
        assert!(
            err.message.starts_with("127.0.0.1 is a loopback address;"),
            "{err}"
        );
        let err = fetcher
            .fetch(&base.join("page").unwrap())
            .await
            .unwrap_err();
        assert!(err.message.contains("loopback"), "{err}");
    }
}
