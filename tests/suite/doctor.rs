//! The real binary's `doctor` and flag parsing: doctor fails where `serve` would (with the
//! same words), recognises the placeholder keys of mcp.json.example, says which sign-in the
//! HTTP server would use (OAuth against the test authorization server), and every boolean
//! flag's environment twin takes the usual spellings.

use std::{
    path::Path,
    process::{Command, Output, Stdio},
};

/// Runs `sequentum-mcp doctor` on the embedded engine with a fresh data directory, `args`
/// and `env`, without any inherited Sequentum or MCP variable.
fn doctor(data: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut env = env.to_vec();
    env.insert(0, ("SEQUENTUM_BACKEND", "local"));
    binary("doctor", data, args, &env)
}

/// Runs `sequentum-mcp <subcommand>` with a data directory, `args` and `env` (and no
/// inherited Sequentum, Deck or MCP variable), stdin closed.
fn binary(subcommand: &str, data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sequentum-mcp"));
    command
        .arg(subcommand)
        .arg("--data-dir")
        .arg(data)
        .args(args);
    for (name, _) in std::env::vars() {
        if ["SEQUENTUM_", "MCP_", "DECK_"]
            .iter()
            .any(|p| name.starts_with(p))
        {
            command.env_remove(name);
        }
    }
    command
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn doctor_fails_an_exposed_listen_address_without_a_token() {
    let data = tempfile::tempdir().unwrap();
    let exposed = doctor(
        data.path(),
        &["--transport", "http", "--listen", "0.0.0.0:9999"],
        &[],
    );
    let text = stdout(&exposed);
    assert!(!exposed.status.success(), "{text}");
    assert!(
        text.contains("FAIL  HTTP transport") && text.contains("--auth-token"),
        "{text}"
    );
    assert!(!text.contains("all checks passed"), "{text}");

    let with_token = doctor(
        data.path(),
        &["--transport", "http", "--listen", "0.0.0.0:9999"],
        &[("MCP_AUTH_TOKEN", "a-long-random-token")],
    );
    let text = stdout(&with_token);
    assert!(with_token.status.success(), "{text}");
    assert!(
        !text.contains("a-long-random-token"),
        "the token is never printed"
    );
}

#[test]
fn doctor_fails_an_output_directory_it_cannot_create() {
    let data = tempfile::tempdir().unwrap();
    // A path below a regular file cannot be a directory, whoever runs the test (root included).
    let file = data.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let output_dir = file.join("exports");
    let output = doctor(
        data.path(),
        &["--output-dir", output_dir.to_str().unwrap()],
        &[],
    );
    let text = stdout(&output);
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains("FAIL  output directory") && text.contains("--output-dir"),
        "{text}"
    );

    let fine = doctor(data.path(), &[], &[]);
    assert!(fine.status.success(), "{}", stdout(&fine));
    assert!(stdout(&fine).contains("all checks passed"));
}

#[test]
fn boolean_environment_values_take_the_usual_spellings() {
    let data = tempfile::tempdir().unwrap();
    for yes in ["1", "yes", "on", "TRUE", "true"] {
        let output = doctor(
            data.path(),
            &[],
            &[
                ("SEQUENTUM_MCP_READ_ONLY", yes),
                ("SEQUENTUM_MCP_IGNORE_ROBOTS", yes),
            ],
        );
        let text = stdout(&output);
        assert!(
            output.status.success(),
            "{yes}: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            text.contains("read-only") && text.contains("ignores robots.txt"),
            "{yes}: {text}"
        );
    }
    for no in ["0", "no", "off", "FALSE"] {
        let output = doctor(data.path(), &[], &[("SEQUENTUM_MCP_READ_ONLY", no)]);
        let text = stdout(&output);
        assert!(output.status.success(), "{no}: {text}");
        assert!(!text.contains("read-only"), "{no}: {text}");
    }
    let wrong = doctor(data.path(), &[], &[("SEQUENTUM_MCP_READ_ONLY", "maybe")]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("maybe"));
}

/// Flags, environment, and words of the refusal.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[test]
fn doctor_refuses_what_serve_refuses_in_the_same_words() {
    let data = tempfile::tempdir().unwrap();
    let local = [("SEQUENTUM_BACKEND", "local")];
    let placeholder = [("SEQUENTUM_API_KEY", "sk-your-key-here")];
    let cases: [Case; 4] = [
        (
            &["--toolsets", "core,bogus"],
            &local,
            "unknown toolset \"bogus\"",
        ),
        (&["--tools", "nope"], &local, "unknown tool \"nope\""),
        (&[], &placeholder, "placeholder of mcp.json.example"),
        (
            &["--transport", "http", "--listen", "0.0.0.0:9"],
            &local,
            "--auth-token",
        ),
    ];
    for (args, env, words) in cases {
        let serve_args = [&["--engine-mode", "in-process"], args].concat();
        let serve = binary("serve", data.path(), &serve_args, env);
        let refusal = String::from_utf8_lossy(&serve.stderr).into_owned();
        assert!(!serve.status.success(), "serve {args:?} started: {refusal}");
        let doctor = binary("doctor", data.path(), args, env);
        let text = stdout(&doctor);
        assert!(!doctor.status.success(), "doctor {args:?} passed: {text}");
        let line = refusal
            .lines()
            .find(|l| l.contains(words))
            .unwrap_or_else(|| panic!("serve {args:?} says {words:?}: {refusal}"));
        let reason = line.rsplit(": ").next().unwrap();
        assert!(
            text.lines()
                .any(|l| l.starts_with("FAIL") && l.contains(reason)),
            "doctor {args:?} gives serve's reason {reason:?}: {text}"
        );
    }

    // What serve accepts, doctor passes, listing the tools serve offers and the same note on
    // what it leaves out. (With stdin closed, serve gets as far as waiting for initialize.)
    let args = ["--toolsets", "all", "--read-only"];
    let doctor = binary("doctor", data.path(), &args, &local);
    let text = stdout(&doctor);
    assert!(doctor.status.success(), "{text}");
    let tools = text.lines().find(|l| l.contains("tools offered")).unwrap();
    assert!(
        tools.contains("list_runs") && !tools.contains("run_agent"),
        "{tools}"
    );
    let note = text
        .lines()
        .find_map(|l| l.strip_prefix("note  not offered: "))
        .unwrap_or_else(|| panic!("a note on what is left out: {text}"));
    assert_eq!(note, "the local backend has no list_credentials, get_usage");
    let serve = binary(
        "serve",
        data.path(),
        &[&["--engine-mode", "in-process"], &args[..]].concat(),
        &local,
    );
    let log = String::from_utf8_lossy(&serve.stderr);
    assert!(
        log.contains(&format!("sequentum-mcp: not offered: {note}\n"))
            && log.contains("initialize"),
        "{log}"
    );
}

#[test]
fn every_entry_of_mcp_json_example_works_or_says_what_to_replace() {
    let example: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/mcp.json.example")).unwrap(),
    )
    .unwrap();
    let servers = example["mcpServers"].as_object().unwrap();
    let mut without_account = 0;
    for (name, entry) in servers {
        let data = tempfile::tempdir().unwrap();
        let env: Vec<(&str, &str)> = entry["env"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
            .collect();
        // The entries launch the npm package (`npx -y sequentum-mcp-server [flags]`): what
        // follows the package name is what the binary receives.
        let mut args: Vec<&str> = entry["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        if entry["command"] == "npx" {
            let package = args.iter().position(|a| *a == "sequentum-mcp-server");
            args.drain(..=package.expect("the npx entry names the package"));
        }
        let output = binary("doctor", data.path(), &args, &env);
        let text = stdout(&output);
        if env.is_empty() {
            without_account += 1;
            assert!(output.status.success(), "{name}: {text}");
            assert!(text.contains("embedded local engine"), "{name}: {text}");
        } else {
            assert!(!output.status.success(), "{name}: {text}");
            assert!(
                text.contains("placeholder of mcp.json.example")
                    && text.contains("embedded engine, which needs no account"),
                "{name}: {text}"
            );
        }
    }
    assert_eq!(without_account, 1, "one entry works with no account");
    assert!(servers.len() >= 3, "engine, cloud and Deck entries");
}

#[tokio::test]
async fn doctor_names_oauth_sign_in_and_shows_the_resource_metadata_it_would_serve() {
    use crate::support::{FakeApi, auth_server::AuthServer};
    let fake = FakeApi::start().await;
    let auth = AuthServer::start(true, fake.base_url().as_str()).await;
    let data = tempfile::tempdir().unwrap();
    let (issuer, api) = (auth.issuer(), fake.base_url().to_string());
    let run = move |backend: &'static str| {
        let (issuer, api, dir) = (issuer.clone(), api.clone(), data.path().to_path_buf());
        tokio::task::spawn_blocking(move || {
            let env = [
                ("SEQUENTUM_BACKEND", backend),
                ("MCP_AUTH", "oauth"),
                ("MCP_PUBLIC_URL", "https://mcp.example.com/mcp"),
                ("MCP_OAUTH_ISSUER", issuer.as_str()),
                ("SEQUENTUM_API_URL", api.as_str()),
            ];
            binary("doctor", &dir, &["--transport", "http"], &env)
        })
    };
    let ok = run("cloud").await.unwrap();
    let text = stdout(&ok);
    assert!(ok.status.success(), "{text}");
    assert!(
        text.contains("ok    sign-in: OAuth") && text.contains("token exchange"),
        "{text}"
    );
    assert!(
        text.contains(r#""resource":"https://mcp.example.com/mcp""#),
        "the resource metadata: {text}"
    );
    assert!(text.contains("each signed-in user's own token"), "{text}");

    let local = run("local").await.unwrap();
    let text = stdout(&local);
    assert!(!local.status.success(), "{text}");
    assert!(
        text.contains("FAIL  sign-in") && text.contains("--backend cloud"),
        "{text}"
    );
}
