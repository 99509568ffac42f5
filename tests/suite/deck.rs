//! The tools on the Deck backend, through a real MCP client against the fake Deck API: the
//! whole loop (build, run, answer the code, complete, page the records), reviews, cancels in
//! both spellings, Deck's error arrays, retried starts with one idempotency key, 429s, input
//! checks, encrypted outputs and cursor-paged lists. Every result is checked for the API key,
//! the stored password and the answered code.

use std::sync::Arc;

use std::sync::Mutex;

use rmcp::{
    ClientHandler, ErrorData, RoleClient,
    model::{
        ClientCapabilities, ClientConfig, ElicitRequestParams, ElicitResult, ElicitationAction,
        ElicitationCapability, FormElicitationCapability, Implementation, UrlElicitationCapability,
    },
    service::{RequestContext, RunningService},
};
use sequentum_mcp::{
    mcp::{Server, Settings, toolsets::Selection},
    records::{cache::FileCache, cursor::CursorKey},
};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::support::{
    deck_fake::{DeckFake, Stage, bills},
    mcp_client::{POLL_INTERVAL, failure, outcome, success},
};

/// What no result may ever contain besides the API key.
const CODE: &str = "493817";
const PASSWORD: &str = "hunter2-secret";

struct Deck<C: ClientHandler = ()> {
    fake: DeckFake,
    client: RunningService<RoleClient, C>,
    _dir: TempDir,
}

impl Deck {
    async fn start() -> Deck {
        Deck::start_with(()).await
    }
}

impl<C: ClientHandler> Deck<C> {
    async fn start_with(handler: C) -> Deck<C> {
        let fake = DeckFake::start().await;
        let dir = tempfile::tempdir().expect("temporary directory");
        let settings = Settings {
            poll_interval: Some(POLL_INTERVAL),
            output_dir: Some(dir.path().join("out")),
            cache: FileCache::new(dir.path().join("cache"), 64 << 20),
            cursor_key: CursorKey::derive(&[b"deck-test"]),
            caller_is_local: true,
        };
        let server = Server::new(Arc::new(fake.platform()), settings, &Selection::default())
            .expect("default selection");
        let client = sequentum_mcp::mcp::in_process::connect(server, handler)
            .await
            .expect("MCP client connects");
        Deck {
            fake,
            client,
            _dir: dir,
        }
    }

    async fn call(&self, tool: &str, args: Value) -> Result<Value, String> {
        let Value::Object(args) = args else {
            panic!("arguments are an object")
        };
        let result = self
            .client
            .call_tool(
                rmcp::model::CallToolRequestParams::new(tool.to_string()).with_arguments(args),
            )
            .await
            .unwrap_or_else(|e| panic!("{tool}: protocol error {e:?}"));
        let text = serde_json::to_string(&result).expect("results serialize");
        for secret in [self.fake.api_key(), CODE, PASSWORD] {
            assert!(!text.contains(secret), "{tool} leaked {secret:?}: {text}");
        }
        outcome(result)
    }

    async fn tools(&self) -> Vec<String> {
        let tools = self.client.list_all_tools().await.expect("tools/list");
        tools.into_iter().map(|t| t.name.to_string()).collect()
    }
}

#[tokio::test]
async fn deck_default_tools_include_interactions_and_not_the_editor() {
    let deck = Deck::start().await;
    let tools = deck.tools().await;
    assert!(
        tools.contains(&"answer_interaction".to_string()),
        "{tools:?}"
    );
    assert!(tools.contains(&"list_credentials".to_string()));
    assert!(!tools.iter().any(|t| t.contains("definition")), "{tools:?}");
    let err = failure(
        deck.call("get_run_status", json!({"agent_id": 7, "run_id": "trun_1"}))
            .await,
    );
    assert!(
        err.starts_with("invalid_argument: agent_id must be a Deck id string"),
        "{err}"
    );
}

#[tokio::test]
async fn deck_loop_builds_runs_answers_the_code_and_pages_the_records() {
    let deck = Deck::start().await;
    let prompt = "Log into my utility account at https://power.example.com/login and get my last 12 bills (date, amount, status)";
    let built = success(deck.call("build_agent", json!({"prompt": prompt})).await);
    let task = built["agent_id"].as_str().expect("a task id").to_string();
    assert!(task.starts_with("task_"), "{built}");
    assert_eq!(
        built["narration"][0],
        "Fields asked for: date, amount, status, from https://power.example.com/login.",
        "the narration says how the request was read, as the engine's builder does"
    );
    let again = success(deck.call("build_agent", json!({"prompt": prompt})).await);
    assert_eq!(
        again["agent_id"],
        json!(task),
        "the same request reuses the task"
    );
    assert_eq!(
        (
            deck.fake.agents().len(),
            deck.fake.sources().len(),
            deck.fake.tasks().len()
        ),
        (1, 1, 1)
    );
    let schema =
        &deck.fake.tasks()[0]["output_schema"]["properties"]["records"]["items"]["properties"];
    assert_eq!(
        schema.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["date", "amount", "status"]
    );

    deck.fake
        .add_credential("https://power.example.com/login", "verified");
    deck.fake.script_runs(vec![
        Stage::Running,
        Stage::Ask(CODE),
        Stage::Running,
        Stage::Done(bills(25)),
    ]);
    let run = success(
        deck.call("run_agent", json!({"agent_id": task, "wait_seconds": 10}))
            .await,
    );
    assert_eq!(run["phase"], "waiting_for_input", "{run}");
    assert!(
        run["message"]
            .as_str()
            .unwrap()
            .contains("code (\"Verification code\")"),
        "{run}"
    );
    assert!(
        run["next_step"]
            .as_str()
            .unwrap()
            .contains("answer_interaction"),
        "{run}"
    );
    let run_id = run["run_id"].as_str().unwrap().to_string();
    let start = deck
        .fake
        .seen()
        .into_iter()
        .find(|s| s.path.ends_with("/run"))
        .unwrap();
    assert!(
        start.body.contains("cred_"),
        "a site's only credential is used: {}",
        start.body
    );

    let wrong = success(
        deck.call(
            "answer_interaction",
            json!({"run_id": run_id, "values": {"code": "000000"}}),
        )
        .await,
    );
    assert_eq!(wrong["phase"], "waiting_for_input");
    assert!(
        wrong["message"].as_str().unwrap().contains("not accepted"),
        "{wrong}"
    );
    let bad = failure(
        deck.call(
            "answer_interaction",
            json!({"run_id": run_id, "values": {"pin": "1"}}),
        )
        .await,
    );
    assert!(bad.contains("missing: code"), "{bad}");
    let right = success(
        deck.call(
            "answer_interaction",
            json!({"run_id": run_id, "values": {"code": CODE}}),
        )
        .await,
    );
    assert_eq!(right["phase"], "running", "{right}");
    let late = failure(
        deck.call(
            "answer_interaction",
            json!({"run_id": run_id, "values": {"code": CODE}}),
        )
        .await,
    );
    assert!(late.starts_with("conflict:"), "{late}");

    let done = success(
        deck.call(
            "get_run_status",
            json!({"agent_id": task, "run_id": run_id, "wait_seconds": 10}),
        )
        .await,
    );
    assert_eq!(
        (done["phase"].as_str(), done["records_exported"].as_i64()),
        (Some("completed"), Some(25)),
        "{done}"
    );
    let mut cursor = Value::Null;
    let mut seen = 0;
    for expected in [10, 10, 5] {
        let page = success(deck.call("fetch_records", json!({"agent_id": task, "run_id": run_id, "limit": 10, "cursor": cursor, "fields": ["date", "amount"]})).await);
        assert_eq!(page["returned"], json!(expected), "{page}");
        assert_eq!(page["fields"], json!(["date", "amount"]));
        seen += expected;
        cursor = page["next_cursor"].clone();
    }
    assert_eq!((seen, cursor), (25, Value::Null));
}

#[tokio::test]
async fn deck_reviews_point_to_the_console_and_cancels_end_in_both_spellings() {
    for spelling in ["canceling", "cancelling"] {
        let deck = Deck::start().await;
        let task = deck
            .fake
            .add_task("Bills", "https://power.example.com", None);
        deck.fake.cancel_spelling(spelling);
        deck.fake
            .script_runs(vec![Stage::Running, Stage::Running, Stage::Running]);
        let run = success(
            deck.call("run_agent", json!({"agent_id": task, "wait_seconds": 0}))
                .await,
        );
        let force = failure(
            deck.call(
                "stop_run",
                json!({"agent_id": task, "run_id": run["run_id"], "force": true}),
            )
            .await,
        );
        assert!(force.contains("no forced stop"), "{force}");
        let stopped = success(
            deck.call(
                "stop_run",
                json!({"agent_id": task, "run_id": run["run_id"], "wait_seconds": 10}),
            )
            .await,
        );
        assert_eq!(stopped["run"]["phase"], "stopped", "{spelling}: {stopped}");
        assert!(deck.fake.seen().iter().any(|s| s.path.ends_with("/cancel")));
    }
    let deck = Deck::start().await;
    let task = deck
        .fake
        .add_task("Bills", "https://power.example.com", None);
    deck.fake.script_runs(vec![Stage::Running, Stage::Review]);
    let run = success(
        deck.call("run_agent", json!({"agent_id": task, "wait_seconds": 10}))
            .await,
    );
    assert_eq!(run["phase"], "waiting_for_review", "{run}");
    assert!(
        run["message"].as_str().unwrap().contains("Deck Console"),
        "{run}"
    );
    let next = run["next_step"].as_str().unwrap();
    assert!(
        next.starts_with("Waiting for review in the Deck Console")
            && next.contains("get_run_status"),
        "the next step names where the review is done: {next}"
    );
    deck.fake
        .finish_review(run["run_id"].as_str().unwrap(), bills(2));
    let done = success(
        deck.call(
            "get_run_status",
            json!({"agent_id": task, "run_id": run["run_id"]}),
        )
        .await,
    );
    assert_eq!(done["phase"], "completed");
}

#[tokio::test]
async fn deck_errors_keep_deck_messages_and_runs_report_their_errors_array() {
    let deck = Deck::start().await;
    let missing = failure(
        deck.call("run_agent", json!({"agent_id": "task_nope"}))
            .await,
    );
    assert!(
        missing.starts_with("not_found: Deck has no task task_nope."),
        "{missing}"
    );
    let task = deck
        .fake
        .add_task("Bills", "https://power.example.com", None);
    deck.fake.script_runs(vec![Stage::Fail(
        json!([{"type": "auth", "code": "auth_invalid", "message": "The site refused the login."}]),
    )]);
    let run = success(
        deck.call("run_agent", json!({"agent_id": task, "wait_seconds": 10}))
            .await,
    );
    assert_eq!(run["phase"], "failed");
    assert!(
        run["message"]
            .as_str()
            .unwrap()
            .contains("auth/auth_invalid: The site refused the login."),
        "{run}"
    );
    deck.fake
        .fail_next("GET", "/tasks", 5, 403, "organization", "plan_required");
    let forbidden = failure(deck.call("list_agents", json!({})).await);
    assert!(
        forbidden.starts_with("forbidden:") && forbidden.contains("organization/plan_required"),
        "{forbidden}"
    );
}

#[tokio::test]
async fn deck_starts_are_repeated_with_one_idempotency_key_and_429s_are_sat_out() {
    let deck = Deck::start().await;
    let task = deck
        .fake
        .add_task("Bills", "https://power.example.com", None);
    deck.fake.lose_answers("POST", "/run", 1, 503);
    deck.fake.fail_next(
        "GET",
        "/task-runs/",
        2,
        429,
        "rate_limit",
        "rate_limit_exceeded",
    );
    let run = success(
        deck.call("run_agent", json!({"agent_id": task, "wait_seconds": 10}))
            .await,
    );
    assert_eq!(run["phase"], "completed", "{run}");
    assert_eq!(
        deck.fake.run_count(),
        1,
        "the repeat did not start a second run"
    );
    let starts: Vec<_> = deck
        .fake
        .seen()
        .into_iter()
        .filter(|s| s.path.ends_with("/run"))
        .collect();
    assert_eq!(starts.len(), 2);
    assert!(starts[0].idempotency_key.is_some());
    assert_eq!(starts[0].idempotency_key, starts[1].idempotency_key);
    deck.fake.fail_next(
        "POST",
        "/run",
        5,
        429,
        "rate_limit",
        "session_limit_exceeded",
    );
    let limited = failure(
        deck.call(
            "run_agent",
            json!({"agent_id": task, "allow_concurrent": true}),
        )
        .await,
    );
    assert!(
        limited.starts_with("rate_limited:") && limited.contains("session_limit_exceeded"),
        "{limited}"
    );
}

#[tokio::test]
async fn deck_fake_answers_a_reused_key_with_other_parameters_with_409() {
    let deck = DeckFake::start().await;
    let task = deck.add_task("Bills", "https://power.example.com", None);
    let http = reqwest::Client::new();
    let post = |body: Value| {
        http.post(format!("{}/tasks/{task}/run", deck.url()))
            .bearer_auth(deck.api_key())
            .header("Idempotency-Key", "k-1")
            .json(&body)
            .send()
    };
    let first: Value = post(json!({"source_id": "src_1"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let again: Value = post(json!({"source_id": "src_1"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["id"], again["id"]);
    let other = post(json!({"source_id": "src_2"})).await.unwrap();
    assert_eq!(other.status(), 409);
    let body: Value = other.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "idempotency_error");
}

#[tokio::test]
async fn deck_input_is_checked_before_the_run_is_sent() {
    let deck = Deck::start().await;
    let schema = json!({"type": "object", "required": ["month"], "properties": {"month": {"type": "string"}}});
    let task = deck
        .fake
        .add_task("Bills", "https://power.example.com", Some(schema));
    let err = failure(
        deck.call(
            "run_agent",
            json!({"agent_id": task, "input_parameters": {"month": 3}}),
        )
        .await,
    );
    assert!(
        err.starts_with("invalid_argument:") && err.contains("month must be string"),
        "{err}"
    );
    assert!(
        !deck.fake.seen().iter().any(|s| s.path.ends_with("/run")),
        "nothing was sent"
    );
    let ok = success(
        deck.call(
            "run_agent",
            json!({"agent_id": task, "input_parameters": {"month": "2026-03"}, "wait_seconds": 10}),
        )
        .await,
    );
    assert_eq!(ok["phase"], "completed");
}

#[tokio::test]
async fn deck_encrypted_outputs_are_reported_as_such() {
    let deck = Deck::start().await;
    let task = deck
        .fake
        .add_task("Bills", "https://power.example.com", None);
    deck.fake
        .script_runs(vec![Stage::Done(json!("enc_AbCdEf0123"))]);
    let run = success(
        deck.call("run_agent", json!({"agent_id": task, "wait_seconds": 10}))
            .await,
    );
    assert!(
        run["message"].as_str().unwrap().contains("encrypted"),
        "{run}"
    );
    let err = failure(
        deck.call(
            "fetch_records",
            json!({"agent_id": task, "run_id": run["run_id"]}),
        )
        .await,
    );
    assert!(
        err.contains("encrypted") && err.contains("Deck Console"),
        "{err}"
    );
}

#[tokio::test]
async fn deck_lists_walk_cursor_pages_and_credentials_show_no_secrets() {
    let deck = Deck::start().await;
    for i in 0..130 {
        deck.fake
            .add_task(&format!("Task {i:03}"), "https://power.example.com", None);
    }
    let listed = success(
        deck.call("list_agents", json!({"query": "Task 12", "per_page": 50}))
            .await,
    );
    let names: Vec<&str> = listed["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        10,
        "Task 120..129, all on the second page: {names:?}"
    );
    let task_pages = deck
        .fake
        .seen()
        .iter()
        .filter(|s| s.path == "/tasks" && s.query.contains("cursor="))
        .count();
    assert!(task_pages >= 1, "the second page was read by cursor");

    deck.fake
        .add_credential("https://power.example.com", "verified");
    deck.fake
        .add_credential("https://power.example.com", "invalid");
    let first = success(deck.call("list_credentials", json!({"limit": 1})).await);
    assert_eq!(first["credentials"].as_array().unwrap().len(), 1);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a second page")
        .to_string();
    let second = success(
        deck.call("list_credentials", json!({"limit": 1, "cursor": cursor}))
            .await,
    );
    assert_eq!(second["credentials"][0]["status"], "invalid", "{second}");
    assert!(
        !second.to_string().contains("alice"),
        "no login detail is shown"
    );
    let bad = failure(
        deck.call("list_credentials", json!({"cursor": "garbage"}))
            .await,
    );
    assert!(bad.starts_with("invalid_cursor:"), "{bad}");
}

/// A client whose user answers elicitations: a code page gets `codes` in turn (typed into the
/// page, as a person would), a form gets `form`.
struct User {
    codes: Mutex<Vec<&'static str>>,
    asked: Mutex<Vec<String>>,
}

impl User {
    fn new(codes: Vec<&'static str>) -> User {
        User {
            codes: Mutex::new(codes),
            asked: Mutex::default(),
        }
    }
}

impl ClientHandler for User {
    fn get_info(&self) -> ClientConfig {
        let mut capabilities = ClientCapabilities::default();
        capabilities.elicitation = Some(
            ElicitationCapability::new()
                .with_form(FormElicitationCapability::default())
                .with_url(UrlElicitationCapability::new()),
        );
        ClientConfig::new(capabilities, Implementation::new("user", "1"))
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _ctx: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, ErrorData> {
        let ElicitRequestParams::UrlElicitationParams { message, url, .. } = request else {
            panic!("a code is never asked for in a form");
        };
        self.asked.lock().unwrap().push(message);
        let code = self.codes.lock().unwrap().remove(0);
        let page = reqwest::get(&url).await.unwrap().text().await.unwrap();
        assert!(page.contains("type=\"password\""), "{page}");
        let sent = reqwest::Client::new()
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("code={code}"))
            .send()
            .await
            .unwrap();
        assert!(sent.status().is_success());
        Ok(ElicitResult::new(ElicitationAction::Accept))
    }
}

#[tokio::test]
async fn deck_codes_are_asked_of_the_user_by_elicitation_and_a_wrong_one_asks_again() {
    let deck = Deck::start_with(User::new(vec!["111111", CODE])).await;
    let task = deck
        .fake
        .add_task("Bills", "https://power.example.com", None);
    deck.fake.script_runs(vec![
        Stage::Running,
        Stage::Ask(CODE),
        Stage::Running,
        Stage::Done(bills(3)),
    ]);
    let run = success(
        deck.call("run_agent", json!({"agent_id": task, "wait_seconds": 10}))
            .await,
    );
    assert_eq!(run["phase"], "waiting_for_input");
    let done = success(
        deck.call(
            "get_run_status",
            json!({"agent_id": task, "run_id": run["run_id"], "wait_seconds": 10}),
        )
        .await,
    );
    assert_eq!(done["phase"], "completed", "{done}");
    let asked = deck.client.service().asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 2, "the wrong code was asked again: {asked:?}");
    assert!(asked[1].contains("not accepted"), "{asked:?}");
    let answers: Vec<_> = deck
        .fake
        .seen()
        .into_iter()
        .filter(|s| s.path.ends_with("/interaction"))
        .collect();
    assert_eq!(answers.len(), 2);
    assert!(
        answers[1].body.contains(CODE),
        "the user's code reached Deck"
    );
}

#[tokio::test]
async fn deck_without_elicitation_leaves_the_answer_to_answer_interaction() {
    let deck = Deck::start().await;
    let task = deck
        .fake
        .add_task("Bills", "https://power.example.com", None);
    deck.fake
        .script_runs(vec![Stage::Ask(CODE), Stage::Done(bills(1))]);
    let run = success(
        deck.call("run_agent", json!({"agent_id": task, "wait_seconds": 0}))
            .await,
    );
    let waiting = success(
        deck.call(
            "get_run_status",
            json!({"agent_id": task, "run_id": run["run_id"], "wait_seconds": 5}),
        )
        .await,
    );
    assert_eq!(waiting["phase"], "waiting_for_input");
    assert!(
        waiting["next_step"]
            .as_str()
            .unwrap()
            .contains("answer_interaction")
    );
    assert!(
        !deck
            .fake
            .seen()
            .iter()
            .any(|s| s.path.ends_with("/interaction"))
    );
}

#[tokio::test]
async fn deck_doctor_check_accepts_the_key_and_a_wrong_key_is_named_not_shown() {
    let fake = DeckFake::start().await;
    let state = sequentum_mcp::deck::platform::check_key(&fake.client())
        .await
        .unwrap();
    assert_eq!(state, "ready (live)");
    let wrong_key = "sk_live_wrong0000secret";
    let client = sequentum_mcp::deck::DeckClient::new(sequentum_mcp::deck::DeckOptions::new(
        fake.url().clone(),
        wrong_key.into(),
    ))
    .unwrap();
    assert!(!format!("{client:?}").contains(wrong_key));
    let err = sequentum_mcp::deck::platform::check_key(&client)
        .await
        .unwrap_err();
    let text = sequentum_mcp::deck::error::failure(err, "the key check").text();
    assert!(
        text.starts_with("unauthorized:") && text.contains("DECK_API_KEY"),
        "{text}"
    );
    assert!(!text.contains(wrong_key), "{text}");
    let sent = fake.seen().pop().unwrap();
    assert_eq!(
        sent.authorization.as_deref(),
        Some(format!("Bearer {wrong_key}").as_str())
    );
}
