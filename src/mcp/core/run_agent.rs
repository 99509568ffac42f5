//! `run_agent`: start a run of an agent (or return the one already running) and wait a bounded
//! time for it to finish.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

use crate::{
    jobs::{
        Guide, Id, Run, ToolFailure, number,
        number::in_range,
        platform::StartRun,
        views::RunView,
        wait::{WaitEnd, Waiter},
    },
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunAgentInput {
    /// Agent to run. Give this or agent_name.
    #[serde(default)]
    pub agent_id: Option<Id>,
    /// Exact agent name (case-insensitive), instead of agent_id.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// Values for the agent's input parameters, e.g. {"query": "laptops"}.
    #[serde(default)]
    pub input_parameters: Option<Map<String, Value>>,
    /// Parallel sessions, 1 to 50 (default 1).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
    pub parallelism: Option<i64>,
    /// Start a new run even if one is active (default false).
    #[serde(default)]
    pub allow_concurrent: bool,
    /// Seconds to wait for the run to end, 0 to 45 (default 20).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
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

#[tool_router(router = run_agent_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Start a run of an agent and wait up to wait_seconds for it to finish. Returns the run
    /// handle (agent_id, run_id) and status; while it runs, follow next_step. An agent's
    /// active run is returned instead of starting a second one unless allow_concurrent is true.
    #[tool(
        title = "Run an agent",
        input_schema = args::schema::<RunAgentInput>()
    )]
    async fn run_agent(
        &self,
        Args(input): Args<RunAgentInput>,
        cancel: CancellationToken,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<RunAgentOutput>, ToolFailure> {
        let input = input?;
        let guide = self.guide(&ctx);
        let agent_id = self
            .jobs
            .resolve_agent(input.agent_id.as_ref(), input.agent_name.as_deref(), guide)
            .await?;
        let start = StartRun {
            parallelism: input
                .parallelism
                .map(|p| in_range("parallelism", p, 1, 50))
                .transpose()?,
            input: input.input_parameters,
            exclusive: !input.allow_concurrent,
        };
        let mut waiter = Waiter::new(cancel, &ctx);
        let started = self
            .jobs
            .start(
                &mut waiter,
                &agent_id,
                start,
                input.allow_concurrent,
                number::wait(input.wait_seconds, 20)?,
            )
            .await?;
        Ok(Json(
            self.run_agent_output(&started.run, started.already_running, started.end, guide)
                .await,
        ))
    }
}

impl Server {
    /// run_agent's answer for a run as its wait left it. A run_agent task that finished
    /// (`mcp::tasks`) answers with this too, so both are the same result.
    pub(in crate::mcp) async fn run_agent_output(
        &self,
        run: &Run,
        already_running: bool,
        end: WaitEnd,
        guide: Guide,
    ) -> RunAgentOutput {
        let mut view = RunView::new(run, guide);
        let mut preview = Vec::new();
        if !already_running && end == WaitEnd::Done && run.records() > 0 {
            preview = self.jobs.preview(&run.agent_id, &run.run_id).await;
        }
        if end == WaitEnd::TimedOut {
            view.next_step = format!("Still {}: {}", view.phase, view.next_step);
        }
        RunAgentOutput {
            run: view,
            already_running,
            preview,
        }
    }
}
