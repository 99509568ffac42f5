//! The work behind the analysis tools: a run's records as SQL (query_records) and two runs
//! compared (compare_runs). Both read the same record files fetch_records pages through; the
//! SQLite databases they load them into are kept next to those files in the records cache
//! when the run is finished (see `records::query`).

use std::{path::PathBuf, time::Duration};

use serde_json::{Map, Value};
use tempfile::TempPath;

use super::{
    Code, Id, Jobs, RunState, ToolFailure,
    records::{OpenedFile, records_failure},
    views::quoted,
};
use crate::records::{
    compare::{CompareError, Comparison, Counts, Kind},
    json_size,
    query::{self, ColumnSample, Dataset, QueryError, QueryPage, Source, TableSchema},
};

/// How long one query may run before it is stopped.
pub const QUERY_TIME_LIMIT: Duration = Duration::from_secs(10);
/// How many recent runs are searched for the two to compare.
const COMPARE_SCAN: u32 = 50;

/// A query and the page of its answer wanted.
pub struct QueryRequest {
    pub sql: String,
    /// Rows already returned by earlier pages.
    pub skip: u64,
    pub limit: usize,
    pub max_bytes: usize,
}

/// A page of a query's answer, and what it was asked of.
pub struct QueryAnswer {
    pub opened: OpenedFile,
    pub page: QueryPage,
    pub tables: Vec<TableSchema>,
}

/// A run's tables as data: for the schema resource.
#[derive(serde::Serialize)]
pub struct RunSchema {
    pub run_id: Id,
    pub tables: Vec<TableDescription>,
    /// How to read numbers and dates written as text.
    pub functions: &'static str,
}

#[derive(serde::Serialize)]
pub struct TableDescription {
    pub name: String,
    pub rows: i64,
    pub columns: Vec<ColumnSample>,
}

/// One line on the helper functions, for the schema resource.
const FUNCTIONS: &str = "num(text) reads numbers and prices as pages write them (\"£1,299.00\", \"45.000 €\", \"1.2k\"); date(text) gives YYYY-MM-DD or NULL, and date(text, 'dmy') or date(text, 'mdy') settles dates like 09/07/2025.";

/// A page of a comparison.
pub struct ComparePage {
    pub key: Vec<String>,
    pub key_chosen: bool,
    pub fields: Vec<String>,
    pub fields_added: Vec<String>,
    pub fields_removed: Vec<String>,
    pub counts: Counts,
    /// The differences on this page, by kind, in the order added, removed, changed.
    pub items: Vec<(Kind, Map<String, Value>)>,
    /// Where the next page starts.
    pub next: Option<(Kind, u64)>,
    pub truncated_by_bytes: bool,
}

/// The two runs a comparison reads, and how they were chosen.
pub struct ChosenRuns {
    pub newer: Id,
    pub older: Id,
    pub note: String,
}

/// What a page of a comparison starts from and may hold.
pub struct CompareRequest {
    /// The fields records are matched by; `None` to choose one from the data.
    pub key: Option<Vec<String>>,
    pub fields: Option<Vec<String>>,
    pub start: (Kind, u64),
    pub limit: u64,
    pub max_bytes: usize,
}

impl Jobs {
    /// Runs the query over the records of the run (its file `file_id`, else the best one)
    /// and returns the page after `skip` rows.
    pub async fn query_records(
        &self,
        agent_id: &Id,
        run_id: &Id,
        file_id: Option<&Id>,
        request: QueryRequest,
    ) -> Result<QueryAnswer, ToolFailure> {
        let opened = self.open_records(agent_id, run_id, file_id, false).await?;
        let source = self.source_paths(&opened);
        let format = opened.format;
        let (page, tables) = blocking(move || {
            let data = Dataset::open(&source.with(format)).map_err(|e| (e, Vec::new()))?;
            let QueryRequest {
                sql,
                skip,
                limit,
                max_bytes,
            } = request;
            let page = data
                .query(&sql, skip, limit, max_bytes, QUERY_TIME_LIMIT)
                .map_err(|e| (e, data.tables.clone()))?;
            Ok((page, data.tables))
        })
        .await?
        .map_err(|(e, tables)| query_failure(e, &tables))?;
        Ok(QueryAnswer {
            opened,
            page,
            tables,
        })
    }

    /// The tables of a run's records with their columns, a type and an example for each, and
    /// row counts: what query_records can read.
    pub async fn run_schema(&self, agent_id: &Id, run_id: &Id) -> Result<RunSchema, ToolFailure> {
        let opened = self.open_records(agent_id, run_id, None, false).await?;
        let source = self.source_paths(&opened);
        let format = opened.format;
        let tables = blocking(move || {
            let data = Dataset::open(&source.with(format))?;
            data.tables
                .iter()
                .map(|table| {
                    Ok(TableDescription {
                        name: table.name.clone(),
                        rows: table.rows,
                        columns: data.sample_columns(table, QUERY_TIME_LIMIT)?,
                    })
                })
                .collect::<Result<Vec<_>, QueryError>>()
        })
        .await?
        .map_err(|e| query_failure(e, &[]))?;
        Ok(RunSchema {
            run_id: run_id.clone(),
            tables,
            functions: FUNCTIONS,
        })
    }

    /// The two runs to compare: `run_id` (default: the agent's latest completed run with
    /// records) against `base_run_id` (default: the completed run with records before it), and
    /// a sentence saying which runs were chosen and which newer ones were passed over, and why.
    pub async fn runs_to_compare(
        &self,
        agent_id: &Id,
        run_id: Option<Id>,
        base_run_id: Option<Id>,
    ) -> Result<ChosenRuns, ToolFailure> {
        if let (Some(newer), Some(older)) = (&run_id, &base_run_id) {
            different_runs(newer, older)?;
            return Ok(ChosenRuns {
                newer: newer.clone(),
                older: older.clone(),
                note: format!("Compared run {newer} with run {older}."),
            });
        }
        let runs = self.platform.list_runs(agent_id, COMPARE_SCAN).await?;
        let comparable =
            |r: &&super::Run| r.state == RunState::Completed && r.records_in_files() > 0;
        let completed = runs.iter().filter(comparable).count();
        let newer_at = match &run_id {
            Some(id) => runs.iter().position(|r| &r.run_id == id).ok_or_else(|| {
                ToolFailure::invalid(
                    format!(
                        "Run {id} is not among the {COMPARE_SCAN} latest runs of agent {agent_id}"
                    ),
                    "Pass base_run_id too (list_runs shows the runs)",
                )
            })?,
            None => runs
                .iter()
                .position(|r| comparable(&r))
                .ok_or_else(|| too_few_runs(agent_id, 0))?,
        };
        let newer = runs[newer_at].run_id.clone();
        let older = match base_run_id {
            Some(id) => id,
            None => match runs[newer_at + 1..].iter().find(comparable) {
                Some(r) => r.run_id.clone(),
                None if run_id.is_some() => {
                    return Err(ToolFailure::new(
                        Code::NotFound,
                        format!(
                            "Run {newer} has no earlier completed run with records to compare with"
                        ),
                        "Pass base_run_id with the run to compare it with (list_runs shows the runs)",
                    ));
                }
                None => return Err(too_few_runs(agent_id, completed)),
            },
        };
        different_runs(&newer, &older)?;
        let older_at = runs.iter().position(|r| r.run_id == older);
        // Runs between the two (and, by default, newer than both) that were not comparable.
        let from = if run_id.is_some() { newer_at + 1 } else { 0 };
        let to = older_at.unwrap_or(newer_at).max(from);
        let passed_over: Vec<String> = runs[from..to]
            .iter()
            .filter(|r| r.run_id != newer && !comparable(r))
            .map(|r| {
                let why = if r.state == RunState::Completed {
                    "no records".to_string()
                } else {
                    r.state.phase().to_string()
                };
                format!("{} ({why})", r.run_id)
            })
            .collect();
        let mut note = format!("Compared run {newer} with run {older}.");
        if !passed_over.is_empty() {
            note += &format!(
                " Passed over run(s) {}: only completed runs with records are compared by default; pass run_id and base_run_id to compare others.",
                passed_over.join(", ")
            );
        }
        Ok(ChosenRuns { newer, older, note })
    }

    /// Compares the records of run `newer` with those of run `older` and returns one page of
    /// the differences, with the counts of each kind.
    pub async fn compare_runs(
        &self,
        agent_id: &Id,
        newer: &Id,
        older: &Id,
        request: CompareRequest,
    ) -> Result<ComparePage, ToolFailure> {
        let new_file = self.open_records(agent_id, newer, None, false).await?;
        let old_file = self.open_records(agent_id, older, None, false).await?;
        let sides = [
            (self.source_paths(&new_file), new_file.format),
            (self.source_paths(&old_file), old_file.format),
        ];
        let page = blocking(move || {
            let mut scratch: Vec<TempPath> = Vec::new();
            let mut files = Vec::new();
            for (paths, format) in &sides {
                let (path, temporary) = query::database_file(&paths.with(*format))?;
                files.push(path);
                scratch.extend(temporary);
            }
            let comparison = Comparison::open(
                &files[0],
                &files[1],
                request.key.as_deref(),
                request.fields.as_deref(),
            )?;
            read_differences(&comparison, &request)
        })
        .await?
        .map_err(|e| compare_failure(e, newer, older))?;
        Ok(page)
    }

    /// Where a record file's query database goes: kept beside it in the cache when the run is
    /// finished (its file never changes), else built for this call only.
    fn source_paths(&self, opened: &OpenedFile) -> SourcePaths {
        let keep_at = opened.run.is_terminal().then(|| {
            let mut name = opened.path.as_os_str().to_owned();
            name.push(".sqlite");
            PathBuf::from(name)
        });
        SourcePaths {
            records: opened.path.clone(),
            keep_at,
            scratch_dir: self.cache.dir().to_path_buf(),
        }
    }
}

/// The owned paths of a `query::Source`, to move onto a blocking thread.
struct SourcePaths {
    records: PathBuf,
    keep_at: Option<PathBuf>,
    scratch_dir: PathBuf,
}

impl SourcePaths {
    fn with(&self, format: crate::records::RecordFormat) -> Source<'_> {
        Source {
            records: &self.records,
            format,
            keep_at: self.keep_at.clone(),
            scratch_dir: &self.scratch_dir,
        }
    }
}

/// Differences from `request.start` on, kind after kind, within the count and byte budgets.
fn read_differences(
    comparison: &Comparison,
    request: &CompareRequest,
) -> Result<ComparePage, CompareError> {
    let mut items = Vec::new();
    let mut used = 0;
    let mut next = None;
    let mut truncated_by_bytes = false;
    let (first_kind, mut skip) = request.start;
    let kinds = Kind::ORDER.iter().skip_while(|k| **k != first_kind);
    'kinds: for &kind in kinds {
        while skip < comparison.count(kind) {
            let room = request.limit.saturating_sub(items.len() as u64);
            if room == 0 {
                next = Some((kind, skip));
                break 'kinds;
            }
            let batch = comparison.page(kind, skip, room.min(100))?;
            if batch.is_empty() {
                break;
            }
            for record in batch {
                let size = json_size(&record) + 1;
                if !items.is_empty() && used + size > request.max_bytes {
                    truncated_by_bytes = true;
                    next = Some((kind, skip));
                    break 'kinds;
                }
                used += size;
                items.push((kind, record));
                skip += 1;
            }
        }
        skip = 0;
    }
    Ok(ComparePage {
        key: comparison.key.clone(),
        key_chosen: comparison.key_chosen,
        fields: comparison.fields.clone(),
        fields_added: comparison.fields_added.clone(),
        fields_removed: comparison.fields_removed.clone(),
        counts: comparison.counts,
        items,
        next,
        truncated_by_bytes,
    })
}

/// Runs blocking database work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ToolFailure> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        ToolFailure::new(
            Code::UpstreamUnavailable,
            format!("the records database stopped unexpectedly: {e}"),
            "Try again",
        )
    })
}

/// A table as a model reads it: `records(name, price): 5 rows`.
pub fn describe_table(table: &TableSchema) -> String {
    format!(
        "{}({}): {} rows",
        table.name,
        table.columns.join(", "),
        table.rows
    )
}

fn query_failure(e: QueryError, tables: &[TableSchema]) -> ToolFailure {
    let described: Vec<String> = tables.iter().map(describe_table).collect();
    let schema = format!("Tables: {}", described.join("; "));
    match e {
        QueryError::TooBig => ToolFailure::invalid(
            e.to_string(),
            "Build smaller values: substr() of long text, fewer rows per group_concat",
        ),
        QueryError::NotASelect(_)
        | QueryError::Refused(_)
        | QueryError::Syntax(_)
        | QueryError::Sql(_) => ToolFailure::invalid(
            e.to_string(),
            format!(
                "{schema}. Use num(text) for numbers and prices written as text, date(text) for dates"
            ),
        ),
        QueryError::TimeLimit(_) => ToolFailure::new(
            Code::Timeout,
            e.to_string(),
            format!(
                "Simplify the query (filter first, add LIMIT, avoid unbounded recursion). {schema}"
            ),
        ),
        QueryError::Records(e) => records_failure(e),
        QueryError::Io(e) => ToolFailure::new(
            Code::UpstreamUnavailable,
            format!("The query database could not be written: {e}"),
            "Check free disk space and the permissions of the cache directory",
        ),
    }
}

fn compare_failure(e: CompareError, newer: &Id, older: &Id) -> ToolFailure {
    match e {
        CompareError::Query(e) => query_failure(e, &[]),
        CompareError::UnknownFields { .. } => {
            ToolFailure::invalid(e.to_string(), "Use names from the list, or leave them out")
        }
        CompareError::KeyNotUnique { .. } | CompareError::NoKey { .. } => ToolFailure::invalid(
            format!("Runs {newer} and {older}: {e}"),
            "Pass key with a field that identifies each record (a URL, id or SKU), or fields that do together, joined by commas (key=\"title,city\")",
        ),
    }
}

fn different_runs(newer: &Id, older: &Id) -> Result<(), ToolFailure> {
    if newer == older {
        return Err(ToolFailure::invalid(
            format!(
                "run_id and base_run_id are both {newer}; a run cannot be compared with itself"
            ),
            "Pass two different runs, or leave base_run_id out to compare with the run before",
        ));
    }
    Ok(())
}

fn too_few_runs(agent_id: &Id, completed: usize) -> ToolFailure {
    ToolFailure::new(
        Code::NotFound,
        format!(
            "Agent {agent_id} has {completed} completed run(s) with records among its latest {COMPARE_SCAN}; comparing needs two"
        ),
        format!(
            "Run it again with run_agent (agent_id={}), or pass run_id and base_run_id",
            quoted(agent_id)
        ),
    )
}
