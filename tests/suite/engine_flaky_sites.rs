//! Runs on a scripted flaky site, on injected time (the retries' waits are recorded, never
//! slept): a page that fails once is retried, a 429's Retry-After is honoured, a page that
//! keeps failing ends the run "with errors" on every surface and a restart reads it, keeping
//! every record exactly once; a run stopped by its page limit says so.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    extract::{Query, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use sequentum_mcp::{
    api::types::{RunStatus, StartRunRequest},
    local::{Engine, fetch::Pause},
    mcp::toolsets::Selection,
};
use serde_json::{Value, json};
use url::Url;

use crate::engine_fixture::{
    Mcp, call_tool, client_for, create_agent, finished, get_json, mcp_on, options,
};

/// Listing pages of the scripted site, five records each.
const PAGES: u32 = 4;
const PER_PAGE: u32 = 5;

/// What page N answers instead of its listing, the next times it is asked.
#[derive(Clone)]
enum Fault {
    /// This status, this many times.
    Status(u16, u32),
    /// 429 with `Retry-After: <secs>`, once.
    RetryAfter(u64),
    /// HTTP 500 until the script is cleared.
    Down,
}

#[derive(Clone, Default)]
struct Script {
    faults: Arc<Mutex<HashMap<u32, Fault>>>,
    /// Requests per page.
    asked: Arc<Mutex<HashMap<u32, u32>>>,
}

impl Script {
    fn set(&self, page: u32, fault: Fault) {
        self.faults.lock().unwrap().insert(page, fault);
    }
    fn clear(&self) {
        self.faults.lock().unwrap().clear();
    }
    fn asked(&self, page: u32) -> u32 {
        self.asked.lock().unwrap().get(&page).copied().unwrap_or(0)
    }
}

#[derive(serde::Deserialize)]
struct PageQuery {
    page: Option<u32>,
}

async fn listing(State(script): State<Script>, Query(q): Query<PageQuery>) -> Response {
    let page = q.page.unwrap_or(1);
    *script.asked.lock().unwrap().entry(page).or_default() += 1;
    let fault = {
        let mut faults = script.faults.lock().unwrap();
        let fault = faults.get(&page).cloned();
        match fault {
            Some(Fault::Status(status, left)) => {
                if left <= 1 {
                    faults.remove(&page);
                } else {
                    faults.insert(page, Fault::Status(status, left - 1));
                }
                Some(Fault::Status(status, left))
            }
            Some(Fault::RetryAfter(secs)) => {
                faults.remove(&page);
                Some(Fault::RetryAfter(secs))
            }
            other => other,
        }
    };
    match fault {
        Some(Fault::Status(status, _)) => {
            (StatusCode::from_u16(status).unwrap(), "hiccup").into_response()
        }
        Some(Fault::RetryAfter(secs)) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, secs.to_string())],
            "slow down",
        )
            .into_response(),
        Some(Fault::Down) => (StatusCode::INTERNAL_SERVER_ERROR, "down").into_response(),
        None => {
            let mut html = String::from("<html><body>");
            for i in 1..=PER_PAGE {
                html.push_str(&format!(
                    r#"<div class="story"><h2>Story {page}-{i}</h2></div>"#
                ));
            }
            if page < PAGES {
                html.push_str(&format!(
                    r#"<a rel="next" href="/list?page={}">Next</a>"#,
                    page + 1
                ));
            }
            html.push_str("</body></html>");
            Html(html).into_response()
        }
    }
}

async fn flaky_site() -> (Url, Script) {
    let script = Script::default();
    let app = Router::new()
        .route("/list", get(listing))
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, script)
}

/// The waits the engine asked for, in order.
type Waits = Arc<Mutex<Vec<Duration>>>;

/// An engine whose retry waits are recorded and pass at once.
async fn engine() -> (tempfile::TempDir, Engine, Waits) {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(dir.path(), 2);
    let waits = Waits::default();
    let seen = waits.clone();
    opts.fetch.retry.pause = Pause::new(move |d| {
        seen.lock().unwrap().push(d);
        Box::pin(async {})
    });
    let engine = Engine::start(opts).await.unwrap();
    (dir, engine, waits)
}

fn stories(base: &Url, max_pages: u32) -> Value {
    json!({
        "start_urls": [base.join("list").unwrap().as_str()],
        "record_selector": "div.story",
        "fields": [{"name": "title", "selector": "h2"}],
        "next_page": {"selector": "a[rel=next]", "max_pages": max_pages}
    })
}

/// Starts a run of a new agent and waits for its end.
async fn run_to_end(
    engine: &Engine,
    name: &str,
    def: Value,
) -> (i64, sequentum_mcp::api::types::AgentRun) {
    let client = client_for(engine, engine.api_key());
    let agent = create_agent(engine, name, def).await;
    let run = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap();
    (agent, finished(&client, agent, run.id).await)
}

/// The titles of a run's records, read with fetch_records.
async fn titles(mcp: &Mcp, agent: i64, run: i64) -> Vec<String> {
    let page = call_tool(
        mcp,
        "fetch_records",
        json!({"agent_id": agent, "run_id": run, "limit": 100}),
    )
    .await;
    assert_ne!(page.is_error, Some(true), "{page:?}");
    let page = page.structured_content.unwrap();
    page["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_page_that_fails_once_is_retried_and_the_run_has_every_record() {
    let (base, script) = flaky_site().await;
    script.set(2, Fault::Status(500, 1));
    let (dir, engine, waits) = engine().await;
    let (agent, run) = run_to_end(&engine, "Hiccup", stories(&base, 10)).await;
    assert_eq!(run.status(), RunStatus::COMPLETED, "{run:?}");
    assert_eq!(run.data_count, Some((PAGES * PER_PAGE) as i64), "{run:?}");
    assert_eq!(run.lost_page_count, Some(0));
    assert_eq!(script.asked(2), 2, "page 2 was asked again");
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 1, "one retry, one wait: {waits:?}");
    assert!(
        waits[0] >= Duration::from_millis(250) && waits[0] <= Duration::from_millis(500),
        "the first backoff with jitter: {waits:?}"
    );
    let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
    assert_eq!(titles(&mcp, agent, run.id).await.len(), 20);
    // The retry is in the diagnostics, page by page.
    let diagnostics = get_json(
        &engine,
        &format!(
            "api/v1/analytics/agents/{agent}/runs/{}/diagnostics",
            run.id
        ),
    )
    .await;
    let text = diagnostics.to_string();
    assert!(
        text.contains("retried: read after 1 failed attempt(s)"),
        "{text}"
    );
    engine.shutdown().await;
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out() {
    let (base, script) = flaky_site().await;
    script.set(3, Fault::RetryAfter(7));
    let (_dir, engine, waits) = engine().await;
    let (_, run) = run_to_end(&engine, "Throttled", stories(&base, 10)).await;
    assert_eq!(run.status(), RunStatus::COMPLETED, "{run:?}");
    assert_eq!(run.data_count, Some((PAGES * PER_PAGE) as i64));
    // The whole site is held until the Retry-After ends (on the real clock, which the
    // injected waits do not move): page 3 waits it out, and so does page 4, which comes while
    // the hold lasts. Each wait counts from a moment after the answer.
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(
        waits
            .iter()
            .all(|w| *w > Duration::from_millis(6900) && *w <= Duration::from_secs(7)),
        "the site's Retry-After: {waits:?}"
    );
    engine.shutdown().await;
}

#[tokio::test]
async fn a_page_that_keeps_failing_ends_the_run_with_errors_and_a_restart_reads_it_once() {
    let (base, script) = flaky_site().await;
    script.set(2, Fault::Down);
    let (dir, engine, _waits) = engine().await;
    let (agent, run) = run_to_end(&engine, "Broken page two", stories(&base, 10)).await;
    assert_eq!(script.asked(2), 3, "asked once and retried twice");
    assert_eq!(script.asked(3), 0, "what page 2 leads to was never known");
    assert_eq!(run.status(), RunStatus::COMPLETED, "{run:?}");
    assert_eq!(run.lost_page_count, Some(1));
    assert_eq!(run.data_count, Some(PER_PAGE as i64));
    let message = run.message.clone().unwrap();
    assert!(
        message.contains("With errors: 1 page(s) could not be read"),
        "{message}"
    );
    assert!(message.contains("list?page=2 (HTTP 500"), "{message}");

    // Every surface says so: the status tool, the summaries and the diagnostics.
    let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
    let ids = json!({"agent_id": agent, "run_id": run.id});
    let status = call_tool(&mcp, "get_run_status", ids.clone()).await;
    let view = status.structured_content.unwrap();
    assert_eq!(view["phase"], "completed_with_errors", "{view}");
    assert_eq!(view["restartable"], true, "{view}");
    assert!(
        view["next_step"].as_str().unwrap().contains("restart_run"),
        "{view}"
    );
    let summary = call_tool(&mcp, "runs_summary", json!({"agent_id": agent})).await;
    let summary = summary.structured_content.unwrap();
    assert_eq!(summary["counts"]["completed_with_errors"], 1, "{summary}");
    assert_eq!(summary["counts"]["completed"], 0, "{summary}");
    assert_eq!(summary["counts"]["runs"], 1, "{summary}");
    let unknown = call_tool(&mcp, "runs_summary", json!({"agent_id": agent + 1000})).await;
    assert_eq!(
        unknown.is_error,
        Some(true),
        "an unknown agent is refused: {unknown:?}"
    );
    // Dates as Sequentum documents them: a date alone, and as the end it covers its whole day.
    let today = chrono::Utc::now().date_naive();
    let wire = get_json(
        &engine,
        &format!("api/v1/analytics/runs/summary?startDate={today}&endDate={today}"),
    )
    .await;
    assert_eq!(wire["completedWithErrorsRuns"], 1, "{wire}");
    assert_eq!(wire["totalRuns"], 1, "{wire}");
    let upcoming = get_json(
        &engine,
        &format!("api/v1/analytics/schedules/upcoming?startDate={today}&endDate={today}"),
    )
    .await;
    assert!(upcoming.is_array(), "{upcoming}");
    let diagnostics = call_tool(&mcp, "get_run_diagnostics", json!({"agent_id": agent})).await;
    assert_ne!(diagnostics.is_error, Some(true), "{diagnostics:?}");
    let diagnostics = diagnostics.structured_content.unwrap();
    assert_eq!(diagnostics["run_id"], run.id, "{diagnostics}");

    // The site is back: the restart reads page 2 and what follows, and keeps page 1's records.
    script.clear();
    let restarted = call_tool(
        &mcp,
        "restart_run",
        json!({"agent_id": agent, "run_id": run.id, "wait_seconds": 45}),
    )
    .await;
    assert_ne!(restarted.is_error, Some(true), "{restarted:?}");
    let client = client_for(&engine, engine.api_key());
    let again = finished(&client, agent, run.id).await;
    assert_eq!(again.status(), RunStatus::COMPLETED, "{again:?}");
    assert_eq!(again.lost_page_count, Some(0), "{again:?}");
    assert_eq!(script.asked(1), 1, "page 1 was not read again");
    let got = titles(&mcp, agent, run.id).await;
    let unique: HashSet<_> = got.iter().collect();
    assert_eq!(got.len(), (PAGES * PER_PAGE) as usize, "{got:?}");
    assert_eq!(unique.len(), got.len(), "every record once: {got:?}");
    assert_eq!(again.data_count, Some((PAGES * PER_PAGE) as i64));
    assert_eq!(again.export_count, Some((PAGES * PER_PAGE) as i64));
    // Nothing is left to resume: a second restart is refused with the reason.
    let refused = client.restart_run(agent, run.id).await.unwrap_err();
    assert!(refused.to_string().contains("start a new run"), "{refused}");
    engine.shutdown().await;
}

#[tokio::test]
async fn a_run_stopped_by_its_page_limit_says_so_and_how_to_lift_it() {
    let (base, _script) = flaky_site().await;
    let (_dir, engine, _waits) = engine().await;
    let (_, run) = run_to_end(&engine, "Capped", stories(&base, 2)).await;
    assert_eq!(run.status(), RunStatus::COMPLETED, "{run:?}");
    assert_eq!(run.data_count, Some(2 * PER_PAGE as i64));
    let message = run.message.unwrap();
    assert!(
        message.contains("More exists: next_page.max_pages (2)"),
        "{message}"
    );
    // The run's message names no tool: the default toolsets do not offer the editor's.
    assert!(
        message.contains("raise it in the agent's definition and run again")
            && !message.contains("update_agent_definition"),
        "{message}"
    );
    engine.shutdown().await;
}

/// The names of a run's files, from list_run_files.
async fn file_names(mcp: &Mcp, agent: i64, run: i64) -> Vec<String> {
    let files = call_tool(
        mcp,
        "list_run_files",
        json!({"agent_id": agent, "run_id": run}),
    )
    .await;
    let files = files.structured_content.unwrap();
    files["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn restarts_keep_one_log_an_honest_message_and_diagnostics_of_the_latest_attempt() {
    let (base, script) = flaky_site().await;
    script.set(2, Fault::Down);
    let (dir, engine, _waits) = engine().await;
    let (agent, run) = run_to_end(&engine, "Twice broken", stories(&base, 10)).await;
    assert_eq!(run.lost_page_count, Some(1), "{run:?}");
    let errors = run.error_count;
    let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
    let ids = json!({"agent_id": agent, "run_id": run.id});
    let diagnosis = call_tool(&mcp, "get_run_diagnostics", json!({"agent_id": agent})).await;
    let diagnosis = diagnosis.structured_content.unwrap();
    let step = diagnosis["next_step"].as_str().unwrap();
    assert!(
        step.contains("restart_run") && !step.contains("run_agent"),
        "{step}"
    );
    // A page read before the restart, to continue after it.
    let first = call_tool(
        &mcp,
        "fetch_records",
        json!({"agent_id": agent, "run_id": run.id, "limit": 2}),
    )
    .await
    .structured_content
    .unwrap();
    let cursor = first["next_cursor"].as_str().unwrap().to_string();

    // The site is still down: the restart loses the page again, and says so truthfully.
    let client = client_for(&engine, engine.api_key());
    client.restart_run(agent, run.id).await.unwrap();
    let again = finished(&client, agent, run.id).await;
    let message = again.message.clone().unwrap();
    assert!(!message.contains("No start URL"), "{message}");
    assert!(message.contains("With errors: 1 page(s)"), "{message}");
    assert_eq!(again.lost_page_count, Some(1), "{again:?}");
    assert_eq!(
        again.data_count,
        Some(PER_PAGE as i64),
        "its records are kept"
    );
    assert_eq!(again.error_count, errors, "the lost page counts once");
    let diagnosis = call_tool(&mcp, "get_run_diagnostics", ids.clone()).await;
    let causes = diagnosis.structured_content.unwrap()["causes"].clone();
    assert_eq!(causes.as_array().unwrap().len(), 1, "{causes}");
    assert!(
        causes[0].as_str().unwrap().starts_with("1 page(s)"),
        "{causes}"
    );

    // The site is back: the second restart reads it, and the old cause is gone.
    script.clear();
    client.restart_run(agent, run.id).await.unwrap();
    let healed = finished(&client, agent, run.id).await;
    assert_eq!(healed.lost_page_count, Some(0), "{healed:?}");
    let diagnosis = call_tool(&mcp, "get_run_diagnostics", ids.clone()).await;
    let diagnosis = diagnosis.structured_content.unwrap();
    assert_eq!(diagnosis["causes"], json!([]), "{diagnosis}");
    let names = file_names(&mcp, agent, run.id).await;
    assert_eq!(
        names.iter().filter(|n| n.as_str() == "log.txt").count(),
        1,
        "{names:?}"
    );
    // The cursor from before the restarts continues in the new export, each record once.
    let rest = call_tool(
        &mcp,
        "fetch_records",
        json!({"agent_id": agent, "cursor": cursor, "limit": 100}),
    )
    .await;
    assert_ne!(rest.is_error, Some(true), "{rest:?}");
    let rest = rest.structured_content.unwrap();
    let mut got: Vec<String> = first["records"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["records"].as_array().unwrap())
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    got.dedup();
    assert_eq!(got.len(), (PAGES * PER_PAGE) as usize, "{got:?}");
    engine.shutdown().await;
}
