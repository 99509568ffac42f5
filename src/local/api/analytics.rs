//! Analytics endpoints with the cloud's wire shapes: a run's diagnostics and an agent's latest
//! failure (from what the runner saw of each page), and run and record summaries over a date
//! range.

use axum::{
    Json,
    extract::{Path, Query, State},
};

use super::{Answer, AppState, Failure, agents::Params, existing_agent, existing_run};
use crate::api::{
    analytics::{FailedRunDetail, RecordsSummaryWire, RunDiagnostics, RunsSummaryWire},
    types::{RunStatus, Timestamp},
};

pub(super) async fn diagnostics(
    State(state): State<AppState>,
    Path((agent_id, run_id)): Path<(String, String)>,
) -> Answer<Json<RunDiagnostics>> {
    let run = existing_run(&state, &agent_id, &run_id)?;
    let pages = state.store.run_pages(run.id)?;
    Ok(Json(crate::local::diagnose::diagnose(&run, pages)))
}

pub(super) async fn latest_failure(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
) -> Answer<Json<RunDiagnostics>> {
    let agent = existing_agent(&state, &agent_id)?.id.unwrap_or_default();
    let run = state
        .store
        .latest_with_problems(agent)?
        .and_then(|id| state.store.run(agent, id).transpose())
        .transpose()?
        .ok_or_else(|| {
            Failure::not_found(
                "no-failures",
                "No failures found for this agent",
                format!("Agent {agent} has no run with problems: none failed and none lost pages."),
            )
        })?;
    let pages = state.store.run_pages(run.id)?;
    Ok(Json(crate::local::diagnose::diagnose(&run, pages)))
}

/// `startDate` and `endDate` as stored times (default: today, UTC); a date alone as the end
/// covers its whole day.
fn range(params: &Params) -> Answer<(String, String)> {
    let read = |name: &str, default: String| {
        match params.text(name) {
        None => Ok(default),
        Some(text) => Timestamp::parse_bound(text, name == "endDate")
            .map(Timestamp::to_rfc3339)
            .ok_or_else(|| {
                Failure::bad_request(format!(
                    "{name} {text:?} is not a date; send YYYY-MM-DD or an ISO 8601 time such as 2026-03-01T00:00:00Z"
                ))
            }),
    }
    };
    let today = chrono::Utc::now().date_naive();
    let start = read(
        "startDate",
        Timestamp(today.and_time(chrono::NaiveTime::MIN).and_utc()).to_rfc3339(),
    )?;
    let end = read("endDate", Timestamp::now().to_rfc3339())?;
    if start > end {
        return Err(Failure::bad_request("startDate must not be after endDate"));
    }
    Ok((start, end))
}

pub(super) async fn runs_summary(
    State(state): State<AppState>,
    query: Query<Vec<(String, String)>>,
) -> Answer<Json<RunsSummaryWire>> {
    let params = Params::new(query);
    let (start, end) = range(&params)?;
    let details = params.text("includeDetails") == Some("true");
    // An extension of the cloud's endpoint: the runs of one agent.
    let agent = match params.text("agentId") {
        Some(id) => Some(existing_agent(&state, id)?.id.unwrap_or_default()),
        None => None,
    };
    let found = state.store.runs_in_range((&start, &end), agent, details)?;
    let mut summary = RunsSummaryWire {
        start_date: Some(start),
        end_date: Some(end),
        failed_run_details: details.then(Vec::new),
        ..Default::default()
    };
    for (status, lost_pages, n) in found.by_status {
        summary.total_runs += n;
        let slot = match RunStatus(status).phase() {
            "completed" if lost_pages => &mut summary.completed_with_errors_runs,
            "completed" => &mut summary.completed_runs,
            "failed" => &mut summary.failed_runs,
            "stopped" => &mut summary.stopped_runs,
            "queued" | "starting" | "waiting" => &mut summary.queued_runs,
            "running" | "exporting" | "stopping" => &mut summary.running_runs,
            _ => continue,
        };
        *slot += n;
    }
    if let Some(list) = summary.failed_run_details.as_mut() {
        list.extend(found.failed.into_iter().map(|r| FailedRunDetail {
            run_id: r.run_id,
            agent_id: r.agent_id,
            agent_name: Some(r.agent_name),
            start_time: r.start_time,
            end_time: r.end_time,
            status: Some(RunStatus(r.status)),
            error_message: r.message,
            space_id: None,
            space_name: None,
        }));
    }
    Ok(Json(summary))
}

pub(super) async fn records_summary(
    State(state): State<AppState>,
    query: Query<Vec<(String, String)>>,
) -> Answer<Json<RecordsSummaryWire>> {
    let params = Params::new(query);
    let (start, end) = range(&params)?;
    let agent = params.int("agentId")?;
    let r = state.store.records_in_range(&start, &end, agent)?;
    Ok(Json(RecordsSummaryWire {
        start_date: Some(start),
        end_date: Some(end),
        total_records_extracted: r.extracted,
        total_records_exported: r.exported,
        total_errors: r.errors,
        total_page_loads: r.pages,
        run_count: r.runs,
        agent_id: agent,
    }))
}
