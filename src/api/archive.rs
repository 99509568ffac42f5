//! Archiving agents. The cloud's paths are not documented; these are the embedded engine's,
//! named like the API's other agent actions.

use super::{ApiError, Client, Repeat};

impl Client {
    /// Archives (`true`) or unarchives an agent. Safe to repeat: the end state is the same.
    pub async fn set_archived(&self, agent_id: i64, archived: bool) -> Result<(), ApiError> {
        let action = if archived { "archive" } else { "unarchive" };
        self.post_void(&format!("/api/v1/agent/{agent_id}/{action}"), Repeat::Safe)
            .await
    }
}
