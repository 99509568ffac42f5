//! Extraction of records from one fetched page according to an agent definition.

use super::definition::AgentDefinition;

pub struct PageExtraction {
    pub records: Vec<serde_json::Map<String, serde_json::Value>>,
    pub dropped: u32,
    pub next_page: Option<url::Url>,
    pub needs_javascript: bool,
}

pub fn extract_page(def: &AgentDefinition, html: &str, page_url: &url::Url) -> PageExtraction {
    let _ = (def, html, page_url);
    todo!()
}
