//! Why a run went wrong, in neutral terms: what the platform says about the run, the pages it
//! saw (where the platform records them), and causes and actions written for a person.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Id;

/// One page as the runner saw it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PageTrace {
    pub url: String,
    /// HTTP status, when the site answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<u16>,
    /// Fetch time in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<u64>,
    pub records: u64,
    /// What went wrong on the page, in words; absent when nothing did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A run's diagnosis.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub agent_id: Id,
    pub run_id: Id,
    /// The platform's name for the run's status.
    pub status: String,
    pub message: Option<String>,
    pub runtime_seconds: Option<i64>,
    pub records: i64,
    pub pages: i64,
    pub errors: i64,
    pub causes: Vec<String>,
    pub actions: Vec<String>,
    /// Pages the runner saw (first pages and problem pages), where the platform keeps them.
    pub page_log: Vec<PageTrace>,
}
