//! Records of a run still going, on the embedded engine: the run is held mid-way by the
//! fixture site (page 2 waits until the test releases it), and fetch_records and save_records
//! return the records committed so far, marked partial, their next step naming the run's status; a page read
//! live continues, once the run ends, in its export; and a read without run_id names a newer
//! run that is still going.

use std::{collections::HashSet, sync::Arc};

use sequentum_mcp::{
    api::{platform::Sequentum, types::StartRunRequest},
    local::Engine,
    mcp::{Server, in_process, toolsets::Selection},
};
use serde_json::{Value, json};

use crate::engine_fixture::{
    Mcp, PAGES, PER_PAGE, call_tool, client_for, definition, finished, options, settings, site,
    slow_run_past_page_one, wait_run,
};

/// The MCP server in-process on this engine, saving files under `dir/out`.
async fn mcp_saving(engine: &Engine, dir: &std::path::Path) -> Mcp {
    let client = client_for(engine, engine.api_key());
    let platform = Arc::new(Sequentum::local(client, "http://127.0.0.1:9/demo"));
    let mut settings = settings(dir);
    settings.output_dir = Some(dir.join("out"));
    let server = Server::new(platform, settings, &Selection::all()).unwrap();
    in_process::connect(server, ()).await.unwrap()
}

async fn structured(mcp: &Mcp, tool: &str, args: Value) -> Value {
    let result = call_tool(mcp, tool, args).await;
    assert_ne!(result.is_error, Some(true), "{tool}: {result:?}");
    result.structured_content.unwrap()
}

fn names(page: &Value) -> Vec<String> {
    page["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_running_run_s_records_so_far_are_readable_and_paging_continues_after_it_ends() {
    let fixture = site().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 2)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let (agent, run) = slow_run_past_page_one(&engine, &client, &fixture, "Live", PAGES).await;
    let mcp = mcp_saving(&engine, dir.path()).await;

    // The only run is running: without run_id it is the one read, as it goes.
    let page = structured(
        &mcp,
        "fetch_records",
        json!({"agent_id": agent, "limit": 1}),
    )
    .await;
    assert_eq!(page["run_id"], run.id, "{page}");
    assert_eq!(page["partial"], true, "{page}");
    assert_eq!(names(&page), ["Item 1-1"], "{page}");
    let cursor = page["next_cursor"]
        .as_str()
        .expect("page 1 has two records")
        .to_string();
    let step = page["next_step"].as_str().unwrap();
    assert!(
        step.contains("still Running") && step.contains("get_run_status"),
        "{step}"
    );
    let all_so_far = structured(
        &mcp,
        "fetch_records",
        json!({"agent_id": agent, "run_id": run.id, "limit": 100}),
    )
    .await;
    assert_eq!(names(&all_so_far), ["Item 1-1", "Item 1-2"], "{all_so_far}");
    assert_eq!(all_so_far["partial"], true);
    assert!(
        all_so_far["next_step"]
            .as_str()
            .unwrap()
            .contains("records committed so far"),
        "{all_so_far}"
    );

    let saved = structured(
        &mcp,
        "save_records",
        json!({"agent_id": agent, "save_to": "live.jsonl"}),
    )
    .await;
    assert_eq!(saved["records"], PER_PAGE, "{saved}");
    assert_eq!(saved["partial"], true, "{saved}");
    assert!(
        saved["next_step"]
            .as_str()
            .unwrap()
            .contains("still Running"),
        "{saved}"
    );
    let text = std::fs::read_to_string(dir.path().join("out/live.jsonl")).unwrap();
    assert_eq!(text.lines().count(), PER_PAGE as usize, "{text}");

    // The run ends; the cursor taken while it ran continues in its export, each record once.
    fixture.gate.add_permits(PAGES as usize);
    let ended = finished(&client, agent, run.id).await;
    assert_eq!(
        ended.data_count,
        Some((PAGES * PER_PAGE) as i64),
        "{ended:?}"
    );
    let rest = structured(
        &mcp,
        "fetch_records",
        json!({"agent_id": agent, "cursor": cursor, "limit": 100}),
    )
    .await;
    assert_eq!(rest["partial"], false, "{rest}");
    let mut got = vec!["Item 1-1".to_string()];
    got.extend(names(&rest));
    let unique: HashSet<_> = got.iter().collect();
    assert_eq!(got.len(), (PAGES * PER_PAGE) as usize, "{got:?}");
    assert_eq!(unique.len(), got.len(), "every record once: {got:?}");
    engine.shutdown().await;
}

#[tokio::test]
async fn a_read_without_run_id_names_the_newer_run_still_going() {
    let fixture = site().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 2)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let slow = fixture.base.join("slow").unwrap();
    let agent =
        crate::engine_fixture::create_agent(&engine, "Twice", definition(&slow, PAGES, None)).await;
    fixture.gate.add_permits(PAGES as usize);
    let first = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap();
    finished(&client, agent, first.id).await;
    let second = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap();
    fixture.gate.add_permits(1);
    wait_run(
        &client,
        agent,
        second.id,
        std::time::Duration::from_secs(20),
        "page 1 of the second run",
        |r| r.data_count == Some(PER_PAGE as i64),
    )
    .await;

    let mcp = mcp_saving(&engine, dir.path()).await;
    let page = structured(
        &mcp,
        "fetch_records",
        json!({"agent_id": agent, "limit": 100}),
    )
    .await;
    assert_eq!(page["run_id"], first.id, "the finished run is read: {page}");
    assert_eq!(page["partial"], false);
    assert_eq!(names(&page).len(), (PAGES * PER_PAGE) as usize);
    let newer = page["next_step"].as_str().unwrap();
    assert!(
        newer.contains(&format!("Run {} is newer and still Running", second.id))
            && newer.contains(&format!("run_id={}", second.id)),
        "{newer}"
    );
    fixture.gate.add_permits(PAGES as usize);
    finished(&client, agent, second.id).await;
    engine.shutdown().await;
}
