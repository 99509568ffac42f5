//! Second chances for pages that failed in a way that often passes: a server error, a timeout,
//! a connection reset. Real sites hiccup; a run that gave up on the first 500 would lose every
//! page behind it.
//!
//! What is retried follows Scrapy's defaults (HTTP 408, 429, 500, 502, 503, 504, 522 and 524,
//! and transport failures). The waits grow exponentially with jitter, so runs that failed
//! together do not come back together; a 429 or 503 with `Retry-After` is waited out (up to a
//! cap), and the whole site waits with it. The waits go through [`Pause`], which tests replace
//! to run on injected time.

use std::{fmt, future::Future, pin::Pin, sync::Arc, time::Duration};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How long a wait takes: real time in the engine, whatever a test injects.
#[derive(Clone)]
pub struct Pause(Arc<dyn Fn(Duration) -> PauseFuture + Send + Sync>);

type PauseFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

impl Pause {
    /// A pause that waits by running `wait` (tests record the durations and return at once).
    pub fn new(wait: impl Fn(Duration) -> PauseFuture + Send + Sync + 'static) -> Pause {
        Pause(Arc::new(wait))
    }

    pub async fn wait(&self, duration: Duration) {
        if !duration.is_zero() {
            (self.0)(duration).await;
        }
    }
}

impl Default for Pause {
    /// Waits on tokio's clock.
    fn default() -> Self {
        Pause::new(|d| Box::pin(tokio::time::sleep(d)))
    }
}

impl fmt::Debug for Pause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pause")
    }
}

/// How the engine retries a page that failed in a way that may pass.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Further attempts after the first one.
    pub retries: u32,
    /// The wait before the first retry; each later one waits twice as long (both with up to
    /// half of it taken off at random).
    pub backoff: Duration,
    /// The longest `Retry-After` honoured; a site asking for more is retried after this long.
    pub max_retry_after: Duration,
    pub pause: Pause,
}

/// Retries by default, as Scrapy does.
pub const DEFAULT_RETRIES: u32 = 2;

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retries: DEFAULT_RETRIES,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            pause: Pause::default(),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry `attempt` (1 for the first): the site's `Retry-After`, capped, or
    /// the backoff doubled per attempt with jitter.
    pub(super) fn wait(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(asked) = retry_after {
            return asked.min(self.max_retry_after);
        }
        let full = self
            .backoff
            .saturating_mul(1 << attempt.saturating_sub(1).min(16));
        full.mul_f64(1.0 - fastrand::f64() / 2.0)
    }
}

/// Statuses worth a second try: the server was overloaded, restarting or timed out.
pub(super) fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504 | 522 | 524)
}

/// The `Retry-After` of a 429 or 503: seconds, or an HTTP date (RFC 9110, section 10.2.3).
pub(super) fn retry_after(status: u16, headers: &HeaderMap) -> Option<Duration> {
    if !matches!(status, 429 | 503) {
        return None;
    }
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .ok()
}

/// A transport failure that may pass: a timeout, a refused or reset connection, a body cut
/// short. Refusals by the private-address guard are not: they would fail the same way.
pub(super) fn transient(err: &reqwest::Error) -> bool {
    if err.is_timeout() || err.is_connect() || err.is_body() {
        return true;
    }
    let mut cause = std::error::Error::source(err);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            return matches!(
                io.kind(),
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof | TimedOut
            );
        }
        // hyper's "connection closed before message completed" has no io::Error below it.
        if e.to_string()
            .contains("connection closed before message completed")
        {
            return true;
        }
        cause = e.source();
    }
    false
}

/// A wait in words for the run log: "0.4 s", "7 s".
pub(super) fn seconds(wait: Duration) -> String {
    let secs = wait.as_secs_f64();
    if secs < 10.0 && secs.fract() != 0.0 {
        format!("{secs:.1} s")
    } else {
        format!("{} s", secs.round())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_retry_after_is_capped() {
        let policy = RetryPolicy {
            backoff: Duration::from_secs(2),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let first = policy.wait(1, None);
            assert!(first >= Duration::from_secs(1) && first <= Duration::from_secs(2));
            let second = policy.wait(2, None);
            assert!(second >= Duration::from_secs(2) && second <= Duration::from_secs(4));
        }
        let asked = Some(Duration::from_secs(7));
        assert_eq!(policy.wait(1, asked), Duration::from_secs(7));
        let greedy = Some(Duration::from_secs(3600));
        assert_eq!(policy.wait(1, greedy), Duration::from_secs(60));
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_a_date_on_429_and_503_only() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(429, &headers), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(503, &headers), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(500, &headers), None);
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        headers.insert(RETRY_AFTER, soon.parse().unwrap());
        let wait = retry_after(429, &headers).unwrap();
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(429, &headers), None);
    }

    #[test]
    fn only_passing_failures_are_retried() {
        for status in [408, 429, 500, 502, 503, 504, 522, 524] {
            assert!(retryable_status(status), "{status}");
        }
        for status in [200, 301, 400, 401, 403, 404, 501] {
            assert!(!retryable_status(status), "{status}");
        }
    }
}
