//! The address file (`engine.json`, 0600): where the data directory's engine listens, the key
//! it takes, and the identity it answers `/engine/health` with. The engine writes it
//! atomically once it listens and removes it when it stops; a file left by a crash is told
//! apart by its identity not answering.

use std::{
    io,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::private;

/// The address file's name in the data directory.
pub const ADDRESS_FILE: &str = "engine.json";

/// How to reach one engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineAddress {
    /// `http://127.0.0.1:PORT/`.
    pub url: Url,
    /// Sent as `Authorization: ApiKey <key>`; new for every engine.
    pub key: String,
    /// A random id of this engine, repeated by `/engine/health`, so a client never mistakes
    /// whatever now listens on a crashed engine's port for the engine.
    pub instance: String,
    pub pid: u32,
    pub version: String,
    /// The demo shop's listing (`demo::origin`); absent from engines that served it on the
    /// API's own port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo: Option<Url>,
}

impl EngineAddress {
    /// Where this engine's demo shop answers.
    pub fn demo_url(&self) -> Url {
        self.demo
            .clone()
            .unwrap_or_else(|| crate::local::demo::origin::shop_url(&self.url))
    }
}

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(ADDRESS_FILE)
}

impl EngineAddress {
    /// The address file of `data_dir`, if there is a readable one.
    pub fn read(data_dir: &Path) -> Option<EngineAddress> {
        let bytes = std::fs::read(path(data_dir)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn write(&self, data_dir: &Path) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        private::write_atomic(&path(data_dir), &json)
    }

    /// Removes the file if it still describes this engine.
    pub fn remove(&self, data_dir: &Path) {
        if EngineAddress::read(data_dir).is_some_and(|current| current.instance == self.instance)
            && let Err(e) = std::fs::remove_file(path(data_dir))
        {
            tracing::warn!(error = %e, "could not remove the engine address file");
        }
    }
}
