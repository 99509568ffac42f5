//! A scriptable fake of the Deck v2 API on 127.0.0.1:0, with the wire shapes of
//! shared/reference/deck-api.md (G2): Bearer keys, `{errors:[…]}` failures, cursor pages,
//! idempotency keys, and task runs that follow a script one step per read, so tests never
//! sleep: a run pauses for a code and resumes only on the right one, waits for review until
//! the test ends it, cancels through `canceling` (or `cancelling`), fails with an errors array
//! or completes with an output (JSON or an `enc_…` string).
//!
//! ```ignore
//! let fake = DeckFake::start().await;
//! fake.script_runs(vec![Stage::Ask("123456"), Stage::Done(json!({"records": [...]}))]);
//! fake.fail_next("POST", "/tasks/", 2, 429, "rate_limit", "rate_limit_exceeded");
//! ```

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use sequentum_mcp::{
    api::RetryPolicy,
    deck::{Deck, DeckClient, DeckOptions},
};
use serde_json::{Map, Value, json};
use tokio::task::JoinHandle;
use url::Url;

/// One step of a run's script, taken on the next read of the run.
#[derive(Debug, Clone)]
pub enum Stage {
    Running,
    /// Pauses for an MFA code; only this code resumes it (a wrong one asks again).
    Ask(&'static str),
    /// Pauses for a choice of account (`account_selection`, field `account`); only this
    /// account resumes it.
    Choose(&'static str),
    /// Waits for review until `finish_review`.
    Review,
    Done(Value),
    Fail(Value),
}

/// A request the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub idempotency_key: Option<String>,
    pub authorization: Option<String>,
    pub body: String,
}

struct FakeRun {
    json: Value,
    queue: VecDeque<Stage>,
    code: Option<&'static str>,
    /// The interaction field whose value must equal `code`.
    field: &'static str,
}

struct Fault {
    method: String,
    path: String,
    left: u32,
    status: u16,
    kind: String,
    code: String,
    /// Act on the request, then answer with the fault (a lost answer).
    after: bool,
}

#[derive(Default)]
struct World {
    counter: u64,
    agents: Vec<Value>,
    sources: Vec<Value>,
    tasks: Vec<Value>,
    credentials: Vec<Value>,
    runs: Vec<FakeRun>,
    script: Vec<Stage>,
    idempotency: HashMap<String, (String, Value)>,
    faults: Vec<Fault>,
    cancel_spelling: &'static str,
    seen: Vec<Seen>,
}

struct Shared {
    key: String,
    world: Mutex<World>,
}

pub struct DeckFake {
    shared: Arc<Shared>,
    url: Url,
    server: JoinHandle<()>,
}

impl Drop for DeckFake {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl DeckFake {
    pub async fn start() -> DeckFake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let shared = Arc::new(Shared {
            key: format!("sk_live_fake{:016x}", fastrand::u64(..)),
            world: Mutex::new(World {
                cancel_spelling: "canceling",
                script: vec![Stage::Running, Stage::Done(json!({"records": []}))],
                ..World::default()
            }),
        });
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake Deck");
        });
        DeckFake {
            shared,
            url: Url::parse(&format!("http://{addr}/v2")).expect("URL"),
            server,
        }
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    pub fn api_key(&self) -> &str {
        &self.shared.key
    }

    /// A client with millisecond backoff.
    pub fn client(&self) -> DeckClient {
        let mut options = DeckOptions::new(self.url.clone(), self.api_key().to_string());
        options.request_timeout = Duration::from_secs(5);
        options.retry = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            max_retry_after: Duration::from_millis(5),
        };
        DeckClient::new(options).expect("client")
    }

    pub fn platform(&self) -> Deck {
        Deck::new(self.client())
    }

    fn world(&self) -> MutexGuard<'_, World> {
        self.shared.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The script every run started from now on follows.
    pub fn script_runs(&self, stages: Vec<Stage>) {
        self.world().script = stages;
    }

    pub fn cancel_spelling(&self, spelling: &'static str) {
        self.world().cancel_spelling = spelling;
    }

    /// Answers the next `times` requests to `method` paths containing `path` with an error.
    pub fn fail_next(
        &self,
        method: &str,
        path: &str,
        times: u32,
        status: u16,
        kind: &str,
        code: &str,
    ) {
        self.fault(method, path, times, status, kind, code, false);
    }

    /// Like `fail_next`, but the request takes effect first: the answer is what gets lost.
    pub fn lose_answers(&self, method: &str, path: &str, times: u32, status: u16) {
        self.fault(method, path, times, status, "api", "api_error", true);
    }

    #[allow(clippy::too_many_arguments)]
    fn fault(
        &self,
        method: &str,
        path: &str,
        left: u32,
        status: u16,
        kind: &str,
        code: &str,
        after: bool,
    ) {
        self.world().faults.push(Fault {
            method: method.into(),
            path: path.into(),
            left,
            status,
            kind: kind.into(),
            code: code.into(),
            after,
        });
    }

    pub fn add_task(&self, name: &str, url: &str, input_schema: Option<Value>) -> String {
        let mut w = self.world();
        let agent = w.id("agt");
        w.agents.push(
            json!({"id": agent, "object": "agent", "name": name, "description": null, "tasks": []}),
        );
        let source = w.id("src");
        w.sources.push(json!({"id": source, "object": "source", "type": "website", "website": {"url": url}, "name": null}));
        let task = w.id("task");
        w.tasks.push(
            json!({"id": task, "object": "task", "name": name, "agent_id": agent,
            "prompt": format!("Get my bills from {url}"), "status": "learning",
            "input_schema": input_schema, "output_schema": null}),
        );
        task
    }

    pub fn add_credential(&self, source_url: &str, status: &str) -> String {
        let mut w = self.world();
        let source = w
            .sources
            .iter()
            .find(|s| s["website"]["url"] == source_url)
            .map(|s| s["id"].clone())
            .expect("a source with that URL");
        let id = w.id("cred");
        w.credentials
            .push(json!({"id": id, "object": "credential", "status": status,
            "source_id": source, "auth_method": "username_password", "external_id": "user-1",
            "auth_credentials": {"username": "alice", "password": "hunter2-secret"}}));
        id
    }

    pub fn tasks(&self) -> Vec<Value> {
        self.world().tasks.clone()
    }

    pub fn agents(&self) -> Vec<Value> {
        self.world().agents.clone()
    }

    pub fn sources(&self) -> Vec<Value> {
        self.world().sources.clone()
    }

    pub fn run_count(&self) -> usize {
        self.world().runs.len()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.world().seen.clone()
    }

    /// Ends a review: the run completes with its output.
    pub fn finish_review(&self, run: &str, output: Value) {
        let mut w = self.world();
        let r = w
            .runs
            .iter_mut()
            .find(|r| r.json["id"] == run)
            .expect("run");
        r.json["status"] = json!("completed");
        r.json["result"] = json!("success");
        r.json["output"] = output;
    }
}

impl World {
    fn id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}_{:06}", self.counter)
    }

    fn run_mut(&mut self, id: &str) -> Option<&mut FakeRun> {
        self.runs.iter_mut().find(|r| r.json["id"] == id)
    }
}

fn errors(status: u16, kind: &str, code: &str, message: &str) -> Response {
    let body = json!({"errors": [{"type": kind, "code": code, "message": message}], "request_id": "req_fake"});
    (
        StatusCode::from_u16(status).expect("status"),
        axum::Json(body),
    )
        .into_response()
}

fn ok(status: u16, mut body: Value) -> Response {
    body["request_id"] = json!("req_fake");
    (
        StatusCode::from_u16(status).expect("status"),
        axum::Json(body),
    )
        .into_response()
}

/// A page of `items` (cursors are offsets in an opaque wrapper).
fn page(items: Vec<Value>, query: &HashMap<String, String>) -> Response {
    let limit: usize = match query.get("limit").map(|l| l.parse::<usize>()) {
        None => 20,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        _ => {
            return errors(
                400,
                "request",
                "input_invalid",
                "`limit` must be between 1 and 100.",
            );
        }
    };
    let start = match query.get("cursor") {
        None => 0,
        Some(c) => match c.strip_prefix("cur_").and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n <= items.len() => n,
            _ => return errors(400, "request", "cursor_invalid", "The cursor is invalid."),
        },
    };
    let end = (start + limit).min(items.len());
    let more = end < items.len();
    ok(
        200,
        json!({"data": items[start..end], "has_more": more,
        "next_cursor": if more { json!(format!("cur_{end}")) } else { Value::Null }}),
    )
}

fn filtered(items: &[Value], query: &HashMap<String, String>, keys: &[&str]) -> Vec<Value> {
    items
        .iter()
        .filter(|item| {
            keys.iter()
                .all(|k| query.get(*k).is_none_or(|v| item[*k] == json!(v)))
        })
        .cloned()
        .collect()
}

/// Takes the run's next scripted step, unless it waits for a person.
fn advance(run: &mut FakeRun, spelling: &'static str) {
    let status = run.json["status"].as_str().unwrap_or_default().to_string();
    if status == spelling || status == "canceling" || status == "cancelling" {
        run.json["status"] = json!("canceled");
        return;
    }
    if matches!(
        status.as_str(),
        "interaction_required" | "review_required" | "completed" | "failed" | "canceled"
    ) {
        return;
    }
    let Some(stage) = run.queue.pop_front() else {
        return;
    };
    match stage {
        Stage::Running => run.json["status"] = json!("running"),
        Stage::Ask(code) => {
            run.code = Some(code);
            run.field = "code";
            run.json["status"] = json!("interaction_required");
            run.json["interaction"] = json!({"type": "mfa", "message": "Enter the 6-digit code sent to your phone",
                "fields": [{"name": "code", "type": "string", "label": "Verification code"}]});
        }
        Stage::Choose(account) => {
            run.code = Some(account);
            run.field = "account";
            run.json["status"] = json!("interaction_required");
            run.json["interaction"] = json!({"type": "account_selection", "message": "Choose the account to get the bills from",
                "fields": [{"name": "account", "type": "string", "label": "Account"}]});
        }
        Stage::Review => run.json["status"] = json!("review_required"),
        Stage::Done(output) => {
            run.json["status"] = json!("completed");
            run.json["result"] = json!("success");
            run.json["output"] = output;
        }
        Stage::Fail(errs) => {
            run.json["status"] = json!("failed");
            run.json["result"] = json!("failure");
            run.json["errors"] = errs;
        }
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().trim_start_matches("/v2").to_string();
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let body_text = String::from_utf8_lossy(&body).to_string();
    let mut w = shared.world.lock().unwrap_or_else(|e| e.into_inner());
    w.seen.push(Seen {
        method: method.to_string(),
        path: path.clone(),
        query: uri.query().unwrap_or("").to_string(),
        idempotency_key: header("idempotency-key"),
        authorization: header("authorization"),
        body: body_text.clone(),
    });
    if header("authorization") != Some(format!("Bearer {}", shared.key)) {
        return errors(401, "request", "api_key_invalid", "The API key is invalid.");
    }
    let mut late_fault = None;
    if let Some(fault) = w
        .faults
        .iter_mut()
        .find(|f| f.left > 0 && f.method == method.as_str() && path.contains(&f.path))
    {
        fault.left -= 1;
        let reply = (fault.status, fault.kind.clone(), fault.code.clone());
        if fault.after {
            late_fault = Some(reply);
        } else {
            return errors(reply.0, &reply.1, &reply.2, "Injected failure.");
        }
    }
    // Idempotency: the same key with the same request replays the first success.
    let key = header("idempotency-key");
    let fingerprint = format!("{method} {path} {body_text}");
    if let Some(key) = &key
        && let Some((seen, answer)) = w.idempotency.get(key)
    {
        if *seen != fingerprint {
            return errors(
                409,
                "idempotency",
                "idempotency_error",
                "Idempotency key has already been used with different parameters.",
            );
        }
        return ok(200, answer.clone());
    }
    let input: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (status, answer) = match route(&mut w, &method, &segments, &query, &input) {
        Ok(found) => found,
        Err(response) => return response,
    };
    if let Some(key) = key {
        w.idempotency.insert(key, (fingerprint, answer.clone()));
    }
    if let Some((status, kind, code)) = late_fault {
        return errors(
            status,
            &kind,
            &code,
            "Injected failure after the request took effect.",
        );
    }
    ok(status, answer)
}

// An error here is the finished response, returned once per request: its size is no cost.
#[allow(clippy::result_large_err)]
fn route(
    w: &mut World,
    method: &Method,
    segments: &[&str],
    query: &HashMap<String, String>,
    input: &Value,
) -> Result<(u16, Value), Response> {
    let not_found = |what: &str| {
        errors(
            404,
            "request",
            &format!("{what}_not_found"),
            &format!("The {what} does not exist."),
        )
    };
    let listed = |items: Vec<Value>| Err(page(items, query));
    match (method.as_str(), segments) {
        ("GET", ["test"]) => Ok((200, json!({"status": "ready", "environment": "live"}))),
        ("GET", ["agents"]) => listed(w.agents.clone()),
        ("POST", ["agents"]) => {
            let id = w.id("agt");
            let agent = json!({"id": id, "object": "agent", "name": input["name"], "description": null, "tasks": []});
            w.agents.push(agent.clone());
            Ok((201, agent))
        }
        ("GET", ["sources"]) => listed(w.sources.clone()),
        ("POST", ["sources"]) => {
            let id = w.id("src");
            let source = json!({"id": id, "object": "source", "type": "website", "website": input["website"], "name": input["name"]});
            w.sources.push(source.clone());
            Ok((200, source))
        }
        ("GET", ["tasks"]) => listed(filtered(&w.tasks, query, &["agent_id"])),
        ("POST", ["tasks"]) => {
            if input["name"].as_str().is_none_or(str::is_empty) {
                return Err(errors(
                    400,
                    "request",
                    "input_missing",
                    "`name` is required and cannot be empty.",
                ));
            }
            let id = w.id("task");
            let task = json!({"id": id, "object": "task", "name": input["name"], "agent_id": input["agent_id"],
                "prompt": input["prompt"], "status": "learning", "input_schema": input["input_schema"],
                "output_schema": input["output_schema"]});
            w.tasks.push(task.clone());
            Ok((201, task))
        }
        ("GET", ["tasks", id]) => w
            .tasks
            .iter()
            .find(|t| t["id"] == *id)
            .cloned()
            .map(|t| (200, t))
            .ok_or_else(|| not_found("task")),
        ("PATCH", ["tasks", id]) => {
            let task = w
                .tasks
                .iter_mut()
                .find(|t| t["id"] == *id)
                .ok_or_else(|| not_found("task"))?;
            if let Some(prompt) = input.get("prompt") {
                task["prompt"] = prompt.clone();
            }
            Ok((200, task.clone()))
        }
        ("POST", ["tasks", id, "run"]) => {
            let task = w
                .tasks
                .iter()
                .find(|t| t["id"] == *id)
                .cloned()
                .ok_or_else(|| not_found("task"))?;
            if input.get("source_id").is_none() && input.get("credential_id").is_none() {
                return Err(errors(
                    400,
                    "request",
                    "input_missing",
                    "Provide a source_id or a credential_id.",
                ));
            }
            let run_id = w.id("trun");
            let json = json!({"id": run_id, "object": "task_run", "status": "queued", "result": null,
                "task_id": id, "agent_id": task["agent_id"], "source_id": input.get("source_id"),
                "credential_id": input.get("credential_id"), "runtime_ms": 0, "output": null,
                "errors": [], "interaction": null, "created_at": "2026-11-29T05:00:00Z",
                "updated_at": "2026-11-29T05:00:00Z"});
            let queue = w.script.clone().into();
            w.runs.push(FakeRun {
                json: json.clone(),
                queue,
                code: None,
                field: "code",
            });
            Ok((201, json))
        }
        ("GET", ["task-runs"]) => {
            let runs: Vec<Value> = w.runs.iter().rev().map(|r| r.json.clone()).collect();
            listed(filtered(&runs, query, &["task_id"]))
        }
        ("GET", ["task-runs", id]) => {
            let spelling = w.cancel_spelling;
            let run = w.run_mut(id).ok_or_else(|| not_found("task_run"))?;
            advance(run, spelling);
            Ok((200, run.json.clone()))
        }
        ("GET", ["task-runs", id, "storage"]) => {
            w.run_mut(id).ok_or_else(|| not_found("task_run"))?;
            listed(Vec::new())
        }
        ("POST", ["task-runs", id, "cancel"]) => {
            let spelling = w.cancel_spelling;
            let run = w.run_mut(id).ok_or_else(|| not_found("task_run"))?;
            let status = run.json["status"].as_str().unwrap_or_default();
            if !matches!(status, "completed" | "failed" | "canceled") {
                run.json["status"] = json!(spelling);
                run.queue.clear();
            }
            Ok((200, run.json.clone()))
        }
        ("POST", ["task-runs", id, "interaction"]) => {
            let run = w.run_mut(id).ok_or_else(|| not_found("task_run"))?;
            if run.json["status"] != "interaction_required" {
                return Err(errors(
                    409,
                    "request",
                    "interaction_not_required",
                    "The run is not waiting for input.",
                ));
            }
            if input["input"][run.field].as_str() == run.code {
                run.json["status"] = json!("running");
                run.json["interaction"] = Value::Null;
            } else if run.field == "code" {
                run.json["interaction"]["message"] =
                    json!("That code was not accepted. Enter the new code sent to your phone");
            } else {
                run.json["interaction"]["message"] =
                    json!("That account was not found. Choose another account");
            }
            Ok((200, run.json.clone()))
        }
        ("GET", ["credentials"]) => {
            let safe: Vec<Value> = filtered(&w.credentials, query, &["source_id"])
                .into_iter()
                .map(|mut c| {
                    c["auth_credentials"] = json!({"username": c["auth_credentials"]["username"]});
                    c
                })
                .collect();
            listed(safe)
        }
        _ => Err(errors(
            404,
            "request",
            "route_not_found",
            "No such endpoint.",
        )),
    }
}

/// The records a completed run's output holds, `n` of them.
pub fn bills(n: usize) -> Value {
    let records: Vec<Value> = (1..=n)
        .map(|i| json!({"date": format!("2026-{:02}-01", (i - 1) % 12 + 1), "amount": format!("{}.50", 40 + i), "status": "paid"}))
        .collect();
    json!({"records": records})
}

/// A map from a JSON object literal.
pub fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => panic!("an object"),
    }
}
