//! Reading the plain-language request the way people write it: the address (with or without a
//! scheme, first or last), the fields in the user's own words, what a record is called, and
//! the page and item limits. English, French and Spanish requests read alike.

use super::address::{URL_MARK, find_url};
use super::limits::{Limits, find_limits};
use super::vocabulary::{is_field_word, singular};
use super::wording::{
    CONJUNCTIONS, EVERYTHING, LIST_ENDS, LIST_MARKERS, LIST_VERBS, QUANTIFIERS, STRAY, correct_typo,
};

/// What the request asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub url: url::Url,
    /// Field names in the order asked: the user's words, lowercase, joined by underscores;
    /// empty when the request names none or asks for everything.
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

pub fn parse(prompt: &str) -> Result<Request, String> {
    let (url, rest) = find_url(prompt).ok_or_else(|| NO_URL.to_string())?;
    let (text, possessor) = normalise(&rest);
    let words = words(&text);
    let record_noun = possessor.or_else(|| find_record_noun(&words));
    let everything = EVERYTHING
        .iter()
        .any(|phrase| format!(" {} ", words.join(" ")).contains(&format!(" {phrase} ")));
    let fields = if everything {
        Vec::new()
    } else {
        find_fields(&text, record_noun.as_deref())
    };
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

/// "every product", "all the books", "chaque livre", "todos los libros" -> the noun, singular.
fn find_record_noun(words: &[&str]) -> Option<String> {
    words.iter().enumerate().find_map(|(i, w)| {
        if !QUANTIFIERS.contains(w) {
            return None;
        }
        let noun = words[i + 1..]
            .iter()
            .find(|n| !matches!(**n, "the" | "les" | "los" | "las" | "of" | "de" | "these"))?;
        let is_noun = noun.chars().count() > 2
            && noun.chars().all(char::is_alphabetic)
            && !STRAY.contains(noun)
            && !LIST_ENDS.iter().any(|e| e.trim() == *noun)
            && !matches!(
                *noun,
                "page" | "pages" | "página" | "páginas" | "field" | "fields" | "columns" | "data"
            );
        is_noun.then(|| singular(noun))
    })
}

/// The field list: after "fields:", after "with", after a verb ("get me ..."), after the
/// address ("<url>: title, price") or at the very start ("Title and price of all books");
/// the first of these that reads as a list of names wins.
fn find_fields(text: &str, noun: Option<&str>) -> Vec<String> {
    let text = format!(" {} ", text.replace(['\n', '\t', '\r'], " "));
    let mut starts: Vec<usize> = Vec::new();
    for marker in LIST_MARKERS {
        starts.extend(text.find(marker).map(|p| p + marker.len()));
    }
    starts.extend(text.find(" with ").map(|p| p + 6));
    let mut verbs: Vec<usize> = LIST_VERBS
        .iter()
        .filter_map(|v| text.find(&format!(" {v} ")).map(|p| p + v.len() + 2))
        .collect();
    verbs.sort_unstable();
    starts.extend(verbs);
    // "<url>: title, price", "<url> -> title, price", "<url> for title and price".
    starts.extend(text.find(URL_MARK).map(|p| p + URL_MARK.len()).filter(|p| {
        let after = text[*p..].trim_start();
        let first = skip_stray(&text[..*p - URL_MARK.len()]).is_empty();
        first || after.starts_with([':', '-', '>', '=', '→']) || after.starts_with("for ")
    }));
    let mut lists: Vec<Vec<String>> = starts
        .into_iter()
        .map(|start| split_list(&cut_list(&text[start..]), noun))
        .filter(|names| !names.is_empty())
        .collect();
    // A list at the very start counts only when it is clearly one: two items or more, or
    // followed by what the records are ("title of every book").
    let (list, ended_by_records) = cut_list_at_start(&text);
    let names = split_list(&list, noun);
    if names.len() >= 2 || (ended_by_records && names.len() == 1) {
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
        if let Some(p) = padded.find(&needle).filter(|p| *p > 0)
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
        let mut words: Vec<&str> = item
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        while words.first().is_some_and(|w| is_stray(w)) {
            words.remove(0);
        }
        while words.last().is_some_and(|w| is_stray(w)) {
            words.pop();
        }
        if words.iter().any(|w| {
            w.chars().all(|c| c.is_ascii_digit())
                || matches!(
                    *w,
                    "page" | "pages" | "página" | "páginas" | "pagina" | "paginas"
                )
        }) {
            continue;
        }
        // "title price rating": three or more field words without commas are three fields.
        let names_each = words.len() >= 3 && words.iter().all(|w| is_field_word(w));
        let items: Vec<Vec<&str>> = if names_each {
            words.iter().map(|w| vec![*w]).collect()
        } else {
            vec![words]
        };
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
}
