//! A run's record files, made readable: choosing the file, downloading it once through its
//! signed URL (files of finished runs are cached on disk, since a finished run never changes),
//! telling its format, and reading a page of it off the async threads.

use std::path::{Path, PathBuf};

use serde_json::Value;
use url::Url;

use super::{
    Code, Id, Jobs, Run, ToolFailure,
    platform::RunFile,
    views::{quoted, run_args},
};
use crate::records::{self, PageRequest, Position, RecordFormat, RecordsError};

/// How many recent runs are searched for the latest one with records.
const RECORDS_SCAN: u32 = 20;

/// Which run a records tool reads when the caller names none.
pub struct ChosenRun {
    pub run_id: Id,
    /// A sentence about the newest run that is newer than `run_id` and was passed over (still
    /// active, or ended without records), for the answer.
    pub newer_run: Option<String>,
}

/// What the model should know about a newer run that is not the one read.
fn passed_over(run: &Run) -> String {
    let ids = run_args(&run.agent_id, &run.run_id);
    if run.is_active() {
        format!(
            "Run {} is newer and still {} with {} record(s) so far, so these are an earlier run's records. Call fetch_records with {ids} to read its records so far.",
            run.run_id, run.status, run.records_extracted
        )
    } else {
        format!(
            "Run {} is newer but ended {} with no records, so these are an earlier run's records. Call get_run_status with {ids} to see why it kept none.",
            run.run_id, run.status
        )
    }
}

/// A run's record file, on local disk and ready to read.
pub struct OpenedFile {
    pub run: Run,
    pub file: RunFile,
    pub path: PathBuf,
    pub format: RecordFormat,
    /// Downloaded for this call only (the run was still active): delete after use.
    temporary: bool,
    /// The file's signed URL, when it was asked for (to download it, or to link to it).
    pub download_url: Option<Url>,
    /// The file asked for is gone and this is the run's best record file instead (an active
    /// run's records so far are replaced by its export when it ends; a restart replaces the
    /// export with its records so far), so a position in the old file must be found again by
    /// its record index.
    pub replaced: bool,
}

impl Drop for OpenedFile {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl Jobs {
    /// Up to 3 records of a finished run, for run_agent's preview; empty when unavailable.
    pub async fn preview(&self, agent_id: &Id, run_id: &Id) -> Vec<Value> {
        let Ok(opened) = self.open_records(agent_id, run_id, None, false).await else {
            return Vec::new();
        };
        match read_page(&opened, Position::default(), None, 3, 4096, None).await {
            Ok(page) => page.records.into_iter().map(Value::Object).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The run a records tool reads when none is named: the agent's newest finished run that
    /// has records in its files (the exported count where the platform reports one, else the
    /// extracted count), or, when there is none, its newest active run (read as it goes). A
    /// newer run passed over is named, so a model never mistakes older records for the latest.
    pub async fn run_to_read(&self, agent_id: &Id) -> Result<ChosenRun, ToolFailure> {
        let runs = self.platform.list_runs(agent_id, RECORDS_SCAN).await?;
        let finished = runs
            .iter()
            .position(|r| r.is_terminal() && r.records_in_files() > 0);
        let newer = &runs[..finished.unwrap_or(runs.len())];
        match finished {
            Some(i) => Ok(ChosenRun {
                run_id: runs[i].run_id.clone(),
                newer_run: newer.first().map(passed_over),
            }),
            None => newer
                .iter()
                .find(|r| r.is_active())
                .map(|r| ChosenRun {
                    run_id: r.run_id.clone(),
                    newer_run: None,
                })
                .ok_or_else(|| {
                    ToolFailure::new(
                        Code::NotFound,
                        format!("Agent {agent_id} has no finished run with records"),
                        format!("Start one with run_agent (agent_id={}), or pass run_id of a run from list_runs", quoted(agent_id)),
                    )
                }),
        }
    }

    /// Finds the run's record file (the one the cursor names, else the best readable one) and
    /// makes it available on disk. The signed URL costs an API call, so it is only asked for
    /// when the file must be downloaded or when `want_link` (a cached file of a finished run is
    /// read straight from disk, page after page).
    pub async fn open_records(
        &self,
        agent_id: &Id,
        run_id: &Id,
        file_id: Option<&Id>,
        want_link: bool,
    ) -> Result<OpenedFile, ToolFailure> {
        let run = self.run(agent_id, run_id).await?;
        let files = self.platform.run_files(agent_id, run_id).await?;
        let wanted = choose_file(&files, file_id);
        let replaced = file_id.is_some() && wanted.is_none();
        let file = wanted
            .or_else(|| choose_file(&files, None).filter(|_| replaced))
            .ok_or_else(|| no_records_file(&run, &files))?;
        let signed_url = || self.platform.file_url(agent_id, run_id, file);
        let name = file.name.clone();
        let terminal = run.is_terminal();
        let cache = &self.cache;
        let mut fetched_url = None;
        let (path, temporary) = match cache.lookup(agent_id, run_id, &file.id, &name) {
            Some(path) if terminal => (path, false),
            _ => {
                let url = fetched_url.insert(signed_url().await?);
                let mut path = cache.path_for(agent_id, run_id, &file.id, &name);
                if !terminal {
                    // An active run's files may still grow: never cache them.
                    path.set_file_name(format!(
                        "live-{}-{}",
                        fastrand::u64(..),
                        name.replace(['/', '\\'], "_")
                    ));
                }
                cache
                    .ensure_dir()
                    .map_err(|e| disk_failure(cache.dir(), e))?;
                self.platform.download(url, &path).await?;
                if terminal && let Err(e) = cache.evict(&path) {
                    tracing::warn!("record cache eviction failed: {e}");
                }
                (path, !terminal)
            }
        };
        let download_url = match (want_link, fetched_url) {
            (false, _) => None,
            (true, Some(url)) => Some(url),
            (true, None) => Some(signed_url().await?),
        };
        let format = sniff(&path, &name).ok_or_else(|| {
            ToolFailure::new(
                Code::UnsupportedRecordsFormat,
                format!("The file {name:?} of run {run_id} of agent {agent_id} is not readable as records"),
                "Readable formats are CSV, JSON (array or object of arrays) and JSON lines; configure the agent's export accordingly",
            )
        })?;
        Ok(OpenedFile {
            run,
            file: file.clone(),
            path,
            format,
            temporary,
            download_url,
            replaced,
        })
    }
}

pub async fn read_page(
    opened: &OpenedFile,
    position: Position,
    table: Option<String>,
    limit: usize,
    max_bytes: usize,
    fields: Option<Vec<String>>,
) -> Result<records::Page, ToolFailure> {
    let (path, format) = (opened.path.clone(), opened.format);
    tokio::task::spawn_blocking(move || {
        records::read_page(
            &path,
            format,
            &PageRequest {
                position,
                table: table.as_deref(),
                limit,
                max_bytes,
                fields: fields.as_deref(),
            },
        )
    })
    .await
    .map_err(|e| {
        ToolFailure::new(
            Code::UpstreamUnavailable,
            format!("reading records stopped unexpectedly: {e}"),
            "Try again",
        )
    })?
    .map_err(records_failure)
}

/// Where record `index` starts in `opened` (see [`records::position_of`]).
pub async fn position_of(
    opened: &OpenedFile,
    table: Option<String>,
    index: u64,
) -> Result<Option<Position>, ToolFailure> {
    let (path, format) = (opened.path.clone(), opened.format);
    tokio::task::spawn_blocking(move || {
        records::position_of(&path, format, table.as_deref(), index)
    })
    .await
    .map_err(|e| {
        ToolFailure::new(
            Code::UpstreamUnavailable,
            format!("reading records stopped unexpectedly: {e}"),
            "Try again",
        )
    })?
    .map_err(records_failure)
}

pub fn records_failure(err: RecordsError) -> ToolFailure {
    match err {
        RecordsError::UnknownTable { table, available } => ToolFailure::invalid(
            format!("The export has no table {table:?}"),
            format!("Use one of: {}", available.join(", ")),
        ),
        RecordsError::UnknownFields { missing, available } => ToolFailure::invalid(
            format!("Unknown field(s): {}", missing.join(", ")),
            format!("Available fields: {}", available.join(", ")),
        ),
        RecordsError::Unreadable { .. } => ToolFailure::new(
            Code::UnsupportedRecordsFormat,
            err.to_string(),
            "The file is damaged or not in a records format; check the agent's export settings",
        ),
        RecordsError::Io(e) => ToolFailure::new(
            Code::UpstreamUnavailable,
            format!("Reading the downloaded records failed: {e}"),
            "Try again",
        ),
    }
}

/// Preference among a run's record files: JSON keeps value types, CSV is the fallback.
fn choose_file<'a>(files: &'a [RunFile], wanted: Option<&Id>) -> Option<&'a RunFile> {
    if let Some(id) = wanted {
        return files.iter().find(|f| &f.id == id);
    }
    let rank = |f: &&RunFile| {
        let name = f.name.to_ascii_lowercase();
        ["json", "jsonl", "ndjson", "csv"]
            .iter()
            .position(|ext| name.ends_with(&format!(".{ext}")))
            .unwrap_or(usize::MAX)
    };
    files.iter().filter(|f| f.holds_records).min_by_key(rank)
}

fn no_records_file(run: &Run, files: &[RunFile]) -> ToolFailure {
    let (agent_id, run_id) = (&run.agent_id, &run.run_id);
    if !run.is_terminal() {
        return ToolFailure::new(
            Code::Conflict,
            format!(
                "Run {run_id} is still {} with {} record(s) extracted, but this platform publishes a run's records only when it exports them at the end",
                run.status, run.records_extracted
            ),
            format!(
                "Call get_run_status with {}, wait_seconds=30, until it ends, then read its records",
                run_args(agent_id, run_id)
            ),
        );
    }
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    ToolFailure::new(
        Code::NotFound,
        format!(
            "Run {run_id} produced no record files (files: {})",
            if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            }
        ),
        "Check the run's message with get_run_status; the agent may have extracted nothing",
    )
}

/// Reads the first bytes of a file to tell its records format.
fn sniff(path: &Path, name: &str) -> Option<RecordFormat> {
    use std::io::Read;
    let mut head = vec![0u8; 4096];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .ok()?;
    records::detect_format(name, &head[..n])
}

pub fn disk_failure(path: &Path, e: std::io::Error) -> ToolFailure {
    ToolFailure::new(
        Code::UpstreamUnavailable,
        format!("Could not write to {}: {e}", path.display()),
        "Check free disk space and the permissions of the cache directory",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_files_are_preferred_over_csv_and_logs_ignored() {
        let file = |id: i64, name: &str, holds_records| RunFile {
            id: Id::Num(id),
            name: name.into(),
            holds_records,
            size: None,
        };
        let files = vec![
            file(1, "log.txt", false),
            file(2, "a.csv", true),
            file(3, "a.json", true),
        ];
        assert_eq!(choose_file(&files, None).unwrap().id, Id::Num(3));
        assert_eq!(
            choose_file(&files, Some(&Id::Num(2))).unwrap().id,
            Id::Num(2)
        );
        assert!(choose_file(&files[..1], None).is_none());
    }
}
