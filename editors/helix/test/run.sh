#!/usr/bin/env bash
# Checks editors/helix/languages.toml.
#
# No `hx` can be installed from the registries this project reaches (Debian bookworm has no
# helix package, crates.io's helix-term is a 0.0.0 placeholder, nothing on PyPI or npm; see
# ../README.md), so by default this runs a STRUCTURAL check with Python's tomllib plus an LSP
# launch smoke test of the configured command line -- it is not an editor test.
# If an `hx` is on PATH (or OUTREACH_HX points at one) it additionally runs `hx --health outreach`
# against a scratch config dir holding languages.toml.
#
# Environment: OUTREACH_LSP_BIN (default: the newer of target/release/outreach-lsp and target/debug/outreach-lsp),
#              OUTREACH_HX, OUTREACH_VENV (only used when python3 < 3.11 needs `tomli`).
# Prints PASS/FAIL lines and "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
helix_dir="$(dirname "$here")"
repo="$(cd "$helix_dir/../.." && pwd)"

bin="${OUTREACH_LSP_BIN:-}"
if [[ -z "$bin" ]]; then
  # The newer of the release and debug builds (a stale release build must not shadow a fresh
  # debug one).
  for cand in "$repo/target/release/outreach-lsp" "$repo/target/debug/outreach-lsp"; do
    if [[ -x "$cand" ]] && { [[ -z "$bin" ]] || [[ "$cand" -nt "$bin" ]]; }; then bin="$cand"; fi
  done
fi

py=python3
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  venv="${OUTREACH_VENV:-$repo/.venv}"
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  "$venv/bin/python" -c 'import tomli' 2>/dev/null || "$venv/bin/python" -m pip install --quiet tomli
  py="$venv/bin/python"
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/outreach-helix.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

status=0
server_args=()
if [[ -n "$bin" && -x "$bin" ]]; then
  server_args=(--server "$bin")
else
  echo "note: no outreach-lsp binary found; skipping the launch smoke test" >&2
fi

hx="${OUTREACH_HX:-$(command -v hx || true)}"
if [[ -z "$hx" ]]; then
  "$py" "$here/check_languages.py" --workdir "$scratch/work" "${server_args[@]}" || status=$?
  exit "$status"
fi

# A real hx is available: structural check first, then Helix's own health report.
out="$("$py" "$here/check_languages.py" --workdir "$scratch/work" "${server_args[@]}")" || status=$?
printf '%s\n' "$out" | sed '$d'   # drop the python summary; a combined one follows
passed=$(printf '%s\n' "$out" | grep -c '^PASS' || true)
failed=$(printf '%s\n' "$out" | grep -c '^FAIL' || true)
mkdir -p "$scratch/config/helix" "$scratch/bin"
cp "$helix_dir/languages.toml" "$scratch/config/helix/languages.toml"
[[ -n "$bin" ]] && ln -sf "$bin" "$scratch/bin/outreach-lsp"
health="$(XDG_CONFIG_HOME="$scratch/config" PATH="$scratch/bin:$PATH" "$hx" --health outreach 2>&1 || true)"
printf '%s\n' "$health"
if printf '%s\n' "$health" | grep -q "outreach-lsp: $scratch/bin/outreach-lsp"; then
  echo "PASS hx --health outreach finds the outreach-lsp binary"; passed=$((passed + 1))
else
  echo "FAIL hx --health outreach does not report the outreach-lsp binary as found"; failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
