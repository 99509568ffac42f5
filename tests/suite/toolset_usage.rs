//! The usage toolset (get_usage) through MCP against the fake cloud: balance, spending and the
//! costliest agents; one agent's cost by usage type and per run; dates checked before any call;
//! and the engine, which has no billing, never offers it.

use crate::{
    engine_fixture::{mcp_on, options},
    support::{
        Route,
        mcp_client::{Harness, failure, success},
    },
};
use chrono::{Datelike, Utc};
use sequentum_mcp::{local::Engine, mcp::toolsets::Selection};
use serde_json::json;

fn query_of(h: &Harness, path: &str) -> String {
    h.fake.calls(&Route::get(path))[0]
        .query
        .clone()
        .unwrap_or_default()
}

#[tokio::test]
async fn usage_cloud_account_and_agent_costs() {
    let h = Harness::start().await;
    let cheap = h.fake.add_agent("Cheap");
    let dear = h.fake.add_agent("Dear");
    let middle = h.fake.add_agent("Middle");
    h.fake.set_balance(1234.5, 321.25);
    h.fake.set_agent_cost(cheap, &[("RunUsage", 1.0)], &[]);
    h.fake.set_agent_cost(
        dear,
        &[("RunUsage", 40.0), ("ProxyUsage", 60.0)],
        &[(71, 30.0), (72, 70.0)],
    );
    h.fake.set_agent_cost(middle, &[("RunUsage", 10.0)], &[]);

    let usage = success(h.call("get_usage", json!({"limit": 2})).await);
    assert_eq!(usage["credits_available"], 1234.5);
    assert_eq!(usage["spent"], 321.25);
    let top: Vec<(i64, f64)> = usage["costs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_i64().unwrap(), c["cost"].as_f64().unwrap()))
        .collect();
    assert_eq!(top, [(dear, 100.0), (middle, 10.0)]);
    assert_eq!(usage["costs"][0]["name"], "Dear");
    assert!(usage["next_step"].as_str().unwrap().contains("raise limit"));
    // The default period is this month so far, sent as whole UTC days.
    let today = Utc::now().date_naive();
    assert_eq!(usage["end_date"], today.to_string());
    assert_eq!(usage["start_date"], today.with_day(1).unwrap().to_string());
    let query = query_of(&h, "/api/v1/billing/agents");
    assert!(
        query.contains(&format!(
            "startDate={}T00%3A00%3A00Z",
            today.with_day(1).unwrap()
        )) && query.contains("sortColumn=cost")
            && query.contains("sortOrder=1"),
        "{query}"
    );

    let one = success(
        h.call(
            "get_usage",
            json!({"agent_id": dear, "start_date": "2026-01-01", "end_date": "2026-01-31"}),
        )
        .await,
    );
    assert_eq!(one["spent"], 100.0);
    let types: Vec<(&str, f64)> = one["costs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["cost"].as_f64().unwrap()))
        .collect();
    assert_eq!(types, [("ProxyUsage", 60.0), ("RunUsage", 40.0)]);
    assert_eq!(one["runs"][1]["id"], 72);
    assert_eq!(one["runs"][1]["cost"], 70.0);
    assert_eq!(one["runs"][1]["name"], "Server Time");
    for path in [
        format!("/api/v1/billing/agents/{dear}"),
        format!("/api/v1/billing/agents/{dear}/runs"),
    ] {
        let query = query_of(&h, &path);
        assert!(
            query.contains("startDate=2026-01-01T00%3A00%3A00Z")
                && query.contains("endDate=2026-01-31T23%3A59%3A59Z"),
            "{path}: {query}"
        );
    }
}

#[tokio::test]
async fn usage_bad_dates_are_refused_before_any_call() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    for (args, expected) in [
        (
            json!({"start_date": "01/02/2026"}),
            "start_date \"01/02/2026\" is not a date",
        ),
        (
            json!({"start_date": "2026-02-10", "end_date": "2026-02-01"}),
            "is after end_date",
        ),
        (
            json!({"start_date": "2099-01-01", "end_date": "2099-01-02"}),
            "in the future",
        ),
        (
            json!({"start_date": "2020-01-01", "end_date": "2022-01-01"}),
            "at most 366",
        ),
        (
            json!({"limit": 0}),
            "limit is 0, outside its range of 1 to 50",
        ),
        (
            json!({"agent_id": agent, "end_date": "2026-13-01"}),
            "end_date \"2026-13-01\" is not a date",
        ),
    ] {
        let err = failure(h.call("get_usage", args.clone()).await);
        assert!(
            err.starts_with("invalid_argument") && err.contains(expected),
            "{args}: {err}"
        );
    }
    assert_eq!(h.fake.count(&Route::get("/api/v1/billing/*")), 0);
    let err = failure(h.call("get_usage", json!({"agent_id": 999})).await);
    assert!(err.starts_with("not_found"), "{err}");
}

#[tokio::test]
async fn usage_is_not_offered_on_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 1)).await.unwrap();
    let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
    let tools = mcp.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert!(!names.contains(&"get_usage"), "{names:?}");
    assert!(names.contains(&"run_space") && names.contains(&"restore_version"));
    let refused = mcp
        .call_tool(
            rmcp::model::CallToolRequestParams::new("get_usage").with_arguments(Default::default()),
        )
        .await;
    assert!(refused.is_err(), "{refused:?}");
}
