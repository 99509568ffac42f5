//! MCP resources on the embedded engine, through an in-process client: the templates are
//! listed; an agent, a run and pages of a run's records read through the same code as the
//! tools (the records page carries fetch_records' cursor); bad URIs are JSON-RPC errors.

use crate::engine_fixture::{
    PER_PAGE, client_for, create_and_start, definition, finished, mcp_on, options, site,
};
use rmcp::model::{ReadResourceRequestParams, ResourceContents};
use sequentum_mcp::{local::Engine, mcp::toolsets::Selection};
use serde_json::Value;

fn body(result: rmcp::model::ReadResourceResult) -> Value {
    match &result.contents[0] {
        ResourceContents::TextResourceContents { text, .. } => serde_json::from_str(text).unwrap(),
        other => panic!("expected text contents, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_a_run_and_pages_of_records_are_resources() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(options(dir.path(), 1)).await.unwrap();
    let client = client_for(&engine, engine.api_key());
    let site = site().await;
    let mcp = mcp_on(&engine, dir.path(), &Selection::default()).await;

    let templates = mcp.list_all_resource_templates().await.unwrap();
    let uris: Vec<&str> = templates.iter().map(|t| t.uri_template.as_str()).collect();
    assert_eq!(
        uris,
        [
            "sequentum://agents/{agent_id}",
            "sequentum://agents/{agent_id}/runs/{run_id}",
            "sequentum://agents/{agent_id}/runs/{run_id}/records{?cursor}",
            "sequentum://agents/{agent_id}/runs/{run_id}/schema"
        ]
    );

    let products = site.base.join("products").unwrap();
    let (agent, run) =
        create_and_start(&engine, &client, "Shop", definition(&products, 3, None)).await;
    finished(&client, agent, run.id).await;
    let read = |uri: String| {
        let mcp = &mcp;
        async move { mcp.read_resource(ReadResourceRequestParams::new(uri)).await }
    };
    let agent_view = body(read(format!("sequentum://agents/{agent}")).await.unwrap());
    assert_eq!(agent_view["runs"][0]["run_id"], run.id, "{agent_view}");
    let run_view = body(
        read(format!("sequentum://agents/{agent}/runs/{}", run.id))
            .await
            .unwrap(),
    );
    assert_eq!(run_view["phase"], "completed");

    let records = format!("sequentum://agents/{agent}/runs/{}/records", run.id);
    let first = body(read(records.clone()).await.unwrap());
    assert_eq!(first["total"], 3 * PER_PAGE as i64);
    // fetch_records' default page holds everything here; the cursor of a smaller page is the
    // tool's own and reads on through the resource.
    assert!(first.get("next_cursor").is_none());
    assert_eq!(first["records"].as_array().unwrap().len(), 6);

    let schema = body(
        read(format!("sequentum://agents/{agent}/runs/{}/schema", run.id))
            .await
            .unwrap(),
    );
    assert_eq!(schema["run_id"], run.id);
    let table = &schema["tables"][0];
    assert_eq!(
        (table["name"].as_str(), table["rows"].as_i64()),
        (Some("records"), Some(3 * PER_PAGE as i64)),
        "{schema}"
    );
    let columns = table["columns"].as_array().unwrap();
    assert!(!columns.is_empty(), "{schema}");
    for column in columns {
        assert!(column["name"].is_string(), "{column}");
        assert!(
            ["text", "integer", "real"].contains(&column["type"].as_str().unwrap()),
            "{column}"
        );
        assert!(!column["sample"].is_null(), "{column}");
    }
    let functions = schema["functions"].as_str().unwrap();
    assert!(
        functions.contains("num(text)") && functions.contains("'dmy'"),
        "{functions}"
    );

    for bad in [
        "sequentum://spaces/1".to_string(),
        format!(
            "sequentum://agents/{agent}/runs/{}/records?cursor=forged",
            run.id
        ),
        format!("sequentum://agents/{agent}/runs/999999"),
    ] {
        let err = read(bad.clone()).await.unwrap_err();
        assert!(
            matches!(err, rmcp::ServiceError::McpError(_)),
            "{bad}: {err:?}"
        );
    }
}
