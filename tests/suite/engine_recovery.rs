//! The engine stops in the middle of a run: a graceful shutdown ends the run Stopped with
//! every saved record exported, the next engine on the same data directory still has it (and
//! the agents), and a build that was in progress ends with an error. One data directory never
//! has two engines.

use crate::engine_fixture::{
    PER_PAGE, client_for, options, site, slow_build, slow_run_past_page_one,
};
use sequentum_mcp::{
    api::types::{RunStatus, file_type},
    local::{Engine, EngineError, SESSION_RECOVERY_MESSAGE},
};

#[tokio::test]
async fn a_graceful_shutdown_stops_runs_with_their_records() {
    let site = site().await;
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(dir.path(), 1);
    let key = opts.api_key.clone();

    let engine = Engine::start(opts.clone()).await.unwrap();
    // While it runs, the data directory is its own.
    assert!(matches!(
        Engine::start(options(dir.path(), 1)).await,
        Err(EngineError::Locked(_))
    ));
    let client = client_for(&engine, &key);
    // Page 1 is saved and page 2 is held open by the site when the engine goes away.
    let (agent, run) = slow_run_past_page_one(&engine, &client, &site, "Interrupted", 3).await;
    // A build whose page is held open by the site is in progress too.
    let session = slow_build(&client, &site).await;
    engine.shutdown().await;

    // The next engine may even listen elsewhere; the data directory is what carries over.
    opts.listen = "127.0.0.1:0".parse().unwrap();
    let engine = Engine::start(opts).await.unwrap();
    let client = client_for(&engine, &key);
    let stopped = client.run_status(agent, run.id).await.unwrap();
    assert_eq!(stopped.status(), RunStatus::STOPPED, "{stopped:?}");
    assert!(
        stopped
            .message
            .as_deref()
            .unwrap()
            .starts_with("Stopped because the engine shut down"),
        "{stopped:?}"
    );
    assert_eq!(stopped.data_count, Some(PER_PAGE as i64));
    assert_eq!(stopped.export_count, Some(PER_PAGE as i64));
    let files = client.run_files(agent, run.id).await.unwrap();
    assert!(
        files
            .iter()
            .any(|f| f.file_type == Some(file_type::DELIVERED_FILE)),
        "{files:?}"
    );
    assert_eq!(
        client.get_agent(agent).await.unwrap().name.as_deref(),
        Some("Interrupted")
    );
    let build = client.builder_status(&session).await.unwrap();
    assert_eq!(build.status, "error");
    assert_eq!(build.error.as_deref(), Some(SESSION_RECOVERY_MESSAGE));
    // Spare permits in case the abandoned requests (page 2, the build) still wait at the site.
    site.gate.add_permits(5);
    engine.shutdown().await;
}
