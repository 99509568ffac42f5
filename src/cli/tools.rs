//! `tools`: the tool catalog exactly as tools/list serves it, printed with its size against the
//! budgets, or written into `tools/` with the prompts and the default instructions (a test
//! fails when those files and the code differ).
//!
//! The Sequentum backends differ a little (the editor is the engine's, usage the cloud's), so
//! `tools/` holds every tool either serves, and a budget is checked against the larger of the
//! two lists a client can get. Deck's catalog is its own (string ids, interactions), in
//! `tools/deck/`.

use std::{path::Path, sync::Arc};

use anyhow::Context;

use crate::{
    api::{Client, ClientOptions, Credential, platform::Sequentum},
    deck::{Deck, DeckClient, DeckOptions},
    jobs::Platform,
    mcp::{
        Server, Settings,
        toolsets::{ALL_BUDGET, CORE_BUDGET, DEFAULT_BUDGET, Selection},
    },
    records::{cache::FileCache, cursor::CursorKey},
};

/// The snapshot of the server instructions for the default toolsets.
pub const INSTRUCTIONS_FILE: &str = "_instructions.txt";
/// The snapshot of prompts/list.
pub const PROMPTS_FILE: &str = "_prompts.json";

/// The folder of the Deck backend's snapshots, inside `tools/`.
pub const DECK_DIR: &str = "deck";

/// A server used only to list tools, on the embedded engine: it never makes a call.
pub fn catalog_server(selection: &Selection) -> Result<Server, String> {
    let platform = Arc::new(Sequentum::local(
        sequentum_client(),
        "http://127.0.0.1:8788/demo/shop/products",
    ));
    server_on(platform, selection)
}

/// The same on Sequentum cloud, which serves toolsets the engine cannot (usage).
fn cloud_catalog_server(selection: &Selection) -> Result<Server, String> {
    server_on(Arc::new(Sequentum::cloud(sequentum_client())), selection)
}

/// The same on the Deck backend.
pub fn deck_catalog_server(selection: &Selection) -> Result<Server, String> {
    let client = DeckClient::new(DeckOptions::new(
        "http://127.0.0.1:9".parse().expect("static URL"),
        String::new(),
    ))
    .expect("client without I/O");
    server_on(Arc::new(Deck::new(client)), selection)
}

fn sequentum_client() -> Client {
    Client::new(ClientOptions::new(
        "http://127.0.0.1:9".parse().expect("static URL"),
        Credential::ApiKey(String::new()),
    ))
    .expect("client without I/O")
}

fn server_on(platform: Arc<dyn Platform>, selection: &Selection) -> Result<Server, String> {
    let settings = Settings {
        poll_interval: None,
        // An output directory makes save_records available, as over stdio.
        output_dir: Some(std::env::temp_dir()),
        cache: FileCache::new(std::env::temp_dir(), 0),
        cursor_key: CursorKey::derive(&[b"catalog"]),
        caller_is_local: true,
    };
    Server::new(platform, settings, selection)
}

/// The tools `selection` offers on the cloud and on the engine.
fn sequentum_servers(selection: &Selection) -> [Server; 2] {
    [cloud_catalog_server(selection), catalog_server(selection)]
        .map(|server| server.expect("valid selection"))
}

/// Every tool `selection` offers on either Sequentum backend, by name (the engine's entry
/// where both offer a tool; ids are integers on both).
fn union(selection: &Selection) -> Vec<rmcp::model::Tool> {
    let mut tools = std::collections::BTreeMap::new();
    for server in sequentum_servers(selection) {
        for tool in server.tools() {
            tools.insert(tool.name.to_string(), tool);
        }
    }
    tools.into_values().collect()
}

/// Each tool of either Sequentum backend as pretty JSON, sorted by name.
pub fn catalog(selection: &Selection) -> Vec<(String, String)> {
    pretty(union(selection))
}

fn pretty(tools: Vec<rmcp::model::Tool>) -> Vec<(String, String)> {
    tools
        .into_iter()
        .map(|tool| {
            let json = serde_json::to_string_pretty(&tool).expect("tools serialize");
            (tool.name.to_string(), json + "\n")
        })
        .collect()
}

/// Every snapshot file of `tools/`: one per tool of every toolset, the prompts, and the
/// instructions of the default set; Deck's in `tools/deck/`.
pub fn snapshots() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = catalog(&Selection::all())
        .into_iter()
        .map(|(name, json)| (format!("{name}.json"), json))
        .collect();
    let default = catalog_server(&Selection::default()).expect("default selection");
    let prompts = serde_json::to_string_pretty(&default.prompts()).expect("prompts serialize");
    files.push((PROMPTS_FILE.into(), prompts + "\n"));
    files.push((INSTRUCTIONS_FILE.into(), default.instructions() + "\n"));
    let deck = deck_catalog_server(&Selection::all()).expect("every toolset");
    files.extend(
        pretty(deck.tools())
            .into_iter()
            .map(|(name, json)| (format!("{DECK_DIR}/{name}.json"), json)),
    );
    let deck_default = deck_catalog_server(&Selection::default()).expect("default selection");
    files.push((
        format!("{DECK_DIR}/{INSTRUCTIONS_FILE}"),
        deck_default.instructions() + "\n",
    ));
    files
}

/// tools/list size in characters of compact JSON, as a client receives it: the larger of the
/// cloud's and the engine's lists.
pub fn wire_size(selection: &Selection) -> usize {
    sequentum_servers(selection)
        .iter()
        .map(size_of)
        .max()
        .unwrap_or(0)
}

fn size_of(server: &Server) -> usize {
    server
        .tools()
        .iter()
        .map(|t| serde_json::to_string(t).expect("tools serialize").len())
        .sum()
}

/// The budget lines: core, default and all on Sequentum, and default and all on Deck.
pub fn budget_report() -> Vec<(&'static str, usize, usize)> {
    let core = Selection {
        toolsets: vec!["core".into()],
        ..Selection::default()
    };
    vec![
        ("core", wire_size(&core), CORE_BUDGET),
        ("default", wire_size(&Selection::default()), DEFAULT_BUDGET),
        ("all", wire_size(&Selection::all()), ALL_BUDGET),
        (
            "deck default",
            size_of(&deck_catalog_server(&Selection::default()).expect("default selection")),
            DEFAULT_BUDGET,
        ),
        (
            "deck all",
            size_of(&deck_catalog_server(&Selection::all()).expect("every toolset")),
            ALL_BUDGET,
        ),
    ]
}

pub fn run(write: Option<&Path>, selection: &Selection) -> anyhow::Result<()> {
    for (set, size, budget) in budget_report() {
        eprintln!("tools/list {set}: {size} characters (budget {budget})");
    }
    match write {
        None => {
            let server = catalog_server(selection).map_err(anyhow::Error::msg)?;
            println!("{}", serde_json::to_string_pretty(&server.tools())?);
        }
        Some(dir) => {
            std::fs::create_dir_all(dir.join(DECK_DIR))
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let files = snapshots();
            for (name, text) in &files {
                let path = dir.join(name);
                std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            eprintln!("wrote {} files to {}", files.len(), dir.display());
        }
    }
    Ok(())
}
