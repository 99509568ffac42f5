//! Agent definitions as the editor tools pass them: bounded in size, objects only; and a
//! change tried on the agent's start page before it is saved.

use serde_json::{Map, Value};

use super::{
    Id, Platform, ToolFailure,
    failure::{bounded_text, excerpt},
    platform::{DefinitionTest, DefinitionTrial},
};

/// Largest definition (or change) accepted, in bytes of compact JSON: real definitions are a
/// few kilobytes.
pub const MAX_DEFINITION_BYTES: usize = 64 * 1024;

/// Longest page URL accepted.
pub const MAX_URL_CHARS: usize = 2000;

/// A definition argument as JSON, refused when it is larger than any real definition.
pub fn checked_definition(definition: Map<String, Value>) -> Result<Value, ToolFailure> {
    let value = Value::Object(definition);
    let size = value.to_string().len();
    if size > MAX_DEFINITION_BYTES {
        return Err(ToolFailure::invalid(
            format!(
                "definition is {size} bytes of JSON; at most {MAX_DEFINITION_BYTES} are accepted"
            ),
            "Pass only the change (e.g. one field's new selector) rather than a whole page of JSON",
        ));
    }
    Ok(value)
}

/// A page URL argument, trimmed and bounded (the platform checks that it is http(s)).
pub fn checked_url(url: &str) -> Result<String, ToolFailure> {
    Ok(bounded_text("url", url.trim(), MAX_URL_CHARS)?.to_string())
}

/// A change to an agent's definition tried on its start page before it is saved: what the
/// page gives with the current definition and with the change.
pub struct ChangeTest {
    pub before: DefinitionTest,
    pub after: DefinitionTest,
}

impl ChangeTest {
    /// Tries the agent's definition as it is and with `change`, on its (first) start page.
    pub async fn run(
        platform: &dyn Platform,
        agent_id: &Id,
        change: &Value,
    ) -> Result<ChangeTest, ToolFailure> {
        let trial = |definition: Option<Value>| DefinitionTrial {
            agent_id: Some(agent_id.clone()),
            definition,
            url: None,
        };
        let (now, changed) = (trial(None), trial(Some(change.clone())));
        let (before, after) = futures::future::join(
            platform.test_definition(&now),
            platform.test_definition(&changed),
        )
        .await;
        Ok(ChangeTest {
            before: before?,
            after: after?,
        })
    }

    /// Why saving `change` would harm the agent, if it would: it names fields the agent does
    /// not have (a partial change only; a whole definition brings its own), or the start page
    /// would keep no records.
    pub fn objection(&self, change: &Value) -> Option<String> {
        let existing: Vec<&str> = self.before.fields.iter().map(|f| f.name.as_str()).collect();
        let unknown: Vec<&str> = if is_whole(change) {
            Vec::new()
        } else {
            change
                .get("fields")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|f| f.get("name").and_then(Value::as_str))
                .filter(|name| !existing.contains(name))
                .collect()
        };
        if !unknown.is_empty() {
            return Some(format!(
                "the change names {}, which the agent does not have (its fields are {}); to add a field, pass force: true",
                unknown
                    .iter()
                    .map(|n| format!("\"{}\"", excerpt(n)))
                    .collect::<Vec<_>>()
                    .join(", "),
                existing.join(", ")
            ));
        }
        if self.after.records_kept == 0 {
            let why = self
                .after
                .unmatched
                .first()
                .map(|u| format!(": {u}"))
                .unwrap_or_default();
            return Some(format!(
                "with the change the start page {} keeps 0 records ({} before){why}",
                self.after.url, self.before.records_kept
            ));
        }
        None
    }
}

/// Whether a definition argument is whole (it replaces the agent's) rather than a change.
fn is_whole(definition: &Value) -> bool {
    let has = |key| definition.get(key).is_some();
    has("start_urls")
        && has("fields")
        && definition
            .as_object()
            .is_some_and(|d| d.keys().any(|k| crate::local::trial::is_source_key(k)))
}
