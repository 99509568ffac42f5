//! The Agent Builder on the development set (tests/fixtures/dev-sites): pages modelled on
//! common real site types it was not written around — news lists whose records span two table
//! rows, shop grids and a blog with generated class names, split prices and ratings in labels, JSON-LD
//! item lists, events, job postings and a single product, unit words ("3 bds", "450 kcal",
//! "1.2k"), a header card sharing the cards' class, a layout whose class names its sidebar,
//! microdata reviews, French and Spanish requests — and twenty phrasings of one request.
//!
//! `cases.json` holds each page's request and the values a careful person would extract from
//! its first records. The report prints the three figures (share of fields right,
//! sites with exactly the requested keys, phrasings giving the same fields) and fails when one
//! falls below what the builder reached, so a change that loses ground shows.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;

use crate::builder_support::build;

/// Figures the builder reached on this set; the report fails below them.
const MIN_FIELDS_RIGHT: f64 = 98.0;
const MIN_EXACT_SITES: usize = 16;
const MIN_SAME_PHRASINGS: usize = 20;

#[derive(Deserialize)]
struct Cases {
    sites: Vec<SiteCase>,
    phrasings: Phrasings,
}

#[derive(Deserialize)]
struct SiteCase {
    file: String,
    prompt: String,
    /// Each requested key with the values of the first records.
    fields: Vec<(String, Vec<String>)>,
}

#[derive(Deserialize)]
struct Phrasings {
    file: String,
    prompts: Vec<String>,
    fields: Vec<(String, Vec<String>)>,
}

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dev-sites");

async fn serve() -> String {
    async fn file(Path(name): Path<String>) -> Result<Html<String>, StatusCode> {
        if name.contains("..") || name.contains('/') {
            return Err(StatusCode::NOT_FOUND);
        }
        std::fs::read_to_string(format!("{DIR}/{name}"))
            .map(Html)
            .map_err(|_| StatusCode::NOT_FOUND)
    }
    let app = axum::Router::new().route("/{name}", get(file));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr.to_string()
}

/// Values compare with whitespace and case folded; a count with its unit word ("412 points"),
/// a rating as its label says it ("Rated 4.5 out of 5 stars") and the bare number ("412",
/// "4.5") count as the same value, as people write either.
fn same_value(got: &str, want: &str) -> bool {
    let fold = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let (got, want) = (fold(got), fold(want));
    let number = |s: &str| {
        if s.contains(" out of ") {
            let start = s.find(|c: char| c.is_ascii_digit())?;
            let rest = &s[start..];
            let end = rest.find(' ').unwrap_or(rest.len());
            return Some(rest[..end].to_string());
        }
        s.split_once(' ')
            .filter(|(n, unit)| {
                n.chars().any(|c| c.is_ascii_digit()) && unit.chars().all(char::is_alphabetic)
            })
            .map(|(n, _)| n.to_string())
    };
    got == want || number(&want).as_deref() == Some(&got) || number(&got).as_deref() == Some(&want)
}

/// How one request came out: fields right, whether the keys were exactly the requested ones,
/// the keys built, and what was wrong.
struct Outcome {
    right: usize,
    exact_keys: bool,
    keys: Vec<String>,
    problems: Vec<String>,
}

async fn check(host: &str, file: &str, prompt: &str, fields: &[(String, Vec<String>)]) -> Outcome {
    let url = format!("http://{host}/{file}");
    let prompt = prompt
        .replace("{url}", &url)
        .replace("{bare}", &format!("{host}/{file}"));
    let (result, _) = build(&prompt).await;
    let built = match result {
        Ok(b) => b,
        Err(e) => {
            return Outcome {
                right: 0,
                exact_keys: false,
                keys: Vec::new(),
                problems: vec![format!("build failed: {e}")],
            };
        }
    };
    let keys: Vec<String> = built
        .definition
        .fields
        .iter()
        .map(|f| f.name.clone())
        .collect();
    let wanted: Vec<String> = fields.iter().map(|(k, _)| k.clone()).collect();
    let mut problems = Vec::new();
    if keys != wanted {
        problems.push(format!("keys {keys:?}, want {wanted:?}"));
    }
    let mut right = 0;
    for (key, want) in fields {
        let got: Vec<String> = built
            .sample_records
            .iter()
            .take(want.len())
            .map(|r| {
                r.get(key)
                    .and_then(|v| v.as_str())
                    .unwrap_or("<missing>")
                    .to_string()
            })
            .collect();
        if got.len() == want.len() && got.iter().zip(want).all(|(g, w)| same_value(g, w)) {
            right += 1;
        } else {
            problems.push(format!("{key}: got {got:?}, want {want:?}"));
        }
    }
    Outcome {
        right,
        exact_keys: keys == wanted,
        keys,
        problems,
    }
}

#[tokio::test]
async fn report_the_development_set() {
    let cases: Cases =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/cases.json")).unwrap())
            .unwrap();
    assert!(cases.sites.len() >= 15 && cases.phrasings.prompts.len() >= 20);
    let host = serve().await;
    let (mut right, mut asked, mut exact) = (0, 0, 0);
    for c in &cases.sites {
        let o = check(&host, &c.file, &c.prompt, &c.fields).await;
        right += o.right;
        asked += c.fields.len();
        exact += usize::from(o.exact_keys);
        if !o.problems.is_empty() {
            println!("NOT RIGHT {}: {}", c.file, o.problems.join("; "));
        }
    }
    let p = &cases.phrasings;
    let mut same = 0;
    for prompt in &p.prompts {
        let o = check(&host, &p.file, prompt, &p.fields).await;
        if o.problems.is_empty() {
            same += 1;
        } else {
            println!(
                "PHRASING {prompt:?} -> {:?}: {}",
                o.keys,
                o.problems.join("; ")
            );
        }
    }
    let share = right as f64 * 100.0 / asked as f64;
    println!("dev set: fields right {right}/{asked} = {share:.1} %");
    println!(
        "dev set: sites with exactly the requested keys {exact}/{}",
        cases.sites.len()
    );
    println!(
        "dev set: phrasings giving the same fields {same}/{}",
        p.prompts.len()
    );
    assert!(
        share >= MIN_FIELDS_RIGHT,
        "fields right fell to {share:.1} %"
    );
    assert!(exact >= MIN_EXACT_SITES, "exact sites fell to {exact}");
    assert!(same >= MIN_SAME_PHRASINGS, "phrasings fell to {same}");
}
