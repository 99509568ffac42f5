//! The release binary over stdio, as an MCP client launches it.
//!
//! * Cold start: spawn, `initialize`, `tools/list`, close stdin, exit — the median of 20, and
//!   the peak resident memory of the child (`VmHWM`, read just before stdin closes). Measured on
//!   the cloud backend (`tools/list` makes no API call, so the URL points at a closed port) and
//!   on an engine in the server's process (which opens SQLite and binds a loopback listener at
//!   start), and attached to a running shared engine (the default for a second client: it
//!   reads the address file, checks the engine's health and opens its loopback link). The
//!   shared engine is started before and stopped after its rows.
//! * Protocol overhead: 2,000 `tools/list` requests written back to back to one running
//!   binary; the time from the first write to the last answer, per request.
//!
//! Run with `cargo bench --bench stdio`.

mod common;

use std::{
    io::{BufRead, BufReader, Write},
    path::Path,
    process::{Child, ChildStdin, ChildStdout, Command, Stdio},
    time::{Duration, Instant},
};

use common::{Row, median, print_table, show, show_kib, status_kib};
use serde_json::{Value, json};

const COLD_STARTS: usize = 20;
const WARMUP_STARTS: usize = 3;
const PIPELINED: usize = 2_000;
const PIPELINE_ROUNDS: usize = 5;

const COLD_TARGET: Duration = Duration::from_millis(6);
const RSS_TARGET_KIB: u64 = 16 * 1024;
const PER_REQUEST_TARGET: Duration = Duration::from_micros(30);

#[derive(Clone, Copy)]
enum Mode {
    Cloud,
    Local,
    Attached,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Cloud => "cloud backend",
            Mode::Local => "embedded engine in process",
            Mode::Attached => "attaching to the running shared engine",
        }
    }
}

/// A running binary with its pipes.
struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Session {
    /// Starts the binary with a clean environment: only what `mode` needs.
    fn spawn(mode: Mode, data_dir: &Path) -> Session {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sequentum-mcp"));
        command
            .arg("--data-dir")
            .arg(data_dir)
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        match mode {
            Mode::Cloud => {
                command
                    .env("SEQUENTUM_API_KEY", "x")
                    .env("SEQUENTUM_API_URL", "http://127.0.0.1:9");
            }
            Mode::Local => {
                command.args(["--engine-mode", "in-process"]);
            }
            Mode::Attached => {}
        }
        let mut child = command.spawn().expect("the release binary starts");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        Session {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin
            .write_all(text.as_bytes())
            .expect("the server reads stdin");
    }

    /// Reads answers until the one with `id`; returns it.
    fn answer(&mut self, id: u64) -> Value {
        let mut line = String::new();
        loop {
            line.clear();
            let n = self.stdout.read_line(&mut line).expect("stdout readable");
            assert!(n > 0, "the server closed stdout before answering {id}");
            let message: Value = serde_json::from_str(&line).expect("stdout carries JSON");
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "request {id}: {message}");
                return message;
            }
        }
    }

    /// Closes stdin (the client leaves) and waits for the exit.
    fn finish(mut self) {
        drop(self.stdin.take());
        let status = self.child.wait().expect("the server exits");
        assert!(status.success(), "the server exited with {status}");
    }
}

fn request(id: u64, method: &str, params: Value) -> String {
    let mut line =
        json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
    line.push('\n');
    line
}

/// `initialize` and `notifications/initialized`, as one write.
fn handshake() -> String {
    let init = json!({
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "bench", "version": "1"}
    });
    let mut text = request(1, "initialize", init);
    text.push_str(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string());
    text.push('\n');
    text
}

/// One cold start: the time from spawn to exit (the /proc read excluded) and the peak memory.
fn cold_start(mode: Mode, data_dir: &Path) -> (Duration, u64) {
    let started = Instant::now();
    let mut session = Session::spawn(mode, data_dir);
    let mut messages = handshake();
    messages.push_str(&request(2, "tools/list", json!({})));
    session.send(&messages);
    session.answer(1);
    let tools = session.answer(2);
    let names: Vec<&str> = tools["result"]["tools"]
        .as_array()
        .expect("tools/list answers a list")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(
        [
            "build_agent",
            "run_agent",
            "get_run_status",
            "fetch_records"
        ]
        .iter()
        .all(|core| names.contains(core)),
        "tools/list lists the core tools: {names:?}"
    );
    let before_read = started.elapsed();
    let peak = status_kib(&session.child.id().to_string(), "VmHWM").unwrap_or(0);
    let resumed = Instant::now();
    session.finish();
    (before_read + resumed.elapsed(), peak)
}

/// `sequentum-mcp engine <args> --data-dir <dir>`, with a clean environment.
fn engine_command(args: &[&str], data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sequentum-mcp"));
    command
        .arg("engine")
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn cold_rows(mode: Mode, rows: &mut Vec<Row>) {
    let data = tempfile::tempdir().expect("temporary directory");
    let mut engine = matches!(mode, Mode::Attached).then(|| {
        let child = engine_command(&["run"], data.path())
            .spawn()
            .expect("the engine starts");
        while !data.path().join("engine.json").exists() {
            std::thread::sleep(Duration::from_millis(5));
        }
        child
    });
    for _ in 0..WARMUP_STARTS {
        cold_start(mode, data.path());
    }
    let (times, peaks): (Vec<Duration>, Vec<u64>) = (0..COLD_STARTS)
        .map(|_| cold_start(mode, data.path()))
        .unzip();
    let time = median(&times);
    let peak = peaks.iter().copied().max().unwrap_or(0);
    let fastest = times.iter().min().copied().unwrap_or_default();
    rows.push(Row::goal(
        &format!(
            "start-up + initialize + tools/list, {} (median of {COLD_STARTS})",
            mode.name()
        ),
        format!("{} (fastest {})", show(time), show(fastest)),
        "≤ 6 ms",
        time <= COLD_TARGET,
    ));
    rows.push(Row::goal(
        &format!("peak RSS at start, {}", mode.name()),
        show_kib(peak),
        "≤ 16 MiB",
        peak <= RSS_TARGET_KIB,
    ));
    if let Some(engine) = engine.as_mut() {
        let stopped = engine_command(&["stop"], data.path())
            .status()
            .expect("engine stop runs");
        assert!(stopped.success());
        engine.wait().expect("the engine exits");
    }
}

/// The id of a `{"jsonrpc":"2.0","id":N,"result":…}` line.
fn leading_id(line: &str) -> Option<u64> {
    // `get` rather than slicing: 64 bytes may end inside a character.
    let head = line.get(..64).unwrap_or(line);
    let rest = &head[head.find("\"id\":")? + 5..];
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..digits].parse().ok()
}

/// `PIPELINED` tools/list requests written by one thread while this one reads the answers.
/// Returns the elapsed time and the size of one answer.
fn pipelined_round(session: &mut Session, first_id: u64) -> (Duration, usize) {
    let mut batch = String::new();
    for i in 0..PIPELINED as u64 {
        batch.push_str(&request(first_id + i, "tools/list", json!({})));
    }
    let mut stdin = session.stdin.take().expect("stdin open");
    let started = Instant::now();
    let writer = std::thread::spawn(move || {
        stdin.write_all(batch.as_bytes()).expect("the server reads");
        stdin
    });
    // rmcp handles requests concurrently, so answers may come in any order: each id must
    // come back exactly once. The id is read from the start of the line, not by parsing the
    // whole answer, which would time this reader rather than the server.
    let mut answered = vec![false; PIPELINED];
    let mut line = String::new();
    let mut answer_bytes = 0;
    for _ in 0..PIPELINED {
        line.clear();
        answer_bytes = session
            .stdout
            .read_line(&mut line)
            .expect("stdout readable");
        assert!(answer_bytes > 0, "the server closed stdout mid-pipeline");
        let slot = leading_id(&line)
            .and_then(|id| id.checked_sub(first_id))
            .and_then(|i| answered.get_mut(i as usize))
            .unwrap_or_else(|| panic!("an unexpected answer: {line:.200}"));
        assert!(!*slot, "an id answered twice: {line:.200}");
        *slot = true;
    }
    let elapsed = started.elapsed();
    session.stdin = Some(writer.join().expect("writer thread"));
    (elapsed, answer_bytes)
}

fn pipeline_rows(rows: &mut Vec<Row>) {
    let data = tempfile::tempdir().expect("temporary directory");
    let mut session = Session::spawn(Mode::Cloud, data.path());
    session.send(&handshake());
    session.answer(1);
    let mut rounds = Vec::new();
    let mut answer_bytes = 0;
    // One warm-up round, then the measured ones.
    for round in 0..=PIPELINE_ROUNDS {
        let (elapsed, bytes) = pipelined_round(&mut session, 10 + (round * PIPELINED) as u64);
        answer_bytes = bytes;
        if round > 0 {
            rounds.push(elapsed / PIPELINED as u32);
        }
    }
    session.finish();
    let per_request = median(&rounds);
    rows.push(Row::goal(
        &format!(
            "protocol overhead: {PIPELINED} pipelined tools/list ({} KiB answers), per request (median of {PIPELINE_ROUNDS} rounds)",
            answer_bytes / 1024
        ),
        show(per_request),
        "≤ 30 µs",
        per_request <= PER_REQUEST_TARGET,
    ));
}

/// The floor under any cold start on this machine: exec, the Tokio runtime, argument parsing
/// and exit of the same binary, with no server (`--version`).
fn floor_row(rows: &mut Vec<Row>) {
    let run = || {
        let started = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_sequentum-mcp"))
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .expect("the release binary runs");
        assert!(status.success());
        started.elapsed()
    };
    for _ in 0..WARMUP_STARTS {
        run();
    }
    let times: Vec<Duration> = (0..COLD_STARTS).map(|_| run()).collect();
    rows.push(Row::info(
        "process floor: `sequentum-mcp --version`, spawn to exit",
        show(median(&times)),
    ));
}

fn main() {
    let mut rows = Vec::new();
    floor_row(&mut rows);
    cold_rows(Mode::Cloud, &mut rows);
    cold_rows(Mode::Local, &mut rows);
    cold_rows(Mode::Attached, &mut rows);
    pipeline_rows(&mut rows);
    print_table("stdio: cold start and protocol overhead", &rows);
}
