// End-to-end test module. VS Code loads it inside the (remote) extension host because the workbench URL
// carries `payload=[["extensionTestsPath", ".../tests"]]`, so it has the full `vscode` API and talks to
// the installed extension and the real outreach-lsp server.
//
// run-e2e.sh copies this file to <run>/tests/index.js next to a config.json:
//   { workspace, fixture, markdownTemplate, markdownPlain, extensionId, serverOnPath,
//     resultFile, statusDir, releaseFile, diagnosticsTimeoutMs }
// Results go to `resultFile` (JSON, rewritten after every check, `done: true` at the end), because the
// browser console is not a reliable channel. Screenshots are a handshake with the driver (drive.js):
// snapshot(NAME) writes <statusDir>/NAME.request and waits for NAME.done, which the driver writes after it
// took NAME.png and ran its UI checks for NAME. After the final result the module waits for releaseFile,
// so the extension host (and with it the diagnostics) lives until the driver is done.
'use strict';

const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8'));
const SOURCE = 'outreach-lsp';

const checks = [];
const log = [];
let finished = false;

function note(msg) {
  log.push(`${new Date().toISOString()} ${msg}`);
}

function writeResult() {
  const passed = checks.filter((c) => c.ok).length;
  const result = { done: finished, passed, failed: checks.length - passed, checks, log };
  const tmp = `${config.resultFile}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result, null, 2));
  fs.renameSync(tmp, config.resultFile);
}

function check(name, ok, detail) {
  checks.push({ name, ok: Boolean(ok), detail: detail === undefined ? '' : String(detail) });
  note(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` -- ${detail}` : ''}`);
  writeResult();
  return Boolean(ok);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function poll(fn, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value || Date.now() >= deadline) return value;
    await sleep(intervalMs);
  }
}

function codeOf(d) {
  return d.code && typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function ours(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function describe(diags) {
  return JSON.stringify(
    diags.map((d) => ({
      code: codeOf(d),
      severity: vscode.DiagnosticSeverity[d.severity],
      range: `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`,
    })),
  );
}

function fmtRange(r) {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

function hoverText(hovers) {
  return (hovers || [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n---\n');
}

async function waitForFile(file, timeoutMs) {
  return poll(() => fs.existsSync(file), timeoutMs, 200);
}

async function snapshot(name) {
  fs.writeFileSync(path.join(config.statusDir, `${name}.request`), new Date().toISOString());
  const done = await waitForFile(path.join(config.statusDir, `${name}.done`), 60000);
  note(done ? `driver took snapshot ${name}` : `driver did not confirm snapshot ${name} within 60s; going on`);
}

async function openDocument(file) {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

async function main() {
  note(`vscode ${vscode.version}, pid ${process.pid}, remoteName ${vscode.env.remoteName}`);

  // --- the extension -------------------------------------------------------------------------------------
  const ext = vscode.extensions.getExtension(config.extensionId);
  if (!check('extension is installed', ext, config.extensionId)) return;
  try {
    await ext.activate();
  } catch (err) {
    note(`activate() threw: ${err && err.stack}`);
  }
  check('extension activates', ext.isActive);
  const bundled = path.join(ext.extensionPath, 'server', 'outreach-lsp');
  check('the installed .vsix bundles the server (server/outreach-lsp)', fs.existsSync(bundled), bundled);

  // --- the fixture from docs/editor-contract.md ---------------------------------------------------------
  const doc = await openDocument(config.fixture);
  const uri = doc.uri;
  check('*.outreach.md gets the outreach language', doc.languageId === 'outreach', doc.languageId);

  const wanted = ['unknown-placeholder', 'default-invitation-text'];
  const t0 = Date.now();
  const diags = await poll(() => {
    const d = ours(uri);
    return wanted.every((w) => d.some((x) => codeOf(x) === w)) ? d : undefined;
  }, config.diagnosticsTimeoutMs);
  const got = ours(uri);
  note(`diagnostics after ${Date.now() - t0} ms: ${describe(got)}`);
  check(
    `diagnostics from source ${SOURCE} arrive within ${config.diagnosticsTimeoutMs / 1000}s`,
    got.length > 0,
    describe(got),
  );

  if (!config.serverOnPath) {
    check(
      'with no outreach.path and no outreach-lsp on PATH, the bundled server lints',
      got.length > 0 && !vscode.workspace.getConfiguration('outreach').get('path'),
      describe(got),
    );
  }

  const unknown = got.find((d) => codeOf(d) === 'unknown-placeholder');
  if (check('unknown-placeholder is published', unknown, describe(got))) {
    check(
      'unknown-placeholder is an Error',
      unknown.severity === vscode.DiagnosticSeverity.Error,
      vscode.DiagnosticSeverity[unknown.severity],
    );
    const r = unknown.range;
    check(
      'unknown-placeholder range is 0:3-0:17 ({{frist_name}})',
      r.start.line === 0 && r.start.character === 3 && r.end.line === 0 && r.end.character === 17,
      `${fmtRange(r)} = ${JSON.stringify(doc.getText(r))}`,
    );
  }
  const invitation = got.find((d) => codeOf(d) === 'default-invitation-text');
  if (check('default-invitation-text is published', invitation, describe(got))) {
    check(
      'default-invitation-text is a Warning',
      invitation.severity === vscode.DiagnosticSeverity.Warning,
      vscode.DiagnosticSeverity[invitation.severity],
    );
    check(
      'default-invitation-text is on line 2',
      invitation.range.start.line === 2 && invitation.range.end.line <= 3,
      fmtRange(invitation.range),
    );
  }
  void diags;
  check(
    'outreach.rules from settings.json ({"no-reason": "off"}) applies from the start',
    got.length > 0 && !got.some((d) => codeOf(d) === 'no-reason'),
    describe(got),
  );

  // --- screenshot handshake: squiggles + Problems panel while both findings are shown ----------------------
  await snapshot('editor-problems');
  await vscode.window.showTextDocument(doc, { preview: false });

  // --- hover on the unknown placeholder: the rule documentation -------------------------------------------
  {
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(0, 8));
    const text = hoverText(hovers);
    note(`hover on {{frist_name}}: ${JSON.stringify(text.slice(0, 300))}`);
    check(
      'hover on the unknown-placeholder range starts with the rule id as a heading and links the rule page',
      /docs\/rules\/unknown-placeholder\.md/.test(text) &&
      (hovers || []).some((h) =>
        h.contents.some((c) => /^#{1,6}\s*`?unknown-placeholder`?/.test((typeof c === 'string' ? c : c.value).trim())),
      ),
      JSON.stringify(text.slice(0, 200)),
    );
  }

  // --- quick fix -------------------------------------------------------------------------------------------
  if (unknown) {
    const actions =
      (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, unknown.range, undefined, 10)) || [];
    note(
      `code actions: ${JSON.stringify(
        actions.map((a) => ({
          title: a.title,
          kind: a.kind && a.kind.value,
          isPreferred: a.isPreferred,
          edit: !!a.edit,
        })),
      )}`,
    );
    // Other findings overlap this range (whole-line rules) and bring preferred fixes of their own, and
    // vscode.executeCodeActionProvider drops CodeAction.diagnostics, so take the preferred quickfix whose
    // edit touches the unknown-placeholder range (its title is checked separately below).
    const touchesRange = (a) =>
      a.edit && a.edit.get(uri).some((e) => e.range.intersection(unknown.range) !== undefined);
    const preferred = actions.find(
      (a) => a.isPreferred && a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind) && touchesRange(a),
    );
    const titles = JSON.stringify(actions.map((a) => a.title));
    if (check('a preferred quickfix that edits the unknown placeholder is offered at its range', preferred, titles)) {
      check('preferred quickfix is titled "Replace with {{first_name}}"', preferred.title === 'Replace with {{first_name}}', preferred.title);
      let applied = false;
      if (preferred.edit) applied = await vscode.workspace.applyEdit(preferred.edit);
      if (preferred.command) {
        await vscode.commands.executeCommand(preferred.command.command, ...(preferred.command.arguments || []));
      }
      check(
        'quickfix carries a workspace edit that applies',
        applied,
        applied ? '' : preferred.edit ? 'applyEdit returned false' : 'the code action has no edit',
      );
      const text = doc.getText();
      check(
        'document now contains {{first_name}} instead of {{frist_name}}',
        text.includes('{{first_name}}') && !text.includes('{{frist_name}}'),
        JSON.stringify(text.split('\n')[0]),
      );
      const gone = await poll(() => !ours(uri).some((d) => codeOf(d) === 'unknown-placeholder'), 20000);
      check('unknown-placeholder is no longer published after the fix', gone, describe(ours(uri)));
      const still = await poll(() => ours(uri).some((d) => codeOf(d) === 'default-invitation-text'), 5000);
      check('default-invitation-text is still published after the fix', still, describe(ours(uri)));
      await snapshot('after-fix');
    }
  }

  // --- hover on a known placeholder: name and example value ------------------------------------------------
  {
    const line0 = doc.lineAt(0).text;
    const at = line0.indexOf('first_name');
    const pos = new vscode.Position(0, at >= 0 ? at + 2 : 8);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, pos);
    const text = hoverText(hovers);
    note(`hover on {{first_name}}: ${JSON.stringify(text.slice(0, 300))}`);
    check(
      'hover on {{first_name}} names the placeholder and its example value (Ana)',
      text.includes('first_name') && text.includes('Ana'),
      JSON.stringify(text.slice(0, 200)),
    );
  }

  // --- settings reach the server: outreach.rules -> workspace/didChangeConfiguration --------------------
  if (invitation) {
    const cfg = vscode.workspace.getConfiguration('outreach');
    const initial = cfg.get('rules') || {};
    await cfg.update('rules', { ...initial, 'default-invitation-text': 'off' }, vscode.ConfigurationTarget.Global);
    const off = await poll(() => !ours(uri).some((d) => codeOf(d) === 'default-invitation-text'), 20000);
    check('outreach.rules {"default-invitation-text": "off"} removes that diagnostic', off, describe(ours(uri)));
    await cfg.update('rules', initial, vscode.ConfigurationTarget.Global);
    const back = await poll(() => ours(uri).some((d) => codeOf(d) === 'default-invitation-text'), 20000);
    check('removing the rule override brings the diagnostic back', back, describe(ours(uri)));
  }

  // --- Markdown: the server decides which Markdown files are templates --------------------------------------
  {
    const tmpl = await openDocument(config.markdownTemplate);
    check('a .md file keeps the markdown language', tmpl.languageId === 'markdown', tmpl.languageId);
    const found = await poll(() => ours(tmpl.uri).some((d) => codeOf(d) === 'unknown-placeholder'), 30000);
    check('Markdown with channel/kind front matter gets diagnostics', found, describe(ours(tmpl.uri)));
    await snapshot('markdown-template');
    if (found) {
      // Only meaningful once the server is known to lint Markdown templates.
      const plain = await openDocument(config.markdownPlain);
      await sleep(3000);
      check('Markdown without front matter gets no outreach-lsp diagnostics', ours(plain.uri).length === 0, describe(ours(plain.uri)));
    }
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  await userFeatures(ext);

  // --- a wrong outreach.path: an error notification naming it, and the bundled server instead ------------
  {
    const cfg = vscode.workspace.getConfiguration('outreach');
    const bogus = path.join(config.workspace, 'no-such-dir', 'outreach-lsp');
    await vscode.window.showTextDocument(doc, { preview: false });
    await cfg.update('path', bogus, vscode.ConfigurationTarget.Global);
    await sleep(1000);
    const back = await poll(() => ours(uri).length > 0, 20000);
    check('with a wrong outreach.path the bundled server takes over (diagnostics still published)', back, describe(ours(uri)));
    check('the extension stays active after a wrong outreach.path', ext.isActive);
    await snapshot('server-not-found');
    await cfg.update('path', undefined, vscode.ConfigurationTarget.Global);
    // That change restarts the server: let the restart finish before the next step moves the server away.
    await sleep(1500);
    await poll(() => ours(uri).length > 0, 20000);
  }

  await noBinaryAtAll(ext);
}

/** Places the cursor, focuses the editor (so keys the driver presses go to it). */
async function focusAt(doc, line, character) {
  const pos = new vscode.Position(line, character);
  await vscode.window.showTextDocument(doc, { preview: false, selection: new vscode.Range(pos, pos) });
  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  await sleep(300);
}

async function waitForCode(uri, code, present = true) {
  return poll(() => ours(uri).some((d) => codeOf(d) === code) === present, config.diagnosticsTimeoutMs);
}

/** What a user sees: the quick-fix menu, the hover popup, completion, fix on save, the Preview. */
async function userFeatures() {
  for (const f of [config.connection, config.completion, config.fixall]) {
    fs.copyFileSync(path.join(config.later, path.basename(f)), f);
  }
  // --- Ctrl+. on [First Name]: the right fix first, a short menu ---------------------------------------
  const conn = await openDocument(config.connection);
  if (check('literal-placeholder is published on [First Name]', await waitForCode(conn.uri, 'literal-placeholder'), describe(ours(conn.uri)))) {
    const actions =
      (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', conn.uri, new vscode.Range(3, 6, 3, 6))) || [];
    note(`code actions on [First Name]: ${JSON.stringify(actions.map((a) => [a.title, a.isPreferred]))}`);
    const preferred = actions.filter((a) => a.isPreferred);
    check(
      'exactly one preferred action on [First Name]: Replace with {{first_name}}',
      preferred.length === 1 && preferred[0].title === 'Replace with {{first_name}}',
      JSON.stringify(actions.map((a) => [a.title, a.isPreferred])),
    );
    await focusAt(conn, 3, 6);
    await snapshot('quick-fix-menu'); // the driver presses Ctrl+. and reads the menu
    await vscode.commands.executeCommand('hideCodeActionWidget').then(undefined, () => undefined);

    // --- the hover popup on [First Name] ------------------------------------------------------------------
    await focusAt(conn, 3, 6);
    await vscode.commands.executeCommand('editor.action.showHover');
    await snapshot('hover-popup'); // the driver reads the popup
  }

  // --- completion after {{ and after | (the driver types) -----------------------------------------------
  const comp = await openDocument(config.completion);
  await focusAt(comp, 5, comp.lineAt(5).text.length);
  await snapshot('completion');
  const typed = await poll(() => comp.getText().includes('{{event | default: "the event"'), 5000);
  check('accepting the first filter after “{{event | ” inserts default: "the event" with the space kept', typed, JSON.stringify(comp.lineAt(5).text));
  await comp.save();

  // --- fix on save: source.fixAll.outreach from editor.codeActionsOnSave ----------------------------------
  const fixall = await openDocument(config.fixall);
  if (await waitForCode(fixall.uri, 'literal-placeholder')) {
    await focusAt(fixall, 5, 0);
    await vscode.window.activeTextEditor.edit((e) => e.insert(new vscode.Position(5, 0), 'So '));
    await vscode.commands.executeCommand('workbench.action.files.save');
    const saved = await poll(() => {
      const disk = fs.readFileSync(config.fixall, 'utf8');
      return disk.includes('Hi {{first_name}},') && disk.includes('{{event | default: "the event"}}') && disk.includes('great! ');
    }, 15000);
    check('saving applies every safe fix (source.fixAll.outreach on save)', saved, JSON.stringify(fs.readFileSync(config.fixall, 'utf8')));
    check('after fix on save, no literal-placeholder or spam-formatting is published', await poll(
      () => !ours(fixall.uri).some((d) => ['literal-placeholder', 'spam-formatting'].includes(codeOf(d))), 15000),
    describe(ours(fixall.uri)));
  }

  // --- the Preview beside the editor, updated as you type -------------------------------------------------
  await focusAt(fixall, 3, 2);
  await vscode.commands.executeCommand('outreachLsp.preview');
  const previewDoc = () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'outreach-preview');
  const shown = await poll(() => previewDoc() && /Hi Ana,/.test(previewDoc().getText()) && previewDoc().getText(), 15000);
  note(`preview: ${JSON.stringify(shown)}`);
  check('the Preview shows the message at the cursor with example values and its length against the limit',
    shown && /characters of (200|300)/.test(shown) && shown.includes('We met at'), JSON.stringify(shown));
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === fixall.uri.toString());
  if (editor) {
    const line5 = fixall.lineAt(5);
    await editor.edit((e) => e.insert(line5.range.end, ' Typed just now.'));
    const updated = await poll(() => previewDoc() && previewDoc().getText().includes('Typed just now.'), 10000);
    check('the Preview follows typing', updated, JSON.stringify(previewDoc() && previewDoc().getText()));
  }
  await snapshot('preview-panel');
  await vscode.commands.executeCommand('workbench.action.files.save');

  // --- the language status item: version, state, findings, Restart ----------------------------------------
  await focusAt(fixall, 3, 2);
  await snapshot('language-status'); // the driver opens the {} status bar item and reads it

  // --- the settings button: the extension's settings, titled "Outreach: …" ---------------------------------
  await vscode.commands.executeCommand('outreachLsp.openSettings');
  await snapshot('settings');
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
}

/** No server anywhere: quiet while no template is open, an error once one is. */
async function noBinaryAtAll(ext) {
  if (config.serverOnPath) {
    note('outreach-lsp is on PATH: the "no binary at all" checks do not apply');
    return;
  }
  const bundled = path.join(ext.extensionPath, 'server', 'outreach-lsp');
  const hidden = `${bundled}.hidden`;
  try {
    fs.renameSync(bundled, hidden);
  } catch (err) {
    check('the bundled server can be moved away for the no-binary check', false, String(err));
    return;
  }
  try {
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const left = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    note(`tabs after closing all: ${JSON.stringify(left)}`);
    await openDocument(config.markdownPlain);
    await vscode.commands.executeCommand('outreachLsp.restartServer');
    await sleep(2000);
    await snapshot('no-binary-quiet');
    await openDocument(config.fixture);
    await snapshot('no-binary-template');
  } finally {
    fs.renameSync(hidden, bundled);
  }
}

exports.run = async function run() {
  try {
    await main();
  } catch (err) {
    check('test module ran without throwing', false, err && err.stack ? err.stack : err);
  }
  finished = true;
  writeResult();
  // Keep the extension host (and so the diagnostics) alive until the driver took its last screenshot.
  await waitForFile(config.releaseFile, 60000);
  const failed = checks.filter((c) => !c.ok).length;
  if (failed) throw new Error(`${failed} e2e check(s) failed`);
};
