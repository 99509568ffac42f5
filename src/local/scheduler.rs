//! The engine's scheduler: starts runs when their schedules are due.
//!
//! Each schedule stores the time it fires next. A pass starts a run for every enabled schedule
//! whose time has come and moves its time to the first firing after *now*, so a schedule that
//! was due several times while the engine was down runs once at start, not once per missed
//! slot. An exclusive schedule whose previous run is still active records a Skipped run
//! instead. Between passes the scheduler sleeps until the earliest next firing, or until a
//! schedule changes.
//!
//! Time comes from a [`Clock`], so tests drive the scheduler in injected time
//! ([`ManualClock`]) and never sleep.

use std::{fmt::Debug, sync::Arc, time::Duration};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;

use super::{
    runner::{Runner, StartSettings},
    store::{NewRun, Store, StoredSchedule},
};
use crate::{
    api::{
        schedules::ScheduleRequest,
        types::{RunStatus, Timestamp},
    },
    schedule_rules::{self, Timing, time_zone},
};

/// Longest sleep of the system clock, so a changed wall clock is noticed within a minute.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// Where the scheduler reads the time and waits for it.
#[async_trait]
pub trait Clock: Send + Sync + Debug + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// Returns at `deadline` (never, when `None`) or earlier; the caller looks again either
    /// way. `since` is the time the caller last acted on.
    async fn sleep_until(&self, since: DateTime<Utc>, deadline: Option<DateTime<Utc>>);
}

/// The wall clock.
#[derive(Debug)]
pub struct SystemClock;

#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    async fn sleep_until(&self, _since: DateTime<Utc>, deadline: Option<DateTime<Utc>>) {
        let wait = deadline
            .map(|d| (d - Utc::now()).to_std().unwrap_or(Duration::ZERO))
            .unwrap_or(MAX_SLEEP);
        tokio::time::sleep(wait.min(MAX_SLEEP)).await;
    }
}

/// A clock that moves only when told: [`ManualClock::advance_to`] returns once the scheduler
/// has acted on the new time and waits again.
#[derive(Debug)]
pub struct ManualClock {
    time: watch::Sender<DateTime<Utc>>,
    /// The time the scheduler last acted on before it went to sleep.
    idle_at: watch::Sender<Option<DateTime<Utc>>>,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Arc<ManualClock> {
        Arc::new(ManualClock {
            time: watch::channel(start).0,
            idle_at: watch::channel(None).0,
        })
    }

    /// Sets the time and waits until the scheduler has started every run due by then.
    pub async fn advance_to(&self, time: DateTime<Utc>) {
        let mut idle = self.idle_at.subscribe();
        self.time.send_replace(time);
        idle.wait_for(|at| *at == Some(time))
            .await
            .expect("the clock outlives the wait");
    }
}

#[async_trait]
impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.time.borrow()
    }

    async fn sleep_until(&self, since: DateTime<Utc>, _deadline: Option<DateTime<Utc>>) {
        let mut time = self.time.subscribe();
        if *time.borrow_and_update() != since {
            return;
        }
        self.idle_at.send_replace(Some(since));
        let _ = time.changed().await;
    }
}

/// A handle on the scheduler; cheap to clone.
#[derive(Clone)]
pub struct Scheduler {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    runner: Runner,
    clock: Arc<dyn Clock>,
    changed: Notify,
}

/// A schedule in the engine's own terms: when it fires and in which time zone, read from its
/// wire body and checked by the rules the tools apply (`schedule_rules`).
#[derive(Debug, Clone)]
pub struct Plan {
    pub timing: Timing,
    pub tz: Tz,
}

impl Plan {
    /// The plan a create or replace body asks for, or why it is refused, as the text of a
    /// 400 answer: what is wrong, then what to send.
    pub fn checked(request: &ScheduleRequest, now: DateTime<Utc>) -> Result<Plan, String> {
        let timing = request.timing()?;
        request.input()?;
        let tz = schedule_rules::check(&request.name, &timing, request.time_zone_name(), now)
            .map_err(|refused| refused.to_string())?;
        Ok(Plan { timing, tz })
    }

    /// A stored schedule's plan (it was checked when saved); `None` when it no longer reads.
    pub fn stored(request: &ScheduleRequest) -> Option<Plan> {
        Some(Plan {
            timing: request.timing().ok()?,
            tz: time_zone(request.time_zone_name()).ok()?,
        })
    }
}

/// The first firing of a stored schedule after `after`.
pub fn next_firing(request: &ScheduleRequest, after: DateTime<Utc>) -> Option<Timestamp> {
    let plan = Plan::stored(request)?;
    plan.timing.next_after(plan.tz, after).map(Timestamp)
}

impl Scheduler {
    pub fn new(store: Store, runner: Runner, clock: Arc<dyn Clock>) -> Scheduler {
        Scheduler {
            inner: Arc::new(Inner {
                store,
                runner,
                clock,
                changed: Notify::new(),
            }),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    /// Wakes the scheduler after a schedule was added, changed or removed.
    pub fn changed(&self) {
        self.inner.changed.notify_one();
    }

    /// Whether an enabled schedule will fire again: the engine must then stay up.
    pub fn has_work(&self) -> bool {
        self.inner
            .store
            .enabled_schedules()
            .is_ok_and(|s| !s.is_empty())
    }

    /// Fires due schedules until `shutdown`.
    pub async fn run(self, shutdown: CancellationToken) {
        loop {
            let now = self.now();
            let next = match self.pass(now) {
                Ok(next) => next,
                Err(e) => {
                    tracing::warn!(error = %e, "scheduler pass failed");
                    Some(now + chrono::Duration::seconds(30))
                }
            };
            tokio::select! {
                _ = self.inner.clock.sleep_until(now, next) => {}
                _ = self.inner.changed.notified() => {}
                _ = shutdown.cancelled() => return,
            }
        }
    }

    /// Fires what is due at `now`; returns when the next schedule is due.
    fn pass(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, String> {
        let store = &self.inner.store;
        for schedule in store
            .due_schedules(Timestamp(now))
            .map_err(|e| e.to_string())?
        {
            if let Err(e) = self.fire(&schedule) {
                tracing::warn!(schedule_id = schedule.id, error = %e, "a scheduled run could not start");
            }
            store
                .set_next_run(schedule.id, next_firing(&schedule.request, now))
                .map_err(|e| e.to_string())?;
        }
        Ok(store
            .earliest_next_run()
            .map_err(|e| e.to_string())?
            .map(|t| t.0))
    }

    /// Starts the schedule's run, or records a Skipped one while an exclusive schedule's
    /// previous run is active.
    fn fire(&self, schedule: &StoredSchedule) -> Result<(), String> {
        let store = &self.inner.store;
        let agent = store
            .agent(schedule.agent_id)
            .map_err(|e| e.to_string())?
            .ok_or("its agent no longer exists")?;
        let name = agent.name.clone().unwrap_or_default();
        let current = store
            .current_definition(schedule.agent_id)
            .map_err(|e| e.to_string())?
            .ok_or("its agent has no definition")?;
        let request = &schedule.request;
        if request.is_exclusive
            && let Some(active) = store
                .active_scheduled_run(schedule.id)
                .map_err(|e| e.to_string())?
        {
            let skipped = store
                .create_run(&NewRun {
                    agent_id: schedule.agent_id,
                    agent_name: &name,
                    agent_version: current.0,
                    space_id: agent.space_id,
                    status: RunStatus::SKIPPED,
                    input_parameters: request.input_parameters.as_deref(),
                    parallelism: 1,
                    schedule_id: Some(schedule.id),
                })
                .map_err(|e| e.to_string())?;
            let message = format!(
                "Skipped: run {active} of exclusive schedule {} was still active.",
                schedule.id
            );
            return store
                .finish_run(skipped.id, RunStatus::SKIPPED, &message, 0)
                .map_err(|e| e.to_string());
        }
        self.inner
            .runner
            .start(
                schedule.agent_id,
                &name,
                agent.space_id,
                current,
                &StartSettings {
                    input_parameters: request.input_parameters.as_deref(),
                    parallelism: request.parallelism.max(1),
                    schedule_id: Some(schedule.id),
                },
            )
            .map(drop)
            .map_err(|e| e.to_string())
    }
}
