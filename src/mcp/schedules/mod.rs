//! Toolset `schedules`: run agents by themselves, once, every N periods or on a cron.

mod delete_schedule;
mod list_schedules;
mod schedule_agent;
mod set_schedule_enabled;

use rmcp::handler::server::router::tool::ToolRouter;

use super::Server;

impl Server {
    pub(super) fn schedules_router() -> ToolRouter<Self> {
        Self::list_schedules_router()
            + Self::schedule_agent_router()
            + Self::set_schedule_enabled_router()
            + Self::delete_schedule_router()
    }
}
