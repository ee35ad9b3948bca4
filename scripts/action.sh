#!/usr/bin/env bash
# The GitHub Action's logic (action.yml only passes its inputs here as INPUT_* variables): get the binary,
# run `check --format github` so findings become annotations, optionally write SARIF, and exit with
# check's code. Run locally by scripts/test-action.sh with the same variables.
set -uo pipefail
ACTION_PATH=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
paths=${INPUT_PATHS:-.}
fail_on=${INPUT_FAIL_ON:-warning}
config=${INPUT_CONFIG:-}
sarif=${INPUT_SARIF_FILE:-}
bin=${INPUT_BINARY:-}

if [ -z "$bin" ]; then
  # Build this action's own source (the version the workflow pinned), once per runner tool cache.
  root=${RUNNER_TOOL_CACHE:-${HOME:-/tmp}/.cache}/outreach-lsp
  echo "::group::cargo install outreach-lsp"
  if ! cargo install --locked --quiet --path "$ACTION_PATH" --root "$root"; then
    echo "::error title=outreach-lsp::cargo install failed; set the action's binary input to a prebuilt outreach-lsp"
    exit 2
  fi
  echo "::endgroup::"
  bin=$root/bin/outreach-lsp
fi
if [ ! -x "$bin" ]; then
  echo "::error title=outreach-lsp::$bin is not an executable"
  exit 2
fi

args=(check --fail-on "$fail_on")
[ -n "$config" ] && args+=(--config "$config")
# Paths are separated by spaces (an input is one string); file names with spaces need a config's include.
read -r -a path_list <<<"$paths"

"$bin" "${args[@]}" --format github "${path_list[@]}"
code=$?

if [ -n "$sarif" ] && [ "$code" != 2 ]; then
  "$bin" "${args[@]}" --format sarif "${path_list[@]}" >"$sarif"
  [ -n "${GITHUB_OUTPUT:-}" ] && echo "sarif-file=$sarif" >>"$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "$code" != 2 ]; then
  { echo "### outreach-lsp"; "$bin" "${args[@]}" --quiet "${path_list[@]}"; } >>"$GITHUB_STEP_SUMMARY"
fi
exit "$code"
