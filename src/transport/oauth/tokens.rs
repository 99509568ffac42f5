//! Checking a user's access token without calling anyone per request.
//!
//! A JWT is checked here: an asymmetric signature by one of the issuer's published keys
//! (`alg: none` and shared-secret algorithms are refused), `iss`, `exp` (a minute of clock
//! skew), a `sub`, and an audience naming this server's public URL (RFC 8707): a token issued
//! for any other resource is refused, which is what keeps tokens from being passed through.
//! An opaque token is asked about at the issuer's introspection endpoint (RFC 7662) and the
//! answer kept for a minute at most; without that endpoint it is refused.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::Jwk};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::RwLock;
use url::Url;

use super::discovery::{self, KEYS_REFRESH_GAP, Keys, same_url};

/// What a valid token says about its holder.
#[derive(Debug, Clone)]
pub struct Verified {
    /// `sub`: who the user is at the issuer.
    pub subject: String,
    /// Every audience the token names (`aud`).
    pub audiences: Vec<String>,
    /// `exp`, in seconds since the epoch.
    pub expires_at: u64,
}

/// Why a token was refused; the text is for the log and the client, never quotes the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

/// Longest time an introspection answer is reused.
const INTROSPECTION_TTL: Duration = Duration::from_secs(60);
/// Introspection answers kept at most; expired ones go first, then all.
const INTROSPECTION_ENTRIES: usize = 10_000;
/// Clock skew allowed on `exp`.
const LEEWAY_SECONDS: u64 = 60;

/// Introspection answers by the token's SHA-256, with the time they were given.
type Answers = HashMap<[u8; 32], (Instant, Result<Verified, Invalid>)>;

/// Checks tokens for one resource (the public URL) from one issuer.
pub struct Checker {
    pub issuer: String,
    pub resource: String,
    jwks_uri: Option<Url>,
    introspection: Option<Url>,
    client: Option<(String, String)>,
    keys: RwLock<Option<Keys>>,
    introspected: Mutex<Answers>,
}

#[derive(Deserialize)]
struct Claims {
    sub: Option<String>,
    #[serde(default)]
    aud: Audience,
    exp: u64,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
    #[default]
    None,
}

impl Audience {
    fn into_vec(self) -> Vec<String> {
        match self {
            Audience::One(a) => vec![a],
            Audience::Many(all) => all,
            Audience::None => Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct Introspection {
    #[serde(default)]
    active: bool,
    sub: Option<String>,
    #[serde(default)]
    aud: Audience,
    exp: Option<u64>,
    iss: Option<String>,
}

impl Checker {
    pub fn new(
        metadata: &discovery::IssuerMetadata,
        resource: &Url,
        keys: Option<Keys>,
        client: Option<(String, String)>,
    ) -> Self {
        Checker {
            issuer: metadata.issuer.clone(),
            resource: resource.as_str().to_owned(),
            jwks_uri: metadata.jwks_uri.clone(),
            introspection: metadata.introspection_endpoint.clone(),
            client,
            keys: RwLock::new(keys),
            introspected: Mutex::new(HashMap::new()),
        }
    }

    /// Whether this checker can accept any token at all (it has keys or an introspection
    /// endpoint).
    pub fn can_check(&self) -> bool {
        self.jwks_uri.is_some() || self.introspection.is_some()
    }

    pub async fn check(&self, http: &reqwest::Client, token: &str) -> Result<Verified, Invalid> {
        match jsonwebtoken::decode_header(token) {
            Ok(header) => self.check_jwt(http, token, header).await,
            Err(_) => self.introspect(http, token).await,
        }
    }

    async fn check_jwt(
        &self,
        http: &reqwest::Client,
        token: &str,
        header: jsonwebtoken::Header,
    ) -> Result<Verified, Invalid> {
        if matches!(
            header.alg,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
        ) {
            return Err(Invalid(
                "the token is signed with a shared secret, which this server does not accept"
                    .into(),
            ));
        }
        let jwk = self.key(http, header.kid.as_deref()).await?;
        let key = DecodingKey::from_jwk(&jwk)
            .map_err(|_| Invalid("the issuer's signing key cannot be used".into()))?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[self.issuer.as_str(), self.issuer.trim_end_matches('/')]);
        validation.set_audience(&[self.resource.as_str(), self.resource.trim_end_matches('/')]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECONDS;
        let data = jsonwebtoken::decode::<Claims>(token, &key, &validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            Invalid(
                match e.kind() {
                    ErrorKind::ExpiredSignature => "the token has expired",
                    ErrorKind::InvalidAudience => "the token was not issued for this server",
                    ErrorKind::InvalidIssuer => "the token comes from another issuer",
                    ErrorKind::InvalidSignature => "the token's signature does not verify",
                    ErrorKind::InvalidAlgorithm => "the token's algorithm does not match its key",
                    _ => "the token is not a valid access token",
                }
                .into(),
            )
        })?;
        let claims = data.claims;
        let subject = claims
            .sub
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Invalid("the token names no user (sub)".into()))?;
        Ok(Verified {
            subject,
            audiences: claims.aud.into_vec(),
            expires_at: claims.exp,
        })
    }

    /// The key `kid` names (or the only key, when the token names none), re-reading the key
    /// set once when it is not known yet and the last read is over a minute old.
    async fn key(&self, http: &reqwest::Client, kid: Option<&str>) -> Result<Jwk, Invalid> {
        let find = |keys: &Option<Keys>| -> Option<Jwk> {
            let set = &keys.as_ref()?.set;
            match kid {
                Some(kid) => set.find(kid).cloned(),
                None if set.keys.len() == 1 => set.keys.first().cloned(),
                None => None,
            }
        };
        let stale = {
            let keys = self.keys.read().await;
            if let Some(found) = find(&keys) {
                return Ok(found);
            }
            keys.as_ref()
                .is_none_or(|k| k.read_at.elapsed() >= KEYS_REFRESH_GAP)
        };
        let unknown =
            || Invalid("the token is signed with a key the issuer does not publish".into());
        let Some(uri) = self.jwks_uri.as_ref().filter(|_| stale) else {
            return Err(unknown());
        };
        let mut keys = self.keys.write().await;
        if keys
            .as_ref()
            .is_none_or(|k| k.read_at.elapsed() >= KEYS_REFRESH_GAP)
        {
            match discovery::keys(http, uri).await {
                Ok(fresh) => *keys = Some(fresh),
                Err(e) => tracing::warn!("could not re-read the issuer's signing keys: {e}"),
            }
        }
        find(&keys).ok_or_else(unknown)
    }

    async fn introspect(&self, http: &reqwest::Client, token: &str) -> Result<Verified, Invalid> {
        let Some(endpoint) = &self.introspection else {
            return Err(Invalid(
                "the token is not a JWT and the issuer offers no introspection to check it".into(),
            ));
        };
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some((at, answer)) = self.lock().get(&digest)
            && at.elapsed() < INTROSPECTION_TTL
        {
            return answer.clone();
        }
        let request = discovery::post_form(
            http,
            endpoint,
            &[("token", token), ("token_type_hint", "access_token")],
            self.client.as_ref(),
        );
        let answer = match request.send().await {
            Ok(response) if response.status().is_success() => {
                match response.json::<Introspection>().await {
                    Ok(found) => self.judge(found),
                    Err(_) => Err(Invalid(
                        "the issuer's introspection answer was unreadable".into(),
                    )),
                }
            }
            Ok(response) => {
                let status = response.status().as_u16();
                if matches!(status, 401 | 403) {
                    // The server's own client was refused, not the user's token.
                    tracing::warn!(
                        "the issuer's introspection endpoint refused this server's client (HTTP {status}); set --oauth-client-id and --oauth-client-secret"
                    );
                }
                Err(Invalid(format!(
                    "the issuer's introspection endpoint answered HTTP {status}"
                )))
            }
            // Not remembered: the next request asks again.
            Err(_) => {
                return Err(Invalid(
                    "the issuer's introspection endpoint could not be reached".into(),
                ));
            }
        };
        let mut cache = self.lock();
        if cache.len() >= INTROSPECTION_ENTRIES {
            cache.retain(|_, (at, _)| at.elapsed() < INTROSPECTION_TTL);
            if cache.len() >= INTROSPECTION_ENTRIES {
                cache.clear();
            }
        }
        cache.insert(digest, (Instant::now(), answer.clone()));
        answer
    }

    fn judge(&self, found: Introspection) -> Result<Verified, Invalid> {
        let now = jsonwebtoken::get_current_timestamp();
        if !found.active || found.exp.is_some_and(|exp| exp + LEEWAY_SECONDS < now) {
            return Err(Invalid("the token is not active".into()));
        }
        if found
            .iss
            .as_deref()
            .is_some_and(|iss| !same_url(iss, &self.issuer))
        {
            return Err(Invalid("the token comes from another issuer".into()));
        }
        let audiences = found.aud.into_vec();
        if !audiences.iter().any(|a| same_url(a, &self.resource)) {
            return Err(Invalid("the token was not issued for this server".into()));
        }
        let subject = found
            .sub
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Invalid("the token names no user (sub)".into()))?;
        Ok(Verified {
            subject,
            audiences,
            expires_at: found.exp.unwrap_or(now + INTROSPECTION_TTL.as_secs()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Answers> {
        self.introspected.lock().unwrap_or_else(|e| e.into_inner())
    }
}
