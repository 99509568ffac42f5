//! `tasks/update`: the client's answer to a run's pending interaction.

use std::collections::BTreeMap;

use rmcp::{ErrorData, RoleServer, service::RequestContext};
use serde_json::Value;

use super::{handle::Job, input};
use crate::{jobs::RunState, mcp::Server};

impl Server {
    /// Passes an accepted answer under the current interaction's key to the platform. Answers
    /// to other keys, to an interaction already answered, or for a build, are ignored (the
    /// extension's rule); the next `tasks/get` shows where the run is.
    pub(in crate::mcp) async fn task_update(
        &self,
        task_id: &str,
        responses: &BTreeMap<String, Value>,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        let handle = self
            .tasks
            .open(task_id, ctx, self.jobs.platform.info().backend)?;
        let Job::Run {
            agent_id, run_id, ..
        } = &handle.job
        else {
            return Ok(());
        };
        let platform = &self.jobs.platform;
        let unavailable = |failure: crate::jobs::ToolFailure| {
            ErrorData::internal_error(
                format!(
                    "the answer was not passed on: {}; send it again",
                    failure.text()
                ),
                None,
            )
        };
        let run = platform.run(agent_id, run_id).await.map_err(unavailable)?;
        if run.state != RunState::WaitingForInput {
            return Ok(());
        }
        let Some(pending) = platform.interaction(run_id).await.map_err(unavailable)? else {
            return Ok(());
        };
        if let Some(answer) = input::answer(&pending, responses) {
            self.jobs
                .answer(run_id, &answer)
                .await
                .map_err(unavailable)?;
        }
        Ok(())
    }
}
