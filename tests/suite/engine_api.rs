//! The embedded engine through its REST API: run lifecycle and counters, files and signed
//! downloads, success criteria, stop and kill, restart, queuing, synchronous starts, auth,
//! error shapes, agent listing and the Agent Builder.

use std::time::Duration;

use crate::engine_fixture::{
    PAGES, PER_PAGE, call_tool, client_for, create_agent, create_and_start, definition, finished,
    get_json, is, mcp_on, options, raw, site, slow_build, slow_run_past_page_one,
};
use sequentum_mcp::{
    api::{
        ApiError,
        agents::AgentQuery,
        types::{BuilderStartRequest, RunStatus, StartRunRequest, file_type},
    },
    local::Engine,
    mcp::toolsets::Selection,
};
use serde_json::{Value, json};

const TOTAL: i64 = (PAGES * PER_PAGE) as i64;

async fn engine(workers: usize) -> (tempfile::TempDir, Engine, sequentum_mcp::api::Client) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), workers)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    (dir, engine, client)
}

fn status_of(err: &ApiError) -> u16 {
    err.status()
        .unwrap_or_else(|| panic!("expected an HTTP error, got {err}"))
}

#[tokio::test]
async fn a_run_completes_with_counters_files_and_signed_downloads() {
    let site = site().await;
    let (dir, engine, client) = engine(2).await;
    let start = site.base.join("products").unwrap();
    let agent = create_agent(&engine, "Fixture shop", definition(&start, 10, None)).await;

    let run = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap();
    assert!(matches!(
        run.status(),
        RunStatus::STARTING | RunStatus::QUEUING
    ));
    let run = finished(&client, agent, run.id).await;
    assert!(is(&run, RunStatus::COMPLETED), "{run:?}");
    assert_eq!(run.page_count, Some(PAGES as i64));
    assert_eq!(run.data_count, Some(TOTAL));
    assert_eq!(run.export_count, Some(TOTAL));
    assert!(run.request_count.unwrap() >= PAGES as i64);
    assert!(run.traffic.unwrap() > 0);
    assert!(run.end_time.is_some() && run.run_time_sec.is_some());

    let agent_dto = client.get_agent(agent).await.unwrap();
    assert_eq!(agent_dto.status, Some(RunStatus::COMPLETED));
    assert_eq!(agent_dto.start_url.as_deref(), Some(start.as_str()));

    let files = client.run_files(agent, run.id).await.unwrap();
    let names: Vec<_> = files
        .iter()
        .map(|f| (f.name.clone().unwrap(), f.file_type.unwrap()))
        .collect();
    assert!(
        names.contains(&("Fixture shop.csv".into(), file_type::DELIVERED_FILE)),
        "{names:?}"
    );
    assert!(
        names.contains(&("Fixture shop.json".into(), file_type::DELIVERED_FILE)),
        "{names:?}"
    );
    assert!(
        names.contains(&("log.txt".into(), file_type::LOG_TEXT)),
        "{names:?}"
    );

    let fetch = |name: &'static str| {
        let file = files
            .iter()
            .find(|f| f.name.as_deref() == Some(name))
            .unwrap()
            .clone();
        let client = client.clone();
        let dest = dir.path().join(format!("download-{name}"));
        async move {
            let url = client
                .file_download_url(agent, run.id, file.id)
                .await
                .unwrap();
            let size = client.download_to(&url, &dest).await.unwrap();
            assert_eq!(Some(size as i64), file.file_size, "{name} size");
            (url, std::fs::read_to_string(dest).unwrap())
        }
    };
    let (_, csv) = fetch("Fixture shop.csv").await;
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("name,price,link"));
    assert_eq!(lines.count() as i64, TOTAL);
    assert!(csv.contains("Item 3-2"));
    let (json_url, json_text) = fetch("Fixture shop.json").await;
    let records: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(
        records["Fixture shop"].as_array().unwrap().len() as i64,
        TOTAL
    );
    assert!(
        records["Fixture shop"][0]["link"]
            .as_str()
            .unwrap()
            .starts_with(site.base.as_str())
    );
    // The CSV holds the JSON file's records, row for row, in the columns' order.
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|row| row.unwrap().iter().map(str::to_string).collect())
        .collect();
    let from_json: Vec<Vec<String>> = records["Fixture shop"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            ["name", "price", "link"]
                .iter()
                .map(|c| r[*c].as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(rows, from_json);
    let (_, log) = fetch("log.txt").await;
    assert!(log.contains(&format!("Page {PAGES}")), "{log}");

    // Signed URLs live on a second loopback origin, so a client following the redirect drops
    // its Authorization header; the API origin does not serve them.
    assert!(json_url.path().starts_with("/storage/"));
    let api = engine.base_url();
    assert_eq!(json_url.host_str(), api.host_str());
    assert_ne!(json_url.port(), api.port(), "a different origin");
    let http = reqwest::Client::new();
    let mut on_api_origin = json_url.clone();
    on_api_origin.set_port(api.port()).unwrap();
    assert_eq!(http.get(on_api_origin).send().await.unwrap().status(), 404);
    // Following the redirect with the key set on the client, as Node's fetch would: the
    // cross-origin hop leaves the key behind and the file arrives.
    let following = reqwest::Client::builder()
        .default_headers(
            [(
                reqwest::header::AUTHORIZATION,
                format!("ApiKey {}", engine.api_key()).parse().unwrap(),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap();
    let download = api
        .join(&format!(
            "api/v1/agent/{agent}/run/{}/file/{}/download",
            run.id,
            files
                .iter()
                .find(|f| f.name.as_deref() == Some("Fixture shop.json"))
                .unwrap()
                .id
        ))
        .unwrap();
    let followed = following.get(download).send().await.unwrap();
    assert_eq!(followed.status(), 200, "{:?}", followed.text().await);
    // The signed URL is the credential: one carrying an Authorization header is refused,
    // and a tampered token is forbidden.
    let with_key = http
        .get(json_url.clone())
        .header("Authorization", format!("ApiKey {}", engine.api_key()))
        .send()
        .await
        .unwrap();
    assert_eq!(with_key.status(), 400);
    assert!(
        with_key
            .text()
            .await
            .unwrap()
            .contains("no Authorization header")
    );
    let mut tampered = json_url.clone();
    let token = json_url.path().trim_start_matches("/storage/");
    let flipped = if token.ends_with('A') { "B" } else { "A" };
    tampered.set_path(&format!("/storage/{}{flipped}", &token[..token.len() - 1]));
    let refused = http.get(tampered).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    engine.shutdown().await;
}

#[tokio::test]
async fn download_links_expire() {
    let site = site().await;
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(dir.path(), 1);
    opts.signed_url_ttl = Duration::ZERO;
    let engine = Engine::start(opts).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let (agent, run) = create_and_start(
        &engine,
        &client,
        "Expiring",
        definition(&site.base.join("products").unwrap(), 1, None),
    )
    .await;
    finished(&client, agent, run.id).await;
    let file = client.run_files(agent, run.id).await.unwrap().remove(0);
    let url = client
        .file_download_url(agent, run.id, file.id)
        .await
        .unwrap();
    let err = client
        .download_to(&url, &dir.path().join("x"))
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), 403);
    assert!(err.to_string().contains("expired"), "{err}");
    engine.shutdown().await;
}

#[tokio::test]
async fn success_criteria_decide_success_or_failure() {
    let site = site().await;
    let (_dir, engine, client) = engine(2).await;
    let start = site.base.join("products").unwrap();
    let (met, run) = create_and_start(
        &engine,
        &client,
        "Enough",
        definition(&start, 10, Some(TOTAL as u64)),
    )
    .await;
    let unmet = create_agent(
        &engine,
        "Too few",
        definition(&start, 10, Some(TOTAL as u64 + 1)),
    )
    .await;
    assert!(is(
        &finished(&client, met, run.id).await,
        RunStatus::SUCCESS
    ));
    let run = client
        .start_run(unmet, &StartRunRequest::default())
        .await
        .unwrap();
    let run = finished(&client, unmet, run.id).await;
    assert!(is(&run, RunStatus::FAILURE), "{run:?}");
    assert!(run.message.unwrap().contains("Success criteria not met"));
    assert_eq!(run.data_count, Some(TOTAL));
    engine.shutdown().await;
}

#[tokio::test]
async fn a_failed_run_says_why_and_restarts_in_place() {
    let site = site().await;
    let (dir, engine, client) = engine(2).await;
    let (agent, run) = create_and_start(
        &engine,
        &client,
        "Flaky",
        definition(&site.base.join("flaky").unwrap(), 1, None),
    )
    .await;
    let failed = finished(&client, agent, run.id).await;
    assert!(is(&failed, RunStatus::FAILURE), "{failed:?}");
    assert!(
        failed.message.as_deref().unwrap().contains("503"),
        "{failed:?}"
    );
    assert_eq!(failed.error_count, Some(1));

    site.healthy
        .store(true, std::sync::atomic::Ordering::SeqCst);
    // Through the MCP tool, as a model restarts it.
    let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
    let restarted = call_tool(
        &mcp,
        "restart_run",
        json!({"agent_id": agent, "run_id": run.id, "wait_seconds": 45}),
    )
    .await;
    assert_ne!(restarted.is_error, Some(true), "{restarted:?}");
    let view = restarted.structured_content.unwrap();
    assert_eq!(
        (view["run_id"].as_i64(), view["status"].as_str()),
        (Some(run.id), Some("Completed"))
    );
    let again = finished(&client, agent, run.id).await;
    assert!(is(&again, RunStatus::COMPLETED), "{again:?}");
    assert_eq!(again.id, failed.id);
    assert_eq!(again.data_count, Some(PER_PAGE as i64));
    assert_eq!(again.error_count, Some(0));
    let runs = client.list_runs(agent, 10).await.unwrap();
    assert_eq!(runs.len(), 1, "a restart reuses the run");

    // Only a Failure run restarts; the answer says so.
    let err = client.restart_run(agent, run.id).await.unwrap_err();
    assert_eq!(status_of(&err), 409);
    assert!(err.to_string().contains("only a run in Failure"), "{err}");
    let refused = call_tool(
        &mcp,
        "restart_run",
        json!({"agent_id": agent, "run_id": run.id}),
    )
    .await;
    assert_eq!(refused.is_error, Some(true));
    engine.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_site_fails_with_the_reason() {
    let (_dir, engine, client) = engine(1).await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let start = url::Url::parse(&format!("http://{closed}/products")).unwrap();
    let agent = create_agent(&engine, "Nowhere", definition(&start, 1, None)).await;
    let run = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap();
    let run = finished(&client, agent, run.id).await;
    assert!(is(&run, RunStatus::FAILURE), "{run:?}");
    let message = run.message.unwrap();
    assert!(
        message.starts_with("No start URL could be read"),
        "{message}"
    );
    assert!(message.contains(&closed.to_string()), "{message}");
    engine.shutdown().await;
}

#[tokio::test]
async fn stop_finishes_the_current_page_and_keeps_its_records() {
    let site = site().await;
    let (_dir, engine, client) = engine(1).await;
    let (agent, run) = slow_run_past_page_one(&engine, &client, &site, "Slow stop", 10).await;

    // Page 2 is now held open by the site; stop while it is in flight.
    client.stop_run(agent, run.id).await.unwrap();
    let stopping = client.run_status(agent, run.id).await.unwrap();
    assert!(is(&stopping, RunStatus::STOPPING), "{stopping:?}");
    let err = client_delete(&engine, agent, run.id).await;
    assert_eq!(err.0, 400);
    assert!(
        err.1
            .contains("Run is currently active and cannot be deleted")
    );

    site.gate.add_permits(1);
    let run = finished(&client, agent, run.id).await;
    assert!(is(&run, RunStatus::STOPPED), "{run:?}");
    assert_eq!(
        run.data_count,
        Some(2 * PER_PAGE as i64),
        "the page in flight is kept"
    );
    assert_eq!(run.export_count, Some(2 * PER_PAGE as i64));
    assert_eq!(run.page_count, Some(2));

    // A finished run can be deleted.
    assert_eq!(client_delete(&engine, agent, run.id).await.0, 204);
    assert_eq!(
        status_of(&client.run_status(agent, run.id).await.unwrap_err()),
        404
    );
    engine.shutdown().await;
}

async fn client_delete(engine: &Engine, agent: i64, run: i64) -> (u16, String) {
    let (http, auth) = raw(engine);
    let resp = http
        .delete(
            engine
                .base_url()
                .join(&format!("api/v1/agent/{agent}/run/{run}"))
                .unwrap(),
        )
        .header("Authorization", auth)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn a_second_kill_aborts_the_page_in_flight() {
    let site = site().await;
    let (_dir, engine, client) = engine(1).await;
    let (agent, run) = slow_run_past_page_one(&engine, &client, &site, "Slow kill", 10).await;

    client.kill_run(agent, run.id).await.unwrap();
    assert!(is(
        &client.run_status(agent, run.id).await.unwrap(),
        RunStatus::STOPPING
    ));
    client.kill_run(agent, run.id).await.unwrap();
    // The site never releases page 2: only an abort can end this run.
    let run = finished(&client, agent, run.id).await;
    assert!(is(&run, RunStatus::STOPPED), "{run:?}");
    assert!(
        run.message.as_deref().unwrap().starts_with("Killed"),
        "{run:?}"
    );
    assert_eq!(run.data_count, Some(PER_PAGE as i64));
    assert_eq!(run.export_count, Some(PER_PAGE as i64));
    engine.shutdown().await;
}

#[tokio::test]
async fn starts_beyond_the_worker_limit_queue() {
    let site = site().await;
    let (_dir, engine, client) = engine(1).await;
    let (agent, first) = create_and_start(
        &engine,
        &client,
        "Queued",
        definition(&site.base.join("slow").unwrap(), 1, None),
    )
    .await;
    let second = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap();
    assert!(is(&first, RunStatus::STARTING), "{first:?}");
    assert!(is(&second, RunStatus::QUEUING), "{second:?}");
    site.gate.add_permits(1);
    assert!(is(
        &finished(&client, agent, first.id).await,
        RunStatus::COMPLETED
    ));
    site.gate.add_permits(1);
    assert!(is(
        &finished(&client, agent, second.id).await,
        RunStatus::COMPLETED
    ));
    let runs = client.list_runs(agent, 10).await.unwrap();
    assert_eq!(
        runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![second.id, first.id]
    );
    assert!(runs.iter().all(|r| r.table_type.as_deref() == Some("run")));
    engine.shutdown().await;
}

#[tokio::test]
async fn a_synchronous_start_answers_the_records_by_agent_name() {
    let site = site().await;
    let (_dir, engine, client) = engine(1).await;
    let agent = create_agent(
        &engine,
        "Sync shop",
        definition(&site.base.join("products").unwrap(), 10, None),
    )
    .await;
    // Our client never starts runs synchronously; other Sequentum clients do.
    let (http, key) = raw(&engine);
    let start = |agent: i64, body: Value| {
        http.post(
            engine
                .base_url()
                .join(&format!("api/v1/agent/{agent}/start"))
                .unwrap(),
        )
        .header("Authorization", key.as_str())
        .json(&body)
        .send()
    };
    let answer = start(
        agent,
        json!({"isRunSynchronously": true, "inputParameters": r#"{"q":"x"}"#}),
    )
    .await
    .unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    let records = body["Sync shop"].as_array().unwrap();
    assert_eq!(records.len() as i64, TOTAL);
    assert_eq!(records[0]["name"], "Item 1-1");

    // A run longer than its timeout answers 504 naming the run, which goes on.
    let slow = create_agent(
        &engine,
        "Sync slow",
        definition(&site.base.join("slow").unwrap(), 1, None),
    )
    .await;
    let answer = start(slow, json!({"isRunSynchronously": true, "timeout": 1}))
        .await
        .unwrap();
    assert_eq!(answer.status(), 504);
    let text = answer.text().await.unwrap();
    let runs = client.list_runs(slow, 1).await.unwrap();
    assert!(text.contains(&format!("runId {}", runs[0].id)), "{text}");
    assert!(runs[0].status().is_active());
    site.gate.add_permits(1);
    assert!(is(
        &finished(&client, slow, runs[0].id).await,
        RunStatus::COMPLETED
    ));
    engine.shutdown().await;
}

#[tokio::test]
async fn every_api_call_needs_the_key() {
    let (_dir, engine, _client) = engine(1).await;
    let http = reqwest::Client::new();
    let url = engine.base_url().join("api/v1/agent/all").unwrap();
    let resp = http.get(url.clone()).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["statusCode"], 401);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Invalid API key")
    );

    let wrong = client_for(&engine, "sk-local-wrong");
    let err = wrong.get_agent(1).await.unwrap_err();
    assert_eq!(status_of(&err), 401);
    assert!(err.to_string().contains("Invalid API key"));

    let bearer = http
        .get(url)
        .header("Authorization", format!("Bearer {}", engine.api_key()))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 200);

    let robots = http
        .get(engine.base_url().join("robots.txt").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(robots.status(), 200);
    assert!(robots.text().await.unwrap().contains("Disallow: /api/"));
    engine.shutdown().await;
}

#[tokio::test]
async fn errors_decode_into_useful_messages() {
    let site = site().await;
    let (_dir, engine, client) = engine(1).await;
    let err = client.get_agent(9999).await.unwrap_err();
    match &err {
        ApiError::Status {
            status,
            message,
            code,
        } => {
            assert_eq!(*status, 404);
            assert!(
                message.starts_with("Agent not found: No agent with id 9999"),
                "{message}"
            );
            assert!(code.as_deref().unwrap().ends_with("agent-not-found"));
        }
        other => panic!("unexpected {other:?}"),
    }
    let def = definition(&site.base.join("products").unwrap(), 1, None);
    let agent = create_agent(&engine, "Unique", def.clone()).await;
    let err = client.run_status(agent, 12345).await.unwrap_err();
    assert_eq!(status_of(&err), 404);
    assert!(err.to_string().contains("Run not found"), "{err}");

    let (http, auth) = raw(&engine);
    let post = |body: Value| {
        http.post(engine.base_url().join("api/v1/agent").unwrap())
            .header("Authorization", auth.clone())
            .json(&body)
            .send()
    };
    let dup = post(json!({"name": "unique", "definition": def}))
        .await
        .unwrap();
    assert_eq!(dup.status(), 409);
    let problem: Value = dup.json().await.unwrap();
    assert_eq!(problem["status"], 409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("already exists")
    );

    let mut bad = def.clone();
    bad["record_selector"] = json!("article[");
    let invalid = post(json!({"name": "Broken", "definition": bad}))
        .await
        .unwrap();
    assert_eq!(invalid.status(), 400);
    let body: Value = invalid.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("record_selector"),
        "{body}"
    );

    // A new version through PUT, visible in versions and the agent.
    let put = http
        .put(
            engine
                .base_url()
                .join(&format!("api/v1/agent/{agent}"))
                .unwrap(),
        )
        .header("Authorization", auth.clone())
        .json(&json!({"definition": def, "comments": "second"}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let versions = get_json(&engine, &format!("api/v1/agent/{agent}/versions")).await;
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[0]["comments"], "second");
    assert_eq!(client.get_agent(agent).await.unwrap().version, Some(2));
    engine.shutdown().await;
}

#[tokio::test]
async fn agents_list_as_a_bare_array_or_in_pages() {
    let site = site().await;
    let (_dir, engine, client) = engine(1).await;
    let def = definition(&site.base.join("products").unwrap(), 1, None);
    for name in ["Charlie", "alpha", "Bravo"] {
        create_agent(&engine, name, def.clone()).await;
    }
    let bare = get_json(&engine, "api/v1/agent/all?sortColumn=name").await;
    let names: Vec<_> = bare
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alpha", "Bravo", "Charlie"]);

    let page = client
        .list_agents(&AgentQuery {
            page: 2,
            per_page: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.total_record_count, Some(3));
    assert_eq!(page.agents.len(), 1);
    assert_eq!(page.agents[0].name.as_deref(), Some("Charlie"));

    let filtered = client
        .list_agents(&AgentQuery {
            name: Some("RAV".into()),
            page: 1,
            per_page: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(filtered.total_record_count, Some(1));
    assert_eq!(filtered.agents[0].name.as_deref(), Some("Bravo"));
    let found = get_json(&engine, "api/v1/agent/search?query=char&maxRecords=10").await;
    assert_eq!(found.as_array().unwrap().len(), 1);
    engine.shutdown().await;
}

#[tokio::test]
async fn builder_sessions_validate_prompts_and_unknown_ids() {
    let (_dir, engine, client) = engine(1).await;
    let err = client
        .builder_start(&BuilderStartRequest {
            prompt: "  short  ".into(),
            space_id: None,
            agent_name: None,
        })
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), 400);
    assert!(err.to_string().contains("10 to 5000"), "{err}");
    let err = client.builder_status("nope").await.unwrap_err();
    assert_eq!(status_of(&err), 404);
    let err = client.builder_events("nope", -1).await.unwrap_err();
    assert_eq!(status_of(&err), 404);
    engine.shutdown().await;
}

#[tokio::test]
async fn a_builder_session_narrates_and_saves_an_agent() {
    let (_dir, engine, client) = engine(1).await;
    let shop = engine.demo_url();
    let prompt = format!("Extract every product with its name and price from the shop at {shop}");
    let session = client
        .builder_start(&BuilderStartRequest {
            prompt,
            space_id: None,
            agent_name: None,
        })
        .await
        .unwrap();

    let mut cursor = -1;
    let mut kinds = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        let page = client.builder_events(&session, cursor).await.unwrap();
        for event in &page.events {
            assert!(event.event_index > cursor, "events come after the cursor");
            kinds.push(event.kind.clone());
        }
        cursor = page.last_event_index;
        let status = client.builder_status(&session).await.unwrap();
        if status.is_terminal() && page.events.is_empty() {
            break status;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "build did not finish; events {kinds:?}"
        );
    };
    assert_eq!(status.status, "completed", "{status:?} after {kinds:?}");
    assert_eq!(
        kinds[..2],
        ["session_started".to_string(), "user_prompt".to_string()]
    );
    assert_eq!(kinds.last().map(String::as_str), Some("completed"));
    assert_eq!(status.last_event_index, Some(cursor));
    assert!(
        status
            .sample_records
            .as_ref()
            .is_some_and(|s| !s.is_empty())
    );
    let agent = client.get_agent(status.agent().unwrap()).await.unwrap();
    assert_eq!(agent.name, status.agent_name);
    assert_eq!(agent.version, Some(1));

    // The events cursor echoes itself when nothing is new, and stop after the end is a no-op.
    let idle = client.builder_events(&session, cursor).await.unwrap();
    assert!(idle.events.is_empty());
    assert_eq!(idle.last_event_index, cursor);
    client.builder_stop(&session).await.unwrap();
    assert_eq!(
        client.builder_status(&session).await.unwrap().status,
        "completed"
    );
    engine.shutdown().await;
}

#[tokio::test]
async fn stopping_a_build_cancels_it_for_good() {
    let site = site().await;
    let (_dir, engine, client) = engine(1).await;
    // The site holds its page open, so the build is still in progress when it is stopped.
    let session = slow_build(&client, &site).await;
    client.builder_stop(&session).await.unwrap();
    let status = client.builder_status(&session).await.unwrap();
    assert_eq!(status.status, "cancelled");
    assert!(status.agent().is_none());

    // The page arrives after all; the session stays cancelled and a repeated stop is a no-op.
    site.gate.add_permits(10);
    client.builder_stop(&session).await.unwrap();
    let events = client.builder_events(&session, -1).await.unwrap();
    assert!(
        events.events.iter().all(|e| e.kind != "completed"),
        "{:?}",
        events.events
    );
    assert_eq!(
        client.builder_status(&session).await.unwrap().status,
        "cancelled"
    );
    engine.shutdown().await;
}

#[tokio::test]
async fn build_agent_refines_what_it_built_in_conversation() {
    let site = site().await;
    let (dir, engine, _) = engine(1).await;
    let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
    let prompt = format!(
        "get the name and price of every product on {}products",
        site.base
    );
    let built = call_tool(
        &mcp,
        "build_agent",
        json!({"prompt": prompt, "wait_seconds": 45}),
    )
    .await
    .structured_content
    .unwrap();
    assert_eq!(built["status"], "completed", "{built:#}");
    let session = built["session_id"].as_str().unwrap();
    assert!(built["next_step"].as_str().unwrap().contains("message"));

    let refined = call_tool(
        &mcp,
        "build_agent",
        json!({"session_id": session, "message": "also get the link"}),
    )
    .await;
    assert_ne!(refined.is_error, Some(true), "{refined:?}");
    let refined = refined.structured_content.unwrap();
    assert_eq!(refined["changes"], json!(["Added link."]), "{refined:#}");
    assert!(refined["version"].as_i64().unwrap() >= 2);
    let sample = &refined["sample_records"][0];
    assert!(
        sample["link"].as_str().unwrap().contains("/item/"),
        "{sample}"
    );
    assert!(sample["price"].is_string());

    let refused = call_tool(
        &mcp,
        "build_agent",
        json!({"prompt": "get everything from example.com", "message": "add x"}),
    )
    .await;
    assert_eq!(refused.is_error, Some(true));
    engine.shutdown().await;
}

#[tokio::test]
async fn an_item_limit_keeps_the_first_records_in_page_order_and_stops() {
    let site = site().await;
    let (_dir, engine, client) = engine(1).await;
    let start = site.base.join("products").unwrap();
    let mut limited = definition(&start, 10, None);
    let limit = PER_PAGE as i64 + 1;
    limited["max_records"] = json!(limit);
    let (agent, run) = create_and_start(&engine, &client, "Limited", limited).await;
    let run = finished(&client, agent, run.id).await;
    assert!(is(&run, RunStatus::COMPLETED), "{run:?}");
    assert_eq!(run.data_count, Some(limit));
    assert_eq!(
        run.page_count,
        Some(2),
        "no page read past the limit (the site has {PAGES})"
    );
    engine.shutdown().await;
}

#[tokio::test]
async fn an_exclusive_start_is_refused_while_the_agent_has_an_active_run() {
    let site = site().await;
    let (_dir, engine, client) = engine(2).await;
    let (agent, run) = slow_run_past_page_one(&engine, &client, &site, "Exclusive", 10).await;
    let exclusive = StartRunRequest {
        is_exclusive: Some(true),
        ..Default::default()
    };
    let err = client.start_run(agent, &exclusive).await.unwrap_err();
    assert_eq!(status_of(&err), 409);
    assert!(
        err.to_string().contains(&format!("Run {}", run.id)),
        "{err}"
    );
    // Without the flag a second run may start beside the first.
    let second = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap();
    assert_ne!(second.id, run.id);
    client.kill_run(agent, run.id).await.unwrap();
    client.kill_run(agent, run.id).await.unwrap();
    client.kill_run(agent, second.id).await.unwrap();
    client.kill_run(agent, second.id).await.unwrap();
    engine.shutdown().await;
}
