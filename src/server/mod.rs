//! The language server: maps LSP messages onto the core. Documents live in a rope store; every
//! `didChange` is applied before the handler's first `.await`, no lock is held across an `.await`,
//! and linting is coalesced so only the newest version of a document is published.

mod convert;
pub mod document;
mod features;
mod state;
pub mod transport;

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

pub use document::{offset_of, position_of, Encoding};
use state::{Pinned, State};
use transport::InputEnd;

pub struct Backend {
    client: Client,
    state: Arc<State>,
    /// Whether the client's input has ended (`exit` or end of stream): nothing waits for the client
    /// after that.
    input: watch::Receiver<InputEnd>,
}

/// How long the server waits for the client to answer one of the server's own requests
/// (`client/registerCapability`, `workspace/configuration`, `workspace/diagnostic/refresh`).
const CLIENT_REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// After `exit`, how long in-flight work may still finish before the server stops anyway.
const EXIT_GRACE: Duration = Duration::from_millis(300);

/// After the input ends without `exit`, how long in-flight requests may still be answered.
const EOF_GRACE: Duration = Duration::from_secs(2);

/// The environment variable that enables the debug methods (`outreach/documentText`,
/// `outreach/testPanic`); read once when the server starts. Tests set it; editors never should.
pub const TEST_HOOKS_ENV: &str = "OUTREACH_LSP_TEST_HOOKS";

/// Waits for the client's answer to a request of the server's, for at most `CLIENT_REPLY_TIMEOUT`
/// and never past the end of the input. Only ever awaited in a spawned task, never in a handler:
/// tower-lsp runs four handlers at a time, and one parked on a silent client would block others.
async fn ask_client<T>(
    what: &str,
    input: &watch::Receiver<InputEnd>,
    answer: impl std::future::Future<Output = Result<T>>,
) -> Option<T> {
    let mut input = input.clone();
    tokio::select! {
        r = tokio::time::timeout(CLIENT_REPLY_TIMEOUT, answer) => match r {
            Ok(Ok(v)) => Some(v),
            Ok(Err(e)) => {
                tracing::warn!("{what}: the client answered with an error: {e}");
                None
            }
            Err(_) => {
                tracing::warn!("{what}: no answer from the client in {CLIENT_REPLY_TIMEOUT:?}");
                None
            }
        },
        _ = input.wait_for(|e| *e != InputEnd::Open) => None,
    }
}

/// Runs a computation, turning a panic into a JSON-RPC error so one bad request cannot take the
/// server down. The panic itself is logged by the panic hook.
pub(crate) fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|_| {
        tracing::error!("{what} failed: internal error (panic caught)");
        let mut e = Error::internal_error();
        e.message = format!("outreach-lsp: internal error while handling {what}").into();
        e
    })
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter =
        // Warnings, plus the one startup line (an editor's log then says which server it runs).
        EnvFilter::try_from_env("OUTREACH_LSP_LOG")
            .unwrap_or_else(|_| EnvFilter::new("warn,outreach_lsp::startup=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false);
    // stdout is the protocol: logs go to stderr, or to a file when OUTREACH_LSP_LOG_FILE names one.
    match std::env::var_os("OUTREACH_LSP_LOG_FILE").and_then(|p| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .ok()
    }) {
        Some(file) => {
            let _ = builder.with_writer(std::sync::Mutex::new(file)).try_init();
        }
        None => {
            let _ = builder.with_writer(std::io::stderr).try_init();
        }
    }
    std::panic::set_hook(Box::new(|info| {
        tracing::error!("panic: {info}");
    }));
}

/// Builds the service; `outbox` takes framed messages the server sends past tower-lsp.
fn service(
    outbox: tokio::sync::mpsc::Sender<Vec<u8>>,
    input: watch::Receiver<InputEnd>,
    forced: Option<crate::config::Config>,
) -> (
    LspService<Backend>,
    tower_lsp_server::ClientSocket,
    Arc<AtomicBool>,
) {
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    let builder = LspService::build(move |client| Backend {
        client,
        state: Arc::new(State::new(flag.clone(), outbox.clone(), forced.clone())),
        input: input.clone(),
    })
    .custom_method("outreach/preview", Backend::preview);
    // The debug methods exist only under the test switch; otherwise they are unknown methods.
    let test_hooks = std::env::var_os(TEST_HOOKS_ENV).is_some_and(|v| v == "1");
    let builder = if test_hooks {
        builder
            .custom_method("outreach/testPanic", Backend::test_panic)
            .custom_method("outreach/documentText", Backend::document_text)
    } else {
        builder
    };
    let (service, socket) = builder.finish();
    (service, socket, shutdown)
}

/// Serves LSP on stdin/stdout until `exit` or the end of input, then exits the process (0 after a
/// `shutdown` request, 1 otherwise, as the protocol says). `config` (`serve --config`) is used for
/// every file instead of `.outreach.toml` files.
pub fn run_stdio(config: Option<&std::path::Path>) -> std::process::ExitCode {
    init_logging();
    tracing::info!(
        target: "outreach_lsp::startup",
        "outreach-lsp {} starting on stdio (pid {})",
        env!("CARGO_PKG_VERSION"),
        std::process::id()
    );
    let forced = match config.map(crate::project::config::load_file) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(2);
        }
    };
    let code = runtime.block_on(serve_with(tokio::io::stdin(), tokio::io::stdout(), forced));
    // A blocked stdin read cannot be cancelled; exit instead of waiting for it.
    std::process::exit(code);
}

/// Serves one client on `input`/`output` through the checking transport; returns the exit status.
pub async fn serve<I, O>(input: I, output: O) -> i32
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    serve_with(input, output, None).await
}

/// [`serve`] with `serve --config`'s configuration.
pub async fn serve_with<I, O>(input: I, output: O, forced: Option<crate::config::Config>) -> i32
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (frames_tx, frames_rx) = tokio::sync::mpsc::channel(256);
    let (input_end_tx, input_end) = watch::channel(InputEnd::Open);
    let (service, socket, shutdown) = service(frames_tx.clone(), input_end.clone(), forced);
    let (to_server, server_in) = tokio::io::duplex(1 << 20);
    let (server_out, from_server) = tokio::io::duplex(1 << 20);
    tokio::spawn(transport::pump_input(
        input,
        to_server,
        frames_tx.clone(),
        input_end_tx,
    ));
    let output_pump = tokio::spawn(transport::pump_output(from_server, frames_tx));
    let writer = tokio::spawn(transport::write_frames(output, frames_rx));
    let server = Server::new(server_in, server_out, socket).serve(service);
    tokio::pin!(server);
    let mut ended = input_end.clone();
    // tower-lsp returns only when every handler in flight has finished. After `exit` or the end of
    // the input, in-flight work gets a short grace, then is dropped: nothing can hold the process.
    tokio::select! {
        _ = &mut server => {}
        end = async { ended.wait_for(|e| *e != InputEnd::Open).await.map(|e| *e) } => {
            let grace = match end {
                Ok(InputEnd::Exit) => EXIT_GRACE,
                _ => EOF_GRACE,
            };
            let _ = tokio::time::timeout(grace, &mut server).await;
        }
    }
    // Let the last responses reach the client before the process ends.
    let _ = tokio::time::timeout(std::time::Duration::from_millis(500), async {
        let _ = output_pump.await;
        let _ = writer.await;
    })
    .await;
    if shutdown.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

impl Backend {
    /// Panics on purpose (test switch only, see `TEST_HOOKS_ENV`), so tests can prove a panicking
    /// handler is caught.
    async fn test_panic(&self, _: serde_json::Value) -> Result<serde_json::Value> {
        guard("outreach/testPanic", || -> serde_json::Value {
            panic!("test panic requested")
        })
    }

    /// `outreach/documentText {uri}`: the server's copy of an open document and its version, for
    /// debugging synchronisation problems (read-only; test switch only, see `TEST_HOOKS_ENV`).
    async fn document_text(&self, params: serde_json::Value) -> Result<serde_json::Value> {
        let uri: Uri = params
            .get("uri")
            .and_then(|u| u.as_str())
            .and_then(|u| u.parse().ok())
            .ok_or_else(|| Error::invalid_params("expected {\"uri\": \"file:///…\"}"))?;
        match self.state.document_text(&uri) {
            Some((text, version)) => Ok(serde_json::json!({"version": version, "text": text})),
            None => Err(Error::invalid_params("document is not open")),
        }
    }

    async fn preview(&self, params: serde_json::Value) -> Result<serde_json::Value> {
        request("outreach/preview", &self.state, move |state, _| {
            features::preview(state, params)
        })
        .await?
    }

    fn schedule_lint(&self, uri: Uri) {
        self.schedule_handle().schedule(uri);
    }

    fn schedule_handle(&self) -> Scheduler {
        Scheduler {
            state: self.state.clone(),
            client: self.client.clone(),
        }
    }

    /// Asks the client to pull diagnostics again, from a spawned task (see `ask_client`).
    fn refresh_workspace_diagnostics(&self) {
        if !self.state.session().pull_diagnostics {
            return;
        }
        let client = self.client.clone();
        let input = self.input.clone();
        tokio::spawn(async move {
            ask_client(
                "workspace/diagnostic/refresh",
                &input,
                client.workspace_diagnostic_refresh(),
            )
            .await;
        });
    }

    /// Lints every open document again and publishes config problems (settings changed).
    async fn relint_all(&self) {
        for u in self.state.open_uris() {
            self.schedule_lint(u);
        }
        self.report_config_problems().await;
    }
}

/// Runs a request's work on the blocking pool, so a slow request (a re-lint of a big document just
/// edited) never holds up the runtime or other requests. `$/cancelRequest` makes tower-lsp drop the
/// request's future; that sets the flag the work checks (between rules and messages), so it stops.
/// The work runs after later edits may have landed, so handlers pin the document version their
/// positions refer to (`State::pin`) before calling this, while still in message order
/// (`on_document`).
async fn request<T: Send + 'static>(
    what: &'static str,
    state: &Arc<State>,
    work: impl FnOnce(&State, &AtomicBool) -> T + Send + 'static,
) -> Result<T> {
    let state = state.clone();
    let cancel = CancelOnDrop(Arc::new(AtomicBool::new(false)));
    let flag = cancel.0.clone();
    let result = tokio::task::spawn_blocking(move || guard(what, || work(&state, &flag)))
        .await
        .map_err(|_| Error::internal_error())?;
    drop(cancel);
    result
}

/// `request` about one document, with the version pinned when the request arrived; a document that
/// is not open gets a null result.
async fn on_document<T: Send + 'static>(
    what: &'static str,
    state: &Arc<State>,
    pinned: Option<Pinned>,
    work: impl FnOnce(&State, Pinned, &AtomicBool) -> Option<T> + Send + 'static,
) -> Result<Option<T>> {
    let Some(pinned) = pinned else {
        return Ok(None);
    };
    request(what, state, move |state, cancel| {
        work(state, pinned, cancel)
    })
    .await
}

/// Sets its flag when dropped: a cancelled request's future is dropped, so its work can stop.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Starts lint workers; cheap to clone into background tasks.
#[derive(Clone)]
struct Scheduler {
    state: Arc<State>,
    client: Client,
}

impl Scheduler {
    /// Lints the newest version of `uri` and publishes, coalescing bursts of edits: while one lint
    /// runs, further edits only mark the document dirty, and the loop then lints the latest text.
    fn schedule(&self, uri: Uri) {
        if !self.state.mark_dirty(&uri) {
            return; // a worker is already running for this document
        }
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            loop {
                // Let the rest of a burst of edits land first.
                tokio::task::yield_now().await;
                let Some((rope, stamp)) = state.take_dirty(&uri) else {
                    break;
                };
                let big = rope.len_bytes() > 64 * 1024;
                let st = state.clone();
                let u = uri.clone();
                let lint = move || {
                    guard("lint", || st.analyze(&u, rope, stamp, None))
                        .ok()
                        .flatten()
                };
                // On the blocking pool: a lint may read a configuration or a contact list from disk,
                // and a big document takes a while; neither may hold up an async worker.
                let analysis = tokio::task::spawn_blocking(lint).await.ok().flatten();
                if let Some(analysis) = analysis {
                    state.publish(&uri, &analysis).await;
                }
                if big {
                    // Off the worker's path: the next edit is linted meanwhile.
                    let st = state.clone();
                    drop(tokio::task::spawn_blocking(move || st.free_replaced()));
                } else {
                    state.free_replaced();
                }
                report_config_problems(&state, &client).await;
            }
        });
    }
}

impl Backend {
    async fn report_config_problems(&self) {
        report_config_problems(&self.state, &self.client).await;
    }

    async fn apply_settings(&self, settings: &serde_json::Value) {
        if let Some(message) = self.state.set_editor_settings(settings) {
            self.client.show_message(MessageType::ERROR, message).await;
        }
        self.relint_all().await;
    }
}

/// Publishes problems found while loading `.outreach.toml` files (on the file, and as a message).
async fn report_config_problems(state: &State, client: &Client) {
    for m in state.publish_config_reports().await {
        client.show_message(MessageType::ERROR, m).await;
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = self.state.initialize(&params);
        let position_encoding = match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "outreach-lsp".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(position_encoding),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR_REWRITE,
                            CodeActionKind::new(features::FIX_ALL_KIND),
                            CodeActionKind::new(features::CONVERT_KIND),
                        ]),
                        resolve_provider: Some(false),
                        work_done_progress_options: Default::default(),
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        ["{", "|", ":", "%", "#", "/"].map(String::from).to_vec(),
                    ),
                    resolve_provider: Some(false),
                    ..Default::default()
                }),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![features::PREVIEW_COMMAND.into()],
                    work_done_progress_options: Default::default(),
                }),
                diagnostic_provider: self.state.session().pull_diagnostics.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("outreach-lsp".into()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: true,
                        work_done_progress_options: Default::default(),
                    })
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: features::semantic_legend(),
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            range: Some(false),
                            work_done_progress_options: Default::default(),
                        },
                    ),
                ),
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.state.session().watch_files_dynamic {
            let watch = |g: &str| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.into()),
                kind: None,
            };
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![
                    watch("**/.outreach.toml"),
                    watch("**/*.csv"),
                    watch("**/*.{outreach,md,txt,markdown}"),
                ],
            };
            let reg = Registration {
                id: "outreach-lsp-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            // Not awaited here: a client that never answers must not park this handler.
            let client = self.client.clone();
            let input = self.input.clone();
            tokio::spawn(async move {
                ask_client(
                    "client/registerCapability",
                    &input,
                    client.register_capability(vec![reg]),
                )
                .await;
            });
        }
        if let Some(m) = self.state.take_settings_error() {
            self.client.show_message(MessageType::ERROR, m).await;
        }
        // Know every template of the workspace (for duplicate-message and workspace diagnostics).
        let state = self.state.clone();
        let client = self.client.clone();
        let input = self.input.clone();
        let me = self.schedule_handle();
        tokio::spawn(async move {
            let st = state.clone();
            if tokio::task::spawn_blocking(move || st.scan_workspace())
                .await
                .is_ok()
            {
                for u in state.open_uris() {
                    me.schedule(u);
                }
                if state.session().pull_diagnostics {
                    ask_client(
                        "workspace/diagnostic/refresh",
                        &input,
                        client.workspace_diagnostic_refresh(),
                    )
                    .await;
                }
            }
        });
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri.clone();
        self.state.open(params.text_document);
        self.schedule_lint(uri);
        self.report_config_problems().await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Applied synchronously, before any await, so concurrent handlers keep the client's order.
        let uri = params.text_document.uri.clone();
        if self.state.change(params) {
            self.schedule_lint(uri);
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if state::is_config_uri(&uri) {
            self.state.invalidate_configs();
            self.relint_all().await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.state.close(&params.text_document.uri).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let seq = self.state.settings_seq.fetch_add(1, Ordering::SeqCst) + 1;
        let settings = params.settings;
        if settings.is_null() && self.state.session().configuration_pull {
            // Pull-model clients send null; ask for our section, off this handler (see `ask_client`).
            let items = vec![ConfigurationItem {
                scope_uri: None,
                section: Some("outreachLsp".into()),
            }];
            let me = Backend {
                client: self.client.clone(),
                state: self.state.clone(),
                input: self.input.clone(),
            };
            tokio::spawn(async move {
                let answer = ask_client(
                    "workspace/configuration",
                    &me.input,
                    me.client.configuration(items),
                )
                .await;
                // A later didChangeConfiguration wins over this late answer.
                if me.state.settings_seq.load(Ordering::SeqCst) != seq {
                    return;
                }
                let settings = answer
                    .and_then(|mut v| v.pop())
                    .unwrap_or(serde_json::Value::Null);
                me.apply_settings(&settings).await;
            });
            return;
        }
        self.apply_settings(&settings).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut relint = false;
        if params.changes.iter().any(|c| state::is_config_uri(&c.uri)) {
            self.state.invalidate_configs();
            relint = true;
        }
        if params
            .changes
            .iter()
            .any(|c| c.uri.as_str().to_lowercase().ends_with(".csv"))
        {
            self.state.invalidate_contacts();
            relint = true;
        }
        let templates: Vec<std::path::PathBuf> = params
            .changes
            .iter()
            .filter(|c| !c.uri.as_str().ends_with(".csv") && !state::is_config_uri(&c.uri))
            .filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        if !templates.is_empty() {
            let st = self.state.clone();
            let _ = tokio::task::spawn_blocking(move || {
                for p in templates {
                    st.update_workspace_file(&p);
                }
            })
            .await;
            relint = true;
        }
        if relint {
            self.relint_all().await;
            self.refresh_workspace_diagnostics();
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        request("textDocument/diagnostic", &self.state, move |state, _| {
            features::document_diagnostic(state, params)
        })
        .await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        // Cancelling stops the work between files.
        request("workspace/diagnostic", &self.state, move |state, cancel| {
            features::workspace_diagnostic(state, params, cancel)
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let pinned = self.state.pin(&params.text_document.uri);
        on_document("codeLens", &self.state, pinned, move |state, pinned, _| {
            features::code_lenses(state, params, pinned)
        })
        .await
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        let result = request("executeCommand", &self.state, move |state, _| {
            features::execute_command(state, params)
        })
        .await??;
        if let Some(text) = result.get("message").and_then(|m| m.as_str()) {
            self.client
                .show_message(MessageType::INFO, text.to_string())
                .await;
        }
        Ok(Some(result))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pinned = self
            .state
            .pin(&params.text_document_position_params.text_document.uri);
        on_document(
            "hover",
            &self.state,
            pinned,
            move |state, pinned, cancel| features::hover(state, params, pinned, cancel),
        )
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let pinned = self.state.pin(&params.text_document.uri);
        on_document(
            "codeAction",
            &self.state,
            pinned,
            move |state, pinned, cancel| features::code_actions(state, params, pinned, cancel),
        )
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pinned = self
            .state
            .pin(&params.text_document_position.text_document.uri);
        on_document(
            "completion",
            &self.state,
            pinned,
            move |state, pinned, _| features::completion(state, params, pinned),
        )
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let pinned = self.state.pin(&params.text_document.uri);
        on_document(
            "documentSymbol",
            &self.state,
            pinned,
            move |state, pinned, _| features::document_symbols(state, params, pinned),
        )
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let pinned = self.state.pin(&params.text_document.uri);
        on_document(
            "foldingRange",
            &self.state,
            pinned,
            move |state, pinned, _| features::folding_ranges(state, params, pinned),
        )
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let pinned = self.state.pin(&params.text_document.uri);
        on_document("inlayHint", &self.state, pinned, move |state, pinned, _| {
            features::inlay_hints(state, params, pinned)
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let pinned = self.state.pin(&params.text_document.uri);
        on_document(
            "semanticTokens",
            &self.state,
            pinned,
            move |state, pinned, _| features::semantic_tokens(state, params, pinned),
        )
        .await
    }
}
