//! Toolset `spaces`: spaces with their agents, and starting every agent of a space.

mod list_spaces;
mod run_space;

use rmcp::handler::server::router::tool::ToolRouter;

use super::Server;

impl Server {
    pub(super) fn spaces_router() -> ToolRouter<Self> {
        Self::list_spaces_router() + Self::run_space_router()
    }
}
