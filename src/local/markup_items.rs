//! Items marked up in the HTML itself, microdata (`itemscope`/`itemtype`/`itemprop`) and RDFa
//! Lite (`vocab`/`typeof`/`property`), read into the same shape as JSON-LD objects (`@type`
//! plus one key per property, nested items as nested objects, a repeated property as an
//! array). Records, paths and values then work alike whichever way a page carries its
//! schema.org data: `offers.price` means the same in all three.

use scraper::{ElementRef, Html, Selector};
use serde_json::{Map, Value};

use super::extract::collapsed_text;

/// The attributes one markup uses for an item's scope, its type and a property.
struct Markup {
    /// An element carrying this attribute starts an item.
    scope: &'static str,
    type_attr: &'static str,
    property: &'static str,
}

const MICRODATA: Markup = Markup {
    scope: "itemscope",
    type_attr: "itemtype",
    property: "itemprop",
};

/// In RDFa Lite the `typeof` attribute both starts an item and types it.
const RDFA: Markup = Markup {
    scope: "typeof",
    type_attr: "typeof",
    property: "property",
};

/// Nesting deeper than this is not followed: no real item goes so deep, and a hostile page
/// must not exhaust the stack.
const MAX_DEPTH: usize = 24;

/// The page's microdata items that are not a property of another item, in document order.
pub fn microdata(doc: &Html, page_url: &url::Url) -> Vec<Value> {
    top_items(doc, &MICRODATA, page_url)
}

/// The page's RDFa Lite items that are not a property of another item, in document order.
pub fn rdfa(doc: &Html, page_url: &url::Url) -> Vec<Value> {
    top_items(doc, &RDFA, page_url)
}

/// Items that are no other item's property: an item that is a property is read with its
/// owner. Said in CSS, `[itemscope]:not([itemprop])`.
fn top_items(doc: &Html, markup: &Markup, page_url: &url::Url) -> Vec<Value> {
    let css = format!("[{}]:not([{}])", markup.scope, markup.property);
    let Ok(selector) = Selector::parse(&css) else {
        return Vec::new();
    };
    doc.select(&selector)
        .map(|el| Value::Object(item(el, markup, page_url, 0)))
        .collect()
}

/// One item: its type and its properties, nested items read in turn.
fn item(
    el: ElementRef<'_>,
    markup: &Markup,
    page_url: &url::Url,
    depth: usize,
) -> Map<String, Value> {
    let mut map = Map::new();
    let types: Vec<Value> = el
        .value()
        .attr(markup.type_attr)
        .unwrap_or("")
        .split_whitespace()
        .map(|t| Value::String(t.to_string()))
        .collect();
    match types.len() {
        0 => {}
        1 => {
            map.insert("@type".into(), types[0].clone());
        }
        _ => {
            map.insert("@type".into(), Value::Array(types));
        }
    }
    properties(el, markup, page_url, depth, &mut map);
    map
}

/// The properties below `el` that belong to the item `el` is part of: a nested item's own
/// properties stay inside it.
fn properties(
    el: ElementRef<'_>,
    markup: &Markup,
    page_url: &url::Url,
    depth: usize,
    map: &mut Map<String, Value>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in el.children().filter_map(ElementRef::wrap) {
        let starts_item = child.value().attr(markup.scope).is_some();
        if let Some(names) = child.value().attr(markup.property) {
            let value = if starts_item {
                Value::Object(item(child, markup, page_url, depth + 1))
            } else {
                Value::String(property_value(child, page_url))
            };
            for name in names.split_whitespace().map(property_name) {
                add(map, name, value.clone());
            }
        }
        if !starts_item {
            properties(child, markup, page_url, depth + 1, map);
        }
    }
}

/// `schema:price` or `https://schema.org/price` -> `price`: paths use the bare name.
fn property_name(name: &str) -> String {
    name.rsplit(['/', '#', ':'])
        .next()
        .unwrap_or(name)
        .to_string()
}

/// A second value of a property makes it an array.
fn add(map: &mut Map<String, Value>, name: String, value: Value) {
    match map.get_mut(&name) {
        None => {
            map.insert(name, value);
        }
        Some(Value::Array(values)) => values.push(value),
        Some(first) => {
            let first = first.take();
            map.insert(name, Value::Array(vec![first, value]));
        }
    }
}

/// The value an element gives its property: `content` when set, else the attribute its kind
/// of element keeps a value in (a link's `href`, an image's `src`, a time's `datetime`, a
/// `<data>`'s `value`), else its text. Addresses are made absolute against the page.
fn property_value(el: ElementRef<'_>, page_url: &url::Url) -> String {
    let attr = |name: &str| el.value().attr(name).map(str::trim);
    if let Some(content) = attr("content") {
        return content.to_string();
    }
    let url_attr = match el.value().name() {
        "a" | "area" | "link" => Some("href"),
        "img" | "audio" | "video" | "source" | "track" | "embed" | "iframe" => Some("src"),
        "object" => Some("data"),
        _ => None,
    };
    if let Some(raw) = url_attr.and_then(attr) {
        return page_url
            .join(raw)
            .map_or_else(|_| raw.to_string(), |u| u.to_string());
    }
    let kept = match el.value().name() {
        "time" => attr("datetime"),
        "data" | "meter" => attr("value"),
        _ => None,
    };
    kept.map_or_else(|| collapsed_text(el), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> url::Url {
        url::Url::parse("http://catalog.test/shelf/").unwrap()
    }

    #[test]
    fn microdata_items_nest_and_take_values_from_the_right_attributes() {
        let html = r#"<body><section itemscope itemtype="https://schema.org/ItemList">
          <div itemprop="itemListElement" itemscope itemtype="https://schema.org/Book">
            <h3 itemprop="name">Tides of Amber</h3>
            <a itemprop="url" href="b/1">more</a>
            <time itemprop="datePublished" datetime="2019-04-02">April 2019</time>
            <span itemprop="author" itemscope itemtype="https://schema.org/Person"><b itemprop="name">Ida Rook</b></span>
            <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
              <meta itemprop="priceCurrency" content="GBP"><data itemprop="price" value="7.5">£7.50</data>
            </div>
            <span itemprop="genre">Sea</span><span itemprop="genre">Myth</span>
          </div>
          <div itemprop="itemListElement" itemscope itemtype="https://schema.org/Book">
            <h3 itemprop="name">Low Orchard</h3>
          </div></section>
          <p itemscope itemtype="http://schema.org/Organization"><span itemprop="name">Shelfware</span></p></body>"#;
        let items = microdata(&Html::parse_document(html), &page());
        assert_eq!(items.len(), 2, "the books belong to the list: {items:?}");
        let first = &items[0]["itemListElement"][0];
        assert_eq!(first["@type"], "https://schema.org/Book");
        assert_eq!(first["name"], "Tides of Amber");
        assert_eq!(first["url"], "http://catalog.test/shelf/b/1");
        assert_eq!(first["datePublished"], "2019-04-02");
        assert_eq!(first["author"]["name"], "Ida Rook");
        assert!(
            first.get("name").is_some() && items[0].get("name").is_none(),
            "a nested item's properties stay in it"
        );
        assert_eq!(first["offers"]["price"], "7.5");
        assert_eq!(first["offers"]["priceCurrency"], "GBP");
        assert_eq!(first["genre"], serde_json::json!(["Sea", "Myth"]));
        assert_eq!(items[0]["itemListElement"][1]["name"], "Low Orchard");
        assert_eq!(items[1]["name"], "Shelfware");
    }

    #[test]
    fn rdfa_lite_items_read_typeof_and_property() {
        let html = r#"<ol vocab="https://schema.org/">
          <li typeof="Recipe"><span property="name">Fennel soup</span>
            <span property="schema:cookTime" content="PT40M">40 min</span>
            <img property="image" src="/i/f.jpg">
            <div property="nutrition" typeof="NutritionInformation"><span property="calories">210 kcal</span></div></li>
          <li typeof="Recipe"><span property="name">Rye crackers</span></li></ol>"#;
        let items = rdfa(&Html::parse_document(html), &page());
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["@type"], "Recipe");
        assert_eq!(items[0]["cookTime"], "PT40M");
        assert_eq!(items[0]["image"], "http://catalog.test/i/f.jpg");
        assert_eq!(items[0]["nutrition"]["calories"], "210 kcal");
        assert_eq!(items[1]["name"], "Rye crackers");
    }
}
