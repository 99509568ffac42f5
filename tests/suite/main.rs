//! Every integration test in one binary, so the large dependency stack is linked once
//! rather than once per test file. Each module is one former test file; the support modules
//! are shared fakes and fixtures.
//!
//! Modules are named after the area they test: `core_*` the core toolset's tools, `toolset_*`
//! the other toolsets, `engine_*` the embedded engine, `builder_*` the agent builder,
//! `http_*`, `legacy_sse` and `stdio_binary` the transports, `deck` and `api_client` the
//! platforms' clients; `catalog`, `docs`, `doctor`, `layers`, `tool_errors`, `next_steps`, `private_files`,
//! `tasks`, `resources` and `e2e_local` what cuts across them.

mod builder_support;
mod engine_fixture;
mod support;
mod transport_support;

mod api_client;
mod builder_corpus;
mod builder_dev;
mod builder_sampling;
mod builder_sessions;
mod builder_sites;
mod catalog;
mod core_build;
mod core_lists;
mod core_records;
mod core_runs;
mod deck;
mod docs;
mod doctor;
mod e2e_local;
mod engine_api;
mod engine_diagnostics;
mod engine_flaky_sites;
mod engine_live_records;
mod engine_recovery;
mod engine_service;
mod engine_structured;
mod http_limits;
mod http_oauth;
mod http_transport;
mod layers;
mod legacy_sse;
mod next_steps;
mod private_files;
mod resources;
mod stdio_binary;
mod tasks;
mod tool_errors;
mod toolset_agents;
mod toolset_analysis;
mod toolset_editor;
mod toolset_runs;
mod toolset_schedules;
mod toolset_spaces;
mod toolset_usage;
