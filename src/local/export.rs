//! Turns a run's extracted records (kept in the store) into its record files, and into the
//! inline answer of a synchronous start. Both read the records in chunks, so neither holds a
//! whole run in memory.
//!
//! The JSON shape is the cloud's object of arrays keyed by agent name,
//! `{"<AgentName>": [record, ...]}`, in the file and in the synchronous answer alike.

use std::{
    borrow::Cow,
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

/// A run's record files in the definition's formats, written as the run commits its records.
/// Writing them alongside the store spares the end of a run a second pass over its records
/// (reading them back and parsing each one again for the CSV cost about 5 % of the engine's
/// CPU per page). Files are listed on the run only once finished; the files of a run a crash
/// interrupted are rebuilt from the store ([`write_files`]).
pub struct RecordFiles {
    stem: String,
    columns: Vec<String>,
    csv: Option<(csv::Writer<std::fs::File>, PathBuf)>,
    json: Option<(BufWriter<std::fs::File>, PathBuf)>,
    count: i64,
}

impl RecordFiles {
    /// Creates the files in `dir` (replacing any from an earlier attempt), headers written.
    pub fn create(
        agent_name: &str,
        def: &AgentDefinition,
        dir: &Path,
    ) -> Result<RecordFiles, ExportError> {
        private::create_dir_all(dir)?;
        let formats = def.formats();
        let columns: Vec<String> = def.fields.iter().map(|f| f.name.clone()).collect();
        let csv = if formats.contains(&ExportFormat::Csv) {
            let path = dir.join("records.csv");
            let mut w = csv::Writer::from_writer(private::create(&path)?);
            w.write_record(columns.iter().map(|c| neutralize_formula(c).into_owned()))?;
            Some((w, path))
        } else {
            None
        };
        let json = if formats.contains(&ExportFormat::Json) {
            let path = dir.join("records.json");
            let mut w = BufWriter::new(private::create(&path)?);
            w.write_all(json_head(agent_name).as_bytes())?;
            Some((w, path))
        } else {
            None
        };
        Ok(RecordFiles {
            stem: file_stem(agent_name),
            columns,
            csv,
            json,
            count: 0,
        })
    }

    /// Appends one record: its JSON text as the store keeps it, and its values for the CSV.
    pub fn append(&mut self, text: &[u8], record: &Map<String, Value>) -> Result<(), ExportError> {
        if let Some((w, _)) = self.json.as_mut() {
            if self.count > 0 {
                w.write_all(b",")?;
            }
            w.write_all(text)?;
        }
        if let Some((w, _)) = self.csv.as_mut() {
            // Field by field, so cells that need no change are written without a copy.
            for column in &self.columns {
                w.write_field(cell(record.get(column)).as_bytes())?;
            }
            w.write_record(std::iter::empty::<&[u8]>())?;
        }
        self.count += 1;
        Ok(())
    }

    /// Completes the files; returns them and the records they hold.
    pub fn finish(self) -> Result<(Vec<ExportedFile>, i64), ExportError> {
        let mut files = Vec::new();
        if let Some((mut w, path)) = self.csv {
            w.flush()?;
            files.push(ExportedFile {
                name: format!("{}.csv", self.stem),
                size: std::fs::metadata(&path)?.len(),
                path,
            });
        }
        if let Some((mut w, path)) = self.json {
            w.write_all(JSON_TAIL.as_bytes())?;
            w.flush()?;
            files.push(ExportedFile {
                name: format!("{}.json", self.stem),
                size: std::fs::metadata(&path)?.len(),
                path,
            });
        }
        Ok((files, self.count))
    }
}

/// Writes the run's records, as the store holds them, in the definition's formats into `dir`
/// (blocking): how the files of a run a crash interrupted are rebuilt. Returns the files
/// written and how many records each holds.
pub fn write_files(
    store: &Store,
    run_id: i64,
    agent_name: &str,
    def: &AgentDefinition,
    dir: &Path,
) -> Result<(Vec<ExportedFile>, i64), ExportError> {
    let mut files = RecordFiles::create(agent_name, def, dir)?;
    let mut after = 0;
    loop {
        let chunk = store.records_after(run_id, after, CHUNK)?;
        let Some((last, _)) = chunk.last() else { break };
        after = *last;
        for (_, text) in &chunk {
            let record: Map<String, Value> =
                serde_json::from_str(text).map_err(StoreError::from)?;
            files.append(text.as_bytes(), &record)?;
        }
    }
    files.finish()
}

/// A CSV cell: strings as they are, null or missing as empty, anything else as JSON; then made
/// safe to open in a spreadsheet, since export files are meant for people.
fn cell(value: Option<&Value>) -> Cow<'_, str> {
    match value {
        None | Some(Value::Null) => Cow::Borrowed(""),
        Some(Value::String(s)) => neutralize_formula(s),
        Some(other) => Cow::Owned(other.to_string()),
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
