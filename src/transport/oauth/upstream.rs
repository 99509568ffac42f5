//! The token each user's tool calls send to the Sequentum API.
//!
//! The MCP authorization spec forbids passing a client's token through to another service: a
//! token issued for this server is not one issued for the API. Two ways are allowed here:
//!
//! * `exchange`: OAuth 2.0 Token Exchange (RFC 8693) at the issuer's token endpoint trades the
//!   user's token (`subject_token`) for one issued for the API (`resource` = the API's URL).
//!   The answer is kept per user token until it expires (never past the user token's own
//!   expiry), so one sign-in costs one exchange; the cache is bounded.
//! * `forward`: the first-party case, where one authorization server issues a single token
//!   whose audience names both this server and the API (Sequentum's own MCP server works this
//!   way). Then the API is a declared audience of the very token, so sending it there is a use
//!   the issuer granted, not a pass-through; a token whose audience does not name the API is
//!   refused.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use url::Url;

use super::UpstreamFlag;
use super::{
    discovery::{TOKEN_EXCHANGE_GRANT, post_form, same_url},
    tokens::Verified,
};

const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// Exchanged tokens kept at most; expired ones go first, then all.
const EXCHANGE_ENTRIES: usize = 10_000;
/// An exchanged token is renewed this long before it expires, so no call sends a token that
/// expires in flight.
const RENEW_MARGIN_SECONDS: u64 = 30;
/// Lifetime assumed for an exchanged token whose answer gives none.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

/// Why no upstream token could be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The user's token does not entitle them to one (their client should sign in again).
    Token(String),
    /// The authorization server could not be asked; the call may be repeated.
    Unavailable(String),
}

pub struct Upstream {
    mode: UpstreamFlag,
    api_url: Url,
    token_endpoint: Option<Url>,
    client: Option<(String, String)>,
    exchanged: Mutex<HashMap<[u8; 32], (String, u64)>>,
}

#[derive(Deserialize)]
struct Exchanged {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl Upstream {
    pub fn new(
        mode: UpstreamFlag,
        api_url: Url,
        token_endpoint: Option<Url>,
        client: Option<(String, String)>,
    ) -> Self {
        Upstream {
            mode,
            api_url,
            token_endpoint,
            client,
            exchanged: Mutex::new(HashMap::new()),
        }
    }

    pub fn mode(&self) -> UpstreamFlag {
        self.mode
    }

    /// The credential `token` (already verified as `user`) gets at the API.
    pub async fn credential(
        &self,
        http: &reqwest::Client,
        token: &str,
        user: &Verified,
    ) -> Result<String, Refused> {
        match self.mode {
            UpstreamFlag::Forward => {
                if user
                    .audiences
                    .iter()
                    .any(|a| same_url(a, self.api_url.as_str()))
                {
                    Ok(token.to_owned())
                } else {
                    Err(Refused::Token(
                        "the token was not issued for the Sequentum API as well, so it cannot be sent there".into(),
                    ))
                }
            }
            UpstreamFlag::Exchange => self.exchange(http, token, user).await,
        }
    }

    async fn exchange(
        &self,
        http: &reqwest::Client,
        token: &str,
        user: &Verified,
    ) -> Result<String, Refused> {
        let now = jsonwebtoken::get_current_timestamp();
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some((upstream, until)) = self.lock().get(&digest)
            && now + RENEW_MARGIN_SECONDS < *until
        {
            return Ok(upstream.clone());
        }
        let endpoint = self.token_endpoint.as_ref().ok_or_else(|| {
            Refused::Unavailable("the authorization server has no token endpoint".into())
        })?;
        let request = post_form(
            http,
            endpoint,
            &[
                ("grant_type", TOKEN_EXCHANGE_GRANT),
                ("subject_token", token),
                ("subject_token_type", ACCESS_TOKEN_TYPE),
                ("requested_token_type", ACCESS_TOKEN_TYPE),
                ("resource", self.api_url.as_str()),
            ],
            self.client.as_ref(),
        );
        let response = request.send().await.map_err(|_| {
            Refused::Unavailable("the authorization server could not be reached".into())
        })?;
        let status = response.status();
        if status.is_client_error() {
            let error = response
                .json::<ExchangeError>()
                .await
                .map(|e| e.error)
                .unwrap_or_default();
            // The server's own client was refused: no user can fix that by signing in again.
            if status == reqwest::StatusCode::UNAUTHORIZED
                || matches!(error.as_str(), "invalid_client" | "unauthorized_client")
            {
                return Err(Refused::Unavailable(format!(
                    "the authorization server refused this server's client for token exchange (HTTP {}{}); set --oauth-client-id and --oauth-client-secret to a client allowed to exchange tokens",
                    status.as_u16(),
                    if error.is_empty() {
                        String::new()
                    } else {
                        format!(", {error}")
                    }
                )));
            }
            return Err(Refused::Token(format!(
                "the authorization server refused to exchange the token (HTTP {})",
                status.as_u16()
            )));
        }
        if !status.is_success() {
            return Err(Refused::Unavailable(format!(
                "the authorization server answered HTTP {}",
                status.as_u16()
            )));
        }
        let answer: Exchanged = response.json().await.map_err(|_| {
            Refused::Unavailable("the authorization server's exchange answer was unreadable".into())
        })?;
        let lifetime = answer.expires_in.unwrap_or(DEFAULT_LIFETIME.as_secs());
        let until = (now + lifetime).min(user.expires_at);
        let mut cache = self.lock();
        if cache.len() >= EXCHANGE_ENTRIES {
            cache.retain(|_, (_, until)| *until > now);
            if cache.len() >= EXCHANGE_ENTRIES {
                cache.clear();
            }
        }
        cache.insert(digest, (answer.access_token.clone(), until));
        Ok(answer.access_token)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], (String, u64)>> {
        self.exchanged.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The `error` code of an OAuth error answer (RFC 6749 §5.2).
#[derive(serde::Deserialize)]
struct ExchangeError {
    #[serde(default)]
    error: String,
}
