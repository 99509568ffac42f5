//! Reading the plain-language request: the address, the fields asked for, how many pages and
//! what a record is called.

/// What the request asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub url: url::Url,
    /// snake_case field names in the order asked; empty when the request names none.
    pub fields: Vec<String>,
    /// Pages to read, when the request says ("first 3 pages", "all pages").
    pub max_pages: Option<u32>,
    /// What one record is, singular ("product", "article"), when the request says.
    pub record_noun: Option<String>,
}

pub const NO_URL: &str = "I could not find a web address in your request. Include the full URL of \
the page to extract from, e.g. https://example.com/products";

/// Pages read for "all pages"/"every page".
const ALL_PAGES: u32 = 100;

pub fn parse(prompt: &str) -> Result<Request, String> {
    let (url, rest) = find_url(prompt).ok_or_else(|| NO_URL.to_string())?;
    let lower = rest.to_lowercase();
    let record_noun = find_record_noun(&lower);
    let fields = find_fields(&lower, record_noun.as_deref());
    // A request like "get all products from URL" names the records, not fields.
    let fields = match (&record_noun, fields.as_slice()) {
        (Some(noun), [only]) if only == noun => Vec::new(),
        _ => fields,
    };
    Ok(Request {
        url,
        fields,
        max_pages: find_max_pages(&lower),
        record_noun,
    })
}

/// The first http(s) URL, trailing punctuation removed, and the prompt without it.
fn find_url(prompt: &str) -> Option<(url::Url, String)> {
    let lower = prompt.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("http").map(|p| p + from) {
        let tail = &prompt[pos..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
            .unwrap_or(tail.len());
        let candidate =
            tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"']);
        if let Ok(url) = url::Url::parse(candidate)
            && matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some()
        {
            let rest = format!("{} {}", &prompt[..pos], &prompt[pos + candidate.len()..]);
            return Some((url, rest));
        }
        from = pos + 4;
    }
    None
}

const LIST_ENDS: [&str; 14] = [
    " from ",
    " of every ",
    " of each ",
    " of all ",
    " for every ",
    " for each ",
    " for all ",
    " on ",
    " at ",
    " in ",
    " off ",
    " listed ",
    ". ",
    " of the ",
];

/// Field names from "fields: a, b", "with a, b and c" or "get/extract a, b and c from".
fn find_fields(lower: &str, noun: Option<&str>) -> Vec<String> {
    let text = format!(" {} ", lower.replace(['\n', '\t'], " "));
    let mut lists = Vec::new();
    for marker in ["fields:", "columns:", "field:", "fields ", "columns "] {
        if let Some(pos) = text.find(marker) {
            lists.push(cut_list(&text[pos + marker.len()..]));
        }
    }
    if let Some(pos) = text.find(" with ") {
        lists.push(cut_list(&text[pos + 6..]));
    }
    for verb in [
        "extract", "get", "pull", "scrape", "collect", "grab", "fetch", "list", "capture", "find",
        "gather", "download", "export", "read",
    ] {
        if let Some(pos) = text.find(&format!(" {verb} ")) {
            lists.push(cut_list(&text[pos + verb.len() + 2..]));
        }
    }
    for list in lists {
        let names = split_list(&list, noun);
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// The list text up to where the sentence moves on ("from", "of every", ...).
fn cut_list(text: &str) -> String {
    let text = format!(" {text}");
    let end = LIST_ENDS
        .iter()
        .filter_map(|e| text.find(e))
        .chain(text.find([':', ';', '(']))
        .min()
        .unwrap_or(text.len());
    text[..end].to_string()
}

const FILLER: [&str; 12] = [
    "the", "a", "an", "its", "their", "each", "every", "all", "and", "also", "plus", "then",
];

/// "the name, price and SKU" -> [name, price, sku]. Items of more than three words are prose,
/// not field names, and void the list.
fn split_list(list: &str, noun: Option<&str>) -> Vec<String> {
    let normalised = list
        .replace(" and ", ",")
        .replace(" & ", ",")
        .replace(" plus ", ",")
        .replace('/', ",");
    let mut names = Vec::new();
    for item in normalised.split(',') {
        let words: Vec<String> = item
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !FILLER.contains(w))
            .map(singular)
            .collect();
        // "product name" -> "name" when "product" is what a record is.
        let words: Vec<String> = match (noun, words.as_slice()) {
            (Some(n), [first, rest @ ..]) if !rest.is_empty() && first == n => rest.to_vec(),
            _ => words,
        };
        match words.len() {
            0 => continue,
            1..=3 => {
                let name = words.join("_");
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            _ => return Vec::new(),
        }
    }
    names
}

/// "prices" -> "price", "categories" -> "category"; words ending in -ss, -us, -is stay.
pub fn singular(word: &str) -> String {
    let w = word.to_lowercase();
    if w.len() <= 3 || w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") || w == "news" {
        return w;
    }
    if let Some(stem) = w.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if let Some(stem) = w.strip_suffix("ches").or_else(|| w.strip_suffix("shes")) {
        return format!("{stem}{}", &w[stem.len()..stem.len() + 2]);
    }
    w.strip_suffix('s').map_or(w.clone(), str::to_string)
}

/// "every product", "each article", "all books" -> the singular noun.
fn find_record_noun(lower: &str) -> Option<String> {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .find_map(|pair| {
            let [quantifier, noun] = pair else {
                return None;
            };
            (matches!(*quantifier, "every" | "each" | "all" | "the")
                && noun.len() > 2
                && !is_function_word(noun))
            .then(|| singular(noun))
            .filter(|n| {
                !matches!(
                    n.as_str(),
                    "page" | "field" | "column" | "name" | "price" | "first"
                )
            })
        })
        .filter(|_| lower.contains("every") || lower.contains("each") || lower.contains("all "))
}

fn is_function_word(word: &str) -> bool {
    matches!(
        word,
        "the" | "of" | "from" | "on" | "in" | "and" | "to" | "with" | "this" | "that" | "these"
    )
}

const NUMBER_WORDS: [&str; 20] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// "first 3 pages", "up to five pages", "2 pages" -> N; "all pages"/"every page" -> many.
fn find_max_pages(lower: &str) -> Option<u32> {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        if matches!(pair[1], "page" | "pages") {
            if let Ok(n) = pair[0].parse::<u32>() {
                return Some(n.max(1));
            }
            if let Some(i) = NUMBER_WORDS.iter().position(|w| *w == pair[0]) {
                return Some(i as u32 + 1);
            }
            if matches!(pair[0], "all" | "every" | "each") {
                return Some(ALL_PAGES);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_url_fields_noun_and_pages() {
        let r = parse("Get the name, price and SKU of every product from http://127.0.0.1:8080/demo/shop/products.").unwrap();
        assert_eq!(r.url.as_str(), "http://127.0.0.1:8080/demo/shop/products");
        assert_eq!(r.fields, ["name", "price", "sku"]);
        assert_eq!(r.record_noun.as_deref(), Some("product"));
        assert_eq!(r.max_pages, None);

        let r = parse("Scrape books with titles, authors & publication date from https://x.test/b (first three pages)").unwrap();
        assert_eq!(r.fields, ["title", "author", "publication_date"]);
        assert_eq!(r.max_pages, Some(3));

        let r =
            parse("fields: Symbol, Last Price, change. Source: https://x.test/q?a=1, all pages")
                .unwrap();
        assert_eq!(r.url.as_str(), "https://x.test/q?a=1");
        assert_eq!(r.fields, ["symbol", "last_price", "change"]);
        assert_eq!(r.max_pages, Some(ALL_PAGES));
    }

    #[test]
    fn naming_only_the_records_asks_for_automatic_fields() {
        let r = parse("Extract all products from https://x.test/").unwrap();
        assert!(r.fields.is_empty(), "{:?}", r.fields);
        let r = parse("please look at https://x.test/list and tell me what is there").unwrap();
        assert!(r.fields.is_empty());
        let r =
            parse("extract the product name and product price of each product on https://x.test/")
                .unwrap();
        assert_eq!(r.fields, ["name", "price"]);
    }

    #[test]
    fn a_request_without_an_address_is_explained() {
        assert_eq!(parse("get prices from the shop").unwrap_err(), NO_URL);
        assert_eq!(parse("see http:// nothing").unwrap_err(), NO_URL);
    }
}
