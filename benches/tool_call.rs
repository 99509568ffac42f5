//! What a tool call costs on top of the API it calls.
//!
//! `get_run_status` on a finished run makes exactly one API request. It is called
//! sequentially through an in-process server and a real rmcp client (in-memory pipe), and the
//! same request is made directly with `api::Client` against the same fake API; the difference
//! of the medians is the server's share (MCP framing, dispatch, argument parsing, the result
//! view, rmcp on both ends). A call that fails validation before any API request shows the
//! protocol path alone.
//!
//! Run with `cargo bench --bench tool_call`.

#[path = "../tests/suite/support/mod.rs"]
mod support;

mod common;

use std::time::{Duration, Instant};

use common::{Row, mcp::Connection, median, print_table, show};
use serde_json::json;
use support::{FakeApi, RunScript, Step};

const CALLS: usize = 2_000;
const WARMUP: usize = 200;
const OVERHEAD_TARGET: Duration = Duration::from_micros(100);

/// Times `CALLS` sequential runs of `call` after `WARMUP` untimed ones.
async fn timed<F, Fut>(mut call: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..WARMUP {
        call().await;
    }
    let mut samples = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let started = Instant::now();
        call().await;
        samples.push(started.elapsed());
    }
    samples
}

#[tokio::main]
async fn main() {
    let fake = FakeApi::start().await;
    let agent = fake.add_agent("Bench shop");
    let run = fake.add_run(
        agent,
        RunScript::steps(vec![Step::new(9).data(1_000).exported(1_000).pages(50)]),
    );
    let dir = tempfile::tempdir().expect("temporary directory");
    let api = fake.client();
    let mcp = Connection::open(fake.client(), dir.path()).await;

    let direct = timed(|| async {
        let status = api.run_status(agent, run).await.expect("status");
        assert_eq!(status.id, run);
    })
    .await;
    let args = json!({"agent_id": agent, "run_id": run});
    let through_mcp = timed(|| async {
        let view = mcp.call("get_run_status", args.clone()).await;
        assert_eq!(view["run_id"], json!(run), "{view}");
    })
    .await;
    let invalid = json!({"agent_id": -1, "run_id": run});
    let no_api = timed(|| async {
        let result = mcp.call_raw("get_run_status", invalid.clone()).await;
        assert_eq!(result.is_error, Some(true), "a negative id is refused");
    })
    .await;

    let (direct, through_mcp, no_api) = (median(&direct), median(&through_mcp), median(&no_api));
    let overhead = through_mcp.saturating_sub(direct);
    let rows = [
        Row::info(
            &format!("fake API latency: api::Client::run_status (median of {CALLS})"),
            show(direct),
        ),
        Row::info(
            &format!("get_run_status through MCP, fake API included (median of {CALLS})"),
            show(through_mcp),
        ),
        Row::goal(
            "tool-call overhead: server share per call (difference of the medians)",
            show(overhead),
            "≤ 100 µs",
            overhead <= OVERHEAD_TARGET,
        ),
        Row::info(
            "tool call refused before any API request (protocol path alone)",
            show(no_api),
        ),
    ];
    print_table("tool-call overhead (in-process server, rmcp client)", &rows);
}
