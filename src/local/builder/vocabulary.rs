//! What field names mean: synonyms, the shape of their values, and the words that mark page
//! clutter (ads, navigation) rather than data.

/// What a value looks like, to recognise a field by its content when no name gives it away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Title,
    Price,
    Date,
    Link,
    Image,
    Rating,
    Code,
    Number,
    /// A count, with or without its unit word: "228,512", "1.2k replies", "3 bd".
    Count,
    /// "6h 30m", "35 mins", "1:45".
    Duration,
    Phone,
    Email,
    /// A name of a person or an organisation: a few words, not initials, not a quantity.
    Person,
    /// A sentence or more: a description, a summary, a review's text.
    Prose,
    Text,
}

/// A kind of field: its usual name, the words that mean it and its shape.
pub struct Concept {
    pub canonical: &'static str,
    pub words: &'static [&'static str],
    pub shape: Shape,
}

const CONCEPTS: &[Concept] = &[
    Concept {
        canonical: "name",
        words: &[
            "name", "title", "heading", "headline", "nom", "nombre", "titre", "título", "titulo",
            "titel",
        ],
        shape: Shape::Title,
    },
    Concept {
        canonical: "title",
        words: &[
            "title",
            "headline",
            "heading",
            "name",
            "subject",
            "titre",
            "título",
            "titulo",
            "puesto",
            "intitulé",
            "poste",
            "titel",
            "überschrift",
        ],
        shape: Shape::Title,
    },
    Concept {
        canonical: "price",
        words: &[
            "price", "cost", "amount", "fee", "pricing", "last", "close", "prix", "tarif",
            "precio", "coste", "preis", "kosten", "importe",
        ],
        shape: Shape::Price,
    },
    Concept {
        canonical: "sku",
        words: &[
            "sku",
            "code",
            "item_number",
            "product_code",
            "part_number",
            "model",
            "mpn",
        ],
        shape: Shape::Code,
    },
    Concept {
        canonical: "rating",
        words: &[
            "rating",
            "star",
            "score",
            "review",
            "rate",
            "rated",
            "note",
            "valoración",
            "puntuación",
            "calificación",
            "bewertung",
            "sterne",
            "étoile",
            "estrella",
        ],
        shape: Shape::Rating,
    },
    Concept {
        canonical: "link",
        words: &[
            "link",
            "url",
            "href",
            "permalink",
            "detail",
            "lien",
            "enlace",
        ],
        shape: Shape::Link,
    },
    Concept {
        canonical: "image",
        words: &[
            "image",
            "img",
            "picture",
            "photo",
            "thumbnail",
            "thumb",
            "pic",
            "imagen",
            "bild",
            "foto",
        ],
        shape: Shape::Image,
    },
    Concept {
        canonical: "date",
        words: &[
            "date",
            "published",
            "time",
            "when",
            "posted",
            "updated",
            "day",
            "fecha",
            "publié",
            "publicado",
            "datum",
            "veröffentlicht",
        ],
        shape: Shape::Date,
    },
    Concept {
        canonical: "author",
        words: &[
            "author",
            "by",
            "writer",
            "byline",
            "creator",
            "auteur",
            "autor",
            "verfasser",
            "poster",
            "reviewer",
            "user",
            "username",
        ],
        shape: Shape::Person,
    },
    Concept {
        canonical: "description",
        words: &[
            "description",
            "summary",
            "excerpt",
            "teaser",
            "abstract",
            "blurb",
            "desc",
            "résumé",
            "descripción",
            "resumen",
            "definition",
            "meaning",
            "text",
            "beschreibung",
            "zusammenfassung",
            "body",
            "content",
        ],
        shape: Shape::Prose,
    },
    Concept {
        canonical: "stock",
        words: &[
            "stock",
            "availability",
            "available",
            "inventory",
            "disponibilité",
            "disponibilidad",
            "verfügbarkeit",
        ],
        shape: Shape::Text,
    },
    Concept {
        canonical: "symbol",
        words: &["symbol", "ticker"],
        shape: Shape::Code,
    },
    Concept {
        canonical: "change",
        words: &["change", "delta", "diff", "chg"],
        shape: Shape::Number,
    },
    Concept {
        canonical: "volume",
        words: &["volume", "vol"],
        shape: Shape::Number,
    },
    Concept {
        canonical: "isbn",
        words: &["isbn"],
        shape: Shape::Code,
    },
    Concept {
        canonical: "company",
        words: &[
            "company",
            "employer",
            "organization",
            "organisation",
            "hiring",
            "firm",
            "empresa",
            "entreprise",
            "société",
            "firma",
            "unternehmen",
            "arbeitgeber",
        ],
        shape: Shape::Text,
    },
    Concept {
        canonical: "location",
        words: &[
            "location",
            "venue",
            "place",
            "city",
            "locality",
            "where",
            "lieu",
            "ville",
            "ubicación",
            "ubicacion",
            "ciudad",
            "lugar",
            "ort",
            "standort",
            "stadt",
        ],
        shape: Shape::Text,
    },
    Concept {
        canonical: "salary",
        words: &[
            "salary",
            "pay",
            "wage",
            "compensation",
            "salaire",
            "salario",
            "sueldo",
            "gehalt",
            "lohn",
        ],
        shape: Shape::Text,
    },
    Concept {
        canonical: "bedroom",
        words: &[
            "bedroom",
            "bed",
            "bd",
            "bdr",
            "br",
            "chambre",
            "habitación",
            "habitacione",
            "dormitorio",
            "zimmer",
            "schlafzimmer",
        ],
        shape: Shape::Count,
    },
    Concept {
        canonical: "bathroom",
        words: &["bathroom", "bath", "ba", "salle", "baño", "badezimmer"],
        shape: Shape::Count,
    },
    Concept {
        canonical: "area",
        words: &[
            "area",
            "sqft",
            "sq",
            "ft",
            "feet",
            "square",
            "size",
            "m2",
            "surface",
            "superficie",
            "fläche",
            "wohnfläche",
        ],
        shape: Shape::Text,
    },
    Concept {
        canonical: "calorie",
        words: &["calorie", "kcal", "cal", "energy", "calorías", "kalorien"],
        shape: Shape::Count,
    },
    Concept {
        canonical: "duration",
        words: &[
            "duration",
            "length",
            "runtime",
            "min",
            "minute",
            "hour",
            "hr",
            "durée",
            "duración",
            "dauer",
        ],
        shape: Shape::Duration,
    },
    Concept {
        canonical: "category",
        words: &[
            "category",
            "tag",
            "section",
            "genre",
            "topic",
            "catégorie",
            "categoría",
            "kategorie",
            "rubrik",
            "étiquette",
            "etiqueta",
            "chip",
            "badge",
            "label",
            "cat",
        ],
        shape: Shape::Text,
    },
    Concept {
        canonical: "brand",
        words: &[
            "brand",
            "manufacturer",
            "maker",
            "make",
            "marque",
            "fabricant",
            "marca",
            "fabricante",
            "marke",
            "hersteller",
        ],
        shape: Shape::Person,
    },
    Concept {
        canonical: "seller",
        words: &[
            "seller",
            "vendor",
            "merchant",
            "retailer",
            "dealer",
            "sold",
            "store",
            "shop",
            "vendeur",
            "vendu",
            "vendedor",
            "vendedore",
            "vendido",
            "tienda",
            "verkäufer",
            "verkauft",
            "händler",
        ],
        shape: Shape::Person,
    },
    Concept {
        canonical: "instructor",
        words: &[
            "instructor",
            "teacher",
            "tutor",
            "lecturer",
            "professor",
            "trainer",
            "coach",
            "educator",
            "host",
            "speaker",
            "presenter",
            "person",
            "formateur",
            "enseignant",
            "professeur",
            "profesor",
            "docente",
            "lehrer",
            "dozent",
        ],
        shape: Shape::Person,
    },
    Concept {
        canonical: "phone",
        words: &[
            "phone",
            "telephone",
            "tel",
            "mobile",
            "téléphone",
            "teléfono",
            "telefono",
            "telefon",
        ],
        shape: Shape::Phone,
    },
    Concept {
        canonical: "email",
        words: &["email", "mail", "courriel", "correo"],
        shape: Shape::Email,
    },
    Concept {
        canonical: "address",
        words: &[
            "address",
            "street",
            "addr",
            "adresse",
            "dirección",
            "direccion",
            "domicilio",
            "anschrift",
        ],
        shape: Shape::Text,
    },
    Concept {
        canonical: "comment",
        words: &[
            "comment",
            "reply",
            "response",
            "answer",
            "discussion",
            "commentaire",
            "réponse",
            "comentario",
            "respuesta",
            "kommentar",
            "antwort",
        ],
        shape: Shape::Count,
    },
    Concept {
        canonical: "point",
        words: &[
            "point", "vote", "upvote", "karma", "like", "punto", "voto", "punkt",
        ],
        shape: Shape::Count,
    },
    Concept {
        canonical: "view",
        words: &[
            "view", "visit", "hit", "vue", "visite", "visita", "vista", "aufruf",
        ],
        shape: Shape::Count,
    },
    Concept {
        canonical: "count",
        words: &[
            "count", "number", "total", "num", "nb", "nombre", "numero", "número", "anzahl",
        ],
        shape: Shape::Count,
    },
    Concept {
        canonical: "percent",
        words: &[
            "percent",
            "percentage",
            "pct",
            "pourcentage",
            "porcentaje",
            "prozent",
        ],
        shape: Shape::Number,
    },
    Concept {
        canonical: "language",
        words: &[
            "language", "lang", "langue", "idioma", "lenguaje", "sprache",
        ],
        shape: Shape::Text,
    },
];

/// Head words that only say "the value's name": in "company name" the modifier says what it is.
const NAME_HEADS: &[&str] = &["name", "title", "nom", "nombre", "titre", "titel"];

/// Counted things: "total reviews" is a count of them, not a rating.
const COUNTABLE: &[&str] = &[
    "review", "comment", "reply", "vote", "view", "rating", "like", "follower", "download", "sale",
    "order", "answer", "star", "fork", "member", "item", "result",
];

/// The concept a requested field name stands for: by its name first, then by a synonym.
pub fn concept_for(field: &str) -> Option<&'static Concept> {
    // The user's words stay as written ("prices"); the concept is that of the singular.
    let single = field.split('_').map(singular).collect::<Vec<_>>().join("_");
    let words: Vec<&str> = single.split('_').filter(|w| !w.is_empty()).collect();
    let by_name = |name: &str| CONCEPTS.iter().find(|c| c.canonical == name);
    if words.len() >= 2 {
        let (first, last) = (words[0], words[words.len() - 1]);
        let exact = CONCEPTS
            .iter()
            .any(|c| c.canonical == single || c.words.contains(&single.as_str()));
        // "number of reviews", "review count", "total comments": a count of things.
        let counted = matches!(
            first,
            "number" | "num" | "nb" | "nombre" | "número" | "numero" | "anzahl"
        ) && !matches!(last, "phone" | "tel" | "telephone")
            || last == "count"
            || (first == "total" && COUNTABLE.contains(&last));
        if counted && !exact {
            return by_name("count");
        }
        // "total time", "cooking time": how long, not when.
        if last == "time"
            && matches!(
                first,
                "total"
                    | "cook"
                    | "cooking"
                    | "prep"
                    | "preparation"
                    | "reading"
                    | "read"
                    | "run"
                    | "running"
                    | "travel"
                    | "bake"
                    | "baking"
                    | "wait"
                    | "play"
            )
        {
            return by_name("duration");
        }
        // "company name", "seller name", "phone number": the modifier's concept, when it has
        // one of its own.
        if (NAME_HEADS.contains(&last) || matches!(last, "number" | "no" | "nr")) && !exact {
            let modifier = words[..words.len() - 1].join("_");
            if let Some(c) = CONCEPTS
                .iter()
                .find(|c| c.canonical == modifier || c.words.contains(&modifier.as_str()))
                .filter(|c| !matches!(c.shape, Shape::Title))
            {
                return Some(c);
            }
        }
    }
    [field, single.as_str()].into_iter().find_map(|name| {
        let last = name.rsplit('_').next().unwrap_or(name);
        CONCEPTS
            .iter()
            .find(|c| c.canonical == name)
            .or_else(|| CONCEPTS.iter().find(|c| c.words.contains(&name)))
            // "publication_date" -> date, "last_price" -> price: the last word decides.
            .or_else(|| CONCEPTS.iter().find(|c| c.canonical == last))
            .or_else(|| CONCEPTS.iter().find(|c| c.words.contains(&last)))
    })
}

/// Words that stand for one another inside longer field names ("last post time" meets
/// `latest-date`, "cooking time" meets "25 min"), beyond the concepts' synonyms.
const RELATED: &[&[&str]] = &[
    &["last", "latest", "recent", "newest", "updated"],
    &["time", "duration", "min", "minute", "hour", "hr"],
    &["comment", "reply", "replie", "response"],
    &[
        "reviewer", "author", "user", "customer", "consumer", "buyer", "member", "profile",
    ],
    &["instructor", "teacher", "person", "user", "profile"],
    &["percent", "percentage", "pct"],
    &["star", "rating"],
    &["number", "count", "total"],
];

/// Words of a field name that carry no meaning of their own ("number of comments").
const FILLERS: &[&str] = &[
    "of", "the", "a", "de", "del", "la", "le", "les", "du", "des", "el", "los", "las", "der",
    "die", "das", "von",
];

/// The meaningful words of a field name, singular: "number_of_comments" -> [number, comment].
pub fn own_words(field: &str) -> Vec<String> {
    field
        .split('_')
        .filter(|w| !w.is_empty() && !FILLERS.contains(w))
        .map(singular)
        .collect()
}

/// Words that may stand for `word`: its concept's synonyms and related words.
fn related(word: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    if let Some(c) = concept_for(word) {
        out.extend(c.words.iter().copied());
        out.push(c.canonical);
    }
    for group in RELATED {
        if group.contains(&word) {
            out.extend(group.iter().copied());
        }
    }
    out
}

/// How well `words` (a slot's label, a JSON-LD path, a column header) name `field`, 0..=3:
/// each of the field's own words found counts fully, one found through a synonym counts
/// less, and a synonym of the whole field adds a little. 0 means nothing names it.
pub fn name_score(field: &str, words: &[String]) -> f64 {
    let own = own_words(field);
    if own.is_empty() {
        return 0.0;
    }
    let has = |w: &str| words.iter().any(|x| x == w);
    let found: f64 = own
        .iter()
        .map(|w| {
            // A markup word that starts with the field's word (`dateline`, `titleline`).
            let prefixed = w.len() >= 4 && words.iter().any(|x| x.starts_with(w.as_str()));
            if has(w) {
                1.0
            } else if prefixed || related(w).iter().any(|r| has(r)) {
                0.6
            } else {
                0.0
            }
        })
        .sum();
    let mut score = 3.0 * found / own.len() as f64;
    if found < own.len() as f64
        && concept_for(field).is_some_and(|c| has(c.canonical) || c.words.iter().any(|w| has(w)))
    {
        score += 0.5;
    }
    score.min(3.0)
}

/// The unit word written after the numbers of `values` when most share one ("412 points",
/// "3 bds", "450 kcal" -> point, bd, kcal): the values' own label.
pub fn unit_word(values: &[&String]) -> Option<String> {
    let units: Vec<String> = values
        .iter()
        .filter_map(|v| {
            let t = v.trim();
            let start = t.find(|c: char| c.is_ascii_digit())?;
            let after = t[start..].trim_start_matches(|c: char| {
                c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}')
            });
            // "1.2k replies": the multiplier is part of the number, the word after it the unit.
            let after = match after.strip_prefix(['k', 'K', 'm', 'M', '+']) {
                Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => {
                    rest.trim_start()
                }
                _ => after,
            };
            let word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
            // "412 points", not a sentence that happens to start with a number.
            let short = t.split_whitespace().count() <= 4;
            (short && !word.is_empty() && word.chars().count() <= 12).then(|| singular(&word))
        })
        .collect();
    let first = units.first()?;
    (units.len() * 5 >= values.len() * 3 && units.iter().all(|u| u == first)).then(|| first.clone())
}

/// A word that is a field name of its own ("title", "price"), never a part of one.
pub fn is_field_word(word: &str) -> bool {
    CONCEPTS.iter().any(|c| c.canonical == word)
}

/// A word people use as a field's whole name: a concept's usual name or one of its words,
/// or a common attribute the concepts do not cover ("weight", "colour"). Reads run-on lists
/// ("title price weight sku"), where any word of another kind means the words are one name.
pub fn is_known_field_word(word: &str) -> bool {
    const ATTRIBUTES: &[&str] = &[
        "weight",
        "size",
        "color",
        "colour",
        "year",
        "status",
        "type",
        "quantity",
        "rank",
        "score",
        "url",
        "genre",
        "format",
        "height",
        "width",
        "length",
        "material",
        "condition",
        "tags",
        "tag",
        "votes",
        "reviews",
        "stars",
        "summary",
        "id",
    ];
    let single = singular(word);
    ATTRIBUTES.contains(&word)
        || CONCEPTS
            .iter()
            .any(|c| c.canonical == single || c.words.contains(&single.as_str()))
}

/// "prices" -> "price", "categories" -> "category"; words ending in -ss, -us, -is stay. Used on
/// markup words and record nouns, never on the user's field names.
pub fn singular(word: &str) -> String {
    let w = word.to_lowercase();
    if w.len() <= 3 || w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") || w == "news" {
        return w;
    }
    // Nouns whose singular ends in -ie ("calories" -> "calorie"), and -ies words that stay.
    if matches!(w.as_str(), "series" | "species") {
        return w;
    }
    if let Some(stem) = w.strip_suffix("ies") {
        let ie = [
            "calor", "mov", "cook", "p", "t", "zomb", "rook", "hood", "brown", "smooth", "self",
            "goal",
        ];
        return if ie.contains(&stem) {
            format!("{stem}ie")
        } else {
            format!("{stem}y")
        };
    }
    if let Some(stem) = w.strip_suffix("ches").or_else(|| w.strip_suffix("shes")) {
        return format!("{stem}{}", &w[stem.len()..stem.len() + 2]);
    }
    // "addresses" -> "address", "boxes" -> "box".
    if w.ends_with("sses") || w.ends_with("xes") {
        return w[..w.len() - 2].to_string();
    }
    w.strip_suffix('s').map_or(w.clone(), str::to_string)
}

/// Splits markup names into lowercase singular words: `product-price` -> [product, price],
/// `datePublished` -> [date, published], `sku_code` -> [sku, code].
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            word.extend(c.to_lowercase());
        } else {
            prev_lower = false;
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            // "Change %": the sign is the word.
            if c == '%' {
                out.push("percent".to_string());
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out.into_iter().map(|w| singular(&w)).collect()
}

/// A field name made from free text: "Last Price" -> "last_price".
pub fn snake(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(4)
        .map(|w| w.to_lowercase())
        .collect();
    words.join("_")
}

/// Class or id words of advertisements, sponsored content and promotions.
const AD_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "advertising",
    "sponsor",
    "sponsored",
    "promo",
    "promotion",
    "promoted",
    "banner",
];
/// Class or id words of page furniture that is never the data.
const FURNITURE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "cookie",
    "breadcrumb",
    "pagination",
    "pager",
    "sidebar",
    "social",
    "share",
    "skip",
];

pub fn is_ad_word(word: &str) -> bool {
    AD_WORDS.contains(&word)
}

pub fn is_furniture_word(word: &str) -> bool {
    FURNITURE_WORDS.contains(&word) || is_ad_word(word)
}

/// Does `text` look like a value of `shape`?
pub fn has_shape(text: &str, shape: Shape) -> bool {
    let t = text.trim();
    match shape {
        Shape::Price => looks_like_price(t),
        Shape::Date => looks_like_date(t),
        Shape::Rating => looks_like_rating(t),
        Shape::Code => looks_like_code(t),
        Shape::Number => looks_like_number(t),
        Shape::Count => looks_like_count(t),
        Shape::Duration => looks_like_duration(t),
        Shape::Phone => looks_like_phone(t),
        Shape::Email => looks_like_email(t),
        Shape::Person => looks_like_person(t),
        // A sentence, not a dated byline ("Posted on May 1, 2024 by Sam").
        Shape::Prose => {
            t.split_whitespace().count() >= 4 && t.chars().count() >= 20 && !looks_like_date(t)
        }
        Shape::Title => {
            (2..=200).contains(&t.chars().count())
                && t.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !looks_like_price(t)
                && !looks_like_date(t)
                && !looks_like_count(t)
                && !looks_like_duration(t)
                && !looks_like_initials(t)
        }
        // Links and images are recognised by their element, not their text.
        Shape::Link | Shape::Image => false,
        Shape::Text => !t.is_empty(),
    }
}

fn looks_like_price(t: &str) -> bool {
    if t.chars().count() > 30 || !t.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let currency = t.contains(['$', '€', '£', '¥', '₹'])
        || ["usd", "eur", "gbp", "chf", "jpy"]
            .iter()
            .any(|c| t.to_lowercase().contains(c));
    let decimal = t.rsplit_once(['.', ',']).is_some_and(|(int, frac)| {
        frac.len() == 2
            && frac.chars().all(|c| c.is_ascii_digit())
            && int.chars().last().is_some_and(|c| c.is_ascii_digit())
    });
    currency
        || (decimal
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ')))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn looks_like_date(t: &str) -> bool {
    if t.chars().count() > 40 || !t.chars().any(|c| c.is_ascii_digit()) {
        return t.ends_with(" ago")
            || t.eq_ignore_ascii_case("yesterday")
            || t.eq_ignore_ascii_case("today");
    }
    let bytes = t.as_bytes();
    let iso = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-';
    let slashed = {
        let parts: Vec<&str> = t.split('/').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
    };
    let lower = t.to_lowercase();
    let month = tokens(&lower)
        .iter()
        .any(|w| MONTHS.iter().any(|m| w.starts_with(m) && w.len() <= 9));
    iso || slashed || month || lower.ends_with(" ago")
}

fn looks_like_rating(t: &str) -> bool {
    if t.chars().count() > 30 {
        return false;
    }
    if t.contains('★') || t.contains('☆') {
        return true;
    }
    let lower = t.to_lowercase();
    let first = lower
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find(|w| !w.is_empty());
    let Some(value) = first.and_then(|w| w.parse::<f64>().ok()) else {
        return false;
    };
    let out_of = lower.contains("/ 5")
        || lower.contains("/5")
        || lower.contains("out of")
        || lower.contains("star");
    (0.0..=5.0).contains(&value) && (out_of || (lower.contains('.') && lower.len() <= 4))
}

fn looks_like_code(t: &str) -> bool {
    let n = t.chars().count();
    (2..=32).contains(&n)
        && !t.contains(char::is_whitespace)
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && (t.chars().any(|c| c.is_ascii_digit())
            || t.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()))
        && !looks_like_number(t)
}

fn looks_like_number(t: &str) -> bool {
    let cleaned: String = t
        .chars()
        .filter(|c| !matches!(c, '+' | '-' | '%' | ',' | ' ' | '−'))
        .collect();
    !cleaned.is_empty() && cleaned.parse::<f64>().is_ok()
}

/// A name ("by Ada Lovelace", "Maria Lopez", "kpatel", "Lumen & Co."): a few words, no
/// sentence, no quantity, and not the initials an avatar shows in place of a photo.
fn looks_like_person(t: &str) -> bool {
    let t = t
        .strip_prefix("by ")
        .or_else(|| t.strip_prefix("By "))
        .unwrap_or(t);
    let words = t.split_whitespace().count();
    (1..=5).contains(&words)
        && (2..=60).contains(&t.chars().count())
        && t.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !looks_like_initials(t)
        && !looks_like_count(t)
        && !looks_like_price(t)
        && !looks_like_date(t)
        && !looks_like_duration(t)
}

/// "JW", "A.K.": the letters an avatar shows instead of a photo, never a name or title.
fn looks_like_initials(t: &str) -> bool {
    let letters: Vec<char> = t.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    (1..=3).contains(&letters.len()) && letters.iter().all(|c| c.is_uppercase())
}

/// The number at the start of `t`, with its grouping and a k/M multiplier ("1.2k", "228,512",
/// "+14"), and what follows it; None when `t` does not start with one.
fn leading_number(t: &str) -> Option<&str> {
    let t = t.trim_start_matches(['(', '+', '-', '−', '~']);
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '\u{a0}' | '\u{202f}')))
        .unwrap_or(t.len());
    if !t[..end].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let rest = &t[end..];
    Some(match rest.strip_prefix(['k', 'K', 'M', 'm', 'B', '+']) {
        Some(after) if after.is_empty() || after.starts_with([' ', ')']) => after,
        _ => rest,
    })
}

/// A count, bare or with a short unit: "228,512", "1.2k replies", "(1,024 reviews)", "3 bd".
fn looks_like_count(t: &str) -> bool {
    let Some(rest) = leading_number(t) else {
        return false;
    };
    let rest = rest.trim().trim_end_matches(')').trim();
    let words: Vec<&str> = rest.split_whitespace().collect();
    words.len() <= 2
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphabetic() || c == '.') && w.chars().count() <= 12)
        && !looks_like_duration(t)
        && !t.ends_with(" ago")
}

/// Units of time, as pages abbreviate them.
const TIME_UNITS: &[&str] = &[
    "h", "hr", "hrs", "hour", "hours", "m", "min", "mins", "minute", "minutes", "s", "sec", "secs",
    "second", "seconds", "d", "day", "days", "wk", "week", "weeks", "std", "heure", "heures",
    "hora", "horas", "minuto", "minutos", "stunde", "stunden",
];

/// "6h 30m", "35 mins", "1 hr 5 mins", "1:45", "8 min read": numbers each followed by a unit
/// of time, perhaps with one word saying what the time is for ("read", "left", "long"; not
/// "ago", which makes it a date).
fn looks_like_duration(t: &str) -> bool {
    let t = t.trim();
    bare_duration(t)
        || trailing_word(t).is_some_and(|(rest, word)| word != "ago" && bare_duration(rest))
}

/// `t` split before its last word when that word is letters only: ("8 min", "read").
fn trailing_word(t: &str) -> Option<(&str, String)> {
    let (rest, word) = t.rsplit_once(char::is_whitespace)?;
    (word.chars().count() >= 3 && word.chars().all(char::is_alphabetic))
        .then(|| (rest.trim_end(), word.to_lowercase()))
}

/// A duration written with numbers and units alone: "6h 30m", "1:45".
fn bare_duration(t: &str) -> bool {
    if t.chars().count() > 24 {
        return false;
    }
    if let Some((h, m)) = t.split_once(':') {
        return !h.is_empty()
            && h.len() <= 2
            && h.chars().all(|c| c.is_ascii_digit())
            && m.len() == 2
            && m.chars().all(|c| c.is_ascii_digit());
    }
    // Split "6h30m" into numbers and letters.
    let mut parts: Vec<(bool, String)> = Vec::new();
    for c in t.chars() {
        if c.is_whitespace() {
            continue;
        }
        let digit = c.is_ascii_digit() || c == '.';
        match parts.last_mut() {
            Some((d, s)) if *d == digit => s.push(c),
            _ => parts.push((digit, c.to_string())),
        }
    }
    parts.len() >= 2
        && parts.len().is_multiple_of(2)
        && parts.chunks(2).all(|pair| {
            pair[0].0 && !pair[1].0 && TIME_UNITS.contains(&pair[1].1.to_lowercase().as_str())
        })
}

fn looks_like_phone(t: &str) -> bool {
    let digits = t.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && t.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '+' | '-' | '.' | '\u{a0}')
        })
        && !looks_like_date(t)
}

fn looks_like_email(t: &str) -> bool {
    let t = t.strip_prefix("mailto:").unwrap_or(t);
    t.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !t.contains(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_recognise_typical_values() {
        assert!(has_shape("$19.99", Shape::Price));
        assert!(has_shape("1,299.00", Shape::Price));
        assert!(has_shape("€ 5", Shape::Price));
        assert!(!has_shape("2024", Shape::Price));
        assert!(has_shape("2024-03-01", Shape::Date));
        assert!(has_shape("March 3, 2024", Shape::Date));
        assert!(has_shape("3 days ago", Shape::Date));
        assert!(!has_shape("Compact Mug", Shape::Date));
        assert!(has_shape("4.5 / 5", Shape::Rating));
        assert!(has_shape("★★★★☆", Shape::Rating));
        assert!(!has_shape("$4.50", Shape::Rating));
        assert!(has_shape("DS-1007", Shape::Code));
        assert!(has_shape("AAPL", Shape::Code));
        assert!(!has_shape("Compact Mug", Shape::Code));
        assert!(has_shape("by Ada Lovelace", Shape::Person));
        assert!(has_shape("-1.25%", Shape::Number));
    }

    #[test]
    fn shapes_tell_counts_durations_contacts_and_names() {
        for count in [
            "228,512",
            "1.2k replies",
            "(1,024 reviews)",
            "3 bd",
            "12 comments",
        ] {
            assert!(has_shape(count, Shape::Count), "{count}");
        }
        for not_count in ["35 mins", "4.7 out of 5 stars", "3 days ago", "$12"] {
            assert!(!has_shape(not_count, Shape::Count), "{not_count}");
        }
        for duration in [
            "6h 30m",
            "35 mins",
            "1 hr 5 mins",
            "1:45",
            "2 Std",
            "8 min read",
        ] {
            assert!(has_shape(duration, Shape::Duration), "{duration}");
        }
        assert!(!has_shape("8 lessons", Shape::Duration));
        assert!(has_shape("(512) 555-0134", Shape::Phone));
        assert!(has_shape("+49 30 1234567", Shape::Phone));
        assert!(!has_shape("2024-05-01", Shape::Phone));
        assert!(has_shape("desk@example.org", Shape::Email));
        assert!(has_shape("Maria Lopez", Shape::Person));
        assert!(has_shape("kpatel", Shape::Person));
        assert!(!has_shape("JW", Shape::Person));
        assert!(!has_shape("JW", Shape::Title));
        assert!(!has_shape("450 kcal", Shape::Title));
        assert!(has_shape(
            "Fits in a jacket pocket and weighs nothing.",
            Shape::Prose
        ));
        assert!(!has_shape("facebook /", Shape::Prose));
    }

    #[test]
    fn multi_word_fields_take_the_concept_that_decides_them() {
        let canonical = |f: &str| concept_for(f).map(|c| c.canonical);
        assert_eq!(canonical("company_name"), Some("company"));
        assert_eq!(canonical("seller_name"), Some("seller"));
        assert_eq!(canonical("product_name"), Some("name"));
        assert_eq!(canonical("number_of_reviews"), Some("count"));
        assert_eq!(canonical("review_count"), Some("count"));
        assert_eq!(canonical("total_comments"), Some("count"));
        assert_eq!(canonical("phone_number"), Some("phone"));
        assert_eq!(canonical("total_time"), Some("duration"));
        assert_eq!(canonical("cooking_time"), Some("duration"));
        assert_eq!(canonical("posted_time"), Some("date"));
        // French, Spanish and German words.
        assert_eq!(canonical("marque"), Some("brand"));
        assert_eq!(canonical("vendedor"), Some("seller"));
        assert_eq!(canonical("preis"), Some("price"));
        assert_eq!(canonical("bewertung"), Some("rating"));
        assert_eq!(canonical("téléphone"), Some("phone"));
    }

    #[test]
    fn percent_signs_and_multipliers_read_as_words() {
        assert_eq!(tokens("Change %"), ["change", "percent"]);
        let w = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(
            name_score("percent_change", &tokens("Chg %"))
                > name_score("percent_change", &w(&["chg"]))
        );
        let v = ["1.2k replies".to_string(), "348 replies".to_string()];
        assert_eq!(
            unit_word(&v.iter().collect::<Vec<_>>()).as_deref(),
            Some("reply")
        );
    }

    #[test]
    fn markup_names_split_into_singular_words() {
        assert_eq!(tokens("product-prices"), ["product", "price"]);
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("calories"), "calorie");
        assert_eq!(singular("categories"), "category");
        assert_eq!(tokens("datePublished"), ["date", "published"]);
        assert_eq!(snake("Last  Price (USD)"), "last_price_usd");
        assert_eq!(concept_for("cost").unwrap().canonical, "price");
        assert_eq!(concept_for("publication_date").unwrap().canonical, "date");
    }

    #[test]
    fn names_score_by_own_words_then_synonyms() {
        let w = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(name_score("title", &w(&["title"])), 3.0);
        let latest = name_score("last_post_time", &w(&["latest", "date", "time"]));
        let first = name_score("last_post_time", &w(&["date", "time"]));
        assert!(latest > first && first > 0.0, "{latest} {first}");
        assert!(name_score("bedrooms", &w(&["bd"])) > 0.0);
        assert!(name_score("square_feet", &w(&["sqft"])) > 0.0);
        assert_eq!(name_score("points", &w(&["comment"])), 0.0);
        let v = ["412 points".to_string(), "98 points".to_string()];
        assert_eq!(
            unit_word(&v.iter().collect::<Vec<_>>()).as_deref(),
            Some("point")
        );
    }
}
