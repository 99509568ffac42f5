//! The embedded engine's throughput, on loopback.
//!
//! The sites are generated catalogues (500 listing pages of 20 records, `rel=next` links)
//! served by a child process (this program again), so the CPU this process uses is the
//! engine's (plus the bench's status polls) and the site's CPU is counted apart. One engine
//! serves every scenario, with 4 workers and a per-site limit of 8:
//!
//! * one sequential run: a 500-page chain, each page known only from the one before;
//! * one run with 500 known pages (500 start URLs), read 8 at a time;
//! * 4 concurrent runs on 4 sites, each a 500-page chain;
//! * 3 runs on sites whose robots.txt asks for `Crawl-delay: 0.2` (10 known pages each) beside
//!   a 500-page run on a fourth site: the smallest gap between two requests to a delayed site,
//!   as the site saw them, and the other run's speed.
//!
//! Pages/s count from the first run's start to the last run's end, as the engine recorded them;
//! CPU per page is this process's CPU time over the pages (the bench's few status reads
//! included). Medians of 3 after a warm-up run. Also the local Agent
//! Builder on a typical listing page (median of 20), on a 200 KB page of 330 product
//! cards with generated class names, split prices and ratings in labels, and on a 200 KB page
//! of 300 records that are each three unmarked table rows (target 50 ms each).
//!
//! Run with `cargo bench --bench engine`; `cargo bench --bench engine -- extraction` runs only
//! the sections named (runs, extraction, builder).

mod common;

use std::{
    collections::HashMap,
    fmt::Write as _,
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    extract::{Query, State},
    response::Html,
    routing::get,
};
use chrono::{DateTime, Utc};
use common::{Row, median, own_peak_kib, print_table, show, show_kib, status_kib};
use sequentum_mcp::{
    api::{
        Client, ClientOptions, Credential,
        types::{AgentRun, StartRunRequest, Timestamp},
    },
    local::{
        Engine, EngineOptions,
        builder::build_agent,
        demo,
        extract::Extractor,
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
const EXTRACTIONS: usize = 2000;
const SITE_CONCURRENCY: usize = 8;
/// Plain sites, one per concurrent run.
const PLAIN_SITES: usize = 4;
/// Sites whose robots.txt asks for [`CRAWL_DELAY`].
const DELAYED_SITES: usize = 3;
const CRAWL_DELAY: Duration = Duration::from_millis(200);
/// Pages of each run on a delayed site (about two seconds at one page per 200 ms).
const DELAYED_PAGES: u32 = 10;
/// How often the bench reads a run's status while it runs. Run times come from the run's own
/// start and end times, not from these reads, so they can be rare: each costs the engine's
/// process (which this bench's CPU figures measure) a request and a query.
const POLL: Duration = Duration::from_millis(25);
/// A run that takes longer than this is stuck, not slow.
const RUN_LIMIT: Duration = Duration::from_secs(120);
/// Set in the child process that serves the sites: one robots.txt kind per site, comma-separated.
const SITES_ENV: &str = "ENGINE_BENCH_SITES";

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

/// When requests reached one site (`/gaps` itself not included).
type Arrivals = Arc<Mutex<Vec<Instant>>>;

/// One generated site with its robots.txt; `/gaps` answers the number of requests since the
/// last `/gaps` and the smallest time between two of them, and starts counting again.
fn site(robots: &'static str, arrivals: Arrivals) -> Router {
    let log = arrivals.clone();
    Router::new()
        .route(
            "/list",
            get(|Query(q): Query<HashMap<String, String>>| async move {
                let page = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
                Html(listing_page(page.clamp(1, SITE_PAGES)))
            }),
        )
        .route("/robots.txt", get(move || async move { robots }))
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                log.lock().expect("arrivals").push(Instant::now());
                next.run(req)
            },
        ))
        .route(
            "/gaps",
            get(|State(arrivals): State<Arrivals>| async move {
                let times = std::mem::take(&mut *arrivals.lock().expect("arrivals"));
                let smallest = times.windows(2).map(|w| w[1] - w[0]).min();
                Json(json!({
                    "requests": times.len(),
                    "smallest_gap_us": smallest.map(|d| d.as_micros() as u64),
                }))
            }),
        )
        .with_state(arrivals)
}

/// The child process: serves one site per kind named in [`SITES_ENV`] on 127.0.0.1, prints
/// their ports on one line, and exits when its standard input closes (the bench ended).
fn serve_sites(kinds: &str) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let mut ports = Vec::new();
        for kind in kinds.split(',') {
            let robots = match kind {
                "delayed" => "User-agent: *\nCrawl-delay: 0.2\nAllow: /\n",
                _ => "User-agent: *\nAllow: /\n",
            };
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind 127.0.0.1:0");
            ports.push(listener.local_addr().expect("address").port().to_string());
            let app = site(robots, Arrivals::default());
            tokio::spawn(async move { axum::serve(listener, app).await.expect("site serves") });
        }
        println!("{}", ports.join(" "));
        tokio::task::spawn_blocking(|| std::io::copy(&mut std::io::stdin(), &mut std::io::sink()))
            .await
            .ok();
    });
}

/// The sites' process and their base URLs.
struct Sites {
    child: Child,
    plain: Vec<Url>,
    delayed: Vec<Url>,
}

impl Sites {
    fn start() -> Sites {
        let kinds: Vec<&str> = std::iter::repeat_n("plain", PLAIN_SITES)
            .chain(std::iter::repeat_n("delayed", DELAYED_SITES))
            .collect();
        let mut child = Command::new(std::env::current_exe().expect("this program"))
            .env(SITES_ENV, kinds.join(","))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the site process starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the site process names its ports");
        let mut urls: Vec<Url> = line
            .split_whitespace()
            .map(|port| Url::parse(&format!("http://127.0.0.1:{port}/")).expect("a URL"))
            .collect();
        let delayed = urls.split_off(PLAIN_SITES);
        Sites {
            child,
            plain: urls,
            delayed,
        }
    }

    /// CPU seconds the site process has used so far.
    fn cpu(&self) -> f64 {
        cpu_seconds(&self.child.id().to_string())
    }
}

impl Drop for Sites {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// User plus system CPU time of a process (all its threads), in seconds.
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name: state is the 3rd field, utime the 14th, stime the 15th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Linux reports these in clock ticks of 1/100 s (USER_HZ).
    (ticks(11) + ticks(12)) / 100.0
}

/// A catalogue agent: the 500-page chain from `/list`, or the first `known` pages as start
/// URLs without pagination.
fn catalogue(site: &Url, known: Option<u32>) -> Value {
    let list = site.join("list").expect("URL");
    let (start_urls, next_page) = match known {
        None => (
            vec![list.to_string()],
            json!({"selector": "a[rel=next]", "max_pages": SITE_PAGES}),
        ),
        Some(pages) => (
            (1..=pages).map(|p| format!("{list}?page={p}")).collect(),
            Value::Null,
        ),
    };
    let mut definition = json!({
        "start_urls": start_urls,
        "record_selector": "li.product",
        "fields": [
            {"name": "name", "selector": "a.title"},
            {"name": "link", "selector": "a.title", "attribute": "href"},
            {"name": "price", "selector": ".price"},
            {"name": "sku", "selector": ".sku"}
        ],
    });
    if !next_page.is_null() {
        definition["next_page"] = next_page;
    }
    definition
}

/// Agents created so far, to give each a name of its own.
static AGENTS: AtomicU32 = AtomicU32::new(1);

/// Creates an agent through the engine's local extension and returns its id.
async fn create_agent(engine: &Engine, definition: Value) -> i64 {
    let created: Value = reqwest::Client::new()
        .post(engine.base_url().join("api/v1/agent").expect("URL"))
        .header("Authorization", format!("ApiKey {}", engine.api_key()))
        .json(&json!({"name": format!("Catalogue {}", AGENTS.fetch_add(1, Ordering::Relaxed)), "definition": definition}))
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

/// Starts a run and waits for its end; returns the finished run.
async fn finished_run(api: &Client, agent: i64) -> AgentRun {
    let waiting = Instant::now();
    let run = api
        .start_run(agent, &StartRunRequest::default())
        .await
        .expect("the run starts");
    loop {
        let now = api.run_status(agent, run.id).await.expect("status");
        if now.status().is_terminal() {
            return now;
        }
        assert!(waiting.elapsed() < RUN_LIMIT, "the run is stuck: {now:?}");
        tokio::time::sleep(POLL).await;
    }
}

/// When a run started and ended, as the engine recorded them.
fn run_span(run: &AgentRun) -> (DateTime<Utc>, DateTime<Utc>) {
    let time = |t: &Option<Timestamp>| t.as_ref().expect("a finished run has its times").0;
    (time(&run.start_time), time(&run.end_time))
}

/// Runs the agents at once; returns the time from the first start to the last end, and each
/// run's own time, as the engine recorded them.
async fn runs_at_once(api: &Client, agents: &[(i64, u32)]) -> (Duration, Vec<Duration>) {
    let runs = futures::future::join_all(agents.iter().map(|&(agent, pages)| async move {
        let run = finished_run(api, agent).await;
        assert_eq!(run.page_count, Some(i64::from(pages)), "{run:?}");
        assert_eq!(
            run.data_count,
            Some(i64::from(pages * RECORDS_PER_PAGE)),
            "{run:?}"
        );
        run_span(&run)
    }))
    .await;
    let elapsed = |from: DateTime<Utc>, to: DateTime<Utc>| (to - from).to_std().unwrap_or_default();
    let first = runs.iter().map(|r| r.0).min().expect("at least one run");
    let last = runs.iter().map(|r| r.1).max().expect("at least one run");
    (
        elapsed(first, last),
        runs.iter().map(|&(from, to)| elapsed(from, to)).collect(),
    )
}

/// One scenario's figures: the median wall time of the timed rounds, and the engine's and the
/// site's CPU per page over all of them.
struct Measured {
    time: Duration,
    pages_per_second: f64,
    engine_cpu_per_page: Duration,
    site_cpu_per_page: Duration,
}

/// A warm-up round, then [`RUNS`] timed rounds of `agents` run at once.
async fn measure(api: &Client, sites: &Sites, agents: &[(i64, u32)]) -> Measured {
    runs_at_once(api, agents).await;
    let pages: u32 = agents.iter().map(|(_, pages)| pages).sum();
    let (engine_cpu, site_cpu) = (cpu_seconds("self"), sites.cpu());
    let mut times = Vec::new();
    for _ in 0..RUNS {
        times.push(runs_at_once(api, agents).await.0);
    }
    let all_pages = f64::from(pages) * RUNS as f64;
    let time = median(&times);
    Measured {
        time,
        pages_per_second: f64::from(pages) / time.as_secs_f64(),
        engine_cpu_per_page: Duration::from_secs_f64(
            (cpu_seconds("self") - engine_cpu) / all_pages,
        ),
        site_cpu_per_page: Duration::from_secs_f64((sites.cpu() - site_cpu) / all_pages),
    }
}

async fn engine_rows(rows: &mut Vec<Row>) {
    let sites = Sites::start();
    let data = tempfile::tempdir().expect("temporary directory");
    let mut options = EngineOptions::new(data.path().to_path_buf());
    options.workers = PLAIN_SITES + DELAYED_SITES;
    options.fetch = FetchPolicy {
        site_concurrency: SITE_CONCURRENCY,
        ..FetchPolicy::default()
    };
    let engine = Engine::start(options).await.expect("the engine starts");
    let api = Client::new(ClientOptions::new(
        engine.base_url(),
        Credential::ApiKey(engine.api_key().to_string()),
    ))
    .expect("API client");
    let mut chains = Vec::new();
    for site in &sites.plain {
        chains.push((
            create_agent(&engine, catalogue(site, None)).await,
            SITE_PAGES,
        ));
    }
    let known = create_agent(&engine, catalogue(&sites.plain[1], Some(SITE_PAGES))).await;

    let cpu = |m: &Measured| {
        format!(
            "engine {} / site {}",
            show(m.engine_cpu_per_page),
            show(m.site_cpu_per_page)
        )
    };
    let one = measure(&api, &sites, &chains[..1]).await;
    rows.push(Row::info(
        &format!(
            "one sequential run: {SITE_PAGES} pages × {RECORDS_PER_PAGE} records, each page known from the one before ({} a run)",
            show(one.time)
        ),
        format!(
            "{:.0} pages/s, {:.0} records/s",
            one.pages_per_second,
            one.pages_per_second * f64::from(RECORDS_PER_PAGE)
        ),
    ));
    rows.push(Row::goal(
        "CPU per page, one sequential run",
        cpu(&one),
        "engine ≤ 0.5 ms",
        one.engine_cpu_per_page <= Duration::from_micros(500),
    ));

    let ahead = measure(&api, &sites, &[(known, SITE_PAGES)]).await;
    let ratio = ahead.pages_per_second / one.pages_per_second;
    rows.push(Row::goal(
        &format!(
            "one run with {SITE_PAGES} known pages (start URLs), per-site limit {SITE_CONCURRENCY} ({} a run)",
            show(ahead.time)
        ),
        format!(
            "{:.0} pages/s = {ratio:.2}× sequential",
            ahead.pages_per_second
        ),
        "≥ 2× sequential",
        ratio >= 2.0,
    ));
    rows.push(Row::goal(
        "CPU per page, known pages",
        cpu(&ahead),
        "engine ≤ 0.5 ms",
        ahead.engine_cpu_per_page <= Duration::from_micros(500),
    ));

    let four = measure(&api, &sites, &chains).await;
    let ratio = four.pages_per_second / one.pages_per_second;
    rows.push(Row::goal(
        &format!(
            "{PLAIN_SITES} concurrent runs on {PLAIN_SITES} sites, {SITE_PAGES} pages each ({} for all)",
            show(four.time)
        ),
        format!(
            "{:.0} pages/s together = {ratio:.2}× one run",
            four.pages_per_second
        ),
        "≥ 2× one run and ≥ 1,800 pages/s",
        ratio >= 2.0 && four.pages_per_second >= 1800.0,
    ));
    rows.push(Row::goal(
        "CPU per page, 4 concurrent runs",
        cpu(&four),
        "engine ≤ 0.5 ms",
        four.engine_cpu_per_page <= Duration::from_micros(500),
    ));

    delay_rows(
        rows,
        &engine,
        &api,
        &sites,
        &chains[0],
        one.pages_per_second,
    )
    .await;
    rows.push(Row::goal(
        "peak RSS of the engine's process (the bench's client included)",
        show_kib(own_peak_kib()),
        "≤ 40 MiB",
        own_peak_kib() <= 40 * 1024,
    ));
    if let Some(site_peak) = status_kib(&sites.child.id().to_string(), "VmHWM") {
        rows.push(Row::info(
            "peak RSS of the site process",
            show_kib(site_peak),
        ));
    }
    engine.shutdown().await;
}

/// Runs on the delayed sites beside a full-speed run on a plain site.
async fn delay_rows(
    rows: &mut Vec<Row>,
    engine: &Engine,
    api: &Client,
    sites: &Sites,
    chain: &(i64, u32),
    sequential: f64,
) {
    let mut agents = vec![*chain];
    for site in &sites.delayed {
        let agent = create_agent(engine, catalogue(site, Some(DELAYED_PAGES))).await;
        agents.push((agent, DELAYED_PAGES));
    }
    let (_, times) = runs_at_once(api, &agents).await;
    let full_speed = f64::from(SITE_PAGES) / times[0].as_secs_f64();
    let slowest = times[1..].iter().max().copied().unwrap_or_default();
    let mut smallest: Option<Duration> = None;
    let mut requests = 0;
    for site in &sites.delayed {
        let gaps: Value = reqwest::get(site.join("gaps").expect("URL"))
            .await
            .expect("the site answers")
            .json()
            .await
            .expect("gaps");
        requests += gaps["requests"].as_u64().unwrap_or(0);
        let gap = Duration::from_micros(gaps["smallest_gap_us"].as_u64().expect("a gap"));
        smallest = Some(smallest.map_or(gap, |s| s.min(gap)));
    }
    let smallest = smallest.unwrap_or_default();
    rows.push(Row::goal(
        &format!(
            "{DELAYED_SITES} runs on sites asking Crawl-delay 0.2 s ({DELAYED_PAGES} known pages each, {requests} requests with robots.txt, {} for all): smallest gap between two requests to one site",
            show(slowest)
        ),
        show(smallest),
        "≥ 200 ms",
        smallest >= CRAWL_DELAY,
    ));
    rows.push(Row::goal(
        "… meanwhile a 500-page run on another site",
        format!(
            "{full_speed:.0} pages/s = {:.2}× one run alone",
            full_speed / sequential
        ),
        "full speed",
        full_speed >= 0.8 * sequential,
    ));
}

async fn builder_rows(rows: &mut Vec<Row>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let shop = Url::parse(&format!(
        "http://{}/",
        listener.local_addr().expect("address")
    ))
    .expect("a URL");
    let big = big_listing();
    let big_size = big.len();
    let row_page = row_listing();
    let rows_size = row_page.len();
    let router = Router::new()
        .nest("/demo", demo::router())
        .route("/big", get(move || async move { Html(big) }))
        .route("/rows", get(move || async move { Html(row_page) }));
    tokio::spawn(async move { axum::serve(listener, router).await.expect("shop serves") });
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

    let prompt = format!(
        "I'd like the product name, price and rating of every product on {}",
        shop.join("big").expect("URL")
    );
    let mut times = Vec::new();
    for i in 0..=BUILDS {
        let (notes, _narration) = tokio::sync::mpsc::unbounded_channel();
        let started = Instant::now();
        let built = build_agent(&prompt, &fetcher, notes, CancellationToken::new())
            .await
            .expect("the big page builds");
        if i > 0 {
            times.push(started.elapsed());
        }
        assert_eq!(built.definition.fields.len(), 3, "{:?}", built.definition);
    }
    let took = median(&times);
    rows.push(Row::goal(
        &format!(
            "Agent Builder on a {} KB page of {BIG_CARDS} cards, its page load included (median of {BUILDS})",
            big_size / 1000
        ),
        show(took),
        "<= 50 ms",
        took <= Duration::from_millis(50),
    ));

    let prompt = format!(
        "Get the title, points and comments of every story on {}",
        shop.join("rows").expect("URL")
    );
    let mut times = Vec::new();
    for i in 0..=BUILDS {
        let (notes, _narration) = tokio::sync::mpsc::unbounded_channel();
        let started = Instant::now();
        let built = build_agent(&prompt, &fetcher, notes, CancellationToken::new())
            .await
            .expect("the page of row records builds");
        if i > 0 {
            times.push(started.elapsed());
        }
        assert_eq!(built.sample_records.len(), 5, "{:?}", built.definition);
        let first = &built.sample_records[0];
        assert_eq!(
            first["title"], "Story number 0 on the row page",
            "{first:?}"
        );
    }
    let took = median(&times);
    rows.push(Row::goal(
        &format!(
            "Agent Builder on a {} KB page of {ROW_RECORDS} records of three unmarked table rows each, its page load included (median of {BUILDS})",
            rows_size / 1000
        ),
        show(took),
        "<= 50 ms",
        took <= Duration::from_millis(50),
    ));
}

/// Records on the builder's page of row records.
const ROW_RECORDS: usize = 300;

/// A 200 KB page whose records are each three sibling table rows that no class tells apart
/// (a title row, a details row, a spacer), as link aggregators write them: the builder must
/// find the records by the rows' repeating structure.
fn row_listing() -> String {
    let mut html = String::from(
        "<!doctype html><html><head><title>Stories</title></head><body>\
         <table><tr><td><a href=\"/\">Front</a> | <a href=\"/new\">New</a> | <a href=\"/ask\">Ask</a></td></tr></table>\
         <table>",
    );
    for i in 0..ROW_RECORDS {
        let _ = write!(
            html,
            "<tr><td align=\"right\" valign=\"top\"><span>{}.</span></td><td valign=\"top\"><a href=\"/vote?id={i}\"><div title=\"upvote\"></div></a></td>\
             <td><span><a href=\"https://example{}.test/articles/{i}/a-long-path-to-the-story\">Story number {i} on the row page</a> \
             <span>(<a href=\"/from?site=example{}.test\"><span>example{}.test</span></a>)</span></span></td></tr>\
             <tr><td colspan=\"2\"></td><td><span><span>{} points</span> by <a href=\"/user?id=writer{}\">writer{}</a> \
             <span title=\"2024-05-{:02}T10:00:00\"><a href=\"/item?id={i}\">{} hours ago</a></span> | <a href=\"/hide?id={i}\">hide</a> | \
             <a href=\"/item?id={i}\">{} comments</a></span></td></tr>\
             <tr style=\"height:5px\"></tr>",
            i + 1,
            i % 40,
            i % 40,
            i % 40,
            100 + i * 3,
            i % 57,
            i % 57,
            1 + i % 28,
            1 + i % 23,
            i * 2 % 500
        );
    }
    html.push_str("</table><table><tr><td><a href=\"/faq\">FAQ</a> | <a href=\"/legal\">Legal</a></td></tr></table></body></html>");
    html
}

/// Cards on the builder's 200 KB page.
const BIG_CARDS: usize = 330;

/// A 200 KB listing as shops write them: generated class names, a test id on the title, the
/// price split over spans, the rating only in an `aria-label`, navigation and a footer.
fn big_listing() -> String {
    let mut html = String::from(
        "<!doctype html><html><head><title>Catalogue | Big Shop</title></head><body>\
         <header><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/deals\">Deals</a></li><li><a href=\"/help\">Help</a></li></ul></nav></header>\
         <main class=\"css-1wfr2s\"><h1>All products</h1><div class=\"css-1dbjc4n r-grid\">",
    );
    for i in 0..BIG_CARDS {
        let _ = write!(
            html,
            "<div class=\"css-1dbjc4n r-{i}q8x\" data-testid=\"product-card\"><a class=\"css-4rbku5\" href=\"/p/{i}\">\
             <img class=\"css-9pa8cd\" src=\"/img/{i}.jpg\" alt=\"Product {i}\"></a><div class=\"css-901oao\">\
             <a class=\"css-4rbku5 css-18t94o4\" href=\"/p/{i}\"><span class=\"css-16my406\" data-testid=\"product-title\">Product number {i}</span></a></div>\
             <div class=\"css-1qaijid\" aria-label=\"{}.{} out of 5 stars\"><span class=\"css-1hf3ou5\">({})</span></div>\
             <div class=\"css-k008qs\" data-testid=\"price\"><span>$</span><span>{}<span>.</span></span><span>{:02}</span></div>\
             <button class=\"css-add\" type=\"button\">Add to cart</button></div>",
            1 + i % 4,
            i % 10,
            100 + i * 7,
            5 + i % 90,
            (i * 37) % 100
        );
    }
    html.push_str(
        "</div></main><footer><ul><li><a href=\"/terms\">Terms</a></li><li><a href=\"/privacy\">Privacy</a></li></ul></footer></body></html>",
    );
    html
}

/// Extraction alone, on this thread: one listing page parsed, its 20 records and its next link.
fn extraction_row(rows: &mut Vec<Row>) {
    let site = Url::parse("http://127.0.0.1/").expect("a URL");
    let definition: sequentum_mcp::local::definition::AgentDefinition =
        serde_json::from_value(catalogue(&site, None)).expect("a definition");
    let page_url = site.join("list?page=2").expect("URL");
    let html = listing_page(2);
    // As a run does: the definition's selectors parsed once.
    let extractor = Extractor::new(&definition);
    let mut times = Vec::new();
    for _ in 0..=EXTRACTIONS {
        let started = Instant::now();
        let page = extractor.extract(&html, &page_url);
        times.push(started.elapsed());
        assert_eq!(page.records.len(), RECORDS_PER_PAGE as usize);
        assert!(page.next_page.is_some());
    }
    rows.push(Row::info(
        &format!(
            "extraction alone: one {} KB listing page, {RECORDS_PER_PAGE} records and the next link (median of {EXTRACTIONS})",
            html.len() / 1000
        ),
        show(median(&times)),
    ));
}

fn main() {
    if let Ok(kinds) = std::env::var(SITES_ENV) {
        serve_sites(&kinds);
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        // `cargo bench --bench engine -- extraction` runs only the sections whose names
        // contain one of the words given (runs, extraction, builder).
        let words: Vec<String> = std::env::args()
            .skip(1)
            .filter(|a| a != "--bench")
            .collect();
        let wanted =
            |section: &str| words.is_empty() || words.iter().any(|w| section.contains(w.as_str()));
        let mut rows = Vec::new();
        if wanted("runs") {
            engine_rows(&mut rows).await;
        }
        if wanted("extraction") {
            extraction_row(&mut rows);
        }
        if wanted("builder") {
            builder_rows(&mut rows).await;
        }
        print_table("embedded engine (loopback)", &rows);
    });
}
