//! Agent details, versions and archiving on Sequentum.

use serde_json::{Map, Value};

use super::{Sequentum, failure};
use crate::jobs::model::{
    Id, Need, ToolFailure,
    agent_details::{AgentDetails, AgentVersion},
};

impl Sequentum {
    pub(super) async fn agent_details(&self, agent_id: &Id) -> Result<AgentDetails, ToolFailure> {
        let agent = Sequentum::int(agent_id);
        let subject = format!("agent {agent}");
        let wire = self
            .client
            .get_agent(agent)
            .await
            .map_err(|e| failure(self.upstream, e, &subject))?;
        // Field names come from the definition, where the backend shows one (the engine).
        let fields = if self.serves(Need::Definitions) {
            let body = self
                .client
                .agent_definition(agent)
                .await
                .map_err(|e| failure(self.upstream, e, &subject))?;
            field_names(&body.definition)
        } else {
            Vec::new()
        };
        let input_parameters = match wire.input_parameters {
            Some(Value::Object(map)) => map,
            // Some deployments send the defaults as JSON text.
            Some(Value::String(text)) => serde_json::from_str(&text).unwrap_or_default(),
            _ => Map::new(),
        };
        Ok(AgentDetails {
            id: Id::Num(wire.id.unwrap_or(agent)),
            name: wire.name.unwrap_or_default(),
            description: wire.description,
            start_url: wire.start_url,
            input_parameters,
            version: wire.version,
            space_id: wire.space_id.map(Id::Num),
            archived: wire.is_archived.unwrap_or(false),
            fields,
            created: wire.created.map(|t| t.0),
            updated: wire.updated.map(|t| t.0),
        })
    }

    pub(super) async fn agent_versions(
        &self,
        agent_id: &Id,
    ) -> Result<Vec<AgentVersion>, ToolFailure> {
        let agent = Sequentum::int(agent_id);
        let mut versions: Vec<AgentVersion> = self
            .client
            .versions(agent)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("agent {agent}")))?
            .into_iter()
            .map(|v| AgentVersion {
                version: v.version,
                created: v.created.map(|t| t.0),
                comment: v.comments,
                author: v.user_name,
            })
            .collect();
        versions.sort_by_key(|v| std::cmp::Reverse(v.version));
        Ok(versions)
    }

    pub(super) async fn restore(
        &self,
        agent_id: &Id,
        version: i64,
        comment: &str,
    ) -> Result<(), ToolFailure> {
        let agent = Sequentum::int(agent_id);
        self.client
            .restore_version(agent, version, comment)
            .await
            .map_err(|e| {
                failure(
                    self.upstream,
                    e,
                    &format!("version {version} of agent {agent}"),
                )
            })
    }

    pub(super) async fn archive(&self, agent_id: &Id, archived: bool) -> Result<(), ToolFailure> {
        let agent = Sequentum::int(agent_id);
        self.client
            .set_archived(agent, archived)
            .await
            .map_err(|e| failure(self.upstream, e, &format!("agent {agent}")))
    }
}

/// The `name` of each entry of a definition's `fields`.
fn field_names(definition: &Value) -> Vec<String> {
    definition["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
