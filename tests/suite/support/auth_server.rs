//! A test OAuth authorization server on 127.0.0.1, for the OAuth mode of the HTTP server:
//! metadata (RFC 8414), a JWKS with one RS256 key, introspection of opaque tokens (RFC 7662), dynamic client registration (RFC 7591), a
//! PKCE authorization endpoint that a scripted user approves at once (as `login_hint`, else
//! as `approve_as`), and a token endpoint
//! with `authorization_code` and token exchange (RFC 8693). Its tokens are JWTs; tests also
//! mint them directly (`mint`), expired or for another audience, and `api_user` tells the fake
//! Sequentum API whose token it was sent.
//!
//! The signing key below is a throwaway generated for these tests; it protects nothing.

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use axum::{
    Form, Json, Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation,
    jwk::{Jwk, JwkSet},
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::task::JoinHandle;

const TEST_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCSIQWLWQZypzU1
LjDwuuMmkbsFK+Fp16vDep57/WunZzr4wnBZDv28nayHpKwobcixBqyYOo0eM3v+
mnX3MN7DmVL2KghzjkCrPaU4NnSTH725VvaxZJRHhhHR5O63wCD1lt5vEicgBoYB
NoBSDvMPi844SuT6N/SQZVlZvdc81nlOMclX7XdUFDGs/5LnB2KciKutFYxjPm3i
FUrBE+NpdwRxNsSZFFjJpVw6na0WE2h7zNF4DOkCCoMRG/J8dhSXqWKemq0RlgY6
SDVOAXAiuc70J5ivNvjTqZsEawDfuPvQ53Q2klD/Z7nK3nYdA7nNaQkObk1fKrYR
B0mZ9pjvAgMBAAECggEAFofSNlqy7HlCHOxS+MBNRvnFNNY/2nU5sy7JbM31YUmW
BXDaqFXwDWWKNR0mENMMfy72QZUVg7M7H6sVG9iEdZ1toILOlsfiH1pRNR+Voxw2
a8iFdMh7NvlBmh6K0qNkRuQiG6IC4k80g3oHGEqHHhMs5++0P62M9GPhU5LlCCjA
XfK79MKAMIBj8ospyfkkeOdLoEGVIZNZyDvTjcn9JtKiSqRuN8ANGImHzp5lgdyp
cSn6dlRJ82T4h8qYoO8YMJfJg6o7AJxbCYDMekdeYW7yqACywsuuSm3kXjD2kWPN
NweasIMAiUGJivsbMqSIWJ/acT4hao3aXX64LFKwsQKBgQDLD5ytWoO5149mhkl8
vMTL17oHAsa9+0E2UrXU5zcoGV/uDxj8WK+oP5eTVBBbouLXKgliM7OCNIMxdnbv
VlagJqwgbHCPl926c4/JLcd2oPC/4iQOkW6AZjej0Jf49KjHH5f0F2W6IiN0RxUK
kcK4bHB/ApB8jyCMQlHkueOGlQKBgQC4Ob2uZ3yh/4CCULSGN7KgCkf7z8GBDhJy
boyC1QsWZXYZPTXlZh5WtDZHKmS+1tX0Q8bBKIM2vgRoO+5sB7YROKDZ7oKVl4ep
fCOJ28rj2cglAM1wUkhVRuGFIEQSlWwWn9wDuY44V4wvcYd+jStYKdqmoUstiaTv
kh0shWeUcwKBgCRAYURBiIrBBQTUrIHsYWXS2Y8u27RHCtlb4sJjlOE/xnSFlXxX
iOSMlc7jjxgM+FpZUtuJR17TaSiHcaxAya5FuS0ArwezoQ4MW3sbBSUUjmZzROSk
6glaNky0jK0RYKBL76DQHIUiWxoDJqqAYzbxhRPnrUvPcYwYuu4OkaQRAoGBAIqt
BGjlg78aau0tvUaPZMnuE1Oth1cTdbVoHCNcJZV9WNIU7p45KbtQus8FTYMOi03t
Ow8p5OPvU7f27Tmq8FW0T/jc/rWGtFtTlBjxN6AezvdzzDGx7rsquRaSPEvU6OF7
Ao5XPoSQ+ni4OCt+LtOV5f6qycGErICed5GM9nSbAoGBAIY6Q6qDBBt0oT/4RcJE
ssNg+VYlqAFHvAJNfF7YPBgKU69a/GB4YNJLJbqow4mdVUBStiY97jT/xGxCQ60q
o1/bgmIrrcjfXizAZFDokqFrPzoUz6lWYBV0uZJePFZYGaljKxz19MYtvzsULIxo
9L+ytf4p0JjVO6nGS07Oj0Tr
-----END PRIVATE KEY-----";
const KID: &str = "test-key-1";
pub const EXCHANGE_GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// The client id and secret the MCP server authenticates with for token exchange.
pub const SERVER_CLIENT: (&str, &str) = ("sequentum-mcp", "server-secret-7f3a");

pub struct AuthServer {
    shared: Arc<AsShared>,
    addr: SocketAddr,
    server: JoinHandle<()>,
}

impl Drop for AuthServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

struct AsShared {
    issuer: String,
    /// The Sequentum API's URL: exchanged tokens are issued for it.
    api: String,
    /// Whether the metadata lists token exchange (and the endpoint performs it).
    exchange: bool,
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwk: Jwk,
    state: Mutex<AsState>,
}

#[derive(Default)]
struct AsState {
    /// The user who approves the next authorization (the scripted consent).
    approver: Option<String>,
    clients: HashMap<String, Vec<String>>,
    /// code -> (client, redirect_uri, challenge, resource, user)
    codes: HashMap<String, (String, String, String, String, String)>,
    /// Every access token issued by the token endpoint, in order.
    issued: Vec<String>,
    exchanges: usize,
    /// Opaque tokens: token -> (user, audience).
    opaque: HashMap<String, (String, String)>,
    introspections: usize,
}

impl AuthServer {
    /// `exchange`: whether it offers token exchange; `api`: the API's URL.
    pub async fn start(exchange: bool, api: &str) -> AuthServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let encoding = EncodingKey::from_rsa_pem(TEST_KEY.as_bytes()).unwrap();
        let mut jwk = Jwk::from_encoding_key(&encoding, Algorithm::RS256).unwrap();
        jwk.common.key_id = Some(KID.into());
        let decoding = DecodingKey::from_jwk(&jwk).unwrap();
        let shared = Arc::new(AsShared {
            issuer: format!("http://{addr}"),
            api: api.trim_end_matches('/').to_string(),
            exchange,
            encoding,
            decoding,
            jwk,
            state: Mutex::default(),
        });
        let app = Router::new()
            .route("/.well-known/oauth-authorization-server", get(metadata))
            .route("/jwks", get(jwks))
            .route("/register", post(register))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/introspect", post(introspect))
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        AuthServer {
            shared,
            addr,
            server,
        }
    }

    pub fn issuer(&self) -> String {
        self.shared.issuer.clone()
    }

    /// The user who approves the next authorization request.
    pub fn approve_as(&self, user: &str) {
        self.state().approver = Some(user.to_string());
    }

    /// A token for `user` naming `audiences`, expiring `lifetime` seconds from now (negative:
    /// already expired).
    pub fn mint(&self, user: &str, audiences: &[&str], lifetime: i64) -> String {
        mint(&self.shared, user, audiences, lifetime)
    }

    /// The user of a token this server signed for the API, as the API would check it.
    pub fn api_user(&self) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
        let shared = self.shared.clone();
        move |token| {
            let mut validation = Validation::new(Algorithm::RS256);
            validation.set_audience(&[shared.api.as_str()]);
            validation.set_issuer(&[shared.issuer.as_str()]);
            let data = jsonwebtoken::decode::<Value>(token, &shared.decoding, &validation).ok()?;
            data.claims["sub"].as_str().map(str::to_string)
        }
    }

    /// An opaque (non-JWT) token for `user` issued for `audience`, which only introspection
    /// can tell about.
    pub fn opaque(&self, user: &str, audience: &str) -> String {
        let token = format!("opaque-{:032x}", fastrand::u128(..));
        self.state()
            .opaque
            .insert(token.clone(), (user.to_string(), audience.to_string()));
        token
    }

    pub fn introspections(&self) -> usize {
        self.state().introspections
    }

    /// Every access token the token endpoint issued.
    pub fn issued(&self) -> Vec<String> {
        self.state().issued.clone()
    }

    pub fn exchanges(&self) -> usize {
        self.state().exchanges
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn state(&self) -> std::sync::MutexGuard<'_, AsState> {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn mint(shared: &AsShared, user: &str, audiences: &[&str], lifetime: i64) -> String {
    let now = jsonwebtoken::get_current_timestamp() as i64;
    let claims = json!({
        "iss": shared.issuer,
        "sub": user,
        "aud": audiences,
        "iat": now,
        "exp": now + lifetime,
        "jti": format!("{:016x}", fastrand::u64(..)),
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(KID.into());
    jsonwebtoken::encode(&header, &claims, &shared.encoding).unwrap()
}

async fn metadata(State(shared): State<Arc<AsShared>>) -> Json<Value> {
    let base = &shared.issuer;
    let mut grants = vec!["authorization_code", "refresh_token"];
    if shared.exchange {
        grants.push(EXCHANGE_GRANT);
    }
    Json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "registration_endpoint": format!("{base}/register"),
        "jwks_uri": format!("{base}/jwks"),
        "introspection_endpoint": format!("{base}/introspect"),
        "response_types_supported": ["code"],
        "grant_types_supported": grants,
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_basic"],
        "scopes_supported": ["agents:read", "agents:write", "runs:read"],
    }))
}

async fn jwks(State(shared): State<Arc<AsShared>>) -> Json<JwkSet> {
    Json(JwkSet {
        keys: vec![shared.jwk.clone()],
    })
}

async fn register(State(shared): State<Arc<AsShared>>, Json(body): Json<Value>) -> Response {
    let redirects: Vec<String> = body["redirect_uris"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|u| u.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if redirects.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_redirect_uri"})),
        )
            .into_response();
    }
    let id = format!("client-{:08x}", fastrand::u32(..));
    let mut state = shared.state.lock().unwrap();
    state.clients.insert(id.clone(), redirects.clone());
    let mut answer = body.clone();
    answer["client_id"] = json!(id);
    answer["token_endpoint_auth_method"] = json!("none");
    (StatusCode::CREATED, Json(answer)).into_response()
}

/// The scripted user approves at once: straight back to the client with a code.
async fn authorize(
    State(shared): State<Arc<AsShared>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let mut state = shared.state.lock().unwrap();
    let known = state
        .clients
        .get(&get("client_id"))
        .is_some_and(|uris| uris.contains(&get("redirect_uri")));
    if !known || get("code_challenge_method") != "S256" || get("response_type") != "code" {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_request"})),
        )
            .into_response();
    }
    // The scripted user signs in as the account the client hinted at, else as `approve_as`.
    let hinted = q.get("login_hint").cloned();
    let Some(user) = hinted.or_else(|| state.approver.clone()) else {
        return (StatusCode::FORBIDDEN, "no user is signed in").into_response();
    };
    let code = format!("code-{:016x}", fastrand::u64(..));
    state.codes.insert(
        code.clone(),
        (
            get("client_id"),
            get("redirect_uri"),
            get("code_challenge"),
            get("resource"),
            user,
        ),
    );
    let mut target = url::Url::parse(&get("redirect_uri")).unwrap();
    target
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &get("state"))
        .append_pair("iss", &shared.issuer);
    Redirect::to(target.as_str()).into_response()
}

async fn token(
    State(shared): State<Arc<AsShared>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let refuse =
        |error: &str| (StatusCode::BAD_REQUEST, Json(json!({"error": error}))).into_response();
    let access = match get("grant_type").as_str() {
        "authorization_code" => {
            let Some((client, redirect, challenge, resource, user)) =
                shared.state.lock().unwrap().codes.remove(&get("code"))
            else {
                return refuse("invalid_grant");
            };
            let verifier = URL_SAFE_NO_PAD.encode(Sha256::digest(get("code_verifier").as_bytes()));
            if client != get("client_id")
                || redirect != get("redirect_uri")
                || verifier != challenge
            {
                return refuse("invalid_grant");
            }
            if !get("resource").is_empty() && get("resource") != resource {
                return refuse("invalid_target");
            }
            mint(&shared, &user, &[resource.as_str()], 3600)
        }
        EXCHANGE_GRANT if shared.exchange => {
            if !server_client(&headers) {
                return (
                    StatusCode::UNAUTHORIZED,
                    Json(json!({"error": "invalid_client"})),
                )
                    .into_response();
            }
            let Some(user) = subject_of(&shared, &get("subject_token")) else {
                return refuse("invalid_grant");
            };
            if get("resource") != shared.api && get("resource") != format!("{}/", shared.api) {
                return refuse("invalid_target");
            }
            shared.state.lock().unwrap().exchanges += 1;
            mint(&shared, &user, &[shared.api.as_str()], 600)
        }
        _ => return refuse("unsupported_grant_type"),
    };
    shared.state.lock().unwrap().issued.push(access.clone());
    Json(json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": 600,
        "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
    }))
    .into_response()
}

/// Whether a request authenticates as the MCP server's own client (HTTP Basic).
fn server_client(headers: &HeaderMap) -> bool {
    let expected = format!("{}:{}", SERVER_CLIENT.0, SERVER_CLIENT.1);
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .is_some_and(|given| given == expected.as_bytes())
}

/// The user of a token this server issued, JWT or opaque, whatever its audience.
fn subject_of(shared: &AsShared, token: &str) -> Option<String> {
    if let Some((user, _)) = shared.state.lock().unwrap().opaque.get(token) {
        return Some(user.clone());
    }
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_aud = false;
    let data = jsonwebtoken::decode::<Value>(token, &shared.decoding, &validation).ok()?;
    data.claims["sub"].as_str().map(str::to_string)
}

/// RFC 7662 introspection of opaque tokens, for the server's own client only.
async fn introspect(
    State(shared): State<Arc<AsShared>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !server_client(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let mut state = shared.state.lock().unwrap();
    state.introspections += 1;
    let token = form.get("token").cloned().unwrap_or_default();
    let Some((user, audience)) = state.opaque.get(&token) else {
        return Json(json!({"active": false})).into_response();
    };
    let now = jsonwebtoken::get_current_timestamp();
    Json(json!({
        "active": true, "sub": user, "aud": audience, "iss": shared.issuer,
        "exp": now + 3600, "token_type": "Bearer",
    }))
    .into_response()
}
