//! Every integration test in one binary, so the large dependency stack is linked once
//! rather than once per test file. Each module is one former test file; the support modules
//! are shared fakes and fixtures.

mod builder_support;
mod engine_fixture;
mod support;
mod transport_support;

mod agents_tools;
mod api_client;
mod builder_corpus;
mod builder_dev;
mod builder_sessions;
mod builder_sites;
mod deck_tools;
mod docs;
mod doctor;
mod e2e_local;
mod editor;
mod engine_api;
mod engine_flaky_sites;
mod engine_recovery;
mod engine_service;
mod http_limits;
mod http_transport;
mod legacy_sse;
mod resources;
mod runs_tools;
mod schedules;
mod spaces_tools;
mod stdio_binary;
mod tasks;
mod tools_build;
mod tools_catalog;
mod tools_errors;
mod tools_lists;
mod tools_records;
mod tools_runs;
mod usage_tools;
