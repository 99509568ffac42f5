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
//! A platform (`api`, `deck`) implements `jobs::model::Platform` in terms of the neutral model,
//! so it may import `jobs::model` and nothing else of `jobs`; the model in turn imports nothing
//! of the jobs logic above it. The engine (`local`) sits behind the REST API and imports none of `jobs`.

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

/// The platform-neutral model in `jobs` that the platforms implement and speak: one module,
/// `jobs::model`.
const MODEL: &[&str] = &["model"];

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

/// The model the platforms speak stands on its own: no file of `jobs::model` reaches up into
/// the rest of `jobs` (the waits, the views, `Jobs`), so a platform that imports the model
/// imports nothing else of the layer above it.
#[test]
fn the_jobs_model_imports_nothing_of_the_jobs_logic() {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/jobs/model");
    let mut files = Vec::new();
    rust_files(&model, &mut files);
    assert!(files.len() >= 10, "the model's files: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let outside = text
            .match_indices("crate::jobs::")
            .any(|(at, _)| !text[at..].starts_with("crate::jobs::model"));
        assert!(
            !outside && !text.contains("super::super"),
            "{} imports from jobs outside its model",
            file.display()
        );
    }
}

/// No circle among the files of `jobs` either (the model's platform with its spaces, summary
/// and views once made one): each file's `use super::…` and `crate::jobs::…` imports, resolved
/// to the sibling file they name, never lead back to the file.
#[test]
fn no_circle_joins_the_files_of_jobs() {
    let jobs = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/jobs");
    let mut files = Vec::new();
    rust_files(&jobs, &mut files);
    // A file's module path under jobs ("runs", "model/platform"; "model" for model/mod.rs).
    let module = |file: &Path| {
        let rel = file.strip_prefix(&jobs).unwrap().with_extension("");
        let rel = rel.to_string_lossy().replace('\\', "/");
        rel.trim_end_matches("/mod")
            .trim_end_matches("mod")
            .to_string()
    };
    let known: BTreeSet<String> = files.iter().map(|f| module(f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = module(file);
        let is_dir_module = file.ends_with("mod.rs");
        let parent = match from.rsplit_once('/') {
            _ if is_dir_module => from.rsplit_once('/').map_or("", |(p, _)| p).to_string(),
            Some((p, _)) => p.to_string(),
            None => String::new(),
        };
        let text = std::fs::read_to_string(file).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap();
        let mut paths = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find("use super::") {
            let stmt = &rest[at + "use super::".len()..];
            let end = stmt.find(';').unwrap();
            expand("", &stmt[..end], &mut paths);
            rest = &stmt[end..];
        }
        let resolve = |path: &str, base: &str| {
            let mut found = base.to_string();
            for segment in path.split("::") {
                let next = if found.is_empty() {
                    segment.to_string()
                } else {
                    format!("{found}/{segment}")
                };
                if !known.contains(&next) {
                    break;
                }
                found = next;
            }
            found
        };
        let mut targets: BTreeSet<String> = paths.iter().map(|p| resolve(p, &parent)).collect();
        for (at, _) in text.match_indices("crate::jobs::") {
            let tail: String = text[at + "crate::jobs::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            targets.insert(resolve(&tail, ""));
        }
        targets.retain(|t| !t.is_empty() && *t != from && *t != parent);
        graph.insert(from, targets);
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
    assert!(
        graph["model/platform"].contains("model/spaces"),
        "the imports are read: {graph:#?}"
    );
    for (module, targets) in &graph {
        for target in targets {
            assert!(
                !reaches(&graph, target, module, &mut BTreeSet::new()),
                "a circle in jobs: {module} imports {target}, which leads back to {module}"
            );
        }
    }
}
