//! The local Agent Builder: turns a plain-language request into an agent definition with
//! heuristics (no language model). It reads the request, loads the page, finds the repeating
//! records, maps the requested fields, finds the next-page link and tests the result,
//! narrating each step as builder events a person can follow.

mod address;
mod analysis;
mod candidates;
mod groups;
mod limits;
mod naming;
mod pagination;
mod prompt;
mod records;
mod refine;
mod slots;
mod span_records;
mod structured;
mod vocabulary;
mod wording;

use serde_json::{Map, Value, json};
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use crate::api::types::BuilderMissingField;

use super::definition::{AgentDefinition, MAX_PAGES_LIMIT, NextPage};
use super::extract::extract_page;
use super::fetch::{FetchedPage, Fetcher};
use analysis::{ChoiceError, choose};
use limits::ALL_PAGES;
pub use prompt::{read_back, requested_fields};
pub use refine::{Refined, refine_agent};

/// One narrated event of a build; the engine turns it into an Agent Builder event.
#[derive(Debug, Clone)]
pub struct BuilderNote {
    /// `thinking`, `step_started`, `step_completed`, `navigation_completed`, `user_message`.
    pub kind: String,
    pub payload: Map<String, Value>,
}

/// A built agent.
#[derive(Debug, Clone)]
pub struct BuildOutcome {
    pub name: String,
    pub definition: AgentDefinition,
    /// The first records extracted from the start page.
    pub sample_records: Vec<Map<String, Value>>,
    /// Requested fields the page gave no place for, with what else the records hold: the
    /// agent was built without them. None when every field was found.
    pub missing_note: Option<String>,
    /// The same missing fields as data, each with the places that may hold it, for the
    /// caller (or the client's model) to pick from with a follow-up.
    pub missing_fields: Vec<BuilderMissingField>,
}

/// Pages read when the request does not say.
const DEFAULT_MAX_PAGES: u32 = 10;
const SAMPLE_RECORDS: usize = 5;
const TOTAL_STEPS: u64 = 6;
const CANCELLED: &str = "Build cancelled";
/// Said with the result of a build whose request named no fields: the keys are the builder's
/// choice, not the user's.
const NO_FIELDS_NAMED: &str = "Your request named no fields I could read, so these are the \
fields I chose from the page; to choose others, drop or add fields with a follow-up (\"drop \
the sku\", \"add the rating\") or build again naming them (\"the title and price of every ...\").";

/// Sends notes; a closed receiver only means nobody listens any more.
struct Narrator {
    tx: UnboundedSender<BuilderNote>,
}

impl Narrator {
    fn note(&self, kind: &str, payload: Value) {
        let payload = match payload {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let _ = self.tx.send(BuilderNote {
            kind: kind.into(),
            payload,
        });
    }

    fn thinking(&self, message: impl Into<String>) {
        self.note("thinking", json!({"message": message.into()}));
    }

    fn start(&self, step: u64, description: &str, action: &str) {
        self.note(
            "step_started",
            json!({"stepNumber": step, "totalSteps": TOTAL_STEPS, "description": description, "actionType": action}),
        );
    }

    fn done(&self, step: u64, success: bool) {
        self.note(
            "step_completed",
            json!({"stepNumber": step, "success": success}),
        );
    }

    /// Ends step `step` as failed and returns the error for the caller to pass on.
    fn fail(&self, step: u64, message: String) -> String {
        self.done(step, false);
        message
    }
}

pub async fn build_agent(
    prompt: &str,
    fetcher: &Fetcher,
    notes: UnboundedSender<BuilderNote>,
    cancel: CancellationToken,
) -> Result<BuildOutcome, String> {
    let n = Narrator { tx: notes };
    let check = |c: &CancellationToken| {
        if c.is_cancelled() {
            Err(CANCELLED.to_string())
        } else {
            Ok(())
        }
    };

    n.start(1, "Read the request", "analyze");
    let request = prompt::parse(prompt).map_err(|e| n.fail(1, e))?;
    n.thinking(prompt::describe(&request));
    n.done(1, true);
    check(&cancel)?;

    n.start(2, &format!("Load {}", request.url), "navigate");
    let page = load(fetcher, &request.url, &cancel)
        .await
        .map_err(|e| n.fail(2, e))?;
    // Read in one go: the parsed page cannot be held across the awaits below.
    let (title, site, load_more) = {
        let doc = scraper::Html::parse_document(&page.html);
        (
            analysis::page_title(&doc),
            naming::site_name(&doc, &page.url),
            analysis::load_more_control(&doc),
        )
    };
    n.note(
        "navigation_completed",
        json!({"url": page.url.as_str(), "title": title}),
    );
    n.done(2, true);
    check(&cancel)?;

    n.start(3, "Find the repeating records", "detect_records");
    let choice = match choose(&page.html, &page.url, &request) {
        Ok(c) => c,
        Err(ChoiceError::NoRecords(message) | ChoiceError::NeedsJavascript(message)) => {
            return Err(n.fail(3, message));
        }
    };
    n.thinking(format!("The records are {}.", choice.description));
    n.done(3, true);

    n.start(4, "Map the requested fields", "map_fields");
    let described: Vec<String> = choice
        .fields
        .iter()
        .map(|f| {
            if let Some(path) = &f.path {
                return format!("{} = `{path}` of each object", f.name);
            }
            let place = if f.selector.is_empty() {
                "the record itself".to_string()
            } else {
                format!("`{}`", f.selector)
            };
            match &f.attribute {
                Some(a) => format!("{} = {a} of {place}", f.name),
                None => format!("{} = text of {place}", f.name),
            }
        })
        .collect();
    if request.fields.is_empty() {
        n.thinking(format!(
            "You named no fields, so I picked these from the records: {}.",
            described.join("; ")
        ));
    } else {
        n.thinking(format!("Fields: {}.", described.join("; ")));
    }
    let missing_note = choice.missing_note();
    let missing_fields = choice.missing_fields();
    if let Some(note) = &missing_note {
        n.thinking(note.clone());
    }
    n.done(4, true);
    check(&cancel)?;

    let mut definition = AgentDefinition {
        start_urls: vec![page.url.to_string()],
        record_selector: choice.record_selector.clone(),
        json_ld: None,
        microdata: None,
        rdfa: None,
        page_meta: false,
        record_extent: choice.record_extent,
        fields: choice.fields.clone(),
        next_page: None,
        success_criteria: None,
        max_records: request.max_items.map(u64::from),
        export_formats: Vec::new(),
        save_pages: false,
    };
    definition.set_structured(choice.structured.clone());

    n.start(5, "Find the next-page link", "detect_pagination");
    let candidates =
        pagination::next_link_selectors(&scraper::Html::parse_document(&page.html), &page.url);
    // "Up to 50 items" with 20 a page needs 3 pages, not the default 10.
    let pages_for_items = request
        .max_items
        .map(|items| items.div_ceil(choice.count.max(1) as u32));
    let max_pages = request
        .max_pages
        .or(pages_for_items)
        .unwrap_or(DEFAULT_MAX_PAGES)
        .clamp(1, MAX_PAGES_LIMIT);
    if let Some(items) = request.max_items {
        n.thinking(format!(
            "You asked for at most {items} records: I set max_records to {items} and read no \
             more pages than that needs ({} a page).",
            choice.count
        ));
    }
    if candidates.is_empty() {
        n.thinking(match &load_more {
            Some(control) => format!(
                "This page loads further records with a \"{control}\" button that runs JavaScript; \
                 the local engine cannot press it, so the agent reads the {} records the page shows first.",
                choice.count
            ),
            None => "I found no link to a next page; the agent reads this page only.".to_string(),
        });
    } else if max_pages == 1 {
        n.thinking("You asked for one page, so the agent does not follow the next-page link.");
    } else {
        let selector =
            confirm_next_selector(&n, fetcher, &cancel, &page, &definition, candidates).await?;
        let why = if request.max_pages.is_none() && pages_for_items.is_none() {
            format!(
                " (the default when the request sets no page limit; ask for \"all pages\" to \
                 read up to {ALL_PAGES})"
            )
        } else {
            String::new()
        };
        n.thinking(format!(
            "Next page: `{selector}`, up to {max_pages} pages{why}."
        ));
        definition.next_page = Some(NextPage {
            selector,
            max_pages,
        });
    }
    n.done(5, true);
    check(&cancel)?;

    n.start(6, "Test the agent on the page", "test");
    let test = extract_page(&definition, &page.html, &page.url);
    if test.records.is_empty() {
        let message = if test.needs_javascript {
            format!(
                "{} needs JavaScript to show its data; JavaScript-rendered pages are not supported by the local engine.",
                page.url
            )
        } else {
            format!(
                "The agent I built for {} extracted no records when tested ({} dropped for missing fields). \
                 Try naming fewer fields or a different page.",
                page.url, test.dropped
            )
        };
        return Err(n.fail(6, message));
    }
    if let Err(problem) = definition.validate() {
        return Err(n.fail(
            6,
            format!("The agent I built is not valid ({problem}); please report this."),
        ));
    }
    n.done(6, true);

    let name = naming::agent_name(
        site.as_deref(),
        request.record_noun.as_deref(),
        &request.fields,
        choice.noun.as_deref(),
    );
    let samples = request
        .max_items
        .map_or(SAMPLE_RECORDS, |items| SAMPLE_RECORDS.min(items as usize));
    let sample_records: Vec<Map<String, Value>> = test.records.into_iter().take(samples).collect();
    n.note(
        "user_message",
        json!({"message": format!(
            "Built \"{name}\": {} per page from {}, with fields {}{}{}{}.{}{}",
            naming::counted_records(
                choice.count,
                choice.noun.as_deref(),
                naming::selects_table_rows(&choice.record_selector),
            ),
            page.url,
            definition.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
            match &definition.next_page {
                Some(next) => format!(", following the next-page link up to {} pages", next.max_pages),
                None => String::new(),
            },
            match request.max_items {
                Some(items) => format!(", at most {items} records"),
                None => String::new(),
            },
            match (&load_more, &definition.next_page) {
                (Some(control), None) => format!(
                    "; the \"{control}\" button needs JavaScript, so only the records shown first are read"
                ),
                _ => String::new(),
            },
            missing_note.as_ref().map_or(String::new(), |m| format!(" {m}")),
            if request.fields.is_empty() { format!(" {NO_FIELDS_NAMED}") } else { String::new() }
        )}),
    );
    Ok(BuildOutcome {
        name,
        definition,
        sample_records,
        missing_note,
        missing_fields,
    })
}

async fn load(
    fetcher: &Fetcher,
    url: &url::Url,
    cancel: &CancellationToken,
) -> Result<FetchedPage, String> {
    tokio::select! {
        _ = cancel.cancelled() => Err(CANCELLED.to_string()),
        result = fetcher.fetch(url) => result.map_err(|e| format!(
            "I could not load {url}: {e}. Check the address, that the site is up, and that it may be crawled."
        )),
    }
}

/// Loads the next page and keeps the first candidate selector that, on that page too, finds a
/// link onwards (not back to the first page). The first candidate is kept when the second page
/// cannot be checked.
async fn confirm_next_selector(
    n: &Narrator,
    fetcher: &Fetcher,
    cancel: &CancellationToken,
    first: &FetchedPage,
    definition: &AgentDefinition,
    candidates: Vec<String>,
) -> Result<String, String> {
    let mut probe = definition.clone();
    probe.next_page = Some(NextPage {
        selector: candidates[0].clone(),
        max_pages: 2,
    });
    let Some(second_url) = extract_page(&probe, &first.html, &first.url).next_page else {
        return Ok(candidates[0].clone());
    };
    n.thinking(format!(
        "Checking that the next-page link also works on {second_url}."
    ));
    let second = match load(fetcher, &second_url, cancel).await {
        Ok(p) => p,
        Err(e) if e == CANCELLED => return Err(e),
        Err(e) => {
            n.thinking(format!(
                "I could not load the second page to check it ({e}); keeping `{}`.",
                candidates[0]
            ));
            return Ok(candidates[0].clone());
        }
    };
    n.note(
        "navigation_completed",
        json!({"url": second.url.as_str(), "title": analysis::page_title(&scraper::Html::parse_document(&second.html))}),
    );
    let records = extract_page(definition, &second.html, &second.url)
        .records
        .len();
    n.thinking(format!(
        "The second page has {records} records with the same selectors."
    ));
    let doc = scraper::Html::parse_document(&second.html);
    let onward = candidates.iter().find(|sel| {
        super::extract::find_next_page(&doc, sel, &second.url)
            .is_none_or(|next| next != first.url && next != second.url)
    });
    Ok(onward.unwrap_or(&candidates[0]).clone())
}
