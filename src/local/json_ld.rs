//! Records held in a page's JSON-LD (`<script type="application/ld+json">`): the schema.org
//! objects of one `@type`, wherever the page nests them (an `ItemList`'s `itemListElement`, a
//! `@graph`, a plain array), and the value at a dotted path inside one of them. The extractor
//! reads records this way when a definition sets `json_ld`; the builder reads the same objects
//! to offer them as a source.

use std::sync::LazyLock;

use scraper::{Html, Selector};
use serde_json::{Map, Value};

static SCRIPTS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(r#"script[type="application/ld+json" i]"#).expect("a valid selector")
});

/// Types that wrap records rather than being records: their contents are searched.
const WRAPPERS: &[&str] = &[
    "ItemList",
    "ListItem",
    "WebPage",
    "CollectionPage",
    "SearchResultsPage",
    "OfferCatalog",
    "DataFeed",
    "DataFeedItem",
];

/// Every JSON-LD document of the page that parses; a broken script is skipped, as browsers do.
pub fn documents(doc: &Html) -> Vec<Value> {
    doc.select(&SCRIPTS)
        .filter_map(|s| serde_json::from_str(s.text().collect::<String>().trim()).ok())
        .collect()
}

/// The outermost objects whose `@type` is `type_name` (compared without case or a
/// `schema:`/URL prefix), in document order. An object of the type is not searched further:
/// a Product's reviews are not Products.
pub fn objects_of<'a>(documents: &'a [Value], type_name: &str) -> Vec<&'a Map<String, Value>> {
    let mut out = Vec::new();
    for d in documents {
        collect(d, &mut |m| {
            if has_type(m, type_name) {
                out.push(m);
                true
            } else {
                false
            }
        });
    }
    out
}

/// Record objects by type, in order of first appearance: typed objects that are not wrappers
/// and are not inside another record.
pub fn record_types(documents: &[Value]) -> Vec<(String, usize)> {
    let mut types: Vec<(String, usize)> = Vec::new();
    for d in documents {
        collect(d, &mut |m| {
            let Some(name) = types_of(m)
                .into_iter()
                .find(|t| !WRAPPERS.contains(&t.as_str()))
            else {
                return false;
            };
            match types.iter_mut().find(|(t, _)| *t == name) {
                Some((_, n)) => *n += 1,
                None => types.push((name, 1)),
            }
            true
        });
    }
    types
}

/// Walks `value` depth first, calling `visit` on each object; `visit` returns true to stop
/// searching inside that object.
fn collect<'a>(value: &'a Value, visit: &mut impl FnMut(&'a Map<String, Value>) -> bool) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect(v, visit)),
        Value::Object(map) => {
            if visit(map) {
                return;
            }
            for (key, v) in map {
                if key != "@context" {
                    collect(v, visit);
                }
            }
        }
        _ => {}
    }
}

/// The object's types without a `schema:` or `https://schema.org/` prefix.
fn types_of(map: &Map<String, Value>) -> Vec<String> {
    let strip = |t: &str| t.rsplit(['/', ':']).next().unwrap_or(t).to_string();
    match map.get("@type") {
        Some(Value::String(t)) => vec![strip(t)],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(strip).collect(),
        _ => Vec::new(),
    }
}

fn has_type(map: &Map<String, Value>, type_name: &str) -> bool {
    types_of(map)
        .iter()
        .any(|t| t.eq_ignore_ascii_case(type_name.trim()))
}

/// The text at `path` ("offers.price") in `object`: a step into an array takes its first
/// element, an object at the end gives its `name` (else its `@id`), numbers and booleans
/// are written out. URLs (`url`, `image`, `@id`) are made absolute against the page.
pub fn value_at(object: &Map<String, Value>, path: &str, page_url: &url::Url) -> Option<String> {
    let mut node = object.get(path.split('.').next()?)?;
    for step in path.split('.').skip(1) {
        node = first(node).as_object()?.get(step)?;
    }
    let node = first(node);
    let text = match node {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Object(m) => {
            return ["name", "@id", "url"]
                .iter()
                .find_map(|k| m.get(*k).and_then(Value::as_str))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
        }
        _ => return None,
    };
    let last = path.rsplit('.').next().unwrap_or(path);
    let is_url = matches!(
        last,
        "url" | "image" | "@id" | "logo" | "thumbnailUrl" | "contentUrl"
    );
    let text = if is_url && !text.is_empty() {
        page_url.join(&text).map_or(text, |u| u.to_string())
    } else {
        text
    };
    (!text.is_empty()).then_some(text)
}

/// The object holding the value at `path` ("offers" for `offers.price`): the record itself for
/// a one-step path.
pub fn parent_at<'a>(object: &'a Map<String, Value>, path: &str) -> Option<&'a Map<String, Value>> {
    let mut node = object;
    let steps: Vec<&str> = path.split('.').collect();
    for step in &steps[..steps.len().saturating_sub(1)] {
        node = first(node.get(*step)?).as_object()?;
    }
    Some(node)
}

/// Whether a step of `path` in `object` is a list of several values, of which the path reads
/// only the first (a product's `review.author.name`).
pub fn passes_through_list(object: &Map<String, Value>, path: &str) -> bool {
    let mut node = object;
    for step in path.split('.') {
        match node.get(step) {
            Some(Value::Array(items)) if items.len() > 1 => return true,
            Some(value) => match first(value) {
                Value::Object(inner) => node = inner,
                _ => return false,
            },
            None => return false,
        }
    }
    false
}

fn first(value: &Value) -> &Value {
    match value {
        Value::Array(items) => items.first().unwrap_or(value),
        _ => value,
    }
}

/// Every path to a value in `object` (up to four steps, arrays through their first element),
/// with the value, for choosing which path holds a requested field.
pub fn leaves(object: &Map<String, Value>, page_url: &url::Url) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(object, String::new(), 0, page_url, object, &mut out);
    out
}

fn walk(
    map: &Map<String, Value>,
    prefix: String,
    depth: usize,
    page_url: &url::Url,
    root: &Map<String, Value>,
    out: &mut Vec<(String, String)>,
) {
    for (key, value) in map {
        if key.starts_with('@') {
            continue;
        }
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match first(value) {
            Value::Object(inner) if depth < 3 => walk(inner, path, depth + 1, page_url, root, out),
            Value::Object(_) | Value::Array(_) | Value::Null => {}
            _ => {
                if let Some(v) = value_at(root, &path, page_url) {
                    out.push((path, v));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head><script type="application/ld+json">
      {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "item": {"@type": "Product", "name": "Boot", "url": "/p/1",
          "offers": {"@type": "Offer", "price": 89.5}, "review": [{"@type": "Review", "author": {"@type": "Person", "name": "Al"}}]}},
        {"@type": "ListItem", "position": 2, "item": {"@type": "Product", "name": "Sock", "url": "/p/2",
          "offers": [{"@type": "Offer", "price": "4.00"}]}}]}
      </script><script type="application/ld+json">{broken</script></head><body></body></html>"#;

    #[test]
    fn records_are_found_through_lists_and_values_through_paths() {
        let doc = Html::parse_document(PAGE);
        let docs = documents(&doc);
        assert_eq!(docs.len(), 1, "the broken script is skipped");
        assert_eq!(record_types(&docs), [("Product".to_string(), 2)]);
        let products = objects_of(&docs, "product");
        let page = url::Url::parse("http://shop.test/list").unwrap();
        let prices: Vec<_> = products
            .iter()
            .map(|p| value_at(p, "offers.price", &page))
            .collect();
        assert_eq!(prices, [Some("89.5".into()), Some("4.00".into())]);
        assert_eq!(
            parent_at(products[1], "offers.price").and_then(|o| o.get("price")),
            Some(&Value::String("4.00".into())),
            "the parent of a step into an array is its first element"
        );
        assert_eq!(
            value_at(products[0], "url", &page).as_deref(),
            Some("http://shop.test/p/1")
        );
        let paths: Vec<String> = leaves(products[0], &page)
            .into_iter()
            .map(|l| l.0)
            .collect();
        assert!(
            paths.contains(&"review.author.name".to_string()),
            "{paths:?}"
        );
        let two_reviews: Map<String, Value> = serde_json::from_str(
            r#"{"review": [{"author": {"name": "Al"}}, {"author": {"name": "Bo"}}], "offers": [{"price": 1}]}"#,
        )
        .unwrap();
        assert!(passes_through_list(&two_reviews, "review.author.name"));
        assert!(
            !passes_through_list(&two_reviews, "offers.price"),
            "a list of one"
        );
    }
}
