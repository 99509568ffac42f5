//! The agents toolset (get_agent, list_versions, restore_version, archive_agent) through MCP,
//! against the fake cloud and for real on the embedded engine, with bad input; and the size
//! of the agents, spaces and usage tools together.

use crate::{
    engine_fixture::{
        call_tool, client_for, create_agent, definition, finished, get_json, mcp_on, options, site,
    },
    support::{
        Route, RunScript, Step,
        mcp_client::{Harness, failure, success},
    },
};
use sequentum_mcp::{cli::tools::catalog, local::Engine, mcp::toolsets::Selection};
use serde_json::{Value, json};

fn names(list: &Value) -> Vec<String> {
    list["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn agents_cloud_details_versions_restore_and_archive() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    h.fake.add_agent("News");
    h.fake.add_version(agent, "Price selector fixed");
    let run = h
        .fake
        .add_run(agent, RunScript::steps(vec![Step::new(9).data(4)]));

    let got = success(h.call("get_agent", json!({"agent_id": agent})).await);
    assert_eq!(got["name"], "Shop");
    assert_eq!(got["start_url"], "https://shop.example.test/");
    assert_eq!(got["input_parameters"], json!({"category": "all"}));
    assert_eq!(got["version"], 2);
    assert_eq!(got["archived"], false);
    assert_eq!(got["last_run_id"], run);
    assert_eq!(got["last_status"], "Completed");

    let versions = success(h.call("list_versions", json!({"agent_id": agent})).await);
    let listed: Vec<(i64, String)> = versions["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_i64().unwrap(),
                v["comment"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (2, "Price selector fixed".to_string()),
            (1, "Created".to_string())
        ]
    );
    assert!(
        versions["next_step"]
            .as_str()
            .unwrap()
            .contains("restore_version")
    );

    let restored = success(
        h.call(
            "restore_version",
            json!({"agent_id": agent, "version": 1, "comment": "back to the original"}),
        )
        .await,
    );
    assert_eq!(restored["restored"], 1);
    assert_eq!(restored["new_version"], 3);
    let restore = Route::post(&format!("/api/v1/agent/{agent}/version/1/restore"));
    let calls = h.fake.calls(&restore);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].json(), json!({"content": "back to the original"}));
    assert_eq!(
        h.fake.version_comments(agent).last().map(String::as_str),
        Some("back to the original")
    );

    // A version the agent does not have is refused before anything is sent.
    let err = failure(
        h.call(
            "restore_version",
            json!({"agent_id": agent, "version": 9, "comment": "x"}),
        )
        .await,
    );
    assert!(
        err.starts_with("not_found: Agent") && err.contains("no version 9 (it has 3, 2, 1)"),
        "{err}"
    );
    assert!(err.contains("list_versions"), "{err}");
    assert_eq!(h.fake.count(&Route::post("/api/v1/agent/*")), 1);

    // Archived agents leave list_agents unless asked for, and come back.
    let archived = success(h.call("archive_agent", json!({"agent_id": agent})).await);
    assert_eq!(archived["archived"], true);
    assert!(h.fake.is_archived(agent));
    assert_eq!(
        names(&success(h.call("list_agents", json!({})).await)),
        ["News"]
    );
    let all = success(h.call("list_agents", json!({"archived": true})).await);
    assert_eq!(names(&all), ["News", "Shop"]);
    let got = success(h.call("get_agent", json!({"agent_id": agent})).await);
    assert_eq!(got["archived"], true);
    assert!(
        got["next_step"]
            .as_str()
            .unwrap()
            .contains("archived=false")
    );
    success(
        h.call(
            "archive_agent",
            json!({"agent_id": agent, "archived": false}),
        )
        .await,
    );
    assert!(!h.fake.is_archived(agent));
    assert_eq!(
        names(&success(h.call("list_agents", json!({})).await)),
        ["News", "Shop"]
    );
}

#[tokio::test]
async fn agents_cloud_bad_input_is_a_tool_error_that_says_what_to_do() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let err = failure(h.call("get_agent", json!({"agent_id": 999})).await);
    assert!(err.starts_with("not_found: Agent 999"), "{err}");
    let err = failure(h.call("list_versions", json!({"agent_id": "abc"})).await);
    assert!(err.starts_with("invalid_argument"), "{err}");
    let err = failure(
        h.call(
            "restore_version",
            json!({"agent_id": agent, "version": 1, "comment": "  "}),
        )
        .await,
    );
    assert!(
        err.starts_with("invalid_argument: comment is empty"),
        "{err}"
    );
    let err = failure(
        h.call(
            "archive_agent",
            json!({"agent_id": agent, "unarchive": true}),
        )
        .await,
    );
    assert!(
        err.contains("unknown argument \"unarchive\"") && err.contains("archived"),
        "{err}"
    );
    let err = failure(h.call("archive_agent", json!({"agent_id": 4242})).await);
    assert!(err.starts_with("not_found"), "{err}");
    assert!(!h.fake.is_archived(agent));
}

fn selection() -> Selection {
    Selection::all()
}

#[tokio::test]
async fn agents_engine_versions_restore_runs_and_archive_for_real() {
    let site = site().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 2)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let start = site.base.join("products").unwrap();
    let agent = create_agent(&engine, "Fixture products", definition(&start, 1, None)).await;
    create_agent(&engine, "Other", definition(&start, 1, None)).await;
    let mcp = mcp_on(&engine, dir.path(), &selection()).await;
    let ok = |r: rmcp::model::CallToolResult| {
        assert_ne!(r.is_error, Some(true), "{r:?}");
        r.structured_content.unwrap()
    };
    let err = |r: rmcp::model::CallToolResult| {
        assert_eq!(r.is_error, Some(true), "{r:?}");
        r.content[0].as_text().unwrap().text.clone()
    };

    // Version 2 breaks the price selector (saved only by force: the test on the start page
    // keeps no records); every change is a version with its comment.
    let forced = ok(call_tool(
        &mcp,
        "update_agent_definition",
        json!({"agent_id": agent, "definition": {"fields": [{"name": "price", "selector": ".prise"}]}, "comment": "try another price selector", "force": true}),
    )
    .await);
    assert_eq!(forced["forced"], true, "{forced}");
    let versions = ok(call_tool(&mcp, "list_versions", json!({"agent_id": agent})).await);
    assert_eq!(versions["versions"][0]["version"], 2);
    assert_eq!(
        versions["versions"][0]["comment"],
        "try another price selector"
    );
    assert_eq!(versions["versions"][1]["version"], 1);

    // Restoring version 1 makes version 3 with version 1's definition.
    let restored = ok(call_tool(
        &mcp,
        "restore_version",
        json!({"agent_id": agent, "version": 1, "comment": "price broke in v2"}),
    )
    .await);
    assert_eq!(restored["new_version"], 3);
    let def = ok(call_tool(&mcp, "get_agent_definition", json!({"agent_id": agent})).await);
    assert_eq!(def["version"], 3);
    assert_eq!(def["definition"]["fields"][1]["selector"], ".price");
    let versions = get_json(&engine, &format!("api/v1/agent/{agent}/versions")).await;
    assert_eq!(versions[0]["comments"], "price broke in v2");

    // The next run runs version 3, and get_agent shows it.
    let run = ok(call_tool(
        &mcp,
        "run_agent",
        json!({"agent_id": agent, "wait_seconds": 0}),
    )
    .await);
    let run_id = run["run_id"].as_i64().unwrap();
    let ended = finished(&client, agent, run_id).await;
    assert_eq!(ended.config_version, Some(3));
    let got = ok(call_tool(&mcp, "get_agent", json!({"agent_id": agent})).await);
    assert_eq!(got["version"], 3);
    assert_eq!(got["start_url"], start.as_str());
    assert_eq!(got["fields"], json!(["name", "price", "link"]));
    assert_eq!(got["last_run_id"], run_id);
    assert_eq!(got["last_status"], "Completed");
    assert_eq!(got["archived"], false);

    let text = err(call_tool(
        &mcp,
        "restore_version",
        json!({"agent_id": agent, "version": 7, "comment": "x"}),
    )
    .await);
    assert!(text.contains("has no version 7 (it has 3, 2, 1)"), "{text}");
    let text = err(call_tool(&mcp, "get_agent", json!({"agent_id": 999})).await);
    assert!(text.starts_with("not_found"), "{text}");

    // Archive hides it from lists (the tool and the endpoint), unarchive brings it back.
    ok(call_tool(&mcp, "archive_agent", json!({"agent_id": agent})).await);
    let listed = ok(call_tool(&mcp, "list_agents", json!({})).await);
    assert_eq!(names(&listed), ["Other"]);
    let listed = ok(call_tool(&mcp, "list_agents", json!({"archived": true})).await);
    assert_eq!(names(&listed), ["Fixture products", "Other"]);
    let wire = get_json(&engine, "api/v1/agent/all").await;
    assert_eq!(wire.as_array().unwrap().len(), 1);
    let wire = get_json(&engine, "api/v1/agent/all?includeArchived=true").await;
    assert_eq!(wire[0]["isArchived"], true);
    let got = ok(call_tool(&mcp, "get_agent", json!({"agent_id": agent})).await);
    assert_eq!(got["archived"], true);
    ok(call_tool(
        &mcp,
        "archive_agent",
        json!({"agent_id": agent, "archived": false}),
    )
    .await);
    let listed = ok(call_tool(&mcp, "list_agents", json!({})).await);
    assert_eq!(names(&listed), ["Fixture products", "Other"]);
}

/// The seven tools of the agents, spaces and usage toolsets stay within 6,000 characters.
#[test]
fn agents_spaces_and_usage_tools_fit_their_budget() {
    let ours = [
        "get_agent",
        "list_versions",
        "restore_version",
        "archive_agent",
        "list_spaces",
        "run_space",
        "get_usage",
    ];
    let size: usize = catalog(&Selection::all())
        .iter()
        .filter(|(name, _)| ours.contains(&name.as_str()))
        .map(|(_, json)| {
            let value: Value = serde_json::from_str(json).unwrap();
            serde_json::to_string(&value).unwrap().len()
        })
        .sum();
    println!("agents, spaces and usage tools: {size} characters");
    assert!(size <= 6_000, "{size} characters");
}
