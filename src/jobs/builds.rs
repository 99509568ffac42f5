//! Agent builds: starting, waiting and aborting.

use std::time::Duration;

use super::{
    Build, Jobs, ToolFailure,
    platform::{BuildRequest, Refinement},
    views::describe_build,
    wait::{WaitEnd, Waiter},
};

impl Jobs {
    pub async fn start_build(&self, request: &BuildRequest) -> Result<String, ToolFailure> {
        self.platform.start_build(request).await
    }

    /// Waits (bounded) until the build produced an agent or ended, relaying its narration.
    pub async fn wait_for_build(
        &self,
        waiter: &mut Waiter,
        session_id: &str,
        budget: Duration,
    ) -> Result<(Build, WaitEnd), ToolFailure> {
        let first = self.platform.build(session_id).await?;
        waiter
            .wait_for(
                first,
                budget,
                self.poll_interval,
                || self.platform.build(session_id),
                |build| build.state.is_settled(),
                describe_build,
            )
            .await
            .map_err(|f| ToolFailure {
                hint: format!(
                    "Call build_agent with session_id=\"{session_id}\" to check again. {}",
                    f.hint
                ),
                ..f
            })
    }

    /// Applies a follow-up message to what the session built.
    pub async fn refine_build(
        &self,
        session_id: &str,
        message: &str,
    ) -> Result<Refinement, ToolFailure> {
        self.platform.refine_build(session_id, message).await
    }

    /// Aborts a build and returns it as it stands after the request.
    pub async fn stop_build(&self, session_id: &str) -> Result<Build, ToolFailure> {
        self.platform.stop_build(session_id).await?;
        self.platform.build(session_id).await
    }
}
