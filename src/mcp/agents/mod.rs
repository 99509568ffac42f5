//! Toolset `agents`: an agent's details and versions; restore an old version, archive.

mod archive_agent;
mod get_agent;
mod list_versions;
mod restore_version;

use rmcp::handler::server::router::tool::ToolRouter;

use super::Server;

impl Server {
    pub(super) fn agents_router() -> ToolRouter<Self> {
        Self::get_agent_router()
            + Self::list_versions_router()
            + Self::restore_version_router()
            + Self::archive_agent_router()
    }
}
