//! The records an active run has committed so far, offered as one more run file.
//!
//! A run's export files are listed only once it ends, yet the runner commits records every
//! few hundred milliseconds; clients read records only through run files (as on the cloud),
//! so an active run lists a virtual JSON file whose download streams the committed records
//! from the store, in the export's own shape (`{"<AgentName>": [...]}`). Its id is the
//! negative run id: no row is stored, so nothing is left to clean up when the run ends, and
//! a file id of the store (always positive) can never collide with it.

use axum::{
    body::Body,
    http::header,
    response::{IntoResponse, Response},
};

use super::{Answer, AppState, Failure};
use crate::{
    api::types::{AgentRun, RunFile, file_type},
    local::export::{file_stem, records_json_stream},
};

/// The file id of `run_id`'s live records.
pub(super) fn live_file_id(run_id: i64) -> i64 {
    -run_id
}

/// The run a live file id stands for, if it is one.
pub(super) fn live_run_id(file_id: i64) -> Option<i64> {
    (file_id < 0).then(|| -file_id)
}

/// The live records file of `run`, listed while the run is active.
pub(super) fn live_file(run: &AgentRun) -> Option<RunFile> {
    run.status().is_active().then(|| RunFile {
        id: live_file_id(run.id),
        file_type: Some(file_type::EXTRACTED_FILES),
        name: Some(format!(
            "{} (records so far).json",
            file_stem(run.config_name.as_deref().unwrap_or_default())
        )),
        file_size: None,
        created: None,
    })
}

/// Why a live file cannot be served any more: its run ended (its export replaced it).
pub(super) fn ended(run_id: i64) -> Failure {
    Failure::not_found(
        "file-not-found",
        "File not found",
        format!(
            "Run {run_id} has ended, so its records so far were replaced by its export files; list the run's files again."
        ),
    )
}

/// Streams the records `run_id` has committed so far.
pub(super) fn serve(state: &AppState, run_id: i64) -> Answer<Response> {
    let run = state
        .store
        .run_by_id(run_id)?
        .filter(|r| r.status().is_active())
        .ok_or_else(|| ended(run_id))?;
    let name = run.config_name.clone().unwrap_or_default();
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(records_json_stream(state.store.clone(), run.id, name)),
    )
        .into_response())
}
