//! The real binary's `doctor` and flag parsing: doctor fails where `serve` would, and every
//! boolean flag's environment twin takes the usual spellings.

use std::process::{Command, Output};

/// Runs `sequentum-mcp doctor` on the embedded engine with a fresh data directory, `args`
/// and `env`, without any inherited Sequentum or MCP variable.
fn doctor(data: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sequentum-mcp"));
    command.arg("doctor").arg("--data-dir").arg(data).args(args);
    for (name, _) in std::env::vars() {
        if name.starts_with("SEQUENTUM_") || name.starts_with("MCP_") {
            command.env_remove(name);
        }
    }
    command
        .env("SEQUENTUM_BACKEND", "local")
        .envs(env.iter().copied())
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
