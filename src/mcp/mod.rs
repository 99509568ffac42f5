//! The MCP face of sequentum-mcp: one `Server` (an rmcp `ServerHandler`) whose tools each live
//! in a file of their own, grouped by toolset (`core/`, `runs/`, `editor/`, `agents/`, `spaces/`, `usage/`), holding the tool's input,
//! output and handler. Tools parse their input, call `jobs` and shape the output.
//!
//! The server keeps no per-session state: every long job is addressed by ids the tools hand
//! back (agent id, run id, builder session id, records cursor), so any process, replica or
//! restart can answer the next call.

mod agents;
mod analysis;
mod answer_page;
mod args;
mod core;
mod editor;
mod elicit;
mod failure;
pub mod in_process;
mod instructions;
mod interactions;
mod links;
mod progress;
mod prompts;
mod registry;
mod resources;
mod runs;
mod sampling;
mod schedules;
mod schema;
mod spaces;
pub mod tasks;
pub mod toolsets;
mod usage;

use std::{path::PathBuf, sync::Arc, time::Duration};

use rmcp::{
    ErrorData, RoleServer, ServerHandler,
    handler::server::{
        router::{prompt::PromptRouter, tool::ToolRouter},
        tool::ToolCallContext,
    },
    model::{
        CallToolRequestParams, CallToolResponse, CancelTaskParams, GetTaskParams, GetTaskResult,
        Implementation, ListResourceTemplatesResult, ListToolsResult, PaginatedRequestParams,
        ReadResourceRequestParams, ReadResourceResponse, ServerCapabilities, ServerConfig,
        UpdateTaskParams,
    },
    prompt_handler,
    service::RequestContext,
    tool_handler,
};

use crate::{
    jobs::{Guide, Jobs, Platform, Tool},
    records::{cache::FileCache, cursor::CursorKey},
};
use toolsets::Selection;

/// Everything the tools need besides the platform.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How often a waiting tool asks for news; `None` keeps the platform's own pace.
    pub poll_interval: Option<Duration>,
    /// Where save_records writes whole datasets; `None` leaves save_records out (over HTTP the
    /// caller is remote and must not write files on this machine).
    pub output_dir: Option<PathBuf>,
    /// Downloaded record files of finished runs.
    pub cache: FileCache,
    /// Signs records cursors.
    pub cursor_key: CursorKey,
    /// The caller runs on this machine (stdio), so loopback links are of use to it.
    pub caller_is_local: bool,
}

/// The MCP server. Cheap to clone: HTTP transports clone it per request.
#[derive(Clone)]
pub struct Server {
    jobs: Jobs,
    settings: Arc<Settings>,
    tool_router: ToolRouter<Self>,
    prompt_router: PromptRouter<Self>,
    /// The tools this server offers (a request may narrow it further).
    offered: Guide,
    /// tools/list of the offered tools, built once at start: a request that does not narrow
    /// the selection is answered from it without walking the router.
    listing: Arc<[rmcp::model::Tool]>,
    read_only: bool,
    /// Issues and reads the ids of run_agent and build_agent tasks.
    tasks: tasks::Tasks,
}

impl Server {
    /// A server offering `selection` on `platform` (filtered by `toolsets::offer`; what was
    /// asked for by name and cannot be served is named in one line on stderr).
    pub fn new(
        platform: Arc<dyn Platform>,
        settings: Settings,
        selection: &Selection,
    ) -> Result<Self, String> {
        let info = platform.info().clone();
        let transport_lacks = toolsets::transport_lacks(settings.output_dir.is_some());
        let offer = toolsets::offer(selection, info.lacks, transport_lacks)?;
        if let Some(note) = offer.note(info.backend) {
            eprintln!("sequentum-mcp: {note}");
        }
        let offered = offer.offered;
        let tool_router = registry::router(offered, &info.id_schema);
        let prompt_router = Self::prompt_router(offered);
        let listing = tool_router.list_all().into();
        let poll_interval = settings.poll_interval.unwrap_or(info.poll_interval);
        Ok(Server {
            jobs: Jobs::new(platform, poll_interval, settings.cache.clone()),
            tasks: tasks::Tasks::new(&settings.cursor_key),
            settings: Arc::new(settings),
            tool_router,
            prompt_router,
            offered,
            listing,
            read_only: selection.read_only,
        })
    }

    /// The same server reading task times from `clock` (tests move it past a task's lifetime).
    pub fn with_task_clock(self, clock: tasks::Clock) -> Self {
        Server {
            tasks: self.tasks.with_clock(clock),
            ..self
        }
    }

    /// The tool catalog exactly as tools/list serves it.
    pub fn tools(&self) -> Vec<rmcp::model::Tool> {
        self.listing.to_vec()
    }

    /// The prompts as prompts/list serves them.
    pub fn prompts(&self) -> Vec<rmcp::model::Prompt> {
        self.prompt_router.list_all()
    }

    /// The server instructions.
    pub fn instructions(&self) -> String {
        instructions::write(
            self.offered,
            self.read_only,
            &self.jobs.platform.info().description,
        )
    }

    /// The tools this request may call: the server's, narrowed by an `X-MCP-Toolsets` header.
    fn guide(&self, ctx: &RequestContext<RoleServer>) -> Guide {
        let narrowed = ctx
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|parts| parts.headers.get(toolsets::NARROWING_HEADER))
            .and_then(|value| value.to_str().ok())
            .and_then(toolsets::narrowing);
        match narrowed {
            Some(narrowed) => self.offered.intersect(narrowed),
            None => self.offered,
        }
    }
}

#[tool_handler(router = self.tool_router)]
#[prompt_handler(router = self.prompt_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_prompts()
                .enable_tasks()
                .enable_resources()
                .build(),
        )
        .with_server_info(Implementation::new(
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
        ))
        .with_instructions(self.instructions())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let guide = self.guide(&context);
        let tools = if guide == self.offered {
            self.listing.to_vec()
        } else {
            self.listing
                .iter()
                .filter(|t| Tool::from_name(&t.name).is_some_and(|t| guide.offers(t)))
                .cloned()
                .collect()
        };
        let cache_hints = context
            .protocol_version()
            .is_some_and(|version| version >= rmcp::model::ProtocolVersion::V_2026_07_28);
        let mut result = ListToolsResult::with_all_items(tools);
        if cache_hints {
            result.ttl_ms = Some(0);
            result.cache_scope = Some(rmcp::model::CacheScope::Public);
        }
        Ok(result)
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        Ok(ListResourceTemplatesResult::with_all_items(
            resources::templates(),
        ))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let caller = signed_in(&context);
        crate::caller::scope(caller, self.read(&request.uri, context))
            .await
            .map(Into::into)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let guide = self.guide(&context);
        if !Tool::from_name(&request.name).is_some_and(|t| guide.offers(t)) {
            return Err(ErrorData::invalid_params(
                format!(
                    "tool {:?} is not offered by this server; tools/list shows the ones it offers",
                    crate::jobs::failure::excerpt(&request.name)
                ),
                None,
            ));
        }
        crate::caller::scope(signed_in(&context), async {
            if let Some(task) = self.call_as_task(&request, &context).await {
                return task;
            }
            self.tool_router
                .call(ToolCallContext::new(self, request, context))
                .await
        })
        .await
    }

    async fn get_task(
        &self,
        request: GetTaskParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetTaskResult, ErrorData> {
        let caller = signed_in(&context);
        let task =
            crate::caller::scope(caller, self.task_status(&request.task_id, &context)).await?;
        Ok(GetTaskResult::new(task))
    }

    async fn update_task(
        &self,
        request: UpdateTaskParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        let caller = signed_in(&context);
        let update = self.task_update(&request.task_id, &request.input_responses, &context);
        crate::caller::scope(caller, update).await
    }

    async fn cancel_task(
        &self,
        request: CancelTaskParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        let caller = signed_in(&context);
        crate::caller::scope(caller, self.task_cancel(&request.task_id, &context)).await
    }
}

/// The signed-in user an HTTP request in OAuth mode acts for (the transport put it there);
/// each handler runs in that user's `crate::caller::scope`.
fn signed_in(ctx: &RequestContext<RoleServer>) -> Option<Arc<crate::caller::Caller>> {
    ctx.extensions
        .get::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Arc<crate::caller::Caller>>())
        .cloned()
}
