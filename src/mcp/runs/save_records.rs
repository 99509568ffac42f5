//! `save_records`: write a run's whole dataset to a file in the output directory (stdio only:
//! over HTTP the caller is remote and must not write files on this machine).

use rmcp::{Json, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Id, ToolFailure, save::save_dataset, views::run_args},
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveRecordsInput {
    /// Agent of the run.
    pub agent_id: Id,
    /// Run to save (default: the agent's latest run that has records).
    #[serde(default)]
    pub run_id: Option<Id>,
    /// File name relative to the output directory; .csv, .json or .jsonl chooses the format.
    pub save_to: String,
    /// Only these fields, in this order.
    #[serde(default)]
    pub fields: Option<Vec<String>>,
    /// Table to save when the export has several.
    #[serde(default)]
    pub table: Option<String>,
    /// Replace the file if it exists (default false: refuse).
    #[serde(default)]
    pub overwrite: bool,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SaveRecordsOutput {
    pub agent_id: Id,
    pub run_id: Id,
    /// Where the file was written.
    pub saved_to: String,
    pub records: u64,
    pub bytes: u64,
    pub next_step: String,
}

#[tool_router(router = save_records_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Save a run's whole dataset to a file (CSV, JSON or JSON lines by extension) in the
    /// server's output directory, streaming every record. Never overwrites unless overwrite
    /// is true.
    #[tool(
        title = "Save records to a file",
        input_schema = args::schema::<SaveRecordsInput>()
    )]
    async fn save_records(
        &self,
        Args(input): Args<SaveRecordsInput>,
    ) -> Result<Json<SaveRecordsOutput>, ToolFailure> {
        let input = input?;
        let Some(dir) = self.settings.output_dir.clone() else {
            return Err(ToolFailure::invalid(
                "save_records is not available on this server (it only works over stdio)",
                "Page through the records with fetch_records instead",
            ));
        };
        let agent_id = self.jobs.id("agent_id", &input.agent_id)?;
        let run_id = match &input.run_id {
            Some(run_id) => self.jobs.id("run_id", run_id)?,
            None => self.jobs.latest_run_with_records(&agent_id).await?,
        };
        let opened = self
            .jobs
            .open_records(&agent_id, &run_id, None, false)
            .await?;
        let fields = input.fields.filter(|f| !f.is_empty());
        let saved = save_dataset(
            &opened,
            &dir,
            &input.save_to,
            input.overwrite,
            input.table.as_deref(),
            fields.as_deref(),
        )
        .await?;
        let path = saved.path.display().to_string();
        let next_step = if opened.run.is_terminal() {
            format!("Tell the user the dataset is in {path}.")
        } else {
            format!(
                "The run is still {}: the file holds the records so far. Save again when get_run_status ({}) says it finished.",
                opened.run.status,
                run_args(&agent_id, &run_id)
            )
        };
        Ok(Json(SaveRecordsOutput {
            agent_id,
            run_id,
            saved_to: path,
            records: saved.records,
            bytes: saved.bytes,
            next_step,
        }))
    }
}
