//! `engine`: the data directory's background engine. `run` is what a server process starts
//! (detached) when it needs the engine and none is running; `status`, `stop` and `logs` let a
//! person see it, stop it and read its log.

use std::time::{Duration, Instant};

use clap::Subcommand;

use crate::{
    app,
    config::{DataDirArgs, EngineArgs},
    local::{
        Engine, EngineError,
        service::{
            LOG_FILE,
            address::EngineAddress,
            attach,
            lock::{self, LockError},
        },
    },
};

/// How long `engine stop` waits for the engine to be gone.
const STOP_WAIT: Duration = Duration::from_secs(30);
/// How often the engine checks that its address and lock files are intact.
const REPAIR_EVERY: Duration = Duration::from_secs(1);

/// The running engine of `data_dir`. When the lock says one runs but its address file does not
/// lead to it (damaged or deleted), the engine writes the file again within [`REPAIR_EVERY`],
/// so this waits a little for that.
async fn find(
    http: &reqwest::Client,
    data_dir: &std::path::Path,
) -> Option<(EngineAddress, crate::local::service::control::Health)> {
    let deadline = Instant::now() + 3 * REPAIR_EVERY;
    loop {
        let found = attach::running(http, data_dir).await;
        if found.is_some() || Instant::now() >= deadline || lock::holder(data_dir).is_none() {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[derive(Debug, Subcommand)]
pub enum EngineCommand {
    /// Run the engine for a data directory in the foreground until it is stopped or idle
    /// (servers start this in the background by themselves).
    Run {
        #[command(flatten)]
        engine: EngineArgs,
        /// Exit after this many seconds with no active run and no request.
        #[arg(long, default_value_t = 1800, env = "SEQUENTUM_MCP_ENGINE_IDLE_SECS")]
        idle_secs: u64,
        /// Leave the starter's session (set by the server process that starts the engine).
        #[arg(long, hide = true)]
        detached: bool,
    },
    /// Say whether the engine runs, where, and what it is doing.
    Status {
        #[command(flatten)]
        dir: DataDirArgs,
    },
    /// Stop the engine: active runs end Stopped and keep their records.
    Stop {
        #[command(flatten)]
        dir: DataDirArgs,
    },
    /// Print the end of the engine's log.
    Logs {
        #[command(flatten)]
        dir: DataDirArgs,
        /// Lines to print.
        #[arg(long, short = 'n', default_value_t = 50)]
        lines: usize,
    },
}

pub async fn run(command: EngineCommand) -> anyhow::Result<()> {
    match command {
        EngineCommand::Run {
            engine,
            idle_secs,
            detached,
        } => serve(engine, Duration::from_secs(idle_secs), detached).await,
        EngineCommand::Status { dir } => status(&dir).await,
        EngineCommand::Stop { dir } => stop(&dir).await,
        EngineCommand::Logs { dir, lines } => {
            let log = dir.resolve().join(LOG_FILE);
            eprintln!("{}:", log.display());
            println!("{}", attach::tail(&log, lines));
            Ok(())
        }
    }
}

/// `engine run`: takes the lock (or leaves quietly if another engine has it), recovers,
/// listens, publishes its address, and serves until asked to stop, signalled, or idle.
async fn serve(args: EngineArgs, idle: Duration, detached: bool) -> anyhow::Result<()> {
    #[cfg(unix)]
    if detached && let Err(e) = rustix::process::setsid() {
        tracing::warn!(error = %e, "could not start a session of its own");
    }
    #[cfg(not(unix))]
    let _ = detached;
    let data_dir = args.data_dir();
    let engine = match app::start_engine(&args, "127.0.0.1:0".parse()?).await {
        Err(e)
            if matches!(
                e.downcast_ref::<EngineError>(),
                Some(EngineError::Locked(LockError::Held(_)))
            ) =>
        {
            tracing::info!(
                "another engine already serves {}; exiting",
                data_dir.display()
            );
            return Ok(());
        }
        started => started?,
    };
    let address = EngineAddress {
        url: engine.base_url(),
        key: engine.api_key().to_string(),
        instance: engine.instance().to_string(),
        pid: std::process::id(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        demo: Some(engine.demo_url()),
    };
    if let Err(e) = address.write(&data_dir) {
        engine.shutdown().await;
        anyhow::bail!("could not write the engine's address file: {e}");
    }
    tracing::info!(
        url = %address.url,
        pid = address.pid,
        data_dir = %data_dir.display(),
        idle_exit_secs = idle.as_secs(),
        "engine ready"
    );
    let reason = until_stop(&engine, idle, &address, &data_dir).await?;
    tracing::info!(reason, "engine stopping");
    // New clients start a new engine from here on; it takes over once the lock is free.
    address.remove(&data_dir);
    engine.shutdown().await;
    tracing::info!("engine stopped");
    Ok(())
}

/// Waits for a reason to stop: the control endpoint, SIGINT/SIGTERM, or the idle period.
/// Meanwhile it keeps the engine findable: a damaged or deleted `engine.json` or `engine.lock`
/// is written again within a second, so clients recover without anyone's help.
async fn until_stop(
    engine: &Engine,
    idle: Duration,
    address: &EngineAddress,
    data_dir: &std::path::Path,
) -> anyhow::Result<&'static str> {
    let check = (idle / 4).clamp(Duration::from_millis(20), Duration::from_secs(30));
    let mut ticks = tokio::time::interval(check);
    let mut repairs = tokio::time::interval(REPAIR_EVERY);
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    #[cfg(unix)]
    let terminated = term.recv();
    #[cfg(not(unix))]
    let terminated = std::future::pending::<Option<()>>();
    tokio::pin!(terminated);
    loop {
        tokio::select! {
            _ = engine.stopping() => return Ok("asked to stop"),
            _ = tokio::signal::ctrl_c() => return Ok("interrupted"),
            _ = &mut terminated => return Ok("terminated"),
            _ = ticks.tick() => {
                if engine.idle_for().is_some_and(|quiet| quiet >= idle) {
                    return Ok("idle");
                }
            }
            _ = repairs.tick() => {
                engine.repair_lock();
                if EngineAddress::read(data_dir).as_ref() != Some(address) {
                    match address.write(data_dir) {
                        Ok(()) => tracing::warn!("the engine's address file was damaged or deleted; it is written again"),
                        Err(e) => tracing::warn!(error = %e, "could not write the engine's address file again"),
                    }
                }
            }
        }
    }
}

async fn status(dir: &DataDirArgs) -> anyhow::Result<()> {
    let data_dir = dir.resolve();
    match find(&attach::loopback_client()?, &data_dir).await {
        None => match lock::holder(&data_dir) {
            Some(pid) => println!(
                "running (pid {pid}, holding the lock of {}) but not answering at the address \
                 in its address file; see `sequentum-mcp engine logs`, or stop it with \
                 `sequentum-mcp engine stop`",
                data_dir.display()
            ),
            None => println!("not running (data directory {})", data_dir.display()),
        },
        Some((address, health)) => {
            println!("running");
            println!("  address         {}", address.url);
            println!("  pid             {}", health.pid);
            println!("  version         {}", health.version);
            println!("  uptime          {} s", health.uptime_seconds);
            println!("  active runs     {}", health.active_runs);
            match health.idle_seconds {
                Some(idle) => println!("  idle for        {idle} s"),
                None => println!("  idle for        - (busy)"),
            }
            println!("  data directory  {}", data_dir.display());
            println!("  log             {}", data_dir.join(LOG_FILE).display());
        }
    }
    Ok(())
}

async fn stop(dir: &DataDirArgs) -> anyhow::Result<()> {
    let data_dir = dir.resolve();
    let http = attach::loopback_client()?;
    let (pid, runs) = match find(&http, &data_dir).await {
        Some((address, health)) => {
            let answer = http
                .post(address.url.join("engine/shutdown")?)
                .header("Authorization", format!("ApiKey {}", address.key))
                .send()
                .await?;
            anyhow::ensure!(
                answer.status().is_success(),
                "the engine refused to stop ({})",
                answer.status()
            );
            (health.pid, Some(health.active_runs))
        }
        None => {
            let Some(pid) = lock::holder(&data_dir) else {
                println!("no engine is running for {}", data_dir.display());
                return Ok(());
            };
            // Unreachable through its address: SIGTERM stops it just as gracefully.
            terminate(pid)?;
            (pid, None)
        }
    };
    let deadline = Instant::now() + STOP_WAIT;
    while lock::is_held(&data_dir) {
        anyhow::ensure!(
            Instant::now() < deadline,
            "the engine (pid {pid}) is still stopping after {} s; see `sequentum-mcp engine logs`",
            STOP_WAIT.as_secs()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    match runs {
        Some(runs) => {
            println!("stopped (pid {pid}; {runs} active run(s) ended Stopped with their records)")
        }
        None => println!("stopped (pid {pid}; active runs ended Stopped with their records)"),
    }
    Ok(())
}

/// Asks process `pid` to terminate (SIGTERM), which the engine handles like `engine stop`.
#[cfg(unix)]
fn terminate(pid: u32) -> anyhow::Result<()> {
    let pid = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .ok_or_else(|| anyhow::anyhow!("the lock file names no valid pid ({pid})"))?;
    rustix::process::kill_process(pid, rustix::process::Signal::TERM)
        .map_err(|e| anyhow::anyhow!("could not signal the engine (pid {pid:?}): {e}"))
}

#[cfg(not(unix))]
fn terminate(pid: u32) -> anyhow::Result<()> {
    anyhow::bail!(
        "the engine (pid {pid}) does not answer at its address; end that process to stop it"
    )
}
