//! Toolset `runs`: more about runs than the core loop needs: whole datasets, diagnoses,
//! files, deletion and summaries.

mod delete_run;
mod get_run_diagnostics;
mod list_run_files;
mod runs_summary;
mod save_records;

use rmcp::handler::server::router::tool::ToolRouter;

use super::Server;

impl Server {
    pub(super) fn runs_router() -> ToolRouter<Self> {
        Self::save_records_router()
            + Self::get_run_diagnostics_router()
            + Self::list_run_files_router()
            + Self::delete_run_router()
            + Self::runs_summary_router()
    }
}
