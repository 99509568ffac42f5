//! `fetch_records` at scale: a 1,000,000-row CSV export (about 80 MB) of a finished run.
//!
//! * First page cold: three API requests, the download of the whole file into the record
//!   cache and the first 500 records.
//! * First page warm: the same call again, the file now cached (median of 20).
//! * A full paging pass with `limit` 500: 2,000 calls following `next_cursor` to the end.
//! * The peak resident memory of this process across all of it (`VmHWM`, reset just before).
//!
//! The fake API serves the file from a child process (this same program, started with
//! `BENCH_FAKE_CSV` set), because it holds the file in memory: in-process, its copy would be
//! counted as the server's. The CSV is generated once under Cargo's target tmp directory.
//!
//! Run with `cargo bench --bench records`.

#[path = "../tests/suite/support/mod.rs"]
mod support;

mod common;

use std::{
    fs::File,
    io::{BufRead, BufReader, BufWriter, Read, Write},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::{
    Row, mcp::Connection, median, own_peak_kib, print_table, reset_own_peak, show, show_kib,
    status_kib,
};
use sequentum_mcp::api::{Client, ClientOptions, Credential};
use serde_json::{Value, json};
use support::{FakeApi, FakeFile, RunScript, Step, records::DELIVERED_FILE};

const ROWS: u64 = 1_000_000;
const PAGE: u64 = 500;
const WARM_REPEATS: usize = 20;
/// Set in the child process: the CSV file the fake API serves.
const FAKE_ENV: &str = "BENCH_FAKE_CSV";

const COLD_TARGET: Duration = Duration::from_secs(1);
const WARM_TARGET: Duration = Duration::from_millis(20);
const PEAK_TARGET_KIB: u64 = 64 * 1024;

/// A product catalogue row of about 80 bytes. Like the test records, every tenth row holds a
/// comma, quotes, a newline or invisible characters, so quoting and sanitising are exercised.
fn write_row(out: &mut impl Write, id: u64) -> std::io::Result<()> {
    let name = match id % 10 {
        3 => format!("\"Widget, large {id}\""),
        5 => format!("\"The \"\"Best\"\" {id}\""),
        7 => format!("\"Line one\nline two {id}\""),
        9 => format!("Safe\u{202E}txt.exe {id}\u{200B}"),
        _ => format!("Item {id}"),
    };
    let price = (id * 137) % 10_000;
    writeln!(
        out,
        "{id},{name},{}.{:02},SKU-{id:07},https://shop.example.test/p/{id},{}",
        price / 100,
        price % 100,
        !id.is_multiple_of(3)
    )
}

/// The export, generated on first use (written aside, then renamed, so it is always whole).
fn export_file() -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-records-1m.csv");
    if path.is_file() {
        return path;
    }
    let partial = path.with_extension("csv.partial");
    let mut out = BufWriter::new(File::create(&partial).expect("create the export"));
    writeln!(out, "id,name,price,sku,url,in_stock").expect("write");
    for id in 1..=ROWS {
        write_row(&mut out, id).expect("write the export");
    }
    out.flush().expect("flush the export");
    drop(out);
    std::fs::rename(&partial, &path).expect("rename the export");
    path
}

/// Child mode: serve the export from a fake API; print `url key agent run`; exit at stdin EOF.
fn serve_fake(csv: &str) {
    let bytes = std::fs::read(csv).expect("read the export");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let fake = FakeApi::start().await;
        let agent = fake.add_agent("Catalogue");
        let done = Step::new(9)
            .data(ROWS as i64)
            .exported(ROWS as i64)
            .pages(2_000);
        let run = fake.add_run(agent, RunScript::steps(vec![done]));
        fake.add_file(run, FakeFile::raw("output.csv", DELIVERED_FILE, bytes));
        println!("{} {} {agent} {run}", fake.base_url(), fake.api_key());
        // The parent closes stdin when it is done with the fake.
        tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new()))
            .await
            .expect("stdin reader")
            .expect("stdin readable");
    });
}

fn page_args(agent: i64, run: i64, cursor: Option<&str>) -> Value {
    let mut args = json!({"agent_id": agent, "run_id": run, "limit": PAGE, "max_bytes": 262_144});
    if let Some(cursor) = cursor {
        args["cursor"] = json!(cursor);
    }
    args
}

fn returned(page: &Value) -> u64 {
    page["returned"].as_u64().expect("returned is a count")
}

async fn measure(api: Client, agent: i64, run: i64) -> Vec<Row> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mcp = Connection::open(api, dir.path()).await;
    let baseline = status_kib("self", "VmRSS").unwrap_or(0);
    let reset = reset_own_peak();

    let started = Instant::now();
    let first = mcp.call("fetch_records", page_args(agent, run, None)).await;
    let cold = started.elapsed();
    assert_eq!(returned(&first), PAGE, "a full first page");

    let mut warm = Vec::new();
    for _ in 0..WARM_REPEATS {
        let started = Instant::now();
        let page = mcp.call("fetch_records", page_args(agent, run, None)).await;
        warm.push(started.elapsed());
        assert_eq!(
            page["records"], first["records"],
            "the cached file reads the same"
        );
    }
    let warm = median(&warm);

    let started = Instant::now();
    let mut seen = 0;
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let page = mcp
            .call("fetch_records", page_args(agent, run, cursor.as_deref()))
            .await;
        seen += returned(&page);
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let full = started.elapsed();
    assert_eq!(seen, ROWS, "the pass reads every record once");
    let peak = own_peak_kib();

    let scope = if reset {
        "reset before the first call"
    } else {
        "whole process: clear_refs unsupported"
    };
    vec![
        Row::goal(
            "fetch_records first page, cold (download 80 MB + parse)",
            show(cold),
            "≤ 1 s",
            cold <= COLD_TARGET,
        ),
        Row::goal(
            &format!("fetch_records first page, warm (cached; median of {WARM_REPEATS})"),
            show(warm),
            "≤ 20 ms",
            warm <= WARM_TARGET,
        ),
        Row::info(
            &format!("full paging pass: {pages} pages of {PAGE}, {ROWS} records"),
            format!("{} ({} per page)", show(full), show(full / pages)),
        ),
        Row::goal(
            &format!("peak RSS of the process over all of the above ({scope})"),
            format!("{} (before: {})", show_kib(peak), show_kib(baseline)),
            "≤ 64 MiB",
            peak <= PEAK_TARGET_KIB,
        ),
    ]
}

fn main() {
    if let Ok(csv) = std::env::var(FAKE_ENV) {
        serve_fake(&csv);
        return;
    }
    let csv = export_file();
    let size = std::fs::metadata(&csv).map_or(0, |m| m.len());
    let mut fake = Command::new(std::env::current_exe().expect("own path"))
        .env(FAKE_ENV, &csv)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the fake API process starts");
    let mut line = String::new();
    BufReader::new(fake.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("the fake API announces itself");
    let [url, key, agent, run] = line.split_whitespace().collect::<Vec<_>>()[..] else {
        panic!("unexpected announcement {line:?}");
    };
    let api = Client::new(ClientOptions::new(
        url.parse().expect("a URL"),
        Credential::ApiKey(key.into()),
    ))
    .expect("API client");
    let (agent, run) = (agent.parse().expect("id"), run.parse().expect("id"));

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let rows = runtime.block_on(measure(api, agent, run));
    drop(fake.stdin.take());
    let _ = fake.wait();
    print_table(
        &format!(
            "records at scale ({ROWS} rows, {:.0} MB CSV)",
            size as f64 / 1e6
        ),
        &rows,
    );
}
