//! `outreach-lsp check`: find templates, lint them in parallel, print findings, choose the exit code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::{output, CheckArgs, Format};
use crate::config::{self, Config, ConfigError};
use crate::finding::Finding;

/// One checked file.
pub struct Checked {
    pub path: PathBuf,
    pub text: String,
    pub findings: Vec<Finding>,
}

const SKIP_DIRS: &[&str] = &[".git", "target", "node_modules"];

/// Files under `paths`, with whether each was named explicitly.
fn collect(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<(PathBuf, bool)> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let walker = walkdir::WalkDir::new(p)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    !(e.file_type().is_dir()
                        && e.depth() > 0
                        && SKIP_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
                });
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() => files.push((e.into_path(), false)),
                    Ok(_) => {}
                    Err(e) => errors.push(format!("error: {e}")),
                }
            }
        } else if p.exists() {
            files.push((p.clone(), true));
        } else {
            errors.push(format!("error: {}: no such file or folder", p.display()));
        }
    }
    files
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let mut errors: Vec<String> = Vec::new();
    let forced: Option<Arc<Config>> = match &args.config {
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| ConfigError {
                message: format!("cannot read: {e}"),
                line: None,
                path: Some(p.clone()),
            })
            .and_then(|t| Config::from_toml(&t, Some(p)))
        {
            Ok(c) => Some(Arc::new(c)),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let files = collect(&args.paths, &mut errors);
    // One configuration per folder, looked up once.
    let mut configs: BTreeMap<PathBuf, Arc<Config>> = BTreeMap::new();
    let mut config_errors: BTreeMap<String, ()> = BTreeMap::new();
    for (path, _) in &files {
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        if configs.contains_key(&dir) {
            continue;
        }
        let c = match &forced {
            Some(c) => c.clone(),
            None => match config::load_for(&absolute(&dir), None) {
                Ok(c) => Arc::new(c),
                Err(e) => {
                    config_errors.insert(format!("error: {e}"), ());
                    Arc::new(Config::default())
                }
            },
        };
        configs.insert(dir, c);
    }
    let results: Vec<Result<Option<Checked>, String>> = files
        .par_iter()
        .map(|(path, explicit)| {
            let dir = path.parent().unwrap_or(Path::new("."));
            let config = configs.get(dir).cloned().unwrap_or_default();
            check_file(path, *explicit, &config)
        })
        .collect();
    let mut checked = Vec::new();
    for r in results {
        match r {
            Ok(Some(c)) => checked.push(c),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    for e in config_errors.keys() {
        eprintln!("{e}");
    }
    for e in &errors {
        eprintln!("{e}");
    }
    let stdout = std::io::stdout();
    let result = match args.format {
        Format::Human => output::human(&checked, args.color),
        Format::Json => output::json(&mut stdout.lock(), &checked),
        Format::Sarif => output::sarif(&mut stdout.lock(), &checked),
    };
    if let Err(e) = result {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write output: {e}");
            return ExitCode::from(2);
        }
    }
    if !errors.is_empty() || !config_errors.is_empty() {
        return ExitCode::from(2);
    }
    let threshold = args.fail_on.threshold();
    if checked
        .iter()
        .flat_map(|c| &c.findings)
        .any(|f| f.severity >= threshold)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn check_file(path: &Path, explicit: bool, config: &Config) -> Result<Option<Checked>, String> {
    // Cheap rejection by name before reading: only Markdown and template names can be templates,
    // unless an include glob says otherwise.
    let by_name = config::has_template_extension(path) || config::is_markdown(path);
    if !by_name && !config.is_template(path, None) {
        if explicit {
            eprintln!("note: {}: skipped, not a template (see \"Which files are templates\" in the README)", path.display());
        }
        return Ok(None);
    }
    let bytes =
        std::fs::read(path).map_err(|e| format!("error: {}: cannot read: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "error: {}: not valid UTF-8 (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    if !config.is_template(path, Some(&text)) {
        if explicit {
            eprintln!(
                "note: {}: skipped, not a template (no `channel` or `kind` in its front matter)",
                path.display()
            );
        }
        return Ok(None);
    }
    let findings = crate::lint::lint(&text, config).findings;
    Ok(Some(Checked {
        path: path.to_path_buf(),
        text,
        findings,
    }))
}
