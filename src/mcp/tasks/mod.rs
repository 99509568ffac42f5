//! Long runs as MCP tasks (the `io.modelcontextprotocol/tasks` extension of the 2026-07-28
//! revision): a client that declares the extension on a `tools/call` of run_agent or
//! build_agent gets a task instead of a bounded wait, and polls `tasks/get` until the task
//! carries the tool's own result. Every other client, and every other tool, is served exactly
//! as before.
//!
//! There is no task store. The task id is a signed handle naming the run or build session
//! (`handle`); `tasks/get`, `tasks/update` and `tasks/cancel` decode it and ask the platform,
//! so any process with the same configuration answers the same, and a run outlives the
//! connection, the process and the task id itself (after which get_run_status still follows
//! it). Only `tasks/cancel` stops a run: a dropped connection or a cancelled request never does.

mod cancel;
mod create;
mod get;
pub mod handle;
mod input;
mod status;
mod update;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rmcp::{ErrorData, RoleServer, model::ProtocolVersion, service::RequestContext};

use crate::records::cursor::CursorKey;
use handle::{Handle, Sealer};

/// The time task ids are issued and checked at: the wall clock, or a test's.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// What the server needs to issue and read task ids.
#[derive(Clone)]
pub struct Tasks {
    sealer: Sealer,
    clock: Clock,
}

impl Tasks {
    pub fn new(cursor_key: &CursorKey) -> Self {
        Tasks {
            sealer: Sealer::new(cursor_key),
            clock: Arc::new(Utc::now),
        }
    }

    /// The same, reading the time from `clock` (tests move it past a task id's lifetime).
    pub fn with_clock(self, clock: Clock) -> Self {
        Tasks { clock, ..self }
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The handle of a task id this request may use, or -32602.
    fn open(
        &self,
        task_id: &str,
        ctx: &RequestContext<RoleServer>,
        platform: &str,
    ) -> Result<Handle, ErrorData> {
        Ok(self
            .sealer
            .open(task_id, &handle::caller(ctx), platform, self.now())?)
    }
}

/// This request may be answered with a task: it declared the extension and speaks the
/// 2026-07-28 revision (the extension does not exist before it, even if a legacy client lists
/// it at initialize).
pub fn wanted(ctx: &RequestContext<RoleServer>) -> bool {
    ctx.client_capabilities()
        .is_some_and(|c| c.supports_tasks())
        && ctx
            .protocol_version()
            .is_some_and(|v| v >= ProtocolVersion::V_2026_07_28)
}
