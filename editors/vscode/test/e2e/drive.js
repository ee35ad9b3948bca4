// Drives code-server in headless Chromium (playwright-core) for the e2e test.
//   node drive.js CONFIG.json
// CONFIG: { playwrightCore, chromium, baseUrl, workspace, fixture, testsDir, statusDir, releaseFile,
//           resultFile, uiResultFile, artifactsDir, serverOnPath, timeoutMs }
//
// Opens the workspace and the fixture with `payload=[["openFile",...],["extensionTestsPath",...]]` (plus a
// manifest-only extensionDevelopmentPath, without which VS Code ignores extensionTestsPath), so that the
// workbench runs the test module (suite.js) in the extension host. Then it serves the module's snapshot
// requests (<statusDir>/NAME.request -> Problems panel open, ARTIFACTS/NAME.png, UI checks -> NAME.done)
// until the module's result file says done (or the timeout), and finally writes releaseFile.
// Its own UI checks go to uiResultFile; run-e2e.sh merges them with the module's.
'use strict';

const fs = require('fs');
const path = require('path');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { chromium } = require(config.playwrightCore);

const checks = [];
function check(name, ok, detail) {
  checks.push({ name, ok: Boolean(ok), detail: detail === undefined ? '' : String(detail) });
  console.log(`[drive] ${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` -- ${detail}` : ''}`);
  fs.writeFileSync(config.uiResultFile, JSON.stringify({ checks }, null, 2));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(fn, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v || Date.now() >= deadline) return v;
    await sleep(intervalMs);
  }
}
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function uiState(page) {
  return page.evaluate(() => {
    const q = (sel) => Array.from(document.querySelectorAll(sel));
    const text = (e) => e.innerText.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
    const editor = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
    return {
      activeTab: (document.querySelector('.editor-group-container.active .tab.active') || {}).ariaLabel || '',
      tabs: q('.tabs-container .tab').map((t) => t.ariaLabel || ''),
      editorText: editor ? editor.innerText.replace(/\u00a0/g, ' ') : '',
      squiggles: q('.editor-group-container.active .monaco-editor .view-overlays [class*="squiggly-"]').map(
        (e) => (e.className.match(/squiggly-\w+/) || [''])[0],
      ),
      problems: q('.markers-panel .monaco-list-row').map(text),
      tokens: q('.editor-group-container.active .monaco-editor .view-line span span').map((e) => ({
        text: e.textContent.replace(/\u00a0/g, ' '),
        color: getComputedStyle(e).color,
      })),
      notifications: q('.notifications-toasts .notification-toast').map(text),
      // The Ctrl+. menu: its action rows (not group headers), in order.
      actions: q('.action-widget .monaco-list-row')
        .filter((r) => !r.classList.contains('group-header') && !r.classList.contains('separator'))
        .map((r) => (r.querySelector('.title') || r).textContent.replace(/\u00a0/g, ' ').trim()),
      hover: q('.monaco-hover:not(.hidden) .monaco-hover-content')
        .map((e) => e.innerText.replace(/\u00a0/g, ' '))
        .join('\n'),
      hoverWidgets: q('.workbench-hover, .monaco-hover, .context-view').map(text).join(' | '),
      // Only the hovers on screen (a closed one may stay in the page, hidden, with its text).
      visibleHovers: q('.workbench-hover, .monaco-hover')
        .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
        .map(text),
      settingTitles: q('.settings-editor .setting-item-title').map(text),
      suggestions: q('.suggest-widget.visible .monaco-list-row .label-name').map((e) => e.textContent.replace(/\u00a0/g, ' ')),
    };
  });
}

async function showProblems(page) {
  if (await page.isVisible('.markers-panel').catch(() => false)) return;
  await page.click('.editor-group-container.active .monaco-editor .view-lines').catch(() => {});
  await page.keyboard.press('Control+Shift+M'); // View: Show Problems
  await page.waitForSelector('.markers-panel', { state: 'visible', timeout: 15000 });
}

// The Problems panel's rows for one file: its header row reads "NAME COUNT", its problems follow until
// the next header. Closed workspace templates get diagnostics too (pulled whenever VS Code asks), so
// checks about the edited file look at that file's rows only.
function problemsOf(s, file) {
  const rows = [];
  let inside = false;
  for (const p of s.problems) {
    if (/^\S+\.\S+ \d+$/.test(p)) inside = p.startsWith(`${file} `);
    else if (inside) rows.push(p);
  }
  return rows;
}

// The language status popup ("Outreach 0.1.0: running · N findings in open files · Restart").
const LANGUAGE_STATUS = /Outreach \d+\.\d+\.\d+: running/;
const languageStatusShown = (s) => s.visibleHovers.some((h) => LANGUAGE_STATUS.test(h));
// Snapshots taken after the language status popup was closed, and those whose screenshot shows it.
const afterLanguageStatus = { closed: false, taken: [], showing: [] };

// What each snapshot should show; `ready` is polled until true (or 15 s) before the screenshot.
const snapshots = {
  'editor-problems': {
    ready: (s) =>
      problemsOf(s, 'fixture.outreach.md').some((p) => p.includes('unknown-placeholder')) &&
      s.squiggles.includes('squiggly-error'),
    checks: (s) => {
      check('editor shows an error squiggle (unknown-placeholder)', s.squiggles.includes('squiggly-error'), JSON.stringify(s.squiggles));
      check('editor shows a warning squiggle (default-invitation-text)', s.squiggles.includes('squiggly-warning'), JSON.stringify(s.squiggles));
      check(
        'Problems panel lists unknown-placeholder and default-invitation-text from outreach-lsp',
        // A row reads "MESSAGE outreach-lsp(RULE) [Ln L, Col C]" (innerText drops the parentheses).
        problemsOf(s, 'fixture.outreach.md').some((p) => /outreach-lsp\W*unknown-placeholder\b/.test(p)) &&
          problemsOf(s, 'fixture.outreach.md').some((p) => /outreach-lsp\W*default-invitation-text\b/.test(p)),
        JSON.stringify(s.problems),
      );
    },
  },
  'after-fix': {
    ready: (s) =>
      s.editorText.includes('{{first_name}}') &&
      !problemsOf(s, 'fixture.outreach.md').some((p) => p.includes('unknown-placeholder')),
    checks: (s) => {
      check('editor text shows {{first_name}} after the quick fix', s.editorText.includes('{{first_name}}'), JSON.stringify(s.editorText.slice(0, 80)));
      check(
        'Problems panel no longer lists unknown-placeholder after the quick fix',
        !problemsOf(s, 'fixture.outreach.md').some((p) => p.includes('unknown-placeholder')) &&
          problemsOf(s, 'fixture.outreach.md').some((p) => p.includes('default-invitation-text')),
        JSON.stringify(s.problems),
      );
    },
  },
  'markdown-template': {
    ready: (s) => s.activeTab.startsWith('template.md') && s.squiggles.includes('squiggly-error'),
    checks: (s) => {
      check('Markdown template shows an error squiggle', s.activeTab.startsWith('template.md') && s.squiggles.includes('squiggly-error'), `${s.activeTab} ${JSON.stringify(s.squiggles)}`);
      // The injection grammar gives placeholders their own token colour inside Markdown.
      const plain = s.tokens.find((t) => t.text.includes('Hi'));
      const ph = s.tokens.find((t) => t.text.includes('frist_name'));
      const dflt = s.tokens.find((t) => t.text.includes('default'));
      check(
        'placeholders and default filters are highlighted in Markdown',
        plain && ph && dflt && ph.color !== plain.color && dflt.color !== plain.color,
        JSON.stringify({ plain, ph, dflt }),
      );
    },
  },
  'server-not-found': {
    ready: (s) => s.notifications.some((n) => n.includes('outreach.path') && n.includes('no-such-dir')),
    checks: (s) => {
      const n = s.notifications.find((x) => x.includes('outreach.path') && x.includes('no-such-dir')) || '';
      check('a wrong outreach.path shows an error notification naming the setting', n, JSON.stringify(s.notifications));
      check('the notification says which server is used instead (the bundled one)', /using .*server\/outreach-lsp/.test(n), JSON.stringify(n));
    },
  },
  'quick-fix-menu': {
    keepFocus: true,
    act: async (page) => {
      await page.keyboard.press('Control+.');
    },
    ready: (s) => s.actions.length > 0,
    checks: (s) => {
      check('Ctrl+. on [First Name]: the first item is “Replace with {{first_name}}”', s.actions[0] === 'Replace with {{first_name}}', JSON.stringify(s.actions));
      // With no-reason off (settings.json): the fix, then Disable for this line / this file.
      check('Ctrl+. on [First Name] lists 3 actions', s.actions.length === 3, JSON.stringify(s.actions));
    },
    after: async (page) => page.keyboard.press('Escape'),
  },
  'hover-popup': {
    keepFocus: true,
    ready: (s) => s.hover.includes('literal-placeholder') && s.hover.includes('full documentation'),
    checks: (s) => {
      const message = '[First Name] would be sent as it is';
      check('the hover popup names the rule and links its documentation', s.hover.includes('literal-placeholder') && s.hover.includes('full documentation'), JSON.stringify(s.hover));
      check('the hover popup is compact (under 25 lines)', s.hover.split('\n').filter((l) => l.trim()).length < 25, JSON.stringify(s.hover));
      check('the hover popup shows no Markdown backticks', !s.hover.includes('`'), JSON.stringify(s.hover));
      // VS Code shows the diagnostic's message in the popup; the server's part does not repeat it.
      check('the hover popup shows the diagnostic message once', s.hover.split(message).length - 1 === 1, JSON.stringify(s.hover));
    },
    after: async (page) => page.keyboard.press('Escape'),
  },
  'hover-spintax': {
    keepFocus: true,
    ready: (s) => s.hover.includes('Spintax group'),
    checks: (s) => {
      // The popup as rendered: the heading, each option with its length, the group's range, no raw Markdown.
      check('the hover popup on {Thanks|Thank you} lists both options with their lengths and the group’s range',
        s.hover.includes('Spintax group — 2 options') && s.hover.includes('“Thanks” · 6 characters') &&
          s.hover.includes('“Thank you” · 9 characters') && s.hover.includes('Length of the group: 6–9 characters over 2 renderings.'),
        JSON.stringify(s.hover));
      check('the spintax hover popup shows no raw Markdown (###, backticks)',
        s.hover.includes('Spintax group') && !/###|`/.test(s.hover), JSON.stringify(s.hover));
    },
    after: async (page) => page.keyboard.press('Escape'),
  },
  completion: {
    keepFocus: true,
    act: async (page, read) => {
      await page.keyboard.type('{{');
      const braces = await waitFor(async () => { const s = await read(); return s.suggestions.length ? s : undefined; }, 10000);
      const afterBraces = braces ? braces.suggestions : [];
      check('completion after “{{” offers placeholders (first_name, event)', afterBraces.includes('first_name') && afterBraces.includes('event'), JSON.stringify(afterBraces));
      await page.keyboard.press('Escape');
      await page.keyboard.type('event | ');
      await page.keyboard.press('Control+Space');
      const bar = await waitFor(async () => { const s = await read(); return s.suggestions.length ? s : undefined; }, 10000);
      const afterBar = bar ? bar.suggestions : [];
      // (VS Code lists the extension's snippets after the server's items.)
      check('completion after “| ” offers every filter first, default first with the placeholder’s fallback',
        JSON.stringify(afterBar.slice(0, 5)) === JSON.stringify(['default: "the event"', 'capitalize', 'upcase', 'downcase', 'strip']), JSON.stringify(afterBar));
      await page.keyboard.press('Enter');
      await sleep(300);
      await page.keyboard.press('Escape');
    },
    ready: () => true,
    checks: () => {},
  },
  'preview-panel': {
    ready: (s) => /Outreach Preview/.test(s.tabs.join(' ')),
    checks: (s) => check('the Preview opens in a tab beside the template', /Outreach Preview/.test(s.tabs.join(' ')), JSON.stringify(s.tabs)),
  },
  'language-status': {
    keepFocus: true,
    act: async (page) => {
      await page.click('#status\\.languageStatus').catch(() => {});
    },
    ready: (s) => /Outreach \d+\.\d+\.\d+: running/.test(s.hoverWidgets),
    checks: (s) => {
      check('the language status item shows the server version and state, findings and a Restart action',
        /Outreach \d+\.\d+\.\d+: running/.test(s.hoverWidgets) && /\d+ findings? in open files/.test(s.hoverWidgets) && s.hoverWidgets.includes('Restart'),
        JSON.stringify(s.hoverWidgets));
    },
    // The popup is a hover of the status bar item: Escape hides it, but while the pointer rests on the
    // item it opens again whenever the item is redrawn (its findings count changes), and later
    // screenshots showed it over the Problems panel. So the pointer also leaves the item, for the empty
    // part of the Explorer (nothing there opens a hover).
    after: async (page) => {
      await page.keyboard.press('Escape');
      await page.mouse.move(190, 650);
      const closed = await waitFor(async () => !languageStatusShown(await uiState(page)), 5000);
      check('the language status popup closes (Escape, the pointer off the item)', closed,
        JSON.stringify((await uiState(page)).visibleHovers));
      afterLanguageStatus.closed = true;
    },
  },
  settings: {
    keepFocus: true,
    ready: (s) => s.settingTitles.some((t) => t.startsWith('Outreach: Path')),
    checks: (s) => {
      check('the settings button lists the extension\'s settings, titled “Outreach: …”',
        s.settingTitles.length >= 3 && s.settingTitles.every((t) => /^Outreach( ›|:)/.test(t)) && s.settingTitles.some((t) => t.startsWith('Outreach: Path')),
        JSON.stringify(s.settingTitles));
    },
  },
  'no-binary-quiet': {
    ready: () => true,
    checks: (s) => check('with no server anywhere and no template open, no error is shown', !s.notifications.some((n) => n.includes('was not found')), JSON.stringify(s.notifications)),
  },
  'no-binary-template': {
    ready: (s) => s.notifications.some((n) => n.includes('was not found')),
    checks: (s) => check('with no server anywhere, opening a template shows “server not found”', s.notifications.some((n) => n.includes('was not found')), JSON.stringify(s.notifications)),
  },
};

function note(msg) {
  console.log(`[drive] ${msg}`);
}

async function takeSnapshot(page, name) {
  const spec = snapshots[name] || { ready: () => true, checks: () => {} };
  const started = Date.now();
  // Snapshots that press keys keep the focus where the test module put it (in the editor).
  if (!spec.keepFocus) await showProblems(page);
  if (spec.act) await spec.act(page, () => uiState(page));
  const state = (await waitFor(async () => {
    const s = await uiState(page);
    return spec.ready(s) ? s : undefined;
  }, 15000)) || (await uiState(page));
  await sleep(300);
  console.log(`[drive] snapshot ${name} after ${Date.now() - started} ms: ${JSON.stringify({ ...state, tokens: undefined })}`);
  await page.screenshot({ path: path.join(config.artifactsDir, `${name}.png`) });
  if (afterLanguageStatus.closed) {
    afterLanguageStatus.taken.push(name);
    // Read again once the screenshot is taken: what it shows, not what was there 300 ms before.
    if (languageStatusShown(await uiState(page))) afterLanguageStatus.showing.push(name);
  }
  spec.checks(state);
  if (spec.after) await spec.after(page);
}

(async () => {
  let exitCode = 0;
  const consoleLog = fs.createWriteStream(path.join(config.artifactsDir, 'browser-console.log'));
  const browser = await chromium.launch({
    executablePath: config.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e}\n`));

    const host = new URL(config.baseUrl).host;
    const payload = [
      ['openFile', `vscode-remote://${host}${config.fixture}`],
      ['extensionDevelopmentPath', `vscode-remote://${host}${config.testsDir}`],
      ['extensionTestsPath', `vscode-remote://${host}${config.testsDir}`],
    ];
    const url = `${config.baseUrl}/?folder=${encodeURIComponent(config.workspace)}&payload=${encodeURIComponent(
      JSON.stringify(payload),
    )}`;
    console.log(`[drive] open ${url}`);
    const started = Date.now();
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    console.log(`[drive] workbench up after ${Date.now() - started} ms`);

    const handled = new Set();
    const expected = Object.keys(snapshots);
    let finished = false;
    while (Date.now() - started < config.timeoutMs) {
      for (const f of fs.readdirSync(config.statusDir)) {
        const name = f.endsWith('.request') ? f.slice(0, -'.request'.length) : undefined;
        if (!name || handled.has(name)) continue;
        handled.add(name);
        try {
          await takeSnapshot(page, name);
        } catch (err) {
          check(`snapshot ${name}`, false, String(err).split('\n')[0]);
        }
        fs.writeFileSync(path.join(config.statusDir, `${name}.done`), 'done');
      }
      if (readJson(config.resultFile)?.done) {
        finished = true;
        break;
      }
      await sleep(200);
    }
    if (!finished) {
      console.log(`[drive] the test module did not finish within ${config.timeoutMs / 1000}s`);
      await page.screenshot({ path: path.join(config.artifactsDir, 'timeout.png') });
      console.log(`[drive] state: ${JSON.stringify(await uiState(page))}`);
    }
    for (const name of expected) {
      if (!handled.has(name)) check(`snapshot ${name} was requested by the test module`, false, 'never requested');
    }
    check('no screenshot after the language status one shows its popup',
      afterLanguageStatus.taken.length > 0 && afterLanguageStatus.showing.length === 0,
      JSON.stringify(afterLanguageStatus));
  } catch (err) {
    check('browser driver ran without error', false, err && err.stack ? err.stack.split('\n').slice(0, 3).join(' ') : err);
    exitCode = 1;
  } finally {
    fs.writeFileSync(config.releaseFile, 'release');
    await sleep(500);
    await browser.close().catch(() => {});
    consoleLog.end();
    process.exitCode = exitCode;
  }
})();
