//! Every result says what to do next, and every mutation echoes what it changed: each tool the
//! embedded engine offers with `--toolsets all` is called once with valid arguments, and the
//! test fails when a tool is offered that it did not call.

use std::{collections::BTreeSet, sync::Arc};

use crate::engine_fixture::{
    call_tool, client_for, create_agent, definition, options, raw, settings, site,
};
use sequentum_mcp::{
    api::platform::Sequentum,
    local::Engine,
    mcp::{Server, in_process, toolsets::Selection},
};
use serde_json::{Value, json};

use crate::toolset_spaces::agent_in_space;

type Mcp = crate::engine_fixture::Mcp;

/// Calls `tool`, which must succeed with a structured result holding a next_step sentence.
async fn step(mcp: &Mcp, called: &mut BTreeSet<String>, tool: &str, args: Value) -> Value {
    let result = call_tool(mcp, tool, args).await;
    assert_ne!(result.is_error, Some(true), "{tool} failed: {result:?}");
    let value = result.structured_content.expect("structured output");
    // stop_run answers with the run or the build it stopped, whose view holds the next step.
    let next = ["", "run", "build"]
        .iter()
        .map(|key| match *key {
            "" => &value,
            key => &value[key],
        })
        .find_map(|v| v["next_step"].as_str())
        .unwrap_or_default();
    assert!(next.len() > 10, "{tool} has no next_step: {value}");
    called.insert(tool.to_string());
    value
}

/// Creates a space on the engine; returns its id.
async fn space(engine: &Engine, name: &str) -> i64 {
    let (http, auth) = raw(engine);
    let resp = http
        .post(engine.base_url().join("api/v1/spaces").unwrap())
        .header("Authorization", auth)
        .json(&json!({"name": name}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn every_tool_answers_with_a_next_step_and_mutations_echo_what_they_changed() {
    let site = site().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 2)).await.unwrap();
    let products_url = site.base.join("products").unwrap();
    let shops = space(&engine, "Shops").await;
    let products = agent_in_space(
        &engine,
        "Products",
        shops,
        definition(&products_url, 1, None),
    )
    .await;
    let flaky = create_agent(
        &engine,
        "Flaky",
        definition(&site.base.join("flaky").unwrap(), 1, None),
    )
    .await;
    let slow = create_agent(
        &engine,
        "Slow",
        definition(&site.base.join("slow").unwrap(), 1, None),
    )
    .await;
    let mut settings = settings(dir.path());
    settings.output_dir = Some(dir.path().join("out"));
    let demo = engine.base_url().join("demo/shop/products").unwrap();
    let platform = Sequentum::local(client_for(&engine, engine.api_key()), demo.as_str());
    let server = Server::new(Arc::new(platform), settings, &Selection::all()).unwrap();
    let mcp = in_process::connect(server, ()).await.unwrap();
    let offered: BTreeSet<String> = mcp
        .list_all_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name.to_string())
        .collect();
    let called = &mut BTreeSet::new();

    // Runs and their records.
    let first = step(
        &mcp,
        called,
        "run_agent",
        json!({"agent_id": products, "wait_seconds": 45}),
    )
    .await;
    assert_eq!(first["status"], "Completed", "{first}");
    let run = first["run_id"].as_i64().unwrap();
    let second = step(
        &mcp,
        called,
        "run_agent",
        json!({"agent_id": products, "wait_seconds": 45}),
    )
    .await;
    assert_eq!(second["status"], "Completed", "{second}");
    let ids = json!({"agent_id": products, "run_id": run});
    step(&mcp, called, "get_run_status", ids.clone()).await;
    step(&mcp, called, "list_agents", json!({})).await;
    step(&mcp, called, "list_runs", json!({"agent_id": products})).await;
    step(&mcp, called, "fetch_records", ids.clone()).await;
    step(
        &mcp,
        called,
        "query_records",
        json!({"agent_id": products, "run_id": run, "sql": "SELECT count(*) AS n FROM records"}),
    )
    .await;
    step(&mcp, called, "compare_runs", json!({"agent_id": products})).await;
    let saved = step(
        &mcp,
        called,
        "save_records",
        json!({"agent_id": products, "run_id": run, "save_to": "products.csv"}),
    )
    .await;
    assert_eq!(
        (saved["agent_id"].as_i64(), saved["run_id"].as_i64()),
        (Some(products), Some(run))
    );
    step(&mcp, called, "list_run_files", ids.clone()).await;
    step(&mcp, called, "get_run_diagnostics", ids.clone()).await;
    step(&mcp, called, "runs_summary", json!({})).await;
    let deleted = step(
        &mcp,
        called,
        "delete_run",
        json!({"agent_id": products, "run_id": run, "remove": "files"}),
    )
    .await;
    assert_eq!(
        (
            deleted["agent_id"].as_i64(),
            deleted["run_id"].as_i64(),
            deleted["removed"].as_str()
        ),
        (Some(products), Some(run), Some("files")),
        "{deleted}"
    );

    // A failed run restarted in place; a slow one stopped.
    let failed = step(
        &mcp,
        called,
        "run_agent",
        json!({"agent_id": flaky, "wait_seconds": 45}),
    )
    .await;
    assert_eq!(failed["status"], "Failure", "{failed}");
    site.healthy
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let restarted = step(
        &mcp,
        called,
        "restart_run",
        json!({"agent_id": flaky, "run_id": failed["run_id"], "wait_seconds": 45}),
    )
    .await;
    assert_eq!(restarted["run_id"], failed["run_id"]);
    let running = step(
        &mcp,
        called,
        "run_agent",
        json!({"agent_id": slow, "wait_seconds": 0}),
    )
    .await;
    let stopped = step(
        &mcp,
        called,
        "stop_run",
        json!({"agent_id": slow, "run_id": running["run_id"], "wait_seconds": 0}),
    )
    .await;
    assert_eq!(stopped["run"]["run_id"], running["run_id"], "{stopped}");
    site.gate.add_permits(100);

    // A build, left running.
    let prompt = format!("Collect the name and price of every product on {products_url}");
    step(
        &mcp,
        called,
        "build_agent",
        json!({"prompt": prompt, "wait_seconds": 0}),
    )
    .await;

    // The agent, its definition and versions.
    let agent = json!({"agent_id": products});
    step(&mcp, called, "get_agent", agent.clone()).await;
    step(&mcp, called, "get_agent_definition", agent.clone()).await;
    step(&mcp, called, "test_agent_definition", agent.clone()).await;
    let change = json!({"fields": [{"name": "price", "selector": "span.price"}]});
    let updated = step(
        &mcp,
        called,
        "update_agent_definition",
        json!({"agent_id": products, "definition": change, "comment": "a closer selector"}),
    )
    .await;
    assert_eq!(
        (updated["agent_id"].as_i64(), updated["version"].as_i64()),
        (Some(products), Some(2))
    );
    step(&mcp, called, "list_versions", agent.clone()).await;
    let restored = step(
        &mcp,
        called,
        "restore_version",
        json!({"agent_id": products, "version": 1, "comment": "back to the first"}),
    )
    .await;
    assert_eq!(
        (
            restored["agent_id"].as_i64(),
            restored["restored"].as_i64(),
            restored["new_version"].as_i64()
        ),
        (Some(products), Some(1), Some(3)),
        "{restored}"
    );
    let archived = step(
        &mcp,
        called,
        "archive_agent",
        json!({"agent_id": flaky, "archived": true}),
    )
    .await;
    assert_eq!(
        (
            archived["agent_id"].as_i64(),
            archived["archived"].as_bool()
        ),
        (Some(flaky), Some(true))
    );

    // Spaces.
    step(&mcp, called, "list_spaces", json!({})).await;
    let ran = step(&mcp, called, "run_space", json!({"space_id": shops})).await;
    assert_eq!(ran["space_id"], shops);

    // Schedules: made, listed, paused, deleted, each echoing its ids and state.
    let scheduled = step(
        &mcp,
        called,
        "schedule_agent",
        json!({"agent_id": products, "every": "1 day"}),
    )
    .await;
    let schedule = scheduled["schedule_id"].clone();
    step(&mcp, called, "list_schedules", agent.clone()).await;
    let paused = step(
        &mcp,
        called,
        "set_schedule_enabled",
        json!({"agent_id": products, "schedule_id": schedule, "enabled": false}),
    )
    .await;
    assert_eq!(
        (
            paused["agent_id"].as_i64(),
            &paused["schedule_id"],
            paused["enabled"].as_bool()
        ),
        (Some(products), &schedule, Some(false)),
        "{paused}"
    );
    assert!(
        paused["next_step"].as_str().unwrap().contains("paused"),
        "{paused}"
    );
    let gone = step(
        &mcp,
        called,
        "delete_schedule",
        json!({"agent_id": products, "schedule_id": schedule}),
    )
    .await;
    assert_eq!(
        (gone["agent_id"].as_i64(), &gone["schedule_id"]),
        (Some(products), &schedule)
    );

    assert_eq!(*called, offered, "every offered tool is called once here");
    engine.shutdown().await;
}
