//! What a new engine does with the work a previous one left behind, before it serves anyone:
//! runs that were active end in Failure (so they can be restarted) with every record they had
//! saved exported to their files, and builds in progress end with an error.
//!
//! It runs only in the engine that holds the data directory's lock, so it can never fail a
//! run that another engine is still working on. Each run is exported first and marked last,
//! so a crash during recovery leaves it active for the next engine to recover again.

use std::path::Path;

use super::{
    runner::export_run,
    store::{RUN_RECOVERY_MESSAGE, Store, StoreResult},
};
use crate::api::types::RunStatus;

/// What recovery found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovered {
    pub runs: usize,
    pub sessions: usize,
    /// Records exported from the recovered runs.
    pub records: i64,
}

/// Recovers interrupted runs and builds (blocking; reads every saved record once).
pub fn recover(store: &Store, files_dir: &Path) -> StoreResult<Recovered> {
    let mut recovered = Recovered::default();
    for run in store.interrupted_runs()? {
        let exported = match &run.definition {
            Some(def) => export_run(
                store,
                run.run_id,
                &run.agent_name,
                def,
                &files_dir.join(run.run_id.to_string()),
            ),
            None => Err("its agent version no longer exists".into()),
        };
        let exported = exported.unwrap_or_else(|e| {
            tracing::warn!(run_id = run.run_id, error = %e, "the records of an interrupted run could not be exported");
            0
        });
        store.finish_run(
            run.run_id,
            RunStatus::FAILURE,
            RUN_RECOVERY_MESSAGE,
            exported,
        )?;
        tracing::warn!(
            run_id = run.run_id,
            agent = %run.agent_name,
            records = exported,
            reason = RUN_RECOVERY_MESSAGE,
            "run failed"
        );
        recovered.runs += 1;
        recovered.records += exported;
    }
    recovered.sessions = store.recover_sessions()?;
    Ok(recovered)
}
