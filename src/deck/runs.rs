//! Deck task runs in neutral terms: statuses (both spellings of canceling, G1's `pending`),
//! the interaction a paused run asks, the records inside its `output`, and what a run's
//! message says when it waits, fails or is encrypted.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::types::{TaskRun, WireError};
use crate::jobs::model::{
    Id, Run, RunState,
    interactions::{Interaction, InteractionField},
};

/// Prefix of an encrypted `input`/`output` (organisations with payload encryption).
const ENCRYPTED: &str = "enc_";

pub fn state(status: &str) -> RunState {
    match status {
        "queued" => RunState::Queued,
        "running" => RunState::Running,
        "interaction_required" => RunState::WaitingForInput,
        // G1 called review `pending`.
        "review_required" | "pending" => RunState::WaitingForReview,
        "canceling" | "cancelling" => RunState::Stopping,
        "completed" => RunState::Completed,
        "failed" => RunState::Failed,
        "canceled" | "cancelled" => RunState::Stopped,
        _ => RunState::Unknown,
    }
}

/// The run's output is an encrypted string rather than JSON.
pub fn encrypted(run: &TaskRun) -> bool {
    matches!(&run.output, Some(Value::String(s)) if s.starts_with(ENCRYPTED))
}

/// The records in an output: the array itself, the object's arrays (one table each), or the
/// object as one record. `None` when there is no readable output.
pub fn records(output: Option<&Value>) -> Option<Value> {
    match output? {
        Value::Array(items) => Some(Value::Array(items.clone())),
        Value::Object(object) => {
            let arrays: Map<String, Value> = object
                .iter()
                .filter(|(_, v)| v.is_array())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Some(match arrays.len() {
                0 => Value::Array(vec![Value::Object(object.clone())]),
                1 => arrays.into_iter().next().map(|(_, v)| v)?,
                _ => Value::Object(arrays),
            })
        }
        _ => None,
    }
}

fn record_count(output: Option<&Value>) -> i64 {
    match records(output) {
        Some(Value::Array(items)) => items.len() as i64,
        Some(Value::Object(tables)) => tables
            .values()
            .filter_map(Value::as_array)
            .map(|a| a.len() as i64)
            .sum(),
        _ => 0,
    }
}

pub fn interaction(run: &TaskRun) -> Option<Interaction> {
    let wire = run.interaction.as_ref()?;
    let kind = wire.kind.clone().unwrap_or_else(|| "input".into());
    // Only a choice among the user's own accounts is safe to pass through a model; a code,
    // an answer or anything of a kind this build does not know is treated as a secret.
    let secret = kind != "account_selection";
    Some(Interaction {
        message: wire
            .message
            .clone()
            .unwrap_or_else(|| "The site asks for input".into()),
        fields: wire
            .fields
            .iter()
            .map(|f| InteractionField {
                name: f.name.clone(),
                label: f.label.clone().unwrap_or_else(|| f.name.clone()),
                secret: secret || f.kind.as_deref() == Some("password"),
            })
            .collect(),
        kind,
    })
}

fn time(text: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn message(run: &TaskRun, state: RunState) -> Option<String> {
    match state {
        RunState::WaitingForInput => interaction(run).map(|q| {
            format!("{} (fields: {})", q.message, q.field_list())
        }),
        RunState::WaitingForReview => Some(
            "Waiting for review in the Deck Console (console.deck.co); it completes or fails there"
                .into(),
        ),
        _ if encrypted(run) => Some(
            "The output is encrypted (an enc_… string: the organisation has payload encryption on); read it in the Deck Console".into(),
        ),
        _ if !run.errors.is_empty() => Some(
            run.errors
                .iter()
                .map(WireError::describe)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    }
}

/// A Deck run in neutral terms; `task` fills in a missing `task_id`.
pub fn neutral(run: &TaskRun, task: Option<&Id>) -> Run {
    let state = state(&run.status);
    let records = record_count(run.output.as_ref());
    Run {
        agent_id: run
            .task_id
            .as_deref()
            .map(Id::from)
            .or_else(|| task.cloned())
            .unwrap_or_else(|| Id::from("")),
        run_id: Id::from(run.id.as_str()),
        state,
        status: run.status.clone(),
        status_code: None,
        // Deck has no restart: a new run is started instead.
        restartable: false,
        records_extracted: records,
        records_exported: state.is_terminal().then_some(records),
        pages: 0,
        errors: run.errors.len() as i64,
        created_at: time(run.created_at.as_deref()),
        started_at: time(run.created_at.as_deref()),
        ended_at: state
            .is_terminal()
            .then(|| time(run.updated_at.as_deref()))
            .flatten(),
        run_seconds: run.runtime_ms.map(|ms| ms / 1000),
        message: message(run, state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(value: Value) -> TaskRun {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn statuses_map_in_both_spellings_and_outputs_become_records() {
        assert_eq!(state("cancelling"), RunState::Stopping);
        assert_eq!(state("canceling"), RunState::Stopping);
        assert_eq!(state("cancelled"), RunState::Stopped);
        assert_eq!(state("hibernating"), RunState::Unknown);
        let done = run(
            json!({"id": "trun_1", "status": "completed", "task_id": "task_1",
            "output": {"records": [{"a": 1}, {"a": 2}]}}),
        );
        let neutral = neutral(&done, None);
        assert_eq!(
            (neutral.state, neutral.records_in_files()),
            (RunState::Completed, 2)
        );
        let secret = run(json!({"id": "trun_2", "status": "completed", "output": "enc_abc"}));
        assert!(encrypted(&secret));
        assert!(
            super::neutral(&secret, None)
                .message
                .unwrap()
                .contains("encrypted")
        );
        let paused = run(json!({"id": "trun_3", "status": "interaction_required",
            "interaction": {"type": "mfa", "message": "Enter the code",
                "fields": [{"name": "code", "type": "string", "label": "Code"}]}}));
        let q = interaction(&paused).unwrap();
        assert!(q.has_secret());
        assert!(
            super::neutral(&paused, None)
                .message
                .unwrap()
                .contains("code (\"Code\")")
        );
    }
}
