//! Toolset `editor`: read an agent's definition, dry-run a definition (or a change to it) on a
//! page with per-field evidence, and save it as a new version. The embedded engine only: the
//! cloud lacks `Need::Definitions`.

mod get_agent_definition;
mod test_agent_definition;
mod update_agent_definition;
