//! `doctor`: checks configuration, credentials and reachability, and says what to fix.
//!
//! It checks what `serve` would refuse or trip over later, with the same flags and the same
//! code: how HTTP clients sign in (`ServeArgs::auth_mode`; in OAuth mode the issuer's metadata
//! and keys are read as `serve` reads them, and the resource metadata it would serve is
//! shown), the HTTP listen address and token (`HttpOptions::validate`), the data directory, the
//! directory save_records writes into, the backend (`BackendArgs::choose`, which knows the
//! placeholder keys of mcp.json.example) and the tools offered (`app::offer`, the filter
//! `Server::new` runs).

use std::path::Path;

use crate::{
    api::{Client, ClientOptions, Credential, agents::AgentQuery},
    app,
    config::{AuthMode, BackendChoice, ServeArgs, TransportFlag},
    deck::{DeckClient, DeckOptions},
    local::service::attach,
    transport::oauth::OAuth,
};

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let mut problems = 0;
    let data_dir = args.engine.data_dir();
    println!("sequentum-mcp {}", env!("CARGO_PKG_VERSION"));
    if !writable("data directory", &data_dir, "--data-dir") {
        problems += 1;
    }
    match args.transport {
        TransportFlag::Stdio => {
            // The default matches `app::assemble`: save_records writes under the data directory.
            let output_dir = args
                .output_dir
                .clone()
                .unwrap_or_else(|| data_dir.join("exports"));
            if !writable(
                "output directory (save_records)",
                &output_dir,
                "--output-dir",
            ) {
                problems += 1;
            }
        }
        TransportFlag::Http => {
            let mut options = super::http_options(&args);
            match args.auth_mode() {
                Err(e) => {
                    problems += 1;
                    println!("FAIL  sign-in: {e}");
                }
                Ok(AuthMode::Open) => {
                    println!("ok    sign-in: none (only callers on this machine can connect)")
                }
                Ok(AuthMode::Token(_)) => {
                    println!("ok    sign-in: one shared bearer token (--auth-token)")
                }
                // The same start `serve` makes: the issuer's metadata and keys are read, and
                // the upstream mode decided.
                Ok(AuthMode::OAuth(settings)) => match OAuth::start(&settings).await {
                    Ok(oauth) => {
                        println!("ok    sign-in: {}", oauth.describe());
                        println!("ok    resource metadata served: {}", oauth.document());
                        options.oauth = Some(oauth);
                    }
                    Err(e) => {
                        problems += 1;
                        println!("FAIL  sign-in (OAuth): {e}");
                    }
                },
            }
            match options.validate() {
                Ok(()) => println!("ok    HTTP transport on {}", args.listen),
                Err(e) => {
                    problems += 1;
                    println!("FAIL  HTTP transport: {e}");
                }
            }
        }
    }
    if args.engine.ignore_robots {
        println!("note  the embedded engine ignores robots.txt (--ignore-robots)");
    }
    let per_caller = matches!(args.auth_mode(), Ok(AuthMode::OAuth(_)));
    let choice = if per_caller {
        args.backend.per_caller()
    } else {
        args.backend.choose()
    };
    if !tools(&args, choice.as_ref().unwrap_or(&BackendChoice::Local)) {
        problems += 1;
    }
    match choice {
        Err(e) => {
            problems += 1;
            println!("FAIL  backend: {e}");
        }
        Ok(BackendChoice::Cloud {
            url,
            credential: Credential::PerCaller,
        }) => {
            println!(
                "ok    backend: Sequentum cloud at {url}, called with each signed-in user's own token (not called here: no user is signed in)"
            );
        }
        Ok(BackendChoice::Cloud { url, credential }) => {
            println!("ok    backend: Sequentum cloud at {url} ({credential:?})");
            let client = Client::new(ClientOptions::new(url.clone(), credential))?;
            let query = AgentQuery {
                page: 1,
                per_page: 1,
                ..Default::default()
            };
            match client.list_agents(&query).await {
                Ok(page) => println!(
                    "ok    credentials accepted; {} agents visible",
                    page.total_record_count
                        .map_or("some".into(), |n| n.to_string())
                ),
                Err(e) => {
                    problems += 1;
                    println!("FAIL  calling {url}: {e}");
                    println!(
                        "      check SEQUENTUM_API_KEY / SEQUENTUM_ACCESS_TOKEN and SEQUENTUM_API_URL"
                    );
                }
            }
        }
        Ok(BackendChoice::Deck { url, key }) => {
            println!("ok    backend: Deck at {url}");
            let client = DeckClient::new(DeckOptions::new(url.clone(), key.0))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            match crate::deck::platform::check_key(&client).await {
                Ok(state) => println!("ok    DECK_API_KEY accepted by GET /test: {state}"),
                Err(e) => {
                    problems += 1;
                    println!("FAIL  GET {url}/test: {e}");
                    println!("      check DECK_API_KEY and DECK_API_URL");
                }
            }
        }
        Ok(BackendChoice::Local) => {
            println!("ok    backend: embedded local engine (no SEQUENTUM_API_KEY set)");
            let running = attach::running(&attach::loopback_client()?, &data_dir).await;
            if let Some((address, health)) = running {
                println!(
                    "ok    engine running at {} (pid {}, version {}, {} active run(s))",
                    address.url, health.pid, health.version, health.active_runs
                );
            } else {
                match app::start_engine(&args.engine, "127.0.0.1:0".parse()?).await {
                    Ok(engine) => {
                        println!(
                            "ok    engine started at {} and stopped again",
                            engine.base_url()
                        );
                        engine.shutdown().await;
                    }
                    Err(e) => {
                        problems += 1;
                        println!("FAIL  the engine did not start: {e:#}");
                    }
                }
            }
        }
    }
    if problems > 0 {
        anyhow::bail!("{problems} problem(s) found");
    }
    println!("all checks passed");
    Ok(())
}

/// Prints the tools `serve` would offer on `choice`, or why it would refuse the selection.
fn tools(args: &ServeArgs, choice: &BackendChoice) -> bool {
    match app::offer(args, choice) {
        Ok(offer) => {
            let names: Vec<&str> = offer.offered.tools().map(|t| t.name()).collect();
            let read_only = if args.read_only { ", read-only" } else { "" };
            println!(
                "ok    {} tools offered{read_only}: {}",
                names.len(),
                names.join(", ")
            );
            if let Some(note) = offer.note(backend_name(choice)) {
                println!("note  {note}");
            }
            true
        }
        Err(e) => {
            println!("FAIL  tools: {e}");
            false
        }
    }
}

fn backend_name(choice: &BackendChoice) -> &'static str {
    match choice {
        BackendChoice::Cloud { .. } => "cloud",
        BackendChoice::Local => "local",
        BackendChoice::Deck { .. } => "deck",
    }
}

/// Creates `dir` if needed and writes a probe file in it; prints the verdict.
fn writable(what: &str, dir: &Path, flag: &str) -> bool {
    match std::fs::create_dir_all(dir).and_then(|_| tempfile_probe(dir)) {
        Ok(()) => {
            println!("ok    {what} {} is writable", dir.display());
            true
        }
        Err(e) => {
            println!(
                "FAIL  {what} {} is not writable ({e}); pass {flag}",
                dir.display()
            );
            false
        }
    }
}

fn tempfile_probe(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(".doctor-probe");
    std::fs::write(&probe, b"ok")?;
    std::fs::remove_file(probe)
}
