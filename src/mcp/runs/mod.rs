//! Toolset `runs`: more about runs than the core loop needs.

mod save_records;

use rmcp::handler::server::router::tool::ToolRouter;

use super::Server;

impl Server {
    pub(super) fn runs_router() -> ToolRouter<Self> {
        Self::save_records_router()
    }
}
