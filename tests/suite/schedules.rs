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
    assert!(err.contains("every must be between 1"), "{err}");
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
