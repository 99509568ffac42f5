//! `update_agent_definition`: try a definition (or a change to the agent's) on the agent's start
//! page, and save it as the agent's next version with a comment unless the test shows it would
//! break the agent (no records kept, or fields the agent does not have), which `force`
//! overrides.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{
    jobs::{
        Code, Id, Tool, ToolFailure,
        definitions::{ChangeTest, checked_definition},
        failure::bounded_text,
    },
    mcp::{
        Server,
        args::{self, Args},
    },
    records::sanitize::clean_value,
};

/// Longest version comment accepted.
const MAX_COMMENT_CHARS: usize = 500;

/// Records of the tested page shown in the answer.
const SAMPLE_RECORDS: usize = 3;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAgentDefinitionInput {
    /// Agent to update.
    pub agent_id: Id,
    /// The definition, or a change merged onto the current one as test_agent_definition does.
    pub definition: Map<String, Value>,
    /// What changed and why, kept with the version (1 to 500 characters).
    pub comment: String,
    /// Save even when the test on the start page keeps 0 records or the change names fields
    /// the agent does not have (e.g. adding a field). Default false.
    #[serde(default)]
    pub force: bool,
}

/// The change tried on the agent's start page before saving.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ChangeTestView {
    pub url: String,
    /// Records the page gives with the current definition.
    pub records_before: u64,
    /// Records it gives with the change.
    pub records_after: u64,
    /// What matched nothing, or not in every record, with the change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmatched: Vec<String>,
    /// Records with the change (scraped data: untrusted).
    pub sample_records: Vec<Value>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct UpdateAgentDefinitionOutput {
    pub agent_id: Id,
    /// The new version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    pub comment: String,
    /// Absent when the test could not run and force saved it untested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<ChangeTestView>,
    /// Saved by force over what the test found.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
    pub next_step: String,
}

#[tool_router(router = update_agent_definition_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Save a definition (or a change to the agent's) as the agent's next version with a
    /// comment; later runs use it. It is first tried on the agent's start page: a change that
    /// keeps 0 records or names fields the agent lacks is refused unless force is true. The
    /// answer shows the test (records before and after, a sample).
    #[tool(
        title = "Update an agent definition",
        input_schema = args::schema::<UpdateAgentDefinitionInput>()
    )]
    async fn update_agent_definition(
        &self,
        Args(input): Args<UpdateAgentDefinitionInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<UpdateAgentDefinitionOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let comment = bounded_text("comment", input.comment.trim(), MAX_COMMENT_CHARS)?;
        if comment.is_empty() {
            return Err(ToolFailure::invalid(
                "comment is empty",
                "Say what changed and why, e.g. \"price: .prise matched nothing, use .price\"",
            ));
        }
        let definition = checked_definition(input.definition)?;
        let (test, objection) = match ChangeTest::run(&*self.jobs.platform, &agent_id, &definition)
            .await
        {
            Ok(test) => {
                let objection = test.objection(&definition);
                (Some(test), objection)
            }
            // An unknown agent or a definition the platform refuses is said as it is: force
            // saves an untested change, not an invalid one.
            Err(e) if matches!(e.code, Code::NotFound | Code::InvalidArgument) => return Err(e),
            Err(e) if input.force => (
                None,
                Some(format!(
                    "the test could not run: {}",
                    e.message.trim_end_matches('.')
                )),
            ),
            Err(e) => {
                return Err(ToolFailure {
                        message: format!(
                            "not saved: the change could not be tried on the agent's start page: {}",
                            e.message.trim_end_matches('.')
                        ),
                        hint: "Fix what the test reports (test_agent_definition shows the details), or pass force: true to save it untested".into(),
                        ..e
                    });
            }
        };
        if let (Some(why), false) = (&objection, input.force) {
            return Err(ToolFailure::invalid(
                format!("not saved: {why}"),
                "Fix the change and try it with test_agent_definition, or pass force: true to save it anyway",
            ));
        }
        let version = self
            .jobs
            .platform
            .update_definition(&agent_id, &definition, comment)
            .await?;
        let saved = version.map_or("Saved".to_string(), |v| format!("Saved as version {v}"));
        let forced = objection.is_some();
        let warning = objection
            .map(|why| format!(" by force, although {why}"))
            .unwrap_or_default();
        let run = self.guide(&ctx).when(Tool::RunAgent, || {
            format!(" Run it with run_agent (agent_id={agent_id}) to extract with the new version.")
        });
        Ok(Json(UpdateAgentDefinitionOutput {
            agent_id,
            version,
            comment: comment.to_string(),
            test: test.map(view),
            forced,
            next_step: format!("{saved}{warning}.{run}"),
        }))
    }
}

fn view(test: ChangeTest) -> ChangeTestView {
    let mut sample_records: Vec<Value> = test
        .after
        .sample_records
        .into_iter()
        .take(SAMPLE_RECORDS)
        .collect();
    sample_records.iter_mut().for_each(clean_value);
    ChangeTestView {
        url: test.after.url,
        records_before: test.before.records_kept,
        records_after: test.after.records_kept,
        unmatched: test.after.unmatched,
        sample_records,
    }
}
