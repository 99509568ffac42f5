//! `schedule_agent`: create or replace a schedule, checked before anything is sent.

use chrono::Utc;
use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{
    jobs::{Id, Tool, ToolFailure, schedules::ScheduleSpec, views::quoted},
    mcp::{
        Server,
        args::{self, Args},
    },
    schedule_rules::{DEFAULT_TIME_ZONE, Timing, parse_every, parse_time, time_zone},
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleAgentInput {
    /// Agent to run.
    pub agent_id: Id,
    /// To replace.
    #[serde(default)]
    pub schedule_id: Option<Id>,
    /// Default: the timing.
    #[serde(default)]
    pub name: Option<String>,
    /// Once; with every, the first run.
    #[serde(default)]
    pub at: Option<String>,
    /// e.g. "30 minutes", "1 month".
    #[serde(default)]
    pub every: Option<String>,
    /// minute hour day month weekday
    #[serde(default)]
    pub cron: Option<String>,
    /// IANA (default UTC); times without offset use it.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Inputs.
    #[serde(default)]
    pub input: Option<Map<String, Value>>,
    /// Skip if the last run is active (default true).
    #[serde(default)]
    pub exclusive: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ScheduleAgentOutput {
    pub schedule_id: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_run_at: Option<String>,
    pub next_step: String,
}

/// The timing the input asks for: at alone, every (maybe with at), or cron alone.
fn timing(input: &ScheduleAgentInput, tz: chrono_tz::Tz) -> Result<Timing, ToolFailure> {
    let at = input
        .at
        .as_deref()
        .map(|text| parse_time("at", text, tz))
        .transpose()?;
    match (at, input.every.as_deref(), input.cron.as_deref()) {
        (Some(at), None, None) => Ok(Timing::Once(at)),
        (first, Some(every), None) => {
            let (count, period) = parse_every(every)?;
            Ok(Timing::Every {
                count,
                period,
                first,
            })
        }
        (None, None, Some(cron)) => Ok(Timing::Cron(cron.trim().to_string())),
        _ => Err(ToolFailure::invalid(
            "a schedule is at (once), every (with an optional at for the first run), or cron alone",
            "Send e.g. at=\"2026-12-01T07:00\", or every=\"2 hours\", or cron=\"0 7 * * *\"",
        )),
    }
}

#[tool_router(router = schedule_agent_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Run an agent once, every N periods, or on a cron.
    #[tool(
        title = "Schedule an agent",
        input_schema = args::schema::<ScheduleAgentInput>()
    )]
    async fn schedule_agent(
        &self,
        Args(input): Args<ScheduleAgentInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<ScheduleAgentOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let schedule_id = input
            .schedule_id
            .as_ref()
            .map(|id| self.jobs.id("schedule_id", id))
            .transpose()?;
        let zone = input
            .time_zone
            .as_deref()
            .map_or(DEFAULT_TIME_ZONE, str::trim)
            .to_string();
        let tz = time_zone(&zone)?;
        let timing = timing(&input, tz)?;
        let spec = ScheduleSpec {
            name: input
                .name
                .clone()
                .unwrap_or_else(|| timing.describe())
                .trim()
                .to_string(),
            timing,
            time_zone: tz.name().to_string(),
            input: input.input,
            exclusive: input.exclusive.unwrap_or(true),
            enabled: true,
        };
        spec.check(Utc::now())?;
        let saved = self
            .jobs
            .platform
            .save_schedule(&agent_id, schedule_id.as_ref(), &spec)
            .await?;
        let guide = self.guide(&ctx);
        let next_step = format!(
            "Saved ({}, {}).{}",
            spec.timing.describe(),
            spec.time_zone,
            guide.when(Tool::ListRuns, || format!(
                " Its runs appear in list_runs (agent_id={}).",
                quoted(&agent_id)
            )),
        );
        Ok(Json(ScheduleAgentOutput {
            schedule_id: saved.id,
            next_run_at: saved.next_run.map(|t| t.to_rfc3339()),
            next_step,
        }))
    }
}
