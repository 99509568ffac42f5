//! The checked-in snapshots (`tools/`) must be exactly what the server serves: every tool of
//! every toolset, the prompts and the default instructions. Each toolset selection stays
//! within its budget and every tool is fully described.

use std::collections::BTreeSet;

use rmcp::ServerHandler;
use sequentum_mcp::{
    cli::tools::{budget_report, catalog, catalog_server, snapshots},
    jobs::{Need, Tool},
    mcp::toolsets::Selection,
};
use serde_json::Value;

const REGENERATE: &str = "regenerate with `cargo run -- tools --write tools/`";

fn selection(toolsets: &[&str], read_only: bool) -> Selection {
    Selection {
        toolsets: toolsets.iter().map(|s| s.to_string()).collect(),
        tools: Vec::new(),
        read_only,
    }
}

#[test]
fn tools_directory_matches_the_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tools");
    let files = snapshots();
    for (name, text) in &files {
        let path = dir.join(name);
        let on_disk = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing; {REGENERATE}", path.display()));
        assert_eq!(
            &on_disk,
            text,
            "{} differs from the code; {REGENERATE}",
            path.display()
        );
    }
    let expected: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let listing = |sub: &str| -> Vec<String> {
        std::fs::read_dir(dir.join(sub))
            .expect("tools/ exists")
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| format!("{sub}{}", e.file_name().to_string_lossy()))
            .collect()
    };
    let present: BTreeSet<String> = listing("").into_iter().chain(listing("deck/")).collect();
    let present: BTreeSet<&str> = present.iter().map(String::as_str).collect();
    assert_eq!(present, expected, "tools/ holds stale files; {REGENERATE}");
}

#[test]
fn every_toolset_selection_stays_within_its_budget() {
    for (set, size, budget) in budget_report() {
        println!("tools/list {set}: {size} characters (budget {budget})");
        assert!(
            size <= budget,
            "tools/list {set} is {size} characters; the budget is {budget}"
        );
    }
}

/// The registry's tools that pass `keep` and that a Sequentum backend serves (interactions
/// are Deck's), sorted as tools/list sorts them.
fn sequentum_tools(keep: impl Fn(Tool) -> bool) -> Vec<&'static str> {
    let mut names: Vec<&str> = Tool::ALL
        .iter()
        .copied()
        .filter(|t| !t.needs().contains(&Need::Interactions) && keep(*t))
        .map(Tool::name)
        .collect();
    names.sort_unstable();
    names
}

#[test]
fn every_tool_is_described_annotated_and_takes_integer_ids() {
    let all = catalog(&selection(&["all"], false));
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        sequentum_tools(|_| true),
        "every registry tool but those no Sequentum backend serves"
    );
    for (name, json) in &all {
        let tool: Value = serde_json::from_str(json).unwrap();
        assert!(tool["title"].is_string(), "{name} has no title");
        assert!(
            tool["description"].as_str().is_some_and(|d| d.len() > 40),
            "{name} has no useful description"
        );
        for hint in [
            "readOnlyHint",
            "destructiveHint",
            "idempotentHint",
            "openWorldHint",
        ] {
            assert!(
                tool["annotations"][hint].is_boolean(),
                "{name} does not state {hint}"
            );
        }
        assert_eq!(
            tool["outputSchema"]["type"], "object",
            "{name} has no object outputSchema"
        );
        let properties = tool["inputSchema"]["properties"].as_object().unwrap();
        for (field, schema) in properties {
            assert!(
                schema["description"].is_string(),
                "{name}.{field} has no description"
            );
            if field.ends_with("_id") && field != "session_id" {
                // Sequentum ids are integers, on the way in and out.
                assert_eq!(schema["type"], "integer", "{name}.{field}");
            }
        }
        assert_eq!(tool["inputSchema"]["additionalProperties"], false, "{name}");
        assert!(
            !json.contains("x-platform-id"),
            "{name} kept the id placeholder"
        );
    }
    let core: Vec<String> = catalog(&selection(&["core"], false))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        !core.contains(&"save_records".to_string()) && core.contains(&"restart_run".to_string())
    );
    let default: Vec<String> = catalog(&selection(&[], false))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        !default.iter().any(|n| n.ends_with("_agent_definition")),
        "the editor is not in the default set: {default:?}"
    );
    let editor: Vec<String> = catalog(&selection(&["editor"], false))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        editor.contains(&"update_agent_definition".to_string())
            && editor.contains(&"run_agent".to_string())
    );
}

#[test]
fn read_only_mode_offers_only_the_tools_that_change_nothing() {
    let server = catalog_server(&selection(&["all"], true)).unwrap();
    let names: Vec<String> = server.tools().iter().map(|t| t.name.to_string()).collect();
    assert_eq!(
        names,
        sequentum_tools(|t| t.effect().read_only())
            .into_iter()
            .filter(|name| *name != "get_usage")
            .collect::<Vec<_>>(),
        "the engine's tools that change nothing"
    );
    assert!(names.contains(&"list_runs".to_string()) && !names.contains(&"run_agent".to_string()));
    for tool in server.tools() {
        assert_eq!(tool.annotations.and_then(|a| a.read_only_hint), Some(true));
    }
    let instructions = server.get_info().instructions.unwrap_or_default();
    assert!(instructions.contains("read-only"), "{instructions}");
    for writer in [
        "build_agent",
        "run_agent",
        "stop_run",
        "restart_run",
        "save_records",
        "update_agent_definition",
    ] {
        assert!(!instructions.contains(writer), "{instructions}");
    }
    // Prompts whose steps need a writer are withheld; those that only read stay.
    let prompts: Vec<String> = server.prompts().into_iter().map(|p| p.name).collect();
    for writer_prompt in [
        "extract_data",
        "run_and_monitor",
        "compare_with_last_run",
        "schedule_agent",
    ] {
        assert!(!prompts.iter().any(|p| p == writer_prompt), "{prompts:?}");
    }
    assert!(prompts.iter().any(|p| p == "compare_runs"), "{prompts:?}");
}

#[test]
fn unknown_toolsets_and_tools_are_refused_with_the_valid_names() {
    let err = catalog_server(&selection(&["core", "schedulez"], false))
        .err()
        .unwrap();
    assert!(err.contains("schedulez") && err.contains("runs"), "{err}");
}
