//! `outreach-lsp check`: find templates, read them in parallel, index the workspace, lint in parallel,
//! print findings, choose the exit code.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{output, CheckArgs, Format};
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
    let config_of = |path: &Path| {
        configs
            .get(path.parent().unwrap_or(Path::new(".")))
            .cloned()
            .unwrap_or_default()
    };
    // Read in parallel.
    let read: Vec<Result<Option<(PathBuf, String)>, String>> = files
        .par_iter()
        .map(|(path, explicit)| read_template(path, *explicit, &config_of(path)))
        .collect();
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
    let fix_errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
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
            if !args.fix {
                return Checked {
                    path,
                    text,
                    findings,
                };
            }
            match fix_file(&path, &text, &findings, args.unsafe_fixes) {
                Ok(Some(fixed)) => {
                    let findings = crate::lint::lint_with(&fixed, &config, inputs).findings;
                    Checked {
                        path,
                        text: fixed,
                        findings,
                    }
                }
                Ok(None) => Checked {
                    path,
                    text,
                    findings,
                },
                Err(e) => {
                    fix_errors.lock().unwrap_or_else(|e| e.into_inner()).push(e);
                    Checked {
                        path,
                        text,
                        findings,
                    }
                }
            }
        })
        .collect();
    errors.extend(fix_errors.into_inner().unwrap_or_default());
    if args.fix {
        report_fixes(&checked, args.unsafe_fixes);
    }
    errors.extend(contact_errors.into_inner().unwrap_or_default());
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

/// Applies the safe fixes of `findings` (and the unsafe ones when asked) to the file, printing each on
/// stderr. Ok(Some(new text)) when the file was rewritten, Ok(None) when nothing applied.
fn fix_file(
    path: &Path,
    text: &str,
    findings: &[Finding],
    unsafe_fixes: bool,
) -> Result<Option<String>, String> {
    let (edits, taken) = crate::finding::fix_all(findings, unsafe_fixes);
    if taken.is_empty() {
        return Ok(None);
    }
    let Some(fixed) = crate::finding::apply_edits(text, &edits) else {
        return Err(format!(
            "error: {}: the fixes overlap; nothing was changed",
            path.display()
        ));
    };
    // Written beside the file and renamed over it, so an interrupted write cannot lose the text.
    let tmp = path.with_file_name(format!(
        ".{}.outreach-fix.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, &fixed)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("error: {}: cannot write the fixes: {e}", path.display())
        })?;
    let mut lines = String::new();
    for (f, fix) in &taken {
        let (line, col) = line_col(text, f.span.start);
        lines.push_str(&format!(
            "fixed {}:{line}:{col}: {}: {}\n",
            path.display(),
            f.rule,
            fix.title
        ));
    }
    eprint!("{lines}");
    Ok(Some(fixed))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// One summary line on stderr: fixes applied, and how many more `--unsafe-fixes` would apply.
fn report_fixes(checked: &[Checked], unsafe_fixes: bool) {
    let remaining_unsafe: usize = if unsafe_fixes {
        0
    } else {
        checked
            .iter()
            .flat_map(|c| &c.findings)
            .filter(|f| !f.fixes.is_empty() && f.fixes.iter().all(|x| !x.is_safe()))
            .count()
    };
    let left: usize = checked.iter().map(|c| c.findings.len()).sum();
    let hint = if remaining_unsafe > 0 {
        format!(
            " ({remaining_unsafe} with only unsafe fixes: apply them with --unsafe-fixes, or one by one in the editor)"
        )
    } else {
        String::new()
    };
    eprintln!(
        "fix: {left} finding{} left{hint}",
        if left == 1 { "" } else { "s" }
    );
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
