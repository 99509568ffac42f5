//! `run_space`: start every agent of a space and say, agent by agent, what was started,
//! queued (beyond the space's concurrency limit) or refused (e.g. already running).

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{
    jobs::{Id, Tool, ToolFailure, views::run_args},
    mcp::{
        Server,
        args::{self, Args},
    },
    records::sanitize::clean_text,
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunSpaceInput {
    /// From list_spaces.
    pub space_id: Id,
    /// For every agent, e.g. {"query": "laptops"}.
    #[serde(default)]
    pub input_parameters: Option<Map<String, Value>>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SpaceRunItem {
    pub agent_id: Id,
    pub agent_name: String,
    /// started, queued or refused.
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct RunSpaceOutput {
    pub space_id: Id,
    pub agents: Vec<SpaceRunItem>,
    pub next_step: String,
}

#[tool_router(router = run_space_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Start every agent of a space; per agent: started, queued (over the space's
    /// concurrency limit) or refused, and why.
    #[tool(
        title = "Run a space",
        input_schema = args::schema::<RunSpaceInput>()
    )]
    async fn run_space(
        &self,
        Args(input): Args<RunSpaceInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<RunSpaceOutput>, ToolFailure> {
        let input = input?;
        let space_id = self.jobs.id("space_id", &input.space_id)?;
        let (space, agents) = self
            .jobs
            .run_space(&space_id, input.input_parameters.as_ref())
            .await?;
        let items: Vec<SpaceRunItem> = agents
            .into_iter()
            .map(|a| SpaceRunItem {
                outcome: a.outcome().to_string(),
                agent_id: a.start.agent_id,
                agent_name: clean_text(&a.start.agent_name).into_owned(),
                run_id: a.start.run_id,
                reason: a.start.refused.map(|r| clean_text(&r).into_owned()),
            })
            .collect();
        let count = |outcome: &str| items.iter().filter(|i| i.outcome == outcome).count();
        let (started, queued, refused) = (count("started"), count("queued"), count("refused"));
        let first_run = items.iter().find_map(|i| {
            i.run_id
                .as_ref()
                .map(|run_id| run_args(&i.agent_id, run_id))
        });
        let guide = self.guide(&ctx);
        let follow = match first_run {
            None if items.is_empty() => "The space has no agents to run.".to_string(),
            None => "See each agent's reason.".to_string(),
            Some(ids) => guide.when(Tool::GetRunStatus, || {
                format!("Follow each run with get_run_status, e.g. {ids}.")
            }),
        };
        let next_step = format!("{started} started, {queued} queued, {refused} refused. {follow}");
        Ok(Json(RunSpaceOutput {
            space_id: space.space_id,
            agents: items,
            next_step,
        }))
    }
}
