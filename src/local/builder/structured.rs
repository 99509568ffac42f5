//! Records from the page's JSON-LD: the schema.org objects of one type (products, events, job
//! postings, recipes...) as records, each requested field mapped to the path in the object
//! whose words mean it ("company" -> `hiringOrganization.name`). Used when the structured data
//! holds more of the requested fields than the visible markup does.

use scraper::Html;

use super::candidates::Candidate;
use super::prompt::Request;
use super::vocabulary::{name_score, tokens};
use crate::local::definition::FieldRule;
use crate::local::json_ld::{documents, leaves, objects_of, record_types};

/// Objects looked at when mapping paths.
const SAMPLE: usize = 20;
/// Fields chosen when the request names none.
const AUTO_FIELDS: usize = 8;

/// The JSON-LD records chosen for a request.
#[derive(Debug, Clone)]
pub struct StructuredChoice {
    pub type_name: String,
    pub fields: Vec<FieldRule>,
    pub missing: Vec<String>,
    pub count: usize,
    /// Paths no field took, with sample values, for a missing field to be picked from.
    pub candidates: Vec<Candidate>,
}

/// The best type of record in the page's JSON-LD for `request`, if any maps a field.
pub fn choose(doc: &Html, page_url: &url::Url, request: &Request) -> Option<StructuredChoice> {
    let docs = documents(doc);
    let mut best: Option<(usize, StructuredChoice)> = None;
    for (type_name, count) in record_types(&docs) {
        let objects = objects_of(&docs, &type_name);
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
                let name = path.replace('.', "_");
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
                        .filter(|w| name_score(field, std::slice::from_ref(w)) == 0.0)
                        .count();
                    let mut score = name_score(field, &all) - 0.2 * extra as f64;
                    if p.rsplit('.').next() == Some("name") {
                        score += 0.05;
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
        let choice = StructuredChoice {
            type_name,
            fields,
            missing,
            count,
            candidates,
        };
        if best
            .as_ref()
            .is_none_or(|(n, b)| mapped > *n || (mapped == *n && count > b.count))
        {
            best = Some((mapped, choice));
        }
    }
    best.map(|(_, c)| c)
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
        assert_eq!(choice.type_name, "JobPosting");
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
}
