#!/usr/bin/env bash
# Whole-process benchmarks of the release binary (see BENCHMARKS.md):
#
#   (a) `outreach-lsp check` over the generated 10,000-template corpus: wall time, CPU time and peak
#       resident memory, from /usr/bin/time (one untimed warm-up run, then --runs timed runs);
#   (b) resident memory of the language server (`outreach-lsp` on stdio, driven by a small Python
#       client): idle after `initialize` in an empty workspace folder; with 100 open ~10 KiB documents;
#       with the 1 MiB sequence file open; and idle in a workspace of the 10,000 templates (the server
#       reads and indexes the workspace's templates). VmRSS (and the high-water mark VmHWM) come from
#       /proc/PID/status once the server has used no CPU for a second.
#
# The corpus comes from the same deterministic generator as the criterion benchmarks
# (benches/common/corpus.rs, through `cargo bench --bench gen_corpus -- --out DIR`).
#
# Usage: scripts/bench-memory.sh [--no-build] [--runs N] [--keep]
#   --no-build  use the existing binaries (target/release/outreach-lsp and the gen_corpus bench)
#   --runs N    timed runs of `check` (default 5)
#   --keep      keep the temporary folder with the corpus
# Environment: CARGO_TARGET_DIR is honoured; OUTREACH_LSP_BIN overrides the binary.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
bin=${OUTREACH_LSP_BIN:-$target/release/outreach-lsp}
runs=5
build=1
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0 ;;
        --runs) runs=$2; shift ;;
        --keep) keep=1 ;;
        *) echo "usage: $0 [--no-build] [--runs N] [--keep]" >&2; exit 2 ;;
    esac
    shift
done

if [ ! -x /usr/bin/time ]; then
    echo "error: /usr/bin/time is missing (Debian: apt-get install time)" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/outreach-bench.XXXXXX")
if [ "$keep" = 1 ]; then
    echo "keeping $work"
else
    trap 'rm -rf "$work"' EXIT
fi

cd "$root"
if [ "$build" = 1 ]; then
    cargo build --release --quiet
    cargo bench --quiet --bench gen_corpus -- --out "$work/data"
else
    gen=$(ls -t "$target"/release/deps/gen_corpus-* 2>/dev/null | grep -v '\.d$' | head -1 || true)
    if [ -z "$gen" ]; then
        echo "error: no gen_corpus binary under $target/release/deps; run without --no-build" >&2
        exit 2
    fi
    "$gen" --out "$work/data"
fi
[ -x "$bin" ] || { echo "error: $bin is not built" >&2; exit 2; }

files=$(find "$work/data/corpus" -type f | wc -l)
bytes=$(find "$work/data/corpus" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
echo
echo "== (a) outreach-lsp check on $files files ($bytes bytes), --format json > /dev/null"
echo "   command: /usr/bin/time -f '%e %U %S %M' $bin check CORPUS --format json"
"$bin" check "$work/data/corpus" --format json >/dev/null 2>&1 || true # warm-up (page cache)
results="$work/check-times.txt"
: >"$results"
for i in $(seq 1 "$runs"); do
    status=0
    /usr/bin/time -o "$work/time.txt" -f '%e %U %S %M' \
        "$bin" check "$work/data/corpus" --format json >/dev/null 2>"$work/stderr.txt" || status=$?
    # 0: nothing found, 1: findings (expected for this corpus), 2: an error.
    if [ "$status" -gt 1 ]; then
        echo "error: check exited with $status" >&2
        cat "$work/stderr.txt" >&2
        exit 1
    fi
    # GNU time puts "Command exited with non-zero status N" before the numbers.
    read -r wall user sys rss < <(tail -n 1 "$work/time.txt")
    awk -v i="$i" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v c="$status" 'BEGIN {
        printf "   run %d: wall %6.3f s  user %6.3f s  sys %6.3f s  peak RSS %7.1f MiB  (exit %d)\n", i, w, u, s, r / 1024, c
    }'
    echo "$wall $rss" >>"$results"
done
sort -n "$results" | awk -v n="$runs" '
    { w[NR] = $1; if ($2 > m) m = $2 }
    END {
        med = (n % 2) ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2
        printf "   wall: min %.3f s, median %.3f s, max %.3f s; peak RSS (max) %.1f MiB\n", w[1], med, w[n], m / 1024
    }'

echo
echo "== (b) language server resident memory ($bin on stdio)"
mkdir -p "$work/empty"
python3 - "$bin" "$work" <<'PY'
import json, os, queue, subprocess, sys, threading, time

binary, work = sys.argv[1], sys.argv[2]
data = os.path.join(work, "data")
ticks = os.sysconf("SC_CLK_TCK")


class Server:
    """`outreach-lsp` on stdio with a workspace folder, and a reader thread for its output."""

    def __init__(self, root):
        self.proc = subprocess.Popen([binary], cwd=root, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.frames = queue.Queue()
        threading.Thread(target=self.reader, daemon=True).start()
        self.root = root

    def reader(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.frames.put(None)
                    return
                line = line.strip()
                if not line:
                    if length is not None:
                        break
                    continue
                name, _, value = line.decode().partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.frames.put(json.loads(out.read(length)))

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def next_frame(self, timeout=120):
        m = self.frames.get(timeout=timeout)
        if m is None:
            sys.exit("the server closed its output")
        if "id" in m and "method" in m:  # a request from the server: answer it
            self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
        return m

    def request(self, id, method, params):
        self.send({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
        while True:
            m = self.next_frame()
            if m.get("id") == id and "method" not in m:
                return m

    def initialize(self):
        self.request(1, "initialize", {"processId": os.getpid(), "rootUri": "file://" + self.root,
                                       "capabilities": {}})
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

    def open(self, path):
        text = open(path, encoding="utf-8").read()
        self.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": "file://" + path, "languageId": "markdown", "version": 1, "text": text}}})
        return len(text.encode())

    def close(self, path):
        self.send({"jsonrpc": "2.0", "method": "textDocument/didClose",
                   "params": {"textDocument": {"uri": "file://" + path}}})

    def wait_diagnostics(self, paths):
        pending = {"file://" + p for p in paths}
        while pending:
            m = self.next_frame()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == 1:
                pending.discard(m["params"]["uri"])

    def cpu(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks

    def settle(self):
        """Waits until the server has used no CPU for a whole second (background work done)."""
        still, last, start = 0, self.cpu(), time.time()
        while still < 4 and time.time() - start < 300:
            time.sleep(0.25)
            now = self.cpu()
            still = still + 1 if now == last else 0
            last = now
        return time.time() - start

    def report(self, label):
        waited = self.settle()
        fields = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                fields[k] = v.strip()
        kib = lambda k: int(fields[k].split()[0]) / 1024
        print(f"   {label:<52} VmRSS {kib('VmRSS'):6.1f} MiB   VmHWM {kib('VmHWM'):6.1f} MiB"
              f"   threads {fields['Threads']:>2}   cpu {self.cpu() / ticks:5.2f} s   (settled {waited:.1f} s)")

    def stop(self):
        self.request(2, "shutdown", None)
        self.send({"jsonrpc": "2.0", "method": "exit", "params": None})
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            sys.exit("the server did not exit after shutdown/exit")


# 1. Idle: an empty workspace folder.
s = Server(os.path.join(work, "empty"))
s.report("started, before initialize")
s.initialize()
s.report("idle after initialize (empty workspace)")
s.stop()

# 2. 100 open documents of ~10 KiB (their folder is the workspace), then the 1 MiB file alone.
docs_dir = os.path.join(data, "docs10k")
docs = [os.path.join(docs_dir, n) for n in sorted(os.listdir(docs_dir))]
s = Server(docs_dir)
s.initialize()
s.report("idle after initialize (workspace: the 100 documents)")
total = sum(s.open(p) for p in docs)
s.wait_diagnostics(docs)
s.report(f"{len(docs)} open documents ({total // len(docs)} B avg)")
for p in docs:
    s.close(p)
big = os.path.join(data, "big", "big-sequence.outreach.md")
s.open(big)
s.wait_diagnostics([big])
s.report("those closed, the 1 MiB sequence open")
s.stop()

# 3. Idle in a workspace of 10,000 templates (the server reads and indexes them after `initialized`).
s = Server(os.path.join(data, "corpus"))
s.initialize()
s.report("idle after initialize (workspace: 10,000 templates)")
code = s.stop()
print(f"   last server exited with {code}")
PY
