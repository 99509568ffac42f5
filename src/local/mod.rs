//! The embedded engine: a Sequentum-compatible REST API on loopback that stores its data in
//! SQLite and really fetches and extracts pages.
//!
//! [`Engine::start`] takes the data directory's lock (one engine per data directory, ever),
//! opens the database, recovers work a previous engine left active (its runs end Failure with
//! their records exported), binds the listener and serves. Clients reach it with
//! `api::Client` exactly as they reach Sequentum cloud, at [`Engine::base_url`] with
//! [`Engine::api_key`]. [`service`] makes it a background service shared by every server
//! process on the machine.

mod api;
pub mod builder;
mod commits;
pub mod css;
pub mod definition;
pub mod demo;
mod diagnose;
mod export;
pub mod extract;
pub mod fetch;
pub mod json_ld;
pub mod markup_items;
mod page_log;
pub mod page_meta;
mod pages;
pub(crate) use crate::private;
mod recovery;
mod run_log;
mod runner;
pub mod scheduler;
pub mod service;
mod sessions;
pub mod shown_dates;
pub mod shown_values;
mod signing;
pub mod store;
pub mod structured_data;
pub mod trial;

use std::{
    net::{Ipv4Addr, SocketAddr},
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use axum::middleware;
use tokio::task::JoinHandle;
use tokio_util::{
    sync::{CancellationToken, WaitForCancellationFuture},
    task::TaskTracker,
};
use url::Url;

use crate::listener;
use recovery::Recovered;
use service::{
    control::{self, Control},
    lock::{DataDirLock, LockError},
};
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
    /// The time schedules fire by (tests inject a `scheduler::ManualClock`).
    pub clock: Arc<dyn scheduler::Clock>,
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
            clock: Arc::new(scheduler::SystemClock),
        }
    }
}

/// Why the engine could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("could not create the data directory {path}: {error}")]
    DataDir {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    Locked(#[from] LockError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("could not listen on {addr}: {error}; choose another address or port")]
    Bind {
        addr: SocketAddr,
        error: std::io::Error,
    },
    #[error("recovering the previous engine's work stopped unexpectedly: {0}")]
    Recovery(String),
    #[error("the engine API key is empty; give a key or use random_api_key()")]
    EmptyKey,
}

/// A running engine. Dropping it stops serving and abandons active runs (the next engine
/// recovers them as Failure); [`Engine::shutdown`] stops them as Stopped and waits for it.
/// Either way the data directory's lock goes with it.
pub struct Engine {
    base_url: Url,
    /// The demo shop's listing, on the demo origin that outlives this engine.
    demo_url: Url,
    api_key: String,
    control: Control,
    tasks: TaskTracker,
    server: Option<JoinHandle<()>>,
    /// Released last, when the engine is gone.
    lock: DataDirLock,
}

impl Engine {
    pub async fn start(opts: EngineOptions) -> Result<Engine, EngineError> {
        if opts.api_key.trim().is_empty() {
            return Err(EngineError::EmptyKey);
        }
        let data_dir_error = |path: &PathBuf| {
            let path = path.clone();
            move |error| EngineError::DataDir { path, error }
        };
        private::create_dir_all(&opts.data_dir).map_err(data_dir_error(&opts.data_dir))?;
        let lock = DataDirLock::acquire(&opts.data_dir)?;
        let files_dir = opts.data_dir.join("files");
        private::create_dir_all(&files_dir).map_err(data_dir_error(&files_dir))?;
        let store = store::Store::open(&opts.data_dir.join("engine.db"))?;
        let recovered = {
            let (store, files_dir) = (store.clone(), files_dir.clone());
            tokio::task::spawn_blocking(move || recovery::recover(&store, &files_dir))
                .await
                .map_err(|e| EngineError::Recovery(e.to_string()))??
        };
        if recovered != Recovered::default() {
            tracing::info!(
                runs = recovered.runs,
                records = recovered.records,
                sessions = recovered.sessions,
                "recovered work left active by the previous engine: runs ended Failure with their records exported"
            );
        }
        let listener = tokio::net::TcpListener::bind(opts.listen)
            .await
            .map_err(|error| EngineError::Bind {
                addr: opts.listen,
                error,
            })?;
        let addr = listener.local_addr().map_err(|error| EngineError::Bind {
            addr: opts.listen,
            error,
        })?;
        let base_url =
            Url::parse(&format!("http://{addr}/")).expect("a socket address makes a valid URL");
        // Signed downloads get an origin of their own (same address, another port): see
        // `api::storage_router`.
        let storage_at = SocketAddr::new(addr.ip(), 0);
        let storage_bind = |error| EngineError::Bind {
            addr: storage_at,
            error,
        };
        let storage_listener = tokio::net::TcpListener::bind(storage_at)
            .await
            .map_err(storage_bind)?;
        let storage_addr = storage_listener.local_addr().map_err(storage_bind)?;
        let storage_url = Url::parse(&format!("http://{storage_addr}/"))
            .expect("a socket address makes a valid URL");
        // The demo shop keeps its address across engines: see `demo::origin`.
        let demo_listener = demo::origin::bind(&opts.data_dir, addr.ip())
            .await
            .map_err(|error| EngineError::Bind {
                addr: SocketAddr::new(addr.ip(), 0),
                error,
            })?;
        let demo_addr = demo_listener
            .local_addr()
            .map_err(|error| EngineError::Bind {
                addr: SocketAddr::new(addr.ip(), 0),
                error,
            })?;
        let demo_origin = Url::parse(&format!("http://{demo_addr}/"))
            .expect("a socket address makes a valid URL");

        let shutdown = CancellationToken::new();
        let tasks = TaskTracker::new();
        let fetcher = fetch::Fetcher::new(fetch::FetchPolicy {
            own_pages: Some(demo_origin.join("demo/").expect("a path joins a base URL")),
            ..opts.fetch.clone()
        });
        let runner = runner::Runner::new(
            store.clone(),
            fetcher.clone(),
            opts.workers,
            files_dir,
            shutdown.clone(),
            tasks.clone(),
        );
        let scheduler =
            scheduler::Scheduler::new(store.clone(), runner.clone(), opts.clock.clone());
        tasks.spawn(scheduler.clone().run(shutdown.clone()));
        let control = Control {
            instance: crate::random::hex(16).into(),
            started: Instant::now(),
            activity: control::Activity::new(),
            runner: runner.clone(),
            scheduler: scheduler.clone(),
            shutdown: shutdown.clone(),
        };
        let api_key: Arc<str> = opts.api_key.clone().into();
        let state = api::AppState {
            runner,
            scheduler,
            sessions: sessions::Sessions::new(
                store.clone(),
                fetcher.clone(),
                shutdown.clone(),
                tasks.clone(),
            ),
            store,
            fetcher,
            signer: Arc::new(signing::UrlSigner::new(opts.signed_url_ttl)),
            api_key: api_key.clone(),
            storage_url,
        };
        let storage = api::storage_router(state.clone());
        let app =
            api::router(state)
                .merge(control::shutdown_route(control.clone()).layer(
                    middleware::from_fn_with_state(api_key, api::require_api_key),
                ))
                .layer(middleware::from_fn_with_state(
                    control.activity.clone(),
                    control::track,
                ))
                .merge(control::health_route(control.clone()));
        let serve = |socket, app, stop: CancellationToken| {
            let (limits, busy) = (api::CONNECTION_LIMITS, api::too_many_connections);
            listener::serve(socket, app, limits, busy, stop.cancelled_owned())
        };
        let served = futures::future::join3(
            serve(listener, app, shutdown.clone()),
            serve(storage_listener, storage, shutdown.clone()),
            serve(demo_listener, demo::origin::app(), shutdown.clone()),
        );
        let server = tokio::spawn(async move {
            served.await;
        });
        let demo_url = demo::origin::shop_url(&demo_origin);
        tracing::info!(%base_url, %demo_url, "local engine listening");
        Ok(Engine {
            base_url,
            demo_url,
            api_key: opts.api_key,
            control,
            tasks,
            server: Some(server),
            lock,
        })
    }

    /// `http://127.0.0.1:PORT/`; the API is under `api/v1`.
    pub fn base_url(&self) -> Url {
        self.base_url.clone()
    }

    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The demo shop's product listing (`http://127.0.0.1:PORT/demo/shop/products`), at the
    /// same address for every engine of this data directory while its port is free.
    pub fn demo_url(&self) -> Url {
        self.demo_url.clone()
    }

    /// Puts the data directory's lock file back if it was deleted while the engine runs (see
    /// `service::lock`); whether it had to.
    pub fn repair_lock(&self) -> bool {
        self.lock.repair()
    }

    /// A random id of this engine, repeated by `/engine/health`.
    pub fn instance(&self) -> &str {
        &self.control.instance
    }

    /// How long the engine has had nothing to do (no run, no request, no enabled schedule);
    /// `None` while busy.
    pub fn idle_for(&self) -> Option<Duration> {
        self.control.idle_for()
    }

    /// Resolves when the engine was asked to stop (`POST /engine/shutdown`); its owner then
    /// calls [`Engine::shutdown`].
    pub fn stopping(&self) -> WaitForCancellationFuture<'_> {
        self.control.shutdown.cancelled()
    }

    /// Stops accepting requests, stops active runs (each ends Stopped with its records
    /// exported) and builds, and waits (bounded) for that to settle; the lock goes last.
    /// A run whose export outlasts the wait stays active and is recovered by the next engine.
    pub async fn shutdown(mut self) {
        self.control.shutdown.cancel();
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
        self.control.shutdown.cancel();
    }
}

/// A fresh key for a local engine: `sk-local-` and 32 random hex characters.
pub fn random_api_key() -> String {
    format!("sk-local-{}", crate::random::hex(16))
}
