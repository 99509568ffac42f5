//! Schedule endpoints (`/agent/{id}/schedules…`, `/analytics/schedules/upcoming`) and their
//! wire shapes, shared by the client and the embedded engine.
//!
//! Traps of the live API, each handled here once: request bodies are PascalCase while answers
//! are camelCase; the cron text is sent as `CronExpression` but comes back as `schedule`;
//! `RunEveryPeriod` is 1 (minute) … 5 (month); input parameters travel as JSON *text*.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    ApiError, Client, Repeat,
    types::{Timestamp, lenient_i64, lenient_time},
};
use crate::{
    jobs::model::{
        Id,
        schedules::{Schedule, ScheduleSpec},
    },
    schedule_rules::{DEFAULT_TIME_ZONE, Period, Timing},
};

/// `ScheduleType` codes.
pub mod schedule_type {
    pub const RUN_ONCE: i64 = 1;
    pub const RUN_EVERY: i64 = 2;
    pub const CRON: i64 = 3;
}

/// Body of a schedule create (POST) or replace (PUT), as the official client sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ScheduleRequest {
    pub name: String,
    pub is_enabled: bool,
    pub parallelism: i64,
    pub schedule_type: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cron_expression: Option<String>,
    /// UTC, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_every_count: Option<i64>,
    /// 1 minute, 2 hour, 3 day, 4 week, 5 month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_every_period: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_parameters: Option<String>,
    pub is_exclusive: bool,
}

/// The request's property names, for reading bodies in any casing.
const REQUEST_FIELDS: [&str; 11] = [
    "Name",
    "IsEnabled",
    "Parallelism",
    "ScheduleType",
    "CronExpression",
    "StartTime",
    "RunEveryCount",
    "RunEveryPeriod",
    "Timezone",
    "InputParameters",
    "IsExclusive",
];

impl ScheduleRequest {
    pub fn from_spec(spec: &ScheduleSpec) -> ScheduleRequest {
        let time = |t: &DateTime<Utc>| Timestamp(*t).to_rfc3339();
        let mut req = ScheduleRequest {
            name: spec.name.clone(),
            is_enabled: spec.enabled,
            parallelism: 1,
            timezone: Some(spec.time_zone.clone()),
            input_parameters: spec.input.clone().map(|p| Value::Object(p).to_string()),
            is_exclusive: spec.exclusive,
            ..ScheduleRequest::default()
        };
        match &spec.timing {
            Timing::Once(at) => {
                req.schedule_type = schedule_type::RUN_ONCE;
                req.start_time = Some(time(at));
            }
            Timing::Every {
                count,
                period,
                first,
            } => {
                req.schedule_type = schedule_type::RUN_EVERY;
                req.run_every_count = Some(*count);
                req.run_every_period = Some(period.code());
                req.start_time = first.as_ref().map(time);
            }
            Timing::Cron(expr) => {
                req.schedule_type = schedule_type::CRON;
                req.cron_expression = Some(expr.clone());
            }
        }
        req
    }

    /// Reads a body whatever the casing of its property names, as ASP.NET does.
    pub fn from_any_case(body: &Value) -> Result<ScheduleRequest, serde_json::Error> {
        let Value::Object(map) = body else {
            return serde_json::from_value(Value::Object(Map::new()));
        };
        let rekeyed = map
            .iter()
            .map(|(k, v)| {
                let key = REQUEST_FIELDS
                    .iter()
                    .find(|name| name.eq_ignore_ascii_case(k))
                    .map_or_else(|| k.clone(), |name| name.to_string());
                (key, v.clone())
            })
            .collect();
        serde_json::from_value(Value::Object(rekeyed))
    }

    /// The timing this body asks for (not yet checked), or what is missing.
    pub fn timing(&self) -> Result<Timing, String> {
        let start = match self.start_time.as_deref() {
            Some(text) => Some(
                Timestamp::parse_lenient(text)
                    .ok_or_else(|| format!("StartTime {text:?} is not an ISO 8601 time"))?
                    .0,
            ),
            None => None,
        };
        Ok(match self.schedule_type {
            schedule_type::RUN_ONCE => {
                Timing::Once(start.ok_or("A RunOnce schedule (ScheduleType 1) needs StartTime")?)
            }
            schedule_type::RUN_EVERY => Timing::Every {
                count: self
                    .run_every_count
                    .ok_or("A RunEvery schedule (ScheduleType 2) needs RunEveryCount")?,
                period: self
                    .run_every_period
                    .and_then(Period::from_code)
                    .ok_or("A RunEvery schedule needs RunEveryPeriod 1 (minute) to 5 (month)")?,
                first: start,
            },
            schedule_type::CRON => Timing::Cron(
                self.cron_expression
                    .clone()
                    .filter(|c| !c.trim().is_empty())
                    .ok_or("A CRON schedule (ScheduleType 3) needs CronExpression")?,
            ),
            other => {
                return Err(format!(
                    "ScheduleType must be 1 (RunOnce), 2 (RunEvery) or 3 (CRON), got {other}"
                ));
            }
        })
    }

    /// The input parameters this body passes to each run, or why they do not read.
    pub fn input(&self) -> Result<Option<Map<String, Value>>, String> {
        match self.input_parameters.as_deref() {
            None | Some("") => Ok(None),
            Some(text) => match serde_json::from_str(text) {
                Ok(Value::Object(map)) => Ok(Some(map)),
                _ => Err(
                    "InputParameters must be JSON text of an object, such as \"{\\\"key\\\":\\\"value\\\"}\"".into(),
                ),
            },
        }
    }

    /// The time zone this body names, UTC when it names none.
    pub fn time_zone_name(&self) -> &str {
        self.timezone
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(DEFAULT_TIME_ZONE)
    }
}

/// A schedule as the API answers (`Schedule`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WireSchedule {
    pub id: i64,
    /// The agent id.
    pub config_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_name: Option<String>,
    pub name: Option<String>,
    /// The cron text (sent as `CronExpression`).
    pub schedule: Option<String>,
    pub timezone: Option<String>,
    #[serde(deserialize_with = "lenient_time")]
    pub next_run_time: Option<Timestamp>,
    #[serde(deserialize_with = "lenient_time")]
    pub start_time: Option<Timestamp>,
    #[serde(deserialize_with = "lenient_i64")]
    pub schedule_type: Option<i64>,
    pub is_enabled: bool,
    #[serde(deserialize_with = "lenient_i64")]
    pub run_every_count: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub run_every_period: Option<i64>,
    pub input_parameters: Option<String>,
    #[serde(deserialize_with = "lenient_i64")]
    pub parallelism: Option<i64>,
    pub is_exclusive: bool,
    pub is_wait_on_failure: bool,
    #[serde(deserialize_with = "lenient_time")]
    pub created: Option<Timestamp>,
    #[serde(deserialize_with = "lenient_time")]
    pub updated: Option<Timestamp>,
}

/// One entry of `GET /analytics/schedules/upcoming`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UpcomingSchedule {
    pub schedule_id: i64,
    pub agent_id: i64,
    pub agent_name: Option<String>,
    pub schedule_name: Option<String>,
    #[serde(deserialize_with = "lenient_time")]
    pub next_run_time: Option<Timestamp>,
    pub timezone: Option<String>,
    pub is_enabled: bool,
    pub schedule: Option<String>,
    #[serde(deserialize_with = "lenient_i64")]
    pub schedule_type: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub run_every_count: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub run_every_period: Option<i64>,
}

/// The timing a schedule's wire fields describe; `None` for a kind this build does not know.
fn wire_timing(
    kind: Option<i64>,
    cron: Option<&str>,
    start: Option<Timestamp>,
    count: Option<i64>,
    period: Option<i64>,
) -> Option<Timing> {
    match kind? {
        schedule_type::RUN_ONCE => Some(Timing::Once(start?.0)),
        schedule_type::RUN_EVERY => Some(Timing::Every {
            count: count?,
            period: Period::from_code(period?)?,
            first: start.map(|t| t.0),
        }),
        schedule_type::CRON => Some(Timing::Cron(cron?.to_string())),
        _ => None,
    }
}

impl WireSchedule {
    /// In neutral terms; `agent` fills in a missing `configId`.
    pub fn to_neutral(&self, agent: i64) -> Schedule {
        Schedule {
            id: Id::Num(self.id),
            agent_id: Id::Num(if self.config_id > 0 {
                self.config_id
            } else {
                agent
            }),
            agent_name: self.config_name.clone(),
            name: self.name.clone().unwrap_or_default(),
            timing: wire_timing(
                self.schedule_type,
                self.schedule.as_deref(),
                self.start_time,
                self.run_every_count,
                self.run_every_period,
            ),
            time_zone: self.timezone.clone(),
            enabled: self.is_enabled,
            next_run: self.next_run_time.map(|t| t.0),
        }
    }
}

impl UpcomingSchedule {
    pub fn to_neutral(&self) -> Schedule {
        Schedule {
            id: Id::Num(self.schedule_id),
            agent_id: Id::Num(self.agent_id),
            agent_name: self.agent_name.clone(),
            name: self.schedule_name.clone().unwrap_or_default(),
            timing: wire_timing(
                self.schedule_type,
                self.schedule.as_deref(),
                None,
                self.run_every_count,
                self.run_every_period,
            ),
            time_zone: self.timezone.clone(),
            enabled: self.is_enabled,
            next_run: self.next_run_time.map(|t| t.0),
        }
    }
}

impl Client {
    pub async fn list_schedules(&self, agent_id: i64) -> Result<Vec<WireSchedule>, ApiError> {
        self.get_json(&format!("/api/v1/agent/{agent_id}/schedules"), &[])
            .await
    }

    /// Creates a schedule. Never repeated: a repeat would create a second one.
    pub async fn create_schedule(
        &self,
        agent_id: i64,
        req: &ScheduleRequest,
    ) -> Result<WireSchedule, ApiError> {
        let body = serde_json::to_value(req).map_err(|e| ApiError::Decode(e.to_string()))?;
        self.send_json(
            Method::POST,
            &format!("/api/v1/agent/{agent_id}/schedules"),
            &body,
            Repeat::Never,
        )
        .await
    }

    /// Replaces a schedule's settings. Safe to repeat: the same body gives the same schedule.
    pub async fn update_schedule(
        &self,
        agent_id: i64,
        schedule_id: i64,
        req: &ScheduleRequest,
    ) -> Result<WireSchedule, ApiError> {
        let body = serde_json::to_value(req).map_err(|e| ApiError::Decode(e.to_string()))?;
        self.send_json(
            Method::PUT,
            &format!("/api/v1/agent/{agent_id}/schedules/{schedule_id}"),
            &body,
            Repeat::Safe,
        )
        .await
    }

    /// Pauses or resumes a schedule. Safe to repeat.
    pub async fn set_schedule_enabled(
        &self,
        agent_id: i64,
        schedule_id: i64,
        enabled: bool,
    ) -> Result<(), ApiError> {
        let action = if enabled { "enable" } else { "disable" };
        self.post_void(
            &format!("/api/v1/agent/{agent_id}/schedules/{schedule_id}/{action}"),
            Repeat::Safe,
        )
        .await
    }

    /// Deletes a schedule. Not repeated: a repeat after a lost answer would report 404.
    pub async fn delete_schedule(&self, agent_id: i64, schedule_id: i64) -> Result<(), ApiError> {
        let timeout = self.inner.options.request_timeout;
        self.send(
            Method::DELETE,
            &format!("/api/v1/agent/{agent_id}/schedules/{schedule_id}"),
            &[],
            None,
            Repeat::Never,
            timeout,
        )
        .await
        .map(drop)
    }

    /// Every agent's next scheduled runs between `from` and `to`.
    pub async fn upcoming_schedules(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<UpcomingSchedule>, ApiError> {
        self.get_json(
            "/api/v1/analytics/schedules/upcoming",
            &[
                ("startDate", Timestamp(from).to_rfc3339()),
                ("endDate", Timestamp(to).to_rfc3339()),
            ],
        )
        .await
    }
}
