//! The platform-neutral model of runs and builds: what every platform's answers are turned into
//! before a tool looks at them.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Id, platform::MissingField};

/// How long a run in a state this build does not know counts as active. Long enough for any
/// ordinary run, short enough that an unknown state never blocks new runs forever.
pub const UNKNOWN_STATE_ACTIVE_FOR: Duration = Duration::from_secs(6 * 3600);

/// Where a run is in its life, whatever the platform calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    Queued,
    Starting,
    Running,
    Exporting,
    /// Paused until someone answers an interaction (an MFA code, a security question).
    WaitingForInput,
    /// Paused until a person reviews it on the platform.
    WaitingForReview,
    /// Stopping or canceling: it will end soon.
    Stopping,
    Completed,
    /// Ended, but some pages could not be read (after retries): what they held is missing and
    /// a restart can read them.
    CompletedWithErrors,
    Failed,
    /// Stopped or canceled on request.
    Stopped,
    Skipped,
    /// A state this build does not know; the platform's raw name is in `Run::status`.
    Unknown,
}

impl RunState {
    /// Lowercase name for people and models.
    pub fn phase(self) -> &'static str {
        match self {
            RunState::Queued => "queued",
            RunState::Starting => "starting",
            RunState::Running => "running",
            RunState::Exporting => "exporting",
            RunState::WaitingForInput => "waiting_for_input",
            RunState::WaitingForReview => "waiting_for_review",
            RunState::Stopping => "stopping",
            RunState::Completed => "completed",
            RunState::CompletedWithErrors => "completed_with_errors",
            RunState::Failed => "failed",
            RunState::Stopped => "stopped",
            RunState::Skipped => "skipped",
            RunState::Unknown => "unknown",
        }
    }

    /// The run will not change any more.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            RunState::Completed
                | RunState::CompletedWithErrors
                | RunState::Failed
                | RunState::Stopped
                | RunState::Skipped
        )
    }
}

/// A run as its platform reported it, in neutral terms.
#[derive(Debug, Clone)]
pub struct Run {
    pub agent_id: Id,
    pub run_id: Id,
    pub state: RunState,
    /// The platform's own name for the state (Running, Failure, canceling, ...).
    pub status: String,
    /// The platform's numeric status, where it has one (Sequentum).
    pub status_code: Option<i64>,
    /// The run can be restarted in place (same id).
    pub restartable: bool,
    pub records_extracted: i64,
    /// Records in the run's files, when the platform reports it.
    pub records_exported: Option<i64>,
    pub pages: i64,
    pub errors: i64,
    pub created_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Run time as the platform counts it, when it reports one.
    pub run_seconds: Option<i64>,
    /// Status or error message from the platform (untrusted text).
    pub message: Option<String>,
}

impl Run {
    pub fn is_terminal(&self) -> bool {
        self.state.is_terminal()
    }

    /// Paused until a person acts (answers or reviews): waiting longer changes nothing.
    pub fn needs_someone(&self) -> bool {
        matches!(
            self.state,
            RunState::WaitingForInput | RunState::WaitingForReview
        )
    }

    /// Still in progress: duplicate-start protection and "active only" lists go by this. A run
    /// in an unknown state counts as active only while it is young (see
    /// `UNKNOWN_STATE_ACTIVE_FOR`).
    pub fn is_active(&self) -> bool {
        match self.state {
            RunState::Unknown => self.age().is_none_or(|age| age < UNKNOWN_STATE_ACTIVE_FOR),
            state => !state.is_terminal(),
        }
    }

    /// The most records the run has reported, extracted or exported.
    pub fn records(&self) -> i64 {
        self.records_extracted
            .max(self.records_exported.unwrap_or(0))
    }

    /// Records readable from the run's files: the exported count where the platform reports
    /// one, else the extracted count.
    pub fn records_in_files(&self) -> i64 {
        self.records_exported.unwrap_or(self.records_extracted)
    }

    /// Seconds since the run started (to its end when it ended).
    pub fn elapsed_seconds(&self) -> Option<i64> {
        if let Some(secs) = self.run_seconds.filter(|s| *s > 0) {
            return Some(secs);
        }
        let start = self.started_at.or(self.created_at)?;
        let end = self.ended_at.unwrap_or_else(Utc::now);
        Some((end - start).num_seconds().max(0))
    }

    fn age(&self) -> Option<Duration> {
        let since = self.started_at.or(self.created_at)?;
        (Utc::now() - since).to_std().ok()
    }
}

/// Where an agent build is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildState {
    Building,
    /// The agent exists and may still be refined.
    Ready,
    Completed,
    Failed,
    Cancelled,
}

impl BuildState {
    pub fn name(self) -> &'static str {
        match self {
            BuildState::Building => "building",
            BuildState::Ready => "ready",
            BuildState::Completed => "completed",
            BuildState::Failed => "failed",
            BuildState::Cancelled => "cancelled",
        }
    }

    /// Waiting can stop: the build produced an agent or ended.
    pub fn is_settled(self) -> bool {
        self != BuildState::Building
    }
}

/// An agent build session as its platform reported it.
#[derive(Debug, Clone)]
pub struct Build {
    pub session_id: String,
    pub state: BuildState,
    pub agent_id: Option<Id>,
    pub agent_name: Option<String>,
    /// The builder's narration, oldest first (untrusted text).
    pub narration: Vec<String>,
    /// Records the new agent extracted while it was tested (untrusted).
    pub sample_records: Vec<Value>,
    pub error: Option<String>,
    /// Requested fields the agent was saved without, each with the places that may hold it.
    pub missing_fields: Vec<MissingField>,
    /// Where each follow-up message begins in `narration`, in order: each one opens a new
    /// turn of the session, and ends the turn before it.
    pub follow_ups: Vec<usize>,
}

impl Build {
    /// The build as it stood when `turn` ended (0: the build itself; n: the n-th follow-up),
    /// or as it stands if that turn is the latest: what came after it is left out, so the
    /// answer of a finished turn never changes. A turn followed by another had settled (a
    /// follow-up needs a built agent), even if the later turn is still working.
    pub fn as_of_turn(mut self, turn: usize) -> Build {
        if let Some(&end) = self.follow_ups.get(turn) {
            self.narration.truncate(end);
            self.follow_ups.truncate(turn);
            if self.state == BuildState::Building {
                self.state = BuildState::Completed;
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(state: RunState, started_hours_ago: i64) -> Run {
        Run {
            agent_id: Id::Num(1),
            run_id: Id::Num(2),
            state,
            status: "Mystery".into(),
            status_code: None,
            restartable: false,
            records_extracted: 0,
            records_exported: None,
            pages: 0,
            errors: 0,
            created_at: None,
            started_at: Some(Utc::now() - chrono::Duration::hours(started_hours_ago)),
            ended_at: None,
            run_seconds: None,
            message: None,
        }
    }

    #[test]
    fn an_unknown_state_is_active_only_for_a_bounded_time() {
        assert!(run(RunState::Unknown, 1).is_active());
        assert!(!run(RunState::Unknown, 7).is_active());
        assert!(!run(RunState::Unknown, 7).is_terminal());
        assert!(run(RunState::WaitingForInput, 100).is_active());
        assert!(!run(RunState::Completed, 0).is_active());
    }
}
