//! `sequentum_mcp::api::Client` against the scriptable fake: retries, error decoding, lenient
//! decoding, downloads, builder sessions, and that the API key never leaks into an error.

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use crate::support::{BuilderScript, FakeApi, FakeFile, Fault, Route, RunScript, Step, rows};
use sequentum_mcp::api::{
    ApiError, Client, ClientOptions, Credential,
    agents::AgentQuery,
    types::{BuilderStartRequest, RunStatus, StartRunRequest, file_type},
};
use serde_json::json;
use tokio::sync::Notify;
use url::Url;

fn client_with(fake: &FakeApi, change: impl FnOnce(&mut ClientOptions)) -> Client {
    let mut options = fake.client_options();
    change(&mut options);
    Client::new(options).expect("client")
}

fn agent_path(agent: i64) -> String {
    format!("/api/v1/agent/{agent}")
}

fn run_path(agent: i64, run: i64) -> String {
    format!("/api/v1/agent/{agent}/run/{run}")
}

fn status_of(err: &ApiError) -> (u16, String, Option<String>) {
    match err {
        ApiError::Status {
            status,
            message,
            code,
        } => (*status, message.clone(), code.clone()),
        other => panic!("expected a status error, got {other:?}"),
    }
}

/// A local address nothing listens on.
async fn closed_port() -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    Url::parse(&format!("http://{addr}")).unwrap()
}

#[tokio::test]
async fn get_is_retried_on_gateway_errors_within_max_attempts() {
    let fake = FakeApi::start().await;
    let agent = fake.add_agent("Shop");
    let client = fake.client();
    let route = Route::get(&agent_path(agent));
    for code in [502, 503, 504] {
        fake.inject(route.clone(), Fault::Status(code), 2);
        let before = fake.count(&route);
        let found = client
            .get_agent(agent)
            .await
            .expect("third attempt succeeds");
        assert_eq!(found.name.as_deref(), Some("Shop"));
        assert_eq!(
            fake.count(&route) - before,
            3,
            "HTTP {code}: two failures, one success"
        );
    }
    fake.inject(route.clone(), Fault::Html(503), u32::MAX);
    let before = fake.count(&route);
    let err = client.get_agent(agent).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(fake.count(&route) - before, 3, "bounded by max_attempts");
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_long_one_is_returned_at_once() {
    let fake = FakeApi::start().await;
    let client = fake.client();
    let route = Route::get("/api/v1/agent/all");
    fake.inject(
        route.clone(),
        Fault::RateLimited {
            retry_after_secs: 1,
        },
        1,
    );
    let started = Instant::now();
    client.list_agents(&AgentQuery::default()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited out Retry-After"
    );
    assert_eq!(fake.count(&route), 2);

    fake.inject(
        route.clone(),
        Fault::RateLimited {
            retry_after_secs: 120,
        },
        u32::MAX,
    );
    let started = Instant::now();
    let err = client
        .list_agents(&AgentQuery::default())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "no long sleep");
    assert!(
        matches!(err, ApiError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(120)),
        "{err:?}"
    );
    assert_eq!(
        fake.count(&route),
        3,
        "the long Retry-After was not retried"
    );
}

#[tokio::test]
async fn get_is_retried_after_timeouts() {
    let fake = FakeApi::start().await;
    let agent = fake.add_agent("Shop");
    let client = client_with(&fake, |o| o.request_timeout = Duration::from_millis(300));
    let route = Route::get(&agent_path(agent));
    let never = Arc::new(Notify::new());
    fake.inject(route.clone(), Fault::Hold(never.clone()), 2);
    client
        .get_agent(agent)
        .await
        .expect("third attempt answers");
    assert_eq!(fake.count(&route), 3);

    fake.inject(
        route.clone(),
        Fault::Delay(Duration::from_secs(30)),
        u32::MAX,
    );
    let err = client.get_agent(agent).await.unwrap_err();
    assert!(
        matches!(err, ApiError::Timeout(d) if d == Duration::from_millis(300)),
        "{err:?}"
    );
    assert_eq!(fake.count(&route), 6);
}

#[tokio::test]
async fn a_held_request_answers_once_released() {
    let fake = FakeApi::start().await;
    let agent = fake.add_agent("Shop");
    let client = client_with(&fake, |o| o.request_timeout = Duration::from_secs(10));
    let route = Route::get(&agent_path(agent));
    let gate = Arc::new(Notify::new());
    fake.inject(route.clone(), Fault::Hold(gate.clone()), 1);
    let pending = tokio::spawn(async move { client.get_agent(agent).await });
    fake.wait_for_calls(&route, 1).await;
    assert!(!pending.is_finished(), "held until released");
    gate.notify_one();
    let found = pending.await.unwrap().unwrap();
    assert_eq!(found.id, Some(agent));
    assert_eq!(fake.count(&route), 1);
}

#[tokio::test]
async fn connection_failures_are_retried_with_backoff() {
    let fake = FakeApi::start().await;
    let base = Duration::from_millis(40);
    let refused = closed_port().await;
    let client = client_with(&fake, |o| {
        o.base_url = refused;
        o.retry.base_delay = base;
        o.retry.max_delay = Duration::from_secs(1);
    });
    let started = Instant::now();
    let err = client.get_agent(1).await.unwrap_err();
    assert!(matches!(err, ApiError::Network(_)), "{err:?}");
    // Two backoffs of at least 75 % of 40 ms and 80 ms: proof that it retried.
    assert!(
        started.elapsed() >= base.mul_f64(0.75 * 3.0),
        "{:?}",
        started.elapsed()
    );

    // A server that accepts and hangs up shows the attempt count directly.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    let client = client_with(&fake, |o| {
        o.base_url = Url::parse(&format!("http://{addr}")).unwrap();
    });
    let err = client.get_agent(1).await.unwrap_err();
    assert!(matches!(err, ApiError::Network(_)), "{err:?}");
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        3,
        "max_attempts connections"
    );
}

#[tokio::test]
async fn start_and_kill_are_never_retried_but_stop_is() {
    let fake = FakeApi::start().await;
    let agent = fake.add_agent("Shop");
    let client = client_with(&fake, |o| o.request_timeout = Duration::from_millis(300));
    let start = Route::post(&format!("{}/start", agent_path(agent)));

    fake.inject(start.clone(), Fault::Status(502), 1);
    let err = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(fake.count(&start), 1);

    fake.inject(start.clone(), Fault::Hold(Arc::new(Notify::new())), 1);
    let err = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Timeout(_)), "{err:?}");
    fake.wait_for_calls(&start, 2).await;

    fake.inject(start.clone(), Fault::Status(503), 1);
    let err = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(fake.count(&start), 3, "one call per start, never a repeat");

    let run = fake.add_run(agent, RunScript::completes(rows(4)).manual());
    fake.advance(run);
    let kill = Route::post(&format!("{}/kill", run_path(agent, run)));
    fake.inject(kill.clone(), Fault::Status(503), 1);
    assert_eq!(
        client.kill_run(agent, run).await.unwrap_err().status(),
        Some(503)
    );
    assert_eq!(fake.count(&kill), 1);
    assert_eq!(
        fake.run(run).status(),
        RunStatus::STARTING,
        "the failed kill did nothing"
    );

    let stop = Route::post(&format!("{}/stop", run_path(agent, run)));
    fake.inject(stop.clone(), Fault::Status(503), 1);
    client.stop_run(agent, run).await.expect("stop retried");
    assert_eq!(fake.count(&stop), 2);
    assert_eq!(fake.run(run).status(), RunStatus::STOPPING);
}

/// Every error the client can produce against the fake, by case name. Shared by the decoding
/// test (which checks each) and the secrecy test (which checks them all).
async fn every_error_case(fake: &FakeApi) -> BTreeMap<&'static str, ApiError> {
    let agent = fake.add_agent("Errors");
    let client = client_with(fake, |o| o.request_timeout = Duration::from_millis(300));
    let all = Route::get("/api/v1/agent/all");
    let q = AgentQuery::default();
    let mut cases = BTreeMap::new();
    let mut fault = async |name, fault: Fault| {
        fake.inject(all.clone(), fault, u32::MAX);
        cases.insert(name, client.list_agents(&q).await.unwrap_err());
        fake.clear_faults();
    };
    fault(
        "rate_limited",
        Fault::RateLimited {
            retry_after_secs: 60,
        },
    )
    .await;
    fault("502", Fault::Status(502)).await;
    fault("504_html", Fault::Html(504)).await;
    fault("500_html", Fault::Html(500)).await;
    fault("timeout", Fault::Hold(Arc::new(Notify::new()))).await;
    fault("malformed_json", Fault::MalformedJson).await;
    fault("401", Fault::Unauthorized).await;
    let forbidden =
        json!({"statusCode": 403, "message": "No run access", "errorCode": "insufficient_scope"});
    fault("403", Fault::Json(403, forbidden)).await;

    cases.insert("problem_404", client.get_agent(999_999).await.unwrap_err());
    let run = fake.add_run(agent, RunScript::completes(rows(1)));
    cases.insert(
        "message_400",
        client.restart_run(agent, run).await.unwrap_err(),
    );
    cases.insert(
        "run_404",
        client.run_status(agent, 999_999).await.unwrap_err(),
    );
    let wrong_key = client_with(fake, |o| {
        o.credential = Credential::ApiKey("sk-wrong-key".into())
    });
    cases.insert("wrong_key", wrong_key.get_agent(agent).await.unwrap_err());
    let refused = closed_port().await;
    let offline = client_with(fake, |o| o.base_url = refused);
    cases.insert("refused", offline.get_agent(agent).await.unwrap_err());

    let file = fake.add_file(run, FakeFile::csv("out.csv", &rows(2)));
    let url = client.file_download_url(agent, run, file).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    fake.inject(Route::get("/signed/*"), Fault::BrokenBody, 1);
    let broken = client
        .download_to(&url, &dir.path().join("a.csv"))
        .await
        .unwrap_err();
    cases.insert("broken_download", broken);
    let gone = Url::parse(&format!("{}signed/unknown", fake.base_url())).unwrap();
    cases.insert(
        "forbidden_download",
        client
            .download_to(&gone, &dir.path().join("b.csv"))
            .await
            .unwrap_err(),
    );
    cases
}

#[tokio::test]
async fn errors_are_decoded_from_every_body_shape() {
    let fake = FakeApi::start().await;
    let cases = every_error_case(&fake).await;

    let (status, message, code) = status_of(&cases["problem_404"]);
    assert_eq!(status, 404);
    assert_eq!(message, "Agent not found: No agent with id 999999 exists.");
    assert!(code.unwrap().ends_with("/agent-not-found"));

    let (status, message, code) = status_of(&cases["message_400"]);
    assert_eq!(status, 400);
    assert!(
        message.contains("only a run in Failure can be restarted"),
        "{message}"
    );
    assert_eq!(code.as_deref(), Some("run_not_failed"));

    assert_eq!(status_of(&cases["500_html"]).1, "500 Internal Server Error");
    assert_eq!(status_of(&cases["504_html"]).1, "504 Gateway Timeout");
    assert_eq!(status_of(&cases["502"]).1, "502 Bad Gateway");
    assert_eq!(
        status_of(&cases["401"]),
        (401, "Invalid API key".into(), None)
    );
    assert_eq!(
        status_of(&cases["wrong_key"]),
        (401, "Invalid API key".into(), None)
    );
    let (status, message, code) = status_of(&cases["403"]);
    assert_eq!(
        (status, message.as_str(), code.as_deref()),
        (403, "No run access", Some("insufficient_scope"))
    );
    assert_eq!(status_of(&cases["run_404"]).1, "Run not found");
    assert_eq!(status_of(&cases["forbidden_download"]).0, 403);

    assert!(
        matches!(cases["malformed_json"], ApiError::Decode(_)),
        "{:?}",
        cases["malformed_json"]
    );
    assert!(matches!(cases["timeout"], ApiError::Timeout(_)));
    assert!(matches!(cases["refused"], ApiError::Network(_)));
    assert!(
        matches!(cases["broken_download"], ApiError::Network(_)),
        "{:?}",
        cases["broken_download"]
    );
    assert!(matches!(
        cases["rate_limited"],
        ApiError::RateLimited {
            retry_after: Some(_)
        }
    ));
    for (name, err) in &cases {
        assert!(!err.to_string().trim().is_empty(), "{name} has a message");
    }
}

#[tokio::test]
async fn the_api_key_never_appears_in_an_error() {
    let fake = FakeApi::start().await;
    let cases = every_error_case(&fake).await;
    assert_eq!(cases.len(), 15, "all cases ran: {:?}", cases.keys());
    for (name, err) in &cases {
        for text in [err.to_string(), format!("{err:?}")] {
            for secret in [fake.api_key(), "sk-wrong-key"] {
                assert!(!text.contains(secret), "{name} leaks the key: {text}");
            }
        }
    }
    let client = fake.client();
    assert!(!format!("{client:?}").contains(fake.api_key()));
}

#[tokio::test]
async fn unknown_statuses_and_odd_dates_pass_through() {
    let fake = FakeApi::start().await;
    let agent = fake.add_agent("Shop");
    let script = RunScript::steps(vec![
        Step::new(42),
        Step::raw(json!("Exporting")),
        Step::raw(json!("Paused")),
        Step::raw(json!("Completed")).data(5),
    ])
    .with_field("created", json!("yesterday"))
    .with_field("endTime", json!("2026-01-15T12:00:00+02:00"))
    .with_field("newField", json!({"x": 1}));
    let run = fake.add_run(agent, script);
    let client = fake.client();
    let runs = client.list_runs(agent, 10).await.unwrap();
    assert_eq!(runs[0].status(), RunStatus(42));
    assert_eq!(runs[0].status().name(), "Unknown(42)");
    assert!(
        runs[0].status().is_active(),
        "unknown codes count as active"
    );
    let statuses = [RunStatus::EXPORTING, RunStatus(-1), RunStatus::COMPLETED];
    for expected in statuses {
        assert_eq!(
            client.run_status(agent, run).await.unwrap().status(),
            expected
        );
    }
    let last = client.run_status(agent, run).await.unwrap();
    assert_eq!(last.data_count, Some(5));
    assert!(
        last.created.is_none(),
        "an unparseable date is dropped, not fatal"
    );
    assert_eq!(
        last.start_time.unwrap().to_rfc3339(),
        "2026-01-15T10:00:01.123Z"
    );
    assert_eq!(
        last.end_time.unwrap().to_rfc3339(),
        "2026-01-15T10:00:00.000Z"
    );
}

#[tokio::test]
async fn runs_follow_their_scripts_through_stop_kill_and_restart() {
    let fake = FakeApi::start().await;
    let agent = fake.add_agent("Shop");
    let client = fake.client();
    fake.script_run(agent, RunScript::completes(rows(10)));
    let started = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap();
    assert_eq!(started.status(), RunStatus::QUEUING);
    let mut seen = vec![started.status()];
    while !seen.last().unwrap().is_terminal() {
        seen.push(client.run_status(agent, started.id).await.unwrap().status());
    }
    let codes: Vec<i32> = seen.iter().map(|s| s.0).collect();
    assert_eq!(codes, [4, 3, 1, 2, 9]);
    let done = client.run_status(agent, started.id).await.unwrap();
    assert_eq!((done.data_count, done.export_count), (Some(10), Some(10)));
    let body = fake.calls(&Route::post(&format!("{}/start", agent_path(agent))))[0].json();
    assert!(
        body.get("isRunSynchronously").is_none(),
        "async start: {body}"
    );

    let run = fake.add_run(agent, RunScript::completes(rows(2)).manual());
    client.stop_run(agent, run).await.unwrap();
    assert_eq!(
        client.run_status(agent, run).await.unwrap().status(),
        RunStatus::STOPPING
    );
    fake.advance(run);
    assert_eq!(
        client.run_status(agent, run).await.unwrap().status(),
        RunStatus::STOPPED
    );

    let run = fake.add_run(agent, RunScript::completes(rows(2)).manual());
    client.kill_run(agent, run).await.unwrap();
    assert_eq!(fake.run(run).status(), RunStatus::STOPPING);
    client.kill_run(agent, run).await.unwrap();
    assert_eq!(
        fake.run(run).status(),
        RunStatus::STOPPED,
        "second kill ends it at once"
    );

    let run = fake.add_run(agent, RunScript::fails("Blocked by a captcha").manual());
    for _ in 0..3 {
        fake.advance(run);
    }
    let failed = client.run_status(agent, run).await.unwrap();
    assert_eq!(failed.status(), RunStatus::FAILURE);
    assert_eq!(failed.message.as_deref(), Some("Blocked by a captcha"));
    client.restart_run(agent, run).await.unwrap();
    assert_eq!(
        client.run_status(agent, run).await.unwrap().status(),
        RunStatus::STARTING
    );
    let restart = Route::post(&format!("{}/restart", run_path(agent, run)));
    assert_eq!(fake.count(&restart), 1);
}

#[tokio::test]
async fn agents_list_in_both_shapes() {
    let fake = FakeApi::start().await;
    for name in ["zeta shop", "Alpha shop", "Books"] {
        fake.add_agent(name);
    }
    let client = fake.client();
    let q = AgentQuery {
        page: 1,
        per_page: 2,
        ..Default::default()
    };
    let page = client.list_agents(&q).await.unwrap();
    let names: Vec<_> = page.agents.iter().filter_map(|a| a.name.clone()).collect();
    assert_eq!(names, ["Alpha shop", "Books"]);
    assert_eq!(page.total_record_count, Some(3));
    let query = fake.calls(&Route::get("/api/v1/agent/all"))[0]
        .query
        .clone()
        .unwrap();
    assert!(
        query.contains("pageIndex=1") && query.contains("recordsPerPage=2"),
        "{query}"
    );

    fake.set_bare_agent_list(true);
    let bare = client
        .list_agents(&AgentQuery {
            name: Some("SHOP".into()),
            ..q
        })
        .await
        .unwrap();
    assert_eq!(bare.agents.len(), 2);
    assert_eq!(bare.total_record_count, Some(2));
}

#[tokio::test]
async fn files_download_through_signed_urls_without_the_credential() {
    let fake = FakeApi::start().await;
    let agent = fake.add_agent("Shop");
    let records = rows(1000);
    let files = vec![
        FakeFile::csv("output.csv", &records),
        FakeFile::json_array("output.json", &records),
        FakeFile::json_tables(
            "tables.json",
            &[("Products", &records[..5]), ("Reviews", &records[5..7])],
        ),
        FakeFile::json_lines("output.jsonl", &records),
        FakeFile::xlsx("output.xlsx"),
        FakeFile::log("log.txt", "Run started\n"),
    ];
    let run = fake.add_run(
        agent,
        RunScript::completes(records.clone()).with_files(files.clone()),
    );
    let client = fake.client();
    let listed = client.run_files(agent, run).await.unwrap();
    let names: Vec<_> = listed.iter().filter_map(|f| f.name.clone()).collect();
    assert_eq!(
        names,
        files.iter().map(|f| f.name.clone()).collect::<Vec<_>>()
    );
    assert_eq!(listed.iter().filter(|f| f.holds_records()).count(), 5);
    assert_eq!(listed[5].file_type, Some(file_type::LOG_TEXT));

    let csv = &listed[0];
    let url = client.file_download_url(agent, run, csv.id).await.unwrap();
    assert!(
        url.path().starts_with(&format!("/signed/f{}-", csv.id)),
        "{url}"
    );
    assert_eq!(
        fake.count(&Route::get("/signed/*")),
        0,
        "the redirect was read, not followed"
    );
    let asked = fake.calls(&Route::get(&format!(
        "{}/file/{}/download",
        run_path(agent, run),
        csv.id
    )));
    assert_eq!(
        asked[0].authorization,
        Some(format!("ApiKey {}", fake.api_key()))
    );

    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("records.csv");
    let written = client.download_to(&url, &dest).await.unwrap();
    assert_eq!(Some(written as i64), csv.file_size);
    assert_eq!(std::fs::read(&dest).unwrap(), files[0].bytes);
    let signed = fake.calls(&Route::get("/signed/*"));
    assert_eq!(signed.len(), 1);
    assert_eq!(
        signed[0].authorization, None,
        "no credential to the storage host"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["records.csv"], "nothing but the finished file");

    // The storage host refuses a credential: a client that sent one would fail here.
    let refused = reqwest::Client::new()
        .get(url.clone())
        .header("Authorization", format!("ApiKey {}", fake.api_key()))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);

    for fault in [Fault::BrokenBody, Fault::Status(500)] {
        fake.inject(Route::get("/signed/*"), fault.clone(), 1);
        let dest = dir.path().join("broken.csv");
        let err = client.download_to(&url, &dest).await.unwrap_err();
        assert!(!dest.exists(), "{fault:?} left a file: {err}");
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 1, "{fault:?} left a partial file");
    }
}

#[tokio::test]
async fn builder_sessions_run_their_timelines() {
    let fake = FakeApi::start().await;
    let client = fake.client();
    let prompt = |text: &str| BuilderStartRequest {
        prompt: text.into(),
        space_id: None,
        agent_name: None,
    };
    let (status, _, _) = status_of(&client.builder_start(&prompt("short")).await.unwrap_err());
    assert_eq!(status, 400);

    let samples = rows(2);
    fake.script_builder(BuilderScript::completes("Shop products", samples.clone()));
    let session = client
        .builder_start(&prompt("Extract all products from the shop"))
        .await
        .unwrap();
    let mut cursor = -1;
    let mut narrated = Vec::new();
    let done = loop {
        let status = client.builder_status(&session).await.unwrap();
        let page = client.builder_events(&session, cursor).await.unwrap();
        narrated.extend(page.events.iter().map(|e| e.event_index));
        cursor = page.last_event_index;
        if status.is_terminal() {
            break status;
        }
        assert_eq!(status.status, "processing");
    };
    assert_eq!(
        narrated,
        (0..6).collect::<Vec<i64>>(),
        "every event once, in order"
    );
    assert_eq!(done.status, "completed");
    assert_eq!(done.agent_name.as_deref(), Some("Shop products"));
    assert_eq!(done.sample_records, Some(samples));
    let built = client.get_agent(done.agent().unwrap()).await.unwrap();
    assert_eq!(built.name.as_deref(), Some("Shop products"));

    fake.script_builder(BuilderScript::fails("Site blocked the browser").with_events(vec![]));
    let session = client
        .builder_start(&prompt("Extract all products from the shop"))
        .await
        .unwrap();
    let failed = client.builder_status(&session).await.unwrap();
    assert_eq!(
        (failed.status.as_str(), failed.error.as_deref()),
        ("error", Some("Site blocked the browser"))
    );
    let events = client.builder_events(&session, -1).await.unwrap();
    assert_eq!(events.events[0].kind, "error");
    assert_eq!(
        events.events[0].narration().as_deref(),
        Some("Site blocked the browser")
    );

    fake.script_builder(BuilderScript::until_stopped().manual());
    let session = client
        .builder_start(&prompt("Extract all products from the shop"))
        .await
        .unwrap();
    assert_eq!(
        client.builder_status(&session).await.unwrap().status,
        "processing"
    );
    client.builder_stop(&session).await.unwrap();
    client
        .builder_stop(&session)
        .await
        .expect("stopping twice is harmless");
    let stopped = client.builder_status(&session).await.unwrap();
    assert_eq!(stopped.status, "cancelled");
    assert!(stopped.agent().is_none());
    let unknown = client.builder_status("no such session").await.unwrap_err();
    assert_eq!(unknown.status(), Some(404));
    let asked = fake.calls(&Route::get("/api/v1/agent-builder/no+such+session/status"));
    assert_eq!(asked.len(), 1, "session ids stay inside one path segment");
}
