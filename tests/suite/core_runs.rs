//! run_agent, get_run_status and stop_run through a real MCP client: duplicate starts, starts
//! that must not be repeated, failed runs, stopping, progress while waiting, and cancellation.

use std::{sync::Arc, time::Duration};

use crate::support::{
    Fault, Route, RunScript, Step,
    mcp_client::{Harness, failure, success},
    rows,
};
use rmcp::model::ProgressToken;
use serde_json::json;
use tokio::sync::Notify;

fn start_route(agent: i64) -> Route {
    Route::post(&format!("/api/v1/agent/{agent}/start"))
}

fn status_route(agent: i64, run: i64) -> Route {
    Route::get(&format!("/api/v1/agent/{agent}/run/{run}/status"))
}

/// A run that stays Running until the test advances it.
fn running_forever() -> RunScript {
    RunScript::steps(vec![Step::new(1).data(2).pages(1)]).manual()
}

/// Progress values must grow with every notification.
fn assert_increasing(progress: &[f64]) {
    assert!(
        progress.windows(2).all(|w| w[0] < w[1]),
        "progress must increase: {progress:?}"
    );
}

/// Moves a manual run through its remaining `steps`, each time waiting for the progress
/// notification its status change causes; returns the progress values seen.
async fn advance_with_progress(
    h: &Harness,
    token: &ProgressToken,
    run: i64,
    steps: usize,
) -> Vec<f64> {
    let mut seen = h.wait_for_progress(token, 1).await.len();
    for _ in 0..steps {
        h.fake.advance(run);
        seen = h.wait_for_progress(token, seen + 1).await.len();
    }
    let values: Vec<f64> = h
        .wait_for_progress(token, seen)
        .await
        .iter()
        .map(|p| p.progress)
        .collect();
    assert_increasing(&values);
    values
}

#[tokio::test]
async fn an_active_run_is_returned_instead_of_starting_another() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let active = h.fake.add_run(agent, running_forever());

    let run = success(h.call("run_agent", json!({"agent_id": agent})).await);
    assert_eq!(run["already_running"], true);
    assert_eq!(run["run_id"], active);
    assert_eq!(run["terminal"], false);
    assert_eq!(h.fake.count(&start_route(agent)), 0, "no second start");

    h.fake.script_run(agent, running_forever());
    let second = success(
        h.call(
            "run_agent",
            json!({"agent_id": agent, "allow_concurrent": true, "wait_seconds": 0}),
        )
        .await,
    );
    assert_eq!(second["already_running"], false);
    assert_ne!(second["run_id"], active);
    let starts = h.fake.calls(&start_route(agent));
    assert_eq!(starts.len(), 1);
    assert_eq!(starts[0].json()["isExclusive"], false);
}

#[tokio::test]
async fn a_start_answered_with_a_gateway_error_is_not_repeated() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    h.fake.inject(start_route(agent), Fault::Status(502), 1);
    let err = failure(h.call("run_agent", json!({"agent_id": agent})).await);
    assert_eq!(
        h.fake.count(&start_route(agent)),
        1,
        "a start is never retried"
    );
    assert!(err.starts_with("upstream_unavailable: "), "{err}");
    assert!(
        err.contains(&format!("list_runs with agent_id={agent}")),
        "the model must look before starting again: {err}"
    );
}

#[tokio::test]
async fn a_start_left_unanswered_past_the_timeout_is_not_repeated() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let hold = Arc::new(Notify::new());
    h.fake
        .inject(start_route(agent), Fault::Hold(hold.clone()), 1);
    let err = failure(h.call("run_agent", json!({"agent_id": agent})).await);
    assert_eq!(
        h.fake.count(&start_route(agent)),
        1,
        "a start is never retried"
    );
    assert!(err.starts_with("timeout: "), "{err}");
    assert!(err.contains("may or may not have started"), "{err}");
    assert!(
        err.contains(&format!("list_runs with agent_id={agent}")),
        "{err}"
    );
    hold.notify_waiters();
}

#[tokio::test]
async fn a_failed_run_is_a_normal_restartable_result() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    h.fake
        .script_run(agent, RunScript::fails("The start page answered 403"));
    let run = success(h.call("run_agent", json!({"agent_id": agent})).await);
    assert_eq!(run["status"], "Failure", "{run:#}");
    assert_eq!(run["phase"], "failed");
    assert_eq!(run["terminal"], true);
    assert_eq!(run["restartable"], true);
    assert_eq!(run["message"], "The start page answered 403");
    assert!(run["next_step"].as_str().unwrap().contains("failed"));
    assert!(run.get("poll_after_seconds").is_none());
}

#[tokio::test]
async fn stop_run_waits_for_the_run_to_stop() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let run = h.fake.add_run(agent, running_forever());
    let call = h
        .start_call(
            "stop_run",
            json!({"agent_id": agent, "run_id": run, "wait_seconds": 45}),
        )
        .await;
    // The first progress comes after the stop was sent and the run was seen Stopping.
    let token = call.progress_token.clone();
    assert!(
        h.wait_for_progress(&token, 1).await[0]
            .message
            .as_deref()
            .unwrap()
            .starts_with("Stopping")
    );
    h.fake.advance(run);
    let stopped = success(h.finish(call).await);
    assert_eq!(stopped["run"]["status"], "Stopped", "{stopped:#}");
    assert_eq!(stopped["run"]["terminal"], true);
    assert_eq!(stopped["run"]["records_extracted"], 2, "records kept");
    let stop = Route::post(&format!("/api/v1/agent/{agent}/run/{run}/stop"));
    assert_eq!(h.fake.count(&stop), 1);
}

#[tokio::test]
async fn a_forced_stop_terminates_at_once() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let run = h.fake.add_run(agent, running_forever());
    let args = json!({"agent_id": agent, "run_id": run, "force": true, "wait_seconds": 0});

    // Kill only starts stopping a running run; a forced stop sends it again to end it.
    let stopped = success(h.call("stop_run", args.clone()).await);
    assert_eq!(stopped["run"]["status"], "Stopped", "{stopped:#}");
    let kill = Route::post(&format!("/api/v1/agent/{agent}/run/{run}/kill"));
    assert_eq!(h.fake.count(&kill), 2);

    let err = failure(h.call("stop_run", args).await);
    assert!(err.starts_with("conflict: "), "{err}");
    assert!(err.contains("already ended (Stopped)"), "{err}");
    assert!(err.contains("fetch_records"), "{err}");
    assert_eq!(h.fake.count(&kill), 2, "nothing sent for a finished run");
}

#[tokio::test]
async fn run_agent_reports_progress_while_it_waits() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    h.fake
        .script_run(agent, RunScript::completes(rows(5)).manual());
    let call = h
        .start_call("run_agent", json!({"agent_id": agent, "wait_seconds": 45}))
        .await;
    let token = call.progress_token.clone();
    let polled = h
        .fake
        .wait_for_calls(&Route::get(&format!("/api/v1/agent/{agent}/run/*")), 1)
        .await;
    let run: i64 = polled[0].path.split('/').nth(6).unwrap().parse().unwrap();

    // Queuing -> Starting -> Running -> Exporting -> Completed: one notification per change.
    let values = advance_with_progress(&h, &token, run, 3).await;
    assert!(values.len() >= 4, "{values:?}");
    h.fake.advance(run);
    let done = success(h.finish(call).await);
    assert_eq!(done["status"], "Completed");
    assert_eq!(
        done["preview"].as_array().unwrap().len(),
        3,
        "preview is at most 3"
    );
}

#[tokio::test]
async fn get_run_status_long_polls_with_progress_until_the_run_ends() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let run = h
        .fake
        .add_run(agent, RunScript::completes(rows(4)).manual());
    let call = h
        .start_call(
            "get_run_status",
            json!({"agent_id": agent, "run_id": run, "wait_seconds": 45}),
        )
        .await;
    let token = call.progress_token.clone();
    let values = advance_with_progress(&h, &token, run, 3).await;
    assert!(values.len() >= 4, "{values:?}");
    h.fake.advance(run);
    let done = success(h.finish(call).await);
    assert_eq!(done["status"], "Completed");
    assert_eq!(done["records_extracted"], 4);

    // wait_seconds=0 (the default) answers at once with a snapshot.
    let still = h.fake.add_run(agent, running_forever());
    let snapshot = success(
        h.call(
            "get_run_status",
            json!({"agent_id": agent, "run_id": still}),
        )
        .await,
    );
    assert_eq!(snapshot["status"], "Running");
    assert!(
        snapshot["poll_after_seconds"].is_u64(),
        "a hint while not terminal"
    );
    assert_eq!(h.fake.count(&status_route(agent, still)), 1);
}

#[tokio::test]
async fn cancelling_a_wait_stops_its_polling() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let cancelled = h.fake.add_run(agent, running_forever());
    let witness = h.fake.add_run(agent, running_forever());
    let wait = |run: i64| json!({"agent_id": agent, "run_id": run, "wait_seconds": 45});

    let call = h.start_call("get_run_status", wait(cancelled)).await;
    h.wait_for_progress(&call.progress_token.clone(), 1).await;
    call.cancel(Some("the user moved on".into())).await.unwrap();

    let answer = tokio::time::timeout(
        Duration::from_secs(5),
        h.call("list_runs", json!({"agent_id": agent})),
    )
    .await
    .expect("the server answers promptly after a cancellation");
    assert_eq!(success(answer)["runs"].as_array().unwrap().len(), 2);

    // A second wait polls at the same pace: while it polls several times, the cancelled
    // one must not poll at all.
    let witness_call = h.start_call("get_run_status", wait(witness)).await;
    let witness_route = status_route(agent, witness);
    h.fake.wait_for_calls(&witness_route, 3).await;
    let before = h.fake.count(&status_route(agent, cancelled));
    h.fake.wait_for_calls(&witness_route, 10).await;
    assert_eq!(
        h.fake.count(&status_route(agent, cancelled)),
        before,
        "the cancelled wait kept polling"
    );
    witness_call.cancel(None).await.unwrap();
}

#[tokio::test]
async fn restart_run_resumes_a_failed_run_in_place_and_refuses_other_runs() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let run = h.fake.add_run(
        agent,
        RunScript::fails("Proxy error").on_restart(RunScript::completes(rows(3))),
    );
    for _ in 0..3 {
        h.fake.advance(run);
    }
    let failed = success(
        h.call("get_run_status", json!({"agent_id": agent, "run_id": run}))
            .await,
    );
    assert_eq!(
        (failed["phase"].as_str(), failed["restartable"].as_bool()),
        (Some("failed"), Some(true))
    );
    assert!(
        failed["next_step"]
            .as_str()
            .unwrap()
            .contains("restart_run"),
        "{failed:#}"
    );

    let restarted = success(
        h.call(
            "restart_run",
            json!({"agent_id": agent, "run_id": run, "wait_seconds": 45}),
        )
        .await,
    );
    assert_eq!(restarted["run_id"], run, "same run id");
    assert_eq!(restarted["status"], "Completed", "{restarted:#}");
    let restart = Route::post(&format!("/api/v1/agent/{agent}/run/{run}/restart"));
    assert_eq!(h.fake.count(&restart), 1);

    let err = failure(
        h.call("restart_run", json!({"agent_id": agent, "run_id": run}))
            .await,
    );
    assert!(
        err.starts_with("conflict: ") && err.contains("run_agent"),
        "{err}"
    );
    assert_eq!(
        h.fake.count(&restart),
        1,
        "nothing sent for a completed run"
    );
}

#[tokio::test]
async fn an_unknown_status_name_is_reported_as_is_and_never_blocks_new_runs_forever() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let old = h.fake.add_run(
        agent,
        RunScript::steps(vec![Step::raw(json!("Hibernating"))])
            .with_field("startTime", json!("2020-01-01T00:00:00Z")),
    );
    let status = success(
        h.call("get_run_status", json!({"agent_id": agent, "run_id": old}))
            .await,
    );
    assert_eq!(status["status"], "Hibernating");
    assert_eq!(status["phase"], "unknown");
    // A run stuck for years in a state nobody knows is not "active": a new run starts.
    h.fake.script_run(agent, RunScript::completes(rows(1)));
    let started = success(
        h.call("run_agent", json!({"agent_id": agent, "wait_seconds": 0}))
            .await,
    );
    assert_eq!(started["already_running"], false, "{started:#}");
    assert_ne!(started["run_id"], old);
}
