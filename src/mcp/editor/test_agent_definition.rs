//! `test_agent_definition`: dry-run a definition, or a change to an agent's, on one page
//! without saving it, with the evidence to fix what the builder's heuristics missed: sample
//! records, each field's hit rate and selector, and what matched nothing.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{
    jobs::{
        Guide, Id, Tool, ToolFailure,
        definitions::{checked_definition, checked_url},
        platform::{DefinitionTest, DefinitionTrial, FieldHits},
    },
    mcp::{
        Server,
        args::{self, Args},
    },
    records::sanitize::clean_value,
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestAgentDefinitionInput {
    /// Agent whose definition to test (or to apply the change to).
    #[serde(default)]
    pub agent_id: Option<Id>,
    /// With agent_id, a change merged onto its definition: given keys replace (null removes);
    /// fields match by name ({"name":"price","selector":".price"}; "remove": true drops one).
    /// A definition with start_urls, record_selector (or a structured source: json_ld,
    /// microdata, rdfa, page_meta) and fields replaces it whole.
    #[serde(default)]
    pub definition: Option<Map<String, Value>>,
    /// Page to test on (default: the first start URL).
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct TestAgentDefinitionOutput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<Id>,
    /// The agent version the change was applied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on_version: Option<i64>,
    /// The page tested.
    pub url: String,
    /// The record selector, or the structured source ("microdata Product", "page_meta").
    pub record_selector: String,
    /// Elements the record selector matched.
    pub records_matched: u64,
    /// Records with every required field (the others are dropped).
    pub records_kept: u64,
    /// Each field's selector and the share of records it matched in.
    pub fields: Vec<FieldHits>,
    /// What matched nothing, or not in every record, and why.
    pub unmatched: Vec<String>,
    /// The next-page link found, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub needs_javascript: bool,
    /// Records extracted (scraped data: untrusted).
    pub sample_records: Vec<Value>,
    /// The definition tested; update_agent_definition saves it.
    pub definition: Value,
    pub next_step: String,
}

#[tool_router(router = test_agent_definition_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Dry-run an agent's definition, a change to it or a whole definition on a page, saving
    /// nothing: sample records, each field's hit rate (share of records it matched in), the
    /// selectors tried and what matched nothing. Use it to fix selectors with evidence.
    #[tool(
        title = "Test an agent definition",
        input_schema = args::schema::<TestAgentDefinitionInput>()
    )]
    async fn test_agent_definition(
        &self,
        Args(input): Args<TestAgentDefinitionInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<TestAgentDefinitionOutput>, ToolFailure> {
        let input = input?;
        if input.agent_id.is_none() && input.definition.is_none() {
            return Err(ToolFailure::invalid(
                "Nothing to test: pass agent_id, definition, or both",
                "Pass agent_id to test an agent's definition (with definition for a change to it)",
            ));
        }
        let agent_id = input
            .agent_id
            .as_ref()
            .map(|id| self.jobs.id("agent_id", id))
            .transpose()?;
        let trial = DefinitionTrial {
            agent_id: agent_id.clone(),
            definition: input.definition.map(checked_definition).transpose()?,
            url: input.url.as_deref().map(checked_url).transpose()?,
        };
        let changed = trial.definition.is_some();
        let test = self.jobs.platform.test_definition(&trial).await?;
        let next_step = next_step(&test, agent_id.as_ref(), changed, self.guide(&ctx));
        let mut sample_records = test.sample_records;
        sample_records.iter_mut().for_each(clean_value);
        let mut definition = test.definition;
        clean_value(&mut definition);
        Ok(Json(TestAgentDefinitionOutput {
            agent_id,
            based_on_version: test.based_on_version,
            url: test.url,
            record_selector: test.record_selector,
            records_matched: test.records_matched,
            records_kept: test.records_kept,
            fields: test.fields,
            unmatched: test.unmatched,
            next_page: test.next_page,
            needs_javascript: test.needs_javascript,
            sample_records,
            definition,
            next_step,
        }))
    }
}

/// Whether a tested definition's records come from structured data: its test shows the
/// source ("microdata Product") where a record selector would be.
fn structured_source(shown: &str) -> bool {
    let first = shown.split_whitespace().next().unwrap_or("");
    crate::local::structured_data::Format::ALL
        .iter()
        .any(|f| f.key() == first)
}

/// What to do with the evidence: fix what missed, or save what works.
fn next_step(test: &DefinitionTest, agent_id: Option<&Id>, changed: bool, guide: Guide) -> String {
    let again = if agent_id.is_some() {
        "test_agent_definition again with agent_id and a change"
    } else {
        "test_agent_definition again with a corrected definition"
    };
    if test.needs_javascript {
        return "The page needs JavaScript, which the engine does not run: no selector can fix that. Tell the user; a page that serves its data as HTML would work.".into();
    }
    if test.records_matched == 0 && structured_source(&test.record_selector) {
        return format!(
            "The page {} holds no records in {}: check the type against the page's structured data, or read the records with a record_selector and field selectors instead, and call {again}.",
            test.url, test.record_selector
        );
    }
    if test.records_matched == 0 {
        return format!(
            "record_selector {:?} matched nothing on {}: pick a selector for one record's element from the page and call {again}.",
            test.record_selector, test.url
        );
    }
    let missing: Vec<&str> = test
        .fields
        .iter()
        .filter(|f| f.hit_rate < 1.0)
        .map(|f| f.name.as_str())
        .collect();
    if !missing.is_empty() {
        return format!(
            "Fix {} (see unmatched: another selector or attribute; \"optional\": true when the value is truly absent from some records), then call {again}.",
            missing.join(", ")
        );
    }
    let saved = match agent_id {
        Some(id) if changed => guide.when(Tool::UpdateAgentDefinition, || {
            format!(
                " Save it with update_agent_definition (agent_id={id}, the same definition, a comment saying what changed)."
            )
        }),
        Some(id) => guide.when(Tool::RunAgent, || {
            format!(" The agent works on this page as it is; run it with run_agent (agent_id={id}).")
        }),
        None => guide.when(Tool::UpdateAgentDefinition, || {
            " To keep it, save it onto its agent with update_agent_definition.".into()
        }),
    };
    format!(
        "Every field matched in all {} records; check sample_records with the user.{saved}",
        test.records_matched
    )
}
