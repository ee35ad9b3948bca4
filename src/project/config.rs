//! Which configuration applies to a file: `--config` when given, else the nearest `.outreach.toml`
//! from the file's folder upward (not above the workspace folder holding it), over a base (the editor
//! settings in the server, the defaults in the CLI). Looked up once per folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::read::{self, Allowed};
use crate::config::{Config, ConfigError, CONFIG_FILE};

/// The configuration of one folder, and the problem met while loading it (the base is used then).
#[derive(Clone, Debug)]
pub struct Resolved {
    pub config: Arc<Config>,
    /// The configuration file that applies, if any.
    pub file: Option<PathBuf>,
    pub error: Option<ConfigError>,
}

pub struct ConfigResolver {
    base: Arc<Config>,
    /// `--config`: used for every file instead of looking for `.outreach.toml`.
    forced: Option<Config>,
    /// The upward search stops at the first of these holding the file (the workspace folders).
    stops: Vec<PathBuf>,
    by_folder: Mutex<HashMap<PathBuf, Resolved>>,
}

/// The folder a file is in, as an absolute path: a bare name (`a.outreach.md`) is in the working
/// folder, not in `""` (where an upward search would stop at once).
pub fn folder_of(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match absolute.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The nearest `.outreach.toml` from `dir` upward, not above `stop` when given. Anything with that
/// name counts (a FIFO or a folder is then reported by the reader instead of silently skipped).
pub fn find_config_file(dir: &Path, stop: Option<&Path>) -> Option<PathBuf> {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        let candidate = d.join(CONFIG_FILE);
        if candidate.symlink_metadata().is_ok() {
            return Some(candidate);
        }
        if stop.is_some_and(|s| d == s) {
            break;
        }
        cur = d.parent();
    }
    None
}

/// Reads and parses one configuration file (bounded, regular files only).
pub fn load_file(file: &Path) -> Result<Config, ConfigError> {
    let text =
        read::read_text(file, read::CONFIG_LIMIT, Allowed::Named).map_err(|e| ConfigError {
            message: e.reason(),
            line: None,
            path: Some(file.to_path_buf()),
        })?;
    Config::from_toml(&text, Some(file), &rule_ids())
}

/// The rule ids a configuration may name.
pub fn rule_ids() -> Vec<&'static str> {
    crate::rules::ids().collect()
}

/// Reads the settings an editor sends, checking rule names against the rules.
pub fn editor_config(value: &serde_json::Value) -> Result<Config, ConfigError> {
    Config::from_editor_settings(value, &rule_ids())
}

impl ConfigResolver {
    pub fn new(base: Arc<Config>, stops: Vec<PathBuf>) -> ConfigResolver {
        ConfigResolver {
            base,
            forced: None,
            stops,
            by_folder: Mutex::new(HashMap::new()),
        }
    }

    /// Every file gets `forced` (over the base), wherever it is.
    pub fn with_forced(mut self, forced: Option<Config>) -> ConfigResolver {
        self.forced = forced;
        self
    }

    pub fn base(&self) -> &Arc<Config> {
        &self.base
    }

    /// The configuration of a file not saved anywhere: the base, or `--config` over it.
    pub fn for_unsaved(&self) -> Arc<Config> {
        match &self.forced {
            Some(f) => Arc::new(self.base.merged(f)),
            None => self.base.clone(),
        }
    }

    /// The distinct problems met so far, in path order (each configuration file once).
    pub fn errors(&self) -> Vec<ConfigError> {
        let cache = self.by_folder.lock().unwrap_or_else(|e| e.into_inner());
        let mut errors: Vec<ConfigError> = cache.values().filter_map(|r| r.error.clone()).collect();
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        errors.dedup();
        errors
    }

    /// The configuration of a file (by its folder).
    pub fn for_file(&self, path: &Path) -> Resolved {
        self.for_folder(&folder_of(path))
    }

    pub fn for_folder(&self, dir: &Path) -> Resolved {
        let mut cache = self.by_folder.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = cache.get(dir) {
            return r.clone();
        }
        let resolved = self.resolve(dir);
        cache.insert(dir.to_path_buf(), resolved.clone());
        resolved
    }

    fn resolve(&self, dir: &Path) -> Resolved {
        if let Some(forced) = &self.forced {
            return Resolved {
                config: Arc::new(self.base.merged(forced)),
                file: forced.source.clone(),
                error: None,
            };
        }
        let stop = self
            .stops
            .iter()
            .find(|r| dir.starts_with(r))
            .map(PathBuf::as_path);
        let Some(file) = find_config_file(dir, stop) else {
            return Resolved {
                config: self.base.clone(),
                file: None,
                error: None,
            };
        };
        match load_file(&file) {
            Ok(c) => Resolved {
                config: Arc::new(self.base.merged(&c)),
                file: Some(file),
                error: None,
            },
            Err(e) => Resolved {
                config: self.base.clone(),
                file: Some(file),
                error: Some(e),
            },
        }
    }
}
