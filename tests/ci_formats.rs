//! `check` in pipelines, driven through the built binary: standard input with `--stdin-filename`, the
//! CI output formats (github, gitlab, junit, rdjson, concise), `--statistics` and `--quiet`. The formats
//! are validated against their schemas by tests/formats/validate.py (run by .ci/run); these tests pin
//! their exact shapes and the stdin behaviour.

mod common;

use common::cli::{repo, run, run_with_stdin, stderr, stdout};
use std::path::Path;

const BAD: &str =
    "Hi [First Name],\n\nI'd like to add you to my professional network on LinkedIn.\n";
const GOOD: &str = "Hi {{first_name}},\n\nWe're both in {{shared_group | default: \"DataOps\"}} and I'd love to hear how your team ships.\n";

#[test]
fn stdin_gives_the_same_findings_as_the_file() {
    let name = "examples/connection-request-bad.outreach.md";
    let text = std::fs::read(repo().join(name)).unwrap();
    let from_file = run(&["check", "--format", "json", name], repo());
    let from_stdin = run_with_stdin(
        &["check", "--format", "json", "--stdin-filename", name, "-"],
        repo(),
        Some(&text),
    );
    assert_eq!(from_file.status.code(), Some(1), "{}", stderr(&from_file));
    assert_eq!(from_stdin.status.code(), Some(1), "{}", stderr(&from_stdin));
    let file: serde_json::Value = serde_json::from_slice(&from_file.stdout).unwrap();
    let piped: serde_json::Value = serde_json::from_slice(&from_stdin.stdout).unwrap();
    assert!(file.as_array().unwrap().len() > 5);
    assert_eq!(
        file, piped,
        "stdin named as the file reports exactly the file's findings"
    );

    // Unnamed input: the same findings, reported under `-`.
    let unnamed = run_with_stdin(&["check", "--format", "concise", "-"], repo(), Some(&text));
    assert_eq!(unnamed.status.code(), Some(1));
    let out = stdout(&unnamed);
    assert!(out.contains("-:6:4: error[literal-placeholder]"), "{out}");
    assert_eq!(
        out.lines().count(),
        file.as_array().unwrap().len() + 1,
        "{out}"
    );
}

#[test]
fn stdin_finds_the_front_matter_contact_list_next_to_its_name() {
    let name = "examples/campaign.outreach.md";
    let text = std::fs::read(repo().join(name)).unwrap();
    let from_file = run(&["check", "--format", "json", name], repo());
    let from_stdin = run_with_stdin(
        &["check", "--format", "json", "--stdin-filename", name, "-"],
        repo(),
        Some(&text),
    );
    let file: serde_json::Value = serde_json::from_slice(&from_file.stdout).unwrap();
    let piped: serde_json::Value = serde_json::from_slice(&from_stdin.stdout).unwrap();
    let uses_contacts = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "contact-data-missing")
    };
    assert!(uses_contacts(&piped), "{piped}");
    assert_eq!(file, piped);
}

#[test]
fn stdin_filename_picks_the_folder_config() {
    let dir = common::temp_dir("stdin-config");
    std::fs::create_dir_all(dir.join("quiet")).unwrap();
    std::fs::create_dir_all(dir.join("loud")).unwrap();
    std::fs::write(
        dir.join("quiet/.outreach.toml"),
        "[rules]\ndefault-invitation-text = \"off\"\n",
    )
    .unwrap();
    let check = |name: &str| {
        let o = run_with_stdin(
            &[
                "check",
                "--format",
                "concise",
                "--stdin-filename",
                name,
                "-",
            ],
            &dir,
            Some(BAD.as_bytes()),
        );
        stdout(&o)
    };
    let quiet = check("quiet/note.outreach.md");
    assert!(
        quiet.contains("quiet/note.outreach.md:1:4: error[literal-placeholder]"),
        "{quiet}"
    );
    assert!(!quiet.contains("default-invitation-text"), "{quiet}");
    let loud = check("loud/note.outreach.md");
    assert!(loud.contains("default-invitation-text"), "{loud}");

    // A bare name looks in the current folder, and the config's settings reach the check.
    std::fs::write(
        dir.join(".outreach.toml"),
        "[rules]\nliteral-placeholder = \"off\"\n",
    )
    .unwrap();
    let here = check("note.outreach.md");
    assert!(!here.contains("literal-placeholder"), "{here}");
    assert!(here.contains("default-invitation-text"), "{here}");

    // A broken config of that folder is an error (exit 2), as for the file.
    std::fs::write(dir.join("loud/.outreach.toml"), "[rules]\nnope = \"off\"\n").unwrap();
    let o = run_with_stdin(
        &["check", "--stdin-filename", "loud/x.outreach.md", "-"],
        &dir,
        Some(BAD.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(".outreach.toml"), "{}", stderr(&o));
}

#[test]
fn a_bare_file_name_finds_the_config_above_the_current_folder() {
    // `check a.outreach.md` and stdin named `a.outreach.md` look upward from the current folder, like
    // `check ./a.outreach.md` does.
    let dir = common::temp_dir("bare-name-config");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join(".outreach.toml"),
        "[rules]\nliteral-placeholder = \"off\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("sub/a.outreach.md"), BAD).unwrap();
    let sub = dir.join("sub");
    for args in [
        &["check", "--format", "concise", "a.outreach.md"][..],
        &["check", "--format", "concise", "./a.outreach.md"][..],
    ] {
        let out = stdout(&run(args, &sub));
        assert!(out.contains("default-invitation-text"), "{args:?}: {out}");
        assert!(!out.contains("literal-placeholder"), "{args:?}: {out}");
    }
    let o = run_with_stdin(
        &[
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "a.outreach.md",
            "-",
        ],
        &sub,
        Some(BAD.as_bytes()),
    );
    assert!(
        !stdout(&o).contains("literal-placeholder"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("default-invitation-text"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn stdin_filename_decides_whether_it_is_a_template() {
    let dir = common::temp_dir("stdin-template");
    // A README without template front matter is skipped, as the file would be.
    let o = run_with_stdin(
        &["check", "--stdin-filename", "README.md", "-"],
        &dir,
        Some(BAD.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("README.md: skipped, not a template"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("No problems found in 0 templates."));
    // Markdown with `channel` front matter is one.
    let text = format!("---\nchannel: connection-request\n---\n{BAD}");
    let o = run_with_stdin(
        &[
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "notes.md",
            "-",
        ],
        &dir,
        Some(text.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("notes.md:4:4: error[literal-placeholder]"),
        "{}",
        stdout(&o)
    );
    // So is any `.outreach.md`, front matter or not.
    let o = run_with_stdin(
        &[
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "a/b.outreach.md",
            "-",
        ],
        &dir,
        Some(BAD.as_bytes()),
    );
    assert!(
        stdout(&o).contains("\na/b.outreach.md:1:4: error[literal-placeholder]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn stdin_usage_and_input_errors_exit_2() {
    let dir = common::temp_dir("stdin-errors");
    let o = run_with_stdin(&["check", "-", "examples/"], repo(), Some(BAD.as_bytes()));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be combined"), "{}", stderr(&o));
    let o = run(&["check", "--stdin-filename", "x.outreach.md"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--stdin-filename"), "{}", stderr(&o));
    let o = run_with_stdin(
        &["check", "--stdin-filename", "x.outreach.md", "-"],
        &dir,
        Some(b"Hi \xff\xfe there\n"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "error: x.outreach.md: not valid UTF-8 (byte 3)"
    );
    let o = run_with_stdin(&["check", "-"], &dir, Some(b"\xff"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("standard input: not valid UTF-8"));
    // Empty input is an empty template, not an error.
    let o = run_with_stdin(&["check", "-"], &dir, Some(b""));
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
}

fn one_bad_file(tag: &str, name: &str, text: &str) -> common::TempDir {
    let dir = common::temp_dir(tag);
    std::fs::write(dir.join(name), text).unwrap();
    dir
}

#[test]
fn concise_is_one_line_per_finding_then_the_summary() {
    let dir = one_bad_file("concise", "a.outreach.md", BAD);
    let o = run(&["check", "--format", "concise", "a.outreach.md"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.contains(
        &"a.outreach.md:1:4: error[literal-placeholder] [First Name] would be sent as it is; use {{first_name}}"
    ), "{out}");
    assert!(lines.last().unwrap().starts_with("Found "), "{out}");
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["check", "--format", "json", "a.outreach.md"], &dir).stdout)
            .unwrap();
    assert_eq!(lines.len(), json.as_array().unwrap().len() + 1);
}

#[test]
fn github_annotations_with_escaped_properties() {
    let dir = one_bad_file("github", "team, a.outreach.md", BAD);
    let o = run(&["check", "--format", "github", "."], &dir);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.lines().any(|l| l
        == "::error file=team%2C a.outreach.md,line=1,endLine=1,col=4,endColumn=16,title=outreach-lsp (literal-placeholder)::[First Name] would be sent as it is; use {{first_name}}"),
        "{out}");
    assert!(
        out.lines().all(|l| l.starts_with("::error ")
            || l.starts_with("::warning ")
            || l.starts_with("::notice ")),
        "only annotations: {out}"
    );
    // A clean folder prints nothing at all.
    let clean = one_bad_file("github-clean", "a.outreach.md", GOOD);
    let o = run(&["check", "--format", "github", "."], &clean);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "");
}

#[test]
fn gitlab_fingerprints_are_unique_and_survive_moved_lines() {
    let text = format!("{BAD}\nBook a demo. Book a demo.\n");
    let dir = one_bad_file("gitlab", "a.outreach.md", &text);
    let report = |dir: &Path| -> Vec<serde_json::Value> {
        let o = run(&["check", "--format", "gitlab", "./a.outreach.md"], dir);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let before = report(&dir);
    let prints: Vec<&str> = before
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let mut unique = prints.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), prints.len(), "{prints:?}");
    let lit = before
        .iter()
        .find(|i| i["check_name"] == "literal-placeholder")
        .unwrap();
    assert_eq!(lit["severity"], "major");
    assert_eq!(lit["location"]["path"], "a.outreach.md", "no leading ./");
    assert_eq!(lit["location"]["positions"]["begin"]["line"], 1);
    assert_eq!(lit["location"]["positions"]["begin"]["column"], 4);

    // Two lines added above: positions move, fingerprints stay.
    std::fs::write(dir.join("a.outreach.md"), format!("\n\n{text}")).unwrap();
    let after = report(&dir);
    let lit_after = after
        .iter()
        .find(|i| i["check_name"] == "literal-placeholder")
        .unwrap();
    assert_eq!(lit_after["location"]["positions"]["begin"]["line"], 3);
    assert_eq!(lit_after["fingerprint"], lit["fingerprint"]);
    let after_prints: Vec<&str> = after
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(after_prints, prints);
}

#[test]
fn junit_has_a_failure_per_finding_and_a_passing_case_per_clean_template() {
    let dir = one_bad_file("junit", "a.outreach.md", BAD);
    std::fs::write(dir.join("b.outreach.md"), GOOD).unwrap();
    let o = run(&["check", "--format", "junit", "."], &dir);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let findings = serde_json::from_slice::<serde_json::Value>(
        &run(&["check", "--format", "json", "."], &dir).stdout,
    )
    .unwrap()
    .as_array()
    .unwrap()
    .len();
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert_eq!(out.matches("<failure ").count(), findings);
    assert!(
        out.contains(&format!(
            "<testsuites name=\"outreach-lsp\" tests=\"{}\" failures=\"{findings}\" errors=\"0\">",
            findings + 1
        )),
        "{out}"
    );
    assert!(
        out.contains(
            r#"<testcase name="no problems" classname="b.outreach.md" file="b.outreach.md"/>"#
        ),
        "{out}"
    );
    // Quotes in messages are escaped.
    assert!(out.contains("I&apos;d like to add you"), "{out}");
    assert!(!out.contains("I'd like"), "{out}");
}

#[test]
fn rdjson_counts_columns_in_bytes_and_offers_the_preferred_fix() {
    let dir = one_bad_file("rdjson", "a.outreach.md", "Zoë, hi [First Name]!\n");
    let o = run(&["check", "--format", "rdjson", "a.outreach.md"], &dir);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"]["name"], "outreach-lsp");
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"]["value"] == "literal-placeholder")
        .unwrap()
        .clone();
    assert_eq!(d["severity"], "ERROR");
    // "Zoë, hi " is 8 characters but 9 bytes: the placeholder starts at byte column 10.
    assert_eq!(
        d["location"]["range"]["start"],
        serde_json::json!({"line": 1, "column": 10})
    );
    assert_eq!(
        d["location"]["range"]["end"],
        serde_json::json!({"line": 1, "column": 22})
    );
    assert_eq!(d["suggestions"][0]["text"], "{{first_name}}");
    assert_eq!(d["suggestions"][0]["range"]["start"]["column"], 10);
    // The JSON format still counts characters.
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["check", "--format", "json", "a.outreach.md"], &dir).stdout)
            .unwrap();
    let lit = json
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "literal-placeholder")
        .unwrap()
        .clone();
    assert_eq!(lit["column"], 9);
}

#[test]
fn statistics_count_per_rule_most_first() {
    let o = run(&["check", "--statistics", "examples/"], repo());
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.last().unwrap().starts_with("Found "), "{out}");
    let rows: Vec<(usize, String, String)> = lines[..lines.len() - 1]
        .iter()
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "{l}");
            (
                parts[0].parse().unwrap(),
                parts[1].to_string(),
                parts[2].to_string(),
            )
        })
        .collect();
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["check", "--format", "json", "examples/"], repo()).stdout)
            .unwrap();
    let findings = json.as_array().unwrap();
    assert_eq!(rows.iter().map(|r| r.0).sum::<usize>(), findings.len());
    for (n, _, rule) in &rows {
        assert_eq!(
            findings
                .iter()
                .filter(|f| f["rule"] == rule.as_str())
                .count(),
            *n,
            "{rule}"
        );
    }
    let mut sorted = rows.clone();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    assert_eq!(rows, sorted, "most first, then by rule id");
    assert!(rows[0].0 > rows.last().unwrap().0);

    let o = run(
        &["check", "--statistics", "--format", "json", "examples/"],
        repo(),
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["rule"], rows[0].2.as_str());
    assert_eq!(v[0]["count"], rows[0].0);
    assert_eq!(v[0]["severity"], rows[0].1.as_str());
}

#[test]
fn quiet_prints_only_the_summary_line() {
    for format in ["human", "json", "github", "sarif"] {
        let o = run(
            &["check", "--quiet", "--format", format, "examples/"],
            repo(),
        );
        assert_eq!(o.status.code(), Some(1), "{format}");
        let out = stdout(&o);
        assert_eq!(out.lines().count(), 1, "{format}: {out}");
        assert!(
            out.starts_with("Found ") && out.contains(" problems in "),
            "{out}"
        );
    }
    let clean = one_bad_file("quiet-clean", "a.outreach.md", GOOD);
    let o = run(&["check", "-q", "."], &clean);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "No problems found in 1 template.\n");
    // --fail-on still sets the exit code.
    let o = run(
        &[
            "check",
            "-q",
            "--fail-on",
            "error",
            "examples/connection-request-bad.outreach.md",
        ],
        repo(),
    );
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["check", "--quiet", "--statistics", "examples/"], repo());
    assert_eq!(o.status.code(), Some(2), "the two conflict");
}
