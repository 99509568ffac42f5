//! Agents and their definition versions.

use rusqlite::{OptionalExtension, Row, params, params_from_iter, types::Value as SqlValue};
use serde::Serialize;

use super::{Cached, Store, StoreResult, now_text, parse_time};
use crate::{
    api::types::{Agent, RunStatus, Timestamp},
    local::definition::AgentDefinition,
};

/// Who is named as the author of versions saved by the engine.
const LOCAL_USER: &str = "local";

/// Largest list answered without paging (the local engine holds few agents; this only bounds
/// the answer).
const MAX_UNPAGED: i64 = 1000;

/// An agent's row plus what is derived from its runs: the status of the last run and the time
/// of the latest activity (a run or an edit).
const AGENT_SELECT: &str = "SELECT a.id, a.name, a.description, a.space_id, a.version, a.start_url, a.created, a.updated, a.archived,
    (SELECT r.status FROM runs r WHERE r.agent_id = a.id ORDER BY r.id DESC LIMIT 1) AS last_status,
    MAX(a.updated, COALESCE((SELECT MAX(COALESCE(r.end_time, r.start_time, r.created)) FROM runs r WHERE r.agent_id = a.id), a.updated)) AS last_activity
    FROM agents a";

/// The requested name is already used (names are unique, case-insensitively).
#[derive(Debug)]
pub struct NameTaken;

/// Filters and paging for the agent list.
#[derive(Debug, Clone, Default)]
pub struct AgentFilter {
    /// Name contains, case-insensitive.
    pub name: Option<String>,
    pub space_id: Option<i64>,
    /// Status of the last run.
    pub status: Option<i32>,
    /// `name`, `lastActivity`, `created`, `updated`, `status` or `configType`.
    pub sort_column: Option<String>,
    /// True for descending (`sortOrder=1`).
    pub descending: bool,
    /// 1-based page and its size; `None` for everything (bounded).
    pub page: Option<(i64, i64)>,
    /// Archived agents too (`includeArchived=true`).
    pub include_archived: bool,
}

/// One saved definition, as `GET /agent/{id}/versions` lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    pub user_name: Option<String>,
    pub version: i64,
    pub created: Option<Timestamp>,
    pub comments: Option<String>,
    pub file_size: i64,
}

fn agent_from_row(row: &Row<'_>) -> rusqlite::Result<Agent> {
    let created = parse_time(row.get("created")?);
    Ok(Agent {
        id: Some(row.get("id")?),
        name: row.get("name")?,
        description: row.get("description")?,
        config_type: Some(1),
        space_id: row.get("space_id")?,
        status: row.get::<_, Option<i32>>("last_status")?.map(RunStatus),
        last_activity: parse_time(row.get("last_activity")?),
        version: Some(row.get("version")?),
        start_url: row.get("start_url")?,
        input_parameters: None,
        is_active: Some(true),
        is_archived: Some(row.get("archived")?),
        created,
        updated: parse_time(row.get("updated")?),
    })
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// Saves a new agent with its definition as version 1.
    pub fn create_agent(
        &self,
        name: &str,
        description: Option<&str>,
        space_id: Option<i64>,
        definition: &AgentDefinition,
        comments: Option<&str>,
    ) -> StoreResult<Result<i64, NameTaken>> {
        let text = serde_json::to_string(definition)?;
        let now = now_text();
        let mut db = self.db();
        let tx = db.transaction()?;
        let taken: bool = tx.row(
            "SELECT EXISTS(SELECT 1 FROM agents WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if taken {
            return Ok(Err(NameTaken));
        }
        tx.exec(
            "INSERT INTO agents (name, description, space_id, version, start_url, created, updated) VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5)",
            params![name, description, space_id, definition.start_urls.first(), now],
        )?;
        let id = tx.last_insert_rowid();
        tx.exec(
            "INSERT INTO agent_versions (agent_id, version, definition, comments, user_name, created) VALUES (?1, 1, ?2, ?3, ?4, ?5)",
            params![id, text, comments, LOCAL_USER, now],
        )?;
        tx.commit()?;
        Ok(Ok(id))
    }

    /// Saves a new agent under `name`, or `name (2)`, `name (3)` ... when taken. Returns the id
    /// and the name used.
    pub fn create_agent_unique(
        &self,
        name: &str,
        space_id: Option<i64>,
        definition: &AgentDefinition,
        comments: &str,
    ) -> StoreResult<(i64, String)> {
        let base = name.trim();
        for n in 1.. {
            let candidate = if n == 1 {
                base.to_string()
            } else {
                format!("{base} ({n})")
            };
            if let Ok(id) =
                self.create_agent(&candidate, None, space_id, definition, Some(comments))?
            {
                return Ok((id, candidate));
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }

    /// Saves `definition` as the agent's next version; `None` when the agent does not exist.
    pub fn add_version(
        &self,
        agent_id: i64,
        definition: &AgentDefinition,
        comments: Option<&str>,
    ) -> StoreResult<Option<i64>> {
        let text = serde_json::to_string(definition)?;
        let now = now_text();
        let mut db = self.db();
        let tx = db.transaction()?;
        let Some(version): Option<i64> = tx
            .row(
                "SELECT version FROM agents WHERE id = ?1",
                [agent_id],
                |r| r.get(0),
            )
            .optional()?
        else {
            return Ok(None);
        };
        let next = version + 1;
        tx.exec(
            "INSERT INTO agent_versions (agent_id, version, definition, comments, user_name, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![agent_id, next, text, comments, LOCAL_USER, now],
        )?;
        tx.exec(
            "UPDATE agents SET version = ?2, start_url = ?3, updated = ?4 WHERE id = ?1",
            params![agent_id, next, definition.start_urls.first(), now],
        )?;
        tx.commit()?;
        Ok(Some(next))
    }

    pub fn agent(&self, agent_id: i64) -> StoreResult<Option<Agent>> {
        let db = self.db();
        Ok(db
            .row(
                &format!("{AGENT_SELECT} WHERE a.id = ?1"),
                [agent_id],
                agent_from_row,
            )
            .optional()?)
    }

    /// The agent's current definition and its version number.
    pub fn current_definition(&self, agent_id: i64) -> StoreResult<Option<(i64, AgentDefinition)>> {
        let db = self.db();
        let row: Option<(i64, String)> = db
            .row(
                "SELECT v.version, v.definition FROM agent_versions v JOIN agents a ON a.id = v.agent_id AND a.version = v.version WHERE a.id = ?1",
                [agent_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        drop(db);
        match row {
            Some((version, text)) => Ok(Some((version, serde_json::from_str(&text)?))),
            None => Ok(None),
        }
    }

    /// Versions of an agent, newest first; `None` when the agent does not exist.
    pub fn versions(&self, agent_id: i64) -> StoreResult<Option<Vec<VersionInfo>>> {
        let db = self.db();
        let exists: bool = db.row(
            "SELECT EXISTS(SELECT 1 FROM agents WHERE id = ?1)",
            [agent_id],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(None);
        }
        let mut stmt = db.prepare_cached(
            "SELECT user_name, version, created, comments, length(definition) FROM agent_versions WHERE agent_id = ?1 ORDER BY version DESC",
        )?;
        let rows = stmt.query_map([agent_id], |r| {
            Ok(VersionInfo {
                user_name: r.get(0)?,
                version: r.get(1)?,
                created: parse_time(r.get(2)?),
                comments: r.get(3)?,
                file_size: r.get(4)?,
            })
        })?;
        Ok(Some(rows.collect::<Result<_, _>>()?))
    }

    /// Agents matching `filter`, and how many match in all.
    pub fn list_agents(&self, filter: &AgentFilter) -> StoreResult<(Vec<Agent>, i64)> {
        let mut clauses = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        if let Some(name) = filter
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            clauses.push("name LIKE ? ESCAPE '\\'");
            args.push(like_pattern(name).into());
        }
        if let Some(space) = filter.space_id {
            clauses.push("space_id = ?");
            args.push(space.into());
        }
        if let Some(status) = filter.status {
            clauses.push("last_status = ?");
            args.push(i64::from(status).into());
        }
        if !filter.include_archived {
            clauses.push("NOT archived");
        }
        let filtered = format!(
            "SELECT * FROM ({AGENT_SELECT}){}",
            if clauses.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", clauses.join(" AND "))
            }
        );
        let column = match filter.sort_column.as_deref().unwrap_or("name") {
            c if c.eq_ignore_ascii_case("lastActivity") => "last_activity",
            c if c.eq_ignore_ascii_case("created") => "created",
            c if c.eq_ignore_ascii_case("updated") => "updated",
            c if c.eq_ignore_ascii_case("status") => "last_status",
            c if c.eq_ignore_ascii_case("configType") => "id",
            _ => "name COLLATE NOCASE",
        };
        let order = if filter.descending { "DESC" } else { "ASC" };
        let (limit, offset) = match filter.page {
            Some((page, per_page)) => (per_page, (page - 1).max(0) * per_page),
            None => (MAX_UNPAGED, 0),
        };
        let db = self.db();
        let total: i64 = db.row(
            &format!("SELECT COUNT(*) FROM ({filtered})"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let mut stmt = db.prepare_cached(&format!(
            "{filtered} ORDER BY {column} {order}, id {order} LIMIT {limit} OFFSET {offset}"
        ))?;
        let agents = stmt
            .query_map(params_from_iter(args.iter()), agent_from_row)?
            .collect::<Result<_, _>>()?;
        Ok((agents, total))
    }

    /// Archives or unarchives an agent; false when it does not exist.
    pub fn set_archived(&self, agent_id: i64, archived: bool) -> StoreResult<bool> {
        Ok(self.db().exec(
            "UPDATE agents SET archived = ?2 WHERE id = ?1",
            params![agent_id, archived],
        )? == 1)
    }

    /// Saves a copy of `version` as the agent's next version with `comments`. `None` when the
    /// agent or the version does not exist; else the new version.
    pub fn restore_version(
        &self,
        agent_id: i64,
        version: i64,
        comments: Option<&str>,
    ) -> StoreResult<Option<i64>> {
        let text: Option<String> = self
            .db()
            .row(
                "SELECT definition FROM agent_versions WHERE agent_id = ?1 AND version = ?2",
                [agent_id, version],
                |r| r.get(0),
            )
            .optional()?;
        let Some(text) = text else { return Ok(None) };
        let definition: AgentDefinition = serde_json::from_str(&text)?;
        self.add_version(agent_id, &definition, comments)
    }

    /// Agents whose name or description contains `query` (case-insensitive), by name.
    pub fn search_agents(&self, query: &str, max_records: i64) -> StoreResult<Vec<Agent>> {
        let db = self.db();
        let mut stmt = db.prepare_cached(&format!(
            "SELECT * FROM ({AGENT_SELECT}) WHERE name LIKE ?1 ESCAPE '\\' OR description LIKE ?1 ESCAPE '\\' ORDER BY name COLLATE NOCASE LIMIT ?2"
        ))?;
        let agents = stmt
            .query_map(
                params![like_pattern(query.trim()), max_records],
                agent_from_row,
            )?
            .collect::<Result<_, _>>()?;
        Ok(agents)
    }
}
