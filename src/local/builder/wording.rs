//! The words of requests, in English, French, Spanish and German: the verbs that introduce a
//! field list, the words that end it, the politeness and determiners around field names, and a
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
    "tell",
    "bring",
    "compile",
    "track",
    "monitor",
    "harvest",
    "save",
    "copy",
    "parse",
    "provide",
    "include",
    "interested",
    "pick",
    "look",
    // Wishes that name what is wanted: "I'd like the title", "je voudrais le prix".
    "like",
    "love",
    "voudrais",
    "aimerais",
    "quisiera",
    "gustaría",
    "möchte",
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
    "obtenir",
    "obtiens",
    "obtenez",
    "prends",
    "prendre",
    "trouve",
    "trouver",
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
    "trae",
    "traer",
    "consigue",
    "conseguir",
    "busca",
    "buscar",
    // German
    "hol",
    "hole",
    "holen",
    "gib",
    "extrahiere",
    "extrahieren",
    "sammle",
    "sammeln",
    "zeig",
    "zeige",
    "brauche",
    "finde",
];

/// Words that look like an inflected verb of [`LIST_VERBS`] but are nouns in requests
/// ("every listing on", "the readings").
const NOT_VERBS: &[&str] = &[
    "listing", "listings", "lists", "reading", "readings", "showing", "showings", "findings",
];

/// Small words that belong to the verb before them: "pull out the name", "look up the price",
/// "looking for the salary", "look at <url>", "interested in the price".
pub const PARTICLES: &[&str] = &["out", "up", "down", "for", "at", "in"];

/// Pronouns Spanish writes onto the verb: "sácame", "sacarme", "tráenos".
const CLITICS: &[&str] = &[
    "melos", "melas", "melo", "mela", "me", "nos", "los", "las", "le", "les", "lo", "la",
];

/// Whether `word` (lowercase) is a verb that introduces the field list, as listed in
/// [`LIST_VERBS`] or inflected: "extracts", "scraping", "pulled", "fetches", and Spanish
/// verbs with a pronoun attached ("sacarme", "sácame"). Accents are not required.
pub fn is_list_verb(word: &str) -> bool {
    if NOT_VERBS.contains(&word) {
        return false;
    }
    let folded = fold_accents(word);
    let known = |w: &str| w.len() >= 2 && LIST_VERBS.iter().any(|v| fold_accents(v) == w);
    let mut forms = vec![folded.clone()];
    for ending in ["s", "es", "ing", "ed"] {
        if let Some(stem) = folded.strip_suffix(ending).filter(|s| s.len() >= 3) {
            forms.push(stem.to_string());
            // "scraping" -> "scrape", "getting" -> "get".
            forms.push(format!("{stem}e"));
            let mut chars = stem.chars();
            if let (Some(last), Some(before)) = (chars.next_back(), chars.next_back())
                && last == before
            {
                forms.push(stem[..stem.len() - last.len_utf8()].to_string());
            }
        }
    }
    for clitic in CLITICS {
        if let Some(stem) = folded.strip_suffix(clitic).filter(|s| s.len() >= 3) {
            forms.push(stem.to_string());
        }
    }
    forms.iter().any(|f| known(f))
}

/// `word` with the accents of French, Spanish and German letters removed.
pub fn fold_accents(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

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
    "to each ",
    "to every ",
    "to all ",
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
    // German
    "von ",
    "für ",
    "auf ",
    "aus ",
    "bei ",
    "jedes ",
    "jeder ",
    "jedem ",
    "jeden ",
    "aller ",
    "allen ",
];

/// Words that separate the items of a field list (besides commas).
pub const CONJUNCTIONS: &[&str] = &["and", "&", "plus", "et", "y", "e", "und"];

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
    "about",
    "after",
    "regarding",
    "data",
    "on",
    // French
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
    "tu",
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
    // English contractions, split at the apostrophe: "i'm", "we'll", "i've".
    "m",
    "ll",
    "ve",
    "re",
    // German
    "mir",
    "uns",
    "bitte",
    "den",
    "die",
    "das",
    "der",
    "dem",
    "ein",
    "eine",
    "einen",
    "jede",
    "jedes",
    "jeder",
    "jedem",
    "jeden",
    "alle",
    "allen",
    "ich",
    "möchte",
    "gern",
    "gerne",
    "hallo",
    "danke",
    "kannst",
];

/// Articles, removed inside a multi-word field name as well as around it: "the number of
/// the stars" -> number_of_stars.
pub const ARTICLES: &[&str] = &[
    "the", "a", "an", "le", "la", "les", "l", "el", "los", "las", "der", "die", "das", "den", "dem",
];

/// What the records are gathered into, not a field: "a CSV of title and price", "a list of
/// names", "un tableau des prix".
pub const CONTAINERS: &[&str] = &[
    "list",
    "csv",
    "spreadsheet",
    "sheet",
    "table",
    "excel",
    "json",
    "dataset",
    "file",
    "report",
    "export",
    "liste",
    "tableau",
    "fichier",
    "lista",
    "tabla",
    "hoja",
    "archivo",
    "tabelle",
];

/// Quantifiers in front of the record noun: "every book", "chaque livre", "cada libro".
pub const QUANTIFIERS: &[&str] = &[
    "every", "each", "all", "chaque", "tous", "toutes", "cada", "todos", "todas", "jedes", "jeden",
    "jede", "jeder", "jedem", "alle", "allen",
];

/// Quantifiers of languages that put adjectives after the noun ("chaque livre disponible"):
/// the noun of the record is the first word after them, not the last.
pub const NOUN_FIRST_QUANTIFIERS: &[&str] = &["chaque", "tous", "toutes", "cada", "todos", "todas"];

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
    // Right in French, Spanish or German, though one letter from an English word.
    "autor",
    "autores",
    "titre",
    "titres",
    "prix",
    "precio",
    "precios",
    "fecha",
    "fechas",
    "preis",
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
