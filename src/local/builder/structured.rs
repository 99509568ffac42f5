//! Records from the page's structured data (JSON-LD, microdata, RDFa Lite, OpenGraph/Twitter
//! meta tags): the schema.org objects of one type (products, events, job postings, recipes...)
//! as records, each requested field mapped to the path in the object whose words mean it
//! ("company" -> `hiringOrganization.name`). Used when the structured data holds more of the
//! requested fields than the visible markup does, or is the one thing a single-record page is
//! about.

use scraper::Html;

use super::candidates::Candidate;
use super::prompt::Request;
use super::vocabulary::{name_score, tokens};
use crate::local::definition::FieldRule;
use crate::local::json_ld::{leaves, objects_of, passes_through_list, record_types};
use crate::local::structured_data::{Format, Source};

/// Objects looked at when mapping paths.
const SAMPLE: usize = 20;
/// Fields chosen when the request names none.
const AUTO_FIELDS: usize = 8;

/// Types a page carries about itself or its site rather than about its subject: never the
/// one record of a single-record page.
const FURNITURE: &[&str] = &[
    "Organization",
    "WebSite",
    "BreadcrumbList",
    "SiteNavigationElement",
    "SearchAction",
    "ImageObject",
    "Brand",
    "WPHeader",
    "WPFooter",
    "WPSideBar",
];

/// Words of a meta tag's name that say which vocabulary it is from, not what it holds.
const META_PREFIXES: &[&str] = &[
    "og", "twitter", "product", "article", "book", "profile", "music", "video",
];

/// The structured records chosen for a request.
#[derive(Debug, Clone)]
pub struct StructuredChoice {
    pub source: Source,
    pub fields: Vec<FieldRule>,
    pub missing: Vec<String>,
    pub count: usize,
    /// Paths no field took, with sample values, for a missing field to be picked from.
    pub candidates: Vec<Candidate>,
    /// Some field reads the first of several values (a product's first review): the request
    /// is about the repeated things, not the object holding them.
    pub reads_lists: bool,
}

impl StructuredChoice {
    /// Whether the records are the one thing the page is about (a product, an article), not
    /// the site's furniture: such a record may stand for the whole page.
    pub fn is_page_subject(&self) -> bool {
        self.count == 1
            && !self.reads_lists
            && !FURNITURE
                .iter()
                .any(|t| t.eq_ignore_ascii_case(&self.source.type_name))
    }
}

/// The best type of record in the page's structured data for `request`, if any maps a field:
/// the most fields, then the most records, then the earlier format of [`Format::ALL`].
pub fn choose(doc: &Html, page_url: &url::Url, request: &Request) -> Option<StructuredChoice> {
    let mut best: Option<(usize, StructuredChoice)> = None;
    for format in Format::ALL {
        let docs = format.documents(doc, page_url);
        if format == Format::PageMeta && !describes_a_thing(&docs) {
            continue;
        }
        choose_in(&docs, format, page_url, request, &mut best);
    }
    best.map(|(_, c)| c)
}

/// Meta tags describe one thing when their `og:type` says what (a product, an article); a
/// site's home or a listing says `website`, or nothing.
fn describes_a_thing(docs: &[serde_json::Value]) -> bool {
    docs.iter().any(|d| {
        d.get("og:type")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|t| !t.trim().is_empty() && !t.trim().eq_ignore_ascii_case("website"))
    })
}

/// Maps the request onto each type of record in `docs`, keeping the better choice in `best`.
fn choose_in(
    docs: &[serde_json::Value],
    format: Format,
    page_url: &url::Url,
    request: &Request,
    best: &mut Option<(usize, StructuredChoice)>,
) {
    for (type_name, count) in record_types(docs) {
        let objects = objects_of(docs, &type_name);
        let sample: Vec<Vec<(String, String)>> = objects
            .iter()
            .take(SAMPLE)
            .map(|o| leaves(o, page_url))
            .collect();
        let mut paths: Vec<&String> = sample.iter().flatten().map(|(p, _)| p).collect();
        paths.dedup();
        let mut unique: Vec<&String> = Vec::new();
        for p in paths {
            if !unique.contains(&p) {
                unique.push(p);
            }
        }
        // A path counts when most objects have it.
        let present = |path: &str| {
            sample
                .iter()
                .filter(|l| l.iter().any(|(p, _)| p == path))
                .count()
                * 2
                >= sample.len()
        };
        let type_words = tokens(&type_name);
        let mut fields = Vec::new();
        let mut missing = Vec::new();
        if request.fields.is_empty() {
            for path in unique.iter().filter(|p| present(p)).take(AUTO_FIELDS) {
                let name = path.replace(['.', ':'], "_");
                fields.push(rule(&name, path, &sample));
            }
        }
        for field in &request.fields {
            let scored = unique
                .iter()
                .filter(|p| present(p))
                .map(|p| {
                    let words = tokens(p);
                    let mut all = words.clone();
                    all.extend(type_words.iter().cloned());
                    let extra = words
                        .iter()
                        .filter(|w| {
                            format != Format::PageMeta || !META_PREFIXES.contains(&w.as_str())
                        })
                        .filter(|w| name_score(field, std::slice::from_ref(w)) == 0.0)
                        .count();
                    let mut score = name_score(field, &all) - 0.2 * extra as f64;
                    if p.rsplit('.').next() == Some("name") {
                        score += 0.05;
                    }
                    // The last word says what the value is: `lowPrice` is a price,
                    // `priceCurrency` a currency.
                    if words
                        .last()
                        .is_some_and(|w| name_score(field, std::slice::from_ref(w)) > 0.0)
                    {
                        score += 0.1;
                    }
                    (score, *p)
                })
                .filter(|(score, _)| *score >= 1.0)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            match scored {
                Some((_, path)) => fields.push(rule(field, path, &sample)),
                None => missing.push(field.clone()),
            }
        }
        if fields.is_empty() {
            continue;
        }
        let candidates = unique
            .iter()
            .filter(|p| present(p) && !fields.iter().any(|f| f.path.as_deref() == Some(p.as_str())))
            .filter_map(|p| {
                let values = sample.iter().flatten().filter(|(q, _)| q == *p);
                Candidate::new(p.to_string(), values.map(|(_, v)| v.as_str()))
            })
            .take(4)
            .collect();
        let mapped = fields.len();
        let reads_lists = objects.iter().take(SAMPLE).any(|o| {
            fields
                .iter()
                .filter_map(|f| f.path.as_deref())
                .any(|p| passes_through_list(o, p))
        });
        let choice = StructuredChoice {
            reads_lists,
            source: Source { format, type_name },
            fields,
            missing,
            count,
            candidates,
        };
        if best
            .as_ref()
            .is_none_or(|(n, b)| mapped > *n || (mapped == *n && count > b.count))
        {
            *best = Some((mapped, choice));
        }
    }
}

/// A field taking `path`, optional when some sampled objects lack it.
fn rule(name: &str, path: &str, sample: &[Vec<(String, String)>]) -> FieldRule {
    let everywhere = sample.iter().all(|l| l.iter().any(|(p, _)| p == path));
    FieldRule {
        name: name.to_string(),
        selector: String::new(),
        attribute: None,
        optional: !everywhere,
        label: None,
        class_number: false,
        path: Some(path.to_string()),
        number: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_map_to_the_paths_that_mean_them() {
        let html = r#"<script type="application/ld+json">{"@graph": [{"@type": "WebPage", "name": "Jobs"},
          {"@type": "JobPosting", "title": "Engineer", "datePosted": "2025-03-01",
           "hiringOrganization": {"@type": "Organization", "name": "Northwind"},
           "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Berlin"}}},
          {"@type": "JobPosting", "title": "Designer", "datePosted": "2025-03-02",
           "hiringOrganization": {"@type": "Organization", "name": "Contoso"},
           "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Lisbon"}}}]}</script>"#;
        let doc = Html::parse_document(html);
        let url = url::Url::parse("http://jobs.test/").unwrap();
        let request = Request {
            url: url.clone(),
            fields: ["job_title", "company", "location", "date_posted", "salary"]
                .map(String::from)
                .to_vec(),
            max_pages: None,
            max_items: None,
            record_noun: None,
        };
        let choice = choose(&doc, &url, &request).unwrap();
        assert_eq!(choice.source.type_name, "JobPosting");
        assert_eq!(choice.source.format, Format::JsonLd);
        let paths: Vec<(&str, &str)> = choice
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.path.as_deref().unwrap()))
            .collect();
        assert_eq!(
            paths,
            [
                ("job_title", "title"),
                ("company", "hiringOrganization.name"),
                ("location", "jobLocation.address.addressLocality"),
                ("date_posted", "datePosted")
            ]
        );
        assert_eq!(choice.missing, ["salary"]);
    }

    fn request(url: &url::Url, fields: &[&str]) -> Request {
        Request {
            url: url.clone(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
            max_pages: None,
            max_items: None,
            record_noun: None,
        }
    }

    #[test]
    fn microdata_and_rdfa_items_map_fields_to_property_paths() {
        let item = |name: &str, code: &str, amount: &str| {
            format!(
                r#"<div class="tile" itemscope itemtype="https://schema.org/Product">
                <span itemprop="name">{name}</span><meta itemprop="gtin13" content="{code}">
                <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
                <meta itemprop="priceCurrency" content="USD"><meta itemprop="price" content="{amount}"></div>
                <p class="blurb">Hand made in small batches, each one a little different.</p></div>"#
            )
        };
        let html = format!(
            "<main>{}{}{}</main>",
            item("Clay jug", "4006381333931", "31"),
            item("Ash bowl", "4006381333948", "18.5"),
            item("Slate tray", "4006381333955", "44")
        );
        let doc = Html::parse_document(&html);
        let url = url::Url::parse("http://pottery.test/all").unwrap();
        let choice = choose(&doc, &url, &request(&url, &["name", "gtin", "price"])).unwrap();
        assert_eq!(choice.source.format, Format::Microdata);
        assert_eq!(choice.source.type_name, "Product");
        let paths: Vec<_> = choice
            .fields
            .iter()
            .map(|f| f.path.as_deref().unwrap())
            .collect();
        assert_eq!(
            paths,
            ["name", "gtin13", "offers.price"],
            "not offers.priceCurrency"
        );
        assert_eq!(choice.count, 3);
        // RDFa Lite, a differently shaped list.
        let html = r#"<table vocab="https://schema.org/"><tr typeof="Recipe"><td property="name">Leek tart</td>
            <td><time property="totalTime" datetime="PT50M">50 min</time></td></tr>
            <tr typeof="Recipe"><td property="name">Pea soup</td><td><time property="totalTime" datetime="PT25M">25 min</time></td></tr></table>"#;
        let doc = Html::parse_document(html);
        let choice = choose(&doc, &url, &request(&url, &["recipe_name", "total_time"])).unwrap();
        assert_eq!(choice.source.format, Format::Rdfa);
        assert_eq!(choice.count, 2);
        let paths: Vec<_> = choice
            .fields
            .iter()
            .map(|f| f.path.as_deref().unwrap())
            .collect();
        assert_eq!(paths, ["name", "totalTime"]);
    }

    #[test]
    fn a_single_record_page_gives_its_subject_not_the_look_alikes_beside_it() {
        // The visible product and four related ones share one card shape; the meta tags say
        // the page is about one product.
        let card = |title: &str, price: &str| {
            format!(
                r#"<li class="rel"><h3>{title}</h3><span class="cost">{price}</span><a href="/x">view</a></li>"#
            )
        };
        let html = format!(
            r#"<html><head><meta property="og:type" content="product"><meta property="og:title" content="Brass lantern">
            <meta property="product:price:amount" content="64.00"><meta property="product:price:currency" content="GBP"></head>
            <body><section><h1>Brass lantern</h1><span class="cost">£64.00</span></section>
            <h2>You may also like</h2><ul>{}{}{}{}</ul></body></html>"#,
            card("Tin lantern", "£20.00"),
            card("Glass lantern", "£35.00"),
            card("Oil lamp", "£41.00"),
            card("Candle hood", "£12.00")
        );
        let url = url::Url::parse("http://lamps.test/brass").unwrap();
        let fields = request(&url, &["title", "price"]);
        let choice = super::super::analysis::choose(&html, &url, &fields).unwrap();
        let source = choice.structured.clone().expect("the page's meta tags");
        assert_eq!(source.format, Format::PageMeta);
        assert_eq!(choice.count, 1);
        let def = crate::local::definition::AgentDefinition {
            start_urls: vec![url.to_string()],
            record_selector: String::new(),
            json_ld: None,
            microdata: None,
            rdfa: None,
            page_meta: true,
            record_extent: Default::default(),
            fields: choice.fields,
            next_page: None,
            success_criteria: None,
            max_records: None,
            export_formats: Vec::new(),
            save_pages: false,
        };
        let out = crate::local::extract::extract_page(&def, &html, &url);
        assert_eq!(out.records.len(), 1);
        assert_eq!(out.records[0]["title"], "Brass lantern");
        assert_eq!(
            out.records[0]["price"], "£64.00",
            "the price as the page shows it"
        );
        // A product whose data holds several reviews is not the record of a request for
        // reviews: the visible reviews are.
        let reviews = format!(
            r#"<html><head><script type="application/ld+json">{{"@type": "Product", "name": "Brass lantern",
            "review": [{{"@type": "Review", "author": "Mo", "reviewBody": "Bright"}}, {{"@type": "Review", "author": "Di", "reviewBody": "Heavy"}}]}}</script></head>
            <body><h1>Brass lantern</h1><ol>{}{}{}</ol></body></html>"#,
            r#"<li class="rv"><b class="author">Mo</b><p class="review-body">Bright</p></li>"#,
            r#"<li class="rv"><b class="author">Di</b><p class="review-body">Heavy</p></li>"#,
            r#"<li class="rv"><b class="author">Jo</b><p class="review-body">Sturdy and warm</p></li>"#
        );
        let asked = request(&url, &["author", "review_body"]);
        let choice = super::super::analysis::choose(&reviews, &url, &asked).unwrap();
        assert!(choice.structured.is_none(), "{:?}", choice.structured);
        // A listing whose meta tags describe the site, not a thing, keeps its cards.
        let listing = html.replace(r#"content="product""#, r#"content="website""#);
        let choice = super::super::analysis::choose(&listing, &url, &fields).unwrap();
        assert!(choice.structured.is_none(), "{:?}", choice.structured);
        assert!(choice.count > 1);
    }
}
