//! The runs toolset's diagnostics, files, deletion and summaries, through MCP: against the fake
//! cloud (wire shapes, removeMethod, refusals) and against the embedded engine (diagnoses from
//! what the runner saw, real deletion, summaries over its runs); bad input as tool errors.

use crate::{
    engine_fixture::{
        Mcp, call_tool, client_for, create_and_start, definition, finished, mcp_on, options, site,
        slow_run_past_page_one,
    },
    support::{
        FakeFile, RunScript, Step,
        mcp_client::Harness,
        records::{LOG_TEXT, rows},
        run_admin::{FAKE_ACTION, FAKE_CAUSE},
    },
};
use sequentum_mcp::{local::Engine, mcp::toolsets::Selection};
use serde_json::{Value, json};

fn finished_run() -> RunScript {
    RunScript::steps(vec![Step::new(9).data(3).exported(3).pages(1)]).with_files(vec![
        FakeFile::csv("output.csv", &rows(3)),
        FakeFile::raw("log.txt", LOG_TEXT, b"started\n".to_vec()),
    ])
}

#[tokio::test]
async fn cloud_diagnoses_the_latest_failure_and_refuses_unknown_ids() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    h.fake.add_run(agent, finished_run());
    let failed = h.fake.add_run(
        agent,
        RunScript::steps(vec![Step::new(6).message("Blocked by the site")]),
    );
    let d = h
        .call("get_run_diagnostics", json!({"agent_id": agent}))
        .await
        .unwrap();
    assert_eq!(d["run_id"], failed);
    assert_eq!(d["message"], "Blocked by the site");
    assert_eq!(d["causes"], json!([FAKE_CAUSE]));
    assert_eq!(d["actions"], json!([FAKE_ACTION]));
    let err = h
        .call(
            "get_run_diagnostics",
            json!({"agent_id": agent, "run_id": 999}),
        )
        .await
        .unwrap_err();
    assert!(err.starts_with("not_found:"), "{err}");
    let other = h.fake.add_agent("Never failed");
    let err = h
        .call("get_run_diagnostics", json!({"agent_id": other}))
        .await
        .unwrap_err();
    assert!(
        err.contains("A run with problems (failed or with lost pages) of agent")
            && err.contains("was not found"),
        "{err}"
    );
}

#[tokio::test]
async fn cloud_files_are_listed_with_links_and_deleted_but_never_while_active() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let run = h.fake.add_run(agent, finished_run());
    let ids = json!({"agent_id": agent, "run_id": run});
    let listed = h.call("list_run_files", ids.clone()).await.unwrap();
    let files = listed["files"].as_array().unwrap();
    let kinds: Vec<&str> = files.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["records", "log"]);
    assert_eq!(files[1]["bytes"], 8);
    assert!(
        files[0]["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1")
    );
    // A remote caller is never handed a loopback link.
    let remote = Harness::start_remote().await;
    let agent_r = remote.fake.add_agent("Shop");
    let run_r = remote.fake.add_run(agent_r, finished_run());
    let listed = remote
        .call(
            "list_run_files",
            json!({"agent_id": agent_r, "run_id": run_r}),
        )
        .await
        .unwrap();
    assert!(listed["files"][0].get("url").is_none(), "{listed}");

    let mut files_only = ids.clone();
    files_only["remove"] = json!("files");
    h.call("delete_run", files_only).await.unwrap();
    let listed = h.call("list_run_files", ids.clone()).await.unwrap();
    assert_eq!(listed["files"], json!([]));
    h.call("get_run_status", ids.clone()).await.unwrap();
    let calls = h.fake.calls(&crate::support::Route::new(
        reqwest::Method::DELETE,
        &format!("/api/v1/agent/{agent}/run/{run}"),
    ));
    assert_eq!(
        calls[0].query.as_deref(),
        Some("removeMethod=RemoveAllFiles")
    );
    h.call("delete_run", ids.clone()).await.unwrap();
    let err = h.call("get_run_status", ids).await.unwrap_err();
    assert!(err.starts_with("not_found:"), "{err}");

    let active = h
        .fake
        .add_run(agent, RunScript::steps(vec![Step::new(1)]).manual());
    let err = h
        .call("delete_run", json!({"agent_id": agent, "run_id": active}))
        .await
        .unwrap_err();
    assert!(
        err.starts_with("conflict:") && err.contains("stop_run"),
        "{err}"
    );
    let err = h
        .call(
            "delete_run",
            json!({"agent_id": agent, "run_id": active, "remove": "all"}),
        )
        .await
        .unwrap_err();
    assert!(err.starts_with("invalid_argument:"), "{err}");
}

#[tokio::test]
async fn cloud_summaries_count_by_outcome_and_list_failures_on_request() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    h.fake.add_run(agent, finished_run());
    let failed = h
        .fake
        .add_run(agent, RunScript::steps(vec![Step::new(6).message("boom")]));
    let s = h
        .call(
            "runs_summary",
            json!({"from": "2026-01-01", "to": "2026-01-31"}),
        )
        .await
        .unwrap();
    assert_eq!(s["counts"]["runs"], 2);
    assert_eq!(s["counts"]["completed"], 1);
    assert_eq!(s["counts"]["failed"], 1);
    assert_eq!(s["counts"]["records_extracted"], 3);
    assert!(s.get("failed_runs").is_none());
    let s = h
        .call(
            "runs_summary",
            json!({"failed_runs": true, "agent_id": agent, "from": "2026-01-01", "to": "2026-01-31"}),
        )
        .await
        .unwrap();
    // One agent's figures are its own: counted from its run list, in the range.
    assert_eq!(s["counts"]["runs"], 2, "{s}");
    assert_eq!(s["counts"]["failed"], 1, "{s}");
    let line = s["failed_runs"][0].as_str().unwrap();
    assert!(
        line.contains(&format!("run_id={failed}")) && line.ends_with(": boom"),
        "{line}"
    );
    let calls = h.fake.calls(&crate::support::Route::get(
        "/api/v1/analytics/records/summary",
    ));
    let query = calls.last().unwrap().query.clone().unwrap_or_default();
    assert!(query.contains(&format!("agentId={agent}")), "{query}");
    for bad in [
        json!({"from": "last week"}),
        json!({"from": "2026-02-01", "to": "2026-01-01"}),
    ] {
        let err = h.call("runs_summary", bad).await.unwrap_err();
        assert!(err.starts_with("invalid_argument:"), "{err}");
    }
}

async fn ok(mcp: &Mcp, tool: &str, args: Value) -> Value {
    let result = call_tool(mcp, tool, args).await;
    assert_ne!(result.is_error, Some(true), "{tool} failed: {result:?}");
    result.structured_content.expect("structured output")
}

async fn tool_error(mcp: &Mcp, tool: &str, args: Value) -> String {
    let result = call_tool(mcp, tool, args).await;
    assert_eq!(
        result.is_error,
        Some(true),
        "{tool} should fail: {result:?}"
    );
    result.content[0].as_text().unwrap().text.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_diagnoses_from_what_the_runner_saw_and_deletes_and_summarises() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 2)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let site = site().await;
    let mcp = mcp_on(&engine, dir.path(), &Selection::default()).await;

    // The flaky page answers 503: every start URL fails, the run fails.
    let flaky = site.base.join("flaky").unwrap();
    let (broken, run) =
        create_and_start(&engine, &client, "Broken", definition(&flaky, 1, None)).await;
    finished(&client, broken, run.id).await;
    let d = ok(&mcp, "get_run_diagnostics", json!({"agent_id": broken})).await;
    assert_eq!(d["run_id"], run.id);
    let page = d["page_log"][0].as_str().unwrap();
    assert!(
        page.contains("HTTP 503") && page.contains("unreadable"),
        "{page}"
    );
    assert!(
        d["causes"][0]
            .as_str()
            .unwrap()
            .contains("could not be read"),
        "{d}"
    );
    assert!(!d["actions"].as_array().unwrap().is_empty());

    // A good run: its pages are timed, its files listed; then its files and itself deleted.
    let products = site.base.join("products").unwrap();
    let (shop, good) =
        create_and_start(&engine, &client, "Shop", definition(&products, 3, None)).await;
    finished(&client, shop, good.id).await;
    let ids = json!({"agent_id": shop, "run_id": good.id});
    let d = ok(&mcp, "get_run_diagnostics", ids.clone()).await;
    assert_eq!(d["page_log"].as_array().unwrap().len(), 3, "{d}");
    assert!(
        d["page_log"][0]
            .as_str()
            .unwrap()
            .contains(" ms, 2 records"),
        "{d}"
    );
    let err = tool_error(&mcp, "get_run_diagnostics", json!({"agent_id": shop})).await;
    assert!(err.starts_with("not_found: A run with problems"), "{err}");

    let files = ok(&mcp, "list_run_files", ids.clone()).await;
    let kinds: Vec<&str> = files["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"records") && kinds.contains(&"log") && !kinds.contains(&"page"),
        "pages are kept only when the agent asks: {files}"
    );
    assert!(files["files"][0]["bytes"].as_i64().unwrap() > 0);
    assert!(
        files["files"][0]["url"]
            .as_str()
            .unwrap()
            .contains("/storage/")
    );

    let s = ok(&mcp, "runs_summary", json!({"failed_runs": true})).await;
    assert_eq!(
        (s["counts"]["runs"].as_i64(), s["counts"]["failed"].as_i64()),
        (Some(2), Some(1)),
        "{s}"
    );
    assert_eq!(s["counts"]["records_extracted"], 6);
    assert!(
        s["failed_runs"][0].as_str().unwrap().contains("(Broken)"),
        "{s}"
    );
    let s = ok(&mcp, "runs_summary", json!({"agent_id": broken})).await;
    assert_eq!(s["counts"]["records_extracted"], 0);

    let mut files_only = ids.clone();
    files_only["remove"] = json!("files_and_input");
    ok(&mcp, "delete_run", files_only).await;
    assert_eq!(
        ok(&mcp, "list_run_files", ids.clone()).await["files"],
        json!([])
    );
    ok(&mcp, "get_run_status", ids.clone()).await;
    ok(&mcp, "delete_run", ids.clone()).await;
    let err = tool_error(&mcp, "get_run_status", ids.clone()).await;
    assert!(err.starts_with("not_found:"), "{err}");
    let err = tool_error(&mcp, "delete_run", ids).await;
    assert!(err.starts_with("not_found:"), "{err}");

    // A run in progress is refused, with advice.
    let (slow, active) = slow_run_past_page_one(&engine, &client, &site, "Slow", 3).await;
    let err = tool_error(
        &mcp,
        "delete_run",
        json!({"agent_id": slow, "run_id": active.id}),
    )
    .await;
    assert!(
        err.starts_with("conflict:") && err.contains("stop_run"),
        "{err}"
    );
    site.gate.add_permits(10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_keeps_the_html_of_each_page_for_agents_that_ask() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 2)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let site = site().await;
    let mcp = mcp_on(&engine, dir.path(), &Selection::default()).await;

    let products = site.base.join("products").unwrap();
    let mut def = definition(&products, 2, None);
    def["save_pages"] = json!(true);
    let (agent, run) = create_and_start(&engine, &client, "Pages", def).await;
    finished(&client, agent, run.id).await;
    let files = ok(
        &mcp,
        "list_run_files",
        json!({"agent_id": agent, "run_id": run.id}),
    )
    .await;
    let pages: Vec<&Value> = files["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "page")
        .collect();
    assert_eq!(pages.len(), 2, "one snapshot per page read: {files}");
    assert_eq!(pages[0]["name"], "page-0001.html");
    let url = pages[0]["url"].as_str().expect("a snapshot has a link");
    let html = reqwest::get(url).await.unwrap().text().await.unwrap();
    assert!(
        html.contains("article") && html.contains("product"),
        "the snapshot is the page the run read: {html}"
    );
    assert_eq!(pages[0]["bytes"].as_u64(), Some(html.len() as u64));
}
