//! Deck as a `Platform`. The agent handle the tools pass around is a Deck task (`task_…`): a
//! task is what runs, with its prompt and schemas, and its agent is Deck's grouping of it.
//! Runs are task runs (`trun_…`), addressed by their own id. A run's records are its `output`,
//! offered to fetch_records as a JSON file `output.json`; the files it captured (storage
//! items) are its other files.

use std::{path::Path, time::Duration};

use async_trait::async_trait;
use reqwest::Method;
use serde_json::{Map, Value, json};
use url::Url;

use super::{
    build,
    client::{DeckClient, write_atomically},
    error::{DeckError, failure},
    input, runs,
    types::{Agent, Credential, Page, Source, StorageItem, Task, TaskRun},
};
use crate::jobs::model::{
    Build, BuildState, Code, Id, Need, Run, ToolFailure,
    agent_details::AgentSummary,
    failure::excerpt,
    interactions::{CredentialList, CredentialSummary, Interaction},
    platform::{
        AgentList, AgentQuery, BuildRequest, Definition, DefinitionTest, DefinitionTrial, Platform,
        PlatformInfo, Refinement, RunFile, StartRun, StopMode,
    },
};

/// What exists only on Sequentum: left out on Deck.
pub const LACKS: &[Need] = &[
    Need::Definitions,
    Need::Schedules,
    Need::Agents,
    Need::Spaces,
    Need::Billing,
    // Deck runs are not restarted in place, and it has no run analytics or run deletion.
    Need::RestartInPlace,
    Need::Diagnostics,
    Need::RunDeletion,
    Need::RunAnalytics,
];
/// The id of the file that holds a run's output.
const OUTPUT_FILE: &str = "output";
/// The scheme of the link to a run's output (read through the API, not a signed URL).
const OUTPUT_SCHEME: &str = "deck-output";
/// Tasks, sources or credentials read when searching by name or URL.
const SCAN: usize = 1000;
/// The input key that names a stored credential for one run (when the task has no such input).
const CREDENTIAL_INPUT: &str = "credential_id";

pub struct Deck {
    client: DeckClient,
    info: PlatformInfo,
}

impl Deck {
    pub fn new(client: DeckClient) -> Self {
        let description = format!(
            "Backend: Deck at {} (agents are Deck tasks; runs may pause for a login code or a review).",
            client.base_url()
        );
        Deck {
            client,
            info: PlatformInfo {
                backend: "deck",
                description,
                // 200 requests per 10 s per organisation, shared by every key.
                poll_interval: Duration::from_secs(3),
                id_schema: json!({"type": "string"}),
                lacks: LACKS,
                can_force_stop: false,
            },
        }
    }

    async fn task_run(&self, run_id: &Id) -> Result<TaskRun, ToolFailure> {
        self.client
            .get(&format!("task-runs/{run_id}"), &[])
            .await
            .map_err(|e| failure(e, &format!("task run {run_id}")))
    }

    async fn task(&self, task_id: &Id) -> Result<Task, ToolFailure> {
        self.client
            .get(&format!("tasks/{task_id}"), &[])
            .await
            .map_err(|e| failure(e, &format!("task {task_id}")))
    }

    async fn list<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        filters: &[(&str, String)],
        max: usize,
    ) -> Result<Vec<T>, ToolFailure> {
        self.client
            .collect(path, filters, max)
            .await
            .map_err(|e| failure(e, &format!("the {} list", path.replace('-', " "))))
    }

    async fn create<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: Value,
    ) -> Result<T, ToolFailure> {
        self.client
            .send(Method::POST, path, &body)
            .await
            .map_err(|e| failure(e, &format!("a new {}", path.trim_end_matches('s'))))
    }

    /// Where a run of `task` goes: the credential named in the input, else the website its
    /// prompt names (through that site's only usable credential, when it has exactly one).
    async fn target(
        &self,
        task: &Task,
        input: &mut Map<String, Value>,
    ) -> Result<Map<String, Value>, ToolFailure> {
        let declared = task
            .input_schema
            .as_ref()
            .and_then(|s| s.get("properties"))
            .is_some_and(|p| p.get(CREDENTIAL_INPUT).is_some());
        if !declared && let Some(credential) = input.remove(CREDENTIAL_INPUT) {
            return Ok(Map::from_iter([(CREDENTIAL_INPUT.to_string(), credential)]));
        }
        let url = task.prompt.as_deref().and_then(build::first_url);
        let sources: Vec<Source> = self.list("sources", &[], SCAN).await?;
        let source = match &url {
            Some(url) => sources.iter().find(|s| same_site(s, url)),
            None if sources.len() == 1 => sources.first(),
            None => None,
        }
        .ok_or_else(|| {
            ToolFailure::new(
                Code::NotFound,
                format!(
                    "Task {} names no website this organisation has as a source",
                    task.id
                ),
                "Rebuild it with build_agent, including the site's address in prompt",
            )
        })?;
        let usable: Vec<Credential> = self
            .list::<Credential>("credentials", &[("source_id", source.id.clone())], SCAN)
            .await?
            .into_iter()
            .filter(|c| matches!(c.status.as_deref(), Some("verified" | "unverified")))
            .collect();
        Ok(match usable.as_slice() {
            [only] => Map::from_iter([(CREDENTIAL_INPUT.to_string(), json!(only.id))]),
            _ => Map::from_iter([("source_id".to_string(), json!(source.id))]),
        })
    }

    async fn find_or_create_agent(&self, name: &str) -> Result<Agent, ToolFailure> {
        let agents: Vec<Agent> = self.list("agents", &[], SCAN).await?;
        match agents.into_iter().find(|a| {
            a.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        }) {
            Some(agent) => Ok(agent),
            None => self.create("agents", json!({"name": name})).await,
        }
    }

    async fn find_or_create_source(&self, url: &Url) -> Result<Source, ToolFailure> {
        let sources: Vec<Source> = self.list("sources", &[], SCAN).await?;
        match sources.into_iter().find(|s| s.url() == Some(url.as_str())) {
            Some(source) => Ok(source),
            None => {
                let body = json!({"type": "website", "website": {"url": url.as_str()},
                    "name": url.host_str()});
                self.create("sources", body).await
            }
        }
    }
}

/// A source for the same site as `url` (scheme, host and port).
fn same_site(source: &Source, url: &Url) -> bool {
    source
        .url()
        .and_then(|u| Url::parse(u).ok())
        .is_some_and(|u| u.origin() == url.origin())
}

#[async_trait]
impl Platform for Deck {
    fn info(&self) -> &PlatformInfo {
        &self.info
    }

    fn check_id(&self, field: &str, id: &Id) -> Result<Id, ToolFailure> {
        let text = id.to_string();
        let fine = matches!(id, Id::Text(_))
            && (1..=128).contains(&text.len())
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if fine {
            return Ok(Id::Text(text));
        }
        Err(ToolFailure::invalid(
            format!(
                "{field} must be a Deck id string such as \"task_…\" or \"trun_…\", got \"{}\"",
                excerpt(&text)
            ),
            format!(
                "Pass the {field} returned by an earlier call (list_agents or list_runs show them)"
            ),
        ))
    }

    async fn list_agents(&self, query: &AgentQuery) -> Result<AgentList, ToolFailure> {
        let tasks: Vec<Task> = self.list("tasks", &[], SCAN).await?;
        let wanted = query.name.as_deref().map(str::to_lowercase);
        let matching: Vec<Task> = tasks
            .into_iter()
            .filter(|t| {
                wanted.as_deref().is_none_or(|w| {
                    t.name
                        .as_deref()
                        .unwrap_or_default()
                        .to_lowercase()
                        .contains(w)
                })
            })
            .collect();
        let total = matching.len() as i64;
        let skip = (query.page.max(1) as usize - 1) * query.per_page as usize;
        Ok(AgentList {
            agents: matching
                .into_iter()
                .skip(skip)
                .take(query.per_page as usize)
                .map(|t| AgentSummary {
                    id: Id::Text(t.id),
                    name: t.name.unwrap_or_default(),
                    last_status: t.status,
                    last_activity: t
                        .updated_at
                        .as_deref()
                        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                        .map(|t| t.with_timezone(&chrono::Utc)),
                    version: None,
                })
                .collect(),
            total: Some(total),
        })
    }

    async fn run(&self, agent_id: &Id, run_id: &Id) -> Result<Run, ToolFailure> {
        Ok(runs::neutral(&self.task_run(run_id).await?, Some(agent_id)))
    }

    async fn list_runs(&self, agent_id: &Id, limit: u32) -> Result<Vec<Run>, ToolFailure> {
        let runs: Vec<TaskRun> = self
            .list(
                "task-runs",
                &[("task_id", agent_id.to_string())],
                limit as usize,
            )
            .await?;
        Ok(runs
            .iter()
            .map(|r| runs::neutral(r, Some(agent_id)))
            .collect())
    }

    async fn start_run(&self, agent_id: &Id, start: &StartRun) -> Result<Run, ToolFailure> {
        let task = self.task(agent_id).await?;
        let mut input = start.input.clone().unwrap_or_default();
        let mut body = self.target(&task, &mut input).await?;
        input::check(task.input_schema.as_ref(), &input)?;
        body.insert("input".into(), Value::Object(input));
        let run: TaskRun = self
            .client
            .send(
                Method::POST,
                &format!("tasks/{agent_id}/run"),
                &Value::Object(body),
            )
            .await
            .map_err(|e| failure(e, &format!("task {agent_id}")))?;
        Ok(runs::neutral(&run, Some(agent_id)))
    }

    async fn stop_run(
        &self,
        _agent_id: &Id,
        run_id: &Id,
        _mode: StopMode,
    ) -> Result<(), ToolFailure> {
        let _: Value = self
            .client
            .send(
                Method::POST,
                &format!("task-runs/{run_id}/cancel"),
                &json!({}),
            )
            .await
            .map_err(|e| failure(e, &format!("task run {run_id}")))?;
        Ok(())
    }

    async fn restart_run(&self, _agent_id: &Id, _run_id: &Id) -> Result<(), ToolFailure> {
        Err(ToolFailure::unsupported(
            "deck",
            "restart of a run (start a new one with run_agent)",
        ))
    }

    /// Creates (or reuses) the agent, source and task at once; the "session" is the task id.
    async fn start_build(&self, request: &BuildRequest) -> Result<String, ToolFailure> {
        let plan = build::plan(request)?;
        let agent = self.find_or_create_agent(&plan.agent_name).await?;
        self.find_or_create_source(&plan.url).await?;
        let tasks: Vec<Task> = self
            .list("tasks", &[("agent_id", agent.id.clone())], SCAN)
            .await?;
        let same = tasks.into_iter().find(|t| {
            t.name.as_deref() == Some(plan.task_name.as_str())
                && t.prompt.as_deref() == Some(plan.prompt.as_str())
        });
        if let Some(task) = same {
            return Ok(task.id);
        }
        let task: Task = self
            .create(
                "tasks",
                json!({"name": plan.task_name, "agent_id": agent.id, "prompt": plan.prompt,
                    "output_schema": plan.output_schema}),
            )
            .await?;
        Ok(task.id)
    }

    async fn build(&self, session_id: &str) -> Result<Build, ToolFailure> {
        let task = self.task(&Id::from(session_id)).await?;
        Ok(Build {
            session_id: session_id.to_string(),
            state: BuildState::Completed,
            agent_id: Some(Id::Text(task.id.clone())),
            // How the request was read (the fields of the output schema), then the task.
            narration: task
                .prompt
                .as_deref()
                .and_then(crate::local::builder::read_back)
                .into_iter()
                .chain([format!(
                    "Deck task {} is ready (status {}); Deck's agent learns the site on its first runs.",
                    task.id,
                    task.status.as_deref().unwrap_or("learning")
                )])
                .collect(),
            agent_name: task.name,
            sample_records: Vec::new(),
            follow_ups: Vec::new(),
            error: None,
            missing_fields: Vec::new(),
        })
    }

    async fn refine_build(
        &self,
        session_id: &str,
        message: &str,
    ) -> Result<Refinement, ToolFailure> {
        let id = Id::from(session_id);
        let task = self.task(&id).await?;
        let prompt = format!("{}\n{message}", task.prompt.unwrap_or_default());
        let _: Task = self
            .client
            .send(
                Method::PATCH,
                &format!("tasks/{id}"),
                &json!({"prompt": prompt}),
            )
            .await
            .map_err(|e| failure(e, &format!("task {id}")))?;
        Ok(Refinement {
            changes: vec!["Added the request to the task's prompt.".into()],
            ..Refinement::default()
        })
    }

    async fn stop_build(&self, _session_id: &str) -> Result<(), ToolFailure> {
        // A Deck build is finished when build_agent answers; there is nothing to stop.
        Ok(())
    }

    async fn run_files(&self, _agent_id: &Id, run_id: &Id) -> Result<Vec<RunFile>, ToolFailure> {
        let run = self.task_run(run_id).await?;
        let mut files = Vec::new();
        if run.output.is_some() {
            files.push(RunFile {
                id: Id::from(OUTPUT_FILE),
                name: "output.json".into(),
                holds_records: true,
                size: None,
            });
        }
        let storage: Vec<StorageItem> = self
            .list(&format!("task-runs/{run_id}/storage"), &[], SCAN)
            .await?;
        files.extend(storage.into_iter().map(|item| RunFile {
            name: item.file_name.clone().unwrap_or_else(|| item.id.clone()),
            id: Id::Text(item.id),
            holds_records: false,
            size: item.file_size,
        }));
        Ok(files)
    }

    async fn file_url(
        &self,
        _agent_id: &Id,
        run_id: &Id,
        file: &RunFile,
    ) -> Result<Url, ToolFailure> {
        if file.id == Id::from(OUTPUT_FILE) {
            let run = self.task_run(run_id).await?;
            if runs::encrypted(&run) {
                return Err(ToolFailure::new(
                    Code::UnsupportedRecordsFormat,
                    format!(
                        "The output of task run {run_id} is encrypted (an enc_… string: the organisation has payload encryption on)"
                    ),
                    "Read it in the Deck Console, where it is shown decrypted",
                ));
            }
            return Url::parse(&format!("{OUTPUT_SCHEME}:{run_id}")).map_err(|e| {
                ToolFailure::invalid(
                    format!("Run id {run_id} cannot name its output ({e})"),
                    "Check the run id",
                )
            });
        }
        let item: StorageItem = self
            .client
            .get(&format!("storage/{}", file.id), &[])
            .await
            .map_err(|e| failure(e, &format!("storage item {}", file.id)))?;
        item.url
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
            .ok_or_else(|| {
                ToolFailure::new(
                    Code::NotFound,
                    format!("Storage item {} has no download link", file.id),
                    "Its file may have expired (Deck keeps files up to 90 days)",
                )
            })
    }

    async fn download(&self, url: &Url, dest: &Path) -> Result<u64, ToolFailure> {
        let fail = |e: std::io::Error| {
            ToolFailure::new(
                Code::UpstreamUnavailable,
                format!("Could not write {}: {e}", dest.display()),
                "Check free disk space and the cache directory's permissions",
            )
        };
        if url.scheme() == OUTPUT_SCHEME {
            let run = self.task_run(&Id::from(url.path())).await?;
            let records = runs::records(run.output.as_ref()).unwrap_or(Value::Array(Vec::new()));
            let bytes = serde_json::to_vec(&records).unwrap_or_default();
            write_atomically(dest, &bytes).map_err(fail)?;
            return Ok(bytes.len() as u64);
        }
        self.client
            .download(url, dest)
            .await
            .map_err(|e| failure(e, "the file download"))
    }

    async fn agent_definition(&self, _agent_id: &Id) -> Result<Definition, ToolFailure> {
        Err(ToolFailure::unsupported("deck", "agent definitions"))
    }

    async fn test_definition(
        &self,
        _trial: &DefinitionTrial,
    ) -> Result<DefinitionTest, ToolFailure> {
        Err(ToolFailure::unsupported("deck", "agent definitions"))
    }

    async fn update_definition(
        &self,
        _agent_id: &Id,
        _definition: &Value,
        _comment: &str,
    ) -> Result<Option<i64>, ToolFailure> {
        Err(ToolFailure::unsupported("deck", "agent definitions"))
    }

    async fn interaction(&self, run_id: &Id) -> Result<Option<Interaction>, ToolFailure> {
        let run = self.task_run(run_id).await?;
        Ok(match runs::state(&run.status) {
            crate::jobs::model::RunState::WaitingForInput => runs::interaction(&run),
            _ => None,
        })
    }

    async fn answer_interaction(
        &self,
        run_id: &Id,
        values: &Map<String, Value>,
    ) -> Result<Run, ToolFailure> {
        let run: TaskRun = self
            .client
            .send(
                Method::POST,
                &format!("task-runs/{run_id}/interaction"),
                &json!({"input": values}),
            )
            .await
            .map_err(|e| failure(e, &format!("task run {run_id}")))?;
        Ok(runs::neutral(&run, None))
    }

    async fn list_credentials(
        &self,
        source_id: Option<&Id>,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<CredentialList, ToolFailure> {
        let filters: Vec<(&str, String)> = source_id
            .map(|s| ("source_id", s.to_string()))
            .into_iter()
            .collect();
        let page: Page<Credential> = self
            .client
            .page("credentials", &filters, cursor, limit)
            .await
            .map_err(|e| match e.code() {
                Some("cursor_invalid") => ToolFailure::new(
                    Code::InvalidCursor,
                    format!("Deck did not accept the cursor ({e})"),
                    "Call list_credentials again without a cursor",
                ),
                _ => failure(e, "the credential list"),
            })?;
        let next_cursor = page.next().map(str::to_string);
        Ok(CredentialList {
            credentials: page
                .data
                .into_iter()
                .map(|c| CredentialSummary {
                    id: Id::Text(c.id),
                    source_id: c.source_id.map(Id::Text),
                    status: c.status.unwrap_or_else(|| "unknown".into()),
                    auth_method: c.auth_method,
                    external_id: c.external_id,
                })
                .collect(),
            next_cursor,
        })
    }
}

/// Checks the key: `GET /test` answers `{status: "ready", environment}`.
pub async fn check_key(client: &DeckClient) -> Result<String, DeckError> {
    let answer: Value = client.get("test", &[]).await?;
    Ok(format!(
        "{} ({})",
        answer["status"].as_str().unwrap_or("?"),
        answer["environment"].as_str().unwrap_or("?")
    ))
}
