//! Finding the repeating record structure of a page: table rows under a header, or sibling
//! elements that share a tag and classes (cards, list items, articles). Page furniture and
//! advertisements are left out.

use scraper::{ElementRef, Html, Selector};

use super::vocabulary::{is_ad_word, is_furniture_word, tokens};
use crate::local::definition::RecordExtent;
use crate::local::extract::collapsed_text;

/// How the records are laid out.
#[derive(Debug, Clone, PartialEq)]
pub enum Layout {
    /// Rows of a table; the header text of each column, in cell order.
    Table { headers: Vec<String> },
    /// Siblings with the same tag and classes.
    Repeated,
    /// Elements that start a record the siblings after them complete: `<dt>` terms with
    /// their `<dd>`s, headings with the paragraphs under them.
    Span,
}

/// A set of elements that look like records, with a CSS selector that selects exactly them.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    pub members: Vec<ElementRef<'a>>,
    pub selector: String,
    pub layout: Layout,
    /// What one record seems to be, from its classes ("product", "post").
    pub noun: Option<String>,
}

impl Group<'_> {
    pub fn extent(&self) -> RecordExtent {
        match self.layout {
            Layout::Span => RecordExtent::UntilNext,
            _ => RecordExtent::Element,
        }
    }
}

/// Tags that never hold a record.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "br", "hr", "option", "template", "link", "meta", "input", "svg", "path",
    "tr", "td", "th", "thead", "tbody", "tfoot", "col", "colgroup", "source", "noscript", "button",
    "label",
];
/// Class words that say "a box" rather than what is in it.
const GENERIC_WORDS: &[&str] = &[
    "card",
    "item",
    "col",
    "row",
    "entry",
    "list",
    "grid",
    "box",
    "container",
    "wrapper",
    "tile",
    "cell",
    "result",
    "block",
    "inner",
    "content",
    "group",
    "unit",
    "element",
    "media",
    "hentry",
    "clearfix",
    "is",
    "has",
    "js",
];

/// The record candidates that elements wrap: table rows and alike siblings (records no
/// element wraps are `span_records`' part; `groups` joins the two).
pub fn element_groups(doc: &Html) -> Vec<Group<'_>> {
    let mut groups = table_groups(doc);
    groups.extend(sibling_groups(doc));
    groups
}

fn table_groups(doc: &Html) -> Vec<Group<'_>> {
    let (Ok(tables), Ok(rows)) = (Selector::parse("table"), Selector::parse("tr")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for table in doc.select(&tables) {
        if is_ignored(table) {
            continue;
        }
        let own_rows: Vec<ElementRef> = table
            .select(&rows)
            .filter(|r| nearest_table(*r) == Some(table))
            .collect();
        let header_row = own_rows
            .iter()
            .find(|r| {
                let c = cells(**r);
                c.len() >= 2 && c.iter().all(|c| c.value().name() == "th")
            })
            .or_else(|| {
                own_rows.first().filter(|r| {
                    let c = cells(**r);
                    c.len() >= 2
                        && (c.iter().all(|c| is_bold(*c))
                            || c.iter().all(|c| {
                                let t = collapsed_text(*c);
                                !t.is_empty() && !t.chars().any(|ch| ch.is_ascii_digit())
                            }))
                })
            });
        let Some(header_row) = header_row else {
            out.extend(headerless_table(doc, table, &own_rows));
            continue;
        };
        let headers: Vec<String> = cells(*header_row)
            .iter()
            .map(|c| collapsed_text(*c))
            .collect();
        let members: Vec<ElementRef> = own_rows
            .iter()
            .filter(|r| **r != *header_row && cells(**r).iter().any(|c| c.value().name() == "td"))
            .copied()
            .collect();
        if members.len() < 2 {
            continue;
        }
        let header_is_td = cells(*header_row).iter().any(|c| c.value().name() == "td");
        let rows_part = if header_is_td {
            "tr:has(td):not(:first-child)"
        } else {
            "tr:has(td)"
        };
        let Some(selector) = qualified_selector(doc, table, &format!(" {rows_part}"), &members)
        else {
            continue;
        };
        let noun = caption_noun(table);
        out.push(Group {
            members,
            selector,
            layout: Layout::Table { headers },
            noun,
        });
    }
    out
}

/// A table without a header row whose rows have the same cells (a ranking, a list of
/// results): its rows are records all the same, with unnamed columns that fields are matched
/// to by their values. Fewer than four rows is more likely a layout table.
fn headerless_table<'a>(
    doc: &'a Html,
    table: ElementRef<'a>,
    own_rows: &[ElementRef<'a>],
) -> Option<Group<'a>> {
    let members: Vec<ElementRef> = own_rows
        .iter()
        .filter(|r| cells(**r).iter().any(|c| c.value().name() == "td"))
        .copied()
        .collect();
    let width = cells(*members.first()?).len();
    let alike = members.iter().filter(|r| cells(**r).len() == width).count();
    if members.len() < 4 || width < 2 || alike * 5 < members.len() * 4 || mostly_empty(&members) {
        return None;
    }
    let selector = qualified_selector(doc, table, " tr:has(td)", &members)?;
    Some(Group {
        members,
        selector,
        layout: Layout::Table {
            headers: vec![String::new(); width],
        },
        noun: caption_noun(table),
    })
}

/// A cell whose whole text is bold (`<td><b>Name</b></td>`): a header written without `<th>`.
fn is_bold(cell: ElementRef<'_>) -> bool {
    let text = collapsed_text(cell);
    !text.is_empty()
        && cell
            .child_elements()
            .any(|b| matches!(b.value().name(), "b" | "strong") && collapsed_text(b) == text)
}

/// The `td`/`th` cells of a row, in order.
pub fn cells(row: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    row.child_elements()
        .filter(|c| matches!(c.value().name(), "td" | "th"))
        .collect()
}

fn nearest_table(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")
}

/// The last word of a table's caption or of its id/classes, as a record noun.
fn caption_noun(table: ElementRef<'_>) -> Option<String> {
    let caption = Selector::parse("caption").ok()?;
    let text = table
        .select(&caption)
        .next()
        .map(collapsed_text)
        .unwrap_or_default();
    tokens(&text)
        .into_iter()
        .rev()
        .chain(own_words(table).into_iter().rev())
        .find(|w| {
            w.len() > 2
                && w.chars().all(char::is_alphabetic)
                && !GENERIC_WORDS.contains(&w.as_str())
                && w != "table"
        })
}

fn sibling_groups(doc: &Html) -> Vec<Group<'_>> {
    let Ok(body) = Selector::parse("body *") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen: Vec<Vec<ElementRef>> = Vec::new();
    let mut tried: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // The rows of grids whose cards were taken together as one group.
    let mut merged_rows: Vec<ElementRef> = Vec::new();
    for parent in doc.select(&body) {
        // A later row of a grid: its cards were taken with the first row's.
        if SKIPPED_TAGS.contains(&parent.value().name()) || merged_rows.contains(&parent) {
            continue;
        }
        let mut by_tag: Vec<(&str, Vec<ElementRef>)> = Vec::new();
        for child in parent.child_elements() {
            let tag = child.value().name();
            if SKIPPED_TAGS.contains(&tag) || is_ignored(child) {
                continue;
            }
            match by_tag.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, list)) => list.push(child),
                None => by_tag.push((tag, vec![child])),
            }
        }
        for (_, bucket) in by_tag {
            let bucket = without_ads(bucket);
            if bucket.len() < 2 || is_ignored(parent) {
                continue;
            }
            // A list inside every record (the links of each card) repeats with the records
            // and only its position could tell one from another: after a few, the same path
            // is not tried again, which keeps a page of many records linear.
            let path = format!("{} > {}", ancestry(parent), own_selector(&bucket));
            let times = tried.entry(path).or_insert(0);
            *times += 1;
            if *times > 3 {
                continue;
            }
            for (i, mut members) in class_subgroups(&bucket).into_iter().enumerate() {
                if i == 0
                    && let Some((rows, all)) = grid_rows(parent, &members)
                {
                    merged_rows.extend(rows);
                    members = all;
                }
                if seen.contains(&members) || mostly_empty(&members) {
                    continue;
                }
                seen.push(members.clone());
                let outliers = bucket.len().saturating_sub(members.len());
                let selector = sibling_selector(doc, parent, &members).or_else(|| {
                    // A header or empty block that nothing but its content tells apart from
                    // the cards: select them all; it has none of the cards' fields, so the
                    // extraction leaves it out.
                    (i == 0 && outliers > 0 && outliers * 4 <= members.len())
                        .then(|| sibling_selector(doc, parent, &bucket))
                        .flatten()
                });
                if let Some(selector) = selector {
                    let noun = member_noun(&members);
                    out.push(Group {
                        members,
                        selector,
                        layout: Layout::Repeated,
                        noun,
                    });
                }
            }
        }
    }
    // The rows of a grid are containers of records, not records.
    out.retain(|g| !g.members.iter().any(|m| merged_rows.contains(m)));
    out
}

/// Cards of a grid written as several rows (`div.row > div.card`, row after row): when the
/// parent is one of a run of consecutive siblings like it, the rows after it and the cards
/// like `members` in all of them.
fn grid_rows<'a>(
    parent: ElementRef<'a>,
    members: &[ElementRef<'a>],
) -> Option<(Vec<ElementRef<'a>>, Vec<ElementRef<'a>>)> {
    let row_kind = simple_selector(parent);
    let rows: Vec<ElementRef> = std::iter::once(parent)
        .chain(
            parent
                .next_siblings()
                .filter_map(ElementRef::wrap)
                .take_while(|r| simple_selector(*r) == row_kind),
        )
        .collect();
    if rows.len() < 2 {
        return None;
    }
    // Rows hold cards and nothing else, and a card is more than a line of text: two
    // paragraphs in each of a run of results are not a grid.
    let like = Selector::parse(&own_selector(members)).ok()?;
    let cards_only = rows
        .iter()
        .all(|r| r.child_elements().all(|c| like.matches(&c)));
    let rich = members
        .iter()
        .all(|m| m.descendent_elements().skip(1).nth(1).is_some());
    // Cards of a grid are built alike; the picture box and the text box of one record are not.
    let first_shape = shape(members[0]);
    let alike_shapes = members.iter().filter(|m| shape(**m) == first_shape).count();
    if !cards_only || !rich || alike_shapes * 3 < members.len() * 2 {
        return None;
    }
    let all: Vec<ElementRef> = rows
        .iter()
        .flat_map(|r| r.child_elements())
        .filter(|c| !is_ad(*c))
        .collect();
    let alike = without_outliers(&all);
    let grows = alike.len() > members.len() && members.iter().all(|m| alike.contains(m));
    grows.then_some((rows, alike))
}

/// The simple selectors of an element and its two nearest ancestors, outermost first.
fn ancestry(el: ElementRef<'_>) -> String {
    let mut parts: Vec<String> = std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .take(3)
        .map(simple_selector)
        .collect();
    parts.reverse();
    parts.join(" > ")
}

/// A selector for sibling `members` of `parent`: their own tag and classes when that is
/// exact (or excludes the others by a class), else qualified by their ancestors.
fn sibling_selector<'a>(
    doc: &'a Html,
    parent: ElementRef<'a>,
    members: &[ElementRef<'a>],
) -> Option<String> {
    let base = own_selector(members);
    exact_or_excluding(doc, &base, members)
        .or_else(|| qualified_selector(doc, parent, &format!(" > {base}"), members))
}

/// The siblings without the advertisements among them. When most of them say "promo" or
/// "sponsored", that is what the list is (a page of deals): they are all kept.
fn without_ads(bucket: Vec<ElementRef<'_>>) -> Vec<ElementRef<'_>> {
    let ads = bucket.iter().filter(|e| is_ad(**e)).count();
    if ads * 2 >= bucket.len() {
        return bucket;
    }
    bucket.into_iter().filter(|e| !is_ad(*e)).collect()
}

/// The whole bucket, and for each class most members share, the members with that class.
fn class_subgroups<'a>(bucket: &[ElementRef<'a>]) -> Vec<Vec<ElementRef<'a>>> {
    let mut out = vec![bucket.to_vec()];
    let mut classes: Vec<&str> = Vec::new();
    for m in bucket {
        for c in stable_classes(*m) {
            if !classes.contains(&c) {
                classes.push(c);
            }
        }
    }
    for c in classes {
        let with: Vec<ElementRef> = bucket
            .iter()
            .filter(|m| stable_classes(**m).contains(&c))
            .copied()
            .collect();
        if with.len() >= 2 && with.len() < bucket.len() {
            out.push(with);
        }
    }
    // A header block sharing the cards' class is left out of the whole.
    let alike = without_outliers(bucket);
    if alike.len() >= 2 && alike.len() < bucket.len() {
        out[0] = alike;
    }
    out
}

/// The members whose inner structure is that of most of the others: a heading block or an
/// empty placeholder that shares the cards' class is not a card. A member is left out when
/// fewer than half of the inner elements most members have (by tag and class) are in it.
fn without_outliers<'a>(bucket: &[ElementRef<'a>]) -> Vec<ElementRef<'a>> {
    let shape = |m: ElementRef<'_>| -> Vec<String> {
        let mut parts: Vec<String> = m
            .descendent_elements()
            .skip(1)
            .map(|d| {
                let classes: Vec<&str> = stable_classes(d);
                format!("{}.{}", d.value().name(), classes.join("."))
            })
            .collect();
        parts.sort_unstable();
        parts.dedup();
        parts
    };
    let shapes: Vec<Vec<String>> = bucket.iter().map(|m| shape(*m)).collect();
    let mut common: Vec<&String> = shapes.iter().flatten().collect();
    common.sort_unstable();
    common.dedup();
    let usual: Vec<&String> = common
        .into_iter()
        .filter(|p| shapes.iter().filter(|s| s.contains(p)).count() * 2 > bucket.len())
        .collect();
    if usual.is_empty() {
        return bucket.to_vec();
    }
    bucket
        .iter()
        .zip(&shapes)
        .filter(|(_, s)| usual.iter().filter(|p| s.contains(p)).count() * 2 >= usual.len())
        .map(|(m, _)| *m)
        .collect()
}

pub fn mostly_empty(members: &[ElementRef<'_>]) -> bool {
    let Ok(img) = Selector::parse("img") else {
        return true;
    };
    let empty = members
        .iter()
        .filter(|m| collapsed_text(**m).chars().count() < 3 && m.select(&img).next().is_none())
        .count();
    empty * 2 > members.len()
}

/// `tag.class1.class2` from the classes all members share (at most three), else
/// `tag[data-testid="…"]` from a marker attribute they share, or the tag.
fn own_selector(members: &[ElementRef<'_>]) -> String {
    let tag = members[0].value().name();
    let common: Vec<&str> = stable_classes(members[0])
        .into_iter()
        .filter(|c| members.iter().all(|m| stable_classes(*m).contains(c)))
        .take(3)
        .collect();
    if !common.is_empty() {
        return format!("{tag}.{}", common.join("."));
    }
    let shared_marker = marker_attrs(members[0])
        .into_iter()
        .find(|m| members.iter().all(|e| marker_attrs(*e).contains(m)));
    match shared_marker {
        Some(marker) => format!("{tag}{marker}"),
        None => tag.to_string(),
    }
}

/// `[data-testid="…"]` for each marker attribute of the element whose value can be quoted.
fn marker_attrs(el: ElementRef<'_>) -> Vec<String> {
    MARKER_ATTRS
        .iter()
        .filter_map(|attr| {
            el.value()
                .attr(attr)
                .filter(|v| is_plain_value(v))
                .map(|v| format!("[{attr}=\"{v}\"]"))
        })
        .collect()
}

/// A selector for `members` made of `anchor`'s own selector, then qualified by its parent and
/// grandparent, followed by `rest`; the first that selects exactly the members. When no
/// class, id or marker tells the ancestors apart (two plain tables), the topmost one is placed
/// by its position among its kind (`table:nth-of-type(2)`).
pub fn qualified_selector(
    doc: &Html,
    anchor: ElementRef<'_>,
    rest: &str,
    members: &[ElementRef<'_>],
) -> Option<String> {
    let mut chain = vec![anchor];
    let mut node = anchor;
    for _ in 0..2 {
        match node.parent().and_then(ElementRef::wrap) {
            Some(parent) if parent.value().name() != "html" => {
                chain.push(parent);
                node = parent;
            }
            _ => break,
        }
    }
    let mut widest = 0;
    for placed in [false, true] {
        // Placing by position is for a list among a few like it (two plain tables), not for
        // a fragment that every record repeats (the links of one card among hundreds).
        if placed && widest > members.len() * 2 {
            return None;
        }
        for depth in 0..chain.len() {
            let mut parts: Vec<String> = chain[..=depth]
                .iter()
                .rev()
                .map(|e| simple_selector(*e))
                .collect();
            if placed {
                let top = chain[depth];
                parts[0] = format!("{}:nth-of-type({})", parts[0], place_among_kind(top));
            }
            let candidate = format!("{}{rest}", parts.join(" > "));
            if !placed {
                widest = select_all(doc, &candidate).map_or(0, |all| all.len());
            }
            if let Some(found) = exact_or_excluding(doc, &candidate, members) {
                return Some(found);
            }
        }
    }
    None
}

/// 1 for the first element of its tag among its siblings, 2 for the second, …
fn place_among_kind(el: ElementRef<'_>) -> usize {
    let tag = el.value().name();
    1 + el
        .prev_siblings()
        .filter_map(ElementRef::wrap)
        .filter(|s| s.value().name() == tag)
        .count()
}

/// `selector` when it selects exactly `members`; else `selector:not(.x)` when the extra
/// elements share a class no member has (a "sponsored" card among products).
pub fn exact_or_excluding<'a>(
    doc: &'a Html,
    selector: &str,
    members: &[ElementRef<'a>],
) -> Option<String> {
    let selected = select_all(doc, selector)?;
    if selected == members {
        return Some(selector.to_string());
    }
    if !members.iter().all(|m| selected.contains(m)) {
        return None;
    }
    let extras: Vec<ElementRef> = selected
        .into_iter()
        .filter(|e| !members.contains(e))
        .collect();
    // A class or marker on each extra (or on the element it wraps) that no member has.
    let first = extras.first()?;
    let wrapped = |el: ElementRef<'a>| single_child_chain(el);
    for (depth, candidate) in wrapped(*first).into_iter().enumerate() {
        for mark in marks(candidate) {
            let on_extras = extras.iter().all(|e| {
                wrapped(*e)
                    .get(depth)
                    .is_some_and(|w| marks(*w).contains(&mark))
            });
            let on_members = members
                .iter()
                .any(|m| wrapped(*m).iter().any(|w| marks(*w).contains(&mark)));
            if !on_extras || on_members {
                continue;
            }
            let refined = if depth == 0 {
                format!("{selector}:not({mark})")
            } else {
                format!("{selector}:not(:has({mark}))")
            };
            if select_all(doc, &refined)? == members {
                return Some(refined);
            }
        }
    }
    None
}

/// Simple selectors that pick an element out by what it is: `.class` for each stable class,
/// `[data-testid="…"]` for each marker attribute.
fn marks(el: ElementRef<'_>) -> Vec<String> {
    let mut out: Vec<String> = stable_classes(el)
        .into_iter()
        .map(|c| format!(".{c}"))
        .collect();
    out.extend(marker_attrs(el));
    out
}

/// An attribute value that can be quoted in a selector as it is.
pub fn is_plain_value(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 60
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

/// The element, the single element it contains, and so on down.
fn single_child_chain(el: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut chain = vec![el];
    let mut node = el;
    loop {
        let mut children = node.child_elements();
        match (children.next(), children.next()) {
            (Some(only), None) => {
                chain.push(only);
                node = only;
            }
            _ => return chain,
        }
    }
}

/// Elements matching `selector`, in document order (members are in document order too).
fn select_all<'a>(doc: &'a Html, selector: &str) -> Option<Vec<ElementRef<'a>>> {
    let sel = Selector::parse(selector).ok()?;
    Some(doc.select(&sel).collect())
}

/// `tag#id` for a stable id, else `tag.class1.class2`, else `tag[data-testid="…"]`, else the
/// tag.
pub fn simple_selector(el: ElementRef<'_>) -> String {
    let tag = el.value().name();
    if let Some(id) = el.value().id().filter(|id| is_stable_name(id)) {
        return format!("{tag}#{id}");
    }
    let classes: Vec<&str> = stable_classes(el).into_iter().take(2).collect();
    if !classes.is_empty() {
        return format!("{tag}.{}", classes.join("."));
    }
    match marker_attrs(el).into_iter().next() {
        Some(marker) => format!("{tag}{marker}"),
        None => tag.to_string(),
    }
}

/// Classes worth putting in a selector: plain names without digits (generated CSS-in-JS names
/// and grid utilities change) and not state words such as `active`.
pub fn stable_classes(el: ElementRef<'_>) -> Vec<&str> {
    el.value()
        .classes()
        .filter(|c| is_stable_name(c))
        .filter(|c| {
            !matches!(
                *c,
                "active"
                    | "selected"
                    | "current"
                    | "odd"
                    | "even"
                    | "first"
                    | "last"
                    | "hidden"
                    | "open"
                    | "visible"
            ) && !c.starts_with("is-")
                && !c.starts_with("has-")
                // `star-rating Four`: the number is the value, not the kind of element.
                && !crate::local::extract::is_number_name(c)
        })
        .collect()
}

fn is_stable_name(name: &str) -> bool {
    name.len() >= 2
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
        && !is_generated(name)
}

/// A class name a CSS-in-JS library or a CSS-module build generated (`sc-bdVaJa`,
/// `css-kLmNoP`, `jsx-2893461`, `iJvUkY`, `Card_title__aBcDe`): it changes with every release
/// of the site, so selectors built on it break. Known prefixes, a short token whose letters
/// switch case more than a word's do, a module-hash suffix, or letters with no vowel.
fn is_generated(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if [
        "sc-",
        "css-",
        "jsx-",
        "jss",
        "emotion-",
        "svelte-",
        "makestyles-",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        return true;
    }
    let switches = name
        .as_bytes()
        .windows(2)
        .filter(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
        .count();
    let mixed_case_hash = name.len() <= 10 && !name.contains(['-', '_']) && switches >= 2;
    mixed_case_hash || has_module_hash(name) || is_vowelless(name)
}

/// A CSS-module name, `Component_part__hash`: the part after the last `__` is a short hash
/// (mixed case or digits), not a BEM element such as `card__title`.
fn has_module_hash(name: &str) -> bool {
    let Some((_, suffix)) = name.rsplit_once("__") else {
        return false;
    };
    let mixed = suffix.chars().any(|c| c.is_ascii_uppercase())
        && suffix.chars().any(|c| c.is_ascii_lowercase());
    (4..=8).contains(&suffix.len())
        && suffix.chars().all(|c| c.is_ascii_alphanumeric())
        && (mixed || suffix.chars().any(|c| c.is_ascii_digit()))
}

/// Six or more letters without a vowel (`xkdtqz`): a hash, not a word or an abbreviation
/// such as `btn` or `nav`.
fn is_vowelless(name: &str) -> bool {
    name.len() >= 6
        && name.chars().all(|c| c.is_ascii_alphabetic())
        && !name
            .chars()
            .any(|c| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
}

/// Words of an element's class and id.
pub fn own_words(el: ElementRef<'_>) -> Vec<String> {
    let mut words: Vec<String> = el
        .value()
        .classes()
        .filter(|c| !is_generated(c))
        .flat_map(tokens)
        .collect();
    if let Some(id) = el.value().id() {
        words.extend(tokens(id));
    }
    words
}

/// Attributes sites mark a kind of element with (test hooks, component names): as telling as
/// a class, and often the only stable words when the classes are generated.
const MARKER_ATTRS: &[&str] = &[
    "data-testid",
    "data-test",
    "data-qa",
    "data-cy",
    "data-component-type",
    "data-type",
];

/// Words of an element's class, id and marker attributes.
pub fn marker_words(el: ElementRef<'_>) -> Vec<String> {
    let mut words = own_words(el);
    for attr in MARKER_ATTRS {
        if let Some(value) = el.value().attr(attr) {
            words.extend(tokens(value));
        }
    }
    words
}

/// An advertisement or sponsored item, by its own class, id or marker attribute or those of
/// the element it merely wraps (a grid column holding an ad card).
pub fn is_ad(el: ElementRef<'_>) -> bool {
    single_child_chain(el)
        .into_iter()
        .any(|e| marker_words(e).iter().any(|w| is_ad_word(w)))
}

/// The element and its ancestors up to the page's main content: what is above `<main>` (a
/// layout wrapper called `has-sidebar`, a body class `navigation-with-keyboard`) says nothing
/// about what is inside it.
fn up_to_main(el: ElementRef<'_>) -> impl Iterator<Item = ElementRef<'_>> {
    let mut inside = true;
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .take_while(move |a| {
            let keep = inside;
            inside = !is_main(*a);
            keep
        })
}

fn is_main(el: ElementRef<'_>) -> bool {
    el.value().name() == "main" || el.value().attr("role") == Some("main")
}

/// Inside navigation, a page header or footer, or an aside, by the element's tag or role or
/// an ancestor's (up to the main content): the page's own furniture, never its records.
/// Class words are only weak evidence ([`furniture_score`]).
pub fn is_ignored(el: ElementRef<'_>) -> bool {
    up_to_main(el).any(|a| {
        matches!(
            a.value().name(),
            "nav" | "footer" | "aside" | "header" | "select"
        ) || matches!(
            a.value().attr("role"),
            Some("navigation" | "banner" | "contentinfo" | "complementary")
        )
    })
}

/// How much a group's place says "page furniture" rather than content, for scoring: class or
/// id words such as `sidebar`, `menu` or `promo` on a member or an ancestor up to the main
/// content, or a form around it (a filter panel). Weak evidence: a group that clearly holds
/// the requested records still wins with it.
pub fn furniture_score(el: ElementRef<'_>) -> f64 {
    let worded = up_to_main(el).any(|a| furniture_words(a).iter().any(|w| is_furniture_word(w)));
    let in_form = up_to_main(el).any(|a| a.value().name() == "form");
    f64::from(u8::from(worded) + u8::from(in_form))
}

/// Inside the page's `<main>` element (or `role=main`): where a page says its content is.
pub fn in_main_content(el: ElementRef<'_>) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(is_main)
}

/// The class and id words that say an element *is* furniture. A class that describes the
/// layout around it does not: a state or modifier (`has-sidebar`, `with-right-sidebar`,
/// `Layout--sidebarPosition-start`) names what sits beside the content, not the content.
fn furniture_words(el: ElementRef<'_>) -> Vec<String> {
    let names = el.value().classes().chain(el.value().id());
    names
        .filter(|n| {
            let lower = n.to_ascii_lowercase();
            !["has-", "with-", "no-", "is-", "show-", "hide-"]
                .iter()
                .any(|p| lower.starts_with(p))
        })
        .flat_map(|n| tokens(n.split("--").next().unwrap_or(n)))
        .collect()
}

/// The most telling class word shared by the members ("product" in `card product`).
pub fn member_noun(members: &[ElementRef<'_>]) -> Option<String> {
    let first = own_words(members[0]);
    first
        .into_iter()
        .filter(|w| {
            w.len() > 2
                && w.chars().all(char::is_alphabetic)
                && !GENERIC_WORDS.contains(&w.as_str())
        })
        .find(|w| members.iter().all(|m| own_words(*m).contains(w)))
        .or_else(|| (members[0].value().name() == "article").then(|| "article".to_string()))
}

/// An element's tag and the tags of its children and grandchildren, in order: what tells a
/// title row from the details row under it when neither has a class.
pub(super) fn shape(el: ElementRef<'_>) -> String {
    let mut out = el.value().name().to_string();
    out.push('[');
    for child in el.child_elements().take(12) {
        out.push_str(child.value().name());
        out.push('(');
        for grandchild in child.child_elements().take(12) {
            out.push_str(grandchild.value().name());
            out.push(' ');
        }
        out.push(')');
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::builder::groups::find_groups;

    #[test]
    fn finds_cards_excluding_a_sponsored_one_and_ignores_navigation() {
        let html = r#"<html><body><nav><ul><li><a href="/">Home</a></li><li><a href="/a">A</a></li><li><a href="/b">B</a></li></ul></nav>
        <div class="grid">
          <div class="card product"><h2>One</h2><a href="/1">more</a></div>
          <div class="card product"><h2>Two</h2><a href="/2">more</a></div>
          <div class="card sponsored-item"><h2>Buy this</h2><a href="/ad">more</a></div>
          <div class="card product"><h2>Three</h2><a href="/3">more</a></div>
        </div></body></html>"#;
        let doc = Html::parse_document(html);
        let groups = find_groups(&doc);
        assert!(
            groups.iter().all(|g| !g.selector.contains("li")),
            "navigation is not records: {groups:?}"
        );
        let cards = groups
            .iter()
            .find(|g| g.members.len() == 3)
            .expect("the product cards");
        assert_eq!(cards.noun.as_deref(), Some("product"));
        let sel = Selector::parse(&cards.selector).unwrap();
        let h2 = Selector::parse("h2").unwrap();
        let texts: Vec<String> = doc
            .select(&sel)
            .map(|e| collapsed_text(e.select(&h2).next().unwrap()))
            .collect();
        assert_eq!(texts, ["One", "Two", "Three"]);
    }

    fn request(fields: &[&str]) -> super::super::prompt::Request {
        super::super::prompt::Request {
            url: url::Url::parse("http://t.test/list").unwrap(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
            max_pages: None,
            max_items: None,
            record_noun: None,
        }
    }

    fn chosen_texts(html: &str, fields: &[&str], inner: &str) -> (String, Vec<String>) {
        let req = request(fields);
        let choice = super::super::analysis::choose(html, &req.url, &req).expect("records");
        let doc = Html::parse_document(html);
        let sel = Selector::parse(&choice.record_selector).unwrap();
        let inner = Selector::parse(inner).unwrap();
        let texts = doc
            .select(&sel)
            .map(|e| {
                e.select(&inner)
                    .next()
                    .map(collapsed_text)
                    .unwrap_or_default()
            })
            .collect();
        (choice.record_selector, texts)
    }

    #[test]
    fn a_furniture_word_on_an_ancestor_does_not_hide_the_records() {
        // A restaurant's "menu" is its content; the layout wrapper names a rail beside it.
        let dishes = r#"<html><body class="menu-page"><div class="layout-sidebar-right">
          <nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li></ul></nav>
          <ul class="dishes">
            <li><h4>Leek soup</h4><em>€6.50</em></li>
            <li><h4>Trout with almonds</h4><em>€17.00</em></li>
            <li><h4>Plum tart</h4><em>€7.25</em></li>
          </ul></div></body></html>"#;
        let (_, texts) = chosen_texts(dishes, &["name", "price"], "h4");
        assert_eq!(texts, ["Leek soup", "Trout with almonds", "Plum tart"]);
        // A table of parameters inside a wrapper whose class says navigation.
        let params = r#"<html><body><section class="docnav-offset"><table>
          <tr><th><p>Parameter</p></th><th><p>Meaning</p></th></tr>
          <tr><td>depth</td><td>How deep to recurse into folders</td></tr>
          <tr><td>follow</td><td>Whether symbolic links are followed</td></tr>
          </table></section></body></html>"#;
        let (_, texts) = chosen_texts(params, &["parameter", "meaning"], "td");
        assert_eq!(texts, ["depth", "follow"]);
    }

    #[test]
    fn the_main_list_beats_a_sidebar_list_of_the_same_cards() {
        // Both lists share the teaser class and have a heading and a date; the rail is marked
        // only by class words, the main list has more and richer records.
        let html = r#"<html><body><div class="wrap">
          <div class="stories">
            <div class="teaser"><h3>Harbour reopens</h3><span class="when">1 March</span><span class="by">Ola Berg</span><p>The quay is repaired after the storm.</p></div>
            <div class="teaser"><h3>New tram line</h3><span class="when">2 March</span><span class="by">Ana Ruiz</span><p>Line 9 runs to the airport from May.</p></div>
            <div class="teaser"><h3>Library extends hours</h3><span class="when">3 March</span><span class="by">Li Wei</span><p>Open until ten on weekdays.</p></div>
          </div>
          <div class="sidebar-popular">
            <div class="teaser"><h3>Old bridge photos</h3><span class="when">4 June</span></div>
            <div class="teaser"><h3>Best bakeries</h3><span class="when">9 July</span></div>
          </div></div></body></html>"#;
        let (_, texts) = chosen_texts(html, &["headline", "date"], "h3");
        assert_eq!(
            texts,
            ["Harbour reopens", "New tram line", "Library extends hours"]
        );
    }

    #[test]
    fn a_long_list_of_bare_links_loses_to_fewer_records_with_content() {
        // No tags or classes say which is the menu: thirty short links against six cards.
        let links: String = (1..=30)
            .map(|i| format!(r#"<a href="/topic/{i}">Topic {i}</a>"#))
            .collect();
        let cards: String = ["Anvil", "Bellows", "Chisel", "Drawknife", "Easel", "File"]
            .iter()
            .enumerate()
            .map(|(i, n)| format!(r#"<div><h3>{n}</h3><span>${i}.50</span><p>Forged by hand in our workshop.</p></div>"#))
            .collect();
        let html = format!("<html><body><div>{links}</div><div>{cards}</div></body></html>");
        let (_, texts) = chosen_texts(&html, &["name", "price"], "h3");
        assert_eq!(
            texts,
            ["Anvil", "Bellows", "Chisel", "Drawknife", "Easel", "File"]
        );
        let (_, texts) = chosen_texts(&html, &["name"], "h3");
        assert_eq!(texts.len(), 6, "{texts:?}");
    }

    #[test]
    fn navigation_by_role_is_furniture_but_nothing_above_main_is() {
        let html = r#"<html><body class="sidebar-nav-open">
          <div role="navigation"><p class="link"><a href="/a">Alpha section</a></p><p class="link"><a href="/b">Beta section</a></p></div>
          <main><div class="hit"><b>Quartz</b> hardness 7</div><div class="hit"><b>Talc</b> hardness 1</div></main>
          </body></html>"#;
        let doc = Html::parse_document(html);
        let groups = find_groups(&doc);
        assert!(
            groups.iter().all(|g| !g.selector.contains("link")),
            "{groups:?}"
        );
        let hits = groups.iter().find(|g| g.selector.contains("hit")).unwrap();
        assert!(in_main_content(hits.members[0]));
        assert_eq!(furniture_score(hits.members[0]), 0.0);
    }

    #[test]
    fn a_sponsored_record_marked_only_by_a_test_id_is_left_out() {
        let html = r#"<html><body><ol>
          <li class="x9f3k"><div data-qa="listing-promoted"><h3><a href="/v/9">Paid placement</a></h3><span>0 km</span></div></li>
          <li class="x9f3k"><div data-qa="listing"><h3><a href="/v/1">Oak cabin</a></h3><span>12 km</span></div></li>
          <li class="x9f3k"><div data-qa="listing"><h3><a href="/v/2">Lake house</a></h3><span>30 km</span></div></li>
          <li class="x9f3k"><div data-qa="listing"><h3><a href="/v/3">Hill barn</a></h3><span>41 km</span></div></li>
        </ol></body></html>"#;
        let doc = Html::parse_document(html);
        let groups = find_groups(&doc);
        let listings = groups
            .iter()
            .find(|g| g.members.len() == 3)
            .expect("the three listings");
        let sel = Selector::parse(&listings.selector).unwrap();
        let h3 = Selector::parse("h3").unwrap();
        let texts: Vec<String> = doc
            .select(&sel)
            .map(|e| collapsed_text(e.select(&h3).next().unwrap()))
            .collect();
        assert_eq!(texts, ["Oak cabin", "Lake house", "Hill barn"]);
        assert!(groups.iter().all(|g| g.members.len() != 4), "{groups:?}");
    }

    #[test]
    fn records_with_generated_classes_are_selected_by_their_test_ids() {
        let html = r#"<html><body><div class="Grid_wrap__Lm3Qe">
          <section class="e1f8k2a0 qzkrtw" data-testid="tour-tile"><h3>Reef dive</h3><span>3 hours</span></section>
          <section class="e1f8k2a0 qzkrtw" data-testid="tour-tile"><h3>Cave swim</h3><span>2 hours</span></section>
          <section class="e1f8k2a0 qzkrtw" data-testid="tour-tile"><h3>Kayak trip</h3><span>5 hours</span></section>
        </div></body></html>"#;
        let doc = Html::parse_document(html);
        let groups = find_groups(&doc);
        let tiles = groups
            .iter()
            .find(|g| g.members.len() == 3)
            .expect("the tiles");
        assert_eq!(tiles.selector, r#"section[data-testid="tour-tile"]"#);
    }

    #[test]
    fn field_selectors_prefer_test_ids_to_classes() {
        let card = |name: &str, cost: &str| {
            format!(
                r#"<div class="offer"><span class="txt-lg" data-testid="offer-title">{name}</span><b class="amount" data-testid="offer-price">{cost}</b></div>"#
            )
        };
        let html = format!(
            "<html><body><div class=\"offers\">{}{}{}</div></body></html>",
            card("Blue kettle", "$20.00"),
            card("Red toaster", "$35.50"),
            card("Steel pan", "$18.25")
        );
        let doc = Html::parse_document(&html);
        let groups = find_groups(&doc);
        let offers = groups.iter().find(|g| g.members.len() == 3).unwrap();
        let req = request(&["title", "price"]);
        let mapping = super::super::slots::map_fields(offers, &req.fields, &req.url);
        let selectors: Vec<&str> = mapping.rules.iter().map(|r| r.selector.as_str()).collect();
        assert_eq!(
            selectors,
            [
                r#"span[data-testid="offer-title"]"#,
                r#"b[data-testid="offer-price"]"#
            ]
        );
    }

    #[test]
    fn a_test_id_names_a_value_but_is_not_one() {
        let card = |name: &str, city: &str| {
            format!(
                r#"<li class="j3k9x"><h4>{name}</h4><div data-testid="venue-city"><span>{city}</span></div></li>"#
            )
        };
        let html = format!(
            "<html><body><ul>{}{}{}</ul></body></html>",
            card("Jazz night", "Oslo"),
            card("Poetry slam", "Bergen"),
            card("Folk duo", "Tromsø")
        );
        let req = request(&["city"]);
        let choice = super::super::analysis::choose(&html, &req.url, &req).unwrap();
        let rule = &choice.fields[0];
        assert_eq!(rule.attribute, None, "{rule:?}");
        let doc = Html::parse_document(&html);
        let sel = Selector::parse(&choice.record_selector).unwrap();
        let inner = Selector::parse(&rule.selector).unwrap();
        let cities: Vec<String> = doc
            .select(&sel)
            .map(|e| collapsed_text(e.select(&inner).next().unwrap()))
            .collect();
        assert_eq!(cities, ["Oslo", "Bergen", "Tromsø"]);
    }

    #[test]
    fn a_page_of_promotions_keeps_its_promoted_records() {
        let tile = |name: &str| {
            format!(r#"<div class="promo-tile"><h3>{name}</h3><span>-20% this week</span></div>"#)
        };
        let html = format!(
            "<html><body><section>{}{}{}</section></body></html>",
            tile("Garden hose"),
            tile("Rake"),
            tile("Watering can")
        );
        let doc = Html::parse_document(&html);
        let groups = find_groups(&doc);
        assert!(
            groups
                .iter()
                .any(|g| g.members.len() == 3 && g.selector == "div.promo-tile"),
            "{groups:?}"
        );
    }

    #[test]
    fn a_heading_block_sharing_the_cards_class_is_not_a_record() {
        let card = |name: &str, cost: &str| {
            format!(
                r#"<div class="tile"><h3>{name}</h3><span>{cost}</span><a href="/x/{name}">Details</a></div>"#
            )
        };
        let html = format!(
            r#"<html><body><div class="shelf"><div class="tile"><p>Our picks for spring</p></div>{}{}{}{}</div></body></html>"#,
            card("Tulip bulbs", "$4.00"),
            card("Seed tray", "$7.50"),
            card("Trowel", "$12.00"),
            card("Twine", "$2.25")
        );
        let req = request(&["name", "price"]);
        let choice = super::super::analysis::choose(&html, &req.url, &req).unwrap();
        assert_eq!(choice.count, 4, "{choice:?}");
        let definition: crate::local::definition::AgentDefinition =
            serde_json::from_value(serde_json::json!({
                "start_urls": [req.url.as_str()],
                "record_selector": choice.record_selector,
                "fields": choice.fields,
            }))
            .unwrap();
        let page = crate::local::extract::extract_page(&definition, &html, &req.url);
        let names: Vec<&str> = page
            .records
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Tulip bulbs", "Seed tray", "Trowel", "Twine"]);
    }

    #[test]
    fn cards_of_a_grid_written_row_by_row_are_one_group() {
        let row = |names: [&str; 3]| {
            let cells: String = names
                .iter()
                .map(|n| {
                    format!(
                        r#"<article class="cell"><h4>{n}</h4><i>{} pages</i></article>"#,
                        n.len() * 40
                    )
                })
                .collect();
            format!(r#"<div class="line">{cells}</div>"#)
        };
        let html = format!(
            r#"<html><body><section class="catalogue">{}{}{}</section></body></html>"#,
            row(["Dune", "Emma", "Ulysses"]),
            row(["Beloved", "Walden", "Ivanhoe"]),
            row(["Kim", "Persuasion", "Rebecca"])
        );
        let (selector, texts) = chosen_texts(&html, &["title"], "h4");
        assert_eq!(texts.len(), 9, "{selector}: {texts:?}");
        assert_eq!(texts[3], "Beloved");
        // The rows are containers, not records of their own.
        let doc = Html::parse_document(&html);
        let groups = find_groups(&doc);
        assert!(groups.iter().all(|g| g.members.len() != 3), "{groups:?}");
        // A run of records each made of a picture box and a text box is not a grid.
        let item = |n: &str| {
            format!(
                r#"<li class="lot"><div><a href="/l/{n}"><img src="/{n}.png"></a><span>new</span></div><div><h2>{n}</h2><p>Lot {n}</p></div></li>"#
            )
        };
        let html = format!(
            "<html><body><ul>{}{}{}</ul></body></html>",
            item("Clock"),
            item("Vase"),
            item("Lamp")
        );
        let doc = Html::parse_document(&html);
        let groups = find_groups(&doc);
        assert!(
            groups
                .iter()
                .any(|g| g.selector == "li.lot" && g.members.len() == 3),
            "{groups:?}"
        );
    }

    #[test]
    fn a_table_without_a_header_row_gives_its_rows() {
        let rows: String = [
            ("Vega", "0.03"),
            ("Deneb", "1.25"),
            ("Altair", "0.77"),
            ("Rigel", "0.13"),
        ]
        .iter()
        .map(|(star, mag)| {
            format!("<tr><td><a href=\"/s/{star}\">{star}</a></td><td>{mag}</td></tr>")
        })
        .collect();
        let html = format!(
            "<html><body><table>{rows}</table><table><tr><td>Layout</td><td>only</td></tr></table></body></html>"
        );
        let doc = Html::parse_document(&html);
        let groups = find_groups(&doc);
        let stars = groups
            .iter()
            .find(|g| matches!(g.layout, Layout::Table { .. }))
            .expect("the rows of the first table");
        assert_eq!(stars.members.len(), 4);
        assert_eq!(stars.selector, "table:nth-of-type(1) tr:has(td)");
    }

    #[test]
    fn generated_class_names_are_not_used_in_selectors() {
        for generated in [
            "sc-bdVaJa",
            "css-kLmNoP",
            "iJvUkY",
            "jss-title",
            "jsx-2893461",
            "_3xYz_",
            "Tile_heading__kQwRt",
            "menu_entry__x7p2a",
            "qzkrtw",
            "emotion-pvz0d",
        ] {
            assert!(!is_stable_name(generated), "{generated}");
        }
        for kept in [
            "product-card",
            "PropertyCardWrapper",
            "price",
            "navBar",
            "story_title",
            "teaser__headline",
            "btn",
            "rhythm",
        ] {
            assert!(is_stable_name(kept), "{kept}");
        }
    }

    #[test]
    fn finds_table_rows_under_the_header() {
        let html = r#"<table class="quotes"><caption>Stock quotes</caption><tr><th>Symbol</th><th>Price</th></tr>
            <tr><td>AAA</td><td>1.00</td></tr><tr><td>BBB</td><td>2.00</td></tr></table>
            <table><tr><td>x</td></tr></table>"#;
        let doc = Html::parse_document(html);
        let groups = find_groups(&doc);
        let table = groups
            .iter()
            .find(|g| matches!(g.layout, Layout::Table { .. }))
            .unwrap();
        assert_eq!(
            table.layout,
            Layout::Table {
                headers: vec!["Symbol".into(), "Price".into()]
            }
        );
        assert_eq!(table.members.len(), 2);
        assert_eq!(table.selector, "table.quotes tr:has(td)");
        assert_eq!(table.noun.as_deref(), Some("quote"));
    }
}
