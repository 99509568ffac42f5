//! From a run's or a build's state to a task's status: what `tasks/get` answers.
//!
//! | run state                                  | task             |
//! |--------------------------------------------|------------------|
//! | queued, starting, running, exporting, stopping, unknown | `working`, "running, page 12, 240 records", poll hint growing with age |
//! | waiting_for_input                          | `input_required` when the client can be asked in a form, else `working` saying where to answer |
//! | waiting_for_review                         | `working`, saying the run waits for review on the platform |
//! | completed, failed, skipped                 | `completed` with run_agent's own result (a failed run is run data, not a task failure) |
//! | stopped                                    | `cancelled`, naming the records kept |
//!
//! A build: building → `working` with the builder's latest line; ready, completed, failed →
//! `completed` with build_agent's own result; cancelled → `cancelled`.

use std::time::Duration;

use crate::jobs::{
    Build, BuildState, Run, RunState,
    views::{describe_build, plural, poll_after, run_args},
};

/// Poll hint while a run waits for a person: reviews take minutes to hours.
const REVIEW_POLL: Duration = Duration::from_secs(60);
/// Poll hint while a run waits for an answer: the user may answer any second.
const INPUT_POLL: Duration = Duration::from_secs(2);
/// Poll hint while a build runs: builds take tens of seconds to minutes.
const BUILD_POLL: Duration = Duration::from_secs(5);

/// Where a task's job is.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Working {
        message: String,
        poll: Duration,
    },
    /// The run waits for an interaction (see `tasks::input`).
    WaitingForInput,
    /// The job ended: the task completes with the tool's own result. `note` is the status
    /// message, when there is something to add to the result.
    Finished {
        note: Option<String>,
    },
    Cancelled {
        message: String,
    },
}

/// A run's progress, for a task that began with the attempt that started at `attempt`
/// (Unix ms; `None` when the run had not started yet).
pub fn of_run(run: &Run, attempt: Option<i64>) -> Progress {
    let restarted =
        attempt.is_some_and(|ms| run.started_at.map(|t| t.timestamp_millis()) != Some(ms));
    if restarted {
        return Progress::Finished {
            note: Some(format!(
                "the attempt this task followed ended and the run was restarted in place; it is now {}: follow it with get_run_status ({})",
                run.state.phase(),
                run_args(&run.agent_id, &run.run_id)
            )),
        };
    }
    let counters = || {
        let mut line = format!("page {}, {}", run.pages, plural(run.records(), "record"));
        if run.errors > 0 {
            line += &format!(", {}", plural(run.errors, "error"));
        }
        line
    };
    let poll = Duration::from_secs(poll_after(run.elapsed_seconds().unwrap_or(0)));
    let working = |message: String| Progress::Working { message, poll };
    match run.state {
        RunState::Queued | RunState::Starting => working(run.state.phase().to_string()),
        RunState::Running | RunState::Exporting => {
            working(format!("{}, {}", run.state.phase(), counters()))
        }
        RunState::Stopping => working(format!(
            "stopping; the {} so far are kept",
            plural(run.records(), "record")
        )),
        RunState::Unknown => working(format!(
            "{} (a state this server does not know), {}",
            run.status,
            counters()
        )),
        RunState::WaitingForInput => Progress::WaitingForInput,
        RunState::WaitingForReview => Progress::Working {
            message: format!(
                "waiting for review: a person must approve the run in the platform's console before it goes on; {}",
                counters()
            ),
            poll: REVIEW_POLL,
        },
        RunState::Stopped => Progress::Cancelled {
            message: format!(
                "the run was stopped; its {} are kept: read them with fetch_records ({})",
                plural(run.records(), "record"),
                run_args(&run.agent_id, &run.run_id)
            ),
        },
        RunState::Completed
        | RunState::CompletedWithErrors
        | RunState::Failed
        | RunState::Skipped => Progress::Finished { note: None },
    }
}

/// Poll hint while a run waits for an interaction.
pub fn input_poll() -> Duration {
    INPUT_POLL
}

/// A build's progress.
pub fn of_build(build: &Build) -> Progress {
    match build.state {
        BuildState::Building => Progress::Working {
            message: describe_build(build),
            poll: BUILD_POLL,
        },
        BuildState::Ready | BuildState::Completed | BuildState::Failed => {
            Progress::Finished { note: None }
        }
        BuildState::Cancelled => Progress::Cancelled {
            message: "the build was stopped; call build_agent with a prompt to start a new one"
                .to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration as Age, Utc};

    use super::*;
    use crate::jobs::Id;

    fn run(state: RunState) -> Run {
        Run {
            agent_id: Id::Num(3),
            run_id: Id::Num(30),
            state,
            status: "Status".into(),
            status_code: None,
            restartable: false,
            records_extracted: 240,
            records_exported: None,
            pages: 12,
            errors: 0,
            created_at: None,
            started_at: Some(Utc::now() - Age::seconds(30)),
            ended_at: None,
            run_seconds: None,
            message: None,
        }
    }

    fn message(progress: Progress) -> String {
        match progress {
            Progress::Working { message, .. } | Progress::Cancelled { message } => message,
            other => panic!("no message in {other:?}"),
        }
    }

    #[test]
    fn every_run_state_maps_to_a_task_status() {
        let attempt = |r: &Run| r.started_at.map(|t| t.timestamp_millis());
        for (state, expected) in [
            (RunState::Queued, "queued"),
            (RunState::Starting, "starting"),
            (RunState::Running, "running, page 12, 240 records"),
            (RunState::Exporting, "exporting, page 12, 240 records"),
            (
                RunState::Stopping,
                "stopping; the 240 records so far are kept",
            ),
            (
                RunState::Unknown,
                "Status (a state this server does not know), page 12, 240 records",
            ),
        ] {
            let r = run(state);
            assert_eq!(
                of_run(&r, attempt(&r)),
                Progress::Working {
                    message: expected.into(),
                    poll: Duration::from_secs(5)
                },
                "{state:?}"
            );
        }
        let review = run(RunState::WaitingForReview);
        assert!(
            matches!(of_run(&review, None), Progress::Working { poll, .. } if poll == REVIEW_POLL)
        );
        assert!(
            message(of_run(&review, None)).contains("approve the run in the platform's console")
        );
        assert_eq!(
            of_run(&run(RunState::WaitingForInput), None),
            Progress::WaitingForInput
        );
        for state in [RunState::Completed, RunState::Failed, RunState::Skipped] {
            assert_eq!(of_run(&run(state), None), Progress::Finished { note: None });
        }
        let stopped = message(of_run(&run(RunState::Stopped), None));
        assert!(
            stopped.contains("fetch_records (agent_id=3, run_id=30)"),
            "{stopped}"
        );
    }

    #[test]
    fn the_poll_hint_grows_with_the_run_age() {
        let mut old = run(RunState::Running);
        old.started_at = Some(Utc::now() - Age::hours(2));
        assert!(
            matches!(of_run(&old, None), Progress::Working { poll, .. } if poll == Duration::from_secs(60))
        );
    }

    #[test]
    fn a_restart_in_place_finishes_the_task_of_the_earlier_attempt() {
        let r = run(RunState::Running);
        let earlier = r.started_at.unwrap().timestamp_millis() - 60_000;
        let Progress::Finished { note: Some(note) } = of_run(&r, Some(earlier)) else {
            panic!("the task of the earlier attempt stays finished");
        };
        assert!(note.contains("restarted"), "{note}");
        let mut reset = run(RunState::Queued);
        reset.started_at = None;
        assert!(matches!(
            of_run(&reset, Some(earlier)),
            Progress::Finished { .. }
        ));
    }
}
