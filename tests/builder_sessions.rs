//! Agent Builder sessions on the embedded engine: what the user is told when the name the
//! builder chose is already taken.

mod engine_fixture;

use engine_fixture::{client_for, options, site};
use sequentum_mcp::api::{Client, types::BuilderStartRequest};
use sequentum_mcp::local::Engine;

/// Builds through the engine's API and returns the session's events once it has ended.
async fn build_to_the_end(client: &Client, prompt: &str) -> Vec<String> {
    let session = client
        .builder_start(&BuilderStartRequest {
            prompt: prompt.to_string(),
            space_id: None,
            agent_name: Some("Fixture products".into()),
        })
        .await
        .unwrap();
    let mut cursor = -1;
    let mut messages = Vec::new();
    loop {
        // The events call holds until an event arrives or the session ends.
        let page = client.builder_events(&session, cursor).await.unwrap();
        cursor = page.last_event_index;
        messages.extend(page.events.iter().filter_map(|e| e.narration()));
        let status = client.builder_status(&session).await.unwrap();
        if status.is_terminal() && page.events.is_empty() {
            assert_eq!(status.status, "completed", "{messages:?}");
            return messages;
        }
    }
}

#[tokio::test]
async fn a_taken_name_is_changed_and_the_change_is_said() {
    let site = site().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 1)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let prompt = format!(
        "get the name and price of every product on {}products",
        site.base
    );

    let first = build_to_the_end(&client, &prompt).await;
    assert!(
        first.iter().all(|m| !m.contains("already exists")),
        "{first:?}"
    );
    let second = build_to_the_end(&client, &prompt).await;
    let saved = second.last().unwrap();
    assert!(
        saved.contains(
            "An agent named \"Fixture products\" already exists, so this one is named \"Fixture products (2)\"."
        ),
        "{saved}"
    );
    engine.shutdown().await;
}
