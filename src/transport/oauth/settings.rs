//! What OAuth mode is configured with: decided by `config` from the flags, read here.

use clap::ValueEnum;
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UpstreamFlag {
    /// OAuth 2.0 Token Exchange (RFC 8693): the user's token is traded for one issued for
    /// the API.
    Exchange,
    /// The user's token goes on to the API, only when its audience names the API too.
    Forward,
}

/// The settings of OAuth mode. `Debug` leaves the client secret out.
#[derive(Clone)]
pub struct OAuthSettings {
    /// The resource clients reach (tokens must name it as their audience).
    pub public_url: Url,
    pub issuer: Url,
    /// The Sequentum API the users' tools call (tokens sent there must name it).
    pub api_url: Url,
    /// `None`: decided from the authorization server's metadata at start.
    pub upstream: Option<UpstreamFlag>,
    /// Client id and secret for the authorization server's token and introspection endpoints.
    pub client: Option<(String, String)>,
}

impl std::fmt::Debug for OAuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthSettings")
            .field("public_url", &self.public_url.as_str())
            .field("issuer", &self.issuer.as_str())
            .field("api_url", &self.api_url.as_str())
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}
