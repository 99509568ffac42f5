//! OAuth mode of the HTTP server (`--auth oauth`): each remote user signs in as themselves
//! and their tools call the Sequentum API with their own token.
//!
//! The server is an OAuth protected resource (MCP authorization spec, 2025-06-18): it
//! publishes its Protected Resource Metadata (RFC 9728, `metadata.rs`), answers a request
//! without a valid token with `401` and a `WWW-Authenticate` challenge naming that metadata,
//! checks tokens itself (`tokens.rs`), and finds each user's token for the API
//! (`upstream.rs`). The user, with that token, rides on the request as a
//! `crate::caller::Caller` down to the API client. Nothing of a token is logged or stored on
//! disk; the only state is two bounded caches in memory (introspection answers and exchanged
//! tokens), so replicas stay simple.

mod discovery;
mod metadata;
mod settings;
mod tokens;
mod upstream;

use std::{sync::Arc, time::Duration};

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use url::Url;

use crate::caller::{Caller, Refusal};

pub use metadata::{WELL_KNOWN, routes};
pub use settings::{OAuthSettings, UpstreamFlag};

/// The running OAuth mode: what the issuer published, and the caches.
pub struct OAuth {
    public_url: Url,
    /// The issuer exactly as its metadata spells it (RFC 8414 §3.3: clients compare it).
    issuer: String,
    metadata_url: String,
    scopes: Vec<String>,
    http: reqwest::Client,
    checker: tokens::Checker,
    upstream: upstream::Upstream,
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("public_url", &self.public_url.as_str())
            .field("issuer", &self.issuer)
            .field("upstream", &self.upstream.mode())
            .finish_non_exhaustive()
    }
}

/// Scopes advertised when the issuer lists none: those of Sequentum's API.
const SEQUENTUM_SCOPES: [&str; 6] = [
    "agents:read",
    "agents:write",
    "runs:read",
    "spaces:read",
    "spaces:write",
    "billing:read",
];

impl OAuth {
    /// Reads the issuer's metadata and keys and decides the upstream mode, refusing with the
    /// reason when the server could not work (no way to check tokens, no upstream mode).
    pub async fn start(settings: &OAuthSettings) -> Result<Arc<OAuth>, String> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("sequentum-mcp/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|_| "could not set up HTTP for OAuth".to_owned())?;
        let found = discovery::metadata(&http, &settings.issuer).await?;
        let keys = match &found.jwks_uri {
            Some(uri) => Some(discovery::keys(&http, uri).await?),
            None => None,
        };
        let mode = match settings.upstream {
            Some(UpstreamFlag::Exchange) if !found.offers_token_exchange() => {
                return Err(format!(
                    "--oauth-upstream exchange needs an authorization server that offers token exchange ({}), and {} does not list it; use --oauth-upstream forward if its tokens name both this server and the API",
                    discovery::TOKEN_EXCHANGE_GRANT,
                    settings.issuer
                ));
            }
            Some(mode) => mode,
            None if found.offers_token_exchange() => UpstreamFlag::Exchange,
            None => {
                return Err(format!(
                    "the authorization server {} offers no token exchange, so this server cannot get tokens for the API on its own; if its tokens name both this server and the API (a first-party setup), start with --oauth-upstream forward",
                    settings.issuer
                ));
            }
        };
        let checker =
            tokens::Checker::new(&found, &settings.public_url, keys, settings.client.clone());
        if !checker.can_check() {
            return Err(format!(
                "the authorization server {} publishes neither signing keys (jwks_uri) nor an introspection endpoint, so its tokens cannot be checked",
                settings.issuer
            ));
        }
        let scopes = if found.scopes_supported.is_empty() {
            SEQUENTUM_SCOPES.iter().map(|s| s.to_string()).collect()
        } else {
            found.scopes_supported.clone()
        };
        Ok(Arc::new(OAuth {
            metadata_url: metadata::document_url(&settings.public_url),
            public_url: settings.public_url.clone(),
            issuer: found.issuer.clone(),
            scopes,
            upstream: upstream::Upstream::new(
                mode,
                settings.api_url.clone(),
                found.token_endpoint.clone(),
                settings.client.clone(),
            ),
            checker,
            http,
        }))
    }

    /// How the API is reached for each user, as `doctor` and the start line say it.
    pub fn describe(&self) -> String {
        format!(
            "OAuth: users sign in at {}; tokens must be issued for {}; API tokens by {}; metadata at {}",
            self.issuer,
            self.public_url,
            match self.upstream.mode() {
                UpstreamFlag::Exchange => "token exchange",
                UpstreamFlag::Forward => "forwarding tokens that name the API too",
            },
            self.metadata_url
        )
    }

    /// The Protected Resource Metadata document (RFC 9728).
    pub fn document(&self) -> serde_json::Value {
        serde_json::json!({
            "resource": self.public_url.as_str(),
            "authorization_servers": [self.issuer],
            "scopes_supported": self.scopes,
            "bearer_methods_supported": ["header"],
            "resource_name": "sequentum-mcp",
        })
    }

    /// The signed-in user of a request, or the answer for a request that has none.
    pub async fn authenticate(&self, headers: &HeaderMap) -> Result<Arc<Caller>, Response> {
        let Some(token) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(super::guards::bearer_token)
        else {
            return Err(self.challenge(None));
        };
        let user = self.checker.check(&self.http, token).await.map_err(|why| {
            tracing::debug!(reason = %why.0, "access token refused");
            self.challenge(Some(&why.0))
        })?;
        let credential = self
            .upstream
            .credential(&self.http, token, &user)
            .await
            .map_err(|refused| match refused {
                upstream::Refused::Token(why) => {
                    tracing::debug!(reason = %why, "no API token for this user");
                    self.challenge(Some(&why))
                }
                upstream::Refused::Unavailable(why) => {
                    tracing::warn!("no API token for a signed-in user: {why}");
                    super::guards::rejection(
                        StatusCode::SERVICE_UNAVAILABLE,
                        -32000,
                        "Service unavailable: the authorization server could not be asked for an API token. Retry shortly.",
                    )
                }
            })?;
        let subject = format!("{}#{}", self.checker.issuer, user.subject);
        Ok(Arc::new(Caller::new(subject, credential)))
    }

    /// The answer replacing a response whose API calls the API refused for the caller.
    pub fn refused(&self, refusal: &Refusal) -> Response {
        match refusal {
            Refusal::Unauthorized => self.challenge(Some("the Sequentum API refused the token")),
            Refusal::InsufficientScope(scope) => {
                let mut value = format!(
                    "Bearer error=\"insufficient_scope\", resource_metadata=\"{}\"",
                    self.metadata_url
                );
                if let Some(scope) = scope {
                    value.push_str(&format!(", scope=\"{scope}\""));
                }
                let mut response = super::guards::rejection(
                    StatusCode::FORBIDDEN,
                    -32001,
                    "Forbidden: the Sequentum API needs a scope this sign-in was not granted. Sign in again and grant it.",
                );
                insert_challenge(&mut response, &value);
                response
            }
        }
    }

    /// 401 with the challenge that leads a client to the metadata; `why` marks a token that
    /// was sent and refused (`error="invalid_token"`), `None` a request without one.
    fn challenge(&self, why: Option<&str>) -> Response {
        let value = match why {
            None => format!("Bearer resource_metadata=\"{}\"", self.metadata_url),
            Some(_) => format!(
                "Bearer error=\"invalid_token\", resource_metadata=\"{}\"",
                self.metadata_url
            ),
        };
        let message = match why {
            None => "Unauthorized: sign in first; this server uses OAuth (see the WWW-Authenticate header).".to_owned(),
            Some(why) => format!("Unauthorized: {why}. Sign in again."),
        };
        let mut response = super::guards::rejection(StatusCode::UNAUTHORIZED, -32001, &message);
        insert_challenge(&mut response, &value);
        response
    }
}

fn insert_challenge(response: &mut Response, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
}
