//! Spaces: named groups of agents (an agent's `space_id`), each with an optional limit on the
//! runs of its agents that execute at once.

use rusqlite::{OptionalExtension, Row, params};

use super::{Cached, Store, StoreResult, agents::NameTaken, now_text, parse_time};
use crate::api::spaces::Space;

/// The spaces table; created with the rest of the schema when the store opens.
pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS spaces (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    concurrency_limit INTEGER,
    created           TEXT NOT NULL
);
"#;

const SPACE_SELECT: &str = "SELECT id, name, concurrency_limit, created FROM spaces";

fn space_from_row(row: &Row<'_>) -> rusqlite::Result<Space> {
    Ok(Space {
        id: row.get("id")?,
        name: row.get("name")?,
        organization_id: Some(0),
        created: parse_time(row.get("created")?),
        is_default_access: Some(false),
        concurrency_limit: row.get("concurrency_limit")?,
    })
}

impl Store {
    /// Saves a new space; `concurrency_limit` runs of its agents execute at once (no limit
    /// when absent).
    pub fn create_space(
        &self,
        name: &str,
        concurrency_limit: Option<i64>,
    ) -> StoreResult<Result<Space, NameTaken>> {
        let db = self.db();
        let taken: bool = db.row(
            "SELECT EXISTS(SELECT 1 FROM spaces WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if taken {
            return Ok(Err(NameTaken));
        }
        db.exec(
            "INSERT INTO spaces (name, concurrency_limit, created) VALUES (?1, ?2, ?3)",
            params![name, concurrency_limit, now_text()],
        )?;
        let id = db.last_insert_rowid();
        Ok(Ok(db.row(
            &format!("{SPACE_SELECT} WHERE id = ?1"),
            [id],
            space_from_row,
        )?))
    }

    /// Every space, by name.
    pub fn spaces(&self) -> StoreResult<Vec<Space>> {
        let db = self.db();
        let mut stmt =
            db.prepare_cached(&format!("{SPACE_SELECT} ORDER BY name COLLATE NOCASE"))?;
        let spaces = stmt
            .query_map([], space_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(spaces)
    }

    pub fn space(&self, space_id: i64) -> StoreResult<Option<Space>> {
        Ok(self
            .db()
            .row(
                &format!("{SPACE_SELECT} WHERE id = ?1"),
                [space_id],
                space_from_row,
            )
            .optional()?)
    }

    /// The space with exactly this name, ignoring case.
    pub fn space_named(&self, name: &str) -> StoreResult<Option<Space>> {
        Ok(self
            .db()
            .row(
                &format!("{SPACE_SELECT} WHERE name = ?1"),
                [name.trim()],
                space_from_row,
            )
            .optional()?)
    }
}
