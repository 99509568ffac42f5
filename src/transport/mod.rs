//! How MCP clients reach the server: stdio for clients that launch a process, and HTTP for
//! assistants that cannot (Streamable HTTP on `/mcp`, the deprecated 2024-11-05 HTTP+SSE pair
//! `/sse` + `/message` for older clients, and `/health` for probes).
//!
//! Everything here is generic over the rmcp handler, so the transport neither knows nor cares
//! which tools exist. No MCP state lives in the transport: `/mcp` is served statelessly and one
//! shared handler is cloned per request (or per legacy SSE session).

mod frame;
mod guards;
pub mod http;
mod legacy_sse;
pub mod oauth;
pub mod options;
pub mod stdio;

pub use crate::listener::Rate;
pub use http::{router, serve_http, serve_http_on};
pub use options::HttpOptions;
pub use stdio::{serve_lines, serve_stdio};
