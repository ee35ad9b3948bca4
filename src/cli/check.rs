//! `outreach-lsp check`: find templates, read them in parallel, index the workspace, lint in parallel,
//! print findings, choose the exit code.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{output, CheckArgs};
use crate::config::{self, Config, ConfigError};
use crate::contacts::Contacts;
use crate::finding::Finding;
use crate::lint::Inputs;
use crate::workspace::WorkspaceIndex;

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

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Every template under `root` with its text, read in parallel (used by the server's workspace scan).
/// Each file is judged with the `.outreach.toml` of its folder (found up to `root`) over `base`.
pub fn collect_templates(root: &Path, base: &Config) -> Vec<(PathBuf, String)> {
    let mut errors = Vec::new();
    let files = collect(&[root.to_path_buf()], &mut errors);
    let mut configs: HashMap<PathBuf, Arc<Config>> = HashMap::new();
    for (path, _) in &files {
        let dir = path.parent().unwrap_or(root).to_path_buf();
        configs.entry(dir.clone()).or_insert_with(|| {
            Arc::new(match config::load_for(&dir, Some(root)) {
                Ok(c) => base.merged(&c),
                Err(_) => base.clone(),
            })
        });
    }
    files
        .par_iter()
        .filter_map(|(path, _)| {
            let config = configs.get(path.parent()?)?;
            read_template(path, false, config).ok().flatten()
        })
        .collect()
}

/// Reads `path` when it is a template: Ok(None) when it is not, Err with a one-line message when it
/// cannot be read or is not UTF-8.
fn read_template(
    path: &Path,
    explicit: bool,
    config: &Config,
) -> Result<Option<(PathBuf, String)>, String> {
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
    template_from_bytes(path, bytes, explicit, config)
}

/// The template in `bytes` read for `path` (a file or standard input), or None when its name and
/// front matter say it is not one.
fn template_from_bytes(
    path: &Path,
    bytes: Vec<u8>,
    explicit: bool,
    config: &Config,
) -> Result<Option<(PathBuf, String)>, String> {
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
    Ok(Some((path.to_path_buf(), text)))
}

/// The folder whose `.outreach.toml` applies to `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The configuration for templates in `dir`. The one place `check` looks a folder's config up, for
/// files and standard input alike.
fn folder_config(dir: &Path) -> Result<Config, ConfigError> {
    config::load_for(&absolute(dir), None)
}

/// What standard input stands for when `-` is among the paths: Ok(None) when it is not, Err with a
/// one-line usage message when `-` is mixed with paths or `--stdin-filename` comes without `-`.
fn stdin_path(args: &CheckArgs) -> Result<Option<(PathBuf, bool)>, String> {
    let dash = args.paths.iter().any(|p| p.as_os_str() == "-");
    match (dash, &args.stdin_filename) {
        (true, _) if args.paths.len() > 1 => {
            Err("error: `-` (standard input) cannot be combined with other paths".into())
        }
        (true, Some(name)) => Ok(Some((name.clone(), true))),
        (true, None) => Ok(Some((PathBuf::from("-"), false))),
        (false, Some(_)) => Err(
            "error: --stdin-filename names standard input; pass `-` as the path to read it".into(),
        ),
        (false, None) => Ok(None),
    }
}

/// Reads standard input as the template `path`. Unnamed input is always checked as a template; a named
/// one is judged by its name and front matter like the file it stands for.
fn read_stdin(
    path: &Path,
    named: bool,
    config: &Config,
) -> Result<Option<(PathBuf, String)>, String> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
        .map_err(|e| format!("error: standard input: cannot read: {e}"))?;
    if named {
        template_from_bytes(path, bytes, true, config)
    } else {
        let text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "error: standard input: not valid UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            )
        })?;
        Ok(Some((path.to_path_buf(), text)))
    }
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
    let flag_contacts: Option<Arc<Contacts>> = match &args.contacts {
        Some(p) => match Contacts::load(p) {
            Ok(c) => Some(Arc::new(c)),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let stdin = match stdin_path(args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let files = match &stdin {
        Some((path, _)) => vec![(path.clone(), true)],
        None => collect(&args.paths, &mut errors),
    };
    // One configuration per folder, looked up once.
    let mut configs: BTreeMap<PathBuf, Arc<Config>> = BTreeMap::new();
    let mut config_errors: BTreeMap<String, ()> = BTreeMap::new();
    for (path, _) in &files {
        let dir = folder_of(path);
        if configs.contains_key(&dir) {
            continue;
        }
        let c = match &forced {
            Some(c) => c.clone(),
            None => match folder_config(&dir) {
                Ok(c) => Arc::new(c),
                Err(e) => {
                    config_errors.insert(format!("error: {e}"), ());
                    Arc::new(Config::default())
                }
            },
        };
        configs.insert(dir, c);
    }
    let config_of = |path: &Path| configs.get(&folder_of(path)).cloned().unwrap_or_default();
    // Read in parallel.
    let read: Vec<Result<Option<(PathBuf, String)>, String>> = match &stdin {
        Some((path, named)) => vec![read_stdin(path, *named, &config_of(path))],
        None => files
            .par_iter()
            .map(|(path, explicit)| read_template(path, *explicit, &config_of(path)))
            .collect(),
    };
    let mut templates = Vec::new();
    for r in read {
        match r {
            Ok(Some(t)) => templates.push(t),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    // The other templates, for duplicate-message.
    let index = WorkspaceIndex::build(&templates);
    let contacts_cache: Mutex<HashMap<PathBuf, Result<Arc<Contacts>, String>>> =
        Mutex::new(HashMap::new());
    let contact_errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let checked: Vec<Checked> = templates
        .into_par_iter()
        .map(|(path, text)| {
            let config = config_of(&path);
            let (contacts, contacts_error) = match &flag_contacts {
                Some(c) => (Some(c.clone()), None),
                None => contacts_for(&path, &text, &config, &contacts_cache, &contact_errors),
            };
            let inputs = Inputs {
                contacts: contacts.as_deref(),
                contacts_error: contacts_error.as_deref(),
                workspace: Some(&index),
                path: Some(&path),
                ..Inputs::default()
            };
            let findings = crate::lint::lint_with(&text, &config, inputs).findings;
            Checked {
                path,
                text,
                findings,
            }
        })
        .collect();
    errors.extend(contact_errors.into_inner().unwrap_or_default());
    for e in config_errors.keys() {
        eprintln!("{e}");
    }
    for e in &errors {
        eprintln!("{e}");
    }
    let choice = output::Choice {
        format: args.format,
        color: args.color,
        statistics: args.statistics,
        quiet: args.quiet,
    };
    let result = output::write(&choice, &checked);
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

/// The contact list named in a template's front matter (relative to it) or its config (relative to the
/// config file). Front matter problems become a finding; config problems an error line.
pub fn contacts_for(
    path: &Path,
    text: &str,
    config: &Config,
    cache: &Mutex<HashMap<PathBuf, Result<Arc<Contacts>, String>>>,
    errors: &Mutex<Vec<String>>,
) -> (Option<Arc<Contacts>>, Option<String>) {
    let fm =
        crate::model::front_matter::find(text).and_then(|f| f.settings.contacts.map(|(n, _)| n));
    let (base, name, from_front_matter) = match (fm, &config.contacts) {
        (Some(n), _) => (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            n,
            true,
        ),
        (None, Some(n)) => (
            config.root().map(Path::to_path_buf).unwrap_or_default(),
            n.clone(),
            false,
        ),
        (None, None) => return (None, None),
    };
    let base = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    };
    let loaded = crate::contacts::resolve(&base, &name, &[]).and_then(|p| {
        let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
        c.entry(p.clone())
            .or_insert_with(|| Contacts::load(&p).map(Arc::new))
            .clone()
    });
    match loaded {
        Ok(c) => (Some(c), None),
        Err(e) if from_front_matter => (None, Some(e)),
        Err(e) => {
            let src = config
                .source
                .as_ref()
                .map_or_else(String::new, |s| format!("{}: ", s.display()));
            let mut errs = errors.lock().unwrap_or_else(|e| e.into_inner());
            let line = format!("error: {src}contacts: {e}");
            if !errs.contains(&line) {
                errs.push(line);
            }
            (None, None)
        }
    }
}
