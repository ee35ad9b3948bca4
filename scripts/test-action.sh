#!/usr/bin/env bash
# Runs the GitHub Action's script (scripts/action.sh) the way the runner does, with INPUT_* variables,
# GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, against the examples; checks its output is annotations, its exit
# codes, the SARIF file, and that action.yml is valid for GitHub. Run by .ci/run after scripts/ci-tools.sh.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=${OUTREACH_LSP_BIN:-$REPO/target/release/outreach-lsp}
VENV=${OUTREACH_CI_VENV:-$REPO/target/ci-venv}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0; failed=0
ok() { echo "PASS $1"; passed=$((passed+1)); }
bad() { echo "FAIL $1"; failed=$((failed+1)); }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected $3, got $2"; fi; }
annotation='^::(error|warning|notice) file=[^,:]+,line=[0-9]+,endLine=[0-9]+(,col=[0-9]+,endColumn=[0-9]+)?,title=outreach-lsp \([a-z-]+\)::.+$'

run_action() { # NAME, then VAR=value… for the action's environment
  local name=$1; shift
  : >"$WORK/output"; : >"$WORK/summary"
  (cd "$REPO" && env GITHUB_OUTPUT="$WORK/output" GITHUB_STEP_SUMMARY="$WORK/summary" "$@" bash scripts/action.sh) \
    >"$WORK/$name.out" 2>"$WORK/$name.err"
  echo $?
}

# 1. The examples have warnings and errors: annotations only, exit 1, SARIF written and announced.
code=$(run_action examples INPUT_BINARY="$BIN" INPUT_PATHS="examples/" INPUT_SARIF_FILE="$WORK/out.sarif")
expect "examples/: exit code 1 (findings at or above warning)" "$code" 1
lines=$(wc -l <"$WORK/examples.out")
[ "$lines" -gt 10 ] && ok "examples/: $lines annotations" || bad "examples/: only $lines lines of output"
if grep -Evq "$annotation" "$WORK/examples.out"; then
  bad "examples/: a line that is not an annotation: $(grep -Ev "$annotation" "$WORK/examples.out" | head -1)"
else ok "examples/: every line is a GitHub annotation"; fi
grep -q '^::error file=examples/connection-request-bad.outreach.md,line=6,endLine=6,col=4,' "$WORK/examples.out" \
  && ok "examples/: the literal placeholder is an error annotation on its line" \
  || bad "examples/: no error annotation for the literal placeholder"
json_count=$("$BIN" check --format json examples/ 2>/dev/null | "$VENV/bin/python" -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect "examples/: one annotation per finding" "$lines" "$json_count"
"$VENV/bin/python" - "$WORK/out.sarif" "$REPO/tests/formats/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json" <<'PY' && ok "examples/: the SARIF file is valid SARIF 2.1.0" || bad "examples/: SARIF file invalid"
import json, sys, jsonschema
doc = json.load(open(sys.argv[1])); jsonschema.Draft7Validator(json.load(open(sys.argv[2]))).validate(doc)
assert doc["runs"][0]["results"], "no results"
PY
grep -qx "sarif-file=$WORK/out.sarif" "$WORK/output" && ok "examples/: sarif-file output set" || bad "examples/: GITHUB_OUTPUT lacks sarif-file"
grep -q '^Found [0-9]* problems' "$WORK/summary" && ok "examples/: step summary has the summary line" || bad "examples/: no step summary"

# 2. A clean template: no annotations, exit 0.
code=$(run_action good INPUT_BINARY="$BIN" INPUT_PATHS="examples/connection-request-good.outreach.md examples/inmail-good.outreach.md")
expect "good templates: exit code 0" "$code" 0
expect "good templates: no annotations" "$(wc -l <"$WORK/good.out")" 0

# 3. fail-on error: warnings are annotated but do not fail the step.
mkdir -p "$WORK/warn"
printf 'Hi {{first_name}},\n\nI would love to connect ASAP!\n' >"$WORK/warn/w.outreach.md"
code=$(run_action warn INPUT_BINARY="$BIN" INPUT_PATHS="$WORK/warn" INPUT_FAIL_ON=error)
expect "fail-on error with warnings only: exit code 0" "$code" 0
grep -q '^::warning ' "$WORK/warn.out" && ok "fail-on error: warnings still annotated" || bad "fail-on error: no warning annotation"
code=$(run_action warn2 INPUT_BINARY="$BIN" INPUT_PATHS="$WORK/warn")
expect "fail-on warning with warnings: exit code 1" "$code" 1

# 4. Bad input: a missing path and a missing binary exit 2.
code=$(run_action missing INPUT_BINARY="$BIN" INPUT_PATHS="no/such/folder")
expect "missing path: exit code 2" "$code" 2
code=$(run_action nobin INPUT_BINARY="$WORK/none" INPUT_PATHS="examples/")
expect "missing binary: exit code 2" "$code" 2
grep -q '^::error title=outreach-lsp::' "$WORK/nobin.out" && ok "missing binary: an error annotation says so" || bad "missing binary: no error annotation"

# 5. No binary given: the action builds its own source with cargo install (the target folder is shared
# so the release build .ci/run made is reused; a runner without it compiles from scratch).
code=$(run_action install RUNNER_TOOL_CACHE="$WORK/cache" CARGO_TARGET_DIR="$REPO/target" INPUT_PATHS="examples/")
expect "cargo install path: exit code 1 on the examples" "$code" 1
[ -x "$WORK/cache/outreach-lsp/bin/outreach-lsp" ] && ok "cargo install path: binary installed in the tool cache" || bad "cargo install path: no binary ($(tail -3 "$WORK/install.err"))"
expect "cargo install path: same annotations" "$(grep -Ec "$annotation" "$WORK/install.out")" "$json_count"

# 6. action.yml is a valid action definition (schema shipped in check-jsonschema).
"$VENV/bin/check-jsonschema" --builtin-schema vendor.github-actions "$REPO/action.yml" >/dev/null \
  && ok "action.yml valid against the GitHub Actions action schema" || bad "action.yml invalid"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
