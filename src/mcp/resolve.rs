//! Finding the agent a tool call means: by id, or by exact (case-insensitive) name.

use super::{
    Server,
    failure::{Code, ToolFailure, positive_id},
};
use crate::api::agents::AgentQuery;

/// Agents scanned when suggesting close names for an unknown one.
const SUGGESTION_SCAN: u32 = 200;
/// Suggestions listed in the error.
const SUGGESTIONS: usize = 5;

impl Server {
    /// Returns the agent id for `agent_id` or `agent_name` (exactly one must be given).
    /// A name matches exactly, ignoring case; otherwise the error lists the closest names.
    pub(super) async fn resolve_agent(
        &self,
        agent_id: Option<i64>,
        agent_name: Option<&str>,
    ) -> Result<i64, ToolFailure> {
        match (
            agent_id,
            agent_name.map(str::trim).filter(|n| !n.is_empty()),
        ) {
            (Some(id), None) => positive_id("agent_id", id),
            (Some(_), Some(_)) => Err(ToolFailure::invalid(
                "Both agent_id and agent_name were given",
                "Pass only one of them",
            )),
            (None, None) => Err(ToolFailure::invalid(
                "No agent was named",
                "Pass agent_id (list_agents shows them) or the exact agent_name",
            )),
            (None, Some(name)) => self.agent_by_name(name).await,
        }
    }

    async fn agent_by_name(&self, name: &str) -> Result<i64, ToolFailure> {
        let subject = format!("agent {name:?}");
        let query = AgentQuery {
            name: Some(name.to_string()),
            page: 1,
            per_page: 100,
            ..Default::default()
        };
        let page = self
            .client
            .list_agents(&query)
            .await
            .map_err(|e| ToolFailure::from_api(e, &subject))?;
        let exact: Vec<_> = page
            .agents
            .iter()
            .filter(|a| {
                a.name
                    .as_deref()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case(name))
            })
            .filter_map(|a| a.id)
            .collect();
        match exact.as_slice() {
            [id] => return Ok(*id),
            [] => {}
            ids => {
                return Err(ToolFailure::new(
                    Code::AmbiguousName,
                    format!(
                        "{} agents are named {name:?} (ids {})",
                        ids.len(),
                        join(ids)
                    ),
                    "Pass agent_id instead of agent_name",
                ));
            }
        }
        let everyone = self
            .client
            .list_agents(&AgentQuery {
                page: 1,
                per_page: SUGGESTION_SCAN,
                ..Default::default()
            })
            .await
            .map_err(|e| ToolFailure::from_api(e, &subject))?;
        let mut scored: Vec<(usize, String, i64)> = everyone
            .agents
            .iter()
            .filter_map(|a| Some((a.name.clone()?, a.id?)))
            .map(|(n, id)| (distance(&n.to_lowercase(), &name.to_lowercase()), n, id))
            .collect();
        scored.sort();
        let close: Vec<String> = scored
            .iter()
            .take(SUGGESTIONS)
            .map(|(_, n, id)| format!("{n:?} (id {id})"))
            .collect();
        let hint = if close.is_empty() {
            "No agents exist yet; create one with build_agent".to_string()
        } else {
            format!(
                "Closest names: {}. Pass one of these exactly, or its agent_id",
                close.join(", ")
            )
        };
        Err(ToolFailure::new(
            Code::NotFound,
            format!("No agent is named {name:?}"),
            hint,
        ))
    }
}

fn join(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
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

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn distance_prefers_containment_and_small_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert!(distance("demo shop products", "shop") < distance("weather", "shop"));
    }
}
