//! The seam between the platform-neutral jobs and a platform's REST client.
//!
//! One `Platform` serves a server process (Sequentum cloud, the embedded engine, later Deck).
//! It speaks in the neutral terms of `state` and reports failures as `ToolFailure`s in
//! its own words (which API, which credential variable), so adding a platform means adding an
//! implementation of this trait and never editing a tool.

use std::{path::Path, time::Duration};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use super::{
    Build, Id, Run, ToolFailure,
    agent_details::{AgentDetails, AgentSummary, AgentVersion},
    diagnostics::Diagnosis,
    interactions::{CredentialList, Interaction},
    schedules::{Schedule, ScheduleSpec},
    spaces::{Space, SpaceRun},
    summary::{DateRange, RecordCounts, Removal, RunsSummary},
    usage::{AgentUsage, Period, Usage},
};

/// What a tool may need of the platform or transport it is served on. A platform names what
/// it lacks in `PlatformInfo::lacks`; a transport without a local caller lacks `LocalFiles`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    /// Agent definitions to read, dry-run and save.
    Definitions,
    /// Runs that pause for a person's input, and stored logins.
    Interactions,
    /// Agent details, versions and archiving.
    Agents,
    /// Groups of agents.
    Spaces,
    /// Credits and costs of an account.
    Billing,
    /// Schedules that start runs.
    Schedules,
    /// Restarting a failed run in place.
    RestartInPlace,
    /// Per-page diagnosis of a run.
    Diagnostics,
    /// Deleting runs and their files.
    RunDeletion,
    /// Counts of runs and records over a period.
    RunAnalytics,
    /// Writing files on the caller's machine (only when the caller is local: stdio).
    LocalFiles,
}

/// What a platform is and can do, fixed for the life of the server.
#[derive(Debug, Clone)]
pub struct PlatformInfo {
    /// Short backend name: `cloud`, `local`, `deck`.
    pub backend: &'static str,
    /// One line for the server instructions: which service, where.
    pub description: String,
    /// How often a waiting tool asks for news (rate limits differ widely).
    pub poll_interval: Duration,
    /// JSON schema of the platform's ids, put into every tool schema.
    pub id_schema: Value,
    /// What the platform cannot do: tools that need it are not offered (with one note at
    /// start when they were asked for by name).
    pub lacks: &'static [Need],
    /// A forced stop exists besides the graceful one.
    pub can_force_stop: bool,
}

/// Filters for listing agents.
#[derive(Debug, Clone, Default)]
pub struct AgentQuery {
    /// Name contains (case-insensitive).
    pub name: Option<String>,
    pub space_id: Option<Id>,
    /// 1-based page.
    pub page: u32,
    pub per_page: u32,
    /// Archived agents too (they are hidden by default).
    pub include_archived: bool,
}

/// A page of agents.
#[derive(Debug, Clone, Default)]
pub struct AgentList {
    pub agents: Vec<AgentSummary>,
    /// Agents matching over all pages, when the platform says.
    pub total: Option<i64>,
}

/// What to start a run with.
#[derive(Debug, Clone, Default)]
pub struct StartRun {
    pub parallelism: Option<i64>,
    pub input: Option<Map<String, Value>>,
    /// Ask the platform itself to refuse a second active run of the agent.
    pub exclusive: bool,
}

/// How to stop a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopMode {
    /// Finish the current page, keep the records, end Stopped.
    Graceful,
    /// Terminate now (where the platform has it).
    Force,
}

/// What to build an agent from.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// The user's own words.
    pub prompt: String,
    pub space_id: Option<Id>,
    pub agent_name: Option<String>,
}

/// What a follow-up message changed in a built agent.
#[derive(Debug, Clone, Default)]
pub struct Refinement {
    /// The changes, one sentence each ("Added link.").
    pub changes: Vec<String>,
    /// The agent's new version, where the platform saves one at once.
    pub version: Option<i64>,
    /// Records the changed agent extracted when it was tested (untrusted).
    pub sample_records: Vec<Value>,
}

/// A requested field the builder found no place for: the agent was saved without it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingField {
    pub field: String,
    /// Places in the records that may hold it, best first.
    pub candidates: Vec<FieldCandidate>,
}

/// A place in the records no field took, offered for a missing field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldCandidate {
    /// Short id ("c1"), the same for the same place across fields.
    pub id: String,
    /// Where the value is, as the follow-up "take <field> from <place>" names it: a CSS
    /// selector inside the record, "<attribute> of <selector>", or a JSON-LD path.
    pub place: String,
    /// Its value in the first one or two records (scraped text: untrusted).
    pub samples: Vec<String>,
}

/// A file a run produced.
#[derive(Debug, Clone)]
pub struct RunFile {
    pub id: Id,
    pub name: String,
    /// The file holds the run's records (rather than a log or a snapshot).
    pub holds_records: bool,
    pub size: Option<i64>,
}

/// An agent's definition in the platform's own JSON form (the editor toolset).
#[derive(Debug, Clone)]
pub struct Definition {
    pub version: Option<i64>,
    pub definition: Value,
}

/// What to dry-run: an agent's definition as it is, a change to it, or a whole definition.
#[derive(Debug, Clone, Default)]
pub struct DefinitionTrial {
    pub agent_id: Option<Id>,
    /// A whole definition, or (with agent_id) a change merged onto the agent's.
    pub definition: Option<Value>,
    /// The page to try it on; the definition's start URL when absent.
    pub url: Option<String>,
}

/// How one field's selector fared in a dry run.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FieldHits {
    pub name: String,
    /// The selector tried ("" = the record element itself).
    pub selector: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Records in which the field yielded a value.
    pub hits: u64,
    /// Share of the matched records in which the field yielded a value, 0..1.
    pub hit_rate: f64,
    /// Elements the selector matches on the whole page, inside records or not.
    pub page_matches: u64,
}

/// What a dry run of a definition found on one page.
#[derive(Debug, Clone, Default)]
pub struct DefinitionTest {
    pub url: String,
    /// The agent version a change was merged onto.
    pub based_on_version: Option<i64>,
    /// The definition tried, after merging.
    pub definition: Value,
    pub record_selector: String,
    pub records_matched: u64,
    pub records_kept: u64,
    pub dropped: u64,
    /// Untrusted scraped data.
    pub sample_records: Vec<Value>,
    pub fields: Vec<FieldHits>,
    /// One sentence per selector that matched nothing, or not in every record.
    pub unmatched: Vec<String>,
    pub next_page_selector: Option<String>,
    pub next_page: Option<String>,
    pub needs_javascript: bool,
}

/// One agent platform behind the tools.
#[async_trait]
pub trait Platform: Send + Sync + 'static {
    fn info(&self) -> &PlatformInfo;

    /// Checks an id the model passed and returns it in the platform's form; `field` names the
    /// argument in the error.
    fn check_id(&self, field: &str, id: &Id) -> Result<Id, ToolFailure>;

    async fn list_agents(&self, query: &AgentQuery) -> Result<AgentList, ToolFailure>;

    async fn run(&self, agent_id: &Id, run_id: &Id) -> Result<Run, ToolFailure>;

    /// The agent's most recent runs, newest first.
    async fn list_runs(&self, agent_id: &Id, limit: u32) -> Result<Vec<Run>, ToolFailure>;

    /// Starts a run; never repeated blindly where a repeat could start a second run.
    async fn start_run(&self, agent_id: &Id, start: &StartRun) -> Result<Run, ToolFailure>;

    async fn stop_run(&self, agent_id: &Id, run_id: &Id, mode: StopMode)
    -> Result<(), ToolFailure>;

    /// Restarts a failed run in place (same id).
    async fn restart_run(&self, agent_id: &Id, run_id: &Id) -> Result<(), ToolFailure>;

    /// Opens a build session and returns its id.
    async fn start_build(&self, request: &BuildRequest) -> Result<String, ToolFailure>;

    async fn build(&self, session_id: &str) -> Result<Build, ToolFailure>;

    /// Applies a follow-up message ("add the rating", "first page only") to what a build
    /// session produced.
    async fn refine_build(
        &self,
        session_id: &str,
        message: &str,
    ) -> Result<Refinement, ToolFailure>;

    async fn stop_build(&self, session_id: &str) -> Result<(), ToolFailure>;

    async fn run_files(&self, agent_id: &Id, run_id: &Id) -> Result<Vec<RunFile>, ToolFailure>;

    /// A short-lived link to one file, fetchable without credentials.
    async fn file_url(
        &self,
        agent_id: &Id,
        run_id: &Id,
        file: &RunFile,
    ) -> Result<Url, ToolFailure>;

    /// Downloads a file link to `dest` (atomically: a failure leaves nothing behind).
    async fn download(&self, url: &Url, dest: &Path) -> Result<u64, ToolFailure>;

    /// The agent's definition and version (editor toolset; platforms without it lack
    /// `Need::Definitions`, so the tools are never offered there).
    async fn agent_definition(&self, agent_id: &Id) -> Result<Definition, ToolFailure>;

    /// Tries a definition on one page without saving anything.
    async fn test_definition(&self, trial: &DefinitionTrial)
    -> Result<DefinitionTest, ToolFailure>;

    /// Saves a definition (whole, or a change merged onto the current one) as the agent's
    /// next version with `comment`; returns the new version.
    async fn update_definition(
        &self,
        agent_id: &Id,
        definition: &Value,
        comment: &str,
    ) -> Result<Option<i64>, ToolFailure>;

    /// What a run paused in `WaitingForInput` asks for; `None` when it is not waiting, or
    /// where the platform has no API for its interactions (the run is then answered on the
    /// platform itself).
    async fn interaction(&self, _run_id: &Id) -> Result<Option<Interaction>, ToolFailure> {
        Ok(None)
    }

    /// Submits the answer to a paused run (all fields at once) and returns the run.
    async fn answer_interaction(
        &self,
        _run_id: &Id,
        _values: &Map<String, Value>,
    ) -> Result<Run, ToolFailure> {
        Err(ToolFailure::unsupported(
            self.info().backend,
            "run interactions",
        ))
    }

    /// A page of the stored logins runs can use, never their secrets.
    async fn list_credentials(
        &self,
        _source_id: Option<&Id>,
        _cursor: Option<&str>,
        _limit: u32,
    ) -> Result<CredentialList, ToolFailure> {
        Err(ToolFailure::unsupported(
            self.info().backend,
            "stored credentials",
        ))
    }

    /// Why a run went wrong; without `run_id`, the agent's latest failure.
    async fn diagnose(
        &self,
        _agent_id: &Id,
        _run_id: Option<&Id>,
    ) -> Result<Diagnosis, ToolFailure> {
        Err(ToolFailure::unsupported(
            self.info().backend,
            "run diagnostics",
        ))
    }

    /// Deletes a finished run, or only what `removal` names.
    async fn delete_run(
        &self,
        _agent_id: &Id,
        _run_id: &Id,
        _removal: Removal,
    ) -> Result<(), ToolFailure> {
        Err(ToolFailure::unsupported(
            self.info().backend,
            "run deletion",
        ))
    }

    /// Runs by outcome over `range`, with the failed ones listed when `failed_runs`.
    async fn runs_summary(
        &self,
        _range: &DateRange,
        _failed_runs: bool,
    ) -> Result<RunsSummary, ToolFailure> {
        Err(ToolFailure::unsupported(
            self.info().backend,
            "run summaries",
        ))
    }

    /// Records extracted and exported over `range`, of one agent or all.
    async fn records_summary(
        &self,
        _range: &DateRange,
        _agent_id: Option<&Id>,
    ) -> Result<RecordCounts, ToolFailure> {
        Err(ToolFailure::unsupported(
            self.info().backend,
            "record summaries",
        ))
    }

    /// One agent's details (agents toolset).
    async fn agent(&self, _agent_id: &Id) -> Result<AgentDetails, ToolFailure> {
        Err(ToolFailure::unsupported(
            self.info().backend,
            "agent details",
        ))
    }

    /// The agent's saved versions, newest first.
    async fn versions(&self, _agent_id: &Id) -> Result<Vec<AgentVersion>, ToolFailure> {
        Err(ToolFailure::unsupported(
            self.info().backend,
            "agent versions",
        ))
    }

    /// Copies `version` into a new version of the agent, kept with `comment`.
    async fn restore_version(
        &self,
        _agent_id: &Id,
        _version: i64,
        _comment: &str,
    ) -> Result<(), ToolFailure> {
        Err(ToolFailure::unsupported(
            self.info().backend,
            "version restore",
        ))
    }

    /// Archives (hides from lists) or unarchives an agent.
    async fn set_archived(&self, _agent_id: &Id, _archived: bool) -> Result<(), ToolFailure> {
        Err(ToolFailure::unsupported(
            self.info().backend,
            "agent archive",
        ))
    }

    /// Spaces whose name contains `name` (all without it), each with its agents.
    async fn spaces(&self, _name: Option<&str>) -> Result<Vec<Space>, ToolFailure> {
        Err(ToolFailure::unsupported(self.info().backend, "spaces"))
    }

    /// Starts every agent of a space; says per agent what became of it.
    async fn run_space(
        &self,
        _space_id: &Id,
        _input: Option<&Map<String, Value>>,
    ) -> Result<SpaceRun, ToolFailure> {
        Err(ToolFailure::unsupported(self.info().backend, "spaces"))
    }

    /// Credit balance, spending and the costliest agents over `period`.
    async fn usage(&self, _period: &Period, _top: u32) -> Result<Usage, ToolFailure> {
        Err(ToolFailure::unsupported(self.info().backend, "usage"))
    }

    /// One agent's cost over `period`, by usage type and per run (newest `runs` runs).
    async fn agent_usage(
        &self,
        _agent_id: &Id,
        _period: &Period,
        _runs: u32,
    ) -> Result<AgentUsage, ToolFailure> {
        Err(ToolFailure::unsupported(self.info().backend, "usage"))
    }

    /// The agent's schedules with their next run times (schedules toolset; the default
    /// says the platform has none, so a platform implements them only where it has them).
    async fn list_schedules(&self, _agent_id: &Id) -> Result<Vec<Schedule>, ToolFailure> {
        Err(ToolFailure::unsupported(self.info().backend, "schedules"))
    }

    /// Every agent's scheduled runs between `from` and `to`.
    async fn upcoming_runs(
        &self,
        _from: DateTime<Utc>,
        _to: DateTime<Utc>,
    ) -> Result<Vec<Schedule>, ToolFailure> {
        Err(ToolFailure::unsupported(self.info().backend, "schedules"))
    }

    /// Creates a schedule, or replaces `schedule_id` with `spec` (already checked).
    async fn save_schedule(
        &self,
        _agent_id: &Id,
        _schedule_id: Option<&Id>,
        _spec: &ScheduleSpec,
    ) -> Result<Schedule, ToolFailure> {
        Err(ToolFailure::unsupported(self.info().backend, "schedules"))
    }

    async fn set_schedule_enabled(
        &self,
        _agent_id: &Id,
        _schedule_id: &Id,
        _enabled: bool,
    ) -> Result<(), ToolFailure> {
        Err(ToolFailure::unsupported(self.info().backend, "schedules"))
    }

    async fn delete_schedule(&self, _agent_id: &Id, _schedule_id: &Id) -> Result<(), ToolFailure> {
        Err(ToolFailure::unsupported(self.info().backend, "schedules"))
    }
}
