//! sequentum-mcp: an MCP server that builds, runs, follows, stops and reads Sequentum web-data
//! agents, on Sequentum cloud or on an embedded engine that speaks the same REST API.
//!
//! Data takes one path: transport -> `mcp` (one file per tool) -> `api::Client` -> HTTP ->
//! Sequentum cloud or `local` (the embedded engine). Tools never build URLs; the client never
//! knows MCP exists.

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod local;
pub mod mcp;
pub mod random;
pub mod records;
pub mod transport;
