//! What the model sees of runs and builds, derived from the wire DTOs.
//!
//! Views are small, flat and self-explaining: every one carries a `next_step` sentence naming
//! the exact call to make next, so a model with a small context never has to guess.

use chrono::Utc;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::types::{AgentRun, BuilderStatus, RunStatus, builder_state};
use crate::records::sanitize::clean_text;

/// A run as the model sees it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RunView {
    pub agent_id: i64,
    pub run_id: i64,
    /// Wire status name (Running, Completed, Failure, ...).
    pub status: String,
    pub status_code: i32,
    /// queued, starting, running, exporting, waiting, stopping, completed, failed, stopped, skipped.
    pub phase: String,
    /// The run will not change any more.
    pub terminal: bool,
    /// A Failure run that can be restarted in place.
    pub restartable: bool,
    pub records_extracted: i64,
    pub records_exported: i64,
    pub pages: i64,
    pub errors: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elapsed_seconds: Option<i64>,
    /// Status or error message from the platform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub next_step: String,
    /// When not terminal: seconds to wait before asking again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poll_after_seconds: Option<u64>,
}

impl RunView {
    pub fn from_run(run: &AgentRun, agent_id: i64) -> Self {
        let status = run.status();
        let agent_id = if run.config_id > 0 {
            run.config_id
        } else {
            agent_id
        };
        let elapsed = elapsed_seconds(run);
        let records = run.data_count.unwrap_or(0);
        let mut view = RunView {
            agent_id,
            run_id: run.id,
            status: status.name(),
            status_code: status.0,
            phase: status.phase().to_string(),
            terminal: status.is_terminal(),
            restartable: status == RunStatus::FAILURE
                && run.table_type.as_deref().is_none_or(|t| t != "history"),
            records_extracted: records,
            records_exported: run.export_count.unwrap_or(0),
            pages: run.page_count.unwrap_or(0),
            errors: run.error_count.unwrap_or(0),
            started_at: run.start_time.map(|t| t.to_rfc3339()),
            ended_at: run.end_time.map(|t| t.to_rfc3339()),
            elapsed_seconds: elapsed,
            message: run
                .message
                .as_deref()
                .map(|m| clean_text(m).trim().to_string())
                .filter(|m| !m.is_empty()),
            next_step: String::new(),
            poll_after_seconds: None,
        };
        view.next_step = view.suggest_next_step();
        if !view.terminal {
            view.poll_after_seconds = Some(poll_after(elapsed.unwrap_or(0)));
        }
        view
    }

    fn suggest_next_step(&self) -> String {
        let ids = format!("agent_id={}, run_id={}", self.agent_id, self.run_id);
        let records = self.records_extracted.max(self.records_exported);
        match self.status_code {
            _ if !self.terminal => format!(
                "Call get_run_status with {ids}, wait_seconds=30 to follow it (or stop_run with {ids} to stop it)."
            ),
            6 | 7 => {
                let mut s =
                    "The run failed; read `message`, fix the cause, then call run_agent again"
                        .to_string();
                if records > 0 {
                    s.push_str(&format!(
                        ". The {records} records extracted before the failure can be read with fetch_records ({ids})"
                    ));
                }
                s + "."
            }
            11 => "The run was skipped by the platform; call run_agent to start a new run.".into(),
            _ if records > 0 => {
                format!("Call fetch_records with {ids} to read the {records} records.")
            }
            _ => format!(
                "The run extracted no records; check the agent's start URL and selectors, or call fetch_records with {ids} to confirm."
            ),
        }
    }
}

/// Seconds since the run started (to its end when it ended).
fn elapsed_seconds(run: &AgentRun) -> Option<i64> {
    if let Some(secs) = run.run_time_sec.filter(|s| *s > 0) {
        return Some(secs);
    }
    let start = run.start_time.or(run.created)?;
    let end = run.end_time.map(|t| t.0).unwrap_or_else(Utc::now);
    Some((end - start.0).num_seconds().max(0))
}

/// The polling hint grows with a run's age: 5 s early on, up to 60 s for long runs.
pub fn poll_after(elapsed_seconds: i64) -> u64 {
    match elapsed_seconds {
        ..60 => 5,
        60..300 => 15,
        300..1800 => 30,
        _ => 60,
    }
}

/// One line of a run list.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RunSummary {
    pub run_id: i64,
    pub status: String,
    pub status_code: i32,
    pub phase: String,
    pub terminal: bool,
    pub records_extracted: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl From<&RunView> for RunSummary {
    fn from(v: &RunView) -> Self {
        RunSummary {
            run_id: v.run_id,
            status: v.status.clone(),
            status_code: v.status_code,
            phase: v.phase.clone(),
            terminal: v.terminal,
            records_extracted: v.records_extracted,
            started_at: v.started_at.clone(),
            ended_at: v.ended_at.clone(),
            message: v.message.clone(),
        }
    }
}

/// An Agent Builder session as the model sees it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BuildView {
    pub session_id: String,
    /// building, ready, completed, failed or cancelled.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    /// The builder's latest narration, oldest first.
    pub narration: Vec<String>,
    /// A few records the new agent extracted while it was tested (scraped data: untrusted).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub sample_records: Vec<serde_json::Value>,
    /// Why the build failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub next_step: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poll_after_seconds: Option<u64>,
}

/// Lines of builder narration kept in a view.
pub const NARRATION_LINES: usize = 6;
/// Sample records kept in a view.
pub const SAMPLE_RECORDS: usize = 3;

impl BuildView {
    pub fn from_status(session_id: &str, status: &BuilderStatus, narration: Vec<String>) -> Self {
        let state = match status.status.as_str() {
            builder_state::PROCESSING => "building",
            builder_state::READY => "ready",
            builder_state::COMPLETED => "completed",
            builder_state::ERROR => "failed",
            builder_state::CANCELLED => "cancelled",
            _ => "building",
        };
        let mut samples: Vec<serde_json::Value> = status
            .sample_records
            .iter()
            .flatten()
            .take(SAMPLE_RECORDS)
            .cloned()
            .collect();
        samples
            .iter_mut()
            .for_each(crate::records::sanitize::clean_value);
        let agent_id = status.agent();
        let next_step = match (state, agent_id) {
            ("completed" | "ready", Some(id)) => format!(
                "Call run_agent with agent_id={id} to run the new agent, then fetch_records to read what it extracts."
            ),
            ("failed", _) => "Change the prompt as the error suggests and call build_agent again with the new prompt.".into(),
            ("cancelled", _) => "The build was stopped; call build_agent with a prompt to start a new one.".into(),
            _ => format!("Call build_agent with session_id=\"{session_id}\" to keep waiting (or stop_run with session_id to abort)."),
        };
        let error = status
            .error
            .as_deref()
            .map(|e| clean_text(e).trim().chars().take(500).collect::<String>())
            .filter(|e| !e.is_empty());
        BuildView {
            session_id: session_id.to_string(),
            status: state.to_string(),
            agent_id,
            agent_name: status
                .agent_name
                .as_deref()
                .map(|n| clean_text(n).into_owned()),
            narration: tail(narration, NARRATION_LINES),
            sample_records: samples,
            error,
            poll_after_seconds: (!status.is_terminal() && state != "ready").then_some(5),
            next_step,
        }
    }
}

fn tail(mut lines: Vec<String>, keep: usize) -> Vec<String> {
    let skip = lines.len().saturating_sub(keep);
    lines.drain(..skip);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(status: i32, data: i64) -> AgentRun {
        serde_json::from_value(serde_json::json!({
            "id": 11, "configId": 4, "status": status, "dataCount": data,
            "startTime": "2026-01-01T00:00:00Z", "endTime": "2026-01-01T00:02:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn finished_runs_point_at_their_records() {
        let v = RunView::from_run(&run(9, 40), 4);
        assert!(v.terminal && !v.restartable);
        assert_eq!(v.elapsed_seconds, Some(120));
        assert!(
            v.next_step
                .contains("fetch_records with agent_id=4, run_id=11")
        );
        assert!(v.poll_after_seconds.is_none());
    }

    #[test]
    fn active_runs_get_a_polling_hint_and_failures_are_restartable() {
        let v = RunView::from_run(&run(1, 0), 4);
        assert!(!v.terminal);
        assert!(v.next_step.contains("get_run_status"));
        assert_eq!(v.poll_after_seconds, Some(15));
        let v = RunView::from_run(&run(6, 3), 4);
        assert!(v.restartable && v.terminal);
        assert!(v.next_step.contains("3 records"));
    }

    #[test]
    fn poll_hint_grows_with_age() {
        assert_eq!(poll_after(3), 5);
        assert_eq!(poll_after(4000), 60);
    }
}
