//! Assembles a ready MCP server from the flags: picks the backend, finds or starts the
//! embedded engine when needed, and sets up the records cache, cursor key and output directory.

use std::{ffi::OsString, net::SocketAddr, path::Path, sync::Arc, time::Duration};

use anyhow::Context;
use url::Url;

use crate::{
    api::{Client, ClientOptions, Credential, platform::Sequentum},
    config::{AuthMode, BackendChoice, EngineArgs, EngineMode, ServeArgs, TransportFlag},
    deck::{Deck, DeckClient, DeckOptions},
    jobs::Platform,
    local::{
        Engine, EngineOptions,
        fetch::{FetchPolicy, RetryPolicy},
        service::{attach::Launch, link::Link},
    },
    mcp::{
        Server, Settings,
        toolsets::{self, Offer, Selection},
    },
    records::{cache::FileCache, cursor::CursorKey},
};

/// Disk space the cache of downloaded record files may use.
const RECORDS_CACHE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// A server and, on the local backend, what keeps its engine reachable.
pub struct App {
    pub server: Server,
    /// `cloud`, `local` or `deck`.
    pub backend: &'static str,
    pub engine: Option<EngineGuard>,
}

/// The engine a local-backend server talks to.
pub struct LocalEngine {
    /// Where the server's API client sends requests (`api/v1` below it).
    pub base_url: Url,
    pub api_key: String,
    pub guard: EngineGuard,
}

/// Keeps a server's engine reachable for as long as it is held.
pub enum EngineGuard {
    /// The data directory's shared engine, through this process's link to it.
    Shared(Link),
    /// An engine inside this process.
    InProcess(Engine),
}

impl EngineGuard {
    /// Where the engine (or this process's link to it) answers.
    pub fn base_url(&self) -> Url {
        match self {
            EngineGuard::Shared(link) => link.base_url(),
            EngineGuard::InProcess(engine) => engine.base_url(),
        }
    }

    /// The engine's demo shop, at an address that outlives this process and the engine.
    pub fn demo_url(&self) -> Url {
        match self {
            EngineGuard::Shared(link) => link.demo_url(),
            EngineGuard::InProcess(engine) => engine.demo_url(),
        }
    }

    /// Lets go: the link closes (the shared engine goes on), an in-process engine stops.
    pub async fn close(self) {
        match self {
            EngineGuard::Shared(link) => link.close().await,
            EngineGuard::InProcess(engine) => engine.shutdown().await,
        }
    }
}

/// The embedded engine for a server: the data directory's shared engine (found, or started
/// in the background) or, with `EngineMode::InProcess`, one inside this process.
pub async fn local_engine(args: &EngineArgs, mode: EngineMode) -> anyhow::Result<LocalEngine> {
    match mode {
        EngineMode::Shared => {
            let link = Link::start(launch(args)?).await?;
            Ok(LocalEngine {
                base_url: link.base_url(),
                api_key: link.api_key().to_string(),
                guard: EngineGuard::Shared(link),
            })
        }
        EngineMode::InProcess => {
            let engine = start_engine(args, "127.0.0.1:0".parse()?).await?;
            Ok(LocalEngine {
                base_url: engine.base_url(),
                api_key: engine.api_key().to_string(),
                guard: EngineGuard::InProcess(engine),
            })
        }
    }
}

/// How to start the shared engine with these settings: this program's `engine run`. The
/// first server to start it decides its settings; later ones use it as it is.
fn launch(args: &EngineArgs) -> anyhow::Result<Launch> {
    let data_dir = args.data_dir();
    let mut argv: Vec<OsString> = vec![
        "engine".into(),
        "run".into(),
        "--detached".into(),
        "--data-dir".into(),
        data_dir.clone().into(),
        "--workers".into(),
        args.workers.to_string().into(),
        "--fetch-delay-ms".into(),
        args.fetch_delay_ms.to_string().into(),
        "--fetch-retries".into(),
        args.fetch_retries.to_string().into(),
    ];
    if args.ignore_robots {
        argv.push("--ignore-robots".into());
    }
    Ok(Launch {
        program: std::env::current_exe().context("cannot find this program to start the engine")?,
        args: argv,
        data_dir,
    })
}

/// Builds the server. `stdio` says the caller runs on this machine: it enables save_records
/// (over HTTP the caller is remote and must not write files here) and loopback links.
pub async fn assemble(args: &ServeArgs, stdio: bool) -> anyhow::Result<App> {
    let data_dir = args.engine.data_dir();
    let selection = selection(args);
    // A configuration error is reported before anything (a background engine) is started.
    selection.requested().map_err(anyhow::Error::msg)?;
    let per_caller = matches!(args.auth_mode(), Ok(AuthMode::OAuth(_)));
    let choice = if per_caller {
        args.backend.per_caller()
    } else {
        args.backend.choose()
    }
    .map_err(anyhow::Error::msg)?;
    let (platform, engine, cursor_key): (Arc<dyn Platform>, _, _) = match choice {
        BackendChoice::Cloud { url, credential } => {
            // Signed-in users share no server credential to derive a key from: a secret
            // kept in the data directory signs their cursors (bound to each user's subject).
            let secret = match credential {
                Credential::PerCaller => local_secret(&data_dir)?,
                _ => credential.secret().as_bytes().to_vec(),
            };
            let key = cursor_key(&[b"cloud", url.as_str().as_bytes(), &secret]);
            let client = Client::new(ClientOptions::new(url.clone(), credential))?;
            eprintln!("sequentum-mcp: using Sequentum cloud at {url}");
            (Arc::new(Sequentum::cloud(client)), None, key)
        }
        BackendChoice::Deck { url, key } => {
            let cursor = cursor_key(&[b"deck", url.as_str().as_bytes(), key.0.as_bytes()]);
            let client = DeckClient::new(DeckOptions::new(url.clone(), key.0))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!("sequentum-mcp: using Deck at {url}");
            (Arc::new(Deck::new(client)), None, cursor)
        }
        BackendChoice::Local => {
            let engine = local_engine(&args.engine, args.engine_mode).await?;
            let client = Client::new(ClientOptions::new(
                engine.base_url.clone(),
                Credential::ApiKey(engine.api_key.clone()),
            ))?;
            let demo_url = engine.guard.demo_url().to_string();
            eprintln!(
                "sequentum-mcp: no SEQUENTUM_API_KEY set, using the embedded local engine ({}, data in {})",
                match args.engine_mode {
                    EngineMode::Shared => "shared, in the background",
                    EngineMode::InProcess => "in this process",
                },
                data_dir.display()
            );
            let key = cursor_key(&[b"local", &local_secret(&data_dir)?]);
            (
                Arc::new(Sequentum::local(client, &demo_url)),
                Some(engine.guard),
                key,
            )
        }
    };
    let settings = Settings {
        poll_interval: None,
        output_dir: stdio.then(|| {
            args.output_dir
                .clone()
                .unwrap_or_else(|| data_dir.join("exports"))
        }),
        cache: FileCache::new(data_dir.join("cache").join("records"), RECORDS_CACHE_BYTES),
        cursor_key,
        caller_is_local: stdio,
    };
    let backend = platform.info().backend;
    let server = Server::new(platform, settings, &selection).map_err(anyhow::Error::msg)?;
    Ok(App {
        server,
        backend,
        engine,
    })
}

/// The tools the flags ask for.
pub fn selection(args: &ServeArgs) -> Selection {
    Selection {
        toolsets: args.toolsets.toolsets.clone(),
        tools: args.toolsets.tools.clone(),
        read_only: args.read_only,
    }
}

/// What a server started with `args` on `choice` offers: the same filter `Server::new` runs,
/// with the same inputs, for `doctor` to check before anything starts.
pub fn offer(args: &ServeArgs, choice: &BackendChoice) -> Result<Offer, String> {
    let platform_lacks = match choice {
        BackendChoice::Cloud { .. } => Sequentum::CLOUD_LACKS,
        BackendChoice::Local => Sequentum::LOCAL_LACKS,
        BackendChoice::Deck { .. } => crate::deck::platform::LACKS,
    };
    let stdio = args.transport == TransportFlag::Stdio;
    toolsets::offer(
        &selection(args),
        platform_lacks,
        toolsets::transport_lacks(stdio),
    )
}

/// Starts the embedded engine with the engine flags on `listen`.
pub async fn start_engine(args: &EngineArgs, listen: SocketAddr) -> anyhow::Result<Engine> {
    start_engine_with_key(args, listen, crate::local::random_api_key()).await
}

/// Starts an engine in this process (it takes the data directory's lock) with `api_key`.
pub async fn start_engine_with_key(
    args: &EngineArgs,
    listen: SocketAddr,
    api_key: String,
) -> anyhow::Result<Engine> {
    let data_dir = args.data_dir();
    let fetch = FetchPolicy {
        respect_robots: !args.ignore_robots,
        delay: args.fetch_delay(),
        site_concurrency: usize::from(args.site_concurrency),
        refuse_private_targets: args.refuse_private_targets(),
        retry: RetryPolicy {
            retries: args.fetch_retries,
            ..RetryPolicy::default()
        },
        ..FetchPolicy::default()
    };
    Ok(Engine::start(EngineOptions {
        listen,
        data_dir,
        api_key,
        workers: args.workers.max(1),
        fetch,
        signed_url_ttl: Duration::from_secs(300),
        clock: Arc::new(crate::local::scheduler::SystemClock),
    })
    .await?)
}

/// A cursor key: from `SEQUENTUM_MCP_CURSOR_SECRET` when set (so replicas share it), else from
/// stable configuration, so every process with the same configuration accepts the same cursors.
fn cursor_key(parts: &[&[u8]]) -> CursorKey {
    match std::env::var("SEQUENTUM_MCP_CURSOR_SECRET") {
        Ok(secret) if !secret.is_empty() => CursorKey::derive(&[b"env", secret.as_bytes()]),
        _ => CursorKey::derive(parts),
    }
}

/// A random secret kept in the data directory, created on first use (mode 0600 on Unix).
fn local_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join("cursor.secret");
    if let Ok(bytes) = std::fs::read(&path)
        && bytes.len() >= 32
    {
        return Ok(bytes);
    }
    crate::private::create_dir_all(data_dir)?;
    let secret = crate::random::bytes(32);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(&path)?, &secret)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(secret)
}
