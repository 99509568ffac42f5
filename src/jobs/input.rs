//! What a run waiting for input asks, in neutral terms: a platform whose runs pause for an
//! interaction (Deck: an account choice, an MFA code) describes it here, and an MCP task shows it
//! to the client as `input_required` (see `mcp::tasks`). Platforms without interactions keep the
//! `Platform` defaults and their runs never ask.

use serde_json::{Map, Value};

/// One pending interaction of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingInput {
    /// What the run needs, for people (untrusted platform text).
    pub message: String,
    pub fields: Vec<InputField>,
    /// Changes whenever the platform asks again (a re-prompt after a wrong code), so each
    /// prompt gets its own key and an answer to an old one is never applied to a new one.
    pub revision: String,
}

impl PendingInput {
    /// Some field is a secret (a password, an MFA code): it must never be asked for in a form.
    pub fn asks_for_secret(&self) -> bool {
        self.fields.iter().any(|f| f.secret)
    }
}

/// One value an interaction asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct InputField {
    pub name: String,
    /// Label for people; the name when absent.
    pub label: Option<String>,
    /// The only values accepted (an account list); any text when empty.
    pub choices: Vec<String>,
    pub secret: bool,
}

/// The answer to a pending interaction: one value per field name.
pub type InputAnswer = Map<String, Value>;
