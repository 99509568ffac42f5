//! Finding the web address in a request. People paste full URLs, but just as often type
//! `books.example.com/list` or `127.0.0.1:8080/shop` without a scheme, first or last in the
//! sentence; both must work, while "e.g." or "books.html" must not pass for an address.

/// File endings that make a dotted word a file name rather than a host without a path.
const FILE_ENDINGS: &[&str] = &[
    "html", "htm", "php", "asp", "aspx", "jsp", "json", "csv", "xml", "txt", "pdf", "jpg", "jpeg",
    "png", "gif", "svg", "js", "css",
];

/// Stands for the address in the request text once it is taken out, so that a field list
/// ends where the address stood.
pub const URL_MARK: &str = "<url>";

/// The first address in `prompt` (a scheme-less one gets `http://`) and the prompt with the
/// address replaced by [`URL_MARK`].
pub fn find_url(prompt: &str) -> Option<(url::Url, String)> {
    let mut offset = 0;
    for word in prompt.split_inclusive(char::is_whitespace) {
        let start = offset;
        offset += word.len();
        let trimmed = word
            .trim_end()
            .trim_start_matches(['(', '[', '<', '"', '\'', '`']);
        let lead = word.trim_end().len() - trimmed.len();
        let candidate = trimmed.trim_end_matches([
            '.', ',', ';', ':', '!', '?', ')', ']', '}', '>', '\'', '"', '`',
        ]);
        if let Some(url) = parse_address(candidate) {
            let at = start + lead;
            let rest = format!(
                "{} {URL_MARK} {}",
                &prompt[..at],
                &prompt[at + candidate.len()..]
            );
            return Some((url, rest));
        }
    }
    None
}

fn parse_address(candidate: &str) -> Option<url::Url> {
    let lower = candidate.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return url::Url::parse(candidate)
            .ok()
            .filter(|u| u.host_str().is_some_and(|h| !h.is_empty()));
    }
    if lower.contains("://") || lower.contains('@') {
        return None;
    }
    let host_end = candidate.find(['/', '?', '#']).unwrap_or(candidate.len());
    let (host, port) = match candidate[..host_end].rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => (h, Some(p)),
        Some(_) => return None,
        None => (&candidate[..host_end], None),
    };
    let labels: Vec<&str> = host.split('.').collect();
    let well_formed = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
        });
    if !well_formed {
        return None;
    }
    let last = labels[labels.len() - 1].to_ascii_lowercase();
    let ipv4 = labels.len() == 4 && labels.iter().all(|l| l.parse::<u8>().is_ok());
    let top_level = last.len() >= 2 && last.chars().all(|c| c.is_ascii_alphabetic());
    let bare_file =
        FILE_ENDINGS.contains(&last.as_str()) && port.is_none() && host_end == candidate.len();
    if !(ipv4 || host == "localhost" || top_level) || bare_file {
        return None;
    }
    url::Url::parse(&format!("http://{candidate}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(prompt: &str) -> Option<String> {
        find_url(prompt).map(|(u, _)| u.to_string())
    }

    #[test]
    fn full_and_scheme_less_addresses_anywhere_in_the_sentence() {
        assert_eq!(
            found("Get prices from https://x.test/a?b=1.").as_deref(),
            Some("https://x.test/a?b=1")
        );
        assert_eq!(
            found("books.example.com/catalogue: title, price").as_deref(),
            Some("http://books.example.com/catalogue")
        );
        assert_eq!(
            found("scrape (127.0.0.1:8080/shop) please").as_deref(),
            Some("http://127.0.0.1:8080/shop")
        );
        let (_, rest) = find_url("titles from www.site.org, thanks").unwrap();
        assert_eq!(rest, "titles from  <url> , thanks");
    }

    #[test]
    fn dotted_words_that_are_not_addresses_are_ignored() {
        assert_eq!(found("e.g. the price of books.html"), None);
        assert_eq!(found("version 3.5 of the list"), None);
        assert_eq!(found("mail me at a@b.com"), None);
        assert_eq!(found("see http:// nothing"), None);
    }
}
