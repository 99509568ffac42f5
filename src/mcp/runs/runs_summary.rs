//! `runs_summary`: runs by outcome and records over a date range.

use std::collections::BTreeMap;

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{
        Id, Tool, ToolFailure,
        failure::bounded_text,
        summary::{DateRange, RunsSummary},
    },
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunsSummaryInput {
    /// YYYY-MM-DD (default: 7 days ago).
    #[serde(default)]
    pub from: Option<String>,
    /// YYYY-MM-DD (default: today).
    #[serde(default)]
    pub to: Option<String>,
    /// This agent only.
    #[serde(default)]
    pub agent_id: Option<Id>,
    /// List runs with errors.
    #[serde(default)]
    pub failed_runs: bool,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct RunsSummaryOutput {
    pub counts: BTreeMap<String, i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_runs: Vec<String>,
    pub next_step: String,
}

/// Runs of one agent read to count them.
const AGENT_RUNS_SCAN: u32 = 500;

#[tool_router(router = runs_summary_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Runs by outcome over a date range, failed runs on request, and records (all of
    /// agent_id's only, when given).
    #[tool(
        title = "Runs summary",
        input_schema = args::schema::<RunsSummaryInput>()
    )]
    async fn runs_summary(
        &self,
        Args(input): Args<RunsSummaryInput>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<RunsSummaryOutput>, ToolFailure> {
        let input = input?;
        for text in input.from.iter().chain(&input.to) {
            bounded_text("from and to", text, 40)?;
        }
        let range = DateRange::parse(
            input.from.as_deref(),
            input.to.as_deref(),
            chrono::Utc::now(),
        )?;
        let agent_id = input
            .agent_id
            .as_ref()
            .map(|a| self.jobs.id("agent_id", a))
            .transpose()?;
        let platform = &self.jobs.platform;
        let mut scan_full = false;
        let (runs, records) = match &agent_id {
            // The platforms summarise every agent's runs; one agent's are counted from its
            // run list (which also refuses an agent that does not exist).
            Some(agent) => {
                let (list, records) = tokio::try_join!(
                    platform.list_runs(agent, AGENT_RUNS_SCAN),
                    platform.records_summary(&range, Some(agent)),
                )?;
                scan_full = list.len() >= AGENT_RUNS_SCAN as usize;
                (
                    RunsSummary::of_runs(&list, &range, input.failed_runs),
                    records,
                )
            }
            None => tokio::try_join!(
                platform.runs_summary(&range, input.failed_runs),
                platform.records_summary(&range, None),
            )?,
        };
        let diagnose = self.guide(&ctx).when(Tool::GetRunDiagnostics, || {
            " get_run_diagnostics with a failed run's agent_id and run_id says why it failed."
                .into()
        });
        let mut span = format!("These figures cover {}.", range.describe());
        if scan_full {
            span += &format!(
                " The run counts cover the agent's latest {AGENT_RUNS_SCAN} runs; narrow from and to for older ones."
            );
        }
        let problems = runs.counts.failed + runs.counts.completed_with_errors;
        let next_step = match (problems, input.failed_runs) {
            (0, _) => format!("{span} No run failed or lost pages in this period."),
            (_, false) => format!(
                "{span} failed_runs=true lists the failed runs and those that completed with errors.{diagnose}"
            ),
            (_, true) => format!("{span}{diagnose}"),
        };
        Ok(Json(RunsSummaryOutput {
            counts: runs.counts.with_records(&records),
            failed_runs: runs.failed_runs.iter().map(|r| r.line()).collect(),
            next_step,
        }))
    }
}
