//! Run endpoints: start, list, status, stop, kill, restart.

use reqwest::Method;

use super::{
    ApiError, Client, Repeat,
    types::{AgentRun, StartRunRequest},
};

impl Client {
    /// Starts a run and returns it at once (status Starting or Queuing). Never repeated.
    pub async fn start_run(
        &self,
        agent_id: i64,
        req: &StartRunRequest,
    ) -> Result<AgentRun, ApiError> {
        let mut req = req.clone();
        req.is_run_synchronously = None;
        let body = serde_json::to_value(&req).map_err(|e| ApiError::Decode(e.to_string()))?;
        self.send_json(
            Method::POST,
            &format!("/api/v1/agent/{agent_id}/start"),
            &body,
            Repeat::Never,
        )
        .await
    }

    /// Recent runs of an agent, newest first (active and history tables).
    pub async fn list_runs(
        &self,
        agent_id: i64,
        max_records: u32,
    ) -> Result<Vec<AgentRun>, ApiError> {
        let mut runs: Vec<AgentRun> = self
            .get_json(
                &format!("/api/v1/agent/{agent_id}/runs"),
                &[("maxRecords", max_records.to_string())],
            )
            .await?;
        // The API implies newest first without promising it; make it so.
        runs.sort_by_key(|r| std::cmp::Reverse(r.id));
        Ok(runs)
    }

    pub async fn run_status(&self, agent_id: i64, run_id: i64) -> Result<AgentRun, ApiError> {
        self.get_json(
            &format!("/api/v1/agent/{agent_id}/run/{run_id}/status"),
            &[],
        )
        .await
    }

    /// Asks the run to finish its current page and stop. Safe to repeat.
    pub async fn stop_run(&self, agent_id: i64, run_id: i64) -> Result<(), ApiError> {
        self.post_void(
            &format!("/api/v1/agent/{agent_id}/run/{run_id}/stop"),
            Repeat::Safe,
        )
        .await
    }

    /// First call: a graceful stop. A second call while Stopping terminates at once. Never
    /// repeated automatically, because a repeat *is* the second call.
    pub async fn kill_run(&self, agent_id: i64, run_id: i64) -> Result<(), ApiError> {
        self.post_void(
            &format!("/api/v1/agent/{agent_id}/run/{run_id}/kill"),
            Repeat::Never,
        )
        .await
    }

    /// Restarts a run that ended in Failure (6), in place (same run id). Never repeated.
    pub async fn restart_run(&self, agent_id: i64, run_id: i64) -> Result<(), ApiError> {
        self.post_void(
            &format!("/api/v1/agent/{agent_id}/run/{run_id}/restart"),
            Repeat::Never,
        )
        .await
    }
}
