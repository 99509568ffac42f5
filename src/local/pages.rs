//! Reading a run's pages: each page is fetched and its records extracted, and the pages a run
//! knows from the start (its start URLs) are read ahead, several at once, while the run stores
//! the pages before them.
//!
//! The run still asks for its pages one by one, in its own order, and gets each page's records
//! whole, so records keep page order whatever order the reads finish in. How many requests
//! really go to one site at once is the fetcher's per-site limit; the read-ahead only keeps
//! that many pages under way.

use std::{collections::VecDeque, sync::Arc};

use tokio_util::task::AbortOnDropHandle;
use url::Url;

use super::{
    definition::AgentDefinition,
    extract::{Extractor, PageExtraction},
    fetch::{FetchError, Fetcher},
};

/// One page, fetched and extracted.
#[derive(Debug)]
pub struct ReadPage {
    pub status: u16,
    /// Time to fetch the page (robots.txt and the site's politeness wait included).
    pub fetch_ms: u64,
    /// The page yielded nothing and looks like a CAPTCHA or bot check.
    pub captcha: bool,
    /// Body bytes read, robots.txt included.
    pub bytes: u64,
    /// HTTP requests made, robots.txt included.
    pub requests: u32,
    pub extraction: PageExtraction,
    /// The page's HTML, kept only when the agent saves its pages.
    pub html: Option<String>,
    /// The failed attempts before the page was read, in words.
    pub retries: Vec<String>,
}

/// Reads the pages of one run. Dropping it abandons the reads ahead (a stopped run does not
/// wait for pages it will not store).
pub struct PageReader {
    fetcher: Fetcher,
    rules: Arc<PageRules>,
    /// Known pages not started yet, in the run's order.
    pending: VecDeque<Url>,
    /// Known pages being read, in the run's order.
    ahead: VecDeque<(Url, AbortOnDropHandle<Result<ReadPage, FetchError>>)>,
    /// Pages read ahead at once.
    window: usize,
}

impl PageReader {
    /// A reader for a run of `def`, reading the `known` pages (its start URLs, or the pages a
    /// resumed run lost) ahead, each once.
    pub fn new<'u>(
        fetcher: Fetcher,
        def: &AgentDefinition,
        known: impl IntoIterator<Item = &'u Url>,
    ) -> PageReader {
        let mut pending = VecDeque::new();
        for url in known {
            if !pending.contains(url) {
                pending.push_back(url.clone());
            }
        }
        PageReader {
            window: fetcher.policy().site_concurrency.max(1),
            fetcher,
            rules: Arc::new(PageRules {
                extractor: Extractor::new(def),
                save_pages: def.save_pages,
            }),
            pending,
            ahead: VecDeque::new(),
        }
    }

    /// Reads `url`: the read started ahead when it is a known page, else a read now.
    pub async fn read(&mut self, url: &Url) -> Result<ReadPage, FetchError> {
        self.fill();
        let Some(at) = self.ahead.iter().position(|(known, _)| known == url) else {
            return read_page(self.fetcher.clone(), self.rules.clone(), url.clone()).await;
        };
        let (_, task) = self.ahead.remove(at).expect("the position was just found");
        // The window stays full while this page is awaited and stored.
        self.fill();
        task.await.unwrap_or_else(|e| {
            Err(FetchError {
                message: format!("reading {url} failed: {e}"),
                bytes: 0,
                requests: 0,
                refusal: Default::default(),
                retries: Vec::new(),
            })
        })
    }

    fn fill(&mut self) {
        while self.ahead.len() < self.window {
            let Some(url) = self.pending.pop_front() else {
                return;
            };
            let read = read_page(self.fetcher.clone(), self.rules.clone(), url.clone());
            self.ahead
                .push_back((url, AbortOnDropHandle::new(tokio::spawn(read))));
        }
    }
}

/// What a run does with each page it reads, shared by the reads under way.
struct PageRules {
    extractor: Extractor,
    /// Keep each page's HTML (the definition's `save_pages`).
    save_pages: bool,
}

/// Pages up to this size are extracted on the async worker that fetched them; larger ones,
/// which can take milliseconds, on a blocking thread so they do not hold up other runs.
const INLINE_EXTRACTION_BYTES: usize = 128 * 1024;

/// Fetches one page and extracts its records; large pages are extracted off the async workers.
async fn read_page(
    fetcher: Fetcher,
    rules: Arc<PageRules>,
    url: Url,
) -> Result<ReadPage, FetchError> {
    let started = std::time::Instant::now();
    let mut page = fetcher.fetch(&url).await?;
    let fetch_ms = started.elapsed().as_millis() as u64;
    let (status, bytes, requests) = (page.status, page.bytes, page.requests);
    let retries = std::mem::take(&mut page.retries);
    let (extraction, captcha, html) = if page.html.len() <= INLINE_EXTRACTION_BYTES {
        // A typical page is extracted in well under a millisecond: here, on the async worker,
        // rather than through a hand-off to a blocking thread and back, which costs more.
        let extraction = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            rules.extractor.extract(&page.html, &page.url)
        }))
        .unwrap_or_else(|_| {
            tracing::warn!("extraction panicked");
            PageExtraction::default()
        });
        // Looked for only on pages without records, so ordinary pages cost nothing more
        // (bot checks are small pages).
        let captcha = extraction.records.is_empty() && looks_like_bot_check(&page.html);
        (extraction, captcha, rules.save_pages.then_some(page.html))
    } else {
        let (extraction, html) = tokio::task::spawn_blocking(move || {
            let extraction = rules.extractor.extract(&page.html, &page.url);
            (extraction, rules.save_pages.then_some(page.html))
        })
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "extraction task failed");
            (PageExtraction::default(), None)
        });
        (extraction, false, html)
    };
    Ok(ReadPage {
        status,
        fetch_ms,
        captcha,
        bytes,
        requests,
        extraction,
        html,
        retries,
    })
}

/// Words of CAPTCHA and bot-check pages ("verify you are human").
const BOT_CHECK_MARKERS: [&str; 5] = [
    "captcha",
    "are you a robot",
    "verify you are human",
    "cf-challenge",
    "unusual traffic",
];

fn looks_like_bot_check(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    BOT_CHECK_MARKERS.iter().any(|m| lower.contains(m))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::{
        extract::{Path, State},
        response::Html,
        routing::get,
    };
    use tokio::sync::watch;

    use super::*;
    use crate::local::fetch::FetchPolicy;

    /// Pages `/p/1` … `/p/N`, each answered only once every higher page was answered, so
    /// the pages finish in reverse order, and only if they are all requested at once.
    async fn reverse_site(pages: usize) -> Url {
        let (answered, _) = watch::channel(0usize);
        let app = axum::Router::new()
            .route(
                "/p/{n}",
                get(
                    move |Path(n): Path<usize>,
                          State(answered): State<Arc<watch::Sender<usize>>>| async move {
                        let mut seen = answered.subscribe();
                        seen.wait_for(|done| *done >= pages - n).await.unwrap();
                        answered.send_modify(|done| *done += 1);
                        Html(format!("<ul><li>record {n}</li></ul>"))
                    },
                ),
            )
            .with_state(Arc::new(answered));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        base
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn known_pages_are_read_at_once_and_handed_over_in_the_run_order() {
        let base = reverse_site(3).await;
        let urls: Vec<Url> = (1..=3)
            .map(|n| base.join(&format!("p/{n}")).unwrap())
            .collect();
        let def: AgentDefinition = serde_json::from_value(serde_json::json!({
            "start_urls": urls.iter().map(Url::as_str).collect::<Vec<_>>(),
            "record_selector": "li",
            "fields": [{"name": "name", "selector": ""}]
        }))
        .unwrap();
        let fetcher = Fetcher::new(FetchPolicy {
            site_concurrency: 3,
            respect_robots: false,
            ..FetchPolicy::default()
        });
        let mut reader = PageReader::new(fetcher, &def, &urls);
        // Read one by one, page 1 could only be answered after pages 2 and 3: a reader that
        // does not read ahead never gets it.
        for (n, url) in urls.iter().enumerate() {
            let page = tokio::time::timeout(Duration::from_secs(10), reader.read(url))
                .await
                .expect("the known pages are read at once")
                .unwrap();
            assert_eq!(
                page.extraction.records[0]["name"],
                format!("record {}", n + 1)
            );
        }
    }
}
