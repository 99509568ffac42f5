//! Naming a built agent after the site and the user's own words ("Books Galore books"), never
//! after the page title, which names one page ("Page 1 of 3") rather than what the agent reads.

use scraper::{Html, Selector};

/// The site's name: `og:site_name`, else the site part of the title, the one after the page's
/// own ("Gadgets | Gizmo Store", "All products | Books to Scrape - Sandbox"), else the host
/// without `www.`.
pub fn site_name(doc: &Html, url: &url::Url) -> String {
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
            .filter(|p| !p.is_empty())
            .collect();
        match parts.as_slice() {
            [_, site, ..] if site.chars().count() <= 40 => Some(site.to_string()),
            _ => None,
        }
    };
    declared.or_else(from_title).unwrap_or_else(|| {
        let host = url.host_str().unwrap_or("site");
        host.strip_prefix("www.").unwrap_or(host).to_string()
    })
}

/// The agent's name in the user's words: "Gizmo Store gadgets" from the records they named,
/// "Gizmo Store title and price" from the fields when they named no records, else from what
/// the page calls its records ("Gizmo Store products"), else "records".
pub fn agent_name(
    site: &str,
    asked_noun: Option<&str>,
    fields: &[String],
    page_noun: Option<&str>,
) -> String {
    let words: Vec<String> = fields.iter().take(3).map(|f| f.replace('_', " ")).collect();
    let what = match (asked_noun, words.as_slice(), page_noun) {
        (Some(noun), _, _) => plural(noun),
        (None, [only], _) => only.clone(),
        (None, [init @ .., last], _) => format!("{} and {last}", init.join(", ")),
        (None, [], Some(noun)) => plural(noun),
        (None, [], None) => "records".to_string(),
    };
    format!("{site} {what}")
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

    fn site(html: &str) -> String {
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
            ),
            "Daily Planet"
        );
        assert_eq!(
            site("<title>Products, page 1 of 5 | Demo Shop</title>"),
            "Demo Shop"
        );
        assert_eq!(site("<title>Page 1 of 3 titles</title>"), "news.test");
    }

    #[test]
    fn agents_are_named_after_the_site_and_the_users_words() {
        let fields = ["title".to_string(), "release_date".to_string()];
        assert_eq!(
            agent_name("Demo Shop", Some("product"), &fields, Some("card")),
            "Demo Shop products"
        );
        assert_eq!(
            agent_name("news.test", Some("story"), &[], None),
            "news.test stories"
        );
        assert_eq!(
            agent_name("Films", None, &fields, Some("film")),
            "Films title and release date"
        );
        assert_eq!(agent_name("Films", None, &[], Some("film")), "Films films");
        assert_eq!(agent_name("Films", None, &[], None), "Films records");
    }
}
