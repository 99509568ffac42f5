//! Protected Resource Metadata (RFC 9728): where a client learns which authorization server
//! to sign in with and for which resource. Served without a token at
//! `/.well-known/oauth-protected-resource` and at its path-suffixed form (for `/mcp`:
//! `/.well-known/oauth-protected-resource/mcp`), which is where RFC 9728 puts the document of
//! a resource whose URL has a path.

use std::sync::Arc;

use axum::{Json, Router, extract::State, routing::get};
use url::Url;

use super::OAuth;

/// The prefix of every metadata route; in OAuth mode the guard lets these through without a
/// token, since they are how a client learns to sign in.
pub const WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";

/// The metadata routes.
pub fn routes(oauth: Arc<OAuth>) -> Router {
    Router::new()
        .route(WELL_KNOWN, get(document))
        .route(&format!("{WELL_KNOWN}/{{*resource}}"), get(document))
        .with_state(oauth)
}

async fn document(State(oauth): State<Arc<OAuth>>) -> Json<serde_json::Value> {
    Json(oauth.document())
}

/// The metadata URL of `resource` (RFC 9728 §3.1): the well-known segment goes between the
/// host and the resource's path.
pub fn document_url(resource: &Url) -> String {
    let path = resource.path().trim_end_matches('/');
    format!(
        "{}{WELL_KNOWN}{path}",
        resource.origin().ascii_serialization()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metadata_url_puts_the_well_known_segment_before_the_path() {
        let url = |s: &str| document_url(&Url::parse(s).unwrap());
        assert_eq!(
            url("https://mcp.example.com/mcp"),
            "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
        );
        assert_eq!(
            url("https://mcp.example.com/"),
            "https://mcp.example.com/.well-known/oauth-protected-resource"
        );
        assert_eq!(
            url("http://127.0.0.1:8787/team/mcp"),
            "http://127.0.0.1:8787/.well-known/oauth-protected-resource/team/mcp"
        );
    }
}
