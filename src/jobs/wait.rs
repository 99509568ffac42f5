//! Bounded waiting shared by the long tools (run_agent, get_run_status, stop_run, restart_run,
//! build_agent).
//!
//! A tool waits at most `wait_seconds` (0 to 45, checked by `number::wait`, well under the ~60 s
//! common clients allow a call), polls the API at the backend's pace, sends
//! `notifications/progress` about every 5 s and on every change when the request carried a progress token, and returns at once when the
//! request is cancelled. The job itself keeps going in every case: its handle is in the result.
//!
//! Progress goes to a [`Progress`] sink, so this layer knows nothing of the protocol that
//! carries it (as ripgrep's searcher writes its matches to a `Sink`): the MCP layer's sink
//! sends each report to the client, a test's sink collects them.

use std::{future::Future, time::Duration};

use futures::future::BoxFuture;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::failure::ToolFailure;

/// Silence between two progress notifications when nothing changes.
const HEARTBEAT: Duration = Duration::from_secs(5);

/// How a wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitEnd {
    /// The condition was met.
    Done,
    /// The time budget ran out first.
    TimedOut,
    /// The client cancelled the request.
    Cancelled,
}

/// Where a wait reports how the job stands. A report that cannot be delivered is dropped: the
/// wait, and the job, go on without it.
pub trait Progress: Send + Sync {
    /// Delivers report number `step` (1, 2, 3, …: it grows with every report, as progress
    /// must) with its line.
    fn report(&self, step: u32, line: String) -> BoxFuture<'_, ()>;
}

/// The request-side handles a wait needs: cancellation and where progress goes.
pub struct Waiter {
    cancel: CancellationToken,
    progress: Box<dyn Progress>,
    sent: u32,
    started: Instant,
}

impl Waiter {
    /// A wait that ends early when `cancel` fires and reports to `progress` (the MCP layer
    /// turns a request into its sink).
    pub fn new(cancel: CancellationToken, progress: impl Into<Box<dyn Progress>>) -> Self {
        Waiter {
            cancel,
            progress: progress.into(),
            sent: 0,
            started: Instant::now(),
        }
    }

    /// Reports one line, with the seconds waited so far.
    pub async fn progress(&mut self, message: String) {
        self.sent += 1;
        let line = format!("{message} ({}s)", self.started.elapsed().as_secs());
        self.progress.report(self.sent, line).await;
    }

    /// Polls until `done(&snapshot)`, the budget runs out or the request is cancelled, and
    /// returns the latest snapshot with how the wait ended. `describe` turns a snapshot into a
    /// progress line; a changed line is reported at once, an unchanged one every 5 s.
    ///
    /// Transient poll failures (rate limits, timeouts) are sat out until the budget ends;
    /// any other failure ends the wait with that failure.
    pub async fn wait_for<T, F, Fut>(
        &mut self,
        mut snapshot: T,
        budget: Duration,
        interval: Duration,
        mut poll: F,
        done: impl Fn(&T) -> bool,
        describe: impl Fn(&T) -> String,
    ) -> Result<(T, WaitEnd), ToolFailure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ToolFailure>>,
    {
        let deadline = Instant::now() + budget;
        let mut last_line = describe(&snapshot);
        let mut last_sent = Instant::now();
        if !done(&snapshot) && !budget.is_zero() {
            self.progress(last_line.clone()).await;
        }
        loop {
            if done(&snapshot) {
                return Ok((snapshot, WaitEnd::Done));
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok((snapshot, WaitEnd::TimedOut));
            }
            let pause = interval.min(deadline - now);
            tokio::select! {
                _ = self.cancel.cancelled() => return Ok((snapshot, WaitEnd::Cancelled)),
                _ = tokio::time::sleep(pause) => {}
            }
            match poll().await {
                Ok(next) => snapshot = next,
                Err(failure) if failure.retryable() => {
                    tracing::debug!(error = %failure.text(), "poll failed; waiting on");
                    continue;
                }
                Err(failure) => return Err(failure),
            }
            let line = describe(&snapshot);
            if line != last_line || last_sent.elapsed() >= HEARTBEAT {
                self.progress(line.clone()).await;
                last_line = line;
                last_sent = Instant::now();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Collects every report.
    #[derive(Clone, Default)]
    struct Collected(Arc<Mutex<Vec<(u32, String)>>>);

    impl Progress for Collected {
        fn report(&self, step: u32, line: String) -> BoxFuture<'_, ()> {
            self.0.lock().unwrap().push((step, line));
            Box::pin(async {})
        }
    }

    fn sink(collected: &Collected) -> Box<dyn Progress> {
        Box::new(collected.clone())
    }

    /// A changed line is reported at once and an unchanged one only as a heartbeat, with
    /// growing steps, and the wait ends when the condition holds; paused time, no sleeping.
    #[tokio::test(start_paused = true)]
    async fn a_wait_reports_changes_and_heartbeats_to_its_sink() {
        let collected = Collected::default();
        let mut waiter = Waiter::new(CancellationToken::new(), sink(&collected));
        let mut polls = 0;
        let (last, end) = waiter
            .wait_for(
                0u32,
                Duration::from_secs(30),
                Duration::from_secs(1),
                || {
                    polls += 1;
                    // Stage 1 from the 2nd poll, stage 2 from the 9th: a silence of 7 s.
                    let stage = match polls {
                        0..2 => 0,
                        2..9 => 1,
                        _ => 2,
                    };
                    async move { Ok::<_, ToolFailure>(stage) }
                },
                |stage| *stage == 2,
                |stage| format!("stage {stage}"),
            )
            .await
            .unwrap();
        assert_eq!((last, end), (2, WaitEnd::Done));
        let reports = collected.0.lock().unwrap().clone();
        let lines: Vec<&str> = reports.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            lines,
            [
                "stage 0 (0s)",
                "stage 1 (2s)",
                "stage 1 (7s)",
                "stage 2 (9s)"
            ]
        );
        let steps: Vec<u32> = reports.iter().map(|(s, _)| *s).collect();
        assert_eq!(steps, [1, 2, 3, 4]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_wait_returns_the_latest_snapshot_at_once() {
        let cancel = CancellationToken::new();
        cancel.cancel();
        let mut waiter = Waiter::new(cancel, sink(&Collected::default()));
        let (last, end) = waiter
            .wait_for(
                7u32,
                Duration::from_secs(30),
                Duration::from_secs(1),
                || async { Ok::<_, ToolFailure>(8) },
                |_| false,
                |n| n.to_string(),
            )
            .await
            .unwrap();
        assert_eq!((last, end), (7, WaitEnd::Cancelled));
    }
}
