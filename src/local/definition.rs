//! The agent definition of the embedded engine: what to fetch and what to extract.
//!
//! Kept deliberately small. Example:
//!
//! ```json
//! {
//!   "start_urls": ["http://127.0.0.1:8080/demo/shop/products"],
//!   "record_selector": "article.product",
//!   "fields": [
//!     {"name": "name",  "selector": "h2"},
//!     {"name": "price", "selector": ".price"},
//!     {"name": "link",  "selector": "a", "attribute": "href"},
//!     {"name": "badge", "selector": ".badge", "optional": true}
//!   ],
//!   "next_page": {"selector": "a[rel=next]", "max_pages": 10},
//!   "success_criteria": {"min_records": 20},
//!   "export_formats": ["csv", "json"]
//! }
//! ```
//!
//! * Each element matching `record_selector` on a page is one record. With
//!   `"record_extent": "until_next"` a record is that element and its following siblings up to
//!   the next match (a `<dt>` with its `<dd>`s, an `<h2>` with the paragraphs under it).
//! * A field takes the trimmed text of the first element matching its `selector` inside the
//!   record (the record element itself when the selector is empty), or the value of
//!   `attribute`. `href` and `src` values are made absolute against the page URL. A field that
//!   is not `optional` and finds nothing drops the record and counts an error. With `label`
//!   the field takes the text after "Label:" in the first matching element that starts with
//!   it ("Brand: Acme" -> "Acme"); with `class_number` it takes the number a class name holds
//!   (`stars-4`, `star-rating Four` -> "4").
//! * With `"json_ld": "Product"` the records are not elements but the schema.org objects of
//!   that `@type` in the page's JSON-LD scripts (`<script type="application/ld+json">`), found
//!   at any depth (inside an `ItemList`, a `@graph`, an array). `record_selector` is then
//!   left empty and each field names a `path` into the object instead of a selector:
//!   `{"name": "price", "path": "offers.price"}`. A path step into an array takes its first
//!   element; a path ending at an object takes its `name`. Pages whose visible markup has no
//!   usable selectors often carry their data this way.
//! * `"microdata": "Product"` reads the same way from microdata (`itemscope`, `itemtype`,
//!   `itemprop`) and `"rdfa": "Product"` from RDFa Lite (`typeof`, `property`): each item of
//!   the type is a record, nested items are nested objects and paths are property names
//!   (`offers.price`, `author.name`). A property takes the element's `content`, else its
//!   `href`/`src`, a `<time>`'s `datetime` or a `<data>`'s `value`, else its text.
//! * `"page_meta": true` makes the page one record read from its OpenGraph, Twitter and
//!   `description` meta tags, paths being the tag names (`og:title`, `product:price:amount`,
//!   `twitter:label1`, `description`): for a product or article page.
//! * At most one of `json_ld`, `microdata`, `rdfa` and `page_meta` is set. The page's
//!   structured data is read on every page the run visits (next pages included). Values
//!   from it are written as the page shows them where they can be: a schema.org enumeration
//!   (`https://schema.org/InStock`) becomes its words ("In Stock"), an ISO date takes the
//!   text of a `<time>` with the same `datetime` or the short text naming that day ("Sat, Jun
//!   15 • 7:30 PM"), and a price path (`price`, `lowPrice`, `…:amount`) takes the form the
//!   page shows the amount in with its currency ("$328.00", "34,90 €"), or the page's word
//!   for a zero price ("Free"). Values the page does not show stay as the data has them.
//! * With `number` a field keeps only the first number of its value ("4.5 out of 5 stars"
//!   -> "4.5"), for values written inside a sentence such as an `aria-label`.
//! * `max_records` caps the records of a run.
//! * `next_page.selector` finds the link to the next page; at most `max_pages` pages are read
//!   per start URL.
//! * With `success_criteria`, a run ends in Success (10) when met and Failure (6) when not;
//!   without, it ends in Completed (9).

use serde::{Deserialize, Serialize};

use super::page_meta;
use super::structured_data::{Format, Source};

/// Upper bound on pages per start URL, whatever a definition asks for.
pub const MAX_PAGES_LIMIT: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentDefinition {
    /// Pages where extraction begins (http or https).
    pub start_urls: Vec<String>,
    /// CSS selector of one record; empty when structured data gives the records.
    #[serde(default)]
    pub record_selector: String,
    /// The schema.org `@type` of the JSON-LD objects that are the records, instead of elements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_ld: Option<String>,
    /// The schema.org type of the microdata items that are the records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub microdata: Option<String>,
    /// The schema.org type of the RDFa Lite items that are the records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rdfa: Option<String>,
    /// The page is one record read from its OpenGraph/Twitter meta tags.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub page_meta: bool,
    /// How far a record reaches from the element the selector matches.
    #[serde(default, skip_serializing_if = "RecordExtent::is_element")]
    pub record_extent: RecordExtent,
    /// Named fields of each record, in output order.
    pub fields: Vec<FieldRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page: Option<NextPage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_criteria: Option<SuccessCriteria>,
    /// Most records a run keeps ("up to 50 items"); all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_records: Option<u64>,
    /// `csv` and/or `json`; both when empty.
    #[serde(default = "default_formats")]
    pub export_formats: Vec<ExportFormat>,
    /// Keep the HTML of each page a run fetches as a run file (`page-0001.html`, ...), to see
    /// what the selectors met. Off unless asked for: it costs disk space on every run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub save_pages: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    pub name: String,
    /// CSS selector inside the record; empty = the record element itself.
    #[serde(default)]
    pub selector: String,
    /// Attribute to read instead of the text (`href`, `src`, `content`, `data-*` ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// A missing optional field is an empty value; a missing required one drops the record.
    #[serde(default)]
    pub optional: bool,
    /// Label/value text: the value is what follows "`label`:" in the element's text, for
    /// pages that write "Brand: Acme" rather than marking the value up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The value is the number a class name holds (`stars-4`, `star-rating Four`), for
    /// ratings drawn with CSS and never written as text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub class_number: bool,
    /// With records from structured data (`json_ld`, `microdata`, `rdfa`, `page_meta`): the
    /// dotted path of the value in the object (`offers.price`, `og:title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Keep only the first number of the value ("4.5 out of 5 stars" -> "4.5").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub number: bool,
}

/// How far a record reaches: records without a wrapping element (definition lists, headings
/// followed by paragraphs) are the matched element and the siblings after it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordExtent {
    /// The matched element alone.
    #[default]
    Element,
    /// The matched element and its following siblings up to the next match.
    UntilNext,
}

impl RecordExtent {
    fn is_element(&self) -> bool {
        *self == RecordExtent::Element
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextPage {
    /// CSS selector of the link (`a[rel=next]`, `.pagination a.next`).
    pub selector: String,
    /// Pages to read per start URL, the first included.
    #[serde(default = "default_max_pages")]
    pub max_pages: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessCriteria {
    /// The run succeeds when at least this many records were extracted.
    pub min_records: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Json,
}

fn default_formats() -> Vec<ExportFormat> {
    vec![ExportFormat::Csv, ExportFormat::Json]
}

fn default_max_pages() -> u32 {
    10
}

impl AgentDefinition {
    /// Reads a definition sent as JSON and validates it; the error says where and what is
    /// wrong in plain words ("definition.fields[1]: unknown field \"colour\"; …").
    pub fn from_json(value: serde_json::Value) -> Result<AgentDefinition, String> {
        let def: AgentDefinition = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let problem = crate::serde_words::plain(&e.inner().to_string());
            if path == "." {
                format!("definition is not valid: {problem}")
            } else {
                format!("definition.{path} is not valid: {problem}")
            }
        })?;
        def.validate()
            .map_err(|e| format!("definition is not valid: {e}"))?;
        Ok(def)
    }

    /// Checks everything that can be checked without fetching: URLs, selectors, field names.
    /// The error says what to change.
    pub fn validate(&self) -> Result<(), String> {
        if self.start_urls.is_empty() {
            return Err("start_urls is empty: give at least one http(s) URL".into());
        }
        for u in &self.start_urls {
            match url::Url::parse(u) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
                _ => return Err(format!("start URL {u:?} is not an absolute http(s) URL")),
            }
        }
        let typed = [
            ("json_ld", &self.json_ld),
            ("microdata", &self.microdata),
            ("rdfa", &self.rdfa),
        ];
        for (key, type_name) in typed {
            if type_name.as_deref().map(str::trim) == Some("") {
                return Err(format!(
                    "{key} is empty: give the schema.org type of the records (\"Product\")"
                ));
            }
        }
        let sources =
            typed.iter().filter(|(_, t)| t.is_some()).count() + usize::from(self.page_meta);
        if sources > 1 {
            return Err(
                "set only one of json_ld, microdata, rdfa and page_meta: a definition reads its records from one place".into(),
            );
        }
        let structured = sources == 1;
        check_selector("record_selector", &self.record_selector, structured)?;
        if self.fields.is_empty() {
            return Err("fields is empty: name at least one field to extract".into());
        }
        let mut seen = std::collections::HashSet::new();
        for f in &self.fields {
            if f.name.trim().is_empty() {
                return Err("a field has an empty name".into());
            }
            if !seen.insert(f.name.to_lowercase()) {
                return Err(format!("field name {:?} is used twice", f.name));
            }
            check_selector(&format!("field {:?}", f.name), &f.selector, true)?;
            match (structured, f.path.as_deref().map(str::trim)) {
                (true, None | Some("")) => {
                    return Err(format!(
                        "field {:?} needs a path into the structured data's object (\"offers.price\")",
                        f.name
                    ));
                }
                (false, Some(_)) => {
                    return Err(format!(
                        "field {:?} has a path, which only records from structured data use: set json_ld, microdata, rdfa or page_meta, or use a selector",
                        f.name
                    ));
                }
                _ => {}
            }
            if f.label.as_deref().is_some_and(|l| l.trim().is_empty()) {
                return Err(format!("field {:?} has an empty label", f.name));
            }
        }
        if self.max_records == Some(0) {
            return Err("max_records must be at least 1 (leave it out for no limit)".into());
        }
        if let Some(next) = &self.next_page {
            check_selector("next_page.selector", &next.selector, false)?;
            if next.max_pages == 0 || next.max_pages > MAX_PAGES_LIMIT {
                return Err(format!(
                    "next_page.max_pages must be from 1 to {MAX_PAGES_LIMIT}"
                ));
            }
        }
        Ok(())
    }

    /// Where the records come from when they are structured data rather than elements.
    pub fn structured(&self) -> Option<Source> {
        let typed = |format, type_name: &Option<String>| {
            type_name.as_ref().map(|t| Source {
                format,
                type_name: t.trim().to_string(),
            })
        };
        typed(Format::JsonLd, &self.json_ld)
            .or_else(|| typed(Format::Microdata, &self.microdata))
            .or_else(|| typed(Format::Rdfa, &self.rdfa))
            .or_else(|| {
                self.page_meta.then(|| Source {
                    format: Format::PageMeta,
                    type_name: page_meta::TYPE.to_string(),
                })
            })
    }

    /// Makes `source` where the records come from (None: elements), clearing any other.
    pub fn set_structured(&mut self, source: Option<Source>) {
        self.json_ld = None;
        self.microdata = None;
        self.rdfa = None;
        self.page_meta = false;
        let Some(source) = source else {
            return;
        };
        match source.format {
            Format::JsonLd => self.json_ld = Some(source.type_name),
            Format::Microdata => self.microdata = Some(source.type_name),
            Format::Rdfa => self.rdfa = Some(source.type_name),
            Format::PageMeta => self.page_meta = true,
        }
    }

    /// Pages to read per start URL.
    pub fn max_pages(&self) -> u32 {
        self.next_page.as_ref().map_or(1, |n| n.max_pages)
    }

    pub fn formats(&self) -> Vec<ExportFormat> {
        if self.export_formats.is_empty() {
            default_formats()
        } else {
            self.export_formats.clone()
        }
    }
}

fn check_selector(what: &str, selector: &str, empty_ok: bool) -> Result<(), String> {
    if selector.trim().is_empty() {
        return if empty_ok {
            Ok(())
        } else {
            Err(format!("{what} is empty"))
        };
    }
    super::css::parse(selector)
        .map(drop)
        .map_err(|problem| format!("{what}: \"{selector}\" is not a valid CSS selector: {problem}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AgentDefinition {
        serde_json::from_value(serde_json::json!({
            "start_urls": ["http://127.0.0.1/x"],
            "record_selector": "li",
            "fields": [{"name": "title", "selector": "a"}, {"name": "link", "selector": "a", "attribute": "href"}]
        }))
        .unwrap()
    }

    #[test]
    fn a_minimal_definition_is_valid_and_defaults_to_both_formats() {
        let def = sample();
        assert!(def.validate().is_ok());
        assert_eq!(def.formats(), vec![ExportFormat::Csv, ExportFormat::Json]);
        assert_eq!(def.max_pages(), 1);
    }

    #[test]
    fn bad_selectors_urls_and_duplicate_fields_are_explained() {
        let mut def = sample();
        def.record_selector = "li[".into();
        assert!(def.validate().unwrap_err().contains("record_selector"));
        let mut def = sample();
        def.start_urls = vec!["ftp://x".into()];
        assert!(def.validate().unwrap_err().contains("http(s)"));
        let mut def = sample();
        def.fields[1].name = "Title".into();
        assert!(def.validate().unwrap_err().contains("twice"));
    }

    #[test]
    fn json_ld_records_need_paths_and_no_selector() {
        let mut def: AgentDefinition = serde_json::from_value(serde_json::json!({
            "start_urls": ["http://127.0.0.1/x"],
            "json_ld": "Product",
            "fields": [{"name": "price", "path": "offers.price"}]
        }))
        .unwrap();
        assert!(def.validate().is_ok(), "{:?}", def.validate());
        def.fields[0].path = None;
        assert!(def.validate().unwrap_err().contains("needs a path"));
        let mut plain = sample();
        plain.fields[0].path = Some("name".into());
        assert!(
            plain
                .validate()
                .unwrap_err()
                .contains("only records from structured data")
        );
    }

    #[test]
    fn one_structured_source_at_most_and_it_round_trips() {
        let mut def: AgentDefinition = serde_json::from_value(serde_json::json!({
            "start_urls": ["http://127.0.0.1/x"],
            "rdfa": "Recipe",
            "fields": [{"name": "title", "path": "name"}]
        }))
        .unwrap();
        assert!(def.validate().is_ok(), "{:?}", def.validate());
        assert_eq!(
            def.structured(),
            Some(Source {
                format: Format::Rdfa,
                type_name: "Recipe".into()
            })
        );
        def.page_meta = true;
        assert!(def.validate().unwrap_err().contains("only one of"));
        def.set_structured(Some(Source {
            format: Format::PageMeta,
            type_name: page_meta::TYPE.into(),
        }));
        assert!(def.validate().is_ok());
        let json = serde_json::to_value(&def).unwrap();
        assert_eq!(json["page_meta"], true);
        assert!(json.get("rdfa").is_none(), "{json}");
        let back: AgentDefinition = serde_json::from_value(json).unwrap();
        assert_eq!(back.structured().unwrap().format, Format::PageMeta);
        def.set_structured(None);
        assert!(def.validate().unwrap_err().contains("record_selector"));
    }
}
