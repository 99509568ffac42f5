//! A scriptable fake of the Sequentum cloud API on 127.0.0.1, for fault cases the embedded
//! engine cannot produce (rate limits, gateway errors, hangs, broken bodies).
//!
//! ```ignore
//! let fake = FakeApi::start().await;
//! let agent = fake.add_agent("Shop");
//! fake.script_run(agent, RunScript::completes(rows(10)));
//! fake.inject(Route::get("/api/v1/agent/all"), Fault::Status(503), 2);
//! let client = fake.client();           // fast retries, short timeout
//! // ... drive the client or an MCP tool, then:
//! assert_eq!(fake.count(&Route::post(&format!("/api/v1/agent/{agent}/start"))), 1);
//! ```
//!
//! Runs and builder sessions follow scripts (`scripts.rs`); every request is recorded
//! (`calls`, `count`, `wait_for_calls`); faults are armed per route for n requests (`inject`).
//! `/api/` paths require `Authorization: ApiKey <api_key()>` (or `Bearer <api_key()>`).

use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    net::SocketAddr,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use sequentum_mcp::api::{
    Client, ClientOptions, Credential, RetryPolicy,
    types::{AgentRun, RunStatus},
};
use serde_json::{Map, Value, json};
use tokio::{sync::watch, task::JoinHandle};
use url::Url;

use super::{
    faults::{Call, Fault, FaultRule, Route},
    records::FakeFile,
    routes,
    scripts::{BuilderEnd, BuilderScript, RunScript, Step},
};

/// Recorded calls kept (oldest dropped first), so a long test cannot grow without bound.
const MAX_RECORDED_CALLS: usize = 10_000;

/// How long `wait_for_calls` waits before failing the test.
const WAIT_LIMIT: Duration = Duration::from_secs(10);

/// The running fake. Dropping it stops the server.
pub struct FakeApi {
    pub(super) shared: Arc<Shared>,
    addr: SocketAddr,
    server: JoinHandle<()>,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeApi {
    pub async fn start() -> FakeApi {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let (calls_seen, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            api_key: format!("sk-fake-{:016x}", fastrand::u64(..)),
            origin: format!("http://{addr}"),
            world: Mutex::new(World::default()),
            calls_seen,
            bearer_users: Mutex::new(None),
        });
        let app = routes::router(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake API server");
        });
        FakeApi {
            shared,
            addr,
            server,
        }
    }

    pub fn base_url(&self) -> Url {
        Url::parse(&format!("http://{}", self.addr)).expect("valid URL")
    }

    /// The key the fake accepts (random per fake, so a leak is unmistakable).
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// Options for tests: 3 attempts, millisecond backoff, 500 ms per request, Retry-After
    /// honoured up to 2 s.
    pub fn client_options(&self) -> ClientOptions {
        let mut options =
            ClientOptions::new(self.base_url(), Credential::ApiKey(self.api_key().into()));
        options.request_timeout = Duration::from_millis(500);
        options.retry = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(2),
        };
        options
    }

    pub fn client(&self) -> Client {
        Client::new(self.client_options()).expect("client for the fake")
    }

    // ---- agents and runs ----

    /// Adds an agent (personal space, never run) and returns its id.
    pub fn add_agent(&self, name: &str) -> i64 {
        self.shared.world().add_agent(name)
    }

    /// Adds an agent only `user` sees (a bearer token `accept_bearer` maps to that user).
    pub fn add_agent_for(&self, name: &str, user: &str) -> i64 {
        let mut world = self.shared.world();
        let id = world.add_agent(name);
        world.agents.get_mut(&id).expect("just added").owner = Some(user.to_string());
        id
    }

    /// Also accepts `Authorization: Bearer <t>` for which `user_of` names a user, each seeing
    /// only the agents added for them (an OAuth API where each token is one user's).
    pub fn accept_bearer(&self, user_of: impl Fn(&str) -> Option<String> + Send + Sync + 'static) {
        *self
            .shared
            .bearer_users
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(Box::new(user_of));
    }

    /// The next start of `agent` follows `script` (queued; unscripted starts complete with
    /// `rows(3)`).
    pub fn script_run(&self, agent: i64, script: RunScript) {
        let mut world = self.shared.world();
        let entry = world
            .agents
            .get_mut(&agent)
            .expect("script_run: unknown agent");
        entry.next_runs.push_back(script);
    }

    /// A run that already exists (as if started earlier), at its first step.
    pub fn add_run(&self, agent: i64, script: RunScript) -> i64 {
        self.shared.world().create_run(agent, script)
    }

    /// Moves a run one step further (no effect on its last step).
    pub fn advance(&self, run: i64) {
        self.shared.world().run_mut(run).advance();
    }

    /// A run as the status endpoint would show it now, without advancing it.
    pub fn run(&self, run: i64) -> AgentRun {
        let body = self.shared.world().run_json(run).expect("run: unknown run");
        serde_json::from_value(body).expect("the fake's run body decodes")
    }

    /// Adds an output file to a run and returns its file id.
    pub fn add_file(&self, run: i64, file: FakeFile) -> i64 {
        self.shared.world().add_file(run, file)
    }

    /// Makes `/agent/all` answer a bare array even with paging parameters.
    pub fn set_bare_agent_list(&self, bare: bool) {
        self.shared.world().bare_agent_list = bare;
    }

    // ---- Agent Builder ----

    /// The next builder start follows `script` (queued; unscripted sessions complete).
    pub fn script_builder(&self, script: BuilderScript) {
        self.shared.world().builder_queue.push_back(script);
    }

    pub fn advance_builder(&self, session: &str) {
        self.shared.world().session_advance(session);
    }

    // ---- faults and recording ----

    /// Arms `fault` for the next `times` requests matching `route` (`u32::MAX`: all of them).
    /// Faults are tried in the order armed; the first that matches applies.
    pub fn inject(&self, route: Route, fault: Fault, times: u32) {
        self.shared.world().faults.push(FaultRule {
            route,
            fault,
            remaining: times,
        });
    }

    pub fn clear_faults(&self) {
        self.shared.world().faults.clear();
    }

    pub fn calls(&self, route: &Route) -> Vec<Call> {
        self.shared
            .world()
            .calls
            .iter()
            .filter(|c| route.matches(&c.method, &c.path))
            .cloned()
            .collect()
    }

    pub fn count(&self, route: &Route) -> usize {
        self.calls(route).len()
    }

    /// Waits (up to 10 s, then panics) until at least `n` requests matched `route`, and
    /// returns them. For asserting on requests whose answer the client never waited for.
    pub async fn wait_for_calls(&self, route: &Route, n: usize) -> Vec<Call> {
        let mut seen = self.shared.calls_seen.subscribe();
        let waited = tokio::time::timeout(WAIT_LIMIT, async {
            loop {
                let calls = self.calls(route);
                if calls.len() >= n {
                    return calls;
                }
                seen.changed().await.expect("fake API alive");
            }
        })
        .await;
        waited.unwrap_or_else(|_| panic!("fewer than {n} calls to {route:?} within {WAIT_LIMIT:?}"))
    }
}

/// State shared by the server and the test.
pub struct Shared {
    pub(super) api_key: String,
    /// `http://127.0.0.1:<port>`, for absolute signed URLs.
    pub(super) origin: String,
    world: Mutex<World>,
    /// Bumped on every recorded call, so waiters wake without polling on a timer.
    calls_seen: watch::Sender<usize>,
    /// Maps a bearer token to its user (`accept_bearer`).
    bearer_users: Mutex<Option<UserOf>>,
}

type UserOf = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The user a request's bearer token belongs to (in the request's extensions).
#[derive(Clone, Debug, PartialEq)]
pub struct ApiUser(pub String);

impl Shared {
    /// The world lock; never held across an await.
    pub(super) fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a call and returns the fault armed for it, if any.
    pub(super) fn record(&self, call: Call) -> Option<Fault> {
        let fault = {
            let mut world = self.world();
            let fault = world
                .faults
                .iter_mut()
                .find(|r| r.remaining > 0 && r.route.matches(&call.method, &call.path))
                .map(|rule| {
                    rule.remaining -= 1;
                    rule.fault.clone()
                });
            if world.calls.len() >= MAX_RECORDED_CALLS {
                world.calls.remove(0);
            }
            world.calls.push(call);
            fault
        };
        self.calls_seen.send_modify(|n| *n += 1);
        fault
    }

    /// The user of a bearer token `accept_bearer` knows.
    pub(super) fn user_of(&self, header: Option<&str>) -> Option<String> {
        let token = header?.strip_prefix("Bearer ")?;
        let users = self.bearer_users.lock().unwrap_or_else(|e| e.into_inner());
        users.as_ref().and_then(|user_of| user_of(token))
    }

    pub(super) fn authorized(&self, header: Option<&str>) -> bool {
        let Some(value) = header else { return false };
        let secret = value
            .strip_prefix("ApiKey ")
            .or_else(|| value.strip_prefix("Bearer "));
        secret == Some(self.api_key.as_str())
    }
}

#[derive(Default)]
pub(super) struct World {
    next_id: i64,
    pub agents: BTreeMap<i64, AgentEntry>,
    pub runs: BTreeMap<i64, RunEntry>,
    pub files: BTreeMap<i64, FileEntry>,
    /// Signed-URL token -> file id.
    pub signed: HashMap<String, i64>,
    pub sessions: HashMap<String, Session>,
    pub builder_queue: VecDeque<BuilderScript>,
    pub faults: Vec<FaultRule>,
    pub calls: Vec<Call>,
    pub bare_agent_list: bool,
    /// State of the agents, spaces and usage toolsets' routes.
    pub extras: super::toolset_routes::Extras,
    /// Schedules as the API answers them (see `schedules.rs`).
    pub schedules: Vec<Value>,
}

pub(super) struct AgentEntry {
    pub id: i64,
    pub name: String,
    /// Only this user's bearer tokens see the agent; `None`: the API key's agents.
    pub owner: Option<String>,
    pub next_runs: VecDeque<RunScript>,
}

pub(super) struct RunEntry {
    pub id: i64,
    pub agent_id: i64,
    pub script: RunScript,
    pub at: usize,
}

pub(super) struct FileEntry {
    pub run_id: i64,
    pub file: FakeFile,
}

pub(super) struct Session {
    pub script: BuilderScript,
    /// Events out so far, with their index and timestamp.
    pub emitted: Vec<Value>,
    pub status: &'static str,
    pub agent: Option<(i64, String)>,
}

/// Fixed times, so bodies are deterministic; `startTime` comes without an offset and with
/// seven fractional digits, as the live API echoes it.
const CREATED: &str = "2026-01-15T10:00:00Z";
const STARTED: &str = "2026-01-15T10:00:01.1234567";
const ENDED: &str = "2026-01-15T10:05:00+00:00";

impl World {
    fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn add_agent(&mut self, name: &str) -> i64 {
        let id = self.next_id();
        self.agents.insert(
            id,
            AgentEntry {
                id,
                name: name.to_string(),
                owner: None,
                next_runs: VecDeque::new(),
            },
        );
        id
    }

    pub fn create_run(&mut self, agent_id: i64, script: RunScript) -> i64 {
        assert!(
            self.agents.contains_key(&agent_id),
            "unknown agent {agent_id}"
        );
        let id = self.next_id();
        for file in script.files.clone() {
            self.add_file(id, file);
        }
        self.runs.insert(
            id,
            RunEntry {
                id,
                agent_id,
                script,
                at: 0,
            },
        );
        id
    }

    pub fn add_file(&mut self, run_id: i64, file: FakeFile) -> i64 {
        let id = self.next_id();
        self.files.insert(id, FileEntry { run_id, file });
        id
    }

    pub fn run_mut(&mut self, run: i64) -> &mut RunEntry {
        self.runs.get_mut(&run).expect("unknown run")
    }

    pub fn agent_json(&self, agent: &AgentEntry) -> Value {
        let last = self.runs.values().rev().find(|r| r.agent_id == agent.id);
        json!({
            "id": agent.id,
            "name": agent.name,
            "description": format!("Fake agent {}", agent.name),
            "configType": 1,
            "spaceId": null,
            "status": last.map(|r| r.current().status.clone()),
            "lastActivity": last.map(|_| STARTED),
            "version": self.extras.version(agent.id),
            "startUrl": "https://shop.example.test/",
            "inputParameters": {"category": "all"},
            "isActive": true,
            "isArchived": self.extras.is_archived(agent.id),
            "created": CREATED,
            "updated": CREATED,
        })
    }

    pub fn run_json(&self, run: i64) -> Option<Value> {
        let run = self.runs.get(&run)?;
        let step = run.current();
        let agent = &self.agents[&run.agent_id];
        let mut body = json!({
            "id": run.id,
            "configId": run.agent_id,
            "configName": agent.name,
            "spaceId": null,
            "parallelism": 1,
            "parallelExport": "Combined",
            "startTime": STARTED,
            "endTime": step.code().is_terminal().then_some(ENDED),
            "created": CREATED,
            "status": step.status,
            "message": step.message,
            "configVersion": 1,
            "actionCount": step.pages * 3,
            "pageCount": step.pages,
            "dynamicPageCount": 0,
            "requestCount": step.pages * 5,
            "dataCount": step.data,
            "inputCount": 0,
            "errorCount": step.errors,
            "exportCount": step.exported,
            "traffic": step.pages * 40_000,
            "runTimeSec": run.at * 2,
            "serverName": "fake-1",
            "tableType": "run",
        });
        let map = body.as_object_mut().expect("object");
        map.extend(run.script.fields.clone());
        Some(body)
    }

    pub fn file_json(id: i64, entry: &FileEntry) -> Value {
        json!({
            "id": id,
            "fileType": entry.file.file_type,
            "name": entry.file.name,
            "fileSize": entry.file.bytes.len(),
            "created": CREATED,
        })
    }

    /// Restarts a run in Failure in place; `Err` says why not.
    pub fn restart_run(&mut self, run: i64) -> Result<(), String> {
        let entry = self.run_mut(run);
        if entry.current().code() != RunStatus::FAILURE {
            return Err(format!(
                "Run {run} is {}; only a run in Failure can be restarted",
                entry.current().code().name()
            ));
        }
        let next = match entry.script.restart.take() {
            Some(next) => *next,
            None => {
                let mut plain = RunScript::steps(vec![
                    Step::new(3),
                    Step::new(1).pages(1),
                    Step::new(9).pages(2),
                ]);
                plain.manual = entry.script.manual;
                plain
            }
        };
        entry.at = 0;
        entry.script = next.clone();
        for file in next.files {
            self.add_file(run, file);
        }
        Ok(())
    }

    pub fn start_session(&mut self) -> String {
        let id = format!("sess-{}", self.next_id());
        let script = self
            .builder_queue
            .pop_front()
            .unwrap_or_else(|| BuilderScript::completes("Built agent", Vec::new()));
        self.sessions.insert(
            id.clone(),
            Session {
                script,
                emitted: Vec::new(),
                status: "processing",
                agent: None,
            },
        );
        id
    }

    /// Releases the session's next event, or ends it once all are out.
    pub fn session_advance(&mut self, id: &str) {
        let Some(session) = self.sessions.get_mut(id) else {
            return;
        };
        if session.status != "processing" {
            return;
        }
        if let Some(event) = session.script.events.get(session.emitted.len()).cloned() {
            emit(session, event);
            return;
        }
        match session.script.end.clone() {
            BuilderEnd::Completed { agent_name, .. } => {
                session.status = "completed";
                let agent = self.add_agent(&agent_name);
                if let Some(session) = self.sessions.get_mut(id) {
                    session.agent = Some((agent, agent_name));
                }
            }
            BuilderEnd::Error(message) => {
                session.status = "error";
                let event = json!({"type": "error", "message": message, "isRecoverable": false});
                emit(session, event);
            }
            BuilderEnd::UntilStopped => {}
        }
    }

    pub fn session_json(&self, id: &str) -> Option<Value> {
        let session = self.sessions.get(id)?;
        let mut body = Map::new();
        body.insert("status".into(), json!(session.status));
        body.insert(
            "agentElapsedSeconds".into(),
            json!(session.emitted.len() as f64 * 1.5),
        );
        if let Some((agent_id, name)) = &session.agent {
            body.insert("agentId".into(), json!(agent_id));
            body.insert("agentName".into(), json!(name));
        }
        match &session.script.end {
            BuilderEnd::Completed { sample_records, .. } if session.status == "completed" => {
                body.insert("sampleRecords".into(), json!(sample_records));
            }
            BuilderEnd::Error(message) if session.status == "error" => {
                body.insert("error".into(), json!(message));
            }
            _ => {}
        }
        Some(Value::Object(body))
    }
}

fn emit(session: &mut Session, mut event: Value) {
    let index = session.emitted.len();
    if let Some(map) = event.as_object_mut() {
        map.insert("eventIndex".into(), json!(index));
        map.insert("timestamp".into(), json!(CREATED));
    }
    session.emitted.push(event);
}

impl RunEntry {
    pub fn current(&self) -> &Step {
        &self.script.steps[self.at]
    }

    pub fn advance(&mut self) {
        if self.at + 1 < self.script.steps.len() {
            self.at += 1;
        }
    }

    /// Replaces what is left of the script with `then`, moving to its first step.
    fn divert(&mut self, then: &[RunStatus]) {
        let now = self.current().clone();
        self.script.steps.truncate(self.at + 1);
        self.script
            .steps
            .extend(then.iter().map(|code| now.with_code(*code)));
        self.at += 1;
    }

    /// Graceful stop: Stopping now, Stopped one step later. No effect on a stopping or
    /// finished run.
    pub fn stop(&mut self) {
        let code = self.current().code();
        if !code.is_terminal() && code != RunStatus::STOPPING {
            self.divert(&[RunStatus::STOPPING, RunStatus::STOPPED]);
        }
    }

    /// First kill = stop; a kill while Stopping terminates at once.
    pub fn kill(&mut self) {
        if self.current().code() == RunStatus::STOPPING {
            self.divert(&[RunStatus::STOPPED]);
        } else {
            self.stop();
        }
    }
}
