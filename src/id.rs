//! Ids as each platform spells them: positive integers on Sequentum, prefixed strings on Deck.
//!
//! Tools take and return `Id`s without knowing which platform they serve. The JSON schema of an
//! `Id` is a placeholder that the server replaces with the platform's own id schema when it
//! assembles the catalog (see `mcp::schema`), so a Sequentum client is told "integer" and a Deck
//! client "string".

use std::{borrow::Cow, fmt};

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The key that marks an id in a generated schema, until the platform's schema replaces it.
pub const ID_SCHEMA_MARKER: &str = "x-platform-id";

/// An agent, run, space or file id, as the platform spells it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Id {
    Num(i64),
    Text(String),
}

impl Id {
    /// The integer, for platforms whose ids are integers (after `Platform::check_id`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Id::Num(n) => Some(*n),
            Id::Text(t) => t.trim().parse().ok(),
        }
    }
}

impl From<i64> for Id {
    fn from(n: i64) -> Self {
        Id::Num(n)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id::Text(s.to_string())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Num(n) => write!(f, "{n}"),
            Id::Text(t) => f.write_str(t),
        }
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::Num(n) => s.serialize_i64(*n),
            Id::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => n
                .as_i64()
                .map(Id::Num)
                .ok_or_else(|| serde::de::Error::custom(format!("an id, not the number {n}"))),
            Value::String(s) => Ok(Id::Text(s.trim().to_string())),
            other => Err(serde::de::Error::custom(format!(
                "an id (a number or a string), not {}",
                crate::serde_words::json_kind(&other)
            ))),
        }
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ ID_SCHEMA_MARKER: true })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_numbers_and_strings_and_write_them_back_as_they_came() {
        let n: Id = serde_json::from_str("42").unwrap();
        assert_eq!(n, Id::Num(42));
        assert_eq!(serde_json::to_string(&n).unwrap(), "42");
        let t: Id = serde_json::from_str("\" task_7 \"").unwrap();
        assert_eq!(t, Id::Text("task_7".into()));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"task_7\"");
        assert_eq!(Id::Text("12".into()).as_i64(), Some(12));
        assert!(serde_json::from_str::<Id>("[1]").is_err());
        assert!(serde_json::from_str::<Id>("1.5").is_err());
    }
}
