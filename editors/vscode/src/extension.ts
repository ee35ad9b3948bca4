import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';

const CLIENT_ID = 'outreachLsp'; // also the prefix of `outreachLsp.trace.server`
const CLIENT_NAME = 'Outreach LSP';
const BINARY = 'outreach-lsp';
// Notifications show plain text (no Markdown), so quote with “…” rather than backticks.
const INSTALL_HINT =
  'Install it with “cargo install --path .” in the outreach-lsp repository (which puts it on PATH), ' +
  'or set “outreachLsp.path” to the binary.';

/** The part of the settings the server understands (see docs/editor-contract.md). */
interface ServerSettings {
  account: string;
  rules: Record<string, string>;
}

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand('outreachLsp.restartServer', () => restart(context)),
    vscode.commands.registerCommand('outreachLsp.showOutput', () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => onConfigurationChanged(context, e)),
  );

  // Do not hold up activation (or the editor) while the server starts; start() reports its own errors.
  void start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

function serverSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration('outreachLsp');
  return {
    account: config.get<string>('account', 'free'),
    rules: { ...(config.get<Record<string, string>>('rules') ?? {}) },
  };
}

async function onConfigurationChanged(
  context: vscode.ExtensionContext,
  e: vscode.ConfigurationChangeEvent,
): Promise<void> {
  if (e.affectsConfiguration('outreachLsp.path')) {
    await restart(context);
    return;
  }
  if (
    client?.isRunning() &&
    (e.affectsConfiguration('outreachLsp.account') || e.affectsConfiguration('outreachLsp.rules'))
  ) {
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
    try {
      await c.stop();
    } catch (err) {
      output?.appendLine(`error while stopping the server: ${String(err)}`);
    }
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const command = findServer();
  if (!command) {
    return;
  }
  output?.appendLine(`starting ${command} serve`);

  // No `transport`: TransportKind.stdio would append `--stdio`, which `outreach-lsp serve` does not take.
  // Without it the client talks over the child's stdin/stdout all the same.
  const serverOptions: ServerOptions = {
    run: { command, args: ['serve'] },
    debug: { command, args: ['serve'] },
  };
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
    traceOutputChannel: vscode.window.createOutputChannel(`${CLIENT_NAME} Trace`),
  };

  const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = c;
  context.subscriptions.push({ dispose: () => void c.stop().catch(() => undefined) });
  try {
    await c.start();
  } catch (err) {
    client = undefined;
    void vscode.window
      .showErrorMessage(
        `Outreach LSP: could not start “${command}”: ${errorMessage(err)}. ${INSTALL_HINT}`,
        'Open Settings',
        'Show Output',
      )
      .then((choice) => handleChoice(choice));
  }
}

/** `outreachLsp.path`, then `outreach-lsp` on PATH. Shows an error notification when neither works. */
function findServer(): string | undefined {
  const configured = vscode.workspace.getConfiguration('outreachLsp').get<string>('path', '').trim();
  if (configured) {
    const resolved = resolveConfiguredPath(configured);
    if (isExecutable(resolved)) {
      return resolved;
    }
    output?.appendLine(`outreachLsp.path = ${configured} is not an executable file`);
    const fromPath = whichOnPath(BINARY);
    void vscode.window
      .showErrorMessage(
        `Outreach LSP: “outreachLsp.path” points to “${configured}”, which is not an executable file` +
          (fromPath ? `; using “${fromPath}” from PATH instead.` : `. ${INSTALL_HINT}`),
        'Open Settings',
      )
      .then((choice) => handleChoice(choice));
    return fromPath;
  }

  const fromPath = whichOnPath(BINARY);
  if (fromPath) {
    return fromPath;
  }
  output?.appendLine(`${BINARY} not found on PATH (${process.env.PATH ?? ''})`);
  void vscode.window
    .showErrorMessage(
      `Outreach LSP: the ${BINARY} server was not found (“outreachLsp.path” is empty and it is not on PATH). ` +
        INSTALL_HINT,
      'Open Settings',
    )
    .then((choice) => handleChoice(choice));
  return undefined;
}

function handleChoice(choice: string | undefined): void {
  if (choice === 'Open Settings') {
    void vscode.commands.executeCommand('workbench.action.openSettings', 'outreachLsp.path');
  } else if (choice === 'Show Output') {
    output?.show(true);
  }
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
