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
    if page_number(target) == current + 1 {
        score += 30;
        // A bare page number is the next page only when it follows the current one.
        if bare == (current + 1).to_string() {
            score += 5;
        }
    }
    score
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
        .unwrap_or(1)
}

fn previous_element(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    el.prev_siblings().find_map(ElementRef::wrap)
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
    let marked = |el: ElementRef<'_>| {
        el.value().attr("aria-current").is_some()
            || el
                .value()
                .classes()
                .any(|c| matches!(c, "active" | "current" | "selected"))
    };
    if let Some(p) = previous_element(a).filter(|p| marked(*p)) {
        let mark = p
            .value()
            .classes()
            .find(|c| matches!(*c, "active" | "current" | "selected"))
            .map_or("[aria-current]".to_string(), |c| format!(".{c}"));
        out.push(format!("{}{mark} + a", p.value().name()));
    }
    if let Some(item) = parent.filter(|p| p.value().name() == "li")
        && let Some(p) = previous_element(item).filter(|p| marked(*p))
    {
        let mark = p
            .value()
            .classes()
            .find(|c| matches!(*c, "active" | "current" | "selected"))
            .map_or("[aria-current]".to_string(), |c| format!(".{c}"));
        out.push(format!("li{mark} + li > a"));
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
    fn numbered_pagination_uses_the_link_after_the_current_page() {
        let html = r#"<ul class="pg"><li><a href="/s?p=1">1</a></li><li class="active"><a href="/s?p=2">2</a></li><li><a href="/s?p=3">3</a></li><li><a href="/s?p=4">4</a></li></ul>"#;
        let found = selectors(html, "http://t.test/s?p=2");
        assert_eq!(found[0], "li.active + li > a");
        assert!(selectors("<p>no pages</p>", "http://t.test/").is_empty());
    }
}
