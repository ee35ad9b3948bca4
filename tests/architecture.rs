//! The import rules of ARCHITECTURE.md ("Invariants"), checked on the source: a module may only use the
//! layers below it. The check reads `crate::…` paths (also inside `use crate::{…}` groups) and the LSP
//! crates' names in every file under `src/`.

use std::path::{Path, PathBuf};

/// The top-level module a file belongs to (`src/server/state.rs` -> `server`, `src/lint.rs` -> `lint`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level modules a file names through `crate::` (comments are skipped).
fn crate_uses(text: &str) -> Vec<String> {
    let mut used = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::c}`: every name in the group (one line is enough for this code base).
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        used.push(name);
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                used.push(name);
            }
        }
    }
    used
}

/// What each layer must not use. Everything not listed may use anything below `server` and `cli`.
fn forbidden(module: &str) -> &'static [&'static str] {
    // The core knows neither front end nor how a project on disk is resolved.
    const ABOVE_CORE: &[&str] = &["server", "cli", "project"];
    match module {
        "main" | "lib" => &[],
        "project" => &["server", "cli"],
        "cli" => &["server"],
        "server" => &["cli"],
        // The template model is the bottom layer of the core.
        "model" | "text" | "finding" | "phrases" | "language" => &[
            "server", "cli", "analysis", "rules", "lint", "config", "insight", "project",
        ],
        "analysis" => &["server", "cli", "rules", "lint", "project"],
        "config" => &["server", "cli", "rules", "lint", "analysis", "project"],
        _ => ABOVE_CORE,
    }
}

#[test]
fn layers_use_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "found only {} source files", files.len());
    let mut broken = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let text = std::fs::read_to_string(file).unwrap();
        for used in crate_uses(&text) {
            if forbidden(&module).contains(&used.as_str()) {
                broken.push(format!(
                    "{} ({module}) uses crate::{used}",
                    file.strip_prefix(&src).unwrap().display()
                ));
            }
        }
        // LSP types stay in the server: the core and the CLI speak in byte spans.
        if module != "server" && (text.contains("tower_lsp_server") || text.contains("ls_types")) {
            broken.push(format!(
                "{} ({module}) uses LSP types",
                file.strip_prefix(&src).unwrap().display()
            ));
        }
    }
    broken.sort();
    broken.dedup();
    assert!(
        broken.is_empty(),
        "import rules broken:\n{}",
        broken.join("\n")
    );
}

/// The checker itself sees the forms of `use` this code base writes.
#[test]
fn the_checker_reads_grouped_and_inline_paths() {
    let uses = crate_uses(
        "use crate::{cli::x, server};\nlet a = crate::rules::find(\"x\"); // crate::lint\n",
    );
    assert_eq!(uses, ["cli", "server", "rules"]);
    assert_eq!(forbidden("server"), &["cli"]);
    assert!(forbidden("analysis").contains(&"rules"));
}
