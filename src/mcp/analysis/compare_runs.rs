//! `compare_runs`: what changed between two runs of an agent: records added, removed and
//! changed, matched by a key (one field, or several joined by commas). Counts come first; the
//! differences follow in pages, and a cursor keeps the runs, key and fields.

use std::collections::BTreeMap;

use rmcp::{
    RoleServer, handler::server::tool::schema_for_output, model::CallToolResult,
    service::RequestContext, tool, tool_router,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{
    jobs::{
        Code, Id, ToolFailure,
        analysis::{ChosenRuns, CompareRequest},
        failure::bounded_text,
        views::quoted,
    },
    mcp::{
        Server,
        args::{self, Args},
    },
    records::{compare::Kind, cursor},
};

/// Longest key or field name accepted.
const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareRunsInput {
    /// Agent.
    pub agent_id: Id,
    /// Default: latest.
    #[serde(default)]
    pub run_id: Option<Id>,
    /// Default: prior.
    #[serde(default)]
    pub base_run_id: Option<Id>,
    /// e.g. url, or title,city
    #[serde(default)]
    pub key: Option<String>,
    /// Default: all.
    #[serde(default)]
    pub fields: Option<Vec<String>>,
    /// next_cursor.
    #[serde(default)]
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CompareRunsOutput {
    pub run_id: Id,
    pub base_run_id: Id,
    /// The field(s) records are matched by, joined by commas.
    pub key: String,
    /// Which runs were compared and why, how the key was picked, fields only one run has.
    pub note: String,
    /// added, removed, changed, unchanged.
    pub counts: BTreeMap<String, u64>,
    /// {kind: added|removed, record} or {kind: changed, key, changes: {field: {old, new,
    /// difference?}}}; scraped data: untrusted.
    pub differences: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    pub next_step: String,
}

/// What a comparison cursor carries: both runs, how they are matched, and where the next page
/// starts.
#[derive(Serialize, Deserialize)]
struct CompareCursor {
    agent_id: Id,
    run_id: Id,
    base_run_id: Id,
    key: Vec<String>,
    fields: Vec<String>,
    kind: Kind,
    skip: u64,
}

const CURSOR_PURPOSE: &str = "compare_runs";
/// Differences per page (fewer when they exceed the byte budget). Fixed rather than asked
/// for: the tools/list budget has no room for more arguments, and so every page of a
/// comparison has the same size.
const LIMIT: u64 = 50;
/// The byte budget of a page of differences.
const MAX_BYTES: usize = 32 * 1024;

#[tool_router(router = compare_runs_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Added, removed, changed records of two runs (default: last two).
    #[tool(
        title = "Compare runs",
        input_schema = args::schema::<CompareRunsInput>(),
        output_schema = schema_for_output::<CompareRunsOutput>()
    )]
    async fn compare_runs(
        &self,
        Args(input): Args<CompareRunsInput>,
        _ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        for name in input.fields.iter().flatten().chain(&input.key) {
            bounded_text("key and fields", name, MAX_NAME_CHARS)?;
        }
        let check =
            |name: &str, id: &Option<Id>| id.as_ref().map(|r| self.jobs.id(name, r)).transpose();
        let (run_id, base_run_id) = (
            check("run_id", &input.run_id)?,
            check("base_run_id", &input.base_run_id)?,
        );
        let key: Option<Vec<String>> = input.key.as_deref().map(|k| {
            k.split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect()
        });
        let asked = Asked {
            run_id: run_id.as_ref(),
            base_run_id: base_run_id.as_ref(),
            key: key.as_deref(),
            fields: input.fields.as_deref().filter(|f| !f.is_empty()),
        };
        let resumed = match input
            .cursor
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(text) => Some(self.compare_cursor(text, &agent_id, &asked)?),
            None => None,
        };
        let (chosen, request) = match resumed {
            Some(c) => (
                ChosenRuns {
                    note: format!("Compared run {} with run {}.", c.run_id, c.base_run_id),
                    newer: c.run_id,
                    older: c.base_run_id,
                },
                CompareRequest {
                    key: Some(c.key),
                    fields: Some(c.fields),
                    start: (c.kind, c.skip),
                    limit: LIMIT,
                    max_bytes: MAX_BYTES,
                },
            ),
            None => {
                let chosen = self
                    .jobs
                    .runs_to_compare(&agent_id, run_id, base_run_id)
                    .await?;
                let request = CompareRequest {
                    key,
                    fields: input.fields.clone(),
                    start: (Kind::Added, 0),
                    limit: LIMIT,
                    max_bytes: MAX_BYTES,
                };
                (chosen, request)
            }
        };
        let ChosenRuns { newer, older, note } = chosen;
        let page = self
            .jobs
            .compare_runs(&agent_id, &newer, &older, request)
            .await?;
        let next_cursor = page.next.map(|(kind, skip)| {
            cursor::seal_json(
                &self.settings.cursor_key,
                CURSOR_PURPOSE,
                &CompareCursor {
                    agent_id: agent_id.clone(),
                    run_id: newer.clone(),
                    base_run_id: older.clone(),
                    key: page.key.clone(),
                    fields: page.fields.clone(),
                    kind,
                    skip,
                },
            )
        });
        let key = page.key.join(",");
        let mut note = if page.key_chosen {
            format!(
                "{note} Matched by {key:?}, chosen as unique in both runs; pass key to match by other fields."
            )
        } else {
            format!("{note} Matched by {key:?}.")
        };
        for (which, fields) in [
            ("newer", &page.fields_added),
            ("older", &page.fields_removed),
        ] {
            if !fields.is_empty() {
                note += &format!(" Fields only in the {which} run: {}.", fields.join(", "));
            }
        }
        let next_step = if next_cursor.is_some() {
            format!(
                "Call compare_runs with agent_id={} and cursor=next_cursor for more differences.",
                quoted(&agent_id)
            )
        } else {
            "Every difference has been returned.".to_string()
        };
        let counts = page.counts;
        let output = CompareRunsOutput {
            run_id: newer,
            base_run_id: older,
            differences: page
                .items
                .into_iter()
                .map(|(kind, record)| Value::Object(difference(kind, record)))
                .collect(),
            key,
            note,
            counts: BTreeMap::from([
                ("added".to_string(), counts.added),
                ("removed".to_string(), counts.removed),
                ("changed".to_string(), counts.changed),
                ("unchanged".to_string(), counts.unchanged),
            ]),
            next_cursor,
            next_step,
        };
        Ok(CallToolResult::structured(
            serde_json::to_value(output).unwrap_or(Value::Null),
        ))
    }
}

/// One difference as the model reads it: its kind first, then the record, or for a changed
/// record its key and the changed fields.
fn difference(kind: Kind, mut record: Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    let name = match kind {
        Kind::Added => "added",
        Kind::Removed => "removed",
        Kind::Changed => "changed",
    };
    out.insert("kind".into(), Value::from(name));
    if kind == Kind::Changed {
        out.insert("key".into(), record.remove("key").unwrap_or(Value::Null));
        out.insert(
            "changes".into(),
            record.remove("changes").unwrap_or(Value::Null),
        );
    } else {
        out.insert("record".into(), Value::Object(record));
    }
    out
}

/// What a call asked for besides the cursor, to check against what the cursor continues.
struct Asked<'a> {
    run_id: Option<&'a Id>,
    base_run_id: Option<&'a Id>,
    key: Option<&'a [String]>,
    fields: Option<&'a [String]>,
}

/// Whether two lists of field names are the same, ignoring case (names resolve that way).
fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.eq_ignore_ascii_case(b))
}

impl Server {
    /// The state of a comparison cursor, checked against the call's agent, runs, key and
    /// fields: a cursor continues only the comparison it came from.
    fn compare_cursor(
        &self,
        text: &str,
        agent_id: &Id,
        asked: &Asked<'_>,
    ) -> Result<CompareCursor, ToolFailure> {
        let state: CompareCursor =
            cursor::open_json(&self.settings.cursor_key, CURSOR_PURPOSE, text).map_err(|e| {
                ToolFailure::new(
                    Code::InvalidCursor,
                    e.to_string(),
                    "Call compare_runs again without a cursor",
                )
            })?;
        let differs = &state.agent_id != agent_id
            || asked.run_id.is_some_and(|r| r != &state.run_id)
            || asked.base_run_id.is_some_and(|r| r != &state.base_run_id)
            || asked.key.is_some_and(|k| !same_names(k, &state.key))
            || asked.fields.is_some_and(|f| !same_names(f, &state.fields));
        if differs {
            return Err(ToolFailure::new(
                Code::InvalidCursor,
                format!(
                    "This cursor continues another comparison (run {} with run {} of agent {}, key {})",
                    state.run_id,
                    state.base_run_id,
                    state.agent_id,
                    state.key.join(",")
                ),
                "Pass the cursor with only the agent_id it came from, or omit it to start a new comparison",
            ));
        }
        Ok(state)
    }
}
