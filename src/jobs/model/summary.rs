//! Runs and records over a date range, and what deleting a run removes: the neutral terms of
//! runs_summary and delete_run.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Id, Run, RunState, ToolFailure};

/// Longest range a summary covers; the platforms answer longer ones slowly or not at all.
pub const MAX_RANGE_DAYS: i64 = 366;

/// A summary's date range, inclusive, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl DateRange {
    /// The range from the model's `from` and `to` (`YYYY-MM-DD` or RFC 3339; a bare `to` date
    /// takes in its whole day). Without `from`, the 7 days up to `to`; without `to`, now.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<DateRange, ToolFailure> {
        let to = match to {
            Some(text) => parse_date("to", text, true)?,
            None => now,
        };
        let from = match from {
            Some(text) => parse_date("from", text, false)?,
            None => to - chrono::Duration::days(7),
        };
        if from > to {
            return Err(ToolFailure::invalid(
                format!("from ({from}) is after to ({to})"),
                "Pass a from date on or before the to date",
            ));
        }
        if (to - from).num_days() > MAX_RANGE_DAYS {
            return Err(ToolFailure::invalid(
                format!("the range covers {} days", (to - from).num_days()),
                format!("Ask for at most {MAX_RANGE_DAYS} days at a time"),
            ));
        }
        Ok(DateRange { from, to })
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && at <= self.to
    }

    /// The range in words: "2026-03-01 00:00 to 2026-03-02 23:59 UTC".
    pub fn describe(&self) -> String {
        let minute = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M").to_string();
        format!("{} to {} UTC", minute(self.from), minute(self.to))
    }
}

/// A date bound as the engine reads one (`Timestamp::parse_bound`): ISO 8601 with or without
/// an offset (UTC without), or a date alone, which as the end covers its whole day.
fn parse_date(name: &str, text: &str, end_of_day: bool) -> Result<DateTime<Utc>, ToolFailure> {
    let text = text.trim();
    if let Some(t) = crate::api::types::Timestamp::parse_lenient(text) {
        return Ok(t.0);
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        ToolFailure::invalid(
            format!(
                "{name} is not a date: \"{}\"",
                super::failure::excerpt(text)
            ),
            format!("Pass {name} as YYYY-MM-DD (e.g. 2026-03-01) or an RFC 3339 time"),
        )
    })?;
    let time = if end_of_day {
        day.and_hms_milli_opt(23, 59, 59, 999)
    } else {
        day.and_hms_opt(0, 0, 0)
    };
    Ok(time.unwrap_or_default().and_utc())
}

/// Runs over a range, by outcome.
#[derive(Debug, Clone, Default)]
pub struct RunCounts {
    pub total: i64,
    pub completed: i64,
    pub completed_with_errors: i64,
    pub failed: i64,
    pub stopped: i64,
    pub running: i64,
    pub queued: i64,
}

impl RunCounts {
    /// Runs by outcome and records by kind in one map, as the model reads them.
    pub fn with_records(&self, records: &RecordCounts) -> BTreeMap<String, i64> {
        [
            ("runs", self.total),
            ("completed", self.completed),
            ("completed_with_errors", self.completed_with_errors),
            ("failed", self.failed),
            ("stopped", self.stopped),
            ("running", self.running),
            ("queued", self.queued),
            ("records_extracted", records.extracted),
            ("records_exported", records.exported),
            ("page_errors", records.errors),
            ("pages", records.pages),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

impl RunsSummary {
    /// The summary of one agent's `runs` created in `range` (the platforms' own summaries
    /// count every agent's runs); the failures and runs that lost pages listed when `failed`.
    pub fn of_runs(runs: &[Run], range: &DateRange, failed: bool) -> RunsSummary {
        let mut summary = RunsSummary::default();
        let counts = &mut summary.counts;
        for run in runs {
            if !run
                .created_at
                .or(run.started_at)
                .is_some_and(|t| range.contains(t))
            {
                continue;
            }
            counts.total += 1;
            let slot = match run.state {
                RunState::Completed => &mut counts.completed,
                RunState::CompletedWithErrors => &mut counts.completed_with_errors,
                RunState::Failed => &mut counts.failed,
                RunState::Stopped => &mut counts.stopped,
                RunState::Queued | RunState::Starting => &mut counts.queued,
                RunState::Skipped | RunState::Unknown => continue,
                _ => &mut counts.running,
            };
            *slot += 1;
            if failed && matches!(run.state, RunState::Failed | RunState::CompletedWithErrors) {
                summary.failed_runs.push(FailedRun {
                    agent_id: run.agent_id.clone(),
                    run_id: run.run_id.clone(),
                    agent: None,
                    at: run
                        .ended_at
                        .or(run.started_at)
                        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                    error: run.message.clone(),
                });
            }
        }
        summary
    }
}

/// A failed run in a summary.
#[derive(Debug, Clone)]
pub struct FailedRun {
    pub agent_id: Id,
    pub run_id: Id,
    pub agent: Option<String>,
    pub at: Option<String>,
    pub error: Option<String>,
}

/// Runs over a range.
#[derive(Debug, Clone, Default)]
pub struct RunsSummary {
    pub counts: RunCounts,
    /// Filled when asked for.
    pub failed_runs: Vec<FailedRun>,
}

/// Records over a range, of one agent or all.
#[derive(Debug, Clone, Default)]
pub struct RecordCounts {
    pub extracted: i64,
    pub exported: i64,
    pub errors: i64,
    pub pages: i64,
}

// What delete_run removes (plain comments: doc comments would go into the tool schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum Removal {
    // The run, its records and its files.
    #[default]
    Run,
    // Only its files (the run and its counters stay).
    Files,
    // Its files and the input it was started with.
    FilesAndInput,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_take_whole_days_and_refuse_what_makes_no_sense() {
        let now = "2026-03-10T12:00:00Z".parse().unwrap();
        let r = DateRange::parse(Some("2026-03-01"), Some("2026-03-02"), now).unwrap();
        assert_eq!(r.from.to_rfc3339(), "2026-03-01T00:00:00+00:00");
        assert_eq!(r.to.to_rfc3339(), "2026-03-02T23:59:59.999+00:00");
        let r = DateRange::parse(None, None, now).unwrap();
        assert_eq!((r.to - r.from).num_days(), 7);
        // Full ISO 8601, with an offset or without one (read as UTC), is taken as given.
        let r = DateRange::parse(
            Some("2026-03-01T08:30:00+02:00"),
            Some("2026-03-02T10:00"),
            now,
        )
        .unwrap();
        assert_eq!(r.from.to_rfc3339(), "2026-03-01T06:30:00+00:00");
        assert_eq!(r.to.to_rfc3339(), "2026-03-02T10:00:00+00:00");
        let err = DateRange::parse(Some("yesterday"), None, now).unwrap_err();
        assert!(err.text().contains("YYYY-MM-DD"), "{}", err.text());
        let err = DateRange::parse(Some("2026-03-05"), Some("2026-03-01"), now).unwrap_err();
        assert!(err.text().contains("on or before"), "{}", err.text());
        assert!(DateRange::parse(Some("2020-01-01"), None, now).is_err());
    }
}
