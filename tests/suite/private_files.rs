//! Everything a session creates is private: after an engine run, a records read (the record
//! cache), an export and a saved dataset, every file under the data directory is 0600 and
//! every directory 0700, whatever the umask.

#![cfg(unix)]

use std::{os::unix::fs::PermissionsExt, path::Path, sync::Arc, time::Duration};

use sequentum_mcp::{
    api::platform::Sequentum,
    local::Engine,
    mcp::{Server, Settings, in_process, toolsets::Selection},
    records::{cache::FileCache, cursor::CursorKey},
};
use serde_json::json;

use crate::engine_fixture::{
    call_tool, client_for, create_and_start, definition, finished, options, site,
};

/// Every path under `dir` whose group or other bits are set, with its mode.
fn public_paths(dir: &Path, found: &mut Vec<String>, seen: &mut usize) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        *seen += 1;
        if meta.permissions().mode() & 0o077 != 0 {
            found.push(format!(
                "{} {:o}",
                path.display(),
                meta.permissions().mode() & 0o777
            ));
        }
        if meta.is_dir() {
            public_paths(&path, found, seen);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_leaves_only_private_files() {
    // A permissive umask would make std's defaults world-readable; the program must not care.
    // (Set for the whole test process: every test here wants private files anyway.)
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o022));
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let engine = Engine::start(options(&data, 1)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let site = site().await;
    let start = site.base.join("products").unwrap();
    let (agent, run) =
        create_and_start(&engine, &client, "Private", definition(&start, 2, None)).await;
    finished(&client, agent, run.id).await;

    let platform = Arc::new(Sequentum::local(
        client_for(&engine, engine.api_key()),
        engine.demo_url().as_str(),
    ));
    let settings = Settings {
        poll_interval: Some(Duration::from_millis(20)),
        output_dir: Some(data.join("exports")),
        cache: FileCache::new(data.join("cache").join("records"), 1 << 20),
        cursor_key: CursorKey::derive(&[b"private-files"]),
        caller_is_local: true,
    };
    let server = Server::new(platform, settings, &Selection::default()).unwrap();
    let mcp = in_process::connect(server, ()).await.unwrap();
    let ids = json!({"agent_id": agent, "run_id": run.id});
    let read = call_tool(&mcp, "fetch_records", ids.clone()).await;
    assert_ne!(read.is_error, Some(true), "{read:?}");
    let mut save = ids.clone();
    save["save_to"] = json!("nested/dir/products.csv");
    let saved = call_tool(&mcp, "save_records", save).await;
    assert_ne!(saved.is_error, Some(true), "{saved:?}");
    mcp.cancel().await.unwrap();
    engine.shutdown().await;

    assert!(data.join("exports/nested/dir/products.csv").is_file());
    assert!(
        std::fs::read_dir(data.join("cache/records"))
            .unwrap()
            .count()
            > 0,
        "fetch_records filled the record cache"
    );
    let (mut public, mut seen) = (Vec::new(), 0);
    public_paths(&data, &mut public, &mut seen);
    assert!(seen > 5, "the walk saw the session's files ({seen})");
    assert!(public.is_empty(), "readable by others: {public:#?}");
}
