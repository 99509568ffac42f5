//! build_agent on Deck: the user's request becomes an agent, a website source and a task.
//!
//! Deck has no builder to talk to: the task's prompt is the user's goal in their own words, and
//! its output_schema is an array of records with the fields the request names. The website is
//! the first URL in the request; the fields are those the request names, read by the same
//! reader as the local Agent Builder's ("get the date, amount and status of my bills", or a
//! parenthesised list "get my bills (date, amount, status)"). Without any the records are
//! free-form objects.

use serde_json::{Map, Value, json};
use url::Url;

use crate::jobs::model::{ToolFailure, platform::BuildRequest};
use crate::local::builder::requested_fields;

/// Longest task name derived from a prompt.
const NAME_CHARS: usize = 80;

/// What to create on Deck for a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub url: Url,
    pub agent_name: String,
    pub task_name: String,
    pub prompt: String,
    pub output_schema: Value,
}

pub fn plan(request: &BuildRequest) -> Result<Plan, ToolFailure> {
    let url = first_url(&request.prompt).ok_or_else(|| {
        ToolFailure::invalid(
            "The request names no website (no http:// or https:// address)",
            "Ask the user for the site's address and include it in prompt",
        )
    })?;
    let host = url
        .host_str()
        .unwrap_or("website")
        .trim_start_matches("www.")
        .to_string();
    let task_name = match &request.agent_name {
        Some(name) => name.clone(),
        None => request
            .prompt
            .chars()
            .take(NAME_CHARS)
            .collect::<String>()
            .trim()
            .to_string(),
    };
    Ok(Plan {
        agent_name: request.agent_name.clone().unwrap_or(host),
        task_name,
        prompt: request.prompt.clone(),
        output_schema: output_schema(&requested_fields(&request.prompt)),
        url,
    })
}

/// The first http(s) address in `text`, without trailing punctuation.
pub fn first_url(text: &str) -> Option<Url> {
    text.split_whitespace()
        .filter_map(|word| {
            let start = word.find("http://").or_else(|| word.find("https://"))?;
            let url =
                word[start..].trim_end_matches(['.', ',', ';', ':', ')', '"', '\'', '!', '?']);
            Url::parse(url).ok()
        })
        .next()
}

/// `{records: [{field: string, ...}]}`: Deck's output is one object, so the records are its
/// `records` array.
fn output_schema(fields: &[String]) -> Value {
    let mut item = json!({"type": "object"});
    if !fields.is_empty() {
        let properties: Map<String, Value> = fields
            .iter()
            .map(|f| (f.clone(), json!({"type": "string"})))
            .collect();
        item["properties"] = Value::Object(properties);
    }
    json!({
        "type": "object",
        "properties": {"records": {"type": "array", "items": item}},
        "required": ["records"]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_becomes_a_site_a_name_and_a_schema_of_its_fields() {
        let request = BuildRequest {
            prompt: "Log into my utility account at https://power.example.com/login, and get my last 12 bills (date, amount and status).".into(),
            space_id: None,
            agent_name: None,
        };
        let plan = plan(&request).unwrap();
        assert_eq!(plan.url.as_str(), "https://power.example.com/login");
        assert_eq!(plan.agent_name, "power.example.com");
        let props = &plan.output_schema["properties"]["records"]["items"]["properties"];
        assert_eq!(
            props.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["date", "amount", "status"]
        );
        let written_out = BuildRequest {
            prompt:
                "Get the date, amount and status of my bills from https://power.example.com/bills"
                    .into(),
            ..request.clone()
        };
        let props = &super::plan(&written_out).unwrap().output_schema["properties"]["records"]["items"]
            ["properties"];
        assert_eq!(
            props.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["date", "amount", "status"],
            "fields written in the sentence are read as on the other platforms"
        );
        let chatty = BuildRequest {
            prompt: "Good morning! Could you go to https://power.example.com/bills and pull out the date, the amount and the status of each bill? Thanks".into(),
            ..request.clone()
        };
        let props = &super::plan(&chatty).unwrap().output_schema["properties"]["records"]["items"]
            ["properties"];
        assert_eq!(
            props.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["date", "amount", "status"],
            "a polite opener before the fields is read as on the other platforms"
        );
        let none = BuildRequest {
            prompt: "get the bills from my account".into(),
            ..request
        };
        assert!(plan_err(&none).contains("no website"));
    }

    fn plan_err(request: &BuildRequest) -> String {
        plan(request).unwrap_err().text()
    }
}
