//! Which tools a server offers: the operator's selection, filtered.
//!
//! Tools come in toolsets (`jobs::catalog`) so a client pays in context only for what it uses.
//! `offer` decides, in one place, what a server lists; over HTTP a request may narrow (never
//! widen) that set with an `X-MCP-Toolsets` header.

use std::collections::BTreeSet;

pub use crate::jobs::Toolset;
use crate::jobs::{Guide, Need, Tool};

/// The header with which an HTTP request narrows the offered toolsets.
pub const NARROWING_HEADER: &str = "x-mcp-toolsets";

/// Budgets for tools/list, in characters of compact JSON: what a client pays in context on
/// every conversation.
pub const CORE_BUDGET: usize = 12_500;
pub const DEFAULT_BUDGET: usize = 20_000;
pub const ALL_BUDGET: usize = 32_000;

/// Toolsets named in a comma-separated list: `all`, `default` or toolset names (core is
/// always in: nothing else is usable without it).
pub fn parse_toolsets(names: &[String]) -> Result<BTreeSet<Toolset>, String> {
    let mut chosen = BTreeSet::from([Toolset::Core]);
    for name in split(names) {
        match name.as_str() {
            "all" => chosen.extend(Toolset::ALL),
            "default" => chosen.extend(Toolset::DEFAULT),
            other => {
                chosen.insert(Toolset::from_name(other).ok_or_else(|| {
                    format!(
                        "unknown toolset {other:?}; valid toolsets: all, default, {}",
                        toolset_names()
                    )
                })?);
            }
        }
    }
    Ok(chosen)
}

/// Every toolset name, comma-separated (for help and errors).
pub fn toolset_names() -> String {
    Toolset::ALL
        .iter()
        .map(|t| t.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The non-empty, trimmed, lower-cased names of comma-separated lists.
fn split(lists: &[String]) -> impl Iterator<Item = String> + '_ {
    lists
        .iter()
        .flat_map(|n| n.split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
}

/// What the operator asked for: toolsets, extra tools, read-only.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Toolset names (`--toolsets`); empty means the default set.
    pub toolsets: Vec<String>,
    /// Extra single tools (`--tools`).
    pub tools: Vec<String>,
    pub read_only: bool,
}

impl Selection {
    /// Every tool of every toolset.
    pub fn all() -> Self {
        Selection {
            toolsets: vec!["all".into()],
            ..Selection::default()
        }
    }

    /// The operator named `tool`, its toolset or `all`, rather than getting it with the
    /// default set: only then is its absence worth a note at start.
    pub fn names(&self, tool: Tool) -> bool {
        split(&self.toolsets).any(|n| n == "all" || n == tool.toolset().name())
            || split(&self.tools).any(|n| n == tool.name())
    }

    /// The tools asked for, before any filter; an error names what is unknown and what is valid.
    pub fn requested(&self) -> Result<Guide, String> {
        let toolsets = if split(&self.toolsets).next().is_none() {
            Toolset::DEFAULT.iter().copied().collect()
        } else {
            parse_toolsets(&self.toolsets)?
        };
        let mut tools: Vec<Tool> = toolsets.iter().flat_map(|t| t.tools()).collect();
        for name in split(&self.tools) {
            tools.push(Tool::from_name(&name).ok_or_else(|| {
                format!(
                    "unknown tool {name:?}; valid tools: {}",
                    Tool::ALL
                        .iter()
                        .map(|t| t.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?);
        }
        Ok(Guide::new(tools))
    }
}

/// The tools a server offers, and the ones asked for by name that it cannot serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub offered: Guide,
    /// Named by the operator but left out for what the platform lacks.
    pub platform_lacks: Vec<Tool>,
    /// Named by the operator but left out for what the transport lacks.
    pub transport_lacks: Vec<Tool>,
}

impl Offer {
    /// One line for stderr on what was asked for and is not offered, if anything.
    pub fn note(&self, backend: &str) -> Option<String> {
        let list = |tools: &[Tool]| {
            tools
                .iter()
                .map(|t| t.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !self.platform_lacks.is_empty() {
            parts.push(format!(
                "the {backend} backend has no {}",
                list(&self.platform_lacks)
            ));
        }
        if !self.transport_lacks.is_empty() {
            parts.push(format!(
                "only a local caller (stdio) gets {}",
                list(&self.transport_lacks)
            ));
        }
        (!parts.is_empty()).then(|| format!("not offered: {}", parts.join("; ")))
    }
}

/// What a transport lacks: a caller on another machine cannot be handed files written here.
pub fn transport_lacks(caller_is_local: bool) -> &'static [Need] {
    if caller_is_local {
        &[]
    } else {
        &[Need::LocalFiles]
    }
}

/// The tools to offer, filtered in this order:
///
/// 1. selection: the named toolsets (the default set when none) and single tools;
/// 2. read-only: with `selection.read_only`, only tools whose effect is `Reads`;
/// 3. platform: tools needing something in `platform_lacks`;
/// 4. transport: tools needing something in `transport_lacks` (`LocalFiles` unless stdio).
///
/// Tools left out by the last two are reported when the operator named them (or their
/// toolset); what came only with the default set goes quietly.
pub fn offer(
    selection: &Selection,
    platform_lacks: &[Need],
    transport_lacks: &[Need],
) -> Result<Offer, String> {
    let requested = selection.requested()?;
    let mut offer = Offer {
        offered: Guide::new([]),
        platform_lacks: Vec::new(),
        transport_lacks: Vec::new(),
    };
    let mut offered = Vec::new();
    for tool in requested.tools() {
        if selection.read_only && !tool.effect().read_only() {
            continue;
        }
        let needs = |lacks: &[Need]| tool.needs().iter().any(|n| lacks.contains(n));
        let left_out = if needs(platform_lacks) {
            Some(&mut offer.platform_lacks)
        } else if needs(transport_lacks) {
            Some(&mut offer.transport_lacks)
        } else {
            None
        };
        match left_out {
            Some(list) if selection.names(tool) => list.push(tool),
            Some(_) => {}
            None => offered.push(tool),
        }
    }
    offer.offered = Guide::new(offered);
    Ok(offer)
}

/// The tools of the toolsets an `X-MCP-Toolsets` header names; `None` when the header is
/// unusable (then it narrows nothing).
pub fn narrowing(header: &str) -> Option<Guide> {
    let toolsets = parse_toolsets(&[header.to_string()]).ok()?;
    Some(Guide::new(toolsets.iter().flat_map(|t| t.tools())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(toolsets: &[&str], tools: &[&str]) -> Selection {
        Selection {
            toolsets: toolsets.iter().map(|s| s.to_string()).collect(),
            tools: tools.iter().map(|s| s.to_string()).collect(),
            read_only: false,
        }
    }

    #[test]
    fn core_is_always_there_and_extras_add_single_tools() {
        let core = selection(&["core"], &[]).requested().unwrap();
        assert!(core.offers(Tool::RunAgent) && !core.offers(Tool::SaveRecords));
        let extra = selection(&["core"], &["save_records"]).requested().unwrap();
        assert!(extra.offers(Tool::SaveRecords));
        assert_eq!(
            selection(&[], &[]).requested().unwrap(),
            selection(&["default"], &[]).requested().unwrap()
        );
        assert_eq!(
            selection(&["all"], &[])
                .requested()
                .unwrap()
                .tools()
                .count(),
            Tool::ALL.len()
        );
        let err = selection(&["core,bogus"], &[]).requested().unwrap_err();
        assert!(err.contains("\"bogus\"") && err.contains("runs"), "{err}");
        let err = selection(&[], &["nope"]).requested().unwrap_err();
        assert!(err.contains("run_agent"), "{err}");
    }

    #[test]
    fn headers_narrow() {
        let core = narrowing("core").unwrap();
        assert!(!core.offers(Tool::SaveRecords) && core.offers(Tool::ListRuns));
        assert!(narrowing("core, runs").unwrap().offers(Tool::SaveRecords));
        let editor = narrowing("editor").unwrap();
        assert!(editor.offers(Tool::TestAgentDefinition) && !editor.offers(Tool::SaveRecords));
        assert!(narrowing("nonsense").is_none());
    }

    #[test]
    fn only_a_named_tool_or_toolset_counts_as_asked_for() {
        let default = Selection::default();
        assert!(default.requested().unwrap().offers(Tool::AnswerInteraction));
        assert!(!default.names(Tool::AnswerInteraction));
        let named = selection(&["core, Interactions"], &["get_usage"]);
        assert!(named.names(Tool::ListCredentials) && !named.names(Tool::GetAgent));
        assert!(named.names(Tool::GetUsage));
        assert!(Selection::all().names(Tool::GetAgentDefinition));
    }

    #[test]
    fn filters_apply_in_their_documented_order() {
        // Selection: the default set has no editor.
        let default = offer(&Selection::default(), &[], &[]).unwrap();
        assert!(!default.offered.offers(Tool::UpdateAgentDefinition));
        assert!(default.offered.offers(Tool::SaveRecords));

        // Read-only comes before the platform: a changing tool the platform lacks is
        // dropped for being a change, so it is not reported as missing.
        let read_only = Selection {
            read_only: true,
            ..Selection::all()
        };
        let offer_ro = offer(&read_only, &[Need::Interactions], &[]).unwrap();
        assert!(offer_ro.offered.tools().all(|t| t.effect().read_only()));
        assert!(offer_ro.offered.offers(Tool::ListRuns));
        assert_eq!(offer_ro.platform_lacks, [Tool::ListCredentials]);

        // Platform before transport: save_records needs local files only, so a platform
        // lack leaves it alone and the transport drops it.
        let all = offer(
            &Selection::all(),
            &[Need::Billing, Need::Definitions],
            &[Need::LocalFiles],
        )
        .unwrap();
        assert_eq!(
            all.platform_lacks,
            [
                Tool::GetAgentDefinition,
                Tool::TestAgentDefinition,
                Tool::UpdateAgentDefinition,
                Tool::GetUsage
            ]
        );
        assert_eq!(all.transport_lacks, [Tool::SaveRecords]);
        assert_eq!(
            all.offered.tools().count(),
            Tool::ALL.len() - 5,
            "everything else stays"
        );
        assert_eq!(
            all.note("local").unwrap(),
            "not offered: the local backend has no get_agent_definition, test_agent_definition, \
             update_agent_definition, get_usage; only a local caller (stdio) gets save_records"
        );

        // What came with the default set only goes without a note.
        let quiet = offer(
            &Selection::default(),
            &[Need::Interactions],
            &[Need::LocalFiles],
        )
        .unwrap();
        assert!(!quiet.offered.offers(Tool::AnswerInteraction));
        assert_eq!(quiet.note("local"), None);
    }
}
