//! Every record candidate of a page, whichever finder found it: the groups elements wrap
//! (`records`) and the records no element wraps (`span_records`). Kept above both so that
//! the two finders depend in one direction only: `span_records` on `records`' helpers.

use scraper::Html;

use super::records::{Group, element_groups};
use super::span_records::span_groups;

/// All record candidates of the page.
pub fn find_groups(doc: &Html) -> Vec<Group<'_>> {
    let mut groups = element_groups(doc);
    groups.extend(span_groups(doc));
    groups
}
