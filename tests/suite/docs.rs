//! The README and the CLI help held against the binary: the tool table against the registry,
//! the configuration table against the clap flags, the toolset and read-only lists against
//! the registry, and every tool name in the help against the catalog.

use std::collections::BTreeSet;

use clap::{Args, Command};
use sequentum_mcp::{
    config::{ServeArgs, help},
    jobs::{Tool, Toolset},
};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The rows of the first table after `heading`, as trimmed cells.
fn table(readme: &str, heading: &str) -> Vec<Vec<String>> {
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README has {heading:?}"));
    readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

/// The names in backticks in `cell`.
fn quoted(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

fn serve_command() -> Command {
    ServeArgs::augment_args(Command::new("serve"))
}

#[test]
fn the_tool_table_lists_every_tool_under_its_toolset() {
    let readme = readme();
    let mut listed = BTreeSet::new();
    for row in table(&readme, "## Tools") {
        for name in quoted(&row[1]) {
            assert!(
                listed.insert((row[0].clone(), name.to_string())),
                "{name} is listed twice"
            );
        }
    }
    let registry: BTreeSet<(String, String)> = Tool::ALL
        .iter()
        .map(|t| (t.toolset().name().to_string(), t.name().to_string()))
        .collect();
    assert_eq!(listed, registry, "README's tool table against the registry");
}

#[test]
fn the_configuration_table_matches_the_flags() {
    let readme = readme();
    let rows = table(&readme, "## Configuration");
    // A row may document several flags, each with its variable in the same place.
    let documented: BTreeSet<(String, String)> = rows
        .iter()
        .flat_map(|row| {
            let (flags, envs) = (quoted(&row[0]), quoted(&row[1]));
            if !flags.is_empty() {
                assert_eq!(flags.len(), envs.len(), "a variable per flag: {row:?}");
            }
            flags
                .into_iter()
                .zip(envs)
                .map(|(f, e)| (f.to_string(), e.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    let command = serve_command();
    let flags: BTreeSet<(String, String)> = command
        .get_arguments()
        .filter_map(|arg| {
            let env = arg.get_env()?.to_string_lossy().into_owned();
            Some((format!("--{}", arg.get_long()?), env))
        })
        .collect();
    assert_eq!(
        documented, flags,
        "README's configuration table against the flags of serve"
    );
}

#[test]
fn toolset_and_read_only_lists_come_from_the_registry() {
    let readme = readme();
    let rows = table(&readme, "## Configuration");
    let row = |flag: &str| {
        rows.iter()
            .find(|r| r[0] == format!("`{flag}`"))
            .unwrap_or_else(|| panic!("a row for {flag}"))
            .clone()
    };
    let toolsets_row = row("--toolsets");
    let toolsets: BTreeSet<&str> = quoted(&toolsets_row[2]).into_iter().collect();
    for toolset in Toolset::ALL {
        assert!(toolsets.contains(toolset.name()), "{toolset:?} in README");
    }
    let read_only_row = row("--read-only");
    let read_only: BTreeSet<&str> = quoted(&read_only_row[2]).into_iter().collect();
    assert_eq!(
        read_only,
        help::read_only_tools().into_iter().collect(),
        "README's read-only list against the registry"
    );

    let command = serve_command();
    let help_of = |flag: &str| {
        command
            .get_arguments()
            .find(|a| a.get_long() == Some(flag))
            .and_then(|a| a.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default()
    };
    for toolset in Toolset::ALL {
        assert!(help_of("toolsets").contains(toolset.name()));
    }
    for tool in help::read_only_tools() {
        assert!(help_of("read-only").contains(tool));
    }
    assert!(!help_of("read-only").contains(Tool::RunAgent.name()));
}

#[test]
fn help_names_only_tools_that_exist() {
    // A snake_case word that starts like a tool name must be one.
    let verbs: BTreeSet<&str> = Tool::ALL
        .iter()
        .filter_map(|t| t.name().split('_').next())
        .collect();
    let mut command = serve_command();
    let mut texts = vec![command.render_long_help().to_string()];
    texts.extend(
        command
            .get_subcommands()
            .map(|c| c.clone().render_long_help().to_string()),
    );
    for text in texts {
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            let Some((verb, _)) = word.split_once('_') else {
                continue;
            };
            if verbs.contains(verb) && word.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                assert!(
                    Tool::from_name(word).is_some(),
                    "help names {word:?}, which is no tool"
                );
            }
        }
    }
}
