//! The subcommands of the `sequentum-mcp` binary.

pub mod demo;
pub mod doctor;
pub mod engine;
pub mod tools;

use std::net::SocketAddr;

use crate::{
    app,
    config::{AuthMode, EngineArgs, ServeArgs, TransportFlag},
    transport::{self, HttpOptions, Rate},
};

/// `serve`: MCP over stdio or HTTP until the client goes away or a signal arrives.
pub async fn serve(mut args: ServeArgs) -> anyhow::Result<()> {
    match args.transport {
        TransportFlag::Stdio => {
            // Sign-in settings meant for HTTP are refused here rather than ignored.
            args.auth_mode().map_err(anyhow::Error::msg)?;
            let app = app::assemble(&args, true).await?;
            transport::stdio::serve_stdio(app.server.clone()).await?;
            shutdown_engine(app.engine).await;
        }
        TransportFlag::Http => {
            let mut options = http_options(&args);
            if let AuthMode::OAuth(settings) = args.auth_mode().map_err(anyhow::Error::msg)? {
                options.oauth = Some(
                    transport::oauth::OAuth::start(&settings)
                        .await
                        .map_err(anyhow::Error::msg)?,
                );
            }
            // Refuse an unsafe listen address before starting anything.
            options.validate().map_err(anyhow::Error::msg)?;
            // Remote callers must not reach this machine's private network through the engine,
            // so the HTTP server keeps an engine of its own with that policy rather than sharing
            // the desktop clients' background engine, whose callers are local.
            args.engine.remote_callers = true;
            args.engine_mode = crate::config::EngineMode::InProcess;
            let app = app::assemble(&args, false).await?;
            let options = HttpOptions {
                backend: app.backend.to_string(),
                ..options
            };
            transport::http::serve_http(app.server.clone(), options).await?;
            shutdown_engine(app.engine).await;
        }
    }
    Ok(())
}

/// The HTTP transport's settings from the flags; `doctor` validates the same value.
pub(crate) fn http_options(args: &ServeArgs) -> HttpOptions {
    HttpOptions {
        listen: args.listen,
        auth_token: args.auth_token.clone().filter(|t| !t.trim().is_empty()),
        allowed_hosts: args.allowed_hosts.clone(),
        allowed_origins: args.allowed_origins.clone(),
        max_connections: args.http_limits.max_connections,
        max_connections_per_client: args.http_limits.max_connections_per_client,
        client_rate: Some(Rate {
            per_second: args.http_limits.client_rate,
            burst: args.http_limits.client_burst.max(1),
        })
        .filter(|r| r.per_second > 0),
        ..HttpOptions::default()
    }
}

async fn shutdown_engine(engine: Option<app::EngineGuard>) {
    if let Some(engine) = engine {
        engine.close().await;
    }
}

/// `local-api`: the embedded engine alone, in the foreground, until Ctrl-C or its control
/// endpoint stops it.
pub async fn local_api(
    listen: SocketAddr,
    api_key: Option<String>,
    engine: EngineArgs,
) -> anyhow::Result<()> {
    let generated = api_key.is_none();
    let key = api_key.unwrap_or_else(crate::local::random_api_key);
    let running = app::start_engine_with_key(&engine, listen, key).await?;
    eprintln!(
        "Sequentum-compatible API listening on {}",
        running.base_url()
    );
    eprintln!("Data directory: {}", engine.data_dir().display());
    if generated {
        eprintln!(
            "API key (send as `Authorization: ApiKey <key>`): {}",
            running.api_key()
        );
    }
    eprintln!("Demo shop: {}", running.demo_url());
    tokio::select! {
        signal = tokio::signal::ctrl_c() => signal?,
        _ = running.stopping() => {}
    }
    running.shutdown().await;
    Ok(())
}
