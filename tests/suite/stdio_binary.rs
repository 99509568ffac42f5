//! The real binary over stdio: stdout carries nothing but JSON-RPC, a malformed line is
//! answered with a parse error and serving goes on, and the API key never shows up in stdout
//! or stderr — not even when the API echoes it back, and not with trace logging on; nor does
//! an MFA code given as a tool argument. At the default level stderr stays quiet: one line
//! for the backend, one summary of what it lacks, nothing of rmcp's.

use std::{
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

use crate::support::{FakeApi, Fault, Route};
use serde_json::{Value, json};

/// The answer to an interaction, which no log may hold.
const MFA_CODE: &str = "731904-mfa";
/// A code given in the wrong place: the argument error quotes it back to the model, but it
/// must not reach the log.
const MISPLACED_CODE: &str = "482913-code";

fn request(id: u64, method: &str, params: Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn stdout_is_only_protocol_and_the_key_never_leaks() {
    let fake = FakeApi::start().await;
    let key = fake.api_key().to_string();
    let agent = fake.add_agent("Price watch");
    // The API echoes the key back in an error message; the server must not repeat it.
    // (Only on the status route: the other calls run concurrently and must not take the fault.)
    fake.inject(
        Route::get(&format!("/api/v1/agent/{agent}/run/1/status")),
        Fault::Json(401, json!({"message": format!("Invalid API key {key}")})),
        1,
    );
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sequentum-mcp"))
        .arg("--data-dir")
        .arg(data.path())
        .env("SEQUENTUM_API_KEY", &key)
        .env("SEQUENTUM_API_URL", fake.base_url().as_str())
        // rmcp named on its own too: its dumps of requests stay off even when asked for.
        .env("RUST_LOG", "trace,rmcp=trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");

    // Read stdout on a thread; each line goes to a channel.
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, lines) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });

    // stderr is drained on a thread too: trace logging of large answers overflows a pipe that
    // nobody reads, and the server would block on it.
    let mut stderr_pipe = child.stderr.take().unwrap();
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr_pipe, &mut text).unwrap();
        text
    });

    let mut stdin = child.stdin.take().unwrap();
    let init = json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}});
    let messages = [
        request(1, "initialize", init),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string(),
        "{this is not json".to_string(),
        request(2, "tools/list", json!({})),
        request(
            3,
            "tools/call",
            json!({"name": "get_run_status", "arguments": {"agent_id": agent, "run_id": 1}}),
        ),
        request(
            4,
            "tools/call",
            json!({"name": "list_agents", "arguments": {"query": "price"}}),
        ),
        request(
            5,
            "tools/call",
            json!({"name": "list_runs", "arguments": {"agent_id": -4}}),
        ),
        // An MFA code, as a user gives it to answer_interaction (not offered on the cloud, but
        // the request is read, and could be logged, all the same).
        request(
            6,
            "tools/call",
            json!({"name": "answer_interaction", "arguments": {"run_id": 1, "values": {"code": MFA_CODE}}}),
        ),
        request(
            7,
            "tools/call",
            json!({"name": "list_runs", "arguments": {"agent_id": 1, "limit": MISPLACED_CODE}}),
        ),
    ];
    for message in &messages {
        writeln!(stdin, "{message}").unwrap();
    }
    stdin.flush().unwrap();

    // Collect until every request is answered (and the parse error arrived).
    let mut replies: Vec<Value> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let answered = |replies: &[Value]| (1..=7).all(|id| replies.iter().any(|r| r["id"] == id));
    while !(answered(&replies) && replies.iter().any(|r| r["id"].is_null())) {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .expect("the server answered every request in time");
        let value: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("stdout carried a non-JSON line ({e}): {line:?}"));
        assert_eq!(value["jsonrpc"], "2.0", "not a JSON-RPC message: {line}");
        assert!(!line.contains(&key), "the API key reached stdout: {line}");
        assert!(!line.contains(MFA_CODE), "the MFA code was echoed: {line}");
        replies.push(value);
    }
    drop(stdin);
    let status = child.wait().expect("the server exits when stdin closes");
    assert!(status.success(), "exit status {status}");
    for line in lines.try_iter() {
        let value: Value = serde_json::from_str(&line).expect("every stdout line is JSON");
        assert_eq!(value["jsonrpc"], "2.0");
        assert!(!line.contains(&key));
    }
    let stderr = stderr_reader.join().unwrap();

    let by_id = |id: u64| replies.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(by_id(1)["result"]["serverInfo"]["name"], "sequentum-mcp");
    let parse_error = replies.iter().find(|r| r["id"].is_null()).unwrap();
    assert_eq!(parse_error["error"]["code"], -32700);
    // The default toolsets over stdio: core, runs (save_records writes local files),
    // schedules and analysis.
    let tools: Vec<&str> = by_id(2)["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tools.len(), 19, "{tools:?}");
    assert!(
        tools.contains(&"restart_run")
            && tools.contains(&"save_records")
            && tools.contains(&"schedule_agent")
            && tools.contains(&"query_records")
    );
    let unauthorized = &by_id(3)["result"];
    assert_eq!(unauthorized["isError"], true);
    let text = unauthorized["content"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("unauthorized: "), "{text}");
    assert!(text.contains("<redacted>"), "{text}");
    let agents = &by_id(4)["result"]["structuredContent"]["agents"];
    assert_eq!(agents[0]["name"], "Price watch");
    assert_eq!(by_id(5)["result"]["isError"], true);
    // The misplaced code went through the failure path: the model sees its own value quoted.
    let misplaced = by_id(7)["result"]["content"][0]["text"].as_str().unwrap();
    assert!(
        misplaced.starts_with("invalid_argument: ") && misplaced.contains(MISPLACED_CODE),
        "{misplaced}"
    );

    assert!(!stderr.contains(&key), "the API key reached stderr");
    assert!(
        !stderr.contains(MFA_CODE) && !stderr.contains(MISPLACED_CODE),
        "the MFA code reached stderr at RUST_LOG=trace"
    );
    assert!(
        stderr.contains("TRACE") || stderr.contains("DEBUG"),
        "the log was at trace level"
    );
    assert!(
        stderr.contains("using Sequentum cloud"),
        "stderr states the backend: {stderr}"
    );
}

/// `serve --toolsets all` on a backend that lacks some tools: stderr holds the backend line and
/// one summary of what is not offered (not a line per tool), and none of rmcp's info lines
/// with the client's debug-formatted peer_info.
#[tokio::test]
async fn stderr_at_the_default_level_is_a_few_lines() {
    let fake = FakeApi::start().await;
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sequentum-mcp"))
        .args(["serve", "--toolsets", "all", "--data-dir"])
        .arg(data.path())
        .env("SEQUENTUM_API_KEY", fake.api_key())
        .env("SEQUENTUM_API_URL", fake.base_url().as_str())
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().unwrap();
    let init = json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "quiet-test", "version": "1"}});
    for message in [
        request(1, "initialize", init),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string(),
        request(2, "tools/list", json!({})),
    ] {
        writeln!(stdin, "{message}").unwrap();
    }
    stdin.flush().unwrap();
    // The listing answered means the start-up lines are all written.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut answers = 0;
    let mut line = String::new();
    while answers < 2 && stdout.read_line(&mut line).unwrap() > 0 {
        answers += usize::from(line.contains("\"id\""));
        line.clear();
    }
    drop(stdin);
    let output = child
        .wait_with_output()
        .expect("the server exits when stdin closes");
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.iter().filter(|l| l.contains("not offered")).count(),
        1,
        "one summary of what the backend lacks: {stderr}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("not offered") && l.contains("get_agent_definition")),
        "{stderr}"
    );
    assert!(
        !stderr.contains("peer_info")
            && !stderr.contains("quiet-test")
            && !stderr.contains("Service initialized"),
        "rmcp's start line stays out: {stderr}"
    );
    assert!(lines.len() <= 3, "a few lines only: {stderr}");
}

/// OAuth sign-in is for HTTP; asked for over stdio it is refused, not silently ignored.
#[test]
fn oauth_sign_in_over_stdio_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sequentum-mcp"))
        .args([
            "serve",
            "--auth",
            "oauth",
            "--public-url",
            "https://m.example/mcp",
        ])
        .env_remove("SEQUENTUM_API_KEY")
        .env_remove("MCP_AUTH_TOKEN")
        .env("SEQUENTUM_MCP_DATA_DIR", dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing but protocol on stdout");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--transport http"), "{stderr}");
}
