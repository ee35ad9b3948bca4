//! `outreach-lsp check`: find templates and read them in parallel (through `project`), index them, lint
//! in parallel, print findings, choose the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{output, CheckArgs};
use crate::config::Config;
use crate::contacts::Contacts;
use crate::finding::Finding;
use crate::lint::Inputs;
use crate::project::discover::{self, Judged};
use crate::project::read::read_template_from;
use crate::project::{Allowed, ConfigResolver, ContactLists, TemplateContacts, TemplateText};
use crate::workspace::WorkspaceIndex;

/// One checked file.
pub struct Checked {
    pub path: PathBuf,
    /// The text as lines are shown: a lone CR ends a line, as in an editor (same length, so every
    /// finding's byte offsets keep their place).
    pub text: String,
    pub findings: Vec<Finding>,
}

impl Checked {
    fn new(path: PathBuf, text: String, findings: Vec<Finding>) -> Checked {
        let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
            let mut bytes = text.into_bytes();
            for i in 0..bytes.len() {
                if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                    bytes[i] = b'\n';
                }
            }
            // Replacing one ASCII byte with another keeps the text UTF-8.
            String::from_utf8(bytes).unwrap_or_default()
        } else {
            text
        };
        Checked {
            path,
            text,
            findings,
        }
    }
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

/// Reads standard input as the template `path` (bounded like a file). Unnamed input is always checked
/// as a template; a named one is judged by its name and front matter like the file it stands for.
fn read_stdin(
    path: &Path,
    named: bool,
    config: &Config,
) -> Result<Option<(PathBuf, TemplateText)>, String> {
    let text = read_template_from(path, std::io::stdin().lock(), config.max_file_size as u64)
        .map_err(|e| {
            let what = if named {
                path.display().to_string()
            } else {
                "standard input".to_string()
            };
            format!("error: {what}: {}", e.reason())
        })?;
    if named && !config.is_template(path, Some(text.text())) {
        eprintln!(
            "note: {}: skipped, not a template (no `channel` or `kind` in its front matter)",
            path.display()
        );
        return Ok(None);
    }
    Ok(Some((path.to_path_buf(), text)))
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let mut errors: Vec<String> = Vec::new();
    let forced = match &args.config {
        Some(p) => match crate::project::config::load_file(p) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    // One run: a list is read once, however many templates name it.
    let lists = ContactLists::new(false);
    let flag_contacts: Option<Arc<Contacts>> = match &args.contacts {
        Some(p) => match lists.get(p, Allowed::Named) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let configs = ConfigResolver::new(Arc::new(Config::default()), Vec::new()).with_forced(forced);
    let stdin = match stdin_path(args) {
        Ok(Some(_)) if args.fix => {
            eprintln!("error: --fix writes files; it cannot fix standard input (fix the file, or apply the fixes in the editor)");
            return ExitCode::from(2);
        }
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let files = match &stdin {
        Some(_) => Vec::new(),
        None => discover::files_under(&args.paths, &mut errors),
    };
    // Read in parallel; everything the user named or that is under a folder they named may be read.
    // Standard input stands for the file it names (its folder's configuration applies).
    let read: Vec<Result<Option<(PathBuf, TemplateText)>, String>> = match &stdin {
        Some((path, named)) => vec![read_stdin(path, *named, &configs.for_file(path).config)],
        None => files
            .par_iter()
            .map(|(path, explicit)| {
                let config = configs.for_file(path).config;
                match discover::read_if_template(path, &config, Allowed::Named) {
                    Ok(Judged::Template(t)) => Ok(Some((path.clone(), t))),
                    Ok(Judged::NotTemplate(why)) => {
                        if *explicit {
                            eprintln!("note: {}: skipped, {why}", path.display());
                        }
                        Ok(None)
                    }
                    Err(e) => Err(format!("error: {e}")),
                }
            })
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
    // The other templates, for duplicate-message (over-limit ones are not indexed).
    let whole: Vec<(PathBuf, String)> = templates
        .iter()
        .filter_map(|(p, t)| match t {
            TemplateText::Whole(text) => Some((p.clone(), text.clone())),
            TemplateText::TooLarge { .. } => None,
        })
        .collect();
    let index = WorkspaceIndex::build(&whole);
    drop(whole);
    let contact_errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let fix_errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let checked: Vec<Checked> = templates
        .into_par_iter()
        .map(|(path, text)| {
            let config = configs.for_file(&path).config;
            let text = match text {
                TemplateText::Whole(t) => t,
                TemplateText::TooLarge { size, head } => {
                    let findings = crate::lint::lint_too_large(&head, size, &config).findings;
                    return Checked::new(path, head, findings);
                }
            };
            let found = match &flag_contacts {
                Some(c) => TemplateContacts {
                    contacts: Some(c.clone()),
                    ..TemplateContacts::default()
                },
                None => lists.for_template(Some(&path), &text, &config, Allowed::Named),
            };
            if let Some((source, e)) = &found.config_error {
                let src = source
                    .as_ref()
                    .map_or_else(String::new, |s| format!("{}: ", s.display()));
                let line = format!("error: {src}contacts: {e}");
                let mut errs = contact_errors.lock().unwrap_or_else(|e| e.into_inner());
                if !errs.contains(&line) {
                    errs.push(line);
                }
            }
            let inputs = Inputs {
                contacts: found.contacts.as_deref(),
                contacts_error: found.error.as_deref(),
                workspace: Some(&index),
                path: Some(&path),
                ..Inputs::default()
            };
            let findings = crate::lint::lint_with(&text, &config, inputs).findings;
            if !args.fix {
                return Checked::new(path, text, findings);
            }
            match fix_file(&path, &text, &findings, args.unsafe_fixes) {
                Ok(Some(fixed)) => {
                    let findings = crate::lint::lint_with(&fixed, &config, inputs).findings;
                    Checked::new(path, fixed, findings)
                }
                Ok(None) => Checked::new(path, text, findings),
                Err(e) => {
                    fix_errors.lock().unwrap_or_else(|e| e.into_inner()).push(e);
                    Checked::new(path, text, findings)
                }
            }
        })
        .collect();
    errors.extend(fix_errors.into_inner().unwrap_or_default());
    if args.fix {
        report_fixes(&checked, args.unsafe_fixes);
    }
    errors.extend(contact_errors.into_inner().unwrap_or_default());
    let config_errors = configs.errors();
    for e in &config_errors {
        eprintln!("error: {e}");
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
