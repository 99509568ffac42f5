//! Toolset `core`: build, run, follow, stop, restart and read agents.

mod build_agent;
mod fetch_records;
mod get_run_status;
mod list_agents;
mod list_runs;
mod restart_run;
mod run_agent;
mod stop_run;

use rmcp::handler::server::router::tool::ToolRouter;

use super::Server;

impl Server {
    pub(super) fn core_router() -> ToolRouter<Self> {
        Self::build_agent_router()
            + Self::run_agent_router()
            + Self::get_run_status_router()
            + Self::stop_run_router()
            + Self::restart_run_router()
            + Self::fetch_records_router()
            + Self::list_agents_router()
            + Self::list_runs_router()
    }
}
