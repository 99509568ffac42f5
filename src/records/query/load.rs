//! Loading a run's record file into SQLite tables, one column per field.
//!
//! The file is streamed record by record (the same sanitised reader fetch_records pages with),
//! so memory stays bounded whatever the file's size. JSON records may each carry other fields:
//! a field first seen late becomes a new column then (`ALTER TABLE ... ADD COLUMN` only changes
//! the schema, not the rows already written), so one pass suffices. Columns carry no declared
//! type, so every value keeps the type the file gave it: numbers stay numbers, CSV text stays
//! text (that is what `num()` is for).

use std::{collections::HashMap, path::Path};

use rusqlite::{Connection, types::ToSqlOutput, types::Value as SqlValue};
use serde_json::{Map, Value};

use super::{QueryError, quote};
use crate::records::{self, RecordFormat, RecordsError};

/// The name of the table (or, with several tables, the view of the first) every query can use.
pub const RECORDS_TABLE: &str = "records";

/// Loads the file at `path` into the database `schema` of `conn` (`main`, or the name of an
/// attached database). Returns the table names in file order.
pub fn load(
    conn: &Connection,
    schema: &str,
    path: &Path,
    format: RecordFormat,
) -> Result<Vec<String>, QueryError> {
    conn.execute_batch("BEGIN")?;
    let loaded = load_tables(conn, schema, path, format);
    match loaded {
        Ok(tables) => {
            conn.execute_batch("COMMIT")?;
            Ok(tables)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn load_tables(
    conn: &Connection,
    schema: &str,
    path: &Path,
    format: RecordFormat,
) -> Result<Vec<String>, QueryError> {
    let export_tables = records::table_names(path, format)?;
    // One table (the usual export) is `records` itself: a view in its place would have no
    // rowid, which compare_runs matches records by.
    if export_tables.len() <= 1 {
        let only = export_tables.first().map(String::as_str);
        load_table(conn, schema, RECORDS_TABLE, path, format, only)?;
        return Ok(vec![RECORDS_TABLE.to_string()]);
    }
    let mut names: Vec<String> = Vec::new();
    for export_name in &export_tables {
        let name = unique_name(export_name, &names, "table");
        load_table(conn, schema, &name, path, format, Some(export_name))?;
        names.push(name);
    }
    if !names.iter().any(|n| n.eq_ignore_ascii_case(RECORDS_TABLE)) {
        conn.execute_batch(&format!(
            "CREATE VIEW {}.{} AS SELECT * FROM {}",
            quote(schema),
            RECORDS_TABLE,
            quote(&names[0])
        ))?;
    }
    Ok(names)
}

/// A column or table name for `wanted` that differs (ignoring ASCII case, as SQLite does) from
/// every name in `taken`: empty names become `<fallback>_N`, repeats get `_2`, `_3`, ...
fn unique_name(wanted: &str, taken: &[String], fallback: &str) -> String {
    let base = if wanted.trim().is_empty() {
        format!("{fallback}_{}", taken.len() + 1)
    } else {
        wanted.to_string()
    };
    let free = |name: &str| !taken.iter().any(|t| t.eq_ignore_ascii_case(name));
    if free(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|name| free(name))
        .expect("some suffix is free")
}

/// Streams one table of the file into a new table `name`.
fn load_table(
    conn: &Connection,
    schema: &str,
    name: &str,
    path: &Path,
    format: RecordFormat,
    export_table: Option<&str>,
) -> Result<(), QueryError> {
    let table = format!("{}.{}", quote(schema), quote(name));
    let mut columns = Columns::default();
    let mut insert = None;
    let mut failure = None;
    let result = records::for_each_record(path, format, export_table, None, |record| {
        let step = (|| -> Result<(), QueryError> {
            if columns.add_new(conn, &table, &record)? || insert.is_none() {
                insert = Some(conn.prepare(&columns.insert_sql(&table))?);
            }
            let insert = insert.as_mut().expect("prepared above");
            for (field, value) in &record {
                let index = columns.index[field.as_str()];
                insert.raw_bind_parameter(index + 1, sql_value(value))?;
            }
            insert.raw_execute()?;
            insert.clear_bindings();
            Ok(())
        })();
        step.map_err(|e| {
            failure = Some(e);
            std::io::Error::other("loading stopped")
        })
    });
    if let Some(e) = failure {
        return Err(e);
    }
    result?;
    if columns.names.is_empty() {
        // No records: a table without fields still answers queries (with no rows).
        conn.execute_batch(&format!("CREATE TABLE {table} ({NO_FIELDS})"))?;
    }
    Ok(())
}

/// The one column of the table of a dataset without records.
const NO_FIELDS: &str = "no_records";

/// The columns of a table being loaded: field name -> position, and the column names.
#[derive(Default)]
struct Columns {
    index: HashMap<String, usize>,
    names: Vec<String>,
}

impl Columns {
    /// Adds a column for each field of `record` not seen before; returns whether any was added.
    fn add_new(
        &mut self,
        conn: &Connection,
        table: &str,
        record: &Map<String, Value>,
    ) -> Result<bool, QueryError> {
        let mut added = false;
        for field in record.keys() {
            if self.index.contains_key(field) {
                continue;
            }
            let column = unique_name(field, &self.names, "field");
            let sql = if self.names.is_empty() {
                format!("CREATE TABLE {table} ({})", quote(&column))
            } else {
                format!("ALTER TABLE {table} ADD COLUMN {}", quote(&column))
            };
            conn.execute_batch(&sql)?;
            self.index.insert(field.clone(), self.names.len());
            self.names.push(column);
            added = true;
        }
        Ok(added)
    }

    fn insert_sql(&self, table: &str) -> String {
        let names: Vec<String> = self.names.iter().map(|n| quote(n)).collect();
        let marks = vec!["?"; names.len()].join(", ");
        format!(
            "INSERT INTO {table} ({}) VALUES ({marks})",
            names.join(", ")
        )
    }
}

/// A JSON value as SQLite stores it: objects and arrays as their JSON text.
fn sql_value(value: &Value) -> ToSqlOutput<'_> {
    use rusqlite::types::ValueRef;
    match value {
        Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        Value::Bool(b) => ToSqlOutput::Owned(SqlValue::Integer(*b as i64)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => ToSqlOutput::Owned(SqlValue::Integer(i)),
            None => ToSqlOutput::Owned(SqlValue::Real(n.as_f64().unwrap_or(f64::NAN))),
        },
        Value::String(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        other => ToSqlOutput::Owned(SqlValue::Text(other.to_string())),
    }
}

impl From<RecordsError> for QueryError {
    fn from(e: RecordsError) -> Self {
        QueryError::Records(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_collide_ignoring_case() {
        let taken = vec!["price".to_string(), "Name".to_string()];
        assert_eq!(unique_name("Price", &taken, "field"), "Price_2");
        assert_eq!(unique_name("name", &taken, "field"), "name_2");
        assert_eq!(unique_name("", &taken, "field"), "field_3");
        assert_eq!(unique_name("url", &taken, "field"), "url");
    }
}
