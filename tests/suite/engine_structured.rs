//! Records read from a page's structured data on the embedded engine: a microdata catalogue
//! of two pages tried with the editor's test_agent_definition (the source shown where a
//! record selector would be, prices as the page shows them) and then run, the next page read
//! the same way.

use axum::{extract::Query, response::Html, routing::get};
use serde_json::{Value, json};

use crate::engine_fixture::{call_tool, create_agent, mcp_on, options, raw};
use sequentum_mcp::{local::Engine, mcp::toolsets::Selection};

#[derive(serde::Deserialize)]
struct PageQuery {
    page: Option<u32>,
}

/// Two pages of two books each, in microdata only: the visible prices carry the sign, the
/// data a bare amount and a currency code.
async fn shelf(Query(q): Query<PageQuery>) -> Html<String> {
    let page = q.page.unwrap_or(1);
    let mut html = String::from("<html><body><div class=\"grid\">");
    for i in 1..=2 {
        html.push_str(&format!(
            r#"<div itemscope itemtype="https://schema.org/Book"><span itemprop="name">Volume {page}.{i}</span>
            <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="priceCurrency" content="GBP">
            <span itemprop="price" content="{page}{i}.5">£{page}{i}.50</span></div></div>"#
        ));
    }
    html.push_str("</div>");
    if page == 1 {
        html.push_str(r#"<a rel="next" href="/shelf?page=2">Next</a>"#);
    }
    html.push_str("</body></html>");
    Html(html)
}

#[tokio::test]
async fn microdata_records_are_tested_in_the_editor_and_run_over_every_page() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().route("/shelf", get(shelf)))
            .await
            .unwrap()
    });
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 1)).await.unwrap();
    let definition = json!({
        "start_urls": [format!("{base}/shelf")],
        "microdata": "Book",
        "fields": [
            {"name": "title", "path": "name"},
            {"name": "price", "path": "offers.price"}
        ],
        "next_page": {"selector": "a[rel=next]", "max_pages": 5}
    });

    let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
    let tested = call_tool(
        &mcp,
        "test_agent_definition",
        json!({"definition": definition}),
    )
    .await;
    assert_ne!(tested.is_error, Some(true), "{tested:?}");
    let tested = tested.structured_content.unwrap();
    assert_eq!(tested["record_selector"], "microdata Book");
    assert_eq!(tested["records_matched"], 2);
    assert_eq!(tested["fields"][1]["selector"], "microdata offers.price");
    assert_eq!(tested["fields"][1]["hit_rate"], 1.0);
    assert_eq!(tested["sample_records"][0]["price"], "£11.50");
    assert!(tested["next_page"].as_str().unwrap().ends_with("page=2"));

    let agent = create_agent(&engine, "Shelf", definition).await;
    let (http, key) = raw(&engine);
    let answer = http
        .post(
            engine
                .base_url()
                .join(&format!("api/v1/agent/{agent}/start"))
                .unwrap(),
        )
        .header("Authorization", key.as_str())
        .json(&json!({"isRunSynchronously": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    let records: Vec<(String, String)> = body["Shelf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["title"].as_str().unwrap().to_string(),
                r["price"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("Volume 1.1", "£11.50"),
        ("Volume 1.2", "£12.50"),
        ("Volume 2.1", "£21.50"),
        ("Volume 2.2", "£22.50"),
    ]
    .iter()
    .map(|(t, p)| (t.to_string(), p.to_string()))
    .collect();
    assert_eq!(records, want);
    engine.shutdown().await;
}
