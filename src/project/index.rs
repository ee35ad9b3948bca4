//! The templates of a workspace on disk and their message index, kept up to date one file at a time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::config::ConfigResolver;
use super::discover::{self, Judged};
use super::read::{Allowed, TemplateText};
use crate::workspace::WorkspaceIndex;

#[derive(Default)]
pub struct Workspace {
    /// Every template under the workspace folders (path as walked from the folder), with its text;
    /// over-limit templates keep only their head and are not indexed.
    files: BTreeMap<PathBuf, TemplateText>,
    index: Arc<WorkspaceIndex>,
}

impl Workspace {
    /// Reads every template under `roots` (the folders as the client named them).
    pub fn scan(roots: &[PathBuf], configs: &ConfigResolver, allowed: Allowed<'_>) -> Workspace {
        let mut files = BTreeMap::new();
        for root in roots {
            files.extend(discover::templates_under(root, configs, allowed));
        }
        let whole: Vec<(PathBuf, String)> = files
            .iter()
            .filter_map(|(p, t)| match t {
                TemplateText::Whole(text) => Some((p.clone(), text.clone())),
                TemplateText::TooLarge { .. } => None,
            })
            .collect();
        Workspace {
            index: Arc::new(WorkspaceIndex::build(&whole)),
            files,
        }
    }

    /// Stores what [`judge`] found for one file (created, changed or deleted): only that file's entry
    /// and its messages in the index change. The caller reads, outside any lock.
    pub fn set(&mut self, path: &Path, text: Option<TemplateText>) {
        let indexed = match &text {
            Some(TemplateText::Whole(t)) => Some(t.as_str()),
            _ => None,
        };
        let was_indexed = matches!(self.files.get(path), Some(TemplateText::Whole(_)));
        if was_indexed || indexed.is_some() {
            // Copies only when a lint still holds the previous index.
            Arc::make_mut(&mut self.index).update_file(path, indexed);
        }
        match text {
            Some(t) => {
                self.files.insert(path.to_path_buf(), t);
            }
            None => {
                self.files.remove(path);
            }
        }
    }

    pub fn index(&self) -> Arc<WorkspaceIndex> {
        self.index.clone()
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }

    /// The templates not in `open`, with their texts.
    pub fn closed(&self, open: &[PathBuf]) -> Vec<(PathBuf, TemplateText)> {
        self.files
            .iter()
            .filter(|(p, _)| !open.contains(p))
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect()
    }
}

/// Whether a path is a plain path inside one of `roots` (by its text: no `..`).
pub fn lexically_inside(path: &Path, roots: &[PathBuf]) -> bool {
    use std::path::Component;
    path.is_absolute()
        && !path
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::CurDir))
        && roots.iter().any(|r| path.starts_with(r))
}

/// Reads a file of the workspace if it is a template (None: not a template, gone, or refused).
pub fn judge(
    path: &Path,
    roots: &[PathBuf],
    configs: &ConfigResolver,
    allowed: Allowed<'_>,
) -> Option<TemplateText> {
    if !lexically_inside(path, roots) {
        return None;
    }
    let config = configs.for_file(path).config;
    match discover::read_if_template(path, &config, allowed) {
        Ok(Judged::Template(t)) => Some(t),
        Ok(Judged::NotTemplate(_)) => None,
        Err(e) => {
            tracing::info!("workspace file not read: {e}");
            None
        }
    }
}
