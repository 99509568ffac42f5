//! Schedule endpoints with the cloud's wire shapes: list, create, read, replace, delete,
//! enable and disable an agent's schedules, and every agent's upcoming runs over a date range.
//! Bodies are read in any casing and checked as the tools check them; the scheduler is told
//! of every change.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::Duration;
use serde_json::Value;

use std::collections::HashMap;

use super::{Answer, AppState, Failure, existing_agent, json_body, parse_id};
use crate::{
    api::{
        schedules::{ScheduleRequest, UpcomingSchedule, WireSchedule},
        types::{Agent, Timestamp},
    },
    local::{
        scheduler::{Plan, next_firing},
        store::StoredSchedule,
    },
    schedule_rules::Timing,
};

/// Firings listed per schedule in an upcoming range, and in all. Each schedule gets its share
/// of the total, so that frequent schedules cannot crowd the others out of the answer.
const UPCOMING_PER_SCHEDULE: usize = 100;
const UPCOMING_MAX: usize = 1000;

fn schedule_not_found(agent_id: i64, id: i64) -> Failure {
    Failure::not_found(
        "schedule-not-found",
        "Schedule not found",
        format!(
            "Agent {agent_id} has no schedule {id}; list the agent's schedules to find the right id."
        ),
    )
}

fn wire(s: &StoredSchedule, agent: &Agent) -> WireSchedule {
    let r = &s.request;
    WireSchedule {
        id: s.id,
        config_id: s.agent_id,
        config_name: agent.name.clone(),
        name: Some(r.name.clone()),
        schedule: r.cron_expression.clone(),
        timezone: r.timezone.clone(),
        next_run_time: s.next_run,
        start_time: r.start_time.as_deref().and_then(Timestamp::parse_lenient),
        schedule_type: Some(r.schedule_type),
        is_enabled: s.enabled,
        run_every_count: r.run_every_count,
        run_every_period: r.run_every_period,
        input_parameters: r.input_parameters.clone(),
        parallelism: Some(r.parallelism),
        is_exclusive: r.is_exclusive,
        is_wait_on_failure: false,
        created: s.created,
        updated: s.updated,
    }
}

/// Reads and checks a create or replace body; returns it normalised (time zone named, the
/// first run of an every-schedule fixed) with its first firing.
fn checked(state: &AppState, body: &Bytes) -> Answer<(ScheduleRequest, Option<Timestamp>)> {
    let value: Value = json_body(body)?;
    let mut request = ScheduleRequest::from_any_case(&value)
        .map_err(|e| Failure::bad_request(format!("The schedule body is not valid: {e}")))?;
    let now = state.scheduler.now();
    let Plan { mut timing, tz } = Plan::checked(&request, now).map_err(Failure::bad_request)?;
    if let Timing::Every {
        count,
        period,
        first: first @ None,
    } = &mut timing
    {
        let from_now = Timing::Every {
            count: *count,
            period: *period,
            first: Some(now),
        };
        *first = from_now.next_after(tz, now);
        request.start_time = first.map(|t| Timestamp(t).to_rfc3339());
    }
    request.timezone = Some(tz.name().to_string());
    request.parallelism = request.parallelism.max(1);
    let next = timing.next_after(tz, now).map(Timestamp);
    Ok((request, next))
}

pub(super) async fn list(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
) -> Answer<Json<Vec<WireSchedule>>> {
    let agent = existing_agent(&state, &agent_id)?;
    let schedules = state.store.schedules(agent.id.unwrap_or_default())?;
    Ok(Json(schedules.iter().map(|s| wire(s, &agent)).collect()))
}

pub(super) async fn create(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
    body: Bytes,
) -> Answer<Json<WireSchedule>> {
    let agent = existing_agent(&state, &agent_id)?;
    let (request, next) = checked(&state, &body)?;
    let next = next.filter(|_| request.is_enabled);
    let saved = state
        .store
        .create_schedule(agent.id.unwrap_or_default(), &request, next)?;
    state.scheduler.changed();
    Ok(Json(wire(&saved, &agent)))
}

/// The agent and schedule id of the path, both checked to exist.
fn existing(state: &AppState, agent_text: &str, id_text: &str) -> Answer<(Agent, StoredSchedule)> {
    let agent = existing_agent(state, agent_text)?;
    let agent_id = agent.id.unwrap_or_default();
    let id = parse_id(id_text, "schedule")?;
    let schedule = state
        .store
        .schedule(agent_id, id)?
        .ok_or_else(|| schedule_not_found(agent_id, id))?;
    Ok((agent, schedule))
}

pub(super) async fn read(
    State(state): State<AppState>,
    Path((agent_id, id)): Path<(String, String)>,
) -> Answer<Json<WireSchedule>> {
    let (agent, schedule) = existing(&state, &agent_id, &id)?;
    Ok(Json(wire(&schedule, &agent)))
}

pub(super) async fn replace(
    State(state): State<AppState>,
    Path((agent_id, id)): Path<(String, String)>,
    body: Bytes,
) -> Answer<Json<WireSchedule>> {
    let (agent, schedule) = existing(&state, &agent_id, &id)?;
    let (request, next) = checked(&state, &body)?;
    let next = next.filter(|_| request.is_enabled);
    let saved = state
        .store
        .replace_schedule(schedule.agent_id, schedule.id, &request, next)?
        .ok_or_else(|| schedule_not_found(schedule.agent_id, schedule.id))?;
    state.scheduler.changed();
    Ok(Json(wire(&saved, &agent)))
}

pub(super) async fn remove(
    State(state): State<AppState>,
    Path((agent_id, id)): Path<(String, String)>,
) -> Answer<Response> {
    let (_, schedule) = existing(&state, &agent_id, &id)?;
    state
        .store
        .delete_schedule(schedule.agent_id, schedule.id)?;
    state.scheduler.changed();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Enabling starts from now: firings missed while paused are not made up.
async fn set_enabled(state: AppState, agent_id: &str, id: &str, enabled: bool) -> Answer<Response> {
    let (_, schedule) = existing(&state, agent_id, id)?;
    let next = enabled
        .then(|| next_firing(&schedule.request, state.scheduler.now()))
        .flatten();
    state
        .store
        .set_schedule_state(schedule.agent_id, schedule.id, enabled, next)?;
    state.scheduler.changed();
    Ok(StatusCode::OK.into_response())
}

pub(super) async fn enable(
    State(state): State<AppState>,
    Path((agent_id, id)): Path<(String, String)>,
) -> Answer<Response> {
    set_enabled(state, &agent_id, &id, true).await
}

pub(super) async fn disable(
    State(state): State<AppState>,
    Path((agent_id, id)): Path<(String, String)>,
) -> Answer<Response> {
    set_enabled(state, &agent_id, &id, false).await
}

/// Every firing of every enabled schedule in `[startDate, endDate]` (default: the next 7
/// days), earliest first.
pub(super) async fn upcoming(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Answer<Json<Vec<UpcomingSchedule>>> {
    let date = |key: &str| -> Answer<Option<Timestamp>> {
        params
            .get(key)
            .map(|text| {
                Timestamp::parse_bound(text, key == "endDate").ok_or_else(|| {
                    Failure::bad_request(format!(
                        "{key} {text:?} is not a date; send YYYY-MM-DD or an ISO 8601 time such as 2026-12-07T00:00:00Z"
                    ))
                })
            })
            .transpose()
    };
    let from = date("startDate")?.map_or_else(|| state.scheduler.now(), |t| t.0);
    let to = date("endDate")?.map_or(from + Duration::days(7), |t| t.0);
    let mut out = Vec::new();
    let schedules = state.store.enabled_schedules()?;
    let share = (UPCOMING_MAX / schedules.len().max(1)).clamp(1, UPCOMING_PER_SCHEDULE);
    for schedule in schedules {
        let Some(plan) = Plan::stored(&schedule.request) else {
            continue;
        };
        let agent = state.store.agent(schedule.agent_id)?;
        for at in plan.timing.between(plan.tz, from, to, share) {
            let r = &schedule.request;
            out.push(UpcomingSchedule {
                schedule_id: schedule.id,
                agent_id: schedule.agent_id,
                agent_name: agent.as_ref().and_then(|a| a.name.clone()),
                schedule_name: Some(r.name.clone()),
                next_run_time: Some(Timestamp(at)),
                timezone: r.timezone.clone(),
                is_enabled: true,
                schedule: r.cron_expression.clone(),
                schedule_type: Some(r.schedule_type),
                run_every_count: r.run_every_count,
                run_every_period: r.run_every_period,
            });
        }
    }
    out.sort_by_key(|u| u.next_run_time);
    out.truncate(UPCOMING_MAX);
    Ok(Json(out))
}
