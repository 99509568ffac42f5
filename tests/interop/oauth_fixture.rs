//! The test authorization server and the fake Sequentum API as one small program, for the
//! interop check (`.ci/interop.sh`), where the Python MCP SDK signs in by itself against the
//! real server binary. Test code only: it is an example target, never part of the shipped
//! binary.
//!
//! It prints one JSON line (`{"api": …, "issuer": …, "client_id": …, "client_secret": …}`,
//! the last two being what the server passes as --oauth-client-id/--oauth-client-secret) on
//! stdout and serves until killed. The
//! fake API holds one agent for `alice` ("Alice shop") and one for `bob` ("Bob books"); the
//! authorization server offers token exchange, and its scripted user approves every
//! authorization as the user named by `login_hint`.

#[path = "../suite/support/mod.rs"]
mod support;

use support::{
    FakeApi,
    auth_server::{AuthServer, SERVER_CLIENT},
};

#[tokio::main]
async fn main() {
    let fake = FakeApi::start().await;
    let auth = AuthServer::start(true, fake.base_url().as_str()).await;
    fake.accept_bearer(auth.api_user());
    fake.add_agent_for("Alice shop", "alice");
    fake.add_agent_for("Bob books", "bob");
    println!(
        "{}",
        serde_json::json!({
            "api": fake.base_url().as_str(),
            "issuer": auth.issuer(),
            "client_id": SERVER_CLIENT.0,
            "client_secret": SERVER_CLIENT.1,
        })
    );
    std::future::pending::<()>().await;
}
