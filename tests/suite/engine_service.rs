//! The engine as a background service, with real processes: the built binary serving MCP over
//! stdio on a temporary data directory, the engine it starts in the background, and the slow
//! fixture site holding runs open after their first page. Everything waits on events (answers,
//! files, run status, the lock), never on fixed sleeps, and every test stops its engine through
//! the engine's control endpoint (`sequentum-mcp engine stop`).
//!
//! The tests print what the issue asks to be measured: records lost across interruptions,
//! the time a second client takes to attach, and the idle engine's memory.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};

use crate::engine_fixture::{PAGES, PER_PAGE, definition, site, wait_run};
use sequentum_mcp::{
    api::{Client, ClientOptions, Credential},
    local::service::{address::EngineAddress, lock},
};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines},
    process::{Child, ChildStdin, ChildStdout, Command},
};

const BIN: &str = env!("CARGO_BIN_EXE_sequentum-mcp");
const TOTAL: i64 = (PAGES * PER_PAGE) as i64;
/// Bound on any one wait; far above what each step needs.
const LIMIT: Duration = Duration::from_secs(60);

/// A temporary data directory whose engine is stopped when the test ends, however it ends.
struct DataDir(tempfile::TempDir);

impl DataDir {
    fn new() -> DataDir {
        DataDir(tempfile::tempdir().unwrap())
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        // Normally already stopped by the test; this catches a test that failed half-way.
        let _ = std::process::Command::new(BIN)
            .args(["engine", "stop", "--data-dir"])
            .arg(self.path())
            .stdout(Stdio::null())
            .status();
    }
}

/// `sequentum-mcp` serving MCP over stdio on the local backend, as an MCP client launches it.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Lines<BufReader<ChildStdout>>,
    next_id: u64,
    /// What the server told the client at the handshake.
    instructions: String,
}

impl Server {
    /// Starts the server and completes the MCP handshake.
    async fn start(dir: &Path) -> Server {
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(dir)
            .env("SEQUENTUM_BACKEND", "local")
            .env_remove("SEQUENTUM_API_KEY")
            .env_remove("SEQUENTUM_ACCESS_TOKEN")
            .env_remove("SEQUENTUM_MCP_ENGINE_MODE")
            .env_remove("SEQUENTUM_MCP_ENGINE_IDLE_SECS")
            // The engine it starts inherits this; its default logs what the tests read.
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("the binary starts");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut server = Server {
            child,
            stdin,
            stdout,
            next_id: 1,
            instructions: String::new(),
        };
        let init = json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}});
        let initialized = server.request("initialize", init).await;
        server.instructions = initialized["instructions"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        server
            .send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        server
    }

    async fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin
            .write_all(format!("{message}\n").as_bytes())
            .await
            .unwrap();
        stdin.flush().await.unwrap();
    }

    /// Sends a request and returns its result, skipping notifications.
    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        let deadline = tokio::time::Instant::now() + LIMIT;
        loop {
            let line = tokio::time::timeout_at(deadline, self.stdout.next_line())
                .await
                .unwrap_or_else(|_| panic!("no answer to {method} in time"))
                .unwrap()
                .expect("the server answers before closing stdout");
            let message: Value = serde_json::from_str(&line).expect("stdout carries JSON");
            if message["id"] == id {
                return message["result"].clone();
            }
        }
    }

    /// Calls a tool that must succeed; returns its structured result.
    async fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let result = self
            .request("tools/call", json!({"name": tool, "arguments": arguments}))
            .await;
        assert_ne!(result["isError"], true, "{tool} failed: {result}");
        result["structuredContent"].clone()
    }

    /// The client goes away: stdin closes and the server exits.
    async fn exit(mut self) {
        drop(self.stdin.take());
        let status = tokio::time::timeout(LIMIT, self.child.wait())
            .await
            .expect("the server exits when its client leaves")
            .unwrap();
        assert!(status.success(), "server exit status {status}");
    }
}

/// The data directory's engine, once its address file is there and it answers.
async fn engine(dir: &Path) -> EngineAddress {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + LIMIT;
    loop {
        if let Some((address, _)) = sequentum_mcp::local::service::attach::running(&http, dir).await
        {
            return address;
        }
        assert!(Instant::now() < deadline, "no engine answered for {dir:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn rest(address: &EngineAddress) -> Client {
    Client::new(ClientOptions::new(
        address.url.clone(),
        Credential::ApiKey(address.key.clone()),
    ))
    .unwrap()
}

/// Creates an agent reading the site's slow pages, through the engine's REST API.
async fn slow_agent(
    address: &EngineAddress,
    site: &crate::engine_fixture::Site,
    name: &str,
) -> i64 {
    let def = definition(&site.base.join("slow").unwrap(), PAGES, None);
    let response = reqwest::Client::new()
        .post(address.url.join("api/v1/agent").unwrap())
        .header("Authorization", format!("ApiKey {}", address.key))
        .json(&json!({"name": name, "definition": def}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Starts a run through MCP; returns its id.
async fn run(server: &mut Server, agent: i64) -> i64 {
    let started = server
        .call("run_agent", json!({"agent_id": agent, "wait_seconds": 0}))
        .await;
    started["run_id"].as_i64().unwrap()
}

/// Waits until the engine has saved `records` records of the run.
async fn saved(address: &EngineAddress, agent: i64, run: i64, records: i64) {
    wait_run(&rest(address), agent, run, LIMIT, "saved records", |r| {
        r.data_count == Some(records)
    })
    .await;
}

/// The run's status once it has ended, through MCP.
async fn ended(server: &mut Server, agent: i64, run: i64) -> Value {
    let deadline = Instant::now() + LIMIT;
    loop {
        let status = server
            .call(
                "get_run_status",
                json!({"agent_id": agent, "run_id": run, "wait_seconds": 10}),
            )
            .await;
        if status["terminal"] == true {
            return status;
        }
        assert!(Instant::now() < deadline, "run {run} did not end: {status}");
    }
}

/// Every record of the run, paged through fetch_records (`run` `None`: the default run).
async fn read_all(server: &mut Server, agent: i64, run: Option<i64>) -> (i64, Vec<Value>) {
    let mut args = json!({"agent_id": agent, "limit": 100});
    if let Some(run) = run {
        args["run_id"] = json!(run);
    }
    let mut records = Vec::new();
    loop {
        let page = server.call("fetch_records", args.clone()).await;
        records.extend(page["records"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => args["cursor"] = json!(cursor),
            None => return (page["run_id"].as_i64().unwrap(), records),
        }
    }
}

/// Stops the engine through its control endpoint and waits until it is gone.
async fn stop_engine(dir: &Path) {
    let status = Command::new(BIN)
        .args(["engine", "stop", "--data-dir"])
        .arg(dir)
        .stdout(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(status.success());
    assert!(
        !lock::is_held(dir),
        "the engine is gone after `engine stop`"
    );
}

/// Waits until no process holds the data directory's lock (the engine died).
async fn gone(dir: &Path) {
    let deadline = Instant::now() + LIMIT;
    while lock::is_held(dir) {
        assert!(Instant::now() < deadline, "the engine did not go away");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn signal(pid: u32, name: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name} {pid}");
}

/// Resident memory of a process, from /proc.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(unix)]
fn mode(path: PathBuf) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(&path).unwrap().permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_one_engine_and_neither_disturbs_the_other() {
    let site = site().await;
    let dir = DataDir::new();
    let mut first = Server::start(dir.path()).await;
    let address = engine(dir.path()).await;
    let a = slow_agent(&address, &site, "First").await;
    let run_a = run(&mut first, a).await;
    site.gate.add_permits(1);
    saved(&address, a, run_a, PER_PAGE as i64).await;

    // A second client arrives while the first one's run is mid-way.
    let arriving = Instant::now();
    let mut second = Server::start(dir.path()).await;
    let attached = arriving.elapsed();
    second.call("list_agents", json!({})).await;
    let first_call = arriving.elapsed();
    eprintln!(
        "MEASURE second client attach: spawn to initialize answered {attached:?}, to first tool answer {first_call:?}"
    );
    assert_eq!(
        engine(dir.path()).await,
        address,
        "the second server uses the same engine"
    );
    let during = second
        .call("get_run_status", json!({"agent_id": a, "run_id": run_a}))
        .await;
    assert_eq!(during["terminal"], false, "{during}");

    let b = slow_agent(&address, &site, "Second").await;
    let run_b = run(&mut second, b).await;
    site.gate.add_permits(2 * PAGES as usize);
    let done_a = ended(&mut first, a, run_a).await;
    let done_b = ended(&mut second, b, run_b).await;
    for done in [&done_a, &done_b] {
        assert_eq!(done["status"], "Completed", "{done}");
        assert_eq!(done["records_extracted"], TOTAL);
        assert_eq!(done["records_exported"], TOTAL);
    }
    // Each reads the other's run too; the default run is the one with records.
    let (read_run, records) = read_all(&mut second, a, None).await;
    assert_eq!((read_run, records.len() as i64), (run_a, TOTAL));
    let (_, records) = read_all(&mut first, b, Some(run_b)).await;
    assert_eq!(records.len() as i64, TOTAL);

    if let Some(kib) = rss_kib(address.pid) {
        eprintln!("MEASURE engine RSS after two runs, idle: {kib} KiB");
    }
    #[cfg(unix)]
    {
        for file in ["engine.json", "engine.db", "engine.log", "engine.lock"] {
            assert_eq!(mode(dir.path().join(file)), 0o600, "{file}");
        }
        assert_eq!(mode(dir.path().join("files")), 0o700);
        let run_dir = dir.path().join("files").join(run_a.to_string());
        assert_eq!(mode(run_dir.clone()), 0o700);
        for entry in std::fs::read_dir(run_dir).unwrap() {
            assert_eq!(mode(entry.unwrap().path()), 0o600);
        }
    }
    first.exit().await;
    second.exit().await;
    // The engine outlives both servers until it is stopped.
    assert_eq!(engine(dir.path()).await, address);
    stop_engine(dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_goes_on_after_its_client_leaves() {
    let site = site().await;
    let dir = DataDir::new();
    let mut first = Server::start(dir.path()).await;
    let address = engine(dir.path()).await;
    let agent = slow_agent(&address, &site, "Outlives").await;
    let run_id = run(&mut first, agent).await;
    site.gate.add_permits(1);
    saved(&address, agent, run_id, PER_PAGE as i64).await;
    first.exit().await;

    // The client that started the run is gone; a new one finds it still going, and sees it
    // through to the end.
    let mut later = Server::start(dir.path()).await;
    let going = later
        .call(
            "get_run_status",
            json!({"agent_id": agent, "run_id": run_id}),
        )
        .await;
    assert_eq!(going["status"], "Running", "{going}");
    site.gate.add_permits(PAGES as usize);
    let done = ended(&mut later, agent, run_id).await;
    assert_eq!(done["status"], "Completed", "{done}");
    assert_eq!(done["records_extracted"], TOTAL);
    let (_, records) = read_all(&mut later, agent, None).await;
    assert_eq!(records.len() as i64, TOTAL);
    eprintln!(
        "MEASURE records lost after the client left: {}",
        TOTAL - records.len() as i64
    );
    later.exit().await;
    stop_engine(dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_kill_9_the_attached_server_starts_a_new_engine_that_keeps_every_record() {
    let site = site().await;
    let dir = DataDir::new();
    let mut server = Server::start(dir.path()).await;
    let address = engine(dir.path()).await;
    let agent = slow_agent(&address, &site, "Killed").await;
    let run_id = run(&mut server, agent).await;
    site.gate.add_permits(2);
    let reported = 2 * PER_PAGE as i64;
    saved(&address, agent, run_id, reported).await;

    signal(address.pid, "KILL");
    gone(dir.path()).await;

    // The same server's next call finds the engine dead and starts a new one, which recovers
    // the run: terminal, restartable, and every record it reported readable.
    let noticed = Instant::now();
    let status = server
        .call(
            "get_run_status",
            json!({"agent_id": agent, "run_id": run_id}),
        )
        .await;
    eprintln!(
        "MEASURE call after kill -9 answered by a new engine in {:?}",
        noticed.elapsed()
    );
    let restarted = engine(dir.path()).await;
    assert_ne!(restarted.pid, address.pid);
    assert_ne!(restarted.instance, address.instance);
    assert_eq!(status["status"], "Failure", "{status}");
    assert_eq!(status["terminal"], true);
    assert_eq!(status["restartable"], true);
    assert_eq!(status["records_extracted"], reported);
    assert_eq!(status["records_exported"], reported);
    let (_, records) = read_all(&mut server, agent, Some(run_id)).await;
    eprintln!(
        "MEASURE records lost across kill -9: {}",
        reported - records.len() as i64
    );
    assert_eq!(records.len() as i64, reported);
    let names: Vec<&str> = records
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Item 1-1", "Item 1-2", "Item 2-1", "Item 2-2"]);

    // The crash left no record of the pages it had not read, so a restart would start over and
    // drop the records kept: it is refused, saying so, and a new run reads the whole site while
    // the killed run's records stay readable.
    let refused = rest(&restarted)
        .restart_run(agent, run_id)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("start a new run"), "{refused}");
    let again = run(&mut server, agent).await;
    assert_ne!(again, run_id);
    // The site still owes the abandoned request, so spare permits.
    site.gate.add_permits(2 * PAGES as usize + 1);
    let done = ended(&mut server, agent, again).await;
    assert_eq!(done["status"], "Completed", "{done}");
    assert_eq!(done["records_extracted"], TOTAL);
    let (_, kept) = read_all(&mut server, agent, Some(run_id)).await;
    assert_eq!(kept.len() as i64, reported);
    // The engine's log records the killed run's failure, found by the next engine.
    let log = std::fs::read_to_string(dir.path().join("engine.log")).unwrap();
    assert!(
        log.lines()
            .any(|l| l.contains("WARN") && l.contains(&format!("run failed run_id={run_id} "))),
        "{log}"
    );
    server.exit().await;
    stop_engine(dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_active_runs_with_their_records() {
    let site = site().await;
    let dir = DataDir::new();
    let mut server = Server::start(dir.path()).await;
    let address = engine(dir.path()).await;
    let agent = slow_agent(&address, &site, "Terminated").await;
    let run_id = run(&mut server, agent).await;
    site.gate.add_permits(1);
    let reported = PER_PAGE as i64;
    saved(&address, agent, run_id, reported).await;

    signal(address.pid, "TERM");
    gone(dir.path()).await;
    let log = std::fs::read_to_string(dir.path().join("engine.log")).unwrap();
    assert!(log.contains("reason=\"terminated\""), "{log}");
    // The log tells about the run: its start, and its end with status and counters.
    let about = |what: &str| {
        log.lines()
            .find(|l| l.contains(&format!("{what} run_id={run_id} agent=Terminated")))
            .unwrap_or_else(|| panic!("no '{what}' line for run {run_id}: {log}"))
            .to_string()
    };
    about("run started");
    let ended = about("run ended");
    assert!(
        ended.contains("status=Stopped") && ended.contains(&format!("records={reported}")),
        "{ended}"
    );

    let status = server
        .call(
            "get_run_status",
            json!({"agent_id": agent, "run_id": run_id}),
        )
        .await;
    assert_eq!(status["status"], "Stopped", "{status}");
    assert!(
        status["message"]
            .as_str()
            .unwrap()
            .starts_with("Stopped because the engine shut down"),
        "{status}"
    );
    assert_eq!(status["records_extracted"], reported);
    assert_eq!(status["records_exported"], reported);
    let (_, records) = read_all(&mut server, agent, None).await;
    eprintln!(
        "MEASURE records lost across SIGTERM: {}",
        reported - records.len() as i64
    );
    assert_eq!(records.len() as i64, reported);
    site.gate.add_permits(PAGES as usize);
    server.exit().await;
    stop_engine(dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_engine_exits_by_itself() {
    let dir = DataDir::new();
    let mut engine_process = Command::new(BIN)
        .args(["engine", "run", "--idle-secs", "1", "--data-dir"])
        .arg(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let address = engine(dir.path()).await;
    if let Some(kib) = rss_kib(address.pid) {
        eprintln!("MEASURE fresh idle engine RSS: {kib} KiB");
    }
    // A second engine on the same directory leaves at once and quietly.
    let second = Command::new(BIN)
        .args(["engine", "run", "--data-dir"])
        .arg(dir.path())
        .stderr(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(second.success());
    assert_eq!(engine(dir.path()).await, address);

    let status = tokio::time::timeout(LIMIT, engine_process.wait())
        .await
        .expect("the idle engine exits")
        .unwrap();
    assert!(status.success(), "{status}");
    assert!(!dir.path().join("engine.json").exists());
    assert!(!lock::is_held(dir.path()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_starting_at_once_start_one_engine() {
    let site = site().await;
    let dir = DataDir::new();
    let (mut a, mut b, mut c) = tokio::join!(
        Server::start(dir.path()),
        Server::start(dir.path()),
        Server::start(dir.path())
    );
    let address = engine(dir.path()).await;
    slow_agent(&address, &site, "Seen by all").await;
    for server in [&mut a, &mut b, &mut c] {
        let agents = server.call("list_agents", json!({})).await;
        assert_eq!(agents["agents"][0]["name"], "Seen by all", "{agents}");
    }
    for server in [a, b, c] {
        server.exit().await;
    }
    stop_engine(dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_binary_replaces_an_older_idle_engine() {
    use std::sync::{Arc, Mutex};

    use axum::{
        Json, Router,
        extract::{Query, State},
        http::StatusCode,
        routing::{get, post},
    };

    // An "older engine": it holds the lock, publishes its address, answers health with an old
    // version, and on a shutdown request lets go of the lock and its address file.
    #[derive(Clone)]
    struct Old {
        dir: PathBuf,
        lock: Arc<Mutex<Option<lock::DataDirLock>>>,
        asked: Arc<Mutex<Vec<String>>>,
    }
    async fn health() -> Json<Value> {
        Json(json!({
            "service": "sequentum-mcp-engine", "version": "0.0.1", "instance": "old",
            "pid": 1, "uptimeSeconds": 60, "activeRuns": 0, "idleSeconds": 60
        }))
    }
    async fn shutdown(
        State(old): State<Old>,
        Query(query): Query<Vec<(String, String)>>,
    ) -> StatusCode {
        old.asked
            .lock()
            .unwrap()
            .extend(query.into_iter().map(|(k, v)| format!("{k}={v}")));
        std::fs::remove_file(old.dir.join("engine.json")).unwrap();
        old.lock.lock().unwrap().take();
        StatusCode::ACCEPTED
    }

    let dir = DataDir::new();
    let old = Old {
        dir: dir.path().to_path_buf(),
        lock: Arc::new(Mutex::new(Some(
            lock::DataDirLock::acquire(dir.path()).unwrap(),
        ))),
        asked: Arc::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = url::Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let app = Router::new()
        .route("/engine/health", get(health))
        .route("/engine/shutdown", post(shutdown))
        .with_state(old.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    EngineAddress {
        url,
        key: "sk-local-old".into(),
        instance: "old".into(),
        pid: 1,
        version: "0.0.1".into(),
        demo: None,
    }
    .write(dir.path())
    .unwrap();

    let mut server = Server::start(dir.path()).await;
    assert_eq!(*old.asked.lock().unwrap(), ["ifIdle=true"]);
    let replacement = engine(dir.path()).await;
    assert_eq!(replacement.version, env!("CARGO_PKG_VERSION"));
    server.call("list_agents", json!({})).await;
    server.exit().await;
    stop_engine(dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_address_file_and_a_deleted_lock_recover_without_a_second_engine() {
    let site = site().await;
    let dir = DataDir::new();
    let mut first = Server::start(dir.path()).await;
    let address = engine(dir.path()).await;
    let agent = slow_agent(&address, &site, "Damaged").await;
    let run_id = run(&mut first, agent).await;
    site.gate.add_permits(1);
    saved(&address, agent, run_id, PER_PAGE as i64).await;

    // Mid-run, the address file is corrupted and the lock file deleted.
    std::fs::write(dir.path().join("engine.json"), b"{ not json").unwrap();
    std::fs::remove_file(dir.path().join("engine.lock")).unwrap();

    // A new server attaches to the same engine: none other opens the database.
    let mut second = Server::start(dir.path()).await;
    let found = engine(dir.path()).await;
    assert_eq!(
        (found.pid, &found.instance),
        (address.pid, &address.instance)
    );
    assert_eq!(lock::holder(dir.path()), Some(address.pid));
    let status = Command::new(BIN)
        .args(["engine", "status", "--data-dir"])
        .arg(dir.path())
        .output()
        .await
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.starts_with("running"), "{status}");
    assert!(status.contains(&address.pid.to_string()), "{status}");

    // The run was never disturbed: it completes with every record.
    site.gate.add_permits(2 * PAGES as usize);
    let done = ended(&mut second, agent, run_id).await;
    assert_eq!(done["status"], "Completed", "{done}");
    let (_, records) = read_all(&mut second, agent, Some(run_id)).await;
    assert_eq!(records.len() as i64, TOTAL);
    first.exit().await;
    second.exit().await;
    stop_engine(dir.path()).await;
}

#[tokio::test]
async fn a_bad_toolset_is_refused_before_any_engine_starts() {
    let dir = DataDir::new();
    let out = Command::new(BIN)
        .args(["--toolsets", "bogus", "--data-dir"])
        .arg(dir.path())
        .env("SEQUENTUM_BACKEND", "local")
        .env_remove("SEQUENTUM_API_KEY")
        .env_remove("SEQUENTUM_ACCESS_TOKEN")
        .env_remove("SEQUENTUM_MCP_ENGINE_MODE")
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bogus"), "{stderr}");
    // Starting an engine writes its log first; nothing was started.
    assert!(
        !dir.path()
            .join(sequentum_mcp::local::service::LOG_FILE)
            .exists()
    );
    assert!(!lock::is_held(dir.path()));
}

/// The demo shop the instructions announce, from the line `Demo shop: URL`.
fn announced_demo(server: &Server) -> String {
    let line = server
        .instructions
        .lines()
        .find_map(|l| l.strip_prefix("Demo shop: "))
        .unwrap_or_else(|| panic!("no demo shop in {}", server.instructions));
    line.trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_agent_runs_in_the_next_conversation_after_the_engine_restarted() {
    let dir = DataDir::new();
    let mut first = Server::start(dir.path()).await;
    let shop = announced_demo(&first);
    let prompt = format!("Get the name, price and SKU of every product from {shop}");
    let mut build = first
        .call("build_agent", json!({"prompt": prompt, "wait_seconds": 30}))
        .await;
    let deadline = Instant::now() + LIMIT;
    while build["status"] == "building" {
        assert!(Instant::now() < deadline, "the build did not end: {build}");
        let session = json!({"session_id": build["session_id"], "wait_seconds": 30});
        build = first.call("build_agent", session).await;
    }
    let agent = build["agent_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("the build made an agent: {build}"));
    // The conversation ends, and so does the engine (as after its idle exit).
    first.exit().await;
    stop_engine(dir.path()).await;

    let mut second = Server::start(dir.path()).await;
    assert_eq!(
        announced_demo(&second),
        shop,
        "the demo shop keeps its address"
    );
    let run = run(&mut second, agent).await;
    let status = ended(&mut second, agent, run).await;
    assert_eq!(status["status"], "Completed", "{status}");
    let (_, records) = read_all(&mut second, agent, Some(run)).await;
    assert_eq!(
        records.len(),
        sequentum_mcp::local::demo::catalogue::PRODUCT_COUNT,
        "every demo product is read in the second conversation"
    );
    second.exit().await;
    stop_engine(dir.path()).await;
}
