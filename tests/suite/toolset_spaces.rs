//! The spaces toolset (list_spaces, run_space) through MCP: against the fake cloud (started,
//! queued and refused agents, the run-all body), and for real on the embedded engine, where a
//! space's concurrency limit queues the runs beyond it until others end.

use std::time::Duration;

use crate::{
    engine_fixture::{
        call_tool, client_for, definition, finished, get_json, mcp_on, options, raw, site, wait_run,
    },
    support::{
        Route, RunScript, Step,
        mcp_client::{Harness, failure, success},
    },
};
use sequentum_mcp::{
    api::types::{RunStatus, StartRunRequest},
    local::Engine,
    mcp::toolsets::Selection,
};
use serde_json::{Value, json};

fn outcomes(result: &Value) -> Vec<(String, String)> {
    result["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["agent_name"].as_str().unwrap().to_string(),
                a["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn spaces_cloud_lists_by_name_and_runs_a_space() {
    let h = Harness::start().await;
    let shop = h.fake.add_agent("Shop");
    let busy = h.fake.add_agent("Busy");
    let slow = h.fake.add_agent("Slow");
    let news = h.fake.add_agent("News");
    let shops = h.fake.add_space("Shops", &[shop, busy, slow]);
    h.fake.add_space("Newsrooms", &[news]);
    h.fake
        .add_run(busy, RunScript::steps(vec![Step::new(1)]).manual());
    h.fake
        .script_run(slow, RunScript::steps(vec![Step::new(4)]).manual());

    let all = success(h.call("list_spaces", json!({})).await);
    assert_eq!(all["spaces"].as_array().unwrap().len(), 2);
    let found = success(h.call("list_spaces", json!({"query": "SHOP"})).await);
    let spaces = found["spaces"].as_array().unwrap();
    assert_eq!(spaces.len(), 1);
    assert_eq!(spaces[0]["space_id"], shops);
    let members: Vec<&str> = spaces[0]["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["Shop", "Busy", "Slow"]);
    assert_eq!(spaces[0]["agents"][1]["last_status"], "Running");
    assert!(found["next_step"].as_str().unwrap().contains("run_space"));

    let ran = success(
        h.call(
            "run_space",
            json!({"space_id": shops, "input_parameters": {"q": "x"}}),
        )
        .await,
    );
    assert_eq!(
        outcomes(&ran),
        [
            ("Shop".to_string(), "started".to_string()),
            ("Busy".to_string(), "refused".to_string()),
            ("Slow".to_string(), "queued".to_string()),
        ]
    );
    assert!(
        ran["next_step"]
            .as_str()
            .unwrap()
            .starts_with("1 started, 1 queued, 1 refused."),
        "{ran}"
    );
    assert_eq!(ran["agents"][1]["reason"], "Agent is already running");
    assert!(ran["agents"][1].get("run_id").is_none());
    assert!(ran["agents"][0]["run_id"].is_i64());
    assert!(
        ran["next_step"]
            .as_str()
            .unwrap()
            .contains("get_run_status")
    );
    let call = &h
        .fake
        .calls(&Route::post(&format!("/api/v1/spaces/{shops}/run-all")))[0];
    assert_eq!(call.json(), json!({"InputParameters": "{\"q\":\"x\"}"}));
}

#[tokio::test]
async fn spaces_cloud_bad_input_is_a_tool_error() {
    let h = Harness::start().await;
    let err = failure(h.call("run_space", json!({"space_id": 555})).await);
    assert!(err.starts_with("not_found: Space 555"), "{err}");
    let err = failure(h.call("run_space", json!({"space_id": 0})).await);
    assert!(err.starts_with("invalid_argument: space_id"), "{err}");
    let empty = success(h.call("list_spaces", json!({"query": "zzz"})).await);
    assert!(empty["spaces"].as_array().unwrap().is_empty());
    assert!(
        empty["next_step"]
            .as_str()
            .unwrap()
            .contains("without query")
    );
    let err = failure(
        h.call("list_spaces", json!({"query": "x".repeat(300)}))
            .await,
    );
    assert!(
        err.starts_with("invalid_argument: query has 300 characters"),
        "{err}"
    );
}

/// Creates a space through the engine's local extension; returns its id.
async fn create_space(engine: &Engine, body: Value) -> reqwest::Response {
    let (http, auth) = raw(engine);
    http.post(engine.base_url().join("api/v1/spaces").unwrap())
        .header("Authorization", auth)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Creates an agent in a space; returns its id (also used by `next_steps`).
pub(crate) async fn agent_in_space(engine: &Engine, name: &str, space: i64, def: Value) -> i64 {
    let (http, auth) = raw(engine);
    let resp = http
        .post(engine.base_url().join("api/v1/agent").unwrap())
        .header("Authorization", auth)
        .json(&json!({"name": name, "spaceId": space, "definition": def}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn spaces_engine_runs_a_space_within_its_concurrency_limit() {
    let site = site().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 4)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let resp = create_space(
        &engine,
        json!({"name": "Slow shops", "concurrencyLimit": 1}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let space = resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let bad = create_space(&engine, json!({"name": "Zero", "concurrencyLimit": 0})).await;
    assert_eq!(bad.status(), 400);
    let taken = create_space(&engine, json!({"name": "slow SHOPS"})).await;
    assert_eq!(taken.status(), 409);

    let slow = site.base.join("slow").unwrap();
    let mut agents = Vec::new();
    for name in ["A", "B", "C"] {
        agents.push(agent_in_space(&engine, name, space, definition(&slow, 1, None)).await);
    }
    let archived = agent_in_space(&engine, "Archived", space, definition(&slow, 1, None)).await;
    client.set_archived(archived, true).await.unwrap();
    let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;

    let listed = call_tool(&mcp, "list_spaces", json!({"query": "slow"})).await;
    let listed = listed.structured_content.unwrap();
    assert_eq!(listed["spaces"][0]["concurrency_limit"], 1);
    assert_eq!(listed["spaces"][0]["agents"].as_array().unwrap().len(), 3);
    let found = get_json(&engine, "api/v1/spaces/search?name=SLOW%20shops").await;
    assert_eq!(found["id"], space);
    let wire_agents = get_json(&engine, &format!("api/v1/spaces/{space}/agents")).await;
    assert_eq!(
        wire_agents.as_array().unwrap().len(),
        3,
        "the archived agent is left out"
    );

    // One run executes; the other two queue behind the space's limit, though workers are free.
    let ran = call_tool(&mcp, "run_space", json!({"space_id": space})).await;
    assert_ne!(ran.is_error, Some(true), "{ran:?}");
    let ran = ran.structured_content.unwrap();
    assert_eq!(
        outcomes(&ran),
        [
            ("A".to_string(), "started".to_string()),
            ("B".to_string(), "queued".to_string()),
            ("C".to_string(), "queued".to_string()),
        ]
    );
    let runs: Vec<(i64, i64)> = ran["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["agent_id"].as_i64().unwrap(),
                a["run_id"].as_i64().unwrap(),
            )
        })
        .collect();
    for (agent, run) in &runs[1..] {
        let now = client.run_status(*agent, *run).await.unwrap();
        assert_eq!(now.status(), RunStatus::QUEUING);
    }

    // A second space start refuses the agents that are still active.
    let again = call_tool(&mcp, "run_space", json!({"space_id": space})).await;
    let again = again.structured_content.unwrap();
    assert!(
        again["next_step"]
            .as_str()
            .unwrap()
            .starts_with("0 started, 0 queued, 3 refused."),
        "{again}"
    );
    assert!(
        again["agents"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("Agent is already running"),
        "{again}"
    );

    // Released, they run one after another: none starts before the previous one ended.
    // One page each (max_pages 1): the gate is shut again once they are done.
    site.gate.add_permits(runs.len());
    let mut ended = Vec::new();
    for (agent, run) in &runs {
        let run = finished(&client, *agent, *run).await;
        assert_eq!(run.status(), RunStatus::COMPLETED, "{run:?}");
        ended.push(run);
    }
    ended.sort_by_key(|r| r.start_time);
    for pair in ended.windows(2) {
        assert!(
            pair[1].start_time >= pair[0].end_time,
            "runs overlapped: {:?} and {:?}",
            pair[0],
            pair[1]
        );
    }

    // A run started on its own also waits for the space (the first holds it on its page).
    let first = client
        .start_run(agents[0], &StartRunRequest::default())
        .await
        .unwrap();
    wait_run(
        &client,
        agents[0],
        first.id,
        Duration::from_secs(20),
        "the run to start",
        |r| r.status() != RunStatus::QUEUING,
    )
    .await;
    let second = client
        .start_run(agents[1], &StartRunRequest::default())
        .await
        .unwrap();
    assert_eq!(second.status(), RunStatus::QUEUING);
    site.gate.add_permits(2);
    finished(&client, agents[0], first.id).await;
    finished(&client, agents[1], second.id).await;

    let err = call_tool(&mcp, "run_space", json!({"space_id": 999})).await;
    assert_eq!(err.is_error, Some(true));
    let text = &err.content[0].as_text().unwrap().text;
    assert!(text.starts_with("not_found: Space 999"), "{text}");
}
