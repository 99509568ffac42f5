//! A small bundled web shop, served by the engine at `/demo` on an origin of its own
//! ([`origin`]), so that `sequentum-mcp demo`, new users and the tests have a realistic site
//! to build, run and schedule agents on without leaving the machine.
//!
//! Routes (relative to the mount point `/demo`): `/shop/` home, `/shop/products?page=N`
//! listings of 12 products with `rel=next` pagination, `/shop/products/{id}` details,
//! `/shop/images/{id}.svg` pictures.

pub mod catalogue;
pub mod origin;
mod pages;

use std::collections::HashMap;

use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

/// The demo shop's routes; the engine nests them at `/demo`.
pub fn router() -> axum::Router {
    axum::Router::new()
        .route(
            "/shop",
            get(|| async { Redirect::permanent("/demo/shop/") }),
        )
        .route("/shop/", get(|| async { Html(pages::home()) }))
        .route("/shop/products", get(listing))
        .route("/shop/products/{id}", get(detail))
        .route("/shop/images/{file}", get(image))
}

async fn listing(Query(query): Query<HashMap<String, String>>) -> Response {
    let page = match query.get("page") {
        None => Some(1),
        Some(p) => p.parse::<usize>().ok(),
    };
    match page.and_then(pages::products) {
        Some(html) => Html(html).into_response(),
        None => not_found(),
    }
}

async fn detail(Path(id): Path<String>) -> Response {
    match id.parse::<usize>().ok().and_then(pages::detail) {
        Some(html) => Html(html).into_response(),
        None => not_found(),
    }
}

async fn image(Path(file): Path<String>) -> Response {
    let svg = file
        .strip_suffix(".svg")
        .and_then(|id| id.parse::<usize>().ok())
        .and_then(pages::image);
    match svg {
        Some(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
        None => not_found(),
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html("<!doctype html><title>Not found</title><h1>Not found</h1><p>No such page in the demo shop.</p>"),
    )
        .into_response()
}
