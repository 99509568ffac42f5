//! Usage and billing (Sequentum cloud): credits left, spending over a period, what each agent
//! cost. Dates are checked here, before any call, with errors that say what to send.

use chrono::{Datelike, NaiveDate};

use super::{Id, ToolFailure};

/// Longest period asked for at once, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// A period of whole days, UTC, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// The period from `start` to `end` (`YYYY-MM-DD`); by default the current month up to
    /// `today`.
    pub fn parse(
        start: Option<&str>,
        end: Option<&str>,
        today: NaiveDate,
    ) -> Result<Period, ToolFailure> {
        let end = match end {
            Some(text) => date("end_date", text)?,
            None => today,
        };
        let start = match start {
            Some(text) => date("start_date", text)?,
            None => end.with_day(1).unwrap_or(end),
        };
        if start > end {
            return Err(ToolFailure::invalid(
                format!("start_date {start} is after end_date {end}"),
                "Send a start_date on or before end_date",
            ));
        }
        if start > today {
            return Err(ToolFailure::invalid(
                format!("start_date {start} is in the future (today is {today} UTC)"),
                "Send a start_date on or before today; spending is only known for the past",
            ));
        }
        let days = (end - start).num_days() + 1;
        if days > MAX_PERIOD_DAYS {
            return Err(ToolFailure::invalid(
                format!("the period is {days} days; at most {MAX_PERIOD_DAYS} are accepted"),
                "Ask for a year or less at a time",
            ));
        }
        Ok(Period { start, end })
    }
}

/// A day: `YYYY-MM-DD`, or the UTC day of a full ISO 8601 time (usage is counted by day).
fn date(name: &str, text: &str) -> Result<NaiveDate, ToolFailure> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| crate::api::types::Timestamp::parse_lenient(text).map(|t| t.0.date_naive()))
        .ok_or_else(|| {
            ToolFailure::invalid(
                format!("{name} \"{}\" is not a date", super::failure::excerpt(text)),
                format!("Send {name} as YYYY-MM-DD, e.g. 2026-01-31, or an ISO 8601 time"),
            )
        })
}

/// The account's usage over a period.
#[derive(Debug, Clone)]
pub struct Usage {
    pub credits_available: Option<f64>,
    pub spent: Option<f64>,
    /// The costliest agents, costliest first.
    pub top_agents: Vec<AgentCost>,
    /// Agents that cost anything in the period.
    pub agents_with_cost: Option<i64>,
}

/// What one agent cost.
#[derive(Debug, Clone)]
pub struct AgentCost {
    pub agent_id: Id,
    pub agent_name: Option<String>,
    pub cost: f64,
}

/// One agent's usage over a period.
#[derive(Debug, Clone)]
pub struct AgentUsage {
    pub agent_id: Id,
    pub agent_name: Option<String>,
    pub total_cost: f64,
    /// Cost per usage type (server time, export, proxy ...), costliest first.
    pub by_type: Vec<(String, f64)>,
    /// The newest runs' costs.
    pub runs: Vec<RunCost>,
    /// Runs that cost anything in the period.
    pub run_count: Option<i64>,
}

/// What one run cost.
#[derive(Debug, Clone)]
pub struct RunCost {
    pub run_id: Id,
    pub cost: f64,
    /// What the cost is for (e.g. "Server Time").
    pub billing_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_default_to_this_month_and_bad_dates_say_what_to_send() {
        let today = day("2026-03-17");
        let p = Period::parse(None, None, today).unwrap();
        assert_eq!((p.start, p.end), (day("2026-03-01"), today));
        let p = Period::parse(
            Some("2026-03-02T10:00:00Z"),
            Some("2026-03-05T23:00:00"),
            today,
        )
        .unwrap();
        assert_eq!((p.start, p.end), (day("2026-03-02"), day("2026-03-05")));
        let err = Period::parse(Some("03/01/2026"), None, today).unwrap_err();
        assert!(err.text().contains("YYYY-MM-DD"), "{}", err.text());
        let err = Period::parse(Some("2026-03-10"), Some("2026-03-01"), today).unwrap_err();
        assert!(err.text().contains("after end_date"), "{}", err.text());
        let err = Period::parse(Some("2026-04-01"), Some("2026-04-02"), today).unwrap_err();
        assert!(err.text().contains("future"), "{}", err.text());
        let err = Period::parse(Some("2024-01-01"), Some("2026-01-01"), today).unwrap_err();
        assert!(err.text().contains("732 days"), "{}", err.text());
    }
}
