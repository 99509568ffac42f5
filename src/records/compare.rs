//! What changed between two runs: records added, removed and changed, matched by a key: one
//! field, or several that together identify a record (title and city).
//!
//! Both runs are compared in SQLite, on the databases `query` builds for them (kept next to the
//! record files), so a large run is compared on disk rather than held in memory: the matched
//! pairs and the changed pairs become temporary tables (spilled to files past a small cache),
//! and each page of results is read from them.

use std::{collections::BTreeMap, path::Path};

use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::{Map, Value};

use super::query::{self, QueryError, RECORDS_TABLE, json_value, num, quote};

/// Page cache of the comparing connection, in KiB.
const CACHE_KIB: i64 = 16 * 1024;
/// Names that usually identify a record, in order of preference, for choosing a key.
const KEY_NAMES: [&str; 12] = [
    "url",
    "link",
    "href",
    "id",
    "sku",
    "product_id",
    "item_id",
    "code",
    "ean",
    "gtin",
    "asin",
    "isbn",
];
/// Most fields tried as a key before giving up (each try reads both runs).
const KEY_TRIES: usize = 12;

/// Which kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

impl Kind {
    pub const ORDER: [Kind; 3] = [Kind::Added, Kind::Removed, Kind::Changed];
}

/// How many records of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Counts {
    pub added: u64,
    pub removed: u64,
    pub changed: u64,
    pub unchanged: u64,
}

/// Why two runs could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("{0}")]
    Query(#[from] QueryError),
    /// The given key or fields are not in both runs.
    #[error("{what} {names} not in both runs; fields in both: {common}")]
    UnknownFields {
        what: &'static str,
        names: String,
        common: String,
    },
    #[error(
        "the key {key} is not unique in the {side} run ({duplicates} records share a value or have none)"
    )]
    KeyNotUnique {
        key: String,
        side: &'static str,
        duplicates: u64,
    },
    #[error(
        "no field is unique in both runs, so records cannot be matched; fields in both: {common}"
    )]
    NoKey { common: String },
}

impl From<rusqlite::Error> for CompareError {
    fn from(e: rusqlite::Error) -> Self {
        CompareError::Query(e.into())
    }
}

/// Two runs matched by a key, ready to be read page by page.
pub struct Comparison {
    conn: Connection,
    /// The fields records are matched by (one, or several that together identify a record).
    pub key: Vec<String>,
    /// The key was chosen from the data rather than given.
    pub key_chosen: bool,
    /// Fields compared for changes.
    pub fields: Vec<String>,
    /// Fields only the newer run has, and only the older one.
    pub fields_added: Vec<String>,
    pub fields_removed: Vec<String>,
    pub counts: Counts,
}

/// One difference: a whole record (added or removed), or the changed fields of a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub kind: Kind,
    pub record: Map<String, Value>,
}

impl Comparison {
    /// Matches the records of the database files `newer` and `older` (their `records` table) by
    /// the `key` fields (or one chosen from the data) and counts the differences in `fields`
    /// (default: every other field both runs have).
    pub fn open(
        newer: &Path,
        older: &Path,
        key: Option<&[String]>,
        fields: Option<&[String]>,
    ) -> Result<Comparison, CompareError> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(&format!(
            "PRAGMA temp_store = FILE; PRAGMA cache_size = -{CACHE_KIB};"
        ))?;
        conn.execute("ATTACH ?1 AS new", [newer.to_string_lossy()])?;
        conn.execute("ATTACH ?1 AS old", [older.to_string_lossy()])?;
        for schema in ["new", "old"] {
            conn.execute_batch(&format!("PRAGMA {schema}.cache_size = -{CACHE_KIB}"))?;
        }
        let new_columns = columns(&conn, "new")?;
        let old_columns = columns(&conn, "old")?;
        let common: Vec<String> = new_columns
            .iter()
            .filter(|c| old_columns.iter().any(|o| o == *c))
            .cloned()
            .collect();
        let common_list = common.join(", ");
        let resolve =
            |wanted: &[String], what: &'static str| -> Result<Vec<String>, CompareError> {
                let (found, missing): (Vec<_>, Vec<_>) = wanted
                    .iter()
                    .partition(|w| common.iter().any(|c| c.eq_ignore_ascii_case(w)));
                if !missing.is_empty() {
                    return Err(CompareError::UnknownFields {
                        what,
                        names: missing
                            .iter()
                            .map(|m| format!("{m:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                            + if missing.len() == 1 { " is" } else { " are" },
                        common: common_list.clone(),
                    });
                }
                Ok(found
                    .iter()
                    .map(|w| {
                        common
                            .iter()
                            .find(|c| c.eq_ignore_ascii_case(w))
                            .expect("found")
                            .clone()
                    })
                    .collect())
            };
        let (key, key_chosen) = match key.filter(|k| !k.is_empty()) {
            Some(k) => {
                let key = resolve(k, "the key")?;
                for (schema, side) in [("new", "newer"), ("old", "older")] {
                    let duplicates = duplicates(&conn, schema, &key)?;
                    if duplicates > 0 {
                        return Err(CompareError::KeyNotUnique {
                            key: key.join(","),
                            side,
                            duplicates,
                        });
                    }
                }
                (key, false)
            }
            None => (vec![choose_key(&conn, &common)?], true),
        };
        let fields = match fields.filter(|f| !f.is_empty()) {
            Some(f) => resolve(f, "the field(s)")?,
            None => common
                .iter()
                .filter(|c| !key.contains(c))
                .cloned()
                .collect(),
        };
        let fields_added = new_columns
            .iter()
            .filter(|c| !common.contains(c))
            .cloned()
            .collect();
        let fields_removed = old_columns
            .iter()
            .filter(|c| !common.contains(c))
            .cloned()
            .collect();
        let on = key
            .iter()
            .map(|k| format!("n.{0} = o.{0}", quote(k)))
            .collect::<Vec<_>>()
            .join(" AND ");
        let differs = if fields.is_empty() {
            "0".to_string()
        } else {
            fields
                .iter()
                .map(|f| format!("n.{0} IS NOT o.{0}", quote(f)))
                .collect::<Vec<_>>()
                .join(" OR ")
        };
        conn.execute_batch(&format!(
            "CREATE TEMP TABLE matched (nr INTEGER PRIMARY KEY, orow INTEGER NOT NULL);
             INSERT INTO matched SELECT n.rowid, o.rowid FROM new.{t} n JOIN old.{t} o ON {on};
             CREATE UNIQUE INDEX temp.matched_old ON matched (orow);
             CREATE TEMP TABLE changed (nr INTEGER PRIMARY KEY, orow INTEGER NOT NULL);
             INSERT INTO changed SELECT m.nr, m.orow FROM matched m
                 JOIN new.{t} n ON n.rowid = m.nr JOIN old.{t} o ON o.rowid = m.orow
                 WHERE {differs};",
            t = RECORDS_TABLE,
        ))?;
        let count = |sql: &str| {
            conn.query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
        };
        let matched = count("SELECT count(*) FROM matched")?;
        let changed = count("SELECT count(*) FROM changed")?;
        let new_rows = count(&format!("SELECT count(*) FROM new.{RECORDS_TABLE}"))?;
        let old_rows = count(&format!("SELECT count(*) FROM old.{RECORDS_TABLE}"))?;
        let counts = Counts {
            added: new_rows - matched,
            removed: old_rows - matched,
            changed,
            unchanged: matched - changed,
        };
        Ok(Comparison {
            conn,
            key,
            key_chosen,
            fields,
            fields_added,
            fields_removed,
            counts,
        })
    }

    pub fn count(&self, kind: Kind) -> u64 {
        match kind {
            Kind::Added => self.counts.added,
            Kind::Removed => self.counts.removed,
            Kind::Changed => self.counts.changed,
        }
    }

    /// Up to `limit` differences of `kind` after the first `skip`, in file order of the newer run
    /// (the older run's for removed records). An added or removed record comes whole; a changed
    /// one as its key and `{field: {old, new, difference}}` for each changed field, with the
    /// numeric difference when both values read as numbers.
    pub fn page(
        &self,
        kind: Kind,
        skip: u64,
        limit: u64,
    ) -> Result<Vec<Map<String, Value>>, CompareError> {
        let t = RECORDS_TABLE;
        let sql = match kind {
            Kind::Added => format!(
                "SELECT * FROM new.{t} WHERE rowid NOT IN (SELECT nr FROM matched) ORDER BY rowid LIMIT ?1 OFFSET ?2"
            ),
            Kind::Removed => format!(
                "SELECT * FROM old.{t} WHERE rowid NOT IN (SELECT orow FROM matched) ORDER BY rowid LIMIT ?1 OFFSET ?2"
            ),
            Kind::Changed => {
                let pairs: Vec<String> = self
                    .key
                    .iter()
                    .map(|k| format!("n.{}", quote(k)))
                    .chain(
                        self.fields
                            .iter()
                            .map(|f| format!("o.{0}, n.{0}", quote(f))),
                    )
                    .collect();
                format!(
                    "SELECT {} FROM changed c JOIN new.{t} n ON n.rowid = c.nr JOIN old.{t} o ON o.rowid = c.orow
                     ORDER BY c.nr LIMIT ?1 OFFSET ?2",
                    pairs.join(", ")
                )
            }
        };
        let mut statement = self.conn.prepare(&sql)?;
        let names: Vec<String> = statement
            .column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        let mut rows = statement.query(params![limit as i64, skip as i64])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let record = match kind {
                Kind::Added | Kind::Removed => names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| Ok((n.clone(), json_value(row.get_ref(i)?))))
                    .collect::<rusqlite::Result<Map<_, _>>>()?,
                Kind::Changed => {
                    let mut record = Map::new();
                    let keys = self.key.len();
                    let key = match &self.key[..] {
                        [_] => json_value(row.get_ref(0)?),
                        parts => Value::Object(
                            parts
                                .iter()
                                .enumerate()
                                .map(|(i, k)| Ok((k.clone(), json_value(row.get_ref(i)?))))
                                .collect::<rusqlite::Result<Map<_, _>>>()?,
                        ),
                    };
                    record.insert("key".into(), key);
                    let mut changes = BTreeMap::new();
                    for (i, field) in self.fields.iter().enumerate() {
                        let old = json_value(row.get_ref(keys + 2 * i)?);
                        let new = json_value(row.get_ref(keys + 1 + 2 * i)?);
                        if old != new {
                            changes.insert(field.clone(), change(old, new));
                        }
                    }
                    record.insert(
                        "changes".into(),
                        Value::Object(changes.into_iter().collect()),
                    );
                    record
                }
            };
            out.push(record);
        }
        Ok(out)
    }
}

/// `{old, new}` and, when both read as numbers, `difference` (new - old).
fn change(old: Value, new: Value) -> Value {
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => num::parse(s).map(num::Number::as_f64),
        _ => None,
    };
    let mut out = Map::new();
    if let (Some(a), Some(b)) = (number(&old), number(&new)) {
        // Rounded to what prices need, so 499.99 - 349 reads 150.99.
        let difference = ((b - a) * 1e6).round() / 1e6;
        out.insert("difference".into(), Value::from(difference));
    }
    out.insert("old".into(), old);
    out.insert("new".into(), new);
    Value::Object(out)
}

fn columns(conn: &Connection, schema: &str) -> Result<Vec<String>, CompareError> {
    Ok(query::schema(conn, schema)?
        .into_iter()
        .find(|t| t.name.eq_ignore_ascii_case(RECORDS_TABLE))
        .map(|t| t.columns)
        .unwrap_or_default())
}

/// Records whose `key` fields are empty or shared with another record: all records less the
/// distinct complete keys.
fn duplicates(conn: &Connection, schema: &str, key: &[String]) -> Result<u64, CompareError> {
    let list = key.iter().map(|k| quote(k)).collect::<Vec<_>>().join(", ");
    let complete = key
        .iter()
        .map(|k| format!("{} IS NOT NULL", quote(k)))
        .collect::<Vec<_>>()
        .join(" AND ");
    let n: i64 = conn.query_row(
        &format!(
            "SELECT (SELECT count(*) FROM {schema}.{RECORDS_TABLE})
                  - (SELECT count(*) FROM (SELECT DISTINCT {list} FROM {schema}.{RECORDS_TABLE} WHERE {complete}))"
        ),
        [],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// The best key both runs share: fields named like identifiers first (url, id, sku, ...), then
/// the others in file order; the first that is unique and never empty in both runs wins.
fn choose_key(conn: &Connection, common: &[String]) -> Result<String, CompareError> {
    let rank = |name: &str| {
        let lower = name.to_ascii_lowercase();
        KEY_NAMES
            .iter()
            .position(|k| lower == *k)
            .or_else(|| {
                KEY_NAMES
                    .iter()
                    .position(|k| lower.contains(k))
                    .map(|p| p + KEY_NAMES.len())
            })
            .unwrap_or(usize::MAX)
    };
    let mut candidates: Vec<&String> = common.iter().collect();
    candidates.sort_by_key(|c| rank(c));
    for candidate in candidates.into_iter().take(KEY_TRIES) {
        let single = std::slice::from_ref(candidate);
        if duplicates(conn, "new", single)? == 0 && duplicates(conn, "old", single)? == 0 {
            return Ok(candidate.clone());
        }
    }
    Err(CompareError::NoKey {
        common: common.join(", "),
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::json;

    use super::*;
    use crate::records::{
        RecordFormat,
        query::{Source, database_file},
    };

    /// The database of a JSON array of `records`, kept in `dir` under `name`.
    fn database(dir: &Path, name: &str, records: Value) -> PathBuf {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, records.to_string()).unwrap();
        let source = Source {
            records: &path,
            format: RecordFormat::JsonArray,
            keep_at: Some(dir.join(format!("{name}.sqlite"))),
            scratch_dir: dir,
        };
        database_file(&source).unwrap().0
    }

    fn yesterday_and_today(dir: &Path) -> (PathBuf, PathBuf) {
        let old = database(
            dir,
            "old",
            json!([
                {"name": "Air", "url": "https://s/air", "price": "£1,299.00", "stock": "yes"},
                {"name": "Budget", "url": "https://s/budget", "price": "£349", "stock": "yes"},
                {"name": "Gone", "url": "https://s/gone", "price": "£10", "stock": "no"},
            ]),
        );
        let new = database(
            dir,
            "new",
            json!([
                {"name": "Air", "url": "https://s/air", "price": "£1,199.00", "stock": "yes", "rating": 4},
                {"name": "Budget", "url": "https://s/budget", "price": "£349", "stock": "yes", "rating": 3},
                {"name": "Fresh", "url": "https://s/fresh", "price": "£20", "stock": "yes", "rating": 5},
            ]),
        );
        (new, old)
    }

    #[test]
    fn a_chosen_key_finds_added_removed_and_changed_records() {
        let dir = tempfile::tempdir().unwrap();
        let (new, old) = yesterday_and_today(dir.path());
        let c = Comparison::open(&new, &old, None, None).unwrap();
        // "name" comes first in the file, but a URL is the better key.
        assert_eq!(
            (c.key.as_slice(), c.key_chosen),
            (&["url".to_string()][..], true)
        );
        assert_eq!(
            c.counts,
            Counts {
                added: 1,
                removed: 1,
                changed: 1,
                unchanged: 1
            }
        );
        assert_eq!(c.fields_added, ["rating"]);
        assert!(c.fields_removed.is_empty());
        assert_eq!(c.page(Kind::Added, 0, 10).unwrap()[0]["name"], "Fresh");
        assert_eq!(c.page(Kind::Removed, 0, 10).unwrap()[0]["name"], "Gone");
        assert_eq!(
            Value::Object(c.page(Kind::Changed, 0, 10).unwrap().remove(0)),
            json!({"key": "https://s/air", "changes": {
                "price": {"old": "£1,299.00", "new": "£1,199.00", "difference": -100.0}
            }})
        );
        assert!(c.page(Kind::Changed, 1, 10).unwrap().is_empty());
    }

    #[test]
    fn an_explicit_key_and_fields_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let (new, old) = yesterday_and_today(dir.path());
        let by_name =
            Comparison::open(&new, &old, Some(&["NAME".into()]), Some(&["stock".into()])).unwrap();
        assert_eq!(
            (by_name.key.as_slice(), by_name.key_chosen),
            (&["name".to_string()][..], false)
        );
        assert_eq!(
            by_name.counts,
            Counts {
                added: 1,
                removed: 1,
                changed: 0,
                unchanged: 2
            },
            "only stock is compared"
        );
        let err = Comparison::open(&new, &old, Some(&["rating".into()]), None)
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("\"rating\" is not in both runs"),
            "{err}"
        );
        assert!(err.to_string().contains("name, url, price, stock"), "{err}");
        let err = Comparison::open(&new, &old, Some(&["stock".into()]), None)
            .err()
            .unwrap();
        assert!(matches!(err, CompareError::KeyNotUnique { .. }), "{err}");
        let err = Comparison::open(&new, &old, None, Some(&["nope".into()]))
            .err()
            .unwrap();
        assert!(err.to_string().contains("\"nope\""), "{err}");
    }

    #[test]
    fn without_a_unique_field_the_error_says_to_pass_a_key() {
        let dir = tempfile::tempdir().unwrap();
        let same = json!([{"a": 1}, {"a": 1}]);
        let new = database(dir.path(), "n", same.clone());
        let old = database(dir.path(), "o", same);
        let err = Comparison::open(&new, &old, None, None).err().unwrap();
        assert!(matches!(err, CompareError::NoKey { .. }), "{err}");
    }

    /// Jobs with no unique field are matched by title and city together.
    #[test]
    fn a_composite_key_matches_records_no_single_field_identifies() {
        let dir = tempfile::tempdir().unwrap();
        let old = database(
            dir.path(),
            "o",
            json!([
                {"title": "Chef", "city": "Leeds", "pay": "£30,000"},
                {"title": "Chef", "city": "York", "pay": "£28,000"},
                {"title": "Cook", "city": "Leeds", "pay": "£28,000"},
            ]),
        );
        let new = database(
            dir.path(),
            "n",
            json!([
                {"title": "Chef", "city": "Leeds", "pay": "£31,000"},
                {"title": "Chef", "city": "York", "pay": "£28,000"},
                {"title": "Cook", "city": "York", "pay": "£28,000"},
            ]),
        );
        assert!(matches!(
            Comparison::open(&new, &old, None, None).err().unwrap(),
            CompareError::NoKey { .. }
        ));
        let key = ["title".to_string(), "City".to_string()];
        let c = Comparison::open(&new, &old, Some(&key), None).unwrap();
        assert_eq!(c.key, ["title", "city"]);
        assert_eq!(
            c.counts,
            Counts {
                added: 1,
                removed: 1,
                changed: 1,
                unchanged: 1
            }
        );
        assert_eq!(
            Value::Object(c.page(Kind::Changed, 0, 10).unwrap().remove(0)),
            json!({"key": {"title": "Chef", "city": "Leeds"}, "changes": {
                "pay": {"old": "£30,000", "new": "£31,000", "difference": 1000.0}
            }})
        );
        let err = Comparison::open(&new, &old, Some(&["title".to_string()]), None)
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("the key title is not unique"),
            "{err}"
        );
    }
}
