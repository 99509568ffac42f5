//! SQL over a run's records: the dataset loaded into SQLite (one table per export table, one
//! column per field), with `num()` and `date()` for scraped text, guarded for SQL written by an
//! untrusted caller, and read back in pages bounded by count and bytes.
//!
//! A finished run never changes, so its database is built once, next to its record file in the
//! records cache, and later queries open it read-only (a warm query costs only the query). A run
//! still in progress is loaded for the one call: in memory when small, in a temporary file
//! otherwise.

mod date;
mod functions;
mod guard;
mod load;
pub mod num;

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use rusqlite::{Connection, OpenFlags, types::ValueRef};
use serde::Serialize;
use serde_json::{Map, Value};
use tempfile::TempPath;

pub use guard::MAX_SQL_BYTES;
pub use load::RECORDS_TABLE;

use super::{RecordFormat, RecordsError, fit::cut_to_fit, sanitize::clean_text};

/// Bumped whenever the database layout changes, so databases built by older code are rebuilt.
const LAYOUT_VERSION: i64 = 1;
/// Record files up to this size are loaded in memory when their database is not kept.
const IN_MEMORY_MAX_BYTES: u64 = 16 * 1024 * 1024;
/// Page cache while loading, in KiB.
const LOAD_CACHE_KIB: i64 = 8 * 1024;
/// Rows past a page that are stepped through to tell the total.
const COUNT_AHEAD: u64 = 10_000;

/// Why a query could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The SQL is not one read-only SELECT.
    #[error(
        "only one read-only SELECT statement is allowed (WITH ... SELECT and VALUES too), not {0}"
    )]
    NotASelect(String),
    /// The authorizer refused part of the statement.
    #[error("{0} is not allowed: a query is one SELECT that only reads the dataset's tables")]
    Refused(String),
    #[error("the query ran longer than {} seconds and was stopped", .0.as_secs())]
    TimeLimit(Duration),
    /// The statement is not valid SQL; says where.
    #[error("syntax error {0}")]
    Syntax(String),
    /// A value the query built passed the length limit.
    #[error(
        "a value the query built is too big: strings and blobs may hold at most {} MiB",
        guard::MAX_VALUE_BYTES / (1024 * 1024)
    )]
    TooBig,
    /// SQLite refused the statement (syntax, unknown column or table, ...).
    #[error("{0}")]
    Sql(String),
    #[error(transparent)]
    Records(RecordsError),
    #[error("the query database could not be written: {0}")]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for QueryError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::TooBig => {
                QueryError::TooBig
            }
            rusqlite::Error::SqliteFailure(_, Some(message))
            | rusqlite::Error::SqlInputError { msg: message, .. } => QueryError::Sql(message),
            other => QueryError::Sql(other.to_string()),
        }
    }
}

/// `name` as a quoted SQL identifier.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A record file and where its database belongs.
pub struct Source<'a> {
    pub records: &'a Path,
    pub format: RecordFormat,
    /// Where to keep the database: `Some` for a finished run (built once, reused), `None` for
    /// a run whose files may still change (built for this call only).
    pub keep_at: Option<PathBuf>,
    /// Where a temporary database file may go.
    pub scratch_dir: &'a Path,
}

/// A table as a query sees it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TableSchema {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: i64,
}

/// A run's records, ready for queries.
pub struct Dataset {
    conn: Connection,
    refusals: guard::Refusals,
    pub tables: Vec<TableSchema>,
    /// Removes the temporary database file when the dataset is dropped.
    _scratch: Option<TempPath>,
}

/// The database file of `source`: the kept one (built first if missing) or a temporary one.
/// Returns the path and, for a temporary file, what deletes it.
pub fn database_file(source: &Source) -> Result<(PathBuf, Option<TempPath>), QueryError> {
    match &source.keep_at {
        Some(path) => {
            if !is_current(path) {
                build_file(source, path)?;
            }
            Ok((path.clone(), None))
        }
        None => {
            let scratch = tempfile::Builder::new()
                .prefix("query-")
                .suffix(".sqlite")
                .tempfile_in(source.scratch_dir)?
                .into_temp_path();
            write_database(source, &scratch)?;
            Ok((scratch.to_path_buf(), Some(scratch)))
        }
    }
}

/// Whether a kept database exists and was built by this layout.
fn is_current(path: &Path) -> bool {
    path.is_file()
        && Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)))
            .is_ok_and(|v| v == LAYOUT_VERSION)
}

/// Builds the database under a name of its own and renames it into place, so a reader never
/// sees a half-built one, and two processes building it at once both end with a whole file.
fn build_file(source: &Source, path: &Path) -> Result<(), QueryError> {
    let partial = path.with_file_name(format!(
        "{}.{}.partial",
        path.file_name().unwrap_or_default().to_string_lossy(),
        fastrand::u64(..)
    ));
    let built = write_database(source, &partial).and_then(|()| {
        std::fs::rename(&partial, path)?;
        Ok(())
    });
    if built.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    built
}

fn write_database(source: &Source, path: &Path) -> Result<(), QueryError> {
    let conn = Connection::open(path)?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -{LOAD_CACHE_KIB};"
    ))?;
    load::load(&conn, "main", source.records, source.format)?;
    conn.execute_batch(&format!("PRAGMA user_version = {LAYOUT_VERSION}"))?;
    Ok(())
}

impl Dataset {
    /// Opens the records of `source` for queries: the kept database (built on first use), an
    /// in-memory one for a small file that is not kept, else a temporary file.
    pub fn open(source: &Source) -> Result<Dataset, QueryError> {
        let small = std::fs::metadata(source.records)?.len() <= IN_MEMORY_MAX_BYTES;
        if source.keep_at.is_none() && small {
            let conn = Connection::open_in_memory()?;
            load::load(&conn, "main", source.records, source.format)?;
            return Dataset::guarded(conn, None);
        }
        let (path, scratch) = database_file(source)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Dataset::guarded(Connection::open_with_flags(path, flags)?, scratch)
    }

    fn guarded(conn: Connection, scratch: Option<TempPath>) -> Result<Dataset, QueryError> {
        functions::register(&conn)?;
        let tables = schema(&conn, "main")?;
        let refusals = guard::protect(&conn)?;
        Ok(Dataset {
            conn,
            refusals,
            tables,
            _scratch: scratch,
        })
    }

    /// Runs `sql`, skips `skip` result rows and returns up to `limit` rows within `max_bytes`
    /// (at least one row when any remain), stopping it when it runs past `time_limit`.
    pub fn query(
        &self,
        sql: &str,
        skip: u64,
        limit: usize,
        max_bytes: usize,
        time_limit: Duration,
    ) -> Result<QueryPage, QueryError> {
        let mut statement = guard::prepare(&self.conn, &self.refusals, sql)?;
        let columns = result_columns(&statement);
        guard::time_limit(&self.conn, Instant::now() + time_limit);
        let interrupted = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::OperationInterrupted) => QueryError::TimeLimit(time_limit),
            _ => QueryError::from(e),
        };
        let mut rows = statement.raw_query();
        let mut skipped = 0;
        while skipped < skip && rows.next().map_err(interrupted)?.is_some() {
            skipped += 1;
        }
        let mut page = QueryPage {
            columns,
            rows: Vec::new(),
            more: false,
            truncated_by_bytes: false,
            cut_fields: Vec::new(),
            total: None,
        };
        let mut used = 0;
        while let Some(row) = rows.next().map_err(interrupted)? {
            if page.rows.len() >= limit.max(1) {
                page.more = true;
                break;
            }
            let mut record = Map::new();
            for (i, name) in page.columns.iter().enumerate() {
                record.insert(name.clone(), json_value(row.get_ref(i)?));
            }
            let size = super::json_size(&record) + 1;
            if !page.rows.is_empty() && used + size > max_bytes {
                page.more = true;
                page.truncated_by_bytes = true;
                break;
            }
            if size > max_bytes {
                // A row larger than the whole budget comes alone, its long values cut.
                page.cut_fields = cut_to_fit(&mut record, max_bytes);
                page.truncated_by_bytes = true;
                page.rows.push(record);
                page.more = rows.next().map_err(interrupted)?.is_some();
                break;
            }
            used += size;
            page.rows.push(record);
        }
        let before_and_here = skipped + page.rows.len() as u64;
        page.total = if page.more {
            count_ahead(&mut rows).map(|more| before_and_here + 1 + more)
        } else {
            Some(before_and_here)
        };
        Ok(page)
    }
}

/// A column as the schema resource shows it: its name, the kind of value it holds and one
/// example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnSample {
    pub name: String,
    /// `text`, `integer` or `real`, from the first value found; `empty` when none was.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The first non-empty value, cut to `SAMPLE_CHARS` characters.
    pub sample: Value,
}

/// Rows looked at for a column's example value.
const SAMPLE_ROWS: usize = 20;
/// Longest example value shown.
const SAMPLE_CHARS: usize = 80;

impl Dataset {
    /// The columns of `table` with a type and an example from its first rows.
    pub fn sample_columns(
        &self,
        table: &TableSchema,
        time_limit: Duration,
    ) -> Result<Vec<ColumnSample>, QueryError> {
        let sql = format!("SELECT * FROM {} LIMIT {SAMPLE_ROWS}", quote(&table.name));
        let page = self.query(&sql, 0, SAMPLE_ROWS, usize::MAX, time_limit)?;
        Ok(table
            .columns
            .iter()
            .map(|name| {
                let found = page
                    .rows
                    .iter()
                    .filter_map(|row| row.get(name))
                    .find(|v| !v.is_null() && v.as_str() != Some(""));
                let (kind, sample) = match found {
                    Some(Value::String(text)) => {
                        let short: String = text.chars().take(SAMPLE_CHARS).collect();
                        ("text", Value::String(short))
                    }
                    Some(Value::Number(n)) if n.is_i64() => ("integer", Value::Number(n.clone())),
                    Some(other) => ("real", other.clone()),
                    None => ("empty", Value::Null),
                };
                ColumnSample {
                    name: name.clone(),
                    kind,
                    sample,
                }
            })
            .collect())
    }
}

/// One page of a query's result.
#[derive(Debug)]
pub struct QueryPage {
    /// Result column names, made unique (`count`, `count_2`).
    pub columns: Vec<String>,
    /// Rows as objects keyed by column, sanitised.
    pub rows: Vec<Map<String, Value>>,
    /// More rows follow this page.
    pub more: bool,
    pub truncated_by_bytes: bool,
    /// Columns whose values were cut because one row alone passed the byte budget.
    pub cut_fields: Vec<String>,
    /// Rows in the whole answer, when counting them was cheap (at most `COUNT_AHEAD` past
    /// this page).
    pub total: Option<u64>,
}

/// The rows left after this page, counted by stepping through at most `COUNT_AHEAD` of them
/// (no values are read); `None` when there are more or the time limit stops the count.
fn count_ahead(rows: &mut rusqlite::Rows<'_>) -> Option<u64> {
    let mut counted = 0;
    while counted <= COUNT_AHEAD {
        match rows.next() {
            Ok(Some(_)) => counted += 1,
            Ok(None) => return Some(counted),
            Err(_) => return None,
        }
    }
    None
}

/// Result column names, unique so that each is a key of the row objects.
fn result_columns(statement: &rusqlite::Statement<'_>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in statement.column_names() {
        let name = clean_text(name).into_owned();
        let unique = if names.contains(&name) {
            (2..)
                .map(|n| format!("{name}_{n}"))
                .find(|n| !names.contains(n))
                .expect("a free suffix")
        } else {
            name
        };
        names.push(unique);
    }
    names
}

/// A SQLite value as JSON; text is sanitised again, since SQL can build new text.
pub fn json_value(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(r) => serde_json::Number::from_f64(r).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(clean_text(&String::from_utf8_lossy(t)).into_owned()),
        ValueRef::Blob(b) => Value::String(format!("[binary, {} bytes]", b.len())),
    }
}

/// The tables and views of database `schema`, with their columns and row counts.
pub fn schema(conn: &Connection, schema: &str) -> Result<Vec<TableSchema>, QueryError> {
    let mut statement = conn.prepare(&format!(
        "SELECT name FROM {}.sqlite_schema WHERE type IN ('table', 'view') ORDER BY type, rowid",
        quote(schema)
    ))?;
    let names = statement
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut tables = Vec::new();
    for name in names {
        let qualified = format!("{}.{}", quote(schema), quote(&name));
        let columns = conn
            .prepare(&format!("SELECT * FROM {qualified} LIMIT 0"))?
            .column_names()
            .into_iter()
            .map(str::to_string)
            .collect();
        // Rows are only ever appended, so the largest rowid is the count (and costs one seek).
        // A view has no rowid: the only view is `records`, which shows the first table.
        let rows = conn
            .query_row(&format!("SELECT max(rowid) FROM {qualified}"), [], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .map(Option::unwrap_or_default)
            .unwrap_or_else(|_| tables.first().map_or(0, |t: &TableSchema| t.rows));
        tables.push(TableSchema {
            name,
            columns,
            rows,
        });
    }
    Ok(tables)
}

#[cfg(test)]
mod tests;
