//! `get_agent`: one agent's details: start URL, input parameters with their defaults,
//! version, fields, archived or not, and its last run.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{
    jobs::{Id, Tool, ToolFailure},
    mcp::{
        Server,
        args::{self, Args},
    },
    records::sanitize::{clean_text, clean_value},
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetAgentInput {
    /// Agent to describe.
    pub agent_id: Id,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct GetAgentOutput {
    pub agent_id: Id,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_url: Option<String>,
    pub input_parameters: Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub space_id: Option<Id>,
    pub archived: bool,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub fields: Vec<String>,
    /// The newest run, and its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_run_id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    pub next_step: String,
}

#[tool_router(router = get_agent_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// An agent's start URL, input parameters with defaults, version, fields and last run.
    #[tool(
        title = "Get agent",
        input_schema = args::schema::<GetAgentInput>()
    )]
    async fn get_agent(
        &self,
        Args(input): Args<GetAgentInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<GetAgentOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let (agent, last) = self.jobs.agent_details(&agent_id).await?;
        let guide = self.guide(&ctx);
        let mut input_parameters = Value::Object(agent.input_parameters);
        clean_value(&mut input_parameters);
        let next_step = if agent.archived {
            guide.when(Tool::ArchiveAgent, || {
                format!("It is archived; archive_agent with agent_id={agent_id}, archived=false brings it back.")
            })
        } else {
            guide.when(Tool::RunAgent, || {
                format!("Run it with run_agent (agent_id={agent_id}), passing input_parameters to change the defaults.")
            })
        };
        let next_step = if next_step.is_empty() {
            "Show the user the details.".to_string()
        } else {
            next_step
        };
        Ok(Json(GetAgentOutput {
            agent_id,
            name: clean_text(&agent.name).into_owned(),
            description: agent.description.map(|d| clean_text(&d).into_owned()),
            start_url: agent.start_url,
            input_parameters: match input_parameters {
                Value::Object(map) => map,
                _ => Map::new(),
            },
            version: agent.version,
            space_id: agent.space_id,
            archived: agent.archived,
            fields: agent.fields,
            last_status: last.as_ref().map(|run| run.status.clone()),
            last_run_id: last.map(|run| run.run_id),
            next_step,
        }))
    }
}
