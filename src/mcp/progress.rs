//! A wait's progress as MCP `notifications/progress`: the sink the jobs layer reports to
//! (`jobs::wait::Progress`), bound to the request that asked for progress.

use futures::future::BoxFuture;
use rmcp::{
    Peer, RoleServer,
    model::{ProgressNotificationParam, ProgressToken},
    service::RequestContext,
};

use crate::jobs::wait::Progress;

/// Sends reports to the client that made the request, under the request's progress token;
/// without one (the client did not ask for progress) it sends nothing.
struct ClientProgress {
    peer: Peer<RoleServer>,
    token: Option<ProgressToken>,
}

impl Progress for ClientProgress {
    fn report(&self, step: u32, line: String) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let Some(token) = &self.token else { return };
            let param =
                ProgressNotificationParam::new(token.clone(), step as f64).with_message(line);
            if let Err(e) = self.peer.notify_progress(param).await {
                tracing::debug!("progress notification not delivered: {e}");
            }
        })
    }
}

impl From<&RequestContext<RoleServer>> for Box<dyn Progress> {
    fn from(ctx: &RequestContext<RoleServer>) -> Self {
        Box::new(ClientProgress {
            peer: ctx.peer.clone(),
            token: ctx.meta.get_progress_token(),
        })
    }
}
