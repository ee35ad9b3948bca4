//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues), for the merge request
//! widget. Schema in docs/ci.md.

use std::collections::HashMap;
use std::hash::Hasher;
use std::io::{self, Write};

use super::super::check::Checked;
use crate::finding::Severity;

pub fn write(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let issues: Vec<_> = super::located(checked)
        .into_iter()
        .map(|(c, f, at)| {
            let path = super::repo_path(&c.path);
            let flagged = c.text.get(f.span.clone()).unwrap_or_default();
            let base = fingerprint(&[&path, f.rule.as_str(), &f.message, flagged]);
            // Identical findings in one file (the same phrase twice) still need distinct fingerprints.
            let n = seen.entry(base).or_insert(0);
            *n += 1;
            let fingerprint = if *n == 1 {
                format!("{base:016x}")
            } else {
                format!(
                    "{:016x}",
                    fingerprint(&[&format!("{base:016x}"), &n.to_string()])
                )
            };
            serde_json::json!({
                "type": "issue",
                "check_name": f.rule,
                "description": f.message,
                "categories": ["Style"],
                "severity": severity(f.severity),
                "fingerprint": fingerprint,
                "location": {
                    "path": path,
                    "positions": {
                        "begin": {"line": at.line, "column": at.column},
                        "end": {"line": at.end_line, "column": at.end_column},
                    }
                }
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

/// GitLab compares fingerprints between the target branch and the merge request to tell new findings
/// from old ones, so they are built from what the finding is (file, rule, message, flagged text) and
/// not from its line, which moves when lines are added above it. FNV-1a is a fixed, published hash,
/// so fingerprints stay the same across builds and Rust versions.
fn fingerprint(parts: &[&str]) -> u64 {
    let mut h = fnv::FnvHasher::default();
    for p in parts {
        h.write(p.as_bytes());
        h.write(&[0]);
    }
    h.finish()
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info | Severity::Hint => "info",
    }
}
