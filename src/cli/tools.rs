//! `tools`: the tool catalog exactly as tools/list serves it, printed or written one file per
//! tool into `tools/` (a test fails when those files and the code differ).

use std::path::Path;

use anyhow::Context;

use crate::{
    api::{Client, ClientOptions, Credential},
    mcp::{Backend, Server, Settings},
    records::{cache::FileCache, cursor::CursorKey},
};

/// The catalog as pretty JSON, one entry per tool, sorted by name.
pub fn catalog() -> Vec<(String, String)> {
    catalog_server()
        .tools()
        .into_iter()
        .map(|tool| {
            let json = serde_json::to_string_pretty(&tool).expect("tools serialize");
            (tool.name.to_string(), json + "\n")
        })
        .collect()
}

/// A server used only to list tools: it never makes a call.
pub fn catalog_server() -> Server {
    let client = Client::new(ClientOptions::new(
        "http://127.0.0.1:9".parse().expect("static URL"),
        Credential::ApiKey(String::new()),
    ))
    .expect("client without I/O");
    let settings = Settings {
        backend: Backend::Local {
            demo_url: String::new(),
        },
        poll_interval: std::time::Duration::from_secs(1),
        output_dir: None,
        cache: FileCache::new(std::env::temp_dir(), 0),
        cursor_key: CursorKey::derive(&[b"catalog"]),
    };
    Server::new(client, settings)
}

pub fn run(write: Option<&Path>) -> anyhow::Result<()> {
    let catalog = catalog();
    match write {
        None => {
            let all: Vec<serde_json::Value> = catalog
                .iter()
                .map(|(_, json)| serde_json::from_str(json).expect("own JSON"))
                .collect();
            println!("{}", serde_json::to_string_pretty(&all)?);
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            for (name, json) in &catalog {
                let path = dir.join(format!("{name}.json"));
                std::fs::write(&path, json)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            let total: usize = catalog.iter().map(|(_, j)| j.len()).sum();
            eprintln!(
                "wrote {} tools ({total} characters) to {}",
                catalog.len(),
                dir.display()
            );
        }
    }
    Ok(())
}
