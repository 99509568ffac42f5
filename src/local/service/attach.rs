//! Finding the data directory's engine, or starting one.
//!
//! A client reads the address file and checks the engine's identity on `/engine/health`
//! (before sending its key anywhere). With no live engine it starts `sequentum-mcp engine run`
//! detached (stdin closed, output appended to `engine.log`, a session of its own) and waits,
//! boundedly, for the engine's address to appear and answer. Two clients starting at once is
//! harmless: the engine that loses the race for the lock exits at once and quietly, and both
//! clients read the winner's address. An engine that is still stopping makes the new one lose
//! too; it is started again shortly after.

use std::{
    ffi::OsString,
    io::{Read, Seek, SeekFrom},
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};

use super::{
    LOG_FILE,
    address::EngineAddress,
    control::{Health, SERVICE},
};
use crate::private;

/// How long a client waits for a new engine to answer.
const START_WAIT: Duration = Duration::from_secs(20);
/// How often the address file is looked at while waiting.
const POLL: Duration = Duration::from_millis(20);
/// Least time between two starts, while a stopping engine still holds the lock.
const RESPAWN_EVERY: Duration = Duration::from_millis(250);
/// A health check is one loopback round trip; anything slower is not our engine.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);
/// The log is set aside (as `engine.log.1`) when a start finds it larger than this.
const LOG_ROTATE_BYTES: u64 = 1024 * 1024;

/// How to start an engine for a data directory: this program with `engine run …`.
#[derive(Debug, Clone)]
pub struct Launch {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub data_dir: PathBuf,
}

/// Why no engine could be reached.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("could not start the engine ({program}): {source}")]
    Spawn {
        program: PathBuf,
        source: std::io::Error,
    },
    #[error("the engine exited ({status}) while starting; its log {log} ends with:\n{tail}")]
    Exited {
        status: std::process::ExitStatus,
        log: PathBuf,
        tail: String,
    },
    #[error(
        "the engine did not answer within {} s; see its log {log}, which ends with:\n{tail}",
        START_WAIT.as_secs()
    )]
    Timeout { log: PathBuf, tail: String },
}

/// An HTTP client for engines on 127.0.0.1: no proxy (a system proxy must see neither
/// loopback calls nor the key), no TLS roots (loading them is most of a client's start-up
/// cost, and loopback is plain HTTP), redirects and compressed bodies passed on as they are.
pub fn loopback_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only(Vec::new())
        .redirect(reqwest::redirect::Policy::none())
        .no_gzip()
        .connect_timeout(HEALTH_TIMEOUT)
        .build()
}

/// The engine's health answer, if `address` is a live engine with that identity.
async fn health(http: &reqwest::Client, address: &EngineAddress) -> Option<Health> {
    let url = address.url.join("engine/health").ok()?;
    let response = http.get(url).timeout(HEALTH_TIMEOUT).send().await.ok()?;
    let health: Health = response.json().await.ok()?;
    (health.service == SERVICE && health.instance == address.instance).then_some(health)
}

/// The data directory's live engine, if there is one.
pub async fn running(http: &reqwest::Client, data_dir: &Path) -> Option<(EngineAddress, Health)> {
    let address = EngineAddress::read(data_dir)?;
    let health = health(http, &address).await?;
    Some((address, health))
}

/// The data directory's engine: the running one, or a new one started for this call.
pub async fn connect_or_start(
    http: &reqwest::Client,
    launch: &Launch,
) -> Result<EngineAddress, AttachError> {
    let deadline = Instant::now() + START_WAIT;
    let log = launch.data_dir.join(LOG_FILE);
    let mut child: Option<tokio::process::Child> = None;
    let mut last_start: Option<Instant> = None;
    // An older engine asked to make way: it is not attached to while it goes.
    let mut retiring: Option<String> = None;
    loop {
        if let Some((address, health)) = running(http, &launch.data_dir).await
            && retiring.as_deref() != Some(address.instance.as_str())
        {
            if retiring.is_none() && is_older(&health.version, env!("CARGO_PKG_VERSION")) {
                if retire_if_idle(http, &address).await {
                    tracing::info!(version = health.version, "replacing the older, idle engine");
                    retiring = Some(address.instance);
                    continue;
                }
                tracing::warn!(
                    "the engine for {} is version {}, older than this {}, and busy with {} run(s); using it until it is idle. To replace it now, run `sequentum-mcp engine stop --data-dir {}`",
                    launch.data_dir.display(),
                    health.version,
                    env!("CARGO_PKG_VERSION"),
                    health.active_runs,
                    launch.data_dir.display()
                );
            }
            return Ok(address);
        }
        let exited = match child.as_mut().map(|c| c.try_wait()) {
            None => true,
            Some(Ok(None)) => false,
            Some(Ok(Some(status))) if status.success() => true,
            Some(Ok(Some(status))) => {
                return Err(AttachError::Exited {
                    status,
                    tail: tail(&log, 8),
                    log,
                });
            }
            Some(Err(_)) => true,
        };
        if exited && last_start.is_none_or(|t| t.elapsed() >= RESPAWN_EVERY) {
            child = Some(spawn(launch).map_err(|source| AttachError::Spawn {
                program: launch.program.clone(),
                source,
            })?);
            last_start = Some(Instant::now());
        }
        if Instant::now() >= deadline {
            return Err(AttachError::Timeout {
                tail: tail(&log, 8),
                log,
            });
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Asks an engine to exit if no run is active; whether it agreed.
async fn retire_if_idle(http: &reqwest::Client, address: &EngineAddress) -> bool {
    let Ok(url) = address.url.join("engine/shutdown?ifIdle=true") else {
        return false;
    };
    http.post(url)
        .header("Authorization", format!("ApiKey {}", address.key))
        .timeout(HEALTH_TIMEOUT)
        .send()
        .await
        .is_ok_and(|r| r.status() == reqwest::StatusCode::ACCEPTED)
}

/// Starts `engine run` detached: stdin closed, stdout and stderr appended to the log (never
/// the caller's stdout, which may be an MCP channel).
fn spawn(launch: &Launch) -> std::io::Result<tokio::process::Child> {
    private::create_dir_all(&launch.data_dir)?;
    let log_path = launch.data_dir.join(LOG_FILE);
    if std::fs::metadata(&log_path).is_ok_and(|m| m.len() > LOG_ROTATE_BYTES) {
        let _ = std::fs::rename(&log_path, launch.data_dir.join(format!("{LOG_FILE}.1")));
    }
    let log = private::options()
        .create(true)
        .append(true)
        .open(&log_path)?;
    let mut command = tokio::process::Command::new(&launch.program);
    command
        .args(&launch.args)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    #[cfg(windows)]
    {
        const DETACHED_PROCESS: u32 = 0x0000_0008;
        const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
        command.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
    }
    command.spawn()
}

/// Whether version `theirs` is older than `ours` (numeric `major.minor.patch`).
fn is_older(theirs: &str, ours: &str) -> bool {
    fn parts(v: &str) -> Vec<u64> {
        v.split(['.', '-', '+'])
            .take(3)
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    }
    parts(theirs) < parts(ours)
}

/// The last `lines` lines of the engine log (lines of up to 1 KiB read whole).
pub fn tail(log: &Path, lines: usize) -> String {
    let Ok(mut file) = std::fs::File::open(log) else {
        return "(no log)".into();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(lines as u64 * 1024)));
    let mut bytes = Vec::new();
    let _ = file.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert!(is_older("0.1.0", "0.2.0"));
        assert!(is_older("0.9.9", "0.10.0"));
        assert!(!is_older("0.2.0", "0.2.0"));
        assert!(!is_older("1.0.0", "0.9.0"));
    }
}
