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
    let reason = until_stop(&engine, idle).await?;
    tracing::info!(reason, "engine stopping");
    // New clients start a new engine from here on; it takes over once the lock is free.
    address.remove(&data_dir);
    engine.shutdown().await;
    tracing::info!("engine stopped");
    Ok(())
}

/// Waits for a reason to stop: the control endpoint, SIGINT/SIGTERM, or the idle period.
async fn until_stop(engine: &Engine, idle: Duration) -> anyhow::Result<&'static str> {
    let check = (idle / 4).clamp(Duration::from_millis(20), Duration::from_secs(30));
    let mut ticks = tokio::time::interval(check);
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
        }
    }
}

async fn status(dir: &DataDirArgs) -> anyhow::Result<()> {
    let data_dir = dir.resolve();
    match attach::running(&attach::loopback_client()?, &data_dir).await {
        None => println!("not running (data directory {})", data_dir.display()),
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
    let Some((address, health)) = attach::running(&http, &data_dir).await else {
        println!("no engine is running for {}", data_dir.display());
        return Ok(());
    };
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
    let deadline = Instant::now() + STOP_WAIT;
    while lock::is_held(&data_dir) {
        anyhow::ensure!(
            Instant::now() < deadline,
            "the engine (pid {}) is still stopping after {} s; see `sequentum-mcp engine logs`",
            health.pid,
            STOP_WAIT.as_secs()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "stopped (pid {}; {} active run(s) ended Stopped with their records)",
        health.pid, health.active_runs
    );
    Ok(())
}
