//! Schedules in neutral terms: what to create, a schedule as the platform reports it and as
//! the tools show it.
//!
//! What a schedule may be and when it fires are the shared rules of `schedule_rules`, which
//! the embedded engine applies too; here they are checked before any platform is asked, and a
//! refusal becomes a tool failure.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Id, ToolFailure};
use crate::schedule_rules::{self, Timing, time_zone};

/// What to create or replace a schedule with; `check` it before sending.
#[derive(Debug, Clone)]
pub struct ScheduleSpec {
    pub name: String,
    pub timing: Timing,
    /// IANA name.
    pub time_zone: String,
    pub input: Option<Map<String, Value>>,
    /// Skip a firing while this schedule's previous run is still active.
    pub exclusive: bool,
    pub enabled: bool,
}

impl ScheduleSpec {
    /// Refuses what no platform would take (see [`schedule_rules::check`]), saying what to
    /// send instead; returns the time zone.
    pub fn check(&self, now: DateTime<Utc>) -> Result<Tz, ToolFailure> {
        Ok(schedule_rules::check(
            &self.name,
            &self.timing,
            &self.time_zone,
            now,
        )?)
    }
}

/// A schedule as the platform reports it.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub id: Id,
    pub agent_id: Id,
    pub agent_name: Option<String>,
    pub name: String,
    /// `None` when the platform reported a kind this build does not know.
    pub timing: Option<Timing>,
    pub time_zone: Option<String>,
    pub enabled: bool,
    pub next_run: Option<DateTime<Utc>>,
}

impl Schedule {
    /// A one-off that has fired: it will not run again, whatever its enabled flag says.
    pub fn done(&self) -> bool {
        matches!(self.timing, Some(Timing::Once(_))) && self.enabled && self.next_run.is_none()
    }

    /// "every 5 minutes (Europe/Berlin)", when the timing is known.
    pub fn describe(&self) -> Option<String> {
        self.timing.as_ref().map(|t| match &self.time_zone {
            Some(tz) => format!("{} ({tz})", t.describe()),
            None => t.describe(),
        })
    }

    /// The schedule's own time zone, when it names one other than UTC.
    fn own_zone(&self) -> Option<Tz> {
        let tz = time_zone(self.time_zone.as_deref()?).ok()?;
        (tz != chrono_tz::UTC).then_some(tz)
    }

    /// `at` in the schedule's own time zone (`2026-12-08T07:00:00+01:00`), when it is not UTC.
    pub fn local_time(&self, at: DateTime<Utc>) -> Option<String> {
        self.own_zone().map(|tz| at.with_timezone(&tz).to_rfc3339())
    }
}

/// A schedule as the tools show it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub struct ScheduleView {
    pub schedule_id: Id,
    pub agent_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<String>,
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_run_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_run_local: Option<String>,
}

impl From<&Schedule> for ScheduleView {
    /// A one-off that has run shows as done and not enabled (it never runs again), rather
    /// than enabled with no next run; the next run shows in UTC and in the schedule's zone.
    fn from(s: &Schedule) -> ScheduleView {
        let done = s.done();
        ScheduleView {
            schedule_id: s.id.clone(),
            agent_id: s.agent_id.clone(),
            agent_name: s.agent_name.clone(),
            name: s.name.clone(),
            timing: s
                .describe()
                .map(|t| if done { format!("{t}; done") } else { t }),
            enabled: s.enabled && !done,
            next_run_at: s.next_run.map(|t| t.to_rfc3339()),
            next_run_local: s.next_run.and_then(|t| s.local_time(t)),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn bad_input_is_refused_with_what_to_send() {
        let now = utc("2027-01-01T00:00:00Z");
        let spec = |timing, tz: &str| ScheduleSpec {
            name: "x".into(),
            timing,
            time_zone: tz.into(),
            input: None,
            exclusive: true,
            enabled: true,
        };
        let err = spec(Timing::Cron("0 7 * *".into()), "UTC")
            .check(now)
            .unwrap_err();
        assert!(err.text().contains("4 fields") && err.text().contains("0 7 * * 1-5"));
        let err = spec(Timing::Cron("61 7 * * *".into()), "UTC")
            .check(now)
            .unwrap_err();
        assert!(
            err.text().starts_with("invalid_argument: cron"),
            "{}",
            err.text()
        );
        let err = spec(Timing::Cron("0 7 * * *".into()), "Mars/Olympus")
            .check(now)
            .unwrap_err();
        assert!(err.text().contains("Europe/Berlin"));
        let err = spec(Timing::Once(now + Duration::seconds(30)), "UTC")
            .check(now)
            .unwrap_err();
        assert!(
            err.text().contains("less than a minute ahead"),
            "{}",
            err.text()
        );
        assert!(
            spec(Timing::Once(now + Duration::minutes(2)), "UTC")
                .check(now)
                .is_ok()
        );
    }
}
