//! Server state: open documents, configuration per folder, the latest analysis of each document.
//! Locks are `std::sync` and never held across an `.await`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use ropey::Rope;
use tower_lsp_server::ls_types::*;

use super::convert;
use super::document::{Document, Encoding};
use crate::config::{self, Config, ConfigError};
use crate::contacts::Contacts;
use crate::lint::{Inputs, LintCache, LintResult};
use crate::project::{self, Allowed, ConfigResolver, ContactLists, TemplateText, Workspace};
use crate::workspace::WorkspaceIndex;

/// What the client told us at `initialize`, and the editor settings.
#[derive(Clone, Default)]
pub struct Session {
    pub encoding: Encoding,
    pub markdown_hover: bool,
    /// The editor puts the diagnostics under the cursor in the hover itself (VS Code and its forks),
    /// so the hover need not repeat their messages.
    pub hover_shows_diagnostics: bool,
    pub document_changes: bool,
    pub snippets: bool,
    pub watch_files_dynamic: bool,
    pub configuration_pull: bool,
    /// The client can pull diagnostics (LSP 3.17), so workspace diagnostics are offered.
    pub pull_diagnostics: bool,
    pub roots: Vec<PathBuf>,
    /// The workspace folders with symlinks resolved: files are read only inside these.
    pub canonical_roots: Vec<PathBuf>,
    pub editor: Arc<Config>,
}

/// One linted version of a document, with everything it was linted against.
pub struct Analysis {
    /// The client's version number, echoed back in publishes and edits.
    pub version: i32,
    /// The server's own count of applied changes (see `Entry::revision`).
    pub revision: u64,
    pub rope: Rope,
    pub text: String,
    pub is_template: bool,
    pub config: Arc<Config>,
    pub result: LintResult,
    pub path: Option<PathBuf>,
    pub contacts: Option<Arc<Contacts>>,
    pub contacts_error: Option<String>,
    pub workspace: Option<Arc<WorkspaceIndex>>,
    pub generation: u64,
    /// The parse of `text`, made at most once for all the requests on this version (hover, actions,
    /// completion, outline and preview read it instead of parsing again).
    parsed: std::sync::OnceLock<crate::model::edit::Outline>,
}

impl Analysis {
    /// The template of this version, from the one parse every request shares. Parsed in the
    /// configured dialect, as the lint and `check` parse it, so every feature reads the same syntax.
    pub fn template(&self) -> crate::model::Template<'_> {
        self.parsed
            .get_or_init(|| {
                crate::model::Template::parse_in(&self.text, self.config.dialect).into_outline()
            })
            .clone()
            .attach(&self.text)
    }

    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            extra_placeholders: &[],
            generation: self.generation,
            contacts: self.contacts.as_deref(),
            contacts_error: self.contacts_error.as_deref(),
            workspace: self.workspace.as_deref(),
            path: self.path.as_deref(),
            cancel: None,
        }
    }
}

/// A document version a request refers to: its analysis if it was already linted, else its text.
pub enum Pinned {
    Linted(Arc<Analysis>),
    Text(Rope, Stamp),
}

/// Which text an analysis is of: the client's version, and the server's revision.
#[derive(Clone, Copy)]
pub struct Stamp {
    pub version: i32,
    pub revision: u64,
}

struct Entry {
    doc: Document,
    /// Findings of unchanged messages, reused across edits.
    cache: Arc<Mutex<LintCache>>,
    path: Option<PathBuf>,
    /// Bumped on every open and applied change. The client's version numbers may go down or repeat
    /// (a misbehaving client); the applied text is the truth, so staleness is judged by this.
    revision: u64,
    analysis: Option<Arc<Analysis>>,
    published: Option<u64>,
    dirty: bool,
    linting: bool,
}

pub struct State {
    docs: Mutex<HashMap<Uri, Entry>>,
    session: RwLock<Session>,
    /// `serve --config`: this configuration for every file instead of `.outreach.toml` files.
    forced: Option<Config>,
    /// Configuration per folder; replaced when settings or a configuration file change.
    configs: RwLock<Arc<ConfigResolver>>,
    /// Config files with problems to report (uri, diagnostics, message).
    config_reports: Mutex<Vec<ConfigReport>>,
    reported_configs: Mutex<HashMap<PathBuf, String>>,
    settings_error: Mutex<Option<String>>,
    /// Every `publishDiagnostics` is sent while holding this lock, after checking under it that the
    /// document is still open at the published revision; `close` takes it too. So a lint that finishes
    /// after `didClose` is never published, and a newer revision is never overtaken.
    publish_lock: tokio::sync::Mutex<()>,
    /// Source of `Entry::revision`: shared by all documents so a reopened document never reuses one.
    revisions: AtomicU64,
    /// Bumped by every `didChangeConfiguration`, so a late answer to an older configuration pull is
    /// not applied over newer settings.
    pub settings_seq: AtomicU64,
    pub shutdown: Arc<AtomicBool>,
    /// Bumped whenever configuration changes, so cached findings are not reused across it.
    generation: AtomicU64,
    /// Loaded contact lists; dropped when a watched CSV changes.
    contacts: ContactLists,
    /// Every template in the workspace folders (path -> text on disk), and its index.
    workspace: Mutex<Workspace>,
    /// Framed messages straight to the client's output, for `publishDiagnostics`: serialised here
    /// in one pass instead of through tower-lsp's JSON value tree (that was most of a keystroke's
    /// time on big files). Every publish takes this one path, so their order per document holds.
    outbox: tokio::sync::mpsc::Sender<Vec<u8>>,
    /// Analyses replaced by newer ones, freed after the newer one is published.
    replaced: Mutex<Vec<Arc<Analysis>>>,
}

/// A config file's diagnostics (None: a problem of the editor settings), and the message to show once.
pub type ConfigReport = (Option<Uri>, Vec<Diagnostic>, Option<String>);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not poison the store for every later request.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn is_config_uri(uri: &Uri) -> bool {
    uri.as_str().ends_with(config::CONFIG_FILE)
}

fn uri_path(uri: &Uri) -> Option<PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

impl Entry {
    fn stamp(&self) -> Stamp {
        Stamp {
            version: self.doc.version,
            revision: self.revision,
        }
    }
}

impl State {
    pub fn new(
        shutdown: Arc<AtomicBool>,
        outbox: tokio::sync::mpsc::Sender<Vec<u8>>,
        forced: Option<Config>,
    ) -> Self {
        State {
            docs: Mutex::new(HashMap::new()),
            session: RwLock::new(Session::default()),
            configs: RwLock::new(Arc::new(
                ConfigResolver::new(Arc::default(), Vec::new()).with_forced(forced.clone()),
            )),
            forced,
            config_reports: Mutex::new(Vec::new()),
            reported_configs: Mutex::new(HashMap::new()),
            settings_error: Mutex::new(None),
            publish_lock: tokio::sync::Mutex::new(()),
            revisions: AtomicU64::new(0),
            settings_seq: AtomicU64::new(0),
            shutdown,
            generation: AtomicU64::new(0),
            contacts: ContactLists::new(true),
            workspace: Mutex::new(Workspace::default()),
            outbox,
            replaced: Mutex::new(Vec::new()),
        }
    }

    pub fn session(&self) -> Session {
        self.session
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn initialize(&self, params: &InitializeParams) -> Encoding {
        let caps = &params.capabilities;
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        let encoding = if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let text = caps.text_document.as_ref();
        let markdown_hover = text
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_none_or(|f| f.is_empty() || f.contains(&MarkupKind::Markdown));
        let snippets = text
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        let ws = caps.workspace.as_ref();
        let document_changes = ws
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false);
        let watch_files_dynamic = ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let configuration_pull = ws.and_then(|w| w.configuration).unwrap_or(false);
        let pull_diagnostics = text.and_then(|t| t.diagnostic.as_ref()).is_some();
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| uri_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            if let Some(p) = params.root_uri.as_ref().and_then(uri_path) {
                roots.push(p);
            }
        }
        let editor = match params.initialization_options.as_ref() {
            Some(v) => match crate::project::config::editor_config(v) {
                Ok(c) => c,
                Err(e) => {
                    *lock(&self.settings_error) =
                        Some(format!("outreach-lsp: {e}; using defaults"));
                    Config::default()
                }
            },
            None => Config::default(),
        };
        let editor = with_workspace_contacts(editor, &roots);
        // Without file watching, a changed contact list is noticed by its modification time.
        self.contacts.set_revalidate(!watch_files_dynamic);
        let canonical_roots = project::canonical_roots(&roots);
        let mut s = self.session.write().unwrap_or_else(|e| e.into_inner());
        let hover_shows_diagnostics = params.client_info.as_ref().is_some_and(|c| {
            let name = c.name.to_lowercase();
            ["code", "cursor", "windsurf", "positron"]
                .iter()
                .any(|n| name.contains(n))
        });
        *s = Session {
            encoding,
            markdown_hover,
            hover_shows_diagnostics,
            document_changes,
            snippets,
            watch_files_dynamic,
            configuration_pull,
            pull_diagnostics,
            roots,
            canonical_roots,
            editor: Arc::new(editor),
        };
        drop(s);
        self.invalidate_configs();
        encoding
    }

    pub fn take_settings_error(&self) -> Option<String> {
        lock(&self.settings_error).take()
    }

    /// Applies new editor settings; returns a message when they are invalid (defaults are kept).
    pub fn set_editor_settings(&self, settings: &serde_json::Value) -> Option<String> {
        let (config, error) = match crate::project::config::editor_config(settings) {
            Ok(c) => (c, None),
            Err(e) => (
                Config::default(),
                Some(format!("outreach-lsp: {e}; using defaults")),
            ),
        };
        let mut session = self.session.write().unwrap_or_else(|e| e.into_inner());
        session.editor = Arc::new(with_workspace_contacts(config, &session.roots));
        drop(session);
        self.invalidate_configs();
        error
    }

    pub fn open(&self, item: TextDocumentItem) {
        let path = uri_path(&item.uri);
        let entry = Entry {
            doc: Document::new(&item.text, item.version, item.language_id),
            cache: Arc::new(Mutex::new(LintCache::default())),
            path,
            revision: self.revisions.fetch_add(1, Ordering::SeqCst) + 1,
            analysis: None,
            published: None,
            dirty: false,
            linting: false,
        };
        lock(&self.docs).insert(item.uri, entry);
    }

    /// Applies a change; false when the document is not open.
    pub fn change(&self, params: DidChangeTextDocumentParams) -> bool {
        let enc = self.session().encoding;
        let mut docs = lock(&self.docs);
        let Some(e) = docs.get_mut(&params.text_document.uri) else {
            tracing::warn!(
                "didChange for a document that is not open: {}",
                params.text_document.uri.as_str()
            );
            return false;
        };
        if params.text_document.version <= e.doc.version {
            tracing::warn!(
                "didChange version {} is not newer than {}; applying anyway",
                params.text_document.version,
                e.doc.version
            );
        }
        for c in &params.content_changes {
            e.doc.apply(c, enc);
        }
        e.doc.version = params.text_document.version;
        e.revision = self.revisions.fetch_add(1, Ordering::SeqCst) + 1;
        true
    }

    /// Forgets a document and clears its diagnostics, under the publish lock: no lint of it that is
    /// still running can be published after this.
    pub async fn close(&self, uri: &Uri) {
        let _order = self.publish_lock.lock().await;
        lock(&self.docs).remove(uri);
        self.send_diagnostics::<Diagnostic>(uri, &[], None).await;
    }

    pub fn open_uris(&self) -> Vec<Uri> {
        lock(&self.docs).keys().cloned().collect()
    }

    /// Marks a document for linting; true when the caller must start a worker.
    pub fn mark_dirty(&self, uri: &Uri) -> bool {
        let mut docs = lock(&self.docs);
        let Some(e) = docs.get_mut(uri) else {
            return false;
        };
        e.dirty = true;
        if e.linting {
            false
        } else {
            e.linting = true;
            true
        }
    }

    /// The newest text to lint, or None (and the worker stops) when nothing changed since.
    pub fn take_dirty(&self, uri: &Uri) -> Option<(Rope, Stamp)> {
        let mut docs = lock(&self.docs);
        let e = docs.get_mut(uri)?;
        if !e.dirty {
            e.linting = false;
            return None;
        }
        e.dirty = false;
        // Cloning a rope shares its nodes: O(1), and the edits that follow do not touch this copy.
        Some((e.doc.rope.clone(), e.stamp()))
    }

    fn resolver(&self) -> Arc<ConfigResolver> {
        self.configs
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The configuration of a document (by its folder), reporting problems with its file.
    fn config_for(&self, path: Option<&Path>) -> Arc<Config> {
        let resolver = self.resolver();
        let Some(path) = path else {
            return resolver.for_unsaved();
        };
        let resolved = resolver.for_file(path);
        match (&resolved.file, &resolved.error) {
            (Some(file), Some(e)) => self.report_config(file, e),
            (Some(file), None) => self.clear_config_report(file),
            _ => {}
        }
        resolved.config
    }

    fn report_config(&self, file: &Path, e: &ConfigError) {
        let text = e.to_string();
        let mut reported = lock(&self.reported_configs);
        if reported.get(file) == Some(&text) {
            return;
        }
        reported.insert(file.to_path_buf(), text.clone());
        let Some(uri) = Uri::from_file_path(file) else {
            return;
        };
        let line = e.line.unwrap_or(1).saturating_sub(1) as u32;
        let diag = Diagnostic {
            range: Range::new(Position::new(line, 0), Position::new(line, u32::MAX / 2)),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("invalid-config".into())),
            source: Some(convert::SOURCE.into()),
            message: e.message.clone(),
            ..Default::default()
        };
        lock(&self.config_reports).push((
            Some(uri),
            vec![diag],
            Some(format!(
                "outreach-lsp: {text}; using default settings until it is fixed"
            )),
        ));
    }

    fn clear_config_report(&self, file: &Path) {
        if lock(&self.reported_configs).remove(file).is_some() {
            if let Some(uri) = Uri::from_file_path(file) {
                lock(&self.config_reports).push((Some(uri), Vec::new(), None));
            }
        }
    }

    fn take_config_reports(&self) -> Vec<ConfigReport> {
        std::mem::take(&mut *lock(&self.config_reports))
    }

    /// A problem with the editor settings' `contacts`, shown once as a message.
    fn report_settings_contacts(&self, e: &str) {
        let text = format!("outreach-lsp: editor settings: contacts: {e}");
        let mut reported = lock(&self.reported_configs);
        if reported.get(Path::new("")) == Some(&text) {
            return;
        }
        reported.insert(PathBuf::new(), text.clone());
        lock(&self.config_reports).push((None, Vec::new(), Some(text)));
    }

    /// Publishes the problems found in `.outreach.toml` files since the last call (through the one
    /// publish path); returns the messages to show the user.
    pub async fn publish_config_reports(&self) -> Vec<String> {
        let reports = self.take_config_reports();
        if reports.is_empty() {
            return Vec::new();
        }
        let _order = self.publish_lock.lock().await;
        let mut messages = Vec::new();
        for (uri, diags, message) in reports {
            messages.extend(message);
            if let Some(uri) = uri {
                self.send_diagnostics(&uri, &diags, None).await;
            }
        }
        messages
    }

    /// Forgets every configuration read (settings or a configuration file changed).
    pub fn invalidate_configs(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let session = self.session();
        let resolver = ConfigResolver::new(session.editor.clone(), session.roots.clone())
            .with_forced(self.forced.clone());
        *self.configs.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(resolver);
        lock(&self.reported_configs).remove(Path::new(""));
    }

    /// Lints a version of `uri` and stores the result as the document's analysis. Pure CPU work.
    /// Returns None when the document is not open, or when `cancel` was set during the lint (nothing
    /// is stored then).
    pub fn analyze(
        &self,
        uri: &Uri,
        rope: Rope,
        stamp: Stamp,
        cancel: Option<&AtomicBool>,
    ) -> Option<Arc<Analysis>> {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return None;
        }
        let mut analysis = self.unlinted(uri, rope, stamp)?;
        if analysis.is_template {
            let cache = lock(&self.docs).get(uri)?.cache.clone();
            // A request must not wait for the lint worker: when the cache is busy, lint without it.
            let mut fresh = LintCache::default();
            let mut guard = cache.try_lock();
            let cache_ref = match guard.as_mut() {
                Ok(c) => &mut **c,
                Err(_) => &mut fresh,
            };
            let inputs = Inputs {
                cancel,
                ..analysis.inputs()
            };
            let result =
                crate::lint::lint_cached(&analysis.text, &analysis.config, inputs, cache_ref);
            if result.cancelled {
                return None;
            }
            analysis.result = result;
        }
        // Only the lint needs the index: a stored analysis does not keep an old copy of it alive
        // (so a watched-file change updates the index in place instead of copying it).
        analysis.workspace = None;
        let analysis = Arc::new(analysis);
        let replaced = {
            let mut docs = lock(&self.docs);
            match docs.get_mut(uri) {
                Some(e)
                    if e.analysis
                        .as_ref()
                        .is_none_or(|a| a.revision <= stamp.revision) =>
                {
                    e.analysis.replace(analysis.clone())
                }
                _ => None,
            }
        };
        // Freeing thousands of findings takes a millisecond on a big file: the worker does it
        // after publishing (`free_replaced`), not before.
        if let Some(old) = replaced {
            lock(&self.replaced).push(old);
        }
        Some(analysis)
    }

    /// Frees the analyses replaced since the last call (see `analyze`).
    pub fn free_replaced(&self) {
        // Taken first, so the lock is not held while they are freed.
        let old = std::mem::take(&mut *lock(&self.replaced));
        drop(old);
    }

    /// Everything a version of `uri` is linted against, with no findings yet.
    fn unlinted(&self, uri: &Uri, rope: Rope, stamp: Stamp) -> Option<Analysis> {
        let session = self.session();
        let (path, language_id) = {
            let docs = lock(&self.docs);
            let e = docs.get(uri)?;
            (e.path.clone(), e.doc.language_id.clone())
        };
        let text = super::document::text_of(&rope);
        let config = self.config_for(path.as_deref());
        let is_template = match &path {
            Some(p) => config.is_template(p, Some(&text)),
            // Untitled buffers: trust the language the editor gave them.
            None => language_id == "outreach" || config::front_matter_declares_template(&text),
        };
        Some(self.assemble(path, rope, text, stamp, is_template, config, &session))
    }

    /// The contact list for a template: named in its front matter (relative to it) or in the config
    /// (relative to the config file, or to the workspace for editor settings). Only files inside the
    /// workspace folders are read (or, with no workspace, inside the template's or config's folder).
    fn contacts_for(
        &self,
        path: Option<&Path>,
        text: &str,
        config: &Config,
        session: &Session,
    ) -> (Option<Arc<Contacts>>, Option<String>) {
        let fallback: Vec<PathBuf>;
        let allowed = if session.canonical_roots.is_empty() {
            fallback = path
                .map(project::config::folder_of)
                .into_iter()
                .chain(config.root().map(Path::to_path_buf))
                .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
                .collect();
            Allowed::Within(&fallback)
        } else {
            Allowed::Within(&session.canonical_roots)
        };
        let found = self.contacts.for_template(path, text, config, allowed);
        match &found.config_error {
            Some((Some(src), e)) => self.report_config(
                src,
                &ConfigError {
                    message: format!("contacts: {e}"),
                    line: None,
                    path: Some(src.clone()),
                },
            ),
            Some((None, e)) => self.report_settings_contacts(e),
            None => {}
        }
        (found.contacts, found.error)
    }

    /// Forgets loaded contact lists (a CSV changed).
    pub fn invalidate_contacts(&self) {
        self.contacts.invalidate();
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Reads every template under the workspace folders and indexes its messages.
    pub fn scan_workspace(&self) {
        let session = self.session();
        let resolver = self.resolver();
        let scanned = Workspace::scan(
            &session.roots,
            &resolver,
            Allowed::Within(&session.canonical_roots),
        );
        *lock(&self.workspace) = scanned;
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Reads a file of the workspace when it is a template (bounded; None when it is not one, is
    /// outside the workspace folders, or cannot be read).
    pub fn read_workspace_file(&self, path: &Path) -> Option<TemplateText> {
        let session = self.session();
        project::index::judge(
            path,
            &session.roots,
            &self.resolver(),
            Allowed::Within(&session.canonical_roots),
        )
    }

    /// Re-reads one file of the workspace (created, changed or deleted): its entry and its messages
    /// in the index change, nothing else.
    pub fn update_workspace_file(&self, path: &Path) {
        let session = self.session();
        if !project::index::lexically_inside(path, &session.roots) {
            return;
        }
        // Read before taking the lock: other lints only wait for the index update itself.
        let text = self.read_workspace_file(path);
        lock(&self.workspace).set(path, text);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Workspace templates that are not open in the editor, linted from disk.
    pub fn closed_workspace_files(&self) -> Vec<(PathBuf, TemplateText)> {
        let open: Vec<PathBuf> = lock(&self.docs)
            .values()
            .filter_map(|e| e.path.clone())
            .collect();
        lock(&self.workspace).closed(&open)
    }

    /// An analysis with everything a text is linted against (its result still empty).
    #[allow(clippy::too_many_arguments)]
    fn assemble(
        &self,
        path: Option<PathBuf>,
        rope: Rope,
        text: String,
        stamp: Stamp,
        is_template: bool,
        config: Arc<Config>,
        session: &Session,
    ) -> Analysis {
        let generation = self.generation.load(Ordering::SeqCst);
        let (contacts, contacts_error) = if is_template {
            self.contacts_for(path.as_deref(), &text, &config, session)
        } else {
            (None, None)
        };
        let workspace = Some(lock(&self.workspace).index());
        Analysis {
            version: stamp.version,
            revision: stamp.revision,
            rope,
            text,
            is_template,
            config,
            result: LintResult::default(),
            path,
            contacts,
            contacts_error,
            workspace,
            generation,
            parsed: Default::default(),
        }
    }

    /// Lints a file that is not open (for workspace diagnostics).
    pub fn analyze_closed(&self, path: &Path, text: TemplateText) -> Analysis {
        let session = self.session();
        let config = self.config_for(Some(path));
        let (text, too_large) = match text {
            TemplateText::Whole(t) => (t, None),
            TemplateText::TooLarge { size, head } => (head, Some(size)),
        };
        let mut a = self.assemble(
            Some(path.to_path_buf()),
            Rope::from_str(&text),
            text,
            Stamp {
                version: 0,
                revision: 0,
            },
            true,
            config,
            &session,
        );
        a.result = match too_large {
            Some(size) => crate::lint::lint_too_large(&a.text, size, &a.config),
            None => crate::lint::lint_with(&a.text, &a.config, a.inputs()),
        };
        a
    }

    pub fn is_workspace_template(&self, path: &Path) -> bool {
        lock(&self.workspace).contains(path)
    }

    pub fn document_text(&self, uri: &Uri) -> Option<(String, i32)> {
        lock(&self.docs)
            .get(uri)
            .map(|e| (e.doc.text(), e.doc.version))
    }

    pub fn is_open(&self, uri: &Uri) -> bool {
        lock(&self.docs).contains_key(uri)
    }

    /// The document as it is now: a request's positions refer to this version, so handlers pin it
    /// when the request arrives (before any `.await`), and later edits cannot shift them.
    pub fn pin(&self, uri: &Uri) -> Option<Pinned> {
        let docs = lock(&self.docs);
        let e = docs.get(uri)?;
        Some(match &e.analysis {
            Some(a) if a.revision == e.revision => Pinned::Linted(a.clone()),
            _ => Pinned::Text(e.doc.rope.clone(), e.stamp()),
        })
    }

    /// The analysis of a pinned version, linting it if needed (without waiting for a lint in
    /// progress). None when the document was closed or `cancel` was set.
    pub fn linted(&self, uri: &Uri, pinned: Pinned, cancel: &AtomicBool) -> Option<Arc<Analysis>> {
        match pinned {
            Pinned::Linted(a) => Some(a),
            Pinned::Text(rope, stamp) => self.analyze(uri, rope, stamp, Some(cancel)),
        }
    }

    /// A pinned version with everything it is linted against, for requests that need no findings
    /// (completion, symbols, hints, tokens, previews): never lints, so it answers at once even while
    /// a big document is being linted. Its `result` is empty unless the version was already linted.
    pub fn unlinted_view(&self, uri: &Uri, pinned: Pinned) -> Option<Arc<Analysis>> {
        match pinned {
            Pinned::Linted(a) => Some(a),
            Pinned::Text(rope, stamp) => self.unlinted(uri, rope, stamp).map(Arc::new),
        }
    }

    /// The current version, unlinted (see `unlinted_view`), for requests without positions.
    pub fn snapshot(&self, uri: &Uri) -> Option<Arc<Analysis>> {
        self.unlinted_view(uri, self.pin(uri)?)
    }

    /// Publishes an analysis unless the document was closed, changed since, or a newer revision
    /// was already published.
    pub async fn publish(&self, uri: &Uri, a: &Analysis) {
        let _order = self.publish_lock.lock().await;
        {
            let mut docs = lock(&self.docs);
            let Some(e) = docs.get_mut(uri) else { return };
            if e.revision != a.revision || e.published.is_some_and(|p| p > a.revision) {
                return;
            }
            e.published = Some(a.revision);
        }
        let enc = self.session().encoding;
        let mut positions = super::document::PositionCursor::new(&a.rope, &a.text, enc);
        let diags: Vec<convert::WireDiagnostic<'_>> = a
            .result
            .findings
            .iter()
            .map(|f| convert::wire_diagnostic(&mut positions, f))
            .collect();
        self.send_diagnostics(uri, &diags, Some(a.version)).await;
    }

    /// Sends `publishDiagnostics`. Every publish goes through here, and every caller holds
    /// `publish_lock`.
    async fn send_diagnostics<D: serde::Serialize>(
        &self,
        uri: &Uri,
        diagnostics: &[D],
        version: Option<i32>,
    ) {
        let body = convert::publish_notification(uri, diagnostics, version);
        // An error means the output is closed: the client is gone.
        let _ = self.outbox.send(super::transport::frame(&body)).await;
    }
}

/// Editor settings name a contact list relative to the (first) workspace folder, as a project's
/// `.outreach.toml` does relative to itself: made absolute here, so merging keeps its meaning.
fn with_workspace_contacts(mut editor: Config, roots: &[PathBuf]) -> Config {
    if let (Some(name), Some(root)) = (&editor.contacts, roots.first()) {
        editor.contacts = Some(root.join(name).to_string_lossy().into_owned());
    }
    editor
}
