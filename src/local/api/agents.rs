//! Agent endpoints: list, search, get, plus the local extensions that create agents and save
//! new definition versions.
//!
//! Local extensions (not part of Sequentum cloud):
//! * `POST /api/v1/agent` with `{"name", "description"?, "spaceId"?, "definition"}` creates an
//!   agent whose version 1 is `definition` (see `local::definition`). 400 with the validation
//!   message when the definition is invalid; 409 when the name is taken (case-insensitive).
//! * `PUT /api/v1/agent/{id}` with `{"definition", "comments"?}` saves the next version. A
//!   definition without all of `start_urls`, `record_selector` and `fields` is a change merged
//!   onto the current one (see `local::trial::merge`).
//! * `POST /api/v1/agent/test-definition` with `{"agentId"?, "definition"?, "url"?}` tries a
//!   definition (or a change to an agent's) on one page without saving anything: records,
//!   per-field hit rates, and what matched nothing. 422 when the page cannot be loaded.
//! * `GET /api/v1/agent/{id}/definition` answers `{"version", "definition"}` (current version).
//! * `GET /api/v1/agent/{id}/versions` lists `{userName, version, created, comments, fileSize}`,
//!   newest first, as the cloud does.

use std::collections::HashMap;

use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Answer, AppState, Failure, existing_agent, json_body, parse_id};
use crate::{
    api::types::{Agent, AgentPage, DefinitionTestRequest, DefinitionTestResult},
    local::{definition::AgentDefinition, store::AgentFilter, trial},
};

/// Longest agent name accepted.
const MAX_NAME_CHARS: usize = 200;

/// Query parameters by lower-cased name, since ASP.NET matches them case-insensitively.
pub(super) struct Params(HashMap<String, String>);

impl Params {
    pub(super) fn new(Query(pairs): Query<Vec<(String, String)>>) -> Params {
        Params(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        )
    }

    pub(super) fn text(&self, name: &str) -> Option<&str> {
        self.0
            .get(&name.to_ascii_lowercase())
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }

    /// A boolean parameter (absent = false); anything but true/false is a 400.
    pub(super) fn flag(&self, name: &str) -> Answer<bool> {
        match self.text(name) {
            None => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(Failure::bad_request(format!(
                "Query parameter {name} must be true or false, got {v:?}"
            ))),
        }
    }

    /// An integer parameter; a value that is not one is a 400 naming the parameter.
    pub(super) fn int(&self, name: &str) -> Answer<Option<i64>> {
        self.text(name)
            .map(|v| {
                v.parse::<i64>().map_err(|_| {
                    Failure::bad_request(format!(
                        "Query parameter {name} must be an integer, got {v:?}"
                    ))
                })
            })
            .transpose()
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    query: Query<Vec<(String, String)>>,
) -> Answer<Response> {
    let q = Params::new(query);
    let page_index = q.int("pageIndex")?;
    let per_page = q.int("recordsPerPage")?;
    let page = match (page_index, per_page) {
        (Some(page), Some(per)) if page >= 1 && (1..=1000).contains(&per) => Some((page, per)),
        (Some(_), Some(_)) => {
            return Err(Failure::bad_request(
                "pageIndex must be at least 1 and recordsPerPage between 1 and 1000",
            ));
        }
        _ => None,
    };
    let filter = AgentFilter {
        name: q.text("name").map(str::to_string),
        space_id: q.int("spaceId")?,
        status: q.int("status")?.map(|s| s as i32),
        sort_column: q.text("sortColumn").map(str::to_string),
        descending: q.int("sortOrder")? == Some(1),
        page,
        include_archived: q.flag("includeArchived")?,
    };
    let (agents, total) = state.store.list_agents(&filter)?;
    Ok(if page.is_some() {
        Json(AgentPage {
            agents,
            total_record_count: Some(total),
        })
        .into_response()
    } else {
        Json(agents).into_response()
    })
}

pub(super) async fn search(
    State(state): State<AppState>,
    query: Query<Vec<(String, String)>>,
) -> Answer<Json<Vec<Agent>>> {
    let q = Params::new(query);
    let text = q
        .text("query")
        .ok_or_else(|| Failure::bad_request("Query parameter query is required"))?;
    let max = q.int("maxRecords")?.unwrap_or(50).clamp(1, 1000);
    Ok(Json(state.store.search_agents(text, max)?))
}

pub(super) async fn get(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
) -> Answer<Json<Agent>> {
    Ok(Json(existing_agent(&state, &agent_id)?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateAgent {
    #[serde(default)]
    name: String,
    description: Option<String>,
    space_id: Option<i64>,
    definition: Option<Value>,
}

/// Reads and validates a definition, with a message that says what to change.
fn parse_definition(value: Option<Value>) -> Answer<AgentDefinition> {
    let value = value.ok_or_else(|| Failure::bad_request("definition is required"))?;
    AgentDefinition::from_json(value).map_err(Failure::bad_request)
}

pub(super) async fn create(State(state): State<AppState>, body: Bytes) -> Answer<Json<Agent>> {
    let req: CreateAgent = json_body(&body)?;
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(Failure::bad_request(format!(
            "name is required and must be at most {MAX_NAME_CHARS} characters"
        )));
    }
    let def = parse_definition(req.definition)?;
    let created = state.store.create_agent(
        name,
        req.description.as_deref(),
        req.space_id,
        &def,
        Some("Created through the local API"),
    )?;
    let agent_id = created.map_err(|_| {
        Failure::conflict(
            "agent-name-taken",
            "Agent name already exists",
            format!("An agent named {name:?} already exists; choose another name or update that agent with PUT /api/v1/agent/{{id}}."),
        )
    })?;
    Ok(Json(existing_agent(&state, &agent_id.to_string())?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateAgent {
    definition: Option<Value>,
    comments: Option<String>,
}

pub(super) async fn update(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
    body: Bytes,
) -> Answer<Json<Agent>> {
    let agent = existing_agent(&state, &agent_id)?;
    let req: UpdateAgent = json_body(&body)?;
    let id = agent.id.unwrap_or_default();
    let change = req
        .definition
        .ok_or_else(|| Failure::bad_request("definition is required"))?;
    let current = state.store.current_definition(id)?.map(|(_, d)| d);
    let def = trial::merge(current.as_ref(), &change).map_err(Failure::bad_request)?;
    state
        .store
        .add_version(id, &def, req.comments.as_deref())?
        .ok_or_else(|| Failure::agent_not_found(id))?;
    Ok(Json(existing_agent(&state, &agent_id)?))
}

/// Tries a definition on one page without saving it.
pub(super) async fn test_definition(
    State(state): State<AppState>,
    body: Bytes,
) -> Answer<Json<DefinitionTestResult>> {
    let req: DefinitionTestRequest = json_body(&body)?;
    let current = match req.agent_id {
        Some(id) => Some(
            state
                .store
                .current_definition(id)?
                .ok_or_else(|| Failure::agent_not_found(id))?,
        ),
        None => None,
    };
    let def = match (&current, &req.definition) {
        (_, Some(change)) => {
            trial::merge(current.as_ref().map(|(_, d)| d), change).map_err(Failure::bad_request)?
        }
        (Some((_, def)), None) => def.clone(),
        (None, None) => {
            return Err(Failure::bad_request(
                "give agentId (to test the agent's definition), definition, or both",
            ));
        }
    };
    let url = match req.url.as_deref().map(str::trim) {
        Some(text) => Some(
            url::Url::parse(text)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    Failure::bad_request(format!("url {text:?} is not an absolute http(s) URL"))
                })?,
        ),
        None => None,
    };
    let page = trial::fetch_test_page(&def, url.as_ref(), &state.fetcher)
        .await
        .map_err(|e| {
            Failure::problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "definition-test-failed",
                "The page could not be loaded",
                e,
            )
        })?;
    let tested = def.clone();
    let mut result =
        tokio::task::spawn_blocking(move || trial::evaluate(&tested, &page.html, &page.url))
            .await
            .map_err(|e| Failure::Message(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    result.based_on_version = current.map(|(v, _)| v);
    result.definition = serde_json::to_value(&def).unwrap_or_default();
    Ok(Json(result))
}

pub(super) async fn definition(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
) -> Answer<Json<Value>> {
    let id = parse_id(&agent_id, "agent")?;
    let (version, def) = state
        .store
        .current_definition(id)?
        .ok_or_else(|| Failure::agent_not_found(id))?;
    Ok(Json(json!({"version": version, "definition": def})))
}

pub(super) async fn versions(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
) -> Answer<Response> {
    let id = parse_id(&agent_id, "agent")?;
    let versions = state
        .store
        .versions(id)?
        .ok_or_else(|| Failure::agent_not_found(id))?;
    Ok(Json(versions).into_response())
}
