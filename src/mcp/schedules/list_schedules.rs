//! `list_schedules`: an agent's schedules, or every agent's upcoming runs over a date range.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Guide, Id, Tool, ToolFailure, schedules::ScheduleView, upcoming},
    mcp::{
        Server,
        args::{self, Args},
    },
    schedule_rules::{parse_end, parse_time},
};

/// Longest date range of upcoming runs.
const MAX_RANGE_DAYS: i64 = 92;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListSchedulesInput {
    /// Omit for all agents.
    #[serde(default)]
    pub agent_id: Option<Id>,
    /// ISO 8601 (default now).
    #[serde(default)]
    pub from: Option<String>,
    /// Default from + 7 days.
    #[serde(default)]
    pub to: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListSchedulesOutput {
    /// The agent's schedules; or, over a range, its runs earliest first, a schedule firing
    /// more than 24 times there being one row at its first run that sums it up in `timing`.
    pub schedules: Vec<ScheduleView>,
    /// More runs in the range than listed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    pub next_step: String,
}

#[tool_router(router = list_schedules_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// An agent's schedules, or all upcoming runs.
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
        let guide = self.guide(&ctx);
        let agent_id = input
            .agent_id
            .as_ref()
            .map(|id| self.jobs.id("agent_id", id))
            .transpose()?;
        if let (Some(agent_id), None, None) = (&agent_id, &input.from, &input.to) {
            let schedules = self.jobs.platform.list_schedules(agent_id).await?;
            return Ok(Json(ListSchedulesOutput {
                next_step: plain_next_step(&guide, schedules.is_empty()),
                schedules: schedules.iter().map(ScheduleView::from).collect(),
                truncated: false,
            }));
        }
        let from = match input.from.as_deref() {
            Some(text) => parse_time("from", text, chrono_tz::UTC)?,
            None => Utc::now(),
        };
        let to = match input.to.as_deref() {
            Some(text) => parse_end("to", text, chrono_tz::UTC)?,
            None => from + Duration::days(7),
        };
        if to <= from || to - from > Duration::days(MAX_RANGE_DAYS) {
            return Err(ToolFailure::invalid(
                format!("from {from} to {to} is not a range of up to {MAX_RANGE_DAYS} days"),
                "Send a to after from, at most 92 days apart",
            ));
        }
        let mut firings = self.jobs.platform.upcoming_runs(from, to).await?;
        firings.retain(|s| agent_id.as_ref().is_none_or(|a| *a == s.agent_id));
        let arranged = upcoming::arrange(firings, from, to);
        let next_step = next_step(&arranged, to, agent_id.is_some())
            .unwrap_or_else(|| plain_next_step(&guide, arranged.rows.is_empty()));
        Ok(Json(ListSchedulesOutput {
            schedules: arranged.rows,
            truncated: arranged.truncated,
            next_step,
        }))
    }
}

/// What to do with a listing that needs no further reading.
fn plain_next_step(guide: &Guide, empty: bool) -> String {
    if empty {
        format!(
            "Nothing is scheduled there.{}",
            guide.when(Tool::ScheduleAgent, || " schedule_agent adds a schedule."
                .into())
        )
    } else {
        format!(
            "Tell the user when the agents run next (next_run_at; a paused schedule or a one-off that has run has none).{}",
            guide.when(Tool::SetScheduleEnabled, || {
                " set_schedule_enabled pauses or resumes a schedule.".into()
            })
        )
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Where to read on: the rest of a capped range, or a frequent schedule's single runs.
fn next_step(arranged: &upcoming::Upcoming, to: DateTime<Utc>, one_agent: bool) -> Option<String> {
    let narrow = if one_agent { "" } else { ", or pass agent_id" };
    if let Some(resume) = arranged.resume_from {
        return Some(format!(
            "More runs follow: call list_schedules with from \"{}\" and to \"{}\" for the rest, or a narrower range{narrow}.",
            stamp(resume),
            stamp(to)
        ));
    }
    (arranged.frequent > 0).then(|| {
        format!(
            "A row whose timing gives a count stands for a frequent schedule's runs; for them one by one, call list_schedules with a range holding at most {} of them{narrow}.",
            upcoming::FREQUENT_AFTER
        )
    })
}
