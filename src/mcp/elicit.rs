//! Asking the user directly for what a paused run needs (MCP elicitation), so that a one-time
//! code never passes through the model: a secret through a page on loopback (URL mode; the
//! protocol forbids asking for secrets in form mode), anything else (an account to pick)
//! through a form. Without elicitation, the model uses `answer_interaction` instead.

use std::time::Duration;

use rmcp::{
    Peer, RoleServer,
    model::{ElicitRequestParams, ElicitationAction, ElicitationSchema},
    service::ElicitationMode,
};
use serde_json::{Map, Value};

use super::{Server, answer_page::AnswerPage};
use crate::jobs::{Run, RunState, ToolFailure, interactions::Interaction, wait::Waiter};

/// Questions asked in one call: a wrong code asks again, but never endlessly.
const ROUNDS: usize = 3;

impl Server {
    /// While `run` waits for input and the client can ask its user, asks, submits the answer
    /// and waits on (within `budget`); returns the run as it then stands.
    pub(super) async fn ask_user(
        &self,
        mut run: Run,
        peer: &Peer<RoleServer>,
        waiter: &mut Waiter,
        budget: Duration,
    ) -> Result<Run, ToolFailure> {
        for _ in 0..ROUNDS {
            if run.state != RunState::WaitingForInput {
                break;
            }
            let Ok(Some(question)) = self.jobs.platform.interaction(&run.run_id).await else {
                break;
            };
            let Some(values) = ask(peer, &question, self.settings.caller_is_local).await else {
                break;
            };
            run = self.jobs.answer(&run.run_id, &values).await?;
            if run.state != RunState::WaitingForInput {
                run = self.jobs.wait_for_run(waiter, run, budget).await?.0;
            }
        }
        Ok(run)
    }
}

/// The user's answer, or `None` when the client cannot ask or the user declined.
async fn ask(
    peer: &Peer<RoleServer>,
    question: &Interaction,
    caller_is_local: bool,
) -> Option<Map<String, Value>> {
    let modes = peer.supported_elicitation_modes();
    let message = format!("The site asks: {}", question.message);
    if question.has_secret() {
        // A loopback page is of use only to a user on this machine.
        if !caller_is_local || !modes.contains(&ElicitationMode::Url) {
            return None;
        }
        let page = AnswerPage::open(question).await.ok()?;
        let action = peer
            .elicit_url(message, page.url.clone(), page.id.clone())
            .await
            .ok()?;
        return match action {
            ElicitationAction::Accept => page.answer().await,
            _ => None,
        };
    }
    if !modes.contains(&ElicitationMode::Form) {
        return None;
    }
    let schema = question
        .fields
        .iter()
        .fold(ElicitationSchema::builder(), |b, f| {
            b.required_string(f.name.clone())
        })
        .build()
        .ok()?;
    let result = peer
        .create_elicitation(ElicitRequestParams::FormElicitationParams {
            meta: None,
            message,
            requested_schema: schema,
        })
        .await
        .ok()?;
    match result.action {
        ElicitationAction::Accept => result.content?.as_object().cloned(),
        _ => None,
    }
}
