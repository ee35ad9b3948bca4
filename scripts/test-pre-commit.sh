#!/usr/bin/env bash
# Tests .pre-commit-hooks.yaml with the real pre-commit: `pre-commit try-repo` on a scratch repository
# with one good and one bad template (the run fails on the bad one and reports nothing for the good
# one), then the .pre-commit-config.yaml snippet from docs/ci.md installed as a git hook: a commit of
# the good template goes in, a commit of the bad one is refused. Run by .ci/run after
# scripts/ci-tools.sh.
#
# pre-commit builds this repository with `cargo install` (language: rust) from the committed HEAD, once
# for try-repo (which uses a throw-away store) and once for the installed hook. Each clone sits at a new
# path, so cargo rebuilds the crate itself every time; to keep this step to a few minutes the builds
# share one target folder of their own (dependencies compiled once) and skip optimisation. The binary
# is the same code either way, and target/release is left alone.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
VENV=${OUTREACH_CI_VENV:-$REPO/target/ci-venv}
export PATH="$VENV/bin:$PATH"
export PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-$REPO/target/pre-commit-home}
export CARGO_TARGET_DIR=$REPO/target/pre-commit-cargo
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0; failed=0
ok() { echo "PASS $1"; passed=$((passed+1)); }
bad() { echo "FAIL $1"; failed=$((failed+1)); }

pre-commit validate-manifest "$REPO/.pre-commit-hooks.yaml" && ok "pre-commit accepts .pre-commit-hooks.yaml" \
  || bad "pre-commit rejects .pre-commit-hooks.yaml"

proj=$WORK/proj
mkdir -p "$proj/templates"
cd "$proj" || exit 1
git init -q -b main .
git config user.email ci@example.com
git config user.name CI
git config commit.gpgsign false
printf 'Hi {{first_name}},\n\nWe are both in {{shared_group | default: "DataOps"}} and I would love to hear how your team ships.\n' >templates/good.outreach.md
printf 'Hi [First Name],\n\nI would like to add you to my professional network on LinkedIn.\n' >templates/bad.outreach.md
printf '# Notes\n\nNot a template.\n' >README.md
git add -A

start=$SECONDS
pre-commit try-repo "$REPO" outreach-lsp --files templates/good.outreach.md README.md templates/bad.outreach.md \
  >"$WORK/try.log" 2>&1
code=$?
echo "    (try-repo, including cargo install: $((SECONDS - start)) s)"
if [ "$code" = 1 ]; then ok "try-repo: the hook fails"; else bad "try-repo: exit $code, expected 1"; tail -20 "$WORK/try.log"; fi
grep -q 'error\[literal-placeholder\]' "$WORK/try.log" && grep -q 'templates/bad.outreach.md:1:4' "$WORK/try.log" \
  && ok "try-repo: the bad template's findings are shown" || { bad "try-repo: no finding for the bad template"; tail -20 "$WORK/try.log"; }
grep -q 'good.outreach.md' "$WORK/try.log" && bad "try-repo: the good template has findings" \
  || ok "try-repo: the good template passes (no finding names it)"
grep -q 'Found [0-9]* problems in 1 of 2 templates' "$WORK/try.log" \
  && ok "try-repo: both templates were checked, the README skipped" || bad "try-repo: summary line: $(grep -E 'Found|No problems' "$WORK/try.log")"

# The docs' .pre-commit-config.yaml, pointed at this checkout's HEAD, as a real commit hook.
rev=$(git -C "$REPO" rev-parse HEAD)
"$VENV/bin/python" "$REPO/tests/formats/snippets.py" pre-commit-config \
  | sed -e "s|repo: .*|repo: $REPO|" -e "s|rev: .*|rev: $rev|" >.pre-commit-config.yaml
grep -q "id: outreach-lsp" .pre-commit-config.yaml && ok "docs snippet names the hook" || bad "docs snippet lacks the hook"
git reset -q
pre-commit install >/dev/null || bad "pre-commit install"
git add .pre-commit-config.yaml README.md templates/good.outreach.md
start=$SECONDS
if git commit -qm good >"$WORK/commit-good.log" 2>&1; then ok "hook from the docs: a commit with the good template goes in"
else bad "hook: good commit refused"; tail -20 "$WORK/commit-good.log"; fi
echo "    (first commit through the hook: $((SECONDS - start)) s)"
git add templates/bad.outreach.md
if git commit -qm bad >"$WORK/commit-bad.log" 2>&1; then bad "hook: the bad template was committed"
elif grep -q 'literal-placeholder' "$WORK/commit-bad.log"; then ok "hook from the docs: the bad template's commit is refused, naming the finding"
else bad "hook: bad commit failed for another reason"; tail -20 "$WORK/commit-bad.log"; fi
[ "$(git log --oneline | wc -l)" = 1 ] && ok "only the good commit is in the history" || bad "history: $(git log --oneline)"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
