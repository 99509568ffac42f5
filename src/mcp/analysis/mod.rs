//! Toolset `analysis`: questions asked of the data rather than of the pages: SQL over a run's
//! records, and what changed between two runs.

mod compare_runs;
mod query_records;
