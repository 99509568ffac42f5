//! `tasks/cancel`: stops the task's run (or build) and always acknowledges.
//!
//! The first cancel asks the run to stop gracefully (it finishes the current page and keeps
//! its records); a cancel while it is still stopping kills it where the platform can. The task
//! turns `cancelled` only when the platform reports the run stopped; a run that finishes first
//! ends `completed`, which the extension allows.

use std::time::Duration;

use rmcp::{ErrorData, RoleServer, service::RequestContext};

use super::{
    handle::Job,
    status::{self, Progress},
};
use crate::{
    jobs::{RunState, ToolFailure, platform::StopMode, wait::Waiter},
    mcp::Server,
};

impl Server {
    /// Stops the job of `task_id`; failures to stop are logged, not returned: the client may
    /// forget the task once it has asked, and the task's status tells what happened.
    pub(in crate::mcp) async fn task_cancel(
        &self,
        task_id: &str,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        let handle = self
            .tasks
            .open(task_id, ctx, self.jobs.platform.info().backend)?;
        let stopped = match &handle.job {
            Job::Run {
                agent_id,
                run_id,
                attempt,
                ..
            } => self.stop_attempt(agent_id, run_id, *attempt, ctx).await,
            Job::Build { session_id, .. } => self.jobs.stop_build(session_id).await.map(drop),
        };
        if let Err(failure) = stopped {
            tracing::info!(error = %failure.text(), "tasks/cancel could not stop the job");
        }
        Ok(())
    }

    /// Stops the run unless the task's attempt already ended (a later attempt of a restarted
    /// run is not this task's to stop).
    async fn stop_attempt(
        &self,
        agent_id: &crate::jobs::Id,
        run_id: &crate::jobs::Id,
        attempt: Option<i64>,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<(), ToolFailure> {
        let run = self.jobs.run(agent_id, run_id).await?;
        if !matches!(
            status::of_run(&run, attempt),
            Progress::Working { .. } | Progress::WaitingForInput
        ) {
            return Ok(());
        }
        let mode = if run.state == RunState::Stopping && self.jobs.platform.info().can_force_stop {
            StopMode::Force
        } else {
            StopMode::Graceful
        };
        let mut waiter = Waiter::new(ctx.ct.clone(), ctx);
        self.jobs
            .stop(&mut waiter, agent_id, run_id, mode, Duration::ZERO)
            .await
            .map(drop)
    }
}
