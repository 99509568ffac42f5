//! Sequentum's analytics answers in neutral terms (diagnostics and summaries), and the
//! neutral removal as a `removeMethod`.

use super::{
    analytics::{RecordsSummaryWire, RunDiagnostics, RunsSummaryWire},
    run_removal::remove_method,
    types::RunStatus,
};
use crate::jobs::model::{
    Id,
    diagnostics::{Diagnosis, PageTrace},
    summary::{FailedRun, RecordCounts, Removal, RunCounts, RunsSummary},
};

pub fn diagnosis(wire: RunDiagnostics, agent: i64) -> Diagnosis {
    Diagnosis {
        agent_id: Id::Num(if wire.agent_id > 0 {
            wire.agent_id
        } else {
            agent
        }),
        run_id: Id::Num(wire.run_id),
        status: wire.status.unwrap_or(RunStatus::INVALID).name(),
        message: wire.error_message.filter(|m| !m.trim().is_empty()),
        runtime_seconds: wire.runtime_seconds,
        causes: wire.possible_causes,
        actions: wire.suggested_actions,
        page_log: wire
            .pages
            .into_iter()
            .map(|p| PageTrace {
                url: p.url,
                http: p.http_status,
                ms: p.fetch_ms,
                records: p.records,
                problem: p.problem,
            })
            .collect(),
    }
}

pub fn runs_summary(wire: RunsSummaryWire) -> RunsSummary {
    RunsSummary {
        counts: RunCounts {
            total: wire.total_runs,
            completed: wire.completed_runs,
            completed_with_errors: wire.completed_with_errors_runs,
            failed: wire.failed_runs,
            stopped: wire.stopped_runs,
            running: wire.running_runs,
            queued: wire.queued_runs,
        },
        failed_runs: wire
            .failed_run_details
            .unwrap_or_default()
            .into_iter()
            .map(|r| FailedRun {
                agent_id: Id::Num(r.agent_id),
                run_id: Id::Num(r.run_id),
                agent: r.agent_name,
                at: r.end_time.or(r.start_time),
                error: r.error_message,
            })
            .collect(),
    }
}

pub fn record_counts(wire: RecordsSummaryWire) -> RecordCounts {
    RecordCounts {
        extracted: wire.total_records_extracted,
        exported: wire.total_records_exported,
        errors: wire.total_errors,
        pages: wire.total_page_loads,
    }
}

pub fn remove_method(removal: Removal) -> &'static str {
    match removal {
        Removal::Run => remove_method::ENTIRE_RUN,
        Removal::Files => remove_method::ALL_FILES,
        Removal::FilesAndInput => remove_method::FILES_AND_INPUT,
    }
}
