//! A small robots.txt parser (RFC 9309): user-agent groups, Allow/Disallow with `*` and `$`,
//! longest match wins, Allow wins ties.

/// The rules that apply to one crawler, taken from one robots.txt.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RobotRules {
    /// (allow, pattern); empty when everything is allowed.
    rules: Vec<(bool, String)>,
}

impl RobotRules {
    /// No robots.txt (4xx): everything is allowed.
    pub fn allow_all() -> Self {
        Self::default()
    }

    /// Parses `text` and keeps the groups for `product_token` (case-insensitive), or the `*`
    /// groups when no group names the token. Several matching groups are merged, as the RFC asks.
    pub fn parse(text: &str, product_token: &str) -> Self {
        let token = product_token.to_ascii_lowercase();
        let mut specific = Vec::new();
        let mut wildcard = Vec::new();
        // The user agents of the group being read, and whether its rules have begun (a
        // user-agent line after a rule starts a new group).
        let mut agents: Vec<String> = Vec::new();
        let mut in_rules = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if in_rules {
                        agents.clear();
                        in_rules = false;
                    }
                    agents.push(value.to_ascii_lowercase());
                }
                "allow" | "disallow" => {
                    in_rules = true;
                    if value.is_empty() {
                        // "Disallow:" with nothing allows everything; it adds no rule.
                        continue;
                    }
                    let rule = (key == "allow", value.to_string());
                    if agents.iter().any(|a| a == &token) {
                        specific.push(rule.clone());
                    }
                    if agents.iter().any(|a| a == "*") {
                        wildcard.push(rule);
                    }
                }
                _ => {}
            }
        }
        let named = text.lines().any(|l| {
            let l = l.split('#').next().unwrap_or("").trim();
            l.split_once(':').is_some_and(|(k, v)| {
                k.trim().eq_ignore_ascii_case("user-agent") && v.trim().eq_ignore_ascii_case(&token)
            })
        });
        Self {
            rules: if named { specific } else { wildcard },
        }
    }

    /// Whether `path` (path plus query, as sent on the request line) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        if path == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if pattern_matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Matches a robots.txt path pattern: a prefix match where `*` is any run of characters and a
/// final `$` anchors the end.
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            pos = part.len();
        } else if i == parts.len() - 1 && anchored {
            // The last piece must sit at the very end, after everything matched so far.
            return path.len() >= pos + part.len() && path.ends_with(part);
        } else {
            match path[pos..].find(part) {
                Some(found) => pos += found + part.len(),
                None => return false,
            }
        }
    }
    !anchored || pos == path.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROBOTS: &str = "\
# comment
User-agent: *
Disallow: /private
Allow: /private/open   # inline comment
Disallow: /*.pdf$

User-agent: otherbot
Disallow: /

User-Agent: Sequentum-MCP
User-agent: friendly
Disallow: /admin
Allow: /admin/help
Disallow:
";

    #[test]
    fn our_own_group_replaces_the_wildcard_group() {
        let rules = RobotRules::parse(ROBOTS, "sequentum-mcp");
        assert!(!rules.allows("/admin/users"));
        assert!(rules.allows("/admin/help/faq"));
        // The `*` group's rules do not apply once a group names us.
        assert!(rules.allows("/private/x"));
        assert!(rules.allows("/file.pdf"));
    }

    #[test]
    fn the_wildcard_group_applies_to_unnamed_crawlers_with_longest_match() {
        let rules = RobotRules::parse(ROBOTS, "somebody");
        assert!(!rules.allows("/private/secret"));
        assert!(
            rules.allows("/private/open/page"),
            "longer Allow beats shorter Disallow"
        );
        assert!(!rules.allows("/docs/file.pdf"));
        assert!(rules.allows("/docs/file.pdf?x=1"), "$ anchors the end");
        assert!(rules.allows("/public"));
    }

    #[test]
    fn allow_wins_a_tie_and_robots_txt_itself_is_always_allowed() {
        let rules = RobotRules::parse("User-agent: *\nDisallow: /a\nAllow: /a\nDisallow: /\n", "x");
        assert!(rules.allows("/a"));
        assert!(!rules.allows("/b"));
        assert!(rules.allows("/robots.txt"));
        assert!(RobotRules::allow_all().allows("/anything"));
    }

    #[test]
    fn wildcards_in_the_middle_match_any_run() {
        assert!(pattern_matches("/shop/*/edit", "/shop/42/edit/now"));
        assert!(!pattern_matches("/shop/*/edit", "/shop/42/view"));
        assert!(pattern_matches("/*?sort=", "/products?sort=price"));
        assert!(pattern_matches("/x$", "/x"));
        assert!(!pattern_matches("/x$", "/xy"));
    }
}
