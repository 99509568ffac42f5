//! Refining a built agent with a follow-up message, as one would in a chat: "add the rating",
//! "drop the price", "rename star rating to stars", "take author from span.byline", "first page
//! only", "all pages", "up to 20 items", "skip out of stock books". Each change is applied to the definition and tested on the start page, so the
//! user sees fresh sample records before the new version is saved.

use scraper::{ElementRef, Html, Selector};
use serde_json::{Map, Value};

use super::analysis::{ChoiceError, choose};
use super::limits::{ALL_PAGES, find_limits};
use super::pagination::next_link_selectors;
use super::prompt::{Request, cut_list, split_list, words};
use super::records::stable_classes;
use super::vocabulary::{snake, tokens};
use crate::local::definition::{AgentDefinition, FieldRule, NextPage};
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
rating\"), take one from a place on the page (\"take author from span.byline\"), drop one \
(\"drop the price\"), rename one (\"rename price to cost\"), change the page or item limit \
(\"first 3 pages\", \"up to 50 items\") or skip items (\"skip sponsored\").";

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
    let text = in_english(&format!(" {} ", message.to_lowercase()));
    let mut def = definition.clone();
    let mut changes = Vec::new();
    if let Some((name, place)) = taking(message) {
        let before = def.fields.iter().find(|f| f.name == name).map(place_of);
        take_field(&mut def, &name, &place, html, page_url)?;
        changes.push(match before {
            Some(old) => format!("Replaced {name}: it was read from {old}, now from `{place}`."),
            None => format!("Added {name} from `{place}`."),
        });
    } else if let Some((from, to)) = renaming(&text) {
        let from = field_named(&def, &from).ok_or_else(|| unknown_field(&from, definition))?;
        if def.fields.iter().any(|f| f.name == to) {
            return Err(format!("The agent already has a field '{to}'."));
        }
        if let Some(field) = def.fields.iter_mut().find(|f| f.name == from) {
            field.name = to.clone();
        }
        changes.push(format!("Renamed {from} to {to}."));
    } else {
        let dropped = names_after(&text, &[" drop ", " remove ", " delete ", " without "]);
        for name in &dropped {
            let name = field_named(&def, name).ok_or_else(|| unknown_field(name, definition))?;
            def.fields.retain(|f| f.name != name);
            changes.push(format!("Dropped {name}."));
        }
        let asked = names_after(
            &text,
            &[" add ", " include ", " also get ", " also extract "],
        );
        let (present, added): (Vec<String>, Vec<String>) = asked
            .into_iter()
            .partition(|name| same_field(&def, name).is_some());
        for name in present {
            let field = same_field(&def, &name).unwrap_or(name);
            changes.push(format!(
                "{field} is already a field; I left it as it was (to read it from elsewhere, say \"take {field} from <selector>\")."
            ));
        }
        if !added.is_empty() {
            add_fields(&mut def, &added, html, page_url)?;
            changes.push(format!("Added {}.", added.join(", ")));
        }
    }
    let limits = find_limits(&words(&text), None);
    // "all items" alone asks for the whole list; inside "add the price of all items" it does not.
    let every_record = changes.is_empty() && asks_for_every_record(&text);
    if every_record && let Some(cap) = def.max_records.take() {
        changes.push(format!("No longer stops at {cap} records."));
    }
    let all_pages = every_record.then_some(ALL_PAGES);
    if let Some(pages) = limits.max_pages.or(all_pages) {
        // The next-page rule stays with one page, so "all pages" later finds it again; an
        // agent built for one page looks for the link now.
        match &mut def.next_page {
            Some(next) => {
                let was = std::mem::replace(&mut next.max_pages, pages);
                changes.push(page_change(&next.selector, was, pages));
            }
            None if pages == 1 => changes.push("Reads the first page only.".into()),
            None => {
                let doc = Html::parse_document(html);
                let selector = next_link_selectors(&doc, page_url)
                    .into_iter()
                    .next()
                    .ok_or_else(|| {
                        format!(
                            "I found no link to a next page on {page_url}, so the agent can read \
                             only this page; nothing was changed."
                        )
                    })?;
                changes.push(format!(
                    "Follows the next-page link `{selector}` up to {}.",
                    pages_said(pages)
                ));
                def.next_page = Some(NextPage {
                    selector,
                    max_pages: pages,
                });
            }
        }
    }
    if let Some(items) = limits.max_items {
        def.max_records = Some(u64::from(items));
        changes.push(format!("Keeps at most {items} records."));
    }
    if let Some(phrase) = skipped_phrase(&text) {
        let doc = Html::parse_document(html);
        def.record_selector = excluding(&doc, &def.record_selector, &phrase).ok_or_else(|| {
            format!("I found no \"{phrase}\" items among the records on {page_url} to skip, or no class that marks only them; nothing was changed.")
        })?;
        changes.push(format!("Skips {phrase} items."));
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

/// "all items", "every result", "all of them": the whole list, however many pages it takes.
fn asks_for_every_record(text: &str) -> bool {
    let words = words(text);
    text.contains(" all of them")
        || words.windows(2).any(|pair| {
            matches!(pair[0], "all" | "every")
                && matches!(
                    pair[1],
                    "items" | "item" | "records" | "record" | "results" | "result" | "rows"
                )
        })
}

/// "3 pages", or for the most "all pages" allows, that cap and why.
fn pages_said(pages: u32) -> String {
    if pages == ALL_PAGES {
        format!("{ALL_PAGES} pages (the cap for \"all pages\"; name a number of pages for another)")
    } else if pages == 1 {
        "1 page".to_string()
    } else {
        format!("{pages} pages")
    }
}

/// What a new page limit does, said against the old one: a rule that read one page follows
/// its next-page link again.
fn page_change(selector: &str, was: u32, pages: u32) -> String {
    match (was, pages) {
        (w, p) if w == p => format!("Already reads at most {}; unchanged.", pages_said(p)),
        (1, p) => format!(
            "Follows the next-page link `{selector}` again, up to {} (it read the first page only).",
            pages_said(p)
        ),
        (_, 1) => "Reads the first page only (the next-page link is kept for later).".to_string(),
        (w, p) => format!("Reads at most {} instead of {w}.", pages_said(p)),
    }
}

/// Where a field is read from, for telling the user what a change replaced.
fn place_of(field: &FieldRule) -> String {
    if let Some(path) = &field.path {
        return format!("`{path}`");
    }
    let selector = if field.selector.is_empty() {
        "the record itself".to_string()
    } else {
        format!("`{}`", field.selector)
    };
    match &field.attribute {
        Some(attribute) => format!("{attribute} of {selector}"),
        None => selector,
    }
}

/// Follow-up verbs in French, Spanish and German with the English verb they mean: the build
/// request is read in all four languages, so its follow-ups are too.
const FOREIGN_VERBS: &[(&str, &str)] = &[
    ("ajoute", "add"),
    ("ajouter", "add"),
    ("ajoutez", "add"),
    ("añade", "add"),
    ("añadir", "add"),
    ("agrega", "add"),
    ("agregar", "add"),
    ("füge", "add"),
    ("hinzufügen", "add"),
    ("enlève", "drop"),
    ("enlever", "drop"),
    ("supprime", "drop"),
    ("supprimer", "drop"),
    ("retire", "drop"),
    ("quita", "drop"),
    ("quitar", "drop"),
    ("elimina", "drop"),
    ("eliminar", "drop"),
    ("entferne", "drop"),
    ("entfernen", "drop"),
    ("lösche", "drop"),
    ("renomme", "rename"),
    ("renommer", "rename"),
    ("renombra", "rename"),
    ("renombrar", "rename"),
];

/// The new name follows these after a French, Spanish or German rename verb: "renomme prix
/// en coût", "renombra precio a coste", "benenne preis in kosten um".
const FOREIGN_RENAME_SEPARATORS: &[&str] = &[" en ", " a ", " como ", " in ", " zu "];

/// A follow-up in French, Spanish or German worded with the English verbs and separators
/// the rest of this module reads ("ajoute le stock" -> "add le stock", "füge X hinzu" ->
/// "add X"); articles are left for the list reader, which drops them in every language.
fn in_english(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut renaming = false;
    for word in text.split(' ') {
        if let Some((_, english)) = FOREIGN_VERBS.iter().find(|(w, _)| *w == word) {
            renaming = *english == "rename";
            out.push(english.to_string());
        } else if word == "benenne" {
            renaming = true;
            out.push("rename".into());
        } else if matches!(word, "hinzu" | "um") {
            continue;
        } else if renaming && FOREIGN_RENAME_SEPARATORS.contains(&format!(" {word} ").as_str()) {
            renaming = false;
            out.push("to".into());
        } else {
            out.push(word.to_string());
        }
    }
    out.join(" ")
}

/// "rename price to cost", "rename star rating to stars", "call price cost", "rename the
/// title field as book title": the field (in the user's words) and its new name.
fn renaming(text: &str) -> Option<(String, String)> {
    let rest = [" rename ", " call "]
        .iter()
        .find_map(|v| text.find(v).map(|p| &text[p + v.len()..]))?;
    let names = |part: &str| {
        words(part)
            .into_iter()
            .filter(|w| !matches!(*w, "the" | "field" | "column" | "please"))
            .collect::<Vec<_>>()
            .join("_")
    };
    if let Some((from, to)) = [" to ", " as ", " into "].iter().find_map(|sep| {
        format!(" {rest}")
            .split_once(sep)
            .map(|(a, b)| (names(a), names(b)))
    }) {
        return (!from.is_empty() && !to.is_empty()).then_some((from, to));
    }
    match words(rest).as_slice() {
        [from, to] => Some((from.to_string(), to.to_string())),
        _ => None,
    }
}

/// `name` with each word singular.
fn single(name: &str) -> String {
    name.split('_')
        .map(super::vocabulary::singular)
        .collect::<Vec<_>>()
        .join("_")
}

/// The agent's field called `name`, or the same words singular.
fn same_field(def: &AgentDefinition, name: &str) -> Option<String> {
    def.fields
        .iter()
        .find(|f| f.name == name)
        .or_else(|| def.fields.iter().find(|f| single(&f.name) == single(name)))
        .map(|f| f.name.clone())
}

/// The agent's field the user means by `name`: the same name or words, or the one field whose
/// words hold theirs or are held by them.
fn field_named(def: &AgentDefinition, name: &str) -> Option<String> {
    if let Some(field) = same_field(def, name) {
        return Some(field);
    }
    // "star rating" for `rating`, "title" for `book_title`: the words of one hold the other's,
    // when exactly one field is that close.
    let said = single(name);
    let said: Vec<&str> = said.split('_').collect();
    let close: Vec<&FieldRule> = def
        .fields
        .iter()
        .filter(|f| {
            let own = single(&f.name);
            let own: Vec<&str> = own.split('_').collect();
            own.iter().all(|w| said.contains(w)) || said.iter().all(|w| own.contains(w))
        })
        .collect();
    match close.as_slice() {
        [only] => Some(only.name.clone()),
        _ => None,
    }
}

/// "take author from span.byline", "map rating from aria-label of div.stars", "use
/// offers.price for price": a field and the place (selector, `attr of selector`, or JSON-LD
/// path) to read it from. The place keeps the message's case: selectors are case-sensitive.
fn taking(message: &str) -> Option<(String, String)> {
    let lower = format!(" {} ", message.to_ascii_lowercase());
    let padded = format!(" {message} ");
    let (verb_end, sep, swapped) = [
        (" take ", " from ", false),
        (" map ", " from ", false),
        (" read ", " from ", false),
        (" use ", " for ", true),
    ]
    .iter()
    .find_map(|(verb, sep, swapped)| lower.find(verb).map(|p| (p + verb.len(), *sep, *swapped)))?;
    let at = lower[verb_end..].find(sep)? + verb_end;
    let (first, second) = (&padded[verb_end..at], &padded[at + sep.len()..]);
    let (name, place) = if swapped {
        (second, first)
    } else {
        (first, second)
    };
    let name = snake(
        &words(&name.to_lowercase())
            .into_iter()
            .filter(|w| !matches!(*w, "the" | "a" | "field" | "each" | "every"))
            .collect::<Vec<_>>()
            .join(" "),
    );
    let place = place
        .trim()
        .trim_end_matches(['.', '!'])
        .trim_matches(|c| matches!(c, '`' | '"' | '\''))
        .trim()
        .to_string();
    (!name.is_empty() && !place.is_empty()).then_some((name, place))
}

/// Adds `name` read from `place`, after checking on the page that it finds values.
fn take_field(
    def: &mut AgentDefinition,
    name: &str,
    place: &str,
    html: &str,
    page_url: &url::Url,
) -> Result<(), String> {
    def.fields.retain(|f| f.name != name);
    let mut rule = FieldRule {
        name: name.to_string(),
        selector: String::new(),
        attribute: None,
        optional: true,
        label: None,
        class_number: false,
        path: None,
        number: false,
    };
    if def.structured().is_some() {
        rule.path = Some(place.to_string());
    } else {
        let (attribute, selector) = match place.split_once(" of ") {
            Some((attr, sel)) if !attr.contains(char::is_whitespace) => {
                (Some(attr.trim().to_string()), sel.trim().to_string())
            }
            _ => (None, place.to_string()),
        };
        crate::local::css::parse(&selector).map_err(|problem| {
            format!(
                "\"{selector}\" is not a CSS selector I can use ({problem}); nothing was changed."
            )
        })?;
        rule.selector = selector;
        rule.attribute = attribute;
    }
    def.fields.push(rule);
    let found = extract_page(def, html, page_url)
        .records
        .iter()
        .filter(|r| {
            r.get(name)
                .and_then(Value::as_str)
                .is_some_and(|v| !v.is_empty())
        })
        .count();
    if found == 0 {
        return Err(format!(
            "`{place}` finds no value inside the records on {page_url}; nothing was changed."
        ));
    }
    Ok(())
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
/// the same (renamed fields keep their rules: only the new ones are looked for).
fn add_fields(
    def: &mut AgentDefinition,
    added: &[String],
    html: &str,
    page_url: &url::Url,
) -> Result<(), String> {
    let new: Vec<String> = added
        .iter()
        .filter(|a| !def.fields.iter().any(|f| &f.name == *a))
        .cloned()
        .collect();
    let request = |fields: Vec<String>| Request {
        url: page_url.clone(),
        fields,
        max_pages: None,
        max_items: None,
        record_noun: None,
    };
    let pick = |fields: Vec<String>| {
        choose(html, page_url, &request(fields)).map_err(|e| match e {
            ChoiceError::NoRecords(m) | ChoiceError::NeedsJavascript(m) => m,
        })
    };
    let mut all: Vec<String> = def.fields.iter().map(|f| f.name.clone()).collect();
    all.extend(new.iter().cloned());
    let whole = pick(all)?;
    let same_records = |c: &super::analysis::Choice| {
        c.record_selector == def.record_selector && c.structured == def.structured()
    };
    let choice = if same_records(&whole) || whole.missing.is_empty() {
        whole
    } else {
        pick(new.clone())?
    };
    if let Some(note) = choice
        .missing_note()
        .filter(|_| choice.missing.iter().any(|m| new.contains(m)))
    {
        return Err(note.replace(
            "so the agent has the other fields only",
            "so I left the agent as it was",
        ));
    }
    if same_records(&choice) {
        let new_rules: Vec<_> = choice
            .fields
            .into_iter()
            .filter(|f| new.contains(&f.name))
            .collect();
        def.fields.extend(new_rules);
    } else if choice.missing.is_empty() && choice.fields.len() > new.len() {
        def.record_selector = choice.record_selector;
        def.set_structured(choice.structured);
        def.record_extent = choice.record_extent;
        def.fields = choice.fields;
    } else {
        return Err(format!(
            "{} sits in other records than the agent's fields on {page_url}; nothing was changed. \
             Build a new agent for it, or take it from a selector inside the records.",
            new.join(", ")
        ));
    }
    Ok(())
}

/// "skip sponsored", "exclude the sponsored items", "skip out of stock books" -> the phrase
/// that marks the records to leave out ("sponsored", "out of stock"): the words after the
/// verb, without the noun for the records that ends them.
fn skipped_phrase(text: &str) -> Option<String> {
    let rest = [
        " skip ",
        " exclude ",
        " ignore ",
        " leave out ",
        " no more ",
    ]
    .iter()
    .find_map(|v| text.find(v).map(|p| &text[p + v.len()..]))?;
    let mut phrase: Vec<&str> = words(rest)
        .into_iter()
        .skip_while(|w| matches!(*w, "the" | "all" | "any"))
        .take_while(|w| {
            !matches!(
                *w,
                "items" | "ones" | "records" | "results" | "entries" | "from" | "on" | "in"
            )
        })
        .collect();
    // "out of stock books": the last word names the records when it is a plural.
    if phrase.len() > 1
        && phrase
            .last()
            .is_some_and(|w| w.len() > 3 && w.ends_with('s'))
    {
        phrase.pop();
    }
    (!phrase.is_empty()).then(|| phrase.join(" "))
}

/// `record_selector` narrowed to leave out the records marked by `phrase`: in their classes,
/// in a descendant's classes (`out-of-stock`) or in their text ("Out of stock"). The narrowing is by a class only the marked
/// records carry (on themselves or inside them).
fn excluding(doc: &Html, record_selector: &str, phrase: &str) -> Option<String> {
    let sel = Selector::parse(record_selector).ok()?;
    let records: Vec<ElementRef> = doc.select(&sel).collect();
    let joined = tokens(phrase).join("_");
    let marks = |el: ElementRef<'_>| {
        el.descendent_elements().any(|d| {
            d.value()
                .classes()
                .any(|c| tokens(c).join("_").contains(&joined))
        }) || collapsed_text(el).to_lowercase().contains(phrase)
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
        <div class="offer"><h3>Chair</h3><span class="price">$45.00</span><span class="stock out-of-stock">Sold out</span></div>
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
        assert_eq!(def.max_pages(), 1);
        let page = url::Url::parse("http://shop.test/offers").unwrap();
        let (def, said) = apply(&def, "all right, the first 3 pages", PAGE, &page).unwrap();
        assert_eq!(
            def.max_pages(),
            3,
            "the next-page rule comes back: {said:?}"
        );
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

    #[test]
    fn ordinary_wording_of_follow_ups() {
        let page = url::Url::parse("http://shop.test/offers").unwrap();
        let (def, said) = change("rename name to product name").unwrap();
        assert_eq!(names(&def), ["product_name", "price"]);
        assert_eq!(said, ["Renamed name to product_name."]);
        let (def, _) = apply(&def, "rename product name to item", PAGE, &page).unwrap();
        let (def, said) = apply(&def, "add the stock to each offer", PAGE, &page).unwrap();
        assert_eq!(names(&def), ["item", "price", "stock"], "{said:?}");
        let (def, said) = apply(&def, "skip out of stock offers", PAGE, &page).unwrap();
        assert_eq!(said, ["Skips out of stock items."]);
        assert_eq!(def.record_selector, "div.offer:not(:has(.out-of-stock))");
        let (def, said) =
            apply(&built(), "take label from em.sponsored-label", PAGE, &page).unwrap();
        assert_eq!(names(&def), ["name", "price", "label"]);
        assert_eq!(said, ["Added label from `em.sponsored-label`."]);
        assert!(
            apply(&built(), "take colour from span.colour", PAGE, &page)
                .unwrap_err()
                .contains("finds no value")
        );
    }

    #[test]
    fn renames_find_the_field_by_some_of_its_words() {
        let page = url::Url::parse("http://shop.test/offers").unwrap();
        let (def, said) = change("rename the unit price to cost").unwrap();
        assert_eq!(names(&def), ["name", "cost"]);
        assert_eq!(said, ["Renamed price to cost."]);
        let (def, said) = change("rename name to offer name").unwrap();
        assert_eq!(said, ["Renamed name to offer_name."]);
        let (def, said) = apply(&def, "rename name to title", PAGE, &page).unwrap();
        assert_eq!(names(&def), ["title", "price"], "{said:?}");
        let (def, said) = apply(&def, "add the stock", PAGE, &page).unwrap();
        assert_eq!(names(&def), ["title", "price", "stock"], "{said:?}");
    }

    #[test]
    fn answers_say_what_was_replaced_or_left_alone() {
        let page = url::Url::parse("http://shop.test/offers").unwrap();
        let (def, said) = change("add the price").unwrap();
        assert_eq!(names(&def), ["name", "price"]);
        assert!(said[0].starts_with("price is already a field"), "{said:?}");
        assert!(!said.iter().any(|s| s.starts_with("Added")), "{said:?}");
        let (def, said) = apply(&built(), "take price from span.stock", PAGE, &page).unwrap();
        assert_eq!(def.fields[1].selector, "span.stock");
        assert_eq!(
            said,
            ["Replaced price: it was read from `span.price`, now from `span.stock`."]
        );
    }

    #[test]
    fn page_limits_come_back_and_every_item_says_its_cap() {
        let page = url::Url::parse("http://shop.test/offers").unwrap();
        let (one, said) = change("first page only").unwrap();
        assert_eq!(
            said,
            ["Reads the first page only (the next-page link is kept for later)."]
        );
        let (def, said) = apply(&one, "actually the first 3 pages", PAGE, &page).unwrap();
        assert_eq!(def.max_pages(), 3);
        assert_eq!(
            said,
            [
                "Follows the next-page link `a[rel=next]` again, up to 3 pages (it read the first page only)."
            ]
        );
        let (capped, _) = apply(&one, "up to 20 items", PAGE, &page).unwrap();
        let (def, said) = apply(&capped, "I want all items", PAGE, &page).unwrap();
        assert_eq!((def.max_records, def.max_pages()), (None, ALL_PAGES));
        assert_eq!(said[0], "No longer stops at 20 records.");
        assert!(
            said[1].contains("100 pages (the cap for \"all pages\""),
            "{said:?}"
        );
        let (def, _) = change("drop the price of all items").unwrap();
        assert_eq!(def.max_pages(), 10, "a change to fields sets no page limit");
    }

    #[test]
    fn skipping_out_of_stock_leaves_other_records_that_say_out() {
        let shelf = r#"<ul>
            <li class="kit"><b>Checkout stand</b><i class="avail">In stock</i></li>
            <li class="kit"><b>Lookout tower</b><i class="avail gone">Out of stock</i></li>
            <li class="kit"><b>Outdoor mat</b><i class="avail">In stock</i></li>
            </ul>"#;
        let page = url::Url::parse("http://kits.test/").unwrap();
        let def: AgentDefinition = serde_json::from_value(serde_json::json!({
            "start_urls": ["http://kits.test/"],
            "record_selector": "li.kit",
            "fields": [{"name": "name", "selector": "b"}]
        }))
        .unwrap();
        let (def, said) = apply(&def, "skip out of stock kits", shelf, &page).unwrap();
        assert_eq!(said, ["Skips out of stock items."]);
        let kept: Vec<String> = extract_page(&def, shelf, &page)
            .records
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(kept, ["Checkout stand", "Outdoor mat"]);
    }

    /// Follow-ups in French, Spanish and German add, drop and rename like the English ones.
    #[test]
    fn follow_ups_in_french_spanish_and_german() {
        for message in ["ajoute le stock", "añade el stock", "füge den stock hinzu"] {
            let (def, _) = change(message).unwrap();
            assert_eq!(names(&def), ["name", "price", "stock"], "{message}");
        }
        for message in [
            "enlève le price",
            "supprime price",
            "quita el price",
            "entferne price",
        ] {
            let (def, _) = change(message).unwrap_or_else(|e| panic!("{message}: {e}"));
            assert_eq!(names(&def), ["name"], "{message}");
        }
        for message in [
            "renomme price en cost",
            "renombra price a cost",
            "benenne price in cost um",
        ] {
            let (def, _) = change(message).unwrap_or_else(|e| panic!("{message}: {e}"));
            assert_eq!(names(&def), ["name", "cost"], "{message}");
        }
        // Understood as adding a field; this page has no count of pieces to read it from.
        let said = change("ajoute le nombre de pièces").unwrap_err();
        assert_ne!(said, NOT_UNDERSTOOD);
        assert!(said.contains("nombre_de_pièces"), "{said}");
    }

    const TALKS: &str = r#"<html><body><main>
        <article class="talk" data-index="0"><h2>Tuning the Old Radio</h2><span class="meta">8 min read</span><span class="host">Ada King</span></article>
        <article class="talk" data-index="1"><h2>Why Maps Lie</h2><span class="meta">12 min read</span><span class="host">Sam Cole</span></article>
        <article class="talk" data-index="2"><h2>Bread at Altitude</h2><span class="meta">5 min read</span><span class="host">Ina Berg</span></article>
        </main></body></html>"#;

    #[test]
    fn adding_a_field_the_page_lacks_changes_nothing_and_names_candidates() {
        let def: AgentDefinition = serde_json::from_value(serde_json::json!({
            "start_urls": ["http://blog.test/talks"],
            "record_selector": "article.talk",
            "fields": [{"name": "title", "selector": "h2"}]
        }))
        .unwrap();
        let page = url::Url::parse("http://blog.test/talks").unwrap();
        for message in [
            "add the number of comments",
            "add the organizer's phone number",
        ] {
            let refused = match apply(&def, message, TALKS, &page) {
                Ok((d, said)) => panic!("{message}: {said:?} {:?}", d.fields),
                Err(e) => e,
            };
            assert!(refused.contains("left the agent as it was"), "{refused}");
            assert!(
                refused.contains("Other values in each record: `"),
                "{refused}"
            );
        }
    }
}
