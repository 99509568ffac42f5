//! Choosing the records and fields of a page for a request: every candidate group is mapped
//! and scored; the winner is the one that covers the requested fields with the most and
//! richest records.

use scraper::{Html, Selector};

use super::candidates::{Candidate, missing_fields};
use super::groups::find_groups;
use super::prompt::Request;
use super::records::{Group, Layout, furniture_score, in_main_content};
use super::slots::map_fields;
use super::structured;
use crate::api::types::BuilderMissingField;
use crate::local::definition::{FieldRule, RecordExtent};
use crate::local::extract::{collapsed_text, looks_like_js_shell};
use crate::local::structured_data::{Format, Source};

/// The records chosen on a page.
#[derive(Debug, Clone)]
pub struct Choice {
    pub record_selector: String,
    pub record_extent: RecordExtent,
    /// The structured data whose objects are the records, when they come from there.
    pub structured: Option<Source>,
    pub fields: Vec<FieldRule>,
    /// Singular noun of a record, when known.
    pub noun: Option<String>,
    pub count: usize,
    /// "a table with columns Symbol, Price" / "12 similar elements (`article.card`)".
    pub description: String,
    /// Requested fields nothing on the page was found for; the build goes on without them.
    pub missing: Vec<String>,
    /// Places in the records that no field took, with sample values: what a missing field
    /// may be.
    pub candidates: Vec<Candidate>,
}

impl Choice {
    /// What to tell the user about the fields not found, or None when all were.
    pub fn missing_note(&self) -> Option<String> {
        if self.missing.is_empty() {
            return None;
        }
        let names: Vec<String> = self.missing.iter().map(|m| format!("'{m}'")).collect();
        let offer = if self.candidates.is_empty() {
            " I saw nothing else that varies from record to record.".to_string()
        } else {
            // The best few for the missing fields, not every varying place of the record.
            let ranked = self.missing_fields();
            let mut places: Vec<String> = Vec::new();
            for c in ranked.iter().flat_map(|m| &m.candidates) {
                let described = format!("`{}` (\"{}\")", c.place, c.samples[0]);
                if !places.contains(&described) {
                    places.push(described);
                }
            }
            format!(" Other values in each record: {}.", places.join("; "))
        };
        Some(format!(
            "I found no place for {} on the page, so the agent has the other fields only.{offer} \
             To add one, send a follow-up such as \"take {} from <place>\" with a place above, \
             or rephrase it with the words the page uses.",
            names.join(", "),
            self.missing[0]
        ))
    }

    /// The missing fields with their ranked candidates, as the build result carries them.
    pub fn missing_fields(&self) -> Vec<BuilderMissingField> {
        missing_fields(&self.missing, &self.candidates)
    }
}

/// Why no records could be chosen; the message is for the user.
#[derive(Debug, Clone, PartialEq)]
pub enum ChoiceError {
    NeedsJavascript(String),
    NoRecords(String),
}

pub fn page_title(doc: &Html) -> String {
    Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(collapsed_text)
        .unwrap_or_default()
}

/// What shows a page is a JavaScript shell: the mount point a framework fills, a
/// `<noscript>` plea, or scripts and nothing else.
fn js_evidence(doc: &Html) -> String {
    let has = |css: &str| {
        Selector::parse(css)
            .ok()
            .is_some_and(|s| doc.select(&s).next().is_some())
    };
    let mut seen = Vec::new();
    for (css, what) in [
        ("#__next", "a Next.js mount point `#__next`"),
        ("#__nuxt", "a Nuxt mount point `#__nuxt`"),
        ("app-root, [ng-app]", "an Angular root element"),
        ("#root", "an empty React mount point `#root`"),
        ("#app", "an empty mount point `#app`"),
        ("#___gatsby", "a Gatsby mount point"),
    ] {
        if has(css) {
            seen.push(what.to_string());
            break;
        }
    }
    if has("noscript") {
        seen.push("a <noscript> message asking for JavaScript".into());
    }
    if seen.is_empty() {
        seen.push("scripts and almost no text".into());
    }
    seen.join(" and ")
}

/// A "Load more"/"Show more" control that is not a link to another page: the records behind
/// it arrive only through JavaScript. Its text, for telling the user.
pub fn load_more_control(doc: &Html) -> Option<String> {
    let controls = Selector::parse("button, a, [role=button]").ok()?;
    doc.select(&controls).find_map(|el| {
        let text = collapsed_text(el);
        let lower = text.to_lowercase();
        let says_more = [
            "load more",
            "show more",
            "see more",
            "more results",
            "charger plus",
            "voir plus",
            "cargar más",
            "ver más",
        ]
        .iter()
        .any(|w| lower.contains(w))
            || el
                .value()
                .classes()
                .any(|c| c.contains("load-more") || c.contains("loadmore"));
        let href = el.value().attr("href").unwrap_or("").trim();
        let goes_nowhere =
            href.is_empty() || href.starts_with('#') || href.starts_with("javascript:");
        (says_more && goes_nowhere).then(|| {
            if text.is_empty() {
                "Load more".into()
            } else {
                text
            }
        })
    })
}

/// Structured data wins when the markup gave nothing, when it holds more of the requested
/// fields, or when it is the one thing a single-record page is about, holds every requested
/// field and the markup offers several look-alike records instead (a product page with a
/// carousel of other products). On a tie otherwise the markup wins: it is what the page shows.
fn structured_wins(
    structured: &structured::StructuredChoice,
    visible: Option<&Choice>,
    request: &Request,
) -> bool {
    let Some(visible) = visible else {
        return true;
    };
    if request.fields.is_empty() {
        return false;
    }
    let (mine, theirs) = (structured.fields.len(), visible.fields.len());
    mine > theirs
        || (mine == theirs
            && structured.missing.is_empty()
            && structured.is_page_subject()
            && visible.count > 1)
}

/// Where the group sits and what it is made of, as weak evidence: inside the page's main
/// content counts for it; class words of furniture (`sidebar`, `menu`, `promo`), a form
/// around it, or records that are short link texts and nothing else (a menu, a tag cloud)
/// count against it. None of it outweighs one requested field a group holds and another lacks.
fn place_score(group: &Group<'_>) -> f64 {
    let first = group.members[0];
    let main = if in_main_content(first) { 6.0 } else { 0.0 };
    main - furniture_score(first) * 15.0 - link_list_score(&group.members) * 30.0
}

/// 0 for records with text of their own, rising to 1 for records whose short text is all in
/// links.
fn link_list_score(members: &[scraper::ElementRef<'_>]) -> f64 {
    let Ok(links) = Selector::parse("a") else {
        return 0.0;
    };
    let sample = &members[..members.len().min(20)];
    let (mut text, mut linked) = (0usize, 0usize);
    for m in sample {
        let own = collapsed_text(*m).chars().count();
        text += own;
        // A record that is itself a link is all link text.
        linked += if m.value().name() == "a" {
            own
        } else {
            m.select(&links)
                .map(|a| collapsed_text(a).chars().count())
                .sum::<usize>()
        };
    }
    let per_record = text as f64 / sample.len() as f64;
    if text == 0 || per_record >= 40.0 {
        return 0.0;
    }
    let density = (linked as f64 / text as f64).min(1.0);
    ((density - 0.7) / 0.3).max(0.0)
}

pub fn choose(html: &str, page_url: &url::Url, request: &Request) -> Result<Choice, ChoiceError> {
    let doc = Html::parse_document(html);
    let title = page_title(&doc);
    let mut best: Option<(f64, Choice)> = None;
    // Records were found but none of the requested fields: said instead of "no records".
    let mut unmapped: Option<(usize, Vec<String>, Vec<Candidate>)> = None;
    for group in find_groups(&doc) {
        let mapping = map_fields(&group, &request.fields, page_url);
        let is_table = matches!(group.layout, Layout::Table { .. });
        // A plain list of names has one varying text: enough when it is what was asked for.
        let asked_and_found = !request.fields.is_empty() && mapping.missing.is_empty();
        let min_richness = if is_table || asked_and_found { 1 } else { 2 };
        let n = group.members.len();
        if mapping.rules.is_empty() && mapping.richness >= 2 && unmapped.is_none() {
            unmapped = Some((n, mapping.available.clone(), mapping.candidates.clone()));
        }
        if mapping.richness < min_richness || mapping.rules.is_empty() {
            continue;
        }
        let mapped = request.fields.len() - mapping.missing.len();
        let avg_text = group
            .members
            .iter()
            .map(|m| collapsed_text(*m).chars().count())
            .sum::<usize>() as f64
            / n as f64;
        if avg_text < 3.0 {
            continue;
        }
        let score = mapped as f64 * 40.0
            + n.min(40) as f64
            + mapping.richness.min(8) as f64 * 4.0
            + if is_table { 5.0 } else { 0.0 }
            + place_score(&group);
        if best.as_ref().is_some_and(|(b, _)| *b >= score) {
            continue;
        }
        let description = match &group.layout {
            Layout::Table { headers } if headers.iter().all(String::is_empty) => {
                format!("a table of {n} rows without a header row")
            }
            Layout::Table { headers } => {
                format!("a table of {n} rows with columns {}", headers.join(", "))
            }
            Layout::Repeated => format!("{n} similar elements (`{}`)", group.selector),
            Layout::Span => format!(
                "{n} records that each start at `{}` and run to the next",
                group.selector
            ),
        };
        let choice = Choice {
            record_selector: group.selector.clone(),
            record_extent: group.extent(),
            structured: None,
            fields: mapping.rules,
            noun: request.record_noun.clone().or(group.noun.clone()),
            count: n,
            description,
            missing: mapping.missing,
            candidates: mapping.candidates,
        };
        best = Some((score, choice));
    }
    if let Some(structured) = structured::choose(&doc, page_url, request)
        && structured_wins(&structured, best.as_ref().map(|(_, c)| c), request)
    {
        let n = structured.count;
        let source = structured.source;
        return Ok(Choice {
            record_selector: String::new(),
            record_extent: RecordExtent::Element,
            description: match source.format {
                Format::PageMeta => {
                    "the page itself, described by its OpenGraph/Twitter meta tags".to_string()
                }
                format => format!(
                    "{n} {} object(s) in the page's structured data ({})",
                    source.type_name,
                    format.words()
                ),
            },
            noun: request.record_noun.clone().or_else(|| {
                (source.format != Format::PageMeta).then(|| source.type_name.to_lowercase())
            }),
            structured: Some(source),
            fields: structured.fields,
            count: n,
            missing: structured.missing,
            candidates: structured.candidates,
        });
    }
    if let Some((_, choice)) = best {
        return Ok(choice);
    }
    Err(if looks_like_js_shell(&doc) {
        ChoiceError::NeedsJavascript(format!(
            "{page_url} is built with JavaScript: the page arrives almost empty ({}) and a script fills it in \
             the browser. The local engine reads pages without running JavaScript, so it cannot extract \
             from this site. Use Sequentum cloud (which runs a real browser) for JavaScript-rendered \
             pages, or give an address that serves the data in its HTML.",
            js_evidence(&doc)
        ))
    } else if let Some(control) = load_more_control(&doc) {
        ChoiceError::NeedsJavascript(format!(
            "{page_url} shows no records in its HTML: they appear when the \"{control}\" button runs \
             JavaScript in the browser. The local engine does not run JavaScript, so it cannot press it. \
             Use Sequentum cloud (which runs a real browser), or give the address the button loads from."
        ))
    } else if let Some((n, available, candidates)) = unmapped {
        let places: Vec<String> = candidates.iter().map(Candidate::describe).collect();
        ChoiceError::NoRecords(format!(
            "I found {n} records on {page_url} but none of the fields you asked for ({}). Fields I \
             could map: {}{}. Ask for one of those, or rephrase the fields with the words the page uses.",
            request.fields.join(", "),
            available.join(", "),
            if places.is_empty() {
                String::new()
            } else {
                format!("; values in each record: {}", places.join("; "))
            }
        ))
    } else {
        ChoiceError::NoRecords(format!(
            "I loaded {page_url} ({}) but found no repeating records on it: no table with a header \
             row, no list or grid of similar items and no structured data. Give the address of a \
             listing page (search results, a product list, a table) rather than a single article \
             or detail page.",
            if title.is_empty() {
                "untitled".to_string()
            } else {
                format!("\"{title}\"")
            }
        ))
    })
}
