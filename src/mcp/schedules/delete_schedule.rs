//! `delete_schedule`: remove a schedule (its past runs stay).

use rmcp::{Json, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Id, ToolFailure},
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteScheduleInput {
    /// Its agent.
    pub agent_id: Id,
    /// From list_schedules.
    pub schedule_id: Id,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct DeleteScheduleOutput {
    pub agent_id: Id,
    pub schedule_id: Id,
    pub next_step: String,
}

#[tool_router(router = delete_schedule_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Delete a schedule; the runs it started stay.
    #[tool(
        title = "Delete a schedule",
        input_schema = args::schema::<DeleteScheduleInput>()
    )]
    async fn delete_schedule(
        &self,
        Args(input): Args<DeleteScheduleInput>,
    ) -> Result<Json<DeleteScheduleOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let schedule_id = self.jobs.id("schedule_id", &input.schedule_id)?;
        self.jobs
            .platform
            .delete_schedule(&agent_id, &schedule_id)
            .await?;
        let next_step = format!(
            "Schedule {schedule_id} of agent {agent_id} is deleted; the runs it started stay. Tell the user."
        );
        Ok(Json(DeleteScheduleOutput {
            agent_id,
            schedule_id,
            next_step,
        }))
    }
}
