//! The local Agent Builder on sites of different layouts, served on 127.0.0.1 inside the test:
//! a table, a card grid with an ad, a news list, a schema.org listing, a JavaScript shell,
//! the bundled demo shop, and requests it must refuse with a clear reason.

#[allow(dead_code)]
use std::collections::HashMap;

use crate::builder_support::{build, run_all_pages, said};
use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use sequentum_mcp::local::builder::{BuilderNote, build_agent};
use sequentum_mcp::local::demo::catalogue::{PRODUCT_COUNT, catalogue};
use sequentum_mcp::local::fetch::{FetchPolicy, Fetcher};
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

type Params = Query<HashMap<String, String>>;

fn page_of(q: &Params) -> usize {
    q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1)
}

fn doc(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html><head><title>{title}</title></head><body>\
         <header><nav class=\"top-nav\"><a href=\"/\">Home</a> <a href=\"/about\">About</a> <a href=\"/help\">Help</a></nav></header>\
         {body}<footer><ul><li><a href=\"/a\">Terms</a></li><li><a href=\"/b\">Privacy</a></li><li><a href=\"/c\">Jobs</a></li></ul></footer></body></html>"
    ))
}

// (a) A table of quotes with a header row, a small unrelated table, "Next ›" link.
const SYMBOLS: [&str; 16] = [
    "ACME", "BOLT", "CRUX", "DYNA", "EPIX", "FUSE", "GLOW", "HALO", "IRIS", "JADE", "KITE", "LUMA",
    "MOXY", "NOVA", "ONYX", "PIKE",
];

fn quote(i: usize) -> (String, String, String) {
    (
        SYMBOLS[i].to_string(),
        format!("{} Holdings", SYMBOLS[i]),
        format!("{}.{:02}", 10 + i * 3, (i * 17) % 100),
    )
}

async fn stocks(q: Params) -> Html<String> {
    let page = page_of(&q);
    let rows: String = (0..8)
        .map(|k| {
            let (sym, company, price) = quote((page - 1) * 8 + k);
            format!("<tr><td><a href=\"/stocks/{sym}\">{sym}</a></td><td>{company}</td><td>{price}</td><td>+0.{k}%</td></tr>")
        })
        .collect();
    let next = if page < 2 {
        "<p class=\"pager\"><a class=\"next-link\" href=\"/stocks?page=2\">Next ›</a></p>"
    } else {
        ""
    };
    doc(
        "Quotes - Market Watch",
        &format!(
            "<h1>Quotes</h1><table class=\"summary\"><tr><th>Index</th><th>Level</th></tr><tr><td>All</td><td>1234</td></tr></table>\
             <table id=\"quotes\"><thead><tr><th>Symbol</th><th>Company</th><th>Last Price</th><th>Change</th></tr></thead>\
             <tbody>{rows}</tbody></table>{next}"
        ),
    )
}

// (b) A grid of product cards in column wrappers, an ad card, rel=next pagination.
fn gadget(i: usize) -> (String, String) {
    (format!("Gadget {}", i + 1), format!("€{}.50", 20 + i))
}

async fn gadgets(q: Params) -> Html<String> {
    let page = page_of(&q);
    let mut cards = String::new();
    for k in 0..9 {
        if k == 2 {
            cards.push_str("<div class=\"col\"><div class=\"tile promo\"><h4>Mega Sale!</h4><span class=\"amount\">€1.00</span><a href=\"/sale\">Go</a></div></div>");
        }
        let i = (page - 1) * 9 + k;
        let (name, price) = gadget(i);
        cards.push_str(&format!(
            "<div class=\"col\"><div class=\"tile\"><a href=\"/g/{i}\"><img src=\"/img/g{i}.jpg\" alt=\"\"></a>\
             <h4><a href=\"/g/{i}\">{name}</a></h4><span class=\"amount\">{price}</span><small>Free shipping</small></div></div>"
        ));
    }
    let next = if page < 3 {
        format!("<a rel=\"next\" href=\"/gadgets?page={}\">›</a>", page + 1)
    } else {
        String::new()
    };
    doc(
        "Gadgets | Gizmo Store",
        &format!("<div class=\"results\">{cards}</div><div class=\"paging\">{next}</div>"),
    )
}

// (c) A news list with "Older posts" links by ?page=.
fn post(i: usize) -> (String, String, String) {
    let months = ["January", "February", "March", "April"];
    (
        format!("Story number {} about the town", i + 1),
        format!("{} {}, 2024", months[i % 4], i + 1),
        format!("Writer {}", (b'A' + (i % 5) as u8) as char),
    )
}

async fn news(q: Params) -> Html<String> {
    let page = page_of(&q);
    let items: String = (0..5)
        .map(|k| {
            let i = (page - 1) * 5 + k;
            let (title, date, author) = post(i);
            format!(
                "<li><a class=\"headline\" href=\"/news/{i}\">{title}</a> <time>{date}</time> \
                 <span class=\"byline\">by {author}</span><p>Short summary of the story.</p></li>"
            )
        })
        .collect();
    let mut links = String::new();
    if page > 1 {
        links.push_str(&format!(
            "<a href=\"/news?page={}\">Newer posts</a>",
            page - 1
        ));
    }
    if page < 3 {
        links.push_str(&format!(
            "<a href=\"/news?page={}\">Older posts</a>",
            page + 1
        ));
    }
    doc(
        "Town News",
        &format!(
            "<main><h1>Latest</h1><ul class=\"stories\">{items}</ul><div class=\"older-newer\">{links}</div></main>"
        ),
    )
}

// (d) A schema.org listing with definition lists and numbered pagination.
fn book(i: usize) -> (String, String, String) {
    (
        format!(
            "The Book of {}",
            [
                "Rain", "Stone", "Glass", "Wind", "Salt", "Fire", "Moss", "Iron"
            ][i % 8]
        ),
        format!("Author {i}"),
        format!("978-0-00-{:06}-1", 1000 + i),
    )
}

async fn books(q: Params) -> Html<String> {
    let page = page_of(&q);
    let entries: String = (0..4)
        .map(|k| {
            let i = (page - 1) * 4 + k;
            let (title, author, isbn) = book(i);
            format!(
                "<div itemscope itemtype=\"https://schema.org/Book\"><h3 itemprop=\"name\">{title}</h3>\
                 <dl><dt>Author</dt><dd itemprop=\"author\">{author}</dd><dt>ISBN</dt><dd itemprop=\"isbn\">{isbn}</dd></dl></div>"
            )
        })
        .collect();
    let pages: String = (1..=2)
        .map(|n| {
            if n == page {
                format!("<li class=\"active\"><span>{n}</span></li>")
            } else {
                format!("<li><a href=\"/books?page={n}\">{n}</a></li>")
            }
        })
        .collect();
    doc(
        "Books",
        &format!("<section>{entries}</section><ul class=\"pages\">{pages}</ul>"),
    )
}

async fn app_shell() -> Html<&'static str> {
    Html(
        "<!doctype html><html><head><title>App</title><script src=\"/bundle.js\"></script></head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id=\"root\"></div></body></html>",
    )
}

async fn about() -> Html<String> {
    doc(
        "About us",
        "<main><h1>About us</h1><p>We are a small company.</p><p>We were founded long ago and still make things by hand.</p><p>Write to us any time.</p></main>",
    )
}

async fn serve() -> String {
    let app = axum::Router::new()
        .route("/stocks", get(stocks))
        .route("/gadgets", get(gadgets))
        .route("/news", get(news))
        .route("/books", get(books))
        .route("/app", get(app_shell))
        .route("/about", get(about))
        .nest("/demo", sequentum_mcp::local::demo::router());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Steps 1..=6 each start then complete successfully, in order; the page load is reported;
/// the last note tells the user what was built.
fn assert_narrated(notes: &[BuilderNote]) {
    let steps: Vec<(String, u64)> = notes
        .iter()
        .filter(|n| n.kind.starts_with("step_"))
        .map(|n| (n.kind.clone(), n.payload["stepNumber"].as_u64().unwrap()))
        .collect();
    let expected: Vec<(String, u64)> = (1..=6)
        .flat_map(|s| {
            [
                ("step_started".to_string(), s),
                ("step_completed".to_string(), s),
            ]
        })
        .collect();
    assert_eq!(steps, expected);
    assert!(
        notes
            .iter()
            .filter(|n| n.kind == "step_completed")
            .all(|n| n.payload["success"] == true)
    );
    let nav = notes
        .iter()
        .position(|n| n.kind == "navigation_completed")
        .expect("navigation note");
    let step2 = notes
        .iter()
        .position(|n| n.kind == "step_started" && n.payload["stepNumber"] == 2)
        .unwrap();
    assert!(nav > step2);
    assert!(notes.iter().any(|n| n.kind == "thinking"));
    assert_eq!(notes.last().unwrap().kind, "user_message");
}

fn texts(records: &[Map<String, Value>], field: &str) -> Vec<String> {
    records
        .iter()
        .map(|r| r[field].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_table_with_a_header_row() {
    let base = serve().await;
    let (result, notes) = build(&format!(
        "Extract the symbol, company and last price from {base}/stocks"
    ))
    .await;
    let built = result.unwrap();
    assert_narrated(&notes);
    assert_eq!(
        built
            .definition
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["symbol", "company", "last_price"]
    );
    assert_eq!(built.sample_records.len(), 5);
    let (records, pages) = run_all_pages(&built.definition).await;
    assert_eq!(pages, 2);
    assert_eq!(
        records.len(),
        16,
        "8 quotes a page, nothing from the summary table"
    );
    assert_eq!(texts(&records, "symbol"), SYMBOLS);
    assert_eq!(records[3]["last_price"], quote(3).2.as_str());
    assert_eq!(records[9]["company"], quote(9).1.as_str());
}

#[tokio::test]
async fn a_card_grid_with_an_ad_and_rel_next() {
    let base = serve().await;
    let (result, notes) = build(&format!(
        "Get name, price, image and link of every gadget from {base}/gadgets, first 2 pages"
    ))
    .await;
    let built = result.unwrap();
    assert_narrated(&notes);
    let next = built.definition.next_page.clone().expect("next page");
    assert_eq!(next.selector, "a[rel=next]");
    assert_eq!(next.max_pages, 2);
    let (records, pages) = run_all_pages(&built.definition).await;
    assert_eq!(pages, 2);
    assert_eq!(
        records.len(),
        18,
        "9 gadgets per page and never the promo tile"
    );
    assert!(records.iter().all(|r| r["name"] != "Mega Sale!"));
    assert_eq!(
        texts(&records, "name"),
        (0..18).map(|i| gadget(i).0).collect::<Vec<_>>()
    );
    assert_eq!(records[4]["price"], "€24.50");
    assert_eq!(records[0]["image"], format!("{base}/img/g0.jpg").as_str());
    assert_eq!(records[0]["link"], format!("{base}/g/0").as_str());
    assert_eq!(built.name, "Gizmo Store gadgets");
}

#[tokio::test]
async fn a_news_list_with_older_posts_links() {
    let base = serve().await;
    let (result, notes) = build(&format!(
        "Collect the title, date and author of each story on {base}/news"
    ))
    .await;
    let built = result.unwrap();
    assert_narrated(&notes);
    // The builder checked the second page, so it saw "Newer posts" come first there.
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.kind == "navigation_completed")
            .count(),
        2
    );
    let (records, pages) = run_all_pages(&built.definition).await;
    assert_eq!(pages, 3);
    assert_eq!(records.len(), 15);
    assert_eq!(
        texts(&records, "title"),
        (0..15).map(|i| post(i).0).collect::<Vec<_>>()
    );
    assert_eq!(records[2]["date"], "March 3, 2024");
    assert_eq!(records[6]["author"], "by Writer B");
}

#[tokio::test]
async fn a_schema_org_listing_with_numbered_pages() {
    let base = serve().await;
    let (result, notes) = build(&format!(
        "Scrape books with name, author and ISBN from {base}/books"
    ))
    .await;
    let built = result.unwrap();
    assert_narrated(&notes);
    let fields: Vec<(&str, &str)> = built
        .definition
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.selector.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", "[itemprop=name]"),
            ("author", "[itemprop=author]"),
            ("isbn", "[itemprop=isbn]")
        ]
    );
    let (records, pages) = run_all_pages(&built.definition).await;
    assert_eq!(pages, 2);
    assert_eq!(records.len(), 8);
    assert_eq!(
        texts(&records, "isbn"),
        (0..8).map(|i| book(i).2).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn automatic_fields_when_none_are_named() {
    let base = serve().await;
    let (result, notes) = build(&format!("Extract all gadgets from {base}/gadgets")).await;
    let built = result.unwrap();
    assert!(
        said(&notes, "user_message").contains("Your request named no fields I could read"),
        "the result says the fields are the builder's choice"
    );
    assert!(
        !built.name.contains("127.0.0.1"),
        "a bare address names no site: {}",
        built.name
    );
    let names: Vec<&str> = built
        .definition
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    for wanted in ["link", "image", "price"] {
        assert!(names.contains(&wanted), "{names:?}");
    }
    assert!(built.sample_records[1].values().any(|v| v == "Gadget 2"));
}

#[tokio::test]
async fn the_demo_shop_yields_sixty_products_and_no_sponsored_card() {
    let base = serve().await;
    let (result, notes) = build(&format!(
        "Get the name, price and SKU of every product from {base}/demo/shop/products"
    ))
    .await;
    let built = result.unwrap();
    assert_narrated(&notes);
    assert_eq!(built.name, "Demo Shop products");
    let (records, pages) = run_all_pages(&built.definition).await;
    assert_eq!(pages, 5);
    assert_eq!(records.len(), PRODUCT_COUNT);
    let expected = catalogue();
    assert_eq!(
        texts(&records, "name"),
        expected.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
    );
    assert_eq!(
        texts(&records, "price"),
        expected.iter().map(|p| p.price.clone()).collect::<Vec<_>>()
    );
    assert_eq!(
        texts(&records, "sku"),
        expected.iter().map(|p| p.sku.clone()).collect::<Vec<_>>()
    );
    assert!(records.iter().all(|r| r["name"] != "Turbo Blender 3000"));
}

async fn build_err(prompt: &str) -> (String, Vec<BuilderNote>) {
    let (result, notes) = build(prompt).await;
    (result.expect_err("the build should fail"), notes)
}

fn failed_step(notes: &[BuilderNote]) -> u64 {
    let failed = notes
        .iter()
        .find(|n| n.kind == "step_completed" && n.payload["success"] == false)
        .expect("a failed step");
    failed.payload["stepNumber"].as_u64().unwrap()
}

#[tokio::test]
async fn a_javascript_shell_is_refused_with_the_reason() {
    let base = serve().await;
    let (err, notes) = build_err(&format!(
        "Get the name and price of every product on {base}/app"
    ))
    .await;
    assert!(err.contains("JavaScript"), "{err}");
    assert!(err.contains("local engine"), "{err}");
    assert_eq!(failed_step(&notes), 3);
}

#[tokio::test]
async fn requests_without_an_address_or_to_a_closed_port_fail_clearly() {
    let (err, notes) = build_err("Get the prices of all products").await;
    assert!(err.starts_with("I could not find a web address"), "{err}");
    assert_eq!(failed_step(&notes), 1);

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let (err, notes) = build_err(&format!("Get names from http://127.0.0.1:{port}/list")).await;
    assert!(err.contains("could not connect to 127.0.0.1"), "{err}");
    assert_eq!(failed_step(&notes), 2);
}

#[tokio::test]
async fn a_page_without_repeating_records_is_explained() {
    let base = serve().await;
    let (err, notes) = build_err(&format!("Get the title and price from {base}/about")).await;
    assert!(err.contains("found no repeating records"), "{err}");
    assert!(err.contains("\"About us\""), "{err}");
    assert_eq!(failed_step(&notes), 3);
}

#[tokio::test]
async fn a_field_that_is_not_on_the_page_leaves_the_others_built_and_offers_candidates() {
    let base = serve().await;
    let (result, notes) = build(&format!(
        "Get the name, price and SKU of every gadget from {base}/gadgets"
    ))
    .await;
    let built = result.expect("the fields found are built");
    let names: Vec<&str> = built
        .definition
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["name", "price"]);
    assert_eq!(built.sample_records[0]["name"], "Gadget 1");
    let note = built.missing_note.expect("the missing field is reported");
    assert!(note.contains("no place for 'sku'"), "{note}");
    assert!(note.contains("take sku from <place>"), "{note}");
    assert_eq!(built.missing_fields[0].field, "sku");
    assert!(!built.missing_fields[0].candidates.is_empty());
    let told = said(&notes, "user_message");
    assert!(told.contains("no place for 'sku'"), "{told}");
}

#[tokio::test]
async fn a_cancelled_build_stops() {
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    cancel.cancel();
    let fetcher = Fetcher::new(FetchPolicy::default());
    let err = build_agent("Get names from http://127.0.0.1:9/x", &fetcher, tx, cancel)
        .await
        .err()
        .unwrap();
    assert_eq!(err, "Build cancelled");
}
