//! The `sequentum-mcp` command. With no subcommand it serves MCP over stdio, which is what MCP
//! client configurations launch. stdout is the protocol channel then: everything else,
//! logs included, goes to stderr.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sequentum_mcp::{
    cli,
    config::{EngineArgs, ServeArgs},
};
use tracing_subscriber::EnvFilter;

/// MCP server for Sequentum web-data agents: build agents from plain language, run them,
/// follow and stop runs, and read the records they extract. Without SEQUENTUM_API_KEY it uses
/// an embedded local engine, so it works with no account.
#[derive(Debug, Parser)]
#[command(
    name = "sequentum-mcp",
    version,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve MCP (the default): over stdio, or over HTTP with --transport http.
    Serve(ServeArgs),
    /// Run the embedded engine alone as a Sequentum-compatible REST API.
    LocalApi {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8788")]
        listen: std::net::SocketAddr,
        /// API key clients must send (`Authorization: ApiKey <key>`) [default: a new random key, printed].
        #[arg(long, env = "SEQUENTUM_LOCAL_API_KEY", hide_env_values = true)]
        api_key: Option<String>,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Build an agent for the bundled demo shop, run it and print its records, through the
    /// real MCP tools on the embedded engine.
    Demo {
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Print the tool catalog (tools/list) as JSON with its size against the budgets, or
    /// write the snapshots (every tool, the prompts, the default instructions) into a directory.
    Tools {
        /// Directory to write the snapshots into (e.g. tools/).
        #[arg(long)]
        write: Option<std::path::PathBuf>,
        #[command(flatten)]
        toolsets: sequentum_mcp::config::ToolsetArgs,
        /// Only the tools that change nothing.
        #[arg(long)]
        read_only: bool,
    },
    /// The data directory's background engine: run it, see it, stop it, read its log.
    #[command(subcommand)]
    Engine(cli::engine::EngineCommand),
    /// Check configuration, credentials and reachability, with advice.
    Doctor {
        #[command(flatten)]
        serve: ServeArgs,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Cli::parse();
    // The background engine logs its life (start, recovery, stop) to its log file.
    let default_filter = match &args.command {
        Some(Command::Engine(cli::engine::EngineCommand::Run { .. })) => "warn,sequentum_mcp=info",
        _ => "warn",
    };
    // rmcp's debug and trace lines dump whole requests and responses, tool arguments
    // included (the MFA code a user gives answer_interaction), and its info lines dump the
    // client's whole peer_info at every start: only its warnings pass, whatever RUST_LOG
    // says. A directive added after RUST_LOG's own for the same target wins.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| default_filter.into())
        .add_directive("rmcp=warn".parse().expect("a valid directive"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let outcome = match args.command {
        None => cli::serve(args.serve).await,
        Some(Command::Serve(serve)) => cli::serve(serve).await,
        Some(Command::LocalApi {
            listen,
            api_key,
            engine,
        }) => cli::local_api(listen, api_key, engine).await,
        Some(Command::Demo { engine }) => cli::demo::run(engine).await,
        Some(Command::Tools {
            write,
            toolsets,
            read_only,
        }) => cli::tools::run(
            write.as_deref(),
            &sequentum_mcp::mcp::toolsets::Selection {
                toolsets: toolsets.toolsets,
                tools: toolsets.tools,
                read_only,
            },
        ),
        Some(Command::Engine(command)) => cli::engine::run(command).await,
        Some(Command::Doctor { serve }) => cli::doctor::run(serve).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sequentum-mcp: {e:#}");
            ExitCode::FAILURE
        }
    }
}
