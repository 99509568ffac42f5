//! The engine as a service: one per data directory, started on demand by the first server
//! process that needs it, shared by every later one, gone when idle.
//!
//! * [`lock`]: the advisory lock the engine holds for its whole life.
//! * [`address`]: the 0600 file saying where the engine listens and with which key.
//! * [`control`]: `/engine/health` and `/engine/shutdown`, and idle bookkeeping.
//! * [`attach`]: find the running engine or start one (`sequentum-mcp engine run`, detached).
//! * [`link`]: a server process's loopback link to the engine, which finds or restarts the
//!   engine on every connection failure, so an engine restart between two calls is invisible.

pub mod address;
pub mod attach;
pub mod control;
pub mod link;
pub mod lock;

/// The engine's log file in the data directory (the spawned engine's stderr).
pub const LOG_FILE: &str = "engine.log";
