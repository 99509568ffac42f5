//! `set_schedule_enabled`: pause or resume a schedule.

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
pub struct SetScheduleEnabledInput {
    /// Its agent.
    pub agent_id: Id,
    /// From list_schedules.
    pub schedule_id: Id,
    /// false pauses.
    pub enabled: bool,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SetScheduleEnabledOutput {
    pub agent_id: Id,
    pub schedule_id: Id,
    pub enabled: bool,
    pub next_step: String,
}

#[tool_router(router = set_schedule_enabled_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Pause or resume a schedule (paused: no runs).
    #[tool(
        title = "Pause/resume schedule",
        input_schema = args::schema::<SetScheduleEnabledInput>()
    )]
    async fn set_schedule_enabled(
        &self,
        Args(input): Args<SetScheduleEnabledInput>,
    ) -> Result<Json<SetScheduleEnabledOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let schedule_id = self.jobs.id("schedule_id", &input.schedule_id)?;
        self.jobs
            .platform
            .set_schedule_enabled(&agent_id, &schedule_id, input.enabled)
            .await?;
        let next_step = if input.enabled {
            format!(
                "Schedule {schedule_id} of agent {agent_id} runs again at its next time; tell the user."
            )
        } else {
            format!(
                "Schedule {schedule_id} of agent {agent_id} is paused and starts no runs until it is resumed; tell the user."
            )
        };
        Ok(Json(SetScheduleEnabledOutput {
            agent_id,
            schedule_id,
            enabled: input.enabled,
            next_step,
        }))
    }
}
