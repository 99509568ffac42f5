//! Deck (deck.co) v2 as the second platform: task runs that pause for a login code or a
//! review, behind the same tools as Sequentum. `client` speaks the REST API, `error` turns
//! its errors into tool failures, `platform` implements `jobs::model::Platform`; `build`, `input`
//! and `runs` hold what those need of Deck's model.

mod build;
pub mod client;
pub mod error;
mod input;
pub mod platform;
mod runs;
pub mod types;

pub use client::{DeckClient, DeckOptions};
pub use platform::Deck;
