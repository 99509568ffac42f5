use std::{path::Path, time::Duration};

use serde_json::{Value, json};

use super::*;

const LIMIT: Duration = Duration::from_secs(10);

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn laptops(dir: &Path) -> PathBuf {
    write(
        dir,
        "laptops.csv",
        "name,price,city,listed\n\
         Air,\"£1,299.00\",London,5 March 2024\n\
         Budget,£349,Leeds,2024-03-01\n\
         Mid,\"£499.99\",London,03/22/2024\n\
         Pro,\"£2,100\",Leeds,yesterday-ish\n\
         Used,\"4,5 €\",Paris,1st April 2024\n",
    )
}

fn open(records: &Path, format: RecordFormat, keep: bool) -> Dataset {
    let dir = records.parent().unwrap();
    Dataset::open(&Source {
        records,
        format,
        keep_at: keep.then(|| records.with_extension("sqlite")),
        scratch_dir: dir,
    })
    .unwrap()
}

fn all(data: &Dataset, sql: &str) -> Vec<Value> {
    let page = data.query(sql, 0, 1000, 1 << 20, LIMIT).unwrap();
    assert!(!page.more);
    page.rows.into_iter().map(Value::Object).collect()
}

#[test]
fn filters_orders_and_groups_with_num_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = laptops(dir.path());
    for keep in [false, true] {
        let data = open(&path, RecordFormat::Csv, keep);
        assert_eq!(
            data.tables,
            [TableSchema {
                name: "records".into(),
                columns: vec![
                    "name".into(),
                    "price".into(),
                    "city".into(),
                    "listed".into()
                ],
                rows: 5,
            }]
        );
        let cheap = all(
            &data,
            "SELECT name, num(price) AS price FROM records WHERE num(price) < 500 ORDER BY num(price)",
        );
        assert_eq!(
            cheap,
            [
                json!({"name": "Used", "price": 4.5}),
                json!({"name": "Budget", "price": 349}),
                json!({"name": "Mid", "price": 499.99}),
            ]
        );
        let cities = all(
            &data,
            "SELECT city, count(*) AS n, avg(num(price)) AS mean FROM records GROUP BY city ORDER BY n DESC, city",
        );
        assert_eq!(
            cities,
            [
                json!({"city": "Leeds", "n": 2, "mean": 1224.5}),
                json!({"city": "London", "n": 2, "mean": 899.495}),
                json!({"city": "Paris", "n": 1, "mean": 4.5}),
            ]
        );
        let dates = all(&data, "SELECT date(listed) AS d FROM records");
        let dates: Vec<&Value> = dates.iter().map(|r| &r["d"]).collect();
        assert_eq!(
            dates,
            [
                &json!("2024-03-05"),
                &json!("2024-03-01"),
                &json!("2024-03-22"),
                &Value::Null,
                &json!("2024-04-01"),
            ]
        );
    }
    assert!(
        path.with_extension("sqlite").is_file(),
        "the kept database stays"
    );
}

#[test]
fn json_tables_each_become_a_table_and_records_is_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "out.json",
        r#"{"Products": [{"sku": "A1", "price": 10}, {"sku": "B2", "price": 12.5, "colour": "red"}],
            "Reviews": [{"sku": "A1", "stars": 4}, {"sku": "A1", "stars": 2}, {"sku": "B2", "stars": 5}]}"#,
    );
    let data = open(&path, RecordFormat::JsonObject, true);
    let names: Vec<(&str, i64)> = data
        .tables
        .iter()
        .map(|t| (t.name.as_str(), t.rows))
        .collect();
    assert_eq!(names, [("Products", 2), ("Reviews", 3), ("records", 2)]);
    assert_eq!(data.tables[0].columns, ["sku", "price", "colour"]);
    let joined = all(
        &data,
        "SELECT p.sku, p.price, avg(r.stars) AS stars FROM records p JOIN Reviews r USING (sku) GROUP BY p.sku ORDER BY p.sku",
    );
    assert_eq!(
        joined,
        [
            json!({"sku": "A1", "price": 10, "stars": 3.0}),
            json!({"sku": "B2", "price": 12.5, "stars": 5.0}),
        ]
    );
}

#[test]
fn refuses_every_write_and_escape_and_says_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = laptops(dir.path());
    let outside = dir.path().join("other.sqlite");
    for keep in [false, true] {
        let data = open(&path, RecordFormat::Csv, keep);
        for sql in [
            "DELETE FROM records",
            "UPDATE records SET price = 0",
            "INSERT INTO records (name) VALUES ('x')",
            "DROP TABLE records",
            "CREATE TABLE t (a)",
            "PRAGMA table_info(records)",
            &format!("ATTACH '{}' AS other", outside.display()),
            "SELECT 1; DELETE FROM records",
            "SELECT * FROM records; SELECT 1",
            "BEGIN",
            "VACUUM",
            "",
        ] {
            let err = data.query(sql, 0, 10, 4096, LIMIT).unwrap_err();
            assert!(
                matches!(err, QueryError::NotASelect(_) | QueryError::Refused(_)),
                "{sql}: {err:?}"
            );
            assert!(err.to_string().contains("SELECT"), "{err}");
        }
        for (sql, what) in [
            ("SELECT load_extension('/tmp/evil')", "load_extension"),
            ("SELECT * FROM sqlite_schema", "sqlite_master"),
            ("SELECT * FROM sqlite_master", "sqlite_master"),
            ("SELECT * FROM pragma_table_info('records')", "pragma"),
            (
                "WITH x AS (SELECT 1) SELECT * FROM temp.sqlite_temp_master",
                "sqlite_temp_master",
            ),
        ] {
            let err = data.query(sql, 0, 10, 4096, LIMIT).unwrap_err();
            let text = err.to_string();
            assert!(
                matches!(err, QueryError::Refused(_)) && text.to_lowercase().contains(what),
                "{sql}: {text}"
            );
        }
        assert!(!outside.exists(), "nothing was created outside");
        let unknown = data
            .query("SELECT nope FROM records", 0, 10, 4096, LIMIT)
            .unwrap_err();
        assert!(
            unknown.to_string().contains("no such column: nope"),
            "{unknown}"
        );
        assert_eq!(
            all(&data, "SELECT count(*) AS n FROM records"),
            [json!({"n": 5})]
        );
    }
    assert!(!outside.exists());
}

#[test]
fn a_query_that_never_ends_is_stopped_at_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let data = open(&laptops(dir.path()), RecordFormat::Csv, false);
    let limit = Duration::from_millis(300);
    let started = std::time::Instant::now();
    let err = data
        .query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
            0,
            10,
            4096,
            limit,
        )
        .unwrap_err();
    assert!(matches!(err, QueryError::TimeLimit(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The connection is usable again afterwards.
    assert_eq!(
        all(&data, "SELECT count(*) AS n FROM records"),
        [json!({"n": 5})]
    );
}

#[test]
fn huge_values_are_refused_rather_than_built_and_the_cap_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = open(&laptops(dir.path()), RecordFormat::Csv, false);
    for sql in [
        "SELECT length(zeroblob(1000000000))",
        "SELECT randomblob(100000000)",
    ] {
        let err = data.query(sql, 0, 1, 4096, LIMIT).unwrap_err();
        assert!(matches!(err, QueryError::TooBig), "{sql}: {err:?}");
        assert!(err.to_string().contains("at most 16 MiB"), "{err}");
    }
}

#[test]
fn refusals_name_the_statement_refused_and_syntax_errors_say_where() {
    let dir = tempfile::tempdir().unwrap();
    let data = open(&laptops(dir.path()), RecordFormat::Csv, false);
    let text = |sql: &str| data.query(sql, 0, 1, 4096, LIMIT).unwrap_err().to_string();
    assert!(
        text("SELECT 1; DROP TABLE records")
            .ends_with("not a second statement (\"DROP TABLE records\")"),
        "{}",
        text("SELECT 1; DROP TABLE records")
    );
    assert!(text("UPDATE records SET price = 0").ends_with("not an UPDATE statement"));
    assert!(text("ATTACH 'x' AS y").ends_with("not an ATTACH statement"));
    assert!(text("DELETE FROM records").ends_with("not a DELETE statement"));
    assert_eq!(
        text("SELEC * FROM records"),
        "syntax error at character 1, near \"SELEC\""
    );
    assert_eq!(
        text("SELECT name FROM records WHERE"),
        "syntax error at the end: the statement stops before it is complete"
    );
    assert_eq!(
        text("SELECT name FROM records ORDER name"),
        "syntax error at character 32, near \"name\""
    );
    // A semicolon inside a string or a trailing comment is not a second statement.
    assert_eq!(all(&data, "SELECT ';' AS s; -- done"), [json!({"s": ";"})]);
}

#[test]
fn date_takes_an_order_and_leaves_other_modifiers_to_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let data = open(&laptops(dir.path()), RecordFormat::Csv, false);
    assert_eq!(
        all(
            &data,
            "SELECT date('09/07/2025') AS guess, date('09/07/2025', 'dmy') AS dmy, \
             date('09/07/2025', 'MDY') AS mdy, date('2024-03-05', '+1 day') AS next, \
             date('2024-03-05', 'start of month', '+1 month') AS month, num('€45.000') AS n"
        ),
        [
            json!({"guess": null, "dmy": "2025-07-09", "mdy": "2025-09-07",
                "next": "2024-03-06", "month": "2024-04-01", "n": 45000})
        ]
    );
}

#[test]
fn a_row_larger_than_the_budget_comes_alone_with_its_long_values_cut() {
    let dir = tempfile::tempdir().unwrap();
    let data = open(&laptops(dir.path()), RecordFormat::Csv, false);
    let sql = "SELECT name, printf('%.*c', 3000000, 'x') AS body FROM records ORDER BY name";
    let page = data.query(sql, 0, 50, 1024, LIMIT).unwrap();
    assert_eq!(page.rows.len(), 1);
    assert!(page.truncated_by_bytes && page.more);
    assert_eq!(page.cut_fields, ["body"]);
    assert_eq!(page.rows[0]["name"], "Air");
    assert!(crate::records::json_size(&page.rows[0]) <= 1024);
    assert_eq!(page.total, Some(5));
    let last = data.query(sql, 4, 50, 1024, LIMIT).unwrap();
    assert_eq!(
        (last.rows.len(), last.more, last.total),
        (1, false, Some(5))
    );
    let small = data
        .query("SELECT name FROM records", 0, 2, 4096, LIMIT)
        .unwrap();
    assert!(small.cut_fields.is_empty() && !small.truncated_by_bytes);
    assert_eq!((small.more, small.total), (true, Some(5)));
}

#[test]
fn pages_resume_by_skipping_and_respect_the_byte_budget() {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (1..=100)
        .map(|i| format!("{{\"id\": {i}, \"text\": \"{}\"}}\n", "x".repeat(90)))
        .collect();
    let path = write(dir.path(), "out.jsonl", &lines);
    let data = open(&path, RecordFormat::JsonLines, true);
    let sql = "SELECT id, text FROM records ORDER BY id DESC";
    let mut seen = Vec::new();
    loop {
        let page = data.query(sql, seen.len() as u64, 30, 2048, LIMIT).unwrap();
        assert!(page.rows.len() <= 30);
        assert!(!page.more || page.truncated_by_bytes || page.rows.len() == 30);
        seen.extend(page.rows.iter().map(|r| r["id"].as_i64().unwrap()));
        if !page.more {
            break;
        }
    }
    assert_eq!(seen, (1..=100).rev().collect::<Vec<_>>());
}

#[test]
fn fields_that_differ_by_case_or_appear_late_get_columns_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "out.json",
        r#"[{"Price": "1"}, {"price": "2", "extra": {"a": [1]}}, {"flag": true}]"#,
    );
    let data = open(&path, RecordFormat::JsonArray, false);
    assert_eq!(
        data.tables[0].columns,
        ["Price", "price_2", "extra", "flag"]
    );
    assert_eq!(
        all(&data, "SELECT * FROM records"),
        [
            json!({"Price": "1", "price_2": null, "extra": null, "flag": null}),
            json!({"Price": null, "price_2": "2", "extra": "{\"a\":[1]}", "flag": null}),
            json!({"Price": null, "price_2": null, "extra": null, "flag": 1}),
        ]
    );
}
