//! Shared test support: a scriptable fake of the Sequentum cloud API, and a test OAuth
//! authorization server.
//!
//! The benchmarks compile this module too (`#[path]`) and use only part of it, so items unused
//! there are expected; `dead_code` is allowed here for that reason only.
#![allow(dead_code, unused_imports)]

pub mod auth_server;
pub mod deck_fake;
pub mod fake_api;
pub mod faults;
pub mod mcp_client;
pub mod records;
mod routes;
pub mod run_admin;
pub mod schedules;
pub mod scripts;
mod toolset_routes;

pub use fake_api::FakeApi;
pub use faults::{Call, Fault, Route};
pub use records::{FakeFile, rows};
pub use scripts::{BuilderScript, RunScript, Step};
