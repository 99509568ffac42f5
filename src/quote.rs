//! Quoting untrusted input in an error: short, and with control characters escaped, so a
//! 66,000-character argument or a line break cannot swamp or forge the message. A leaf module:
//! the tools, the platforms and the schedule rules quote the same way.

/// At most 40 characters of untrusted input, for quoting in an error.
pub fn excerpt(value: &str) -> String {
    const KEEP: usize = 40;
    let mut cut: String = value.chars().take(KEEP).collect();
    if value.chars().count() > KEEP {
        cut.push('…');
    }
    cut.escape_debug().to_string()
}
