//! Polite, bounded page fetching for the embedded engine.

use std::time::Duration;

/// How the engine fetches pages: who it says it is, how long and how much it reads.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    pub user_agent: String,
    pub timeout: Duration,
    pub max_page_bytes: usize,
    pub max_pages_per_run: u32,
    pub delay: Duration,
    pub respect_robots: bool,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        Self {
            user_agent: format!(
                "sequentum-mcp/{} (+https://github.com/sequentum/sequentum-mcp; local engine)",
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

#[derive(Clone)]
pub struct Fetcher {
    policy: std::sync::Arc<FetchPolicy>,
}

pub struct FetchedPage {
    pub url: url::Url,
    pub status: u16,
    pub html: String,
    pub bytes: u64,
    pub requests: u32,
}

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

impl Fetcher {
    pub fn new(policy: FetchPolicy) -> Self {
        Self {
            policy: std::sync::Arc::new(policy),
        }
    }

    pub async fn fetch(&self, url: &url::Url) -> Result<FetchedPage, FetchError> {
        let _ = url;
        todo!()
    }

    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }
}
