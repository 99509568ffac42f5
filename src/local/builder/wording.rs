//! The words of requests, in English, French and Spanish: the verbs that introduce a field
//! list, the words that end it, the politeness and determiners around field names, and a
//! small typo corrector for these words. Kept apart from the parsing so that a language is
//! added by adding words, not code.

/// Verbs (and verb phrases) after which the field list follows: "get me the title and ...".
pub const LIST_VERBS: &[&str] = &[
    // English
    "extract",
    "get",
    "pull",
    "scrape",
    "collect",
    "grab",
    "fetch",
    "list",
    "capture",
    "find",
    "gather",
    "download",
    "export",
    "read",
    "give",
    "show",
    "return",
    "want",
    "need",
    "crawl",
    "retrieve",
    "obtain",
    // French
    "extrais",
    "extraire",
    "extrayez",
    "récupère",
    "récupérer",
    "récupérez",
    "donne",
    "donnez",
    "liste",
    "listez",
    "collecte",
    "collectez",
    "veux",
    // Spanish
    "extrae",
    "extraer",
    "extraiga",
    "obtén",
    "obtener",
    "obtenga",
    "saca",
    "sacar",
    "recoge",
    "recopila",
    "dame",
    "quiero",
    "lista",
    "necesito",
];

/// Markers after which the field list follows, whatever comes before.
pub const LIST_MARKERS: &[&str] = &[
    "fields:",
    "columns:",
    "field:",
    "column:",
    "fields ",
    "columns ",
    "champs :",
    "champs:",
    "colonnes :",
    "colonnes:",
    "campos:",
    "campos :",
    "columnas:",
];

/// Where a field list ends: the sentence moves on to the records, the place or the limits.
/// Each is matched with a space (or the start) before it.
pub const LIST_ENDS: &[&str] = &[
    // English
    "from ",
    "of every ",
    "of each ",
    "of all ",
    "of the ",
    "of my ",
    "of our ",
    "of your ",
    "of these ",
    "of those ",
    "for ",
    "on ",
    "at ",
    "in ",
    "off ",
    "listed ",
    "across ",
    "using ",
    "into ",
    "as ",
    "but ",
    "only ",
    "up to ",
    "<url>",
    // French
    "de chaque ",
    "de tous ",
    "de toutes ",
    "pour chaque ",
    "sur ",
    "depuis ",
    "à partir ",
    "dans ",
    "des ",
    "du ",
    "seulement ",
    "jusqu'à ",
    // Spanish
    "de cada ",
    "de todos ",
    "de todas ",
    "para cada ",
    "de los ",
    "de las ",
    "desde ",
    "en ",
    "solo ",
    "sólo ",
    "hasta ",
];

/// Words that separate the items of a field list (besides commas).
pub const CONJUNCTIONS: &[&str] = &["and", "&", "plus", "et", "y", "e"];

/// Words around a field name that are not part of it: politeness, pronouns, determiners and
/// quantifiers. Removed from the start and the end of each list item.
pub const STRAY: &[&str] = &[
    // English
    "me",
    "us",
    "please",
    "pls",
    "kindly",
    "can",
    "could",
    "would",
    "you",
    "i",
    "we",
    "want",
    "need",
    "like",
    "to",
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "each",
    "every",
    "all",
    "also",
    "just",
    "only",
    "some",
    "any",
    "both",
    "of",
    "for",
    "with",
    "and",
    "thanks",
    "thank",
    "there",
    "here",
    "this",
    "that",
    "these",
    "those",
    "site",
    "website",
    "what",
    "which",
    "are",
    "is",
    "go",
    "then",
    "how",
    "about", // French
    "moi",
    "nous",
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "des",
    "du",
    "de",
    "d",
    "chaque",
    "tous",
    "toutes",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "merci",
    "stp",
    "svp",
    "plait",
    "plaît",
    "s",
    "il",
    "vous",
    "je",
    "voudrais",
    "voudrait",
    "aimerais",
    "souhaite",
    "souhaiterais",
    "peux",
    "pourriez",
    "pourrais",
    "bonjour", // Spanish
    "el",
    "los",
    "las",
    "lo",
    "uno",
    "una",
    "del",
    "cada",
    "todos",
    "todas",
    "su",
    "sus",
    "por",
    "favor",
    "gracias",
    "mí",
    "quisiera",
    "querría",
    "gustaría",
    "hola",
    "puedes",
    "podrías",
    "hi",
    "hello",
    "hey",
];

/// Quantifiers in front of the record noun: "every book", "chaque livre", "cada libro".
pub const QUANTIFIERS: &[&str] = &[
    "every", "each", "all", "chaque", "tous", "toutes", "cada", "todos", "todas",
];

/// Requests for every field the page offers rather than a list.
pub const EVERYTHING: &[&str] = &[
    "everything",
    "all fields",
    "all the fields",
    "all data",
    "all the data",
    "all details",
    "all the details",
    "all info",
    "all information",
    "all columns",
    "all the columns",
    "every field",
    "tous les champs",
    "toutes les données",
    "tout",
    "todos los campos",
    "todos los datos",
    "todo",
];

/// Words of a request a typo may have damaged and that matter for reading it: verbs,
/// quantifiers and the usual field words. A damaged field word is corrected so that it
/// names the field the user meant.
const KNOWN: &[&str] = &[
    "extract",
    "scrape",
    "collect",
    "every",
    "price",
    "prices",
    "title",
    "titles",
    "author",
    "authors",
    "rating",
    "ratings",
    "description",
    "category",
    "name",
    "names",
    "image",
    "images",
    "links",
    "address",
    "release",
    "review",
    "reviews",
    "published",
    "summary",
    "pages",
    "first",
    // Right in French or Spanish, though one letter from an English word.
    "autor",
    "autores",
    "titre",
    "titres",
    "prix",
    "precio",
    "precios",
    "fecha",
    "fechas",
];

/// A word with one letter swapped with its neighbour, replaced, dropped or doubled, made
/// right again when exactly one known word is that close. Short words, a first letter that
/// differs and a plural `s` are left alone: those are other real words ("games", "stocks").
pub fn correct_typo(word: &str) -> String {
    if word.chars().count() < 5 || KNOWN.contains(&word) {
        return word.to_string();
    }
    let close: Vec<&&str> = KNOWN
        .iter()
        .filter(|k| {
            k.chars().next() == word.chars().next()
                && word.strip_suffix('s') != Some(**k)
                && k.strip_suffix('s') != Some(word)
                && one_edit_apart(word, k)
        })
        .collect();
    match close.as_slice() {
        [only] => only.to_string(),
        _ => word.to_string(),
    }
}

/// One substitution, insertion, deletion or swap of neighbours turns `a` into `b`.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ra, rb) = (a.len() - prefix - suffix, b.len() - prefix - suffix);
    match (ra, rb) {
        (1, 1) | (1, 0) | (0, 1) => true,
        (2, 2) => a[prefix] == b[prefix + 1] && a[prefix + 1] == b[prefix],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_of_known_words_are_corrected_and_other_words_kept() {
        assert_eq!(correct_typo("pirce"), "price");
        assert_eq!(correct_typo("titel"), "title");
        assert_eq!(correct_typo("evrey"), "every");
        assert_eq!(correct_typo("autor"), "autor");
        assert_eq!(correct_typo("games"), "games");
        assert_eq!(correct_typo("stocks"), "stocks");
        assert_eq!(correct_typo("price"), "price");
        assert_eq!(correct_typo("beds"), "beds");
        assert_eq!(correct_typo("running"), "running");
    }
}
