//! Deck v2 resources as they travel on the wire, read tolerantly: every field but `id` may be
//! missing, unknown fields are ignored, and `input`/`output` stay any JSON value because an
//! organisation with payload encryption gets `enc_…` strings instead of objects.
//!
//! Credentials are read without their `auth_credentials` summary, so no secret-shaped field is
//! ever held, let alone shown.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One page of a list: `{data, has_more, next_cursor}`.
#[derive(Debug, Deserialize)]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    #[serde(default)]
    pub has_more: bool,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The cursor of the next page, when there is one.
    pub fn next(&self) -> Option<&str> {
        self.next_cursor
            .as_deref()
            .filter(|c| self.has_more && !c.is_empty())
    }
}

/// One element of an `errors` array (an HTTP failure or a failed run).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct WireError {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
}

impl WireError {
    /// "auth/auth_invalid: Login failed (field username)".
    pub fn describe(&self) -> String {
        let mut text = match (&self.kind, &self.code) {
            (Some(kind), Some(code)) => format!("{kind}/{code}"),
            (None, Some(code)) => code.clone(),
            (Some(kind), None) => kind.clone(),
            (None, None) => "error".to_string(),
        };
        if let Some(message) = &self.message {
            text += &format!(": {message}");
        }
        if let Some(field) = &self.field {
            text += &format!(" (field {field})");
        }
        text
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Agent {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Website {
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Source {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub website: Option<Website>,
}

impl Source {
    pub fn url(&self) -> Option<&str> {
        self.website.as_ref()?.url.as_deref()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Task {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub prompt: Option<String>,
    /// learning, test or live.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub agent_id: Option<String>,
    #[serde(default)]
    pub input_schema: Option<Value>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// What a paused run asks for.
#[derive(Debug, Clone, Deserialize)]
pub struct Interaction {
    /// mfa, security_question, account_selection, or a kind this build does not know.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub fields: Vec<InteractionField>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InteractionField {
    pub name: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TaskRun {
    pub id: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub task_id: Option<String>,
    #[serde(default)]
    pub runtime_ms: Option<i64>,
    #[serde(default)]
    pub output: Option<Value>,
    #[serde(default)]
    pub errors: Vec<WireError>,
    #[serde(default)]
    pub interaction: Option<Interaction>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// A stored credential, without its `auth_credentials` summary.
#[derive(Debug, Clone, Deserialize)]
pub struct Credential {
    pub id: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub source_id: Option<String>,
    #[serde(default)]
    pub auth_method: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
}

/// A file a run captured.
#[derive(Debug, Clone, Deserialize)]
pub struct StorageItem {
    pub id: String,
    #[serde(default)]
    pub file_name: Option<String>,
    #[serde(default)]
    pub file_size: Option<i64>,
    #[serde(default)]
    pub url: Option<String>,
}
