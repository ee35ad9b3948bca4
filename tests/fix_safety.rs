//! A fix never makes a message worse: over the whole corpus (and again as if sent from a free LinkedIn
//! account, where notes are limited to 200 characters), applying any safe fix, or a finding's preferred
//! fix, or every safe fix at once ("fix all"), adds no finding at warning or error level.

#[path = "common/files.rs"]
mod files;

use std::collections::BTreeMap;

use outreach_lsp::finding::{apply_edits, fix_all, Finding, Severity};
use outreach_lsp::model::Account;
use outreach_lsp::{lint, Config};

fn corpus() -> Vec<(String, String)> {
    files::corpus_templates()
}

/// Findings at warning or error level, counted by (rule, severity).
fn serious(findings: &[Finding]) -> BTreeMap<(&'static str, Severity), usize> {
    let mut m = BTreeMap::new();
    for f in findings.iter().filter(|f| f.severity >= Severity::Warning) {
        *m.entry((f.rule.as_str(), f.severity)).or_default() += 1;
    }
    m
}

/// The (rule, severity) pairs of `after` that outnumber those of `before`.
fn added(
    before: &BTreeMap<(&'static str, Severity), usize>,
    after: &BTreeMap<(&'static str, Severity), usize>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(k, n)| **n > before.get(k).copied().unwrap_or(0))
        .map(|((rule, sev), _)| format!("{rule} ({})", sev.as_str()))
        .collect()
}

fn configs() -> Vec<(&'static str, Config)> {
    let mut free = Config::default();
    free.account = Some(Account::Free);
    vec![("default", Config::default()), ("free account", free)]
}

#[test]
fn safe_and_preferred_fixes_add_no_warning_or_error() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (label, config) in configs() {
        for (name, text) in corpus() {
            let before = lint(&text, &config).findings;
            let base = serious(&before);
            for f in &before {
                let preferred = f.fixes.iter().filter(|x| x.preferred).count();
                if preferred > 1 {
                    failures.push(format!(
                        "{name} [{label}]: {} has {preferred} preferred fixes",
                        f.rule
                    ));
                }
                for fix in f.fixes.iter().filter(|x| x.is_safe() || x.preferred) {
                    let fixed = apply_edits(&text, &fix.edits).expect("fix applies");
                    checked += 1;
                    let new = added(&base, &serious(&lint(&fixed, &config).findings));
                    if !new.is_empty() {
                        failures.push(format!(
                            "{name} [{label}]: {} fix “{}” ({:?}) adds {}",
                            f.rule,
                            fix.title,
                            fix.applicability,
                            new.join(", ")
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} fixes were exercised");
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fix_all_adds_no_warning_or_error_and_removes_what_it_fixed() {
    let mut files_changed = 0;
    let mut failures = Vec::new();
    for (label, config) in configs() {
        for (name, text) in corpus() {
            let before = lint(&text, &config).findings;
            let (edits, taken) = fix_all(&before, false);
            if taken.is_empty() {
                continue;
            }
            assert!(taken.iter().all(|(_, fix)| fix.is_safe()));
            let fixed = apply_edits(&text, &edits).expect("fix-all edits apply together");
            files_changed += 1;
            let after = lint(&fixed, &config).findings;
            let new = added(&serious(&before), &serious(&after));
            if !new.is_empty() {
                failures.push(format!("{name} [{label}]: fix all adds {}", new.join(", ")));
            }
            // Each rule that had a fix applied has fewer findings afterwards.
            for (f, fix) in &taken {
                let count = |fs: &[Finding]| fs.iter().filter(|g| g.rule == f.rule).count();
                if count(&after) >= count(&before) {
                    failures.push(format!(
                        "{name} [{label}]: “{}” did not remove a {} finding",
                        fix.title, f.rule
                    ));
                }
            }
        }
    }
    assert!(
        files_changed > 20,
        "fix all changed only {files_changed} files"
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Editors show diagnostic messages as plain text: no Markdown code marks, and kinds named in words.
#[test]
fn messages_are_plain_text() {
    let mut seen = 0;
    for (label, config) in configs() {
        for (name, text) in corpus() {
            for f in lint(&text, &config).findings {
                seen += 1;
                assert!(
                    !f.message.contains('`'),
                    "{name} [{label}]: {}: {}",
                    f.rule,
                    f.message
                );
                for id in [
                    "connection-request",
                    "follow-up message",
                    "accept-reply",
                    "context-request",
                ] {
                    assert!(
                        !f.message.contains(&format!("this {id}")),
                        "{name} [{label}]: {}: {}",
                        f.rule,
                        f.message
                    );
                }
            }
        }
    }
    assert!(seen > 300, "only {seen} findings");
}
