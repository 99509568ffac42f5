//! Upcoming scheduled runs as an answer a model can use: one time line across schedules,
//! earliest first; a schedule that fires often is one row at its first run whose timing sums
//! it up ("every 5 minutes (UTC): about 288 runs a day, 2016 in the range, …") instead of
//! filling the answer; and a cap with `truncated` and the call that reads on. Platforms list
//! at most so many firings per schedule, so a frequent schedule's count in the range comes
//! from its timing, not from the rows they return.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::{
    Id,
    schedules::{Schedule, ScheduleView},
};
use crate::schedule_rules::{Timing, time_zone};

/// Rows (single runs) in one answer.
pub const MAX_ROWS: usize = 50;

/// A schedule with more runs than this in the range is summarised, not listed run by run.
pub const FREQUENT_AFTER: usize = 24;

/// Most firings counted for one schedule: one a minute over the longest range (92 days).
const MAX_COUNTED: usize = 92 * 24 * 60 + 1;

/// The upcoming runs of a range, arranged.
#[derive(Debug, Default)]
pub struct Upcoming {
    /// Runs (a frequent schedule's first standing for all of them), earliest first, at most
    /// [`MAX_ROWS`].
    pub rows: Vec<ScheduleView>,
    /// Schedules summarised in one row.
    pub frequent: usize,
    /// More runs in the range than `rows` holds.
    pub truncated: bool,
    /// The time of the first run left out, where a follow-up call starts.
    pub resume_from: Option<DateTime<Utc>>,
}

/// Arranges the firings a platform listed for `[from, to]` (one entry per firing).
pub fn arrange(firings: Vec<Schedule>, from: DateTime<Utc>, to: DateTime<Utc>) -> Upcoming {
    let mut by_schedule: BTreeMap<(Id, Id), Vec<Schedule>> = BTreeMap::new();
    for firing in firings.into_iter().filter(|f| f.next_run.is_some()) {
        let key = (firing.agent_id.clone(), firing.id.clone());
        by_schedule.entry(key).or_default().push(firing);
    }
    let mut rows = Vec::new();
    let mut frequent = 0;
    for (_, mut runs) in by_schedule {
        runs.sort_by_key(|r| r.next_run);
        match counted(&runs, from, to) {
            // Also when the platform stopped listing before the range's end: its rows would
            // leave runs out, the count does not.
            Some((count, last)) if count > FREQUENT_AFTER || count > runs.len() => {
                frequent += 1;
                let range = (to - from).max(Duration::seconds(1));
                let mut first = ScheduleView::from(&runs[0]);
                first.timing = Some(summary(&runs[0], count, last, range));
                rows.push((runs[0].next_run, first));
            }
            _ => rows.extend(runs.iter().map(|r| (r.next_run, ScheduleView::from(r)))),
        }
    }
    rows.sort_by(|(a, x), (b, y)| (a, &x.schedule_id).cmp(&(b, &y.schedule_id)));
    let mut out = Upcoming {
        frequent,
        ..Upcoming::default()
    };
    if rows.len() > MAX_ROWS {
        out.truncated = true;
        out.resume_from = rows[MAX_ROWS].0;
        rows.truncate(MAX_ROWS);
    }
    out.rows = rows.into_iter().map(|(_, row)| row).collect();
    out
}

/// How many times the schedule of `runs` fires in `[from, to]`, and its last firing there:
/// from its timing (the platform's rows may stop at its own cap), else the rows themselves.
fn counted(
    runs: &[Schedule],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Option<(usize, DateTime<Utc>)> {
    let first = runs.first()?;
    let listed = (runs.len(), runs.last()?.next_run?);
    let tz = first
        .time_zone
        .as_deref()
        .and_then(|name| time_zone(name).ok())
        .unwrap_or(chrono_tz::UTC);
    let timing = match first.timing.clone() {
        // Upcoming rows do not say when an every-schedule began; its first row here will do.
        Some(Timing::Every { count, period, .. }) => Timing::Every {
            count,
            period,
            first: first.next_run,
        },
        Some(timing) => timing,
        None => return Some(listed),
    };
    let (mut count, mut last, mut cursor) = (0, None, from - Duration::seconds(1));
    while count < MAX_COUNTED {
        match timing.next_after(tz, cursor) {
            Some(t) if t <= to => {
                count += 1;
                last = Some(t);
                cursor = t;
            }
            _ => break,
        }
    }
    // A timing that disagrees with the rows (an unknown platform rule) counts as the rows do.
    match last {
        Some(last) if count >= listed.0 => Some((count, last)),
        _ => Some(listed),
    }
}

/// "every 5 minutes (UTC): about 288 runs a day, 2016 in the range, the last at …".
fn summary(first: &Schedule, count: usize, last: DateTime<Utc>, range: Duration) -> String {
    let per_day = count as f64 * 86_400.0 / range.num_seconds() as f64;
    let per_day = if per_day >= 10.0 {
        format!("{per_day:.0}")
    } else {
        format!("{per_day:.1}")
    };
    let timing = first.describe().unwrap_or_else(|| "repeating".into());
    format!(
        "{timing}: about {per_day} runs a day, {count} in the range, the last at {}",
        last.to_rfc3339()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule_rules::Period;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn firing(id: i64, timing: Timing, tz: &str, at: DateTime<Utc>) -> Schedule {
        Schedule {
            id: Id::Num(id),
            agent_id: Id::Num(1),
            agent_name: None,
            name: format!("s{id}"),
            timing: Some(timing),
            time_zone: Some(tz.into()),
            enabled: true,
            next_run: Some(at),
        }
    }

    #[test]
    fn a_frequent_schedule_is_counted_over_the_whole_range_even_when_the_rows_stop_early() {
        let from = utc("2027-01-04T12:00:00Z");
        let to = from + Duration::days(7);
        let every5 = Timing::Every {
            count: 5,
            period: Period::Minute,
            first: None,
        };
        // The platform listed only its first 100 firings, ending the same afternoon.
        let mut rows: Vec<Schedule> = (1..=100)
            .map(|i| firing(1, every5.clone(), "UTC", from + Duration::minutes(5 * i)))
            .collect();
        let mornings = Timing::Cron("0 7 * * *".into());
        for day in 0..7 {
            let at = utc("2027-01-05T06:00:00Z") + Duration::days(day);
            rows.push(firing(2, mornings.clone(), "Europe/Berlin", at));
        }
        let got = arrange(rows, from, to);
        assert_eq!(got.frequent, 1);
        assert_eq!(
            got.rows.len(),
            8,
            "one row for the frequent one, seven mornings"
        );
        let summary = got.rows[0].timing.as_deref().unwrap();
        assert!(
            summary.contains("about 288 runs a day, 2016 in the range"),
            "{summary}"
        );
        assert!(summary.ends_with(&to.to_rfc3339()), "{summary}");
        assert_eq!(
            got.rows[1].next_run_local.as_deref(),
            Some("2027-01-05T07:00:00+01:00")
        );
        assert!(!got.truncated);
    }

    #[test]
    fn a_schedule_the_platform_listed_only_in_part_is_summarised_not_cut() {
        let from = utc("2027-01-04T00:00:00Z");
        let to = from + Duration::hours(20);
        let hourly = Timing::Every {
            count: 1,
            period: Period::Hour,
            first: None,
        };
        let rows: Vec<Schedule> = (0..10)
            .map(|h| firing(1, hourly.clone(), "UTC", from + Duration::hours(h)))
            .collect();
        let got = arrange(rows, from, to);
        assert_eq!(got.rows.len(), 1);
        let summary = got.rows[0].timing.as_deref().unwrap();
        assert!(summary.contains("21 in the range"), "{summary}");
    }

    #[test]
    fn rows_are_one_time_line_capped_with_where_to_resume() {
        let from = utc("2027-01-04T00:00:00Z");
        let to = from + Duration::hours(20);
        let hourly = Timing::Every {
            count: 1,
            period: Period::Hour,
            first: None,
        };
        // Three schedules, listed by the platform one after the other.
        let mut rows = Vec::new();
        for id in 1..=3 {
            for h in 0..20 {
                let at = from + Duration::hours(h) + Duration::minutes(id * 10);
                rows.push(firing(id, hourly.clone(), "UTC", at));
            }
        }
        let got = arrange(rows, from, to);
        assert_eq!(got.frequent, 0);
        assert_eq!(got.rows.len(), MAX_ROWS);
        assert!(got.truncated);
        let times: Vec<&str> = got
            .rows
            .iter()
            .map(|r| r.next_run_at.as_deref().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert_eq!(got.rows[1].schedule_id, Id::Num(2), "schedules interleave");
        assert_eq!(
            got.resume_from,
            Some(from + Duration::hours(16) + Duration::minutes(30))
        );
    }
}
