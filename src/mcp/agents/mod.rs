//! Toolset `agents`: an agent's details and versions; restore an old version, archive.

mod archive_agent;
mod get_agent;
mod list_versions;
mod restore_version;
