//! Paging cursors: opaque, tamper-evident and URL-safe. The same key seals task ids
//! (`mcp::tasks`), under a key derived for that purpose.
//!
//! A cursor carries where the next page starts (file, table, position, projection). The model
//! only hands it back; it must not be able to edit it into pointing somewhere else (another
//! run's file, an arbitrary byte offset). So the compact payload is signed with a truncated
//! HMAC-SHA256 under a key derived from stable configuration: every process with the same
//! configuration accepts the cursor, and any change to it is rejected.

use std::fmt;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Position;
use crate::id::Id;

/// Keeps keys for different purposes apart even when derived from the same configuration.
const DOMAIN: &[u8] = b"sequentum-mcp/records-cursor/v1";
/// First payload byte; lets a future layout be told apart from this one.
const VERSION: u8 = 1;
/// 128-bit tag: forging one is as hard as guessing it, and it keeps cursors short.
const TAG_LEN: usize = 16;
/// Longest cursor text accepted, so decoding garbage costs little.
const MAX_TEXT_LEN: usize = 8 * 1024;

/// Secret key that signs cursors. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct CursorKey([u8; 32]);

impl CursorKey {
    /// SHA-256 over a domain label and each part (length-prefixed, so `["ab","c"]` and
    /// `["a","bc"]` give different keys).
    pub fn derive(parts: &[&[u8]]) -> CursorKey {
        let mut hash = Sha256::new();
        hash.update(DOMAIN);
        for part in parts {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        CursorKey(hash.finalize().into())
    }

    /// A key for another kind of signed text (task ids), derived from this one, so text
    /// signed for one purpose is never accepted as another.
    pub fn for_purpose(&self, purpose: &str) -> CursorKey {
        CursorKey::derive(&[b"purpose", purpose.as_bytes(), &self.0])
    }

    /// Signs `bytes` (at least two: a version byte and a payload) into a base64url (no
    /// padding) string.
    pub fn seal(&self, bytes: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(bytes);
        let mut sealed = bytes.to_vec();
        sealed.extend_from_slice(&mac.finalize().into_bytes()[..TAG_LEN]);
        URL_SAFE_NO_PAD.encode(sealed)
    }

    /// The bytes `seal` signed, or `None` when the text was altered, truncated, made up or
    /// signed with another key.
    pub fn open(&self, text: &str) -> Option<Vec<u8>> {
        if text.len() > MAX_TEXT_LEN {
            return None;
        }
        // The engine rejects non-zero trailing bits, so each byte string has exactly one text form.
        let mut bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        let split = bytes.len().checked_sub(TAG_LEN).filter(|&n| n > 1)?;
        let mut mac = self.mac();
        mac.update(&bytes[..split]);
        mac.verify_truncated_left(&bytes[split..]).ok()?;
        bytes.truncate(split);
        Some(bytes)
    }

    /// The MAC of this key, bound to the signed-in user the current request serves (OAuth
    /// mode, `crate::caller`): what one user was handed opens for no one else, while text
    /// signed outside any user's scope (stdio, a static token) stays as it was.
    fn mac(&self) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .expect("HMAC accepts keys of any length");
        if let Some(caller) = crate::caller::current() {
            let subject = caller.subject().as_bytes();
            mac.update(b"caller");
            mac.update(&(subject.len() as u64).to_be_bytes());
            mac.update(subject);
        }
        mac
    }
}

impl fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CursorKey(<redacted>)")
    }
}

/// Signs any serialisable `state` into a cursor for `purpose` (query and comparison pages),
/// so a cursor of one kind is never accepted as another.
pub fn seal_json<T: Serialize>(key: &CursorKey, purpose: &str, state: &T) -> String {
    let mut bytes = vec![VERSION];
    serde_json::to_writer(&mut bytes, state).expect("serialising to a Vec cannot fail");
    key.for_purpose(purpose).seal(&bytes)
}

/// The state `seal_json` signed for `purpose`; any change to the text is rejected.
pub fn open_json<T: serde::de::DeserializeOwned>(
    key: &CursorKey,
    purpose: &str,
    text: &str,
) -> Result<T, CursorError> {
    let signed = key.for_purpose(purpose).open(text).ok_or(CursorError)?;
    if signed[0] != VERSION {
        return Err(CursorError);
    }
    serde_json::from_slice(&signed[1..]).map_err(|_| CursorError)
}

/// Everything needed to serve the next page.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CursorState {
    pub agent_id: Id,
    pub run_id: Id,
    pub file_id: Id,
    pub table: Option<String>,
    pub position: Position,
    pub fields: Option<Vec<String>>,
}

/// The signed payload: a JSON array rather than an object, so field names do not lengthen
/// every cursor.
type Wire = (Id, Id, Id, Option<String>, u64, u64, Option<Vec<String>>);

/// A cursor that was altered, truncated, made up, or signed by a server with other settings.
#[derive(Debug, thiserror::Error)]
#[error("the cursor was altered or is not from this server; start again without a cursor")]
pub struct CursorError;

/// Signs `state` into a base64url (no padding) string.
pub fn encode(key: &CursorKey, state: &CursorState) -> String {
    let wire: Wire = (
        state.agent_id.clone(),
        state.run_id.clone(),
        state.file_id.clone(),
        state.table.clone(),
        state.position.index,
        state.position.offset,
        state.fields.clone(),
    );
    let mut bytes = vec![VERSION];
    serde_json::to_writer(&mut bytes, &wire).expect("serialising to a Vec cannot fail");
    key.seal(&bytes)
}

/// Checks the signature and returns the state; any change to the text is rejected.
pub fn decode(key: &CursorKey, text: &str) -> Result<CursorState, CursorError> {
    let signed = key.open(text).ok_or(CursorError)?;
    if signed[0] != VERSION {
        return Err(CursorError);
    }
    let (agent_id, run_id, file_id, table, index, offset, fields): Wire =
        serde_json::from_slice(&signed[1..]).map_err(|_| CursorError)?;
    Ok(CursorState {
        agent_id,
        run_id,
        file_id,
        table,
        position: Position { index, offset },
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> CursorKey {
        CursorKey::derive(&[b"https://dashboard.sequentum.com", b"account-42"])
    }

    fn sample() -> CursorState {
        CursorState {
            agent_id: Id::Num(1234),
            run_id: Id::Num(98765),
            file_id: Id::Num(55501),
            table: Some("Products".into()),
            position: Position {
                index: 25,
                offset: 40_213,
            },
            fields: Some(vec!["name".into(), "price".into()]),
        }
    }

    #[test]
    fn round_trips_and_stays_short_and_url_safe() {
        let state = sample();
        let text = encode(&key(), &state);
        assert_eq!(decode(&key(), &text).unwrap(), state);
        assert!(text.len() < 200, "{} chars: {text}", text.len());
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );

        let bare = CursorState {
            table: None,
            fields: None,
            ..state
        };
        assert_eq!(decode(&key(), &encode(&key(), &bare)).unwrap(), bare);
    }

    #[test]
    fn rejects_every_single_character_change() {
        let text = encode(&key(), &sample());
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for i in 0..text.len() {
            for &replacement in alphabet.iter().chain(b"=+/ ") {
                if replacement == text.as_bytes()[i] {
                    continue;
                }
                let mut altered = text.clone().into_bytes();
                altered[i] = replacement;
                let altered = String::from_utf8(altered).unwrap();
                assert!(
                    decode(&key(), &altered).is_err(),
                    "position {i} -> {}",
                    replacement as char
                );
            }
        }
    }

    #[test]
    fn rejects_truncation_garbage_and_other_keys() {
        let text = encode(&key(), &sample());
        for len in 0..text.len() {
            assert!(decode(&key(), &text[..len]).is_err(), "truncated to {len}");
        }
        assert!(decode(&key(), &format!("{text}A")).is_err());
        for garbage in [
            "",
            "not a cursor",
            "%%%",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert!(decode(&key(), garbage).is_err(), "{garbage:?}");
        }
        assert!(decode(&key(), &"A".repeat(MAX_TEXT_LEN + 4)).is_err());
        let other = CursorKey::derive(&[b"https://dashboard.sequentum.com", b"account-43"]);
        assert!(decode(&other, &text).is_err());
        assert_ne!(
            CursorKey::derive(&[b"ab", b"c"]),
            CursorKey::derive(&[b"a", b"bc"])
        );
    }

    #[tokio::test]
    async fn a_cursor_sealed_for_one_signed_in_user_opens_for_no_other() {
        use crate::caller::{Caller, scope};
        use std::sync::Arc;
        let user = |sub: &str| Some(Arc::new(Caller::new(sub.into(), format!("token-of-{sub}"))));
        let text = scope(user("alice"), async { encode(&key(), &sample()) }).await;
        let opened = scope(user("alice"), async { decode(&key(), &text) }).await;
        assert_eq!(opened.unwrap(), sample());
        assert!(
            scope(user("bob"), async { decode(&key(), &text) })
                .await
                .is_err()
        );
        assert!(
            decode(&key(), &text).is_err(),
            "nor outside any user's scope"
        );
        let unbound = encode(&key(), &sample());
        assert!(
            scope(user("bob"), async { decode(&key(), &unbound) })
                .await
                .is_err()
        );
    }

    #[test]
    fn json_cursors_are_bound_to_their_purpose() {
        let text = seal_json(&key(), "query", &("SELECT 1", 25));
        let back: (String, u64) = open_json(&key(), "query", &text).unwrap();
        assert_eq!(back, ("SELECT 1".to_string(), 25));
        assert!(open_json::<(String, u64)>(&key(), "compare", &text).is_err());
        assert!(decode(&key(), &text).is_err());
    }

    #[test]
    fn error_and_key_debug_are_safe_to_show() {
        assert!(
            CursorError
                .to_string()
                .contains("start again without a cursor")
        );
        assert_eq!(format!("{:?}", key()), "CursorKey(<redacted>)");
    }
}
