#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code (code-server from npm, driven headless through
# Chromium + playwright-core). Works on a fresh Debian machine (as root, or with sudo for apt-get).
#
#   bash editors/vscode/test/run-e2e.sh
#
# Steps: install Debian packages + code-server + playwright-core (cached) -> npm ci, type-check, bundle and
# package the extension -> install the .vsix into a fresh code-server profile -> write a workspace with the
# fixture templates and user settings (no outreach.path: the server bundled in the .vsix runs) -> start code-server in its own
# process group -> open the fixture in Chromium with a payload that runs test/e2e/suite.js inside the
# extension host -> collect its JSON results and the driver's UI checks -> screenshots -> stop the group.
# The last line is "N passed, N failed"; the exit code is non-zero when a check failed or never reported.
#
# Env:
#   OUTREACH_LSP_BIN      server binary (default: <repo>/target/release/outreach-lsp or target/debug/outreach-lsp,
#                         the newer of the two when both exist)
#   VSCODE_HEADLESS_ROOT  cache for code-server & playwright-core (default <repo>/.vscode-headless)
#   ARTIFACTS_DIR         screenshots and logs (default <repo>/artifacts/vscode)
#   E2E_TIMEOUT           seconds the in-editor test may take (default 240)
#   SKIP_EXTENSION_BUILD=1  reuse editors/vscode/outreach-lsp.vsix as it is (when it exists)
#   CHROMIUM              browser binary (default /usr/bin/chromium, Debian's package)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EXT_DIR=$(cd "$HERE/.." && pwd)
REPO=$(cd "$EXT_DIR/../.." && pwd)
ROOT=${VSCODE_HEADLESS_ROOT:-$REPO/.vscode-headless}
ARTIFACTS_DIR=${ARTIFACTS_DIR:-$REPO/artifacts/vscode}
E2E_TIMEOUT=${E2E_TIMEOUT:-240}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
RUN="$ROOT/run"
CS_PID=""
SUMMARY_PRINTED=0
T0=$SECONDS

log() { printf '[e2e %3ss] %s\n' "$((SECONDS - T0))" "$*" >&2; }

stop_code_server() {
  [ -n "$CS_PID" ] || return 0
  # Extension hosts and the language servers they spawn outlive the browser tab (VS Code keeps them for a
  # reconnection grace period), so end the whole process group that setsid gave code-server.
  kill -TERM -- "-$CS_PID" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 -- "-$CS_PID" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$CS_PID" 2>/dev/null || true
  log "stopped code-server process group $CS_PID"
  CS_PID=""
}

on_exit() {
  local rc=$?
  stop_code_server
  if [ "$SUMMARY_PRINTED" = 0 ]; then
    echo "e2e aborted before the test reported (exit $rc); see the log above" >&2
    echo "0 passed, 1 failed"
    [ "$rc" != 0 ] || rc=1
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# --- 0. the server binary ----------------------------------------------------------------------------------
BIN=${OUTREACH_LSP_BIN:-}
if [ -z "$BIN" ]; then
  # target/release, else target/debug; when both exist, the more recently built one (a stale release
  # binary next to a fresh debug build would otherwise test old code).
  for candidate in "$REPO/target/release/outreach-lsp" "$REPO/target/debug/outreach-lsp"; do
    if [ -x "$candidate" ] && { [ -z "$BIN" ] || [ "$candidate" -nt "$BIN" ]; }; then BIN=$candidate; fi
  done
fi
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
  log "no server binary (set OUTREACH_LSP_BIN or run cargo build --release)"; exit 1
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
log "server: $BIN"

# --- 1. Debian packages, code-server, playwright-core --------------------------------------------------------
VSCODE_HEADLESS_ROOT=$ROOT bash "$HERE/install-code-server.sh"
CS="$ROOT/node_modules/.bin/code-server"

# --- 2. build and package the extension ----------------------------------------------------------------------
VSIX="$EXT_DIR/outreach-lsp.vsix"
if [ "${SKIP_EXTENSION_BUILD:-0}" != 1 ] || [ ! -f "$VSIX" ]; then
  log "npm ci + package"
  # The platform-specific package with the server inside, as users get it (scripts/package-vsix.sh).
  (cd "$EXT_DIR" && npm ci --no-audit --no-fund --loglevel=error \
    && bash scripts/package-vsix.sh linux-x64 "$BIN" "$VSIX") >&2
fi
[ -f "$VSIX" ] || { log "packaging did not produce $VSIX"; exit 1; }
EXT_ID=$(node -p "const p=require('$EXT_DIR/package.json'); p.publisher + '.' + p.name")
# The outreach.rules setting must list exactly the server's rules (scripts/sync-rules.mjs updates it).
RULES_CHECK=$(node "$EXT_DIR/scripts/sync-rules.mjs" --check "$BIN" 2>&1) && RULES_OK=true || RULES_OK=false

# --- 3. a fresh profile, workspace and test module -----------------------------------------------------------
rm -rf "$RUN"
mkdir -p "$RUN"/{workspace,user-data/User,extensions,tests,status,xdg-config,xdg-data} "$ARTIFACTS_DIR"
rm -f "$ARTIFACTS_DIR"/*.png "$ARTIFACTS_DIR"/*.log "$ARTIFACTS_DIR"/*.json
cp "$HERE/fixtures/fixture.outreach.md" "$HERE/fixtures/template.md" "$HERE/fixtures/notes.md" "$RUN/workspace/"
# Templates the test module copies into the workspace when it gets to them (from the start, their
# diagnostics would crowd the Problems panel the first checks read).
mkdir -p "$RUN/later"
cp "$HERE/fixtures/quickfix.outreach.md" "$HERE/fixtures/typing.outreach.md" "$HERE/fixtures/save.outreach.md" "$RUN/later/"
cp "$HERE/fixtures/dialects.outreach.md" "$HERE/fixtures/mailchimp.outreach.md" "$HERE/fixtures/handlebars.outreach.md" "$RUN/later/"
cp "$HERE/e2e/suite.js" "$RUN/tests/index.js"
# VS Code runs extensionTestsPath only in an extension-development window: tests/ doubles as a manifest-only
# development extension (no code, no contributions), so the extension under test is the installed .vsix.
printf '{ "name": "outreach-lsp-e2e", "publisher": "outreach-lsp", "version": "0.0.0", "private": true,\n  "engines": { "vscode": "*" } }\n' \
  > "$RUN/tests/package.json"
export XDG_CONFIG_HOME="$RUN/xdg-config" XDG_DATA_HOME="$RUN/xdg-data"   # keep code-server out of ~/.config

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
BASE_URL="http://127.0.0.1:$PORT"

BIN="$BIN" node - "$RUN/user-data/User/settings.json" <<'EOF'
require('fs').writeFileSync(process.argv[2], JSON.stringify({
  // No outreach.path: the server bundled in the platform-specific .vsix is the one that runs.
  'outreach.rules': { 'no-reason': 'off' },   // reaches the server as initializationOptions
  'outreach.trace.server': 'messages',
  '[outreach]': { 'editor.codeActionsOnSave': { 'source.fixAll.outreach': 'explicit' } },
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  'files.autoSave': 'off',
  'git.enabled': false,
  'editor.fontFamily': "'DejaVu Sans Mono', monospace",
}, null, 2));
EOF

SERVER_ON_PATH=false
command -v outreach-lsp >/dev/null 2>&1 && SERVER_ON_PATH=true
# Configs for the test module (tests/config.json) and the browser driver (drive.json).
RUN="$RUN" EXT_ID="$EXT_ID" ROOT="$ROOT" CHROMIUM="$CHROMIUM" BASE_URL="$BASE_URL" ARTIFACTS_DIR="$ARTIFACTS_DIR" \
SERVER_ON_PATH="$SERVER_ON_PATH" E2E_TIMEOUT="$E2E_TIMEOUT" node - <<'EOF'
const fs = require('fs');
const e = process.env;
const common = {
  workspace: `${e.RUN}/workspace`,
  fixture: `${e.RUN}/workspace/fixture.outreach.md`,
  statusDir: `${e.RUN}/status`,
  resultFile: `${e.RUN}/status/result.json`,
  releaseFile: `${e.RUN}/status/release`,
  serverOnPath: e.SERVER_ON_PATH === 'true',
};
fs.writeFileSync(`${e.RUN}/tests/config.json`, JSON.stringify({
  ...common,
  markdownTemplate: `${e.RUN}/workspace/template.md`,
  markdownPlain: `${e.RUN}/workspace/notes.md`,
  later: `${e.RUN}/later`,
  connection: `${e.RUN}/workspace/quickfix.outreach.md`,
  completion: `${e.RUN}/workspace/typing.outreach.md`,
  fixall: `${e.RUN}/workspace/save.outreach.md`,
  dialectsLiquid: `${e.RUN}/workspace/dialects.outreach.md`,
  dialectsMailchimp: `${e.RUN}/workspace/mailchimp.outreach.md`,
  dialectsHandlebars: `${e.RUN}/workspace/handlebars.outreach.md`,
  dialectsScratch: `${e.RUN}/workspace/tags.outreach.md`,
  extensionId: e.EXT_ID,
  diagnosticsTimeoutMs: 60000,
}, null, 2));
fs.writeFileSync(`${e.RUN}/drive.json`, JSON.stringify({
  ...common,
  playwrightCore: `${e.ROOT}/node_modules/playwright-core`,
  chromium: e.CHROMIUM,
  baseUrl: e.BASE_URL,
  testsDir: `${e.RUN}/tests`,
  uiResultFile: `${e.RUN}/status/ui-result.json`,
  artifactsDir: e.ARTIFACTS_DIR,
  timeoutMs: Number(e.E2E_TIMEOUT) * 1000,
}, null, 2));
EOF

CS_ARGS=(--user-data-dir "$RUN/user-data" --extensions-dir "$RUN/extensions" --config "$RUN/config.yaml")
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"

# --- 4. install the .vsix ------------------------------------------------------------------------------------
log "installing $(basename "$VSIX") into code-server"
"$CS" "${CS_ARGS[@]}" --install-extension "$VSIX" --force >"$RUN/install-extension.log" 2>&1 \
  || { cat "$RUN/install-extension.log" >&2; exit 1; }
"$CS" "${CS_ARGS[@]}" --list-extensions --show-versions 2>/dev/null | grep -i "^$EXT_ID@" >&2 \
  || { log "extension $EXT_ID is not installed"; cat "$RUN/install-extension.log" >&2; exit 1; }

# --- 5. start code-server in its own process group -----------------------------------------------------------
setsid "$CS" "${CS_ARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust --ignore-last-opened \
  "$RUN/workspace" >"$RUN/code-server.log" 2>&1 </dev/null &
CS_PID=$!
log "code-server pid $CS_PID on $BASE_URL"
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "$BASE_URL/healthz" 2>/dev/null && break
  kill -0 "$CS_PID" 2>/dev/null || { cat "$RUN/code-server.log" >&2; log "code-server exited"; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "$BASE_URL/healthz" || { cat "$RUN/code-server.log" >&2; log "code-server not healthy"; exit 1; }

# --- 6. run the test in the browser / extension host ---------------------------------------------------------
log "running the test module in the extension host (timeout ${E2E_TIMEOUT}s)"
drive_rc=0
timeout --kill-after=10 "$((E2E_TIMEOUT + 60))" node "$HERE/e2e/drive.js" "$RUN/drive.json" >&2 || drive_rc=$?
log "driver exited with $drive_rc"
sleep 1
stop_code_server

# --- 7. logs to the artifacts folder -------------------------------------------------------------------------
cp "$RUN/code-server.log" "$ARTIFACTS_DIR/" 2>/dev/null || true
cp "$RUN/status/result.json" "$ARTIFACTS_DIR/result.json" 2>/dev/null || true
cp "$RUN/status/ui-result.json" "$ARTIFACTS_DIR/ui-result.json" 2>/dev/null || true
while IFS= read -r -d '' f; do
  name=$(basename "$f"); name=${name#[0-9]-}; cp "$f" "$ARTIFACTS_DIR/output-${name// /_}"   # "1-Outreach LSP.log"
done < <(find "$RUN/user-data/logs" -path '*output_logging_*' -name '*Outreach*.log' -print0 2>/dev/null)
# The session restarted the server several times: still one output channel of each, and no exit logged as
# an error (a restart ends the server with code 0).
OUTPUT_CHANNELS=$(find "$RUN/user-data/logs" -path '*output_logging_*' -name '*Outreach*.log' -printf '%f\n' 2>/dev/null \
  | sed 's/^[0-9]*-//' | sort | uniq -c | tr '\n' ';')
EXIT_ERRORS=$(find "$RUN/user-data/logs" -path '*output_logging_*' -name '*Outreach*.log' -exec cat {} + 2>/dev/null \
  | grep -c -E 'Server process exited with|error: server process exited' || true)
find "$RUN/user-data/logs" -name 'remoteexthost.log' -exec cp {} "$ARTIFACTS_DIR/" \; 2>/dev/null || true

# --- 8. results ----------------------------------------------------------------------------------------------
log "artifacts in $ARTIFACTS_DIR; total $((SECONDS - T0))s"
SUMMARY_PRINTED=1
RULES_OK=$RULES_OK RULES_CHECK=$RULES_CHECK OUTPUT_CHANNELS=$OUTPUT_CHANNELS EXIT_ERRORS=$EXIT_ERRORS \
node - "$RUN/status/result.json" "$RUN/status/ui-result.json" "$drive_rc" <<'EOF'
const fs = require('fs');
const [resultFile, uiFile, driveRc] = process.argv.slice(2);
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return undefined; } };
const result = read(resultFile);
const ui = read(uiFile);
const checks = [{ name: 'vscode: package.json outreach.rules matches `outreach-lsp rules --format json`',
  ok: process.env.RULES_OK === 'true', detail: process.env.RULES_CHECK }];
{
  const channels = (process.env.OUTPUT_CHANNELS || '').split(';').map((x) => x.trim()).filter(Boolean);
  checks.push({ name: 'vscode: one "Outreach" and one "Outreach Trace" output channel across restarts',
    ok: channels.length === 2 && channels.every((c) => /^1 /.test(c)), detail: JSON.stringify(channels) });
  checks.push({ name: 'vscode: no server exit logged as an error across restarts',
    ok: process.env.EXIT_ERRORS === '0', detail: `${process.env.EXIT_ERRORS} line(s)` });
}
if (result) {
  for (const line of result.log || []) console.error(`  | ${line}`);
  checks.push(...result.checks.map((c) => ({ ...c, name: `vscode: ${c.name}` })));
}
checks.push({ name: 'vscode: test module reported a complete result', ok: !!(result && result.done),
  detail: result ? 'result.json has done=false (timed out or crashed)' : 'no result.json (the test module never ran or never reported)' });
if (ui) checks.push(...ui.checks.map((c) => ({ ...c, name: `vscode ui: ${c.name}` })));
if (driveRc !== '0') checks.push({ name: 'vscode ui: browser driver exited cleanly', ok: false, detail: `exit ${driveRc}` });
let passed = 0, failed = 0;
for (const c of checks) {
  if (c.ok) { passed++; console.log(`ok   ${c.name}`); }
  else { failed++; console.log(`FAIL ${c.name}${c.detail ? `\n       ${c.detail}` : ''}`); }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
EOF
