//! What the authorization server publishes about itself: its metadata (RFC 8414, or OpenID
//! Connect discovery for servers that only offer that) and its signing keys (the JWKS). Both
//! are read once at start; the keys again only when a token names one not yet seen (key
//! rotation), at most once a minute, so checking a token calls nobody.

use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;
use url::Url;

/// The grant type of OAuth 2.0 Token Exchange (RFC 8693).
pub const TOKEN_EXCHANGE_GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

/// The fields of authorization server metadata this server uses.
#[derive(Debug, Clone, Deserialize)]
pub struct IssuerMetadata {
    pub issuer: String,
    #[serde(default)]
    pub jwks_uri: Option<Url>,
    #[serde(default)]
    pub token_endpoint: Option<Url>,
    #[serde(default)]
    pub introspection_endpoint: Option<Url>,
    #[serde(default)]
    pub grant_types_supported: Vec<String>,
    #[serde(default)]
    pub scopes_supported: Vec<String>,
}

impl IssuerMetadata {
    pub fn offers_token_exchange(&self) -> bool {
        self.token_endpoint.is_some()
            && self
                .grant_types_supported
                .iter()
                .any(|g| g == TOKEN_EXCHANGE_GRANT)
    }
}

/// The metadata of `issuer`: RFC 8414's well-known location first (the well-known segment
/// goes between host and path), then OpenID discovery's (appended to the issuer). The
/// document must name the same issuer, or a look-alike server could stand in for it.
pub async fn metadata(http: &reqwest::Client, issuer: &Url) -> Result<IssuerMetadata, String> {
    let path = issuer.path().trim_end_matches('/');
    let mut rfc8414 = issuer.clone();
    rfc8414.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    let mut openid = issuer.clone();
    openid.set_path(&format!("{path}/.well-known/openid-configuration"));
    let mut last = String::new();
    for url in [rfc8414, openid] {
        match get_json::<IssuerMetadata>(http, &url).await {
            Ok(found) if same_url(&found.issuer, issuer.as_str()) => return Ok(found),
            Ok(found) => {
                return Err(format!(
                    "the authorization server's metadata at {url} names another issuer ({:?}), so its tokens cannot be trusted as {issuer}",
                    found.issuer
                ));
            }
            Err(e) => last = e,
        }
    }
    Err(format!(
        "could not read the authorization server's metadata for {issuer} ({last})"
    ))
}

/// The issuer's signing keys, with the time they were read.
pub struct Keys {
    pub set: JwkSet,
    pub read_at: Instant,
}

/// Shortest time between two reads of the key set.
pub const KEYS_REFRESH_GAP: Duration = Duration::from_secs(60);

pub async fn keys(http: &reqwest::Client, jwks_uri: &Url) -> Result<Keys, String> {
    let set = get_json::<JwkSet>(http, jwks_uri).await?;
    Ok(Keys {
        set,
        read_at: Instant::now(),
    })
}

/// A form POST to one of the issuer's endpoints (token, introspection), authenticated as
/// this server's client when it has one (HTTP Basic, RFC 6749 §2.3.1).
pub fn post_form(
    http: &reqwest::Client,
    endpoint: &Url,
    fields: &[(&str, &str)],
    client: Option<&(String, String)>,
) -> reqwest::RequestBuilder {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let request = http
        .post(endpoint.clone())
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json")
        .body(body);
    match client {
        Some((id, secret)) => request.basic_auth(id, Some(secret)),
        None => request,
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &Url,
) -> Result<T, String> {
    let response = http
        .get(url.clone())
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| format!("{url} could not be reached: {}", e.without_url()))?;
    if !response.status().is_success() {
        return Err(format!(
            "{url} answered HTTP {}",
            response.status().as_u16()
        ));
    }
    response
        .json::<T>()
        .await
        .map_err(|_| format!("{url} did not answer with the expected JSON"))
}

/// Two URLs that differ at most by a trailing slash.
pub fn same_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_without_their_trailing_slash() {
        assert!(same_url("https://a.example/", "https://a.example"));
        assert!(same_url("https://a.example/mcp", "https://a.example/mcp/"));
        assert!(!same_url("https://a.example/mcp", "https://a.example"));
    }
}
