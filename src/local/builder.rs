//! The local Agent Builder: turns a plain-language prompt into an agent definition.

use super::definition::AgentDefinition;
use super::fetch::Fetcher;

pub struct BuilderNote {
    pub kind: String,
    pub payload: serde_json::Map<String, serde_json::Value>,
}

pub struct BuildOutcome {
    pub name: String,
    pub definition: AgentDefinition,
    pub sample_records: Vec<serde_json::Map<String, serde_json::Value>>,
}

pub async fn build_agent(
    prompt: &str,
    fetcher: &Fetcher,
    notes: tokio::sync::mpsc::UnboundedSender<BuilderNote>,
    cancel: tokio_util::sync::CancellationToken,
) -> Result<BuildOutcome, String> {
    let _ = (prompt, fetcher, notes, cancel);
    todo!()
}
