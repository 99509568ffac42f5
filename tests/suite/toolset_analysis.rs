//! The analysis toolset through a real MCP client on the fake cloud: SQL over a run's records
//! (filters, ordering, grouping over num(), several tables, refusals, paging with cursors) and
//! runs compared by an explicit and a chosen key.

use serde_json::{Value, json};

use crate::support::{
    FakeFile, RunScript, Step,
    mcp_client::{Harness, failure, success},
};

/// A finished run of `agent` holding `file`; returns its id.
fn finished_run(h: &Harness, agent: i64, records: i64, file: FakeFile) -> i64 {
    let script =
        RunScript::steps(vec![Step::new(9).data(records).exported(records)]).with_files(vec![file]);
    h.fake.add_run(agent, script)
}

fn laptops() -> Vec<Value> {
    vec![
        json!({"name": "Air 13", "price": "£1,299.00", "city": "London", "url": "https://s/air"}),
        json!({"name": "Budget 11", "price": "£349", "city": "Leeds", "url": "https://s/budget"}),
        json!({"name": "Mid 14", "price": "£499.99", "city": "London", "url": "https://s/mid"}),
        json!({"name": "Pro 16", "price": "£2,100", "city": "Leeds", "url": "https://s/pro"}),
        json!({"name": "Used 12", "price": "4,5 €", "city": "Paris", "url": "https://s/used"}),
    ]
}

async fn query(h: &Harness, agent: i64, sql: &str) -> Value {
    success(
        h.call("query_records", json!({"agent_id": agent, "sql": sql}))
            .await,
    )
}

#[tokio::test]
async fn questions_are_answered_with_filters_order_and_groups() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Laptops");
    let run = finished_run(&h, agent, 5, FakeFile::csv("laptops.csv", &laptops()));

    let cheap = query(
        &h,
        agent,
        "SELECT name, num(price) AS price FROM records WHERE num(price) < 500 ORDER BY num(price)",
    )
    .await;
    assert_eq!(cheap["run_id"], run, "the latest run with records");
    assert_eq!(
        cheap["rows"],
        json!([
            {"name": "Used 12", "price": 4.5},
            {"name": "Budget 11", "price": 349},
            {"name": "Mid 14", "price": 499.99},
        ])
    );
    assert_eq!(
        cheap["tables"],
        json!(["records(name, price, city, url): 5 rows"])
    );
    assert!(cheap.get("next_cursor").is_none());

    let cities = query(
        &h,
        agent,
        "SELECT city, count(*) AS n, round(avg(num(price)), 2) AS mean FROM records GROUP BY city ORDER BY n DESC, city",
    )
    .await;
    assert_eq!(
        cities["rows"],
        json!([
            {"city": "Leeds", "n": 2, "mean": 1224.5},
            {"city": "London", "n": 2, "mean": 899.5},
            {"city": "Paris", "n": 1, "mean": 4.5},
        ])
    );
}

#[tokio::test]
async fn several_tables_are_joined_and_records_is_the_first() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let products = [
        json!({"sku": "A1", "price": 10}),
        json!({"sku": "B2", "price": 12}),
    ];
    let reviews = [
        json!({"sku": "A1", "stars": 4}),
        json!({"sku": "A1", "stars": 2}),
        json!({"sku": "B2", "stars": 5}),
    ];
    let file = FakeFile::json_tables(
        "shop.json",
        &[("Products", &products[..]), ("Reviews", &reviews[..])],
    );
    let run = finished_run(&h, agent, 5, file);
    let answer = success(
        h.call(
            "query_records",
            json!({"agent_id": agent, "run_id": run,
                   "sql": "SELECT r.sku, avg(stars) AS stars FROM records r JOIN Reviews v ON v.sku = r.sku GROUP BY r.sku ORDER BY r.sku"}),
        )
        .await,
    );
    assert_eq!(
        answer["rows"],
        json!([{"sku": "A1", "stars": 3.0}, {"sku": "B2", "stars": 5.0}])
    );
    assert_eq!(
        answer["tables"],
        json!([
            "Products(sku, price): 2 rows",
            "Reviews(sku, stars): 3 rows",
            "records(sku, price): 2 rows"
        ])
    );
}

#[tokio::test]
async fn writes_escapes_and_unknown_columns_are_refused_with_what_is_allowed() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Laptops");
    finished_run(&h, agent, 5, FakeFile::csv("laptops.csv", &laptops()));
    for sql in [
        "DELETE FROM records",
        "ATTACH DATABASE '/tmp/x.db' AS x",
        "PRAGMA table_info(records)",
        "SELECT load_extension('x')",
        "SELECT 1; DROP TABLE records",
        "SELECT * FROM sqlite_master",
    ] {
        let text = failure(
            h.call("query_records", json!({"agent_id": agent, "sql": sql}))
                .await,
        );
        assert!(text.starts_with("invalid_argument: "), "{sql}: {text}");
        assert!(text.contains("SELECT"), "{sql}: {text}");
        assert!(
            text.contains("records(name, price, city, url)"),
            "{sql}: {text}"
        );
    }
    let text = failure(
        h.call(
            "query_records",
            json!({"agent_id": agent, "sql": "SELECT colour FROM records"}),
        )
        .await,
    );
    assert!(
        text.contains("no such column: colour") && text.contains("records(name, price, city, url)"),
        "{text}"
    );
    // The data is intact afterwards.
    let count = query(&h, agent, "SELECT count(*) AS n FROM records").await;
    assert_eq!(count["rows"], json!([{"n": 5}]));
}

#[tokio::test]
async fn answers_page_with_cursors_that_carry_the_query() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Many");
    let records: Vec<Value> = (1..=120).map(|i| json!({"id": i, "v": i % 7})).collect();
    finished_run(&h, agent, 120, FakeFile::json_lines("many.jsonl", &records));
    let mut args = json!({"agent_id": agent, "sql": "SELECT id FROM records WHERE v <> 0 ORDER BY id DESC", "limit": 40});
    let mut ids = Vec::new();
    loop {
        let page = success(h.call("query_records", args.clone()).await);
        ids.extend(
            page["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap()),
        );
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(cursor) => args = json!({"agent_id": agent, "cursor": cursor}),
            None => break,
        }
    }
    let expected: Vec<i64> = (1..=120).rev().filter(|i| i % 7 != 0).collect();
    assert_eq!(ids, expected);

    let first = success(
        h.call(
            "query_records",
            json!({"agent_id": agent, "sql": "SELECT id FROM records", "limit": 5}),
        )
        .await,
    );
    let cursor = first["next_cursor"].as_str().unwrap();
    let other_sql = failure(
        h.call(
            "query_records",
            json!({"agent_id": agent, "cursor": cursor, "sql": "SELECT 1"}),
        )
        .await,
    );
    assert!(other_sql.starts_with("invalid_cursor: "), "{other_sql}");
    let mut altered = cursor.to_string();
    altered.replace_range(10..11, if &cursor[10..11] == "A" { "B" } else { "A" });
    let tampered = failure(
        h.call(
            "query_records",
            json!({"agent_id": agent, "cursor": altered}),
        )
        .await,
    );
    assert!(tampered.starts_with("invalid_cursor: "), "{tampered}");
}

/// Follows next_cursor from `args` to the last page; returns every page.
async fn pages(h: &Harness, tool: &str, mut args: Value) -> Vec<Value> {
    let agent = args["agent_id"].clone();
    let mut pages = Vec::new();
    loop {
        let page = success(h.call(tool, args.clone()).await);
        let next = page
            .get("next_cursor")
            .and_then(Value::as_str)
            .map(str::to_string);
        pages.push(page);
        match next {
            Some(cursor) => args = json!({"agent_id": agent, "cursor": cursor}),
            None => return pages,
        }
    }
}

#[tokio::test]
async fn later_pages_keep_the_limit_and_budget_and_a_row_over_budget_is_cut() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Many");
    let records: Vec<Value> = (1..=120)
        .map(|i| json!({"id": i, "text": "x".repeat(300)}))
        .collect();
    finished_run(&h, agent, 120, FakeFile::json_lines("many.jsonl", &records));

    let by_count = pages(
        &h,
        "query_records",
        json!({"agent_id": agent, "sql": "SELECT id FROM records", "limit": 25}),
    )
    .await;
    let sizes: Vec<usize> = by_count
        .iter()
        .map(|p| p["rows"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [25, 25, 25, 25, 20]);
    assert!(by_count.iter().all(|p| p["total"] == 120), "{by_count:?}");

    let by_bytes = pages(
        &h,
        "query_records",
        json!({"agent_id": agent, "sql": "SELECT id, text FROM records", "max_bytes": 1024}),
    )
    .await;
    let mut seen = 0;
    for page in &by_bytes {
        let rows = page["rows"].as_array().unwrap();
        let bytes: usize = rows.iter().map(|r| r.to_string().len() + 1).sum();
        assert!(bytes <= 1024, "{bytes} bytes on a later page");
        seen += rows.len();
    }
    assert_eq!(seen, 120);
    assert!(by_bytes.len() >= 40, "{} pages", by_bytes.len());
    assert!(
        by_bytes[..by_bytes.len() - 1]
            .iter()
            .all(|p| p["truncated_by_bytes"] == true)
    );

    let huge = success(
        h.call(
            "query_records",
            json!({"agent_id": agent, "max_bytes": 1024,
                   "sql": "SELECT id, printf('%.*c', 3000000, 'x') AS body FROM records"}),
        )
        .await,
    );
    let rows = huge["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].to_string().len() <= 1024,
        "{}",
        rows[0].to_string().len()
    );
    assert_eq!(rows[0]["id"], 1);
    assert_eq!(huge["cut_fields"], json!(["body"]));
    assert_eq!(huge["truncated_by_bytes"], true);
    assert_eq!(huge["total"], 120);
    assert!(huge["next_cursor"].is_string());

    for (sql, said) in [
        (
            "SELECT 1; DROP TABLE records",
            "not a second statement (\"DROP TABLE records\")",
        ),
        (
            "SELEC * FROM records",
            "syntax error at character 1, near \"SELEC\"",
        ),
        ("UPDATE records SET id = 0", "not an UPDATE statement"),
        ("SELECT randomblob(100000000)", "at most 16 MiB"),
    ] {
        let text = failure(
            h.call("query_records", json!({"agent_id": agent, "sql": sql}))
                .await,
        );
        assert!(
            text.starts_with("invalid_argument: ") && text.contains(said),
            "{sql}: {text}"
        );
    }
}

/// Jobs in which no one field identifies a record: title and city together do.
fn jobs(pays: [(&str, &str, &str); 3]) -> Vec<Value> {
    pays.iter()
        .map(|(title, city, pay)| json!({"title": title, "city": city, "pay": pay}))
        .collect()
}

#[tokio::test]
async fn compare_runs_says_which_runs_it_chose_and_matches_by_several_fields() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Jobs");
    let older = jobs([
        ("Chef", "Leeds", "£30,000"),
        ("Chef", "York", "£28,000"),
        ("Cook", "Leeds", "£28,000"),
    ]);
    let newer = jobs([
        ("Chef", "Leeds", "£31,000"),
        ("Chef", "York", "£28,000"),
        ("Cook", "York", "£28,000"),
    ]);
    let first = finished_run(&h, agent, 3, FakeFile::csv("a.csv", &older));
    let second = finished_run(&h, agent, 3, FakeFile::csv("b.csv", &newer));
    let stopped = h.fake.add_run(
        agent,
        RunScript::steps(vec![Step::new(8).data(2).exported(2)])
            .with_files(vec![FakeFile::csv("c.csv", &newer[..2])]),
    );

    let diff = success(
        h.call(
            "compare_runs",
            json!({"agent_id": agent, "key": "title, city"}),
        )
        .await,
    );
    assert_eq!(
        (diff["run_id"].clone(), diff["base_run_id"].clone()),
        (json!(second), json!(first))
    );
    assert_eq!(diff["key"], "title,city");
    let note = diff["note"].as_str().unwrap();
    assert!(
        note.starts_with(&format!("Compared run {second} with run {first}."))
            && note.contains(&format!("Passed over run(s) {stopped} (stopped)")),
        "{note}"
    );
    assert_eq!(
        diff["counts"],
        json!({"added": 1, "removed": 1, "changed": 1, "unchanged": 1})
    );
    assert_eq!(
        diff["differences"][2],
        json!({"kind": "changed", "key": {"title": "Chef", "city": "Leeds"}, "changes": {
            "pay": {"old": "£30,000", "new": "£31,000", "difference": 1000.0}
        }})
    );

    let no_key = failure(h.call("compare_runs", json!({"agent_id": agent})).await);
    assert!(
        no_key.contains("no field is unique") && no_key.contains("key=\"title,city\""),
        "{no_key}"
    );
    let oldest = failure(
        h.call("compare_runs", json!({"agent_id": agent, "run_id": first}))
            .await,
    );
    assert!(
        oldest.starts_with(&format!(
            "not_found: Run {first} has no earlier completed run with records to compare with"
        )) && oldest.contains("Pass base_run_id"),
        "{oldest}"
    );
    let itself = failure(
        h.call(
            "compare_runs",
            json!({"agent_id": agent, "run_id": second, "base_run_id": second}),
        )
        .await,
    );
    assert!(
        itself.starts_with("invalid_argument: ") && itself.contains("compared with itself"),
        "{itself}"
    );
}

#[tokio::test]
async fn a_comparison_cursor_refuses_other_runs_keys_and_fields() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Catalogue");
    let old: Vec<Value> = (1..=120)
        .map(|i| json!({"sku": format!("S{i}"), "price": i}))
        .collect();
    let new: Vec<Value> = (21..=140)
        .map(|i| json!({"sku": format!("S{i}"), "price": if i % 2 == 0 { i + 1 } else { i }}))
        .collect();
    let base = finished_run(&h, agent, 120, FakeFile::csv("old.csv", &old));
    let run = finished_run(&h, agent, 120, FakeFile::csv("new.csv", &new));
    let first = success(
        h.call("compare_runs", json!({"agent_id": agent, "key": "sku"}))
            .await,
    );
    let cursor = first["next_cursor"].as_str().unwrap();
    for other in [
        json!({"key": "price"}),
        json!({"fields": ["sku"]}),
        json!({"run_id": base}),
        json!({"base_run_id": run}),
    ] {
        let mut args = json!({"agent_id": agent, "cursor": cursor});
        args.as_object_mut()
            .unwrap()
            .extend(other.as_object().unwrap().clone());
        let text = failure(h.call("compare_runs", args).await);
        assert!(
            text.starts_with("invalid_cursor: This cursor continues another comparison"),
            "{other}: {text}"
        );
    }
    let same = success(
        h.call(
            "compare_runs",
            json!({"agent_id": agent, "cursor": cursor, "key": "SKU", "run_id": run}),
        )
        .await,
    );
    assert_eq!(same["differences"].as_array().unwrap().len(), 40);
}

fn yesterday() -> Vec<Value> {
    laptops()
}

/// Today's run: a price cut, a laptop gone, a new one, a stock field added.
fn today() -> Vec<Value> {
    let mut records = laptops();
    records[0]["price"] = json!("£1,199.00");
    records.remove(3);
    records
        .push(json!({"name": "Neo 15", "price": "£899", "city": "Paris", "url": "https://s/neo"}));
    for r in &mut records {
        r["stock"] = json!("in stock");
    }
    records
}

#[tokio::test]
async fn the_last_two_runs_are_compared_by_a_chosen_key() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Laptops");
    let older = finished_run(&h, agent, 5, FakeFile::json_array("a.json", &yesterday()));
    let newer = finished_run(&h, agent, 5, FakeFile::json_array("b.json", &today()));
    let diff = success(h.call("compare_runs", json!({"agent_id": agent})).await);
    assert_eq!(
        (diff["run_id"].clone(), diff["base_run_id"].clone()),
        (json!(newer), json!(older))
    );
    assert_eq!(diff["key"], "url");
    let note = diff["note"].as_str().unwrap();
    assert!(note.contains("chosen as unique in both runs"), "{note}");
    assert!(
        note.contains("Fields only in the newer run: stock"),
        "{note}"
    );
    assert_eq!(
        diff["counts"],
        json!({"added": 1, "removed": 1, "changed": 1, "unchanged": 3})
    );
    let differences = diff["differences"].as_array().unwrap();
    assert_eq!(differences.len(), 3);
    assert_eq!(differences[0]["kind"], "added");
    assert_eq!(differences[0]["record"]["name"], "Neo 15");
    assert_eq!(differences[1]["kind"], "removed");
    assert_eq!(differences[1]["record"]["name"], "Pro 16");
    assert_eq!(
        differences[2],
        json!({"kind": "changed", "key": "https://s/air", "changes": {
            "price": {"old": "£1,299.00", "new": "£1,199.00", "difference": -100.0}
        }})
    );
}

#[tokio::test]
async fn an_explicit_key_pages_the_differences_with_a_cursor() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Catalogue");
    let old: Vec<Value> = (1..=120)
        .map(|i| json!({"sku": format!("S{i}"), "price": i}))
        .collect();
    let new: Vec<Value> = (21..=140)
        .map(|i| json!({"sku": format!("S{i}"), "price": if i % 2 == 0 { i + 1 } else { i }}))
        .collect();
    let base = finished_run(&h, agent, 120, FakeFile::csv("old.csv", &old));
    let run = finished_run(&h, agent, 120, FakeFile::csv("new.csv", &new));
    let mut args = json!({"agent_id": agent, "run_id": run, "base_run_id": base, "key": "sku"});
    let (mut added, mut removed, mut changed, mut pages) = (0, 0, 0, 0);
    loop {
        let page = success(h.call("compare_runs", args.clone()).await);
        assert_eq!(page["key"], "sku");
        assert_eq!(
            page["counts"],
            json!({"added": 20, "removed": 20, "changed": 50, "unchanged": 50})
        );
        for difference in page["differences"].as_array().unwrap() {
            match difference["kind"].as_str().unwrap() {
                "added" => added += 1,
                "removed" => removed += 1,
                _ => {
                    changed += 1;
                    assert_eq!(
                        difference["changes"]["price"]["difference"], 1.0,
                        "{difference}"
                    );
                }
            }
        }
        pages += 1;
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(cursor) => args = json!({"agent_id": agent, "cursor": cursor}),
            None => break,
        }
    }
    assert_eq!((added, removed, changed, pages), (20, 20, 50, 2));

    let bad = failure(
        h.call(
            "compare_runs",
            json!({"agent_id": agent, "run_id": run, "base_run_id": base, "key": "colour"}),
        )
        .await,
    );
    assert!(
        bad.starts_with("invalid_argument: ") && bad.contains("sku, price"),
        "{bad}"
    );
    let lonely = h.fake.add_agent("Once");
    finished_run(&h, lonely, 3, FakeFile::csv("one.csv", &old[..3]));
    let text = failure(h.call("compare_runs", json!({"agent_id": lonely})).await);
    assert!(
        text.starts_with("not_found: ") && text.contains("comparing needs two"),
        "{text}"
    );
}

mod engine {
    //! On the embedded engine: a scheduled agent runs twice, the site changes in between, and
    //! the analysis tools answer from the runs' real record files.

    use std::sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    };

    use axum::{Router, extract::State, response::Html, routing::get};
    use chrono::{DateTime, Utc};
    use sequentum_mcp::{
        local::{Engine, scheduler::ManualClock},
        mcp::toolsets::Selection,
    };
    use serde_json::{Value, json};

    use crate::engine_fixture::{call_tool, client_for, create_agent, finished, mcp_on, options};

    /// A shop page: four laptops; once `changed`, one is cheaper, one gone and one new.
    async fn shop(State(changed): State<Arc<AtomicBool>>) -> Html<String> {
        let laptops: &[(&str, &str)] = if changed.load(Ordering::SeqCst) {
            &[
                ("air", "£1,199.00"),
                ("budget", "£349.00"),
                ("mid", "£499.99"),
                ("neo", "£899.00"),
            ]
        } else {
            &[
                ("air", "£1,299.00"),
                ("budget", "£349.00"),
                ("mid", "£499.99"),
                ("pro", "£2,100.00"),
            ]
        };
        let items: String = laptops
            .iter()
            .map(|(slug, price)| {
                format!(r#"<article class="laptop"><h2>{slug}</h2><span class="price">{price}</span><a href="/p/{slug}">more</a></article>"#)
            })
            .collect();
        Html(format!("<html><body><main>{items}</main></body></html>"))
    }

    fn ok(result: rmcp::model::CallToolResult) -> Value {
        assert_ne!(result.is_error, Some(true), "{result:?}");
        result.structured_content.expect("structured output")
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn two_scheduled_runs_of_a_changed_site_are_queried_and_compared() {
        let changed = Arc::new(AtomicBool::new(false));
        let app = Router::new()
            .route("/laptops", get(shop))
            .with_state(changed.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/laptops", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        let dir = tempfile::tempdir().unwrap();
        let t0: DateTime<Utc> = "2027-03-01T00:00:00Z".parse().unwrap();
        let clock = ManualClock::new(t0);
        let mut opts = options(dir.path(), 2);
        opts.clock = clock.clone();
        let engine = Engine::start(opts).await.unwrap();
        let definition = json!({
            "start_urls": [url],
            "record_selector": "article.laptop",
            "fields": [
                {"name": "name", "selector": "h2"},
                {"name": "price", "selector": ".price"},
                {"name": "link", "selector": "a", "attribute": "href"}
            ]
        });
        let agent = create_agent(&engine, "Laptops", definition).await;
        let mcp = mcp_on(&engine, dir.path(), &Selection::default()).await;
        ok(call_tool(
            &mcp,
            "schedule_agent",
            json!({"agent_id": agent, "every": "1 day"}),
        )
        .await);

        let client = client_for(&engine, engine.api_key());
        let mut runs = Vec::new();
        for day in 1..=2 {
            clock.advance_to(t0 + chrono::Duration::days(day)).await;
            let run = client.list_runs(agent, 1).await.unwrap().remove(0);
            finished(&client, agent, run.id).await;
            runs.push(run.id);
            changed.store(true, Ordering::SeqCst);
        }

        let cheap = ok(call_tool(
            &mcp,
            "query_records",
            json!({"agent_id": agent, "run_id": runs[0],
                   "sql": "SELECT name, num(price) AS price FROM records WHERE num(price) < 1000 ORDER BY num(price) DESC"}),
        )
        .await);
        assert_eq!(
            cheap["rows"],
            json!([{"name": "mid", "price": 499.99}, {"name": "budget", "price": 349.0}])
        );

        let diff = ok(call_tool(&mcp, "compare_runs", json!({"agent_id": agent})).await);
        assert_eq!(
            (diff["run_id"].clone(), diff["base_run_id"].clone()),
            (json!(runs[1]), json!(runs[0]))
        );
        assert_eq!(
            diff["counts"],
            json!({"added": 1, "removed": 1, "changed": 1, "unchanged": 2})
        );
        let kinds: Vec<(&str, Value)> = diff["differences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["kind"].as_str().unwrap(), d["record"]["name"].clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("added", json!("neo")),
                ("removed", json!("pro")),
                ("changed", Value::Null)
            ]
        );
        assert!(
            diff["differences"][2]["key"]
                .as_str()
                .unwrap()
                .ends_with("/p/air"),
            "{diff}"
        );
        assert_eq!(
            diff["differences"][2]["changes"]["price"]["difference"],
            -100.0
        );
        let by_name = ok(call_tool(
            &mcp,
            "compare_runs",
            json!({"agent_id": agent, "key": "name", "fields": ["price"]}),
        )
        .await);
        assert_eq!(
            (by_name["key"].clone(), by_name["counts"]["changed"].clone()),
            (json!("name"), json!(1))
        );

        let prompts = mcp.list_prompts(None).await.unwrap().prompts;
        let names: Vec<&str> = prompts.iter().map(|p| p.name.as_str()).collect();
        assert!(names.contains(&"compare_with_last_run"), "{names:?}");
        assert!(
            !names.contains(&"spending_report"),
            "the engine has no usage tools: {names:?}"
        );
        engine.shutdown().await;
    }
}
