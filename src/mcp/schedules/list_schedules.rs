//! `list_schedules`: an agent's schedules, or every agent's upcoming runs over a date range.

use chrono::{Duration, Utc};
use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{
        Id, Tool, ToolFailure,
        schedules::{ScheduleView, parse_time},
    },
    mcp::{
        Server,
        args::{self, Args},
    },
};

/// Longest date range of upcoming runs.
const MAX_RANGE_DAYS: i64 = 92;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListSchedulesInput {
    /// Omit for all agents' upcoming runs.
    #[serde(default)]
    pub agent_id: Option<Id>,
    /// ISO 8601 UTC (default now).
    #[serde(default)]
    pub from: Option<String>,
    /// Default from + 7 days.
    #[serde(default)]
    pub to: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListSchedulesOutput {
    pub schedules: Vec<ScheduleView>,
    pub next_step: String,
}

#[tool_router(router = list_schedules_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// An agent's schedules, or all upcoming runs in a date range.
    #[tool(
        title = "List schedules",
        input_schema = args::schema::<ListSchedulesInput>()
    )]
    async fn list_schedules(
        &self,
        Args(input): Args<ListSchedulesInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<ListSchedulesOutput>, ToolFailure> {
        let input = input?;
        let agent_id = input
            .agent_id
            .as_ref()
            .map(|id| self.jobs.id("agent_id", id))
            .transpose()?;
        let schedules = match (&agent_id, input.from.is_some() || input.to.is_some()) {
            (Some(agent_id), false) => self.jobs.platform.list_schedules(agent_id).await?,
            _ => {
                let from = match input.from.as_deref() {
                    Some(text) => parse_time("from", text, chrono_tz::UTC)?,
                    None => Utc::now(),
                };
                let to = match input.to.as_deref() {
                    Some(text) => parse_time("to", text, chrono_tz::UTC)?,
                    None => from + Duration::days(7),
                };
                if to <= from || to - from > Duration::days(MAX_RANGE_DAYS) {
                    return Err(ToolFailure::invalid(
                        format!(
                            "from {from} to {to} is not a range of up to {MAX_RANGE_DAYS} days"
                        ),
                        "Send a to after from, at most 92 days apart",
                    ));
                }
                let mut upcoming = self.jobs.platform.upcoming_runs(from, to).await?;
                upcoming.retain(|s| agent_id.as_ref().is_none_or(|a| *a == s.agent_id));
                upcoming
            }
        };
        let guide = self.guide(&ctx);
        let next_step = if schedules.is_empty() {
            format!(
                "Nothing is scheduled there.{}",
                guide.when(Tool::ScheduleAgent, || " schedule_agent adds a schedule."
                    .into())
            )
        } else {
            format!(
                "Tell the user when the agents run next (next_run_at).{}",
                guide.when(Tool::SetScheduleEnabled, || {
                    " set_schedule_enabled pauses or resumes a schedule.".into()
                })
            )
        };
        Ok(Json(ListSchedulesOutput {
            schedules: schedules.iter().map(ScheduleView::from).collect(),
            next_step,
        }))
    }
}
