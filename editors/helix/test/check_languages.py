#!/usr/bin/env python3
"""STRUCTURAL check of editors/helix/languages.toml -- NOT an editor test.

No `hx` binary can be installed from the package registries this project reaches (see
editors/helix/README.md), so this script checks what can be checked without Helix:

1. structure: the file parses as TOML and every key is one that Helix's config loader accepts
   (LanguageConfiguration is `deny_unknown_fields` in Helix, so a typo there makes Helix reject
   the whole languages.toml); required keys are present; the server named by the language exists.
2. file types: the glob file-types, normalised the way Helix does it (a leading `*/` is added
   to a glob that is neither absolute nor already starts with `*/`, and the glob is matched
   against the absolute path), claim the three template extensions and nothing else.
3. server launch (only with --server BIN): starts BIN with exactly the `args` from the file and
   drives it the way Helix does -- `config` as initializationOptions, then the same object in
   workspace/didChangeConfiguration, didOpen with languageId = the language name -- and checks
   the fixture's diagnostics. That is an LSP-level smoke test of this config, not of Helix.

Prints PASS/FAIL lines and "N passed, N failed"; exit status 1 on any failure.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import pathlib
import select
import subprocess
import sys
import time

try:
    import tomllib  # Python 3.11+
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

HERE = pathlib.Path(__file__).resolve().parent
HELIX_DIR = HERE.parent
FIXTURE = HELIX_DIR.parent / "neovim" / "test" / "fixtures" / "fixture.outreach.md"

# Keys accepted by Helix (helix-core syntax config, 25.07) for [[language]] entries.
LANGUAGE_KEYS = {
    "name", "language-id", "scope", "file-types", "shebangs", "roots", "comment-token",
    "comment-tokens", "block-comment-tokens", "text-width", "soft-wrap", "auto-format",
    "formatter", "path-completion", "word-completion", "diagnostic-severity", "grammar",
    "injection-regex", "language-servers", "indent", "debugger", "auto-pairs", "rulers",
    "workspace-lsp-roots", "persistent-diagnostic-sources", "rainbow-brackets",
}
LANGUAGE_REQUIRED = {"name", "scope", "file-types"}
SERVER_KEYS = {"command", "args", "environment", "config", "timeout", "required-root-patterns"}
SOFT_WRAP_KEYS = {"enable", "max-wrap", "max-indent-retain", "wrap-indicator", "wrap-at-text-width"}
# Language servers Helix ships definitions for that our optional Markdown override may name.
BUILTIN_SERVERS = {"marksman", "markdown-oxide"}

passed = 0
failed = 0


def check(name: str, ok: bool, detail: str = "") -> bool:
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name}" + (f"  -- {detail}" if detail else ""), flush=True)
    return ok


def helix_glob(glob: str) -> str:
    """Normalise a file-types glob like Helix's FileType deserializer does."""
    if glob.startswith("."):
        glob = "{.,dot-}" + glob[1:]  # never the case here; kept for fidelity
    if not glob.startswith("/") and not glob.startswith("*/"):
        glob = "*/" + glob
    return glob


def language_for(path: str, languages: list[dict]) -> str | None:
    """Helix resolution order: globs (absolute path) first, then the extension."""
    for lang in languages:
        for ft in lang.get("file-types", []):
            if isinstance(ft, dict) and fnmatch.fnmatchcase(path, helix_glob(ft["glob"])):
                return lang["name"]
    ext = pathlib.PurePosixPath(path).suffix.lstrip(".") or pathlib.PurePosixPath(path).name
    for lang in languages:
        for ft in lang.get("file-types", []):
            if isinstance(ft, str) and ft == ext:
                return lang["name"]
    return None


def structural(doc: dict) -> tuple[dict, dict] | None:
    servers = doc.get("language-server", {})
    languages = doc.get("language", [])
    check("top-level keys are [language-server.*] and [[language]] only",
          set(doc) <= {"language-server", "language", "use-grammars"}, str(sorted(doc)))

    server = servers.get("outreach-lsp")
    if not check("[language-server.outreach-lsp] is defined", isinstance(server, dict), str(sorted(servers))):
        return None
    check("language server keys are known to Helix", set(server) <= SERVER_KEYS,
          str(sorted(set(server) - SERVER_KEYS)))
    check('language server command is "outreach-lsp"', server.get("command") == "outreach-lsp",
          repr(server.get("command")))
    check('language server args are ["serve"]', server.get("args") == ["serve"], repr(server.get("args")))
    if "config" in server:
        check("language server config is a table", isinstance(server["config"], dict), repr(server["config"]))

    outreach = [lang for lang in languages if lang.get("name") == "outreach"]
    if not check("exactly one [[language]] named outreach", len(outreach) == 1, str(len(outreach))):
        return None
    lang = outreach[0]
    for entry in languages:
        name = entry.get("name", "?")
        unknown = set(entry) - LANGUAGE_KEYS
        check(f"[[language]] {name}: every key is known to Helix", not unknown, str(sorted(unknown)))
        for ls in entry.get("language-servers", []):
            ls_name = ls if isinstance(ls, str) else ls.get("name")
            check(f"[[language]] {name}: language server {ls_name!r} is defined",
                  ls_name in servers or ls_name in BUILTIN_SERVERS)
    missing = LANGUAGE_REQUIRED - set(lang)
    check("outreach: required keys name, scope, file-types present", not missing, str(sorted(missing)))
    check("outreach: scope is text.outreach", lang.get("scope") == "text.outreach", repr(lang.get("scope")))
    globs = sorted(ft["glob"] for ft in lang.get("file-types", []) if isinstance(ft, dict))
    check("outreach: file-types are globs for *.outreach.md, *.outreach, *.outreach.txt",
          globs == sorted(["*.outreach.md", "*.outreach", "*.outreach.txt"]), repr(lang.get("file-types")))
    check("outreach: every file-types table has only a glob key",
          all(set(ft) == {"glob"} for ft in lang.get("file-types", []) if isinstance(ft, dict)))
    check('outreach: roots are [".outreach.toml", ".git"]', lang.get("roots") == [".outreach.toml", ".git"],
          repr(lang.get("roots")))
    check('outreach: language-servers = ["outreach-lsp"]', lang.get("language-servers") == ["outreach-lsp"],
          repr(lang.get("language-servers")))
    if "soft-wrap" in lang:
        check("outreach: soft-wrap keys are known", set(lang["soft-wrap"]) <= SOFT_WRAP_KEYS)
    if "block-comment-tokens" in lang:
        bct = lang["block-comment-tokens"]
        check("outreach: block-comment-tokens has start and end",
              isinstance(bct, dict) and set(bct) == {"start", "end"}, repr(bct))
    grammar = lang.get("grammar", "outreach")
    check("outreach: grammar is markdown and the queries inherit from it",
          grammar == "markdown"
          and all((HELIX_DIR / "runtime" / "queries" / "outreach" / q).read_text().startswith("; inherits: markdown")
                  for q in ("highlights.scm", "injections.scm")))

    # File type resolution with Helix's rules, plus Helix's own built-in markdown/text entries.
    universe = languages + [
        {"name": "markdown", "file-types": ["md", "markdown", "mdx", "mkd", "mkdn", "mdwn", "mdown",
                                            "markdn", "mdtxt", "mdtext", "workbook",
                                            {"glob": "PULLREQ_EDITMSG"}]},
        {"name": "text", "file-types": ["txt"]},
    ]
    cases = {
        "/home/u/p/hello.outreach.md": "outreach",
        "/home/u/p/hello.outreach": "outreach",
        "/home/u/p/hello.outreach.txt": "outreach",
        "/home/u/p/sub dir/x.y.outreach.md": "outreach",
        "/home/u/p/notes.md": "markdown",
        "/home/u/p/outreach.md": "markdown",
        "/home/u/p/outreach/notes.txt": "text",
    }
    for path, want in cases.items():
        got = language_for(path, universe)
        check(f"file type: {path} -> {want}", got == want, f"got {got}")
    return server, lang


# --------------------------------------------------------------------------------------------
# LSP smoke test with the Helix command line (optional)
# --------------------------------------------------------------------------------------------

class Server:
    def __init__(self, argv: list[str], cwd: str):
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.buf = b""
        self.next_id = 1
        self.notifications: list[dict] = []

    def send(self, msg: dict) -> None:
        body = json.dumps(msg).encode()
        try:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # the server is gone; the next read reports it

    def _read_message(self, deadline: float) -> dict | None:
        fd = self.proc.stdout.fileno()
        while True:
            head, sep, rest = self.buf.partition(b"\r\n\r\n")
            if sep:
                length = None
                for line in head.split(b"\r\n"):
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v)
                if length is not None and len(rest) >= length:
                    self.buf = rest[length:]
                    return json.loads(rest[:length])
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self.buf += chunk

    def request(self, method: str, params, timeout: float) -> dict | None:
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read_message(deadline)
            if msg is None:
                return None
            if msg.get("id") == rid and "method" not in msg:
                return msg
            self._handle(msg)

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _handle(self, msg: dict) -> None:
        if "method" in msg and "id" in msg:  # server -> client request: answer like Helix would
            result = None
            if msg["method"] == "workspace/configuration":
                result = [self.config for _ in msg["params"].get("items", [])]
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
        elif "method" in msg:
            self.notifications.append(msg)

    def wait_publish(self, uri: str, pred, timeout: float) -> list | None:
        deadline = time.monotonic() + timeout
        last = None
        while True:
            for n in self.notifications:
                if n["method"] == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri:
                    last = n["params"]["diagnostics"]
            self.notifications.clear()
            if last is not None and pred(last):
                return last
            msg = self._read_message(deadline)
            if msg is None:
                return last
            self._handle(msg)

    def close(self) -> None:
        try:
            self.request("shutdown", None, 5)
            self.notify("exit", None)
            self.proc.wait(5)
        except Exception:
            pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def smoke(server_bin: str, server_cfg: dict, lang: dict, config, label: str, expect, timeout: float,
          workdir: pathlib.Path) -> None:
    proj = workdir / label
    (proj / ".git").mkdir(parents=True, exist_ok=True)
    doc = proj / "fixture.outreach.md"
    doc.write_text(FIXTURE.read_text())
    uri = doc.resolve().as_uri()
    argv = [server_bin] + list(server_cfg.get("args", []))
    srv = Server(argv, str(proj))
    srv.config = config
    try:
        init = srv.request("initialize", {
            "processId": os.getpid(),
            "clientInfo": {"name": "helix-config-smoke"},
            "rootUri": proj.resolve().as_uri(),
            "rootPath": str(proj),
            "workspaceFolders": [{"uri": proj.resolve().as_uri(), "name": proj.name}],
            "initializationOptions": config,
            "capabilities": {
                "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": False}},
                "textDocument": {"publishDiagnostics": {"relatedInformation": True},
                                 "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
                                 "hover": {"contentFormat": ["markdown"]}},
                "general": {"positionEncodings": ["utf-8", "utf-32", "utf-16"]},
            },
        }, timeout)
        if not check(f"{label}: `{' '.join([pathlib.Path(server_bin).name] + argv[1:])}` answers initialize",
                     init is not None and "result" in init,
                     "no answer" if init is None else json.dumps(init.get("error"))):
            err = b""
            if srv.proc.poll() is not None:
                err = srv.proc.stderr.read()[-2000:]
            if err:
                print(err.decode(errors="replace"), flush=True)
            return
        srv.notify("initialized", {})
        if config is not None:
            srv.notify("workspace/didChangeConfiguration", {"settings": config})
        srv.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": lang.get("language-id", lang["name"]), "version": 0,
            "text": doc.read_text()}})
        expect(srv, uri, timeout)
    finally:
        srv.close()


def codes(diags) -> list:
    return sorted(str(d.get("code")) for d in (diags or []))


def expect_default(srv: Server, uri: str, timeout: float) -> None:
    def ok(ds):
        c = codes(ds)
        return "unknown-placeholder" in c and "default-invitation-text" in c
    ds = srv.wait_publish(uri, ok, timeout)
    if not check("helix default config: unknown-placeholder and default-invitation-text published",
                 ds is not None and ok(ds), f"got {codes(ds)}"):
        return
    up = next(d for d in ds if d.get("code") == "unknown-placeholder")
    r = up["range"]
    check("helix default config: unknown-placeholder at 0:3-0:17 from source outreach-lsp",
          (r["start"], r["end"]) == ({"line": 0, "character": 3}, {"line": 0, "character": 17})
          and up.get("source") == "outreach-lsp", json.dumps(up))


def expect_rule_off(srv: Server, uri: str, timeout: float) -> None:
    ds = srv.wait_publish(uri, lambda ds: "unknown-placeholder" in codes(ds), timeout)
    if not check("helix config table: diagnostics published", ds is not None and "unknown-placeholder" in codes(ds),
                 f"got {codes(ds)}"):
        return
    # A later publish (after didChangeConfiguration) must not bring the rule back either.
    later = srv.wait_publish(uri, lambda ds: False, 1.0)
    check('helix config table: rules."default-invitation-text" = "off" suppresses it',
          "default-invitation-text" not in codes(later if later is not None else ds), f"got {codes(later or ds)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--languages", default=str(HELIX_DIR / "languages.toml"))
    ap.add_argument("--server", help="outreach-lsp binary for the launch smoke test")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--timeout", type=float, default=20.0)
    args = ap.parse_args()

    print("STRUCTURAL CHECK of languages.toml (no hx available here; this is not an editor test)", flush=True)
    try:
        doc = tomllib.loads(pathlib.Path(args.languages).read_text())
        check("languages.toml parses as TOML", True)
    except Exception as e:  # noqa: BLE001
        check("languages.toml parses as TOML", False, str(e))
        doc = None
    if doc is not None:
        res = structural(doc)
        if res and args.server:
            import tempfile
            server_cfg, lang = res
            work = pathlib.Path(args.workdir or tempfile.mkdtemp(prefix="outreach-helix-"))
            runs = [(server_cfg.get("config"), "default", expect_default),
                    ({"rules": {"default-invitation-text": "off"}}, "config-off", expect_rule_off)]
            for config, label, expect in runs:
                try:
                    smoke(args.server, server_cfg, lang, config, label, expect, args.timeout, work)
                except Exception as e:  # noqa: BLE001
                    check(f"{label}: smoke test runs without an exception", False, repr(e))
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
