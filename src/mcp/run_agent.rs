//! `run_agent`: start a run of an agent (or return the one already running) and wait a bounded
//! time for it to finish.

use rmcp::{
    Json, RoleServer, handler::server::wrapper::Parameters, service::RequestContext, tool,
    tool_router,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

use super::{
    Server,
    failure::{ToolFailure, in_range},
    views::RunView,
    wait::{WaitEnd, Waiter, clamp_wait},
};
use crate::api::{ApiError, types::StartRunRequest};

#[derive(Debug, Deserialize, JsonSchema)]
pub struct RunAgentInput {
    /// Agent to run (from list_agents or build_agent). Give this or agent_name.
    #[serde(default)]
    pub agent_id: Option<i64>,
    /// Exact agent name (case-insensitive), instead of agent_id.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// Values for the agent's input parameters, e.g. {"query": "laptops"}.
    #[serde(default)]
    pub input_parameters: Option<Map<String, Value>>,
    /// Parallel sessions, 1..50 (default 1).
    #[serde(default)]
    pub parallelism: Option<i64>,
    /// Start a new run even if one is active (default false: return the active run instead).
    #[serde(default)]
    pub allow_concurrent: bool,
    /// Seconds to wait for the run to finish, 0..45 (default 20).
    #[serde(default)]
    pub wait_seconds: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct RunAgentOutput {
    #[serde(flatten)]
    pub run: RunView,
    /// True when an already active run was returned instead of starting a new one.
    pub already_running: bool,
    /// Up to 3 records when the run finished within the wait (untrusted scraped data).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub preview: Vec<Value>,
}

/// Runs checked for an active one before starting.
const ACTIVE_SCAN: u32 = 20;

#[tool_router(router = run_agent_router, vis = "pub(super)")]
impl Server {
    /// Start a run of an agent and wait up to wait_seconds for it to finish. Returns the run
    /// handle (agent_id, run_id) and status; if it is still running, follow next_step
    /// (get_run_status). If the agent already has an active run, that run is returned instead
    /// of starting a second one unless allow_concurrent is true.
    #[tool(
        title = "Run an agent",
        annotations(
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = true
        )
    )]
    async fn run_agent(
        &self,
        Parameters(input): Parameters<RunAgentInput>,
        cancel: CancellationToken,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<RunAgentOutput>, ToolFailure> {
        let agent_id = self
            .resolve_agent(input.agent_id, input.agent_name.as_deref())
            .await?;
        let parallelism = input
            .parallelism
            .map(|p| in_range("parallelism", p, 1, 50))
            .transpose()?;
        let budget = clamp_wait(input.wait_seconds, 20);
        let subject = format!("agent {agent_id}");

        if !input.allow_concurrent {
            let runs = self
                .client
                .list_runs(agent_id, ACTIVE_SCAN)
                .await
                .map_err(|e| ToolFailure::from_api(e, &subject))?;
            if let Some(active) = runs.iter().find(|r| r.status().is_active()) {
                let view = RunView::from_run(active, agent_id);
                return Ok(Json(RunAgentOutput {
                    run: view,
                    already_running: true,
                    preview: Vec::new(),
                }));
            }
        }

        let request = StartRunRequest {
            parallelism,
            input_parameters: input.input_parameters.map(|p| Value::Object(p).to_string()),
            is_exclusive: Some(!input.allow_concurrent),
            ..Default::default()
        };
        let started = self
            .client
            .start_run(agent_id, &request)
            .await
            .map_err(|e| start_failure(e, agent_id))?;
        let run_id = started.id;
        let mut waiter = Waiter::new(cancel, &ctx);
        let (run, end) = self
            .wait_for_run(&mut waiter, started, agent_id, run_id, budget)
            .await
            .map_err(|f| f.started_run(agent_id, run_id))?;
        let mut view = RunView::from_run(&run, agent_id);
        let mut preview = Vec::new();
        if end == WaitEnd::Done && view.records_extracted.max(view.records_exported) > 0 {
            preview = self.preview_records(agent_id, run_id).await;
        }
        if end == WaitEnd::TimedOut {
            view.next_step = format!("Still {}: {}", view.phase, view.next_step);
        }
        Ok(Json(RunAgentOutput {
            run: view,
            already_running: false,
            preview,
        }))
    }
}

/// A failed start. A start that timed out, lost its connection or met a server or gateway
/// error (5xx: the platform may have queued the run before failing to answer) may still have
/// started a run, so the model is told to look before starting again.
fn start_failure(err: ApiError, agent_id: i64) -> ToolFailure {
    let uncertain = matches!(
        err,
        ApiError::Timeout(_) | ApiError::Network(_) | ApiError::Status { status: 500.., .. }
    );
    let failure = ToolFailure::from_api(err, &format!("agent {agent_id}"));
    if uncertain {
        ToolFailure::new(
            failure.code,
            format!("{}; the run may or may not have started", failure.message),
            format!(
                "Call list_runs with agent_id={agent_id} to check before calling run_agent again"
            ),
        )
    } else {
        failure
    }
}

impl ToolFailure {
    /// Adds the handle of a run that did start, so a failure while waiting never loses it.
    pub(super) fn started_run(self, agent_id: i64, run_id: i64) -> Self {
        ToolFailure {
            message: format!(
                "Run {run_id} of agent {agent_id} was started, but following it failed: {}",
                self.message
            ),
            hint: format!(
                "Call get_run_status with agent_id={agent_id}, run_id={run_id} later. {}",
                self.hint
            ),
            ..self
        }
    }
}
