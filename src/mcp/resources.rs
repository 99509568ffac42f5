//! MCP resources: an agent, a run, a page of a run's records and the schema of its records
//! for queries, for clients that attach context. Each is read by calling the tool that answers
//! the same question (list_runs, get_run_status, fetch_records), so a resource and a tool never
//! disagree and records page with the same signed cursors; the schema, which no tool answers
//! as data, is read from the same database query_records reads.

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
use crate::jobs::{Id, ToolFailure};

const AGENT: &str = "sequentum://agents/{agent_id}";
const RUN: &str = "sequentum://agents/{agent_id}/runs/{run_id}";
const RECORDS: &str = "sequentum://agents/{agent_id}/runs/{run_id}/records{?cursor}";
const SCHEMA: &str = "sequentum://agents/{agent_id}/runs/{run_id}/schema";

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
            "The tables query_records can read for a run: columns with type and example, row counts",
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

/// What reading a resource URI does: call a tool, or describe a run's tables.
#[derive(Debug, PartialEq)]
enum Read {
    Tool(&'static str, JsonObject),
    Schema { agent_id: Value, run_id: Value },
}

/// What a resource URI stands for.
fn target(uri: &str) -> Result<Read, ErrorData> {
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
            return Ok(Read::Schema {
                agent_id: id(agent),
                run_id: id(run),
            });
        }
        _ => return Err(bad("unknown path")),
    };
    Ok(Read::Tool(tool, args))
}

impl Server {
    /// Reads a resource by calling its tool; a tool error becomes a JSON-RPC error with the
    /// tool's own words.
    pub(super) async fn read(
        &self,
        uri: &str,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResult, ErrorData> {
        let (tool, args) = match target(uri)? {
            Read::Tool(tool, args) => (tool, args),
            Read::Schema { agent_id, run_id } => {
                return self.read_schema(uri, agent_id, run_id).await;
            }
        };
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
            return Err(read_error(uri, text(&result)));
        }
        Ok(contents(
            uri,
            result.structured_content.unwrap_or(Value::Null),
        ))
    }

    /// A run's tables as data: columns with a type and an example, row counts, and a line on
    /// num() and date().
    async fn read_schema(
        &self,
        uri: &str,
        agent_id: Value,
        run_id: Value,
    ) -> Result<ReadResourceResult, ErrorData> {
        let schema = async {
            let id = |field: &str, value: Value| {
                let id: Id = serde_json::from_value(value).map_err(|_| {
                    ToolFailure::invalid(
                        format!("{field} is not an id"),
                        "Use the id list_runs shows",
                    )
                })?;
                self.jobs.id(field, &id)
            };
            let (agent_id, run_id) = (id("agent_id", agent_id)?, id("run_id", run_id)?);
            self.jobs.run_schema(&agent_id, &run_id).await
        }
        .await
        .map_err(|failure| read_error(uri, failure.text()))?;
        Ok(contents(
            uri,
            serde_json::to_value(schema).unwrap_or(Value::Null),
        ))
    }
}

/// A tool's error text as a JSON-RPC error of the matching kind.
fn read_error(uri: &str, message: String) -> ErrorData {
    if message.starts_with("not_found") {
        ErrorData::resource_not_found(message, Some(json!({"uri": uri})))
    } else if message.starts_with("invalid_") {
        ErrorData::invalid_params(message, Some(json!({"uri": uri})))
    } else {
        ErrorData::internal_error(message, Some(json!({"uri": uri})))
    }
}

fn contents(uri: &str, body: Value) -> ReadResourceResult {
    ReadResourceResult::new(vec![
        ResourceContents::text(body.to_string(), uri).with_mime_type("application/json"),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_map_to_their_tools_and_bad_ones_are_refused() {
        let tool_call = |uri: &str| match target(uri).unwrap() {
            Read::Tool(tool, args) => (tool, args),
            other => panic!("{uri}: {other:?}"),
        };
        let (tool, args) = tool_call("sequentum://agents/3");
        assert_eq!((tool, &args["agent_id"]), ("list_runs", &json!(3)));
        let (tool, args) = tool_call("sequentum://agents/3/runs/9");
        assert_eq!((tool, &args["run_id"]), ("get_run_status", &json!(9)));
        let (tool, args) = tool_call("sequentum://agents/3/runs/9/records?cursor=a%2Bb");
        assert_eq!((tool, &args["cursor"]), ("fetch_records", &json!("a+b")));
        assert_eq!(
            target("sequentum://agents/3/runs/9/schema").unwrap(),
            Read::Schema {
                agent_id: json!(3),
                run_id: json!(9)
            }
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
            let err = target(bad).unwrap_err();
            assert!(
                err.message.contains("templates are"),
                "{bad}: {}",
                err.message
            );
        }
    }
}
