//! run_agent and build_agent as MCP tasks (the `io.modelcontextprotocol/tasks` extension),
//! through an rmcp client in 2026-07-28 mode that declares the extension: negotiation, the
//! status of every run state on the fake cloud and the engine, cancel, refused ids, servers
//! answering each other's tasks, restarts, and a 30-page run followed from start to records
//! without get_run_status.

use std::{
    collections::BTreeMap,
    path::Path,
    sync::{Arc, Mutex},
    time::Duration,
};

use async_trait::async_trait;
use axum::{Router, extract::Query, response::Html, routing::get};
use chrono::Utc;
use rmcp::{
    ClientLifecycleMode, ClientServiceExt, RoleClient, ServiceError, ServiceExt,
    model::{
        CallToolRequestParams, CallToolResponse, CallToolResult, CancelTaskParams,
        ClientCapabilities, ClientConfig, DetailedTask, ElicitationCapability, ErrorCode,
        FormElicitationCapability, GetTaskParams, Implementation, ProtocolVersion, ResultType,
        TaskPayload, TaskStatus, UpdateTaskParams,
    },
    service::RunningService,
};
use sequentum_mcp::{
    api::platform::Sequentum,
    jobs::{
        Build, Id, Platform, Run, RunState, ToolFailure,
        interactions::{Interaction, InteractionField},
        platform::{
            AgentList, AgentQuery, BuildRequest, Definition, DefinitionTest, DefinitionTrial,
            PlatformInfo, Refinement, RunFile, StartRun, StopMode,
        },
    },
    local::Engine,
    mcp::{Server, Settings, in_process, toolsets::Selection},
    records::{cache::FileCache, cursor::CursorKey},
};
use serde_json::{Map, Value, json};
use tempfile::TempDir;

use crate::{
    engine_fixture::{self, client_for, create_agent, definition, site},
    support::{
        BuilderScript, FakeApi, Route, RunScript, Step,
        deck_fake::{DeckFake, Stage, bills},
        rows,
    },
};

type Client = RunningService<RoleClient, ClientConfig>;

/// Task ids are sealed with this key on every test server unless a test says otherwise.
fn key() -> CursorKey {
    CursorKey::derive(&[b"tasks-suite"])
}

fn settings(dir: &Path, cursor_key: CursorKey) -> Settings {
    Settings {
        poll_interval: Some(Duration::from_millis(20)),
        output_dir: None,
        cache: FileCache::new(dir.join("cache"), 64 << 20),
        cursor_key,
        caller_is_local: true,
    }
}

fn cloud_server(fake: &FakeApi, dir: &Path, cursor_key: CursorKey) -> Server {
    let platform = Arc::new(Sequentum::cloud(fake.client()));
    Server::new(platform, settings(dir, cursor_key), &Selection::all()).unwrap()
}

fn engine_server(engine: &Engine, dir: &Path) -> Server {
    let demo = engine.demo_url();
    let platform = Arc::new(Sequentum::local(
        client_for(engine, engine.api_key()),
        demo.as_str(),
    ));
    Server::new(platform, settings(dir, key()), &Selection::all()).unwrap()
}

/// A client in 2026-07-28 mode (server/discover, per-request metadata), declaring the tasks
/// extension or not.
async fn modern(server: Server, declares_tasks: bool) -> Client {
    let capabilities = if declares_tasks {
        ClientCapabilities::builder().enable_tasks().build()
    } else {
        ClientCapabilities::default()
    };
    modern_with(server, capabilities).await
}

async fn modern_with(server: Server, capabilities: ClientCapabilities) -> Client {
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    ClientConfig::new(capabilities, Implementation::new("tasks-suite", "1.0"))
        .serve_with_lifecycle(
            client_io,
            ClientLifecycleMode::Discover {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
            },
        )
        .await
        .unwrap()
}

fn params(tool: &str, args: Value) -> CallToolRequestParams {
    let Value::Object(args) = args else {
        unreachable!("arguments are an object")
    };
    CallToolRequestParams::new(tool.to_string()).with_arguments(args)
}

async fn call(client: &Client, tool: &str, args: Value) -> CallToolResponse {
    client.call_tool_once(params(tool, args)).await.unwrap()
}

/// Calls a tool that must answer with a task; returns the task id.
async fn create(client: &Client, tool: &str, args: Value) -> String {
    match call(client, tool, args).await {
        CallToolResponse::Task(created) => {
            assert_eq!(created.result_type, ResultType::TASK);
            assert_eq!(created.task.ttl_ms, Some(7 * 24 * 3600 * 1000));
            // A fast run may end before the task is handed out: then there is nothing to poll.
            let going = !created.task.status.is_terminal();
            assert_eq!(created.task.poll_interval_ms.is_some(), going);
            created.task.task_id
        }
        other => panic!("{tool}: expected a task, got {other:?}"),
    }
}

/// The tool's result, from a call that must not become a task.
fn complete(response: CallToolResponse) -> CallToolResult {
    match response {
        CallToolResponse::Complete(result) => result,
        other => panic!("expected a tool result, got {other:?}"),
    }
}

async fn task(client: &Client, id: &str) -> DetailedTask {
    client
        .get_task(GetTaskParams::new(id.to_string()))
        .await
        .unwrap()
        .task
}

async fn cancel(client: &Client, id: &str) {
    client
        .cancel_task(CancelTaskParams::new(id.to_string()))
        .await
        .unwrap()
}

/// The JSON-RPC error of a refused task request.
fn refusal(outcome: Result<impl std::fmt::Debug, ServiceError>) -> rmcp::ErrorData {
    match outcome {
        Err(ServiceError::McpError(error)) => error,
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }
}

fn message(task: &DetailedTask) -> &str {
    task.task.status_message.as_deref().unwrap_or_default()
}

/// A completed task's result: the tool's own.
fn result(task: &DetailedTask) -> CallToolResult {
    match &task.payload {
        TaskPayload::Completed { result } => {
            serde_json::from_value(Value::Object(result.clone())).unwrap()
        }
        other => panic!("expected a completed task, got {other:?}"),
    }
}

fn structured(result: &CallToolResult) -> &Value {
    assert_ne!(result.is_error, Some(true), "{result:?}");
    result.structured_content.as_ref().unwrap()
}

fn stop_route(agent: i64, run: i64, what: &str) -> Route {
    Route::post(&format!("/api/v1/agent/{agent}/run/{run}/{what}"))
}

#[tokio::test]
async fn only_a_declaring_2026_client_gets_a_task_and_others_get_todays_result() {
    let fake = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let agent = fake.add_agent("Shop");
    let running = || RunScript::steps(vec![Step::new(1).data(2).pages(1)]).manual();

    // Declaring, 2026-07-28: a task that tasks/get reads at once (durable creation).
    fake.script_run(agent, running());
    let tasks = modern(cloud_server(&fake, dir.path(), key()), true).await;
    let id = create(&tasks, "run_agent", json!({"agent_id": agent})).await;
    let first = task(&tasks, &id).await;
    assert_eq!(first.status(), TaskStatus::Working);
    assert_eq!(message(&first), "running, page 1, 2 records");

    // Not declaring, 2026-07-28: today's result, and no tasks/* at all (-32021).
    let plain = modern(cloud_server(&fake, dir.path(), key()), false).await;
    let args = json!({"agent_id": agent, "allow_concurrent": true, "wait_seconds": 0});
    fake.script_run(agent, running());
    let today = complete(call(&plain, "run_agent", args.clone()).await);
    assert_eq!(structured(&today)["phase"], "running");
    let error = refusal(plain.get_task(GetTaskParams::new(id.clone())).await);
    assert_eq!(error.code, ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY);

    // A legacy client (initialize) gets today's result, whatever it lists.
    let legacy = in_process::connect(cloud_server(&fake, dir.path(), key()), ())
        .await
        .unwrap();
    fake.script_run(agent, running());
    let today = legacy.call_tool(params("run_agent", args)).await.unwrap();
    assert_eq!(structured(&today)["phase"], "running");

    // Tools other than run_agent and build_agent never become tasks.
    let status = call(&tasks, "list_agents", json!({})).await;
    complete(status);
}

#[tokio::test]
async fn every_run_state_on_the_fake_cloud_maps_to_its_task_status() {
    let fake = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let client = modern(cloud_server(&fake, dir.path(), key()), true).await;
    let agent = fake.add_agent("Shop");

    // Queued → starting → running → exporting → completed with the tool's own result.
    let mut script = RunScript::completes(rows(3));
    script.steps[2] = Step::new(1).data(240).pages(12);
    fake.script_run(agent, script.manual());
    let id = create(&client, "run_agent", json!({"agent_id": agent})).await;
    let run = fake.calls(&Route::post(&format!("/api/v1/agent/{agent}/start")));
    assert_eq!(run.len(), 1);
    let mut seen = Vec::new();
    loop {
        let now = task(&client, &id).await;
        if now.status() != TaskStatus::Working {
            break;
        }
        seen.push(message(&now).to_string());
        let run_id = now_run_id(&fake, agent);
        fake.advance(run_id);
    }
    assert_eq!(
        seen,
        [
            "queued",
            "starting",
            "running, page 12, 240 records",
            "exporting, page 2, 3 records"
        ]
    );
    let done = task(&client, &id).await;
    let answer = result(&done);
    let view = structured(&answer);
    assert_eq!(view["phase"], "completed");
    assert_eq!(view["already_running"], false);
    assert_eq!(view["preview"].as_array().unwrap().len(), 3);
    // Exactly run_agent's answer: get_run_status's view plus run_agent's own fields.
    let run_id = view["run_id"].as_i64().unwrap();
    let status = complete(
        call(
            &client,
            "get_run_status",
            json!({"agent_id": agent, "run_id": run_id}),
        )
        .await,
    );
    let mut expected = structured(&status).clone();
    expected["already_running"] = json!(false);
    expected["preview"] = view["preview"].clone();
    assert_eq!(view, &expected);
    assert_eq!(
        task(&client, &id).await,
        done,
        "a finished task stays finished"
    );

    // A failed run is a normal result (completed, not failed); skipped too.
    fake.script_run(agent, RunScript::fails("Proxy error").manual());
    let id = create(&client, "run_agent", json!({"agent_id": agent})).await;
    let run_id = now_run_id(&fake, agent);
    (0..3).for_each(|_| fake.advance(run_id));
    let failed = task(&client, &id).await;
    assert_eq!(failed.status(), TaskStatus::Completed);
    assert_eq!(structured(&result(&failed))["phase"], "failed");

    fake.script_run(
        agent,
        RunScript::steps(vec![Step::new(4), Step::new(11)]).manual(),
    );
    let id = create(&client, "run_agent", json!({"agent_id": agent})).await;
    fake.advance(now_run_id(&fake, agent));
    assert_eq!(
        structured(&result(&task(&client, &id).await))["phase"],
        "skipped"
    );

    // Stopped elsewhere → cancelled, naming the records kept.
    fake.script_run(
        agent,
        RunScript::steps(vec![Step::new(1).data(5), Step::new(8).data(5)]).manual(),
    );
    let id = create(&client, "run_agent", json!({"agent_id": agent})).await;
    fake.advance(now_run_id(&fake, agent));
    let stopped = task(&client, &id).await;
    assert_eq!(stopped.status(), TaskStatus::Cancelled);
    assert!(
        message(&stopped).contains("5 records are kept"),
        "{stopped:?}"
    );

    // A run that ended before the call returned is answered at once, as today.
    fake.script_run(agent, RunScript::steps(vec![Step::new(9)]));
    let at_once = complete(call(&client, "run_agent", json!({"agent_id": agent})).await);
    assert_eq!(structured(&at_once)["phase"], "completed");

    // A tool failure is answered at once too.
    let missing = complete(call(&client, "run_agent", json!({})).await);
    assert_eq!(missing.is_error, Some(true));
}

/// The newest run the fake started for `agent`.
fn now_run_id(fake: &FakeApi, agent: i64) -> i64 {
    let starts = fake.calls(&Route::post(&format!("/api/v1/agent/{agent}/start")));
    assert!(!starts.is_empty());
    // Run ids are handed out in order; the newest status route polled names it.
    fake.calls(&Route::get(&format!("/api/v1/agent/{agent}/run/*")))
        .iter()
        .filter_map(|c| c.path.split('/').nth(6)?.parse::<i64>().ok())
        .max()
        .expect("the server read the run")
}

#[tokio::test]
async fn cancel_stops_then_kills_and_a_dropped_connection_stops_nothing() {
    let fake = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let agent = fake.add_agent("Shop");
    fake.script_run(
        agent,
        RunScript::steps(vec![Step::new(1).data(2).pages(1)]).manual(),
    );

    // The creating client goes away: the run goes on.
    let first = modern(cloud_server(&fake, dir.path(), key()), true).await;
    let id = create(&first, "run_agent", json!({"agent_id": agent})).await;
    let run = now_run_id(&fake, agent);
    first.cancel().await.unwrap();
    let client = modern(cloud_server(&fake, dir.path(), key()), true).await;
    assert_eq!(task(&client, &id).await.status(), TaskStatus::Working);
    assert_eq!(fake.count(&stop_route(agent, run, "stop")), 0);

    // Cancel: a graceful stop; the task reads stopping, then cancelled.
    cancel(&client, &id).await;
    assert_eq!(fake.count(&stop_route(agent, run, "stop")), 1);
    let stopping = task(&client, &id).await;
    assert_eq!(stopping.status(), TaskStatus::Working);
    assert!(message(&stopping).starts_with("stopping"), "{stopping:?}");
    // A second cancel while it is still stopping kills it.
    cancel(&client, &id).await;
    assert_eq!(fake.count(&stop_route(agent, run, "kill")), 1);
    let cancelled = task(&client, &id).await;
    assert_eq!(cancelled.status(), TaskStatus::Cancelled);
    assert!(
        message(&cancelled).contains("fetch_records"),
        "{cancelled:?}"
    );
    // Cancelling a finished task is acknowledged and stops nothing.
    cancel(&client, &id).await;
    assert_eq!(fake.count(&stop_route(agent, run, "stop")), 1);
    assert_eq!(fake.count(&stop_route(agent, run, "kill")), 1);
}

#[tokio::test]
async fn altered_foreign_and_expired_ids_are_invalid_params() {
    let fake = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let agent = fake.add_agent("Shop");
    fake.script_run(
        agent,
        RunScript::steps(vec![Step::new(1).data(2).pages(1)]).manual(),
    );
    let client = modern(cloud_server(&fake, dir.path(), key()), true).await;
    let id = create(&client, "run_agent", json!({"agent_id": agent})).await;
    let run = now_run_id(&fake, agent);

    let mut altered = id.clone().into_bytes();
    let last = altered.len() - 1;
    altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    let elsewhere = modern(
        cloud_server(&fake, dir.path(), CursorKey::derive(&[b"another server"])),
        true,
    )
    .await;
    for (who, text) in [
        (&client, altered.as_str()),
        (&client, "t1.made-up"),
        (&client, ""),
        (&elsewhere, id.as_str()),
    ] {
        let error = refusal(who.get_task(GetTaskParams::new(text.to_string())).await);
        assert_eq!(error.code, ErrorCode::INVALID_PARAMS, "{text}");
        assert!(error.message.starts_with("unknown task id"), "{error:?}");
        let error = refusal(
            who.cancel_task(CancelTaskParams::new(text.to_string()))
                .await,
        );
        assert_eq!(error.code, ErrorCode::INVALID_PARAMS, "{text}");
    }
    assert_eq!(fake.count(&stop_route(agent, run, "stop")), 0);

    // Eight days on, the id has expired; the error names the run to follow instead.
    let later = cloud_server(&fake, dir.path(), key())
        .with_task_clock(Arc::new(|| Utc::now() + chrono::Duration::days(8)));
    let later = modern(later, true).await;
    let error = refusal(later.get_task(GetTaskParams::new(id.clone())).await);
    assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
    assert!(
        error.message.contains(&format!(
            "get_run_status with agent_id={agent}, run_id={run}"
        )),
        "{error:?}"
    );
    // Six days on it still holds.
    let sooner = cloud_server(&fake, dir.path(), key())
        .with_task_clock(Arc::new(|| Utc::now() + chrono::Duration::days(6)));
    let sooner = modern(sooner, true).await;
    assert_eq!(task(&sooner, &id).await.status(), TaskStatus::Working);
}

#[tokio::test]
async fn servers_sharing_a_key_answer_each_others_tasks_and_a_restart_opens_no_finished_task() {
    let fake = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let agent = fake.add_agent("Shop");
    let then = RunScript::completes(rows(3))
        .manual()
        .with_field("startTime", json!("2026-11-29T05:00:00Z"));
    fake.script_run(
        agent,
        RunScript::fails("Proxy error")
            .manual()
            .with_field("startTime", json!("2026-11-29T04:00:00Z"))
            .on_restart(then),
    );

    // Created on A; A goes away (a process restart); B answers and cancels nothing by reading.
    let a = modern(cloud_server(&fake, dir.path(), key()), true).await;
    let id = create(&a, "run_agent", json!({"agent_id": agent})).await;
    let run = now_run_id(&fake, agent);
    drop(a);
    let b = modern(cloud_server(&fake, dir.path(), key()), true).await;
    (0..3).for_each(|_| fake.advance(run));
    let failed = task(&b, &id).await;
    assert_eq!(structured(&result(&failed))["phase"], "failed");
    let c = modern(cloud_server(&fake, dir.path(), key()), true).await;
    assert_eq!(
        task(&c, &id).await,
        failed,
        "every process answers the same"
    );

    // The run is restarted in place: a new attempt; the finished task stays finished.
    let restarted = complete(
        call(
            &c,
            "restart_run",
            json!({"agent_id": agent, "run_id": run, "wait_seconds": 0}),
        )
        .await,
    );
    assert_eq!(structured(&restarted)["terminal"], false);
    let after = task(&c, &id).await;
    assert_eq!(after.status(), TaskStatus::Completed);
    assert!(message(&after).contains("restarted"), "{after:?}");
    // Cancelling the old task does not stop the new attempt.
    cancel(&c, &id).await;
    assert_eq!(fake.count(&stop_route(agent, run, "stop")), 0);
}

#[tokio::test]
async fn build_agent_runs_as_a_task_until_the_agent_is_built_or_the_build_stopped() {
    let fake = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let client = modern(cloud_server(&fake, dir.path(), key()), true).await;
    let prompt = "Extract the product names and prices from https://shop.example/products";

    let mut script = BuilderScript::completes("Shop products", rows(2));
    script.manual = true;
    fake.script_builder(script);
    let id = create(&client, "build_agent", json!({"prompt": prompt})).await;
    let mut working = 0;
    let built = loop {
        let now = task(&client, &id).await;
        if now.status() != TaskStatus::Working {
            break now;
        }
        working += 1;
        assert!(working < 50, "the build never finished: {now:?}");
        fake.advance_builder(&session_polled(&fake));
    };
    let view = result(&built);
    let view = structured(&view);
    assert!(
        view["status"] == "completed" || view["status"] == "ready",
        "{view}"
    );
    assert!(view["agent_id"].is_number(), "{view}");

    // Cancel stops the build; the task ends cancelled.
    let mut script = BuilderScript::until_stopped();
    script.manual = true;
    fake.script_builder(script);
    let id = create(&client, "build_agent", json!({"prompt": prompt})).await;
    cancel(&client, &id).await;
    assert_eq!(task(&client, &id).await.status(), TaskStatus::Cancelled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_build_task_keeps_its_own_result_after_a_follow_up_on_its_session() {
    let site = site().await;
    let (dir, engine) = engine().await;
    let client = modern(engine_server(&engine, dir.path()), true).await;
    let prompt = format!(
        "get the name and price of every product on {}products",
        site.base
    );
    let id = create(&client, "build_agent", json!({"prompt": prompt})).await;
    let (built, _) = settled(&client, &id).await;
    let before = structured(&result(&built)).clone();
    assert_eq!(before["status"], "completed", "{before}");

    // A follow-up on the same session (a plain call: it changes the agent at once).
    let session = before["session_id"].as_str().unwrap();
    let refined = complete(
        call(
            &client,
            "build_agent",
            json!({"session_id": session, "message": "also get the link"}),
        )
        .await,
    );
    let refined = structured(&refined);
    assert!(
        refined["narration"]
            .to_string()
            .contains("also get the link"),
        "the session's narration moved on: {refined}"
    );

    let again = task(&client, &id).await;
    assert_eq!(again.status(), TaskStatus::Completed);
    let after = structured(&result(&again)).clone();
    assert_eq!(after, before, "the finished task's result is unchanged");
    engine.shutdown().await;
}

/// The build session the server reads (the fake names it in the status path).
fn session_polled(fake: &FakeApi) -> String {
    fake.calls(&Route::get("/api/v1/agent-builder/*"))
        .iter()
        .find_map(|c| Some(c.path.split('/').nth(4)?.to_string()))
        .expect("the server read the session")
}

/// A 30-page catalogue with two products a page, in the engine fixture's markup.
async fn thirty_pages() -> url::Url {
    #[derive(serde::Deserialize)]
    struct Page {
        page: Option<u32>,
    }
    async fn page(Query(q): Query<Page>) -> Html<String> {
        let page = q.page.unwrap_or(1);
        let mut html = String::from("<html><body><main>");
        for i in 1..=2 {
            html.push_str(&format!(
                r#"<article class="product"><h2>Item {page}-{i}</h2><span class="price">${page}.{i}0</span><a href="/item/{page}-{i}">details</a></article>"#
            ));
        }
        if page < 30 {
            html.push_str(&format!(
                r#"<a rel="next" href="/catalogue?page={}">Next</a>"#,
                page + 1
            ));
        }
        Html(html + "</main></body></html>")
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/catalogue", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, Router::new().route("/catalogue", get(page)))
            .await
            .unwrap()
    });
    url::Url::parse(&base).unwrap()
}

/// Polls a task (real time: the engine really runs) until it leaves `working`.
async fn settled(client: &Client, id: &str) -> (DetailedTask, Vec<String>) {
    let mut messages = Vec::new();
    for _ in 0..1200 {
        let now = task(client, id).await;
        if now.status() != TaskStatus::Working {
            return (now, messages);
        }
        messages.push(message(&now).to_string());
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the task did not settle; last messages {messages:?}");
}

async fn engine() -> (TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(engine_fixture::options(dir.path(), 1))
        .await
        .unwrap();
    (dir, engine)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_30_page_run_goes_from_task_to_records_without_get_run_status() {
    let start = thirty_pages().await;
    let (dir, engine) = engine().await;
    let agent = create_agent(&engine, "Thirty pages", definition(&start, 30, None)).await;
    let client = modern(engine_server(&engine, dir.path()), true).await;

    let id = create(&client, "run_agent", json!({"agent_id": agent})).await;
    let (done, messages) = settled(&client, &id).await;
    assert!(
        messages
            .iter()
            .all(|m| m == "queued" || m == "starting" || m.contains("page")),
        "{messages:?}"
    );
    let answer = result(&done);
    let view = structured(&answer);
    assert_eq!(view["phase"], "completed", "{view}");
    assert_eq!(view["records_extracted"], 60);
    assert_eq!(view["pages"], 30);
    assert_eq!(view["preview"].as_array().unwrap().len(), 3);
    let next = view["next_step"].as_str().unwrap();
    assert!(next.contains("fetch_records"), "{next}");

    // The records, following next_step: the only other call the model makes.
    let records = complete(
        call(
            &client,
            "fetch_records",
            json!({"agent_id": agent, "run_id": view["run_id"], "limit": 100}),
        )
        .await,
    );
    let records = structured(&records)["records"].as_array().unwrap().clone();
    assert_eq!(records.len(), 60);
    assert_eq!(records[59]["name"], "Item 30-2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_runs_map_to_working_cancelled_and_completed_and_a_restart_keeps_a_task_finished() {
    let site = site().await;
    let (dir, engine) = engine().await;
    let client = modern(engine_server(&engine, dir.path()), true).await;

    // Held on the slow page: working with page and record counts; cancel → cancelled.
    let slow = site.base.join("slow").unwrap();
    let agent = create_agent(&engine, "Slow", definition(&slow, 3, None)).await;
    let id = create(&client, "run_agent", json!({"agent_id": agent})).await;
    site.gate.add_permits(1);
    let mut working = task(&client, &id).await;
    for _ in 0..400 {
        if message(&working).contains("2 records") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
        working = task(&client, &id).await;
    }
    assert_eq!(working.status(), TaskStatus::Working);
    assert_eq!(message(&working), "running, page 1, 2 records");
    cancel(&client, &id).await;
    site.gate.add_permits(10);
    let (stopped, _) = settled(&client, &id).await;
    assert_eq!(stopped.status(), TaskStatus::Cancelled, "{stopped:?}");

    // A site that is down: the run fails, which is a completed task with the failed run.
    let flaky = site.base.join("flaky").unwrap();
    let agent = create_agent(&engine, "Down", definition(&flaky, 1, None)).await;
    let id = create(&client, "run_agent", json!({"agent_id": agent})).await;
    let (failed, _) = settled(&client, &id).await;
    let view = structured(&result(&failed)).clone();
    assert_eq!(view["phase"], "failed", "{view}");
    assert_eq!(view["restartable"], true);

    // Restarted in place once the site is back: the finished task stays finished.
    site.healthy
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let restarted = complete(
        call(
            &client,
            "restart_run",
            json!({"agent_id": agent, "run_id": view["run_id"], "wait_seconds": 0}),
        )
        .await,
    );
    assert_ne!(restarted.is_error, Some(true), "{restarted:?}");
    let after = task(&client, &id).await;
    assert_eq!(after.status(), TaskStatus::Completed);
    assert!(message(&after).contains("restarted"), "{after:?}");
}

/// The fake cloud with interactions, as Deck will have them: while `pending` holds one, every
/// active run reads waiting_for_input and asks it; an answer is recorded and clears it.
struct Interactive {
    inner: Sequentum,
    /// The agent whose runs ask.
    agent: Id,
    pending: Mutex<Option<Interaction>>,
    answers: Mutex<Vec<Map<String, Value>>>,
}

#[async_trait]
impl Platform for Interactive {
    fn info(&self) -> &PlatformInfo {
        self.inner.info()
    }
    fn check_id(&self, field: &str, id: &Id) -> Result<Id, ToolFailure> {
        self.inner.check_id(field, id)
    }
    async fn list_agents(&self, query: &AgentQuery) -> Result<AgentList, ToolFailure> {
        self.inner.list_agents(query).await
    }
    async fn run(&self, agent_id: &Id, run_id: &Id) -> Result<Run, ToolFailure> {
        let mut run = self.inner.run(agent_id, run_id).await?;
        if !run.is_terminal() && self.pending.lock().unwrap().is_some() {
            run.state = RunState::WaitingForInput;
        }
        Ok(run)
    }
    async fn list_runs(&self, agent_id: &Id, limit: u32) -> Result<Vec<Run>, ToolFailure> {
        self.inner.list_runs(agent_id, limit).await
    }
    async fn start_run(&self, agent_id: &Id, start: &StartRun) -> Result<Run, ToolFailure> {
        self.inner.start_run(agent_id, start).await
    }
    async fn stop_run(
        &self,
        agent_id: &Id,
        run_id: &Id,
        mode: StopMode,
    ) -> Result<(), ToolFailure> {
        self.inner.stop_run(agent_id, run_id, mode).await
    }
    async fn restart_run(&self, agent_id: &Id, run_id: &Id) -> Result<(), ToolFailure> {
        self.inner.restart_run(agent_id, run_id).await
    }
    async fn start_build(&self, request: &BuildRequest) -> Result<String, ToolFailure> {
        self.inner.start_build(request).await
    }
    async fn build(&self, session_id: &str) -> Result<Build, ToolFailure> {
        self.inner.build(session_id).await
    }
    async fn refine_build(
        &self,
        session_id: &str,
        message: &str,
    ) -> Result<Refinement, ToolFailure> {
        self.inner.refine_build(session_id, message).await
    }
    async fn stop_build(&self, session_id: &str) -> Result<(), ToolFailure> {
        self.inner.stop_build(session_id).await
    }
    async fn run_files(&self, agent_id: &Id, run_id: &Id) -> Result<Vec<RunFile>, ToolFailure> {
        self.inner.run_files(agent_id, run_id).await
    }
    async fn file_url(
        &self,
        agent_id: &Id,
        run_id: &Id,
        file: &RunFile,
    ) -> Result<url::Url, ToolFailure> {
        self.inner.file_url(agent_id, run_id, file).await
    }
    async fn download(&self, url: &url::Url, dest: &Path) -> Result<u64, ToolFailure> {
        self.inner.download(url, dest).await
    }
    async fn agent_definition(&self, agent_id: &Id) -> Result<Definition, ToolFailure> {
        self.inner.agent_definition(agent_id).await
    }
    async fn test_definition(
        &self,
        trial: &DefinitionTrial,
    ) -> Result<DefinitionTest, ToolFailure> {
        self.inner.test_definition(trial).await
    }
    async fn update_definition(
        &self,
        agent_id: &Id,
        definition: &Value,
        comment: &str,
    ) -> Result<Option<i64>, ToolFailure> {
        self.inner
            .update_definition(agent_id, definition, comment)
            .await
    }
    async fn interaction(&self, _run_id: &Id) -> Result<Option<Interaction>, ToolFailure> {
        Ok(self.pending.lock().unwrap().clone())
    }
    async fn answer_interaction(
        &self,
        run_id: &Id,
        values: &Map<String, Value>,
    ) -> Result<Run, ToolFailure> {
        self.answers.lock().unwrap().push(values.clone());
        self.pending.lock().unwrap().take();
        self.run(&self.agent, run_id).await
    }
}

fn account_choice(secret: bool) -> Interaction {
    Interaction {
        kind: if secret { "mfa" } else { "account_selection" }.into(),
        message: "Choose the account to sign in with".into(),
        fields: vec![InteractionField {
            name: if secret { "code" } else { "account" }.into(),
            label: "Account".into(),
            secret,
        }],
    }
}

#[tokio::test]
async fn a_run_waiting_for_input_asks_the_client_and_takes_its_answer_through_tasks_update() {
    let fake = FakeApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let agent = fake.add_agent("Mail");
    fake.script_run(
        agent,
        RunScript::steps(vec![Step::new(1).data(2).pages(1)]).manual(),
    );
    let platform = Arc::new(Interactive {
        inner: Sequentum::cloud(fake.client()),
        agent: Id::Num(agent),
        pending: Mutex::new(Some(account_choice(false))),
        answers: Mutex::default(),
    });
    let server = Server::new(
        platform.clone(),
        settings(dir.path(), key()),
        &Selection::all(),
    )
    .unwrap();
    let mut capabilities = ClientCapabilities::builder().enable_tasks().build();
    capabilities.elicitation =
        Some(ElicitationCapability::new().with_form(FormElicitationCapability::default()));
    let client = modern_with(server.clone(), capabilities).await;

    let id = create(&client, "run_agent", json!({"agent_id": agent})).await;
    let asking = task(&client, &id).await;
    let TaskPayload::InputRequired { input_requests } = &asking.payload else {
        panic!("expected input_required, got {asking:?}");
    };
    assert_eq!(input_requests.len(), 1);
    let (key, request) = input_requests.iter().next().unwrap();
    let wire = serde_json::to_value(request).unwrap();
    assert_eq!(wire["method"], "elicitation/create");
    assert_eq!(
        wire["params"]["requestedSchema"]["properties"]["account"]["title"],
        "Account"
    );

    // An answer under another key is ignored; the one under the current key reaches the platform.
    let update = |key: &str, value: Value| {
        UpdateTaskParams::new(id.clone(), BTreeMap::from([(key.to_string(), value)]))
    };
    let accepted = json!({"action": "accept", "content": {"account": "work"}});
    client
        .update_task(update("ix-0000", accepted.clone()))
        .await
        .unwrap();
    assert!(platform.answers.lock().unwrap().is_empty());
    client.update_task(update(key, accepted)).await.unwrap();
    assert_eq!(platform.answers.lock().unwrap()[0]["account"], "work");
    assert_eq!(task(&client, &id).await.status(), TaskStatus::Working);

    // A secret is never asked in a form, and a client without forms is never asked: the run
    // stays working and the message says where to answer.
    platform
        .pending
        .lock()
        .unwrap()
        .replace(account_choice(true));
    let secret = task(&client, &id).await;
    assert_eq!(secret.status(), TaskStatus::Working);
    assert!(message(&secret).contains("never in chat"), "{secret:?}");
    platform
        .pending
        .lock()
        .unwrap()
        .replace(account_choice(false));
    let formless = modern(server, true).await;
    let waiting = task(&formless, &id).await;
    assert_eq!(waiting.status(), TaskStatus::Working);
    assert!(
        message(&waiting).starts_with("waiting for input"),
        "{waiting:?}"
    );
}

/// Polls a task on the Deck fake (every read takes one scripted step) until `done` holds.
async fn deck_poll(
    client: &Client,
    id: &str,
    done: impl Fn(&DetailedTask) -> bool,
) -> DetailedTask {
    let mut last = None;
    for _ in 0..20 {
        let now = task(client, id).await;
        if done(&now) {
            return now;
        }
        last = Some(now);
    }
    panic!("the task never got there; last {last:?}");
}

#[tokio::test]
async fn a_deck_run_asks_an_account_choice_through_the_task_and_never_a_code() {
    let fake = DeckFake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = "https://power.example.com/login";
    let deck_task = fake.add_task("Bills", url, None);
    fake.add_credential(url, "verified");
    let server = Server::new(
        Arc::new(fake.platform()),
        settings(dir.path(), key()),
        &Selection::default(),
    )
    .unwrap();
    let mut capabilities = ClientCapabilities::builder().enable_tasks().build();
    capabilities.elicitation =
        Some(ElicitationCapability::new().with_form(FormElicitationCapability::default()));
    let client = modern_with(server, capabilities).await;
    let interaction_posts = |fake: &DeckFake| {
        fake.seen()
            .into_iter()
            .filter(|s| s.method == "POST" && s.path.ends_with("/interaction"))
            .collect::<Vec<_>>()
    };

    // An account choice: input_required with a form whose one field is the interaction's.
    fake.script_runs(vec![
        Stage::Running,
        Stage::Choose("work"),
        Stage::Running,
        Stage::Done(bills(2)),
    ]);
    let id = create(&client, "run_agent", json!({"agent_id": deck_task})).await;
    let asking = deck_poll(&client, &id, |t| t.status() != TaskStatus::Working).await;
    let TaskPayload::InputRequired { input_requests } = &asking.payload else {
        panic!("expected input_required, got {asking:?}");
    };
    assert_eq!(input_requests.len(), 1);
    let (ask_key, request) = input_requests.iter().next().unwrap();
    let wire = serde_json::to_value(request).unwrap();
    assert_eq!(wire["method"], "elicitation/create");
    assert_eq!(wire["params"]["mode"], "form");
    assert_eq!(
        wire["params"]["message"],
        "Choose the account to get the bills from"
    );
    let properties = wire["params"]["requestedSchema"]["properties"]
        .as_object()
        .unwrap();
    assert_eq!(properties.keys().collect::<Vec<_>>(), ["account"], "{wire}");
    assert_eq!(properties["account"]["title"], "Account");
    assert!(interaction_posts(&fake).is_empty());

    // The accepted answer under that key reaches Deck; the run resumes and the task completes
    // with the run's result.
    let accepted = json!({"action": "accept", "content": {"account": "work"}});
    client
        .update_task(UpdateTaskParams::new(
            id.clone(),
            BTreeMap::from([(ask_key.clone(), accepted)]),
        ))
        .await
        .unwrap();
    let posts = interaction_posts(&fake);
    assert_eq!(posts.len(), 1, "{posts:?}");
    let sent: Value = serde_json::from_str(&posts[0].body).unwrap();
    assert_eq!(sent, json!({"input": {"account": "work"}}));
    let done = deck_poll(&client, &id, |t| t.status() != TaskStatus::Working).await;
    assert_eq!(done.status(), TaskStatus::Completed, "{done:?}");
    let answer = result(&done);
    let view = structured(&answer);
    assert_eq!(view["phase"], "completed", "{view}");
    assert_eq!(view["preview"].as_array().unwrap().len(), 2, "{view}");
    assert!(posts[0].path.contains(view["run_id"].as_str().unwrap()));

    // An MFA code is a secret: the task stays working, says where it is answered, and no form
    // ever asks for it.
    fake.script_runs(vec![Stage::Ask("493817"), Stage::Done(bills(1))]);
    let id = create(&client, "run_agent", json!({"agent_id": deck_task})).await;
    let secret = deck_poll(&client, &id, |t| {
        message(t).starts_with("waiting for input") || t.status() != TaskStatus::Working
    })
    .await;
    assert_eq!(secret.status(), TaskStatus::Working, "{secret:?}");
    assert!(message(&secret).contains("never in chat"), "{secret:?}");
    assert!(
        message(&secret).contains("Enter the 6-digit code"),
        "{secret:?}"
    );
    let again = task(&client, &id).await;
    for t in [&secret, &again] {
        assert!(
            !matches!(t.payload, TaskPayload::InputRequired { .. }),
            "{t:?}"
        );
        let wire = serde_json::to_string(t).unwrap();
        assert!(!wire.contains("requestedSchema"), "{wire}");
    }
    assert_eq!(again.status(), TaskStatus::Working);
    assert_eq!(interaction_posts(&fake).len(), 1);
}
