//! Finding the link to the next page and a selector for it that also works on later pages.

use scraper::{ElementRef, Html, Selector};

use super::records::{simple_selector, stable_classes};
use super::vocabulary::tokens;
use crate::local::extract::{collapsed_text, find_next_page};

/// Words of a "next page" link.
const NEXT_TEXTS: &[&str] = &[
    "next",
    "next page",
    "more",
    "older",
    "older posts",
    "older entries",
    "load more",
    "show more",
    "see more",
    "more results",
    "»",
    "›",
    ">",
    "→",
    ">>",
];
const BACK_WORDS: &[&str] = &[
    "prev", "previous", "newer", "back", "first", "last", "«", "‹",
];

/// Selectors for the next-page link, best first; each verified to find that link on `doc`.
/// Empty when the page has no next link.
pub fn next_link_selectors(doc: &Html, page_url: &url::Url) -> Vec<String> {
    let Ok(anchors) = Selector::parse("a[href]") else {
        return Vec::new();
    };
    let current = page_number(page_url);
    let mut scored: Vec<(i32, ElementRef, url::Url)> = doc
        .select(&anchors)
        .filter_map(|a| {
            let target = page_url.join(a.value().attr("href")?.trim()).ok()?;
            let mut here = page_url.clone();
            here.set_fragment(None);
            let mut there = target.clone();
            there.set_fragment(None);
            if there == here || target.host_str() != page_url.host_str() {
                return None;
            }
            let score = next_score(a, &target, current);
            (score >= 35).then_some((score, a, target))
        })
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = Vec::new();
    if let Some((_, anchor, target)) = scored.first() {
        for candidate in selector_candidates(*anchor) {
            if find_next_page(doc, &candidate, page_url).as_ref() == Some(target)
                && !out.contains(&candidate)
            {
                out.push(candidate);
            }
        }
    }
    out
}

fn next_score(a: ElementRef<'_>, target: &url::Url, current: u32) -> i32 {
    let text = collapsed_text(a).to_lowercase();
    let bare = text
        .trim_matches(|c: char| c.is_whitespace() || "«»‹›<>→←".contains(c))
        .trim()
        .to_string();
    let rel = a.value().attr("rel").unwrap_or("").to_lowercase();
    let hints = [a.value().attr("aria-label"), a.value().attr("title")]
        .into_iter()
        .flatten()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    let class_words: Vec<String> = a.value().classes().flat_map(tokens).collect();
    if rel.split_whitespace().any(|r| r == "prev")
        || BACK_WORDS
            .iter()
            .any(|w| bare.starts_with(w) || class_words.iter().any(|c| c == w) || hints.contains(w))
    {
        return 0;
    }
    let mut score = 0;
    if rel.split_whitespace().any(|r| r == "next") {
        score += 100;
    }
    if NEXT_TEXTS.contains(&bare.as_str())
        || NEXT_TEXTS.contains(&text.trim())
        || bare.starts_with("next")
    {
        score += 50;
    }
    if hints.contains("next") {
        score += 50;
    }
    if class_words.iter().any(|w| w == "next" || w == "older") {
        score += 40;
    }
    if points_forward(a) {
        score += 40;
    }
    let follows = bare == (current + 1).to_string();
    if page_number(target) == current + 1 {
        score += 30;
        // A bare page number is the next page only when it follows the current one.
        if follows {
            score += 5;
        }
    } else if follows && among_page_numbers(a) {
        // Page numbers whose addresses say nothing of pages ("/list/b7"): the number tells.
        score += 35;
    }
    score
}

/// An icon-only link drawn as an arrow to the right (`<a class="arrow-right">`, `<i
/// class="icon-chevron-right">` inside), as pagination without words often is.
fn points_forward(a: ElementRef<'_>) -> bool {
    let words: Vec<String> = a
        .descendent_elements()
        .flat_map(|e| e.value().classes().flat_map(tokens).collect::<Vec<_>>())
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    (has("right") || has("forward")) && !has("left") && !has("back")
}

/// The link sits with other links whose text is a page number.
fn among_page_numbers(a: ElementRef<'_>) -> bool {
    let Ok(links) = Selector::parse("a") else {
        return false;
    };
    a.ancestors()
        .filter_map(ElementRef::wrap)
        .take(2)
        .any(|box_| {
            box_.select(&links)
                .filter(|l| {
                    let t = collapsed_text(*l);
                    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
                })
                .count()
                >= 2
        })
}

/// The page number in a URL: `page=`, `p=`, `pg=`, `paged=` or a `/page/N` path; 1 otherwise.
pub fn page_number(url: &url::Url) -> u32 {
    for (key, value) in url.query_pairs() {
        if matches!(
            key.as_ref(),
            "page" | "p" | "pg" | "paged" | "pagenum" | "page_num"
        ) && let Ok(n) = value.parse()
        {
            return n;
        }
    }
    let segments: Vec<&str> = url.path_segments().map(|s| s.collect()).unwrap_or_default();
    segments
        .windows(2)
        .find(|w| w[0] == "page")
        .and_then(|w| w[1].parse().ok())
        .or_else(|| {
            // "page-2.html", "page2", "p-3".
            let last = segments.last()?;
            let stem = last.split('.').next()?;
            let digits = stem
                .strip_prefix("page")
                .or_else(|| stem.strip_prefix("p"))?
                .trim_start_matches(['-', '_']);
            digits.parse().ok()
        })
        .unwrap_or(1)
}

fn previous_element(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    el.prev_siblings().find_map(ElementRef::wrap)
}

/// A selector for the element marking the current page: one flagged `aria-current` or
/// `active`/`current`/`selected`, or a bare number that is not a link (`<b>2</b>`).
fn current_marker(el: ElementRef<'_>) -> Option<String> {
    let tag = el.value().name();
    if let Some(class) = el
        .value()
        .classes()
        .find(|c| matches!(*c, "active" | "current" | "selected"))
    {
        return Some(format!("{tag}.{class}"));
    }
    if el.value().attr("aria-current").is_some() {
        return Some(format!("{tag}[aria-current]"));
    }
    let text = collapsed_text(el);
    (tag != "a" && !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()))
        .then(|| tag.to_string())
}

/// Ways to select `a`, most robust first.
fn selector_candidates(a: ElementRef<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let rel = a.value().attr("rel").unwrap_or("");
    if rel == "next" {
        out.push("a[rel=next]".to_string());
    } else if rel.split_whitespace().any(|r| r == "next") {
        out.push("a[rel~=next]".to_string());
    }
    for attr in ["aria-label", "title"] {
        if let Some(v) = a
            .value()
            .attr(attr)
            .filter(|v| v.chars().all(|c| c.is_alphanumeric() || c == ' '))
        {
            out.push(format!("a[{attr}=\"{v}\"]"));
        }
    }
    let parent = a.parent().and_then(ElementRef::wrap);
    let container = parent.map(simple_selector);
    for class in stable_classes(a) {
        out.push(format!("a.{class}"));
        if let Some(c) = &container {
            out.push(format!("{c} > a.{class}"));
        }
    }
    // Numbered pagination: the link right after the current page's marker.
    if let Some(mark) = previous_element(a).and_then(current_marker) {
        out.push(format!("{mark} + a"));
    }
    if let Some(item) = parent.filter(|p| p.value().name() == "li")
        && let Some(mark) = previous_element(item).and_then(current_marker)
    {
        out.push(format!("{mark} + li > a"));
    }
    if let (Some(p), Some(c)) = (parent, &container)
        && p.child_elements().last() == Some(a)
    {
        out.push(format!("{c} > a:last-child"));
        if let Some(grand) = p.parent().and_then(ElementRef::wrap) {
            out.push(format!("{} > {c} > a:last-child", simple_selector(grand)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selectors(html: &str, url: &str) -> Vec<String> {
        next_link_selectors(&Html::parse_document(html), &url::Url::parse(url).unwrap())
    }

    #[test]
    fn prefers_rel_next_and_skips_previous_links() {
        let html = r#"<div class="pages"><a rel="prev" href="?page=1">Prev</a><a href="?page=1">1</a><span class="current">2</span><a href="?page=3">3</a><a rel="next" href="?page=3">Next</a></div>"#;
        let found = selectors(html, "http://t.test/l?page=2");
        assert_eq!(found[0], "a[rel=next]");
        assert!(
            found.contains(&"div.pages > a:last-child".to_string()),
            "{found:?}"
        );
    }

    #[test]
    fn finds_older_posts_by_text_and_position() {
        let html = r#"<div class="nav-links"><a href="/blog?page=1">Newer posts</a><a href="/blog?page=3">Older posts</a></div>"#;
        let found = selectors(html, "http://t.test/blog?page=2");
        assert_eq!(
            found,
            [
                "div.nav-links > a:last-child",
                "body > div.nav-links > a:last-child"
            ]
        );
    }

    #[test]
    fn arrows_without_words_and_page_files() {
        let html =
            r#"<div class="pg"><a href="list-b.html"><i class="icon chevron-right"></i></a></div>"#;
        assert_eq!(
            selectors(html, "http://t.test/list.html")[0],
            "div.pg > a:last-child"
        );
        let html =
            r#"<p class="pg"><b>1</b> <a href="page-2.html">2</a> <a href="page-3.html">3</a></p>"#;
        let found = selectors(html, "http://t.test/page-1.html");
        assert!(!found.is_empty());
        assert_eq!(
            page_number(&url::Url::parse("http://t.test/page-2.html").unwrap()),
            2
        );
    }

    #[test]
    fn numbered_pagination_uses_the_link_after_the_current_page() {
        let html = r#"<ul class="pg"><li><a href="/s?p=1">1</a></li><li class="active"><a href="/s?p=2">2</a></li><li><a href="/s?p=3">3</a></li><li><a href="/s?p=4">4</a></li></ul>"#;
        let found = selectors(html, "http://t.test/s?p=2");
        assert_eq!(found[0], "li.active + li > a");
        assert!(selectors("<p>no pages</p>", "http://t.test/").is_empty());
    }
}
