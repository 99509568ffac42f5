//! What the model reads when a tool cannot do what it asked: unknown ids, bad arguments,
//! names that match nothing, rate limits and upstream failures. Every failure is a tool
//! result (`isError`, one text block), never a JSON-RPC error, and never carries the API key.

use crate::support::{
    Fault, Route, RunScript, Step,
    mcp_client::{Harness, failure, success},
};
use serde_json::{Value, json};

fn assert_code(text: &str, code: &str) {
    assert!(
        text.starts_with(&format!("{code}: ")),
        "expected {code}, got: {text}"
    );
}

#[tokio::test]
async fn unknown_ids_are_not_found_and_named() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let cases = [
        ("get_run_status", json!({"agent_id": agent, "run_id": 9999})),
        ("stop_run", json!({"agent_id": agent, "run_id": 9999})),
        ("fetch_records", json!({"agent_id": agent, "run_id": 9999})),
        ("list_runs", json!({"agent_id": 8888})),
        ("run_agent", json!({"agent_id": 8888})),
        ("fetch_records", json!({"agent_id": 8888})),
        ("build_agent", json!({"session_id": "sess-7777"})),
        ("stop_run", json!({"session_id": "sess-7777"})),
    ];
    for (tool, args) in cases {
        let err = failure(h.call(tool, args.clone()).await);
        assert_code(&err, "not_found");
        let id = ["9999", "8888", "7777"]
            .into_iter()
            .find(|id| args.to_string().contains(id))
            .unwrap();
        assert!(err.contains(id), "{tool} {args}: the id is named: {err}");
    }
}

#[tokio::test]
async fn ids_and_limits_out_of_range_are_invalid_arguments() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let run = h
        .fake
        .add_run(agent, RunScript::steps(vec![Step::new(9).data(1)]));
    let cases = [
        ("run_agent", json!({"agent_id": -1}), "agent_id"),
        ("run_agent", json!({"agent_id": 0}), "agent_id"),
        (
            "run_agent",
            json!({"agent_id": agent, "parallelism": 0}),
            "parallelism",
        ),
        (
            "get_run_status",
            json!({"agent_id": agent, "run_id": 0}),
            "run_id",
        ),
        (
            "get_run_status",
            json!({"agent_id": -3, "run_id": run}),
            "agent_id",
        ),
        (
            "stop_run",
            json!({"agent_id": agent, "run_id": -1}),
            "run_id",
        ),
        (
            "fetch_records",
            json!({"agent_id": agent, "run_id": run, "limit": 0}),
            "limit",
        ),
        (
            "fetch_records",
            json!({"agent_id": agent, "run_id": run, "limit": -5}),
            "limit",
        ),
        (
            "fetch_records",
            json!({"agent_id": agent, "run_id": -2}),
            "run_id",
        ),
        ("list_runs", json!({"agent_id": agent, "limit": 0}), "limit"),
        ("list_runs", json!({"agent_id": 0}), "agent_id"),
        ("list_agents", json!({"page": 0}), "page"),
        ("list_agents", json!({"per_page": 101}), "per_page"),
        ("build_agent", json!({"prompt": "short"}), "prompt"),
        ("stop_run", json!({"agent_id": agent}), "run_id"),
    ];
    for (tool, args, field) in cases {
        let err = failure(h.call(tool, args.clone()).await);
        assert_code(&err, "invalid_argument");
        assert!(err.contains(field), "{tool} {args}: names {field}: {err}");
    }
    // Nothing reached the platform for a call it had to refuse.
    let started = Route::post(&format!("/api/v1/agent/{agent}/start"));
    assert_eq!(h.fake.count(&started), 0);
}

#[tokio::test]
async fn agent_names_match_exactly_ignoring_case_else_close_names_are_listed() {
    let h = Harness::start().await;
    let products = h.fake.add_agent("Shop Products");
    let reviews = h.fake.add_agent("Shop Reviews");
    h.fake.add_agent("Weather");

    let run = success(
        h.call(
            "run_agent",
            json!({"agent_name": "shop PRODUCTS", "wait_seconds": 0}),
        )
        .await,
    );
    assert_eq!(run["agent_id"], products);
    let started = |agent: i64| Route::post(&format!("/api/v1/agent/{agent}/start"));
    assert_eq!(h.fake.count(&started(products)), 1);
    assert_eq!(h.fake.count(&started(reviews)), 0);

    let err = failure(
        h.call("run_agent", json!({"agent_name": "Shop Prodcts"}))
            .await,
    );
    assert_code(&err, "not_found");
    let hint = err.split("Closest names: ").nth(1).expect("close names");
    assert!(
        hint.starts_with(&format!("\"Shop Products\" (id {products})")),
        "the closest name first: {err}"
    );
    assert!(!err.contains("Weather (id"), "{err}");
    assert_eq!(h.fake.count(&Route::post("/api/v1/agent/*")), 1);
}

#[tokio::test]
async fn a_long_rate_limit_is_reported_with_its_wait() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let run = h
        .fake
        .add_run(agent, RunScript::steps(vec![Step::new(1)]).manual());
    let status = Route::get(&format!("/api/v1/agent/{agent}/run/{run}/status"));
    h.fake.inject(
        status.clone(),
        Fault::RateLimited {
            retry_after_secs: 120,
        },
        u32::MAX,
    );
    let err = failure(
        h.call(
            "get_run_status",
            json!({"agent_id": agent, "run_id": run, "wait_seconds": 5}),
        )
        .await,
    );
    assert_code(&err, "rate_limited");
    assert!(err.contains("retry_after_seconds: 120"), "{err}");
    assert_eq!(h.fake.count(&status), 1, "a 2-minute wait is not sat out");
}

/// Upstream failures of every kind, one after another; the harness checks each result for the
/// key, and an upstream that echoes the key in its error body is the hardest case.
#[tokio::test]
async fn the_api_key_never_reaches_the_model() {
    let h = Harness::start().await;
    let key = h.fake.api_key().to_string();
    let agent = h.fake.add_agent("Shop");
    let list = Route::get("/api/v1/agent/all");
    let faults = [
        (Fault::Unauthorized, "unauthorized"),
        (
            Fault::Json(403, json!({"message": "Forbidden"})),
            "forbidden",
        ),
        (Fault::Html(502), "upstream_unavailable"),
        (Fault::MalformedJson, "upstream_unavailable"),
        (
            Fault::Json(401, json!({"message": format!("Invalid API key {key}")})),
            "unauthorized",
        ),
        (
            Fault::Json(
                500,
                json!({"title": "Error", "detail": format!("ApiKey {key} failed")}),
            ),
            "upstream_unavailable",
        ),
    ];
    for (fault, code) in faults {
        h.fake.inject(list.clone(), fault, u32::MAX);
        let err = failure(h.call("list_agents", json!({})).await);
        assert_code(&err, code);
        h.fake.clear_faults();
    }
    let err = failure(
        h.call("get_run_status", json!({"agent_id": agent, "run_id": 4242}))
            .await,
    );
    assert!(!err.contains(&key));
    let every_call: Vec<Value> = h
        .fake
        .calls(&Route::any())
        .iter()
        .map(|c| json!(c.authorization))
        .collect();
    assert!(
        every_call
            .iter()
            .all(|a| a.as_str().is_some_and(|a| a.contains(&key))),
        "the key was in use throughout, so its absence from results means something"
    );
}

#[tokio::test]
async fn wrong_types_and_unknown_arguments_are_tool_errors_naming_the_argument() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let err = failure(
        h.call("list_runs", json!({"agent_id": agent, "limit": "five"}))
            .await,
    );
    assert_eq!(
        err,
        "invalid_argument: argument limit: expected a whole number, got the string \"five\". Send limit as the tool's input schema describes."
    );
    // A typo must not silently read something else; the valid names are listed once.
    let err = failure(
        h.call("fetch_records", json!({"agent_id": agent, "run": 1}))
            .await,
    );
    assert!(
        err.starts_with(
            "invalid_argument: unknown argument \"run\". Valid arguments: agent_id, run_id,"
        ),
        "{err}"
    );
    assert_eq!(err.matches("run_id").count(), 1, "{err}");
    assert!(
        !err.contains('`') && !err.contains("expected one of"),
        "{err}"
    );
    let err = failure(
        h.call("get_run_status", json!({"agent_id": "shop", "run_id": 1}))
            .await,
    );
    assert!(err.contains("agent_id must be a positive integer"), "{err}");
    // force and wait_seconds mean nothing for a build.
    let err = failure(
        h.call("stop_run", json!({"session_id": "s-1", "force": true}))
            .await,
    );
    assert!(
        err.starts_with("invalid_argument: force and wait_seconds"),
        "{err}"
    );
}

/// One rule for numbers: a string holding a number counts as the number for every numeric
/// argument (ids and limits alike), and a number outside its range is refused with the range,
/// waits included (never clamped).
#[tokio::test]
async fn numbers_as_strings_are_accepted_and_out_of_range_is_refused_with_the_range() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let run = h
        .fake
        .add_run(agent, RunScript::steps(vec![Step::new(9).data(1)]));
    let runs = success(
        h.call(
            "list_runs",
            json!({"agent_id": agent.to_string(), "limit": "10"}),
        )
        .await,
    );
    assert_eq!(runs["runs"][0]["run_id"], run, "{runs}");
    let status = success(
        h.call(
            "get_run_status",
            json!({"agent_id": agent, "run_id": run.to_string(), "wait_seconds": "0"}),
        )
        .await,
    );
    assert_eq!(status["run_id"], run);
    for (tool, args, range) in [
        (
            "get_run_status",
            json!({"agent_id": agent, "run_id": run, "wait_seconds": -5}),
            "wait_seconds from 0 to 45",
        ),
        (
            "get_run_status",
            json!({"agent_id": agent, "run_id": run, "wait_seconds": 100}),
            "wait_seconds from 0 to 45",
        ),
        (
            "run_agent",
            json!({"agent_id": agent, "wait_seconds": "46"}),
            "wait_seconds from 0 to 45",
        ),
        (
            "stop_run",
            json!({"agent_id": agent, "run_id": run, "wait_seconds": 60}),
            "wait_seconds from 0 to 45",
        ),
        (
            "list_runs",
            json!({"agent_id": agent, "limit": "500"}),
            "limit from 1 to 100",
        ),
        (
            "fetch_records",
            json!({"agent_id": agent, "run_id": run, "limit": 0}),
            "limit from 1 to 500",
        ),
    ] {
        let err = failure(h.call(tool, args.clone()).await);
        assert_code(&err, "invalid_argument");
        assert!(err.contains(range), "{tool} {args}: {err}");
        assert!(
            !err.contains(".."),
            "{tool} {args}: no Rust range syntax: {err}"
        );
    }
    let started = Route::post(&format!("/api/v1/agent/{agent}/start"));
    assert_eq!(h.fake.count(&started), 0, "a refused call starts nothing");
}

/// A not-found error states one fact and gives one piece of advice: the platform's own
/// wording (with its own advice) is not stacked inside ours.
#[tokio::test]
async fn not_found_says_one_fact_and_one_advice() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let err = failure(
        h.call("get_run_status", json!({"agent_id": agent, "run_id": 9999}))
            .await,
    );
    assert_eq!(
        err,
        format!(
            "not_found: Run 9999 of agent {agent} was not found. Check the ids; list_runs shows the agent's runs."
        )
    );
}

/// Mistakes in an agent definition on the embedded engine: a selector the CSS parser refuses
/// is named and explained in words (not the parser's debug dump), and an unknown field is
/// named with the accepted ones listed once.
#[tokio::test]
async fn definition_mistakes_are_told_in_words() {
    use crate::engine_fixture::{
        call_tool, client_for, create_agent, definition, mcp_on, options, site,
    };
    use sequentum_mcp::{local::Engine, mcp::toolsets::Selection};

    let site = site().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 1)).await.unwrap();
    let _client = client_for(&engine, engine.api_key());
    let start = site.base.join("products").unwrap();
    let agent = create_agent(&engine, "Fixture products", definition(&start, 1, None)).await;
    let selection = Selection {
        toolsets: vec!["core,editor".into()],
        ..Selection::default()
    };
    let mcp = mcp_on(&engine, dir.path(), &selection).await;
    let text = |result: rmcp::model::CallToolResult| {
        assert_eq!(result.is_error, Some(true), "{result:?}");
        result
            .content
            .iter()
            .filter_map(|c| c.as_text().map(|t| t.text.clone()))
            .collect::<String>()
    };
    for tool in ["test_agent_definition", "update_agent_definition"] {
        let args = |definition: Value| match tool {
            "update_agent_definition" => {
                json!({"agent_id": agent, "definition": definition, "comment": "try"})
            }
            _ => json!({"agent_id": agent, "definition": definition}),
        };
        let bad_selector = json!({"fields": [{"name": "price", "selector": "span[data-price=1]"}]});
        let err = text(call_tool(&mcp, tool, args(bad_selector)).await);
        assert!(
            err.contains("\"span[data-price=1]\" is not a valid CSS selector: the attribute value \"1\" must be one word or a quoted string"),
            "{tool}: {err}"
        );
        for dump in ["Unexpected error", "report this", "BadValueInAttr", "Token"] {
            assert!(!err.contains(dump), "{tool}: {err}");
        }
        let unknown = json!({"fields": [{"name": "price", "selector": ".price", "colour": "red"}]});
        let err = text(call_tool(&mcp, tool, args(unknown)).await);
        assert!(
            err.contains("unknown field \"colour\"; the accepted fields are name, selector"),
            "{tool}: {err}"
        );
        assert_eq!(err.matches("selector").count(), 1, "listed once: {err}");
        assert!(
            !err.contains('`') && !err.contains(" at line "),
            "{tool}: {err}"
        );
    }
}

#[tokio::test]
async fn oversized_text_arguments_are_refused_at_once_with_a_short_excerpt() {
    let h = Harness::start().await;
    let before = h.fake.count(&Route::get("/api/v1/agent/all"));
    let long = "q".repeat(66_000);
    let err = failure(h.call("list_agents", json!({"query": long})).await);
    assert!(
        err.starts_with("invalid_argument: query has 66000 characters"),
        "{err}"
    );
    assert!(
        err.len() < 400,
        "the input is not echoed: {} bytes",
        err.len()
    );
    let err = failure(
        h.call("run_agent", json!({"agent_name": "n".repeat(70_000)}))
            .await,
    );
    assert!(
        err.starts_with("invalid_argument: agent_name has 70000"),
        "{err}"
    );
    assert_eq!(
        h.fake.count(&Route::get("/api/v1/agent/all")),
        before,
        "no call made"
    );
}

#[tokio::test]
async fn a_read_only_server_never_points_at_a_tool_it_does_not_offer() {
    use sequentum_mcp::mcp::toolsets::Selection;
    let h = Harness::start_with(&Selection {
        read_only: true,
        ..Selection::all()
    })
    .await;
    let agent = h.fake.add_agent("Shop");
    let run = h.fake.add_run(agent, RunScript::fails("Proxy error"));
    for _ in 0..3 {
        h.fake.advance(run);
    }
    let status = success(
        h.call("get_run_status", json!({"agent_id": agent, "run_id": run}))
            .await,
    );
    let step = status["next_step"].as_str().unwrap();
    assert!(
        !step.contains("restart_run") && !step.contains("run_agent"),
        "{step}"
    );
    let err = h
        .call_refused("run_agent", json!({"agent_id": agent}))
        .await;
    assert!(err.contains("not offered"), "{err}");
}
