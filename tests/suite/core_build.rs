//! The whole loop a model drives (build_agent -> run_agent -> get_run_status -> fetch_records)
//! and aborting a build, through a real MCP client against the fake API.

use crate::support::{
    BuilderScript, Route, RunScript,
    mcp_client::{Harness, failure, success},
    rows,
};
use serde_json::{Value, json};

/// The records as the server shows CSV rows: every value a string, text sanitised.
fn as_csv_strings(records: &[Value]) -> Vec<Value> {
    records
        .iter()
        .map(|r| {
            let row: serde_json::Map<String, Value> = r
                .as_object()
                .expect("object")
                .iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.replace(['\u{202E}', '\u{200B}'], ""),
                        other => other.to_string(),
                    };
                    (k.clone(), Value::String(text))
                })
                .collect();
            Value::Object(row)
        })
        .collect()
}

#[tokio::test]
async fn build_run_follow_and_read_the_records() {
    let h = Harness::start().await;
    let samples = rows(2);
    h.fake
        .script_builder(BuilderScript::completes("Shop products", samples.clone()));

    let build = success(
        h.call(
            "build_agent",
            json!({"prompt": "Get every product name and price from https://shop.example.test/"}),
        )
        .await,
    );
    assert_eq!(build["status"], "completed", "{build:#}");
    assert_eq!(build["agent_name"], "Shop products");
    let agent = build["agent_id"]
        .as_i64()
        .expect("the build names its agent");
    let narration: Vec<&str> = build["narration"]
        .as_array()
        .expect("narration")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        narration.contains(&"Extract product records"),
        "{narration:?}"
    );
    assert_eq!(build["sample_records"], json!(samples));
    assert!(
        build["next_step"]
            .as_str()
            .unwrap()
            .contains(&format!("run_agent with agent_id={agent}"))
    );

    let records = rows(7);
    h.fake
        .script_run(agent, RunScript::completes(records.clone()));
    let run = success(h.call("run_agent", json!({"agent_id": agent})).await);
    assert_eq!(run["status"], "Completed", "{run:#}");
    assert_eq!(run["terminal"], true);
    assert_eq!(run["already_running"], false);
    assert_eq!(run["records_extracted"], 7);
    let preview = run["preview"]
        .as_array()
        .expect("a finished run has a preview");
    assert_eq!(preview, &as_csv_strings(&records[..3]));
    let run_id = run["run_id"].as_i64().unwrap();

    let status = success(
        h.call(
            "get_run_status",
            json!({"agent_id": agent, "run_id": run_id}),
        )
        .await,
    );
    assert_eq!(status["status_code"], 9);
    assert!(status["next_step"].as_str().unwrap().contains(&format!(
        "fetch_records with agent_id={agent}, run_id={run_id}"
    )));

    // Without run_id: the agent's latest run with records.
    let page = success(
        h.call("fetch_records", json!({"agent_id": agent, "limit": 100}))
            .await,
    );
    assert_eq!(page["run_id"], run_id);
    assert_eq!(page["returned"], 7);
    assert_eq!(
        page["records"].as_array().unwrap(),
        &as_csv_strings(&records)
    );
    assert!(page.get("next_cursor").is_none());
}

#[tokio::test]
async fn a_build_can_be_aborted_with_stop_run() {
    let h = Harness::start().await;
    h.fake
        .script_builder(BuilderScript::until_stopped().manual());
    let started = success(
        h.call(
            "build_agent",
            json!({"prompt": "Titles of https://news.example.test/", "wait_seconds": 0}),
        )
        .await,
    );
    assert_eq!(started["status"], "building");
    let session = started["session_id"].as_str().unwrap().to_string();

    let stopped = success(h.call("stop_run", json!({"session_id": session})).await);
    assert_eq!(stopped["build"]["status"], "cancelled", "{stopped:#}");
    assert!(stopped.get("run").is_none());

    let resumed = success(
        h.call(
            "build_agent",
            json!({"session_id": session, "wait_seconds": 0}),
        )
        .await,
    );
    assert_eq!(resumed["status"], "cancelled");
}

#[tokio::test]
async fn a_follow_up_message_goes_to_the_builder_once_and_the_build_is_followed() {
    let h = Harness::start().await;
    h.fake
        .script_builder(BuilderScript::completes("Shop products", rows(2)));
    let build = success(
        h.call(
            "build_agent",
            json!({"prompt": "Get every product name and price from https://shop.example.test/"}),
        )
        .await,
    );
    let session = build["session_id"].as_str().unwrap().to_string();
    let followup = Route::post(&format!("/api/v1/agent-builder/{session}/followup"));
    let refined = success(
        h.call(
            "build_agent",
            json!({"session_id": session, "message": "also get the rating"}),
        )
        .await,
    );
    assert_eq!(refined["status"], "completed", "{refined:#}");
    assert_eq!(h.fake.count(&followup), 1);
    assert_eq!(
        h.fake.calls(&followup)[0].json()["message"],
        "also get the rating"
    );

    let err = failure(
        h.call(
            "build_agent",
            json!({"session_id": session, "message": "  "}),
        )
        .await,
    );
    assert!(
        err.starts_with("invalid_argument: message is empty"),
        "{err}"
    );
    assert_eq!(h.fake.count(&followup), 1, "nothing sent");
}
