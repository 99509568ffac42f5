//! Toolset `editor`: read an agent's definition, dry-run a definition (or a change to it) on a
//! page with per-field evidence, and save it as a new version. The embedded engine only: the
//! cloud lists "editor" among its unsupported toolsets.

mod get_agent_definition;
mod test_agent_definition;
mod update_agent_definition;

use rmcp::handler::server::router::tool::ToolRouter;

use super::Server;

impl Server {
    pub(super) fn editor_router() -> ToolRouter<Self> {
        Self::get_agent_definition_router()
            + Self::test_agent_definition_router()
            + Self::update_agent_definition_router()
    }
}
