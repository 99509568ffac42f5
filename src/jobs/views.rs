//! What the model sees of runs and builds.
//!
//! Views are small, flat and self-explaining: every one carries a `next_step` sentence naming
//! the exact call to make next, among the tools this server offers, so a model with a small
//! context never has to guess.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    Build, BuildState, Guide, Id, MissingField, Run, RunState, Tool,
    model::{platform::Refinement, summary::FailedRun},
    model_choice,
};
use crate::records::sanitize::{clean_text, clean_value};

/// A run as the model sees it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RunView {
    pub agent_id: Id,
    pub run_id: Id,
    /// The platform's status name (Running, Completed, Failure, ...).
    pub status: String,
    /// The platform's numeric status, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<i64>,
    /// queued, starting, running, exporting, waiting_for_input, waiting_for_review, stopping,
    /// completed, completed_with_errors, failed, stopped, skipped or unknown.
    pub phase: String,
    /// The run will not change any more.
    pub terminal: bool,
    /// Can resume in place (failed, or completed with errors).
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
    pub fn new(run: &Run, guide: Guide) -> Self {
        let elapsed = run.elapsed_seconds();
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        };
        RunView {
            agent_id: run.agent_id.clone(),
            run_id: run.run_id.clone(),
            status: run.status.clone(),
            status_code: run.status_code,
            phase: run.state.phase().to_string(),
            terminal: run.is_terminal(),
            restartable: run.restartable,
            records_extracted: run.records_extracted,
            records_exported: run.records_exported.unwrap_or(0),
            pages: run.pages,
            errors: run.errors,
            started_at: time(run.started_at),
            ended_at: time(run.ended_at),
            elapsed_seconds: elapsed,
            message: run
                .message
                .as_deref()
                .map(|m| clean_text(m).trim().to_string())
                .filter(|m| !m.is_empty()),
            next_step: next_step(run, guide),
            poll_after_seconds: (!run.is_terminal()).then(|| poll_after(elapsed.unwrap_or(0))),
        }
    }
}

/// The ids of a run as call arguments.
pub fn run_args(agent_id: &Id, run_id: &Id) -> String {
    format!("agent_id={}, run_id={}", quoted(agent_id), quoted(run_id))
}

/// An id as the model should pass it back: bare numbers, quoted strings.
pub fn quoted(id: &Id) -> String {
    match id {
        Id::Num(n) => n.to_string(),
        Id::Text(t) => format!("{t:?}"),
    }
}

impl FailedRun {
    /// A failed run of a summary as one line for the model: `agent_id=3 (Shop), run_id=9, 2026-03-01T10:00:00: <error>`.
    pub fn line(&self) -> String {
        let mut line = format!("agent_id={}", quoted(&self.agent_id));
        if let Some(agent) = &self.agent {
            line += &format!(" ({agent})");
        }
        line += &format!(", run_id={}", quoted(&self.run_id));
        if let Some(at) = &self.at {
            line += &format!(", {at}");
        }
        if let Some(error) = &self.error {
            line += &format!(": {error}");
        }
        line
    }
}

fn next_step(run: &Run, guide: Guide) -> String {
    let ids = run_args(&run.agent_id, &run.run_id);
    let records = run.records();
    let follow = format!("call get_run_status with {ids}, wait_seconds=30");
    match run.state {
        RunState::WaitingForInput if guide.offers(Tool::AnswerInteraction) => format!(
            "The run is waiting for input ({}); ask the user for it, call answer_interaction with run_id={} and values, then {follow}.",
            run.message.as_deref().unwrap_or("see message"),
            quoted(&run.run_id)
        ),
        RunState::WaitingForInput => format!(
            "The run is waiting for input ({}); answer it on the platform, then {follow}.",
            run.message.as_deref().unwrap_or("see message")
        ),
        // The platform says where the review is done (Deck: "in the Deck Console").
        RunState::WaitingForReview => format!(
            "{}; once reviewed, {follow}.",
            run.message
                .as_deref()
                .unwrap_or("The run is waiting for a person to review it on the platform")
        ),
        RunState::Unknown => format!(
            "The platform reports a state this server does not know ({}); {follow} to see whether it moves on.",
            run.status
        ),
        state if !state.is_terminal() => format!(
            "Call get_run_status with {ids}, wait_seconds=30 to follow it{}.",
            guide.when(Tool::StopRun, || format!(
                " (or stop_run with {ids} to stop it)"
            ))
        ),
        RunState::Failed => {
            let mut s = "The run failed; read `message`".to_string();
            s += &guide.when(Tool::GetRunDiagnostics, || {
                format!(" (get_run_diagnostics with {ids} says why, page by page)")
            });
            if run.restartable && guide.offers(Tool::RestartRun) {
                s += &format!(
                    ", fix the cause, then call restart_run with {ids} to resume it in place"
                );
            } else if guide.offers(Tool::RunAgent) {
                s += ", fix the cause, then call run_agent again";
            }
            if records > 0 {
                s += &format!(
                    ". The {records} records extracted before the failure can be read with fetch_records ({ids})"
                );
            }
            s + "."
        }
        RunState::CompletedWithErrors => {
            let mut s = format!(
                "The run ended with errors: some pages could not be read (see `message`); {} records were kept",
                records
            );
            s += &guide.when(Tool::GetRunDiagnostics, || {
                format!(". get_run_diagnostics with {ids} says why, page by page")
            });
            if run.restartable && guide.offers(Tool::RestartRun) {
                s += &format!(
                    ". Call restart_run with {ids} to read the missed pages (the records kept stay, none twice)"
                );
            }
            s += &format!(". fetch_records with {ids} reads what was kept.");
            s
        }
        RunState::Skipped => format!(
            "The run was skipped by the platform{}.",
            guide.when(Tool::RunAgent, || "; call run_agent to start a new run"
                .into())
        ),
        _ if records > 0 => format!(
            "Call fetch_records with {ids} to read the {records} records{}.",
            guide.when(Tool::SaveRecords, || {
                " (or save_records to write them all to a file)".into()
            })
        ),
        _ => format!(
            "The run extracted no records; check the agent's start URL and selectors, or call fetch_records with {ids} to confirm."
        ),
    }
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

/// One progress line for a run, written for people: "Running: 240 records, 12 pages".
pub fn describe_run(run: &Run) -> String {
    let mut line = format!(
        "{}: {}, {}",
        run.status,
        plural(run.records(), "record"),
        plural(run.pages, "page")
    );
    if run.errors > 0 {
        line += &format!(", {}", plural(run.errors, "error"));
    }
    line
}

/// "1 page", "2 pages".
pub fn plural(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One line of a run list.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RunSummary {
    pub run_id: Id,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<i64>,
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

impl From<RunView> for RunSummary {
    fn from(v: RunView) -> Self {
        RunSummary {
            run_id: v.run_id,
            status: v.status,
            status_code: v.status_code,
            phase: v.phase,
            terminal: v.terminal,
            records_extracted: v.records_extracted,
            started_at: v.started_at,
            ended_at: v.ended_at,
            message: v.message,
        }
    }
}

/// An agent build session as the model sees it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BuildView {
    pub session_id: String,
    /// building, ready, completed, failed or cancelled.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    /// The builder's narration: its first line and the latest ones.
    pub narration: Vec<String>,
    /// A few records the new agent extracted while it was tested (scraped data: untrusted).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub sample_records: Vec<Value>,
    /// Why the build failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What a follow-up message changed; or what the client's model chose among the
    /// candidates for missing fields, and whether its choice passed the test on the page.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub changes: Vec<String>,
    /// The agent version a follow-up saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Requested fields the agent was saved without: `fields`, each with candidate places in
    /// the records (best first) and their values (scraped text: untrusted), and `outline`, the
    /// first two records as the fields found and the candidates by id, fenced as untrusted page
    /// text, at most 4 KB. Add a field with the follow-up message "take <field> from <place>".
    // An open schema: tools/list stays within its budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Value")]
    pub missing: Option<MissingView>,
    pub next_step: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poll_after_seconds: Option<u64>,
}

/// Lines of builder narration kept in a view: the first, and the latest.
pub const NARRATION_LINES: usize = 6;
/// Sample records kept in a view.
pub const SAMPLE_RECORDS: usize = 3;
/// Longest error text kept from the platform.
const ERROR_CHARS: usize = 500;

impl BuildView {
    pub fn new(build: &Build, guide: Guide) -> Self {
        let session_id = &build.session_id;
        let mut samples: Vec<Value> = build
            .sample_records
            .iter()
            .take(SAMPLE_RECORDS)
            .cloned()
            .collect();
        samples.iter_mut().for_each(clean_value);
        let next_step = match (build.state, &build.agent_id) {
            (BuildState::Completed | BuildState::Ready, Some(_))
                if !build.missing_fields.is_empty() =>
            {
                missing_step(build, guide)
            }
            (BuildState::Completed | BuildState::Ready, Some(id)) if guide.offers(Tool::RunAgent) => format!(
                "Check sample_records with the user; to change the agent, call build_agent with session_id=\"{session_id}\" and a message (\"add the rating\", \"first page only\"). Then call run_agent with agent_id={} and fetch_records to read what it extracts.",
                quoted(id)
            ),
            (BuildState::Completed | BuildState::Ready, Some(id)) => {
                format!("The agent {} is saved; list_runs shows its runs.", quoted(id))
            }
            (BuildState::Failed, _) => "Change the prompt as the error suggests and call build_agent again with the new prompt.".into(),
            (BuildState::Cancelled, _) => "The build was stopped; call build_agent with a prompt to start a new one.".into(),
            _ => format!(
                "Call build_agent with session_id=\"{session_id}\" to keep waiting{}.",
                guide.when(Tool::StopRun, || " (or stop_run with session_id to abort)".into())
            ),
        };
        BuildView {
            session_id: session_id.clone(),
            status: build.state.name().to_string(),
            agent_id: build.agent_id.clone(),
            agent_name: build
                .agent_name
                .as_deref()
                .map(|n| clean_text(n).into_owned()),
            narration: first_and_latest(
                build
                    .narration
                    .iter()
                    .map(|l| clean_text(l).into_owned())
                    .collect(),
                NARRATION_LINES,
            ),
            sample_records: samples,
            error: build
                .error
                .as_deref()
                .map(|e| {
                    clean_text(e)
                        .trim()
                        .chars()
                        .take(ERROR_CHARS)
                        .collect::<String>()
                })
                .filter(|e| !e.is_empty()),
            changes: Vec::new(),
            version: None,
            missing: MissingView::of(build),
            poll_after_seconds: (build.state == BuildState::Building).then_some(5),
            next_step,
        }
    }

    /// The view after the client's model chose among the candidates: what it chose and what
    /// that changed.
    pub fn chosen_by_model(self, pick: model_choice::ModelPick) -> Self {
        let mut view = match pick.refinement {
            Some(refinement) => self.refined(refinement),
            None => self,
        };
        view.changes = pick
            .said
            .iter()
            .map(|s| clean_text(s).into_owned())
            .collect();
        view
    }

    /// The view after a follow-up: what changed, and the records the changed agent gave.
    pub fn refined(mut self, refinement: Refinement) -> Self {
        self.changes = refinement
            .changes
            .iter()
            .map(|c| clean_text(c).into_owned())
            .collect();
        self.version = refinement.version;
        if !refinement.sample_records.is_empty() {
            self.sample_records = refinement.sample_records;
            self.sample_records.truncate(SAMPLE_RECORDS);
            self.sample_records.iter_mut().for_each(clean_value);
        }
        self
    }
}

/// The requested fields a build was saved without, with their candidates and the outline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MissingView {
    pub fields: Vec<MissingField>,
    pub outline: String,
}

impl MissingView {
    fn of(build: &Build) -> Option<Self> {
        let outline = model_choice::outline(build)?;
        let mut fields = build.missing_fields.clone();
        for c in fields.iter_mut().flat_map(|m| &mut m.candidates) {
            c.place = clean_text(&c.place).into_owned();
            for v in &mut c.samples {
                *v = clean_text(v).into_owned();
            }
        }
        Some(MissingView { fields, outline })
    }
}

/// The next step of a build saved without some requested fields: how to add one.
fn missing_step(build: &Build, guide: Guide) -> String {
    let session_id = &build.session_id;
    let names: Vec<&str> = build
        .missing_fields
        .iter()
        .map(|m| m.field.as_str())
        .collect();
    let example = build
        .missing_fields
        .iter()
        .find_map(|m| m.candidates.first().map(|c| (&m.field, &c.place)));
    let how = match example {
        Some((field, place)) => format!(
            "pick a candidate from missing.fields (missing.outline shows them in the first \
             records) and call build_agent with session_id=\"{session_id}\" and message \
             \"take <field> from <place>\", e.g. \"take {field} from {}\"",
            clean_text(place)
        ),
        None => format!(
            "call build_agent with session_id=\"{session_id}\" and message \"take <field> from \
             <selector>\" with a selector inside the records"
        ),
    };
    format!(
        "The agent was saved without {}: {how}{}. Check sample_records with the user{}.",
        names.join(", "),
        guide.when(Tool::UpdateAgentDefinition, || {
            " (or edit the definition with get_agent_definition, test_agent_definition and \
             update_agent_definition)"
                .into()
        }),
        guide.when(Tool::RunAgent, || {
            ", then call run_agent with the agent_id".into()
        })
    )
}

/// One progress line for a build: its latest narration, or a plain statement.
pub fn describe_build(build: &Build) -> String {
    match (build.state, build.narration.last()) {
        (BuildState::Building, None) => "Building the agent".into(),
        (BuildState::Building, Some(line)) => clean_text(line).into_owned(),
        (state, _) => format!("Build {}", state.name()),
    }
}

/// Keeps the first line (where the build began) and the latest ones, marking the gap.
fn first_and_latest(mut lines: Vec<String>, keep: usize) -> Vec<String> {
    if lines.len() <= keep {
        return lines;
    }
    let latest = keep.saturating_sub(2);
    let skipped = lines.len() - 1 - latest;
    let tail = lines.split_off(lines.len() - latest);
    lines.truncate(1);
    lines.push(format!("… ({skipped} more lines)"));
    lines.extend(tail);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn run(state: RunState, records: i64) -> Run {
        Run {
            agent_id: Id::Num(4),
            run_id: Id::Num(11),
            state,
            status: "Status".into(),
            status_code: Some(1),
            restartable: state == RunState::Failed,
            records_extracted: records,
            records_exported: None,
            pages: 1,
            errors: 0,
            created_at: None,
            started_at: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
            ended_at: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 2, 0).unwrap()),
            run_seconds: None,
            message: None,
        }
    }

    #[test]
    fn finished_runs_point_at_their_records() {
        let v = RunView::new(&run(RunState::Completed, 40), Guide::everything());
        assert!(v.terminal && !v.restartable);
        assert_eq!(v.elapsed_seconds, Some(120));
        assert!(
            v.next_step
                .contains("fetch_records with agent_id=4, run_id=11")
        );
        assert!(v.poll_after_seconds.is_none());
    }

    #[test]
    fn failed_runs_offer_a_restart_only_where_restart_run_is_offered() {
        let all = RunView::new(&run(RunState::Failed, 3), Guide::everything());
        assert!(all.restartable && all.terminal);
        assert!(
            all.next_step
                .contains("restart_run with agent_id=4, run_id=11")
        );
        assert!(all.next_step.contains("3 records"));
        assert!(
            all.next_step
                .contains("get_run_diagnostics with agent_id=4, run_id=11")
        );
        let readers = Guide::new([Tool::GetRunStatus, Tool::FetchRecords, Tool::ListRuns]);
        let read_only = RunView::new(&run(RunState::Failed, 3), readers);
        assert!(!read_only.next_step.contains("restart_run"));
        assert!(!read_only.next_step.contains("get_run_diagnostics"));
        assert!(!read_only.next_step.contains("run_agent"));
        let active = RunView::new(&run(RunState::Running, 0), readers);
        assert!(active.next_step.contains("get_run_status"));
        assert!(!active.next_step.contains("stop_run"));
    }

    #[test]
    fn poll_hint_grows_with_age_and_progress_reads_like_prose() {
        assert_eq!(poll_after(3), 5);
        assert_eq!(poll_after(4000), 60);
        assert_eq!(
            describe_run(&run(RunState::Running, 1)),
            "Status: 1 record, 1 page"
        );
    }

    #[test]
    fn narration_keeps_the_first_line_and_the_latest() {
        let lines: Vec<String> = (1..=10).map(|i| format!("line {i}")).collect();
        let kept = first_and_latest(lines, 6);
        assert_eq!(
            kept,
            [
                "line 1",
                "… (5 more lines)",
                "line 7",
                "line 8",
                "line 9",
                "line 10"
            ]
        );
    }
}
