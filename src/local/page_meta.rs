//! The page's own description in its `<head>`: OpenGraph (`og:title`, `product:price:amount`),
//! Twitter cards (`twitter:title`) and the plain `description`/`author` meta tags, read as one
//! object whose keys are the tags' names. A product or article page says there what it is
//! about, which makes it one record however busy the visible page is.

use std::sync::LazyLock;

use scraper::{Html, Selector};
use serde_json::{Map, Value};

/// The `@type` of the one object a page's meta tags make; a definition asks for it with
/// `"page_meta": true`.
pub const TYPE: &str = "PageMeta";

/// Prefixes of the tags that describe the page's subject (OpenGraph and its object types,
/// Twitter cards).
const PREFIXES: &[&str] = &[
    "og:", "twitter:", "product:", "article:", "book:", "profile:", "music:", "video:",
];
/// Plain tags kept beside them.
const PLAIN: &[&str] = &["description", "author", "keywords"];

static META: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("meta[content]").expect("a valid selector"));

/// The page's meta object, or nothing when it has no OpenGraph or Twitter tag: a plain
/// `description` alone says nothing about a record. The first of a repeated tag is kept.
pub fn documents(doc: &Html, page_url: &url::Url) -> Vec<Value> {
    let mut map = Map::new();
    let mut described = false;
    for meta in doc.select(&META) {
        let el = meta.value();
        let Some(key) = el.attr("property").or_else(|| el.attr("name")) else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let prefixed = PREFIXES.iter().any(|p| key.starts_with(p));
        if (!prefixed && !PLAIN.contains(&key.as_str())) || map.contains_key(&key) {
            continue;
        }
        let content = el.attr("content").unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        described |= prefixed;
        let value = if key.ends_with(":url") || key.ends_with(":image") || key == "og:image" {
            page_url
                .join(content)
                .map_or_else(|_| content.to_string(), |u| u.to_string())
        } else {
            content.to_string()
        };
        map.insert(key, Value::String(value));
    }
    if !described {
        return Vec::new();
    }
    map.insert("@type".into(), Value::String(TYPE.into()));
    vec![Value::Object(map)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_graph_and_twitter_tags_make_one_object() {
        let html = r#"<html><head><title>Kettle K2 | Brewware</title>
          <meta property="og:title" content="Kettle K2"><meta property="og:image" content="/img/k2.png">
          <meta property="og:image" content="/img/k2-side.png">
          <meta property="product:price:amount" content="49.00"><meta property="product:price:currency" content="EUR">
          <meta name="twitter:label1" content="Colour"><meta name="description" content="A steel kettle.">
          <meta name="viewport" content="width=device-width"></head><body></body></html>"#;
        let url = url::Url::parse("http://brew.test/k2").unwrap();
        let docs = documents(&Html::parse_document(html), &url);
        assert_eq!(docs.len(), 1);
        let meta = &docs[0];
        assert_eq!(meta["@type"], TYPE);
        assert_eq!(meta["og:title"], "Kettle K2");
        assert_eq!(
            meta["og:image"], "http://brew.test/img/k2.png",
            "the first image"
        );
        assert_eq!(meta["product:price:amount"], "49.00");
        assert_eq!(meta["twitter:label1"], "Colour");
        assert_eq!(meta["description"], "A steel kettle.");
        assert!(meta.get("title").is_none(), "the <title> is not a meta tag");
        assert!(meta.get("viewport").is_none());
    }

    #[test]
    fn a_page_without_open_graph_or_twitter_tags_has_no_meta_object() {
        let html = r#"<html><head><title>Plain</title><meta name="description" content="x"></head></html>"#;
        let url = url::Url::parse("http://plain.test/").unwrap();
        assert!(documents(&Html::parse_document(html), &url).is_empty());
    }
}
