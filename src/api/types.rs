//! Wire types of the Sequentum REST API (`/api/v1`), shared by the client and the embedded engine
//! so the two cannot drift apart.
//!
//! The live API is an ASP.NET service: responses are camelCase, most enums are integers, nearly
//! every field may be null, and dates come with or without an offset and with up to seven
//! fractional digits. Every type here is therefore lenient on input: unknown fields are ignored,
//! unknown enum codes are carried, and a date that cannot be parsed becomes `None` rather than
//! failing the whole response.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A point in time as the API reports it (always UTC once parsed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    pub fn now() -> Self {
        Timestamp(Utc::now())
    }

    /// Parses RFC 3339 (`2026-01-01T10:00:00Z`, `+02:00`) and offset-less forms
    /// (`2026-09-30T23:59:59.9999999`, taken as UTC), which the API echoes from query strings.
    pub fn parse_lenient(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Some(Timestamp(t.with_timezone(&Utc)));
        }
        for fmt in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
        ] {
            if let Ok(t) = NaiveDateTime::parse_from_str(text, fmt) {
                return Some(Timestamp(t.and_utc()));
            }
        }
        None
    }

    /// One end of a date range as a query gives it: what [`Self::parse_lenient`] reads, or a
    /// date alone (`2026-12-07`, as Sequentum documents it), which starts at midnight or, as
    /// the end of a range (`end`), covers its whole day (UTC).
    pub fn parse_bound(text: &str, end: bool) -> Option<Self> {
        if let Some(t) = Self::parse_lenient(text) {
            return Some(t);
        }
        let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
        let time = if end {
            day.and_hms_milli_opt(23, 59, 59, 999)
        } else {
            day.and_hms_opt(0, 0, 0)
        };
        time.map(|t| Timestamp(t.and_utc()))
    }

    pub fn to_rfc3339(self) -> String {
        self.0.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

/// Deserializes an optional timestamp, turning anything unparseable into `None`.
pub(crate) fn lenient_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Timestamp::parse_lenient(&s),
        _ => None,
    })
}

/// Deserializes an optional integer that may arrive as a number, a numeric string or null.
pub(crate) fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Run status: an open integer enum. Unknown codes are carried, never rejected.
///
/// Some deployments serialize the status as its name; both forms are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RunStatus(pub i32);

impl RunStatus {
    pub const INVALID: RunStatus = RunStatus(0);
    pub const RUNNING: RunStatus = RunStatus(1);
    pub const EXPORTING: RunStatus = RunStatus(2);
    pub const STARTING: RunStatus = RunStatus(3);
    pub const QUEUING: RunStatus = RunStatus(4);
    pub const STOPPING: RunStatus = RunStatus(5);
    pub const FAILURE: RunStatus = RunStatus(6);
    pub const FAILED: RunStatus = RunStatus(7);
    pub const STOPPED: RunStatus = RunStatus(8);
    pub const COMPLETED: RunStatus = RunStatus(9);
    pub const SUCCESS: RunStatus = RunStatus(10);
    pub const SKIPPED: RunStatus = RunStatus(11);
    pub const WAITING: RunStatus = RunStatus(12);
    pub const UPDATING_DATA_SET: RunStatus = RunStatus(13);

    const NAMES: [(i32, &'static str); 14] = [
        (0, "Invalid"),
        (1, "Running"),
        (2, "Exporting"),
        (3, "Starting"),
        (4, "Queuing"),
        (5, "Stopping"),
        (6, "Failure"),
        (7, "Failed"),
        (8, "Stopped"),
        (9, "Completed"),
        (10, "Success"),
        (11, "Skipped"),
        (12, "Waiting"),
        (13, "UpdatingDataSet"),
    ];

    /// The wire name, or `Unknown(<code>)` for codes this build does not know.
    pub fn name(self) -> String {
        Self::NAMES
            .iter()
            .find(|(code, _)| *code == self.0)
            .map(|(_, name)| name.to_string())
            .unwrap_or_else(|| format!("Unknown({})", self.0))
    }

    pub fn from_name(name: &str) -> Option<RunStatus> {
        Self::NAMES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(code, _)| RunStatus(*code))
    }

    /// Terminal: polling can stop. Failed (7) only appears in history but is final too.
    pub fn is_terminal(self) -> bool {
        matches!(self.0, 6..=11)
    }

    /// A run that is still in progress (the "in progress" set used by delete and duplicate checks).
    /// Unknown codes count as active, so an unknown state is never mistaken for a finished run.
    pub fn is_active(self) -> bool {
        !self.is_terminal() && self != Self::INVALID
    }

    /// Coarse, lowercase phase name for people and models.
    pub fn phase(self) -> &'static str {
        match self.0 {
            1 => "running",
            2 | 13 => "exporting",
            3 => "starting",
            4 => "queued",
            5 => "stopping",
            6 | 7 => "failed",
            8 => "stopped",
            9 | 10 => "completed",
            11 => "skipped",
            12 => "waiting",
            _ => "unknown",
        }
    }
}

impl Serialize for RunStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(self.0)
    }
}

impl<'de> Deserialize<'de> for RunStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => Ok(RunStatus(n.as_i64().unwrap_or(0) as i32)),
            Value::String(s) => Ok(s
                .trim()
                .parse::<i32>()
                .map(RunStatus)
                .ok()
                .or_else(|| RunStatus::from_name(&s))
                .unwrap_or(RunStatus(-1))),
            _ => Ok(RunStatus::INVALID),
        }
    }
}

/// A run's status as it came on the wire: the code, and the platform's own name when it came as
/// a name this build does not know (so a new state is reported as the platform spells it,
/// never as a made-up code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireStatus {
    pub code: RunStatus,
    pub unknown_name: Option<String>,
}

impl WireStatus {
    /// The name to show: the platform's own for unknown names, else the code's.
    pub fn name(&self) -> String {
        self.unknown_name
            .clone()
            .unwrap_or_else(|| self.code.name())
    }
}

impl From<RunStatus> for WireStatus {
    fn from(code: RunStatus) -> Self {
        WireStatus {
            code,
            unknown_name: None,
        }
    }
}

impl Serialize for WireStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.unknown_name {
            Some(name) => s.serialize_str(name),
            None => self.code.serialize(s),
        }
    }
}

fn lenient_wire_status<'de, D: Deserializer<'de>>(d: D) -> Result<Option<WireStatus>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s))
            if s.trim().parse::<i32>().is_err() && RunStatus::from_name(&s).is_none() =>
        {
            Some(WireStatus {
                code: RunStatus(-1),
                unknown_name: Some(s.trim().chars().take(64).collect()),
            })
        }
        Some(v) => Some(
            RunStatus::deserialize(v)
                .map_err(serde::de::Error::custom)?
                .into(),
        ),
    })
}

pub(crate) fn lenient_status<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<RunStatus>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(v) => Some(RunStatus::deserialize(v).map_err(serde::de::Error::custom)?),
    })
}

/// One run of an agent (`AgentRun`): the run-status body, the items of the run list, and the
/// answer to an asynchronous start.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentRun {
    /// The run id.
    pub id: i64,
    /// The agent id.
    pub config_id: i64,
    pub config_name: Option<String>,
    #[serde(deserialize_with = "lenient_i64")]
    pub space_id: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub parallelism: Option<i64>,
    pub parallel_export: Option<String>,
    #[serde(deserialize_with = "lenient_time")]
    pub start_time: Option<Timestamp>,
    #[serde(deserialize_with = "lenient_time")]
    pub end_time: Option<Timestamp>,
    #[serde(deserialize_with = "lenient_time")]
    pub created: Option<Timestamp>,
    #[serde(deserialize_with = "lenient_wire_status")]
    pub status: Option<WireStatus>,
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient_i64")]
    pub config_version: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub action_count: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub page_count: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub dynamic_page_count: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub request_count: Option<i64>,
    /// Records extracted.
    #[serde(deserialize_with = "lenient_i64")]
    pub data_count: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub input_count: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub error_count: Option<i64>,
    /// Records exported.
    #[serde(deserialize_with = "lenient_i64")]
    pub export_count: Option<i64>,
    /// Bytes transferred.
    #[serde(deserialize_with = "lenient_i64")]
    pub traffic: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub run_time_sec: Option<i64>,
    pub server_name: Option<String>,
    /// `"run"` (active table) or `"history"` (archived).
    pub table_type: Option<String>,
    /// The schedule that started the run (the embedded engine reports it).
    #[serde(
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub schedule_id: Option<i64>,
    /// Pages the run gave up on after its retries (the embedded engine reports it): a run that
    /// finished with lost pages "completed with errors" and can be restarted to read them.
    #[serde(
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub lost_page_count: Option<i64>,
}

impl AgentRun {
    /// The status, with a missing one read as Invalid (0).
    pub fn status(&self) -> RunStatus {
        self.status.as_ref().map_or(RunStatus::INVALID, |s| s.code)
    }

    /// The status name as the platform gave it.
    pub fn status_name(&self) -> String {
        self.status
            .as_ref()
            .map_or_else(|| RunStatus::INVALID.name(), WireStatus::name)
    }
}

/// An agent (`GET /agent/{id}`, items of `/agent/all` and `/agent/search`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Agent {
    #[serde(deserialize_with = "lenient_i64")]
    pub id: Option<i64>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// 1 Agent, 2 SharedFile, 3 Template, 4 Command.
    #[serde(deserialize_with = "lenient_i64")]
    pub config_type: Option<i64>,
    /// Null for personal agents.
    #[serde(deserialize_with = "lenient_i64")]
    pub space_id: Option<i64>,
    /// Status of the last run; null when the agent never ran.
    #[serde(deserialize_with = "lenient_status")]
    pub status: Option<RunStatus>,
    #[serde(deserialize_with = "lenient_time")]
    pub last_activity: Option<Timestamp>,
    #[serde(deserialize_with = "lenient_i64")]
    pub version: Option<i64>,
    pub start_url: Option<String>,
    /// Parameter name -> default value.
    pub input_parameters: Option<Value>,
    pub is_active: Option<bool>,
    /// Archived agents are hidden from lists unless asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_archived: Option<bool>,
    #[serde(deserialize_with = "lenient_time")]
    pub created: Option<Timestamp>,
    #[serde(deserialize_with = "lenient_time")]
    pub updated: Option<Timestamp>,
}

/// `/agent/all` with `pageIndex` and `recordsPerPage`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentPage {
    pub agents: Vec<Agent>,
    #[serde(deserialize_with = "lenient_i64")]
    pub total_record_count: Option<i64>,
}

/// Kinds of run files (`fileType`).
pub mod file_type {
    pub const DELIVERED_FILE: i64 = 1;
    pub const EXTRACTED_FILES: i64 = 2;
    pub const LOG_TEXT: i64 = 6;
    pub const LOG_HTML: i64 = 7;
}

/// One output file of a run (`GET .../run/{runId}/files`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunFile {
    pub id: i64,
    #[serde(deserialize_with = "lenient_i64")]
    pub file_type: Option<i64>,
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient_i64")]
    pub file_size: Option<i64>,
    #[serde(deserialize_with = "lenient_time")]
    pub created: Option<Timestamp>,
}

impl RunFile {
    /// Record files are the export output: DeliveredFile (1) or ExtractedFiles (2).
    pub fn holds_records(&self) -> bool {
        matches!(
            self.file_type,
            Some(file_type::DELIVERED_FILE) | Some(file_type::EXTRACTED_FILES)
        )
    }
}

/// Body of `POST /agent/{id}/start`. Serialized camelCase as the docs show; the live service
/// (and the embedded engine) match property names case-insensitively.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StartRunRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<i64>,
    /// Input parameters as JSON *text* (the API takes a string, not an object).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_parameters: Option<String>,
    /// Seconds a synchronous start may take.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_exclusive: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_run_synchronously: Option<bool>,
}

impl StartRunRequest {
    /// Reads a start body whatever the casing of its property names (`Parallelism`,
    /// `parallelism`, `PARALLELISM`), as ASP.NET does. An empty body is a default start.
    pub fn from_any_case(body: &Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(camel_case_keys(body))
    }
}

/// Lower-cases the first letter of every top-level key, so PascalCase bodies read as camelCase.
pub fn camel_case_keys(body: &Value) -> Value {
    let Value::Object(map) = body else {
        return Value::Object(Map::new());
    };
    let known = [
        "parallelism",
        "inputParameters",
        "timeout",
        "isExclusive",
        "isRunSynchronously",
        "prompt",
        "spaceId",
        "mode",
        "url",
        "agentName",
        "message",
    ];
    Value::Object(
        map.iter()
            .map(|(k, v)| {
                let key = known
                    .iter()
                    .find(|name| name.eq_ignore_ascii_case(k))
                    .map(|name| name.to_string())
                    .unwrap_or_else(|| k.clone());
                (key, v.clone())
            })
            .collect(),
    )
}

/// Body of `POST /agent-builder/start` (current, single-shot API).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BuilderStartRequest {
    pub prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub space_id: Option<i64>,
    /// Name for the new agent (the embedded engine honours it; the cloud names agents itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
}

/// Answer to `POST /agent-builder/start`: `{sessionId}` now, `{success, sessionId, error}` before.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BuilderStartResponse {
    pub session_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Answer to `POST /agent-builder/{id}/followup`: `{success, error}` on the cloud; the
/// embedded engine applies the change at once and answers what it changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BuilderFollowupResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<i64>,
    pub changes: Vec<String>,
    pub sample_records: Vec<Value>,
}

/// A requested field the embedded engine's builder found no place for: the agent was saved
/// without it, and these places in the records may hold it, best first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BuilderMissingField {
    pub field: String,
    pub candidates: Vec<BuilderCandidate>,
}

/// A place in the records that no field took, offered for a missing field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BuilderCandidate {
    /// Short id, the same for the same place across the missing fields ("c1").
    pub id: String,
    /// Where the value is, in the words of the follow-up "take <field> from <place>": a CSS
    /// selector inside the record, "<attribute> of <selector>", or a JSON-LD path.
    pub place: String,
    /// Its value in the first one or two records (scraped text: untrusted).
    pub samples: Vec<String>,
}

/// Builder session states on the wire (lowercase strings; open set).
pub mod builder_state {
    pub const PROCESSING: &str = "processing";
    pub const READY: &str = "ready";
    pub const COMPLETED: &str = "completed";
    pub const ERROR: &str = "error";
    pub const CANCELLED: &str = "cancelled";
}

/// `GET /agent-builder/{sessionId}/status`. Both generations of the body are read: `agentId`
/// (current) and `configId` (older).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BuilderStatus {
    pub status: String,
    #[serde(
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub agent_id: Option<i64>,
    #[serde(
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub config_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_event_index: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_elapsed_seconds: Option<f64>,
    /// Records the finished agent extracted while it was tested (embedded engine; the cloud
    /// may omit it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_records: Option<Vec<Value>>,
    /// Requested fields the agent was saved without, with candidates (embedded engine).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_fields: Vec<BuilderMissingField>,
}

impl BuilderStatus {
    /// The agent the session produced, whichever field carried it.
    pub fn agent(&self) -> Option<i64> {
        self.agent_id.or(self.config_id)
    }

    /// No further change will happen: completed, error or cancelled.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self.status.as_str(),
            builder_state::COMPLETED | builder_state::ERROR | builder_state::CANCELLED
        )
    }
}

/// One builder event (`GET /agent-builder/{id}/events`). The payload depends on `type`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BuilderEvent {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(deserialize_with = "lenient_time")]
    pub timestamp: Option<Timestamp>,
    pub event_index: i64,
    #[serde(flatten)]
    pub payload: Map<String, Value>,
}

impl BuilderEvent {
    /// Whether this event is a person's follow-up message, which opens a new turn of the
    /// session. The builder also speaks through `user_message` events (text to show the
    /// user, such as its closing "Built …" line); only those marked with the user's role are
    /// follow-ups, or a build's own summary would pass for a finished turn before the agent
    /// is saved.
    pub fn is_follow_up(&self) -> bool {
        self.kind == "user_message"
            && self.payload.get("role").and_then(Value::as_str) == Some("user")
    }

    /// The human-readable line this event carries, if any (message, step description, URL).
    pub fn narration(&self) -> Option<String> {
        let text = |key: &str| self.payload.get(key).and_then(Value::as_str);
        match self.kind.as_str() {
            "step_started" => text("description").map(str::to_string),
            "navigation_completed" => text("url").map(|u| format!("Opened {u}")),
            "screenshot" | "command_added" | "user_prompt" | "session_started" => None,
            _ => text("message").map(str::to_string),
        }
    }
}

/// A page of builder events.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BuilderEvents {
    pub events: Vec<BuilderEvent>,
    pub last_event_index: i64,
}

/// A ProblemDetails (RFC 7807) error body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProblemDetails {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub title: Option<String>,
    pub status: Option<u16>,
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

/// `GET /api/v1/agent/{id}/definition` (embedded engine): the current definition and its
/// version.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentDefinitionBody {
    #[serde(
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<i64>,
    pub definition: Value,
}

/// `POST /api/v1/agent/test-definition` (embedded engine): a dry run of a definition on one
/// page. With `agentId`, `definition` is a change merged onto the agent's current definition
/// (or absent: the current one as it is); without, a whole definition. `url` defaults to
/// the first start URL.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DefinitionTestRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What a dry run of a definition found on one page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DefinitionTestResult {
    /// The page tested.
    pub url: String,
    /// The agent version the change was merged onto.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub based_on_version: Option<i64>,
    /// The definition tested, after merging.
    pub definition: Value,
    pub record_selector: String,
    /// Elements the record selector matched.
    pub records_matched: u64,
    /// Records with every required field.
    pub records_kept: u64,
    /// Records left out for a missing required field.
    pub dropped: u64,
    pub sample_records: Vec<Value>,
    pub fields: Vec<FieldTestResult>,
    /// One sentence per selector that matched nothing (or not everywhere).
    pub unmatched: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_selector: Option<String>,
    /// The next-page link found, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub needs_javascript: bool,
}

/// One field's selector and how often it matched in a dry run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldTestResult {
    pub name: String,
    pub selector: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Records in which the field yielded a value.
    pub hits: u64,
    /// hits / records matched, 0..1.
    pub hit_rate: f64,
    /// Elements the selector matches on the whole page (records or not).
    pub page_matches: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_alone_starts_at_midnight_and_as_an_end_covers_its_day() {
        let at = |text, end| Timestamp::parse_bound(text, end).map(Timestamp::to_rfc3339);
        assert_eq!(
            at("2026-12-07", false).as_deref(),
            Some("2026-12-07T00:00:00.000Z")
        );
        assert_eq!(
            at("2026-12-07", true).as_deref(),
            Some("2026-12-07T23:59:59.999Z")
        );
        assert_eq!(
            at("2026-12-07T10:00:00+02:00", true).as_deref(),
            Some("2026-12-07T08:00:00.000Z")
        );
        assert_eq!(at("tomorrow", false), None);
    }

    #[test]
    fn status_accepts_numbers_names_and_unknown_codes() {
        let run: AgentRun =
            serde_json::from_str(r#"{"id":5,"configId":2,"status":"Completed"}"#).unwrap();
        assert_eq!(run.status(), RunStatus::COMPLETED);
        let run: AgentRun = serde_json::from_str(r#"{"id":5,"configId":2,"status":42}"#).unwrap();
        assert_eq!(run.status(), RunStatus(42));
        assert_eq!(run.status().name(), "Unknown(42)");
        let run: AgentRun =
            serde_json::from_str(r#"{"id":5,"configId":2,"status":"Paused"}"#).unwrap();
        assert_eq!(run.status_name(), "Paused");
        assert_eq!(serde_json::to_value(&run).unwrap()["status"], "Paused");
        assert!(run.status().is_active());
        assert!(RunStatus::FAILURE.is_terminal());
    }

    #[test]
    fn dates_parse_with_or_without_offset_and_bad_dates_are_dropped() {
        let run: AgentRun = serde_json::from_str(
            r#"{"id":1,"configId":1,"startTime":"2026-09-30T23:59:59.9999999","endTime":"2026-10-01T01:00:00+02:00","created":"yesterday"}"#,
        )
        .unwrap();
        assert_eq!(
            run.start_time.unwrap().to_rfc3339(),
            "2026-09-30T23:59:59.999Z"
        );
        assert_eq!(
            run.end_time.unwrap().to_rfc3339(),
            "2026-09-30T23:00:00.000Z"
        );
        assert!(run.created.is_none());
    }

    #[test]
    fn start_body_is_read_in_any_case() {
        let body = serde_json::json!({"Parallelism": 3, "IsRunSynchronously": true, "inputparameters": "{}"});
        let req = StartRunRequest::from_any_case(&body).unwrap();
        assert_eq!(req.parallelism, Some(3));
        assert_eq!(req.is_run_synchronously, Some(true));
        assert_eq!(req.input_parameters.as_deref(), Some("{}"));
    }

    #[test]
    fn only_a_person_s_message_opens_a_turn_not_the_builder_s_own_words() {
        let event = |mut fields: Value| -> BuilderEvent {
            fields["type"] = "user_message".into();
            fields["eventIndex"] = 4.into();
            serde_json::from_value(fields).unwrap()
        };
        let built =
            event(serde_json::json!({"message": "Built \"Shop items\": 12 items per page"}));
        let asked = event(serde_json::json!({"message": "also get the link", "role": "user"}));
        assert!(
            !built.is_follow_up(),
            "the builder's summary is no follow-up"
        );
        assert!(asked.is_follow_up());
        assert_eq!(
            built.narration().as_deref(),
            Some("Built \"Shop items\": 12 items per page")
        );
    }
}
