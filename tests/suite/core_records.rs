//! fetch_records through a real MCP client: paging every record exactly once, projection,
//! byte budgets, cursors that were tampered with or belong elsewhere, formats it must refuse,
//! several tables, and saving whole datasets inside the output directory only.

use std::collections::BTreeSet;

use crate::support::{
    FakeFile, Route, RunScript, Step,
    mcp_client::{Harness, failure, success},
    rows,
};
use serde_json::{Value, json};

const ROWS: usize = 1000;

/// An agent with one finished run carrying `files`; returns (agent, run).
fn finished_run(h: &Harness, records: usize, files: Vec<FakeFile>) -> (i64, i64) {
    let agent = h.fake.add_agent("Shop");
    let n = records as i64;
    let script =
        RunScript::steps(vec![Step::new(9).data(n).exported(n).pages(3)]).with_files(files);
    (agent, h.fake.add_run(agent, script))
}

/// A record's id whether the file held it as a number (JSON) or as text (CSV).
fn id_of(record: &Value) -> i64 {
    match &record["id"] {
        Value::Number(n) => n.as_i64().expect("integer id"),
        Value::String(s) => s.parse().expect("numeric id"),
        other => panic!("no id in {other}"),
    }
}

/// Reads pages until next_cursor runs out; returns every page.
async fn all_pages(h: &Harness, first: Value) -> Vec<Value> {
    let mut args = first;
    let mut pages = Vec::new();
    loop {
        let page = success(h.call("fetch_records", args.clone()).await);
        let next = page
            .get("next_cursor")
            .and_then(Value::as_str)
            .map(str::to_string);
        // Every page says what comes next: the next page, or that this was the last.
        let step = page["next_step"].as_str().expect("next_step").to_string();
        pages.push(page);
        match next {
            Some(cursor) => {
                assert!(step.contains("cursor=next_cursor"), "{step}");
                args["cursor"] = json!(cursor);
            }
            None => {
                assert!(step.starts_with("This is the last page"), "{step}");
                return pages;
            }
        }
        assert!(pages.len() <= ROWS, "paging does not end");
    }
}

fn records_of(pages: &[Value]) -> Vec<Value> {
    pages
        .iter()
        .flat_map(|p| p["records"].as_array().expect("records").clone())
        .collect()
}

async fn pages_every_record_once(file: FakeFile) {
    let h = Harness::start().await;
    let (agent, run) = finished_run(&h, ROWS, vec![file]);
    let args = json!({"agent_id": agent, "run_id": run, "limit": 90});

    let first = h.call_raw("fetch_records", args.clone()).await;
    assert!(
        first.content.iter().any(|c| c.as_resource_link().is_some()),
        "the first page links the whole dataset"
    );

    let downloads = Route::get(&format!("/api/v1/agent/{agent}/run/{run}/file/*"));
    let signed_urls = || h.fake.count(&downloads);
    let before = signed_urls();
    let pages = all_pages(&h, args).await;
    assert_eq!(pages.len(), ROWS.div_ceil(90));
    // The file is cached: only the first page (which links it) asks for a signed URL.
    assert_eq!(
        signed_urls() - before,
        1,
        "continuation pages read the cache only"
    );
    let ids: Vec<i64> = records_of(&pages).iter().map(id_of).collect();
    assert_eq!(ids, (1..=ROWS as i64).collect::<Vec<_>>());
    for page in &pages {
        assert_eq!(page["total"], ROWS, "total on every page");
        assert!(page["notice"].as_str().unwrap().contains("untrusted"));
        let text = page["records"].to_string();
        assert!(
            !text.contains('\u{202E}') && !text.contains('\u{200B}'),
            "invisible and bidi characters are stripped"
        );
    }
    // The sanitised name still carries its visible text.
    assert_eq!(records_of(&pages)[8]["name"], "Safetxt.exe 9");
}

#[tokio::test]
async fn csv_export_is_paged_completely_and_sanitised() {
    pages_every_record_once(FakeFile::csv("output.csv", &rows(ROWS))).await;
}

#[tokio::test]
async fn json_array_export_is_paged_completely_and_sanitised() {
    pages_every_record_once(FakeFile::json_array("output.json", &rows(ROWS))).await;
}

#[tokio::test]
async fn projection_keeps_the_requested_order_and_names_the_available_fields() {
    let h = Harness::start().await;
    let (agent, run) = finished_run(&h, 60, vec![FakeFile::json_array("o.json", &rows(60))]);
    let pages = all_pages(
        &h,
        json!({"agent_id": agent, "run_id": run, "fields": ["price", "id"], "limit": 25}),
    )
    .await;
    assert_eq!(pages.len(), 3, "the projection follows the cursor");
    for page in &pages {
        assert_eq!(page["fields"], json!(["price", "id"]));
        for record in page["records"].as_array().unwrap() {
            let keys: Vec<&String> = record.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["price", "id"]);
        }
    }

    let err = failure(
        h.call(
            "fetch_records",
            json!({"agent_id": agent, "run_id": run, "fields": ["id", "colour"]}),
        )
        .await,
    );
    assert!(err.starts_with("invalid_argument: "), "{err}");
    assert!(err.contains("colour"), "{err}");
    assert!(
        err.contains("id, name, price"),
        "lists the available fields: {err}"
    );
}

#[tokio::test]
async fn a_small_byte_budget_returns_fewer_whole_records_and_still_covers_all() {
    let h = Harness::start().await;
    let expected = rows(200);
    let (agent, run) = finished_run(&h, 200, vec![FakeFile::json_array("o.json", &expected)]);
    let pages = all_pages(
        &h,
        json!({"agent_id": agent, "run_id": run, "limit": 500, "max_bytes": 1024}),
    )
    .await;
    assert!(pages.len() > 1, "1 KiB cannot hold 200 records");
    for page in &pages[..pages.len() - 1] {
        assert_eq!(page["truncated_by_bytes"], true);
        assert!(page["records"].to_string().len() <= 1024);
    }
    let got = records_of(&pages);
    assert_eq!(got.len(), 200);
    for (record, want) in got.iter().zip(&expected) {
        // Whole records: every field, the name intact apart from sanitising.
        assert_eq!(record["id"], want["id"]);
        assert_eq!(record["price"], want["price"]);
        let name = want["name"]
            .as_str()
            .unwrap()
            .replace(['\u{202E}', '\u{200B}'], "");
        assert_eq!(record["name"], name);
    }
}

#[tokio::test]
async fn a_record_larger_than_the_budget_comes_alone_with_its_long_fields_cut_and_listed() {
    let h = Harness::start().await;
    let mut records = rows(6);
    records[3]["body"] = json!("long text ".repeat(1000));
    let (agent, run) = finished_run(&h, 6, vec![FakeFile::json_array("o.json", &records)]);
    let pages = all_pages(
        &h,
        json!({"agent_id": agent, "run_id": run, "limit": 500, "max_bytes": 1024}),
    )
    .await;
    let big = pages
        .iter()
        .find(|p| p["records"][0]["id"] == 4)
        .expect("a page starts with the big record");
    assert_eq!(big["returned"], 1, "it comes alone: {big}");
    assert_eq!(big["cut_fields"], json!(["body"]), "{big}");
    assert!(big["records"].to_string().len() <= 1024, "{big}");
    let body = big["records"][0]["body"].as_str().unwrap();
    assert!(body.starts_with("long text long text"), "{body}");
    assert!(body.ends_with("more characters]"), "{body}");
    assert_eq!(
        big["records"][0]["name"], records[3]["name"],
        "short fields whole"
    );
    for page in pages.iter().filter(|p| p["records"][0]["id"] != 4) {
        assert!(
            page.get("cut_fields").is_none(),
            "nothing else is cut: {page}"
        );
    }
    assert_eq!(records_of(&pages).len(), 6, "every record once");
}

#[tokio::test]
async fn a_running_run_without_record_files_says_the_platform_publishes_them_at_its_end() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let run = h
        .fake
        .add_run(agent, RunScript::steps(vec![Step::new(1).data(7).pages(2)]));
    let err = failure(
        h.call("fetch_records", json!({"agent_id": agent, "run_id": run}))
            .await,
    );
    assert!(err.starts_with("conflict: "), "{err}");
    assert!(
        err.contains("7 record(s) extracted")
            && err.contains("only when it exports them")
            && err.contains("get_run_status"),
        "{err}"
    );
}

#[tokio::test]
async fn altered_or_foreign_cursors_are_refused() {
    let h = Harness::start().await;
    let (agent, run) = finished_run(&h, 50, vec![FakeFile::csv("o.csv", &rows(50))]);
    let other = h.fake.add_run(
        agent,
        RunScript::steps(vec![Step::new(9).data(50)])
            .with_files(vec![FakeFile::csv("o.csv", &rows(50))]),
    );
    let page = success(
        h.call(
            "fetch_records",
            json!({"agent_id": agent, "run_id": run, "limit": 10}),
        )
        .await,
    );
    let cursor = page["next_cursor"]
        .as_str()
        .expect("more pages")
        .to_string();

    let mut tampered: Vec<char> = cursor.chars().collect();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == 'A' { 'B' } else { 'A' };
    let tampered: String = tampered.into_iter().collect();
    let err = failure(
        h.call(
            "fetch_records",
            json!({"agent_id": agent, "run_id": run, "cursor": tampered}),
        )
        .await,
    );
    assert!(err.starts_with("invalid_cursor: "), "{err}");

    let err = failure(
        h.call(
            "fetch_records",
            json!({"agent_id": agent, "run_id": other, "cursor": cursor}),
        )
        .await,
    );
    assert!(err.starts_with("invalid_cursor: "), "{err}");
    assert!(err.contains(&format!("run {run}")), "{err}");

    // The genuine cursor still works with its own run.
    let next = success(
        h.call(
            "fetch_records",
            json!({"agent_id": agent, "run_id": run, "cursor": cursor, "limit": 10}),
        )
        .await,
    );
    assert_eq!(id_of(&next["records"][0]), 11);
}

#[tokio::test]
async fn an_excel_only_export_is_refused_as_unsupported() {
    let h = Harness::start().await;
    let (agent, run) = finished_run(&h, 5, vec![FakeFile::xlsx("output.xlsx")]);
    let err = failure(
        h.call("fetch_records", json!({"agent_id": agent, "run_id": run}))
            .await,
    );
    assert!(err.starts_with("unsupported_records_format: "), "{err}");
    assert!(err.contains("output.xlsx"), "{err}");
}

#[tokio::test]
async fn a_json_object_with_two_tables_is_read_by_table() {
    let h = Harness::start().await;
    let products = rows(30);
    let reviews: Vec<Value> = (1..=12)
        .map(|i| json!({"review": i, "stars": i % 5 + 1}))
        .collect();
    let file = FakeFile::json_tables(
        "out.json",
        &[("Products", &products), ("Reviews", &reviews)],
    );
    let (agent, run) = finished_run(&h, 42, vec![file]);

    let first = success(
        h.call(
            "fetch_records",
            json!({"agent_id": agent, "run_id": run, "limit": 5}),
        )
        .await,
    );
    assert_eq!(first["tables"], json!(["Products", "Reviews"]));
    assert_eq!(first["records"][0]["id"], 1, "the first table by default");

    let pages = all_pages(
        &h,
        json!({"agent_id": agent, "run_id": run, "table": "Reviews", "limit": 5}),
    )
    .await;
    let got = records_of(&pages);
    assert_eq!(got, reviews, "the whole Reviews table and nothing else");
    for page in &pages {
        // The run's count (42) covers both tables: it is no table's total.
        assert!(page.get("total").is_none(), "{page:#}");
    }

    let err = failure(
        h.call(
            "fetch_records",
            json!({"agent_id": agent, "run_id": run, "table": "Orders"}),
        )
        .await,
    );
    assert!(err.starts_with("invalid_argument: "), "{err}");
    assert!(err.contains("Products") && err.contains("Reviews"), "{err}");
}

#[tokio::test]
async fn save_records_writes_the_whole_dataset_inside_the_output_directory() {
    let h = Harness::start().await;
    let (agent, run) = finished_run(&h, ROWS, vec![FakeFile::json_array("o.json", &rows(ROWS))]);

    let saved = success(
        h.call(
            "save_records",
            json!({"agent_id": agent, "run_id": run, "save_to": "exports/all.csv"}),
        )
        .await,
    );
    assert_eq!(saved["records"], ROWS as u64);
    assert!(saved["next_step"].as_str().unwrap().contains("all.csv"));
    let path = std::path::PathBuf::from(saved["saved_to"].as_str().expect("saved_to"));
    assert_eq!(saved["bytes"], std::fs::metadata(&path).unwrap().len());
    assert!(path.starts_with(h.output_dir()), "{}", path.display());
    let mut reader = csv::Reader::from_path(&path).expect("a CSV file");
    assert_eq!(reader.headers().unwrap(), vec!["id", "name", "price"]);
    let ids: Vec<i64> = reader
        .records()
        .map(|r| r.unwrap()[0].parse().unwrap())
        .collect();
    assert_eq!(ids, (1..=ROWS as i64).collect::<Vec<_>>());

    let again = failure(
        h.call(
            "save_records",
            json!({"agent_id": agent, "run_id": run, "save_to": "exports/all.csv"}),
        )
        .await,
    );
    assert!(
        again.starts_with("conflict: ") && again.contains("overwrite=true"),
        "{again}"
    );

    let saved = success(
        h.call(
            "save_records",
            json!({"agent_id": agent, "run_id": run, "save_to": "all.jsonl", "fields": ["name"]}),
        )
        .await,
    );
    let text = std::fs::read_to_string(saved["saved_to"].as_str().unwrap()).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), ROWS);
    assert_eq!(lines[0], json!({"name": "Item 1"}));

    let outside = h.output_dir().parent().unwrap().join("x.csv");
    let long = format!("{}.csv", "n".repeat(300));
    for target in [
        "../x.csv".to_string(),
        outside.display().to_string(),
        "bad\0name.csv".to_string(),
        long,
    ] {
        let err = failure(
            h.call(
                "save_records",
                json!({"agent_id": agent, "run_id": run, "save_to": target}),
            )
            .await,
        );
        assert!(err.starts_with("invalid_argument: "), "{target}: {err}");
        assert!(!err.contains("disk space") && err.len() < 400, "{err}");
        assert!(!outside.exists(), "nothing was written outside");
    }
    let distinct: BTreeSet<String> = std::fs::read_dir(h.output_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        distinct,
        BTreeSet::from(["all.jsonl".into(), "exports".into()])
    );
}

#[tokio::test]
async fn saved_csv_is_safe_to_open_in_a_spreadsheet() {
    let h = Harness::start().await;
    let hostile =
        vec![json!({"name": "=HYPERLINK(\"http://evil.example\",\"click\")", "price": "-12.5"})];
    let (agent, run) = finished_run(&h, 1, vec![FakeFile::json_array("o.json", &hostile)]);
    let saved = success(
        h.call(
            "save_records",
            json!({"agent_id": agent, "run_id": run, "save_to": "x.csv"}),
        )
        .await,
    );
    let text = std::fs::read_to_string(saved["saved_to"].as_str().unwrap()).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(
        text.contains(",-12.5"),
        "plain numbers stay numbers: {text}"
    );
}

#[tokio::test]
async fn without_a_run_id_the_latest_run_that_has_records_is_read() {
    let h = Harness::start().await;
    let (agent, with_records) = finished_run(&h, 5, vec![FakeFile::csv("output.csv", &rows(5))]);
    // A later run counted records but exported none (no record file): it is not the default.
    h.fake.add_run(
        agent,
        RunScript::steps(vec![Step::new(6).data(3).exported(0).pages(1)]),
    );
    let page = success(h.call("fetch_records", json!({"agent_id": agent})).await);
    assert_eq!(page["run_id"], with_records, "{page}");
    assert_eq!(page["total"], 5);
}

#[tokio::test]
async fn a_remote_caller_is_never_handed_a_loopback_link() {
    let h = Harness::start_remote().await;
    let (agent, run) = finished_run(&h, 3, vec![FakeFile::csv("output.csv", &rows(3))]);
    let page = h
        .call_raw("fetch_records", json!({"agent_id": agent, "run_id": run}))
        .await;
    assert_eq!(page.is_error, Some(false));
    assert!(
        page.content.iter().all(|c| c.as_resource_link().is_none()),
        "the fake's download host is 127.0.0.1, out of a remote caller's reach"
    );
}
