//! The embedded engine: a Sequentum-compatible REST API on loopback that stores its data in
//! SQLite and really fetches and extracts pages.
//!
//! [`Engine::start`] opens the database under the data directory, marks work left active by a
//! previous process as failed, binds the listener and serves. Clients reach it with
//! `api::Client` exactly as they reach Sequentum cloud, at [`Engine::base_url`] with
//! [`Engine::api_key`].

mod api;
pub mod builder;
pub mod definition;
pub mod demo;
mod export;
pub mod extract;
pub mod fetch;
mod runner;
mod sessions;
mod signing;
pub mod store;
pub mod trial;

use std::{
    net::{Ipv4Addr, SocketAddr},
    path::PathBuf,
    sync::Arc,
    time::Duration,
};

use tokio::task::JoinHandle;
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use url::Url;

use crate::transport::listener;

pub use store::{RUN_RECOVERY_MESSAGE, SESSION_RECOVERY_MESSAGE};

/// How long shutdown waits for in-flight HTTP requests and tasks before giving up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How to run the engine.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Where to listen; loopback with an OS-chosen port by default.
    pub listen: SocketAddr,
    /// Holds `engine.db` and the run files (`files/<runId>/`).
    pub data_dir: PathBuf,
    /// The key clients must present (`ApiKey <key>` or `Bearer <key>`).
    pub api_key: String,
    /// Runs executing at once; further starts queue.
    pub workers: usize,
    pub fetch: fetch::FetchPolicy,
    /// Lifetime of signed download URLs.
    pub signed_url_ttl: Duration,
}

impl EngineOptions {
    /// Defaults for everything but the data directory: loopback on a free port, a fresh random
    /// key, two workers, five-minute download links.
    pub fn new(data_dir: PathBuf) -> EngineOptions {
        EngineOptions {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            data_dir,
            api_key: random_api_key(),
            workers: 2,
            fetch: fetch::FetchPolicy::default(),
            signed_url_ttl: Duration::from_secs(300),
        }
    }
}

/// Why the engine could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("could not create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("could not listen on {addr}: {source}; choose another address or port")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the engine API key is empty; give a key or use random_api_key()")]
    EmptyKey,
}

/// A running engine. Dropping it stops serving and abandons active runs (they are marked
/// Failure at the next start); [`Engine::shutdown`] does the same and waits for it.
pub struct Engine {
    base_url: Url,
    api_key: String,
    shutdown: CancellationToken,
    tasks: TaskTracker,
    server: Option<JoinHandle<()>>,
}

impl Engine {
    pub async fn start(opts: EngineOptions) -> Result<Engine, EngineError> {
        if opts.api_key.trim().is_empty() {
            return Err(EngineError::EmptyKey);
        }
        let files_dir = opts.data_dir.join("files");
        tokio::fs::create_dir_all(&files_dir)
            .await
            .map_err(|source| EngineError::DataDir {
                path: files_dir.clone(),
                source,
            })?;
        let store = store::Store::open(&opts.data_dir.join("engine.db"))?;
        let (runs, sessions) = store.recover()?;
        if runs + sessions > 0 {
            tracing::info!(
                runs,
                sessions,
                "marked work left active by the previous engine as failed"
            );
        }
        let listener = tokio::net::TcpListener::bind(opts.listen)
            .await
            .map_err(|source| EngineError::Bind {
                addr: opts.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| EngineError::Bind {
            addr: opts.listen,
            source,
        })?;
        let base_url =
            Url::parse(&format!("http://{addr}/")).expect("a socket address makes a valid URL");
        // Signed downloads get an origin of their own (same address, another port): see
        // `api::storage_router`.
        let storage_at = SocketAddr::new(addr.ip(), 0);
        let storage_bind = |source| EngineError::Bind {
            addr: storage_at,
            source,
        };
        let storage_listener = tokio::net::TcpListener::bind(storage_at)
            .await
            .map_err(storage_bind)?;
        let storage_addr = storage_listener.local_addr().map_err(storage_bind)?;
        let storage_url = Url::parse(&format!("http://{storage_addr}/"))
            .expect("a socket address makes a valid URL");

        let shutdown = CancellationToken::new();
        let tasks = TaskTracker::new();
        let fetcher = fetch::Fetcher::new(opts.fetch.clone());
        let state = api::AppState {
            runner: runner::Runner::new(
                store.clone(),
                fetcher.clone(),
                opts.workers,
                files_dir,
                shutdown.clone(),
                tasks.clone(),
            ),
            sessions: sessions::Sessions::new(
                store.clone(),
                fetcher.clone(),
                shutdown.clone(),
                tasks.clone(),
            ),
            store,
            fetcher,
            signer: Arc::new(signing::UrlSigner::new(opts.signed_url_ttl)),
            api_key: opts.api_key.clone().into(),
            storage_url,
        };
        let storage = api::storage_router(state.clone());
        let app = api::router(state).nest("/demo", demo::router());
        let serve = |socket, app, stop: CancellationToken| {
            let (limits, busy) = (api::CONNECTION_LIMITS, api::too_many_connections);
            listener::serve(socket, app, limits, busy, stop.cancelled_owned())
        };
        let served = futures::future::join(
            serve(listener, app, shutdown.clone()),
            serve(storage_listener, storage, shutdown.clone()),
        );
        let server = tokio::spawn(async move {
            served.await;
        });
        tracing::info!(%base_url, "local engine listening");
        Ok(Engine {
            base_url,
            api_key: opts.api_key,
            shutdown,
            tasks,
            server: Some(server),
        })
    }

    /// `http://127.0.0.1:PORT/`; the API is under `api/v1`.
    pub fn base_url(&self) -> Url {
        self.base_url.clone()
    }

    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// Stops accepting requests and abandons active runs and builds, leaving them active in
    /// the database so the next start marks them failed; waits (bounded) for it to settle.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        self.tasks.close();
        if tokio::time::timeout(SHUTDOWN_GRACE, self.tasks.wait())
            .await
            .is_err()
        {
            tracing::warn!("local engine tasks did not stop in time");
        }
        if let Some(server) = self.server.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, server).await.is_err()
        {
            tracing::warn!("local engine server did not stop in time");
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A fresh key for a local engine: `sk-local-` and 32 random hex characters.
pub fn random_api_key() -> String {
    format!("sk-local-{}", crate::random::hex(16))
}
