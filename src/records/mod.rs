//! Records: turning a downloaded run output file into pages of records.
//!
//! A page starts at a saved [`Position`] (records already returned, byte offset of the next
//! record) and reads forward only as far as the page needs, so paging a large export end to end
//! reads it about once, in bounded memory. Every value and key is sanitised (see [`sanitize`])
//! because it was scraped from the web. Formats: CSV with a header row, a JSON array of objects,
//! a JSON object of arrays (one key per table) and JSON lines.

pub mod cache;
pub mod compare;
pub mod csv_safe;
mod csv_source;
pub mod cursor;
mod detect;
pub mod fit;
mod json_scan;
mod json_source;
mod projection;
pub mod query;
pub mod sanitize;
mod source_file;

use std::{io, path::Path};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use detect::detect_format;

use csv_source::CsvSource;
use json_source::{ArraySource, LinesSource};

/// How a file holds its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordFormat {
    /// Header row, then one row per record; values are strings.
    Csv,
    /// `[{...}, {...}]`.
    JsonArray,
    /// `{"Table": [{...}, ...], "Other": [...]}`: one key per table.
    JsonObject,
    /// One JSON object per non-blank line.
    JsonLines,
}

impl RecordFormat {
    /// A short name for people.
    pub fn label(self) -> &'static str {
        match self {
            RecordFormat::Csv => "CSV",
            RecordFormat::JsonArray => "JSON array",
            RecordFormat::JsonObject => "JSON object of tables",
            RecordFormat::JsonLines => "JSON lines",
        }
    }
}

/// Where a page starts. `Position::default()` is the first record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Records already returned before this position.
    pub index: u64,
    /// Byte offset where the next record starts (0: the start of the records).
    pub offset: u64,
}

/// What page to read.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest<'a> {
    pub position: Position,
    /// Table of a JSON object of arrays (`None`: the first); must be `None` for other formats.
    pub table: Option<&'a str>,
    /// Most records to return; at least one is always returned if any remain.
    pub limit: usize,
    /// Budget for the serialised JSON size of the returned records.
    pub max_bytes: usize,
    /// Fields to keep, in this order (matched case-insensitively); `None`: all.
    pub fields: Option<&'a [String]>,
}

/// One page of records.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Whole records only, sanitised and projected, keys in field order.
    pub records: Vec<Map<String, Value>>,
    /// Field names: the CSV header or the requested fields (canonical spelling), else the keys
    /// of this page's JSON records in order of first appearance.
    pub fields: Vec<String>,
    /// Where the next page starts; `None` when the table is exhausted.
    pub next: Option<Position>,
    /// The page stopped early because of `max_bytes`.
    pub truncated_by_bytes: bool,
    /// Table names of a JSON object of arrays. Listed on a page that starts a table
    /// (`position.offset == 0`); continuation pages leave it empty so that no page has to scan
    /// the whole file.
    pub tables: Vec<String>,
    /// The table this page came from (JSON object of arrays only).
    pub table: Option<String>,
}

/// Why records could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    #[error("the file is not readable as records: {reason}")]
    Unreadable { reason: String },
    #[error("{}", unknown_table_message(.table, .available))]
    UnknownTable {
        table: String,
        available: Vec<String>,
    },
    #[error(
        "unknown field(s): {}; available fields: {}. Use these names in `fields`",
        name_list(.missing),
        name_list(.available)
    )]
    UnknownFields {
        missing: Vec<String>,
        available: Vec<String>,
    },
    #[error("reading the records file failed: {0}")]
    Io(#[from] io::Error),
}

impl RecordsError {
    pub(crate) fn unreadable(reason: impl Into<String>) -> RecordsError {
        RecordsError::Unreadable {
            reason: reason.into(),
        }
    }
}

/// Names for a message, shortened when there are very many.
fn name_list(names: &[String]) -> String {
    const SHOWN: usize = 50;
    if names.is_empty() {
        return "(none)".to_string();
    }
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

fn unknown_table_message(table: &str, available: &[String]) -> String {
    if available.is_empty() {
        format!(
            "there is no table `{table}`: this file has a single list of records; leave `table` out"
        )
    } else {
        format!(
            "there is no table `{table}` in this file; available tables: {}",
            name_list(available)
        )
    }
}

/// One record and the byte offset where it starts (the resume point for a page beginning there).
#[derive(Debug)]
pub(crate) struct SourceRecord {
    pub(crate) start: u64,
    pub(crate) record: Map<String, Value>,
}

/// A forward-only reader of records.
pub(crate) trait RecordSource {
    fn next_record(&mut self) -> Result<Option<SourceRecord>, RecordsError>;
}

/// A JSON source whose records are projected to canonical field names.
struct Projected {
    inner: Box<dyn RecordSource>,
    names: Vec<String>,
}

impl RecordSource for Projected {
    fn next_record(&mut self) -> Result<Option<SourceRecord>, RecordsError> {
        Ok(self.inner.next_record()?.map(|r| SourceRecord {
            start: r.start,
            record: projection::project(r.record, &self.names),
        }))
    }
}

/// How many records, and at most how many bytes of them, from the start of a JSON table are
/// looked at to learn its field names when checking a projection (fields of JSON records can
/// vary from record to record).
const FIELD_SAMPLE_RECORDS: usize = 100;
const FIELD_SAMPLE_BYTES: u64 = 1024 * 1024;

/// A reader positioned for a page, with what is known about its table.
struct Opened {
    source: Box<dyn RecordSource>,
    /// Field names when known before reading (CSV header, or projection); `None` for JSON
    /// without projection.
    fields: Option<Vec<String>>,
    tables: Vec<String>,
    table: Option<String>,
}

fn no_tables(table: Option<&str>) -> Result<(), RecordsError> {
    match table {
        Some(table) => Err(RecordsError::UnknownTable {
            table: table.to_string(),
            available: Vec::new(),
        }),
        None => Ok(()),
    }
}

/// Opens a reader at `offset` (0: the first record). A projection is checked when starting
/// from the beginning; a continuation trusts the fields its cursor carried.
fn open(
    path: &Path,
    format: RecordFormat,
    table: Option<&str>,
    offset: u64,
    fields: Option<&[String]>,
) -> Result<Opened, RecordsError> {
    if format == RecordFormat::Csv {
        no_tables(table)?;
        let source = CsvSource::open(path, offset, fields)?;
        return Ok(Opened {
            fields: Some(source.names().to_vec()),
            source: Box::new(source),
            tables: Vec::new(),
            table: None,
        });
    }
    let (start, tables, table) = match format {
        RecordFormat::JsonObject if offset == 0 => {
            let located = json_source::locate_table(path, table, true)?;
            (located.start, located.tables, Some(located.name))
        }
        RecordFormat::JsonObject => {
            let name = match table {
                Some(name) => name.to_string(),
                None => json_source::locate_table(path, None, false)?.name,
            };
            (offset, Vec::new(), Some(name))
        }
        RecordFormat::JsonArray => {
            no_tables(table)?;
            let start = if offset == 0 {
                json_source::array_start(path)?
            } else {
                offset
            };
            (start, Vec::new(), None)
        }
        _ => {
            no_tables(table)?;
            (offset, Vec::new(), None)
        }
    };
    let json_source = |at: u64| -> Result<Box<dyn RecordSource>, RecordsError> {
        Ok(match format {
            RecordFormat::JsonLines => Box::new(LinesSource::open_at(path, at)?),
            _ => Box::new(ArraySource::open_at(path, at)?),
        })
    };
    let source = json_source(start)?;
    let Some(requested) = fields else {
        return Ok(Opened {
            source,
            fields: None,
            tables,
            table,
        });
    };
    let names = if offset == 0 {
        let sample = field_sample(json_source(start)?)?;
        if sample.is_empty() {
            requested.to_vec()
        } else {
            let picked = projection::resolve(requested, &sample)?;
            picked.into_iter().map(|i| sample[i].clone()).collect()
        }
    } else {
        requested.to_vec()
    };
    Ok(Opened {
        source: Box::new(Projected {
            inner: source,
            names: names.clone(),
        }),
        fields: Some(names),
        tables,
        table,
    })
}

/// Field names of the first records of a JSON table, in order of first appearance.
fn field_sample(mut source: Box<dyn RecordSource>) -> Result<Vec<String>, RecordsError> {
    let mut names = Vec::new();
    let mut first_start = None;
    for _ in 0..FIELD_SAMPLE_RECORDS {
        let Some(r) = source.next_record()? else {
            break;
        };
        if r.start - *first_start.get_or_insert(r.start) > FIELD_SAMPLE_BYTES {
            break;
        }
        add_new_keys(&mut names, &r.record);
    }
    Ok(names)
}

fn add_new_keys(names: &mut Vec<String>, record: &Map<String, Value>) {
    for key in record.keys() {
        if !names.contains(key) {
            names.push(key.clone());
        }
    }
}

/// Serialised JSON size of a record, without building the text.
pub(crate) fn json_size(record: &Map<String, Value>) -> usize {
    struct Counter(usize);
    impl io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, record).expect("counting cannot fail");
    counter.0
}

/// Reads one page. Blocking: call it from `spawn_blocking`. It seeks to `position.offset` and
/// reads only as far as the page needs (plus one record, to know whether more remain).
pub fn read_page(
    path: &Path,
    format: RecordFormat,
    req: &PageRequest,
) -> Result<Page, RecordsError> {
    let opened = open(path, format, req.table, req.position.offset, req.fields)?;
    let mut source = opened.source;
    let limit = req.limit.max(1);
    let mut records = Vec::new();
    let mut used = 0;
    let mut next = None;
    let mut truncated_by_bytes = false;
    while let Some(r) = source.next_record()? {
        let resume = Position {
            index: req.position.index + records.len() as u64,
            offset: r.start,
        };
        if records.len() >= limit {
            next = Some(resume);
            break;
        }
        // One byte per record for the separator in a JSON array.
        let size = json_size(&r.record) + 1;
        if !records.is_empty() && used + size > req.max_bytes {
            truncated_by_bytes = true;
            next = Some(resume);
            break;
        }
        used += size;
        records.push(r.record);
    }
    let fields = opened.fields.unwrap_or_else(|| {
        let mut names = Vec::new();
        records.iter().for_each(|r| add_new_keys(&mut names, r));
        names
    });
    Ok(Page {
        records,
        fields,
        next,
        truncated_by_bytes,
        tables: opened.tables,
        table: opened.table,
    })
}

/// Where record number `index` (counting from 0) of a table starts, found by reading forward
/// from its first record: how paging continues in a file other than the one a cursor named.
/// `None` when the table holds no more than `index` records. Blocking.
pub fn position_of(
    path: &Path,
    format: RecordFormat,
    table: Option<&str>,
    index: u64,
) -> Result<Option<Position>, RecordsError> {
    let mut source = open(path, format, table, 0, None)?.source;
    let mut seen = 0;
    while let Some(r) = source.next_record()? {
        if seen == index {
            return Ok(Some(Position {
                index,
                offset: r.start,
            }));
        }
        seen += 1;
    }
    Ok(None)
}

/// The table names of a JSON object of arrays, in file order; empty for other formats (they
/// hold one list of records).
pub fn table_names(path: &Path, format: RecordFormat) -> Result<Vec<String>, RecordsError> {
    match format {
        RecordFormat::JsonObject => Ok(json_source::locate_table(path, None, true)?.tables),
        _ => Ok(Vec::new()),
    }
}

/// Streams every record of a table (sanitised, projected) to `f`, e.g. to save the whole
/// dataset. Blocking. Returns how many records were passed on; an error from `f` stops it.
pub fn for_each_record(
    path: &Path,
    format: RecordFormat,
    table: Option<&str>,
    fields: Option<&[String]>,
    mut f: impl FnMut(Map<String, Value>) -> io::Result<()>,
) -> Result<u64, RecordsError> {
    let mut source = open(path, format, table, 0, fields)?.source;
    let mut count = 0;
    while let Some(r) = source.next_record()? {
        f(r.record)?;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests;
