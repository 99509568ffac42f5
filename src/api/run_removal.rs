//! Deleting a run, or only its files (`DELETE .../run/{runId}?removeMethod=...`).

use reqwest::Method;

use super::{ApiError, Client, Repeat};

/// What the delete endpoint removes (`removeMethod`, sent by name).
pub mod remove_method {
    pub const ENTIRE_RUN: &str = "RemoveEntireRun";
    pub const ALL_FILES: &str = "RemoveAllFiles";
    pub const FILES_AND_INPUT: &str = "RemoveAllFilesAndAgentInput";
}

impl Client {
    /// Deletes a run or its files; the API refuses a run in progress (400). Never repeated: a
    /// repeat after a lost answer would report the deleted run as unknown.
    pub async fn delete_run(
        &self,
        agent_id: i64,
        run_id: i64,
        method: &str,
    ) -> Result<(), ApiError> {
        let timeout = self.options().request_timeout;
        self.send(
            Method::DELETE,
            &format!("/api/v1/agent/{agent_id}/run/{run_id}"),
            &[("removeMethod", method.to_string())],
            None,
            Repeat::Never,
            timeout,
        )
        .await
        .map(drop)
    }
}
