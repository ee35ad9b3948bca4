//! Which files are templates: found by walking folders (symlinks are not followed, `.git`, `target`
//! and `node_modules` are skipped), judged by name first and by front matter only when needed.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::config::ConfigResolver;
use super::read::{self, Allowed, ReadError, TemplateText};
use crate::config::{self, Config};

const SKIP_DIRS: &[&str] = &[".git", "target", "node_modules"];

/// Files under `paths`, with whether each was named explicitly. Folders are walked in name order;
/// named files are kept whatever they are (the reader refuses what is not a regular file).
pub fn files_under(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<(PathBuf, bool)> {
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
        } else if p.symlink_metadata().is_ok() {
            files.push((p.clone(), true));
        } else {
            errors.push(format!("error: {}: no such file or folder", p.display()));
        }
    }
    files
}

/// Whether a file is a template, and its text.
pub enum Judged {
    Template(TemplateText),
    /// Not a template, and why (for a note when the user named it).
    NotTemplate(&'static str),
}

/// Reads `path` when it may be a template (by name, or by an `include` glob) and judges it.
pub fn read_if_template(
    path: &Path,
    config: &Config,
    allowed: Allowed<'_>,
) -> Result<Judged, ReadError> {
    // Cheap rejection by name before reading: only Markdown and template names can be templates,
    // unless an include glob says otherwise.
    let by_name = config::has_template_extension(path) || config::is_markdown(path);
    if !by_name && !config.is_template(path, None) {
        return Ok(Judged::NotTemplate(
            "not a template (see \"Which files are templates\" in the README)",
        ));
    }
    let text = read::read_template(path, config.max_file_size as u64, allowed)?;
    if !config.is_template(path, Some(text.text())) {
        return Ok(Judged::NotTemplate(
            "not a template (no `channel` or `kind` in its front matter)",
        ));
    }
    Ok(Judged::Template(text))
}

/// Every template under `root` with its text, read in parallel, each judged with the configuration
/// of its folder. Files that cannot be read are left out (the server's workspace scan).
pub fn templates_under(
    root: &Path,
    configs: &ConfigResolver,
    allowed: Allowed<'_>,
) -> Vec<(PathBuf, TemplateText)> {
    let mut errors = Vec::new();
    let files = files_under(&[root.to_path_buf()], &mut errors);
    files
        .par_iter()
        .filter_map(|(path, _)| {
            let config = configs.for_file(path).config;
            match read_if_template(path, &config, allowed) {
                Ok(Judged::Template(t)) => Some((path.clone(), t)),
                _ => None,
            }
        })
        .collect()
}
