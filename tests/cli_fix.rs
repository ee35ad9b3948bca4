//! `outreach-lsp check --fix`: applies the safe fixes to the files, prints what it changed, leaves
//! files with only unsafe fixes alone, and applies unsafe ones only with `--unsafe-fixes`.

mod common;

use common::cli::run;

const FIXABLE: &str = "---\nchannel: linkedin-connection\n---\nHi [First Name],\n\nI saw your talk at {{event}} and loved it!! Would love to connect.\n";
/// Only an unsafe fix (writing a reason sentence) applies here.
const UNSAFE_ONLY: &str = "---\nchannel: linkedin-connection\n---\nHi {{first_name}},\n\nI saw your talk at {{event | default: \"the meetup\"}} and loved it.\n";

#[test]
fn fix_applies_safe_fixes_and_reports_them() {
    let dir = common::temp_dir("cli-fix-safe");
    std::fs::write(dir.join("a.outreach.md"), FIXABLE).unwrap();
    std::fs::write(dir.join("b.outreach.md"), UNSAFE_ONLY).unwrap();
    let o = run(&["check", "--fix", "--color", "never", "."], &dir);
    let err = String::from_utf8_lossy(&o.stderr);
    let fixed = std::fs::read_to_string(dir.join("a.outreach.md")).unwrap();
    assert_eq!(
        fixed,
        "---\nchannel: linkedin-connection\n---\nHi {{first_name}},\n\nI saw your talk at {{event | default: \"the event\"}} and loved it! Would love to connect.\n"
    );
    assert!(
        err.contains("fixed ./a.outreach.md:4:4: literal-placeholder: Replace with {{first_name}}"),
        "{err}"
    );
    assert!(err.contains("spam-formatting"), "{err}");
    // The unsafe-only file is untouched and is not listed as fixed.
    assert_eq!(
        std::fs::read_to_string(dir.join("b.outreach.md")).unwrap(),
        UNSAFE_ONLY
    );
    assert!(!err.contains("fixed ./b.outreach.md"), "{err}");
    assert!(err.contains("--unsafe-fixes"), "{err}");
    // What is left (no-reason in both) is reported as usual: exit 1.
    assert_eq!(o.status.code(), Some(1), "{err}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("no-reason") && !out.contains("literal-placeholder"),
        "{out}"
    );
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(&*dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn unsafe_fixes_are_opt_in() {
    let dir = common::temp_dir("cli-fix-unsafe");
    std::fs::write(dir.join("b.outreach.md"), UNSAFE_ONLY).unwrap();
    let o = run(&["check", "--fix", "--unsafe-fixes", "."], &dir);
    let err = String::from_utf8_lossy(&o.stderr);
    let fixed = std::fs::read_to_string(dir.join("b.outreach.md")).unwrap();
    assert!(fixed.contains("{{reason"), "{fixed}");
    assert!(err.contains("fixed ./b.outreach.md"), "{err}");
    // `--unsafe-fixes` without `--fix` is a usage error.
    let o = run(&["check", "--unsafe-fixes", "."], &dir);
    assert_eq!(o.status.code(), Some(2));
}
