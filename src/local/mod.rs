//! The embedded engine: a Sequentum-compatible REST API on loopback that stores its data in
//! SQLite and really fetches and extracts pages.

pub mod definition;
