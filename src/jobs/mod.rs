//! Platform-neutral run and build handling, shared by every tool.
//!
//! Tools parse their input, call `Jobs` (or the platform directly for plain reads) and shape
//! the output. Everything two tools need lives here: the neutral run and build model, bounded
//! waits, starting with duplicate protection, stopping, restarting, previews and the records
//! source that fetch_records and save_records page through.

mod agents;
pub mod analysis;
mod builds;
pub mod catalog;
pub mod definitions;
pub mod files;
mod guide;
pub mod model;
pub mod model_choice;
pub mod number;
pub mod records;
mod runs;
pub mod save;
pub mod upcoming;
pub mod views;
pub mod wait;

use std::{sync::Arc, time::Duration};

pub use catalog::{Tool, Toolset};
pub use guide::Guide;
// The model's modules and types under their jobs names, which is how the tools name them;
// the platforms name them through `model`.
pub use model::platform::{FieldCandidate, MissingField};
pub use model::{
    Build, BuildState, Code, ID_SCHEMA_MARKER, Id, Need, Platform, Run, RunState, ToolFailure,
    agent_details, diagnostics, failure, interactions, platform, schedules, spaces, summary, usage,
};
pub use runs::Started;

use crate::records::cache::FileCache;

/// Runs scanned for an active one: by duplicate-start protection and by `active_only` lists.
/// Active runs may be older than the newest few finished ones, so this looks well back.
pub const ACTIVE_SCAN: u32 = 100;

/// The jobs layer: one platform and what the long tools need around it.
#[derive(Clone)]
pub struct Jobs {
    pub platform: Arc<dyn Platform>,
    /// How often a waiting tool asks the platform for news.
    pub poll_interval: Duration,
    /// Downloaded record files of finished runs.
    pub cache: FileCache,
}

impl Jobs {
    pub fn new(platform: Arc<dyn Platform>, poll_interval: Duration, cache: FileCache) -> Self {
        Jobs {
            platform,
            poll_interval,
            cache,
        }
    }

    /// Checks an id the model passed (see `Platform::check_id`).
    pub fn id(&self, field: &str, id: &Id) -> Result<Id, ToolFailure> {
        self.platform.check_id(field, id)
    }
}
