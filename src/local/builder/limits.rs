//! How much to read, from the request: a page limit ("first page only", "the first 3 pages",
//! "all pages") and an item limit ("up to 50 items", "the first 10 books"), in English,
//! French and Spanish, and page limits in German too.

/// Pages read for "all pages"/"every page".
pub const ALL_PAGES: u32 = 100;

/// Words for a page, in English, French, Spanish and German.
pub const PAGE_WORDS: &[&str] = &[
    "page", "pages", "página", "páginas", "pagina", "paginas", "seite", "seiten",
];
/// Words that make a following or preceding page word mean exactly one page.
const ONE_PAGE_WORDS: &[&str] = &[
    "first",
    "single",
    "this",
    "première",
    "premiere",
    "primera",
    "seule",
    "única",
    "unica",
    "erste",
    "ersten",
];
const ALL_WORDS: &[&str] = &["all", "every", "each", "toutes", "todas", "alle", "allen"];
/// Words in front of a number that make it a limit on items ("up to 50", "top 10").
const ITEM_LIMIT_BEFORE: &[&str] = &[
    "to",
    "first",
    "top",
    "max",
    "maximum",
    "most",
    "limit",
    "only",
    "jusqu'à",
    "à",
    "hasta",
    "primeros",
    "primeras",
    "premiers",
    "premières",
    "solo",
    "seulement",
];
/// Words after a number that make it a count of items ("50 items", "20 résultats").
const ITEM_WORDS: &[&str] = &[
    "items",
    "item",
    "results",
    "records",
    "rows",
    "entries",
    "listings",
    "products",
    "books",
    "posts",
    "articles",
    "stories",
    "jobs",
    "résultats",
    "éléments",
    "produits",
    "livres",
    "elementos",
    "resultados",
    "registros",
    "productos",
    "libros",
    "artículos",
];
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("twenty", 20),
    ("fifty", 50),
    ("hundred", 100),
    ("un", 1),
    ("une", 1),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("dix", 10),
    ("uno", 1),
    ("una", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("diez", 10),
    ("zwei", 2),
    ("drei", 3),
    ("zehn", 10),
];

/// The limits a request sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    pub max_pages: Option<u32>,
    pub max_items: Option<u32>,
}

/// Reads the limits from the words of the request (lowercase, the address removed).
pub fn find_limits(words: &[&str], record_noun: Option<&str>) -> Limits {
    let mut limits = Limits::default();
    for (i, word) in words.iter().enumerate() {
        if PAGE_WORDS.contains(word) {
            if limits.max_pages.is_none() {
                limits.max_pages = page_limit(words, i);
            }
            continue;
        }
        let Some(n) = number(word) else { continue };
        let next = words.get(i + 1).copied().unwrap_or("");
        let after_next = words.get(i + 2).copied().unwrap_or("");
        if PAGE_WORDS.contains(&next) || PAGE_WORDS.contains(&after_next) {
            continue;
        }
        let before = i.checked_sub(1).map_or("", |j| words[j]);
        let counts_items = ITEM_WORDS.contains(&next)
            || record_noun.is_some_and(|noun| next.starts_with(noun))
            || ITEM_LIMIT_BEFORE.contains(&before)
            || matches!(next, "premiers" | "premières" | "primeros" | "primeras");
        if counts_items && limits.max_items.is_none() && n > 0 {
            limits.max_items = Some(n);
        }
    }
    limits
}

/// The limit set by the page word at `i`: a number or "first"/"all" in the three words before,
/// or "page 1" / "page one" after it.
fn page_limit(words: &[&str], i: usize) -> Option<u32> {
    let before = &words[i.saturating_sub(3)..i];
    if let Some(n) = before.iter().rev().find_map(|w| number(w)) {
        // "page 2 of 5" names a page, it does not count them; "1 page" and "3 pages" do.
        return Some(n.max(1));
    }
    let next = words.get(i + 1).copied().unwrap_or("");
    if before.last().is_some_and(|w| ONE_PAGE_WORDS.contains(w))
        || matches!(
            next,
            "1" | "one" | "only" | "seulement" | "solo" | "única" | "unica"
        )
    {
        return Some(1);
    }
    if before.iter().any(|w| ALL_WORDS.contains(w))
        && !matches!(words[i], "page" | "página" | "pagina" | "seite")
    {
        return Some(ALL_PAGES);
    }
    if before
        .last()
        .is_some_and(|w| matches!(*w, "every" | "each"))
    {
        return Some(ALL_PAGES);
    }
    None
}

fn number(word: &str) -> Option<u32> {
    word.parse::<u32>().ok().or_else(|| {
        NUMBER_WORDS
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, n)| *n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(text: &str) -> Limits {
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        find_limits(&words, Some("book"))
    }

    #[test]
    fn page_limits_in_three_languages() {
        assert_eq!(limits("first page only").max_pages, Some(1));
        assert_eq!(limits("only the first page").max_pages, Some(1));
        assert_eq!(limits("the first 3 pages").max_pages, Some(3));
        assert_eq!(limits("up to five pages").max_pages, Some(5));
        assert_eq!(limits("all pages").max_pages, Some(ALL_PAGES));
        assert_eq!(limits("every page").max_pages, Some(ALL_PAGES));
        assert_eq!(limits("les 2 premières pages").max_pages, Some(2));
        assert_eq!(limits("la première page seulement").max_pages, Some(1));
        assert_eq!(limits("solo la primera página").max_pages, Some(1));
        assert_eq!(limits("todas las páginas").max_pages, Some(ALL_PAGES));
        assert_eq!(limits("nur die erste seite").max_pages, Some(1));
        assert_eq!(limits("die ersten drei seiten").max_pages, Some(3));
        assert_eq!(limits("alle seiten").max_pages, Some(ALL_PAGES));
        assert_eq!(limits("the title and price").max_pages, None);
    }

    #[test]
    fn item_limits_are_not_page_limits() {
        assert_eq!(limits("up to 50 items").max_items, Some(50));
        assert_eq!(limits("the first 10 books").max_items, Some(10));
        assert_eq!(limits("top 5").max_items, Some(5));
        assert_eq!(limits("hasta 20 productos").max_items, Some(20));
        assert_eq!(limits("les 10 premiers livres").max_items, Some(10));
        let both = limits("the first 3 pages, at most 40 results");
        assert_eq!((both.max_pages, both.max_items), (Some(3), Some(40)));
        assert_eq!(limits("the first 3 pages").max_items, None);
    }
}
