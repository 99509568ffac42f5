//! Turns a run's extracted records (kept in the store) into its record files, and into the
//! inline answer of a synchronous start. Both read the records in chunks, so neither holds a
//! whole run in memory.
//!
//! The JSON shape is the cloud's object of arrays keyed by agent name,
//! `{"<AgentName>": [record, ...]}`, in the file and in the synchronous answer alike.

use std::{
    io::{BufWriter, Write},
    path::{Path, PathBuf},
};

use bytes::Bytes;
use futures::Stream;
use serde_json::{Map, Value};

use crate::records::csv_safe::neutralize_formula;

use super::{
    definition::{AgentDefinition, ExportFormat},
    private,
    store::{Store, StoreError},
};

/// Records read from the store at a time.
const CHUNK: i64 = 500;

/// One written record file.
#[derive(Debug)]
pub struct ExportedFile {
    /// The name clients see (`<agent>.csv`).
    pub name: String,
    pub path: PathBuf,
    pub size: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the export file failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the CSV export failed: {0}")]
    Csv(#[from] csv::Error),
}

/// A file name made from an agent name: path separators and control characters replaced.
pub fn file_stem(agent_name: &str) -> String {
    let stem: String = agent_name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " -_.()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_matches('.').trim();
    if stem.is_empty() {
        "records".into()
    } else {
        stem.into()
    }
}

/// The opening of the object-of-arrays JSON: `{"<name>":[`.
fn json_head(agent_name: &str) -> String {
    format!("{{{}:[", Value::String(agent_name.to_string()))
}

const JSON_TAIL: &str = "]}";

/// Writes the run's records in the definition's formats into `dir` (blocking). Returns the
/// files written and how many records each holds.
pub fn write_files(
    store: &Store,
    run_id: i64,
    agent_name: &str,
    def: &AgentDefinition,
    dir: &Path,
) -> Result<(Vec<ExportedFile>, i64), ExportError> {
    private::create_dir_all(dir)?;
    let formats = def.formats();
    let stem = file_stem(agent_name);
    let columns: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();

    let csv_path = dir.join("records.csv");
    let json_path = dir.join("records.json");
    let mut csv = if formats.contains(&ExportFormat::Csv) {
        let mut w = csv::Writer::from_writer(private::create(&csv_path)?);
        w.write_record(columns.iter().map(|c| neutralize_formula(c).into_owned()))?;
        Some(w)
    } else {
        None
    };
    let mut json = if formats.contains(&ExportFormat::Json) {
        let mut w = BufWriter::new(private::create(&json_path)?);
        w.write_all(json_head(agent_name).as_bytes())?;
        Some(w)
    } else {
        None
    };

    let mut after = 0;
    let mut count = 0i64;
    loop {
        let chunk = store.records_after(run_id, after, CHUNK)?;
        let Some((last, _)) = chunk.last() else { break };
        after = *last;
        for (_, text) in &chunk {
            if let Some(w) = json.as_mut() {
                if count > 0 {
                    w.write_all(b",")?;
                }
                w.write_all(text.as_bytes())?;
            }
            if let Some(w) = csv.as_mut() {
                let record: Map<String, Value> =
                    serde_json::from_str(text).map_err(StoreError::from)?;
                w.write_record(columns.iter().map(|c| cell(record.get(*c))))?;
            }
            count += 1;
        }
    }

    let mut files = Vec::new();
    if let Some(mut w) = csv {
        w.flush()?;
        files.push(ExportedFile {
            name: format!("{stem}.csv"),
            size: std::fs::metadata(&csv_path)?.len(),
            path: csv_path,
        });
    }
    if let Some(mut w) = json {
        w.write_all(JSON_TAIL.as_bytes())?;
        w.flush()?;
        files.push(ExportedFile {
            name: format!("{stem}.json"),
            size: std::fs::metadata(&json_path)?.len(),
            path: json_path,
        });
    }
    Ok((files, count))
}

/// A CSV cell: strings as they are, null or missing as empty, anything else as JSON; then made
/// safe to open in a spreadsheet, since export files are meant for people.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => neutralize_formula(s).into_owned(),
        Some(other) => other.to_string(),
    }
}

/// The synchronous-start answer `{"<AgentName>": [records]}`, streamed from the store.
pub fn records_json_stream(
    store: Store,
    run_id: i64,
    agent_name: String,
) -> impl Stream<Item = Result<Bytes, StoreError>> + Send {
    enum Step {
        Head,
        Body { after: i64, first: bool },
        Done,
    }
    futures::stream::unfold(Step::Head, move |step| {
        let store = store.clone();
        let head = json_head(&agent_name);
        async move {
            match step {
                Step::Head => Some((
                    Ok(Bytes::from(head)),
                    Step::Body {
                        after: 0,
                        first: true,
                    },
                )),
                Step::Body { after, first } => match store.records_after(run_id, after, CHUNK) {
                    Err(e) => Some((Err(e), Step::Done)),
                    Ok(chunk) if chunk.is_empty() => {
                        Some((Ok(Bytes::from_static(JSON_TAIL.as_bytes())), Step::Done))
                    }
                    Ok(chunk) => {
                        let last = chunk.last().map_or(after, |(seq, _)| *seq);
                        let mut text = String::new();
                        for (i, (_, record)) in chunk.iter().enumerate() {
                            if !(first && i == 0) {
                                text.push(',');
                            }
                            text.push_str(record);
                        }
                        Some((
                            Ok(Bytes::from(text)),
                            Step::Body {
                                after: last,
                                first: false,
                            },
                        ))
                    }
                },
                Step::Done => None,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_keep_names_readable_and_safe() {
        assert_eq!(file_stem("Demo shop products"), "Demo shop products");
        assert_eq!(file_stem("a/b\\c:d"), "a_b_c_d");
        assert_eq!(file_stem(".."), "records");
    }

    #[test]
    fn csv_cells_are_safe_to_open_in_a_spreadsheet() {
        let formula = serde_json::json!("=HYPERLINK(\"http://evil.example\",\"click\")");
        assert_eq!(
            cell(Some(&formula)),
            "'=HYPERLINK(\"http://evil.example\",\"click\")"
        );
        assert_eq!(
            cell(Some(&serde_json::json!("+cmd|' /C calc'!A0"))),
            "'+cmd|' /C calc'!A0"
        );
        assert_eq!(cell(Some(&serde_json::json!("-12.5"))), "-12.5");
        assert_eq!(cell(Some(&serde_json::json!(-3))), "-3");
        assert_eq!(cell(Some(&serde_json::json!("Widget"))), "Widget");
        assert_eq!(cell(None), "");
    }

    #[test]
    fn json_head_escapes_the_agent_name() {
        let text = format!("{}{JSON_TAIL}", json_head("say \"hi\""));
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["say \"hi\""], serde_json::json!([]));
    }
}
