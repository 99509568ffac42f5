//! Mapping fields inside a record: every place a value can come from (a "slot": text of an
//! element, a link's href, an image's src, a table column), the words that name it, and the
//! choice of the slot that best fits each requested field.

use scraper::{ElementRef, Selector};

use super::records::{
    Group, Layout, cells, marker_words, own_words, simple_selector, stable_classes,
};
use super::vocabulary::{Shape, concept_for, has_shape, name_score, snake, tokens, unit_word};
use crate::local::definition::{FieldRule, RecordExtent};
use crate::local::extract::{
    class_number, collapsed_text, labelled_value, record_span, rule_value, select_in_span,
};

/// Records examined when judging slots; enough to see what is constant and what varies.
const SAMPLE: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Link,
    Image,
    /// `<meta itemprop content>`: a value not shown on the page.
    Meta,
    /// A value held in an attribute (`data-price`, `datetime`, `content`).
    Attr,
    /// A number held in a class name (`stars-4`), offered only for ratings.
    ClassNumber,
}

/// A place in the record a value can come from.
#[derive(Debug, Clone)]
struct Slot {
    selector: String,
    attribute: Option<String>,
    kind: Kind,
    /// Words that name the slot: classes, id, itemprop, aria-label, a column header or a label
    /// in front of it.
    label: Vec<String>,
    /// The itemprop or column header, which makes a good field name.
    given_name: Option<String>,
    heading: bool,
    /// For label/value text ("Brand: Acme"): the label.
    text_label: Option<String>,
    /// Words of the elements around it inside the record (its row, its box): weaker evidence
    /// than `label`.
    context: Vec<String>,
    /// Keep only the first number of the value (a rating in an `aria-label` sentence).
    number: bool,
    /// The value in each sampled record (None: nothing found there).
    values: Vec<Option<String>>,
}

impl Slot {
    fn coverage(&self) -> f64 {
        self.values.iter().filter(|v| v.is_some()).count() as f64 / self.values.len().max(1) as f64
    }

    /// The same value in every record: a label such as "Add to cart", not data.
    fn constant(&self) -> bool {
        let found: Vec<&String> = self.values.iter().flatten().collect();
        found.len() > 1 && found.iter().all(|v| *v == found[0])
    }

    fn rule(&self, name: &str) -> FieldRule {
        FieldRule {
            name: name.to_string(),
            selector: self.selector.clone(),
            attribute: self.attribute.clone(),
            optional: self.coverage() < 1.0,
            label: self.text_label.clone(),
            class_number: self.kind == Kind::ClassNumber,
            path: None,
            number: self.number,
        }
    }

    /// Where the slot is and what it held, for offering it as a candidate: "`span.author`
    /// (\"Ada King\")".
    fn describe(&self) -> String {
        let place = if self.selector.is_empty() {
            "the record itself".to_string()
        } else {
            format!("`{}`", self.selector)
        };
        let place = match &self.attribute {
            Some(a) => format!("{a} of {place}"),
            None => place,
        };
        let sample: String = self
            .values
            .iter()
            .flatten()
            .next()
            .map(|v| v.chars().take(40).collect())
            .unwrap_or_default();
        format!("{place} (\"{sample}\")")
    }

    /// Values a person sees as data of their own; attribute and class values only back up a
    /// requested field.
    fn shown(&self) -> bool {
        !matches!(self.kind, Kind::Attr | Kind::ClassNumber)
    }
}

/// The fields of one record group: the requested ones mapped, or chosen automatically.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub rules: Vec<FieldRule>,
    /// Requested fields that matched nothing.
    pub missing: Vec<String>,
    /// Names of the fields this group offers, for telling the user what exists.
    pub available: Vec<String>,
    /// Slots that vary from record to record; a measure of how rich the records are.
    pub richness: usize,
    /// Varying places no field took, described with a sample value: what a missing field
    /// might be, for the user or their model to pick from.
    pub candidates: Vec<String>,
}

/// Maps `requested` fields (or picks fields when none are requested) in `group`.
pub fn map_fields(group: &Group<'_>, requested: &[String], page_url: &url::Url) -> Mapping {
    let slots = collect_slots(group, page_url);
    let varying: Vec<&Slot> = slots
        .iter()
        .filter(|s| s.shown() && !s.constant() && s.coverage() >= 0.6)
        .collect();
    let auto = auto_fields(&varying);
    let available: Vec<String> = auto.iter().map(|r| r.name.clone()).collect();
    if requested.is_empty() {
        return Mapping {
            rules: auto,
            missing: Vec::new(),
            available,
            richness: varying.len(),
            candidates: Vec::new(),
        };
    }
    let mut rules: Vec<FieldRule> = Vec::new();
    let mut missing = Vec::new();
    for field in requested {
        match best_slot(&slots, field) {
            Some(slot) => rules.push(slot.rule(field)),
            None => missing.push(field.clone()),
        }
    }
    let candidates = varying
        .iter()
        .filter(|s| {
            !rules
                .iter()
                .any(|r| r.selector == s.selector && r.attribute == s.attribute)
        })
        .take(4)
        .map(|s| s.describe())
        .collect();
    Mapping {
        rules,
        missing,
        available,
        richness: varying.len(),
        candidates,
    }
}

fn best_slot<'s>(slots: &'s [Slot], field: &str) -> Option<&'s Slot> {
    let shape = concept_for(field).map_or(Shape::Text, |c| c.shape);
    let mut best: Option<(f64, &Slot)> = None;
    for (position, slot) in slots.iter().enumerate() {
        let found: Vec<&String> = slot.values.iter().flatten().collect();
        let compatible = match shape {
            Shape::Link => slot.kind == Kind::Link,
            Shape::Image => slot.kind == Kind::Image,
            // A number in a class name is a rating only when it reads as one (`stars-4`, not
            // `icon-star-45`).
            Shape::Rating if slot.kind == Kind::ClassNumber => found
                .iter()
                .all(|v| v.parse::<f64>().is_ok_and(|n| (0.0..=10.0).contains(&n))),
            Shape::Rating => slot.kind != Kind::Link && slot.kind != Kind::Image,
            _ => matches!(slot.kind, Kind::Text | Kind::Meta | Kind::Attr),
        };
        let coverage = slot.coverage();
        if !compatible || coverage < 0.5 {
            continue;
        }
        let name_score = if slot.given_name.as_deref() == Some(field) {
            3.0
        } else {
            let near: Vec<String> = slot.label.iter().chain(&slot.context).cloned().collect();
            name_score(field, &slot.label).max(name_score(field, &near) - 1.0)
        };
        let shape_frac = match shape {
            Shape::Link | Shape::Image | Shape::Text => 1.0,
            _ => {
                found.iter().filter(|v| has_shape(v, shape)).count() as f64
                    / found.len().max(1) as f64
            }
        };
        let by_shape = !matches!(shape, Shape::Text) && shape_frac >= 0.8;
        if name_score <= 0.0 && !by_shape {
            continue;
        }
        let mut score =
            name_score * 10.0 + shape_frac * 6.0 + coverage * 4.0 - position as f64 * 0.05;
        if shape == Shape::Title && slot.heading {
            score += 4.0;
        }
        // What the page shows beats the same value kept in an attribute.
        if slot.kind == Kind::Text {
            score += 0.5;
        }
        // A title has words; a rank number or an empty cell named "title" is not one.
        if shape == Shape::Title && shape_frac < 0.5 {
            score -= 10.0;
        }
        // Prices, dates, ratings and numbers are short: of two places holding one, the
        // tighter one ("March 4, 2025" rather than "By Ann — March 4, 2025").
        if matches!(
            shape,
            Shape::Price | Shape::Date | Shape::Rating | Shape::Number | Shape::Code
        ) {
            let chars: usize = found.iter().map(|v| v.chars().count()).sum();
            score -= chars as f64 / found.len().max(1) as f64 * 0.02;
        }
        if slot.constant() {
            score -= 8.0;
        }
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, slot));
        }
    }
    best.map(|(_, s)| s)
}

/// Names the varying slots (itemprop, header, known words, value shape, class word), dropping
/// slots that repeat another's values; at most ten.
fn auto_fields(slots: &[&Slot]) -> Vec<FieldRule> {
    let mut rules: Vec<FieldRule> = Vec::new();
    let mut kept: Vec<&Slot> = Vec::new();
    for slot in slots {
        if kept
            .iter()
            .any(|k| k.kind == slot.kind && k.values == slot.values)
        {
            continue;
        }
        let base = auto_name(slot);
        let mut name = base.clone();
        let mut n = 2;
        while rules.iter().any(|r| r.name == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        rules.push(slot.rule(&name));
        kept.push(slot);
        if rules.len() == 10 {
            break;
        }
    }
    rules
}

fn auto_name(slot: &Slot) -> String {
    match slot.kind {
        Kind::Link => return "link".into(),
        Kind::Image => return "image".into(),
        _ => {}
    }
    if let Some(given) = slot.given_name.as_deref().filter(|g| !g.is_empty()) {
        return given.to_string();
    }
    for word in &slot.label {
        if let Some(c) = concept_for(word).filter(|c| c.canonical == word) {
            return c.canonical.to_string();
        }
    }
    for word in &slot.label {
        if let Some(c) = concept_for(word) {
            return c.canonical.to_string();
        }
    }
    let found: Vec<&String> = slot.values.iter().flatten().collect();
    for (shape, name) in [
        (Shape::Price, "price"),
        (Shape::Date, "date"),
        (Shape::Rating, "rating"),
    ] {
        if !found.is_empty() && found.iter().all(|v| has_shape(v, shape)) {
            return name.into();
        }
    }
    slot.label
        .iter()
        .find(|w| w.len() > 2 && w.chars().all(char::is_alphabetic))
        .cloned()
        .unwrap_or_else(|| "text".into())
}

fn collect_slots(group: &Group<'_>, page_url: &url::Url) -> Vec<Slot> {
    let record_sel = Selector::parse(&group.selector).ok();
    let sample: Vec<Vec<ElementRef>> = group
        .members
        .iter()
        .take(SAMPLE)
        .map(|m| match (group.extent(), &record_sel) {
            (RecordExtent::UntilNext, Some(sel)) => record_span(*m, sel),
            _ => vec![*m],
        })
        .collect();
    let mut slots: Vec<Slot> = match &group.layout {
        Layout::Table { headers } => {
            let rows: Vec<ElementRef> = sample.iter().map(|s| s[0]).collect();
            table_slots(&rows, headers)
        }
        Layout::Repeated | Layout::Span => element_slots(&sample),
    };
    for slot in &mut slots {
        let selector = Selector::parse(&slot.selector).ok();
        let read = |slot: &Slot| -> Vec<Option<String>> {
            let rule = slot.rule("value");
            sample
                .iter()
                .map(|span| rule_value(span, &rule, selector.as_ref(), page_url))
                .collect()
        };
        slot.values = read(slot);
        // A sentence in a label ("Rated 4.5 out of 5 stars") gives its number.
        let sentence = |v: &String| {
            v.chars().any(|c| c.is_ascii_digit())
                && v.chars().filter(|c| c.is_alphabetic()).count() > 3
        };
        if matches!(slot.attribute.as_deref(), Some("aria-label" | "title"))
            && slot.values.iter().flatten().filter(|v| sentence(v)).count() * 5
                >= slot.values.len() * 3
        {
            slot.number = true;
            slot.values = read(slot);
        }
        let found: Vec<&String> = slot.values.iter().flatten().collect();
        if let Some(unit) = unit_word(&found) {
            slot.label.push(unit);
        }
    }
    slots
}

/// A column per header cell, plus the link and image inside a column when it holds one.
fn table_slots(sample: &[ElementRef<'_>], headers: &[String]) -> Vec<Slot> {
    let first = sample[0];
    let mut slots = Vec::new();
    let cells = cells(first);
    for (i, cell) in cells.iter().enumerate() {
        let header = headers.get(i).cloned().unwrap_or_default();
        let cell_sel = format!("{}:nth-child({})", cell.value().name(), i + 1);
        let label = tokens(&header);
        let given_name = Some(snake(&header)).filter(|s| !s.is_empty());
        let base = Slot {
            selector: cell_sel.clone(),
            attribute: None,
            kind: Kind::Text,
            label: label.clone(),
            given_name: given_name.clone(),
            heading: false,
            text_label: None,
            context: Vec::new(),
            number: false,
            values: Vec::new(),
        };
        for (inner, kind, attr) in [
            ("a[href]", Kind::Link, "href"),
            ("img[src]", Kind::Image, "src"),
        ] {
            let Ok(sel) = Selector::parse(inner) else {
                continue;
            };
            if cell.select(&sel).next().is_some() {
                slots.push(Slot {
                    selector: format!("{cell_sel} {}", inner.split('[').next().unwrap_or(inner)),
                    attribute: Some(attr.into()),
                    kind,
                    given_name: None,
                    ..base.clone()
                });
            }
        }
        slots.insert(
            slots.len().saturating_sub(
                slots
                    .iter()
                    .rev()
                    .take_while(|s| s.selector.starts_with(&cell_sel))
                    .count(),
            ),
            base,
        );
    }
    slots
}

/// Slots found in the first few records: texts, links, images, attribute values, label/value
/// texts and class-name numbers, each with the simplest selector that finds that very element
/// first inside its record (`span`: the record element and, for span records, its siblings).
fn element_slots(sample: &[Vec<ElementRef<'_>>]) -> Vec<Slot> {
    let mut slots: Vec<Slot> = Vec::new();
    for span in sample.iter().take(5) {
        let member = span[0];
        for el in span.iter().flat_map(|e| e.descendent_elements()) {
            let tag = el.value().name();
            if matches!(
                tag,
                "script"
                    | "style"
                    | "button"
                    | "svg"
                    | "noscript"
                    | "template"
                    | "select"
                    | "option"
            ) {
                continue;
            }
            let kinds = slot_kinds(el);
            let text_label = own_label(el);
            if kinds.is_empty() && text_label.is_none() {
                continue;
            }
            let label = label_words(el, member);
            let given_name = el.value().attr("itemprop").map(snake);
            let heading = std::iter::once(el)
                .chain(
                    el.ancestors()
                        .filter_map(ElementRef::wrap)
                        .take_while(|a| *a != member),
                )
                .any(|a| matches!(a.value().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6"));
            let base = Slot {
                selector: String::new(),
                attribute: None,
                kind: Kind::Text,
                label,
                given_name,
                heading,
                text_label: None,
                context: context_words(el, span),
                number: false,
                values: Vec::new(),
            };
            if let Some(text_label) = text_label {
                // The label names the value; any element of this kind holding it will do.
                let selector = simple_selector(el);
                if !slots
                    .iter()
                    .any(|s| s.text_label.as_ref() == Some(&text_label))
                {
                    slots.push(Slot {
                        selector,
                        label: tokens(&text_label),
                        given_name: Some(snake(&text_label)),
                        text_label: Some(text_label),
                        ..base.clone()
                    });
                }
            }
            let Some(selector) = selector_within(span, el) else {
                continue;
            };
            for (kind, attr, words) in kinds {
                let attribute = attr.map(str::to_string);
                if slots
                    .iter()
                    .any(|s| s.selector == selector && s.attribute == attribute && s.kind == kind)
                {
                    continue;
                }
                let mut label = base.label.clone();
                label.extend(words.iter().cloned());
                let given_name = base
                    .given_name
                    .clone()
                    .or_else(|| (kind == Kind::Attr && !words.is_empty()).then(|| words.join("_")));
                slots.push(Slot {
                    selector: selector.clone(),
                    attribute,
                    kind,
                    label,
                    given_name,
                    ..base.clone()
                });
            }
        }
    }
    slots
}

/// What an element can give: its link, image, attribute values, class-name number and text,
/// each with the attribute to read and the words its attribute name adds to the label.
fn slot_kinds(el: ElementRef<'_>) -> Vec<(Kind, Option<&str>, Vec<String>)> {
    let tag = el.value().name();
    let mut kinds = Vec::new();
    if tag == "a" && el.value().attr("href").is_some() {
        kinds.push((Kind::Link, Some("href"), Vec::new()));
    }
    if tag == "img" {
        let attr = if el
            .value()
            .attr("src")
            .is_some_and(|s| !s.starts_with("data:"))
        {
            "src"
        } else {
            "data-src"
        };
        if el.value().attr(attr).is_some() {
            kinds.push((Kind::Image, Some(attr), Vec::new()));
        }
    }
    if (has_own_text(el) || is_inline_composite(el)) && own_label(el).is_none() {
        kinds.push((Kind::Text, None, Vec::new()));
    }
    for (name, value) in el.value().attrs() {
        let value = value.trim();
        if value.is_empty() || value.len() > 200 {
            continue;
        }
        let kind = if tag == "meta" && name == "content" && el.value().attr("itemprop").is_some() {
            Kind::Meta
        } else if matches!(name, "datetime" | "content" | "value")
            || (name.starts_with("data-")
                // Test hooks name the element (they are its selector), never its data.
                && !matches!(
                    name,
                    "data-src" | "data-id" | "data-testid" | "data-test" | "data-qa" | "data-cy"
                ))
        {
            Kind::Attr
        } else if matches!(name, "aria-label" | "title")
            && value.chars().any(|c| c.is_ascii_digit())
        {
            // "4.5 out of 5 stars", "Rated 4 of 5": a value written only for screen readers
            // or as a tooltip.
            Kind::Attr
        } else {
            continue;
        };
        let words = match name {
            "datetime" => vec!["date".to_string(), "time".to_string()],
            "aria-label" | "title" => tokens(value)
                .into_iter()
                .filter(|w| w.chars().all(char::is_alphabetic))
                .collect(),
            _ => tokens(name.strip_prefix("data-").unwrap_or(name)),
        };
        kinds.push((kind, Some(name), words));
    }
    let rating_class = own_words(el)
        .iter()
        .any(|w| matches!(w.as_str(), "star" | "rating" | "rate" | "score"));
    if rating_class && class_number(el).is_some() {
        kinds.push((
            Kind::ClassNumber,
            None,
            vec!["rating".to_string(), "star".to_string()],
        ));
    }
    kinds
}

/// The label of label/value text held by the element itself ("Brand: Acme" or
/// "<b>Brand:</b> Acme"), when the value is not marked up on its own.
fn own_label(el: ElementRef<'_>) -> Option<String> {
    if !matches!(
        el.value().name(),
        "li" | "p" | "span" | "div" | "td" | "dd" | "small"
    ) {
        return None;
    }
    let text = collapsed_text(el);
    let (label, _) = text.split_once(':')?;
    let value = labelled_value(&text, label)?;
    let words = label.split_whitespace().count();
    let plain_label = (1..=3).contains(&words)
        && label.chars().all(|c| c.is_alphabetic() || c == ' ')
        && label.chars().next().is_some_and(char::is_uppercase);
    // A value with an element of its own is better taken from that element.
    let marked_up = el.child_elements().any(|c| collapsed_text(c) == value);
    (plain_label && !marked_up).then(|| label.trim().to_string())
}

/// Short text the page splits over inline elements ("<b>3</b> <abbr>bds</abbr>", a price
/// whose whole part and fraction are separate spans): read whole from their container.
fn is_inline_composite(el: ElementRef<'_>) -> bool {
    let inline = |e: ElementRef<'_>| {
        matches!(
            e.value().name(),
            "b" | "strong" | "abbr" | "span" | "i" | "em" | "small" | "sup" | "sub" | "bdi"
        )
    };
    el.child_elements().count() >= 2
        && el.descendent_elements().skip(1).all(inline)
        && (1..=40).contains(&collapsed_text(el).chars().count())
}

fn has_own_text(el: ElementRef<'_>) -> bool {
    el.children()
        .any(|c| c.value().as_text().is_some_and(|t| !t.trim().is_empty()))
}

/// The simplest selector whose first match inside the record `span` is `el` ("" for the
/// record element itself).
fn selector_within(span: &[ElementRef<'_>], el: ElementRef<'_>) -> Option<String> {
    let member = span[0];
    if el == member {
        return Some(String::new());
    }
    let tag = el.value().name();
    let mut candidates = Vec::new();
    if let Some(prop) = el
        .value()
        .attr("itemprop")
        .filter(|p| p.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        candidates.push(format!("[itemprop={prop}]"));
    }
    // Test hooks and accessibility attributes outlive class names, generated or not.
    for attr in [
        "data-testid",
        "data-test",
        "data-qa",
        "data-cy",
        "role",
        "name",
    ] {
        if let Some(v) = el.value().attr(attr).filter(|v| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        }) {
            candidates.push(format!("{tag}[{attr}=\"{v}\"]"));
        }
    }
    for class in stable_classes(el) {
        candidates.push(format!("{tag}.{class}"));
    }
    for attr in ["aria-label", "title", "datetime"] {
        if el.value().attr(attr).is_some() {
            candidates.push(format!("{tag}[{attr}]"));
        }
    }
    // Its place among the terms of its own list; in a span record that place changes from
    // record to record.
    if (tag == "dd" || tag == "dt") && !span.contains(&el) {
        let index = el
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .filter(|s| s.value().name() == tag)
            .count()
            + 1;
        candidates.push(format!("{tag}:nth-of-type({index})"));
    }
    candidates.push(tag.to_string());
    if let Some(parent) = el
        .parent()
        .and_then(ElementRef::wrap)
        .filter(|p| *p != member)
    {
        let parent_sel = simple_selector(parent);
        candidates.push(format!("{parent_sel} > {tag}"));
        if let Some(class) = stable_classes(el).first() {
            candidates.push(format!("{parent_sel} > {tag}.{class}"));
        }
    }
    // The second of two `<time>`s, the last link of a row: by its place among its kind, for
    // elements inside the record (a sibling of a span record is placed by the chain below).
    if let Some(parent) = el
        .parent()
        .and_then(ElementRef::wrap)
        .filter(|p| *p != member && !span.contains(&el))
    {
        let parent_sel = simple_selector(parent);
        let before = el
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .filter(|s| s.value().name() == tag)
            .count();
        let after = el
            .next_siblings()
            .filter_map(ElementRef::wrap)
            .any(|s| s.value().name() == tag);
        if !after {
            candidates.push(format!("{parent_sel} > {tag}:last-of-type"));
        }
        candidates.push(format!("{parent_sel} > {tag}:nth-of-type({})", before + 1));
        // The span of the second list item: by the item's place.
        let parent_tag = parent.value().name();
        let parent_place = parent
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .filter(|s| s.value().name() == parent_tag)
            .count()
            + 1;
        candidates.push(format!("{parent_tag}:nth-of-type({parent_place}) > {tag}"));
    }
    // A sibling in a span record: by its place after the record element ("h2 + p + p").
    if let Some(k) = span.iter().position(|s| *s == el) {
        let chain: Vec<&str> = span[..=k].iter().map(|s| s.value().name()).collect();
        candidates.push(chain.join(" + "));
    }
    candidates.into_iter().find(|c| {
        Selector::parse(c)
            .ok()
            .and_then(|s| select_in_span(span, &s).next())
            == Some(el)
    })
}

/// Words naming an element: its classes and id, itemprop, aria-label, data-* names, the `<dt>`
/// before a `<dd>`, the label text in front of it ("SKU: <span>"), and those of wrappers up to
/// the record that hold nothing else.
fn label_words(el: ElementRef<'_>, member: ElementRef<'_>) -> Vec<String> {
    let mut words = own_words(el);
    // What the element itself says it holds, for unclassed markup.
    let tag_words: &[&str] = match el.value().name() {
        "time" => &["date", "time"],
        "address" => &["address", "location"],
        "figcaption" => &["caption", "title"],
        "dt" => &["term"],
        "dd" => &["definition", "description"],
        "p" if words.is_empty() => &["text", "description"],
        _ => &[],
    };
    words.extend(tag_words.iter().map(|w| w.to_string()));
    for attr in [
        "itemprop",
        "aria-label",
        "name",
        "property",
        "data-field",
        "data-name",
        "data-testid",
        "data-test",
        "data-qa",
        "data-cy",
        "title",
    ] {
        if let Some(v) = el.value().attr(attr) {
            words.extend(tokens(v));
        }
    }
    for (name, _) in el.value().attrs() {
        if let Some(data) = name.strip_prefix("data-") {
            words.extend(tokens(data));
        }
    }
    if el.value().name() == "dd"
        && let Some(dt) = el
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .find(|s| s.value().name() == "dt")
    {
        words.extend(tokens(&collapsed_text(dt)));
    }
    // "SKU: <b>", "by <a>": a short text just before the element names it.
    if let Some(prev_text) = el
        .prev_sibling()
        .and_then(|p| p.value().as_text().map(|t| t.to_string()))
        && (prev_text.trim().ends_with(':') || prev_text.split_whitespace().count() <= 2)
    {
        words.extend(tokens(&prev_text));
    }
    // A link or span alone inside a named wrapper (`<h2 class="title"><a>`) takes its words.
    let mut node = el;
    while let Some(parent) = node.parent().and_then(ElementRef::wrap) {
        if parent == member || parent.child_elements().count() != 1 {
            break;
        }
        words.extend(marker_words(parent));
        node = parent;
    }
    words
}

/// Words of the element's ancestors inside the record, nearest first: the row or box a value
/// sits in often says what it is (`structItem-latest`, `titleline`).
fn context_words(el: ElementRef<'_>, span: &[ElementRef<'_>]) -> Vec<String> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .take_while(|a| !span.contains(a))
        .flat_map(own_words)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::builder::records::find_groups;
    use scraper::Html;

    fn url() -> url::Url {
        url::Url::parse("http://t.test/list").unwrap()
    }

    const CARDS: &str = r#"<div class="grid">
      <div class="card"><h3 class="title"><a href="/p/1">Alpha Lamp</a></h3><span class="cost">$10.00</span><p>SKU: <b>AL-1</b></p><button>Add to cart</button></div>
      <div class="card"><h3 class="title"><a href="/p/2">Beta Lamp</a></h3><span class="cost">$12.50</span><p>SKU: <b>BL-2</b></p><button>Add to cart</button></div>
      <div class="card"><h3 class="title"><a href="/p/3">Gamma Lamp</a></h3><span class="cost">$9.99</span><p>SKU: <b>GL-3</b></p><button>Add to cart</button></div>
    </div>"#;

    #[test]
    fn requested_fields_are_found_by_synonym_label_and_shape() {
        let doc = Html::parse_document(CARDS);
        let groups = find_groups(&doc);
        let group = groups.iter().find(|g| g.members.len() == 3).unwrap();
        let fields: Vec<String> = ["name", "price", "sku", "url"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mapping = map_fields(group, &fields, &url());
        assert!(mapping.missing.is_empty(), "{mapping:?}");
        let by_name = |n: &str| mapping.rules.iter().find(|r| r.name == n).unwrap().clone();
        // The title's text sits in the link, the first in each card.
        assert_eq!(by_name("name").selector, "a");
        assert_eq!(by_name("price").selector, "span.cost");
        assert_eq!(by_name("sku").selector, "b");
        assert_eq!(by_name("url").attribute.as_deref(), Some("href"));
        let missing = map_fields(group, &["author".to_string()], &url());
        assert_eq!(missing.missing, ["author"]);
        assert!(
            missing.available.contains(&"price".to_string()),
            "{:?}",
            missing.available
        );
    }

    #[test]
    fn automatic_fields_skip_constant_labels() {
        let doc = Html::parse_document(CARDS);
        let groups = find_groups(&doc);
        let group = groups.iter().find(|g| g.members.len() == 3).unwrap();
        let mapping = map_fields(group, &[], &url());
        let names: Vec<&str> = mapping.rules.iter().map(|r| r.name.as_str()).collect();
        assert!(
            names.contains(&"link") && names.contains(&"price"),
            "{names:?}"
        );
        assert!(mapping.rules.iter().all(|r| r.selector != "button"));
    }
}
