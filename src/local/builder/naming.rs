//! Naming a built agent after the site and the user's own words ("Books Galore books"), never
//! after the page title, which names one page ("Page 1 of 3") rather than what the agent reads.

use scraper::{Html, Selector};

/// The site's name: `og:site_name`, else the site part of the title, the one after the page's
/// own ("Gadgets | Gizmo Store", "All products | Books to Scrape - Sandbox"), never a page
/// fragment ("Page 2", "Updated 2024"), else the host without `www.`. None when only a bare
/// address (an IP address, `localhost`) is left, which names no site.
pub fn site_name(doc: &Html, url: &url::Url) -> Option<String> {
    let declared =
        Selector::parse(r#"meta[property="og:site_name"], meta[name="application-name"]"#)
            .ok()
            .and_then(|s| doc.select(&s).next())
            .and_then(|m| m.value().attr("content"))
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty() && c.chars().count() <= 40);
    let from_title = || {
        let title = super::analysis::page_title(doc);
        let parts: Vec<&str> = title
            .split(['|', '–', '—', '·'])
            .flat_map(|p| p.split(" - "))
            .map(str::trim)
            .filter(|p| !p.is_empty() && p.chars().count() <= 40)
            .collect();
        let rest = parts.get(1..).unwrap_or_default();
        rest.iter()
            .find(|p| !p.chars().any(|c| c.is_ascii_digit()))
            .or_else(|| rest.iter().find(|p| !names_a_page(p)))
            .map(|p| p.to_string())
    };
    declared.or_else(from_title).or_else(|| {
        let host = url.host_str()?;
        let bare = matches!(url.host(), Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)))
            || host == "localhost";
        (!bare).then(|| host.strip_prefix("www.").unwrap_or(host).to_string())
    })
}

/// A title part that names one page of a list rather than the site.
fn names_a_page(part: &str) -> bool {
    let lower = part.to_lowercase();
    [
        "page",
        "página",
        "seite",
        "updated",
        "results",
        "résultats",
        "resultados",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The agent's name in the user's words: "Gizmo Store gadgets" from the records they named,
/// "Gizmo Store title and price" from the fields when they named no records, else from what
/// the page calls its records ("Gizmo Store products"), else "records". Without a site name
/// the user's words stand alone: "Gadgets with name and price".
pub fn agent_name(
    site: Option<&str>,
    asked_noun: Option<&str>,
    fields: &[String],
    page_noun: Option<&str>,
) -> String {
    let words: Vec<String> = fields.iter().take(3).map(|f| f.replace('_', " ")).collect();
    let listed = match words.as_slice() {
        [] => None,
        [only] => Some(only.clone()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    };
    let page_noun = page_noun.filter(|n| reads_as_word(n));
    let what = match (asked_noun, &listed, page_noun) {
        (Some(noun), _, _) => plural(noun),
        (None, Some(listed), _) => listed.clone(),
        (None, None, Some(noun)) => plural(noun),
        (None, None, None) => "records".to_string(),
    };
    match (site, asked_noun, listed) {
        (Some(site), _, _) => format!("{site} {what}"),
        (None, Some(_), Some(listed)) => capitalised(&format!("{what} with {listed}")),
        (None, _, _) => capitalised(&what),
    }
}

/// "10 products", "1 product", "6 rows": how many records one page gave, called by the
/// user's noun or the page's when that is a word, else "record" ("row" for table rows), so
/// the narration never says "10 tbls" or "1 products".
pub fn counted_records(count: usize, noun: Option<&str>, table_rows: bool) -> String {
    let fallback = if table_rows { "row" } else { "record" };
    let noun = noun.filter(|n| reads_as_word(n)).unwrap_or(fallback);
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {}", plural(noun))
    }
}

/// Whether a record selector's last step selects table rows (`table.quotes tr`,
/// `tbody > tr.item`), whose records read best as "rows".
pub fn selects_table_rows(selector: &str) -> bool {
    let last = selector
        .trim()
        .rsplit([' ', '>'])
        .next()
        .unwrap_or_default();
    last == "tr" || ["tr.", "tr:", "tr["].iter().any(|p| last.starts_with(p))
}

/// Class fragments that look like words but are abbreviations ("col", "nav").
const ABBREVIATIONS: &[&str] = &[
    "col", "nav", "div", "pos", "msg", "cnt", "idx", "obj", "ctx", "val", "var", "wrap", "elem",
    "prod", "desc", "info", "cont", "pic",
];

/// Whether a record noun taken from markup reads as a word rather than a class fragment
/// ("tbl", "evt", "itm"): letters only, a vowel, no run of four consonants, and three-letter
/// nouns only consonant-vowel-consonant ("job", "car"), which abbreviations rarely are.
pub fn reads_as_word(noun: &str) -> bool {
    let is_vowel = |c: char| "aeiouyàâéèêëîïôùûüáíóú".contains(c);
    let chars: Vec<char> = noun.chars().collect();
    let mut consonant_run = 0;
    let mut longest_run = 0;
    for &c in &chars {
        consonant_run = if is_vowel(c) { 0 } else { consonant_run + 1 };
        longest_run = longest_run.max(consonant_run);
    }
    let three_ok =
        chars.len() != 3 || (!is_vowel(chars[0]) && is_vowel(chars[1]) && !is_vowel(chars[2]));
    chars.len() >= 3
        && chars.iter().all(|c| c.is_alphabetic())
        && chars.iter().any(|&c| is_vowel(c))
        && longest_run < 4
        && three_ok
        && !ABBREVIATIONS.contains(&noun)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// English plurals; French and Spanish nouns take an `s` the same way.
pub fn plural(noun: &str) -> String {
    if let Some(stem) = noun
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        format!("{stem}ies")
    } else if noun.ends_with('s')
        || noun.ends_with('x')
        || noun.ends_with("ch")
        || noun.ends_with("sh")
    {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(html: &str) -> Option<String> {
        site_name(
            &Html::parse_document(html),
            &url::Url::parse("http://www.news.test/").unwrap(),
        )
    }

    #[test]
    fn the_site_comes_from_its_declared_name_the_title_or_the_host() {
        assert_eq!(
            site(
                r#"<meta property="og:site_name" content="Daily Planet"><title>Page 1 of 3 titles</title>"#
            )
            .as_deref(),
            Some("Daily Planet")
        );
        assert_eq!(
            site("<title>Products, page 1 of 5 | Demo Shop</title>").as_deref(),
            Some("Demo Shop")
        );
        assert_eq!(
            site("<title>Page 1 of 3 titles</title>").as_deref(),
            Some("news.test")
        );
        assert_eq!(
            site("<title>Cheap flights to Oslo - Page 2 - Updated 2031 - Fjordfly</title>")
                .as_deref(),
            Some("Fjordfly"),
            "page fragments are not the site"
        );
        assert_eq!(
            site("<title>Tea - Page 2</title>").as_deref(),
            Some("news.test")
        );
        let bare = |host: &str| {
            site_name(
                &Html::parse_document("<title>Teas: page 1</title>"),
                &url::Url::parse(host).unwrap(),
            )
        };
        assert_eq!(bare("http://127.0.0.1:8080/teas"), None);
        assert_eq!(bare("http://localhost/teas"), None);
    }

    #[test]
    fn agents_are_named_after_the_site_and_the_users_words() {
        let fields = ["title".to_string(), "release_date".to_string()];
        assert_eq!(
            agent_name(Some("Demo Shop"), Some("product"), &fields, Some("card")),
            "Demo Shop products"
        );
        assert_eq!(
            agent_name(Some("news.test"), Some("story"), &[], None),
            "news.test stories"
        );
        assert_eq!(
            agent_name(Some("Films"), None, &fields, Some("film")),
            "Films title and release date"
        );
        assert_eq!(
            agent_name(Some("Films"), None, &[], Some("film")),
            "Films films"
        );
        assert_eq!(agent_name(Some("Films"), None, &[], None), "Films records");
        assert_eq!(
            agent_name(None, Some("teapot"), &fields, Some("card")),
            "Teapots with title and release date"
        );
        assert_eq!(
            agent_name(None, None, &fields, None),
            "Title and release date"
        );
        assert_eq!(agent_name(None, None, &[], Some("card")), "Cards");
    }

    /// The count and the noun agree, and class fragments give way to "records"/"rows".
    #[test]
    fn records_are_counted_in_words_that_agree_with_the_count() {
        assert_eq!(counted_records(1, Some("product"), false), "1 product");
        assert_eq!(counted_records(8, Some("product"), false), "8 products");
        assert_eq!(counted_records(10, Some("tbl"), true), "10 rows");
        assert_eq!(counted_records(6, Some("evt"), false), "6 records");
        assert_eq!(counted_records(1, Some("itm"), false), "1 record");
        assert_eq!(counted_records(5, Some("job"), false), "5 jobs");
        assert_eq!(counted_records(3, None, false), "3 records");
        assert!(selects_table_rows("table.tbl > tbody > tr"));
        assert!(!selects_table_rows("div.str"));
        assert_eq!(
            agent_name(Some("Shop"), None, &[], Some("evt")),
            "Shop records"
        );
    }
}
