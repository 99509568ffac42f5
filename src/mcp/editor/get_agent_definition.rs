//! `get_agent_definition`: an agent's current definition (start URLs, record selector,
//! fields, pagination, limits) and its version.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    jobs::{Id, Tool, ToolFailure},
    mcp::{
        Server,
        args::{self, Args},
    },
    records::sanitize::clean_value,
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetAgentDefinitionInput {
    /// Agent whose definition to read.
    pub agent_id: Id,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct GetAgentDefinitionOutput {
    pub agent_id: Id,
    /// The version this definition is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// start_urls, record_selector (or structured data: json_ld/microdata/rdfa naming a
    /// schema.org type, or page_meta: true; fields then have a path such as "offers.price"),
    /// fields [{name, selector, attribute?, optional?, label?, class_number?, path?}],
    /// next_page {selector, max_pages}, max_records, success_criteria.
    pub definition: Value,
    pub next_step: String,
}

#[tool_router(router = get_agent_definition_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// An agent's definition: start URLs, the CSS selector of one record, each field's
    /// selector and attribute, pagination and limits, with its version.
    #[tool(
        title = "Get an agent's definition",
        input_schema = args::schema::<GetAgentDefinitionInput>()
    )]
    async fn get_agent_definition(
        &self,
        Args(input): Args<GetAgentDefinitionInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<GetAgentDefinitionOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let found = self.jobs.platform.agent_definition(&agent_id).await?;
        let mut definition = found.definition;
        clean_value(&mut definition);
        let guide = self.guide(&ctx);
        let next_step = guide.when(Tool::TestAgentDefinition, || {
            format!(
                "To see what it extracts or to fix a selector, call test_agent_definition with agent_id={agent_id} and, for a change, definition holding only it (e.g. {{\"fields\": [{{\"name\": \"price\", \"selector\": \".price\"}}]}})."
            )
        });
        let next_step = if next_step.is_empty() {
            "Show the user the definition.".to_string()
        } else {
            next_step
        };
        Ok(Json(GetAgentDefinitionOutput {
            agent_id,
            version: found.version,
            definition,
            next_step,
        }))
    }
}
