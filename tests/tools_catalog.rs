//! The checked-in tool catalog (`tools/*.json`) must be exactly what tools/list serves, and
//! the catalog must stay small and fully described.

use std::collections::BTreeSet;

use sequentum_mcp::cli::tools::catalog;
use serde_json::Value;

const REGENERATE: &str = "regenerate with `cargo run -- tools --write tools/`";

#[test]
fn tools_directory_matches_the_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tools");
    let catalog = catalog();
    for (name, json) in &catalog {
        let path = dir.join(format!("{name}.json"));
        let on_disk = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing; {REGENERATE}", path.display()));
        assert_eq!(
            &on_disk,
            json,
            "{} differs from the code; {REGENERATE}",
            path.display()
        );
    }
    let expected: BTreeSet<String> = catalog.iter().map(|(n, _)| format!("{n}.json")).collect();
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("tools/ exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        present, expected,
        "tools/ holds files for tools that do not exist; {REGENERATE}"
    );
}

#[test]
fn the_seven_tools_are_described_annotated_and_small() {
    let catalog = catalog();
    let names: Vec<&str> = catalog.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "build_agent",
            "fetch_records",
            "get_run_status",
            "list_agents",
            "list_runs",
            "run_agent",
            "stop_run"
        ]
    );
    let mut wire_chars = 0;
    for (name, json) in &catalog {
        let tool: Value = serde_json::from_str(json).unwrap();
        wire_chars += serde_json::to_string(&tool).unwrap().len();
        assert!(tool["title"].is_string(), "{name} has no title");
        assert!(
            tool["description"].as_str().is_some_and(|d| d.len() > 40),
            "{name} has no useful description"
        );
        let hints = &tool["annotations"];
        for hint in [
            "readOnlyHint",
            "destructiveHint",
            "idempotentHint",
            "openWorldHint",
        ] {
            assert!(hints[hint].is_boolean(), "{name} does not state {hint}");
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
        }
    }
    assert!(
        wire_chars < 12_000,
        "tools/list is {wire_chars} characters; the budget is 12,000"
    );
}

#[test]
fn read_only_tools_say_so_and_writers_do_not() {
    for (name, json) in catalog() {
        let tool: Value = serde_json::from_str(&json).unwrap();
        let read_only = tool["annotations"]["readOnlyHint"] == true;
        let expected = matches!(
            name.as_str(),
            "fetch_records" | "get_run_status" | "list_agents" | "list_runs"
        );
        assert_eq!(read_only, expected, "{name} readOnlyHint");
    }
}

#[test]
fn read_only_mode_offers_only_the_tools_that_change_nothing() {
    use rmcp::ServerHandler;
    let server = sequentum_mcp::cli::tools::catalog_server().read_only();
    let names: Vec<String> = server.tools().iter().map(|t| t.name.to_string()).collect();
    assert_eq!(
        names,
        [
            "fetch_records",
            "get_run_status",
            "list_agents",
            "list_runs"
        ]
    );
    let instructions = server.get_info().instructions.unwrap_or_default();
    assert!(instructions.contains("read-only"), "{instructions}");
    assert!(!instructions.contains("build_agent"), "{instructions}");
}
