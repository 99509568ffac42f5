//! The tool registry: every tool in one list, with its toolset, what it does to the world and
//! what it needs of a platform. Everything else that knows about tools derives from this list:
//! the `Tool` enum and its names (the MCP contract), the toolsets, read-only filtering, the
//! platforms' opt-outs (`PlatformInfo::lacks` names `Need`s, not strings), the tool routers and
//! annotations of `mcp::registry`, the README's tool table and the CLI help.
//!
//! It lives in `jobs` because next_steps (through `Guide`) and platforms need the tool and need
//! types, and `mcp` sits above. Adding a tool is its file under `mcp/<toolset>/` plus one line
//! here; `mcp::registry` finds the file's router by the tool's name.

use super::Need;

/// Calls `$then!` with the registry, one line per tool:
/// `Variant name toolset effect world [needs]`, in catalog order (the order of tools/list).
///
/// * `effect` — `Reads` (changes nothing), `Adds` (each call makes something new), `Sets`
///   (sets a state; repeating changes nothing more) or `Removes` (deletes or stops something).
/// * `world` — `Open` when the tool reaches outside this machine's data (the platform or the
///   web), `Closed` when it only touches stored data.
/// * `needs` — what a platform or transport must offer for the tool to be listed.
macro_rules! with_registry {
    ($then:ident) => {
        $then! {
            BuildAgent build_agent Core Adds Open [];
            RunAgent run_agent Core Adds Open [];
            GetRunStatus get_run_status Core Reads Open [];
            StopRun stop_run Core Removes Open [];
            RestartRun restart_run Core Adds Open [RestartInPlace];
            FetchRecords fetch_records Core Reads Open [];
            ListAgents list_agents Core Reads Open [];
            ListRuns list_runs Core Reads Open [];
            SaveRecords save_records Runs Sets Open [LocalFiles];
            GetRunDiagnostics get_run_diagnostics Runs Reads Open [Diagnostics];
            ListRunFiles list_run_files Runs Reads Open [];
            DeleteRun delete_run Runs Removes Open [RunDeletion];
            RunsSummary runs_summary Runs Reads Open [RunAnalytics];
            GetAgentDefinition get_agent_definition Editor Reads Closed [Definitions];
            TestAgentDefinition test_agent_definition Editor Reads Open [Definitions];
            UpdateAgentDefinition update_agent_definition Editor Adds Closed [Definitions];
            AnswerInteraction answer_interaction Interactions Adds Open [Interactions];
            ListCredentials list_credentials Interactions Reads Open [Interactions];
            GetAgent get_agent Agents Reads Closed [Agents];
            ListVersions list_versions Agents Reads Closed [Agents];
            RestoreVersion restore_version Agents Adds Closed [Agents];
            ArchiveAgent archive_agent Agents Sets Closed [Agents];
            ListSpaces list_spaces Spaces Reads Closed [Spaces];
            RunSpace run_space Spaces Adds Open [Spaces];
            GetUsage get_usage Usage Reads Closed [Billing];
            ListSchedules list_schedules Schedules Reads Open [Schedules];
            ScheduleAgent schedule_agent Schedules Adds Open [Schedules];
            SetScheduleEnabled set_schedule_enabled Schedules Sets Open [Schedules];
            DeleteSchedule delete_schedule Schedules Removes Open [Schedules];
            QueryRecords query_records Analysis Reads Open [];
            CompareRuns compare_runs Analysis Reads Open [];
        }
    };
}
pub(crate) use with_registry;

/// Builds the `Tool` enum and its tables from the registry lines.
macro_rules! tool_enum {
    ($($variant:ident $name:ident $toolset:ident $effect:ident $world:ident [$($need:ident),*];)*) => {
        /// Every tool of the catalog. The names are the MCP contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Tool {
            $($variant,)*
        }

        impl Tool {
            /// Every tool, in catalog order.
            pub const ALL: &'static [Tool] = &[$(Tool::$variant,)*];

            /// The tool's MCP name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Tool::$variant => stringify!($name),)*
                }
            }

            /// The toolset that offers the tool.
            pub fn toolset(self) -> Toolset {
                match self {
                    $(Tool::$variant => Toolset::$toolset,)*
                }
            }

            /// What a call does to the world (the source of the tool's annotations).
            pub fn effect(self) -> Effect {
                match self {
                    $(Tool::$variant => Effect::$effect,)*
                }
            }

            /// Whether the tool reaches beyond stored data (the platform or the web).
            pub fn open_world(self) -> bool {
                match self {
                    $(Tool::$variant => world!($world),)*
                }
            }

            /// What a platform or transport must offer for the tool to be listed.
            pub fn needs(self) -> &'static [Need] {
                match self {
                    $(Tool::$variant => &[$(Need::$need),*],)*
                }
            }
        }
    };
}
/// The registry's world column as `Tool::open_world` answers it.
macro_rules! world {
    (Open) => {
        true
    };
    (Closed) => {
        false
    };
}

with_registry!(tool_enum);

/// What a call does to the world; the MCP annotations follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Changes nothing.
    Reads,
    /// Makes something new on every call (a run, a version, an answer).
    Adds,
    /// Sets a state; calling again with the same input changes nothing more.
    Sets,
    /// Deletes or stops something; what is gone stays gone.
    Removes,
}

impl Effect {
    pub fn read_only(self) -> bool {
        self == Effect::Reads
    }

    pub fn destructive(self) -> bool {
        self == Effect::Removes
    }

    pub fn idempotent(self) -> bool {
        self != Effect::Adds
    }
}

/// Builds the `Toolset` enum and its tables from one line per toolset.
macro_rules! toolset_enum {
    ($($(#[doc = $doc:literal])* $variant:ident $name:ident,)*) => {
        /// A group of tools offered together, so a client pays in context only for what it uses.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Toolset {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Toolset {
            /// Every toolset, in catalog order.
            pub const ALL: &'static [Toolset] = &[$(Toolset::$variant,)*];

            /// The name used by `--toolsets` and `X-MCP-Toolsets`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Toolset::$variant => stringify!($name),)*
                }
            }

            /// One line on what the toolset is for (CLI help, README).
            pub fn about(self) -> &'static str {
                match self {
                    $(Toolset::$variant => concat!($($doc),*).trim_ascii(),)*
                }
            }
        }
    };
}

toolset_enum! {
    /// Build, run, follow, stop, restart and read agents.
    Core core,
    /// More about runs: save datasets, diagnose failures, files, deletion, summaries.
    Runs runs,
    /// Read, dry-run and save agent definitions.
    Editor editor,
    /// Answer runs paused for input; list stored logins.
    Interactions interactions,
    /// Run agents by themselves: once, every N periods, or on a cron.
    Schedules schedules,
    /// An agent's details and versions; restore, archive.
    Agents agents,
    /// Groups of agents, started together.
    Spaces spaces,
    /// Credits and costs.
    Usage usage,
    /// Questions asked of the data: SQL over a run's records, what changed between runs.
    Analysis analysis,
}

impl Toolset {
    /// What a server offers when no toolset is named.
    pub const DEFAULT: &'static [Toolset] = &[
        Toolset::Core,
        Toolset::Runs,
        Toolset::Schedules,
        Toolset::Interactions,
        Toolset::Analysis,
    ];

    /// The toolset's tools, in catalog order.
    pub fn tools(self) -> impl Iterator<Item = Tool> {
        Tool::ALL
            .iter()
            .copied()
            .filter(move |t| t.toolset() == self)
    }

    pub fn from_name(name: &str) -> Option<Toolset> {
        Toolset::ALL.iter().copied().find(|t| t.name() == name)
    }
}

impl Tool {
    pub fn from_name(name: &str) -> Option<Tool> {
        Tool::ALL.iter().copied().find(|t| t.name() == name)
    }
}

impl std::fmt::Display for Tool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for tool in Tool::ALL {
            assert_eq!(Tool::from_name(tool.name()), Some(*tool));
        }
        for toolset in Toolset::ALL {
            assert_eq!(Toolset::from_name(toolset.name()), Some(*toolset));
            assert!(toolset.tools().next().is_some(), "{toolset:?} has no tool");
            assert!(!toolset.about().is_empty());
        }
        assert_eq!(
            Toolset::Core.about(),
            "Build, run, follow, stop, restart and read agents."
        );
    }

    #[test]
    fn effects_give_the_annotations() {
        assert!(Tool::ListRuns.effect().read_only() && Tool::ListRuns.effect().idempotent());
        assert!(Tool::DeleteRun.effect().destructive());
        assert!(!Tool::RunAgent.effect().idempotent() && !Tool::RunAgent.effect().read_only());
        assert!(Tool::GetUsage.needs() == [Need::Billing] && !Tool::GetUsage.open_world());
        assert!(Tool::ListRuns.needs().is_empty() && Tool::ListRuns.open_world());
    }
}
