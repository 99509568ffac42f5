//! Records that no element wraps: a definition list's terms with their definitions, and
//! headings with the paragraphs under them (a blog whose posts are each an `<h2>` followed by
//! a date line and a summary). Each record starts at a term or heading and reaches to the next.

use scraper::{ElementRef, Html, Selector};

use super::records::{
    Group, Layout, is_ignored, member_noun, mostly_empty, qualified_selector, stable_classes,
};

/// Headings that can start a record, most specific last.
const RECORD_HEADINGS: &[&str] = &["h2", "h3", "h4"];

pub fn span_groups(doc: &Html) -> Vec<Group<'_>> {
    let Ok(all) = Selector::parse("body *") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for parent in doc.select(&all) {
        let children: Vec<ElementRef> = parent.child_elements().collect();
        out.extend(marked_row_groups(doc, parent, &children));
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
