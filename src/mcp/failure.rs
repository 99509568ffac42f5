//! Tool failures as MCP results: `isError: true` and one text block
//! `"<code>: <what happened>. <what to do>"`, never a JSON-RPC error, so the model can read it
//! and correct itself. No `structuredContent` is attached: clients validate that against the
//! tool's output schema, which describes success.

use rmcp::{
    handler::server::tool::IntoCallToolResult,
    model::{CallToolResponse, CallToolResult, ContentBlock},
};

use crate::jobs::ToolFailure;

impl IntoCallToolResult for ToolFailure {
    fn into_call_tool_result(self) -> Result<CallToolResponse, rmcp::ErrorData> {
        // An argument error quotes the value it could not read, which may be a secret given in
        // the wrong place (an MFA code as a string): the log gets the code alone.
        if self.code == crate::jobs::Code::InvalidArgument {
            tracing::debug!(code = self.code.as_str(), "tool failure");
        } else {
            tracing::debug!(code = self.code.as_str(), message = %self.message, "tool failure");
        }
        Ok(CallToolResult::error(vec![ContentBlock::text(self.text())]).into())
    }
}
