//! Agent Builder sessions on the embedded engine: what the user is told when the name the
//! builder chose is already taken, and refining a built agent in conversation through the
//! follow-up endpoint, each change tested on the page and saved as a new version.

use crate::engine_fixture::{client_for, options, raw, site};
use sequentum_mcp::api::{Client, types::BuilderStartRequest};
use sequentum_mcp::local::Engine;

/// Builds through the engine's API; the session id and its narration once it has ended.
async fn build_to_the_end(client: &Client, prompt: &str) -> (String, Vec<String>) {
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
            return (session, messages);
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

    let (_, first) = build_to_the_end(&client, &prompt).await;
    assert!(
        first.iter().all(|m| !m.contains("already exists")),
        "{first:?}"
    );
    let (_, second) = build_to_the_end(&client, &prompt).await;
    let saved = second.last().unwrap();
    assert!(
        saved.contains(
            "An agent named \"Fixture products\" already exists, so this one is named \"Fixture products (2)\"."
        ),
        "{saved}"
    );
    engine.shutdown().await;
}

#[tokio::test]
async fn a_three_message_refinement_saves_a_tested_version_each_time() {
    let site = site().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 1)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let (session, _) = build_to_the_end(
        &client,
        &format!(
            "get the name and price of every product on {}products",
            site.base
        ),
    )
    .await;
    let (http, auth) = raw(&engine);
    let url = engine
        .base_url()
        .join(&format!("api/v1/agent-builder/{session}/followup"))
        .unwrap();
    let mut versions = Vec::new();
    let mut agent_id = None;
    for (message, fields, first) in [
        (
            "also get the link",
            vec!["name", "price", "link"],
            "Item 1-1",
        ),
        (
            "rename price to cost",
            vec!["name", "cost", "link"],
            "Item 1-1",
        ),
        ("first page only", vec!["name", "cost", "link"], "Item 1-1"),
    ] {
        let answer: serde_json::Value = http
            .post(url.clone())
            .header("Authorization", &auth)
            .json(&serde_json::json!({"message": message}))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        println!("> {message}\n< {}", answer["changes"]);
        let sample = answer["sampleRecords"][0].as_object().unwrap();
        println!("  {}", serde_json::Value::Object(sample.clone()));
        assert_eq!(sample.keys().collect::<Vec<_>>(), fields, "{message}");
        assert_eq!(sample["name"], first);
        versions.push(answer["version"].as_i64().unwrap());
        agent_id = answer["agentId"].as_i64();
    }
    assert_eq!(versions, [2, 3, 4]);
    let agent = client.get_agent(agent_id.unwrap()).await.unwrap();
    assert_eq!(agent.version, Some(4));

    let refused = http
        .post(url)
        .header("Authorization", &auth)
        .json(&serde_json::json!({"message": "drop the colour"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 422);
    let detail = refused.text().await.unwrap();
    assert!(detail.contains("no field 'colour'"), "{detail}");
    engine.shutdown().await;
}
