//! The embedded engine: a Sequentum-compatible REST API on loopback that stores its data in
//! SQLite and really fetches and extracts pages.

pub mod builder;
pub mod definition;
pub mod demo;
pub mod extract;
pub mod fetch;
