//! Sequentum (the cloud and the embedded engine, which speak the same REST API) as a `Platform`.
//!
//! Everything Sequentum-specific stops here: integer ids, numeric status codes and their
//! names, the stop/kill pair, input parameters sent as JSON text, record file types, and the
//! wording of API errors.

use std::{path::Path, time::Duration};

use async_trait::async_trait;
use serde_json::{Map, Value, json};
use url::Url;

use chrono::{DateTime, Utc};

use super::{
    ApiError, Client, neutral_analytics,
    schedules::{ScheduleRequest, UpcomingSchedule},
    types::{
        AgentRun, BuilderStartRequest, BuilderStatus, DefinitionTestRequest, RunStatus,
        StartRunRequest, builder_state,
    },
};
use crate::jobs::model::{
    Build, BuildState, Code, Id, Need, Run, RunState, ToolFailure,
    agent_details::{AgentDetails, AgentSummary, AgentVersion},
    diagnostics::Diagnosis,
    failure::excerpt,
    platform::{
        AgentList, AgentQuery, BuildRequest, Definition, DefinitionTest, DefinitionTrial,
        FieldCandidate, FieldHits, MissingField, Platform, PlatformInfo, Refinement, RunFile,
        StartRun, StopMode,
    },
    schedules::{Schedule, ScheduleSpec},
    spaces::{Space, SpaceRun},
    summary::{DateRange, RecordCounts, Removal, RunsSummary},
    usage::{AgentUsage, Period, Usage},
};

mod agents;
mod spaces;
mod usage;

/// Sequentum behind its REST client.
pub struct Sequentum {
    client: Client,
    info: PlatformInfo,
    /// The service behind `client`, as errors name it.
    upstream: Upstream,
}

impl Sequentum {
    /// What Sequentum cloud cannot do: definitions are edited in Sequentum Desktop (the API has
    /// no editor endpoints), and its runs never pause for a person's input.
    pub const CLOUD_LACKS: &'static [Need] = &[Need::Definitions, Need::Interactions];
    /// What the embedded engine cannot do: its runs never pause for a person's input, and
    /// billing belongs to a Sequentum account.
    pub const LOCAL_LACKS: &'static [Need] = &[Need::Interactions, Need::Billing];

    /// Sequentum cloud at `client`'s base URL.
    pub fn cloud(client: Client) -> Self {
        let description = format!("Backend: Sequentum cloud at {}.", client.base_url());
        Sequentum::new(
            client,
            Upstream::Cloud,
            "cloud",
            description,
            Duration::from_secs(3),
            Sequentum::CLOUD_LACKS,
        )
    }

    /// The embedded engine; `demo_url` is its bundled demo shop.
    pub fn local(client: Client, demo_url: &str) -> Self {
        let description = format!(
            "Backend: the embedded local engine (no Sequentum account in use; it fetches plain HTML pages, no JavaScript).\nDemo shop: {demo_url}"
        );
        Sequentum::new(
            client,
            Upstream::Engine,
            "local",
            description,
            Duration::from_millis(500),
            Sequentum::LOCAL_LACKS,
        )
    }

    fn new(
        client: Client,
        upstream: Upstream,
        backend: &'static str,
        description: String,
        poll_interval: Duration,
        lacks: &'static [Need],
    ) -> Self {
        Sequentum {
            client,
            upstream,
            info: PlatformInfo {
                backend,
                description,
                // The cloud allows 100 requests a minute per key; the engine is on loopback.
                poll_interval,
                id_schema: json!({"type": "integer"}),
                lacks,
                can_force_stop: true,
            },
        }
    }

    fn int(id: &Id) -> i64 {
        // Ids reach the platform through `check_id`, so they are positive integers.
        id.as_i64().unwrap_or(0)
    }

    /// Whether this backend can do `need` (the embedded engine has no billing, the cloud no
    /// definitions).
    fn serves(&self, need: Need) -> bool {
        !self.info.lacks.contains(&need)
    }
}

#[async_trait]
impl Platform for Sequentum {
    fn info(&self) -> &PlatformInfo {
        &self.info
    }

    fn check_id(&self, field: &str, id: &Id) -> Result<Id, ToolFailure> {
        match id.as_i64() {
            Some(n) if n > 0 => Ok(Id::Num(n)),
            _ => Err(ToolFailure::invalid(
                format!(
                    "{field} must be a positive integer (Sequentum ids are numbers), got \"{}\"",
                    excerpt(&id.to_string())
                ),
                format!(
                    "Pass the {field} returned by an earlier call (list_agents or list_runs show them)"
                ),
            )),
        }
    }

    async fn list_agents(&self, query: &AgentQuery) -> Result<AgentList, ToolFailure> {
        let wire = super::agents::AgentQuery {
            name: query.name.clone(),
            space_id: query.space_id.as_ref().map(Sequentum::int),
            page: query.page,
            per_page: query.per_page,
            include_archived: query.include_archived,
        };
        let page = self
            .client
            .list_agents(&wire)
            .await
            .map_err(|e| failure(self.upstream, e, "the agent list"))?;
        Ok(AgentList {
            agents: page
                .agents
                .into_iter()
                .filter_map(|a| {
                    Some(AgentSummary {
                        id: Id::Num(a.id?),
                        name: a.name.unwrap_or_default(),
                        last_status: a.status.map(RunStatus::name),
                        last_activity: a.last_activity.map(|t| t.0),
                        version: a.version,
                    })
                })
                .collect(),
            total: page.total_record_count,
        })
    }

    async fn run(&self, agent_id: &Id, run_id: &Id) -> Result<Run, ToolFailure> {
        let (agent, run) = (Sequentum::int(agent_id), Sequentum::int(run_id));
        let wire = self
            .client
            .run_status(agent, run)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("run {run} of agent {agent}")))?;
        Ok(neutral_run(&wire, agent))
    }

    async fn list_runs(&self, agent_id: &Id, limit: u32) -> Result<Vec<Run>, ToolFailure> {
        let agent = Sequentum::int(agent_id);
        let runs = self
            .client
            .list_runs(agent, limit)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("agent {agent}")))?;
        Ok(runs.iter().map(|r| neutral_run(r, agent)).collect())
    }

    async fn start_run(&self, agent_id: &Id, start: &StartRun) -> Result<Run, ToolFailure> {
        let agent = Sequentum::int(agent_id);
        let request = StartRunRequest {
            parallelism: start.parallelism,
            // The API takes the parameters as JSON text, not as an object.
            input_parameters: start.input.clone().map(|p| Value::Object(p).to_string()),
            is_exclusive: Some(start.exclusive),
            ..Default::default()
        };
        let run = self
            .client
            .start_run(agent, &request)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("agent {agent}")))?;
        Ok(neutral_run(&run, agent))
    }

    async fn stop_run(
        &self,
        agent_id: &Id,
        run_id: &Id,
        mode: StopMode,
    ) -> Result<(), ToolFailure> {
        let (agent, run) = (Sequentum::int(agent_id), Sequentum::int(run_id));
        let subject = format!("run {run} of agent {agent}");
        let fail = |e| failure(self.upstream, e, &subject);
        match mode {
            StopMode::Graceful => self.client.stop_run(agent, run).await.map_err(fail),
            StopMode::Force => {
                // Kill is a graceful stop for a running run and terminates a stopping one at
                // once, so a forced stop sends it a second time when the first only started
                // stopping.
                self.client.kill_run(agent, run).await.map_err(fail)?;
                let now = self.client.run_status(agent, run).await.map_err(fail)?;
                if now.status() == RunStatus::STOPPING {
                    self.client.kill_run(agent, run).await.map_err(fail)?;
                }
                Ok(())
            }
        }
    }

    async fn restart_run(&self, agent_id: &Id, run_id: &Id) -> Result<(), ToolFailure> {
        let (agent, run) = (Sequentum::int(agent_id), Sequentum::int(run_id));
        self.client
            .restart_run(agent, run)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("run {run} of agent {agent}")))
    }

    async fn start_build(&self, request: &BuildRequest) -> Result<String, ToolFailure> {
        let wire = BuilderStartRequest {
            prompt: request.prompt.clone(),
            space_id: request.space_id.as_ref().map(Sequentum::int),
            agent_name: request.agent_name.clone(),
        };
        self.client
            .builder_start(&wire)
            .await
            .map_err(|e| failure(self.upstream, e, "the Agent Builder"))
    }

    async fn build(&self, session_id: &str) -> Result<Build, ToolFailure> {
        let status = self.client.builder_status(session_id).await.map_err(|e| {
            failure(
                self.upstream,
                e,
                &format!("build session {:?}", excerpt(session_id)),
            )
        })?;
        // Deployments without the events endpoint simply give no narration.
        let events = match self.client.builder_events(session_id, -1).await {
            Ok(page) => page.events,
            Err(e) => {
                tracing::debug!("builder events unavailable: {e}");
                Vec::new()
            }
        };
        let mut build = neutral_build(session_id, status, Vec::new());
        for event in &events {
            if event.is_follow_up() {
                build.follow_ups.push(build.narration.len());
            }
            build.narration.extend(event.narration());
        }
        Ok(build)
    }

    async fn refine_build(
        &self,
        session_id: &str,
        message: &str,
    ) -> Result<Refinement, ToolFailure> {
        let answer = self
            .client
            .builder_followup(session_id, message)
            .await
            .map_err(|e| {
                failure(
                    self.upstream,
                    e,
                    &format!("build session {:?}", excerpt(session_id)),
                )
            })?;
        Ok(Refinement {
            changes: answer.changes,
            version: answer.version,
            sample_records: answer.sample_records,
        })
    }

    async fn stop_build(&self, session_id: &str) -> Result<(), ToolFailure> {
        self.client.builder_stop(session_id).await.map_err(|e| {
            failure(
                self.upstream,
                e,
                &format!("build session {:?}", excerpt(session_id)),
            )
        })
    }

    async fn run_files(&self, agent_id: &Id, run_id: &Id) -> Result<Vec<RunFile>, ToolFailure> {
        let (agent, run) = (Sequentum::int(agent_id), Sequentum::int(run_id));
        let files = self
            .client
            .run_files(agent, run)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("run {run} of agent {agent}")))?;
        Ok(files
            .into_iter()
            .map(|f| RunFile {
                holds_records: f.holds_records(),
                name: f.name.clone().unwrap_or_else(|| format!("file-{}", f.id)),
                id: Id::Num(f.id),
                size: f.file_size,
            })
            .collect())
    }

    async fn file_url(
        &self,
        agent_id: &Id,
        run_id: &Id,
        file: &RunFile,
    ) -> Result<Url, ToolFailure> {
        let (agent, run) = (Sequentum::int(agent_id), Sequentum::int(run_id));
        self.client
            .file_download_url(agent, run, Sequentum::int(&file.id))
            .await
            .map_err(|e| {
                failure(
                    self.upstream,
                    e,
                    &format!("the file {:?} of run {run} of agent {agent}", file.name),
                )
            })
    }

    async fn download(&self, url: &Url, dest: &Path) -> Result<u64, ToolFailure> {
        self.client
            .download_to(url, dest)
            .await
            .map_err(|e| failure(self.upstream, e, "the download"))
    }
    async fn agent_definition(&self, agent_id: &Id) -> Result<Definition, ToolFailure> {
        let agent = Sequentum::int(agent_id);
        let body = self
            .client
            .agent_definition(agent)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("agent {agent}")))?;
        Ok(Definition {
            version: body.version,
            definition: body.definition,
        })
    }

    async fn test_definition(
        &self,
        trial: &DefinitionTrial,
    ) -> Result<DefinitionTest, ToolFailure> {
        let agent = trial.agent_id.as_ref().map(Sequentum::int);
        let request = DefinitionTestRequest {
            agent_id: agent,
            definition: trial.definition.clone(),
            url: trial.url.clone(),
        };
        let subject = match agent {
            Some(agent) => format!("agent {agent}"),
            None => "the definition".to_string(),
        };
        let wire = self
            .client
            .test_definition(&request)
            .await
            .map_err(|e| failure(self.upstream, e, &subject))?;
        Ok(DefinitionTest {
            url: wire.url,
            based_on_version: wire.based_on_version,
            definition: wire.definition,
            record_selector: wire.record_selector,
            records_matched: wire.records_matched,
            records_kept: wire.records_kept,
            dropped: wire.dropped,
            sample_records: wire.sample_records,
            fields: wire
                .fields
                .into_iter()
                .map(|f| FieldHits {
                    name: f.name,
                    selector: f.selector,
                    attribute: f.attribute,
                    label: f.label,
                    hits: f.hits,
                    hit_rate: f.hit_rate,
                    page_matches: f.page_matches,
                })
                .collect(),
            unmatched: wire.unmatched,
            next_page_selector: wire.next_page_selector,
            next_page: wire.next_page,
            needs_javascript: wire.needs_javascript,
        })
    }

    async fn update_definition(
        &self,
        agent_id: &Id,
        definition: &Value,
        comment: &str,
    ) -> Result<Option<i64>, ToolFailure> {
        let agent = Sequentum::int(agent_id);
        let saved = self
            .client
            .update_definition(agent, definition, comment)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("agent {agent}")))?;
        Ok(saved.version)
    }

    async fn diagnose(&self, agent_id: &Id, run_id: Option<&Id>) -> Result<Diagnosis, ToolFailure> {
        let agent = Sequentum::int(agent_id);
        let wire = match run_id.map(Sequentum::int) {
            Some(run) => {
                self.client.run_diagnostics(agent, run).await.map_err(|e| {
                    failure(self.upstream, e, &format!("run {run} of agent {agent}"))
                })?
            }
            None => self.client.latest_failure(agent).await.map_err(|e| {
                failure(
                    self.upstream,
                    e,
                    &format!("a run with problems (failed or with lost pages) of agent {agent}"),
                )
            })?,
        };
        Ok(neutral_analytics::diagnosis(wire, agent))
    }

    async fn delete_run(
        &self,
        agent_id: &Id,
        run_id: &Id,
        removal: Removal,
    ) -> Result<(), ToolFailure> {
        let (agent, run) = (Sequentum::int(agent_id), Sequentum::int(run_id));
        self.client
            .delete_run(agent, run, neutral_analytics::remove_method(removal))
            .await
            .map_err(|e| failure(self.upstream, e, &format!("run {run} of agent {agent}")))
    }

    async fn runs_summary(
        &self,
        range: &DateRange,
        failed_runs: bool,
    ) -> Result<RunsSummary, ToolFailure> {
        let (start, end) = wire_range(range);
        let wire = self
            .client
            .runs_summary(&start, &end, failed_runs)
            .await
            .map_err(|e| failure(self.upstream, e, "the runs summary"))?;
        Ok(neutral_analytics::runs_summary(wire))
    }

    async fn records_summary(
        &self,
        range: &DateRange,
        agent_id: Option<&Id>,
    ) -> Result<RecordCounts, ToolFailure> {
        let (start, end) = wire_range(range);
        let agent = agent_id.map(Sequentum::int);
        let wire = self
            .client
            .records_summary(&start, &end, agent)
            .await
            .map_err(|e| failure(self.upstream, e, "the records summary"))?;
        Ok(neutral_analytics::record_counts(wire))
    }

    // The agents, spaces and usage toolsets: see the submodules of this file.
    async fn agent(&self, agent_id: &Id) -> Result<AgentDetails, ToolFailure> {
        self.agent_details(agent_id).await
    }

    async fn versions(&self, agent_id: &Id) -> Result<Vec<AgentVersion>, ToolFailure> {
        self.agent_versions(agent_id).await
    }

    async fn restore_version(
        &self,
        agent_id: &Id,
        version: i64,
        comment: &str,
    ) -> Result<(), ToolFailure> {
        self.restore(agent_id, version, comment).await
    }

    async fn set_archived(&self, agent_id: &Id, archived: bool) -> Result<(), ToolFailure> {
        self.archive(agent_id, archived).await
    }

    async fn spaces(&self, name: Option<&str>) -> Result<Vec<Space>, ToolFailure> {
        self.find_spaces(name).await
    }

    async fn run_space(
        &self,
        space_id: &Id,
        input: Option<&Map<String, Value>>,
    ) -> Result<SpaceRun, ToolFailure> {
        self.start_space(space_id, input).await
    }

    async fn usage(&self, period: &Period, top: u32) -> Result<Usage, ToolFailure> {
        self.account_usage(period, top).await
    }

    async fn agent_usage(
        &self,
        agent_id: &Id,
        period: &Period,
        runs: u32,
    ) -> Result<AgentUsage, ToolFailure> {
        self.usage_of_agent(agent_id, period, runs).await
    }

    async fn list_schedules(&self, agent_id: &Id) -> Result<Vec<Schedule>, ToolFailure> {
        let agent = Sequentum::int(agent_id);
        let wire = self
            .client
            .list_schedules(agent)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("agent {agent}")))?;
        Ok(wire.iter().map(|s| s.to_neutral(agent)).collect())
    }

    async fn upcoming_runs(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Schedule>, ToolFailure> {
        let wire = self
            .client
            .upcoming_schedules(from, to)
            .await
            .map_err(|e| failure(self.upstream, e, "the upcoming scheduled runs"))?;
        Ok(wire.iter().map(UpcomingSchedule::to_neutral).collect())
    }

    async fn save_schedule(
        &self,
        agent_id: &Id,
        schedule_id: Option<&Id>,
        spec: &ScheduleSpec,
    ) -> Result<Schedule, ToolFailure> {
        let agent = Sequentum::int(agent_id);
        let request = ScheduleRequest::from_spec(spec);
        let saved = match schedule_id.map(Sequentum::int) {
            None => self
                .client
                .create_schedule(agent, &request)
                .await
                .map_err(|e| failure(self.upstream, e, &format!("agent {agent}")))?,
            Some(id) => self
                .client
                .update_schedule(agent, id, &request)
                .await
                .map_err(|e| schedule_failure(self.upstream, e, agent, id))?,
        };
        Ok(saved.to_neutral(agent))
    }

    async fn set_schedule_enabled(
        &self,
        agent_id: &Id,
        schedule_id: &Id,
        enabled: bool,
    ) -> Result<(), ToolFailure> {
        let (agent, id) = (Sequentum::int(agent_id), Sequentum::int(schedule_id));
        self.client
            .set_schedule_enabled(agent, id, enabled)
            .await
            .map_err(|e| schedule_failure(self.upstream, e, agent, id))
    }

    async fn delete_schedule(&self, agent_id: &Id, schedule_id: &Id) -> Result<(), ToolFailure> {
        let (agent, id) = (Sequentum::int(agent_id), Sequentum::int(schedule_id));
        self.client
            .delete_schedule(agent, id)
            .await
            .map_err(|e| schedule_failure(self.upstream, e, agent, id))
    }
}

/// A range as the analytics endpoints take it: ISO times in UTC.
fn wire_range(range: &DateRange) -> (String, String) {
    let iso = |t| super::types::Timestamp(t).to_rfc3339();
    (iso(range.from), iso(range.to))
}

/// A Sequentum run in neutral terms. `agent` fills in a missing `configId`.
fn neutral_run(run: &AgentRun, agent: i64) -> Run {
    let status = run.status();
    let state = match status.0 {
        1 => RunState::Running,
        2 | 13 => RunState::Exporting,
        3 => RunState::Starting,
        // Waiting (12): held by the platform until it can go on.
        4 | 12 => RunState::Queued,
        5 => RunState::Stopping,
        6 | 7 => RunState::Failed,
        8 => RunState::Stopped,
        9 | 10 if run.lost_page_count.is_some_and(|n| n > 0) => RunState::CompletedWithErrors,
        9 | 10 => RunState::Completed,
        11 => RunState::Skipped,
        _ => RunState::Unknown,
    };
    Run {
        agent_id: Id::Num(if run.config_id > 0 {
            run.config_id
        } else {
            agent
        }),
        run_id: Id::Num(run.id),
        state,
        status: run.status_name(),
        status_code: Some(i64::from(status.0)),
        // Failure restarts in place while the run is still in the active table, and so does a
        // run of the embedded engine that lost pages.
        restartable: (status == RunStatus::FAILURE || state == RunState::CompletedWithErrors)
            && run.table_type.as_deref().is_none_or(|t| t != "history"),
        records_extracted: run.data_count.unwrap_or(0),
        records_exported: run.export_count,
        pages: run.page_count.unwrap_or(0),
        errors: run.error_count.unwrap_or(0),
        created_at: run.created.map(|t| t.0),
        started_at: run.start_time.map(|t| t.0),
        ended_at: run.end_time.map(|t| t.0),
        run_seconds: run.run_time_sec,
        message: run.message.clone(),
    }
}

fn neutral_build(session_id: &str, status: BuilderStatus, narration: Vec<String>) -> Build {
    let state = match status.status.as_str() {
        builder_state::READY => BuildState::Ready,
        builder_state::COMPLETED => BuildState::Completed,
        builder_state::ERROR => BuildState::Failed,
        builder_state::CANCELLED => BuildState::Cancelled,
        _ => BuildState::Building,
    };
    Build {
        session_id: session_id.to_string(),
        state,
        agent_id: status.agent().map(Id::Num),
        agent_name: status.agent_name,
        narration,
        sample_records: status.sample_records.unwrap_or_default(),
        error: status.error,
        missing_fields: status
            .missing_fields
            .into_iter()
            .map(|m| MissingField {
                field: m.field,
                candidates: m
                    .candidates
                    .into_iter()
                    .map(|c| FieldCandidate {
                        id: c.id,
                        place: c.place,
                        samples: c.samples,
                    })
                    .collect(),
            })
            .collect(),
        follow_ups: Vec::new(),
    }
}

/// Which service answered: errors name it as the user knows it, and advise on its own
/// credentials (the engine's key lives in its data directory, not in `SEQUENTUM_API_KEY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upstream {
    Cloud,
    Engine,
}

impl Upstream {
    fn name(self) -> &'static str {
        match self {
            Upstream::Cloud => "The Sequentum API",
            Upstream::Engine => "The embedded engine",
        }
    }

    fn credentials_hint(self) -> &'static str {
        match self {
            Upstream::Cloud => {
                "Check SEQUENTUM_API_KEY (or SEQUENTUM_ACCESS_TOKEN) in the MCP server configuration"
            }
            Upstream::Engine => {
                "The engine's key is kept in engine.json in the data directory; run `sequentum-mcp engine stop` and call again so a fresh engine starts with a new key"
            }
        }
    }

    fn network_hint(self) -> &'static str {
        match self {
            Upstream::Cloud => "Check the network and SEQUENTUM_API_URL, then repeat the call",
            Upstream::Engine => {
                "Repeat the call; if it keeps failing, `sequentum-mcp engine status` shows whether the engine runs"
            }
        }
    }
}

/// Translates an API error. `subject` names what the call was about ("run 7 of agent 3"),
/// so a 404 can say which id was unknown.
pub fn failure(upstream: Upstream, err: ApiError, subject: &str) -> ToolFailure {
    let api = upstream.name();
    match err {
        ApiError::RateLimited { retry_after } => {
            let secs = retry_after.map(|d| d.as_secs().max(1)).unwrap_or(30);
            ToolFailure {
                retry_after_seconds: Some(secs),
                ..ToolFailure::new(
                    Code::RateLimited,
                    format!("{api} rate limit was reached"),
                    format!("Wait {secs} seconds, then repeat the call"),
                )
            }
        }
        ApiError::Timeout(after) => ToolFailure::new(
            Code::Timeout,
            format!("{api} did not answer within {} seconds", after.as_secs()),
            "Repeat the call; if it keeps happening, check the service status",
        ),
        ApiError::Network(detail) => ToolFailure::new(
            Code::UpstreamUnavailable,
            format!("{api} could not be reached ({detail})"),
            upstream.network_hint(),
        ),
        ApiError::Decode(detail) => ToolFailure::new(
            Code::UpstreamUnavailable,
            format!("{api} gave an answer this server cannot read ({detail})"),
            "Repeat the call later; if it persists, report it with the server logs",
        ),
        ApiError::Status {
            status, message, ..
        } => match status {
            401 => ToolFailure::new(
                Code::Unauthorized,
                format!("{api} refused the credentials ({message})"),
                upstream.credentials_hint(),
            ),
            403 => ToolFailure::new(
                Code::Forbidden,
                format!("Access to {subject} is not allowed for these credentials ({message})"),
                "Use an agent your account can access, or ask an admin for access",
            ),
            // The subject is the fact; the API's own wording of it (often with its own advice)
            // would say it twice.
            404 => ToolFailure::new(
                Code::NotFound,
                format!("{} was not found", capitalize(subject)),
                where_ids_are(subject),
            ),
            409 => ToolFailure::new(
                Code::Conflict,
                format!(
                    "{} is not in a state that allows this ({message})",
                    capitalize(subject)
                ),
                "Check its status with get_run_status or list_runs first",
            ),
            400 | 422 => ToolFailure::new(
                Code::InvalidArgument,
                format!("{api} rejected the request for {subject}: {message}"),
                "Correct the arguments and try again",
            ),
            _ => ToolFailure::new(
                Code::UpstreamUnavailable,
                format!("{api} failed ({message})"),
                "Repeat the call in a minute; the platform may be busy",
            ),
        },
    }
}

/// Where the valid ids of `subject` are listed.
fn where_ids_are(subject: &str) -> &'static str {
    if subject.starts_with("run") {
        "Check the ids; list_runs shows the agent's runs"
    } else if subject.starts_with("agent") {
        "Check the id; list_agents shows the agents"
    } else {
        "Check the ids; list_agents and list_runs show the valid ones"
    }
}

/// A failure about one schedule, pointing at list_schedules for the valid ids.
fn schedule_failure(upstream: Upstream, err: ApiError, agent: i64, schedule: i64) -> ToolFailure {
    let mut failure = failure(
        upstream,
        err,
        &format!("schedule {schedule} of agent {agent}"),
    );
    if failure.code == Code::NotFound {
        failure.hint = "Check the ids; list_schedules shows an agent's schedules".into();
    }
    failure
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_become_failures_that_say_what_to_do() {
        let f = failure(
            Upstream::Cloud,
            ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(12)),
            },
            "agent 1",
        );
        assert_eq!(f.code, Code::RateLimited);
        assert!(f.text().contains("retry_after_seconds: 12"));
        let f = failure(
            Upstream::Cloud,
            ApiError::Status {
                status: 404,
                message: "Run not found".into(),
                code: None,
            },
            "run 9 of agent 2",
        );
        assert_eq!(
            f.text(),
            "not_found: Run 9 of agent 2 was not found. Check the ids; list_runs shows the agent's runs."
        );
    }

    #[test]
    fn the_engines_refusals_speak_of_the_engine_not_the_cloud_key() {
        let refused = |upstream| {
            failure(
                upstream,
                ApiError::Status {
                    status: 401,
                    message: "bad key".into(),
                    code: None,
                },
                "agent 1",
            )
            .text()
        };
        let engine = refused(Upstream::Engine);
        assert!(
            engine.starts_with("unauthorized: The embedded engine refused")
                && engine.contains("engine.json")
                && !engine.contains("SEQUENTUM_API_KEY"),
            "{engine}"
        );
        assert!(refused(Upstream::Cloud).contains("SEQUENTUM_API_KEY"));
    }

    #[test]
    fn unknown_status_names_are_carried_and_known_codes_mapped() {
        let wire: AgentRun =
            serde_json::from_value(json!({"id": 3, "configId": 2, "status": "Hibernating"}))
                .unwrap();
        let run = neutral_run(&wire, 2);
        assert_eq!(run.state, RunState::Unknown);
        assert_eq!(run.status, "Hibernating");
        let wire: AgentRun =
            serde_json::from_value(json!({"id": 3, "configId": 2, "status": 6})).unwrap();
        let run = neutral_run(&wire, 2);
        assert_eq!((run.state, run.restartable), (RunState::Failed, true));
    }
}
