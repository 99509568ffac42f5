//! What a missing field may be. A requested field the builder cannot map does not fail the
//! build: the agent is saved without it, and the places in the records that no field took
//! are offered instead, each with its values in the first records, ranked for each missing
//! field by whether those values have the shape its name implies (a price, a date...). They
//! travel in the build result as data, so the user, the calling model or the client's model
//! (MCP sampling) can pick one with the follow-up "take <field> from <place>".

use super::vocabulary::{Shape, concept_for, has_shape};
use crate::api::types::{BuilderCandidate, BuilderMissingField};

/// Candidates offered for one missing field.
const PER_FIELD: usize = 3;
/// Sample values kept per candidate: the first two records.
pub const SAMPLES: usize = 2;
/// Longest sample value kept, in characters.
const SAMPLE_CHARS: usize = 80;

/// A place in the records no field took.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// In the words refine's "take <field> from <place>" reads: a selector inside the record,
    /// "<attribute> of <selector>", or a JSON-LD path.
    pub place: String,
    /// Its values in the first records, shortened.
    pub samples: Vec<String>,
}

impl Candidate {
    /// A candidate from its place and the values it held, record by record; None when the
    /// place cannot be named in a follow-up (the record element itself) or held nothing.
    pub fn new<'v>(place: String, values: impl IntoIterator<Item = &'v str>) -> Option<Self> {
        let samples: Vec<String> = values
            .into_iter()
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|v| !v.is_empty())
            .take(SAMPLES)
            .map(|v| v.chars().take(SAMPLE_CHARS).collect())
            .collect();
        (!place.trim().is_empty() && !samples.is_empty()).then_some(Candidate { place, samples })
    }

    /// "`span.byline` ("Ada King")", for the narration.
    pub fn describe(&self) -> String {
        format!("`{}` (\"{}\")", self.place, self.samples[0])
    }

    /// A link's or an image's address: the record's own link is offered for every field, yet
    /// a person, a venue or a time is written as text.
    fn is_address(&self) -> bool {
        self.place.starts_with("href of ") || self.place.starts_with("src of ")
    }

    /// Every sample reads as a value of `shape`.
    fn fits(&self, shape: Shape) -> bool {
        match shape {
            Shape::Text | Shape::Title => false,
            Shape::Link => self.place.starts_with("href of "),
            Shape::Image => self.place.starts_with("src of "),
            _ => self.samples.iter().all(|s| has_shape(s, shape)),
        }
    }
}

/// Fields whose value is an address (a link, an image), for which href and src fit best.
fn addresses(shape: Shape) -> bool {
    matches!(shape, Shape::Link | Shape::Image)
}

/// Each missing field with its best candidates; a place offered for several fields keeps one
/// id, so an answer naming it is unambiguous.
pub fn missing_fields(missing: &[String], candidates: &[Candidate]) -> Vec<BuilderMissingField> {
    let id = |c: &Candidate| {
        let at = candidates
            .iter()
            .position(|o| o.place == c.place)
            .unwrap_or(0);
        format!("c{}", at + 1)
    };
    missing
        .iter()
        .map(|field| {
            let shape = concept_for(field).map_or(Shape::Text, |c| c.shape);
            let mut ranked: Vec<&Candidate> = candidates.iter().collect();
            // Stable: among equals the builder's own order (place in the record) stays.
            ranked.sort_by_key(|c| (!c.fits(shape), c.is_address() && !addresses(shape)));
            BuilderMissingField {
                field: field.clone(),
                candidates: ranked
                    .into_iter()
                    .take(PER_FIELD)
                    .map(|c| BuilderCandidate {
                        id: id(c),
                        place: c.place.clone(),
                        samples: c.samples.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(place: &str, values: &[&str]) -> Candidate {
        Candidate::new(place.to_string(), values.iter().copied()).unwrap()
    }

    #[test]
    fn each_missing_field_gets_the_candidates_that_fit_it_first_with_stable_ids() {
        let offered = [
            cand("span.who", &["Mira Holt", "Ben Oduya"]),
            cand("em.cost", &["€12,50", "€7,00"]),
            cand("href of a.more", &["http://x.test/1", "http://x.test/2"]),
            cand("small.when", &["2024-05-01", "2024-06-11"]),
        ];
        let fields = missing_fields(&["fee".into(), "start_date".into()], &offered);
        let ids = |f: &BuilderMissingField| -> Vec<String> {
            f.candidates.iter().map(|c| c.id.clone()).collect()
        };
        assert_eq!(fields[0].field, "fee");
        assert_eq!(ids(&fields[0])[0], "c2", "{fields:?}");
        assert_eq!(fields[1].field, "start_date");
        assert_eq!(ids(&fields[1])[0], "c4", "{fields:?}");
        assert!(fields.iter().all(|f| f.candidates.len() == PER_FIELD));
        assert_eq!(
            fields[1].candidates[0].samples,
            ["2024-05-01", "2024-06-11"]
        );
    }

    #[test]
    fn samples_are_short_and_places_that_cannot_be_named_are_not_offered() {
        let long = "word ".repeat(100);
        let c = Candidate::new("p.blurb".into(), [long.as_str(), "b", "c"]).unwrap();
        assert_eq!(c.samples.len(), SAMPLES);
        assert_eq!(c.samples[0].chars().count(), SAMPLE_CHARS);
        assert!(Candidate::new(String::new(), ["x"]).is_none());
        assert!(Candidate::new("td.x".into(), ["  "]).is_none());
    }
}
