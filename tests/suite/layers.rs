//! The module graph read from the `use crate::…` lines (and inline `crate::…` paths) of every
//! file under src/: no import from a lower layer up into a higher one, and no circle between
//! top-level modules. The layers, highest first, as the architecture drawing has them:
//!
//! 1. `main`, `lib`, `cli`, `app`, `config`: the binary and its wiring
//! 2. `transport`: stdio, Streamable HTTP, legacy SSE
//! 3. `mcp`: the tools
//! 4. `jobs`: platform-neutral handling
//! 5. `api`, `deck`, `local`: the platforms (siblings; no circle among them)
//! 6. `records`: run output to records
//! 7. `caller`, `id`, `listener`, `private`, `quote`, `random`, `schedule_rules`,
//!    `serde_words`: leaves every layer uses
//!
//! A platform (`api`, `deck`) implements `jobs::Platform` in terms of the neutral model, so it
//! may import the model's modules of `jobs` (`MODEL`, to be gathered into one module) and
//! nothing else of it. The engine (`local`) sits behind the REST API and imports none of `jobs`.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

const LAYERS: &[&[&str]] = &[
    &["main", "lib", "cli", "app", "config"],
    &["transport"],
    &["mcp"],
    &["jobs"],
    &["api", "deck", "local"],
    &["records"],
    &[
        "caller",
        "id",
        "listener",
        "private",
        "quote",
        "random",
        "schedule_rules",
        "serde_words",
    ],
];

/// The platform-neutral model in `jobs` that the platforms implement and speak.
const MODEL: &[&str] = &[
    "Platform",
    "platform",
    "ToolFailure",
    "Code",
    "failure",
    "RunState",
    "Run",
    "Build",
    "BuildState",
    "state",
    "Id",
    "ID_SCHEMA_MARKER",
    "Need",
    "catalog",
    "agent_details",
    "diagnostics",
    "interactions",
    "schedules",
    "spaces",
    "summary",
    "usage",
];

/// Imports up that are known and not yet opened, each with its reason. None is left (issue 20,
/// item 9 opened the last: the engine's schedules now follow `schedule_rules`, and it serves
/// HTTP with the `listener` leaf), so any import up a layer fails the test.
const PENDING: &[(&str, &str)] = &[];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("module {module} is in no layer: add it to LAYERS"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The crate paths a `use crate::…;` tree names, each as its first two segments.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim_end_matches("::").trim();
        let inner = &tree[open + 1..tree.rfind('}').unwrap()];
        let base = if head.is_empty() {
            prefix.to_string()
        } else {
            join(prefix, head)
        };
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&base, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&base, &inner[start..], out);
    } else if !tree.is_empty() {
        out.push(join(prefix, tree.split(" as ").next().unwrap().trim()));
    }
}

fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_string()
    } else {
        format!("{prefix}::{path}")
    }
}

/// Each file's top-level module and the `module::item` paths it imports from the crate.
fn imports() -> Vec<(String, PathBuf, Vec<String>)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let rel = file.strip_prefix(&src).unwrap();
            let module = rel
                .iter()
                .next()
                .unwrap()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            let text = std::fs::read_to_string(&file).unwrap();
            let mut paths = Vec::new();
            let mut rest = text.as_str();
            while let Some(at) = rest.find("use crate::") {
                let stmt = &rest[at + "use crate::".len()..];
                let end = stmt.find(';').unwrap();
                expand("", &stmt[..end], &mut paths);
                rest = &stmt[end..];
            }
            for (at, _) in text.match_indices("crate::") {
                let tail: String = text[at + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                if !tail.is_empty() && !text[..at].ends_with("use ") {
                    paths.push(tail);
                }
            }
            let paths = paths
                .into_iter()
                .map(|p| p.split("::").take(2).collect::<Vec<_>>().join("::"))
                .filter(|p| !p.is_empty() && p.split("::").next() != Some(module.as_str()))
                .collect();
            (module, file, paths)
        })
        .collect()
}

#[test]
fn no_import_goes_up_a_layer_and_no_circle_joins_top_level_modules() {
    let mut up = BTreeSet::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file, paths) in imports() {
        for path in paths {
            let target = path.split("::").next().unwrap().to_string();
            if target == "self" || target == "super" || target == "r#" {
                continue;
            }
            let item = path.split("::").nth(1).unwrap_or_default();
            let platform_model = ["api", "deck"].contains(&module.as_str())
                && target == "jobs"
                && MODEL.contains(&item);
            if layer(&target) < layer(&module) && !platform_model {
                up.insert((module.clone(), path.clone(), file.display().to_string()));
            }
            if !platform_model {
                graph.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    let found: BTreeSet<(String, String)> =
        up.iter().map(|(m, p, _)| (m.clone(), p.clone())).collect();
    let pending: BTreeSet<(String, String)> = PENDING
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        found, pending,
        "imports up a layer (module, path) differ from the pending list; the files: {up:#?}"
    );
    // No circle between top-level modules, the pending imports left out.
    for (m, p) in &pending {
        if let Some(targets) = graph.get_mut(m) {
            targets.remove(p.split("::").next().unwrap());
        }
    }
    fn reaches(
        graph: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        to: &str,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        graph
            .get(from)
            .into_iter()
            .flatten()
            .any(|next| next == to || (seen.insert(next.clone()) && reaches(graph, next, to, seen)))
    }
    for (module, targets) in &graph {
        for target in targets {
            assert!(
                !reaches(&graph, target, module, &mut BTreeSet::new()),
                "a circle: {module} imports {target}, which leads back to {module}"
            );
        }
    }
}

/// The protocol stays in the layers that speak it: no file below `mcp` names rmcp, so the jobs
/// layer reports a wait's progress through its own `Progress` sink and the platforms and the
/// engine know nothing of MCP.
#[test]
fn no_layer_below_the_tools_uses_the_mcp_library() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let below: Vec<String> = files
        .iter()
        .filter(|file| {
            let module = file.strip_prefix(&src).unwrap().iter().next().unwrap();
            layer(module.to_string_lossy().trim_end_matches(".rs")) > layer("mcp")
        })
        .filter(|file| std::fs::read_to_string(file).unwrap().contains("rmcp::"))
        .map(|file| file.display().to_string())
        .collect();
    assert!(
        below.is_empty(),
        "rmcp used below the mcp layer in {below:?}"
    );
}
