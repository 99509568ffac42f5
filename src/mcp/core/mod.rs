//! Toolset `core`: build, run, follow, stop, restart and read agents.

mod build_agent;
mod fetch_records;
mod get_run_status;
mod list_agents;
mod list_runs;
mod restart_run;
mod run_agent;
mod stop_run;
