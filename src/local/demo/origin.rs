//! Where the demo shop answers: a listener of its own on a port remembered in the data
//! directory (`demo-port`). Agents and schedules keep the URL they were built on; the API's
//! port is new for every engine and a link's port dies with its server process, so a shop
//! below either would stop answering in the next conversation or after an idle exit. The
//! remembered port is taken again whenever it is free; only when another program holds it
//! does the shop move (and the log says so).

use std::{
    io,
    net::{IpAddr, SocketAddr},
    path::Path,
};

use axum::{Router, http::header, response::IntoResponse, routing::get};
use tokio::net::TcpListener;
use url::Url;

use crate::private;

/// The file in the data directory that remembers the demo shop's port.
pub const PORT_FILE: &str = "demo-port";

/// The product listing, relative to the demo origin: what the instructions announce.
pub const SHOP_PATH: &str = "demo/shop/products";

/// The demo origin's listener on `ip`: the remembered port when it is free, else a new one,
/// remembered from now on.
pub async fn bind(data_dir: &Path, ip: IpAddr) -> io::Result<TcpListener> {
    let file = data_dir.join(PORT_FILE);
    let remembered = std::fs::read_to_string(&file)
        .ok()
        .and_then(|text| text.trim().parse::<u16>().ok())
        .filter(|port| *port != 0);
    if let Some(port) = remembered {
        match TcpListener::bind(SocketAddr::new(ip, port)).await {
            Ok(listener) => return Ok(listener),
            Err(e) => tracing::warn!(
                port,
                error = %e,
                "the demo shop's port is held by another program; the shop moves to a new port, and agents built on the old address need their start URL changed"
            ),
        }
    }
    let listener = TcpListener::bind(SocketAddr::new(ip, 0)).await?;
    let port = listener.local_addr()?.port();
    if let Err(e) = private::write_atomic(&file, port.to_string().as_bytes()) {
        tracing::warn!(error = %e, "could not remember the demo shop's port; it may move when the engine restarts");
    }
    Ok(listener)
}

/// The shop's listing URL on a demo origin (`http://127.0.0.1:PORT/`).
pub fn shop_url(origin: &Url) -> Url {
    origin.join(SHOP_PATH).expect("a path joins a base URL")
}

/// The demo origin's routes: the shop under `/demo`, and a robots.txt that lets crawlers in.
pub fn app() -> Router {
    Router::new()
        .nest("/demo", super::router())
        .route("/robots.txt", get(robots))
}

async fn robots() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "User-agent: *\nAllow: /\n",
    )
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    #[tokio::test]
    async fn the_port_is_remembered_and_taken_again() {
        let dir = tempfile::tempdir().unwrap();
        let first = bind(dir.path(), LOOPBACK).await.unwrap();
        let port = first.local_addr().unwrap().port();
        drop(first);
        let again = bind(dir.path(), LOOPBACK).await.unwrap();
        assert_eq!(again.local_addr().unwrap().port(), port);
    }

    #[tokio::test]
    async fn a_held_port_moves_the_shop_and_the_new_port_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let holder = bind(dir.path(), LOOPBACK).await.unwrap();
        let held = holder.local_addr().unwrap().port();
        let moved = bind(dir.path(), LOOPBACK).await.unwrap();
        let port = moved.local_addr().unwrap().port();
        assert_ne!(port, held);
        let file = std::fs::read_to_string(dir.path().join(PORT_FILE)).unwrap();
        assert_eq!(file, port.to_string());
    }
}
