//! Toolset `analysis`: questions asked of the data rather than of the pages: SQL over a run's
//! records, and what changed between two runs.

mod compare_runs;
mod query_records;

use rmcp::handler::server::router::tool::ToolRouter;

use super::Server;

impl Server {
    pub(super) fn analysis_router() -> ToolRouter<Self> {
        Self::query_records_router() + Self::compare_runs_router()
    }
}
