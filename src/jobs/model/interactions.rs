//! Runs that pause for a person: the question a paused run asks (an MFA code, a security
//! answer, an account to pick), whether an answer fits it, and the stored logins runs use. Platforms without
//! interactions keep the `Platform` defaults, which report the operation as unsupported.

use serde_json::{Map, Value};

use super::{Id, ToolFailure};

/// What a paused run asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// The platform's kind: mfa, security_question, account_selection, ...
    pub kind: String,
    /// The platform's question (untrusted text).
    pub message: String,
    pub fields: Vec<InteractionField>,
}

/// One value an interaction asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionField {
    /// The key the answer is submitted under.
    pub name: String,
    pub label: String,
    /// A secret (a one-time code, a security answer): asked of the user directly and never
    /// through the model where the client allows it.
    pub secret: bool,
}

impl Interaction {
    /// Any field is a secret.
    pub fn has_secret(&self) -> bool {
        self.fields.iter().any(|f| f.secret)
    }

    /// `code ("Verification code")`, for messages.
    pub fn field_list(&self) -> String {
        self.fields
            .iter()
            .map(|f| format!("{} ({:?})", f.name, f.label))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Checks that `values` answers exactly this interaction's fields, all at once.
    pub fn check_answer(&self, values: &Map<String, Value>) -> Result<(), ToolFailure> {
        let missing: Vec<&str> = self
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .filter(|name| !values.contains_key(*name))
            .collect();
        let unknown: Vec<&str> = values
            .keys()
            .map(String::as_str)
            .filter(|k| !self.fields.iter().any(|f| f.name == *k))
            .collect();
        if missing.is_empty() && unknown.is_empty() {
            return Ok(());
        }
        Err(ToolFailure::invalid(
            format!(
                "The answer does not match the question{}{}",
                if missing.is_empty() {
                    String::new()
                } else {
                    format!("; missing: {}", missing.join(", "))
                },
                if unknown.is_empty() {
                    String::new()
                } else {
                    format!("; not asked for: {}", unknown.join(", "))
                },
            ),
            format!(
                "Pass values with exactly these fields: {}",
                self.field_list()
            ),
        ))
    }
}

/// A stored login a run can use (never its secret).
#[derive(Debug, Clone)]
pub struct CredentialSummary {
    pub id: Id,
    /// The site it logs into.
    pub source_id: Option<Id>,
    /// unverified, verified, invalid, deleted.
    pub status: String,
    pub auth_method: Option<String>,
    /// The caller's own reference for the user it belongs to.
    pub external_id: Option<String>,
}

/// A page of credentials.
#[derive(Debug, Clone, Default)]
pub struct CredentialList {
    pub credentials: Vec<CredentialSummary>,
    /// Where the next page starts, when there is one.
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_answer_must_match_the_fields_asked_for() {
        let q = Interaction {
            kind: "mfa".into(),
            message: "Enter the code".into(),
            fields: vec![InteractionField {
                name: "code".into(),
                label: "Verification code".into(),
                secret: true,
            }],
        };
        let ok = json!({"code": "123456"});
        assert!(q.check_answer(ok.as_object().unwrap()).is_ok());
        let err = q
            .check_answer(json!({"pin": "1"}).as_object().unwrap())
            .unwrap_err()
            .text();
        assert!(
            err.contains("missing: code") && err.contains("not asked for: pin"),
            "{err}"
        );
    }
}
