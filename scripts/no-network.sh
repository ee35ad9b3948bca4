#!/usr/bin/env bash
# Proves that the server and `check` open no network connection: runs an LSP session and a check under
# strace and fails if any socket of an Internet family is created. Run by .ci/run.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=${OUTREACH_LSP_BIN:-$REPO/target/release/outreach-lsp}
if ! command -v strace >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace >/dev/null
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0; failed=0
check_trace() {
  local name=$1 trace=$2
  if grep -E 'socket\((AF_INET|AF_INET6|PF_INET)' "$trace" >/dev/null || grep -E 'connect\(.*(AF_INET|sin_port)' "$trace" >/dev/null; then
    echo "FAIL $name: network socket opened"; grep -E 'AF_INET|connect' "$trace" | head -5; failed=$((failed+1))
  elif [ ! -s "$trace" ] && ! grep -q . "$trace"; then
    echo "PASS $name: no socket calls at all"; passed=$((passed+1))
  else
    echo "PASS $name: $(wc -l < "$trace") socket-family calls, none to the network"; passed=$((passed+1))
  fi
}
# 1. An LSP session: open, hover, code actions, completion, shutdown.
python3 - "$BIN" "$WORK/lsp.trace" "$REPO/examples/campaign.outreach.md" <<'PY'
import json, subprocess, sys, re
binary, trace, example = sys.argv[1:4]
p = subprocess.Popen(["strace", "-f", "-qq", "-e", "trace=socket,connect,bind,sendto", "-o", trace, binary],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def send(o):
    b = json.dumps(o).encode(); p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b); p.stdin.flush()
def recv_id(i):
    while True:
        h = b""
        while not h.endswith(b"\r\n\r\n"):
            c = p.stdout.read(1)
            if not c: raise SystemExit("server closed")
            h += c
        n = int(re.search(rb"Content-Length: (\d+)", h).group(1)); m = json.loads(p.stdout.read(n))
        if m.get("id") == i and "method" not in m: return m
root = "file://" + example.rsplit("/", 1)[0]
uri = "file://" + example
send({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"rootUri":root,"workspaceFolders":[{"uri":root,"name":"x"}]}}); recv_id(1)
send({"jsonrpc":"2.0","method":"initialized","params":{}})
send({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":uri,"languageId":"markdown","version":1,"text":open(example).read()}}})
for i, (m, params) in enumerate([
    ("textDocument/hover", {"textDocument":{"uri":uri},"position":{"line":7,"character":33}}),
    ("textDocument/codeAction", {"textDocument":{"uri":uri},"range":{"start":{"line":7,"character":30},"end":{"line":7,"character":41}},"context":{"diagnostics":[]}}),
    ("textDocument/completion", {"textDocument":{"uri":uri},"position":{"line":7,"character":32}}),
], start=2):
    send({"jsonrpc":"2.0","id":i,"method":m,"params":params}); recv_id(i)
send({"jsonrpc":"2.0","id":9,"method":"shutdown"}); recv_id(9)
send({"jsonrpc":"2.0","method":"exit"})
sys.exit(p.wait(timeout=10))
PY
check_trace "language server session" "$WORK/lsp.trace"
# 2. check over the examples.
strace -f -qq -e trace=socket,connect,bind,sendto -o "$WORK/check.trace" "$BIN" check "$REPO/examples" >/dev/null || true
check_trace "check examples/" "$WORK/check.trace"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
