//! Refining a built agent with a follow-up message, as one would in a chat: "add the rating",
//! "drop the price", "rename price to cost", "first page only", "up to 20 items", "skip
//! sponsored". Each change is applied to the definition and tested on the start page, so the
//! user sees fresh sample records before the new version is saved.

use scraper::{ElementRef, Html, Selector};
use serde_json::{Map, Value};

use super::analysis::{ChoiceError, choose};
use super::limits::find_limits;
use super::prompt::{Request, cut_list, split_list, words};
use super::records::stable_classes;
use super::vocabulary::tokens;
use crate::local::definition::AgentDefinition;
use crate::local::extract::{collapsed_text, extract_page};
use crate::local::fetch::Fetcher;
use crate::local::trial::{fetch_test_page, sample};

/// A refined agent, tested on its start page.
#[derive(Debug, Clone)]
pub struct Refined {
    pub definition: AgentDefinition,
    pub sample_records: Vec<Map<String, Value>>,
    /// What changed, one sentence per change, for the user.
    pub changes: Vec<String>,
}

const NOT_UNDERSTOOD: &str = "I did not understand the change. I can add a field (\"add the \
rating\"), drop one (\"drop the price\"), rename one (\"rename price to cost\"), change the page \
or item limit (\"first 3 pages\", \"up to 50 items\") or skip items (\"skip sponsored\").";

/// Applies `message` to `definition`, tests the result on the first start page and returns it.
pub async fn refine_agent(
    definition: &AgentDefinition,
    message: &str,
    fetcher: &Fetcher,
) -> Result<Refined, String> {
    let page = fetch_test_page(definition, None, fetcher).await?;
    let start = &page.url;
    let (definition, changes) = apply(definition, message, &page.html, &page.url)?;
    definition
        .validate()
        .map_err(|e| format!("The changed agent is not valid ({e})."))?;
    let test = extract_page(&definition, &page.html, &page.url);
    if test.records.is_empty() {
        return Err(format!(
            "After the change the agent extracts no records from {start} ({} dropped for missing \
             fields); I kept the previous version.",
            test.dropped
        ));
    }
    Ok(Refined {
        sample_records: sample(&definition, test.records),
        definition,
        changes,
    })
}

/// The definition with every change the message asks for; an error when it asks for none or
/// for one that cannot be made.
fn apply(
    definition: &AgentDefinition,
    message: &str,
    html: &str,
    page_url: &url::Url,
) -> Result<(AgentDefinition, Vec<String>), String> {
    let text = format!(" {} ", message.to_lowercase());
    let mut def = definition.clone();
    let mut changes = Vec::new();
    if let Some((from, to)) = renaming(&text) {
        let field = def
            .fields
            .iter_mut()
            .find(|f| f.name == from)
            .ok_or_else(|| unknown_field(&from, definition))?;
        field.name = to.clone();
        changes.push(format!("Renamed {from} to {to}."));
    } else {
        let dropped = names_after(&text, &[" drop ", " remove ", " delete ", " without "]);
        for name in &dropped {
            if !def.fields.iter().any(|f| &f.name == name) {
                return Err(unknown_field(name, definition));
            }
            def.fields.retain(|f| &f.name != name);
            changes.push(format!("Dropped {name}."));
        }
        let added = names_after(
            &text,
            &[" add ", " include ", " also get ", " also extract "],
        );
        if !added.is_empty() {
            add_fields(&mut def, &added, html, page_url)?;
            changes.push(format!("Added {}.", added.join(", ")));
        }
    }
    let limits = find_limits(&words(&text), None);
    if let Some(pages) = limits.max_pages {
        // A page limit changes the next-page rule; an agent reading one page has none.
        match (&mut def.next_page, pages) {
            (Some(_), 1) => def.next_page = None,
            (Some(next), n) => next.max_pages = n,
            (None, _) => {}
        }
        changes.push(format!("Reads at most {pages} page(s)."));
    }
    if let Some(items) = limits.max_items {
        def.max_records = Some(u64::from(items));
        changes.push(format!("Keeps at most {items} records."));
    }
    if let Some(word) = skipped_word(&text) {
        let doc = Html::parse_document(html);
        def.record_selector = excluding(&doc, &def.record_selector, &word).ok_or_else(|| {
            format!("I found no {word} items among the records on {page_url} to skip.")
        })?;
        changes.push(format!("Skips {word} items."));
    }
    if changes.is_empty() {
        return Err(NOT_UNDERSTOOD.to_string());
    }
    Ok((def, changes))
}

fn unknown_field(name: &str, def: &AgentDefinition) -> String {
    let names: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();
    format!(
        "The agent has no field '{name}'; its fields are {}.",
        names.join(", ")
    )
}

/// "rename price to cost", "call price cost", "rename the price field as cost".
fn renaming(text: &str) -> Option<(String, String)> {
    let rest = [" rename ", " call "]
        .iter()
        .find_map(|v| text.find(v).map(|p| &text[p + v.len()..]))?;
    let names: Vec<&str> = words(rest)
        .into_iter()
        .filter(|w| !matches!(*w, "the" | "field" | "column" | "to" | "as" | "into"))
        .collect();
    match names.as_slice() {
        [from, to, ..] => Some((from.to_string(), to.to_string())),
        _ => None,
    }
}

/// Field names listed after any of `verbs`.
fn names_after(text: &str, verbs: &[&str]) -> Vec<String> {
    let mut names = Vec::new();
    for verb in verbs {
        if let Some(p) = text.find(verb) {
            let list = cut_list(&text[p + verb.len()..]);
            for name in split_list(&list, None) {
                let name = name
                    .trim_end_matches("_field")
                    .trim_end_matches("_column")
                    .to_string();
                if !names.contains(&name) && !matches!(name.as_str(), "field" | "column") {
                    names.push(name);
                }
            }
        }
    }
    names
}

/// Maps the new fields on the page, keeping the fields already there when the records stay
/// the same.
fn add_fields(
    def: &mut AgentDefinition,
    added: &[String],
    html: &str,
    page_url: &url::Url,
) -> Result<(), String> {
    let mut fields: Vec<String> = def.fields.iter().map(|f| f.name.clone()).collect();
    fields.extend(
        added
            .iter()
            .filter(|a| !fields.contains(a))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let request = Request {
        url: page_url.clone(),
        fields,
        max_pages: None,
        max_items: None,
        record_noun: None,
    };
    let choice = choose(html, page_url, &request).map_err(|e| match e {
        ChoiceError::NoRecords(m) | ChoiceError::NeedsJavascript(m) => m,
    })?;
    if let Some(note) = choice.missing_note() {
        return Err(note.replace(
            "so the agent has the other fields only",
            "so I left the agent as it was",
        ));
    }
    if choice.record_selector == def.record_selector && choice.json_ld == def.json_ld {
        let new_rules: Vec<_> = choice
            .fields
            .into_iter()
            .filter(|f| added.contains(&f.name) && !def.fields.iter().any(|d| d.name == f.name))
            .collect();
        def.fields.extend(new_rules);
    } else {
        def.record_selector = choice.record_selector;
        def.json_ld = choice.json_ld;
        def.record_extent = choice.record_extent;
        def.fields = choice.fields;
    }
    Ok(())
}

/// "skip sponsored", "exclude the sponsored items", "ignore ads" -> the word.
fn skipped_word(text: &str) -> Option<String> {
    let rest = [
        " skip ",
        " exclude ",
        " ignore ",
        " leave out ",
        " no more ",
    ]
    .iter()
    .find_map(|v| text.find(v).map(|p| &text[p + v.len()..]))?;
    words(rest)
        .into_iter()
        .find(|w| !matches!(*w, "the" | "all" | "any" | "items" | "ones" | "records"))
        .map(|w| tokens(w).join("_"))
}

/// `record_selector` narrowed to leave out the records marked by `word`: in their classes, in
/// a descendant's classes or in their text. The narrowing is by a class only the marked
/// records carry (on themselves or inside them).
fn excluding(doc: &Html, record_selector: &str, word: &str) -> Option<String> {
    let sel = Selector::parse(record_selector).ok()?;
    let records: Vec<ElementRef> = doc.select(&sel).collect();
    let marks = |el: ElementRef<'_>| {
        el.descendent_elements()
            .any(|d| d.value().classes().flat_map(tokens).any(|t| t == word))
            || collapsed_text(el).to_lowercase().contains(word)
    };
    let (marked, kept): (Vec<ElementRef>, Vec<ElementRef>) =
        records.iter().partition(|r| marks(**r));
    let first = marked.first()?;
    if kept.is_empty() {
        return None;
    }
    let has_class = |el: ElementRef<'_>, class: &str, inside: bool| {
        if inside {
            el.descendent_elements()
                .skip(1)
                .any(|d| stable_classes(d).contains(&class))
        } else {
            stable_classes(el).contains(&class)
        }
    };
    for (inside, el) in first
        .descendent_elements()
        .enumerate()
        .map(|(i, e)| (i > 0, e))
    {
        for class in stable_classes(el) {
            if marked.iter().all(|m| has_class(*m, class, inside))
                && !kept.iter().any(|k| has_class(*k, class, inside))
            {
                let refined = if inside {
                    format!("{record_selector}:not(:has(.{class}))")
                } else {
                    format!("{record_selector}:not(.{class})")
                };
                let check = Selector::parse(&refined).ok()?;
                if doc.select(&check).collect::<Vec<_>>() == kept {
                    return Some(refined);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><body><div class="offers">
        <div class="offer"><h3>Lamp</h3><span class="price">$10.00</span><span class="stock">In stock</span></div>
        <div class="offer"><h3>Desk</h3><span class="price">$90.00</span><span class="stock">2 left</span><em class="sponsored-label">Sponsored</em></div>
        <div class="offer"><h3>Chair</h3><span class="price">$45.00</span><span class="stock">Sold out</span></div>
        <div class="offer"><h3>Shelf</h3><span class="price">$30.00</span><span class="stock">In stock</span></div>
        </div><a rel="next" href="/offers?page=2">Next</a></body></html>"#;

    fn built() -> AgentDefinition {
        serde_json::from_value(serde_json::json!({
            "start_urls": ["http://shop.test/offers"],
            "record_selector": "div.offer",
            "fields": [{"name": "name", "selector": "h3"}, {"name": "price", "selector": "span.price"}],
            "next_page": {"selector": "a[rel=next]", "max_pages": 10}
        }))
        .unwrap()
    }

    fn change(message: &str) -> Result<(AgentDefinition, Vec<String>), String> {
        apply(
            &built(),
            message,
            PAGE,
            &url::Url::parse("http://shop.test/offers").unwrap(),
        )
    }

    fn names(def: &AgentDefinition) -> Vec<&str> {
        def.fields.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn fields_are_added_dropped_and_renamed() {
        let (def, said) = change("please add the stock").unwrap();
        assert_eq!(names(&def), ["name", "price", "stock"]);
        assert_eq!(def.fields[2].selector, "span.stock");
        assert_eq!(said, ["Added stock."]);
        let (def, _) = change("drop the price").unwrap();
        assert_eq!(names(&def), ["name"]);
        let (def, said) = change("rename price to cost").unwrap();
        assert_eq!(names(&def), ["name", "cost"]);
        assert_eq!(said, ["Renamed price to cost."]);
        assert!(
            change("drop the colour")
                .unwrap_err()
                .contains("no field 'colour'")
        );
    }

    #[test]
    fn limits_and_skipped_items() {
        let (def, _) = change("only the first 2 pages").unwrap();
        assert_eq!(def.max_pages(), 2);
        let (def, _) = change("first page only").unwrap();
        assert!(def.next_page.is_none());
        let (def, _) = change("up to 20 items").unwrap();
        assert_eq!(def.max_records, Some(20));
        let (def, said) = change("skip sponsored").unwrap();
        assert_eq!(def.record_selector, "div.offer:not(:has(.sponsored-label))");
        assert_eq!(said, ["Skips sponsored items."]);
        let out = extract_page(
            &def,
            PAGE,
            &url::Url::parse("http://shop.test/offers").unwrap(),
        );
        assert_eq!(out.records.len(), 3);
        assert_eq!(change("make it nicer").unwrap_err(), NOT_UNDERSTOOD);
    }
}
