//! Shared by the engine tests: a small product site on 127.0.0.1 whose slow pages wait for the
//! test to release them, an engine on a temporary data directory with a client for it, and
//! polling helpers with deadlines.

use std::{
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
    routing::get,
};
use rmcp::model::{CallToolRequestParams, CallToolResult};
use sequentum_mcp::{
    api::{
        Client, ClientOptions, Credential,
        platform::Sequentum,
        types::{AgentRun, BuilderStartRequest, RunStatus, StartRunRequest},
    },
    local::{
        Engine, EngineOptions,
        fetch::{FetchPolicy, Pause, RetryPolicy},
    },
    mcp::{Server, Settings, in_process, toolsets::Selection},
    records::{cache::FileCache, cursor::CursorKey},
};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use url::Url;

/// Pages of the fixture catalogue; two products on each.
pub const PAGES: u32 = 3;
pub const PER_PAGE: u32 = 2;

/// The fixture site and the handles the test holds on it.
pub struct Site {
    pub base: Url,
    /// Each `/slow` page takes one permit before it answers; the test adds them.
    pub gate: Arc<Semaphore>,
    /// `/flaky` answers 503 until this is set.
    pub healthy: Arc<AtomicBool>,
}

#[derive(Clone)]
struct SiteState {
    gate: Arc<Semaphore>,
    healthy: Arc<AtomicBool>,
}

#[derive(serde::Deserialize)]
struct PageQuery {
    page: Option<u32>,
}

fn catalogue_page(prefix: &str, page: u32) -> Html<String> {
    let mut html = String::from("<html><head><title>Fixture shop</title></head><body><main>");
    for i in 1..=PER_PAGE {
        html.push_str(&format!(
            r#"<article class="product"><h2>Item {page}-{i}</h2><span class="price">${page}.{i}0</span><a href="/item/{page}-{i}">details</a></article>"#
        ));
    }
    if page < PAGES {
        html.push_str(&format!(
            r#"<a rel="next" href="{prefix}?page={}">Next</a>"#,
            page + 1
        ));
    }
    html.push_str("</main></body></html>");
    Html(html)
}

async fn products(Query(q): Query<PageQuery>) -> Html<String> {
    catalogue_page("/products", q.page.unwrap_or(1))
}

async fn slow(State(state): State<SiteState>, Query(q): Query<PageQuery>) -> Html<String> {
    state.gate.acquire().await.expect("gate open").forget();
    catalogue_page("/slow", q.page.unwrap_or(1))
}

async fn flaky(State(state): State<SiteState>) -> Response {
    if state.healthy.load(Ordering::SeqCst) {
        catalogue_page("/flaky", PAGES).into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "down for maintenance").into_response()
    }
}

/// Starts the fixture site on a free loopback port.
pub async fn site() -> Site {
    let state = SiteState {
        gate: Arc::new(Semaphore::new(0)),
        healthy: Arc::new(AtomicBool::new(false)),
    };
    let app = Router::new()
        .route("/products", get(products))
        .route("/slow", get(slow))
        .route("/flaky", get(flaky))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Site {
        base,
        gate: state.gate,
        healthy: state.healthy,
    }
}

/// Engine options for tests: loopback, the given data directory, fast fetch timeouts, and
/// retries whose waits pass at once (injected time).
pub fn options(dir: &Path, workers: usize) -> EngineOptions {
    let mut opts = EngineOptions::new(dir.to_path_buf());
    opts.workers = workers;
    opts.fetch = FetchPolicy {
        timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            pause: Pause::new(|_| Box::pin(async {})),
            ..RetryPolicy::default()
        },
        ..FetchPolicy::default()
    };
    opts
}

pub fn client_for(engine: &Engine, key: &str) -> Client {
    Client::new(ClientOptions::new(
        engine.base_url(),
        Credential::ApiKey(key.to_string()),
    ))
    .unwrap()
}

/// A definition reading the fixture's products from `start`.
pub fn definition(start: &Url, max_pages: u32, min_records: Option<u64>) -> Value {
    let mut def = json!({
        "start_urls": [start.as_str()],
        "record_selector": "article.product",
        "fields": [
            {"name": "name", "selector": "h2"},
            {"name": "price", "selector": ".price"},
            {"name": "link", "selector": "a", "attribute": "href"}
        ],
        "next_page": {"selector": "a[rel=next]", "max_pages": max_pages}
    });
    if let Some(min) = min_records {
        def["success_criteria"] = json!({"min_records": min});
    }
    def
}

/// Raw requests to the engine with its key, for the local endpoints the client lacks.
pub fn raw(engine: &Engine) -> (reqwest::Client, String) {
    (
        reqwest::Client::new(),
        format!("ApiKey {}", engine.api_key()),
    )
}

/// Creates an agent through `POST /api/v1/agent` and returns its id.
pub async fn create_agent(engine: &Engine, name: &str, definition: Value) -> i64 {
    let (http, auth) = raw(engine);
    let resp = http
        .post(engine.base_url().join("api/v1/agent").unwrap())
        .header("Authorization", auth)
        .json(&json!({"name": name, "definition": definition}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        200,
        "create agent: {}",
        resp.text().await.unwrap()
    );
    let agent: Value = resp.json().await.unwrap();
    agent["id"].as_i64().unwrap()
}

/// Polls the run until `done` holds, failing the test after `limit`.
pub async fn wait_run(
    client: &Client,
    agent_id: i64,
    run_id: i64,
    limit: Duration,
    what: &str,
    done: impl Fn(&AgentRun) -> bool,
) -> AgentRun {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let run = client.run_status(agent_id, run_id).await.unwrap();
        if done(&run) {
            return run;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}; last status {:?}",
            run
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Creates an agent and starts a run of it.
pub async fn create_and_start(
    engine: &Engine,
    client: &Client,
    name: &str,
    definition: Value,
) -> (i64, AgentRun) {
    let agent = create_agent(engine, name, definition).await;
    let run = client
        .start_run(agent, &StartRunRequest::default())
        .await
        .unwrap();
    (agent, run)
}

/// Creates an agent on the site's slow pages and starts it; returns once page 1 is saved
/// and page 2 is held open by the site (the test releases it with `site.gate`).
pub async fn slow_run_past_page_one(
    engine: &Engine,
    client: &Client,
    site: &Site,
    name: &str,
    max_pages: u32,
) -> (i64, AgentRun) {
    let slow = site.base.join("slow").unwrap();
    let (agent, run) =
        create_and_start(engine, client, name, definition(&slow, max_pages, None)).await;
    site.gate.add_permits(1);
    wait_run(
        client,
        agent,
        run.id,
        Duration::from_secs(20),
        "page 1",
        |r| r.data_count == Some(PER_PAGE as i64),
    )
    .await;
    (agent, run)
}

/// Starts a build on the site's slow page: it stays in progress until the test releases the
/// page with `site.gate`. Returns the session id.
pub async fn slow_build(client: &Client, site: &Site) -> String {
    let prompt = format!(
        "Extract product names and prices from {}",
        site.base.join("slow").unwrap()
    );
    client
        .builder_start(&BuilderStartRequest {
            prompt,
            ..Default::default()
        })
        .await
        .unwrap()
}

/// Waits for the run to reach a terminal status.
pub async fn finished(client: &Client, agent_id: i64, run_id: i64) -> AgentRun {
    wait_run(
        client,
        agent_id,
        run_id,
        Duration::from_secs(30),
        "the run to end",
        |r| r.status().is_terminal(),
    )
    .await
}

pub fn is(run: &AgentRun, status: RunStatus) -> bool {
    run.status() == status
}

/// An authorised `GET` of an engine path (e.g. `api/v1/agent/3/versions`), as JSON: for the
/// endpoints our own client never calls.
pub async fn get_json(engine: &Engine, path: &str) -> Value {
    let (http, auth) = raw(engine);
    http.get(engine.base_url().join(path).unwrap())
        .header("Authorization", auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A connected MCP client of an in-process server on this engine.
pub type Mcp = rmcp::service::RunningService<rmcp::RoleClient, ()>;

/// Server settings for tests: fast polling, the record cache in `dir`, no saving.
pub fn settings(dir: &Path) -> Settings {
    Settings {
        poll_interval: Some(Duration::from_millis(20)),
        output_dir: None,
        cache: FileCache::new(dir.join("cache"), 1 << 20),
        cursor_key: CursorKey::derive(&[b"engine-test"]),
        caller_is_local: true,
    }
}

/// The MCP server in-process on this engine, offering `selection`; its record cache lives in
/// `dir`.
pub async fn mcp_on(engine: &Engine, dir: &Path, selection: &Selection) -> Mcp {
    let client = client_for(engine, engine.api_key());
    let demo = engine.demo_url();
    let platform = Arc::new(Sequentum::local(client, demo.as_str()));
    let server = Server::new(platform, settings(dir), selection).unwrap();
    in_process::connect(server, ()).await.unwrap()
}

/// Calls a tool; the whole result, errors included.
pub async fn call_tool(mcp: &Mcp, tool: &str, args: Value) -> CallToolResult {
    let Value::Object(args) = args else {
        unreachable!("arguments are an object")
    };
    mcp.call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(args))
        .await
        .unwrap()
}
