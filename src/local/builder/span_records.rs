//! Records that no element wraps: a definition list's terms with their definitions, and
//! headings with the paragraphs under them (a blog whose posts are each an `<h2>` followed by
//! a date line and a summary). Each record starts at a term or heading and reaches to the next.

use scraper::{ElementRef, Html, Selector};

use super::records::{
    Group, Layout, is_ignored, member_noun, mostly_empty, qualified_selector, shape, stable_classes,
};

/// Headings that can start a record, most specific last.
const RECORD_HEADINGS: &[&str] = &["h2", "h3", "h4"];

pub fn span_groups(doc: &Html) -> Vec<Group<'_>> {
    let Ok(all) = Selector::parse("body, body *") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for parent in doc.select(&all) {
        let children: Vec<ElementRef> = parent.child_elements().collect();
        out.extend(marked_row_groups(doc, parent, &children));
        out.extend(periodic_groups(doc, parent, &children));
        let starts: &[&str] = if parent.value().name() == "dl" {
            &["dt"]
        } else {
            RECORD_HEADINGS
        };
        for tag in starts {
            let members: Vec<ElementRef> = children
                .iter()
                .filter(|c| c.value().name() == *tag)
                .copied()
                .collect();
            if members.len() < 2
                || !members.iter().all(|m| followed_by_content(*m, tag))
                || mostly_empty(&members)
                || is_ignored(parent)
            {
                continue;
            }
            if let Some(selector) = qualified_selector(doc, parent, &format!(" > {tag}"), &members)
            {
                let noun = member_noun(&members);
                out.push(Group {
                    members,
                    selector,
                    layout: Layout::Span,
                    noun,
                });
            }
        }
    }
    out
}

/// Records of several sibling rows where only the first is marked: a table of stories whose
/// title row has a class (`tr.story`) and whose details row after it has none. The marked
/// siblings start the records when each is followed by unmarked siblings of the same tag.
fn marked_row_groups<'a>(
    doc: &'a Html,
    parent: ElementRef<'a>,
    children: &[ElementRef<'a>],
) -> Vec<Group<'a>> {
    let mut out = Vec::new();
    if is_ignored(parent) {
        return out;
    }
    let mut classes: Vec<(&str, &str)> = Vec::new();
    for c in children {
        for class in stable_classes(*c) {
            if !classes.contains(&(c.value().name(), class)) {
                classes.push((c.value().name(), class));
            }
        }
    }
    for (tag, class) in classes {
        let marked =
            |e: &ElementRef<'_>| e.value().name() == tag && stable_classes(*e).contains(&class);
        let members: Vec<ElementRef> = children.iter().filter(|c| marked(c)).copied().collect();
        if members.len() < 2 {
            continue;
        }
        let completed = members.iter().all(|m| {
            m.next_siblings()
                .filter_map(ElementRef::wrap)
                .next()
                .is_some_and(|next| next.value().name() == tag && !marked(&next))
        });
        // Rows of one kind throughout: between heading-led posts, a marked paragraph is a
        // part of a record, not its start.
        let one_kind = children
            .iter()
            .skip_while(|c| **c != members[0])
            .all(|c| c.value().name() == tag);
        if !completed || !one_kind || mostly_empty(&members) {
            continue;
        }
        if let Some(selector) =
            qualified_selector(doc, parent, &format!(" > {tag}.{class}"), &members)
        {
            let noun = member_noun(&members);
            out.push(Group {
                members,
                selector,
                layout: Layout::Span,
                noun,
            });
        }
    }
    out
}

/// Records of k consecutive siblings that no class tells apart: rows whose inner structure
/// repeats with a period of 2 to 4 (a title row, then a details row, then a spacer). Each
/// record starts at the first row of a period and reaches to the next; the start rows are
/// selected by their place (`tr:nth-child(2n+1)`). Siblings that all look alike (a grid of
/// cards) have period 1 and are left to the plain sibling groups.
fn periodic_groups<'a>(
    doc: &'a Html,
    parent: ElementRef<'a>,
    children: &[ElementRef<'a>],
) -> Vec<Group<'a>> {
    const MIN_RECORDS: usize = 3;
    if children.len() < 2 * MIN_RECORDS || is_ignored(parent) {
        return Vec::new();
    }
    let shapes: Vec<String> = children.iter().map(|c| shape(*c)).collect();
    for k in 2..=4 {
        let Some((start, end)) = longest_periodic_run(&shapes, k) else {
            continue;
        };
        let period = &shapes[start..start + k];
        // Every row of a period different: `a b a b`, not `a a a a` or `a b a a b a`.
        let distinct = period
            .iter()
            .enumerate()
            .all(|(i, s)| !period[..i].contains(s));
        if !distinct || (end - start) / k < MIN_RECORDS {
            continue;
        }
        let members: Vec<ElementRef> = (start..end - k + 1)
            .step_by(k)
            .map(|i| children[i])
            .collect();
        if mostly_empty(&members) {
            continue;
        }
        let tag = members[0].value().name();
        let rest = format!(" > {tag}:nth-child({k}n+{})", start + 1);
        if let Some(selector) = qualified_selector(doc, parent, &rest, &members) {
            let noun = member_noun(&members);
            return vec![Group {
                members,
                selector,
                layout: Layout::Span,
                noun,
            }];
        }
    }
    Vec::new()
}

/// The longest stretch `start..end` of `shapes` in which every shape equals the one `k` places
/// later (so it is made of whole periods of `k`), when it holds at least two periods.
fn longest_periodic_run(shapes: &[String], k: usize) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut run_start = 0;
    for i in 0..shapes.len() {
        let continues = i + k < shapes.len() && shapes[i] == shapes[i + k];
        if !continues {
            // Elements run_start..i+k are periodic (the last k echo the ones before them).
            let end = (i + k).min(shapes.len());
            let whole = run_start + (end - run_start) / k * k;
            if whole - run_start >= 2 * k && best.is_none_or(|(s, e)| whole - run_start > e - s) {
                best = Some((run_start, whole));
            }
            run_start = i + 1;
        }
    }
    best
}

/// The element is followed, before the next one like it, by at least one sibling that is not
/// a heading: the content its record is made of.
fn followed_by_content(start: ElementRef<'_>, tag: &str) -> bool {
    start
        .next_siblings()
        .filter_map(ElementRef::wrap)
        .next()
        .is_some_and(|next| {
            let name = next.value().name();
            name != tag && !matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "hr")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::extract::collapsed_text;

    #[test]
    fn records_of_two_unmarked_rows_start_at_each_title_row() {
        // A results table: each result is a row with a linked name, then a row of details;
        // no class tells the rows apart, only what they hold.
        let mut rows = String::from("<tr><th>Result</th></tr>");
        for (i, name) in ["Fjord walk", "Glacier hike", "Moss trail", "Birch loop"]
            .iter()
            .enumerate()
        {
            rows.push_str(&format!(
                "<tr><td><a href=\"/t/{i}\">{name}</a></td></tr><tr><td><span>{} km</span> <span>{}h</span></td></tr>",
                i + 3,
                i + 1
            ));
        }
        let html = format!("<html><body><table class=\"trails\">{rows}</table></body></html>");
        let doc = Html::parse_document(&html);
        let group = span_groups(&doc)
            .into_iter()
            .find(|g| g.selector.contains("nth-child"))
            .expect("a group of two-row records");
        assert_eq!(group.selector, "tbody > tr:nth-child(2n+2)");
        let texts: Vec<String> = group.members.iter().map(|m| collapsed_text(*m)).collect();
        assert_eq!(
            texts,
            ["Fjord walk", "Glacier hike", "Moss trail", "Birch loop"]
        );
    }

    #[test]
    fn a_three_row_period_and_a_plain_grid() {
        // Heading row, figures row, blank spacer: period 3, starting at the heading row.
        let mut items = String::new();
        for name in ["Ceres", "Vesta", "Pallas"] {
            items.push_str(&format!(
                "<div><b>{name}</b></div><div><i>mass</i><i>orbit</i></div><div></div>"
            ));
        }
        let html = format!("<html><body><section>{items}</section></body></html>");
        let doc = Html::parse_document(&html);
        let group = span_groups(&doc)
            .into_iter()
            .find(|g| g.selector.contains("nth-child"))
            .expect("three-row records");
        assert_eq!(group.selector, "section > div:nth-child(3n+1)");
        assert_eq!(group.members.len(), 3);
        // Cards that all look alike are not split into periods.
        let grid = "<html><body><ul><li><a href=\"/1\">One</a><em>1</em></li><li><a href=\"/2\">Two</a><em>2</em></li>\
            <li><a href=\"/3\">Three</a><em>3</em></li><li><a href=\"/4\">Four</a><em>4</em></li>\
            <li><a href=\"/5\">Five</a><em>5</em></li><li><a href=\"/6\">Six</a><em>6</em></li></ul></body></html>";
        let doc = Html::parse_document(grid);
        assert!(
            span_groups(&doc)
                .iter()
                .all(|g| !g.selector.contains("nth-child"))
        );
    }

    #[test]
    fn terms_and_headings_start_records() {
        let html = r#"<main><h1>Blog</h1>
            <h2>First post</h2><p class="date">May 1</p><p>Text one.</p>
            <h2>Second post</h2><p class="date">May 2</p><p>Text two.</p>
            <dl class="glossary"><dt>Alpha</dt><dd>The first.</dd><dt>Beta</dt><dd>The second.</dd></dl></main>"#;
        let doc = Html::parse_document(html);
        let groups = span_groups(&doc);
        let selectors: Vec<&str> = groups.iter().map(|g| g.selector.as_str()).collect();
        assert_eq!(selectors, ["main > h2", "dl.glossary > dt"]);
        assert!(groups.iter().all(|g| g.members.len() == 2));
    }
}
