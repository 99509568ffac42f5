//! Extraction of records from one fetched page according to an agent definition.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use serde_json::{Map, Value};

use super::definition::{AgentDefinition, FieldRule, RecordExtent};
use super::shown_values::{PageText, as_shown};
use super::structured_data::Source;

/// What one page yielded.
#[derive(Debug, Default)]
pub struct PageExtraction {
    pub records: Vec<Map<String, Value>>,
    /// Records left out because a required field found nothing.
    pub dropped: u32,
    /// The required fields that left records out, each once, in the order first seen.
    pub dropped_by: Vec<String>,
    /// The next page to read, when the definition has a next-page selector and it matched.
    pub next_page: Option<url::Url>,
    /// The page has no records and looks like a JavaScript application shell, which the
    /// engine cannot render.
    pub needs_javascript: bool,
}

/// Applies `def` to one page. Never panics on a bad selector: a record selector that does not
/// parse yields no records and a field selector that does not parse finds nothing.
pub fn extract_page(def: &AgentDefinition, html: &str, page_url: &url::Url) -> PageExtraction {
    Extractor::new(def).extract(html, page_url)
}

/// A definition's selectors, parsed once: a run applies the same definition to every page it
/// reads, and parsing its selectors again on each page was a measurable share of a page's cost.
#[derive(Debug)]
pub struct Extractor {
    record: Option<Selector>,
    /// The structured data whose objects are the records, instead of `record`.
    structured: Option<Source>,
    extent: RecordExtent,
    /// Each field's rule and its selector (None: empty, or not valid).
    fields: Vec<(FieldRule, Option<Selector>)>,
    next_page: Option<Selector>,
}

impl Extractor {
    pub fn new(def: &AgentDefinition) -> Extractor {
        Extractor {
            record: Selector::parse(&def.record_selector).ok(),
            structured: def.structured(),
            extent: def.record_extent,
            fields: def
                .fields
                .iter()
                .map(|f| (f.clone(), parse_optional(&f.selector)))
                .collect(),
            next_page: def
                .next_page
                .as_ref()
                .and_then(|next| Selector::parse(&next.selector).ok()),
        }
    }

    /// The records, next page and JavaScript verdict of one page.
    pub fn extract(&self, html: &str, page_url: &url::Url) -> PageExtraction {
        let doc = Html::parse_document(html);
        let mut out = PageExtraction::default();
        if let Some(source) = &self.structured {
            let documents = source.format.documents(&doc, page_url);
            let shown = PageText::new(&doc);
            for object in source.objects(&documents) {
                match structured_record(object, &self.fields, page_url, &shown) {
                    Ok(values) => out.records.push(values),
                    Err(field) => out.drop_for(field),
                }
            }
        } else if let Some(record_sel) = &self.record {
            let fields: Vec<(&FieldRule, Option<&Selector>)> =
                self.fields.iter().map(|(f, s)| (f, s.as_ref())).collect();
            let mut siblings: Vec<ElementRef<'_>>;
            for record in doc.select(record_sel) {
                let span = match self.extent {
                    RecordExtent::Element => std::slice::from_ref(&record),
                    RecordExtent::UntilNext => {
                        siblings = record_span(record, record_sel);
                        &siblings
                    }
                };
                match extract_record(span, &fields, page_url) {
                    Ok(values) => out.records.push(values),
                    Err(field) => out.drop_for(field),
                }
            }
        }
        if let Some(next) = &self.next_page {
            out.next_page = next_page_by(&doc, next, page_url);
        }
        out.needs_javascript = out.records.is_empty() && looks_like_js_shell(&doc);
        out
    }
}

impl PageExtraction {
    /// A record left out because the required `field` found nothing.
    fn drop_for(&mut self, field: &str) {
        self.dropped += 1;
        if !self.dropped_by.iter().any(|f| f == field) {
            self.dropped_by.push(field.to_string());
        }
    }
}

/// An empty selector means "the record itself" (`Some(None)`); a bad one matches nothing.
fn parse_optional(selector: &str) -> Option<Selector> {
    if selector.trim().is_empty() {
        None
    } else {
        Selector::parse(selector).ok()
    }
}

/// The record's values, or the name of the required field that found nothing.
fn extract_record<'f>(
    span: &[ElementRef<'_>],
    fields: &[(&'f FieldRule, Option<&Selector>)],
    page_url: &url::Url,
) -> Result<Map<String, Value>, &'f str> {
    let mut values = Map::with_capacity(fields.len());
    for &(rule, selector) in fields {
        match rule_value(span, rule, selector, page_url) {
            Some(v) => {
                values.insert(rule.name.clone(), Value::String(v));
            }
            None if rule.optional => {
                values.insert(rule.name.clone(), Value::String(String::new()));
            }
            None => return Err(&rule.name),
        }
    }
    Ok(values)
}

/// One object of structured data as a record: each field's value at its path, as the page
/// shows it, or the name of a required field that has none.
fn structured_record<'f>(
    object: &Map<String, Value>,
    fields: &'f [(FieldRule, Option<Selector>)],
    page_url: &url::Url,
    shown: &PageText,
) -> Result<Map<String, Value>, &'f str> {
    let mut values = Map::with_capacity(fields.len());
    for (rule, _) in fields {
        let value = rule
            .path
            .as_deref()
            .and_then(|path| {
                let raw = super::json_ld::value_at(object, path, page_url)?;
                Some(as_shown(object, path, raw, shown))
            })
            .and_then(|v| {
                if rule.number {
                    first_number(&v)
                } else {
                    Some(v)
                }
            });
        match value {
            Some(v) => values.insert(rule.name.clone(), Value::String(v)),
            None if rule.optional => values.insert(rule.name.clone(), Value::String(String::new())),
            None => return Err(&rule.name),
        };
    }
    Ok(values)
}

/// The first number written in `text` ("Rated 4.5 out of 5" -> "4.5", "4,5/5" -> "4,5").
pub fn first_number(text: &str) -> Option<String> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let mut end = 0;
    for (i, c) in rest.char_indices() {
        let joins =
            matches!(c, '.' | ',') && rest[i + 1..].starts_with(|d: char| d.is_ascii_digit());
        if c.is_ascii_digit() || joins {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    Some(rest[..end].to_string())
}

/// A record that is an element and the siblings after it, up to the next record, the next
/// heading of the same or a higher rank, or a rule.
pub fn record_span<'a>(record: ElementRef<'a>, record_sel: &Selector) -> Vec<ElementRef<'a>> {
    let rank = heading_rank(record);
    let mut span = vec![record];
    for sibling in record.next_siblings().filter_map(ElementRef::wrap) {
        let ends = record_sel.matches(&sibling)
            || sibling.value().name() == "hr"
            || heading_rank(sibling).is_some_and(|r| rank.is_some_and(|own| r <= own));
        if ends {
            break;
        }
        span.push(sibling);
    }
    span
}

fn heading_rank(el: ElementRef<'_>) -> Option<u8> {
    match el.value().name().as_bytes() {
        [b'h', n @ b'1'..=b'6'] => Some(n - b'0'),
        _ => None,
    }
}

/// The elements of a record that `selector` finds, in order: for each element of the span,
/// itself when it matches, then its matching descendants.
pub fn select_in_span<'a, 'b>(
    span: &'b [ElementRef<'a>],
    selector: &'b Selector,
) -> impl Iterator<Item = ElementRef<'a>> + 'b {
    span.iter().enumerate().flat_map(move |(i, el)| {
        // The record element itself is addressed by the empty selector, not by matching.
        let own = (i > 0 && selector.matches(el)).then_some(*el);
        own.into_iter().chain(el.select(selector))
    })
}

/// The value of one field in a record (`span`), per its rule; `selector` is the rule's
/// selector parsed (None: empty, or not valid).
pub fn rule_value(
    span: &[ElementRef<'_>],
    rule: &FieldRule,
    selector: Option<&Selector>,
    page_url: &url::Url,
) -> Option<String> {
    let record = *span.first()?;
    // The record itself for an empty selector, else what the selector finds in the span.
    let itself = rule.selector.trim().is_empty();
    let mut targets = std::iter::once(record).filter(|_| itself).chain(
        selector
            .filter(|_| !itself)
            .into_iter()
            .flat_map(|s| select_in_span(span, s)),
    );
    if let Some(label) = &rule.label {
        return targets.find_map(|el| labelled_value(&collapsed_text(el), label));
    }
    let el = targets.next()?;
    if rule.class_number {
        return class_number(el);
    }
    let value = element_value(el, rule.attribute.as_deref(), page_url)?;
    if rule.number {
        first_number(&value)
    } else {
        Some(value)
    }
}

/// "Brand: Acme" with label "brand" -> "Acme".
pub fn labelled_value(text: &str, label: &str) -> Option<String> {
    let (head, value) = text.split_once(':')?;
    let value = value.trim();
    (head.trim().eq_ignore_ascii_case(label.trim()) && !value.is_empty()).then(|| value.to_string())
}

const NUMBER_NAMES: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// "Four", "one": a number spelled out.
pub fn is_number_name(word: &str) -> bool {
    NUMBER_NAMES.iter().any(|n| word.eq_ignore_ascii_case(n))
}

/// The number in a class name (`stars-4`, `rating_45`) or spelled as one (`Four`).
pub fn class_number(el: ElementRef<'_>) -> Option<String> {
    el.value().classes().find_map(|class| {
        let digits: String = class.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            return Some(digits);
        }
        NUMBER_NAMES
            .iter()
            .position(|n| class.eq_ignore_ascii_case(n))
            .map(|n| n.to_string())
    })
}

/// The value of an element: an attribute (URLs made absolute) or its collapsed text. Empty
/// values count as missing.
pub fn element_value(
    el: ElementRef<'_>,
    attribute: Option<&str>,
    page_url: &url::Url,
) -> Option<String> {
    let value = match attribute {
        Some(attr) => {
            let raw = el.value().attr(attr)?.trim();
            if is_url_attribute(attr) && !raw.is_empty() {
                page_url
                    .join(raw)
                    .map_or_else(|_| raw.to_string(), |u| u.to_string())
            } else {
                raw.to_string()
            }
        }
        None => collapsed_text(el),
    };
    (!value.is_empty()).then_some(value)
}

fn is_url_attribute(attr: &str) -> bool {
    matches!(
        attr.to_ascii_lowercase().as_str(),
        "href" | "src" | "data-src" | "data-href" | "poster" | "action"
    )
}

/// The text of an element with runs of whitespace collapsed to one space, trimmed; text in
/// scripts and styles does not count. Built in one pass, word by word, into one string.
pub fn collapsed_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    // Whitespace seen since the last word written.
    let mut gap = false;
    for node in el.descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let hidden = node.ancestors().filter_map(ElementRef::wrap).any(|a| {
            matches!(
                a.value().name(),
                "script" | "style" | "template" | "noscript"
            )
        });
        if hidden {
            continue;
        }
        // Text nodes join as written: "$5" and "00" in two nodes make "$500", and whitespace
        // at the edge of either makes one space.
        gap |= text.starts_with(char::is_whitespace);
        let mut words = text.split_whitespace();
        if let Some(first) = words.next() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(first);
            for word in words {
                out.push(' ');
                out.push_str(word);
            }
            gap = text.ends_with(char::is_whitespace);
        }
    }
    out
}

/// The first element matching `selector` that carries an `href` (its own, or of a link
/// inside it) pointing to another http(s) page.
pub fn find_next_page(doc: &Html, selector: &str, page_url: &url::Url) -> Option<url::Url> {
    next_page_by(doc, &Selector::parse(selector).ok()?, page_url)
}

/// [`find_next_page`] with the selector parsed.
fn next_page_by(doc: &Html, selector: &Selector, page_url: &url::Url) -> Option<url::Url> {
    static LINK_INSIDE: LazyLock<Selector> =
        LazyLock::new(|| Selector::parse("a[href]").expect("a valid selector"));
    let here = without_fragment(page_url);
    doc.select(selector).find_map(|el| {
        let href = el.value().attr("href").or_else(|| {
            el.select(&LINK_INSIDE)
                .next()
                .and_then(|a| a.value().attr("href"))
        })?;
        let next = page_url.join(href.trim()).ok()?;
        (matches!(next.scheme(), "http" | "https") && without_fragment(&next) != here)
            .then_some(next)
    })
}

fn without_fragment(url: &url::Url) -> url::Url {
    let mut u = url.clone();
    u.set_fragment(None);
    u
}

/// Whether a page is an application shell that only JavaScript fills: little visible text and
/// either a `<noscript>` asking for JavaScript, a well-known mount point (`#root`, `#app`,
/// `#__next`, `#__nuxt`, `<app-root>`) or scripts and nearly nothing else.
pub fn looks_like_js_shell(doc: &Html) -> bool {
    let visible = Selector::parse("body")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map_or(0, |body| collapsed_text(body).chars().count());
    if visible > 400 {
        return false;
    }
    let asks_for_js = Selector::parse("noscript").ok().is_some_and(|s| {
        doc.select(&s).any(|n| {
            let text = n.text().collect::<String>().to_lowercase();
            text.contains("javascript") || text.contains("js ")
        })
    });
    let mount_point = Selector::parse(
        "#root, #app, #__next, #__nuxt, #___gatsby, app-root, [ng-app], [data-reactroot]",
    )
    .ok()
    .is_some_and(|s| doc.select(&s).next().is_some());
    let scripts = Selector::parse("script")
        .ok()
        .map_or(0, |s| doc.select(&s).count());
    asks_for_js || (scripts > 0 && (mount_point || visible < 80))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(json: serde_json::Value) -> AgentDefinition {
        let mut base = serde_json::json!({"start_urls": ["http://shop.test/list"]});
        base.as_object_mut()
            .unwrap()
            .extend(json.as_object().unwrap().clone());
        serde_json::from_value(base).unwrap()
    }

    const LIST: &str = r##"<html><body>
      <ul class="items">
        <li class="item"><a href="/p/1">  Red
            mug </a><span class="price">$5.00</span><img src="img/1.png"><em class="tag">new</em></li>
        <li class="item"><a href="https://cdn.test/p/2">Blue mug</a><span class="price">$6.50</span><img src="/img/2.png"></li>
        <li class="item"><a href="/p/3">No price</a></li>
      </ul>
      <a class="next" href="#top">same page</a>
      <a class="next" href="/list?page=2">Next</a>
    </body></html>"##;

    #[test]
    fn fields_take_text_or_absolute_attributes_and_required_fields_drop_records() {
        let d = def(serde_json::json!({
            "record_selector": "li.item",
            "fields": [
                {"name": "name", "selector": "a"},
                {"name": "link", "selector": "a", "attribute": "href"},
                {"name": "price", "selector": ".price"},
                {"name": "image", "selector": "img", "attribute": "src"},
                {"name": "tag", "selector": ".tag", "optional": true},
                {"name": "whole", "selector": ""}
            ],
            "next_page": {"selector": "a.next"}
        }));
        let page = url::Url::parse("http://shop.test/list").unwrap();
        let out = extract_page(&d, LIST, &page);
        assert_eq!(out.records.len(), 2);
        assert_eq!(out.dropped, 1, "the item without a price is dropped");
        let first = &out.records[0];
        assert_eq!(first["name"], "Red mug");
        assert_eq!(first["link"], "http://shop.test/p/1");
        assert_eq!(first["image"], "http://shop.test/img/1.png");
        assert_eq!(first["tag"], "new");
        assert_eq!(first["whole"], "Red mug $5.00new");
        let second = &out.records[1];
        assert_eq!(second["link"], "https://cdn.test/p/2");
        assert_eq!(second["tag"], "", "a missing optional field is empty");
        let keys: Vec<&String> = first.keys().collect();
        assert_eq!(keys.len(), 6);
        assert_eq!(
            out.next_page.unwrap().as_str(),
            "http://shop.test/list?page=2",
            "a link to the same page is skipped"
        );
        assert!(!out.needs_javascript);
    }

    #[test]
    fn span_records_labels_and_class_numbers() {
        let html = r#"<main><h2>First</h2><p class="date">May 1</p><p>Brand: Acme</p><p class="stars stars-4"></p>
            <h2>Second</h2><p class="date">May 2</p><p>Weight: 2 kg</p><p class="star-rating Three"></p><hr><p>Brand: Outside</p></main>"#;
        let d = def(serde_json::json!({
            "record_selector": "main > h2",
            "record_extent": "until_next",
            "fields": [
                {"name": "title", "selector": ""},
                {"name": "date", "selector": "p.date"},
                {"name": "brand", "selector": "p", "label": "Brand", "optional": true},
                {"name": "rating", "selector": "p:last-child, p[class*=star]", "class_number": true}
            ]
        }));
        assert!(d.validate().is_ok());
        let out = extract_page(&d, html, &url::Url::parse("http://shop.test/").unwrap());
        let rows: Vec<Vec<&str>> = out
            .records
            .iter()
            .map(|r| r.values().map(|v| v.as_str().unwrap()).collect())
            .collect();
        assert_eq!(
            rows,
            [
                ["First", "May 1", "Acme", "4"],
                ["Second", "May 2", "", "3"]
            ],
            "a record stops at the next heading and at a rule"
        );
    }

    #[test]
    fn json_ld_records_and_numbers_in_labels() {
        let html = r#"<html><head><script type="application/ld+json">[
            {"@type": "Event", "name": "Jazz", "location": {"@type": "Place", "name": "Hall"}},
            {"@type": "Event", "name": "Poetry"}]</script></head><body>
            <div class="r" aria-label="Rated 4.5 out of 5 stars"></div></body></html>"#;
        let d = def(serde_json::json!({
            "json_ld": "Event",
            "fields": [
                {"name": "name", "path": "name"},
                {"name": "venue", "path": "location", "optional": true}
            ]
        }));
        assert!(d.validate().is_ok());
        let out = extract_page(&d, html, &url::Url::parse("http://x.test/").unwrap());
        let venues: Vec<&str> = out
            .records
            .iter()
            .map(|r| r["venue"].as_str().unwrap())
            .collect();
        assert_eq!(venues, ["Hall", ""]);
        assert_eq!(out.records[1]["name"], "Poetry");
        let d = def(serde_json::json!({
            "record_selector": "body",
            "fields": [{"name": "rating", "selector": "div.r", "attribute": "aria-label", "number": true}]
        }));
        let out = extract_page(&d, html, &url::Url::parse("http://x.test/").unwrap());
        assert_eq!(out.records[0]["rating"], "4.5");
        assert_eq!(first_number("4,5/5").as_deref(), Some("4,5"));
    }

    #[test]
    fn microdata_rdfa_and_meta_records_read_paths_as_the_page_shows_them() {
        let html = r#"<html><head><meta property="og:title" content="Walnut desk">
            <meta property="product:price:amount" content="310"><meta property="product:price:currency" content="EUR"></head>
            <body><div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Walnut desk</h1>
            <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><meta itemprop="priceCurrency" content="EUR">
            <span itemprop="price" content="310.00">310,00 €</span>
            <link itemprop="availability" href="https://schema.org/PreOrder"></div></div>
            <ul vocab="https://schema.org/"><li typeof="Person"><span property="name">Ana</span></li>
            <li typeof="Person"><span property="jobTitle">Joiner</span></li></ul><a rel="next" href="?p=2">next</a></body></html>"#;
        let url = url::Url::parse("http://desk.test/p").unwrap();
        let d = def(serde_json::json!({
            "microdata": "Product",
            "fields": [
                {"name": "title", "path": "name"},
                {"name": "price", "path": "offers.price"},
                {"name": "stock", "path": "offers.availability"}
            ],
            "next_page": {"selector": "a[rel=next]"}
        }));
        assert!(d.validate().is_ok(), "{:?}", d.validate());
        let out = extract_page(&d, html, &url);
        assert_eq!(out.records.len(), 1);
        let record = &out.records[0];
        assert_eq!(record["title"], "Walnut desk");
        assert_eq!(record["price"], "310,00 €");
        assert_eq!(record["stock"], "Pre Order");
        assert_eq!(out.next_page.unwrap().as_str(), "http://desk.test/p?p=2");
        let people = def(serde_json::json!({
            "rdfa": "Person",
            "fields": [{"name": "name", "path": "name"}]
        }));
        let out = extract_page(&people, html, &url);
        assert_eq!(out.records.len(), 1, "the person without a name is dropped");
        assert_eq!(out.dropped, 1);
        let meta = def(serde_json::json!({
            "page_meta": true,
            "fields": [{"name": "title", "path": "og:title"}, {"name": "price", "path": "product:price:amount"}]
        }));
        let out = extract_page(&meta, html, &url);
        assert_eq!(out.records.len(), 1);
        assert_eq!(out.records[0]["price"], "310,00 €");
    }

    #[test]
    fn a_bad_selector_yields_nothing_instead_of_panicking() {
        let d = def(serde_json::json!({
            "record_selector": "li[",
            "fields": [{"name": "name", "selector": "a"}]
        }));
        let out = extract_page(&d, LIST, &url::Url::parse("http://shop.test/").unwrap());
        assert!(out.records.is_empty());
        assert!(out.next_page.is_none());
    }

    #[test]
    fn application_shells_are_recognised_but_ordinary_empty_pages_are_not() {
        let d = def(serde_json::json!({
            "record_selector": "li.item",
            "fields": [{"name": "name", "selector": "a"}]
        }));
        let url = url::Url::parse("http://app.test/").unwrap();
        let react = r#"<html><head><script src="/main.js"></script></head><body><div id="root"></div></body></html>"#;
        assert!(extract_page(&d, react, &url).needs_javascript);
        let noscript = r#"<html><body><noscript>You need to enable JavaScript to run this app.</noscript><div class="shell"></div></body></html>"#;
        assert!(extract_page(&d, noscript, &url).needs_javascript);
        let article = format!(
            "<html><body><script>var a=1;</script><h1>About us</h1><p>{}</p></body></html>",
            "We sell mugs of all colours and sizes. ".repeat(20)
        );
        assert!(!extract_page(&d, &article, &url).needs_javascript);
        // With records found the page plainly works, whatever its scripts.
        let with_records = r#"<html><body><div id="root"><ul><li class="item"><a>x</a></li></ul></div><script></script></body></html>"#;
        let out = extract_page(&d, with_records, &url);
        assert_eq!(out.records.len(), 1);
        assert!(!out.needs_javascript);
    }
}
