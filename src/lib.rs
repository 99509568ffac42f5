//! sequentum-mcp: an MCP server that builds, runs, follows, stops and reads Sequentum web-data
//! agents, on Sequentum cloud or on an embedded engine that speaks the same REST API.
//!
//! Data takes one path: transport -> `mcp` (toolsets, one file per tool) -> `jobs` (the
//! platform-neutral run and build model) -> a `jobs::Platform` (`api::platform::Sequentum`
//! over `api::Client`) -> HTTP -> Sequentum cloud or `local` (the embedded engine). Tools never
//! build URLs; the clients never know MCP exists.

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod deck;
pub mod jobs;
pub mod local;
pub mod mcp;
pub mod random;
pub mod records;
pub mod transport;
