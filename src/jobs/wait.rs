//! Bounded waiting shared by the long tools (run_agent, get_run_status, stop_run, restart_run,
//! build_agent).
//!
//! A tool waits at most `wait_seconds` (0 to 45, checked by `number::wait`, well under the ~60 s
//! common clients allow a call), polls the API at the backend's pace, sends
//! `notifications/progress` about every 5 s and on every change when the request carried a progress token, and returns at once when the
//! request is cancelled. The job itself keeps going in every case: its handle is in the result.

use std::{future::Future, time::Duration};

use rmcp::{
    Peer, RoleServer,
    model::{ProgressNotificationParam, ProgressToken},
    service::RequestContext,
};
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

/// The request-side handles a wait needs: cancellation and the progress channel.
pub struct Waiter {
    cancel: CancellationToken,
    peer: Peer<RoleServer>,
    token: Option<ProgressToken>,
    sent: u32,
    started: Instant,
}

impl Waiter {
    pub fn new(cancel: CancellationToken, ctx: &RequestContext<RoleServer>) -> Self {
        Waiter {
            cancel,
            peer: ctx.peer.clone(),
            token: ctx.meta.get_progress_token(),
            sent: 0,
            started: Instant::now(),
        }
    }

    /// Sends one progress notification (only when the client asked for progress).
    /// `progress` increases with every notification, as the protocol requires.
    pub async fn progress(&mut self, message: String) {
        let Some(token) = &self.token else { return };
        self.sent += 1;
        let param = ProgressNotificationParam::new(token.clone(), self.sent as f64)
            .with_message(format!("{message} ({}s)", self.started.elapsed().as_secs()));
        if let Err(e) = self.peer.notify_progress(param).await {
            tracing::debug!("progress notification not delivered: {e}");
        }
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
