//! Billing (Sequentum cloud only): credits, spending, cost per agent, per usage type and per
//! run. The per-agent calls need both dates; every call here sends both.

use serde::{Deserialize, Serialize};

use super::{ApiError, Client, types::lenient_i64};

/// `GET /billing/credits`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Credits {
    pub available_credits: Option<f64>,
}

/// `GET /billing/spending`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Spending {
    pub total_spent: Option<f64>,
    pub current_balance: Option<f64>,
}

/// `GET /billing/agents`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentsCost {
    pub agents: Vec<AgentCost>,
    #[serde(deserialize_with = "lenient_i64")]
    pub total_record_count: Option<i64>,
    pub total_cost: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentCost {
    pub agent_id: i64,
    pub agent_name: Option<String>,
    pub cost: f64,
}

/// `GET /billing/agents/{id}`: cost per usage type, one value per label (day or month).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CostBreakdown {
    pub agent_id: i64,
    pub agent_name: Option<String>,
    pub usage_types: Vec<UsageTypeCost>,
    pub total_cost: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UsageTypeCost {
    #[serde(rename = "type")]
    pub kind: String,
    pub total_cost: f64,
}

/// `GET /billing/agents/{id}/runs`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunsCost {
    pub runs: Vec<RunCost>,
    #[serde(deserialize_with = "lenient_i64")]
    pub total_record_count: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunCost {
    pub run_id: i64,
    pub cost: f64,
    pub billing_type: Option<String>,
}

/// The dates of a billing query, as the API takes them (ISO 8601, UTC).
#[derive(Debug, Clone)]
pub struct Dates {
    pub start: String,
    pub end: String,
}

impl Dates {
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("startDate", self.start.clone()),
            ("endDate", self.end.clone()),
        ]
    }
}

impl Client {
    pub async fn credits(&self) -> Result<Credits, ApiError> {
        self.get_json("/api/v1/billing/credits", &[]).await
    }

    pub async fn spending(&self, dates: &Dates) -> Result<Spending, ApiError> {
        self.get_json("/api/v1/billing/spending", &dates.query())
            .await
    }

    /// The `top` costliest agents of the period, costliest first.
    pub async fn agents_cost(&self, dates: &Dates, top: u32) -> Result<AgentsCost, ApiError> {
        let mut query = dates.query();
        query.extend([
            ("pageIndex", "1".to_string()),
            ("recordsPerPage", top.to_string()),
            ("sortColumn", "cost".to_string()),
            ("sortOrder", "1".to_string()),
        ]);
        self.get_json("/api/v1/billing/agents", &query).await
    }

    /// The agent's cost per usage type over the period (one month per label).
    pub async fn cost_breakdown(
        &self,
        agent_id: i64,
        dates: &Dates,
    ) -> Result<CostBreakdown, ApiError> {
        let mut query = dates.query();
        query.push(("timeUnit", "month".to_string()));
        self.get_json(&format!("/api/v1/billing/agents/{agent_id}"), &query)
            .await
    }

    /// The agent's newest `limit` runs of the period with their cost.
    pub async fn runs_cost(
        &self,
        agent_id: i64,
        dates: &Dates,
        limit: u32,
    ) -> Result<RunsCost, ApiError> {
        let mut query = dates.query();
        query.extend([
            ("pageIndex", "1".to_string()),
            ("recordsPerPage", limit.to_string()),
            ("sortColumn", "date".to_string()),
            ("sortOrder", "1".to_string()),
        ]);
        self.get_json(&format!("/api/v1/billing/agents/{agent_id}/runs"), &query)
            .await
    }
}
