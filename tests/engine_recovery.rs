//! The engine goes away in the middle of a run; the next engine on the same data directory
//! reports the run as Failure with the recovery message, can restart it, and still has the
//! agents.

mod engine_fixture;

use engine_fixture::{
    PER_PAGE, client_for, finished, is, options, site, slow_build, slow_run_past_page_one,
};
use sequentum_mcp::{
    api::types::RunStatus,
    local::{Engine, RUN_RECOVERY_MESSAGE, SESSION_RECOVERY_MESSAGE},
};

#[tokio::test]
async fn a_run_interrupted_by_the_engine_stopping_is_recovered_as_failure() {
    let site = site().await;
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(dir.path(), 1);
    let key = opts.api_key.clone();

    let engine = Engine::start(opts.clone()).await.unwrap();
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
    let recovered = client.run_status(agent, run.id).await.unwrap();
    assert!(is(&recovered, RunStatus::FAILURE), "{recovered:?}");
    assert_eq!(recovered.message.as_deref(), Some(RUN_RECOVERY_MESSAGE));
    assert_eq!(
        recovered.data_count,
        Some(PER_PAGE as i64),
        "saved progress survives"
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
    client.restart_run(agent, run.id).await.unwrap();
    let done = finished(&client, agent, run.id).await;
    assert!(is(&done, RunStatus::COMPLETED), "{done:?}");
    assert_eq!(done.page_count, Some(3));
    engine.shutdown().await;
}
