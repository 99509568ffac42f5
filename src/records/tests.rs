//! Paging tests across all formats: completeness and order, projection, byte budget, tables,
//! sanitising and the cost of paging a large file.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::*;

const N: usize = 1000;

/// A value exercising quoting: commas, quotes, brackets, braces, backslashes and a line break.
fn name(i: usize) -> String {
    format!("Item {i}, \"quoted\" [x] {{y}} \\ back\nline")
}

fn row(i: usize) -> Value {
    json!({"id": i.to_string(), "name": name(i), "price": format!("{}.99", i % 50)})
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn write(file_name: &str, bytes: &[u8]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file_name);
    std::fs::write(&path, bytes).unwrap();
    Fixture { _dir: dir, path }
}

fn csv_bytes(rows: usize) -> Vec<u8> {
    let mut out = b"\xef\xbb\xbf".to_vec();
    let mut w = csv::Writer::from_writer(&mut out);
    w.write_record(["id", "name", "price"]).unwrap();
    for i in 0..rows {
        let r = row(i);
        w.write_record(["id", "name", "price"].map(|k| r[k].as_str().unwrap()))
            .unwrap();
    }
    drop(w);
    out
}

fn fixture(format: RecordFormat) -> Fixture {
    let rows: Vec<Value> = (0..N).map(row).collect();
    match format {
        RecordFormat::Csv => write("out.csv", &csv_bytes(N)),
        RecordFormat::JsonArray => write(
            "out.json",
            serde_json::to_string_pretty(&rows).unwrap().as_bytes(),
        ),
        RecordFormat::JsonObject => {
            let doc = json!({"Agent": rows, "Second": [{"k": "a"}, {"k": "b"}, {"k": "c"}]});
            write("out.json", serde_json::to_string(&doc).unwrap().as_bytes())
        }
        RecordFormat::JsonLines => {
            let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
            write("out.jsonl", text.as_bytes())
        }
    }
}

const FORMATS: [RecordFormat; 4] = [
    RecordFormat::Csv,
    RecordFormat::JsonArray,
    RecordFormat::JsonObject,
    RecordFormat::JsonLines,
];

fn request(position: Position, limit: usize, max_bytes: usize) -> PageRequest<'static> {
    PageRequest {
        position,
        table: None,
        limit,
        max_bytes,
        fields: None,
    }
}

/// Pages through a table, checking that every page moves forward and counts correctly.
fn page_all(
    path: &Path,
    format: RecordFormat,
    template: PageRequest,
) -> (Vec<Map<String, Value>>, usize) {
    let mut position = Position::default();
    let mut records = Vec::new();
    let mut pages = 0;
    loop {
        let page = read_page(
            path,
            format,
            &PageRequest {
                position,
                ..template
            },
        )
        .unwrap();
        pages += 1;
        assert!(
            !page.records.is_empty() || page.next.is_none(),
            "an empty page must be the last"
        );
        records.extend(page.records);
        match page.next {
            Some(next) => {
                assert!(
                    next.offset > position.offset,
                    "offset moves forward: {position:?} -> {next:?}"
                );
                assert_eq!(next.index, records.len() as u64);
                position = next;
            }
            None => return (records, pages),
        }
    }
}

fn ids(records: &[Map<String, Value>]) -> Vec<usize> {
    records
        .iter()
        .map(|r| r["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn detects_the_generated_fixtures() {
    for format in FORMATS {
        let f = fixture(format);
        let head = std::fs::read(&f.path).unwrap();
        let name = f.path.file_name().unwrap().to_str().unwrap();
        assert_eq!(
            detect_format(name, &head[..head.len().min(4096)]),
            Some(format)
        );
    }
}

#[test]
fn paging_returns_every_record_once_in_order() {
    for format in FORMATS {
        let f = fixture(format);
        for (limit, max_bytes) in [(7, 1 << 20), (500, 1 << 20), (25, 400)] {
            let (records, pages) = page_all(
                &f.path,
                format,
                request(Position::default(), limit, max_bytes),
            );
            assert_eq!(
                ids(&records),
                (0..N).collect::<Vec<_>>(),
                "{format:?} limit {limit}"
            );
            assert!(
                records
                    .iter()
                    .enumerate()
                    .all(|(i, r)| r["name"] == name(i)),
                "{format:?}"
            );
            assert!(pages >= N / limit, "{format:?}: limit caps the page size");
        }
    }
}

#[test]
fn for_each_record_streams_the_whole_table() {
    for format in FORMATS {
        let f = fixture(format);
        let mut seen = Vec::new();
        let count = for_each_record(&f.path, format, None, None, |r| {
            seen.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(count, N as u64);
        assert_eq!(ids(&seen), (0..N).collect::<Vec<_>>(), "{format:?}");
    }
}

#[test]
fn for_each_record_stops_on_a_callback_error() {
    let f = fixture(RecordFormat::Csv);
    let mut calls = 0;
    let result = for_each_record(&f.path, RecordFormat::Csv, None, None, |_| {
        calls += 1;
        if calls == 3 {
            Err(io::Error::other("disk full"))
        } else {
            Ok(())
        }
    });
    assert!(matches!(result, Err(RecordsError::Io(e)) if e.to_string() == "disk full"));
    assert_eq!(calls, 3);
}

#[test]
fn projection_orders_fields_and_matches_case_insensitively() {
    let fields = vec!["PRICE".to_string(), "id".to_string()];
    for format in FORMATS {
        let f = fixture(format);
        let req = PageRequest {
            fields: Some(&fields),
            ..request(Position::default(), 3, 1 << 20)
        };
        let page = read_page(&f.path, format, &req).unwrap();
        assert_eq!(page.fields, ["price", "id"], "{format:?}");
        for (i, r) in page.records.iter().enumerate() {
            assert_eq!(r.keys().collect::<Vec<_>>(), ["price", "id"], "{format:?}");
            assert_eq!(
                Value::Object(r.clone()),
                json!({"price": format!("{i}.99"), "id": i.to_string()})
            );
        }
        // The continuation carries the canonical names, as a cursor would.
        let rest = PageRequest {
            fields: Some(&page.fields),
            ..request(page.next.unwrap(), 2, 1 << 20)
        };
        let next = read_page(&f.path, format, &rest).unwrap();
        assert_eq!(
            Value::Object(next.records[0].clone()),
            json!({"price": "3.99", "id": "3"}),
            "{format:?}"
        );

        let mut seen = Vec::new();
        for_each_record(&f.path, format, None, Some(&fields), |r| {
            seen.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), N);
        assert_eq!(seen[999].keys().collect::<Vec<_>>(), ["price", "id"]);
    }
}

#[test]
fn unknown_fields_are_rejected_with_the_available_ones() {
    let fields = vec!["name".to_string(), "colour".to_string()];
    for format in FORMATS {
        let f = fixture(format);
        let req = PageRequest {
            fields: Some(&fields),
            ..request(Position::default(), 3, 1 << 20)
        };
        match read_page(&f.path, format, &req) {
            Err(e @ RecordsError::UnknownFields { .. }) => {
                let RecordsError::UnknownFields { missing, available } = &e else {
                    unreachable!()
                };
                assert_eq!(missing, &["colour"], "{format:?}");
                assert_eq!(available, &["id", "name", "price"], "{format:?}");
                assert!(
                    e.to_string().contains("available fields: id, name, price"),
                    "{e}"
                );
            }
            other => panic!("{format:?}: expected UnknownFields, got {other:?}"),
        }
        let streamed = for_each_record(&f.path, format, None, Some(&fields), |_| Ok(()));
        assert!(
            matches!(streamed, Err(RecordsError::UnknownFields { .. })),
            "{format:?}"
        );
    }
}

#[test]
fn json_fields_are_learned_from_more_than_the_first_record() {
    let f = write("sparse.jsonl", b"{\"a\":1}\n{\"a\":2,\"rare\":\"x\"}\n");
    let fields = vec!["rare".to_string(), "a".to_string()];
    let req = PageRequest {
        fields: Some(&fields),
        ..request(Position::default(), 10, 1 << 20)
    };
    let page = read_page(&f.path, RecordFormat::JsonLines, &req).unwrap();
    let got: Vec<Value> = page.records.into_iter().map(Value::Object).collect();
    assert_eq!(
        got,
        [json!({"rare": null, "a": 1}), json!({"rare": "x", "a": 2})]
    );
}

#[test]
fn byte_budget_returns_whole_records_and_at_least_one() {
    for format in FORMATS {
        let f = fixture(format);
        let one = read_page(&f.path, format, &request(Position::default(), 1, 1 << 20)).unwrap();
        let size = json_size(&one.records[0]) + 1;

        let tiny = read_page(&f.path, format, &request(Position::default(), 10, 1)).unwrap();
        assert_eq!(tiny.records.len(), 1, "{format:?}: at least one record");
        assert!(tiny.truncated_by_bytes);
        assert_eq!(tiny.next.unwrap().index, 1);

        // Records 0..3 have the same size; a budget for three and a half returns three.
        let three = read_page(
            &f.path,
            format,
            &request(Position::default(), 10, size * 3 + size / 2),
        )
        .unwrap();
        assert_eq!(ids(&three.records), [0, 1, 2], "{format:?}");
        assert!(three.truncated_by_bytes);
        let used: usize = three.records.iter().map(|r| json_size(r) + 1).sum();
        assert!(used <= size * 3 + size / 2);

        let by_count =
            read_page(&f.path, format, &request(Position::default(), 3, 1 << 20)).unwrap();
        assert!(
            !by_count.truncated_by_bytes,
            "{format:?}: stopped by limit, not bytes"
        );
        assert_eq!(by_count.next, three.next);
    }
}

#[test]
fn tables_of_a_json_object() {
    let f = fixture(RecordFormat::JsonObject);
    let format = RecordFormat::JsonObject;
    let first = read_page(&f.path, format, &request(Position::default(), 5, 1 << 20)).unwrap();
    assert_eq!(first.table.as_deref(), Some("Agent"));
    assert_eq!(first.tables, ["Agent", "Second"]);

    let next = read_page(&f.path, format, &request(first.next.unwrap(), 5, 1 << 20)).unwrap();
    assert_eq!(
        next.table.as_deref(),
        Some("Agent"),
        "the default table on a continuation"
    );
    assert_eq!(ids(&next.records), [5, 6, 7, 8, 9]);

    let second = PageRequest {
        table: Some("Second"),
        ..request(Position::default(), 2, 1 << 20)
    };
    let (records, _) = page_all(&f.path, format, second);
    let ks: Vec<&str> = records.iter().map(|r| r["k"].as_str().unwrap()).collect();
    assert_eq!(ks, ["a", "b", "c"]);
    let page = read_page(&f.path, format, &second).unwrap();
    assert_eq!(
        (page.table.as_deref(), page.fields.clone()),
        (Some("Second"), vec!["k".to_string()])
    );

    let missing = PageRequest {
        table: Some("Third"),
        ..request(Position::default(), 2, 1 << 20)
    };
    match read_page(&f.path, format, &missing) {
        Err(e @ RecordsError::UnknownTable { .. }) => {
            assert!(
                e.to_string().contains("available tables: Agent, Second"),
                "{e}"
            );
        }
        other => panic!("expected UnknownTable, got {other:?}"),
    }
}

#[test]
fn tables_are_refused_for_single_table_formats() {
    for format in [
        RecordFormat::Csv,
        RecordFormat::JsonArray,
        RecordFormat::JsonLines,
    ] {
        let f = fixture(format);
        let req = PageRequest {
            table: Some("Agent"),
            ..request(Position::default(), 2, 1 << 20)
        };
        match read_page(&f.path, format, &req) {
            Err(e @ RecordsError::UnknownTable { .. }) => {
                assert!(e.to_string().contains("leave `table` out"), "{e}")
            }
            other => panic!("{format:?}: expected UnknownTable, got {other:?}"),
        }
    }
}

#[test]
fn values_and_keys_are_sanitised() {
    let csv = write(
        "s.csv",
        "na\u{200b}me\r\nBob\u{202e}\u{e0041}\r\n".as_bytes(),
    );
    let json = write(
        "s.json",
        "[{\"na\\u200bme\": \"Bob\\u202e\\u0007\"}]".as_bytes(),
    );
    for (f, format) in [(csv, RecordFormat::Csv), (json, RecordFormat::JsonArray)] {
        let page = read_page(&f.path, format, &request(Position::default(), 5, 1 << 20)).unwrap();
        assert_eq!(page.fields, ["name"]);
        assert_eq!(
            Value::Object(page.records[0].clone()),
            json!({"name": "Bob"}),
            "{format:?}"
        );
    }
}

#[test]
fn empty_tables_give_an_empty_last_page() {
    let cases = [
        ("e.csv", "id,name\n", RecordFormat::Csv),
        ("e.csv", "", RecordFormat::Csv),
        ("e.json", " [ ] ", RecordFormat::JsonArray),
        ("e.json", "{\"T\": []}", RecordFormat::JsonObject),
        ("e.jsonl", "\n\n", RecordFormat::JsonLines),
    ];
    let fields = vec!["id".to_string()];
    for (name, text, format) in cases {
        let f = write(name, text.as_bytes());
        let page = read_page(&f.path, format, &request(Position::default(), 5, 1 << 20)).unwrap();
        assert!(
            page.records.is_empty() && page.next.is_none(),
            "{name} {text:?}"
        );
        if format != RecordFormat::Csv {
            let req = PageRequest {
                fields: Some(&fields),
                ..request(Position::default(), 5, 1 << 20)
            };
            let page = read_page(&f.path, format, &req).unwrap();
            assert!(
                page.records.is_empty() && page.next.is_none(),
                "{name} {text:?}"
            );
        }
    }
}

#[test]
fn malformed_files_say_where() {
    let cases = [
        (
            "b.json",
            "{\"a\": 1}",
            RecordFormat::JsonArray,
            "expected '[' opening the array of records at byte 0",
        ),
        (
            "b.json",
            "[{\"a\": 1}, {\"a\": ]",
            RecordFormat::JsonArray,
            "record at byte 11 is not valid JSON",
        ),
        (
            "b.json",
            "[{\"a\": 1}",
            RecordFormat::JsonArray,
            "expected ',' or ']' after a record at byte 9",
        ),
        (
            "b.json",
            "{\"T\": 5}",
            RecordFormat::JsonObject,
            "holds no array of records",
        ),
        (
            "b.json",
            "{\"T\" [1]}",
            RecordFormat::JsonObject,
            "expected ':' after a table name at byte 5",
        ),
    ];
    for (name, text, format, want) in cases {
        let f = write(name, text.as_bytes());
        let err =
            read_page(&f.path, format, &request(Position::default(), 5, 1 << 20)).unwrap_err();
        assert!(matches!(err, RecordsError::Unreadable { .. }), "{err:?}");
        assert!(err.to_string().contains(want), "{text:?}: {err}");
    }
}

#[test]
fn records_without_end_are_refused_not_buffered() {
    let cases = [
        (
            "open.csv",
            "a,b\n1,\"never closed ",
            RecordFormat::Csv,
            "row that starts at byte 4",
        ),
        (
            "open.json",
            "[{\"a\": \"never closed ",
            RecordFormat::JsonArray,
            "value that starts at byte 1",
        ),
        (
            "open.jsonl",
            "{\"a\": \"no newline ",
            RecordFormat::JsonLines,
            "line that starts at byte 0",
        ),
    ];
    for (name, prefix, format, want) in cases {
        let mut bytes = prefix.as_bytes().to_vec();
        bytes.resize(bytes.len() + source_file::MAX_RECORD_BYTES + 100_000, b'x');
        let f = write(name, &bytes);
        let err =
            read_page(&f.path, format, &request(Position::default(), 5, 1 << 20)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(want) && text.contains("larger than 16 MiB"),
            "{format:?}: {text}"
        );
    }
}

#[test]
fn json_field_sample_is_bounded_in_bytes() {
    let big = "x".repeat(FIELD_SAMPLE_BYTES as usize + 10);
    let text = format!("{{\"a\":\"{big}\"}}\n{{\"a\":1,\"late\":2}}\n");
    let f = write("late.jsonl", text.as_bytes());
    let fields = vec!["late".to_string()];
    let req = PageRequest {
        fields: Some(&fields),
        ..request(Position::default(), 5, 1 << 30)
    };
    match read_page(&f.path, RecordFormat::JsonLines, &req) {
        Err(RecordsError::UnknownFields { available, .. }) => assert_eq!(available, ["a"]),
        other => panic!("expected UnknownFields, got {other:?}"),
    }
}

#[test]
fn paging_a_large_csv_reads_the_file_about_once() {
    const ROWS: usize = 50_000;
    const LIMIT: usize = 100;
    let f = write("big.csv", &csv_bytes(ROWS));
    let file_len = std::fs::metadata(&f.path).unwrap().len();
    source_file::read_meter::take();
    let (records, pages) = page_all(
        &f.path,
        RecordFormat::Csv,
        request(Position::default(), LIMIT, 1 << 20),
    );
    let bytes_read = source_file::read_meter::take();
    assert_eq!(records.len(), ROWS);
    assert_eq!(pages, ROWS / LIMIT, "the last page knows it is the last");
    // Each page reads its own rows plus at most a few buffers (header, look-ahead); re-reading
    // from the start on every page would read about pages * file_len / 2.
    let allowance = file_len + pages as u64 * 32 * 1024;
    assert!(
        bytes_read <= allowance,
        "read {bytes_read} bytes of a {file_len}-byte file in {pages} pages"
    );
}

#[test]
fn paging_a_large_json_array_reads_the_file_about_once() {
    const ROWS: usize = 20_000;
    const LIMIT: usize = 100;
    let rows: Vec<Value> = (0..ROWS).map(row).collect();
    let f = write("big.json", serde_json::to_string(&rows).unwrap().as_bytes());
    let file_len = std::fs::metadata(&f.path).unwrap().len();
    source_file::read_meter::take();
    let (records, pages) = page_all(
        &f.path,
        RecordFormat::JsonArray,
        request(Position::default(), LIMIT, 1 << 20),
    );
    let bytes_read = source_file::read_meter::take();
    assert_eq!(records.len(), ROWS);
    let allowance = file_len + pages as u64 * 2 * 64 * 1024;
    assert!(
        bytes_read <= allowance,
        "read {bytes_read} bytes of a {file_len}-byte file in {pages} pages"
    );
}
