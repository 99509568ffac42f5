//! The platform-neutral model: the data every platform's answers are turned into, the
//! `Platform` trait each platform implements in those terms, and the failure it reports.
//!
//! The platforms (`api`, `deck`) import this module and nothing else of `jobs` (tests/suite/
//! layers.rs holds them to it), and nothing here imports the jobs logic above it (the waits,
//! the views, `Jobs`), so the model can be read, and a platform written, on its own.

pub mod agent_details;
pub mod diagnostics;
pub mod failure;
pub mod interactions;
pub mod platform;
pub mod schedules;
pub mod spaces;
pub mod state;
pub mod summary;
pub mod usage;

pub use crate::id::{ID_SCHEMA_MARKER, Id};
pub use failure::{Code, ToolFailure};
pub use platform::{Need, Platform};
pub use state::{Build, BuildState, Run, RunState};
