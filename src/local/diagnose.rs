//! A run's diagnosis from what the runner saw (`local::page_log`): possible causes and
//! suggested actions, written for a person, from the pages' problems and the run's message.

use crate::api::{
    analytics::{DiagnosticStats, PageTraceWire, RunDiagnostics},
    types::AgentRun,
};

use std::collections::HashMap;

use super::page_log::{BLOCKED, DROPPED, JAVASCRIPT, NO_RECORDS, RETRIED, ROBOTS, UNREADABLE};

/// The diagnosis of `run` from its kept `pages` (oldest first).
pub fn diagnose(run: &AgentRun, pages: Vec<PageTraceWire>) -> RunDiagnostics {
    let pages = latest_per_page(pages);
    let count = |kind: &str| {
        pages
            .iter()
            .filter(|p| {
                p.problem
                    .as_deref()
                    .is_some_and(|m| m.split(':').next() == Some(kind))
            })
            .count()
    };
    let example = |kind: &str| {
        pages
            .iter()
            .find(|p| {
                p.problem
                    .as_deref()
                    .is_some_and(|m| m.split(':').next() == Some(kind))
            })
            .map(|p| format!(" (e.g. {}: {})", p.url, p.problem.as_deref().unwrap_or("")))
            .unwrap_or_default()
    };
    let mut causes = Vec::new();
    let mut actions = Vec::new();
    let mut add = |kind: &str, cause: &str, action: &str| {
        let n = count(kind);
        if n > 0 {
            causes.push(format!("{n} page(s): {cause}{}", example(kind)));
            actions.push(action.to_string());
        }
    };
    add(
        ROBOTS,
        "the site's robots.txt does not allow the engine to read them",
        "Ask the site owner for permission; only if you have it, start the engine with --ignore-robots.",
    );
    add(
        BLOCKED,
        "the site refused or challenged the engine (HTTP 403/429 or a CAPTCHA)",
        "Read fewer pages per run and wait longer between runs; sites that block bots may need the agent to run on Sequentum cloud with proxies.",
    );
    add(
        JAVASCRIPT,
        "the content is built by JavaScript, which the local engine does not run",
        "Point the agent at a page or API that serves the data as HTML, or run it on Sequentum cloud.",
    );
    add(
        NO_RECORDS,
        "the record selector matched nothing (the site's layout may have changed)",
        "Open the page and check the record selector; test_agent_definition shows what each selector finds.",
    );
    add(
        DROPPED,
        "records were left out because a required field found nothing",
        "Check the field selectors, or mark fields that are sometimes empty as optional.",
    );
    add(
        UNREADABLE,
        "the pages could not be read (missing pages, server errors or timeouts)",
        "Check that the start URLs open in a browser; if the site was down, restart the run later.",
    );
    add(
        RETRIED,
        "the site failed at first (server errors, timeouts or resets) and the pages were read on a retry",
        "Nothing was lost; if this recurs, slow the engine down on this site (--fetch-delay-ms).",
    );
    let message = run.message.clone().filter(|m| !m.trim().is_empty());
    if causes.is_empty() && run.status().is_terminal() && run.status().phase() == "failed" {
        causes.push(match &message {
            Some(m) => format!("The run ended in failure: {m}"),
            None => "The run ended in failure without a recorded page problem.".into(),
        });
        actions
            .push("Read the run's log (list_run_files) for the last lines before it ended.".into());
    }
    RunDiagnostics {
        run_id: run.id,
        agent_id: run.config_id,
        agent_name: run.config_name.clone(),
        status: Some(run.status()),
        error_message: message,
        start_time: run.start_time.map(|t| t.to_rfc3339()),
        end_time: run.end_time.map(|t| t.to_rfc3339()),
        runtime_seconds: run.run_time_sec,
        stats: DiagnosticStats {
            data_count: run.data_count.unwrap_or(0),
            input_count: run.input_count,
            error_count: run.error_count.unwrap_or(0),
            page_count: run.page_count.unwrap_or(0),
            export_count: run.export_count,
            traffic: run.traffic,
        },
        possible_causes: causes,
        suggested_actions: actions,
        pages,
    }
}

/// The latest trace of each page, in order: a restart reads the pages it missed again, and
/// what it saw then replaces what the earlier attempt saw, so a page read on the restart is no
/// longer a cause, and a page that failed twice counts once.
fn latest_per_page(pages: Vec<PageTraceWire>) -> Vec<PageTraceWire> {
    let last: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.as_str(), i))
        .collect();
    let keep: Vec<bool> = (0..pages.len())
        .map(|i| last[pages[i].url.as_str()] == i)
        .collect();
    pages
        .into_iter()
        .zip(keep)
        .filter_map(|(page, keep)| keep.then_some(page))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, problem: Option<&str>) -> PageTraceWire {
        PageTraceWire {
            url: url.into(),
            http_status: Some(if problem.is_some() { 500 } else { 200 }),
            fetch_ms: Some(5),
            records: u64::from(problem.is_none()),
            problem: problem.map(str::to_string),
        }
    }

    #[test]
    fn a_page_read_on_a_restart_is_no_longer_a_cause_and_none_counts_twice() {
        let run = AgentRun {
            id: 9,
            config_id: 1,
            ..Default::default()
        };
        let failing = Some("unreadable: HTTP 500");
        let healed = diagnose(
            &run,
            vec![
                page("https://x.test/1", None),
                page("https://x.test/2", failing),
                page("https://x.test/2", None),
            ],
        );
        assert!(
            healed.possible_causes.is_empty(),
            "{:?}",
            healed.possible_causes
        );
        assert_eq!(healed.pages.len(), 2);
        let again = diagnose(
            &run,
            vec![
                page("https://x.test/2", failing),
                page("https://x.test/2", failing),
            ],
        );
        assert_eq!(again.possible_causes.len(), 1);
        assert!(
            again.possible_causes[0].starts_with("1 page(s)"),
            "{:?}",
            again.possible_causes
        );
    }
}
