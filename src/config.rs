//! Command-line flags and environment variables, turned into validated settings.
//!
//! Every flag has an environment twin, so MCP client configs can use either. Credentials use
//! the same variables as Sequentum's official server (`SEQUENTUM_API_KEY`, `SEQUENTUM_API_URL`).
//!
//! Boolean flags take `action = ArgAction::SetTrue, value_parser = BoolishValueParser::new()`:
//! clap's default parser for a flag's environment twin knows only `true` and `false`, and a
//! server that exits at start over `=1` shows up in an MCP client as a bare disconnect. With
//! it `1`, `yes`, `on`, `TRUE` (and `0`, `no`, `off`, `false`) work in any case.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{ArgAction, Args, ValueEnum, builder::BoolishValueParser};
use url::Url;

use crate::{
    api::Credential,
    transport::{
        oauth::{OAuthSettings, UpstreamFlag},
        options as limits,
    },
};

/// Where the tools send their API calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendFlag {
    /// Cloud when a Sequentum key or token is set, Deck when only DECK_API_KEY is, else the
    /// embedded engine.
    Auto,
    /// Sequentum cloud (needs SEQUENTUM_API_KEY or SEQUENTUM_ACCESS_TOKEN).
    Cloud,
    /// The embedded local engine.
    Local,
    /// Deck (deck.co) v2 (needs DECK_API_KEY).
    Deck,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TransportFlag {
    /// MCP over stdin/stdout (what MCP client configs launch).
    Stdio,
    /// Streamable HTTP on /mcp, legacy HTTP+SSE on /sse, and /health.
    Http,
}

/// Where a server's embedded engine runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineMode {
    /// One background engine per data directory, shared by every server process; runs outlive
    /// the server that started them.
    Shared,
    /// Inside this process; runs stop when it exits (tests, one-off scripts).
    InProcess,
}

/// Credentials and backend selection.
#[derive(Debug, Clone, Args)]
pub struct BackendArgs {
    /// Backend to use.
    #[arg(long, value_enum, default_value = "auto", env = "SEQUENTUM_BACKEND")]
    pub backend: BackendFlag,
    /// Sequentum API key, sent as `Authorization: ApiKey <key>`.
    #[arg(long, env = "SEQUENTUM_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// OAuth access token, sent as `Authorization: Bearer <token>` (wins over the API key).
    #[arg(long, env = "SEQUENTUM_ACCESS_TOKEN", hide_env_values = true)]
    pub access_token: Option<String>,
    /// Sequentum API base URL.
    #[arg(
        long,
        env = "SEQUENTUM_API_URL",
        default_value = "https://dashboard.sequentum.com"
    )]
    pub api_url: String,
    /// Deck secret key (sk_live_…), sent as `Authorization: Bearer <key>`.
    #[arg(long, env = "DECK_API_KEY", hide_env_values = true)]
    pub deck_api_key: Option<String>,
    /// Deck API base URL.
    #[arg(long, env = "DECK_API_URL", default_value = crate::deck::client::DEFAULT_URL)]
    pub deck_api_url: String,
}

/// Settings of the embedded engine.
#[derive(Debug, Clone, Args)]
pub struct EngineArgs {
    /// Directory for the engine's database, downloaded records and exports
    /// [default: the platform data directory, e.g. ~/.local/share/sequentum-mcp].
    #[arg(long, env = "SEQUENTUM_MCP_DATA_DIR", value_parser = data_dir_value())]
    pub data_dir: Option<PathBuf>,
    /// Runs the engine executes at once; more starts wait in Queuing.
    #[arg(long, default_value_t = 2, env = "SEQUENTUM_MCP_WORKERS")]
    pub workers: usize,
    /// Ignore robots.txt: fetch pages it disallows and do not wait for its Crawl-delay (only
    /// for sites you may crawl).
    #[arg(long, env = "SEQUENTUM_MCP_IGNORE_ROBOTS", action = ArgAction::SetTrue, value_parser = BoolishValueParser::new())]
    pub ignore_robots: bool,
    /// Rest between two requests to the same site (scheme, host and port), in milliseconds;
    /// with a rest, a site gets one request at a time. Other sites are not slowed.
    #[arg(long, default_value_t = 0, env = "SEQUENTUM_MCP_FETCH_DELAY_MS")]
    pub fetch_delay_ms: u64,
    /// Requests one site may have in flight at once, across every run (raise it only for
    /// sites you trust to take the load).
    #[arg(
        long,
        default_value_t = crate::local::fetch::DEFAULT_SITE_CONCURRENCY,
        value_parser = clap::value_parser!(u16).range(1..),
        env = "SEQUENTUM_MCP_SITE_CONCURRENCY"
    )]
    pub site_concurrency: u16,
    /// Retries of a page that failed in a way that may pass (HTTP 408, 429, 5xx, timeouts,
    /// resets), with growing waits; a 429 or 503 waits out the site's Retry-After (at most 60 s).
    #[arg(
        long,
        default_value_t = crate::local::fetch::DEFAULT_RETRIES,
        value_parser = clap::value_parser!(u32).range(0..=10),
        env = "SEQUENTUM_MCP_FETCH_RETRIES"
    )]
    pub fetch_retries: u32,
    /// Let remote callers (HTTP mode) point the engine at loopback, private, link-local and
    /// metadata addresses (only for a trusted setup; on stdio they are always allowed).
    #[arg(long, env = "SEQUENTUM_MCP_ALLOW_PRIVATE_TARGETS", action = ArgAction::SetTrue, value_parser = BoolishValueParser::new())]
    pub allow_private_targets: bool,
    /// Whether the engine's callers are remote (set by the HTTP transport, not a flag): then
    /// the engine refuses private targets unless `allow_private_targets`.
    #[arg(skip)]
    pub remote_callers: bool,
}

/// The data directory alone, for the commands that only look for its engine.
#[derive(Debug, Clone, Args)]
pub struct DataDirArgs {
    /// The engine's data directory [default: the platform data directory].
    #[arg(long, env = "SEQUENTUM_MCP_DATA_DIR", value_parser = data_dir_value())]
    pub data_dir: Option<PathBuf>,
}

impl DataDirArgs {
    pub fn resolve(&self) -> PathBuf {
        resolve_data_dir(self.data_dir.as_ref())
    }
}

/// A data directory value that may be empty. Launchers that fill in a form field the user left
/// blank (Claude Desktop's bundle settings) set `SEQUENTUM_MCP_DATA_DIR=""`; that means "the
/// default", where clap's path parser would refuse to start.
fn data_dir_value() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    use clap::builder::TypedValueParser as _;
    clap::builder::OsStringValueParser::new().map(PathBuf::from)
}

/// The given data directory (unless blank), or `sequentum-mcp` in the platform data directory.
fn resolve_data_dir(given: Option<&PathBuf>) -> PathBuf {
    let given = given.filter(|dir| !dir.as_os_str().is_empty());
    given.cloned().unwrap_or_else(|| {
        dirs::data_dir()
            .unwrap_or_else(std::env::temp_dir)
            .join("sequentum-mcp")
    })
}

/// Flags of `serve` (also accepted with no subcommand).
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Transport to serve MCP on.
    #[arg(long, value_enum, default_value = "stdio", env = "MCP_TRANSPORT")]
    pub transport: TransportFlag,
    /// Address for --transport http. Non-loopback addresses require --auth-token or --auth oauth.
    #[arg(long, default_value = "127.0.0.1:8787", env = "MCP_LISTEN")]
    pub listen: SocketAddr,
    /// Bearer token HTTP clients must send (`Authorization: Bearer <token>`).
    #[arg(long, env = "MCP_AUTH_TOKEN", hide_env_values = true)]
    pub auth_token: Option<String>,
    #[command(flatten)]
    pub auth: AuthArgs,
    /// Extra Host header values to accept over HTTP (repeatable), e.g. mcp.example.com.
    #[arg(
        long = "allowed-host",
        env = "MCP_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,
    /// Extra browser Origins to accept over HTTP (repeatable), e.g. https://app.example.com.
    #[arg(
        long = "allowed-origin",
        env = "MCP_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    #[command(flatten)]
    pub http_limits: HttpLimitArgs,
    /// Directory where save_records writes whole datasets (stdio only)
    /// [default: <data-dir>/exports].
    #[arg(long, env = "SEQUENTUM_MCP_OUTPUT_DIR")]
    pub output_dir: Option<PathBuf>,
    #[arg(long, env = "SEQUENTUM_MCP_READ_ONLY", action = ArgAction::SetTrue, value_parser = BoolishValueParser::new(), help = help::read_only())]
    pub read_only: bool,
    /// Where the embedded engine runs.
    #[arg(
        long,
        value_enum,
        default_value = "shared",
        env = "SEQUENTUM_MCP_ENGINE_MODE"
    )]
    pub engine_mode: EngineMode,
    #[command(flatten)]
    pub toolsets: ToolsetArgs,
    #[command(flatten)]
    pub backend: BackendArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// How HTTP clients sign in: one shared token, or each user with OAuth (README "Sign-in for
/// a team").
#[derive(Debug, Clone, Default, Args)]
pub struct AuthArgs {
    /// How HTTP clients prove who they are: `token` (the one --auth-token; the default when it
    /// is set) or `oauth` (each user signs in to Sequentum and acts as themselves).
    #[arg(long = "auth", value_enum, env = "MCP_AUTH")]
    pub mode: Option<AuthFlag>,
    /// This server's URL as clients reach it (through any proxy), e.g.
    /// https://mcp.example.com/mcp; OAuth tokens must be issued for it.
    #[arg(long, env = "MCP_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The OAuth authorization server users sign in with [default: the Sequentum API URL].
    #[arg(long, env = "MCP_OAUTH_ISSUER")]
    pub oauth_issuer: Option<String>,
    /// How the server gets each user's token for the Sequentum API [default: `exchange` when
    /// the authorization server offers token exchange].
    #[arg(long, value_enum, env = "MCP_OAUTH_UPSTREAM")]
    pub oauth_upstream: Option<UpstreamFlag>,
    /// Client id this server authenticates with at the authorization server (token exchange,
    /// introspection), when it requires one.
    #[arg(long, env = "MCP_OAUTH_CLIENT_ID")]
    pub oauth_client_id: Option<String>,
    /// Secret of --oauth-client-id.
    #[arg(long, env = "MCP_OAUTH_CLIENT_SECRET", hide_env_values = true)]
    pub oauth_client_secret: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthFlag {
    /// One shared bearer token (--auth-token) for every client; the server's own credential
    /// calls the API.
    Token,
    /// Each user signs in with OAuth; the API is called with that user's token.
    Oauth,
}

/// Who may call the HTTP server, after the flags were checked against each other.
#[derive(Debug, Clone)]
pub enum AuthMode {
    /// No sign-in (loopback only).
    Open,
    /// One shared bearer token.
    Token(String),
    /// Each user signs in.
    OAuth(Box<OAuthSettings>),
}

impl ServeArgs {
    /// Decides how HTTP clients sign in, refusing mixed or incomplete settings with the reason
    /// and what to change.
    pub fn auth_mode(&self) -> Result<AuthMode, String> {
        let auth = &self.auth;
        let token = set(&self.auth_token);
        let oauth_only = [
            ("--public-url (MCP_PUBLIC_URL)", auth.public_url.is_some()),
            (
                "--oauth-issuer (MCP_OAUTH_ISSUER)",
                auth.oauth_issuer.is_some(),
            ),
            (
                "--oauth-upstream (MCP_OAUTH_UPSTREAM)",
                auth.oauth_upstream.is_some(),
            ),
            (
                "--oauth-client-id (MCP_OAUTH_CLIENT_ID)",
                auth.oauth_client_id.is_some(),
            ),
        ];
        match (auth.mode, token) {
            (Some(AuthFlag::Oauth), Some(_)) => Err(
                "--auth oauth and --auth-token (MCP_AUTH_TOKEN) are two ways of signing in and cannot be mixed; unset MCP_AUTH_TOKEN for OAuth, or drop --auth oauth to keep the shared token".into(),
            ),
            (Some(AuthFlag::Oauth), None) => self
                .oauth_settings()
                .map(|settings| AuthMode::OAuth(Box::new(settings))),
            (Some(AuthFlag::Token), None) => Err(
                "--auth token needs the token itself: set --auth-token (MCP_AUTH_TOKEN)".into(),
            ),
            (_, token) => match oauth_only.iter().find(|(_, given)| *given) {
                Some((flag, _)) => Err(format!(
                    "{flag} belongs to OAuth sign-in; add --auth oauth (MCP_AUTH=oauth), or remove it"
                )),
                None => Ok(token.map_or(AuthMode::Open, AuthMode::Token)),
            },
        }
    }

    fn oauth_settings(&self) -> Result<OAuthSettings, String> {
        if self.transport != TransportFlag::Http {
            return Err("--auth oauth signs in users of --transport http; over stdio the client starts the server itself, with its own key".into());
        }
        if matches!(self.backend.backend, BackendFlag::Local | BackendFlag::Deck) {
            return Err("--auth oauth signs users in to Sequentum cloud, so it needs --backend cloud (or auto); the embedded engine and Deck have no users to sign in".into());
        }
        if set(&self.backend.api_key).is_some() || set(&self.backend.access_token).is_some() {
            return Err("--auth oauth calls the API with each user's own token, so a server-wide SEQUENTUM_API_KEY or SEQUENTUM_ACCESS_TOKEN must not be set beside it; remove it".into());
        }
        let auth = &self.auth;
        let public_url = set(&auth.public_url).ok_or(
            "--auth oauth needs --public-url (MCP_PUBLIC_URL): this server's URL as clients reach it, e.g. https://mcp.example.com/mcp; behind a proxy the server cannot guess it",
        )?;
        let public_url = oauth_url("--public-url", &public_url)?;
        let api_url = oauth_url("SEQUENTUM_API_URL", &self.backend.api_url)?;
        let issuer = match set(&auth.oauth_issuer) {
            Some(issuer) => oauth_url("--oauth-issuer", &issuer)?,
            None => api_url.clone(),
        };
        let client = match (set(&auth.oauth_client_id), set(&auth.oauth_client_secret)) {
            (Some(id), Some(secret)) => Some((id, secret)),
            (None, None) => None,
            _ => {
                return Err(
                    "--oauth-client-id and --oauth-client-secret go together; set both or neither"
                        .into(),
                );
            }
        };
        Ok(OAuthSettings {
            public_url,
            issuer,
            api_url,
            upstream: auth.oauth_upstream,
            client,
        })
    }
}

/// A URL OAuth may rely on: https (http only on loopback, for tests and local trials),
/// without query, fragment or user information.
fn oauth_url(flag: &str, text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|_| {
        format!("{flag} {text:?} is not a URL; give e.g. https://mcp.example.com/mcp")
    })?;
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if !(url.scheme() == "https" || (url.scheme() == "http" && loopback)) {
        return Err(format!(
            "{flag} must be an https URL (http only on localhost), got {text:?}"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(format!(
            "{flag} must not carry a query, fragment or user name, got {text:?}"
        ));
    }
    Ok(url)
}

/// Connection and request limits of `--transport http` (the README's limits table).
#[derive(Debug, Clone, Args)]
pub struct HttpLimitArgs {
    /// HTTP connections served at once; more are answered 503.
    #[arg(long, default_value_t = limits::MAX_CONNECTIONS, env = "MCP_MAX_CONNECTIONS")]
    pub max_connections: usize,
    /// HTTP connections one client address may hold at once (0: no per-client cap).
    #[arg(long, default_value_t = limits::MAX_CONNECTIONS_PER_CLIENT, env = "MCP_MAX_CONNECTIONS_PER_CLIENT")]
    pub max_connections_per_client: usize,
    /// HTTP requests a second one client address may send; more get 429 (0: no limit).
    #[arg(long, default_value_t = limits::CLIENT_RATE.per_second, env = "MCP_CLIENT_RATE")]
    pub client_rate: u32,
    /// HTTP requests one client address may send in a burst before its rate applies.
    #[arg(long, default_value_t = limits::CLIENT_RATE.burst, env = "MCP_CLIENT_BURST")]
    pub client_burst: u32,
}

impl Default for HttpLimitArgs {
    fn default() -> Self {
        Self {
            max_connections: limits::MAX_CONNECTIONS,
            max_connections_per_client: limits::MAX_CONNECTIONS_PER_CLIENT,
            client_rate: limits::CLIENT_RATE.per_second,
            client_burst: limits::CLIENT_RATE.burst,
        }
    }
}

/// Which tools to offer.
#[derive(Debug, Clone, Default, Args)]
pub struct ToolsetArgs {
    #[arg(long, env = "SEQUENTUM_MCP_TOOLSETS", value_delimiter = ',', help = help::toolsets())]
    pub toolsets: Vec<String>,
    #[arg(long, env = "SEQUENTUM_MCP_TOOLS", value_delimiter = ',', help = help::tools())]
    pub tools: Vec<String>,
}

/// Help texts written from the tool registry, so they cannot name a toolset or tool that
/// does not exist or miss one that does.
pub mod help {
    use crate::jobs::{Tool, Toolset};

    fn join(names: impl Iterator<Item = &'static str>) -> String {
        names.collect::<Vec<_>>().join(", ")
    }

    /// `--toolsets`.
    pub fn toolsets() -> String {
        format!(
            "Toolsets to offer, comma-separated: {}; `default` ({}) or `all`. core is always offered.",
            join(Toolset::ALL.iter().map(|t| t.name())),
            join(Toolset::DEFAULT.iter().map(|t| t.name())),
        )
    }

    /// `--tools`.
    pub fn tools() -> String {
        format!(
            "Extra single tools to offer on top of the toolsets, comma-separated, e.g. {}.",
            Tool::SaveRecords
        )
    }

    /// The tools `--read-only` keeps (of those the toolsets and the backend offer).
    pub fn read_only_tools() -> Vec<&'static str> {
        Tool::ALL
            .iter()
            .filter(|t| t.effect().read_only())
            .map(|t| t.name())
            .collect()
    }

    /// `--read-only`.
    pub fn read_only() -> String {
        format!(
            "Offer only the tools that change nothing (of those selected): {}.",
            read_only_tools().join(", ")
        )
    }
}

/// The backend after `auto` was decided.
#[derive(Debug, Clone)]
pub enum BackendChoice {
    Cloud {
        url: Url,
        credential: Credential,
    },
    Local,
    /// Deck at `url` with a secret key (kept out of `Debug`).
    Deck {
        url: Url,
        key: DeckKey,
    },
}

/// A Deck secret key; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct DeckKey(pub String);

impl std::fmt::Debug for DeckKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeckKey(<redacted>)")
    }
}

/// The placeholder keys of `mcp.json.example`. A server started with one would call the
/// service with a key that cannot work, so `choose` refuses it and says what to do instead.
pub const PLACEHOLDER_KEYS: &[&str] = &["sk-your-key-here", "sk_live_your-key-here"];

impl BackendArgs {
    /// Decides the backend. Cloud without a credential, or with the placeholder key of
    /// `mcp.json.example`, is an error that says how to fix it.
    pub fn choose(&self) -> Result<BackendChoice, String> {
        for (variable, value) in [
            ("SEQUENTUM_API_KEY", &self.api_key),
            ("SEQUENTUM_ACCESS_TOKEN", &self.access_token),
            ("DECK_API_KEY", &self.deck_api_key),
        ] {
            if set(value).is_some_and(|v| PLACEHOLDER_KEYS.contains(&v.as_str())) {
                return Err(format!(
                    "{variable} holds the placeholder of mcp.json.example; put your own key there, or remove the variable to use the embedded engine, which needs no account (the \"sequentum\" entry of mcp.json.example)"
                ));
            }
        }
        let credential = self.credential();
        let deck_key = set(&self.deck_api_key);
        match (self.backend, credential) {
            (BackendFlag::Deck, _) => self.deck(deck_key),
            (BackendFlag::Auto, None) if deck_key.is_some() => self.deck(deck_key),
            (BackendFlag::Local, _) | (BackendFlag::Auto, None) => Ok(BackendChoice::Local),
            (BackendFlag::Cloud, None) => Err(
                "--backend cloud needs a credential: set SEQUENTUM_API_KEY (an API key from Control Center -> Users -> Manage API keys) or SEQUENTUM_ACCESS_TOKEN, or use --backend local for the embedded engine".into(),
            ),
            (_, Some(credential)) => {
                let url = Url::parse(self.api_url.trim()).map_err(|e| {
                    format!("SEQUENTUM_API_URL {:?} is not a valid URL ({e}); use e.g. https://dashboard.sequentum.com", self.api_url)
                })?;
                if !matches!(url.scheme(), "http" | "https") {
                    return Err(format!("SEQUENTUM_API_URL must be http(s), got {:?}", self.api_url));
                }
                Ok(BackendChoice::Cloud { url, credential })
            }
        }
    }

    fn deck(&self, key: Option<String>) -> Result<BackendChoice, String> {
        let key = key.ok_or(
            "--backend deck needs DECK_API_KEY: a secret key (sk_live_…) from the Deck Console, console.deck.co",
        )?;
        let url = Url::parse(self.deck_api_url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                format!(
                    "DECK_API_URL {:?} is not an http(s) URL; use e.g. {}",
                    self.deck_api_url,
                    crate::deck::client::DEFAULT_URL
                )
            })?;
        Ok(BackendChoice::Deck {
            url,
            key: DeckKey(key),
        })
    }

    /// The cloud backend for OAuth mode: no credential of its own, each call sends the
    /// signed-in user's token (`ServeArgs::auth_mode` has checked the flags).
    pub fn per_caller(&self) -> Result<BackendChoice, String> {
        let url = oauth_url("SEQUENTUM_API_URL", &self.api_url)?;
        Ok(BackendChoice::Cloud {
            url,
            credential: Credential::PerCaller,
        })
    }

    fn credential(&self) -> Option<Credential> {
        set(&self.access_token)
            .map(Credential::Bearer)
            .or_else(|| set(&self.api_key).map(Credential::ApiKey))
    }
}

/// A set, non-blank value.
fn set(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl EngineArgs {
    pub fn data_dir(&self) -> PathBuf {
        resolve_data_dir(self.data_dir.as_ref())
    }

    /// Whether the engine must refuse private targets (server-side request forgery).
    pub fn refuse_private_targets(&self) -> bool {
        self.remote_callers && !self.allow_private_targets
    }

    pub fn fetch_delay(&self) -> Duration {
        Duration::from_millis(self.fetch_delay_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(backend: BackendFlag, key: Option<&str>) -> BackendArgs {
        BackendArgs {
            backend,
            api_key: key.map(str::to_string),
            access_token: None,
            api_url: "https://dashboard.sequentum.com/".into(),
            deck_api_key: None,
            deck_api_url: crate::deck::client::DEFAULT_URL.into(),
        }
    }

    #[test]
    fn a_blank_data_directory_means_the_default_one() {
        use clap::Parser as _;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            engine: EngineArgs,
        }
        let blank = Cli::try_parse_from(["sequentum-mcp", "--data-dir", ""]).expect("accepted");
        let default = Cli::try_parse_from(["sequentum-mcp"]).expect("accepted");
        assert_eq!(blank.engine.data_dir(), default.engine.data_dir());
        assert!(default.engine.data_dir().ends_with("sequentum-mcp"));
        let given = Cli::try_parse_from(["sequentum-mcp", "--data-dir", "/srv/data"]).unwrap();
        assert_eq!(given.engine.data_dir(), PathBuf::from("/srv/data"));
    }

    /// A boolean flag added without the lenient parser would fail here, not in a user's MCP
    /// client (the binary test `tests/doctor.rs` proves the environment values end to end).
    #[test]
    fn every_boolean_flag_has_a_lenient_environment_twin() {
        use clap::Args as _;
        let mut cmd = ServeArgs::augment_args(clap::Command::new("serve"));
        cmd.build();
        let flags: Vec<_> = cmd
            .get_arguments()
            .filter(|a| matches!(a.get_action(), ArgAction::SetTrue))
            .collect();
        assert!(flags.len() >= 2, "read-only and ignore-robots at least");
        for flag in flags {
            assert!(
                flag.get_env().is_some(),
                "--{} has no environment twin",
                flag.get_id()
            );
            let spellings = flag
                .get_value_parser()
                .possible_values()
                .into_iter()
                .flatten();
            let accepted: Vec<_> = spellings.map(|v| v.get_name().to_owned()).collect();
            for spelling in ["1", "yes", "on", "0", "no", "off"] {
                assert!(
                    accepted.iter().any(|a| a == spelling),
                    "--{} does not accept {spelling:?} from its environment twin",
                    flag.get_id()
                );
            }
        }
    }

    #[test]
    fn private_targets_are_refused_only_for_remote_callers_without_the_flag() {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            engine: EngineArgs,
        }
        let parse = |args: &[&str]| {
            <Cli as clap::Parser>::try_parse_from([&["x"], args].concat())
                .unwrap()
                .engine
        };
        let mut local = parse(&[]);
        assert!(!local.refuse_private_targets(), "stdio stays open");
        local.remote_callers = true;
        assert!(local.refuse_private_targets());
        let mut trusted = parse(&["--allow-private-targets"]);
        trusted.remote_callers = true;
        assert!(!trusted.refuse_private_targets());
    }

    #[test]
    fn auto_picks_cloud_only_with_a_credential() {
        assert!(matches!(
            args(BackendFlag::Auto, None).choose(),
            Ok(BackendChoice::Local)
        ));
        assert!(matches!(
            args(BackendFlag::Auto, Some("  ")).choose(),
            Ok(BackendChoice::Local)
        ));
        assert!(matches!(
            args(BackendFlag::Auto, Some("sk-1")).choose(),
            Ok(BackendChoice::Cloud {
                credential: Credential::ApiKey(_),
                ..
            })
        ));
        let err = args(BackendFlag::Cloud, None).choose().unwrap_err();
        assert!(err.contains("SEQUENTUM_API_KEY"));
    }

    #[test]
    fn auto_picks_deck_only_when_a_deck_key_is_the_only_credential() {
        let mut deck = args(BackendFlag::Auto, None);
        deck.deck_api_key = Some("sk_live_secret".into());
        let choice = deck.clone().choose().unwrap();
        assert!(
            matches!(&choice, BackendChoice::Deck { url, .. } if url.as_str() == "https://api.deck.co/v2")
        );
        assert!(!format!("{choice:?}").contains("sk_live_secret"));
        let mut both = deck.clone();
        both.api_key = Some("sk-1".into());
        assert!(matches!(both.choose(), Ok(BackendChoice::Cloud { .. })));
        let err = args(BackendFlag::Deck, None).choose().unwrap_err();
        assert!(err.contains("DECK_API_KEY"), "{err}");
    }

    #[test]
    fn placeholder_keys_are_refused_with_the_way_to_the_engine() {
        let err = args(BackendFlag::Auto, Some("sk-your-key-here"))
            .choose()
            .unwrap_err();
        assert!(
            err.contains("SEQUENTUM_API_KEY") && err.contains("embedded engine"),
            "{err}"
        );
        let mut deck = args(BackendFlag::Auto, None);
        deck.deck_api_key = Some("sk_live_your-key-here".into());
        assert!(deck.choose().unwrap_err().contains("DECK_API_KEY"));
    }

    fn serve(flags: &[&str]) -> ServeArgs {
        use clap::Parser as _;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            serve: ServeArgs,
        }
        let mut argv = vec!["sequentum-mcp"];
        argv.extend_from_slice(flags);
        let mut serve = Cli::try_parse_from(argv).expect("flags parse").serve;
        // The environment of whoever runs the tests must not decide them.
        serve.auth_token = flags
            .iter()
            .position(|f| *f == "--auth-token")
            .map(|i| flags[i + 1].to_string());
        serve.backend.api_key = None;
        serve.backend.access_token = None;
        serve
    }

    #[test]
    fn oauth_and_the_shared_token_cannot_be_mixed_and_oauth_needs_what_it_relies_on() {
        let http = ["--transport", "http"];
        let oauth = [&http[..], &["--auth", "oauth"]].concat();
        let with = |extra: &[&str]| serve(&[&oauth[..], extra].concat()).auth_mode();
        let err = with(&[
            "--public-url",
            "https://m.example/mcp",
            "--auth-token",
            "t0k",
        ])
        .unwrap_err();
        assert!(err.contains("cannot be mixed"), "{err}");
        assert!(with(&[]).unwrap_err().contains("--public-url"));
        let err = with(&["--public-url", "http://m.example/mcp"]).unwrap_err();
        assert!(err.contains("https"), "{err}");
        let err = with(&[
            "--public-url",
            "https://m.example/mcp",
            "--backend",
            "local",
        ])
        .unwrap_err();
        assert!(err.contains("--backend cloud"), "{err}");
        let mut keyed = serve(&[&oauth[..], &["--public-url", "https://m.example/mcp"]].concat());
        keyed.backend.api_key = Some("sk-1".into());
        assert!(keyed.auth_mode().unwrap_err().contains("SEQUENTUM_API_KEY"));
        let stdio = serve(&["--auth", "oauth", "--public-url", "https://m.example/mcp"]);
        assert!(stdio.auth_mode().unwrap_err().contains("--transport http"));

        let Ok(AuthMode::OAuth(settings)) = with(&["--public-url", "https://m.example/mcp"]) else {
            panic!("a complete OAuth setting is accepted");
        };
        assert_eq!(settings.issuer.as_str(), "https://dashboard.sequentum.com/");
        assert_eq!(
            settings.upstream, None,
            "decided from the issuer's metadata"
        );

        let err = serve(&[&http[..], &["--oauth-upstream", "forward"]].concat())
            .auth_mode()
            .unwrap_err();
        assert!(err.contains("--auth oauth"), "{err}");
        let err = serve(&[&http[..], &["--auth", "token"]].concat())
            .auth_mode()
            .unwrap_err();
        assert!(err.contains("--auth-token"), "{err}");
        let token = serve(&[&http[..], &["--auth-token", "t0k"]].concat());
        assert!(matches!(token.auth_mode(), Ok(AuthMode::Token(t)) if t == "t0k"));
        assert!(matches!(serve(&http).auth_mode(), Ok(AuthMode::Open)));
    }
}
