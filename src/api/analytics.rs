//! Analytics endpoints (`/api/v1/analytics/...`): a run's diagnostics, an agent's latest
//! failure, and run and record summaries over a date range; with their wire types, which the
//! embedded engine serves too.

use serde::{Deserialize, Serialize};

use super::{ApiError, Client, types::RunStatus};

/// Counters of a diagnosed run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DiagnosticStats {
    pub data_count: i64,
    pub input_count: Option<i64>,
    pub error_count: i64,
    pub page_count: i64,
    pub export_count: Option<i64>,
    pub traffic: Option<i64>,
}

/// One page as the engine's runner saw it (an engine extension of `RunDiagnostics`; the cloud
/// sends none).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageTraceWire {
    pub url: String,
    pub http_status: Option<u16>,
    pub fetch_ms: Option<u64>,
    pub records: u64,
    pub problem: Option<String>,
}

/// `RunDiagnostics`: the diagnostics and latest-failure body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunDiagnostics {
    pub run_id: i64,
    pub agent_id: i64,
    pub agent_name: Option<String>,
    pub status: Option<RunStatus>,
    pub error_message: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub runtime_seconds: Option<i64>,
    pub stats: DiagnosticStats,
    pub possible_causes: Vec<String>,
    pub suggested_actions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageTraceWire>,
}

/// A failed run in a runs summary.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FailedRunDetail {
    pub run_id: i64,
    pub agent_id: i64,
    pub agent_name: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub status: Option<RunStatus>,
    pub error_message: Option<String>,
    pub space_id: Option<i64>,
    pub space_name: Option<String>,
}

/// `GET /analytics/runs/summary`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunsSummaryWire {
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub total_runs: i64,
    pub completed_runs: i64,
    pub failed_runs: i64,
    pub completed_with_errors_runs: i64,
    pub running_runs: i64,
    pub queued_runs: i64,
    pub stopped_runs: i64,
    pub failed_run_details: Option<Vec<FailedRunDetail>>,
}

/// `GET /analytics/records/summary`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RecordsSummaryWire {
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub total_records_extracted: i64,
    pub total_records_exported: i64,
    pub total_errors: i64,
    pub total_page_loads: i64,
    pub run_count: i64,
    pub agent_id: Option<i64>,
}

impl Client {
    pub async fn run_diagnostics(
        &self,
        agent_id: i64,
        run_id: i64,
    ) -> Result<RunDiagnostics, ApiError> {
        self.get_json(
            &format!("/api/v1/analytics/agents/{agent_id}/runs/{run_id}/diagnostics"),
            &[],
        )
        .await
    }

    /// The diagnostics of the agent's latest failed run (404 when it never failed).
    pub async fn latest_failure(&self, agent_id: i64) -> Result<RunDiagnostics, ApiError> {
        self.get_json(
            &format!("/api/v1/analytics/agents/{agent_id}/latest-failure"),
            &[],
        )
        .await
    }

    /// Runs by outcome between two ISO times, with the failed runs listed when `details`.
    pub async fn runs_summary(
        &self,
        start: &str,
        end: &str,
        details: bool,
    ) -> Result<RunsSummaryWire, ApiError> {
        self.get_json(
            "/api/v1/analytics/runs/summary",
            &[
                ("startDate", start.to_string()),
                ("endDate", end.to_string()),
                ("includeDetails", details.to_string()),
            ],
        )
        .await
    }

    /// Records extracted and exported between two ISO times, of one agent or all.
    pub async fn records_summary(
        &self,
        start: &str,
        end: &str,
        agent_id: Option<i64>,
    ) -> Result<RecordsSummaryWire, ApiError> {
        let mut query = vec![
            ("startDate", start.to_string()),
            ("endDate", end.to_string()),
        ];
        if let Some(agent) = agent_id {
            query.push(("agentId", agent.to_string()));
        }
        self.get_json("/api/v1/analytics/records/summary", &query)
            .await
    }
}
