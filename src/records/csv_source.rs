//! Records from CSV: the header row names the fields, every value is a string.
//!
//! Each page reads the header from the start of the file (one row) and then resumes at the saved
//! byte offset with a fresh parser, so no page re-reads the rows before it. Ragged rows are
//! tolerated: missing cells read as "" and extra cells are dropped.

use std::{borrow::Cow, path::Path};

use csv::{ByteRecord, Reader, ReaderBuilder};
use serde_json::Value;

use super::{
    RecordSource, RecordsError, SourceRecord, projection,
    sanitize::clean_text,
    source_file::{MAX_RECORD_BYTES, RecordTooLarge, SourceFile},
};

/// Rows of one CSV file, projected to the chosen columns.
pub(crate) struct CsvSource {
    rdr: Reader<SourceFile>,
    /// File offset of the reader's first byte (its positions are relative to it).
    base: u64,
    columns: Vec<usize>,
    names: Vec<String>,
    row: ByteRecord,
}

fn reader(path: &Path, offset: u64) -> Result<Reader<SourceFile>, RecordsError> {
    let file = SourceFile::open_at(path, offset)?;
    Ok(ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file))
}

fn text(cell: &[u8]) -> String {
    let lossy = String::from_utf8_lossy(cell);
    let cleaned = match clean_text(&lossy) {
        Cow::Owned(cleaned) => Some(cleaned),
        Cow::Borrowed(_) => None,
    };
    cleaned.unwrap_or_else(|| lossy.into_owned())
}

/// Field names from the header row: sanitised and trimmed; a blank name becomes `column_<n>`
/// and a repeated one gets `_2`, `_3`…, so every column stays addressable.
fn header_names(header: &ByteRecord) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (i, cell) in header.iter().enumerate() {
        let name = text(cell).trim().to_string();
        let base = if name.is_empty() {
            format!("column_{}", i + 1)
        } else {
            name
        };
        let mut name = base.clone();
        let mut n = 1;
        while names.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        names.push(name);
    }
    names
}

impl CsvSource {
    /// Opens the file for records starting at `offset` (0: the first row after the header),
    /// keeping the `fields` columns (all when `None`). Returns the source; its field names are
    /// in [`CsvSource::names`].
    pub(crate) fn open(
        path: &Path,
        offset: u64,
        fields: Option<&[String]>,
    ) -> Result<CsvSource, RecordsError> {
        let mut source = CsvSource {
            rdr: reader(path, 0)?,
            base: 0,
            columns: Vec::new(),
            names: Vec::new(),
            row: ByteRecord::new(),
        };
        let mut header = ByteRecord::new();
        read_row(&mut source.rdr, 0, &mut header)?;
        let header = header_names(&header);
        let data_start = source.rdr.position().byte();
        source.columns = match fields {
            Some(fields) => projection::resolve(fields, &header)?,
            None => (0..header.len()).collect(),
        };
        source.names = source.columns.iter().map(|&i| header[i].clone()).collect();
        if offset > data_start {
            source.rdr = reader(path, offset)?;
            source.base = offset;
        }
        Ok(source)
    }

    /// Field names of the records this source yields, in order.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }
}

/// Reads the next row into `row`; returns the file offset where it starts, `None` at the end.
fn read_row(
    rdr: &mut Reader<SourceFile>,
    base: u64,
    row: &mut ByteRecord,
) -> Result<Option<u64>, RecordsError> {
    let start = base + rdr.position().byte();
    rdr.get_mut().limit_next(MAX_RECORD_BYTES as u64);
    match rdr.read_byte_record(row) {
        Ok(true) => Ok(Some(start)),
        Ok(false) => Ok(None),
        Err(error) => Err(match error.into_kind() {
            csv::ErrorKind::Io(io) if RecordTooLarge::is_cause_of(&io) => {
                RecordsError::unreadable(format!(
                    "the CSV row that starts at byte {start}: {RecordTooLarge} (is a quote left open?)"
                ))
            }
            csv::ErrorKind::Io(io) => RecordsError::Io(io),
            csv::ErrorKind::Utf8 { .. } => RecordsError::unreadable(format!(
                "the CSV row that starts at byte {start} is not UTF-8 text"
            )),
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => RecordsError::unreadable(format!(
                "the CSV row that starts at byte {start} has {len} fields where the first row has {expected_len}"
            )),
            _ => RecordsError::unreadable(format!(
                "the CSV row that starts at byte {start} cannot be read"
            )),
        }),
    }
}

impl RecordSource for CsvSource {
    fn next_record(&mut self) -> Result<Option<SourceRecord>, RecordsError> {
        let Some(start) = read_row(&mut self.rdr, self.base, &mut self.row)? else {
            return Ok(None);
        };
        let record = self
            .columns
            .iter()
            .zip(&self.names)
            .map(|(&i, name)| {
                (
                    name.clone(),
                    Value::String(self.row.get(i).map(text).unwrap_or_default()),
                )
            })
            .collect();
        Ok(Some(SourceRecord { start, record }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }

    fn rows(source: &mut CsvSource) -> Vec<SourceRecord> {
        std::iter::from_fn(|| source.next_record().unwrap()).collect()
    }

    #[test]
    fn quoting_bom_and_ragged_rows() {
        let data = "\u{feff}name,\"note, quoted\",,name\r\n\
                    \"Smith, J\",\"said \"\"hi\"\"\nthen left\",x,dup\r\n\
                    short\r\n\
                    a,b,c,d,extra,more\r\n";
        let (_d, path) = file(data.as_bytes());
        let mut source = CsvSource::open(&path, 0, None).unwrap();
        assert_eq!(
            source.names(),
            ["name", "note, quoted", "column_3", "name_2"]
        );
        let got: Vec<Value> = rows(&mut source)
            .into_iter()
            .map(|r| Value::Object(r.record))
            .collect();
        assert_eq!(
            got,
            [
                serde_json::json!({"name": "Smith, J", "note, quoted": "said \"hi\"\nthen left", "column_3": "x", "name_2": "dup"}),
                serde_json::json!({"name": "short", "note, quoted": "", "column_3": "", "name_2": ""}),
                serde_json::json!({"name": "a", "note, quoted": "b", "column_3": "c", "name_2": "d"}),
            ]
        );
    }

    #[test]
    fn resumes_at_a_row_offset_with_projection() {
        let (_d, path) = file(b"a,b,c\n1,\"x\ny\",3\n4,5,6\n7,8,9\n");
        let mut source = CsvSource::open(&path, 0, None).unwrap();
        let all = rows(&mut source);
        assert_eq!(all.iter().map(|r| r.start).collect::<Vec<_>>(), [6, 16, 22]);
        let fields = vec!["C".to_string(), "a".to_string()];
        let mut resumed = CsvSource::open(&path, all[1].start, Some(&fields)).unwrap();
        assert_eq!(resumed.names(), ["c", "a"]);
        let rest: Vec<Value> = rows(&mut resumed)
            .into_iter()
            .map(|r| Value::Object(r.record))
            .collect();
        assert_eq!(
            rest,
            [
                serde_json::json!({"c": "6", "a": "4"}),
                serde_json::json!({"c": "9", "a": "7"})
            ]
        );
    }

    #[test]
    fn empty_file_and_invalid_utf8() {
        let (_d, path) = file(b"");
        let mut source = CsvSource::open(&path, 0, None).unwrap();
        assert!(source.names().is_empty() && rows(&mut source).is_empty());

        let (_d, path) = file(b"t\nok\xff\x01\n");
        let mut source = CsvSource::open(&path, 0, None).unwrap();
        assert_eq!(rows(&mut source)[0].record["t"], "ok\u{fffd}");
    }
}
