//! Toolset `usage`: credits and costs (Sequentum cloud; the engine lists "usage" among its
//! unsupported toolsets, so the tool is never offered there).

mod get_usage;

use rmcp::handler::server::router::tool::ToolRouter;

use super::Server;

impl Server {
    pub(super) fn usage_router() -> ToolRouter<Self> {
        Self::get_usage_router()
    }
}
