//! Shared pieces of the benchmarks: the result table, timing statistics, peak-memory readings
//! from `/proc` and an in-process MCP client.
//!
//! Each bench binary compiles this module and uses a different part of it, so items unused by
//! one binary are expected; `dead_code` is allowed here for that reason only.
#![allow(dead_code)]

pub mod mcp;

use std::{fmt::Write as _, time::Duration};

/// One measured figure and the goal it is held against (goals, not assertions).
pub struct Row {
    pub what: String,
    pub measured: String,
    pub target: String,
    /// `Some(true)` met, `Some(false)` missed, `None` no target (informational).
    pub met: Option<bool>,
}

impl Row {
    /// A figure with a goal: `met` says whether it was reached.
    pub fn goal(what: &str, measured: String, target: &str, met: bool) -> Row {
        Row {
            what: what.to_string(),
            measured,
            target: target.to_string(),
            met: Some(met),
        }
    }

    /// A figure reported for context (for example the fake API's own latency).
    pub fn info(what: &str, measured: String) -> Row {
        Row {
            what: what.to_string(),
            measured,
            target: "-".to_string(),
            met: None,
        }
    }
}

/// Prints the rows as a Markdown table (so it can be pasted into the README), under a title
/// and the machine it ran on. Bench output goes to stdout: these are programs, not the server.
pub fn print_table(title: &str, rows: &[Row]) {
    let mut out = String::new();
    let _ = writeln!(out, "\n## {title}\n\n{}\n", environment());
    let _ = writeln!(out, "| measurement | measured | target | |");
    let _ = writeln!(out, "|---|---|---|---|");
    for row in rows {
        let verdict = match row.met {
            Some(true) => "met",
            Some(false) => "MISSED",
            None => "",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {verdict} |",
            row.what, row.measured, row.target
        );
    }
    println!("{out}");
}

/// Cores, CPU model and load average: timing figures mean little without them.
pub fn environment() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".to_string());
    format!("{cores} cores, {cpu}; load average {load}")
}

/// The median of some durations (the upper one of the middle pair); zero for none.
pub fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// `1.23 ms`, `45.6 µs`, `2.01 s`: three significant figures in a fitting unit.
pub fn show(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.2} ms", secs * 1e3)
    } else {
        format!("{:.1} µs", secs * 1e6)
    }
}

/// Kibibytes as `12.3 MiB`.
pub fn show_kib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// A `kB` line (`VmHWM`, `VmRSS`) of `/proc/<pid>/status`; `None` when the process is gone
/// or the system has no procfs.
pub fn status_kib(pid: &str, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Peak resident memory of this process so far, in KiB.
pub fn own_peak_kib() -> u64 {
    status_kib("self", "VmHWM").unwrap_or(0)
}

/// Resets this process's peak resident memory to its current size (Linux `clear_refs` 5), so
/// a later [`own_peak_kib`] measures one phase only. Returns false where that is unsupported,
/// in which case the peak covers the whole process lifetime.
pub fn reset_own_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
