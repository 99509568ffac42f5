//! The client's model, asked through MCP sampling (`sampling/createMessage`) when the client
//! declared the capability: the jobs layer's [`ModelChooser`], so jobs/ never sees MCP.
//!
//! rmcp marks sampling deprecated (a later protocol revision replaces server-to-client
//! requests), but it is how today's clients lend their model; a client on that revision
//! answers with an error, which leaves the build as it was.
#![allow(deprecated)]

use async_trait::async_trait;
use rmcp::{
    Peer, RoleServer,
    model::{CreateMessageRequestParams, SamplingMessage},
};

use crate::jobs::model_choice::{ANSWER_TOKENS, ModelChooser, ModelQuestion};

/// The client's model behind a connected peer.
pub(super) struct ClientModel<'p> {
    peer: &'p Peer<RoleServer>,
}

impl<'p> ClientModel<'p> {
    /// The client's model, when the client said it can lend it (the sampling capability).
    pub(super) fn of(peer: &'p Peer<RoleServer>) -> Option<Self> {
        peer.peer_info()
            .is_some_and(|info| info.capabilities.sampling.is_some())
            .then_some(ClientModel { peer })
    }
}

#[async_trait]
impl ModelChooser for ClientModel<'_> {
    async fn ask(&self, question: &ModelQuestion) -> Result<String, String> {
        let params = CreateMessageRequestParams::new(
            vec![SamplingMessage::user_text(question.text.clone())],
            ANSWER_TOKENS,
        )
        .with_system_prompt(question.system.clone())
        .with_temperature(0.0);
        let result = self.peer.create_message(params).await;
        let result = result.map_err(|_| {
            "the client did not answer (it declined or could not sample)".to_string()
        })?;
        let text: Vec<String> = result
            .message
            .content
            .iter()
            .filter_map(|block| block.as_text().map(|t| t.text.clone()))
            .collect();
        if text.is_empty() {
            return Err("its answer held no text".into());
        }
        Ok(text.join("\n"))
    }
}
