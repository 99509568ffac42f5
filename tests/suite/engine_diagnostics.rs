//! get_run_diagnostics and the run's own message on the embedded engine, for what a run that
//! is not flaky can get wrong: no run with problems at all, and a required field that drops
//! every record.

use sequentum_mcp::{api::types::RunStatus, local::Engine, mcp::toolsets::Selection};
use serde_json::json;

use crate::engine_fixture::{
    call_tool, client_for, create_and_start, definition, finished, mcp_on, options, site,
};

#[tokio::test]
async fn diagnostics_say_plainly_when_no_run_went_wrong() {
    let fixture = site().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 1)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let start = fixture.base.join("products").unwrap();
    let (agent, run) =
        create_and_start(&engine, &client, "Fine", definition(&start, 3, None)).await;
    finished(&client, agent, run.id).await;
    let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;

    let answer = call_tool(&mcp, "get_run_diagnostics", json!({"agent_id": agent})).await;
    assert_ne!(answer.is_error, Some(true), "{answer:?}");
    let answer = answer.structured_content.unwrap();
    assert!(answer.get("run_id").is_none(), "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("nothing to diagnose"),
        "{answer}"
    );
    let unknown = call_tool(
        &mcp,
        "get_run_diagnostics",
        json!({"agent_id": agent + 1000}),
    )
    .await;
    assert_eq!(unknown.is_error, Some(true), "an unknown agent is refused");
    engine.shutdown().await;
}

#[tokio::test]
async fn a_required_field_that_drops_every_record_fails_the_run_and_is_named() {
    let fixture = site().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 1)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let start = fixture.base.join("products").unwrap();
    let mut def = definition(&start, 1, None);
    def["fields"][1]["selector"] = json!(".no-such-price");
    let (agent, run) = create_and_start(&engine, &client, "Priceless", def).await;
    let run = finished(&client, agent, run.id).await;
    assert_eq!(run.status(), RunStatus::FAILURE, "{run:?}");
    let message = run.message.unwrap();
    assert!(
        message.contains("No record kept") && message.contains("required field(s) price"),
        "{message}"
    );

    let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
    let answer = call_tool(&mcp, "get_run_diagnostics", json!({"agent_id": agent})).await;
    let answer = answer.structured_content.unwrap();
    let causes = answer["causes"].to_string();
    assert!(causes.contains("required field"), "{causes}");
    assert!(causes.contains("price"), "{causes}");
    assert!(
        !causes.contains("record selector matched nothing"),
        "{causes}"
    );
    engine.shutdown().await;
}
