//! `doctor`: checks configuration, credentials and reachability, and says what to fix.

use crate::{
    api::{Client, ClientOptions, agents::AgentQuery},
    app,
    config::{BackendChoice, ServeArgs},
    local::service::attach,
};

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let mut problems = 0;
    let data_dir = args.engine.data_dir();
    println!("sequentum-mcp {}", env!("CARGO_PKG_VERSION"));
    match std::fs::create_dir_all(&data_dir).and_then(|_| tempfile_probe(&data_dir)) {
        Ok(()) => println!("ok    data directory {} is writable", data_dir.display()),
        Err(e) => {
            problems += 1;
            println!(
                "FAIL  data directory {} is not writable ({e}); pass --data-dir",
                data_dir.display()
            );
        }
    }
    match args.backend.choose() {
        Err(e) => {
            problems += 1;
            println!("FAIL  backend: {e}");
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

fn tempfile_probe(dir: &std::path::Path) -> std::io::Result<()> {
    let probe = dir.join(".doctor-probe");
    std::fs::write(&probe, b"ok")?;
    std::fs::remove_file(probe)
}
