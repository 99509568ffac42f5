//! `build_agent`: turn the user's plain-language request into a saved agent with the Agent
//! Builder, waiting a bounded time and relaying the builder's narration as progress.

use rmcp::{
    Json, RoleServer, handler::server::wrapper::Parameters, service::RequestContext, tool,
    tool_router,
};
use schemars::JsonSchema;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::{
    Server,
    failure::{ToolFailure, positive_id},
    views::BuildView,
    wait::{Waiter, clamp_wait},
};
use crate::api::types::BuilderStartRequest;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct BuildAgentInput {
    /// The user's own words: the page URL and the fields wanted, 10..5000 characters.
    /// Pass them verbatim; do not invent fields, formats or pagination rules.
    #[serde(default)]
    pub prompt: Option<String>,
    /// Space to create the agent in (cloud).
    #[serde(default)]
    pub space_id: Option<i64>,
    /// Name for the new agent.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// Resume waiting on an earlier build instead of starting one.
    #[serde(default)]
    pub session_id: Option<String>,
    /// Seconds to wait for the build, 0..45 (default 30).
    #[serde(default)]
    pub wait_seconds: Option<i64>,
}

const PROMPT_CHARS: std::ops::RangeInclusive<usize> = 10..=5000;

#[tool_router(router = build_agent_router, vis = "pub(super)")]
impl Server {
    /// Create an agent from a plain-language request (URL + fields to extract) with the Agent
    /// Builder. Before calling, make sure the user named the site and the data; ask if not.
    /// Waits up to wait_seconds; if still building, call again with the returned session_id.
    /// When completed, run the new agent with run_agent.
    #[tool(
        title = "Build an agent",
        annotations(
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = true
        )
    )]
    async fn build_agent(
        &self,
        Parameters(input): Parameters<BuildAgentInput>,
        cancel: CancellationToken,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<BuildView>, ToolFailure> {
        let session_id = match (
            input.session_id.as_deref().map(str::trim),
            input.prompt.as_deref(),
        ) {
            (Some(session), None) if !session.is_empty() => session.to_string(),
            (None, Some(prompt)) => self.start_build(prompt, &input).await?,
            _ => {
                return Err(ToolFailure::invalid(
                    "build_agent needs either prompt (to start a build) or session_id (to resume one)",
                    "Pass exactly one of them",
                ));
            }
        };
        let mut waiter = Waiter::new(cancel, &ctx);
        let first = self.build_snapshot(&session_id).await?;
        let (view, _) = waiter
            .wait_for(
                first,
                clamp_wait(input.wait_seconds, 30),
                self.settings.poll_interval,
                || self.build_snapshot(&session_id),
                |view| view.status != "building",
                |view| {
                    view.narration
                        .last()
                        .cloned()
                        .unwrap_or_else(|| format!("Build {}", view.status))
                },
            )
            .await
            .map_err(|f| ToolFailure {
                hint: format!(
                    "Call build_agent with session_id=\"{session_id}\" to check again. {}",
                    f.hint
                ),
                ..f
            })?;
        Ok(Json(view))
    }
}

impl Server {
    async fn start_build(
        &self,
        prompt: &str,
        input: &BuildAgentInput,
    ) -> Result<String, ToolFailure> {
        let prompt = prompt.trim();
        let chars = prompt.chars().count();
        if !PROMPT_CHARS.contains(&chars) {
            return Err(ToolFailure::invalid(
                format!("prompt has {chars} characters; it must have 10 to 5000"),
                "Describe the page URL and the fields to extract in the user's words",
            ));
        }
        let space_id = input
            .space_id
            .map(|s| positive_id("space_id", s))
            .transpose()?;
        let request = BuilderStartRequest {
            prompt: prompt.to_string(),
            space_id,
            agent_name: input
                .agent_name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
        };
        self.client
            .builder_start(&request)
            .await
            .map_err(|e| ToolFailure::from_api(e, "the Agent Builder"))
    }

    /// Status of a build plus its narration. Deployments without the events endpoint simply
    /// give no narration.
    pub(super) async fn build_snapshot(&self, session_id: &str) -> Result<BuildView, ToolFailure> {
        let status = self
            .client
            .builder_status(session_id)
            .await
            .map_err(|e| ToolFailure::from_api(e, &format!("build session {session_id:?}")))?;
        let narration = match self.client.builder_events(session_id, -1).await {
            Ok(page) => page
                .events
                .iter()
                .filter_map(|e| e.narration())
                .map(|line| crate::records::sanitize::clean_text(&line).into_owned())
                .collect(),
            Err(e) => {
                tracing::debug!("builder events unavailable: {e}");
                Vec::new()
            }
        };
        Ok(BuildView::from_status(session_id, &status, narration))
    }
}
