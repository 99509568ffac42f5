//! The tools by name, and which of them this server offers, so that every next_step and hint
//! names only tools the client can call (a read-only server never says "call run_agent").

use std::fmt;

/// Every tool of the catalog. The names are the MCP contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tool {
    BuildAgent,
    RunAgent,
    GetRunStatus,
    StopRun,
    RestartRun,
    FetchRecords,
    ListAgents,
    ListRuns,
    SaveRecords,
    GetRunDiagnostics,
    ListRunFiles,
    DeleteRun,
    RunsSummary,
    GetAgentDefinition,
    TestAgentDefinition,
    UpdateAgentDefinition,
    AnswerInteraction,
    ListCredentials,
    GetAgent,
    ListVersions,
    RestoreVersion,
    ArchiveAgent,
    ListSpaces,
    RunSpace,
    GetUsage,
    ListSchedules,
    ScheduleAgent,
    SetScheduleEnabled,
    DeleteSchedule,
    QueryRecords,
    CompareRuns,
}

impl Tool {
    pub const ALL: [Tool; 31] = [
        Tool::BuildAgent,
        Tool::RunAgent,
        Tool::GetRunStatus,
        Tool::StopRun,
        Tool::RestartRun,
        Tool::FetchRecords,
        Tool::ListAgents,
        Tool::ListRuns,
        Tool::SaveRecords,
        Tool::GetRunDiagnostics,
        Tool::ListRunFiles,
        Tool::DeleteRun,
        Tool::RunsSummary,
        Tool::GetAgentDefinition,
        Tool::TestAgentDefinition,
        Tool::UpdateAgentDefinition,
        Tool::AnswerInteraction,
        Tool::ListCredentials,
        Tool::GetAgent,
        Tool::ListVersions,
        Tool::RestoreVersion,
        Tool::ArchiveAgent,
        Tool::ListSpaces,
        Tool::RunSpace,
        Tool::GetUsage,
        Tool::ListSchedules,
        Tool::ScheduleAgent,
        Tool::SetScheduleEnabled,
        Tool::DeleteSchedule,
        Tool::QueryRecords,
        Tool::CompareRuns,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tool::BuildAgent => "build_agent",
            Tool::RunAgent => "run_agent",
            Tool::GetRunStatus => "get_run_status",
            Tool::StopRun => "stop_run",
            Tool::RestartRun => "restart_run",
            Tool::FetchRecords => "fetch_records",
            Tool::ListAgents => "list_agents",
            Tool::ListRuns => "list_runs",
            Tool::SaveRecords => "save_records",
            Tool::GetRunDiagnostics => "get_run_diagnostics",
            Tool::ListRunFiles => "list_run_files",
            Tool::DeleteRun => "delete_run",
            Tool::RunsSummary => "runs_summary",
            Tool::GetAgentDefinition => "get_agent_definition",
            Tool::TestAgentDefinition => "test_agent_definition",
            Tool::UpdateAgentDefinition => "update_agent_definition",
            Tool::AnswerInteraction => "answer_interaction",
            Tool::ListCredentials => "list_credentials",
            Tool::GetAgent => "get_agent",
            Tool::ListVersions => "list_versions",
            Tool::RestoreVersion => "restore_version",
            Tool::ArchiveAgent => "archive_agent",
            Tool::ListSpaces => "list_spaces",
            Tool::RunSpace => "run_space",
            Tool::GetUsage => "get_usage",
            Tool::ListSchedules => "list_schedules",
            Tool::ScheduleAgent => "schedule_agent",
            Tool::SetScheduleEnabled => "set_schedule_enabled",
            Tool::DeleteSchedule => "delete_schedule",
            Tool::QueryRecords => "query_records",
            Tool::CompareRuns => "compare_runs",
        }
    }

    pub fn from_name(name: &str) -> Option<Tool> {
        Tool::ALL.into_iter().find(|t| t.name() == name)
    }

    fn bit(self) -> u64 {
        1 << (self as u64)
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The tools a client can call on this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guide(u64);

impl Guide {
    pub fn new(tools: impl IntoIterator<Item = Tool>) -> Self {
        Guide(tools.into_iter().fold(0, |bits, t| bits | t.bit()))
    }

    /// Every tool: for texts written where the catalog does not matter (tests, the CLI).
    pub fn everything() -> Self {
        Guide::new(Tool::ALL)
    }

    pub fn offers(self, tool: Tool) -> bool {
        self.0 & tool.bit() != 0
    }

    /// The offered tools, in catalog order.
    pub fn tools(self) -> impl Iterator<Item = Tool> {
        Tool::ALL.into_iter().filter(move |t| self.offers(*t))
    }

    /// Only the tools both offer.
    pub fn intersect(self, other: Guide) -> Guide {
        Guide(self.0 & other.0)
    }

    /// `text` when `tool` is offered, else nothing: for optional clauses of a next_step.
    pub fn when(self, tool: Tool, text: impl FnOnce() -> String) -> String {
        if self.offers(tool) {
            text()
        } else {
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_sets_hold_what_was_put_in() {
        for tool in Tool::ALL {
            assert_eq!(Tool::from_name(tool.name()), Some(tool));
        }
        let guide = Guide::new([Tool::ListRuns, Tool::FetchRecords]);
        assert!(guide.offers(Tool::ListRuns) && !guide.offers(Tool::RunAgent));
        assert_eq!(
            guide.tools().collect::<Vec<_>>(),
            [Tool::FetchRecords, Tool::ListRuns]
        );
        assert_eq!(guide.when(Tool::RunAgent, || "x".into()), "");
        assert_eq!(
            guide
                .intersect(Guide::new([Tool::ListRuns]))
                .tools()
                .count(),
            1
        );
    }
}
