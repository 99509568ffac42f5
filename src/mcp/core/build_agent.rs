//! `build_agent`: turn the user's plain-language request into a saved agent with the Agent
//! Builder, waiting a bounded time and relaying the builder's narration as progress.

use rmcp::{Json, RoleServer, service::RequestContext, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use crate::{
    jobs::{
        BuildState, Id, ToolFailure, failure::bounded_text, number, platform::BuildRequest,
        views::BuildView, wait::Waiter,
    },
    mcp::{
        Server,
        args::{self, Args},
        sampling::ClientModel,
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildAgentInput {
    /// The user's own words: the page URL and the fields wanted, 10 to 5000 characters.
    /// Pass them verbatim; do not invent fields, formats or pagination rules.
    #[serde(default)]
    pub prompt: Option<String>,
    /// Space to create the agent in (cloud).
    #[serde(default)]
    pub space_id: Option<Id>,
    /// Name for the new agent, at most 200 characters.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// Resume waiting on an earlier build instead of starting one.
    #[serde(default)]
    pub session_id: Option<String>,
    /// With session_id: a change to the built agent in the user's words ("add the rating").
    #[serde(default)]
    pub message: Option<String>,
    /// Seconds to wait for the build, 0 to 45 (default 30).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
    pub wait_seconds: Option<i64>,
}

const PROMPT_CHARS: std::ops::RangeInclusive<usize> = 10..=5000;
/// Longest agent name or session id accepted.
const MAX_NAME_CHARS: usize = 200;

#[tool_router(router = build_agent_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Create an agent from a plain-language request (URL + fields to extract) with the Agent
    /// Builder. Make sure the user named the site and the data; ask if not. Waits up to
    /// wait_seconds; if still building, call again with session_id. To refine the agent, call
    /// with session_id and message. Then run it with run_agent.
    #[tool(
        title = "Build an agent",
        input_schema = args::schema::<BuildAgentInput>()
    )]
    async fn build_agent(
        &self,
        Args(input): Args<BuildAgentInput>,
        cancel: CancellationToken,
        ctx: RequestContext<RoleServer>,
    ) -> Result<Json<BuildView>, ToolFailure> {
        let input = input?;
        let message = input.message.as_deref().map(str::trim);
        let mut refinement = None;
        let session_id = match (
            input.session_id.as_deref().map(str::trim),
            input.prompt.as_deref(),
        ) {
            (Some(session), None) if !session.is_empty() => {
                let session = bounded_text("session_id", session, MAX_NAME_CHARS)?;
                if let Some(message) = message {
                    let message = check_message(message)?;
                    refinement = Some(self.jobs.refine_build(session, message).await?);
                }
                session.to_string()
            }
            (None, Some(_)) if message.is_some() => {
                return Err(ToolFailure::invalid(
                    "message changes an agent that a build made, so it needs session_id",
                    "Put the whole request in prompt to start a build, or pass session_id with message",
                ));
            }
            (None, Some(prompt)) => {
                let request = self.build_request(prompt, &input)?;
                self.jobs.start_build(&request).await?
            }
            _ => {
                return Err(ToolFailure::invalid(
                    "build_agent needs either prompt (to start a build) or session_id (to resume one)",
                    "Pass exactly one of them",
                ));
            }
        };
        let mut waiter = Waiter::new(cancel.clone(), &ctx);
        let (mut build, _) = self
            .jobs
            .wait_for_build(
                &mut waiter,
                &session_id,
                number::wait(input.wait_seconds, 30)?,
            )
            .await?;
        // A build saved without some fields: the client's model, when the client lends it,
        // chooses among the candidates (not after a follow-up: the user is steering then).
        let mut pick = None;
        if refinement.is_none()
            && build.state == BuildState::Completed
            && !build.missing_fields.is_empty()
            && let Some(model) = ClientModel::of(&ctx.peer)
        {
            let chosen = tokio::select! {
                chosen = self.jobs.complete_with_model(&build, &model) => Some(chosen),
                _ = cancel.cancelled() => None,
            };
            if let Some(chosen) = chosen {
                if !chosen.added.is_empty() {
                    build = self.jobs.platform.build(&session_id).await?;
                }
                pick = Some(chosen);
            }
        }
        let view = BuildView::new(&build, self.guide(&ctx));
        Ok(Json(match (refinement, pick) {
            (Some(refinement), _) => view.refined(refinement),
            (None, Some(pick)) => view.chosen_by_model(pick),
            (None, None) => view,
        }))
    }
}

/// A follow-up message: the user's words, not empty and not a whole document.
fn check_message(message: &str) -> Result<&str, ToolFailure> {
    if message.is_empty() {
        return Err(ToolFailure::invalid(
            "message is empty",
            "Say what to change, e.g. \"add the rating\" or \"first page only\"",
        ));
    }
    bounded_text("message", message, *PROMPT_CHARS.end())
}

impl Server {
    fn build_request(
        &self,
        prompt: &str,
        input: &BuildAgentInput,
    ) -> Result<BuildRequest, ToolFailure> {
        let prompt = prompt.trim();
        let chars = prompt.chars().count();
        if !PROMPT_CHARS.contains(&chars) {
            return Err(ToolFailure::invalid(
                format!("prompt has {chars} characters; it must have 10 to 5000"),
                "Describe the page URL and the fields to extract in the user's words",
            ));
        }
        let agent_name = match input.agent_name.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => {
                Some(bounded_text("agent_name", name, MAX_NAME_CHARS)?.to_string())
            }
            _ => None,
        };
        Ok(BuildRequest {
            prompt: prompt.to_string(),
            space_id: input
                .space_id
                .as_ref()
                .map(|s| self.jobs.id("space_id", s))
                .transpose()?,
            agent_name,
        })
    }
}
