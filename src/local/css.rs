//! CSS selectors checked with a message in words.
//!
//! scraper's own message for most mistakes is a debug dump of the parser's state ("Unexpected
//! error occurred. Please report this to the developer … BadValueInAttr(…)"), which tells a
//! model or a person nothing they can act on. Here each kind of mistake gets a sentence.

use cssparser::{ToCss, Token};
use scraper::{Selector, error::SelectorErrorKind};
use selectors::parser::SelectorParseErrorKind as Kind;

/// Parses `selector`, or says in words what is wrong with it (without repeating the selector).
pub fn parse(selector: &str) -> Result<Selector, String> {
    Selector::parse(selector).map_err(|e| problem(&e))
}

fn problem(error: &SelectorErrorKind) -> String {
    match error {
        SelectorErrorKind::UnexpectedToken(t) => format!("{} is not expected there", shown(t)),
        SelectorErrorKind::EndOfLine => {
            "it ends too early (an unclosed bracket, parenthesis or quote, or nothing after a combinator)".into()
        }
        SelectorErrorKind::InvalidAtRule(_)
        | SelectorErrorKind::InvalidAtRuleBody
        | SelectorErrorKind::QualRuleInvalid => {
            "it is a style rule, not a selector; give only the part before any {".into()
        }
        SelectorErrorKind::ExpectedColonOnPseudoElement(t)
        | SelectorErrorKind::ExpectedIdentityOnPseudoElement(t) => {
            format!("a pseudo-element needs a name after ::, found {}", shown(t))
        }
        SelectorErrorKind::UnexpectedSelectorParseError(kind) => selector_problem(kind),
    }
}

fn selector_problem(kind: &Kind) -> String {
    match kind {
        Kind::NoQualifiedNameInAttributeSelector(t) | Kind::InvalidQualNameInAttr(t) => format!(
            "an attribute selector needs an attribute name inside [ ], found {}",
            shown(t)
        ),
        Kind::UnexpectedTokenInAttributeSelector(t) | Kind::ExpectedBarInAttr(t) => format!(
            "{} is not expected inside [ ]; write [name], [name=value] or [name*=\"value\"]",
            shown(t)
        ),
        Kind::BadValueInAttr(t) => format!(
            "the attribute value {} must be one word or a quoted string",
            shown(t)
        ),
        Kind::EmptySelector => {
            "it, or one of its comma-separated parts, is empty or starts with something that is not a selector".into()
        }
        Kind::DanglingCombinator => {
            "a combinator (>, +, ~ or a space) has no selector after it".into()
        }
        Kind::PseudoElementExpectedColon(t)
        | Kind::PseudoElementExpectedIdent(t)
        | Kind::NoIdentForPseudo(t) => {
            format!("a pseudo-class needs a name after :, found {}", shown(t))
        }
        Kind::UnsupportedPseudoClassOrElement(name) => {
            format!(":{name} is not a supported pseudo-class")
        }
        Kind::UnexpectedIdent(name) => format!("\"{name}\" is not expected there"),
        Kind::ExpectedNamespace(prefix) => {
            format!("the namespace prefix {prefix}| is not supported; leave it out")
        }
        Kind::ExplicitNamespaceUnexpectedToken(t) => {
            format!("{} is not expected after a namespace bar |", shown(t))
        }
        Kind::ClassNeedsIdent(t) => {
            format!("a class after . needs a name, found {}", shown(t))
        }
        Kind::NonCompoundSelector
        | Kind::NonPseudoElementAfterSlotted
        | Kind::InvalidPseudoElementAfterSlotted
        | Kind::InvalidPseudoElementInsideWhere
        | Kind::InvalidState => {
            "it combines pseudo-classes or pseudo-elements in a way CSS does not allow".into()
        }
    }
}

/// A token as it was written, quoted.
fn shown(token: &Token) -> String {
    match token {
        Token::WhiteSpace(_) => "a space".into(),
        Token::Comma => "a comma".into(),
        other => format!("\"{}\"", other.to_css_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mistake_is_told_in_words_without_the_parsers_dump() {
        for (selector, words) in [
            (
                "a[href=1]",
                "attribute value \"1\" must be one word or a quoted string",
            ),
            ("a[=x]", "needs an attribute name inside [ ], found \"=\""),
            ("div >", "has no selector after it"),
            ("li[", "ends too early"),
            ("a:nosuch", ":nosuch is not a supported pseudo-class"),
            ("a, , b", "is empty"),
            ("a[href=x y]", "\"y\" is not expected there"),
            ("div)", "\")\" is not expected there"),
            ("a[ns|]", "namespace prefix ns|"),
        ] {
            let message = parse(selector).err().unwrap_or_default();
            assert!(message.contains(words), "{selector}: {message}");
            for dump in [
                "Unexpected error",
                "report this",
                "Token",
                "Block",
                "Delim",
                "Ident",
            ] {
                assert!(!message.contains(dump), "{selector}: {message}");
            }
        }
        assert!(parse("ul > li.item a[href]").is_ok());
    }
}
