//! `get_usage`: credits left, spending over a period and the costliest agents; or, for one
//! agent, its cost by usage type and per run.

use chrono::Utc;
use rmcp::{Json, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Id, ToolFailure, number::in_range, usage::Period},
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetUsageInput {
    /// One agent's costs.
    #[serde(default)]
    pub agent_id: Option<Id>,
    /// YYYY-MM-DD (default: 1st of end_date's month).
    #[serde(default)]
    pub start_date: Option<String>,
    /// YYYY-MM-DD (default today).
    #[serde(default)]
    pub end_date: Option<String>,
    /// Agents or runs listed, 1 to 50 (default 10).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
    pub limit: Option<i64>,
}

/// What something cost: an agent, a usage type or a run.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Cost {
    /// The agent or run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// Agent name, usage type or billing type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub cost: f64,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct GetUsageOutput {
    pub start_date: String,
    pub end_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits_available: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spent: Option<f64>,
    pub costs: Vec<Cost>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub runs: Vec<Cost>,
    pub next_step: String,
}

#[tool_router(router = get_usage_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Credits, spending and costliest agents over a period; with agent_id, its cost by
    /// usage type and per run.
    #[tool(
        title = "Get usage",
        input_schema = args::schema::<GetUsageInput>()
    )]
    async fn get_usage(
        &self,
        Args(input): Args<GetUsageInput>,
    ) -> Result<Json<GetUsageOutput>, ToolFailure> {
        let input = input?;
        let limit = in_range("limit", input.limit.unwrap_or(10), 1, 50)? as u32;
        let period = Period::parse(
            input.start_date.as_deref(),
            input.end_date.as_deref(),
            Utc::now().date_naive(),
        )?;
        let (start_date, end_date) = (period.start.to_string(), period.end.to_string());
        let output = match input.agent_id {
            None => {
                let usage = self.jobs.platform.usage(&period, limit).await?;
                let more = usage
                    .agents_with_cost
                    .is_some_and(|n| n > usage.top_agents.len() as i64);
                GetUsageOutput {
                    start_date,
                    end_date,
                    credits_available: usage.credits_available,
                    spent: usage.spent,
                    costs: usage
                        .top_agents
                        .into_iter()
                        .map(|a| Cost {
                            id: Some(a.agent_id),
                            name: a.agent_name,
                            cost: a.cost,
                        })
                        .collect(),
                    runs: Vec::new(),
                    next_step: format!(
                        "Costs are the costliest agents first{}; pass agent_id for one agent's cost by usage type and per run.",
                        if more {
                            " (more agents had costs; raise limit)"
                        } else {
                            ""
                        }
                    ),
                }
            }
            Some(agent_id) => {
                let agent_id = self.jobs.id("agent_id", &agent_id)?;
                let usage = self
                    .jobs
                    .platform
                    .agent_usage(&agent_id, &period, limit)
                    .await?;
                GetUsageOutput {
                    start_date,
                    end_date,
                    credits_available: None,
                    spent: Some(usage.total_cost),
                    costs: usage
                        .by_type
                        .into_iter()
                        .map(|(kind, cost)| Cost {
                            id: None,
                            name: Some(kind),
                            cost,
                        })
                        .collect(),
                    runs: usage
                        .runs
                        .into_iter()
                        .map(|r| Cost {
                            id: Some(r.run_id),
                            name: r.billing_type,
                            cost: r.cost,
                        })
                        .collect(),
                    next_step: format!(
                        "Costs are agent {agent_id}'s usage types, runs its newest {} runs{}.",
                        limit,
                        usage
                            .run_count
                            .map(|n| format!(" of {n} in the period"))
                            .unwrap_or_default()
                    ),
                }
            }
        };
        Ok(Json(output))
    }
}
