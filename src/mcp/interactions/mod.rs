//! Toolset `interactions`: runs that pause for a person (Deck). Answers to secrets go through
//! elicitation where the client has it (see `get_run_status`); these tools are the fallback.

mod answer_interaction;
mod list_credentials;

use rmcp::handler::server::router::tool::ToolRouter;

use super::Server;

impl Server {
    pub(super) fn interactions_router() -> ToolRouter<Self> {
        Self::answer_interaction_router() + Self::list_credentials_router()
    }
}
