//! Toolset `schedules`: run agents by themselves, once, every N periods or on a cron.

mod delete_schedule;
mod list_schedules;
mod schedule_agent;
mod set_schedule_enabled;
