//! What the runner saw of each page, for diagnostics: fetch time, HTTP status, records, and
//! what went wrong (robots refusals, blocked pages, pages that need JavaScript, selectors that
//! matched nothing). Bounded per run: the first pages, then only the pages with a problem, so a
//! long run keeps a few kilobytes, written in each page's existing commit.
//!
//! A problem is stored as `<kind>: <detail>`; `local::diagnose` counts the kinds.

use url::Url;

use super::{
    fetch::{FetchError, Refusal},
    pages::ReadPage,
};
use crate::api::analytics::PageTraceWire;

/// Pages kept whatever happened on them.
const FIRST_PAGES: u32 = 20;
/// Pages kept per run in all.
const MAX_PAGES: u32 = 200;

/// Problem kinds.
pub const ROBOTS: &str = "robots";
pub const BLOCKED: &str = "blocked";
pub const JAVASCRIPT: &str = "javascript";
pub const NO_RECORDS: &str = "no records";
pub const DROPPED: &str = "dropped";
pub const UNREADABLE: &str = "unreadable";
/// Read, but only after retries.
pub const RETRIED: &str = "retried";

/// The pages one run keeps.
#[derive(Default)]
pub struct PageTrail {
    seen: u32,
    kept: u32,
}

impl PageTrail {
    /// `page` when the run keeps it.
    pub fn keep(&mut self, page: PageTraceWire) -> Option<PageTraceWire> {
        self.seen += 1;
        let keep = self.kept < MAX_PAGES && (self.seen <= FIRST_PAGES || page.problem.is_some());
        keep.then(|| {
            self.kept += 1;
            page
        })
    }
}

/// A page that could not be read.
pub fn unread(url: &Url, e: &FetchError) -> PageTraceWire {
    let (http_status, problem) = match e.refusal {
        Refusal::Robots => (
            None,
            format!("{ROBOTS}: disallowed by the site's robots.txt"),
        ),
        Refusal::Status(status) => (Some(status), status_problem(status)),
        Refusal::Other | Refusal::Transient => (None, format!("{UNREADABLE}: {}", e.message)),
    };
    PageTraceWire {
        url: url.to_string(),
        http_status,
        fetch_ms: None,
        records: 0,
        problem: Some(problem),
    }
}

/// A page that was read; `records` is what it yielded.
pub fn read(url: &Url, page: &ReadPage) -> PageTraceWire {
    let extraction = &page.extraction;
    let records = extraction.records.len() as u64;
    let problem = if page.status >= 400 {
        Some(status_problem(page.status))
    } else if page.captcha {
        Some(format!(
            "{BLOCKED}: the site answered with a CAPTCHA or bot check"
        ))
    } else if records == 0 && extraction.needs_javascript {
        Some(format!(
            "{JAVASCRIPT}: the page builds its content with JavaScript"
        ))
    } else if records == 0 && extraction.dropped == 0 {
        Some(format!("{NO_RECORDS}: the record selector matched nothing"))
    } else if extraction.dropped > 0 {
        Some(format!(
            "{DROPPED}: {} of {} record(s) lacked the required field(s) {}",
            extraction.dropped,
            records + u64::from(extraction.dropped),
            extraction.dropped_by.join(", ")
        ))
    } else {
        page.retries.last().map(|last| {
            format!(
                "{RETRIED}: read after {} failed attempt(s), the last: {last}",
                page.retries.len()
            )
        })
    };
    PageTraceWire {
        url: url.to_string(),
        http_status: Some(page.status),
        fetch_ms: Some(page.fetch_ms),
        records,
        problem,
    }
}

fn status_problem(status: u16) -> String {
    match status {
        401 | 403 => format!("{BLOCKED}: HTTP {status} (access refused)"),
        429 => format!("{BLOCKED}: HTTP 429 (too many requests)"),
        _ => format!("{UNREADABLE}: HTTP {status}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(problem: bool) -> PageTraceWire {
        PageTraceWire {
            problem: problem.then(|| "x".into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_first_pages_and_then_only_problem_pages_are_kept_up_to_the_bound() {
        let mut trail = PageTrail::default();
        let kept = (0..FIRST_PAGES)
            .filter(|_| trail.keep(page(false)).is_some())
            .count();
        assert_eq!(kept as u32, FIRST_PAGES);
        assert!(trail.keep(page(false)).is_none());
        let problems = (0..1000)
            .filter(|_| trail.keep(page(true)).is_some())
            .count();
        assert_eq!(problems as u32, MAX_PAGES - FIRST_PAGES);
    }

    #[test]
    fn refusals_are_named_by_kind() {
        let url = Url::parse("https://x.test/").unwrap();
        let err = |refusal| FetchError {
            message: "m".into(),
            bytes: 0,
            requests: 1,
            refusal,
            retries: Vec::new(),
        };
        let problem = |r| unread(&url, &err(r)).problem.unwrap();
        assert!(problem(Refusal::Robots).starts_with("robots:"));
        assert!(problem(Refusal::Status(429)).starts_with("blocked:"));
        assert!(problem(Refusal::Status(404)).starts_with("unreadable: HTTP 404"));
        assert!(problem(Refusal::Other).starts_with("unreadable: m"));
    }
}
