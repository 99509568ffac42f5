//! `list_credentials`: the stored logins runs can use: ids, sites and statuses, never secrets.
//! Credentials are created in the platform's console, so passwords never pass through a model.

use rmcp::{Json, tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{Id, ToolFailure, number::in_range},
    mcp::{
        Server,
        args::{self, Args},
    },
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListCredentialsInput {
    /// Only credentials for this source (site).
    #[serde(default)]
    pub source_id: Option<Id>,
    /// next_cursor of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Credentials per page, 1 to 100 (default 20).
    #[serde(default, deserialize_with = "crate::jobs::number::optional")]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CredentialView {
    pub credential_id: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<Id>,
    /// unverified, verified (a run logged in with it), invalid (the site refused it), deleted.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_method: Option<String>,
    /// The account owner's own reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListCredentialsOutput {
    pub credentials: Vec<CredentialView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    pub next_step: String,
}

#[tool_router(router = list_credentials_router, vis = "pub(in crate::mcp)")]
impl Server {
    /// Stored logins (ids, sites, statuses; never secrets). A run uses a site's only usable
    /// credential by itself; pick another with input_parameters {"credential_id": ...}. New
    /// ones are added by the user in the platform's console.
    #[tool(
        title = "List credentials",
        input_schema = args::schema::<ListCredentialsInput>()
    )]
    async fn list_credentials(
        &self,
        Args(input): Args<ListCredentialsInput>,
    ) -> Result<Json<ListCredentialsOutput>, ToolFailure> {
        let input = input?;
        let limit = in_range("limit", input.limit.unwrap_or(20), 1, 100)? as u32;
        let source = input
            .source_id
            .as_ref()
            .map(|s| self.jobs.id("source_id", s))
            .transpose()?;
        let cursor = input
            .cursor
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let page = self
            .jobs
            .platform
            .list_credentials(source.as_ref(), cursor, limit)
            .await?;
        let next_step = match &page.next_cursor {
            Some(_) => "Call list_credentials with cursor=next_cursor for more.".to_string(),
            None if page.credentials.is_empty() => "No stored credentials: the user adds one in the platform's console (passwords never go through this conversation).".to_string(),
            None => "Pass a credential to run_agent as input_parameters {\"credential_id\": ...} when its site has several.".to_string(),
        };
        Ok(Json(ListCredentialsOutput {
            credentials: page
                .credentials
                .into_iter()
                .map(|c| CredentialView {
                    credential_id: c.id,
                    source_id: c.source_id,
                    status: c.status,
                    auth_method: c.auth_method,
                    external_id: c.external_id,
                })
                .collect(),
            next_cursor: page.next_cursor,
            next_step,
        }))
    }
}
