//! A small bundled web shop to demonstrate and test the local engine.

pub fn router() -> axum::Router {
    todo!()
}
