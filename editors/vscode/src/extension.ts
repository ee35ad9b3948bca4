import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

const CLIENT_ID = 'outreach'; // also the prefix of `outreach.trace.server`
const CLIENT_NAME = 'Outreach';
const BINARY = 'outreach-lsp';
/** Settings are `outreach.*`; `outreachLsp.*` (their earlier names) are still read when set. */
const SECTION = 'outreach';
const LEGACY_SECTION = 'outreachLsp';
const SOURCE = 'outreach-lsp';
const PREVIEW_SCHEME = 'outreach-preview';
// Notifications show plain text (no Markdown), so quote with “…” rather than backticks.
const INSTALL_HINT =
  'Install the platform-specific extension (it includes the server), or install outreach-lsp with ' +
  '“cargo install --path .” in the outreach-lsp repository (which puts it on PATH), or set “outreach.path” to the binary.';

/** The part of the settings the server understands (see docs/editor-contract.md). */
interface ServerSettings {
  account: string;
  rules: Record<string, string>;
}

/** What `outreach/preview` returns (src/server/features/preview.rs). */
interface PreviewMessage {
  index: number;
  contact: number | null;
  label: string;
  kind: string;
  channel: string;
  subject: string | null;
  text: string;
  length: { min: number; typical: number; max: number };
  limit: number | null;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
interface PreviewResult {
  messages: PreviewMessage[];
  contacts: number;
}

let client: LanguageClient | undefined;
let serverProcess: ChildProcess | undefined;
let serverVersion: string | undefined;
let stopping = false;
let output: vscode.OutputChannel;
let traceOutput: vscode.OutputChannel;
let status: vscode.LanguageStatusItem;
let statusState = 'starting';
/** A "server not found" error waiting for a template to be opened. */
let pendingError: (() => void) | undefined;
let preview: PreviewProvider;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // One of each output channel for the whole session: restarts reuse them.
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  traceOutput = vscode.window.createOutputChannel(`${CLIENT_NAME} Trace`);
  status = vscode.languages.createLanguageStatusItem('outreach.status', [
    { language: 'outreach' },
    { language: 'markdown' },
  ]);
  status.name = 'Outreach';
  preview = new PreviewProvider();
  context.subscriptions.push(
    output,
    traceOutput,
    status,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, preview),
    vscode.commands.registerCommand('outreachLsp.restartServer', () => restart(context)),
    vscode.commands.registerCommand('outreachLsp.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('outreachLsp.openSettings', () => openSettings()),
    vscode.commands.registerCommand('outreachLsp.preview', () => preview.open()),
    vscode.workspace.onDidChangeConfiguration((e) => onConfigurationChanged(context, e)),
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
    vscode.window.tabGroups.onDidChangeTabs(() => checkPendingError()),
    vscode.window.onDidChangeActiveTextEditor(() => checkPendingError()),
    vscode.workspace.onDidChangeTextDocument((e) => preview.documentChanged(e.document)),
    vscode.window.onDidChangeTextEditorSelection((e) => preview.cursorMoved(e.textEditor)),
    { dispose: () => void stop() },
  );
  updateStatus();
  // Do not hold up activation (or the editor) while the server starts; start() reports its own errors.
  void start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** A setting under `outreach.`, else its earlier `outreachLsp.` name when that one is set. */
function setting<T>(key: string, fallback: T): T {
  const current = vscode.workspace.getConfiguration(SECTION);
  const info = current.inspect<T>(key);
  const set =
    info &&
    (info.globalValue !== undefined || info.workspaceValue !== undefined || info.workspaceFolderValue !== undefined);
  if (!set) {
    const legacy = vscode.workspace.getConfiguration(LEGACY_SECTION).get<T>(key);
    if (legacy !== undefined && legacy !== null) return legacy;
  }
  return current.get<T>(key, fallback);
}

function serverSettings(): ServerSettings {
  return {
    account: setting<string>('account', 'free'),
    rules: { ...(setting<Record<string, string>>('rules', {}) ?? {}) },
  };
}

/** An outreach template: the outreach language, or Markdown whose front matter names a channel or kind. */
function isTemplate(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme === PREVIEW_SCHEME) return false;
  if (doc.languageId === 'outreach') return true;
  if (doc.languageId !== 'markdown') return false;
  const head = doc.getText(new vscode.Range(0, 0, 60, 0));
  const fm = /^(?:\uFEFF)?---\r?\n([\s\S]*?)\r?\n---/.exec(head);
  return !!fm && /^(channel|kind)\s*:/m.test(fm[1]);
}

/** The documents shown in editor tabs (a closed tab's document can stay loaded for minutes). */
function documentsInTabs(): vscode.TextDocument[] {
  const uris = new Set(
    vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.toString() : undefined))
      .filter((u): u is string => !!u),
  );
  return vscode.workspace.textDocuments.filter((d) => uris.has(d.uri.toString()));
}

/** Runs `show` now if a template is open in a tab, else when the first one is opened (once). */
function whenTemplateOpen(show: () => void): void {
  if (documentsInTabs().some(isTemplate)) {
    pendingError = undefined;
    show();
  } else {
    pendingError = show;
  }
}

/** Shows a waiting "server not found" error once a template is in a tab. */
function checkPendingError(): void {
  if (pendingError && documentsInTabs().some(isTemplate)) {
    const show = pendingError;
    pendingError = undefined;
    show();
  }
}

async function onConfigurationChanged(
  context: vscode.ExtensionContext,
  e: vscode.ConfigurationChangeEvent,
): Promise<void> {
  if (e.affectsConfiguration(`${SECTION}.path`) || e.affectsConfiguration(`${LEGACY_SECTION}.path`)) {
    await restart(context);
    return;
  }
  const affects = (k: string) =>
    e.affectsConfiguration(`${SECTION}.${k}`) || e.affectsConfiguration(`${LEGACY_SECTION}.${k}`);
  if (client?.isRunning() && (affects('account') || affects('rules'))) {
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { outreachLsp: serverSettings() },
    });
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  await start(context);
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    stopping = true;
    try {
      await c.stop(5000);
    } catch (err) {
      output.appendLine(`error while stopping the server: ${errorMessage(err)}`);
    } finally {
      stopping = false;
    }
  }
  // The server exits on the protocol's `exit`; one that did not is ended here.
  if (serverProcess && serverProcess.exitCode === null && serverProcess.signalCode === null) {
    serverProcess.kill();
  }
  serverProcess = undefined;
  statusState = 'stopped';
  updateStatus();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  pendingError = undefined;
  const command = findServer(context);
  if (!command) {
    statusState = 'not found';
    updateStatus();
    return;
  }
  statusState = 'starting';
  updateStatus();
  output.appendLine(`starting ${command} serve`);

  // The extension spawns the server itself, so its exit is logged here at the right level (a restart
  // ends it with code 0, which is not an error).
  const serverOptions: ServerOptions = async () => {
    const child = spawn(command, ['serve'], { stdio: 'pipe' });
    serverProcess = child;
    child.on('exit', (code, signal) => {
      // A restart (code 0) or the editor closing (a termination signal) is not a crash.
      const expected = stopping || code === 0 || ['SIGTERM', 'SIGINT', 'SIGHUP'].includes(signal ?? '');
      output.appendLine(
        `${expected ? '' : 'error: '}server process exited (${signal ? `signal ${signal}` : `code ${code}`})`,
      );
    });
    child.on('error', (err) => output.appendLine(`error: ${errorMessage(err)}`));
    return child;
  };
  let crashes: number[] = [];
  const clientOptions: LanguageClientOptions = {
    // The server decides which Markdown files are templates (front matter with `channel` or `kind`).
    documentSelector: [
      { scheme: 'file', language: 'outreach' },
      { scheme: 'untitled', language: 'outreach' },
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    initializationOptions: serverSettings(),
    outputChannel: output,
    traceOutputChannel: traceOutput,
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue, handled: true }),
      closed: () => {
        if (stopping) return { action: CloseAction.DoNotRestart, handled: true };
        // A crash restarts the server, unless it keeps crashing.
        const now = Date.now();
        crashes = [...crashes.filter((t) => now - t < 180000), now];
        if (crashes.length > 4) {
          return {
            action: CloseAction.DoNotRestart,
            message: 'Outreach: the server crashed 5 times in 3 minutes and will not be restarted; see the Outreach output.',
          };
        }
        output.appendLine('the server stopped unexpectedly; restarting it');
        return { action: CloseAction.Restart, handled: true };
      },
    },
    middleware: {
      workspace: {
        // The server asks for its settings under `outreachLsp` (its name for them in every editor).
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, i) =>
            item.section === LEGACY_SECTION || item.section === SECTION ? serverSettings() : answers[i],
          );
        },
      },
    },
  };

  const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    statusState = e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped';
    updateStatus();
  });
  try {
    await c.start();
    serverVersion = c.initializeResult?.serverInfo?.version;
    output.appendLine(`outreach-lsp ${serverVersion ?? '(unknown version)'} is running (${command})`);
    status.accessibilityInformation = { label: `Outreach server ${serverVersion ?? ''} running from ${command}` };
    statusState = 'running';
    updateStatus();
    preview.refresh();
  } catch (err) {
    client = undefined;
    statusState = 'failed';
    updateStatus();
    const message = `Outreach: could not start “${command}”: ${errorMessage(err)}. ${INSTALL_HINT}`;
    whenTemplateOpen(() =>
      void vscode.window
        .showErrorMessage(message, 'Open Settings', 'Show Output')
        .then((choice) => handleChoice(choice)),
    );
  }
}

/**
 * The server binary: `outreach.path` when set (an explicit choice wins), else the one bundled in a
 * platform-specific extension (server/outreach-lsp), else `outreach-lsp` on PATH. Errors are shown only
 * once a template is open, so the extension stays quiet in projects without templates.
 */
function findServer(context: vscode.ExtensionContext): string | undefined {
  const configured = setting<string>('path', '').trim();
  const bundled = context.asAbsolutePath(path.join('server', process.platform === 'win32' ? `${BINARY}.exe` : BINARY));
  const fromBundle = isExecutable(bundled) ? bundled : undefined;
  if (configured) {
    const resolved = resolveConfiguredPath(configured);
    if (isExecutable(resolved)) {
      return resolved;
    }
    output.appendLine(`outreach.path = ${configured} is not an executable file`);
    const fallback = fromBundle ?? whichOnPath(BINARY);
    whenTemplateOpen(() =>
      void vscode.window
        .showErrorMessage(
          `Outreach: “outreach.path” points to “${configured}”, which is not an executable file` +
            (fallback ? `; using “${fallback}” instead.` : `. ${INSTALL_HINT}`),
          'Open Settings',
        )
        .then((choice) => handleChoice(choice)),
    );
    return fallback;
  }
  if (fromBundle) {
    return fromBundle;
  }
  const fromPath = whichOnPath(BINARY);
  if (fromPath) {
    return fromPath;
  }
  output.appendLine(`${BINARY} is not bundled with this extension and not on PATH (${process.env.PATH ?? ''})`);
  whenTemplateOpen(() =>
    void vscode.window
      .showErrorMessage(
        `Outreach: the ${BINARY} server was not found (not bundled with this extension, “outreach.path” is empty and it is not on PATH). ` +
          INSTALL_HINT,
        'Open Settings',
      )
      .then((choice) => handleChoice(choice)),
  );
  return undefined;
}

/**
 * The settings editor filtered to this extension's settings, on the tab that holds `outreach.path`: in a
 * remote window (SSH, containers, code-server) that is the Remote tab, since the path is a setting of
 * the machine the server runs on; the User tab there would not list it.
 */
function openSettings(): void {
  const query = '@ext:outreach-lsp.outreach-lsp';
  if (vscode.env.remoteName) {
    void vscode.commands
      .executeCommand('workbench.action.openRemoteSettings', { query })
      .then(undefined, () => vscode.commands.executeCommand('workbench.action.openSettings', query));
  } else {
    void vscode.commands.executeCommand('workbench.action.openSettings', query);
  }
}

function handleChoice(choice: string | undefined): void {
  if (choice === 'Open Settings') {
    openSettings();
  } else if (choice === 'Show Output') {
    output.show(true);
  }
}

/** The language status item: server version, state, findings, and a Restart action. */
function updateStatus(): void {
  if (!status) return;
  let findings = 0;
  for (const [, diags] of vscode.languages.getDiagnostics()) {
    findings += diags.filter((d) => d.source === SOURCE).length;
  }
  const version = serverVersion ? ` ${serverVersion}` : '';
  status.text = `Outreach${version}: ${statusState}`;
  status.detail = `${findings} finding${findings === 1 ? '' : 's'} in open files`;
  status.severity =
    statusState === 'not found' || statusState === 'failed'
      ? vscode.LanguageStatusSeverity.Error
      : vscode.LanguageStatusSeverity.Information;
  status.busy = statusState === 'starting';
  status.command = { title: 'Restart', command: 'outreachLsp.restartServer', tooltip: 'Restart the Outreach server' };
}

/**
 * A read-only document beside the editor with the message at the cursor rendered for an example contact
 * (and for each contact of the list when there is one), its length against the channel's limit. Updated
 * as you type and as the cursor moves.
 */
class PreviewProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The template previewed and the cursor line in it. */
  private source: vscode.Uri | undefined;
  private line = 0;
  private timer: NodeJS.Timeout | undefined;
  static readonly uri = vscode.Uri.parse(`${PREVIEW_SCHEME}:Outreach Preview`);

  async open(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (editor && isTemplate(editor.document)) {
      this.source = editor.document.uri;
      this.line = editor.selection.active.line;
    }
    let doc = await vscode.workspace.openTextDocument(PreviewProvider.uri);
    // The outreach language: its highlighting, and word wrap on (configurationDefaults).
    if (doc.languageId !== 'outreach') doc = await vscode.languages.setTextDocumentLanguage(doc, 'outreach');
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
    this.refresh();
  }

  private isOpen(): boolean {
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === PreviewProvider.uri.toString());
  }

  documentChanged(doc: vscode.TextDocument): void {
    if (this.source && doc.uri.toString() === this.source.toString()) this.refresh();
  }

  cursorMoved(editor: vscode.TextEditor): void {
    if (editor.document.uri.scheme === PREVIEW_SCHEME || !isTemplate(editor.document)) return;
    const line = editor.selection.active.line;
    if (this.source?.toString() === editor.document.uri.toString() && line === this.line) return;
    this.source = editor.document.uri;
    this.line = line;
    this.refresh();
  }

  /** Re-renders after a short pause (typing sends a change per key). */
  refresh(): void {
    if (!this.isOpen()) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(PreviewProvider.uri), 150);
  }

  async provideTextDocumentContent(): Promise<string> {
    if (!this.source) return 'Open an outreach template and put the cursor in a message to preview it.';
    if (!client?.isRunning()) return 'The Outreach server is not running.';
    const uri = this.source.toString();
    try {
      const all = await client.sendRequest<PreviewResult>('outreach/preview', { uri });
      const m =
        all.messages.find((x) => x.range.start.line <= this.line && this.line <= x.range.end.line) ??
        all.messages[all.messages.length - 1];
      if (!m) return 'This template has no message.';
      const out = [render(m, 'example values')];
      // Each contact of the list, up to 20 (the CLI's `preview --all` shows every one).
      for (let row = 1; row <= Math.min(all.contacts, 20); row++) {
        const one = await client.sendRequest<PreviewResult>('outreach/preview', { uri, message: m.index, contact: row });
        if (one.messages[0]) out.push(render(one.messages[0], `contact ${row} of ${all.contacts}`));
      }
      return out.join('\n\n');
    } catch (err) {
      return `No preview: ${errorMessage(err)}`;
    }
  }
}

function render(m: PreviewMessage, who: string): string {
  const length =
    m.length.min === m.length.max ? `${m.length.typical}` : `${m.length.typical} (${m.length.min}–${m.length.max} with any values)`;
  const limit = m.limit ? ` of ${m.limit}${m.length.max > m.limit ? ' — can be over the limit' : ''}` : '';
  const head = `${m.label} · ${m.channel} · ${who} · ${length} characters${limit}`;
  const subject = m.subject ? `Subject: ${m.subject}\n\n` : '';
  return `${head}\n${'─'.repeat(Math.min(head.length, 80))}\n${subject}${m.text}`;
}

function resolveConfiguredPath(p: string): string {
  let resolved = p;
  if (resolved === '~' || resolved.startsWith('~/')) {
    resolved = path.join(os.homedir(), resolved.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  resolved = resolved.replace(/\$\{workspaceFolder\}/g, folder ?? '');
  if (!path.isAbsolute(resolved) && folder) {
    resolved = path.join(folder, resolved);
  }
  return resolved;
}

function whichOnPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts =
    process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
