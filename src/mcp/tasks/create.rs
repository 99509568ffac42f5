//! `tools/call` answered with a task: the tool itself starts the job (with no wait), and the
//! task follows what it started.

use std::time::Duration;

use rmcp::{
    ErrorData, RoleServer,
    handler::server::tool::ToolCallContext,
    model::{CallToolRequestParams, CallToolResponse, CallToolResult, CreateTaskResult},
    service::RequestContext,
};
use serde::Deserialize;
use serde_json::Value;
use tokio::time::Instant;

use super::handle::{Handle, Job, TTL, caller};
use crate::{
    jobs::{BuildState, Id, Tool},
    mcp::Server,
};

/// Longest a task's creation waits for a queued run to start (see `Server::attempt`).
const ATTEMPT_WAIT: Duration = Duration::from_secs(3);

/// The part of run_agent's answer a task needs.
#[derive(Deserialize)]
struct StartedRun {
    agent_id: Id,
    run_id: Id,
    terminal: bool,
    already_running: bool,
    started_at: Option<String>,
}

/// The part of build_agent's answer a task needs.
#[derive(Deserialize)]
struct StartedBuild {
    session_id: String,
    status: String,
}

impl Server {
    /// Answers a task-capable tool call with a task, when this request may get one (see
    /// `tasks::wanted`); `None` serves the call as today.
    ///
    /// The tool runs as it always does, with `wait_seconds` 0, so its checks, its duplicate-run
    /// protection and its failures are the same. A failure, or a job that already ended, is
    /// answered at once with that result; otherwise the job exists on the platform, and the
    /// task id that names it can be read by any process before this returns.
    pub(in crate::mcp) async fn call_as_task(
        &self,
        request: &CallToolRequestParams,
        ctx: &RequestContext<RoleServer>,
    ) -> Option<Result<CallToolResponse, ErrorData>> {
        let tool = Tool::from_name(&request.name)?;
        let arguments = request.arguments.clone().unwrap_or_default();
        let task_capable = match tool {
            Tool::RunAgent => true,
            // A follow-up message changes the agent at once; its answer lists the changes,
            // which a later tasks/get could not tell again.
            Tool::BuildAgent => !arguments.contains_key("message"),
            _ => false,
        };
        if !task_capable || !super::wanted(ctx) {
            return None;
        }
        let mut at_once = request.clone();
        at_once
            .arguments
            .get_or_insert_default()
            .insert("wait_seconds".into(), Value::from(0));
        let response = self
            .tool_router
            .call(ToolCallContext::new(self, at_once, ctx.clone()))
            .await;
        let Ok(CallToolResponse::Complete(result)) = response else {
            return Some(response);
        };
        let Some(mut job) = job_of(tool, &result) else {
            return Some(Ok(result.into()));
        };
        match &mut job {
            Job::Run {
                agent_id,
                run_id,
                attempt: attempt @ None,
                ..
            } => *attempt = self.attempt(agent_id, run_id).await,
            Job::Build { session_id, turn } => {
                // The turn the session is in: the task follows it and no later one.
                if let Ok(build) = self.jobs.platform.build(session_id).await {
                    *turn = build.follow_ups.len();
                }
            }
            Job::Run { .. } => {}
        }
        let handle = Handle {
            job,
            platform: self.jobs.platform.info().backend.to_string(),
            issued_ms: self.tasks.now().timestamp_millis(),
            ttl_ms: TTL.num_milliseconds() as u64,
            caller: caller(ctx),
        };
        let task = self.detailed_task(&handle, ctx).await.task;
        Some(Ok(CreateTaskResult::new(task).into()))
    }
}

impl Server {
    /// The start time of a run that was still queued when the tool answered, waiting briefly
    /// for it: a task bound to its attempt tells a later restart in place apart from the run
    /// it followed. `None` when the run does not start within `ATTEMPT_WAIT`.
    async fn attempt(&self, agent_id: &Id, run_id: &Id) -> Option<i64> {
        let deadline = Instant::now() + ATTEMPT_WAIT;
        loop {
            if let Ok(run) = self.jobs.run(agent_id, run_id).await {
                if let Some(started) = run.started_at {
                    return Some(started.timestamp_millis());
                }
                if run.is_terminal() {
                    return None;
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            tokio::time::sleep(self.jobs.poll_interval.min(left)).await;
        }
    }
}

/// The job a tool's answer started, while it goes on; `None` for a failure or an ended job.
fn job_of(tool: Tool, result: &CallToolResult) -> Option<Job> {
    if result.is_error == Some(true) {
        return None;
    }
    let answer = result.structured_content.clone()?;
    match tool {
        Tool::RunAgent => {
            let run: StartedRun = serde_json::from_value(answer).ok()?;
            let attempt = run
                .started_at
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.timestamp_millis());
            (!run.terminal).then_some(Job::Run {
                agent_id: run.agent_id,
                run_id: run.run_id,
                attempt,
                already_running: run.already_running,
            })
        }
        Tool::BuildAgent => {
            let build: StartedBuild = serde_json::from_value(answer).ok()?;
            (build.status == BuildState::Building.name()).then_some(Job::Build {
                session_id: build.session_id,
                turn: 0,
            })
        }
        _ => None,
    }
}
