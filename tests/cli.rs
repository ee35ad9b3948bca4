//! `outreach-lsp` on the command line: check, output formats, exit codes, rules, explain.

mod common;

use common::cli::{repo, run, stderr, stdout};

const BAD: &str =
    "Hi [First Name],\n\nI'd like to add you to my professional network on LinkedIn.\n";
const GOOD: &str = "Hi {{first_name}},\n\nWe're both in {{shared_group | default: \"DataOps\"}} and I'd love to hear how your team ships.\n";

#[test]
fn check_examples_shows_findings_with_carets() {
    let o = run(&["check", "--color", "never", "examples/"], repo());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("error[literal-placeholder]"), "{out}");
    assert!(out.contains("warning[default-invitation-text]"));
    assert!(out.contains("^^^^"));
    assert!(
        out.contains("examples/connection-request-bad.outreach.md:6:4"),
        "{out}"
    );
    assert!(out.lines().last().unwrap().starts_with("Found "));
}

#[test]
fn json_and_sarif_formats() {
    let dir = common::temp_dir("cli-json");
    std::fs::write(dir.join("a.outreach.md"), BAD).unwrap();
    let o = run(&["check", "--format", "json", "."], &dir);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    let items = v.as_array().unwrap();
    let lit = items
        .iter()
        .find(|i| i["rule"] == "literal-placeholder")
        .unwrap();
    assert_eq!(lit["line"], 1);
    assert_eq!(lit["column"], 4);
    assert_eq!(lit["end_line"], 1);
    assert_eq!(lit["end_column"], 16);
    assert_eq!(lit["severity"], "error");
    assert!(lit["file"].as_str().unwrap().ends_with("a.outreach.md"));
    assert!(lit["message"].as_str().unwrap().contains("first_name"));

    let o = run(&["check", "--format", "sarif", "."], &dir);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF output");
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "outreach-lsp");
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), items.len());
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "literal-placeholder")
        .unwrap();
    assert_eq!(r["level"], "error");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        4
    );
    let idx = r["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run0["tool"]["driver"]["rules"][idx]["id"],
        "literal-placeholder"
    );
}

#[test]
fn fail_on_threshold_and_clean_files() {
    let dir = common::temp_dir("cli-fail-on");
    std::fs::write(dir.join("good.outreach.md"), GOOD).unwrap();
    let o = run(&["check", "."], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("No problems found in 1 template"));
    // Only warnings: fails at warning, passes at error.
    std::fs::write(
        dir.join("warn.outreach.md"),
        "Hi {{first_name}}, let's connect.\n",
    )
    .unwrap();
    assert_eq!(run(&["check", "."], &dir).status.code(), Some(1));
    assert_eq!(
        run(&["check", "--fail-on", "error", "."], &dir)
            .status
            .code(),
        Some(0)
    );
    // Info only fails at info.
    std::fs::write(dir.join("warn.outreach.md"), "Hi {{first_name}}, we're both in {{shared_group}}. I'd love to hear how your team ships.\n").unwrap();
    assert_eq!(run(&["check", "."], &dir).status.code(), Some(0));
    assert_eq!(
        run(&["check", "--fail-on", "info", "."], &dir)
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn unreadable_files_are_named_and_the_rest_checked() {
    let dir = common::temp_dir("cli-utf8");
    std::fs::write(dir.join("bad.outreach.md"), b"Hi \xff\xfe there\n").unwrap();
    std::fs::write(dir.join("ok.outreach.md"), BAD).unwrap();
    let o = run(&["check", "--format", "json", "."], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("bad.outreach.md") && lines[0].contains("UTF-8"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["file"].as_str().unwrap().ends_with("ok.outreach.md")));
    // A missing path is a usage error.
    let o = run(&["check", "nope/"], &dir);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn broken_config_exits_2_with_file_and_line() {
    let dir = common::temp_dir("cli-config");
    std::fs::write(
        dir.join(".outreach.toml"),
        "account = \"free\"\n[rules]\nsales-pich = \"off\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("a.outreach.md"), GOOD).unwrap();
    let o = run(&["check", "."], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains(".outreach.toml:3:"), "{err}");
    assert!(err.contains("sales-pitch"), "{err}");
    // A valid config applies: sales-pitch off, rule severities changed.
    std::fs::write(
        dir.join(".outreach.toml"),
        "[rules]\ngeneric-message = \"error\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("a.outreach.md"),
        "Hi {{first_name}}, let's connect. I'd love to hear about AI.\n",
    )
    .unwrap();
    let o = run(&["check", "--format", "json", "."], &dir);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let g = v
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["rule"] == "generic-message")
        .unwrap();
    assert_eq!(g["severity"], "error");
}

#[test]
fn selection_rules_and_skipped_folders() {
    let dir = common::temp_dir("cli-select");
    for sub in [".git", "target", "node_modules", "drafts"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join("x.outreach.md"), BAD).unwrap();
    }
    std::fs::write(dir.join("README.md"), "# About\n\nHi [First Name]\n").unwrap();
    std::fs::write(
        dir.join("note.md"),
        "---\nkind: connection-request\n---\nHi [First Name]\n",
    )
    .unwrap();
    std::fs::write(dir.join("plain.txt"), BAD).unwrap();
    std::fs::write(dir.join("a.outreach"), BAD).unwrap();
    std::fs::write(dir.join("b.outreach.txt"), BAD).unwrap();
    std::fs::write(
        dir.join(".outreach.toml"),
        "include = [\"*.txt\"]\nexclude = [\"drafts/**\"]\n",
    )
    .unwrap();
    let o = run(&["check", "--format", "json", "."], &dir);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut files: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            i["file"]
                .as_str()
                .unwrap()
                .trim_start_matches("./")
                .to_string()
        })
        .collect();
    files.sort();
    files.dedup();
    assert_eq!(
        files,
        vec!["a.outreach", "b.outreach.txt", "note.md", "plain.txt"]
    );
}

#[test]
fn rules_and_explain() {
    let o = run(&["rules", "--format", "json"], repo());
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in outreach_lsp::rules::ids() {
        assert!(ids.contains(&id));
    }
    let o = run(&["rules"], repo());
    assert!(stdout(&o).contains("sales-pitch"));
    let o = run(&["explain", "sales-pitch"], repo());
    let out = stdout(&o);
    for section in [
        "# sales-pitch",
        "## What it does",
        "## Why it matters",
        "## Example",
        "## How to fix",
        "## How to disable",
    ] {
        assert!(out.contains(section), "missing {section}");
    }
    let o = run(&["explain", "sales-pich"], repo());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `sales-pitch`"));
}

#[test]
fn version_help_and_usage_errors() {
    let o = run(&["--version"], repo());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains(env!("CARGO_PKG_VERSION")));
    let o = run(&["--help"], repo());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("check"));
    let o = run(&["check", "--format", "xml"], repo());
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["check", "--bogus"], repo());
    assert_eq!(o.status.code(), Some(2));
}
