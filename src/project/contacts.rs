//! The contact list of a template: named in its front matter (relative to the template), else in its
//! configuration (relative to the `.outreach.toml`, or to the workspace for editor settings). Loaded
//! lists are kept by path; the server drops them when a watched CSV changes, and checks modification
//! times only when the client does not watch files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::read::{self, Allowed, ReadError};
use crate::config::Config;
use crate::contacts::Contacts;

/// What a template gets: its list, or why not (on the front matter's `contacts`, or on the config).
#[derive(Default, Clone)]
pub struct TemplateContacts {
    pub contacts: Option<Arc<Contacts>>,
    /// A problem with the list the front matter names: shown on that line of the template.
    pub error: Option<String>,
    /// A problem with the list the configuration names, and the configuration file (None: editor
    /// settings): reported on the configuration.
    pub config_error: Option<(Option<PathBuf>, String)>,
}

struct Loaded {
    /// The modification time it was read at (compared only when `revalidate`).
    modified: Option<SystemTime>,
    canonical: Option<PathBuf>,
    result: Result<Arc<Contacts>, String>,
}

pub struct ContactLists {
    by_path: Mutex<HashMap<PathBuf, Loaded>>,
    /// Compare modification times on every use (no file watching tells us about changes).
    revalidate: AtomicBool,
}

fn refused(path: &Path) -> String {
    format!(
        "refused to read {}: contact lists must be inside the workspace",
        path.display()
    )
}

/// Reads and parses a contact list (bounded, regular files, inside `allowed`).
pub fn load(path: &Path, allowed: Allowed<'_>) -> Result<Contacts, String> {
    let (canonical, bytes) =
        read::read_bytes(path, read::CONTACTS_LIMIT, allowed).map_err(|e| match e {
            ReadError::Outside(_) => refused(path),
            ReadError::Open(p, e) => format!("cannot open contact list {}: {e}", p.display()),
            e => format!("contact list {e}"),
        })?;
    let mut c = Contacts::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    c.path = Some(canonical);
    Ok(c)
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl ContactLists {
    /// `revalidate`: compare modification times on every use; without it a list is read once until
    /// [`ContactLists::invalidate`].
    pub fn new(revalidate: bool) -> ContactLists {
        ContactLists {
            by_path: Mutex::new(HashMap::new()),
            revalidate: AtomicBool::new(revalidate),
        }
    }

    /// Whether modification times are compared on every use (see [`ContactLists::new`]).
    pub fn set_revalidate(&self, revalidate: bool) {
        self.revalidate.store(revalidate, Ordering::Relaxed);
    }

    /// Forgets every loaded list (a CSV changed).
    pub fn invalidate(&self) {
        self.by_path
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The list at `path` (relative paths against the working folder), loaded once.
    pub fn get(&self, path: &Path, allowed: Allowed<'_>) -> Result<Arc<Contacts>, String> {
        let mut cache = self.by_path.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(l) = cache.get(path) {
            let fresh = !self.revalidate.load(Ordering::Relaxed)
                || l.canonical
                    .as_deref()
                    .is_none_or(|c| modified(c) == l.modified);
            // The same list may be asked for with other allowed folders (no workspace: each
            // template's own folder); the stored canonical path is checked without a system call.
            if l.canonical.as_deref().is_some_and(|c| !allowed.admits(c)) {
                return Err(refused(path));
            }
            if fresh {
                return l.result.clone();
            }
        }
        // Reading under the lock: two lints of templates sharing a list read it once.
        let result = load(path, allowed).map(Arc::new);
        let canonical = result.as_ref().ok().and_then(|c| c.path.clone());
        let loaded = Loaded {
            modified: canonical.as_deref().and_then(modified),
            canonical,
            result: result.clone(),
        };
        cache.insert(path.to_path_buf(), loaded);
        result
    }

    /// The contact list of the template at `path` (None: unsaved) with text `text`.
    pub fn for_template(
        &self,
        path: Option<&Path>,
        text: &str,
        config: &Config,
        allowed: Allowed<'_>,
    ) -> TemplateContacts {
        // The lint parses the front matter again; most templates name no list, so the YAML is only
        // parsed here when the word can be in it.
        let may_name = text.trim_start_matches('\u{feff}').starts_with("---")
            && memchr::memmem::find(text.as_bytes(), b"contacts").is_some();
        let named = may_name
            .then(|| crate::model::front_matter::find(text))
            .flatten()
            .and_then(|f| f.settings.contacts.map(|(n, _)| n));
        if let Some(name) = named {
            let Some(path) = path else {
                return TemplateContacts {
                    error: Some("a contact list needs the template to be saved in a folder".into()),
                    ..TemplateContacts::default()
                };
            };
            let list = super::config::folder_of(path).join(name);
            return match self.get(&list, allowed) {
                Ok(c) => TemplateContacts {
                    contacts: Some(c),
                    ..TemplateContacts::default()
                },
                Err(e) => TemplateContacts {
                    error: Some(e),
                    ..TemplateContacts::default()
                },
            };
        }
        let Some(name) = &config.contacts else {
            return TemplateContacts::default();
        };
        // Relative to the `.outreach.toml`; editor settings were made absolute when applied.
        let list = match config.root() {
            Some(root) => root.join(name),
            None => std::path::absolute(name).unwrap_or_else(|_| PathBuf::from(name)),
        };
        match self.get(&list, allowed) {
            Ok(c) => TemplateContacts {
                contacts: Some(c),
                ..TemplateContacts::default()
            },
            Err(e) => TemplateContacts {
                config_error: Some((config.source.clone(), e)),
                ..TemplateContacts::default()
            },
        }
    }
}
