//! Records from JSON files: an array of objects, an object of arrays (one key per table), or
//! JSON lines. Each reader starts at a byte offset and parses one record at a time.

use std::{
    io::{BufRead, BufReader, Read},
    path::Path,
};

use serde_json::{Map, Value};

use super::{
    RecordSource, RecordsError, SourceRecord,
    json_scan::{Scanner, is_ws},
    sanitize::{clean_map, clean_text},
    source_file::{MAX_RECORD_BYTES, READ_BUFFER, RecordTooLarge, SourceFile},
};

/// Turns one parsed element into a sanitised record; a non-object is wrapped as `{"value": x}`.
fn to_record(value: Value) -> Map<String, Value> {
    let mut record = match value {
        Value::Object(map) => map,
        other => Map::from_iter([("value".to_string(), other)]),
    };
    clean_map(&mut record);
    record
}

fn parse_record(bytes: &[u8], start: u64) -> Result<Map<String, Value>, RecordsError> {
    serde_json::from_slice(bytes).map(to_record).map_err(|e| {
        RecordsError::unreadable(format!("the record at byte {start} is not valid JSON: {e}"))
    })
}

/// Offset of the first element of a top-level JSON array (just after `[`).
pub(crate) fn array_start(path: &Path) -> Result<u64, RecordsError> {
    let mut scanner = Scanner::open_at(path, 0)?;
    scanner.skip_bom()?;
    scanner.expect(b'[', "'[' opening the array of records")?;
    Ok(scanner.pos())
}

/// Where a table of an object-of-arrays file is, and which tables the file has.
pub(crate) struct TableLocation {
    /// The table's name as shown to callers (sanitised).
    pub(crate) name: String,
    /// Offset just after the table's `[`.
    pub(crate) start: u64,
    /// Names of the tables seen: all of them when the whole file was scanned.
    pub(crate) tables: Vec<String>,
}

/// Finds a table (`None`: the first one) in a `{"T1": [...], "T2": [...]}` file. Keys whose value
/// is not an array are not tables. With `list_all` the whole top-level object is scanned so
/// `tables` is complete; otherwise scanning stops at the table.
pub(crate) fn locate_table(
    path: &Path,
    wanted: Option<&str>,
    list_all: bool,
) -> Result<TableLocation, RecordsError> {
    let mut scanner = Scanner::open_at(path, 0)?;
    scanner.skip_bom()?;
    scanner.expect(b'{', "'{' opening the object of tables")?;
    let mut tables = Vec::new();
    let mut found: Option<(String, u64)> = None;
    let mut key = Vec::new();
    let mut first = true;
    loop {
        match scanner.peek_non_ws()? {
            Some(b'}') => break,
            Some(b',') if !first => scanner.bump(),
            found_byte if !first => {
                return Err(scanner.unexpected(found_byte, "',' or '}' between tables"));
            }
            _ => {}
        }
        first = false;
        match scanner.peek_non_ws()? {
            Some(b'"') => {}
            other => return Err(scanner.unexpected(other, "a quoted table name")),
        }
        let key_at = scanner.pos();
        scanner.read_value(&mut key)?;
        let name: String = serde_json::from_slice(&key).map_err(|e| {
            RecordsError::unreadable(format!(
                "the table name at byte {key_at} is not a valid JSON string: {e}"
            ))
        })?;
        let name = clean_text(&name).into_owned();
        scanner.expect(b':', "':' after a table name")?;
        if scanner.peek_non_ws()? == Some(b'[') {
            if found.is_none() && wanted.is_none_or(|w| w == name) {
                found = Some((name.clone(), scanner.pos() + 1));
            }
            tables.push(name);
            if found.is_some() && !list_all {
                break;
            }
        }
        scanner.skip_value()?;
    }
    match found {
        Some((name, start)) => Ok(TableLocation {
            name,
            start,
            tables,
        }),
        None => match wanted {
            Some(table) => Err(RecordsError::UnknownTable {
                table: table.to_string(),
                available: tables,
            }),
            None => Err(RecordsError::unreadable(
                "the JSON object holds no array of records",
            )),
        },
    }
}

/// Elements of a JSON array, from an offset where an element (or the closing `]`) starts.
pub(crate) struct ArraySource {
    scanner: Scanner,
    buf: Vec<u8>,
    done: bool,
}

impl ArraySource {
    pub(crate) fn open_at(path: &Path, offset: u64) -> Result<ArraySource, RecordsError> {
        Ok(ArraySource {
            scanner: Scanner::open_at(path, offset)?,
            buf: Vec::new(),
            done: false,
        })
    }
}

impl RecordSource for ArraySource {
    fn next_record(&mut self) -> Result<Option<SourceRecord>, RecordsError> {
        if self.done {
            return Ok(None);
        }
        match self.scanner.peek_non_ws()? {
            Some(b']') => {
                self.done = true;
                return Ok(None);
            }
            None => return Err(self.scanner.unexpected(None, "a record or ']'")),
            Some(_) => {}
        }
        let start = self.scanner.pos();
        self.scanner.read_value(&mut self.buf)?;
        let record = parse_record(&self.buf, start)?;
        match self.scanner.peek_non_ws()? {
            Some(b',') => self.scanner.bump(),
            Some(b']') => self.done = true,
            found => return Err(self.scanner.unexpected(found, "',' or ']' after a record")),
        }
        Ok(Some(SourceRecord { start, record }))
    }
}

/// One record per non-blank line.
pub(crate) struct LinesSource {
    rdr: BufReader<SourceFile>,
    pos: u64,
    line: Vec<u8>,
}

impl LinesSource {
    pub(crate) fn open_at(path: &Path, offset: u64) -> Result<LinesSource, RecordsError> {
        let rdr = BufReader::with_capacity(READ_BUFFER, SourceFile::open_at(path, offset)?);
        Ok(LinesSource {
            rdr,
            pos: offset,
            line: Vec::new(),
        })
    }
}

impl RecordSource for LinesSource {
    fn next_record(&mut self) -> Result<Option<SourceRecord>, RecordsError> {
        loop {
            let start = self.pos;
            self.line.clear();
            let cap = MAX_RECORD_BYTES as u64 + 1;
            let n = (&mut self.rdr)
                .take(cap)
                .read_until(b'\n', &mut self.line)?;
            if n == 0 {
                return Ok(None);
            }
            if n as u64 == cap && self.line.last() != Some(&b'\n') {
                return Err(RecordsError::unreadable(format!(
                    "the line that starts at byte {start}: {RecordTooLarge}"
                )));
            }
            self.pos += n as u64;
            let mut text = self.line.as_slice();
            if start == 0 {
                text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
            }
            if text.iter().all(|&b| is_ws(b)) {
                continue;
            }
            return Ok(Some(SourceRecord {
                start,
                record: parse_record(text, start)?,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn drain(mut source: impl RecordSource) -> Vec<Value> {
        std::iter::from_fn(|| source.next_record().unwrap())
            .map(|r| Value::Object(r.record))
            .collect()
    }

    #[test]
    fn array_elements_resume_from_their_offsets() {
        let (_d, path) = file(r#" [ {"a":"x,]"} ,{"a":"\"}"}, 3, "s", [1] ] "#);
        let start = array_start(&path).unwrap();
        let mut source = ArraySource::open_at(&path, start).unwrap();
        let first = source.next_record().unwrap().unwrap();
        let second = source.next_record().unwrap().unwrap();
        assert_eq!(first.record["a"], "x,]");
        assert_eq!(second.record["a"], "\"}");
        let rest = drain(ArraySource::open_at(&path, second.start).unwrap());
        assert_eq!(
            rest,
            [
                serde_json::json!({"a": "\"}"}),
                serde_json::json!({"value": 3}),
                serde_json::json!({"value": "s"}),
                serde_json::json!({"value": [1]})
            ]
        );
    }

    #[test]
    fn empty_array_and_malformed_arrays() {
        let (_d, path) = file("[ ]");
        assert!(
            drain(ArraySource::open_at(&path, array_start(&path).unwrap()).unwrap()).is_empty()
        );

        let (_d, path) = file(r#"[{"a":1} {"a":2}]"#);
        let mut source = ArraySource::open_at(&path, 1).unwrap();
        let err = source.next_record().unwrap_err().to_string();
        assert!(
            err.contains("expected ',' or ']' after a record at byte 9"),
            "{err}"
        );

        let (_d, path) = file(r#"[{"a":1},{"a":tru}]"#);
        let mut source = ArraySource::open_at(&path, 1).unwrap();
        source.next_record().unwrap();
        let err = source.next_record().unwrap_err().to_string();
        assert!(err.contains("record at byte 9 is not valid JSON"), "{err}");
    }

    #[test]
    fn locates_tables_and_skips_non_array_keys() {
        let (_d, path) = file(
            r#"{"meta": {"x": "[not a table]"}, "A": [{"n":1}], "B\u200b": [{"n":2},{"n":3}]}"#,
        );
        let all = locate_table(&path, None, true).unwrap();
        assert_eq!(
            (all.name.as_str(), all.tables.clone()),
            ("A", vec!["A".to_string(), "B".to_string()])
        );
        let b = locate_table(&path, Some("B"), false).unwrap();
        assert_eq!(
            drain(ArraySource::open_at(&path, b.start).unwrap()).len(),
            2
        );
        match locate_table(&path, Some("C"), false) {
            Err(RecordsError::UnknownTable { table, available }) => {
                assert_eq!(table, "C");
                assert_eq!(available, ["A", "B"]);
            }
            other => panic!("expected UnknownTable, got {:?}", other.map(|t| t.name)),
        }
    }

    #[test]
    fn lines_skip_blanks_and_resume_from_offsets() {
        let (_d, path) = file("\u{feff}{\"a\":1}\r\n\n  \n{\"a\":\"line\\nbreak\"}\n7\n{\"a\":3}");
        let records: Vec<_> = {
            let mut source = LinesSource::open_at(&path, 0).unwrap();
            std::iter::from_fn(|| source.next_record().unwrap()).collect()
        };
        assert_eq!(records.len(), 4);
        assert_eq!(records[1].record["a"], "line\nbreak");
        assert_eq!(records[2].record["value"], 7);
        let rest = drain(LinesSource::open_at(&path, records[2].start).unwrap());
        assert_eq!(
            rest,
            [serde_json::json!({"value": 7}), serde_json::json!({"a": 3})]
        );

        let (_d, path) = file("{\"a\":1}\n{oops}\n");
        let mut source = LinesSource::open_at(&path, 0).unwrap();
        source.next_record().unwrap();
        let err = source.next_record().unwrap_err().to_string();
        assert!(err.contains("record at byte 8 is not valid JSON"), "{err}");
    }
}
