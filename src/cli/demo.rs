//! `demo`: the whole flow on the embedded engine and its demo shop, printed as a transcript.
//! Every step goes through the real MCP tools, over an in-process MCP connection.

use std::time::Duration;

use anyhow::{Context, bail};
use rmcp::{model::CallToolRequestParams, service::RunningService};
use serde_json::{Value, json};

use crate::{
    app,
    config::{BackendArgs, BackendFlag, EngineArgs, EngineMode, ServeArgs, TransportFlag},
};

type McpClient = RunningService<rmcp::RoleClient, ()>;

/// Rounds of waiting (each up to 45 s) before the demo gives up on a build or run.
const MAX_ROUNDS: usize = 8;

/// What the demo produced.
pub struct DemoOutcome {
    pub agent_id: i64,
    pub run_id: i64,
    /// The final run status, as get_run_status returned it.
    pub run: Value,
    /// Every record, in order, as fetch_records paged them.
    pub records: Vec<Value>,
}

/// `demo`: runs the flow and prints the records as a table.
pub async fn run(engine: EngineArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let outcome = flow(engine).await?;
    print_table(&outcome.records);
    println!(
        "{} records in {:.1} s",
        outcome.records.len(),
        started.elapsed().as_secs_f64()
    );
    if outcome.records.is_empty() {
        bail!("the demo run produced no records");
    }
    Ok(())
}

/// The whole flow, narrated on stdout: build an agent for the demo shop, run it, follow the
/// run and page through every record, all through the MCP tools.
pub async fn flow(mut engine: EngineArgs) -> anyhow::Result<DemoOutcome> {
    // A fresh data directory per demo unless one was given: the demo leaves nothing behind.
    let scratch = tempfile::TempDir::new().context("cannot create a temporary data directory")?;
    if engine.data_dir.is_none() {
        engine.data_dir = Some(scratch.path().to_path_buf());
    }
    let args = ServeArgs {
        transport: TransportFlag::Stdio,
        listen: "127.0.0.1:0".parse()?,
        auth_token: None,
        auth: Default::default(),
        allowed_hosts: Vec::new(),
        allowed_origins: Vec::new(),
        http_limits: Default::default(),
        output_dir: None,
        read_only: false,
        toolsets: Default::default(),
        // The demo's engine lives and ends with it: nothing keeps running afterwards.
        engine_mode: EngineMode::InProcess,
        backend: BackendArgs {
            backend: BackendFlag::Local,
            api_key: None,
            access_token: None,
            api_url: String::new(),
            deck_api_key: None,
            deck_api_url: String::new(),
        },
        engine,
    };
    let app = app::assemble(&args, false).await?;
    let Some(engine) = &app.engine else {
        bail!("the demo runs on the local engine only");
    };
    let demo_url = engine.demo_url().to_string();
    let client: McpClient = crate::mcp::in_process::connect(app.server.clone(), ())
        .await
        .context("MCP handshake failed")?;

    let prompt = format!("Get the name, price and SKU of every product from {demo_url}");
    println!("> build_agent {{\"prompt\": {prompt:?}}}");
    let mut build = call(
        &client,
        "build_agent",
        json!({"prompt": prompt, "wait_seconds": 45}),
    )
    .await?;
    for _ in 0..MAX_ROUNDS {
        if build["status"] != "building" {
            break;
        }
        build = call(
            &client,
            "build_agent",
            json!({"session_id": build["session_id"], "wait_seconds": 45}),
        )
        .await?;
    }
    for line in build["narration"].as_array().into_iter().flatten() {
        println!("  builder: {}", line.as_str().unwrap_or_default());
    }
    if build["status"] != "completed" && build["status"] != "ready" {
        bail!("the build ended {}: {}", build["status"], build["error"]);
    }
    let agent_id = build["agent_id"]
        .as_i64()
        .context("the build returned no agent_id")?;
    println!("  built agent {agent_id} {}", build["agent_name"]);

    println!("> run_agent {{\"agent_id\": {agent_id}}}");
    let mut run = call(
        &client,
        "run_agent",
        json!({"agent_id": agent_id, "wait_seconds": 45}),
    )
    .await?;
    let run_id = run["run_id"]
        .as_i64()
        .context("run_agent returned no run_id")?;
    for _ in 0..MAX_ROUNDS {
        if run["terminal"] == true {
            break;
        }
        println!(
            "> get_run_status {{\"agent_id\": {agent_id}, \"run_id\": {run_id}, \"wait_seconds\": 45}}"
        );
        run = call(
            &client,
            "get_run_status",
            json!({"agent_id": agent_id, "run_id": run_id, "wait_seconds": 45}),
        )
        .await?;
    }
    println!(
        "  run {run_id}: {} with {} records from {} pages",
        run["status"].as_str().unwrap_or("?"),
        run["records_extracted"],
        run["pages"]
    );

    let mut rows: Vec<Value> = Vec::new();
    let mut cursor = Value::Null;
    loop {
        println!(
            "> fetch_records {{\"agent_id\": {agent_id}, \"run_id\": {run_id}, \"limit\": 100{}}}",
            if cursor.is_null() {
                ""
            } else {
                ", \"cursor\": …"
            }
        );
        let page = call(
            &client,
            "fetch_records",
            json!({"agent_id": agent_id, "run_id": run_id, "limit": 100, "cursor": cursor}),
        )
        .await?;
        rows.extend(page["records"].as_array().cloned().unwrap_or_default());
        cursor = page["next_cursor"].clone();
        if cursor.is_null() {
            break;
        }
    }
    client.cancel().await.ok();
    if let Some(engine) = app.engine {
        engine.close().await;
    }
    Ok(DemoOutcome {
        agent_id,
        run_id,
        run,
        records: rows,
    })
}

/// Calls a tool and returns its structured result, turning a tool error into an error.
async fn call(client: &McpClient, tool: &str, args: Value) -> anyhow::Result<Value> {
    let Value::Object(arguments) = args else {
        unreachable!("arguments are objects")
    };
    let arguments = arguments
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .collect();
    let result = tokio::time::timeout(
        Duration::from_secs(120),
        client.call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(arguments)),
    )
    .await
    .with_context(|| format!("{tool} did not answer"))??;
    if result.is_error == Some(true) {
        let text = result
            .content
            .iter()
            .filter_map(|c| c.as_text())
            .map(|t| t.text.clone())
            .collect::<Vec<_>>()
            .join(" ");
        bail!("{tool} failed: {text}");
    }
    result
        .structured_content
        .with_context(|| format!("{tool} returned no structured result"))
}

/// Prints records as an aligned text table (columns from the first record).
fn print_table(rows: &[Value]) {
    let Some(Value::Object(first)) = rows.first() else {
        return;
    };
    let columns: Vec<&String> = first.keys().collect();
    let cell = |row: &Value, col: &str| match &row[col] {
        Value::String(s) => s.chars().take(40).collect::<String>(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| {
            rows.iter()
                .map(|r| cell(r, c).chars().count())
                .max()
                .unwrap_or(0)
                .max(c.len())
        })
        .collect();
    let line = |values: Vec<String>| {
        values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
    };
    println!("{}", line(columns.iter().map(|c| c.to_string()).collect()));
    println!("{}", line(widths.iter().map(|w| "-".repeat(*w)).collect()));
    for row in rows {
        println!("{}", line(columns.iter().map(|c| cell(row, c)).collect()));
    }
}
