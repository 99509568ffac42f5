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

/// All record candidates of the page.
pub fn find_groups(doc: &Html) -> Vec<Group<'_>> {
    let mut groups = table_groups(doc);
    groups.extend(sibling_groups(doc));
    groups.extend(super::span_records::span_groups(doc));
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
    for parent in doc.select(&body) {
        if SKIPPED_TAGS.contains(&parent.value().name()) {
            continue;
        }
        let mut by_tag: Vec<(&str, Vec<ElementRef>)> = Vec::new();
        for child in parent.child_elements() {
            let tag = child.value().name();
            if SKIPPED_TAGS.contains(&tag) || is_ad(child) || is_ignored(child) {
                continue;
            }
            match by_tag.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, list)) => list.push(child),
                None => by_tag.push((tag, vec![child])),
            }
        }
        for (_, bucket) in by_tag {
            if bucket.len() < 2 || is_ignored(parent) {
                continue;
            }
            for members in class_subgroups(&bucket) {
                if seen.contains(&members) || mostly_empty(&members) {
                    continue;
                }
                seen.push(members.clone());
                let base = own_selector(&members);
                if let Some(selector) = exact_or_excluding(doc, &base, &members)
                    .or_else(|| qualified_selector(doc, parent, &format!(" > {base}"), &members))
                {
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
    out
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

/// `tag.class1.class2` from the classes all members share (at most three), or the tag.
fn own_selector(members: &[ElementRef<'_>]) -> String {
    let tag = members[0].value().name();
    let common: Vec<&str> = stable_classes(members[0])
        .into_iter()
        .filter(|c| members.iter().all(|m| stable_classes(*m).contains(c)))
        .take(3)
        .collect();
    if common.is_empty() {
        tag.to_string()
    } else {
        format!("{tag}.{}", common.join("."))
    }
}

/// A selector for `members` made of `anchor`'s own selector, then qualified by its parent and
/// grandparent, followed by `rest`; the first that selects exactly the members.
pub fn qualified_selector(
    doc: &Html,
    anchor: ElementRef<'_>,
    rest: &str,
    members: &[ElementRef<'_>],
) -> Option<String> {
    let mut prefix = simple_selector(anchor);
    let mut node = anchor;
    for _ in 0..3 {
        let candidate = format!("{prefix}{rest}");
        if let Some(found) = exact_or_excluding(doc, &candidate, members) {
            return Some(found);
        }
        node = node.parent().and_then(ElementRef::wrap)?;
        if node.value().name() == "html" {
            return None;
        }
        prefix = format!("{} > {prefix}", simple_selector(node));
    }
    None
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
    // A class on each extra (or on the element it wraps) that no member has.
    let first = extras.first()?;
    let wrapped = |el: ElementRef<'a>| single_child_chain(el);
    for (depth, candidate) in wrapped(*first).into_iter().enumerate() {
        for class in stable_classes(candidate) {
            let on_extras = extras.iter().all(|e| {
                wrapped(*e)
                    .get(depth)
                    .is_some_and(|w| stable_classes(*w).contains(&class))
            });
            let on_members = members.iter().any(|m| {
                wrapped(*m)
                    .iter()
                    .any(|w| stable_classes(*w).contains(&class))
            });
            if !on_extras || on_members {
                continue;
            }
            let refined = if depth == 0 {
                format!("{selector}:not(.{class})")
            } else {
                format!("{selector}:not(:has(.{class}))")
            };
            if select_all(doc, &refined)? == members {
                return Some(refined);
            }
        }
    }
    None
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

/// `tag#id` for a stable id, else `tag.class1.class2`, else the tag.
pub fn simple_selector(el: ElementRef<'_>) -> String {
    let tag = el.value().name();
    if let Some(id) = el.value().id().filter(|id| is_stable_name(id)) {
        return format!("{tag}#{id}");
    }
    let classes: Vec<&str> = stable_classes(el).into_iter().take(2).collect();
    if classes.is_empty() {
        tag.to_string()
    } else {
        format!("{tag}.{}", classes.join("."))
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

/// A class name a CSS-in-JS library generated (`sc-bdVaJa`, `css-kLmNoP`, `iJvUkY`): it
/// changes with every release of the site, so selectors built on it break. Known prefixes, or
/// a short token whose letters switch case more than a word's do.
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
    name.len() <= 10 && !name.contains(['-', '_']) && switches >= 2
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

/// An advertisement or sponsored item, by its own class or id or those of the element it
/// merely wraps (a grid column holding an ad card).
pub fn is_ad(el: ElementRef<'_>) -> bool {
    single_child_chain(el)
        .into_iter()
        .any(|e| own_words(e).iter().any(|w| is_ad_word(w)))
}

/// Inside navigation, header, footer, sidebar, or an ad, judged by tags and class/id words of
/// the element and its ancestors.
pub fn is_ignored(el: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .any(|a| {
            matches!(
                a.value().name(),
                "nav" | "footer" | "aside" | "header" | "form" | "select"
            ) || furniture_words(a).iter().any(|w| is_furniture_word(w))
        })
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn generated_class_names_are_not_used_in_selectors() {
        for generated in ["sc-bdVaJa", "css-kLmNoP", "iJvUkY", "jss-title"] {
            assert!(!is_stable_name(generated), "{generated}");
        }
        for kept in [
            "product-card",
            "PropertyCardWrapper",
            "price",
            "navBar",
            "story_title",
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
