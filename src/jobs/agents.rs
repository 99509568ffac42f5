//! Finding the agent a tool call means (by id, or by exact, case-insensitive name), reading its
//! details with its last run, and restoring an old version as a new one.

use super::{
    Code, Guide, Id, Jobs, Run, Tool, ToolFailure,
    model::{
        agent_details::AgentDetails,
        failure::{bounded_text, excerpt},
        platform::AgentQuery,
    },
};

/// Longest agent name accepted (longer ones cannot be agent names and make URLs too long).
pub const MAX_AGENT_NAME_CHARS: usize = 200;

/// Agents scanned when suggesting close names for an unknown one.
const SUGGESTION_SCAN: u32 = 200;
/// Suggestions listed in the error.
const SUGGESTIONS: usize = 5;

impl Jobs {
    /// Returns the agent id for `agent_id` or `agent_name` (exactly one must be given).
    /// A name matches exactly, ignoring case; otherwise the error lists the closest names.
    pub async fn resolve_agent(
        &self,
        agent_id: Option<&Id>,
        agent_name: Option<&str>,
        guide: Guide,
    ) -> Result<Id, ToolFailure> {
        match (
            agent_id,
            agent_name.map(str::trim).filter(|n| !n.is_empty()),
        ) {
            (Some(id), None) => self.id("agent_id", id),
            (Some(_), Some(_)) => Err(ToolFailure::invalid(
                "Both agent_id and agent_name were given",
                "Pass only one of them",
            )),
            (None, None) => Err(ToolFailure::invalid(
                "No agent was named",
                "Pass agent_id (list_agents shows them) or the exact agent_name",
            )),
            (None, Some(name)) => {
                let name = bounded_text("agent_name", name, MAX_AGENT_NAME_CHARS)?;
                self.agent_by_name(name, guide).await
            }
        }
    }

    async fn agent_by_name(&self, name: &str, guide: Guide) -> Result<Id, ToolFailure> {
        let query = AgentQuery {
            name: Some(name.to_string()),
            page: 1,
            per_page: 100,
            ..Default::default()
        };
        let page = self.platform.list_agents(&query).await?;
        let exact: Vec<Id> = page
            .agents
            .iter()
            .filter(|a| a.name.trim().eq_ignore_ascii_case(name))
            .map(|a| a.id.clone())
            .collect();
        match exact.as_slice() {
            [id] => return Ok(id.clone()),
            [] => {}
            ids => {
                return Err(ToolFailure::new(
                    Code::AmbiguousName,
                    format!(
                        "{} agents are named \"{}\" (ids {})",
                        ids.len(),
                        excerpt(name),
                        join(ids)
                    ),
                    "Pass agent_id instead of agent_name",
                ));
            }
        }
        let everyone = self
            .platform
            .list_agents(&AgentQuery {
                page: 1,
                per_page: SUGGESTION_SCAN,
                ..Default::default()
            })
            .await?;
        let mut scored: Vec<(usize, String, Id)> = everyone
            .agents
            .into_iter()
            .map(|a| {
                (
                    distance(&a.name.to_lowercase(), &name.to_lowercase()),
                    a.name,
                    a.id,
                )
            })
            .collect();
        scored.sort();
        let close: Vec<String> = scored
            .iter()
            .take(SUGGESTIONS)
            .map(|(_, n, id)| format!("{n:?} (id {id})"))
            .collect();
        let hint = if close.is_empty() {
            format!(
                "No agents exist yet{}",
                guide.when(Tool::BuildAgent, || "; create one with build_agent".into())
            )
        } else {
            format!(
                "Closest names: {}. Pass one of these exactly, or its agent_id",
                close.join(", ")
            )
        };
        Err(ToolFailure::new(
            Code::NotFound,
            format!("No agent is named \"{}\"", excerpt(name)),
            hint,
        ))
    }
}

fn join(ids: &[Id]) -> String {
    ids.iter().map(Id::to_string).collect::<Vec<_>>().join(", ")
}

/// Edit distance, with containment counting as close (so "shop" finds "Demo Shop products").
fn distance(candidate: &str, wanted: &str) -> usize {
    if candidate.contains(wanted) || wanted.contains(candidate) {
        return candidate.len().abs_diff(wanted.len()) / 4;
    }
    let a: Vec<char> = candidate.chars().collect();
    let b: Vec<char> = wanted.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

impl Jobs {
    /// The agent's details and its newest run (none when it never ran).
    pub async fn agent_details(
        &self,
        agent_id: &Id,
    ) -> Result<(AgentDetails, Option<Run>), ToolFailure> {
        let details = self.platform.agent(agent_id).await?;
        let last = self
            .platform
            .list_runs(agent_id, 1)
            .await?
            .into_iter()
            .next();
        Ok((details, last))
    }

    /// Copies `version` into a new version with `comment` and returns the agent as it is
    /// afterwards. A version the agent does not have is refused before anything changes,
    /// naming the versions it does have.
    pub async fn restore_version(
        &self,
        agent_id: &Id,
        version: i64,
        comment: &str,
    ) -> Result<AgentDetails, ToolFailure> {
        let versions = self.platform.versions(agent_id).await?;
        if !versions.iter().any(|v| v.version == version) {
            let have: Vec<String> = versions.iter().map(|v| v.version.to_string()).collect();
            return Err(ToolFailure::new(
                Code::NotFound,
                format!(
                    "Agent {agent_id} has no version {version} (it has {})",
                    if have.is_empty() {
                        "none".to_string()
                    } else {
                        have.join(", ")
                    }
                ),
                format!(
                    "Pick one of those; list_versions with agent_id={agent_id} shows their comments"
                ),
            ));
        }
        self.platform
            .restore_version(agent_id, version, comment)
            .await?;
        self.platform.agent(agent_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn distance_prefers_containment_and_small_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert!(distance("demo shop products", "shop") < distance("weather", "shop"));
    }
}
