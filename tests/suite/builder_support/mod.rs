//! What the Agent Builder tests share: building from a prompt with the narration collected,
//! and reading every page of a built agent the way a run does.

use std::collections::HashSet;

use sequentum_mcp::local::builder::{BuildOutcome, BuilderNote, build_agent};
use sequentum_mcp::local::definition::AgentDefinition;
use sequentum_mcp::local::extract::extract_page;
use sequentum_mcp::local::fetch::{FetchPolicy, Fetcher};
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

/// Builds an agent from `prompt`; the result and every note the builder made.
pub async fn build(prompt: &str) -> (Result<BuildOutcome, String>, Vec<BuilderNote>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fetcher = Fetcher::new(FetchPolicy::default());
    let result = build_agent(prompt, &fetcher, tx, CancellationToken::new()).await;
    let mut notes = Vec::new();
    while let Ok(n) = rx.try_recv() {
        notes.push(n);
    }
    (result, notes)
}

/// Follows the agent's next-page links like a run does (stopping at a page already read) and
/// returns every record and the number of pages read.
pub async fn run_all_pages(def: &AgentDefinition) -> (Vec<Map<String, Value>>, usize) {
    let fetcher = Fetcher::new(FetchPolicy::default());
    let mut url = url::Url::parse(&def.start_urls[0]).unwrap();
    let mut seen = HashSet::new();
    let mut records = Vec::new();
    while seen.len() < def.max_pages() as usize && seen.insert(url.clone()) {
        let page = fetcher.fetch(&url).await.unwrap();
        let out = extract_page(def, &page.html, &page.url);
        records.extend(out.records);
        match out.next_page {
            Some(next) => url = next,
            None => break,
        }
    }
    (records, seen.len())
}

/// The text of every note of `kind`, joined, for asserting what the user was told.
pub fn said(notes: &[BuilderNote], kind: &str) -> String {
    notes
        .iter()
        .filter(|n| n.kind == kind)
        .filter_map(|n| n.payload.get("message").and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join("\n")
}
