// End-to-end test module. VS Code loads it inside the (remote) extension host because the workbench URL
// carries `payload=[["extensionTestsPath", ".../tests"]]`, so it has the full `vscode` API and talks to
// the installed extension and the real outreach-lsp server.
//
// run-e2e.sh copies this file to <run>/tests/index.js next to a config.json:
//   { workspace, fixture, markdownTemplate, markdownPlain, extensionId, serverOnPath,
//     dialectsLiquid, dialectsMailchimp, dialectsHandlebars, dialectsScratch,
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
  await dialectFeatures();

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

// --- dialect features (issue 12): what a VS Code user gets from the server for spintax and tags ----------

/** The server's semantic tokens of a document, decoded as [line, character, length, type]. */
async function semanticTokens(uri) {
  const legend = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokensLegend', uri);
  const tokens = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokens', uri);
  const out = [];
  if (!legend || !tokens) return out;
  const d = tokens.data;
  let line = 0;
  let ch = 0;
  for (let i = 0; i + 4 < d.length; i += 5) {
    if (d[i] > 0) {
      line += d[i];
      ch = d[i + 1];
    } else {
      ch += d[i + 1];
    }
    out.push([line, ch, d[i + 2], legend.tokenTypes[d[i + 3]]]);
  }
  return out;
}

/** The type of the token covering (line, character), or null. */
function tokenAt(tokens, line, character) {
  const t = tokens.find(([l, c, n]) => l === line && c <= character && character < c + n);
  return t ? t[3] : null;
}

/** Checks the token type at each [line, character, type]; one check per file. */
function checkTokens(name, tokens, doc, expected) {
  const wrong = expected
    .map(([l, c, want]) => ({ at: `${l}:${c}`, text: doc.lineAt(l).text.slice(c, c + 8), want, got: tokenAt(tokens, l, c) }))
    .filter((e) => e.got !== e.want);
  check(name, tokens.length > 0 && wrong.length === 0, JSON.stringify(wrong.length ? wrong : tokens.slice(0, 12)));
}

/** The server's completion items at a position, in the order the editor sorts them (sortText, then label). */
async function serverCompletions(uri, position, keep) {
  const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, position);
  const label = (i) => (typeof i.label === 'string' ? i.label : i.label.label);
  // VS Code adds word-based suggestions (Text) and the extension's snippets; keep what the server sent.
  return ((list && list.items) || [])
    .filter(keep)
    .sort((a, b) => { const x = a.sortText || label(a); const y = b.sortText || label(b); return x < y ? -1 : x > y ? 1 : 0; })
    .map((i) => ({
      label: label(i),
      detail: i.detail,
      preselect: !!i.preselect,
      insert: i.insertText && typeof i.insertText === 'object' ? i.insertText.value : i.insertText,
      range: i.range && (i.range.start ? fmtRange(i.range) : fmtRange(i.range.replacing)),
    }));
}

/** Replaces the whole text of an open document (as typing would) and waits for nothing: requests sync first. */
async function setText(doc, text) {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  await vscode.workspace.applyEdit(edit);
}

function symbolTree(symbols) {
  return (symbols || []).map((s) => ({
    name: s.name,
    detail: s.detail,
    kind: vscode.SymbolKind[s.kind],
    children: s.children && s.children.length ? symbolTree(s.children) : undefined,
  }));
}

async function dialectFeatures() {
  for (const f of [config.dialectsLiquid, config.dialectsMailchimp, config.dialectsHandlebars]) {
    fs.copyFileSync(path.join(config.later, path.basename(f)), f);
  }
  const liquid = await openDocument(config.dialectsLiquid);
  const uri = liquid.uri;
  // Requests do not wait for a lint, but the first diagnostics say the server has the document.
  await poll(() => ours(uri).length > 0, config.diagnosticsTimeoutMs);

  // --- hover: the heading (dialect, renderings), a spintax group, a tag of a block ----------------------
  {
    const heading = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(0, 3)));
    check('liquid: hover on the heading names the detected dialect and the 6 renderings (2 greetings × 3 branches)',
      heading.includes('Dialect: `liquid` (detected from the syntax in this file). 6 distinct renderings'), JSON.stringify(heading.slice(0, 400)));
    const group = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(2, 3)));
    check('liquid: hover on the spintax group lists both options with their lengths',
      group ===
        '### Spintax group — 2 options\n\nThe sender picks one at random for each recipient.\n\n' +
          '- 1. “Thanks” · 6 characters\n- 2. “Thank you” · 9 characters\n\nLength of the group: 6–9 characters over 2 renderings.',
      JSON.stringify(group));
    const block = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(5, 4)));
    check('liquid: hover on {% elsif %} shows the if block, each branch with the tag that picks it',
      block.startsWith('### `if` block — 3 branches') &&
        block.includes('- `if mutual_connection` → “We both know \\{\\{mutual\\_connection\\}\\}.”') &&
        block.includes('- `elsif company` → “I follow \\{\\{company\\}\\}.”') &&
        block.includes('- `else` → “Hope all is well.” · 19 characters') &&
        block.includes('Length of the block: 13–56 characters over 3 renderings.'),
      JSON.stringify(block));
    const prose = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(4, 3)));
    check('liquid: no block hover in a branch’s prose', !prose.includes('block —'), JSON.stringify(prose.slice(0, 200)));
  }

  // --- semantic tokens: tag delimiters and spintax braces are operators, tag names keywords -------------
  {
    const toks = await semanticTokens(uri);
    checkTokens('liquid: semantic tokens colour spintax braces and separators, tag delimiters, tag names and condition fields', toks, liquid, [
      [2, 0, 'operator'], [2, 7, 'operator'], [2, 17, 'operator'], [2, 1, null], [2, 37, 'variable'],
      [3, 0, 'operator'], [3, 3, 'keyword'], [3, 6, 'variable'], [3, 24, 'operator'],
      [5, 3, 'keyword'], [5, 9, 'variable'], [7, 3, 'keyword'], [9, 3, 'keyword'], [8, 0, null],
    ]);
  }

  // --- document symbols and folding -----------------------------------------------------------------------
  {
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', uri);
    const tree = symbolTree(symbols);
    const expected = [{
      name: 'Follow-up', detail: 'follow-up · linkedin-message', kind: 'String', children: [
        { name: '{Thanks|Thank you}', detail: 'spintax group · 2 options', kind: 'Enum', children: [
          { name: 'Thanks', detail: 'option 1 of 2', kind: 'EnumMember' },
          { name: 'Thank you', detail: 'option 2 of 2', kind: 'EnumMember' }] },
        { name: 'if mutual_connection', detail: 'if · 3 options', kind: 'Struct', children: [
          { name: 'We both know {{mutual_connection}}.', detail: 'if mutual_connection', kind: 'EnumMember' },
          { name: 'I follow {{company}}.', detail: 'elsif company', kind: 'EnumMember' },
          { name: 'Hope all is well.', detail: 'else', kind: 'EnumMember' }] }] }];
    check('liquid: the outline shows the message, its spintax group and its if block, each option and branch inside',
      JSON.stringify(tree) === JSON.stringify(expected), JSON.stringify(tree));
    const folds = ((await vscode.commands.executeCommand('vscode.executeFoldingRangeProvider', uri)) || [])
      .map((f) => [f.start, f.end, f.kind === vscode.FoldingRangeKind.Region ? 'region' : String(f.kind)])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    check('liquid: folding ranges: the if block (its endif visible), then its elsif and else branches',
      JSON.stringify(folds) === JSON.stringify([[3, 8, 'region'], [5, 6, 'region'], [7, 8, 'region']]), JSON.stringify(folds));
  }

  // --- code actions: wrap in a conditional, make a spintax group, convert the file ----------------------
  {
    const at = (l, c0, c1) => new vscode.Range(l, c0, l, c1 === undefined ? c0 : c1);
    const actions = async (range, kind) =>
      (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, range, kind)) || [];
    const describeActions = (list) => JSON.stringify(list.map((a) => [a.title, a.kind && a.kind.value]));
    const onEvent = await actions(at(10, 13));
    const wrap = onEvent.find((a) => a.title.startsWith('Wrap in a conditional'));
    check('liquid: on {{event}}, “Wrap in a conditional” (refactor.rewrite) wraps its sentence in {% if event %}',
      wrap && wrap.title === 'Wrap in a conditional: send this only when `event` has a value' &&
        wrap.kind && wrap.kind.value === 'refactor.rewrite' &&
        JSON.stringify(wrap.edit.get(uri).map((e) => [fmtRange(e.range), e.newText])) ===
          JSON.stringify([['10:0-10:0', '{% if event %}'], ['10:21-10:21', '{% endif %}']]),
      describeActions(onEvent));
    const onPhrase = await actions(at(10, 35, 45));
    const spin = onPhrase.find((a) => a.title.startsWith('Make this a spintax group'));
    check('liquid: on the selected “swap notes”, “Make this a spintax group” writes {swap notes|swap notes}',
      spin && spin.title === 'Make this a spintax group: {swap notes|swap notes}' &&
        JSON.stringify(spin.edit.get(uri).map((e) => [fmtRange(e.range), e.newText])) ===
          JSON.stringify([['10:35-10:45', '{swap notes|swap notes}']]),
      describeActions(onPhrase));
    const converts = await actions(at(0, 0), 'source.convert');
    check('liquid: source.convert offers the three other dialects, saying the spintax group stays as written',
      JSON.stringify(converts.map((a) => [a.title, a.kind && a.kind.value])) === JSON.stringify([
        ['Convert this file to Handlebars (1 part cannot be expressed and stays as written)', 'source.convert.outreach'],
        ['Convert this file to Mailchimp (1 part cannot be expressed and stays as written)', 'source.convert.outreach'],
        ['Convert this file to HubSpot (1 part cannot be expressed and stays as written)', 'source.convert.outreach'],
      ]), describeActions(converts));
    const toMailchimp = converts.find((a) => a.title.startsWith('Convert this file to Mailchimp'));
    if (toMailchimp && toMailchimp.edit) {
      await vscode.window.showTextDocument(liquid, { preview: false });
      const applied = await vscode.workspace.applyEdit(toMailchimp.edit);
      const text = liquid.getText();
      check('liquid: applying “Convert this file to Mailchimp” writes merge tags and IF blocks, the spintax kept',
        applied && text.split('\n').slice(2, 11).join('\n') ===
          '{Thanks|Thank you} for connecting, *|FNAME|*!\n*|IF:MUTUAL_CONNECTION|*\nWe both know *|MUTUAL_CONNECTION|*.\n' +
            '*|ELSEIF:COMPANY|*\nI follow *|COMPANY|*.\n*|ELSE:|*\nHope all is well.\n*|END:IF|*\nWe met at *|EVENT|*. Would love to swap notes.',
        JSON.stringify(text));
      const heading = await poll(async () => {
        const h = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(0, 3)));
        return h.includes('Dialect: `mailchimp`') ? h : undefined;
      }, 10000);
      check('liquid: after the conversion the heading hover says the file is now read as Mailchimp', heading, JSON.stringify(heading));
      await vscode.commands.executeCommand('workbench.action.files.revert');
      check('liquid: the conversion is undone by Revert File (nothing was written to disk)',
        liquid.getText() === fs.readFileSync(config.dialectsLiquid, 'utf8'), JSON.stringify(liquid.getText().slice(0, 120)));
    }
  }

  // --- the UI: the hover popup on the spintax group -------------------------------------------------------
  await focusAt(liquid, 2, 3);
  await vscode.commands.executeCommand('editor.action.showHover');
  await snapshot('hover-spintax'); // the driver reads the popup

  // --- Mailchimp: hover on *|END:IF|*, tokens, folding ------------------------------------------------------
  {
    const mc = await openDocument(config.dialectsMailchimp);
    await poll(() => ours(mc.uri).length > 0, config.diagnosticsTimeoutMs);
    const heading = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', mc.uri, new vscode.Position(3, 3)));
    check('mailchimp: hover on the heading says the dialect comes from the front matter, with 2 renderings',
      heading.includes('Dialect: `mailchimp` (set by `dialect:` in the front matter). 2 distinct renderings'), JSON.stringify(heading.slice(-700)));
    const block = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', mc.uri, new vscode.Position(9, 4)));
    check('mailchimp: hover on *|END:IF|* shows both branches with the tag that picks each',
      block ===
        '### `if` block — 2 branches\n\nThe first branch whose condition holds is sent.\n\n' +
          '- `IF:FNAME` → “Hi \\*\\|FNAME\\|\\*,” · 7–26 characters\n- `ELSE:` → “Hello,” · 8 characters\n\n' +
          'Length of the block: 7–26 characters over 2 renderings.',
      JSON.stringify(block));
    checkTokens('mailchimp: semantic tokens: *| |* operators, IF:/ELSE:/END:IF keywords, the merge tag a variable', await semanticTokens(mc.uri), mc, [
      [5, 0, 'operator'], [5, 2, 'keyword'], [5, 5, 'variable'], [5, 10, 'operator'],
      [6, 3, 'operator'], [6, 5, 'variable'], [7, 2, 'keyword'], [9, 2, 'keyword'], [8, 0, null],
    ]);
    const folds = ((await vscode.commands.executeCommand('vscode.executeFoldingRangeProvider', mc.uri)) || [])
      .map((f) => [f.start, f.end]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    check('mailchimp: folding ranges over the IF block and its ELSE branch', JSON.stringify(folds) === JSON.stringify([[5, 8], [7, 8]]), JSON.stringify(folds));
    const converts = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', mc.uri, new vscode.Range(5, 0, 5, 0), 'source.convert')) || [];
    check('mailchimp: source.convert offers Liquid, Handlebars and HubSpot, all expressible',
      JSON.stringify(converts.map((a) => a.title)) ===
        JSON.stringify(['Convert this file to Liquid', 'Convert this file to Handlebars', 'Convert this file to HubSpot']),
      JSON.stringify(converts.map((a) => a.title)));
  }

  // --- Handlebars: hover on {{/if}}, tokens, symbols ------------------------------------------------------
  {
    const hb = await openDocument(config.dialectsHandlebars);
    await poll(() => ours(hb.uri).length > 0, config.diagnosticsTimeoutMs);
    const block = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', hb.uri, new vscode.Position(5, 52)));
    check('handlebars: hover on {{/if}} shows the #if block and its else branch',
      block ===
        '### `if` block — 2 branches\n\nThe first branch whose condition holds is sent.\n\n' +
          '- `#if first_name` → “Hi \\{\\{first\\_name\\}\\},” · 5–24 characters\n- `else` → “Hello,” · 6 characters\n\n' +
          'Length of the block: 5–24 characters over 2 renderings.',
      JSON.stringify(block));
    checkTokens('handlebars: semantic tokens: {{ }} operators, #if / else / /if keywords, the field a variable', await semanticTokens(hb.uri), hb, [
      [5, 0, 'operator'], [5, 2, 'keyword'], [5, 6, 'variable'], [5, 16, 'operator'], [5, 23, 'variable'],
      [5, 38, 'keyword'], [5, 52, 'keyword'], [5, 18, null],
    ]);
    const tree = symbolTree(await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', hb.uri));
    const message = tree.find((s) => s.name === 'Connection request');
    check('handlebars: the outline has the {{#if}} block with its two branches',
      message && JSON.stringify(message.children) === JSON.stringify([
        { name: '#if first_name', detail: 'if · 2 options', kind: 'Struct', children: [
          { name: 'Hi {{first_name}},', detail: '#if first_name', kind: 'EnumMember' },
          { name: 'Hello,', detail: 'else', kind: 'EnumMember' }] }]),
      JSON.stringify(tree));
  }

  // --- completion of tags (a scratch template whose text each case replaces, as typing would) ------------
  {
    fs.writeFileSync(config.dialectsScratch, '');
    const scratch = await openDocument(config.dialectsScratch);
    const keyword = (i) => i.kind === vscode.CompletionItemKind.Keyword;
    const cases = [
      {
        name: 'liquid: after {% inside an open if, endif comes first, preselected, naming the tag it closes',
        text: '# Connection request\n\nHi {{first_name}}, {% if mutual_connection %}we both know {{mutual_connection}}.\n{%',
        at: [3, 2], keep: keyword,
        want: (items) => JSON.stringify(items.map((i) => i.label)) === JSON.stringify(['endif', 'else', 'elsif', 'case', 'if', 'unless']) &&
          items[0].preselect && items[0].detail === 'closes `{% if mutual_connection %}` (line 3)' && items[0].insert === ' endif %}$0' &&
          items.filter((i) => i.preselect).length === 1 && items.find((i) => i.label === 'if').insert === ' if ${1:condition} %}$0',
      },
      {
        name: 'handlebars: after {{# the block helpers if and unless',
        text: '---\ndialect: handlebars\n---\n# Connection request\n\n{{#',
        at: [5, 3], keep: keyword,
        want: (items) => JSON.stringify(items.map((i) => [i.label, i.insert])) === JSON.stringify([['if', 'if ${1:field}}}$0'], ['unless', 'unless ${1:field}}}$0']]),
      },
      {
        name: 'handlebars: after {{/ the open block’s closer, preselected',
        text: '---\ndialect: handlebars\n---\n# Connection request\n\n{{#if first_name}}Hi {{first_name}},{{/',
        at: [5, 39], keep: keyword,
        want: (items) => items.length === 1 && items[0].label === 'if' && items[0].preselect && items[0].insert === 'if}}$0' &&
          items[0].detail === 'closes `{{#if first_name}}` (line 6)',
      },
      {
        name: 'mailchimp: after *| inside an open IF, END:IF first (preselected), then ELSE: and ELSEIF:',
        text: '---\ndialect: mailchimp\n---\n# Connection request\n\n*|IF:FNAME|*Hi *|FNAME|*,\n*|',
        at: [6, 2], keep: keyword,
        want: (items) => JSON.stringify(items.map((i) => i.label)) === JSON.stringify(['END:IF', 'ELSE:', 'ELSEIF:', 'IF:', 'IFNOT:']) &&
          items[0].preselect && items[0].insert === 'END:IF|*$0' && items[0].detail === 'closes `*|IF:FNAME|*` (line 6)',
      },
      {
        name: 'liquid: after a lone { in prose, a spintax group snippet that replaces the automatic }',
        text: '# Connection request\n\nThanks {}\n',
        at: [2, 8], keep: (i) => (typeof i.label === 'string' ? i.label : i.label.label).startsWith('{'),
        want: (items) => items.length === 1 && items[0].label === '{Hi|Hello}' && items[0].insert === '{${1:Hi}|${2:Hello}}$0' && items[0].range === '2:7-2:9',
      },
    ];
    for (const c of cases) {
      await setText(scratch, c.text);
      const items = await serverCompletions(scratch.uri, new vscode.Position(c.at[0], c.at[1]), c.keep);
      check(c.name, c.want(items), JSON.stringify(items.slice(0, 8)));
    }
    await setText(scratch, '# Connection request\n\nHi {{first_name}}, I liked your talk on data teams.\n');
    await scratch.save();
  }
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
