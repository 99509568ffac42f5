//! A page's structured data, whichever way the page carries it: JSON-LD scripts, microdata or
//! RDFa Lite attributes, or OpenGraph/Twitter meta tags. Each is read into JSON objects with
//! an `@type`, so records (the objects of one type), paths (`offers.price`) and values are
//! found the same way for all four; a definition names the format and the type.

use scraper::Html;
use serde_json::{Map, Value};

use super::{json_ld, markup_items, page_meta};

/// Where on the page the structured data sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    JsonLd,
    Microdata,
    Rdfa,
    PageMeta,
}

/// The records of a definition that reads structured data: the objects of `type_name` in
/// the page's data of `format`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub format: Format,
    pub type_name: String,
}

impl Format {
    /// In the order the builder prefers them when two hold the same fields: the explicit
    /// data of the records first, the page's own description last.
    pub const ALL: [Format; 4] = [
        Format::JsonLd,
        Format::Microdata,
        Format::Rdfa,
        Format::PageMeta,
    ];

    /// The page's data in this format as JSON objects.
    pub fn documents(self, doc: &Html, page_url: &url::Url) -> Vec<Value> {
        match self {
            Format::JsonLd => json_ld::documents(doc),
            Format::Microdata => markup_items::microdata(doc, page_url),
            Format::Rdfa => markup_items::rdfa(doc, page_url),
            Format::PageMeta => page_meta::documents(doc, page_url),
        }
    }

    /// The definition's key for this format.
    pub fn key(self) -> &'static str {
        match self {
            Format::JsonLd => "json_ld",
            Format::Microdata => "microdata",
            Format::Rdfa => "rdfa",
            Format::PageMeta => "page_meta",
        }
    }

    /// The format in words, for narration and test results.
    pub fn words(self) -> &'static str {
        match self {
            Format::JsonLd => "JSON-LD",
            Format::Microdata => "microdata",
            Format::Rdfa => "RDFa",
            Format::PageMeta => "OpenGraph/Twitter meta tags",
        }
    }
}

impl Source {
    /// The objects that are the records on a page whose data in this format is `documents`.
    pub fn objects<'a>(&self, documents: &'a [Value]) -> Vec<&'a Map<String, Value>> {
        json_ld::objects_of(documents, &self.type_name)
    }

    /// How the editor shows the source where a record selector would be: `microdata Product`,
    /// `page_meta`.
    pub fn describe(&self) -> String {
        match self.format {
            Format::PageMeta => self.format.key().to_string(),
            f => format!("{} {}", f.key(), self.type_name),
        }
    }
}
