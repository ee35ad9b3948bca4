"""Validates every machine output format of `outreach-lsp check` against its schema, the way the tools
that read them would: SARIF 2.1.0 against the OASIS JSON schema (shipped in @microsoft/jest-sarif),
rdjson against reviewdog's format schema (@umbrelladocs/rdformat-validator), the GitLab Code Quality
report against tests/formats/gitlab-codequality.schema.json, JUnit against tests/formats/junit.xsd
(xmlschema) and read back with junitparser, GitHub annotations and concise lines against their line
grammar. Every format must also report the same findings (file, line, rule) as `--format json`.

Each validator is first shown a broken document and must reject it, so a validator that accepts
anything fails this script. Run by .ci/run through scripts/ci-tools.sh's venv; needs
tests/formats/node_modules (npm ci).

Usage: validate.py BINARY
"""

import copy
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import junitparser
import xmlschema

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(REPO, "target", "release", "outreach-lsp")

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


def run(fmt, cwd, *paths):
    p = subprocess.run([BIN, "check", "--format", fmt, *paths], cwd=cwd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise SystemExit(f"check --format {fmt} exited {p.returncode}: {p.stderr}")
    return p.stdout


def json_errors(schema, doc):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in cls(schema).iter_errors(doc)]


def xml_errors(xsd, xml):
    """Schema errors, or the strict parser's error when the text is not well-formed XML."""
    try:
        return [str(e.reason) for e in xsd.iter_errors(xml)]
    except (xmlschema.XMLResourceError, SyntaxError) as e:
        return [str(e)]


def load_schemas():
    modules = os.path.join(HERE, "node_modules")
    with open(os.path.join(modules, "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json")) as f:
        sarif = json.load(f)
    rdjson = json.loads(subprocess.run(
        ["node", "-e", "process.stdout.write(JSON.stringify(require('@umbrelladocs/rdformat-validator').rdformatSchema))"],
        cwd=HERE, check=True, capture_output=True, text=True).stdout)
    with open(os.path.join(HERE, "gitlab-codequality.schema.json")) as f:
        gitlab = json.load(f)
    junit = xmlschema.XMLSchema(os.path.join(HERE, "junit.xsd"))
    return sarif, rdjson, gitlab, junit


GITHUB_LINE = re.compile(
    r"^::(error|warning|notice) file=([^,:]+),line=(\d+),endLine=(\d+)(?:,col=(\d+),endColumn=(\d+))?,"
    r"title=outreach-lsp \(([a-z-]+)\)::(.+)$")
CONCISE_LINE = re.compile(r"^(.+):(\d+):(\d+): (error|warning|info|hint)\[([a-z-]+)\] (\S.*)$")
SUMMARY = re.compile(r"^(No problems found in \d+ templates?\.|Found \d+ problems? in \d+ of \d+ templates?: .*)$")


def unescape_github(s):
    return s.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def negative_controls(sarif, rdjson, gitlab, junit):
    """Each validator must reject a broken document, or the positive checks below prove nothing."""
    good_sarif = json.loads(run("sarif", REPO, "examples/"))
    bad = copy.deepcopy(good_sarif)
    bad["runs"][0]["results"][0]["level"] = "fatal"
    check("control: SARIF schema rejects an unknown level", json_errors(sarif, bad) != [])
    bad = copy.deepcopy(good_sarif)
    del bad["runs"][0]["tool"]["driver"]["name"]
    check("control: SARIF schema rejects a driver without a name", json_errors(sarif, bad) != [])

    good_rd = json.loads(run("rdjson", REPO, "examples/"))
    bad = copy.deepcopy(good_rd)
    bad["diagnostics"][0]["location"]["range"]["start"]["line"] = 0
    check("control: rdjson schema rejects line 0", json_errors(rdjson, bad) != [])
    bad = copy.deepcopy(good_rd)
    bad["diagnostics"][0]["severity"] = "warning"
    check("control: rdjson schema rejects a lower-case severity", json_errors(rdjson, bad) != [])

    good_gl = json.loads(run("gitlab", REPO, "examples/"))
    bad = copy.deepcopy(good_gl)
    del bad[0]["fingerprint"]
    check("control: Code Quality schema rejects an issue without fingerprint", json_errors(gitlab, bad) != [])
    bad = copy.deepcopy(good_gl)
    bad[0]["severity"] = "warning"
    check("control: Code Quality schema rejects severity `warning`", json_errors(gitlab, bad) != [])

    good_xml = run("junit", REPO, "examples/")
    bad_xml = good_xml.replace('failures="', 'failures="-', 1)
    check("control: JUnit XSD rejects a negative count", xml_errors(junit, bad_xml) != [])
    bad_xml = good_xml.replace("</failure>", "</failure><failure/>", 1)
    check("control: JUnit XSD rejects two failures in one test case", xml_errors(junit, bad_xml) != [])
    bad_xml = good_xml.replace("&apos;", "'\"", 1)
    check("control: the XML parser rejects an unescaped quote", bad_xml != good_xml and xml_errors(junit, bad_xml) != [])


def validate_tree(label, cwd, paths, sarif, rdjson, gitlab, junit):
    findings = json.loads(run("json", cwd, *paths))
    expected = sorted((f["file"].replace("\\", "/").removeprefix("./"), f["line"], f["rule"]) for f in findings)
    expected_cols = sorted((f["file"].replace("\\", "/").removeprefix("./"), f["line"], f["column"], f["rule"])
                           for f in findings)

    doc = json.loads(run("sarif", cwd, *paths))
    errs = json_errors(sarif, doc)
    check(f"{label}: SARIF valid against the 2.1.0 schema", not errs, errs[:3])
    got = sorted((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                  r["locations"][0]["physicalLocation"]["region"]["startLine"],
                  r["locations"][0]["physicalLocation"]["region"]["startColumn"], r["ruleId"])
                 for r in doc["runs"][0]["results"])
    check(f"{label}: SARIF reports the JSON findings", got == expected_cols, (got, expected_cols))

    doc = json.loads(run("rdjson", cwd, *paths))
    errs = json_errors(rdjson, doc)
    check(f"{label}: rdjson valid against reviewdog's format schema", not errs, errs[:3])
    got = sorted((d["location"]["path"], d["location"]["range"]["start"]["line"], d["code"]["value"])
                 for d in doc["diagnostics"])
    check(f"{label}: rdjson reports the JSON findings", got == expected, (got, expected))

    doc = json.loads(run("gitlab", cwd, *paths))
    errs = json_errors(gitlab, doc)
    check(f"{label}: GitLab Code Quality valid against its schema", not errs, errs[:3])
    prints = [i["fingerprint"] for i in doc]
    check(f"{label}: GitLab fingerprints are unique", len(prints) == len(set(prints)), prints)
    got = sorted((i["location"]["path"], i["location"]["positions"]["begin"]["line"],
                  i["location"]["positions"]["begin"]["column"], i["check_name"]) for i in doc)
    check(f"{label}: GitLab reports the JSON findings", got == expected_cols, (got, expected_cols))

    xml = run("junit", cwd, *paths)
    errs = xml_errors(junit, xml)
    check(f"{label}: JUnit valid against junit.xsd", not errs, errs[:3])
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False, encoding="utf-8") as f:
        f.write(xml)
    try:
        report = junitparser.JUnitXml.fromfile(f.name)
        failures = sorted((case.classname, int(case._elem.get("line")), r.type)
                          for suite in report for case in suite for r in case.result
                          if isinstance(r, junitparser.Failure))
    except SyntaxError as e:  # ElementTree's ParseError
        failures = [f"junitparser cannot read it: {e}"]
    os.unlink(f.name)
    check(f"{label}: JUnit failures are the JSON findings", failures == expected, (failures, expected))

    lines = run("github", cwd, *paths).splitlines()
    parsed = [GITHUB_LINE.match(l) for l in lines]
    check(f"{label}: every GitHub line is a workflow command", all(parsed), [l for l, m in zip(lines, parsed) if not m])
    got = sorted((unescape_github(m[2]), int(m[3]), m[7]) for m in parsed if m)
    check(f"{label}: GitHub annotations are the JSON findings", got == expected, (got, expected))

    lines = run("concise", cwd, *paths).splitlines()
    check(f"{label}: concise ends with the summary line", bool(lines) and SUMMARY.match(lines[-1]), lines[-1:])
    parsed = [CONCISE_LINE.match(l) for l in lines[:-1]]
    check(f"{label}: every concise line is path:line:col: severity[rule] message", all(parsed),
          [l for l, m in zip(lines, parsed) if not m])
    got = sorted((m[1].removeprefix("./"), int(m[2]), int(m[3]), m[5]) for m in parsed if m)
    check(f"{label}: concise lines are the JSON findings", got == expected_cols, (got, expected_cols))
    return len(findings)


def main():
    schemas = load_schemas()
    negative_controls(*schemas)
    n = validate_tree("examples/", REPO, ["examples/"], *schemas)
    check("examples/ has findings to validate", n > 10, n)
    with tempfile.TemporaryDirectory() as d:
        # Characters each format must escape: markup, quotes, %, commas and colons, a control character,
        # non-ASCII text, CRLF line ends; in the file name too.
        os.mkdir(os.path.join(d, "team, a:b"))
        with open(os.path.join(d, "team, a:b", "tricky <&> 100%.outreach.md"), "w", encoding="utf-8", newline="") as f:
            f.write("---\r\nchannel: connection-request\r\n---\r\nHi [First Name] \u0001 <b>&amp; \"Zoë\" 100% — "
                    "I'd like to add you to my professional network on LinkedIn. Book a demo ASAP!!\r\n")
        with open(os.path.join(d, "good.outreach.md"), "w", encoding="utf-8") as f:
            f.write("Hi {{first_name}},\n\nWe're both in {{shared_group | default: \"DataOps\"}} and I'd love to "
                    "hear how your team ships.\n")
        n = validate_tree("escaping", d, ["."], *schemas)
        check("the tricky template has findings", n >= 3, n)
        clean = os.path.join(d, "clean")
        os.mkdir(clean)
        os.rename(os.path.join(d, "good.outreach.md"), os.path.join(clean, "good.outreach.md"))
        n = validate_tree("no findings", clean, ["."], *schemas)
        check("the clean template has no findings", n == 0, n)
        empty = os.path.join(d, "empty")
        os.mkdir(empty)
        validate_tree("no templates", empty, ["."], *schemas)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
