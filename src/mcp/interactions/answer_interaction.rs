//! `answer_interaction`: submits the answer a paused run asks for (an MFA code, a security
//! answer, an account choice). The answer goes to the platform only: it is never echoed in the
//! result or logged.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{
    jobs::{Id, ToolFailure, views::RunView},
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInteractionInput {
    /// Run in phase waiting_for_input.
    pub run_id: Id,
    /// One value per field the run's message names, e.g. {"code": "123456"}.
    pub values: Map<String, Value>,
}

#[tool_router(router = answer_interaction_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Answer a run waiting for input (phase waiting_for_input), with every field its message
    /// names, as the user gave them. Ask the user; never guess a code. A wrong answer makes the
    /// run ask again. Then follow it with get_run_status.
    #[tool(
        title = "Answer a paused run",
        input_schema = args::schema::<AnswerInteractionInput>()
    )]
    async fn answer_interaction(
        &self,
        Args(input): Args<AnswerInteractionInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<RunView>, ToolFailure> {
        let input = input?;
        let run_id = self.jobs.id("run_id", &input.run_id)?;
        let run = self.jobs.answer(&run_id, &input.values).await?;
        Ok(Json(RunView::new(&run, self.guide(&ctx))))
    }
}
