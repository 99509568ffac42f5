//! A run waiting for input, as a task's `input_required`: the platform's pending interaction
//! (`jobs::interactions`) becomes a form elicitation in `inputRequests`, and the client's answer comes
//! back through `tasks/update`.
//!
//! Nothing is stored: the request's key is a digest of the interaction, so every process
//! derives the same key, a re-prompt that asks anything differently gets a new one, and an
//! answer to an old prompt matches no key and is ignored (as the extension requires). A
//! re-prompt worded exactly as before keeps its key; only non-secret fields are ever asked
//! here, so a repeated answer is the same choice made again. A secret (a password, an MFA code) is never
//! asked for in a form, which the elicitation rules forbid; such a run stays `working` and its
//! status message says where to answer.

use std::collections::BTreeMap;

use rmcp::model::{
    ClientCapabilities, ElicitRequest, ElicitRequestParams, ElicitResult, ElicitationAction,
    ElicitationSchema, InputRequest,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{jobs::interactions::Interaction, records::sanitize::clean_text};

/// An answer to an interaction: one value per field name.
pub type InputAnswer = serde_json::Map<String, Value>;

/// The key of a pending interaction in `inputRequests`: the same on every process, new on
/// every re-prompt.
pub fn key(pending: &Interaction) -> String {
    let mut hash = Sha256::new();
    for part in [pending.kind.as_str(), pending.message.as_str()]
        .into_iter()
        .chain(pending.fields.iter().map(|f| f.name.as_str()))
    {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("ix-{hex}")
}

/// The form elicitation for `pending`, when this client may be asked in a form: it declared
/// form elicitation (an empty `elicitation` object means form) and nothing asked is a secret.
pub fn request(
    pending: &Interaction,
    client: Option<&ClientCapabilities>,
) -> Option<(String, InputRequest)> {
    let form = client
        .and_then(|c| c.elicitation.as_ref())
        .is_some_and(|e| e.form.is_some() || e.url.is_none());
    if !form || pending.has_secret() || pending.fields.is_empty() {
        return None;
    }
    let mut schema = ElicitationSchema::builder();
    for field in &pending.fields {
        let title = clean_text(&field.label).into_owned();
        schema = schema.required_string_property(&field.name, |s| s.title(title));
    }
    let params = ElicitRequestParams::FormElicitationParams {
        meta: None,
        message: clean_text(&pending.message).into_owned(),
        requested_schema: schema.build().ok()?,
    };
    Some((
        key(pending),
        InputRequest::Elicitation(ElicitRequest::new(params)),
    ))
}

/// The answer to `pending` among a `tasks/update`'s responses: an accepted elicitation under
/// the current key. Other keys, declines and malformed answers are ignored; the run keeps
/// waiting and the next `tasks/get` asks again.
pub fn answer(pending: &Interaction, responses: &BTreeMap<String, Value>) -> Option<InputAnswer> {
    let response = responses.get(&key(pending))?;
    let result: ElicitResult = serde_json::from_value(response.clone()).ok()?;
    match (result.action, result.content) {
        (ElicitationAction::Accept, Some(Value::Object(content))) => Some(content),
        _ => None,
    }
}

/// The status message of a run waiting for input that is not asked in the task: where and
/// how to answer.
pub fn waiting_message(pending: Option<&Interaction>, fallback: &str) -> String {
    match pending {
        Some(p) if p.has_secret() => format!(
            "waiting for input: {} (a secret such as a password or code: the user answers it on the platform, never in chat); {fallback} afterwards",
            clean_text(&p.message)
        ),
        Some(p) => format!(
            "waiting for input: {}; ask the user and answer it on the platform, then {fallback}",
            clean_text(&p.message)
        ),
        None => format!("waiting for input: answer it on the platform, then {fallback}"),
    }
}

#[cfg(test)]
mod tests {
    use rmcp::model::{ElicitationCapability, FormElicitationCapability};
    use serde_json::json;

    use super::*;
    use crate::jobs::interactions::InteractionField;

    fn pending(message: &str, secret: bool) -> Interaction {
        Interaction {
            kind: if secret { "mfa" } else { "account_selection" }.into(),
            message: message.into(),
            fields: vec![InteractionField {
                name: if secret { "code" } else { "account" }.into(),
                label: "Account".into(),
                secret,
            }],
        }
    }

    fn form_client() -> ClientCapabilities {
        let mut caps = ClientCapabilities::default();
        caps.elicitation =
            Some(ElicitationCapability::new().with_form(FormElicitationCapability::default()));
        caps
    }

    #[test]
    fn a_non_secret_interaction_is_a_form_under_a_key_that_changes_on_a_re_prompt() {
        let (key1, request) = request(&pending("1", false), Some(&form_client())).unwrap();
        let wire = serde_json::to_value(&request).unwrap();
        assert_eq!(wire["method"], "elicitation/create");
        assert_eq!(wire["params"]["mode"], "form");
        assert_eq!(
            wire["params"]["requestedSchema"]["properties"]["account"]["title"],
            "Account"
        );
        assert_eq!(key1, key(&pending("1", false)));
        assert_ne!(key1, key(&pending("2", false)));
    }

    #[test]
    fn secrets_and_clients_without_forms_are_not_asked() {
        assert!(request(&pending("1", true), Some(&form_client())).is_none());
        assert!(request(&pending("1", false), Some(&ClientCapabilities::default())).is_none());
        assert!(request(&pending("1", false), None).is_none());
        assert!(waiting_message(Some(&pending("1", true)), "x").contains("never in chat"));
    }

    #[test]
    fn only_an_accepted_answer_under_the_current_key_counts() {
        let p = pending("1", false);
        let accepted = json!({"action": "accept", "content": {"account": "work"}});
        let answers = |key: String, value: Value| BTreeMap::from([(key, value)]);
        assert_eq!(
            answer(&p, &answers(key(&p), accepted.clone())).unwrap()["account"],
            "work"
        );
        assert!(answer(&p, &answers(key(&pending("0", false)), accepted)).is_none());
        assert!(answer(&p, &answers(key(&p), json!({"action": "decline"}))).is_none());
        assert!(answer(&p, &answers(key(&p), json!("garbage"))).is_none());
    }
}
