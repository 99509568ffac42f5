//! The toolset registry: which tools a server offers.
//!
//! Tools come in toolsets so a client pays in context only for what it uses. The server
//! offers the selected toolsets (always with core, without which nothing else is usable), plus
//! single extra tools, minus what the platform or the transport cannot serve, minus every tool
//! that changes something when the server is read-only. Over HTTP a request may narrow (never
//! widen) that set with an `X-MCP-Toolsets` header.

use std::collections::BTreeSet;

use crate::jobs::{Guide, Tool};

/// The header with which an HTTP request narrows the offered toolsets.
pub const NARROWING_HEADER: &str = "x-mcp-toolsets";

/// Budgets for tools/list, in characters of compact JSON: what a client pays in context on
/// every conversation.
pub const CORE_BUDGET: usize = 12_500;
pub const DEFAULT_BUDGET: usize = 22_000;
pub const ALL_BUDGET: usize = 34_000;

/// A group of tools offered together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Toolset {
    /// Build, run, follow, stop, restart and read agents.
    Core,
    /// More about runs: save datasets, diagnose failures, files, deletion, summaries.
    Runs,
    /// Read, dry-run and save agent definitions (the embedded engine only).
    Editor,
    /// Answer runs paused for input, list stored logins (Deck only; silently absent elsewhere
    /// unless named).
    Interactions,
    /// Run agents by themselves: once, every N periods, or on a cron.
    Schedules,
    /// An agent's details and versions; restore, archive.
    Agents,
    /// Groups of agents, started together.
    Spaces,
    /// Credits and costs (Sequentum cloud only).
    Usage,
    /// Questions asked of the data: SQL over a run's records, what changed between runs.
    Analysis,
}

impl Toolset {
    pub const ALL: [Toolset; 9] = [
        Toolset::Core,
        Toolset::Runs,
        Toolset::Editor,
        Toolset::Interactions,
        Toolset::Schedules,
        Toolset::Agents,
        Toolset::Spaces,
        Toolset::Usage,
        Toolset::Analysis,
    ];
    /// What a server offers when no toolset is named.
    pub const DEFAULT: [Toolset; 5] = [
        Toolset::Core,
        Toolset::Runs,
        Toolset::Schedules,
        Toolset::Interactions,
        Toolset::Analysis,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Toolset::Core => "core",
            Toolset::Runs => "runs",
            Toolset::Editor => "editor",
            Toolset::Interactions => "interactions",
            Toolset::Agents => "agents",
            Toolset::Spaces => "spaces",
            Toolset::Usage => "usage",
            Toolset::Schedules => "schedules",
            Toolset::Analysis => "analysis",
        }
    }

    pub fn tools(self) -> &'static [Tool] {
        match self {
            Toolset::Core => &[
                Tool::BuildAgent,
                Tool::RunAgent,
                Tool::GetRunStatus,
                Tool::StopRun,
                Tool::RestartRun,
                Tool::FetchRecords,
                Tool::ListAgents,
                Tool::ListRuns,
            ],
            Toolset::Runs => &[
                Tool::SaveRecords,
                Tool::GetRunDiagnostics,
                Tool::ListRunFiles,
                Tool::DeleteRun,
                Tool::RunsSummary,
            ],
            Toolset::Editor => &[
                Tool::GetAgentDefinition,
                Tool::TestAgentDefinition,
                Tool::UpdateAgentDefinition,
            ],
            Toolset::Interactions => &[Tool::AnswerInteraction, Tool::ListCredentials],
            Toolset::Agents => &[
                Tool::GetAgent,
                Tool::ListVersions,
                Tool::RestoreVersion,
                Tool::ArchiveAgent,
            ],
            Toolset::Spaces => &[Tool::ListSpaces, Tool::RunSpace],
            Toolset::Usage => &[Tool::GetUsage],
            Toolset::Schedules => &[
                Tool::ListSchedules,
                Tool::ScheduleAgent,
                Tool::SetScheduleEnabled,
                Tool::DeleteSchedule,
            ],
            Toolset::Analysis => &[Tool::QueryRecords, Tool::CompareRuns],
        }
    }

    fn from_name(name: &str) -> Option<Toolset> {
        Toolset::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Toolsets named in a comma-separated list: `all`, `default` or toolset names.
    pub fn parse_list(names: &[String]) -> Result<BTreeSet<Toolset>, String> {
        let mut chosen = BTreeSet::from([Toolset::Core]);
        for name in names.iter().flat_map(|n| n.split(',')).map(str::trim) {
            match name.to_ascii_lowercase().as_str() {
                "" => {}
                "all" => chosen.extend(Toolset::ALL),
                "default" => chosen.extend(Toolset::DEFAULT),
                other => {
                    chosen.insert(Toolset::from_name(other).ok_or_else(|| {
                        format!(
                            "unknown toolset {other:?}; valid toolsets: all, default, {}",
                            Toolset::ALL.map(Toolset::name).join(", ")
                        )
                    })?);
                }
            }
        }
        Ok(chosen)
    }
}

/// What the operator asked for: toolsets, extra tools, read-only.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Toolset names (`--toolsets`); empty means the default set.
    pub toolsets: Vec<String>,
    /// Extra single tools (`--tools`).
    pub tools: Vec<String>,
    pub read_only: bool,
}

impl Selection {
    /// Every tool of every toolset.
    pub fn all() -> Self {
        Selection {
            toolsets: vec!["all".into()],
            ..Selection::default()
        }
    }

    /// The operator named `toolset` (or `all`, or one of its tools) rather than getting it
    /// with the default set: only then is its absence worth a note at start.
    pub fn names(&self, toolset: Toolset) -> bool {
        let split = |list: &[String]| -> Vec<String> {
            list.iter()
                .flat_map(|n| n.split(','))
                .map(|n| n.trim().to_ascii_lowercase())
                .collect()
        };
        let toolsets = split(&self.toolsets);
        toolsets.iter().any(|n| n == "all" || n == toolset.name())
            || split(&self.tools)
                .iter()
                .any(|n| toolset.tools().iter().any(|t| t.name() == n))
    }

    /// The tools asked for, before the platform, transport and read-only filters.
    pub fn requested(&self) -> Result<Guide, String> {
        let toolsets = if self.toolsets.iter().all(|t| t.trim().is_empty()) {
            Toolset::DEFAULT.into_iter().collect()
        } else {
            Toolset::parse_list(&self.toolsets)?
        };
        let mut tools: Vec<Tool> = toolsets
            .iter()
            .flat_map(|t| t.tools().iter().copied())
            .collect();
        for name in self.tools.iter().flat_map(|n| n.split(',')).map(str::trim) {
            if name.is_empty() {
                continue;
            }
            tools.push(Tool::from_name(name).ok_or_else(|| {
                format!(
                    "unknown tool {name:?}; valid tools: {}",
                    Tool::ALL.map(Tool::name).join(", ")
                )
            })?);
        }
        Ok(Guide::new(tools))
    }
}

/// The tools of the toolsets an `X-MCP-Toolsets` header names; `None` when the header is
/// unusable (then it narrows nothing).
pub fn narrowing(header: &str) -> Option<Guide> {
    let names = vec![header.to_string()];
    let toolsets = Toolset::parse_list(&names).ok()?;
    Some(Guide::new(
        toolsets.iter().flat_map(|t| t.tools().iter().copied()),
    ))
}

/// The toolset a tool belongs to.
pub fn toolset_of(tool: Tool) -> Toolset {
    Toolset::ALL
        .into_iter()
        .find(|t| t.tools().contains(&tool))
        .expect("every tool belongs to a toolset")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(toolsets: &[&str], tools: &[&str]) -> Result<Guide, String> {
        Selection {
            toolsets: toolsets.iter().map(|s| s.to_string()).collect(),
            tools: tools.iter().map(|s| s.to_string()).collect(),
            read_only: false,
        }
        .requested()
    }

    #[test]
    fn core_is_always_there_and_extras_add_single_tools() {
        let core = selection(&["core"], &[]).unwrap();
        assert!(core.offers(Tool::RunAgent) && !core.offers(Tool::SaveRecords));
        let extra = selection(&["core"], &["save_records"]).unwrap();
        assert!(extra.offers(Tool::SaveRecords));
        assert_eq!(
            selection(&[], &[]).unwrap(),
            selection(&["default"], &[]).unwrap()
        );
        assert_eq!(
            selection(&["all"], &[]).unwrap().tools().count(),
            Tool::ALL.len()
        );
        let err = selection(&["core,bogus"], &[]).unwrap_err();
        assert!(err.contains("\"bogus\"") && err.contains("runs"), "{err}");
        assert!(selection(&[], &["nope"]).unwrap_err().contains("run_agent"));
    }

    #[test]
    fn every_tool_has_a_toolset_and_headers_narrow() {
        for tool in Tool::ALL {
            toolset_of(tool);
        }
        let core = narrowing("core").unwrap();
        assert!(!core.offers(Tool::SaveRecords) && core.offers(Tool::ListRuns));
        assert!(narrowing("core, runs").unwrap().offers(Tool::SaveRecords));
        let editor = narrowing("editor").unwrap();
        assert!(editor.offers(Tool::TestAgentDefinition) && !editor.offers(Tool::SaveRecords));
        assert!(
            !selection(&[], &[])
                .unwrap()
                .offers(Tool::UpdateAgentDefinition)
        );
        assert!(narrowing("nonsense").is_none());
    }

    #[test]
    fn only_a_named_toolset_counts_as_asked_for() {
        let default = Selection::default();
        assert!(default.requested().unwrap().offers(Tool::AnswerInteraction));
        assert!(!default.names(Toolset::Interactions));
        let named = Selection {
            toolsets: vec!["core, Interactions".into()],
            ..Selection::default()
        };
        assert!(named.names(Toolset::Interactions) && !named.names(Toolset::Editor));
        assert!(Selection::all().names(Toolset::Editor));
    }
}
