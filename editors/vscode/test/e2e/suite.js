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
  note(`vscode ${vscode.version}, pid ${process.pid}`);

  // --- the extension -------------------------------------------------------------------------------------
  const ext = vscode.extensions.getExtension(config.extensionId);
  if (!check('extension is installed', ext, config.extensionId)) return;
  try {
    await ext.activate();
  } catch (err) {
    note(`activate() threw: ${err && err.stack}`);
  }
  check('extension activates', ext.isActive);

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
    'outreachLsp.rules from settings.json ({"no-reason": "off"}) applies from the start',
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
      'hover on the unknown-placeholder range starts with the rule id as a heading',
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

  // --- settings reach the server: outreachLsp.rules -> workspace/didChangeConfiguration --------------------
  if (invitation) {
    const cfg = vscode.workspace.getConfiguration('outreachLsp');
    const initial = cfg.get('rules') || {};
    await cfg.update('rules', { ...initial, 'default-invitation-text': 'off' }, vscode.ConfigurationTarget.Global);
    const off = await poll(() => !ours(uri).some((d) => codeOf(d) === 'default-invitation-text'), 20000);
    check('outreachLsp.rules {"default-invitation-text": "off"} removes that diagnostic', off, describe(ours(uri)));
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

  // --- a wrong outreachLsp.path: an error notification with the fix, and no crash ---------------------------
  {
    const cfg = vscode.workspace.getConfiguration('outreachLsp');
    const bogus = path.join(config.workspace, 'no-such-dir', 'outreach-lsp');
    await cfg.update('path', bogus, vscode.ConfigurationTarget.Global);
    if (!config.serverOnPath && got.length > 0) {
      const cleared = await poll(() => ours(uri).length === 0, 20000);
      check('with a wrong outreachLsp.path the server is stopped (its diagnostics cleared)', cleared, describe(ours(uri)));
    }
    await sleep(1000);
    check('the extension stays active after a wrong outreachLsp.path', ext.isActive);
    await snapshot('server-not-found');
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
