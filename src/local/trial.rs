//! Trying a definition on a page without saving it: the records it yields, how often each
//! field matched, and what matched nothing, in words a person (or an assistant fixing a
//! selector) can act on. The editor's dry-run and the builder's follow-ups both test a
//! changed definition here.
//!
//! Also the merging of a partial change onto an agent's definition, so a caller fixes one
//! selector without repeating the whole definition.

use scraper::{Html, Selector};
use serde_json::{Map, Value};

use super::definition::{AgentDefinition, RecordExtent};
use super::extract::{extract_page, record_span, rule_value, select_in_span};
use super::fetch::{FetchedPage, Fetcher};
use super::structured_data::{Format, Source};
use crate::api::types::{DefinitionTestResult, FieldTestResult};

/// Records shown as a sample of what a definition extracts.
pub const SAMPLE_RECORDS: usize = 5;

/// The page a definition is tested on: `url`, or the definition's first start URL.
pub async fn fetch_test_page(
    definition: &AgentDefinition,
    url: Option<&url::Url>,
    fetcher: &Fetcher,
) -> Result<FetchedPage, String> {
    let url = match url {
        Some(url) => url.clone(),
        None => definition
            .start_urls
            .first()
            .and_then(|u| url::Url::parse(u).ok())
            .ok_or("The agent has no valid start URL to test on.")?,
    };
    fetcher
        .fetch(&url)
        .await
        .map_err(|e| format!("I could not load {url} to test the definition: {e}."))
}

/// The first records, no more than the definition keeps.
pub fn sample(
    definition: &AgentDefinition,
    records: Vec<Map<String, Value>>,
) -> Vec<Map<String, Value>> {
    let keep = definition
        .max_records
        .map_or(SAMPLE_RECORDS, |n| SAMPLE_RECORDS.min(n as usize));
    records.into_iter().take(keep).collect()
}

/// Applies `definition` to one page and measures every selector: records kept and dropped,
/// each field's hit rate over the elements the record selector matched (a field counts as
/// matched when it yields a value, whether it is optional or not), and a sentence for each
/// selector that matched nothing.
pub fn evaluate(
    definition: &AgentDefinition,
    html: &str,
    page_url: &url::Url,
) -> DefinitionTestResult {
    let extraction = extract_page(definition, html, page_url);
    let doc = Html::parse_document(html);
    if let Some(source) = definition.structured() {
        return evaluate_structured(definition, &source, &doc, extraction, page_url);
    }
    let record_sel = Selector::parse(&definition.record_selector).ok();
    let spans: Vec<_> = record_sel
        .as_ref()
        .map(|sel| {
            doc.select(sel)
                .map(|r| match definition.record_extent {
                    RecordExtent::Element => vec![r],
                    RecordExtent::UntilNext => record_span(r, sel),
                })
                .collect()
        })
        .unwrap_or_default();
    let matched = spans.len() as u64;
    let mut unmatched = Vec::new();
    if matched == 0 {
        unmatched.push(format!(
            "record_selector {:?} matched nothing on the page, so no field could match",
            definition.record_selector
        ));
    }
    let mut fields = Vec::new();
    for rule in &definition.fields {
        let selector = (!rule.selector.trim().is_empty())
            .then(|| Selector::parse(&rule.selector).ok())
            .flatten();
        let page_matches = match &selector {
            Some(sel) => doc.select(sel).count() as u64,
            None => u64::from(rule.selector.trim().is_empty()) * matched,
        };
        let mut hits = 0u64;
        let mut elements = 0u64;
        for span in &spans {
            let found = rule.selector.trim().is_empty()
                || selector
                    .as_ref()
                    .is_some_and(|s| select_in_span(span, s).next().is_some());
            elements += u64::from(found);
            hits += u64::from(rule_value(span, rule, selector.as_ref(), page_url).is_some());
        }
        let hit_rate = if matched == 0 {
            0.0
        } else {
            (hits as f64 / matched as f64 * 1000.0).round() / 1000.0
        };
        if matched > 0 && hits < matched {
            unmatched.push(field_problem(rule, matched, hits, elements, page_matches));
        }
        fields.push(FieldTestResult {
            name: rule.name.clone(),
            selector: rule.selector.clone(),
            attribute: rule.attribute.clone(),
            label: rule.label.clone(),
            hits,
            hit_rate,
            page_matches,
        });
    }
    if let Some(next) = &definition.next_page
        && extraction.next_page.is_none()
    {
        unmatched.push(format!(
            "next_page selector {:?} found no link to another page here (the run stops after this page)",
            next.selector
        ));
    }
    if extraction.needs_javascript {
        unmatched.push(
            "the page looks like a JavaScript application shell: the engine reads the HTML as served, without running scripts".into(),
        );
    }
    DefinitionTestResult {
        url: page_url.to_string(),
        record_selector: definition.record_selector.clone(),
        records_matched: matched,
        records_kept: extraction.records.len() as u64,
        dropped: u64::from(extraction.dropped),
        sample_records: sample(definition, extraction.records)
            .into_iter()
            .map(Value::Object)
            .collect(),
        fields,
        unmatched,
        next_page_selector: definition.next_page.as_ref().map(|n| n.selector.clone()),
        next_page: extraction.next_page.map(|u| u.to_string()),
        needs_javascript: extraction.needs_javascript,
        ..DefinitionTestResult::default()
    }
}

/// [`evaluate`] for records read from the page's structured data: objects of the type, and
/// each field's hit rate over them (the source and path shown where selectors would be:
/// `microdata Product`, `microdata offers.price`).
fn evaluate_structured(
    definition: &AgentDefinition,
    source: &Source,
    doc: &Html,
    extraction: super::extract::PageExtraction,
    page_url: &url::Url,
) -> DefinitionTestResult {
    let documents = source.format.documents(doc, page_url);
    let objects = source.objects(&documents);
    let matched = objects.len() as u64;
    let (format, type_name) = (source.format, &source.type_name);
    let mut unmatched = Vec::new();
    if matched == 0 {
        unmatched.push(match format {
            Format::PageMeta => {
                "the page has no OpenGraph or Twitter meta tags, so no field could match"
                    .to_string()
            }
            _ => format!(
                "the page's {} holds no item of type {type_name:?}, so no field could match",
                format.words()
            ),
        });
    }
    let fields = definition
        .fields
        .iter()
        .map(|rule| {
            let path = rule.path.clone().unwrap_or_default();
            let hits = objects
                .iter()
                .filter(|o| super::json_ld::value_at(o, &path, page_url).is_some())
                .count() as u64;
            if hits < matched {
                unmatched.push(format!(
                    "{}: path {path:?} holds no value in {} of {matched} {} object(s)",
                    rule.name,
                    matched - hits,
                    source.describe()
                ));
            }
            FieldTestResult {
                name: rule.name.clone(),
                selector: format!("{} {path}", format.key()),
                attribute: None,
                label: None,
                hits,
                hit_rate: if matched == 0 {
                    0.0
                } else {
                    (hits as f64 / matched as f64 * 1000.0).round() / 1000.0
                },
                page_matches: hits,
            }
        })
        .collect();
    DefinitionTestResult {
        url: page_url.to_string(),
        record_selector: source.describe(),
        records_matched: matched,
        records_kept: extraction.records.len() as u64,
        dropped: u64::from(extraction.dropped),
        sample_records: sample(definition, extraction.records)
            .into_iter()
            .map(Value::Object)
            .collect(),
        fields,
        unmatched,
        next_page_selector: definition.next_page.as_ref().map(|n| n.selector.clone()),
        next_page: extraction.next_page.map(|u| u.to_string()),
        needs_javascript: false,
        ..DefinitionTestResult::default()
    }
}

/// Why a field missed in some records, with what the page holds instead.
fn field_problem(
    rule: &super::definition::FieldRule,
    matched: u64,
    hits: u64,
    elements: u64,
    page_matches: u64,
) -> String {
    let name = &rule.name;
    let sel = &rule.selector;
    let misses = matched - hits;
    let consequence = if rule.optional {
        "left empty"
    } else {
        "dropped, since the field is required"
    };
    let why = if page_matches == 0 {
        format!("selector {sel:?} matches nothing on the whole page")
    } else if elements == 0 {
        format!(
            "selector {sel:?} matches {page_matches} element(s) on the page but none inside the records"
        )
    } else if let Some(attr) = &rule.attribute {
        format!(
            "the element {sel:?} finds has no {attr:?} attribute (or it is empty) in {misses} record(s)"
        )
    } else if let Some(label) = &rule.label {
        format!("no element {sel:?} finds starts with \"{label}:\" in {misses} record(s)")
    } else if rule.class_number {
        format!("the element {sel:?} finds has no number in its class names in {misses} record(s)")
    } else if elements < matched {
        format!(
            "selector {sel:?} finds no element in {} record(s)",
            matched - elements
        )
    } else {
        format!("the element {sel:?} finds is empty in {misses} record(s)")
    };
    format!("{name}: {why}; matched {hits} of {matched} records ({misses} {consequence})")
}

/// Whether `key` says where a definition's records come from (`record_selector`, `json_ld`,
/// `microdata`, `rdfa`, `page_meta`): a change holding one, `start_urls` and `fields` is a
/// whole definition.
pub fn is_source_key(key: &str) -> bool {
    key == "record_selector" || Format::ALL.iter().any(|f| f.key() == key)
}

/// The definition a change makes of `current`. A change holding `start_urls`,
/// `record_selector` (or a structured source: `json_ld`, `microdata`, `rdfa`, `page_meta`) and `fields` is a whole definition and replaces `current`. Otherwise its
/// keys replace the current ones (`null` removes one, e.g. `"next_page": null`; `next_page`
/// and `success_criteria` merge key by key), and its `fields` are matched by name: the given
/// keys replace that field's (`null` removes one), a new name adds a field at the end, and
/// `"remove": true` drops the field. The result is validated.
pub fn merge(current: Option<&AgentDefinition>, change: &Value) -> Result<AgentDefinition, String> {
    let Value::Object(change) = change else {
        return Err("definition must be a JSON object".into());
    };
    let whole = ["start_urls", "fields"]
        .iter()
        .all(|k| change.contains_key(*k))
        && change.keys().any(|k| is_source_key(k));
    let merged = match current {
        Some(current) if !whole => {
            let Ok(Value::Object(mut base)) = serde_json::to_value(current) else {
                return Err("the agent's current definition could not be read".into());
            };
            // A change that says where the records come from replaces where they came from.
            if change.keys().any(|k| is_source_key(k)) {
                base.retain(|k, _| !is_source_key(k) || change.contains_key(k));
                base.insert("record_selector".into(), Value::String(String::new()));
            }
            for (key, value) in change {
                match (key.as_str(), value) {
                    (_, Value::Null) => {
                        base.remove(key);
                    }
                    ("fields", Value::Array(changes)) => {
                        let fields = base
                            .entry("fields")
                            .or_insert_with(|| Value::Array(Vec::new()));
                        merge_fields(fields, changes)?;
                    }
                    (_, Value::Object(inner)) if base.get(key).is_some_and(Value::is_object) => {
                        let target = base.get_mut(key).and_then(Value::as_object_mut);
                        let target = target.expect("checked to be an object");
                        merge_object(target, inner);
                    }
                    _ => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
            Value::Object(base)
        }
        None if !whole => {
            return Err(
                "without an agent, the definition must be whole: start_urls, record_selector and fields"
                    .into(),
            );
        }
        _ => Value::Object(change.clone()),
    };
    AgentDefinition::from_json(merged)
}

fn merge_object(target: &mut Map<String, Value>, change: &Map<String, Value>) {
    for (key, value) in change {
        if value.is_null() {
            target.remove(key);
        } else {
            target.insert(key.clone(), value.clone());
        }
    }
}

fn merge_fields(fields: &mut Value, changes: &[Value]) -> Result<(), String> {
    let Value::Array(fields) = fields else {
        return Err("the agent's fields could not be read".into());
    };
    for change in changes {
        let Some(change) = change.as_object() else {
            return Err("each entry of fields must be an object with a name".into());
        };
        let Some(name) = change.get("name").and_then(Value::as_str) else {
            return Err(
                "each entry of fields must have a name (the field it changes or adds)".into(),
            );
        };
        let at = fields
            .iter()
            .position(|f| f.get("name").and_then(Value::as_str) == Some(name));
        let remove = change.get("remove").and_then(Value::as_bool) == Some(true);
        match (at, remove) {
            (Some(i), true) => {
                fields.remove(i);
            }
            (None, true) => {
                let names: Vec<&str> = fields
                    .iter()
                    .filter_map(|f| f.get("name").and_then(Value::as_str))
                    .collect();
                return Err(format!(
                    "there is no field {name:?} to remove; the fields are {}",
                    names.join(", ")
                ));
            }
            (Some(i), false) => {
                if let Some(target) = fields[i].as_object_mut() {
                    let mut change = change.clone();
                    change.remove("remove");
                    merge_object(target, &change);
                }
            }
            (None, false) => {
                let mut added = change.clone();
                added.remove("remove");
                fields.push(Value::Object(added));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn current() -> AgentDefinition {
        serde_json::from_value(json!({
            "start_urls": ["http://shop.test/list"],
            "record_selector": "li.item",
            "fields": [
                {"name": "name", "selector": "a"},
                {"name": "price", "selector": ".prise"},
                {"name": "link", "selector": "a", "attribute": "href"}
            ],
            "next_page": {"selector": "a.next", "max_pages": 3}
        }))
        .unwrap()
    }

    const PAGE: &str = r#"<ul><li class="item"><a href="/1">One</a><span class="price">$1</span></li>
        <li class="item"><a href="/2">Two</a><span class="price">$2</span></li></ul>"#;

    #[test]
    fn microdata_definitions_are_tried_by_path_and_a_new_source_replaces_the_old_one() {
        let html = r#"<div itemscope itemtype="https://schema.org/Course"><h3 itemprop="name">Knots</h3>
            <span itemprop="provider" itemscope itemtype="https://schema.org/Organization"><i itemprop="name">Rope Guild</i></span></div>
            <div itemscope itemtype="https://schema.org/Course"><h3 itemprop="name">Splices</h3></div>"#;
        let events = merge(
            None,
            &json!({"start_urls": ["http://x.test/"], "json_ld": "Event", "fields": [{"name": "name", "path": "name"}]}),
        )
        .unwrap();
        let change = json!({"microdata": "Course", "fields": [
            {"name": "school", "path": "provider.name", "optional": true}]});
        let def = merge(Some(&events), &change).unwrap();
        assert_eq!(def.json_ld, None, "the new source replaced the old");
        assert_eq!(def.structured().unwrap().type_name, "Course");
        let result = evaluate(&def, html, &url::Url::parse("http://x.test/").unwrap());
        assert_eq!(result.record_selector, "microdata Course");
        assert_eq!(result.records_matched, 2);
        assert_eq!(result.fields[1].selector, "microdata provider.name");
        assert_eq!(result.fields[1].hits, 1);
        assert!(
            result.unmatched[0].contains("provider.name") && result.unmatched[0].contains("1 of 2"),
            "{:?}",
            result.unmatched
        );
        assert_eq!(result.sample_records[0]["school"], "Rope Guild");
    }

    #[test]
    fn json_ld_definitions_are_tried_by_path() {
        let html = r#"<script type="application/ld+json">{"@type": "ItemList", "itemListElement": [
            {"@type": "ListItem", "item": {"@type": "Event", "name": "Jazz", "startDate": "2025-04-12"}},
            {"@type": "ListItem", "item": {"@type": "Event", "name": "Poetry"}}]}</script>"#;
        let def = merge(
            None,
            &json!({"start_urls": ["http://x.test/"], "json_ld": "Event", "fields": [
                {"name": "name", "path": "name"},
                {"name": "date", "path": "startDate", "optional": true}]}),
        )
        .unwrap();
        let result = evaluate(&def, html, &url::Url::parse("http://x.test/").unwrap());
        assert_eq!((result.records_matched, result.records_kept), (2, 2));
        assert_eq!(result.record_selector, "json_ld Event");
        assert_eq!(result.fields[1].hits, 1);
        assert_eq!(result.fields[1].selector, "json_ld startDate");
        assert!(
            result.unmatched[0].contains("path \"startDate\" holds no value in 1 of 2"),
            "{:?}",
            result.unmatched
        );
    }

    #[test]
    fn partial_changes_merge_by_field_name_and_whole_ones_replace() {
        let fixed = merge(
            Some(&current()),
            &json!({"fields": [{"name": "price", "selector": ".price"}, {"name": "link", "remove": true}, {"name": "sku", "selector": ".sku", "optional": true}], "next_page": {"max_pages": 5}}),
        )
        .unwrap();
        let names: Vec<&str> = fixed.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["name", "price", "sku"]);
        assert_eq!(fixed.fields[1].selector, ".price");
        assert_eq!(fixed.max_pages(), 5);
        assert_eq!(fixed.next_page.as_ref().unwrap().selector, "a.next");
        let no_paging = merge(Some(&current()), &json!({"next_page": null})).unwrap();
        assert!(no_paging.next_page.is_none());
        let whole = merge(
            Some(&current()),
            &json!({"start_urls": ["http://x.test/"], "record_selector": "tr", "fields": [{"name": "a", "selector": "td"}]}),
        )
        .unwrap();
        assert_eq!((whole.fields.len(), whole.next_page), (1, None));
        assert!(
            merge(None, &json!({"record_selector": "tr"}))
                .unwrap_err()
                .contains("whole")
        );
        assert!(
            merge(
                Some(&current()),
                &json!({"fields": [{"name": "price", "selecter": "x"}]})
            )
            .unwrap_err()
            .contains("selecter")
        );
        assert!(
            merge(Some(&current()), &json!({"record_selector": "li["}))
                .unwrap_err()
                .contains("record_selector")
        );
    }

    #[test]
    fn hit_rates_and_misses_are_measured_per_field() {
        let url = url::Url::parse("http://shop.test/list").unwrap();
        let broken = evaluate(&current(), PAGE, &url);
        assert_eq!(
            (broken.records_matched, broken.records_kept, broken.dropped),
            (2, 0, 2)
        );
        let rates: Vec<f64> = broken.fields.iter().map(|f| f.hit_rate).collect();
        assert_eq!(rates, [1.0, 0.0, 1.0]);
        assert!(
            broken.unmatched[0].starts_with("price: selector \".prise\" matches nothing"),
            "{:?}",
            broken.unmatched
        );
        assert!(broken.unmatched.iter().any(|u| u.contains("next_page")));
        let fixed = merge(
            Some(&current()),
            &json!({"fields": [{"name": "price", "selector": ".price"}]}),
        )
        .unwrap();
        let good = evaluate(&fixed, PAGE, &url);
        assert_eq!(good.fields[1].hit_rate, 1.0);
        assert_eq!(good.records_kept, 2);
        assert_eq!(good.sample_records[1]["price"], "$2");
        assert_eq!(good.sample_records[0]["link"], "http://shop.test/1");
    }
}
