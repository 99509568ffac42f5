//! The fake's routes of the agents, spaces and usage toolsets: versions and restore, archive,
//! spaces with run-all, and billing, with the live API's wire shapes (sequentum-api.md §2.1,
//! §2.3, §2.4). Their state is `Extras`, one field of the fake's world.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::Arc,
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Value, json};

use super::{
    FakeApi,
    fake_api::{Shared, World},
    scripts::RunScript,
};

type AppState = State<Arc<Shared>>;

/// Dates echoed as the live API echoes them: no offset, seven fractional digits.
const VERSION_CREATED: &str = "2026-01-10T09:00:00.0000000";

/// What the toolsets' routes keep.
#[derive(Default)]
pub struct Extras {
    /// Agent id -> its versions' comments, version 1 first (an agent without an entry has
    /// version 1 only).
    versions: HashMap<i64, Vec<String>>,
    archived: BTreeSet<i64>,
    /// Space id -> (name, agent ids).
    spaces: BTreeMap<i64, (String, Vec<i64>)>,
    credits: f64,
    spent: f64,
    /// Agent id -> cost in the period, usage types, and (run id, cost) per run.
    costs: BTreeMap<i64, AgentCosts>,
}

#[derive(Clone, Default)]
struct AgentCosts {
    total: f64,
    types: Vec<(String, f64)>,
    runs: Vec<(i64, f64)>,
}

impl Extras {
    /// The agent's current version.
    pub fn version(&self, agent: i64) -> i64 {
        self.versions.get(&agent).map_or(1, |v| v.len() as i64)
    }

    pub fn is_archived(&self, agent: i64) -> bool {
        self.archived.contains(&agent)
    }
}

impl FakeApi {
    /// Saves a new version of the agent with `comment`; returns its number.
    pub fn add_version(&self, agent: i64, comment: &str) -> i64 {
        let mut world = self.shared.world();
        let versions = world
            .extras
            .versions
            .entry(agent)
            .or_insert_with(|| vec!["Created".to_string()]);
        versions.push(comment.to_string());
        versions.len() as i64
    }

    /// The agent's versions' comments, version 1 first.
    pub fn version_comments(&self, agent: i64) -> Vec<String> {
        let world = self.shared.world();
        world
            .extras
            .versions
            .get(&agent)
            .cloned()
            .unwrap_or_else(|| vec!["Created".to_string()])
    }

    pub fn is_archived(&self, agent: i64) -> bool {
        self.shared.world().extras.is_archived(agent)
    }

    /// Adds a space holding `agents`; returns its id.
    pub fn add_space(&self, name: &str, agents: &[i64]) -> i64 {
        let mut world = self.shared.world();
        let id = 100 + world.extras.spaces.len() as i64;
        world
            .extras
            .spaces
            .insert(id, (name.to_string(), agents.to_vec()));
        id
    }

    /// The account's credits left and spending in any period.
    pub fn set_balance(&self, credits: f64, spent: f64) {
        let mut world = self.shared.world();
        world.extras.credits = credits;
        world.extras.spent = spent;
    }

    /// What the agent cost in any period: per usage type, and per run.
    pub fn set_agent_cost(&self, agent: i64, types: &[(&str, f64)], runs: &[(i64, f64)]) {
        let costs = AgentCosts {
            total: types.iter().map(|t| t.1).sum(),
            types: types.iter().map(|(t, c)| (t.to_string(), *c)).collect(),
            runs: runs.to_vec(),
        };
        self.shared.world().extras.costs.insert(agent, costs);
    }
}

pub(super) fn router() -> Router<Arc<Shared>> {
    let agent = "/api/v1/agent/{agent}";
    Router::new()
        .route(&format!("{agent}/versions"), get(versions))
        .route(
            &format!("{agent}/version/{{version}}/restore"),
            post(restore),
        )
        .route(&format!("{agent}/archive"), post(archive))
        .route(&format!("{agent}/unarchive"), post(unarchive))
        .route("/api/v1/spaces", get(spaces))
        .route("/api/v1/spaces/{space}/agents", get(space_agents))
        .route("/api/v1/spaces/{space}/run-all", post(run_all))
        .route("/api/v1/billing/credits", get(credits))
        .route("/api/v1/billing/spending", get(spending))
        .route("/api/v1/billing/agents", get(agents_cost))
        .route("/api/v1/billing/agents/{agent}", get(cost_breakdown))
        .route("/api/v1/billing/agents/{agent}/runs", get(runs_cost))
}

fn not_found(message: String) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "message": message }))).into_response()
}

fn bad_request(message: &str) -> Response {
    let body = json!({"statusCode": 400, "statusDescription": "Bad Request", "message": message});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

/// Runs `answer` on an existing agent, else 404.
fn with_agent(
    shared: &Shared,
    agent: i64,
    answer: impl FnOnce(&mut World) -> Response,
) -> Response {
    let mut world = shared.world();
    if !world.agents.contains_key(&agent) {
        return not_found("Agent not found".to_string());
    }
    answer(&mut world)
}

async fn versions(State(shared): AppState, Path(agent): Path<i64>) -> Response {
    with_agent(&shared, agent, |world| {
        let comments = world
            .extras
            .versions
            .get(&agent)
            .cloned()
            .unwrap_or_else(|| vec!["Created".to_string()]);
        let list: Vec<Value> = comments
            .iter()
            .enumerate()
            .rev()
            .map(|(i, c)| {
                json!({"userName": "fake@example.test", "version": i + 1, "created": VERSION_CREATED, "comments": c, "fileSize": 2048})
            })
            .collect();
        Json(Value::from(list)).into_response()
    })
}

/// `{"content": "<comment>"}` copies the version into a new one; 2xx with no body.
async fn restore(
    State(shared): AppState,
    Path((agent, version)): Path<(i64, i64)>,
    body: Bytes,
) -> Response {
    let comment = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|b| b["content"].as_str().map(str::to_string));
    with_agent(&shared, agent, |world| {
        let Some(comment) = comment else {
            return bad_request("content is required");
        };
        let versions = world
            .extras
            .versions
            .entry(agent)
            .or_insert_with(|| vec!["Created".to_string()]);
        if version < 1 || version > versions.len() as i64 {
            return not_found("Version not found".to_string());
        }
        versions.push(comment);
        StatusCode::OK.into_response()
    })
}

async fn archive(State(shared): AppState, Path(agent): Path<i64>) -> Response {
    with_agent(&shared, agent, |world| {
        world.extras.archived.insert(agent);
        StatusCode::OK.into_response()
    })
}

async fn unarchive(State(shared): AppState, Path(agent): Path<i64>) -> Response {
    with_agent(&shared, agent, |world| {
        world.extras.archived.remove(&agent);
        StatusCode::OK.into_response()
    })
}

async fn spaces(State(shared): AppState) -> Response {
    let world = shared.world();
    let list: Vec<Value> = world
        .extras
        .spaces
        .iter()
        .map(|(id, (name, _))| {
            json!({"id": id, "name": name, "organizationId": 7, "created": VERSION_CREATED, "isDefaultAccess": false})
        })
        .collect();
    Json(Value::from(list)).into_response()
}

/// The space's agents, archived ones left out.
fn members(world: &World, space: i64) -> Option<Vec<i64>> {
    let (_, agents) = world.extras.spaces.get(&space)?;
    Some(
        agents
            .iter()
            .copied()
            .filter(|a| !world.extras.is_archived(*a))
            .collect(),
    )
}

async fn space_agents(State(shared): AppState, Path(space): Path<i64>) -> Response {
    let world = shared.world();
    let Some(agents) = members(&world, space) else {
        return not_found("Space not found".to_string());
    };
    let list: Vec<Value> = agents
        .iter()
        .map(|id| {
            let a = world.agent_json(&world.agents[id]);
            json!({"id": id, "name": a["name"], "description": a["description"], "configType": 1, "status": a["status"], "validationStatus": 3, "lastActivity": a["lastActivity"]})
        })
        .collect();
    Json(Value::from(list)).into_response()
}

/// Starts each agent of the space that has no active run, as the cloud does.
async fn run_all(State(shared): AppState, Path(space): Path<i64>) -> Response {
    let mut world = shared.world();
    let Some(agents) = members(&world, space) else {
        return not_found("Space not found".to_string());
    };
    let name = world.extras.spaces[&space].0.clone();
    let mut results = Vec::new();
    for agent in agents {
        let agent_name = world.agents[&agent].name.clone();
        let busy = world
            .runs
            .values()
            .any(|r| r.agent_id == agent && !r.current().code().is_terminal());
        if busy {
            results.push(json!({"agentId": agent, "agentName": agent_name, "success": false, "runId": null, "errorMessage": "Agent is already running"}));
            continue;
        }
        let script = world
            .agents
            .get_mut(&agent)
            .and_then(|a| a.next_runs.pop_front())
            .unwrap_or_else(|| RunScript::completes(super::records::rows(3)));
        let run = world.create_run(agent, script);
        results.push(json!({"agentId": agent, "agentName": agent_name, "success": true, "runId": run, "errorMessage": null}));
    }
    let started = results.iter().filter(|r| r["success"] == true).count();
    Json(json!({
        "spaceId": space,
        "spaceName": name,
        "totalAgents": results.len(),
        "agentsStarted": started,
        "agentsFailed": results.len() - started,
        "results": results,
    }))
    .into_response()
}

type Params = Query<HashMap<String, String>>;

/// Billing's per-agent calls refuse a request without both dates.
fn dates(params: &HashMap<String, String>) -> Option<(String, String)> {
    Some((
        params.get("startDate")?.clone(),
        params.get("endDate")?.clone(),
    ))
}

const MISSING_DATES: &str = "startDate and endDate are required";

async fn credits(State(shared): AppState) -> Response {
    let credits = shared.world().extras.credits;
    Json(json!({"availableCredits": credits, "organizationId": 7, "retrievedAt": VERSION_CREATED}))
        .into_response()
}

async fn spending(State(shared): AppState, Query(params): Params) -> Response {
    let world = shared.world();
    Json(json!({
        "totalSpent": world.extras.spent,
        "startDate": params.get("startDate"),
        "endDate": params.get("endDate"),
        "organizationId": 7,
        "currentBalance": world.extras.credits,
    }))
    .into_response()
}

async fn agents_cost(State(shared): AppState, Query(params): Params) -> Response {
    let Some((start, end)) = dates(&params) else {
        return bad_request(MISSING_DATES);
    };
    let per_page = params
        .get("recordsPerPage")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50usize);
    let world = shared.world();
    let mut rows: Vec<(i64, f64)> = world
        .extras
        .costs
        .iter()
        .map(|(a, c)| (*a, c.total))
        .collect();
    if params.get("sortColumn").map(String::as_str) == Some("cost") {
        rows.sort_by(|a, b| a.1.total_cmp(&b.1));
        if params.get("sortOrder").map(String::as_str) == Some("1") {
            rows.reverse();
        }
    }
    let agents: Vec<Value> = rows
        .iter()
        .take(per_page)
        .map(|(a, cost)| json!({"agentId": a, "agentName": world.agents.get(a).map(|e| e.name.clone()), "cost": cost, "spaceId": null}))
        .collect();
    Json(json!({
        "agents": agents,
        "totalRecordCount": rows.len(),
        "totalCost": rows.iter().map(|r| r.1).sum::<f64>(),
        "startDate": start,
        "endDate": end,
    }))
    .into_response()
}

async fn cost_breakdown(
    State(shared): AppState,
    Path(agent): Path<i64>,
    Query(params): Params,
) -> Response {
    let Some((start, end)) = dates(&params) else {
        return bad_request(MISSING_DATES);
    };
    with_agent(&shared, agent, |world| {
        let costs = world.extras.costs.get(&agent).cloned().unwrap_or_default();
        let types: Vec<Value> = costs
            .types
            .iter()
            .map(|(t, c)| json!({"type": t, "data": [c], "totalCost": c}))
            .collect();
        Json(json!({
            "agentId": agent,
            "agentName": world.agents[&agent].name,
            "labels": ["2026-01"],
            "usageTypes": types,
            "totalCost": costs.total,
            "startDate": start,
            "endDate": end,
        }))
        .into_response()
    })
}

async fn runs_cost(
    State(shared): AppState,
    Path(agent): Path<i64>,
    Query(params): Params,
) -> Response {
    if dates(&params).is_none() {
        return bad_request(MISSING_DATES);
    }
    let per_page = params
        .get("recordsPerPage")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50usize);
    with_agent(&shared, agent, |world| {
        let costs = world.extras.costs.get(&agent).cloned().unwrap_or_default();
        let runs: Vec<Value> = costs
            .runs
            .iter()
            .take(per_page)
            .map(|(run, cost)| json!({"runId": run, "date": VERSION_CREATED, "startTime": VERSION_CREATED, "endTime": null, "cost": cost, "billingType": "Server Time"}))
            .collect();
        Json(json!({
            "runs": runs,
            "totalRecordCount": costs.runs.len(),
            "totalCost": costs.runs.iter().take(per_page).map(|r| r.1).sum::<f64>(),
            "agentId": agent,
            "agentName": world.agents[&agent].name,
        }))
        .into_response()
    })
}
