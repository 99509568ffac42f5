//! Toolset `runs`: more about runs than the core loop needs: whole datasets, diagnoses,
//! files, deletion and summaries.

mod delete_run;
mod get_run_diagnostics;
mod list_run_files;
mod runs_summary;
mod save_records;
