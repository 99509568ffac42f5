//! MCP resources: an agent, a run, a page of a run's records and the schema of its records
//! for queries, for clients that attach context. Each is read by calling the tool that answers
//! the same question (list_runs, get_run_status, fetch_records, query_records), so a resource
//! and a tool never disagree and records page with the same signed cursors.

use rmcp::{
    ErrorData, RoleServer,
    handler::server::tool::ToolCallContext,
    model::{
        CallToolRequestParams, CallToolResponse, JsonObject, ReadResourceResult, ResourceContents,
        ResourceTemplate,
    },
    service::RequestContext,
};
use serde_json::{Value, json};

use super::Server;

const AGENT: &str = "sequentum://agents/{agent_id}";
const RUN: &str = "sequentum://agents/{agent_id}/runs/{run_id}";
const RECORDS: &str = "sequentum://agents/{agent_id}/runs/{run_id}/records{?cursor}";
const SCHEMA: &str = "sequentum://agents/{agent_id}/runs/{run_id}/schema";
/// The query whose answer is a run's schema: no rows, every table with its columns.
const SCHEMA_QUERY: &str = "SELECT * FROM records LIMIT 0";

/// Runs an agent resource lists.
const AGENT_RUNS: u32 = 10;

/// The resource templates, as resources/templates/list serves them.
pub fn templates() -> Vec<ResourceTemplate> {
    [
        (AGENT, "agent", "An agent and its latest runs"),
        (RUN, "run", "A run's status and counters"),
        (
            RECORDS,
            "records",
            "One page of a run's records; next_cursor continues as ?cursor=",
        ),
        (
            SCHEMA,
            "schema",
            "The tables and columns query_records can read for a run",
        ),
    ]
    .into_iter()
    .map(|(uri, name, description)| {
        ResourceTemplate::new(uri, name)
            .with_description(description)
            .with_mime_type("application/json")
    })
    .collect()
}

/// The tool call a resource URI stands for.
fn tool_call(uri: &str) -> Result<(&'static str, JsonObject), ErrorData> {
    let bad = |why: &str| {
        ErrorData::invalid_params(
            format!(
                "cannot read resource {:?}: {why}; the templates are {AGENT}, {RUN}, {RECORDS} and {SCHEMA}",
                crate::jobs::failure::excerpt(uri)
            ),
            None,
        )
    };
    let parsed = url::Url::parse(uri).map_err(|_| bad("not a URI"))?;
    if parsed.scheme() != "sequentum" || parsed.host_str() != Some("agents") {
        return Err(bad("not a sequentum://agents/ URI"));
    }
    let segments: Vec<&str> = parsed.path().trim_matches('/').split('/').collect();
    let id = |text: &str| match text.parse::<i64>() {
        Ok(n) => json!(n),
        Err(_) => json!(text),
    };
    let mut args = JsonObject::new();
    let cursor = parsed
        .query_pairs()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.into_owned());
    if parsed.query().is_some() && (segments.get(3) != Some(&"records") || cursor.is_none()) {
        return Err(bad("only a records URI takes a query, and only ?cursor="));
    }
    let tool = match segments.as_slice() {
        [agent] if !agent.is_empty() => {
            args.insert("agent_id".into(), id(agent));
            args.insert("limit".into(), json!(AGENT_RUNS));
            "list_runs"
        }
        [agent, "runs", run] => {
            args.insert("agent_id".into(), id(agent));
            args.insert("run_id".into(), id(run));
            "get_run_status"
        }
        [agent, "runs", run, "records"] => {
            args.insert("agent_id".into(), id(agent));
            args.insert("run_id".into(), id(run));
            if let Some(cursor) = cursor {
                args.insert("cursor".into(), json!(cursor));
            }
            "fetch_records"
        }
        [agent, "runs", run, "schema"] => {
            args.insert("agent_id".into(), id(agent));
            args.insert("run_id".into(), id(run));
            args.insert("sql".into(), json!(SCHEMA_QUERY));
            "query_records"
        }
        _ => return Err(bad("unknown path")),
    };
    Ok((tool, args))
}

impl Server {
    /// Reads a resource by calling its tool; a tool error becomes a JSON-RPC error with the
    /// tool's own words.
    pub(super) async fn read(
        &self,
        uri: &str,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResult, ErrorData> {
        let (tool, args) = tool_call(uri)?;
        let request = CallToolRequestParams::new(tool).with_arguments(args);
        let response = self
            .tool_router
            .call(ToolCallContext::new(self, request, context))
            .await?;
        let CallToolResponse::Complete(result) = response else {
            return Err(ErrorData::internal_error(
                format!("{tool} did not complete for {uri}"),
                None,
            ));
        };
        let text = |r: &rmcp::model::CallToolResult| {
            r.content
                .iter()
                .find_map(|c| c.as_text().map(|t| t.text.clone()))
                .unwrap_or_default()
        };
        if result.is_error == Some(true) {
            let message = text(&result);
            return Err(if message.starts_with("not_found") {
                ErrorData::resource_not_found(message, Some(json!({"uri": uri})))
            } else if message.starts_with("invalid_") {
                ErrorData::invalid_params(message, Some(json!({"uri": uri})))
            } else {
                ErrorData::internal_error(message, Some(json!({"uri": uri})))
            });
        }
        let body = result.structured_content.unwrap_or(Value::Null);
        Ok(ReadResourceResult::new(vec![
            ResourceContents::text(body.to_string(), uri).with_mime_type("application/json"),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_map_to_their_tools_and_bad_ones_are_refused() {
        let (tool, args) = tool_call("sequentum://agents/3").unwrap();
        assert_eq!((tool, &args["agent_id"]), ("list_runs", &json!(3)));
        let (tool, args) = tool_call("sequentum://agents/3/runs/9").unwrap();
        assert_eq!((tool, &args["run_id"]), ("get_run_status", &json!(9)));
        let (tool, args) = tool_call("sequentum://agents/3/runs/9/records?cursor=a%2Bb").unwrap();
        assert_eq!((tool, &args["cursor"]), ("fetch_records", &json!("a+b")));
        let (tool, args) = tool_call("sequentum://agents/3/runs/9/schema").unwrap();
        assert_eq!(
            (tool, &args["sql"]),
            ("query_records", &json!(SCHEMA_QUERY))
        );
        for bad in [
            "sequentum://agents/",
            "sequentum://spaces/1",
            "http://agents/1",
            "sequentum://agents/3/runs",
            "sequentum://agents/3/runs/9?cursor=x",
            "sequentum://agents/3/runs/9/records?page=2",
            "not a uri",
        ] {
            let err = tool_call(bad).unwrap_err();
            assert!(
                err.message.contains("templates are"),
                "{bad}: {}",
                err.message
            );
        }
    }
}
