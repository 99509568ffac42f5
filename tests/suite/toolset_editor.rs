//! The editor toolset on the embedded engine, through MCP: a broken selector found with
//! test_agent_definition (hit rate 0), fixed by a change tested on the page (hit rate 1), saved
//! with update_agent_definition as a new version with its comment, and used by the next run;
//! bad input as tool errors; the cloud never offers the toolset.

use std::sync::Arc;

use crate::engine_fixture::{
    Mcp, PAGES, PER_PAGE, call_tool, client_for, create_agent, definition, finished, get_json,
    mcp_on, options, settings, site,
};
use sequentum_mcp::{
    api::{Client, ClientOptions, Credential, platform::Sequentum},
    local::Engine,
    mcp::{Server, toolsets::Selection},
};
use serde_json::{Value, json};

fn toolsets(names: &str) -> Selection {
    Selection {
        toolsets: vec![names.to_string()],
        ..Selection::default()
    }
}

/// The structured result of a call that must succeed.
async fn ok(mcp: &Mcp, tool: &str, args: Value) -> Value {
    let result = call_tool(mcp, tool, args).await;
    assert_ne!(result.is_error, Some(true), "{tool} failed: {result:?}");
    result.structured_content.expect("structured output")
}

/// The text of a call that must fail with a tool error (not a JSON-RPC error).
async fn tool_error(mcp: &Mcp, tool: &str, args: Value) -> String {
    let result = call_tool(mcp, tool, args).await;
    assert_eq!(
        result.is_error,
        Some(true),
        "{tool} should fail: {result:?}"
    );
    result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn hit_rates(test: &Value) -> Vec<(String, f64)> {
    test["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["hit_rate"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// The fixture's product definition with the price selector misspelt.
fn broken(start: &url::Url) -> Value {
    let mut def = definition(start, PAGES, None);
    def["fields"][1]["selector"] = json!(".prise");
    def
}

async fn engine() -> (tempfile::TempDir, Engine, Client) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 1)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    (dir, engine, client)
}

#[tokio::test]
async fn a_broken_selector_is_found_fixed_saved_and_used_by_the_next_run() {
    let site = site().await;
    let (dir, engine, client) = engine().await;
    let start = site.base.join("products").unwrap();
    let agent = create_agent(&engine, "Fixture products", broken(&start)).await;
    let mcp = mcp_on(&engine, dir.path(), &toolsets("core,editor")).await;

    // The definition as it is.
    let got = ok(&mcp, "get_agent_definition", json!({"agent_id": agent})).await;
    assert_eq!(got["version"], 1);
    assert_eq!(got["definition"]["fields"][1]["selector"], ".prise");
    assert_eq!(got["definition"]["record_selector"], "article.product");
    assert!(
        got["next_step"]
            .as_str()
            .unwrap()
            .contains("test_agent_definition")
    );

    // The dry run finds what is broken: price matches nowhere, so every record is dropped.
    let before = ok(&mcp, "test_agent_definition", json!({"agent_id": agent})).await;
    assert_eq!(before["url"], start.as_str());
    assert_eq!(before["records_matched"], PER_PAGE);
    assert_eq!(before["records_kept"], 0);
    assert_eq!(
        hit_rates(&before),
        [
            ("name".into(), 1.0),
            ("price".into(), 0.0),
            ("link".into(), 1.0)
        ]
    );
    assert_eq!(before["fields"][1]["selector"], ".prise");
    assert_eq!(before["fields"][1]["page_matches"], 0);
    let unmatched = before["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    let why = unmatched[0].as_str().unwrap();
    assert!(
        why.starts_with("price: selector \".prise\" matches nothing on the whole page"),
        "{why}"
    );
    assert!(
        before["next_step"]
            .as_str()
            .unwrap()
            .starts_with("Fix price"),
        "{before:#}"
    );

    // A change (only the field's selector) tested on the page: every field matches.
    let change = json!({"fields": [{"name": "price", "selector": ".price"}]});
    let after = ok(
        &mcp,
        "test_agent_definition",
        json!({"agent_id": agent, "definition": change}),
    )
    .await;
    assert_eq!(after["based_on_version"], 1);
    assert_eq!(
        hit_rates(&after),
        [
            ("name".into(), 1.0),
            ("price".into(), 1.0),
            ("link".into(), 1.0)
        ]
    );
    assert_eq!(after["records_kept"], PER_PAGE);
    assert_eq!(after["unmatched"], json!([]));
    assert_eq!(after["sample_records"][0]["price"], "$1.10");
    assert_eq!(after["sample_records"][0]["name"], "Item 1-1");
    assert_eq!(after["definition"]["fields"][1]["selector"], ".price");
    assert_eq!(after["definition"]["fields"].as_array().unwrap().len(), 3);
    assert!(
        after["next_page"]
            .as_str()
            .unwrap()
            .ends_with("/products?page=2")
    );
    let next = after["next_step"].as_str().unwrap();
    assert!(next.contains("update_agent_definition"), "{next}");

    // On another page of the site.
    let page2 = site.base.join("products?page=2").unwrap();
    let other = ok(
        &mcp,
        "test_agent_definition",
        json!({"agent_id": agent, "definition": change, "url": page2.as_str()}),
    )
    .await;
    assert_eq!(other["sample_records"][1]["price"], "$2.20");

    // A dry run saves nothing.
    let still = ok(&mcp, "get_agent_definition", json!({"agent_id": agent})).await;
    assert_eq!(
        (
            still["version"].as_i64(),
            still["definition"]["fields"][1]["selector"].as_str()
        ),
        (Some(1), Some(".prise"))
    );

    // Saved as version 2 with its comment.
    let comment = "price: .prise matched nothing, use .price";
    let saved = ok(
        &mcp,
        "update_agent_definition",
        json!({"agent_id": agent, "definition": change, "comment": comment}),
    )
    .await;
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["comment"], comment);
    assert_eq!(
        (
            &saved["test"]["records_before"],
            &saved["test"]["records_after"]
        ),
        (&json!(0), &json!(PER_PAGE)),
        "the answer shows the test on the start page: {saved}"
    );
    assert_eq!(saved["test"]["sample_records"][0]["price"], "$1.10");
    assert_eq!(saved.get("forced"), None);
    assert!(saved["next_step"].as_str().unwrap().contains("run_agent"));
    let now = ok(&mcp, "get_agent_definition", json!({"agent_id": agent})).await;
    assert_eq!(now["version"], 2);
    assert_eq!(now["definition"]["fields"][1]["selector"], ".price");
    assert_eq!(
        now["definition"]["next_page"]["max_pages"], PAGES,
        "the rest is kept"
    );
    let versions = get_json(&engine, &format!("api/v1/agent/{agent}/versions")).await;
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[0]["comments"], comment);

    // The next run extracts with version 2: every product, with its price.
    let run = ok(
        &mcp,
        "run_agent",
        json!({"agent_id": agent, "wait_seconds": 0}),
    )
    .await;
    let run_id = run["run_id"].as_i64().unwrap();
    let done = finished(&client, agent, run_id).await;
    let total = i64::from(PAGES * PER_PAGE);
    assert_eq!(
        (done.data_count, done.error_count),
        (Some(total), Some(0)),
        "{done:?}"
    );
    let records = ok(
        &mcp,
        "fetch_records",
        json!({"agent_id": agent, "run_id": run_id, "limit": 100}),
    )
    .await;
    assert_eq!(records["returned"], total);
    assert_eq!(records["records"][0]["price"], "$1.10");
    assert_eq!(records["records"][5]["price"], "$3.20");
    engine.shutdown().await;
}

#[tokio::test]
async fn a_change_that_keeps_no_records_or_names_a_missing_field_is_saved_only_by_force() {
    let site = site().await;
    let (dir, engine, _client) = engine().await;
    let start = site.base.join("products").unwrap();
    let agent = create_agent(&engine, "Fixture products", definition(&start, 1, None)).await;
    let mcp = mcp_on(&engine, dir.path(), &toolsets("editor")).await;
    let update = |change: Value, force: bool| json!({"agent_id": agent, "definition": change, "comment": "try", "force": force});

    // A required field whose selector matches nothing would leave every run empty.
    let empty = json!({"fields": [{"name": "price", "selector": ".nothing-here"}]});
    let text = tool_error(
        &mcp,
        "update_agent_definition",
        update(empty.clone(), false),
    )
    .await;
    assert!(text.starts_with("invalid_argument: not saved:"), "{text}");
    assert!(
        text.contains(&format!("keeps 0 records ({PER_PAGE} before)")),
        "{text}"
    );
    assert!(text.contains("price") && text.contains("force"), "{text}");

    // A change naming a field the agent does not have (a typo of "price").
    let typo = json!({"fields": [{"name": "prise", "selector": ".price"}]});
    let text = tool_error(&mcp, "update_agent_definition", update(typo, false)).await;
    assert!(text.contains("\"prise\""), "{text}");
    assert!(text.contains("its fields are name, price, link"), "{text}");
    let unchanged = ok(&mcp, "get_agent_definition", json!({"agent_id": agent})).await;
    assert_eq!(unchanged["version"], 1, "nothing was saved");

    // With force it is saved, and the answer says what the test found.
    let forced = ok(&mcp, "update_agent_definition", update(empty, true)).await;
    assert_eq!(forced["version"], 2, "{forced}");
    assert_eq!(forced["forced"], true, "{forced}");
    assert_eq!(forced["test"]["records_before"], PER_PAGE, "{forced}");
    assert_eq!(forced["test"]["records_after"], 0, "{forced}");
    let next = forced["next_step"].as_str().unwrap();
    assert!(
        next.contains("by force") && next.contains("0 records"),
        "{next}"
    );
    let now = ok(&mcp, "get_agent_definition", json!({"agent_id": agent})).await;
    assert_eq!(now["definition"]["fields"][1]["selector"], ".nothing-here");
    engine.shutdown().await;
}

#[tokio::test]
async fn bad_input_is_a_tool_error_that_says_what_to_fix() {
    let site = site().await;
    let (dir, engine, _client) = engine().await;
    let start = site.base.join("products").unwrap();
    let agent = create_agent(&engine, "Fixture products", broken(&start)).await;
    let mcp = mcp_on(&engine, dir.path(), &toolsets("editor")).await;
    let fix = json!({"fields": [{"name": "price", "selector": ".price"}]});

    // Unknown agents.
    for (tool, args) in [
        ("get_agent_definition", json!({"agent_id": 999})),
        ("test_agent_definition", json!({"agent_id": 999})),
        (
            "update_agent_definition",
            json!({"agent_id": 999, "definition": fix, "comment": "fix"}),
        ),
    ] {
        let text = tool_error(&mcp, tool, args).await;
        assert!(text.starts_with("not_found: Agent 999"), "{tool}: {text}");
    }

    // Invalid definitions are refused and nothing is saved.
    for (change, says) in [
        (json!({"record_selector": "article["}), "record_selector"),
        (
            json!({"fields": [{"name": "price", "selecter": ".price"}]}),
            "selecter",
        ),
        (
            json!({"fields": [{"name": "colour", "remove": true}]}),
            "no field \"colour\" to remove",
        ),
        (json!({"start_urls": ["ftp://x.test/"]}), "http(s)"),
        (json!({"max_records": 0}), "max_records"),
    ] {
        let text = tool_error(
            &mcp,
            "update_agent_definition",
            json!({"agent_id": agent, "definition": change, "comment": "try"}),
        )
        .await;
        assert!(text.starts_with("invalid_argument:"), "{text}");
        assert!(text.contains(says), "{says}: {text}");
        let text = tool_error(
            &mcp,
            "test_agent_definition",
            json!({"agent_id": agent, "definition": change}),
        )
        .await;
        assert!(text.starts_with("invalid_argument:"), "{text}");
    }
    let unchanged = ok(&mcp, "get_agent_definition", json!({"agent_id": agent})).await;
    assert_eq!(unchanged["version"], 1);

    // Arguments the tools refuse before asking the engine.
    for (tool, args, says) in [
        ("test_agent_definition", json!({}), "Nothing to test"),
        (
            "test_agent_definition",
            json!({"definition": {"record_selector": "li"}}),
            "must be whole",
        ),
        (
            "test_agent_definition",
            json!({"agent_id": agent, "url": "ftp://x.test/"}),
            "not an absolute http(s) URL",
        ),
        (
            "test_agent_definition",
            json!({"agent_id": agent, "definition": "price is .price"}),
            "argument definition",
        ),
        (
            "update_agent_definition",
            json!({"agent_id": agent, "definition": fix}),
            "comment",
        ),
        (
            "update_agent_definition",
            json!({"agent_id": agent, "definition": fix, "comment": "  "}),
            "comment is empty",
        ),
        (
            "update_agent_definition",
            json!({"agent_id": agent, "definition": {"fields": [{"name": "x", "selector": "a".repeat(70_000)}]}, "comment": "big"}),
            "bytes of JSON",
        ),
        (
            "get_agent_definition",
            json!({"agent": agent}),
            "unknown argument \"agent\"",
        ),
        (
            "get_agent_definition",
            json!({"agent_id": 0}),
            "positive integer",
        ),
    ] {
        let text = tool_error(&mcp, tool, args).await;
        assert!(text.starts_with("invalid_argument:"), "{tool}: {text}");
        assert!(text.contains(says), "{tool}: expected {says:?} in {text}");
    }

    // A page that cannot be loaded is said, with the reason.
    let missing = site.base.join("missing").unwrap();
    let text = tool_error(
        &mcp,
        "test_agent_definition",
        json!({"agent_id": agent, "url": missing.as_str()}),
    )
    .await;
    assert!(text.contains("could not load"), "{text}");
    assert!(text.contains("404"), "{text}");

    // A whole definition without an agent is tested as it is.
    let whole = ok(
        &mcp,
        "test_agent_definition",
        json!({"definition": definition(&start, 1, None)}),
    )
    .await;
    assert_eq!(whole["records_kept"], PER_PAGE);
    assert!(whole.get("agent_id").is_none());
    engine.shutdown().await;
}

#[test]
fn the_cloud_never_offers_the_editor() {
    let client = Client::new(ClientOptions::new(
        "http://127.0.0.1:9".parse().unwrap(),
        Credential::ApiKey("k".into()),
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::new(
        Arc::new(Sequentum::cloud(client)),
        settings(dir.path()),
        &Selection::all(),
    )
    .unwrap();
    let names: Vec<String> = server.tools().iter().map(|t| t.name.to_string()).collect();
    assert!(names.contains(&"run_agent".to_string()), "{names:?}");
    for editor in [
        "get_agent_definition",
        "test_agent_definition",
        "update_agent_definition",
    ] {
        assert!(!names.contains(&editor.to_string()), "{names:?}");
        assert!(!server.instructions().contains(editor));
    }
    // The engine offers it when asked, and the instructions name its tools.
    let local = Server::new(
        Arc::new(Sequentum::local(
            Client::new(ClientOptions::new(
                "http://127.0.0.1:9".parse().unwrap(),
                Credential::ApiKey("k".into()),
            ))
            .unwrap(),
            "http://127.0.0.1:9/demo/shop/products",
        )),
        settings(dir.path()),
        &Selection {
            toolsets: vec!["editor".into()],
            ..Selection::default()
        },
    )
    .unwrap();
    assert_eq!(local.tools().len(), 11);
    assert!(
        local
            .instructions()
            .contains("test_agent_definition dry-runs")
    );
}
