//! `list_run_files`: a run's files (records, log, page snapshots) with sizes and download
//! links the caller can use.

use rmcp::{Json, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{
        Id, ToolFailure,
        files::{MAX_LINKS, file_kind},
    },
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRunFilesInput {
    /// Agent.
    pub agent_id: Id,
    /// The run.
    pub run_id: Id,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub struct FileItem {
    pub name: String,
    /// records, log, page or other.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListRunFilesOutput {
    pub files: Vec<FileItem>,
    pub next_step: String,
}

#[tool_router(router = list_run_files_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// A run's files (records, log, page snapshots) with sizes and download links.
    #[tool(
        title = "Run files",
        input_schema = args::schema::<ListRunFilesInput>()
    )]
    async fn list_run_files(
        &self,
        Args(input): Args<ListRunFilesInput>,
    ) -> Result<Json<ListRunFilesOutput>, ToolFailure> {
        let input = input?;
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let run_id = self.jobs.id("run_id", &input.run_id)?;
        let platform = &self.jobs.platform;
        let found = platform.run_files(&agent_id, &run_id).await?;
        let mut files = Vec::with_capacity(found.len());
        for (i, file) in found.iter().enumerate() {
            // A link that cannot be had leaves the file listed without one.
            let url = match i < MAX_LINKS {
                true => platform.file_url(&agent_id, &run_id, file).await.ok(),
                false => None,
            };
            files.push(FileItem {
                name: file.name.clone(),
                kind: file_kind(file).to_string(),
                bytes: file.size,
                url: url
                    .filter(|u| self.caller_can_reach(u))
                    .map(|u| u.to_string()),
            });
        }
        let next_step = if files.is_empty() {
            "The run has no files yet; a run lists its files as it goes.".to_string()
        } else {
            "Links expire within minutes: fetch them at once, or call list_run_files again for fresh ones.".to_string()
        };
        Ok(Json(ListRunFilesOutput { files, next_step }))
    }
}
