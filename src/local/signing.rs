//! Secrets of the embedded engine: random keys, constant-time comparison, and the signed,
//! expiring tokens behind `/storage/<token>` download URLs.
//!
//! A download answers with a redirect to a URL that authenticates itself, as cloud storage does,
//! so a client can fetch the bytes without sending its API key anywhere else. The token names
//! one file and an expiry time and carries an HMAC-SHA256 over both under a key that lives only
//! in this process: tokens die with the engine, which is fine for URLs meant to live minutes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Compares two secrets without leaking, through timing, how many leading bytes match.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Why a storage token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the download link is malformed; ask the API for a new one")]
    Malformed,
    #[error("the download link's signature is not valid; ask the API for a new one")]
    BadSignature,
    #[error("the download link has expired; ask the API for a new one")]
    Expired,
}

/// Signs and checks storage tokens.
pub struct UrlSigner {
    key: [u8; 32],
    ttl: Duration,
}

impl UrlSigner {
    /// A signer with a fresh random key; tokens stay valid for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        UrlSigner {
            key: crate::random::bytes(32).try_into().expect("32 bytes"),
            ttl,
        }
    }

    /// A token for `file_id`, valid for the signer's time to live.
    pub fn sign(&self, file_id: i64) -> String {
        let expires = now_millis().saturating_add(self.ttl.as_millis() as i64);
        self.sign_until(file_id, expires)
    }

    fn sign_until(&self, file_id: i64, expires_millis: i64) -> String {
        let mut payload = [0u8; 16];
        payload[..8].copy_from_slice(&file_id.to_be_bytes());
        payload[8..].copy_from_slice(&expires_millis.to_be_bytes());
        let signature = self.mac(&payload).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(signature)
        )
    }

    /// The file id a token grants, if its signature holds and it has not expired.
    pub fn verify(&self, token: &str) -> Result<i64, TokenError> {
        let (payload, signature) = token.split_once('.').ok_or(TokenError::Malformed)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| TokenError::Malformed)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenError::Malformed)?;
        let payload: [u8; 16] = payload.try_into().map_err(|_| TokenError::Malformed)?;
        self.mac(&payload)
            .verify_slice(&signature)
            .map_err(|_| TokenError::BadSignature)?;
        let file_id = i64::from_be_bytes(payload[..8].try_into().expect("8 bytes"));
        let expires = i64::from_be_bytes(payload[8..].try_into().expect("8 bytes"));
        if now_millis() >= expires {
            return Err(TokenError::Expired);
        }
        Ok(file_id)
    }

    fn mac(&self, payload: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(payload);
        mac
    }
}

fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_names_its_file() {
        let signer = UrlSigner::new(Duration::from_secs(60));
        let token = signer.sign(42);
        assert_eq!(signer.verify(&token), Ok(42));
    }

    #[test]
    fn expired_tampered_and_foreign_tokens_are_refused() {
        let signer = UrlSigner::new(Duration::from_secs(60));
        let expired = signer.sign_until(7, now_millis() - 1);
        assert_eq!(signer.verify(&expired), Err(TokenError::Expired));

        // Point a valid signature at another file.
        let token = signer.sign(7);
        let (_, signature) = token.split_once('.').unwrap();
        let mut other = [0u8; 16];
        other[..8].copy_from_slice(&8i64.to_be_bytes());
        other[8..].copy_from_slice(&(now_millis() + 60_000).to_be_bytes());
        let forged = format!("{}.{signature}", URL_SAFE_NO_PAD.encode(other));
        assert_eq!(signer.verify(&forged), Err(TokenError::BadSignature));

        let stranger = UrlSigner::new(Duration::from_secs(60));
        assert_eq!(stranger.verify(&token), Err(TokenError::BadSignature));
        assert_eq!(signer.verify("no-dot"), Err(TokenError::Malformed));
    }

    #[test]
    fn constant_time_eq_compares_whole_values() {
        assert!(constant_time_eq(b"sk-local-abc", b"sk-local-abc"));
        assert!(!constant_time_eq(b"sk-local-abc", b"sk-local-abd"));
        assert!(!constant_time_eq(b"sk", b"sk-local"));
    }
}
