//! Reading the plain-language request the way people write it: the address (with or without a
//! scheme, first or last), the fields in the user's own words, what a record is called, and
//! the page and item limits. English, French, Spanish and German requests read alike.

use super::address::{URL_MARK, find_url};
use super::limits::{Limits, PAGE_WORDS, find_limits};
use super::vocabulary::{is_field_word, is_known_field_word, singular};
use super::wording::{
    ARTICLES, CONJUNCTIONS, CONTAINERS, EVERYTHING, LIST_ENDS, LIST_MARKERS, LIST_VERBS,
    NOUN_FIRST_QUANTIFIERS, PARTICLES, QUANTIFIERS, STRAY, correct_typo, is_list_verb,
};

/// What the request asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub url: url::Url,
    /// Field names in the order asked: the user's words minus articles and politeness,
    /// lowercase, joined by underscores ("the number of stars" -> `number_of_stars`, "company
    /// name" -> `company_name`); empty when the request names none or asks for everything.
    pub fields: Vec<String>,
    /// Pages to read, when the request says ("first page only", "the first 3 pages").
    pub max_pages: Option<u32>,
    /// Records to keep, when the request says ("up to 50 items").
    pub max_items: Option<u32>,
    /// What one record is, singular ("product", "livre"), when the request says.
    pub record_noun: Option<String>,
}

pub const NO_URL: &str = "I could not find a web address in your request. Include the address \
of the page to extract from, e.g. https://example.com/products";

/// Items of more words than this are prose, not field names, and void the list.
const MAX_FIELD_WORDS: usize = 4;

/// Field words that tell one record from another: a list without one, after "every option
/// with its ...", takes the record itself as its first field.
const IDENTITY_WORDS: &[&str] = &[
    "name", "title", "nom", "titre", "nombre", "título", "titulo", "id", "label", "headline",
];

pub fn parse(prompt: &str) -> Result<Request, String> {
    let (url, rest) = find_url(prompt).ok_or_else(|| NO_URL.to_string())?;
    let (text, possessor) = normalise(&rest);
    let words = words(&text);
    let phrase = record_phrase(&text);
    let record_noun = possessor.or_else(|| phrase.as_ref().map(|p| p.noun.clone()));
    let everything = EVERYTHING
        .iter()
        .any(|phrase| format!(" {} ", words.join(" ")).contains(&format!(" {phrase} ")));
    let mut fields = find_fields(&text, record_noun.as_deref());
    // "a spreadsheet of everything on <url>, just the name, price and rating": a list of
    // names is what they want, whatever came before it.
    if everything && fields.len() < 2 {
        fields.clear();
    }
    if let Some(phrase) = &phrase {
        fields = with_the_records(&text, phrase, fields);
    }
    let Limits {
        max_pages,
        max_items,
    } = find_limits(&words, record_noun.as_deref());
    Ok(Request {
        url,
        fields,
        max_pages,
        max_items,
        record_noun,
    })
}

/// How a request was read, in one sentence for the narration of every platform: the fields
/// in the user's words and the page, or that no list of fields was found (the builder then
/// chooses them). None when the request has no address to read around.
pub fn read_back(prompt: &str) -> Option<String> {
    parse(prompt).ok().map(|r| describe(&r))
}

/// The sentence of [`read_back`] for a parsed request.
pub fn describe(request: &Request) -> String {
    if request.fields.is_empty() {
        format!(
            "I found no list of fields in the request, so the fields are chosen from the page at \
             {}. To choose them, name them (\"the title and price of every ...\").",
            request.url
        )
    } else {
        format!(
            "Fields asked for: {}, from {}.",
            request.fields.join(", "),
            request.url
        )
    }
}

/// Lowercase text with typos of known words corrected, and the noun of the first possessive
/// ("each post's title" -> "each title", noun "post").
fn normalise(rest: &str) -> (String, Option<String>) {
    let lower = rest.to_lowercase().replace(['’', '`'], "'");
    let mut text = String::with_capacity(lower.len());
    let mut possessor = None;
    for (i, token) in lower.split(' ').enumerate() {
        if i > 0 {
            text.push(' ');
        }
        let core = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        if let Some(owner) = core.strip_suffix("'s").filter(|o| !o.is_empty()) {
            possessor.get_or_insert_with(|| singular(owner));
            text.push_str(&token.replace(core, ""));
            continue;
        }
        let corrected = if core.chars().all(char::is_alphabetic) && !core.is_empty() {
            token.replacen(core, &correct_typo(core), 1)
        } else {
            token.to_string()
        };
        text.push_str(&corrected);
    }
    (text, possessor)
}

/// The words of `text`, letters and digits only.
pub fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The words of `text` with the byte offset each starts at.
fn spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, &text[s..i]));
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// The records a request names after a quantifier: their noun, singular, and where the
/// phrase ends in the text.
#[derive(Debug, Clone, PartialEq)]
struct RecordPhrase {
    noun: String,
    end: usize,
}

/// "every product", "all the books", "each server option" (the noun is the last word in
/// English and German), "chaque livre disponible", "todos los libros" (the first word in
/// French and Spanish). The phrase ends at punctuation or at a word that cannot be part of it.
fn record_phrase(text: &str) -> Option<RecordPhrase> {
    let spans = spans(text);
    spans.iter().enumerate().find_map(|(i, (at, quantifier))| {
        if !QUANTIFIERS.contains(quantifier) {
            return None;
        }
        let mut end = at + quantifier.len();
        let mut phrase: Vec<&str> = Vec::new();
        for (start, word) in &spans[i + 1..] {
            if !text[end..*start].trim().is_empty() || phrase.len() == 3 {
                break;
            }
            let lead = matches!(
                *word,
                "the" | "les" | "los" | "las" | "of" | "de" | "these" | "die" | "der"
            );
            if phrase.is_empty() && lead {
                end = start + word.len();
                continue;
            }
            if !is_record_word(word) {
                break;
            }
            phrase.push(word);
            end = start + word.len();
        }
        let head = if NOUN_FIRST_QUANTIFIERS.contains(quantifier) {
            phrase.first()
        } else {
            // "every product name and price": a field word at the end is the list, not the noun.
            phrase
                .iter()
                .rev()
                .find(|w| !is_field_word(w))
                .or(phrase.first())
        }?;
        Some(RecordPhrase {
            noun: singular(head),
            end,
        })
    })
}

/// A word that can be (part of) what the records are called.
fn is_record_word(word: &str) -> bool {
    word.chars().count() > 2
        && word.chars().all(char::is_alphabetic)
        && !STRAY.contains(&word)
        && !CONJUNCTIONS.contains(&word)
        && !LIST_ENDS.iter().any(|e| e.trim() == word)
        && !PAGE_WORDS.contains(&word)
        && !is_list_verb(word)
        && !matches!(
            word,
            "field" | "fields" | "columns" | "data" | "available" | "shown" | "displayed" | "found"
        )
        && !is_auxiliary(word)
}

/// "how many reviews each product has": a verb after the records ends their phrase, so the
/// records are products, not "has".
fn is_auxiliary(word: &str) -> bool {
    matches!(
        word,
        "has" | "have" | "had" | "gets" | "got" | "shows" | "lists" | "contains" | "carries"
    )
}

/// "list every option with its type, default and description": when the list after "with"
/// names nothing that tells the records apart (no name or title), the records themselves
/// are the first field (`option`).
fn with_the_records(text: &str, phrase: &RecordPhrase, fields: Vec<String>) -> Vec<String> {
    let after = text[phrase.end..].trim_start();
    let Some(rest) = ["with ", "avec ", "con ", "mit "]
        .iter()
        .find_map(|w| after.strip_prefix(w))
    else {
        return fields;
    };
    let identified = fields
        .iter()
        .any(|f| f == &phrase.noun || IDENTITY_WORDS.contains(&f.rsplit('_').next().unwrap_or(f)));
    if fields.is_empty() || identified || split_list(&cut_list(rest), None) != fields {
        return fields;
    }
    std::iter::once(phrase.noun.clone()).chain(fields).collect()
}

/// The field list: after "fields:", after "with", after a verb ("get me ..."), after the
/// address ("<url>: title, price") or at the very start ("Title and price of all books");
/// the first of these that reads as a list of names wins.
fn find_fields(text: &str, noun: Option<&str>) -> Vec<String> {
    let text = format!(" {} ", lines_as_items(text));
    let mut starts: Vec<usize> = Vec::new();
    for marker in LIST_MARKERS {
        starts.extend(text.find(marker).map(|p| p + marker.len()));
    }
    starts.extend(text.find(" with ").map(|p| p + 6));
    starts.extend(after_verbs(&text));
    // "<url>: title, price", "<url> -> title, price", "<url> for title and price".
    starts.extend(text.find(URL_MARK).map(|p| p + URL_MARK.len()).filter(|p| {
        let after = text[*p..].trim_start();
        let first = skip_stray(&text[..*p - URL_MARK.len()]).is_empty();
        first
            || after.starts_with([':', '-', '>', '=', '→', '—', '–'])
            || ["for ", "the "].iter().any(|w| after.starts_with(w))
    }));
    // "Would you retrieve, for every book at <url>, the title and price?": after a comma
    // only a real list counts.
    let after_comma = text
        .find(URL_MARK)
        .map(|p| p + URL_MARK.len())
        .filter(|p| text[*p..].trim_start().starts_with(','))
        .map(|p| split_list(&cut_list(&text[p..]), noun))
        .filter(|names| names.len() >= 2);
    let mut lists: Vec<Vec<String>> = starts
        .into_iter()
        .map(|start| split_list(&cut_list(&text[start..]), noun))
        .filter(|names| !names.is_empty())
        .collect();
    lists.extend(after_comma);
    // A list at the very start counts only when it is clearly one: two items or more, or
    // followed by what the records are ("title of every book").
    let (list, ended_by_records) = cut_list_at_start(&text);
    let names = split_list(&list, noun);
    // "Build an agent for <url>" names no field; "Release date for each film" does.
    let one_name = |name: &str| name.split('_').any(is_field_word);
    if names.len() >= 2 || (ended_by_records && names.len() == 1 && one_name(&names[0])) {
        lists.push(names);
    }
    // "get my bills (date, amount and status)": a list in parentheses is the fields.
    if let Some(names) = parenthesised_lists(&text, noun).pop() {
        lists.insert(0, names);
    }
    // "Scrape the books on <url>. I want title and price": a real list beats a lone word.
    let best = lists.iter().position(|l| l.len() >= 2).unwrap_or(0);
    lists.into_iter().nth(best).unwrap_or_default()
}

/// The text on one line, each line break an item break: a list written one name a line, with
/// or without bullets or numbers ("- title", "2. price"), reads as a list with commas.
fn lines_as_items(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(|line| {
            let line = line.trim().trim_start_matches(['-', '*', '•', '·', '–']);
            let numbered = line
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .strip_prefix(['.', ')']);
            match numbered {
                Some(rest) if line.starts_with(|c: char| c.is_ascii_digit()) => rest.trim(),
                _ => line.trim(),
            }
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
        .replace('\t', " ")
}

/// Where a list may start after each verb that introduces one, in order: "extracts the
/// name", "scraping the price", "sácame el nombre", "pull out the rating" (after the particle).
fn after_verbs(text: &str) -> Vec<usize> {
    let spans = spans(text);
    let mut starts = Vec::new();
    for (i, (at, word)) in spans.iter().enumerate() {
        if !is_list_verb(word) {
            continue;
        }
        let mut end = at + word.len();
        if let Some((next_at, next)) = spans.get(i + 1)
            && PARTICLES.contains(next)
            && text[end..*next_at].trim().is_empty()
        {
            end = next_at + next.len();
        }
        starts.push(end);
    }
    starts
}

/// The lists of two names or more written in parentheses, in order.
fn parenthesised_lists(text: &str, noun: Option<&str>) -> Vec<Vec<String>> {
    text.split('(')
        .skip(1)
        .filter_map(|part| part.split_once(')').map(|(inside, _)| inside))
        .filter(|inside| !inside.contains("://") && !inside.contains(URL_MARK))
        .map(|inside| split_list(inside, noun))
        .filter(|names| names.len() >= 2)
        .collect()
}

/// The fields a request names, in the user's words, whatever the platform: the local builder,
/// Deck's output schema and the cloud narration read requests with this one reader. Empty when
/// the request names none (or has no address to read around).
pub fn requested_fields(prompt: &str) -> Vec<String> {
    parse(prompt).map(|r| r.fields).unwrap_or_default()
}

/// The list text up to where the sentence moves on ("from", "of every", the address, ...),
/// skipping the stray words it may start with.
pub fn cut_list(text: &str) -> String {
    cut(text).0
}

fn cut_list_at_start(text: &str) -> (String, bool) {
    let (list, end) = cut(text);
    let by_records = end.is_some_and(|e| {
        e.starts_with("of ")
            || e.starts_with("for ")
            || e.starts_with("de ")
            || e.starts_with("from")
            || e == URL_MARK
    });
    (list, by_records)
}

/// The list and the word that ended it.
fn cut(text: &str) -> (String, Option<&'static str>) {
    let body = skip_stray(text);
    let padded = format!(" {body}");
    let mut end: Option<(usize, &'static str)> = None;
    for e in LIST_ENDS.iter().copied() {
        let needle = if e == URL_MARK {
            e.to_string()
        } else {
            format!(" {e}")
        };
        // A list that starts with its end ("from <url> the title") is empty here.
        if let Some(p) = padded.find(&needle)
            && end.is_none_or(|(q, _)| p < q)
        {
            end = Some((p, e));
        }
    }
    for (p, c) in padded.char_indices() {
        if matches!(c, '(' | '?' | '!' | '\n') || (c == '.' && padded[p + 1..].starts_with(' ')) {
            if end.is_none_or(|(q, _)| p < q) {
                end = Some((p, if c == '.' { "." } else { "(" }));
            }
            break;
        }
    }
    match end {
        Some((p, e)) => (padded[..p].to_string(), Some(e)),
        None => (padded, None),
    }
}

/// `text` without the stray words and punctuation it starts with.
fn skip_stray(text: &str) -> &str {
    let mut rest = text.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '<');
    loop {
        let word_end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        if word.is_empty() || !is_stray(word) {
            return rest;
        }
        rest = rest[word_end..].trim_start_matches(|c: char| !c.is_alphanumeric() && c != '<');
    }
}

fn is_stray(word: &str) -> bool {
    STRAY.contains(&word) || LIST_VERBS.contains(&word)
}

/// "me the title, price and release date" -> [title, price, release_date]. Items naming a
/// page or holding a number are limits, not fields; an item of many words voids the list.
pub fn split_list(list: &str, noun: Option<&str>) -> Vec<String> {
    let mut normalised = format!(" {} ", list.replace([';', '/', '|', '+'], ","));
    for conjunction in CONJUNCTIONS {
        normalised = normalised.replace(&format!(" {conjunction} "), " , ");
    }
    let mut names = Vec::new();
    for item in normalised.split(',') {
        // "quick one: title": what comes before a colon introduces the name.
        let item = item
            .rsplit(':')
            .find(|part| part.chars().any(char::is_alphanumeric))
            .unwrap_or(item);
        let mut words: Vec<&str> = item
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        // Before stray words go: "how" is one of them.
        if let Some(counted) = how_many(&words) {
            words = counted;
        }
        // A verb in any form may lead an item ("sacarme el nombre"); only the listed forms
        // end one, since "downloads" or "shares" at the end are names.
        while words
            .first()
            .is_some_and(|w| is_stray(w) || is_list_verb(w))
        {
            words.remove(0);
        }
        // "a csv of title", "a list of names": what the records go into is not a field.
        if let Some(of) = words
            .iter()
            .position(|w| matches!(*w, "of" | "de" | "des" | "con"))
            && of > 0
            && words[..of]
                .iter()
                .all(|w| CONTAINERS.contains(w) || is_stray(w))
        {
            words.drain(..=of);
            while words.first().is_some_and(|w| is_stray(w)) {
                words.remove(0);
            }
        }
        while words.last().is_some_and(|w| is_stray(w)) {
            words.pop();
        }
        if words
            .iter()
            .any(|w| w.chars().all(|c| c.is_ascii_digit()) || PAGE_WORDS.contains(w))
        {
            continue;
        }
        // "the number of the stars": articles inside a name are not part of it either.
        if words.len() > 2 {
            words.retain(|w| !ARTICLES.contains(w));
        }
        // "title price weight sku": field words without commas are that many fields.
        let items: Vec<Vec<&str>> = run_on_names(&words).unwrap_or_else(|| vec![words]);
        for words in items {
            match words.len() {
                0 => continue,
                1..=MAX_FIELD_WORDS => {
                    let name = words.join("_");
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                _ => return Vec::new(),
            }
        }
    }
    // "get all products from URL" names the records, not a field.
    match (noun, names.as_slice()) {
        (Some(n), [only]) if singular(only) == n => Vec::new(),
        _ => names,
    }
}

/// "how many reviews (each product has)" -> number of reviews: a question about a count names
/// the counted thing, and the clause after it only says whose. The name follows the user's
/// other way of saying it ("number of reviews"), so both read to the same field.
fn how_many<'a>(words: &[&'a str]) -> Option<Vec<&'a str>> {
    match words {
        ["how", "many" | "much", counted, ..] => Some(vec!["number", "of", counted]),
        ["combien", "de" | "d", counted, ..] => Some(vec!["nombre", "de", counted]),
        ["cuántos" | "cuantos" | "cuántas" | "cuantas", counted, ..] => {
            Some(vec!["número", "de", counted])
        }
        _ => None,
    }
}

/// "title price weight sku", "product name price rating": three words or more, written
/// without commas, each a known field word or a modifier with its field word ("product
/// name"), are that many fields. None when any word is neither, so a name of the user's own
/// ("number of stars", "date of publication") stays whole.
fn run_on_names<'a>(words: &[&'a str]) -> Option<Vec<Vec<&'a str>>> {
    if words.len() < 3 {
        return None;
    }
    let mut names = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let pair = words.get(i + 1).is_some_and(|next| {
            is_field_word(next) && (!is_known_field_word(words[i]) || NAME_HEADS.contains(next))
        });
        if pair {
            names.push(vec![words[i], words[i + 1]]);
            i += 2;
        } else if is_known_field_word(words[i]) {
            names.push(vec![words[i]]);
            i += 1;
        } else {
            return None;
        }
    }
    (names.len() >= 2).then_some(names)
}

/// Heads that take the word before them as what they name: "product name", "company name".
const NAME_HEADS: &[&str] = &["name", "title", "nom", "nombre", "titre", "titel"];

#[cfg(test)]
mod tests {
    use super::super::limits::ALL_PAGES;
    use super::*;

    fn fields(prompt: &str) -> Vec<String> {
        parse(prompt).unwrap().fields
    }

    #[test]
    fn reads_url_fields_noun_and_pages() {
        let r = parse("Get the name, price and SKU of every product from http://127.0.0.1:8080/demo/shop/products.").unwrap();
        assert_eq!(r.url.as_str(), "http://127.0.0.1:8080/demo/shop/products");
        assert_eq!(r.fields, ["name", "price", "sku"]);
        assert_eq!(r.record_noun.as_deref(), Some("product"));
        assert_eq!(r.max_pages, None);

        let r = parse("Scrape books with titles, authors & publication date from https://x.test/b (first three pages)").unwrap();
        assert_eq!(r.fields, ["titles", "authors", "publication_date"]);
        assert_eq!(r.max_pages, Some(3));

        let r =
            parse("fields: Symbol, Last Price, change. Source: https://x.test/q?a=1, all pages")
                .unwrap();
        assert_eq!(r.url.as_str(), "https://x.test/q?a=1");
        assert_eq!(r.fields, ["symbol", "last_price", "change"]);
        assert_eq!(r.max_pages, Some(ALL_PAGES));
    }

    #[test]
    fn the_users_words_without_stray_words_or_singulars() {
        assert_eq!(
            fields("get me the title and price of every book on https://x.test/"),
            ["title", "price"]
        );
        assert_eq!(
            fields("list each post's title and date from https://x.test/"),
            ["title", "date"]
        );
        assert_eq!(
            fields("the price, address, beds and baths of each home at x.test/homes"),
            ["price", "address", "beds", "baths"]
        );
        assert_eq!(
            fields("Title and Price of all books, https://x.test/"),
            ["title", "price"]
        );
        assert_eq!(
            fields("Scrape https://x.test/: title, price"),
            ["title", "price"]
        );
        assert_eq!(
            fields(
                "Can you please get the release date and running time of each film on x.test/films? Thanks!"
            ),
            ["release_date", "running_time"]
        );
        assert_eq!(
            fields("x.test/b -> titel, pirce, rating (first page only)"),
            ["title", "price", "rating"]
        );
    }

    #[test]
    fn french_and_spanish_field_lists() {
        let r = parse("Récupère le titre et le prix de chaque livre sur https://x.test/").unwrap();
        assert_eq!(r.fields, ["titre", "prix"]);
        assert_eq!(r.record_noun.as_deref(), Some("livre"));
        let r = parse("Extrae el título, el precio y la fecha de cada libro en x.test/libros, solo la primera página").unwrap();
        assert_eq!(r.fields, ["título", "precio", "fecha"]);
        assert_eq!(r.max_pages, Some(1));
    }

    #[test]
    fn limits_and_everything() {
        let r =
            parse("get the name of up to 50 items from https://x.test/, first page only").unwrap();
        assert_eq!(r.fields, ["name"]);
        assert_eq!((r.max_pages, r.max_items), (Some(1), Some(50)));
        assert!(fields("get everything from https://x.test/").is_empty());
        assert!(fields("Extract all products from https://x.test/").is_empty());
    }

    #[test]
    fn naming_only_the_records_asks_for_automatic_fields() {
        let r = parse("please look at https://x.test/list and tell me what is there").unwrap();
        assert!(r.fields.is_empty(), "{:?}", r.fields);
        let r =
            parse("extract the product name and product price of each product on https://x.test/")
                .unwrap();
        assert_eq!(r.fields, ["product_name", "product_price"]);
    }

    #[test]
    fn polite_openings_multi_word_terms_and_parentheses() {
        assert_eq!(
            fields(
                "I'd like the product name, price and rating of every product on https://x.test/"
            ),
            ["product_name", "price", "rating"]
        );
        assert_eq!(
            fields(
                "could you pull the job title, company and date posted for every job on https://x.test/"
            ),
            ["job_title", "company", "date_posted"]
        );
        assert_eq!(
            fields("Je voudrais le nom, le prix et la note de chaque produit sur https://x.test/"),
            ["nom", "prix", "note"]
        );
        assert_eq!(
            fields(
                "Log into https://power.test/login and get my last 12 bills (date, amount and status)."
            ),
            ["date", "amount", "status"]
        );
        assert_eq!(
            fields("Get the date, amount and status of my bills from https://power.test/bills"),
            ["date", "amount", "status"]
        );
    }

    #[test]
    fn a_request_without_an_address_is_explained() {
        assert_eq!(parse("get prices from the shop").unwrap_err(), NO_URL);
        assert_eq!(parse("see http:// nothing").unwrap_err(), NO_URL);
    }

    /// Phrasings of three requests, from terse to chatty, each read to the same fields.
    #[test]
    fn many_phrasings_of_one_request_give_the_same_fields() {
        let books = [
            "title, author, price — https://shelf.test/catalog",
            "https://shelf.test/catalog: title, author, price",
            "Could you extract the title, author and price of each book at https://shelf.test/catalog?",
            "I'd love the title, the author and the price for every book on https://shelf.test/catalog",
            "Hello! Would you be able to collect title, author & price from https://shelf.test/catalog please?",
            "Please scrape https://shelf.test/catalog and give me title, author and price.",
            "Build me a scraper that pulls the title, author and price of all books listed at https://shelf.test/catalog",
            "Scraping job: https://shelf.test/catalog -> title / author / price",
            "Crawl title, author, price: https://shelf.test/catalog",
            "For each book on https://shelf.test/catalog, I want its title, author and price.",
            "Can you get me every book's title, author and price from https://shelf.test/catalog",
            "Would you mind grabbing the title, author and price of the books on https://shelf.test/catalog? Thanks a lot",
            "Good afternoon, my team needs the title, author and price of every book at https://shelf.test/catalog for a report.",
            "I'm putting together a reading list. Go to https://shelf.test/catalog and pick out title, author and price for each book.",
            "title + author + price of all books at https://shelf.test/catalog",
            "Extract books from https://shelf.test/catalog with title, author and price",
            "Hey, quick one: title, author and price of each book on https://shelf.test/catalog, all pages.",
            "Need title, author, price from https://shelf.test/catalog asap",
            "Please could you fetch title and author and price for every book on https://shelf.test/catalog",
            "I want to get the title, the author and the price of each book from https://shelf.test/catalog",
            "Would it be possible to export title, author and price for all the books at https://shelf.test/catalog to a spreadsheet?",
            "https://shelf.test/catalog — I need each book's title, author and price",
            "Show me the title, author and price of every book listed at https://shelf.test/catalog.",
            "Hi there! I'm building a price tracker. Could you help me scrape https://shelf.test/catalog? I need the title, author and price of each book.",
            "Gather title, author, price (every book) from https://shelf.test/catalog",
            "Collecting the title, author and price of each book from https://shelf.test/catalog would be great",
            "Would you kindly retrieve, for every book at https://shelf.test/catalog, the title, author and price?",
            "My boss wants a sheet of everything on https://shelf.test/catalog, just the title, author and price of each book, nothing more.",
            "Give me a CSV of title, author and price for each book on https://shelf.test/catalog",
            "Can you tell me the title, author and price of every book on https://shelf.test/catalog?",
            "I'm interested in the title, author and price of the books at https://shelf.test/catalog",
            "Track title, author and price on https://shelf.test/catalog daily",
            "From https://shelf.test/catalog I need:\n- title\n- author\n- price",
            "https://shelf.test/catalog\n1. title\n2. author\n3. price",
            "Help me scrape https://shelf.test/catalog — I'm after the title, author and price of each book.",
            "We need data on title, author and price for all books at https://shelf.test/catalog",
            "Extract from https://shelf.test/catalog the title, author and price.",
            "On https://shelf.test/catalog, what are the title, author and price of each book?",
            "Grab the following from https://shelf.test/catalog: title, author, price",
            "Could you please build me an agent which pulls title, author and price off https://shelf.test/catalog?",
        ];
        for phrasing in books {
            assert_eq!(fields(phrasing), ["title", "author", "price"], "{phrasing}");
        }
        let jobs = [
            "Get the job title, company name and salary of every posting on https://jobs.test/search",
            "I'm looking for the job title, company name and salary for each job at https://jobs.test/search",
            "job title / company name / salary — https://jobs.test/search",
            "Could you scrape https://jobs.test/search for job title, company name and salary?",
            "From https://jobs.test/search I'd like job title, company name, and salary for all postings.",
            "Pls grab job title, company name, salary from each listing on https://jobs.test/search",
        ];
        for phrasing in jobs {
            assert_eq!(
                fields(phrasing),
                ["job_title", "company_name", "salary"],
                "{phrasing}"
            );
        }
    }

    #[test]
    fn verbs_are_dropped_in_french_spanish_and_german() {
        for (phrasing, expected) in [
            (
                "Obtenir le titre et le prix de chaque livre sur https://x.test/",
                ["titre", "prix"],
            ),
            (
                "Peux-tu extraire le titre et le prix de chaque livre sur https://x.test/ ?",
                ["titre", "prix"],
            ),
            (
                "Sácame el nombre y el precio de cada libro en https://x.test/",
                ["nombre", "precio"],
            ),
            (
                "¿Podrías sacarme el nombre y el precio de los libros de https://x.test/?",
                ["nombre", "precio"],
            ),
            (
                "¿Me puedes traer el título y el precio de todos los libros de https://x.test/?",
                ["título", "precio"],
            ),
            (
                "Hol mir den Autor und den Preis von jedem Buch auf https://x.test/",
                ["autor", "preis"],
            ),
            (
                "Ich möchte den Autor und den Preis aller Bücher auf https://x.test/",
                ["autor", "preis"],
            ),
        ] {
            assert_eq!(fields(phrasing), expected, "{phrasing}");
        }
        let r = parse("Hol mir den Preis von jedem Buch auf https://x.test/, nur die erste Seite")
            .unwrap();
        assert_eq!(r.fields, ["preis"]);
        assert_eq!(r.record_noun.as_deref(), Some("buch"));
        assert_eq!(r.max_pages, Some(1));
    }

    #[test]
    fn multi_word_names_keep_the_users_words_without_articles() {
        assert_eq!(
            fields("get the number of stars and the owner name of each repo on https://git.test/"),
            ["number_of_stars", "owner_name"]
        );
        assert_eq!(
            fields(
                "Could you pull the date of publication, the word count and the reading time from https://blog.test/"
            ),
            ["date_of_publication", "word_count", "reading_time"]
        );
    }

    #[test]
    fn the_records_are_named_by_the_head_of_their_phrase() {
        let noun = |p: &str| parse(p).unwrap().record_noun;
        assert_eq!(
            noun("get the price of every used car on https://cars.test/").as_deref(),
            Some("car")
        );
        assert_eq!(
            noun("le prix de chaque voiture disponible sur https://cars.test/").as_deref(),
            Some("voiture")
        );
        assert_eq!(
            noun("get every product name and price from https://x.test/").as_deref(),
            Some("product")
        );
        // "every <records> with its ...": a list that names no name or title gets the records.
        assert_eq!(
            fields(
                "Using https://api.test/ref, list every config key with its type and default value"
            ),
            ["key", "type", "default_value"]
        );
        assert_eq!(
            fields("show all cities with their population and area, from https://geo.test/cities"),
            ["city", "population", "area"]
        );
        assert_eq!(
            fields("list every film with its title and year on https://films.test/"),
            ["title", "year"],
            "a title tells the records apart"
        );
        assert_eq!(
            fields("get the price and size of every flat with a balcony on https://flats.test/"),
            ["price", "size"],
            "a list elsewhere is not the records' list"
        );
    }

    #[test]
    fn the_reading_is_said_in_one_sentence() {
        assert_eq!(
            read_back(
                "Would you mind scraping the name and price of each lamp on https://lamps.test/?"
            )
            .as_deref(),
            Some("Fields asked for: name, price, from https://lamps.test/.")
        );
        let none = read_back("Build an agent for https://lamps.test/ please").unwrap();
        assert!(
            none.starts_with("I found no list of fields in the request"),
            "{none}"
        );
        assert_eq!(read_back("get the prices from the lamp shop"), None);
    }

    /// "how many X each Y has" names a count of X, and the list before ", from <url>" is read.
    #[test]
    fn how_many_names_a_count_and_the_clause_after_it_only_says_whose() {
        let r = parse(
            "I need the product title, price and how many reviews each product has, from https://x.test/p -- only the first 2 pages",
        )
        .unwrap();
        assert_eq!(r.fields, ["product_title", "price", "number_of_reviews"]);
        assert_eq!(r.record_noun.as_deref(), Some("product"));
        assert_eq!(r.max_pages, Some(2));
        assert_eq!(
            fields("get the name and how many seats every room has on https://rooms.test/"),
            ["name", "number_of_seats"]
        );
    }

    /// Field words written without commas are one field each; multi-word names stay whole.
    #[test]
    fn run_on_field_words_are_split_into_fields() {
        assert_eq!(
            fields("https://x.test/p title price weight sku"),
            ["title", "price", "weight", "sku"]
        );
        assert_eq!(
            fields("get product name release date rating from https://x.test/"),
            ["product_name", "release_date", "rating"]
        );
        assert_eq!(
            fields("get the number of stars from https://git.test/"),
            ["number_of_stars"]
        );
        assert_eq!(
            fields("get the date of publication and author from https://blog.test/"),
            ["date_of_publication", "author"]
        );
    }
}
