#!/usr/bin/env bash
# Installs the tools the CI-integration tests use, idempotently and quietly: a Python venv in
# target/ci-venv (jsonschema, xmlschema, check-jsonschema, pre-commit, junitparser, pinned in
# tests/formats/requirements.txt) and the npm packages that ship the SARIF and rdjson schemas
# (tests/formats/package.json, installed with npm ci from its lock file).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
VENV=$REPO/target/ci-venv
REQ=$REPO/tests/formats/requirements.txt
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/requirements.txt"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$VENV/requirements.txt"
fi
if [ ! -d "$REPO/tests/formats/node_modules/@microsoft/jest-sarif" ] || [ "$REPO/tests/formats/package-lock.json" -nt "$REPO/tests/formats/node_modules/.package-lock.json" ]; then
  (cd "$REPO/tests/formats" && npm ci --silent --no-audit --no-fund)
fi
