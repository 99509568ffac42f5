//! `tasks/get`: the task as the platform's run or build stands now.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rmcp::{
    ErrorData, Json, RoleServer,
    handler::server::tool::IntoCallToolResult,
    model::{
        CallToolResponse, DetailedTask, ErrorCode, InputRequests, JsonObject, Task, TaskPayload,
    },
    service::RequestContext,
};
use serde_json::{Value, json};

use super::{
    handle::{Handle, Job},
    input,
    status::{self, Progress},
};
use crate::{
    jobs::{Code, ToolFailure, views::BuildView, wait::WaitEnd},
    mcp::Server,
};

/// Poll hint while the platform does not answer: give it room.
const UNAVAILABLE_POLL: Duration = Duration::from_secs(30);
/// A run the platform does not find this soon after the task began is taken to be still
/// appearing (read-after-write delay), not gone.
const APPEARING: chrono::Duration = chrono::Duration::seconds(30);

/// A task's state, before it becomes the wire object.
struct Observed {
    payload: TaskPayload,
    message: Option<String>,
    poll: Option<Duration>,
    updated: Option<DateTime<Utc>>,
}

impl Observed {
    fn working(message: String, poll: Duration) -> Self {
        Observed {
            payload: TaskPayload::Working,
            message: Some(message),
            poll: Some(poll),
            updated: None,
        }
    }

    fn cancelled(message: String, updated: Option<DateTime<Utc>>) -> Self {
        Observed {
            payload: TaskPayload::Cancelled,
            message: Some(message),
            poll: None,
            updated,
        }
    }
}

impl Server {
    /// The task named by `task_id`, for `tasks/get`.
    pub(in crate::mcp) async fn task_status(
        &self,
        task_id: &str,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<DetailedTask, ErrorData> {
        let handle = self
            .tasks
            .open(task_id, ctx, self.jobs.platform.info().backend)?;
        let mut task = self.detailed_task(&handle, ctx).await;
        task.task.task_id = task_id.to_string();
        Ok(task)
    }

    /// The task of `handle` as its job stands now; its id is sealed from the handle.
    pub(super) async fn detailed_task(
        &self,
        handle: &Handle,
        ctx: &RequestContext<RoleServer>,
    ) -> DetailedTask {
        let observed = match self.observe(handle, ctx).await {
            Ok(observed) => observed,
            Err(failure) => self.unreadable(handle, failure),
        };
        let now = self.tasks.now();
        let time = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
        let mut task = Task::new(
            self.tasks.sealer.seal(handle),
            observed.payload.status(),
            time(handle.issued_at()),
            time(observed.updated.unwrap_or(now)),
        )
        .with_ttl_ms(handle.ttl_ms);
        task.status_message = observed.message;
        task.poll_interval_ms = observed.poll.map(|p| p.as_millis() as u64);
        DetailedTask::new(task, observed.payload)
    }

    async fn observe(
        &self,
        handle: &Handle,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<Observed, ToolFailure> {
        let guide = self.guide(ctx);
        match &handle.job {
            Job::Run {
                agent_id,
                run_id,
                attempt,
                already_running,
            } => {
                let run = self.jobs.run(agent_id, run_id).await?;
                let updated = run.ended_at;
                Ok(match status::of_run(&run, *attempt) {
                    Progress::Finished { note } => {
                        let output = self
                            .run_agent_output(&run, *already_running, WaitEnd::Done, guide)
                            .await;
                        finished(Json(output).into_call_tool_result(), note, updated)
                    }
                    Progress::WaitingForInput => {
                        let pending = self.jobs.platform.interaction(run_id).await?;
                        let asked = pending
                            .as_ref()
                            .and_then(|p| input::request(p, ctx.client_capabilities().as_ref()));
                        let message =
                            input::waiting_message(pending.as_ref(), &handle.job.fallback());
                        match asked {
                            Some((key, request)) => Observed {
                                payload: TaskPayload::InputRequired {
                                    input_requests: InputRequests::from([(key, request)]),
                                },
                                message: Some(message),
                                poll: Some(status::input_poll()),
                                updated: None,
                            },
                            None => Observed::working(message, status::input_poll()),
                        }
                    }
                    Progress::Working { message, poll } => Observed::working(message, poll),
                    Progress::Cancelled { message } => Observed::cancelled(message, updated),
                })
            }
            Job::Build { session_id, turn } => {
                let build = self
                    .jobs
                    .platform
                    .build(session_id)
                    .await?
                    .as_of_turn(*turn);
                Ok(match status::of_build(&build) {
                    Progress::Finished { note } => finished(
                        Json(BuildView::new(&build, guide)).into_call_tool_result(),
                        note,
                        None,
                    ),
                    Progress::Working { message, poll } => Observed::working(message, poll),
                    Progress::Cancelled { message } => Observed::cancelled(message, None),
                    Progress::WaitingForInput => {
                        unreachable!("builds never wait for input")
                    }
                })
            }
        }
    }

    /// The task while the platform cannot say how its job is.
    fn unreadable(&self, handle: &Handle, failure: ToolFailure) -> Observed {
        let young = self.tasks.now() - handle.issued_at() < APPEARING;
        match failure.code {
            Code::NotFound if young => Observed::working("starting".into(), UNAVAILABLE_POLL),
            Code::NotFound | Code::Unauthorized | Code::Forbidden => Observed {
                payload: TaskPayload::Failed {
                    error: object(json!({
                        "code": ErrorCode::INTERNAL_ERROR.0,
                        "message": failure.text(),
                    })),
                },
                message: Some(format!(
                    "the platform no longer shows {}",
                    handle.job.fallback()
                )),
                poll: None,
                updated: None,
            },
            _ => Observed::working(
                format!(
                    "status temporarily unavailable ({}); the job goes on",
                    failure.text()
                ),
                UNAVAILABLE_POLL,
            ),
        }
    }
}

/// A finished task carrying the tool's own result (a tool failure included: it is a result).
fn finished(
    result: Result<CallToolResponse, ErrorData>,
    note: Option<String>,
    updated: Option<DateTime<Utc>>,
) -> Observed {
    let payload = match result {
        Ok(CallToolResponse::Complete(result)) => TaskPayload::Completed {
            result: object(serde_json::to_value(result).unwrap_or_default()),
        },
        Ok(_) => TaskPayload::Failed {
            error: object(json!({
                "code": ErrorCode::INTERNAL_ERROR.0,
                "message": "the tool answered with something other than a result",
            })),
        },
        Err(error) => TaskPayload::Failed {
            error: object(serde_json::to_value(error).unwrap_or_default()),
        },
    };
    Observed {
        payload,
        message: note,
        poll: None,
        updated,
    }
}

fn object(value: Value) -> JsonObject {
    match value {
        Value::Object(map) => map,
        _ => JsonObject::new(),
    }
}
