//! OAuth mode of the HTTP server (`--auth oauth`) end to end: the real server in front of the
//! fake Sequentum API, users signed in at the test authorization server, in both upstream
//! modes. Each user sees only their own agents; tokens that are missing, expired, for another
//! audience or tampered get 401 with the challenge; a cursor and a task id are bound to their
//! user; no token reaches the log.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::{StatusCode, header};
use sequentum_mcp::{
    api::{Client, Credential, platform::Sequentum},
    mcp::{Server, Settings, toolsets::Selection},
    records::{cache::FileCache, cursor::CursorKey},
    transport::{
        HttpOptions,
        oauth::{OAuth, OAuthSettings, UpstreamFlag},
        serve_http_on,
    },
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::support::{
    FakeApi, FakeFile, Fault, Route, RunScript, Step,
    auth_server::{AuthServer, SERVER_CLIENT},
    rows,
};

/// The server, the fake API behind it and the authorization server its users sign in at.
struct Team {
    fake: FakeApi,
    auth: AuthServer,
    /// The public URL: `http://127.0.0.1:<port>/mcp`.
    url: String,
    stop: CancellationToken,
    _dir: TempDir,
}

impl Drop for Team {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

fn settings(
    auth: &AuthServer,
    fake: &FakeApi,
    public: &Url,
    mode: Option<UpstreamFlag>,
    client: Option<(&str, &str)>,
) -> OAuthSettings {
    OAuthSettings {
        public_url: public.clone(),
        issuer: Url::parse(&auth.issuer()).unwrap(),
        api_url: fake.base_url(),
        upstream: mode,
        client: client.map(|(id, secret)| (id.into(), secret.into())),
    }
}

/// A team server in `mode`; the authorization server offers token exchange in exchange mode.
async fn start(mode: UpstreamFlag) -> Team {
    start_with_client(mode, Some(SERVER_CLIENT)).await
}

/// As [`start`], the server authenticating at the authorization server as `client`.
async fn start_with_client(mode: UpstreamFlag, client: Option<(&str, &str)>) -> Team {
    let fake = FakeApi::start().await;
    let auth = AuthServer::start(mode == UpstreamFlag::Exchange, fake.base_url().as_str()).await;
    fake.accept_bearer(auth.api_user());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let public = Url::parse(&format!("http://{}/mcp", listener.local_addr().unwrap())).unwrap();
    let oauth = OAuth::start(&settings(&auth, &fake, &public, Some(mode), client))
        .await
        .expect("OAuth starts");
    let mut options = fake.client_options();
    options.credential = Credential::PerCaller;
    let platform = Arc::new(Sequentum::cloud(Client::new(options).unwrap()));
    let dir = tempfile::tempdir().unwrap();
    let tools = Settings {
        poll_interval: Some(std::time::Duration::from_millis(20)),
        output_dir: None,
        cache: FileCache::new(dir.path().join("cache"), 64 << 20),
        cursor_key: CursorKey::derive(&[b"oauth-test"]),
        caller_is_local: false,
    };
    let server = Server::new(platform, tools, &Selection::all()).unwrap();
    let stop = CancellationToken::new();
    let http = HttpOptions {
        oauth: Some(oauth),
        backend: "cloud".into(),
        ..HttpOptions::default()
    };
    tokio::spawn(serve_http_on(
        server,
        http,
        listener,
        stop.clone().cancelled_owned(),
    ));
    Team {
        fake,
        auth,
        url: public.to_string(),
        stop,
        _dir: dir,
    }
}

impl Team {
    fn origin(&self) -> String {
        self.url.trim_end_matches("/mcp").to_string()
    }

    fn metadata_url(&self) -> String {
        format!("{}/.well-known/oauth-protected-resource/mcp", self.origin())
    }

    /// A token for `user` issued for this server.
    fn token(&self, user: &str) -> String {
        self.auth.mint(user, &[&self.url], 3600)
    }

    /// POSTs a `tools/call` with `token`; the status, headers and JSON body.
    async fn call(
        &self,
        token: Option<&str>,
        tool: &str,
        args: Value,
    ) -> (StatusCode, header::HeaderMap, Value) {
        let body = json!({
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": tool, "arguments": args},
        });
        let mut request = reqwest::Client::new()
            .post(&self.url)
            .header(header::ACCEPT, "application/json, text/event-stream")
            .json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        (status, headers, json)
    }

    /// The tool's structured result, or its error text.
    async fn tool(&self, token: &str, tool: &str, args: Value) -> Result<Value, String> {
        let (status, _, body) = self.call(Some(token), tool, args).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let result = &body["result"];
        if result["isError"] == json!(true) {
            return Err(result["content"][0]["text"]
                .as_str()
                .unwrap_or_default()
                .to_string());
        }
        Ok(result["structuredContent"].clone())
    }

    async fn agent_names(&self, token: &str) -> Vec<String> {
        let listed = self.tool(token, "list_agents", json!({})).await.unwrap();
        listed["agents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_string())
            .collect()
    }
}

/// Asserts a 401 that leads the client to the resource metadata; `invalid`: the challenge
/// says a token was sent and refused.
fn assert_challenge(team: &Team, status: StatusCode, headers: &header::HeaderMap, invalid: bool) {
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let challenge = headers
        .get(header::WWW_AUTHENTICATE)
        .expect("a WWW-Authenticate challenge")
        .to_str()
        .unwrap();
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(
        challenge.contains(&format!("resource_metadata=\"{}\"", team.metadata_url())),
        "{challenge}"
    );
    assert_eq!(
        challenge.contains("error=\"invalid_token\""),
        invalid,
        "{challenge}"
    );
}

#[tokio::test]
async fn resource_metadata_names_the_server_and_its_authorization_server() {
    let team = start(UpstreamFlag::Exchange).await;
    for url in [
        team.metadata_url(),
        format!("{}/.well-known/oauth-protected-resource", team.origin()),
    ] {
        let document: Value = reqwest::get(&url).await.unwrap().json().await.unwrap();
        assert_eq!(document["resource"], team.url.as_str());
        assert_eq!(
            document["authorization_servers"],
            json!([team.auth.issuer()])
        );
        assert_eq!(document["bearer_methods_supported"], json!(["header"]));
        assert_eq!(
            document["scopes_supported"],
            json!(["agents:read", "agents:write", "runs:read"])
        );
    }
}

#[tokio::test]
async fn missing_expired_foreign_and_tampered_tokens_get_401_with_the_challenge() {
    let team = start(UpstreamFlag::Exchange).await;
    team.fake.add_agent_for("Alice shop", "alice");

    let (status, headers, body) = team.call(None, "list_agents", json!({})).await;
    assert_challenge(&team, status, &headers, false);
    assert_eq!(body["error"]["code"], -32001);

    let good = team.token("alice");
    let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    claims["sub"] = json!("bob");
    parts[1] = URL_SAFE_NO_PAD.encode(claims.to_string());
    let tampered = parts.join(".");
    let refused = [
        ("expired", team.auth.mint("alice", &[&team.url], -3600)),
        (
            "foreign audience",
            team.auth
                .mint("alice", &["https://other.example/mcp"], 3600),
        ),
        ("tampered", tampered),
        (
            "opaque without introspection",
            "not-a-jwt-at-all".to_string(),
        ),
    ];
    for (what, token) in refused {
        let (status, headers, _) = team.call(Some(&token), "list_agents", json!({})).await;
        assert_challenge(&team, status, &headers, true);
        assert!(status == StatusCode::UNAUTHORIZED, "{what}");
    }
    assert_eq!(
        team.fake.count(&Route::get("/api/v1/agent/all")),
        0,
        "no refused token reached the API"
    );
    assert_eq!(team.agent_names(&good).await, ["Alice shop"]);
}

#[tokio::test]
async fn opaque_tokens_are_checked_by_introspection_whose_answer_is_reused() {
    let team = start(UpstreamFlag::Exchange).await;
    team.fake.add_agent_for("Alice shop", "alice");
    let alice = team.auth.opaque("alice", &team.url);
    assert_eq!(team.agent_names(&alice).await, ["Alice shop"]);
    assert_eq!(team.agent_names(&alice).await, ["Alice shop"]);
    assert_eq!(
        team.auth.introspections(),
        1,
        "the answer is kept for a while"
    );

    let elsewhere = team.auth.opaque("alice", "https://other.example/mcp");
    let (status, headers, _) = team.call(Some(&elsewhere), "list_agents", json!({})).await;
    assert_challenge(&team, status, &headers, true);
}

#[tokio::test]
async fn with_token_exchange_each_user_sees_only_their_own_agents_and_no_token_passes_through() {
    let team = start(UpstreamFlag::Exchange).await;
    team.fake.add_agent_for("Alice shop", "alice");
    team.fake.add_agent_for("Bob books", "bob");
    let (alice, bob) = (team.token("alice"), team.token("bob"));

    assert_eq!(team.agent_names(&alice).await, ["Alice shop"]);
    assert_eq!(team.agent_names(&bob).await, ["Bob books"]);
    assert_eq!(team.agent_names(&alice).await, ["Alice shop"]);
    assert_eq!(
        team.auth.exchanges(),
        2,
        "one exchange per user token, then the cache"
    );

    let issued = team.auth.issued();
    for call in team.fake.calls(&Route::get("/api/v1/agent/all")) {
        let sent = call.authorization.unwrap();
        let token = sent.strip_prefix("Bearer ").unwrap();
        assert!(
            token != alice && token != bob,
            "a user's own token went to the API"
        );
        assert!(
            issued.iter().any(|t| t == token),
            "only exchanged tokens reach the API"
        );
    }
}

#[tokio::test]
async fn a_server_client_the_issuer_refuses_is_a_503_for_the_operator_not_a_sign_in_loop() {
    let team = start_with_client(UpstreamFlag::Exchange, Some((SERVER_CLIENT.0, "wrong"))).await;
    team.fake.add_agent_for("Alice shop", "alice");
    let (status, headers, body) = team
        .call(Some(&team.token("alice")), "list_agents", json!({}))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        headers.get(header::WWW_AUTHENTICATE).is_none(),
        "{headers:?}"
    );
}

#[tokio::test]
async fn forward_mode_sends_on_only_tokens_whose_audience_names_the_api() {
    let team = start(UpstreamFlag::Forward).await;
    team.fake.add_agent_for("Alice shop", "alice");
    let api = team
        .fake
        .base_url()
        .as_str()
        .trim_end_matches('/')
        .to_string();
    let both = team.auth.mint("alice", &[&team.url, &api], 3600);
    assert_eq!(team.agent_names(&both).await, ["Alice shop"]);
    let sent = team.fake.calls(&Route::get("/api/v1/agent/all"));
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some(format!("Bearer {both}").as_str())
    );

    let ours_only = team.token("alice");
    let (status, headers, _) = team.call(Some(&ours_only), "list_agents", json!({})).await;
    assert_challenge(&team, status, &headers, true);
    assert_eq!(team.fake.count(&Route::get("/api/v1/agent/all")), 1);
}

#[tokio::test]
async fn without_token_exchange_or_forward_the_server_refuses_to_start() {
    let fake = FakeApi::start().await;
    let public = Url::parse("http://127.0.0.1:9/mcp").unwrap();
    let plain = AuthServer::start(false, fake.base_url().as_str()).await;
    let err = OAuth::start(&settings(&plain, &fake, &public, None, Some(SERVER_CLIENT)))
        .await
        .unwrap_err();
    assert!(
        err.contains("offers no token exchange") && err.contains("--oauth-upstream forward"),
        "{err}"
    );
    let err = OAuth::start(&settings(
        &plain,
        &fake,
        &public,
        Some(UpstreamFlag::Exchange),
        Some(SERVER_CLIENT),
    ))
    .await
    .unwrap_err();
    assert!(err.contains("--oauth-upstream exchange needs"), "{err}");
    let exchanging = AuthServer::start(true, fake.base_url().as_str()).await;
    let chosen = OAuth::start(&settings(
        &exchanging,
        &fake,
        &public,
        None,
        Some(SERVER_CLIENT),
    ))
    .await
    .unwrap();
    assert!(
        chosen.describe().contains("token exchange"),
        "{}",
        chosen.describe()
    );
}

#[tokio::test]
async fn an_api_401_for_the_users_token_becomes_the_http_401() {
    let team = start(UpstreamFlag::Exchange).await;
    team.fake.add_agent_for("Alice shop", "alice");
    team.fake
        .inject(Route::get("/api/v1/agent/all"), Fault::Unauthorized, 1);
    let alice = team.token("alice");
    let (status, headers, _) = team.call(Some(&alice), "list_agents", json!({})).await;
    assert_challenge(&team, status, &headers, true);
    assert_eq!(
        team.agent_names(&alice).await,
        ["Alice shop"],
        "the next call goes through"
    );
}

#[tokio::test]
async fn an_api_403_for_a_missing_scope_becomes_the_http_403_naming_it() {
    let team = start(UpstreamFlag::Exchange).await;
    team.fake.add_agent_for("Alice shop", "alice");
    let scope = Fault::InsufficientScope("agents:read");
    team.fake.inject(Route::get("/api/v1/agent/all"), scope, 1);
    let alice = team.token("alice");
    let (status, headers, _) = team.call(Some(&alice), "list_agents", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let challenge = headers[header::WWW_AUTHENTICATE].to_str().unwrap();
    assert!(
        challenge.contains("error=\"insufficient_scope\"")
            && challenge.contains("scope=\"agents:read\"")
            && challenge.contains(&team.metadata_url()),
        "{challenge}"
    );
}

#[tokio::test]
async fn a_records_cursor_issued_to_one_user_is_refused_for_another() {
    let team = start(UpstreamFlag::Exchange).await;
    let agent = team.fake.add_agent_for("Alice shop", "alice");
    let script = RunScript::steps(vec![Step::new(9).data(30).exported(30).pages(3)])
        .with_files(vec![FakeFile::csv("output.csv", &rows(30))]);
    let run = team.fake.add_run(agent, script);
    let (alice, bob) = (team.token("alice"), team.token("bob"));
    let args = json!({"agent_id": agent, "run_id": run, "limit": 10});
    let first = team
        .tool(&alice, "fetch_records", args.clone())
        .await
        .unwrap();
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next cursor")
        .to_string();
    let next = json!({"agent_id": agent, "run_id": run, "limit": 10, "cursor": cursor});

    let refused = team
        .tool(&bob, "fetch_records", next.clone())
        .await
        .unwrap_err();
    assert!(refused.to_lowercase().contains("cursor"), "{refused}");
    let second = team.tool(&alice, "fetch_records", next).await.unwrap();
    assert_eq!(second["records"].as_array().unwrap().len(), 10);
}

/// An rmcp client in 2026-07-28 mode that declares MCP tasks, signed in with `token`.
async fn tasks_client(
    url: &str,
    token: &str,
) -> rmcp::service::RunningService<rmcp::RoleClient, rmcp::model::ClientConfig> {
    use rmcp::{
        ClientLifecycleMode, ClientServiceExt,
        model::{ClientCapabilities, ClientConfig, Implementation, ProtocolVersion},
        transport::{
            StreamableHttpClientTransport,
            streamable_http_client::StreamableHttpClientTransportConfig,
        },
    };
    let transport = StreamableHttpClientTransport::from_config(
        StreamableHttpClientTransportConfig::with_uri(url.to_string()).auth_header(token),
    );
    ClientConfig::new(
        ClientCapabilities::builder().enable_tasks().build(),
        Implementation::new("oauth-tasks", "1.0"),
    )
    .serve_with_lifecycle(
        transport,
        ClientLifecycleMode::Discover {
            preferred_versions: vec![ProtocolVersion::V_2026_07_28],
        },
    )
    .await
    .expect("the client connects")
}

#[tokio::test]
async fn a_task_id_follows_its_user_across_tokens_and_is_refused_for_another() {
    use rmcp::model::{CallToolRequestParams, CallToolResponse, GetTaskParams};
    let team = start(UpstreamFlag::Exchange).await;
    let agent = team.fake.add_agent_for("Alice shop", "alice");
    let alice = tasks_client(&team.url, &team.token("alice")).await;
    let run = CallToolRequestParams::new("run_agent")
        .with_arguments(json!({"agent_id": agent}).as_object().unwrap().clone());
    let CallToolResponse::Task(created) = alice.call_tool_once(run).await.unwrap() else {
        panic!("run_agent answers with a task for a client that declares tasks");
    };
    let id = created.task.task_id;
    let again = alice.get_task(GetTaskParams::new(id.clone())).await;
    assert!(again.is_ok(), "its user reads it: {again:?}");
    // Bound to the user, not to the token: after a refresh (a new token) it still opens.
    let refreshed = tasks_client(&team.url, &team.token("alice")).await;
    let after_refresh = refreshed.get_task(GetTaskParams::new(id.clone())).await;
    assert!(after_refresh.is_ok(), "{after_refresh:?}");

    let bob = tasks_client(&team.url, &team.token("bob")).await;
    let refused = bob.get_task(GetTaskParams::new(id)).await.unwrap_err();
    assert!(refused.to_string().contains("unknown task id"), "{refused}");
}

#[tokio::test]
async fn a_user_signs_in_with_pkce_and_dynamic_registration_and_calls_tools() {
    let team = start(UpstreamFlag::Exchange).await;
    team.fake.add_agent_for("Carol crawls", "carol");
    team.auth.approve_as("carol");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // What a client does on its own: the challenge, the metadata, the issuer's metadata.
    let (_, headers, _) = team.call(None, "list_agents", json!({})).await;
    let challenge = headers[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .to_string();
    let metadata_url = challenge.split('"').nth(1).unwrap();
    let resource: Value = http
        .get(metadata_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let issuer = resource["authorization_servers"][0].as_str().unwrap();
    let server: Value = http
        .get(format!("{issuer}/.well-known/oauth-authorization-server"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let redirect = "http://127.0.0.1:1/callback";
    let registered: Value = http
        .post(server["registration_endpoint"].as_str().unwrap())
        .json(&json!({"client_name": "test", "redirect_uris": [redirect], "token_endpoint_auth_method": "none"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let client_id = registered["client_id"].as_str().unwrap();
    let verifier = format!("verifier-{:032x}", fastrand::u128(..));
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let mut authorize = Url::parse(server["authorization_endpoint"].as_str().unwrap()).unwrap();
    authorize
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("state", "s1")
        .append_pair("resource", resource["resource"].as_str().unwrap());
    let approved = http.get(authorize).send().await.unwrap();
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let back = Url::parse(approved.headers()[header::LOCATION].to_str().unwrap()).unwrap();
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .to_string();
    let form = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("client_id", client_id),
            ("redirect_uri", redirect),
            ("code_verifier", verifier.as_str()),
            ("resource", resource["resource"].as_str().unwrap()),
        ])
        .finish();
    let tokens: Value = http
        .post(server["token_endpoint"].as_str().unwrap())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().expect("an access token");
    assert_eq!(team.agent_names(access).await, ["Carol crawls"]);
}

/// The real binary in OAuth mode at `RUST_LOG=trace` (its own log setup, as deployed): after
/// a signed-in call, a refused token and an API 401, no token's signature is anywhere in
/// stderr.
#[tokio::test]
async fn no_token_reaches_the_log_of_the_binary_even_at_trace_level() {
    use std::io::BufRead as _;
    let fake = FakeApi::start().await;
    let auth = AuthServer::start(true, fake.base_url().as_str()).await;
    fake.accept_bearer(auth.api_user());
    fake.add_agent_for("Alice shop", "alice");
    let data = tempfile::tempdir().unwrap();
    // The public URL names the resource (what tokens are issued for); clients reach the
    // server on its loopback port, whatever the public URL says.
    let public = "http://127.0.0.1:1/mcp";
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sequentum-mcp"));
    for (name, _) in std::env::vars() {
        if ["SEQUENTUM_", "MCP_", "DECK_"]
            .iter()
            .any(|p| name.starts_with(p))
        {
            command.env_remove(name);
        }
    }
    let mut child = command
        .args([
            "serve",
            "--transport",
            "http",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(data.path())
        .env("RUST_LOG", "trace")
        .env("MCP_AUTH", "oauth")
        .env("MCP_PUBLIC_URL", public)
        .env("MCP_OAUTH_ISSUER", auth.issuer())
        .env("MCP_OAUTH_CLIENT_ID", SERVER_CLIENT.0)
        .env("MCP_OAUTH_CLIENT_SECRET", SERVER_CLIENT.1)
        .env("SEQUENTUM_API_URL", fake.base_url().as_str())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in stderr.lines().map_while(Result::ok) {
            let _ = lines_tx.send(line.clone());
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let address = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        loop {
            let line = lines.recv().await.expect("the server logs its address");
            if let Some(rest) = line.split("MCP Streamable HTTP at ").nth(1) {
                return rest.split_whitespace().next().unwrap().to_string();
            }
        }
    })
    .await
    .expect("the server started");

    let alice = auth.mint("alice", &[public], 3600);
    let expired = auth.mint("alice", &[public], -3600);
    let post = |token: String| {
        let address = address.clone();
        async move {
            reqwest::Client::new()
                .post(&address)
                .header(header::ACCEPT, "application/json, text/event-stream")
                .bearer_auth(token)
                .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                    "params": {"name": "list_agents", "arguments": {}}}))
                .send()
                .await
                .unwrap()
        }
    };
    let listed: Value = post(alice.clone()).await.json().await.unwrap();
    assert_eq!(
        listed["result"]["structuredContent"]["agents"][0]["name"],
        "Alice shop"
    );
    assert_eq!(
        post(expired.clone()).await.status(),
        StatusCode::UNAUTHORIZED
    );
    fake.inject(Route::get("/api/v1/agent/all"), Fault::Unauthorized, 1);
    assert_eq!(post(alice.clone()).await.status(), StatusCode::UNAUTHORIZED);

    child.kill().unwrap();
    child.wait().unwrap();
    let log = reader.join().unwrap();
    assert!(log.contains("TRACE"), "the log was at trace level");
    let mut secrets = vec![alice, expired];
    secrets.extend(auth.issued());
    assert_eq!(secrets.len(), 3, "one exchanged token");
    for secret in secrets {
        // A token's signature alone would identify it.
        let signature = secret.rsplit('.').next().unwrap();
        assert!(!log.contains(signature), "a token reached stderr");
    }
    assert!(
        !log.contains(SERVER_CLIENT.1),
        "the client secret reached stderr"
    );
}
