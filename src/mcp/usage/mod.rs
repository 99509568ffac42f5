//! Toolset `usage`: credits and costs (Sequentum cloud; the engine lacks `Need::Billing`, so
//! the tool is never offered there).

mod get_usage;
