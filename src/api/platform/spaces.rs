//! Spaces on Sequentum: listed with their agents, started all at once.

use serde_json::{Map, Value};

use super::{Sequentum, failure};
use crate::jobs::model::{
    Id, ToolFailure,
    agent_details::AgentSummary,
    spaces::{Space, SpaceRun, SpaceStart},
};

/// Spaces listed with their agents in one call (each costs a request).
const MAX_SPACES: usize = 25;

impl Sequentum {
    pub(super) async fn find_spaces(&self, name: Option<&str>) -> Result<Vec<Space>, ToolFailure> {
        let wanted = name.map(|n| n.trim().to_lowercase());
        let spaces = self
            .client
            .spaces()
            .await
            .map_err(|e| failure(self.upstream, e, "the space list"))?;
        let mut found = Vec::new();
        for space in spaces
            .into_iter()
            .filter(|s| {
                let name = s.name.as_deref().unwrap_or_default().to_lowercase();
                wanted.as_deref().is_none_or(|w| name.contains(w))
            })
            .take(MAX_SPACES)
        {
            let agents = self
                .client
                .space_agents(space.id)
                .await
                .map_err(|e| failure(self.upstream, e, &format!("space {}", space.id)))?;
            found.push(Space {
                id: Id::Num(space.id),
                name: space.name.unwrap_or_default(),
                concurrency_limit: space.concurrency_limit,
                agents: agents
                    .into_iter()
                    .map(|a| AgentSummary {
                        id: Id::Num(a.id),
                        name: a.name.unwrap_or_default(),
                        last_status: a.status.map(|s| s.name()),
                        last_activity: a.last_activity.map(|t| t.0),
                        version: a.version,
                    })
                    .collect(),
            });
        }
        Ok(found)
    }

    pub(super) async fn start_space(
        &self,
        space_id: &Id,
        input: Option<&Map<String, Value>>,
    ) -> Result<SpaceRun, ToolFailure> {
        let space = Sequentum::int(space_id);
        // The API takes the parameters as JSON text, as run starts do.
        let text = input.map(|p| Value::Object(p.clone()).to_string());
        let result = self
            .client
            .run_space(space, text)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("space {space}")))?;
        Ok(SpaceRun {
            space_id: Id::Num(result.space_id.max(space)),
            space_name: result.space_name.unwrap_or_default(),
            agents: result
                .results
                .into_iter()
                .map(|r| SpaceStart {
                    agent_id: Id::Num(r.agent_id),
                    agent_name: r.agent_name.unwrap_or_default(),
                    run_id: r.run_id.filter(|_| r.success).map(Id::Num),
                    refused: (!r.success).then(|| {
                        r.error_message
                            .unwrap_or_else(|| "the platform did not start it".to_string())
                    }),
                })
                .collect(),
        })
    }
}
