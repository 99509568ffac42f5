//! The schedules toolset through a real MCP client: against the fake cloud (wire shapes,
//! checks before sending) and against the embedded engine, whose scheduler fires in injected
//! time.

use crate::support::{
    Route,
    mcp_client::{Harness, failure, success},
    schedules::FAKE_NEXT_RUN,
};
use chrono::{Duration, Utc};
use serde_json::json;

#[tokio::test]
async fn schedule_tools_send_the_cloud_its_wire_shapes() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let base = format!("/api/v1/agent/{agent}/schedules");

    let cron = success(
        h.call(
            "schedule_agent",
            json!({"agent_id": agent, "cron": "0 7 * * 1-5", "time_zone": "Europe/Berlin",
                   "name": "Weekdays 7am", "input": {"q": "shoes"}}),
        )
        .await,
    );
    let cron_id = cron["schedule_id"].as_i64().unwrap();
    assert_eq!(cron["next_run_at"], "2026-12-01T07:00:00+00:00", "{cron}");
    let sent = h.fake.calls(&Route::post(&base))[0].json();
    assert_eq!(sent["CronExpression"], "0 7 * * 1-5");
    assert_eq!(sent["ScheduleType"], 3);
    assert_eq!(sent["Timezone"], "Europe/Berlin");
    assert_eq!(sent["Name"], "Weekdays 7am");
    assert_eq!(sent["InputParameters"], r#"{"q":"shoes"}"#);
    assert_eq!(sent["IsExclusive"], true);

    let every = success(
        h.call(
            "schedule_agent",
            json!({"agent_id": agent, "every": "2 hours", "exclusive": false}),
        )
        .await,
    );
    let every_id = every["schedule_id"].as_i64().unwrap();
    let sent = h.fake.calls(&Route::post(&base))[1].json();
    assert_eq!(
        (&sent["RunEveryCount"], &sent["RunEveryPeriod"]),
        (&json!(2), &json!(2))
    );
    assert_eq!(sent["Name"], "every 2 hours");
    assert!(sent.get("StartTime").is_none(), "{sent}");

    // The cron comes back as `schedule` and is shown as the model sent it.
    let listed = success(h.call("list_schedules", json!({"agent_id": agent})).await);
    let schedules = listed["schedules"].as_array().unwrap();
    assert_eq!(schedules.len(), 2);
    assert_eq!(schedules[0]["timing"], "cron 0 7 * * 1-5 (Europe/Berlin)");
    assert_eq!(schedules[0]["name"], "Weekdays 7am");
    assert_eq!(schedules[1]["timing"], "every 2 hours (UTC)");

    // Replacing sends a PUT; a once-schedule carries its time in UTC.
    let at = (Utc::now() + Duration::hours(3))
        .format("%Y-%m-%dT%H:%M:00Z")
        .to_string();
    success(
        h.call(
            "schedule_agent",
            json!({"agent_id": agent, "schedule_id": every_id, "at": at}),
        )
        .await,
    );
    let put = h.fake.calls(&Route::new(
        reqwest::Method::PUT,
        &format!("{base}/{every_id}"),
    ));
    assert_eq!(put[0].json()["ScheduleType"], 1);
    assert!(
        put[0].json()["StartTime"]
            .as_str()
            .unwrap()
            .starts_with(&at[..16])
    );

    let paused = success(
        h.call(
            "set_schedule_enabled",
            json!({"agent_id": agent, "schedule_id": cron_id, "enabled": false}),
        )
        .await,
    );
    assert_eq!(paused["enabled"], false);
    assert_eq!(
        h.fake
            .count(&Route::post(&format!("{base}/{cron_id}/disable"))),
        1
    );
    let upcoming = success(
        h.call(
            "list_schedules",
            json!({"from": "2026-11-30T00:00:00Z", "to": "2026-12-07T00:00:00Z"}),
        )
        .await,
    );
    let upcoming = upcoming["schedules"].as_array().unwrap();
    assert_eq!(upcoming.len(), 1, "the paused schedule is not upcoming");
    assert_eq!(upcoming[0]["schedule_id"], every_id);
    assert_eq!(upcoming[0]["agent_name"], "Shop");
    let query = h
        .fake
        .calls(&Route::get("/api/v1/analytics/schedules/upcoming"))[0]
        .query
        .clone()
        .unwrap();
    assert!(query.contains("startDate=2026-11-30") && query.contains("endDate=2026-12-07"));

    success(
        h.call(
            "delete_schedule",
            json!({"agent_id": agent, "schedule_id": cron_id}),
        )
        .await,
    );
    let left = success(h.call("list_schedules", json!({"agent_id": agent})).await);
    assert_eq!(left["schedules"].as_array().unwrap().len(), 1);
    assert!(FAKE_NEXT_RUN.starts_with("2026-12-01"));
}

#[tokio::test]
async fn bad_schedules_are_refused_before_anything_is_sent() {
    let h = Harness::start().await;
    let agent = h.fake.add_agent("Shop");
    let refused = |args: serde_json::Value| {
        let h = &h;
        async move { failure(h.call("schedule_agent", args).await) }
    };
    let err = refused(json!({"agent_id": agent, "cron": "0 7 * *"})).await;
    assert!(
        err.starts_with("invalid_argument: cron") && err.contains("0 7 * * 1-5"),
        "{err}"
    );
    let err = refused(json!({"agent_id": agent, "cron": "0 25 * * *"})).await;
    assert!(err.starts_with("invalid_argument: cron"), "{err}");
    let err = refused(json!({"agent_id": agent, "cron": "0 7 * * *", "time_zone": "Berlin"})).await;
    assert!(
        err.contains("not an IANA time zone") && err.contains("Europe/Berlin"),
        "{err}"
    );
    let past = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let err = refused(json!({"agent_id": agent, "at": past})).await;
    assert!(
        err.contains("in the past") && err.contains("Send a later time"),
        "{err}"
    );
    let soon = (Utc::now() + Duration::seconds(20)).to_rfc3339();
    let err = refused(json!({"agent_id": agent, "at": soon})).await;
    assert!(err.contains("less than a minute ahead"), "{err}");
    let err = refused(json!({"agent_id": agent, "every": "3 fortnights"})).await;
    assert!(
        err.contains("\"2 hours\"") || err.contains("\"1 day\""),
        "{err}"
    );
    let err = refused(json!({"agent_id": agent, "every": "0 days"})).await;
    assert!(
        err.contains("every is 0, outside its range of 1 to"),
        "{err}"
    );
    let err =
        refused(json!({"agent_id": agent, "cron": "0 7 * * *", "at": "2030-01-01T07:00"})).await;
    assert!(err.contains("cron alone"), "{err}");
    let err = refused(json!({"agent_id": agent, "at": "next tuesday"})).await;
    assert!(err.contains("is not a date and time"), "{err}");
    let err = failure(
        h.call(
            "list_schedules",
            json!({"from": "2026-12-07T00:00:00Z", "to": "2026-12-01T00:00:00Z"}),
        )
        .await,
    );
    assert!(err.contains("Send a to after from"), "{err}");
    assert_eq!(h.fake.count(&Route::any()), 0, "nothing reached the API");

    let err = refused(json!({"agent_id": 777, "cron": "0 7 * * *"})).await;
    assert!(err.starts_with("not_found:"), "{err}");
    let err = failure(
        h.call(
            "set_schedule_enabled",
            json!({"agent_id": agent, "schedule_id": 4242, "enabled": true}),
        )
        .await,
    );
    assert!(
        err.starts_with("not_found:") && err.contains("Schedule 4242"),
        "{err}"
    );
    assert!(err.contains("list_schedules shows"), "{err}");
    let err = failure(
        h.call(
            "delete_schedule",
            json!({"agent_id": agent, "schedule_id": 4242}),
        )
        .await,
    );
    assert!(err.starts_with("not_found:"), "{err}");
}

mod engine {
    //! The engine's scheduler in injected time: the test moves a `ManualClock` and each move
    //! returns once the scheduler has started every run due by then.

    use std::sync::Arc;

    use chrono::{DateTime, Utc};
    use sequentum_mcp::{
        api::types::{AgentRun, RunStatus},
        local::{Engine, scheduler::ManualClock},
        mcp::toolsets::Selection,
    };
    use serde_json::{Value, json};

    use crate::engine_fixture::{
        call_tool, client_for, create_agent, definition, get_json, mcp_on, options, raw, site,
    };

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    async fn engine_at(dir: &std::path::Path, clock: &Arc<ManualClock>) -> Engine {
        let mut opts = options(dir, 2);
        opts.clock = clock.clone();
        Engine::start(opts).await.unwrap()
    }

    async fn scheduled_runs(engine: &Engine, agent: i64) -> Vec<AgentRun> {
        let client = client_for(engine, engine.api_key());
        let mut runs = client.list_runs(agent, 100).await.unwrap();
        runs.reverse();
        runs
    }

    fn ok(result: rmcp::model::CallToolResult) -> Value {
        assert_ne!(result.is_error, Some(true), "{result:?}");
        result.structured_content.expect("structured output")
    }

    #[tokio::test]
    async fn every_minute_fires_once_a_minute_and_missed_minutes_once() {
        let dir = tempfile::tempdir().unwrap();
        let t0 = utc("2027-03-01T00:00:00Z");
        let clock = ManualClock::new(t0);
        let engine = engine_at(dir.path(), &clock).await;
        let site = site().await;
        let products = site.base.join("products").unwrap();
        let agent = create_agent(&engine, "Minutely", definition(&products, 1, None)).await;
        let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
        assert!(engine.idle_for().is_some(), "no schedule yet");

        let saved = ok(call_tool(
            &mcp,
            "schedule_agent",
            json!({"agent_id": agent, "every": "1 minute", "exclusive": false}),
        )
        .await);
        let schedule = saved["schedule_id"].as_i64().unwrap();
        assert_eq!(saved["next_run_at"], "2027-03-01T00:01:00+00:00", "{saved}");
        assert!(
            engine.idle_for().is_none(),
            "an enabled schedule keeps the engine up"
        );

        for minute in 1..=3 {
            clock
                .advance_to(t0 + chrono::Duration::minutes(minute))
                .await;
        }
        let runs = scheduled_runs(&engine, agent).await;
        assert_eq!(runs.len(), 3);
        assert!(runs.iter().all(|r| r.schedule_id == Some(schedule)));
        let wire = get_json(
            &engine,
            &format!("api/v1/agent/{agent}/run/{}/status", runs[0].id),
        )
        .await;
        assert_eq!(wire["scheduleId"], schedule);

        // Ten minutes at once: the missed firings run once, not ten times.
        clock.advance_to(t0 + chrono::Duration::minutes(13)).await;
        assert_eq!(scheduled_runs(&engine, agent).await.len(), 4);
        let listed = ok(call_tool(&mcp, "list_schedules", json!({"agent_id": agent})).await);
        assert_eq!(
            listed["schedules"][0]["next_run_at"],
            "2027-03-01T00:14:00+00:00"
        );
        assert_eq!(listed["schedules"][0]["timing"], "every minute (UTC)");

        ok(call_tool(
            &mcp,
            "set_schedule_enabled",
            json!({"agent_id": agent, "schedule_id": schedule, "enabled": false}),
        )
        .await);
        clock.advance_to(t0 + chrono::Duration::minutes(20)).await;
        assert_eq!(scheduled_runs(&engine, agent).await.len(), 4, "paused");
        assert!(
            engine.idle_for().is_some(),
            "a paused schedule lets the engine rest"
        );

        ok(call_tool(
            &mcp,
            "delete_schedule",
            json!({"agent_id": agent, "schedule_id": schedule}),
        )
        .await);
        let listed = ok(call_tool(&mcp, "list_schedules", json!({"agent_id": agent})).await);
        assert_eq!(listed["schedules"], json!([]));
        let gone = call_tool(
            &mcp,
            "delete_schedule",
            json!({"agent_id": agent, "schedule_id": schedule}),
        )
        .await;
        assert_eq!(gone.is_error, Some(true));
        assert!(format!("{gone:?}").contains("not_found"), "{gone:?}");
    }

    #[tokio::test]
    async fn upcoming_runs_are_one_time_line_with_frequent_schedules_summarised_and_one_offs_done()
    {
        let dir = tempfile::tempdir().unwrap();
        let t0 = utc("2027-01-04T12:00:00Z");
        let clock = ManualClock::new(t0);
        let engine = engine_at(dir.path(), &clock).await;
        let site = site().await;
        let products = site.base.join("products").unwrap();
        let def = || definition(&products, 1, None);
        let ticker = create_agent(&engine, "Ticker", def()).await;
        let morning = create_agent(&engine, "Morning", def()).await;
        let once = create_agent(&engine, "Once", def()).await;
        let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
        for args in [
            json!({"agent_id": ticker, "every": "5 minutes", "exclusive": false}),
            json!({"agent_id": morning, "cron": "0 7 * * *", "time_zone": "Europe/Berlin"}),
            json!({"agent_id": once, "at": "2027-01-04T12:02:00Z"}),
        ] {
            ok(call_tool(&mcp, "schedule_agent", args).await);
        }

        // The default range is the whole week: the every-5-minutes schedule is one summary
        // line counted over all of it, and the rest is one time line across schedules.
        let week = ok(call_tool(
            &mcp,
            "list_schedules",
            json!({"from": "2027-01-04T12:00:00Z"}),
        )
        .await);
        let rows = week["schedules"].as_array().unwrap();
        let times: Vec<&str> = rows
            .iter()
            .map(|r| r["next_run_at"].as_str().unwrap())
            .collect();
        assert_eq!(
            rows.len(),
            9,
            "the one-off, the ticker once, seven mornings: {times:?}"
        );
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert_eq!(rows[0]["agent_id"], once);
        assert_eq!(rows[1]["agent_id"], ticker);
        let summary = rows[1]["timing"].as_str().unwrap();
        assert!(
            summary.contains("every 5 minutes (UTC): about 288 runs a day, 2016 in the range"),
            "{summary}"
        );
        assert!(
            summary.ends_with("the last at 2027-01-11T12:00:00+00:00"),
            "the whole week is covered: {summary}"
        );
        assert_eq!(
            rows[2]["next_run_local"], "2027-01-05T07:00:00+01:00",
            "{}",
            rows[2]
        );
        assert_eq!(
            times[8], "2027-01-11T06:00:00+00:00",
            "the seventh morning is listed"
        );
        assert_eq!(week.get("truncated"), None, "{week}");
        assert!(
            week["next_step"].as_str().unwrap().contains("frequent"),
            "{week}"
        );

        // A date alone: from its midnight, and as the end through its last minute.
        let day = ok(call_tool(
            &mcp,
            "list_schedules",
            json!({"from": "2027-01-05", "to": "2027-01-05"}),
        )
        .await);
        let day = day["schedules"].as_array().unwrap();
        assert_eq!(day.len(), 2, "{day:?}");
        let summary = day[0]["timing"].as_str().unwrap();
        assert!(
            summary.contains("288 in the range, the last at 2027-01-05T23:55:00+00:00"),
            "{summary}"
        );
        let wire = get_json(
            &engine,
            "api/v1/analytics/schedules/upcoming?startDate=2027-01-05&endDate=2027-01-05",
        )
        .await;
        let wire = wire.as_array().unwrap();
        assert!(
            wire.iter()
                .any(|u| u["nextRunTime"] == "2027-01-05T06:00:00.000Z"),
            "the engine reads a date-only range too: {wire:?}"
        );
        let evening = get_json(
            &engine,
            "api/v1/analytics/schedules/upcoming?startDate=2027-01-05T20:00:00Z&endDate=2027-01-05",
        )
        .await;
        let evening = evening.as_array().unwrap();
        assert_eq!(
            evening.last().unwrap()["nextRunTime"],
            "2027-01-05T23:55:00.000Z",
            "a date-only end covers its whole day"
        );

        // The one-off fires, and is shown as done rather than enabled with no next run.
        clock.advance_to(utc("2027-01-04T12:02:00Z")).await;
        assert_eq!(scheduled_runs(&engine, once).await.len(), 1);
        let listed = ok(call_tool(&mcp, "list_schedules", json!({"agent_id": once})).await);
        let fired = &listed["schedules"][0];
        assert!(
            fired["timing"].as_str().unwrap().ends_with("; done"),
            "{listed}"
        );
        assert_eq!(fired["enabled"], false, "{listed}");
        assert_eq!(fired.get("next_run_at"), None, "{listed}");

        // Many frequent schedules do not crowd the others out of the engine's answer.
        for n in 0..10 {
            let busy = create_agent(&engine, &format!("Busy {n}"), def()).await;
            let every = json!({"agent_id": busy, "every": "1 minute", "exclusive": false});
            ok(call_tool(&mcp, "schedule_agent", every).await);
        }
        let crowded = get_json(
            &engine,
            "api/v1/analytics/schedules/upcoming?startDate=2027-01-04T12:03:00Z&endDate=2027-01-11T12:00:00Z",
        )
        .await;
        let crowded = crowded.as_array().unwrap();
        assert!(crowded.len() <= 1000, "{}", crowded.len());
        assert!(
            crowded
                .iter()
                .any(|u| u["nextRunTime"] == "2027-01-11T06:00:00.000Z"),
            "the seventh morning is still listed"
        );
        let week = ok(call_tool(
            &mcp,
            "list_schedules",
            json!({"from": "2027-01-04T12:03:00Z"}),
        )
        .await);
        let rows = week["schedules"].as_array().unwrap();
        assert_eq!(rows.len(), 18, "11 summaries and seven mornings");

        drop(mcp);
        engine.shutdown().await;
    }

    #[tokio::test]
    async fn cron_follows_daylight_saving_and_a_restart_runs_missed_firings_once() {
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(utc("2027-03-26T12:00:00Z"));
        let engine = engine_at(dir.path(), &clock).await;
        let site = site().await;
        let products = site.base.join("products").unwrap();
        let agent = create_agent(&engine, "Morning", definition(&products, 1, None)).await;
        let (http, auth) = raw(&engine);
        let schedules = engine
            .base_url()
            .join(&format!("api/v1/agent/{agent}/schedules"))
            .unwrap();
        // Any Sequentum client's body: PascalCase, cron sent as CronExpression.
        let created: Value = http
            .post(schedules)
            .header("Authorization", &auth)
            .json(
                &json!({"Name": "7am Berlin", "ScheduleType": 3, "CronExpression": "0 7 * * *",
                          "Timezone": "Europe/Berlin", "IsEnabled": true, "IsExclusive": true}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            created["schedule"], "0 7 * * *",
            "cron comes back as `schedule`"
        );
        assert_eq!(created["nextRunTime"], "2027-03-27T06:00:00.000Z");

        let upcoming = get_json(
            &engine,
            "api/v1/analytics/schedules/upcoming?startDate=2027-03-27T00:00:00Z&endDate=2027-03-29T00:00:00Z",
        )
        .await;
        let times: Vec<&str> = upcoming
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["nextRunTime"].as_str().unwrap())
            .collect();
        assert_eq!(
            times,
            ["2027-03-27T06:00:00.000Z", "2027-03-28T05:00:00.000Z"]
        );
        let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
        let listed = ok(call_tool(
            &mcp,
            "list_schedules",
            json!({"from": "2027-03-27T00:00:00Z", "to": "2027-03-29T00:00:00Z"}),
        )
        .await);
        assert_eq!(listed["schedules"].as_array().unwrap().len(), 2);
        assert_eq!(listed["schedules"][1]["agent_name"], "Morning");

        clock.advance_to(utc("2027-03-27T06:00:00Z")).await;
        assert_eq!(scheduled_runs(&engine, agent).await.len(), 1);
        clock.advance_to(utc("2027-03-28T04:59:00Z")).await;
        assert_eq!(
            scheduled_runs(&engine, agent).await.len(),
            1,
            "06:00Z is 08:00 CEST"
        );
        clock.advance_to(utc("2027-03-28T05:00:00Z")).await;
        assert_eq!(scheduled_runs(&engine, agent).await.len(), 2, "07:00 CEST");
        drop(mcp);
        engine.shutdown().await;

        // Down for three mornings: one run at start.
        let later = ManualClock::new(utc("2027-03-31T12:00:00Z"));
        let engine = engine_at(dir.path(), &later).await;
        later.advance_to(utc("2027-03-31T12:00:00Z")).await;
        assert_eq!(scheduled_runs(&engine, agent).await.len(), 3);
        later.advance_to(utc("2027-03-31T13:00:00Z")).await;
        assert_eq!(scheduled_runs(&engine, agent).await.len(), 3);

        // The engine checks bodies as the tools do.
        let (http, auth) = raw(&engine);
        let refused = http
            .post(
                engine
                    .base_url()
                    .join(&format!("api/v1/agent/{agent}/schedules"))
                    .unwrap(),
            )
            .header("Authorization", &auth)
            .json(&json!({"Name": "late", "ScheduleType": 1, "StartTime": "2027-03-31T11:00:00Z"}))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400);
        let text = refused.text().await.unwrap();
        assert!(text.contains("in the past"), "{text}");
    }

    #[tokio::test]
    async fn an_exclusive_schedule_skips_while_its_run_is_active() {
        let dir = tempfile::tempdir().unwrap();
        let t0 = utc("2027-05-01T00:00:00Z");
        let clock = ManualClock::new(t0);
        let engine = engine_at(dir.path(), &clock).await;
        let site = site().await;
        let slow = site.base.join("slow").unwrap();
        let agent = create_agent(&engine, "Slow", definition(&slow, 1, None)).await;
        let mcp = mcp_on(&engine, dir.path(), &Selection::all()).await;
        ok(call_tool(
            &mcp,
            "schedule_agent",
            json!({"agent_id": agent, "every": "1 minute"}),
        )
        .await);

        clock.advance_to(t0 + chrono::Duration::minutes(1)).await;
        clock.advance_to(t0 + chrono::Duration::minutes(2)).await;
        let runs = scheduled_runs(&engine, agent).await;
        assert_eq!(runs.len(), 2);
        assert!(runs[0].status().is_active(), "{:?}", runs[0]);
        assert_eq!(runs[1].status(), RunStatus::SKIPPED);
        assert!(runs[1].message.as_deref().unwrap().contains("still active"));
        site.gate.add_permits(10);
    }
}
