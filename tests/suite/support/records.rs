//! Deterministic record sets and the run files that carry them, in every export format the
//! MCP server reads (CSV, JSON array, JSON object of tables, JSON lines) plus ones it must
//! refuse or treat as logs.

use serde_json::{Map, Value, json};

/// `fileType` of record files (DeliveredFile) and text logs (LogText).
pub const DELIVERED_FILE: i64 = 1;
pub const LOG_TEXT: i64 = 6;

/// `n` records `{id, name, price}` with ids 1..=n. Names are plain (`Item 12`) except, by
/// `id % 10`: 3 holds a comma, 5 double quotes, 7 a newline, 9 a right-to-left override
/// (U+202E) and a zero-width space (U+200B), so CSV quoting and sanitising are exercised on
/// every page of results. Prices are numbers with two decimals.
pub fn rows(n: usize) -> Vec<Value> {
    (1..=n as i64)
        .map(|id| {
            let name = match id % 10 {
                3 => format!("Widget, large {id}"),
                5 => format!("The \"Best\" {id}"),
                7 => format!("Line one\nline two {id}"),
                9 => format!("Safe\u{202E}txt.exe {id}\u{200B}"),
                _ => format!("Item {id}"),
            };
            let price = ((id * 137) % 10_000) as f64 / 100.0;
            json!({"id": id, "name": name, "price": price})
        })
        .collect()
}

/// One output file of a run, as the fake lists and serves it.
#[derive(Debug, Clone)]
pub struct FakeFile {
    pub name: String,
    pub file_type: i64,
    pub bytes: Vec<u8>,
}

impl FakeFile {
    pub fn raw(name: &str, file_type: i64, bytes: Vec<u8>) -> FakeFile {
        FakeFile {
            name: name.to_string(),
            file_type,
            bytes,
        }
    }

    /// A CSV export: a header of every key (first-seen order), then one line per record.
    pub fn csv(name: &str, records: &[Value]) -> FakeFile {
        let columns = columns(records);
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(&columns).expect("writing to memory");
        for record in records {
            let cells = columns.iter().map(|c| cell(record.get(c)));
            out.write_record(cells).expect("writing to memory");
        }
        let bytes = out.into_inner().expect("flushing to memory");
        FakeFile::raw(name, DELIVERED_FILE, bytes)
    }

    /// A JSON export as one array of objects.
    pub fn json_array(name: &str, records: &[Value]) -> FakeFile {
        FakeFile::raw(
            name,
            DELIVERED_FILE,
            to_json(&Value::from(records.to_vec())),
        )
    }

    /// A JSON export as an object of tables, `{"<Table>": [records]}`, the shape of a
    /// synchronous start; several tables when the agent exports several.
    pub fn json_tables(name: &str, tables: &[(&str, &[Value])]) -> FakeFile {
        let map: Map<String, Value> = tables
            .iter()
            .map(|(table, records)| (table.to_string(), Value::from(records.to_vec())))
            .collect();
        FakeFile::raw(name, DELIVERED_FILE, to_json(&Value::Object(map)))
    }

    /// A JSON-lines export: one object per line.
    pub fn json_lines(name: &str, records: &[Value]) -> FakeFile {
        let mut bytes = Vec::new();
        for record in records {
            bytes.extend(to_json(record));
            bytes.push(b'\n');
        }
        FakeFile::raw(name, DELIVERED_FILE, bytes)
    }

    /// An Excel export: a zip signature and filler, enough to be recognised and refused.
    pub fn xlsx(name: &str) -> FakeFile {
        let mut bytes = b"PK\x03\x04\x14\x00\x06\x00".to_vec();
        bytes.extend(std::iter::repeat_n(0u8, 56));
        FakeFile::raw(name, DELIVERED_FILE, bytes)
    }

    /// A text log (fileType 6): never records.
    pub fn log(name: &str, text: &str) -> FakeFile {
        FakeFile::raw(name, LOG_TEXT, text.as_bytes().to_vec())
    }
}

fn to_json(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("JSON values serialize")
}

fn columns(records: &[Value]) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for key in records
        .iter()
        .filter_map(Value::as_object)
        .flat_map(Map::keys)
    {
        if !columns.contains(key) {
            columns.push(key.clone());
        }
    }
    columns
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
