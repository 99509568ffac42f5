//! sequentum-mcp: an MCP server that builds, runs, follows, stops and reads Sequentum web-data
//! agents, on Sequentum cloud or on an embedded engine that speaks the same REST API.
//!
//! Data takes one path: transport -> `mcp` (toolsets, one file per tool) -> `jobs` (the
//! platform-neutral run and build model) -> a `jobs::Platform` (`api::platform::Sequentum`
//! over `api::Client`) -> HTTP -> Sequentum cloud or `local` (the embedded engine). Tools never
//! build URLs; the clients never know MCP exists.

pub mod api;
pub mod app;
pub mod caller;
pub mod cli;
pub mod config;
pub mod deck;
pub mod id;
pub mod jobs;
pub mod listener;
pub mod local;
pub mod mcp;
pub mod private;
pub mod quote;
pub mod random;
pub mod records;
pub mod schedule_rules;
pub mod serde_words;
pub mod transport;

/// mimalloc instead of the system allocator, for every binary built on this crate (the server,
/// its tests and benches). The embedded engine parses each page into a DOM of many small nodes,
/// strings and attribute vectors and frees them again; glibc's malloc and free (with its
/// chunk consolidation) took about 13 % of the engine's CPU per page, mimalloc's thread-local
/// free lists a fraction of that. It is built without transparent huge pages (`no_thp`):
/// with them its arenas were backed by 2 MiB pages, and the engine bench's peak resident
/// memory doubled (38 instead of 21 MiB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
