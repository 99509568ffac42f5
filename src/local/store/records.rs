//! A run's extracted records, kept as batches: one row holds the records of one commit (the
//! pages of up to 100 ms of a run), their JSON texts one per line, numbered from the batch's
//! first sequence number.
//!
//! A row per record cost an insert per record, about 10 % of the engine's CPU per page (20
//! records a page); a row per batch costs one insert per commit. Records are read back in
//! sequence order only (exports, the synchronous-start answer), which batches serve as well.
//! A record's JSON text never holds a raw line break (JSON escapes them in strings), so lines
//! separate records safely.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Cached, Store, StoreResult};

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS record_batches (
    run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    first_seq INTEGER NOT NULL,
    count     INTEGER NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (run_id, first_seq)
);
"#;

/// Moves the records of a database from before batches (one row per record, in `records`)
/// into one-record batches, once, in one transaction: a crash midway leaves the old table
/// whole for the next open.
pub(super) fn migrate_record_rows(conn: &Connection) -> rusqlite::Result<()> {
    let old: bool = conn.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'records'",
        [],
        |r| r.get(0),
    )?;
    if old {
        conn.execute_batch(
            "BEGIN;
             INSERT INTO record_batches (run_id, first_seq, count, data)
                 SELECT run_id, seq, 1, data FROM records;
             DROP TABLE records;
             COMMIT;",
        )?;
    }
    Ok(())
}

/// Adds one batch of records (`lines`: `count` JSON texts, one per line) after the run's
/// last, inside the caller's transaction.
pub(super) fn insert_batch(
    db: &Connection,
    run_id: i64,
    lines: &[u8],
    count: usize,
) -> rusqlite::Result<()> {
    let next: i64 = db
        .row(
            "SELECT first_seq + count FROM record_batches WHERE run_id = ?1 ORDER BY first_seq DESC LIMIT 1",
            [run_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(1);
    db.exec(
        "INSERT INTO record_batches (run_id, first_seq, count, data) VALUES (?1, ?2, ?3, ?4)",
        params![
            run_id,
            next,
            count as i64,
            rusqlite::types::ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(lines))
        ],
    )?;
    Ok(())
}

impl Store {
    /// Up to `limit` records after sequence number `after` (0 for the start), as JSON text with
    /// their sequence numbers, so exports and answers can stream them in chunks.
    pub fn records_after(
        &self,
        run_id: i64,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<(i64, String)>> {
        let db = self.db();
        // From the batch holding record `after + 1` on.
        let mut stmt = db.prepare_cached(
            "SELECT first_seq, data FROM record_batches WHERE run_id = ?1 AND first_seq >= COALESCE(
                 (SELECT MAX(first_seq) FROM record_batches WHERE run_id = ?1 AND first_seq <= ?2 + 1), 0)
             ORDER BY first_seq",
        )?;
        let mut rows = stmt.query(params![run_id, after])?;
        let wanted = usize::try_from(limit).unwrap_or(0);
        let mut records = Vec::new();
        while records.len() < wanted {
            let Some(row) = rows.next()? else { break };
            let first: i64 = row.get(0)?;
            let data = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let batch = data
                .split('\n')
                .enumerate()
                .map(|(i, text)| (first + i as i64, text));
            records.extend(
                batch
                    .filter(|&(seq, _)| seq > after)
                    .take(wanted - records.len())
                    .map(|(seq, text)| (seq, text.to_string())),
            );
        }
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of a new agent named `name`.
    fn run(store: &Store, name: &str) -> i64 {
        crate::local::store::testing::running_run(store, name).1
    }

    fn batch(db: &Connection, run_id: i64, numbers: std::ops::Range<i64>) {
        let lines: Vec<String> = numbers.clone().map(|n| format!("{{\"n\":{n}}}")).collect();
        insert_batch(db, run_id, lines.join("\n").as_bytes(), lines.len()).unwrap();
    }

    #[test]
    fn records_are_read_in_order_across_batches_from_any_point() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let (one, two) = (run(&store, "a"), run(&store, "b"));
        {
            let db = store.db();
            batch(&db, one, 1..4);
            batch(&db, two, 1..3);
            batch(&db, one, 4..5);
            batch(&db, one, 5..9);
        }
        let read = |after, limit| -> Vec<(i64, String)> {
            store.records_after(one, after, limit).unwrap()
        };
        let all = read(0, 100);
        let want: Vec<(i64, String)> = (1..9).map(|n| (n, format!("{{\"n\":{n}}}"))).collect();
        assert_eq!(
            all, want,
            "every batch of the run, numbered on, and none of the other run"
        );
        assert_eq!(read(2, 3), want[2..5], "from inside a batch, across two");
        assert_eq!(read(3, 1), want[3..4], "from a batch's start");
        assert!(read(8, 10).is_empty());
        assert_eq!(store.records_after(two, 0, 10).unwrap().len(), 2);
    }

    #[test]
    fn a_database_with_one_row_per_record_is_moved_into_batches_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let store = Store::open(&path).unwrap();
        let run_id = run(&store, "a");
        store
            .db()
            .execute_batch(&format!(
                "CREATE TABLE records (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (run_id, seq));
                 INSERT INTO records VALUES ({run_id}, 1, '{{\"n\":1}}'), ({run_id}, 2, '{{\"n\":2}}');"
            ))
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        let records = store.records_after(run_id, 0, 10).unwrap();
        assert_eq!(
            records,
            [(1, "{\"n\":1}".to_string()), (2, "{\"n\":2}".to_string())]
        );
        batch(&store.db(), run_id, 3..4);
        assert_eq!(store.records_after(run_id, 2, 10).unwrap()[0].0, 3);
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.records_after(run_id, 0, 10).unwrap().len(),
            3,
            "moved once"
        );
    }
}
