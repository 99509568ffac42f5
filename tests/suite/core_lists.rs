//! list_agents and list_runs through a real MCP client: paging, filtering, truncation.

use crate::support::{
    RunScript, Step,
    mcp_client::{Harness, success},
};
use serde_json::{Value, json};

fn names(page: &Value) -> Vec<String> {
    page["agents"]
        .as_array()
        .expect("agents")
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn list_agents_pages_through_every_agent_once() {
    let h = Harness::start().await;
    let empty = success(h.call("list_agents", json!({})).await);
    assert!(
        empty["next_step"]
            .as_str()
            .unwrap()
            .contains("build one with build_agent"),
        "{empty}"
    );
    let mut all: Vec<String> = (1..=5).map(|i| format!("Agent {i}")).collect();
    for name in &all {
        h.fake.add_agent(name);
    }
    let agent = h.fake.add_agent("Weather");
    h.fake
        .add_run(agent, RunScript::steps(vec![Step::new(9).data(1)]));
    all.push("Weather".into());

    let mut seen = Vec::new();
    let mut page = 1;
    loop {
        let got = success(
            h.call("list_agents", json!({"page": page, "per_page": 2}))
                .await,
        );
        assert_eq!(got["total"], 6);
        seen.extend(names(&got));
        match got.get("next_page") {
            Some(next) => {
                assert_eq!(next, page + 1);
                page += 1;
            }
            None => break,
        }
    }
    assert_eq!(page, 3);
    assert_eq!(seen, all);

    let found = success(h.call("list_agents", json!({"query": "weath"})).await);
    assert_eq!(names(&found), ["Weather"]);
    assert_eq!(found["agents"][0]["id"], agent);
    assert_eq!(found["agents"][0]["last_status"], "Completed");
    assert!(found.get("next_page").is_none());
}

#[tokio::test]
async fn list_runs_is_newest_first_truncated_and_filters_active_runs() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let finished = || RunScript::steps(vec![Step::new(9).data(4)]);
    let active = h
        .fake
        .add_run(agent, RunScript::steps(vec![Step::new(1)]).manual());
    let done: Vec<i64> = (0..3).map(|_| h.fake.add_run(agent, finished())).collect();

    let runs = success(
        h.call("list_runs", json!({"agent_id": agent, "limit": 2}))
            .await,
    );
    let ids: Vec<i64> = runs["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["run_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [done[2], done[1]], "newest first");
    assert_eq!(runs["truncated"], true);
    let step = runs["next_step"].as_str().unwrap();
    assert!(
        step.contains(&format!("run_id={}", done[2])) && step.contains("raise limit"),
        "{step}"
    );

    let all = success(
        h.call("list_runs", json!({"agent_id": agent, "limit": 4}))
            .await,
    );
    assert_eq!(all["runs"].as_array().unwrap().len(), 4);
    assert_eq!(all["truncated"], false);

    let only_active = success(
        h.call(
            "list_runs",
            json!({"agent_id": agent, "limit": 10, "active_only": true}),
        )
        .await,
    );
    let runs = only_active["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["run_id"], active);
    assert_eq!(runs[0]["phase"], "running");
    assert_eq!(only_active["truncated"], false);

    // An active run older than the newest `limit` runs is still found.
    let oldest_active = success(
        h.call(
            "list_runs",
            json!({"agent_id": agent, "limit": 1, "active_only": true}),
        )
        .await,
    );
    assert_eq!(
        oldest_active["runs"][0]["run_id"], active,
        "{oldest_active:#}"
    );
}
