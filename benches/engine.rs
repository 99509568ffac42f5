//! The embedded engine's throughput, on loopback.
//!
//! * A run over a generated 500-page site (20 records a page, `rel=next` links): pages and
//!   records per second from the start request to the terminal status (fetching, extraction,
//!   storing, exporting CSV and JSON). Median of 3 runs.
//! * The local Agent Builder on a typical listing page (the demo shop's products): reading the
//!   request, loading the page, finding records and fields, confirming the next-page link on
//!   page 2, testing. Median of 20.
//!
//! Run with `cargo bench --bench engine`.

mod common;

use std::{
    collections::HashMap,
    fmt::Write as _,
    time::{Duration, Instant},
};

use axum::{Router, extract::Query, response::Html, routing::get};
use common::{Row, median, print_table, show};
use sequentum_mcp::{
    api::{
        Client, ClientOptions, Credential,
        types::{AgentRun, StartRunRequest},
    },
    local::{
        Engine, EngineOptions,
        builder::build_agent,
        demo,
        fetch::{FetchPolicy, Fetcher},
    },
};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use url::Url;

const SITE_PAGES: u32 = 500;
const RECORDS_PER_PAGE: u32 = 20;
const RUNS: usize = 3;
const BUILDS: usize = 20;
/// How often the run's status is read while it runs: fine enough for second-long runs.
const POLL: Duration = Duration::from_millis(2);
/// A run that takes longer than this is stuck, not slow.
const RUN_LIMIT: Duration = Duration::from_secs(120);
const PAGES_PER_SECOND_TARGET: f64 = 300.0;

/// One listing page of the generated site: a header, 20 product cards, a pager and a footer,
/// shaped like a small shop (about 6 KB).
fn listing_page(page: u32) -> String {
    let mut html = format!(
        "<!doctype html><html><head><meta charset=utf-8><title>Catalogue page {page}</title>\
         <link rel=stylesheet href=/style.css></head><body><header><nav><a href=/>Home</a> \
         <a href=/list>Catalogue</a> <a href=/about>About</a></nav></header><main><h1>Catalogue</h1>\
         <ul class=products>"
    );
    for i in 0..RECORDS_PER_PAGE {
        let id = (page - 1) * RECORDS_PER_PAGE + i + 1;
        let _ = write!(
            html,
            "<li class=product><a class=title href=/item/{id}>Product {id}</a>\
             <span class=price>${}.{:02}</span><span class=sku>SKU-{id:06}</span>\
             <p class=blurb>A sturdy item for everyday use, number {id}.</p></li>",
            id % 200,
            id % 100
        );
    }
    html.push_str("</ul><nav class=pager>");
    if page > 1 {
        let _ = write!(
            html,
            "<a rel=prev href=/list?page={}>Previous</a>",
            page - 1
        );
    }
    if page < SITE_PAGES {
        let _ = write!(html, " <a rel=next href=/list?page={}>Next</a>", page + 1);
    }
    html.push_str("</nav></main><footer>Generated catalogue for benchmarks</footer></body></html>");
    html
}

fn site() -> Router {
    Router::new().route(
        "/list",
        get(|Query(q): Query<HashMap<String, String>>| async move {
            let page = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
            Html(listing_page(page.clamp(1, SITE_PAGES)))
        }),
    )
}

/// Serves `router` on 127.0.0.1 (an OS-chosen port) for the rest of the program.
async fn serve(router: Router) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("site serves") });
    Url::parse(&format!("http://{addr}/")).expect("a URL")
}

/// Creates the agent through the engine's local extension and returns its id.
async fn create_agent(engine: &Engine, site: &Url) -> i64 {
    let definition = json!({
        "start_urls": [site.join("list").expect("URL").as_str()],
        "record_selector": "li.product",
        "fields": [
            {"name": "name", "selector": "a.title"},
            {"name": "link", "selector": "a.title", "attribute": "href"},
            {"name": "price", "selector": ".price"},
            {"name": "sku", "selector": ".sku"}
        ],
        "next_page": {"selector": "a[rel=next]", "max_pages": SITE_PAGES}
    });
    let created: Value = reqwest::Client::new()
        .post(engine.base_url().join("api/v1/agent").expect("URL"))
        .header("Authorization", format!("ApiKey {}", engine.api_key()))
        .json(&json!({"name": "Catalogue", "definition": definition}))
        .send()
        .await
        .expect("the engine answers")
        .error_for_status()
        .expect("the agent is created")
        .json()
        .await
        .expect("an agent body");
    created["id"].as_i64().expect("the agent has an id")
}

/// Starts a run and waits for its end; returns the elapsed time and the finished run.
async fn timed_run(api: &Client, agent: i64) -> (Duration, AgentRun) {
    let started = Instant::now();
    let run = api
        .start_run(agent, &StartRunRequest::default())
        .await
        .expect("the run starts");
    loop {
        let now = api.run_status(agent, run.id).await.expect("status");
        if now.status().is_terminal() {
            return (started.elapsed(), now);
        }
        assert!(started.elapsed() < RUN_LIMIT, "the run is stuck: {now:?}");
        tokio::time::sleep(POLL).await;
    }
}

async fn engine_rows(rows: &mut Vec<Row>) {
    let site = serve(site()).await;
    let data = tempfile::tempdir().expect("temporary directory");
    let engine = Engine::start(EngineOptions::new(data.path().to_path_buf()))
        .await
        .expect("the engine starts");
    let api = Client::new(ClientOptions::new(
        engine.base_url(),
        Credential::ApiKey(engine.api_key().to_string()),
    ))
    .expect("API client");
    let agent = create_agent(&engine, &site).await;

    let mut times = Vec::new();
    for _ in 0..RUNS {
        let (elapsed, run) = timed_run(&api, agent).await;
        assert_eq!(run.page_count, Some(i64::from(SITE_PAGES)), "{run:?}");
        assert_eq!(
            run.data_count,
            Some(i64::from(SITE_PAGES * RECORDS_PER_PAGE)),
            "{run:?}"
        );
        times.push(elapsed);
    }
    let time = median(&times);
    let pages_per_second = f64::from(SITE_PAGES) / time.as_secs_f64();
    let records_per_second = f64::from(SITE_PAGES * RECORDS_PER_PAGE) / time.as_secs_f64();
    rows.push(Row::goal(
        &format!(
            "engine run: {SITE_PAGES} pages × {RECORDS_PER_PAGE} records (median of {RUNS}, {} per run)",
            show(time)
        ),
        format!("{pages_per_second:.0} pages/s"),
        "≥ 300 pages/s",
        pages_per_second >= PAGES_PER_SECOND_TARGET,
    ));
    rows.push(Row::info(
        "engine run: records per second",
        format!("{records_per_second:.0} records/s"),
    ));
    engine.shutdown().await;
}

async fn builder_rows(rows: &mut Vec<Row>) {
    let shop = serve(Router::new().nest("/demo", demo::router())).await;
    let products = shop.join("demo/shop/products").expect("URL");
    let prompt = format!("Get the name, price and SKU of every product from {products}");
    let fetcher = Fetcher::new(FetchPolicy::default());
    let mut times = Vec::new();
    for i in 0..=BUILDS {
        let (notes, _narration) = tokio::sync::mpsc::unbounded_channel();
        let started = Instant::now();
        let built = build_agent(&prompt, &fetcher, notes, CancellationToken::new())
            .await
            .expect("the demo shop builds");
        // The first build also fetches robots.txt: a warm-up.
        if i > 0 {
            times.push(started.elapsed());
        }
        assert_eq!(built.definition.fields.len(), 3, "{:?}", built.definition);
        assert!(built.definition.next_page.is_some(), "pagination found");
    }
    rows.push(Row::info(
        &format!(
            "Agent Builder on the demo products page, 2 page loads included (median of {BUILDS})"
        ),
        show(median(&times)),
    ));
}

#[tokio::main]
async fn main() {
    let mut rows = Vec::new();
    engine_rows(&mut rows).await;
    builder_rows(&mut rows).await;
    print_table("embedded engine (loopback)", &rows);
}
