"""Runs the copy-paste snippets of docs/ci.md (the pre-commit one is run by scripts/test-pre-commit.sh):

- github-workflow: valid against the GitHub workflow schema (shipped in check-jsonschema); its
  outreach-lsp step is run through scripts/action.sh with exactly the `with:` inputs it gives, in a
  scratch repository holding the examples, and must annotate, fail, and write the SARIF file that the
  upload step names.
- gitlab-ci: valid against the GitLab CI schema (check-jsonschema); its script lines run in a scratch
  repository with the built binary on PATH (the `cargo install` line, which needs the repository's
  public address, is the one line replaced: the binary is already built), must fail on the bad
  examples and write the Code Quality report the artifacts name, valid against its schema; and pass on
  good templates.
- shell: run with sh in a scratch git repository where one commit since `main` adds a bad template
  (exit 1, concise lines) and one where only a good template changed (exit 0).

Usage: ci_docs.py BINARY (run in target/ci-venv)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

from snippets import snippet

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.abspath(sys.argv[1])
VENV_BIN = os.path.dirname(sys.executable)
passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


def schema_valid(builtin, text, suffix):
    with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False) as f:
        f.write(text)
    p = subprocess.run([os.path.join(VENV_BIN, "check-jsonschema"), "--builtin-schema", builtin, f.name],
                       capture_output=True, text=True)
    os.unlink(f.name)
    return p.returncode == 0, p.stdout + p.stderr


def scratch_repo(root, templates):
    os.makedirs(root)
    for name, src in templates.items():
        os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
        shutil.copy(os.path.join(REPO, "examples", src), os.path.join(root, name))
    git(root, "init", "-q", "-b", "main", ".")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "templates")


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.email=ci@example.com", "-c", "user.name=CI", "-c", "commit.gpgsign=false",
                    *args], cwd=cwd, check=True)


def github_workflow(work):
    text = snippet("github-workflow")
    ok, out = schema_valid("vendor.github-workflows", text, ".yml")
    check("github-workflow: valid against the GitHub workflow schema", ok, out)
    steps = yaml.safe_load(text)["jobs"]["outreach-lsp"]["steps"]
    ours = [s for s in steps if "outreach-lsp@" in s.get("uses", "")]
    check("github-workflow: one step uses the outreach-lsp action", len(ours) == 1, steps)
    inputs = ours[0].get("with", {})
    with open(os.path.join(REPO, "action.yml")) as f:
        declared = yaml.safe_load(f)["inputs"]
    check("github-workflow: every input it passes is declared in action.yml",
          set(inputs) <= set(declared), set(inputs) - set(declared))
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    root = os.path.join(work, "gh")
    scratch_repo(root, {"templates/bad.outreach.md": "connection-request-bad.outreach.md",
                        "templates/good.outreach.md": "connection-request-good.outreach.md"})
    env = dict(os.environ, GITHUB_ACTION_PATH=REPO, INPUT_BINARY=BIN,
               GITHUB_OUTPUT=os.path.join(work, "gh-output"), GITHUB_STEP_SUMMARY=os.path.join(work, "gh-summary"))
    for key, value in inputs.items():
        env["INPUT_" + key.upper().replace("-", "_")] = str(value)
    p = subprocess.run(["bash", os.path.join(REPO, "scripts", "action.sh")], cwd=root, env=env,
                       capture_output=True, text=True)
    check("github-workflow: the action step fails on a bad template", p.returncode == 1, (p.returncode, p.stderr))
    lines = p.stdout.splitlines()
    check("github-workflow: its output is annotations on the bad template",
          bool(lines) and all(l.startswith(("::error file=templates/bad.outreach.md",
                                            "::warning file=templates/bad.outreach.md")) for l in lines), lines[:3])
    if upload:
        sarif_path = os.path.join(root, upload[0]["with"]["sarif_file"])
        ok = os.path.exists(sarif_path) and json.load(open(sarif_path))["version"] == "2.1.0"
        check("github-workflow: the SARIF file the upload step names was written", ok, sarif_path)


def gitlab_ci(work):
    text = snippet("gitlab-ci")
    ok, out = schema_valid("vendor.gitlab-ci", text, ".yml")
    check("gitlab-ci: valid against the GitLab CI schema", ok, out)
    job = yaml.safe_load(text)["outreach-lsp"]
    report = job["artifacts"]["reports"]["codequality"]
    lines = job["script"]
    installs = [l for l in lines if l.startswith("cargo install")]
    check("gitlab-ci: the job installs outreach-lsp with cargo", len(installs) == 1, lines)
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir, exist_ok=True)
    shutil.copy(BIN, os.path.join(bindir, "outreach-lsp"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"], **job.get("variables", {}))
    with open(os.path.join(HERE, "gitlab-codequality.schema.json")) as f:
        schema = json.load(f)
    for name, templates, expect in [
        ("bad", {"templates/bad.outreach.md": "connection-request-bad.outreach.md"}, 1),
        ("good", {"templates/good.outreach.md": "connection-request-good.outreach.md"}, 0),
    ]:
        root = os.path.join(work, "gl-" + name)
        scratch_repo(root, templates)
        # GitLab runs the lines in one shell that stops at the first failing one.
        script = "set -e\n" + "\n".join(l for l in lines if l not in installs) + "\n"
        p = subprocess.run(["sh", "-c", script], cwd=root, env=env, capture_output=True, text=True)
        check(f"gitlab-ci: the job exits {expect} on {name} templates", p.returncode == expect, (p.returncode, p.stderr))
        path = os.path.join(root, report)
        doc = json.load(open(path)) if os.path.exists(path) else None
        errs = list(jsonschema.Draft7Validator(schema).iter_errors(doc)) if doc is not None else ["no report"]
        check(f"gitlab-ci: the artifact report is a valid Code Quality report ({name})", not errs, errs[:2])
        check(f"gitlab-ci: the report lists the findings ({name})",
              doc is not None and (len(doc) > 0) == (expect == 1), doc)


def shell(work):
    text = snippet("shell")
    path = os.path.join(work, "check-templates.sh")
    with open(path, "w") as f:
        f.write(text)
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir, exist_ok=True)
    shutil.copy(BIN, os.path.join(bindir, "outreach-lsp"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
    root = os.path.join(work, "sh")
    scratch_repo(root, {"templates/good.outreach.md": "connection-request-good.outreach.md"})
    p = subprocess.run(["sh", path], cwd=root, env=env, capture_output=True, text=True)
    check("shell: nothing changed since main: exit 0", p.returncode == 0 and "no changed templates" in p.stdout,
          (p.returncode, p.stdout, p.stderr))
    git(root, "checkout", "-q", "-b", "feature")
    shutil.copy(os.path.join(REPO, "examples", "inmail-good.outreach.md"), os.path.join(root, "templates"))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "good")
    p = subprocess.run(["sh", path], cwd=root, env=env, capture_output=True, text=True)
    check("shell: a good template changed: exit 0", p.returncode == 0, (p.returncode, p.stdout, p.stderr))
    shutil.copy(os.path.join(REPO, "examples", "connection-request-bad.outreach.md"),
                os.path.join(root, "templates", "new.outreach.md"))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "bad")
    p = subprocess.run(["sh", path], cwd=root, env=env, capture_output=True, text=True)
    lines = p.stdout.splitlines()
    check("shell: a bad template added: exit 1", p.returncode == 1, (p.returncode, p.stderr))
    check("shell: concise lines name only the changed templates",
          len(lines) > 1 and all(l.startswith("templates/new.outreach.md:") for l in lines[:-1])
          and lines[-1].startswith("Found "), lines)


def main():
    with tempfile.TemporaryDirectory() as work:
        github_workflow(work)
        gitlab_ci(work)
        shell(work)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
