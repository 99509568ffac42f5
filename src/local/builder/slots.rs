//! Mapping fields inside a record: every place a value can come from (a "slot": text of an
//! element, a link's href, an image's src, a table column), the words that name it, and the
//! choice of the slot that best fits each requested field.

use scraper::{ElementRef, Selector};

use super::candidates::Candidate;
use super::records::{
    Group, Layout, cells, marker_words, own_words, simple_selector, stable_classes,
};
use super::vocabulary::{
    Concept, Shape, concept_for, has_shape, name_score, own_words as field_words, snake, tokens,
    unit_word,
};
use crate::local::definition::{FieldRule, RecordExtent};
use crate::local::extract::{
    class_number, collapsed_text, labelled_value, record_span, rule_value, select_in_span,
};

/// Records examined when judging slots; enough to see what is constant and what varies.
const SAMPLE: usize = 20;

/// Varying places kept as candidates for missing fields: every text leaf of a rich record,
/// ranked per field later, rather than the first few in page order (which are often links).
const OFFERED: usize = 16;

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
    /// For a link: the share of records whose link reads as a title (words, not an arrow or
    /// an icon), which makes it the record's own link rather than a vote or share button.
    link_text: f64,
    /// Inside an avatar, logo or icon: initials and alt texts there are decoration.
    decor: bool,
    /// A struck, old or list price ("<del>", "was", `data-strike`), which loses to the
    /// current one.
    struck: bool,
    /// Its text is a constant label and the value of another slot inside it ("Sold by
    /// <a>Acme</a>"): that inner slot is the value.
    labelled: bool,
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
            number: false,
        }
    }

    /// The slot offered for a missing field: where it is (as a follow-up names it) and what
    /// it held in the first records.
    fn candidate(&self) -> Option<Candidate> {
        let place = match &self.attribute {
            Some(a) if !self.selector.is_empty() => format!("{a} of {}", self.selector),
            _ => self.selector.clone(),
        };
        Candidate::new(place, self.values.iter().flatten().map(String::as_str))
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
    /// Varying places no field took, with sample values: what a missing field might be, for
    /// the user or their model to pick from.
    pub candidates: Vec<Candidate>,
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
    let chosen = assign(&slots, requested);
    let mut rules: Vec<FieldRule> = Vec::new();
    let mut missing = Vec::new();
    for (field, slot) in requested.iter().zip(&chosen) {
        match slot {
            Some(i) => {
                let mut rule = slots[*i].rule(field);
                // A product not rated yet, a job without a salary: such values are often
                // absent on later pages, and a record is worth keeping without them.
                rule.optional |= concept_for(field).is_some_and(|c| often_absent(c.shape));
                rules.push(rule);
            }
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
        .filter_map(|s| s.candidate())
        .take(OFFERED)
        .collect();
    Mapping {
        rules,
        missing,
        available,
        richness: varying.len(),
        candidates,
    }
}

/// Gives each requested field its own slot: the best (field, slot) pair first, then the best
/// of what is left, so two fields never share one value (a recipe's name does not take the
/// cooking time the "total time" field holds) and each field gets the place that fits it best
/// rather than the first that fits at all.
fn assign(slots: &[Slot], requested: &[String]) -> Vec<Option<usize>> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (f, field) in requested.iter().enumerate() {
        for (i, slot) in slots.iter().enumerate() {
            if let Some(score) = slot_score(slot, i, field) {
                pairs.push((score, f, i));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut chosen: Vec<Option<usize>> = vec![None; requested.len()];
    let mut taken: Vec<usize> = Vec::new();
    for (_, f, i) in pairs {
        if chosen[f].is_some() {
            continue;
        }
        // The same value read from another place (a wrapper, an attribute copy) is taken too.
        let same = |t: &usize| {
            let other = &slots[*t];
            *t == i || (other.kind == slots[i].kind && other.values == slots[i].values)
        };
        if taken.iter().any(same) {
            continue;
        }
        chosen[f] = Some(i);
        taken.push(i);
    }
    chosen
}

/// Values records often lack (a rating, a price, a count) rather than the name or link that
/// makes a record one.
fn often_absent(shape: Shape) -> bool {
    !matches!(
        shape,
        Shape::Title | Shape::Link | Shape::Person | Shape::Text | Shape::Prose
    )
}

/// Shapes a value can be recognised by with confidence: a slot that does not hold one is
/// unlikely to be the field, whatever its name says ("18,204 ratings" is no rating).
fn reliable(shape: Shape) -> bool {
    matches!(
        shape,
        Shape::Price
            | Shape::Date
            | Shape::Rating
            | Shape::Count
            | Shape::Duration
            | Shape::Phone
            | Shape::Email
            | Shape::Prose
    )
}

/// Words that mark an old or list price.
const STRUCK_WORDS: &[&str] = &[
    "strike", "struck", "old", "was", "list", "before", "original", "regular", "crossed",
    "compare", "msrp", "rrp", "ancien", "barré", "antes", "tachado", "uvp", "statt",
];

/// Words of avatars, logos and icons: what they hold is decoration.
const DECOR_WORDS: &[&str] = &["avatar", "initial", "logo", "icon", "thumbnail", "thumb"];

/// How well `slot` fits `field`, or None when it cannot hold it: the field's words against the
/// slot's label and surroundings, the shape of its values in every sampled record, how often
/// it has a value, and its place.
fn slot_score(slot: &Slot, position: usize, field: &str) -> Option<f64> {
    let shape = concept_for(field).map_or(Shape::Text, |c| c.shape);
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
        return None;
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
            found.iter().filter(|v| has_shape(v, shape)).count() as f64 / found.len().max(1) as f64
        }
    };
    // Values of a telling shape may be found by it alone; any short text looks like a name,
    // so a person is found by shape only when every value is written as a person's name.
    let by_shape = match shape {
        Shape::Text => false,
        Shape::Person => {
            !slot.heading && !found.is_empty() && found.iter().all(|v| personal_name(v))
        }
        _ => shape_frac >= 0.8,
    };
    if name_score <= 0.0 && !by_shape {
        return None;
    }
    if shape_never_seen(shape, shape_frac) && slot.given_name.as_deref() != Some(field) {
        return None;
    }
    if slot.kind == Kind::Attr && counts_records(&found) {
        return None;
    }
    // Nearly every link "is a link": for a link field, what the link is (the record's titled
    // link) says more than markup words such as `Link` or `data-url`.
    let generic_link = shape == Shape::Link
        && field_words(field)
            .iter()
            .all(|w| concept_for(w).is_some_and(|c| c.shape == Shape::Link));
    let name_weight = if generic_link { 2.0 } else { 10.0 };
    let mut score =
        name_score * name_weight + shape_frac * 6.0 + coverage * 4.0 - position as f64 * 0.05;
    if reliable(shape) {
        score += shape_frac * 8.0;
    }
    if shape == Shape::Title && slot.heading {
        score += 4.0;
    }
    // A heading is what the record is; the person behind it is written beside it.
    if shape == Shape::Person && slot.heading {
        score -= 4.0;
    }
    // The record's own link is the one with words on it, usually its heading's.
    if shape == Shape::Link {
        score += slot.link_text * 6.0 + if slot.heading { 3.0 } else { 0.0 };
    }
    // What the page shows beats the same value kept in an attribute.
    if slot.kind == Kind::Text {
        score += 0.5;
    }
    // A title has words; a rank number or an empty cell named "title" is not one.
    if matches!(shape, Shape::Title | Shape::Person) && shape_frac < 0.5 {
        score -= 10.0;
    }
    // A price field holding "In stock", a reading time holding a date: a shape told this
    // surely is missing, so the field's words alone must not win over a place that holds it.
    if reliable(shape) && shape_frac < 0.5 {
        score -= 10.0;
    }
    if code_attribute(slot, shape) {
        score -= 16.0;
    }
    if shape == Shape::Price {
        score -= (words_beside_amount(&found) * 2.0).min(16.0);
    }
    if slot.decor && shape != Shape::Image {
        score -= 6.0;
    }
    if shape == Shape::Price
        && slot.struck
        && !field_words(field)
            .iter()
            .any(|w| STRUCK_WORDS.contains(&w.as_str()))
    {
        score -= 12.0;
    }
    // Prices, dates, ratings and numbers are short: of two places holding one, the
    // tighter one ("March 4, 2025" rather than "By Ann — March 4, 2025").
    if matches!(
        shape,
        Shape::Price
            | Shape::Date
            | Shape::Rating
            | Shape::Number
            | Shape::Code
            | Shape::Count
            | Shape::Duration
    ) {
        let chars: usize = found.iter().map(|v| v.chars().count()).sum();
        score -= chars as f64 / found.len().max(1) as f64 * 0.02;
    }
    if slot.constant() {
        score -= 8.0;
    }
    if slot.labelled {
        score -= 3.0;
    }
    // Of places holding the same value, the one a semantic attribute names outlives the
    // others (`[itemprop=…]`, `[data-testid=…]`).
    if slot.selector.starts_with("[itemprop") || slot.selector.contains("[data-testid") {
        score += 1.0;
    }
    Some(score)
}

/// A field whose shape is told surely (a phone number, a price, a date, a duration) and a
/// place where not one value has it: a code is no phone number, "In stock" no price, whatever
/// words they share. Better missing, with candidates offered. (A count is left out: "comment"
/// names both a count and a review's text.)
fn shape_never_seen(shape: Shape, shape_frac: f64) -> bool {
    matches!(
        shape,
        Shape::Duration | Shape::Phone | Shape::Email | Shape::Price | Shape::Date
    ) && shape_frac == 0.0
}

/// Values that count up by one from record to record (`data-index` 0, 1, 2): the record's
/// place on the page, not a count, a phone number or any other value of its own.
fn counts_records(found: &[&String]) -> bool {
    let numbers: Vec<i64> = found.iter().filter_map(|v| v.trim().parse().ok()).collect();
    numbers.len() >= 3
        && numbers.len() == found.len()
        && numbers.windows(2).all(|w| w[1] == w[0] + 1)
}

/// An attribute holding codes (`data-sku="RB-1000"`, `data-id="42"`) offered for a name or a
/// person: the record's key, not what a reader calls it; its visible text should win.
fn code_attribute(slot: &Slot, shape: Shape) -> bool {
    let found: Vec<&String> = slot.values.iter().flatten().collect();
    matches!(shape, Shape::Title | Shape::Person)
        && slot.kind == Kind::Attr
        && !found.is_empty()
        && found
            .iter()
            .all(|v| has_shape(v, Shape::Code) || has_shape(v, Shape::Number))
}

/// Letters a price's values carry besides the amount, on average ("In stock $18.00": 7): a
/// wrapper that also holds the stock or a note loses to the place holding the money alone.
fn words_beside_amount(found: &[&String]) -> f64 {
    let letters: usize = found
        .iter()
        .map(|v| {
            tokens(v)
                .iter()
                .filter(|w| !matches!(w.as_str(), "usd" | "eur" | "gbp" | "chf" | "jpy"))
                .map(|w| w.chars().filter(|c| c.is_alphabetic()).count())
                .sum::<usize>()
        })
        .sum();
    letters as f64 / found.len().max(1) as f64
}

/// "Dr. Ada King", "Sam Cole": two to four capitalised words, an honorific allowed.
fn personal_name(value: &str) -> bool {
    let words: Vec<&str> = value.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\''))
        })
}

/// Inside an avatar, a logo or an icon (by its own or an enclosing element's words, up to the
/// record): initials and alt texts there stand in for a picture.
fn is_decor(el: ElementRef<'_>, member: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(
            el.ancestors()
                .filter_map(ElementRef::wrap)
                .take_while(|a| *a != member),
        )
        .any(|a| {
            own_words(a)
                .iter()
                .any(|w| DECOR_WORDS.contains(&w.as_str()))
        })
}

/// A struck or old price: `<del>`/`<s>`, a `*strike*` attribute, or old-price words on the
/// element, its wrappers up to the record, or the label just before it ("List:", "Was").
fn is_struck(el: ElementRef<'_>, member: ElementRef<'_>) -> bool {
    let chain = std::iter::once(el).chain(
        el.ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|a| *a != member),
    );
    let struck_words =
        |words: Vec<String>| words.iter().any(|w| STRUCK_WORDS.contains(&w.as_str()));
    for a in chain {
        if matches!(a.value().name(), "del" | "s" | "strike")
            || a.value()
                .attrs()
                .any(|(n, v)| n.contains("strike") && v != "false")
            || own_words(a)
                .iter()
                .any(|w| w != "list" && STRUCK_WORDS.contains(&w.as_str()))
        {
            return true;
        }
        let before = a.prev_siblings().find_map(|n| {
            n.value()
                .as_text()
                .map(|t| t.to_string())
                .filter(|t| !t.trim().is_empty())
                .or_else(|| ElementRef::wrap(n).map(collapsed_text))
        });
        if before.is_some_and(|t| t.chars().count() <= 12 && struck_words(tokens(&t))) {
            return true;
        }
    }
    false
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

/// A name for a slot the user did not name: its itemprop or header, a known word of its label
/// whose kind its values fit, else the kind of its values ("price", "duration", "points").
/// Never a fragment of a class name, which means nothing to the user.
fn auto_name(slot: &Slot) -> String {
    match slot.kind {
        Kind::Link => return "link".into(),
        Kind::Image => return "image".into(),
        _ => {}
    }
    if let Some(given) = slot.given_name.as_deref().filter(|g| !g.is_empty()) {
        return given.to_string();
    }
    let found: Vec<&String> = slot.values.iter().flatten().collect();
    let fits = |shape: Shape| {
        !found.is_empty()
            && found.iter().filter(|v| has_shape(v, shape)).count() * 5 >= found.len() * 4
    };
    // A label word's concept, when the values are of its kind ("shop" on a price is no seller).
    let agrees = |c: &&Concept| {
        matches!(
            c.shape,
            Shape::Text | Shape::Link | Shape::Image | Shape::Title
        ) || fits(c.shape)
    };
    // Counted things are named in the plural ("points", "comments").
    let named = |c: &Concept| match c.shape {
        Shape::Count if c.canonical != "count" => format!("{}s", c.canonical),
        _ => c.canonical.to_string(),
    };
    for word in &slot.label {
        if let Some(c) = concept_for(word)
            .filter(|c| c.canonical == word)
            .filter(agrees)
        {
            return named(c);
        }
    }
    for word in &slot.label {
        if let Some(c) = concept_for(word).filter(agrees) {
            return named(c);
        }
    }
    for (shape, name) in [
        (Shape::Price, "price"),
        (Shape::Date, "date"),
        (Shape::Rating, "rating"),
        (Shape::Duration, "duration"),
        (Shape::Phone, "phone"),
        (Shape::Email, "email"),
    ] {
        if fits(shape) {
            return name.into();
        }
    }
    // "412 points", "12 comments": the unit says what is counted.
    if fits(Shape::Count) {
        return unit_word(&found).map_or_else(|| "count".into(), |unit| format!("{unit}s"));
    }
    if slot.heading && fits(Shape::Title) {
        return "title".into();
    }
    if fits(Shape::Prose) {
        return "description".into();
    }
    "text".into()
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
        if slot.kind == Kind::Link {
            let text = Slot {
                attribute: None,
                kind: Kind::Text,
                ..slot.clone()
            };
            let titled = read(&text)
                .iter()
                .flatten()
                .filter(|t| has_shape(t, Shape::Title))
                .count();
            slot.link_text = titled as f64 / slot.values.len().max(1) as f64;
        }
        let found: Vec<&String> = slot.values.iter().flatten().collect();
        if let Some(unit) = unit_word(&found) {
            slot.label.push(unit);
        }
    }
    mark_labelled(&mut slots);
    slots
}

/// Marks text slots whose value is a constant label followed by the value of another text
/// slot ("Sold by " + "Acme", "Author: " + "Ann"): the label is not part of the value.
fn mark_labelled(slots: &mut [Slot]) {
    let texts: Vec<usize> = (0..slots.len())
        .filter(|i| slots[*i].kind == Kind::Text)
        .collect();
    for &i in &texts {
        let outer = &slots[i].values;
        let labelled = texts.iter().any(|&j| {
            let inner = &slots[j].values;
            let mut prefixes = outer.iter().zip(inner).filter_map(|(o, n)| match (o, n) {
                (Some(o), Some(n)) if o.len() > n.len() => o.strip_suffix(n.as_str()),
                _ => None,
            });
            let Some(first) = prefixes.next() else {
                return false;
            };
            let found = outer.iter().flatten().count();
            let label = first.trim();
            found >= 2
                && !label.is_empty()
                && label.split_whitespace().count() <= 3
                && !label.chars().any(|c| c.is_ascii_digit())
                && prefixes.clone().count() + 1 == found
                && prefixes.all(|p| p == first)
        });
        slots[i].labelled = labelled;
    }
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
            link_text: 0.0,
            decor: false,
            struck: false,
            labelled: false,
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
                link_text: 0.0,
                decor: is_decor(el, member),
                struck: is_struck(el, member),
                labelled: false,
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
        // Script data (`{"event":…}`) and flags (`true`) are no values a person reads.
        if value.is_empty()
            || value.len() > 200
            || value.starts_with(['{', '['])
            || matches!(value, "true" | "false")
        {
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
            "aria-label" | "title" if short_label(value) => tokens(value)
                .into_iter()
                .filter(|w| w.chars().all(char::is_alphabetic))
                .collect(),
            "aria-label" | "title" => Vec::new(),
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
        let Some(value) = el.value().attr(attr) else {
            continue;
        };
        // "4.5 out of 5 stars": the label's last word tells it from other labels of its tag,
        // so a record without it gives nothing rather than another label.
        if let Some(word) = value
            .split_whitespace()
            .last()
            .filter(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()))
            && attr != "datetime"
            && value.chars().any(|c| c.is_ascii_digit())
        {
            candidates.push(format!("{tag}[{attr}$=\"{word}\"]"));
        }
        candidates.push(format!("{tag}[{attr}]"));
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
    candidates.extend(place_among_record_children(span, el));
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

/// A classless child of the record itself ("the second div", "the last span"): by its place
/// among the record's children of its tag, so a varying text there (a venue, a price) is a
/// place the builder can map and offer, not only the record's first element of that tag.
fn place_among_record_children(span: &[ElementRef<'_>], el: ElementRef<'_>) -> Vec<String> {
    let member = span[0];
    if span.len() > 1 || el.parent().and_then(ElementRef::wrap) != Some(member) {
        return Vec::new();
    }
    let tag = el.value().name();
    let before = el
        .prev_siblings()
        .filter_map(ElementRef::wrap)
        .filter(|s| s.value().name() == tag)
        .count();
    let after = el
        .next_siblings()
        .filter_map(ElementRef::wrap)
        .any(|s| s.value().name() == tag);
    let mut places = Vec::new();
    if !after {
        places.push(format!("{tag}:last-of-type"));
    }
    places.push(format!("{tag}:nth-of-type({})", before + 1));
    places
}

/// The text just before the element within its parent, back to the previous element that
/// has text of its own, when it is short enough to be a label (ending in ':' or at most five
/// words); empty otherwise.
fn text_before(el: ElementRef<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let word_count = |t: &str| {
        t.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    };
    for node in el.prev_siblings() {
        let text = match node.value().as_text() {
            Some(t) => t.to_string(),
            None if parts.iter().any(|p| !p.trim().is_empty()) => break,
            None => ElementRef::wrap(node)
                .map(collapsed_text)
                .unwrap_or_default(),
        };
        parts.push(text);
        if word_count(&parts.concat()) > 6 {
            return String::new();
        }
    }
    parts.reverse();
    let text = parts.concat();
    let text = text.trim();
    if text.ends_with(':') || word_count(text) <= 5 {
        text.to_string()
    } else {
        String::new()
    }
}

/// A label of a few words ("Rating", "4 out of 5 stars"), not a sentence.
fn short_label(text: &str) -> bool {
    text.split_whitespace().count() <= 5
}

/// Words of the icons that mark a value: an empty `<i class="bi bi-clock">` or `<svg
/// aria-label="star">` inside the element or just before it ("🕑 6h 30m", "☆ 228,512").
fn icon_words(el: ElementRef<'_>) -> Vec<String> {
    let is_icon = |e: ElementRef<'_>| {
        matches!(e.value().name(), "i" | "svg" | "span" | "img")
            && collapsed_text(e).is_empty()
            && e.value().name() != "img"
            || e.value().name() == "svg"
    };
    let before = el
        .prev_siblings()
        .take_while(|n| n.value().as_text().is_none_or(|t| t.trim().is_empty()))
        .filter_map(ElementRef::wrap)
        .next();
    let mut words = Vec::new();
    for icon in el
        .child_elements()
        .filter(|c| is_icon(*c))
        .chain(before.filter(|b| is_icon(*b)))
    {
        words.extend(own_words(icon));
        if let Some(label) = icon.value().attr("aria-label").filter(|v| short_label(v)) {
            words.extend(tokens(label));
        }
    }
    words
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
        "p" => &["text", "description"],
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
        // "You must be signed in to star a repository" is a sentence, not a name.
        if let Some(v) = el.value().attr(attr).filter(|v| short_label(v)) {
            words.extend(tokens(v));
        }
    }
    words.extend(icon_words(el));
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
    // "SKU: <b>", "by <a>", "Last reply by ann · <time>": the short text just before the
    // element, within its parent, names it.
    words.extend(tokens(&text_before(el)));
    // "<span>Brand:</span> <span>Sony</span>": a label element just before it.
    if let Some(prev) = el.prev_siblings().filter_map(ElementRef::wrap).next() {
        let text = collapsed_text(prev);
        if text.ends_with(':') && text.split_whitespace().count() <= 3 {
            words.extend(tokens(&text));
        }
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
    use crate::local::builder::candidates::missing_fields;
    use crate::local::builder::groups::find_groups;
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

    /// Maps `fields` in the group of `n` records of `html`; the rules by field name.
    fn mapped(html: &str, n: usize, fields: &[&str]) -> Vec<FieldRule> {
        let doc = Html::parse_document(html);
        let groups = find_groups(&doc);
        let group = groups
            .iter()
            .find(|g| g.members.len() == n)
            .unwrap_or_else(|| panic!("no group of {n}"));
        let fields: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
        let mapping = map_fields(group, &fields, &url());
        assert!(mapping.missing.is_empty(), "{mapping:?}");
        mapping.rules
    }

    /// The value each rule gives in each record of the group of `n`.
    fn values(html: &str, n: usize, rules: &[FieldRule], field: &str) -> Vec<String> {
        let doc = Html::parse_document(html);
        let groups = find_groups(&doc);
        let group = groups.iter().find(|g| g.members.len() == n).unwrap();
        let rule = rules.iter().find(|r| r.name == field).unwrap();
        let selector = Selector::parse(&rule.selector).ok();
        group
            .members
            .iter()
            .map(|m| rule_value(&[*m], rule, selector.as_ref(), &url()).unwrap_or_default())
            .collect()
    }

    const EPISODES: &str = r#"<ul class="shows">
      <li class="episode"><span class="ttl-text">Talking Tides</span><dl class="episode-stats"><dt>Run time</dt><dd class="episode-stats__val">48 min</dd></dl></li>
      <li class="episode"><span class="ttl-text">Salt and Stone</span><dl class="episode-stats"><dt>Run time</dt><dd class="episode-stats__val">1 hr 5 min</dd></dl></li>
      <li class="episode"><span class="ttl-text">Harbour Lights</span><dl class="episode-stats"><dt>Run time</dt><dd class="episode-stats__val">36 min</dd></dl></li>
    </ul>"#;

    #[test]
    fn two_fields_never_share_a_value_and_a_quantity_is_no_name() {
        // "episode" names the stats box, yet a duration is no name: the name is the text.
        let rules = mapped(EPISODES, 3, &["episode_name", "run_time"]);
        assert_eq!(
            values(EPISODES, 3, &rules, "episode_name"),
            ["Talking Tides", "Salt and Stone", "Harbour Lights"]
        );
        assert_eq!(
            values(EPISODES, 3, &rules, "run_time"),
            ["48 min", "1 hr 5 min", "36 min"]
        );
    }

    const OPINIONS: &str = r#"<section>
      <div class="opinion"><div class="pic-avatar"><span class="avatar-letters">QZ</span></div><span class="who-name">Quinn Zhao</span><div role="img" class="stars stars-3" aria-label="3 out of 5 stars"></div><span aria-label="1,204 ratings">(1,204)</span><p>Sturdy, but the hinge squeaks after a week.</p></div>
      <div class="opinion"><div class="pic-avatar"><span class="avatar-letters">MB</span></div><span class="who-name">Mo Bakr</span><div role="img" class="stars stars-5" aria-label="5 out of 5 stars"></div><span aria-label="88 ratings">(88)</span><p>Exactly what the listing promised, and quick.</p></div>
      <div class="opinion"><div class="pic-avatar"><span class="avatar-letters">IR</span></div><span class="who-name">Ines Roca</span><div role="img" class="stars stars-4" aria-label="4 out of 5 stars"></div><span aria-label="9 ratings">(9)</span><p>Good value; the colour is darker than shown.</p></div>
    </section>"#;

    #[test]
    fn avatar_initials_lose_to_the_name_and_a_rating_label_beats_a_count_label() {
        let rules = mapped(OPINIONS, 3, &["reviewer_name", "rating"]);
        assert_eq!(
            values(OPINIONS, 3, &rules, "reviewer_name"),
            ["Quinn Zhao", "Mo Bakr", "Ines Roca"]
        );
        // The label as the page says it, not the digits of the class name nor the count.
        assert_eq!(
            values(OPINIONS, 3, &rules, "rating"),
            ["3 out of 5 stars", "5 out of 5 stars", "4 out of 5 stars"]
        );
    }

    const OFFERS: &str = r#"<div class="results">
      <div class="offer"><h4 class="offer-head">Field Kettle</h4><div class="amounts"><del class="amt">€40,00</del> <span class="amt">€32,00</span></div><p class="merchant">Sold by <a href="/m/1">Kiosk North</a></p></div>
      <div class="offer"><h4 class="offer-head">Camp Stove</h4><div class="amounts"><del class="amt">€75,00</del> <span class="amt">€61,50</span></div><p class="merchant">Sold by <a href="/m/2">Outdoor Ove</a></p></div>
      <div class="offer"><h4 class="offer-head">Tin Mug</h4><div class="amounts"><del class="amt">€9,00</del> <span class="amt">€7,20</span></div><p class="merchant">Sold by <a href="/m/3">Kiosk North</a></p></div>
    </div>"#;

    #[test]
    fn a_struck_price_loses_and_a_label_before_the_value_is_left_out() {
        let rules = mapped(OFFERS, 3, &["name", "price", "seller"]);
        assert_eq!(
            values(OFFERS, 3, &rules, "price"),
            ["€32,00", "€61,50", "€7,20"]
        );
        assert_eq!(
            values(OFFERS, 3, &rules, "seller"),
            ["Kiosk North", "Outdoor Ove", "Kiosk North"]
        );
        // The same rule in another language and shape: an old price marked by its class.
        let shop = r#"<div>
          <article class="item"><h2>Lampe</h2><span class="p-old">59,00 €</span><span class="p-now">45,00 €</span><span class="marque">Lumo</span></article>
          <article class="item"><h2>Chaise</h2><span class="p-old">120,00 €</span><span class="p-now">99,00 €</span><span class="marque">Siège</span></article>
          <article class="item"><h2>Table</h2><span class="p-old">300,00 €</span><span class="p-now">249,00 €</span><span class="marque">Bois Clair</span></article>
        </div>"#;
        let rules = mapped(shop, 3, &["nom", "prix", "marque"]);
        assert_eq!(
            values(shop, 3, &rules, "prix"),
            ["45,00 €", "99,00 €", "249,00 €"]
        );
        assert_eq!(
            values(shop, 3, &rules, "marque"),
            ["Lumo", "Siège", "Bois Clair"]
        );
    }

    const CLASSES: &str = r#"<div class="list">
      <div class="tile"><a class="up" href="/vote?i=1"></a><h4><a href="/class/1">Pottery for Beginners</a></h4><p class="meta"><span class="who"><i class="ico ico-user"></i> Dana Reyes</span> · <span class="len"><i class="ico ico-clock"></i> 2h 10m</span></p><a class="prof" data-profile-url="/u/dana" href="/u/dana"><img src="/a/1.png"></a></div>
      <div class="tile"><a class="up" href="/vote?i=2"></a><h4><a href="/class/2">Night Sky Photography</a></h4><p class="meta"><span class="who"><i class="ico ico-user"></i> Lee Park</span> · <span class="len"><i class="ico ico-clock"></i> 3h</span></p><a class="prof" data-profile-url="/u/lee" href="/u/lee"><img src="/a/2.png"></a></div>
      <div class="tile"><a class="up" href="/vote?i=3"></a><h4><a href="/class/3">Knife Skills</a></h4><p class="meta"><span class="who"><i class="ico ico-user"></i> Sam Ito</span> · <span class="len"><i class="ico ico-clock"></i> 45m</span></p><a class="prof" data-profile-url="/u/sam" href="/u/sam"><img src="/a/3.png"></a></div>
    </div>"#;

    #[test]
    fn icons_name_values_and_the_record_link_is_its_titled_link() {
        let rules = mapped(CLASSES, 3, &["title", "url", "teacher", "duration"]);
        assert_eq!(
            values(CLASSES, 3, &rules, "url"),
            [
                "http://t.test/class/1",
                "http://t.test/class/2",
                "http://t.test/class/3"
            ]
        );
        assert_eq!(
            values(CLASSES, 3, &rules, "teacher"),
            ["Dana Reyes", "Lee Park", "Sam Ito"]
        );
        assert_eq!(
            values(CLASSES, 3, &rules, "duration"),
            ["2h 10m", "3h", "45m"]
        );
    }

    #[test]
    fn automatic_names_come_from_meaning_never_class_fragments() {
        let html = r#"<div class="feed">
          <div class="qx-row"><h3 class="qx-h"><a href="/t/1">Ferry timetable changes</a></h3><span class="qx-n">412 points</span><span class="qx-d">1 hr 5 mins</span><span class="qx-m">help@ferry.example</span></div>
          <div class="qx-row"><h3 class="qx-h"><a href="/t/2">New cycle path opens</a></h3><span class="qx-n">98 points</span><span class="qx-d">25 mins</span><span class="qx-m">desk@path.example</span></div>
          <div class="qx-row"><h3 class="qx-h"><a href="/t/3">Market moves indoors</a></h3><span class="qx-n">7 points</span><span class="qx-d">2 hrs</span><span class="qx-m">info@market.example</span></div>
        </div>"#;
        let doc = Html::parse_document(html);
        let groups = find_groups(&doc);
        let group = groups.iter().find(|g| g.members.len() == 3).unwrap();
        let names: Vec<String> = map_fields(group, &[], &url())
            .rules
            .into_iter()
            .map(|r| r.name)
            .collect();
        for name in ["link", "points", "duration", "email"] {
            assert!(names.contains(&name.to_string()), "{names:?}");
        }
        assert!(names.iter().all(|n| !n.starts_with("qx")), "{names:?}");
    }

    #[test]
    fn the_time_after_a_last_label_is_the_last_time() {
        let html = r#"<ol class="topics">
          <li class="topic"><a href="/t/1">Boiler pressure drops overnight</a><p class="info">Opened <time datetime="2025-01-02">Jan 2</time> · Last answer by rio <time datetime="2025-03-09">Mar 9</time></p></li>
          <li class="topic"><a href="/t/2">Which pipe insulation?</a><p class="info">Opened <time datetime="2025-02-11">Feb 11</time> · Last answer by kai <time datetime="2025-03-08">Mar 8</time></p></li>
          <li class="topic"><a href="/t/3">Radiator bleeding order</a><p class="info">Opened <time datetime="2025-02-20">Feb 20</time> · Last answer by ana <time datetime="2025-03-01">Mar 1</time></p></li>
        </ol>"#;
        let rules = mapped(html, 3, &["subject", "last_answer_date"]);
        assert_eq!(
            values(html, 3, &rules, "last_answer_date"),
            ["Mar 9", "Mar 8", "Mar 1"]
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

    const SHOP: &str = r#"<div class="shelf">
      <div class="tile" data-sku="RB-1000"><a class="tile-link" href="/i/1"><div class="tile-name">Round Basket</div></a><span class="tile-stock">In stock</span><span class="tile-amount">$18.00</span><span class="tile-stars">4.5</span></div>
      <div class="tile" data-sku="RB-1001"><a class="tile-link" href="/i/2"><div class="tile-name">Square Crate</div></a><span class="tile-stock">In stock</span><span class="tile-amount">$22.40</span><span class="tile-stars">3.9</span></div>
      <div class="tile" data-sku="RB-1002"><a class="tile-link" href="/i/3"><div class="tile-name">Tall Hamper</div></a><span class="tile-stock">Sold out</span><span class="tile-amount">$31.00</span><span class="tile-stars">4.1</span></div>
    </div>"#;

    const GOODS: &str = r#"<ul class="goods">
      <li class="product" data-sku="RB-1000"><h3>Round Basket</h3><div class="price-box"><span class="price-note">In stock</span><span>$18.00</span></div></li>
      <li class="product" data-sku="SC-2040"><h3>Square Crate</h3><div class="price-box"><span class="price-note">In stock</span><span>$22.40</span></div></li>
      <li class="product" data-sku="TH-3310"><h3>Tall Hamper</h3><div class="price-box"><span class="price-note">Only 2 left</span><span>$31.00</span></div></li>
    </ul>"#;

    const POSTS: &str = r#"<main>
      <article class="post"><h2><a href="/a/1">Tuning the Old Radio</a></h2><div class="meta"><time datetime="2024-03-01">Mar 1</time><i>8 min read</i></div></article>
      <article class="post"><h2><a href="/a/2">Why Maps Lie</a></h2><div class="meta"><time datetime="2024-03-09">Mar 9</time><i>12 min read</i></div></article>
      <article class="post"><h2><a href="/a/3">Bread at Altitude</a></h2><div class="meta"><time datetime="2024-04-02">Apr 2</time><i>5 min read</i></div></article>
    </main>"#;

    #[test]
    fn a_field_whose_name_implies_a_shape_takes_a_value_of_that_shape() {
        let rules = mapped(SHOP, 3, &["product_name", "price", "star_rating"]);
        assert_eq!(
            values(SHOP, 3, &rules, "product_name"),
            ["Round Basket", "Square Crate", "Tall Hamper"]
        );
        assert_eq!(
            values(SHOP, 3, &rules, "price"),
            ["$18.00", "$22.40", "$31.00"]
        );
        let rules = mapped(GOODS, 3, &["product_name", "price"]);
        assert_eq!(
            values(GOODS, 3, &rules, "product_name"),
            ["Round Basket", "Square Crate", "Tall Hamper"]
        );
        assert_eq!(
            values(GOODS, 3, &rules, "price"),
            ["$18.00", "$22.40", "$31.00"]
        );
        for field in ["reading_time", "read_time", "duration"] {
            let rules = mapped(POSTS, 3, &[field]);
            assert_eq!(
                values(POSTS, 3, &rules, field),
                ["8 min read", "12 min read", "5 min read"],
                "{field}"
            );
        }
    }

    const EVENTS: &str = r#"<section class="agenda">
      <div class="gig"><a href="/g/1"><img src="/i/1.png" alt=""></a><a href="/g/1?tab=info">More</a><div class="when">Fri 8pm</div><div>The Greek Hall</div><span>$25</span><span>Dana Reyes</span></div>
      <div class="gig"><a href="/g/2"><img src="/i/2.png" alt=""></a><a href="/g/2?tab=info">More</a><div class="when">Sat 9pm</div><div>Pier Seven</div><span>$18</span><span>Omar Lind</span></div>
      <div class="gig"><a href="/g/3"><img src="/i/3.png" alt=""></a><a href="/g/3?tab=info">More</a><div class="when">Sun 6pm</div><div>Old Mill Barn</div><span>$30</span><span>Ruth Okafor</span></div>
    </section>"#;

    #[test]
    fn every_varying_text_is_offered_and_ranks_above_links_for_a_venue() {
        let doc = Html::parse_document(EVENTS);
        let groups = find_groups(&doc);
        let group = groups.iter().find(|g| g.members.len() == 3).unwrap();
        let fields = ["venue".to_string(), "performer".to_string()];
        let mapping = map_fields(group, &fields, &url());
        let places = |field: &str| -> Vec<String> {
            missing_fields(&[field.to_string()], &mapping.candidates)[0]
                .candidates
                .iter()
                .map(|c| c.place.clone())
                .collect()
        };
        let all: Vec<&str> = mapping
            .candidates
            .iter()
            .map(|c| c.samples[0].as_str())
            .collect();
        for text in ["The Greek Hall", "$25", "Fri 8pm"] {
            assert!(
                all.contains(&text),
                "{text} not offered: {all:?} {:?}",
                mapping.rules
            );
        }
        // The record's link comes first in the record, yet a venue or a time is text.
        for field in ["venue", "start_time", "organizer"] {
            let ranked = places(field);
            assert!(
                !ranked[0].starts_with("href of") && !ranked[0].starts_with("src of"),
                "{field}: {ranked:?}"
            );
        }
    }
}
