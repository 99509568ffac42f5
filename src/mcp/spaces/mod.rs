//! Toolset `spaces`: spaces with their agents, and starting every agent of a space.

mod list_spaces;
mod run_space;
