//! What a schedule may be and when it fires: the kinds of timing both Sequentum backends take
//! (once, every N periods, 5-field cron) in an IANA time zone, their checks and their time
//! arithmetic.
//!
//! A leaf module, because two layers apply the same rules: the tools check a schedule before a
//! request goes out (`jobs::schedules`, as a tool failure) and the embedded engine checks it
//! when a request comes in and fires it (`local::scheduler`, as HTTP text), so a mistake gets
//! the same words from both and a schedule fires at exactly the times [`Timing::next_after`]
//! lists.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Duration, LocalResult, Months, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use croner::{
    Cron,
    parser::{CronParser, Seconds, Year},
};

use crate::quote::excerpt;

/// A schedule refused: what is wrong and what to send instead, one sentence each. Each layer
/// words it its own way (a tool failure, a 400 answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    pub message: String,
    pub advice: String,
}

impl ScheduleError {
    fn new(message: impl Into<String>, advice: impl Into<String>) -> ScheduleError {
        ScheduleError {
            message: message.into(),
            advice: advice.into(),
        }
    }
}

impl fmt::Display for ScheduleError {
    /// "What is wrong. What to send."
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}. {}.",
            self.message.trim_end_matches('.'),
            self.advice.trim_end_matches('.')
        )
    }
}

/// The time zone of a schedule that names none.
pub const DEFAULT_TIME_ZONE: &str = "UTC";

/// A once-schedule must start at least this far ahead (the cloud refuses anything sooner).
pub const MIN_LEAD_SECONDS: i64 = 60;

/// Longest schedule name accepted.
const MAX_NAME_CHARS: usize = 200;

/// Largest `every` count (a run every 1000 months is already never).
const MAX_EVERY: i64 = 1000;

/// The unit of an `every` schedule; Sequentum's `RunEveryPeriod` is 1 (minute) .. 5 (month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Minute,
    Hour,
    Day,
    Week,
    Month,
}

impl Period {
    pub const ALL: [Period; 5] = [
        Period::Minute,
        Period::Hour,
        Period::Day,
        Period::Week,
        Period::Month,
    ];

    /// Sequentum's `RunEveryPeriod` code.
    pub fn code(self) -> i64 {
        Period::ALL.iter().position(|p| *p == self).unwrap_or(0) as i64 + 1
    }

    pub fn from_code(code: i64) -> Option<Period> {
        usize::try_from(code - 1)
            .ok()
            .and_then(|i| Period::ALL.get(i).copied())
    }

    fn name(self) -> &'static str {
        match self {
            Period::Minute => "minute",
            Period::Hour => "hour",
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
}

/// An `every` value such as "30 minutes", "hour" or "2 days": the count (1 when absent) and
/// the period.
pub fn parse_every(text: &str) -> Result<(i64, Period), ScheduleError> {
    let invalid = || {
        ScheduleError::new(
            format!("every \"{}\" is not a count and a period", excerpt(text)),
            "Send e.g. \"30 minutes\", \"2 hours\", \"1 day\", \"1 week\" or \"1 month\"",
        )
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let (count, unit) = match words.as_slice() {
        [unit] => (1, *unit),
        [count, unit] => (count.parse().map_err(|_| invalid())?, *unit),
        _ => return Err(invalid()),
    };
    let unit = unit.to_ascii_lowercase();
    let period = Period::ALL
        .into_iter()
        .find(|p| unit == p.name() || unit.strip_suffix('s') == Some(p.name()))
        .ok_or_else(invalid)?;
    Ok((count, period))
}

/// When a schedule fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timing {
    /// Once, at this time.
    Once(DateTime<Utc>),
    /// Every `count` periods from `first` (the platform picks the first run when `None`).
    Every {
        count: i64,
        period: Period,
        first: Option<DateTime<Utc>>,
    },
    /// A 5-field cron expression (minute hour day month weekday) in the schedule's time zone.
    Cron(String),
}

impl Timing {
    /// In words, for a model to read back: "every 2 hours", "cron 0 7 * * 1-5", "once".
    pub fn describe(&self) -> String {
        match self {
            Timing::Once(at) => format!("once at {}", at.to_rfc3339()),
            Timing::Every {
                count: 1, period, ..
            } => format!("every {}", period.name()),
            Timing::Every { count, period, .. } => format!("every {count} {}s", period.name()),
            Timing::Cron(expr) => format!("cron {expr}"),
        }
    }

    /// The first firing strictly after `after`, in `tz` (`None`: it never fires again).
    /// Days, weeks and months keep the wall-clock time across daylight-saving changes; a
    /// wall-clock time that a change skips fires at the first instant after the gap.
    pub fn next_after(&self, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Timing::Once(at) => (*at > after).then_some(*at),
            Timing::Cron(expr) => {
                let cron = parse_cron(expr).ok()?;
                cron.find_next_occurrence(&after.with_timezone(&tz), false)
                    .ok()
                    .map(|t| t.with_timezone(&Utc))
            }
            Timing::Every {
                count,
                period,
                first,
            } => {
                let first = (*first)?;
                if first > after {
                    return Some(first);
                }
                let count = (*count).max(1);
                let fixed = match period {
                    Period::Minute => Some(Duration::minutes(count)),
                    Period::Hour => Some(Duration::hours(count)),
                    _ => None,
                };
                if let Some(step) = fixed {
                    let steps = (after - first).num_seconds() / step.num_seconds() + 1;
                    return Some(first + step * steps as i32);
                }
                // Calendar periods: step in local wall-clock time, starting near `after`.
                let local = first.with_timezone(&tz).naive_local();
                let approx_days = match period {
                    Period::Day => count,
                    Period::Week => 7 * count,
                    _ => 28 * count,
                };
                let mut k = ((after - first).num_days() / approx_days - 1).max(0);
                loop {
                    let t = resolve(tz, calendar_step(local, *period, count * k)?)?;
                    if t > after {
                        return Some(t);
                    }
                    k += 1;
                }
            }
        }
    }

    /// Firings in `[from, to]`, at most `limit`.
    pub fn between(
        &self,
        tz: Tz,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let mut cursor = from - Duration::seconds(1);
        while out.len() < limit {
            match self.next_after(tz, cursor) {
                Some(t) if t <= to => {
                    out.push(t);
                    cursor = t;
                }
                _ => break,
            }
        }
        out
    }
}

/// `local` moved `n` periods ahead in wall-clock time (days, weeks or months).
fn calendar_step(local: NaiveDateTime, period: Period, n: i64) -> Option<NaiveDateTime> {
    match period {
        Period::Day => local.checked_add_signed(Duration::days(n)),
        Period::Week => local.checked_add_signed(Duration::weeks(n)),
        _ => local.checked_add_months(Months::new(u32::try_from(n).ok()?)),
    }
}

/// A wall-clock time in `tz` as an instant: the earlier of a repeated hour, and the first
/// instant after a skipped one.
fn resolve(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => (1..=4)
            .map(|quarter| local + Duration::minutes(30 * quarter))
            .find_map(|later| tz.from_local_datetime(&later).earliest())
            .map(|t| t.with_timezone(&Utc)),
    }
}

/// Refuses what no platform would take, saying what to send instead: an empty or overlong
/// name, an unknown time zone, a cron that is not 5 valid fields, a once-time less than a
/// minute ahead, a first run in the past, an `every` out of range. Returns the time zone.
pub fn check(
    name: &str,
    timing: &Timing,
    zone: &str,
    now: DateTime<Utc>,
) -> Result<Tz, ScheduleError> {
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(ScheduleError::new(
            format!(
                "name has {chars} characters (\"{}\"); at most {MAX_NAME_CHARS} are accepted",
                excerpt(name)
            ),
            "Pass a shorter name",
        ));
    }
    if name.trim().is_empty() {
        return Err(ScheduleError::new(
            "the schedule name is empty",
            "Pass a short name such as \"Daily 7am\"",
        ));
    }
    let tz = time_zone(zone)?;
    match timing {
        Timing::Once(at) => {
            let earliest = now + Duration::seconds(MIN_LEAD_SECONDS);
            if *at < earliest {
                return Err(ScheduleError::new(
                    format!(
                        "the run time {} is {}; a one-time schedule must start at least a minute ahead",
                        at.to_rfc3339(),
                        if *at <= now {
                            "in the past"
                        } else {
                            "less than a minute ahead"
                        }
                    ),
                    format!(
                        "Send a later time, e.g. {} (now is {})",
                        (now + Duration::minutes(5)).format("%Y-%m-%dT%H:%M:00Z"),
                        now.format("%Y-%m-%dT%H:%M:%SZ")
                    ),
                ));
            }
        }
        Timing::Every { count, first, .. } => {
            if !(1..=MAX_EVERY).contains(count) {
                return Err(ScheduleError::new(
                    format!("every is {count}, outside its range of 1 to {MAX_EVERY}"),
                    format!("Pass every from 1 to {MAX_EVERY}"),
                ));
            }
            if let Some(first) = first
                && *first <= now
            {
                return Err(ScheduleError::new(
                    format!("the first run time {} is in the past", first.to_rfc3339()),
                    format!(
                        "Send a future starting time (now is {}), or leave it out to start one period from now",
                        now.format("%Y-%m-%dT%H:%M:%SZ")
                    ),
                ));
            }
        }
        Timing::Cron(expr) => {
            parse_cron(expr)?;
        }
    }
    Ok(tz)
}

/// An IANA time zone by name, or an error that says what a name looks like.
pub fn time_zone(name: &str) -> Result<Tz, ScheduleError> {
    Tz::from_str(name.trim()).map_err(|_| {
        ScheduleError::new(
            format!(
                "time_zone \"{}\" is not an IANA time zone name",
                excerpt(name)
            ),
            "Send a name such as \"UTC\", \"Europe/Berlin\" or \"America/New_York\"",
        )
    })
}

/// A 5-field cron expression (minute hour day-of-month month day-of-week).
pub fn parse_cron(expr: &str) -> Result<Cron, ScheduleError> {
    let invalid = |why: String| {
        ScheduleError::new(
            format!(
                "cron \"{}\" is not a valid 5-field cron: {why}",
                excerpt(expr)
            ),
            "Send minute hour day month weekday, e.g. \"0 7 * * 1-5\" for 07:00 on weekdays",
        )
    };
    let fields = expr.split_whitespace().count();
    if fields != 5 {
        return Err(invalid(format!("it has {fields} fields")));
    }
    CronParser::builder()
        .seconds(Seconds::Disallowed)
        .year(Year::Disallowed)
        .build()
        .parse(expr)
        .map_err(|e| invalid(e.to_string()))
}

/// A time the model passed: RFC 3339, or a wall-clock time (`2026-12-01T07:00`) read in `tz`.
pub fn parse_time(field: &str, text: &str, tz: Tz) -> Result<DateTime<Utc>, ScheduleError> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        .iter()
        .find_map(|fmt| {
            NaiveDateTime::parse_from_str(text, fmt).ok().or_else(|| {
                chrono::NaiveDate::parse_from_str(text, fmt)
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
        })
        .and_then(|local| resolve(tz, local))
        .ok_or_else(|| {
            ScheduleError::new(
                format!("{field} \"{}\" is not a date and time", excerpt(text)),
                "Send ISO 8601 such as \"2026-12-01T07:00\" (read in time_zone) or \"2026-12-01T07:00:00Z\"",
            )
        })
}

/// The end of a range the model passed: as [`parse_time`], but a date alone (`2026-12-08`)
/// covers its whole day.
pub fn parse_end(field: &str, text: &str, tz: Tz) -> Result<DateTime<Utc>, ScheduleError> {
    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let next_midnight = day.and_then(|d| resolve(tz, d.succ_opt()?.and_hms_opt(0, 0, 0)?));
    match next_midnight {
        Some(t) => Ok(t - Duration::milliseconds(1)),
        None => parse_time(field, text, tz),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn cron_keeps_local_time_across_daylight_saving() {
        let berlin = time_zone("Europe/Berlin").unwrap();
        let seven = Timing::Cron("0 7 * * *".into());
        let got = seven.between(
            berlin,
            utc("2027-03-27T00:00:00Z"),
            utc("2027-03-29T00:00:00Z"),
            10,
        );
        // 07:00 CET is 06:00Z; after the change on 28 March, 07:00 CEST is 05:00Z.
        assert_eq!(
            got,
            [utc("2027-03-27T06:00:00Z"), utc("2027-03-28T05:00:00Z")]
        );
    }

    #[test]
    fn every_counts_from_the_first_run_and_days_keep_wall_clock_time() {
        let minute = Timing::Every {
            count: 1,
            period: Period::Minute,
            first: Some(utc("2027-01-01T00:00:00Z")),
        };
        let at = |t| minute.next_after(chrono_tz::UTC, utc(t));
        assert_eq!(
            at("2026-12-31T00:00:00Z"),
            Some(utc("2027-01-01T00:00:00Z"))
        );
        assert_eq!(
            at("2027-01-01T00:00:00Z"),
            Some(utc("2027-01-01T00:01:00Z"))
        );
        assert_eq!(
            at("2027-01-01T00:10:30Z"),
            Some(utc("2027-01-01T00:11:00Z"))
        );
        let daily = Timing::Every {
            count: 1,
            period: Period::Day,
            first: Some(utc("2027-03-20T06:00:00Z")),
        };
        let berlin = time_zone("Europe/Berlin").unwrap();
        assert_eq!(
            daily.next_after(berlin, utc("2027-03-28T00:00:00Z")),
            Some(utc("2027-03-28T05:00:00Z"))
        );
        let monthly = Timing::Every {
            count: 1,
            period: Period::Month,
            first: Some(utc("2027-01-15T12:00:00Z")),
        };
        assert_eq!(
            monthly.next_after(chrono_tz::UTC, utc("2027-05-20T00:00:00Z")),
            Some(utc("2027-06-15T12:00:00Z"))
        );
        assert_eq!(Period::from_code(Period::Month.code()), Some(Period::Month));
        assert_eq!(Period::Minute.code(), 1);
        assert_eq!(parse_every("2 Hours").unwrap(), (2, Period::Hour));
        assert_eq!(parse_every("day").unwrap(), (1, Period::Day));
        assert!(parse_every("2 fortnights").is_err() && parse_every("x days").is_err());
    }

    #[test]
    fn times_read_in_the_zone_and_a_date_alone_ends_its_day() {
        let berlin = time_zone("Europe/Berlin").unwrap();
        assert_eq!(
            parse_time("at", "2027-07-01T07:00", berlin).unwrap(),
            utc("2027-07-01T05:00:00Z")
        );
        assert!(parse_time("at", "tomorrow", berlin).is_err());
        assert_eq!(
            parse_end("to", "2027-07-01", chrono_tz::UTC).unwrap(),
            utc("2027-07-01T23:59:59.999Z"),
            "a date alone as an end covers its whole day"
        );
        assert_eq!(
            parse_end("to", "2027-07-01T07:00:00Z", chrono_tz::UTC).unwrap(),
            utc("2027-07-01T07:00:00Z")
        );
    }

    /// The words every layer shows: what is wrong, then what to send.
    #[test]
    fn a_refusal_reads_as_two_sentences() {
        let now = utc("2027-01-01T00:00:00Z");
        let err = check("x", &Timing::Cron("0 7 * *".into()), "UTC", now).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cron \"0 7 * *\" is not a valid 5-field cron: it has 4 fields. Send minute hour day month weekday, e.g. \"0 7 * * 1-5\" for 07:00 on weekdays."
        );
        let every = Timing::Every {
            count: 0,
            period: Period::Day,
            first: None,
        };
        assert!(
            check("x", &every, "UTC", now)
                .unwrap_err()
                .message
                .contains("1 to 1000")
        );
        let long = "n".repeat(201);
        assert!(
            check(&long, &every, "UTC", now)
                .unwrap_err()
                .message
                .contains("201 characters")
        );
    }
}
