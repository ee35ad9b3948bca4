//! `--format sarif`: one SARIF 2.1.0 log with every rule and every finding, for code-scanning UIs.

use std::io::{self, Write};

use super::super::check::Checked;
use crate::finding::Severity;

pub fn write(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let rules: Vec<_> = crate::rules::RULES
        .iter()
        .map(|r| {
            let d = r;
            serde_json::json!({
                "id": d.id,
                "name": d.id,
                "shortDescription": {"text": d.summary},
                "fullDescription": {"text": d.what},
                "help": {"text": d.fix, "markdown": d.markdown()},
                "defaultConfiguration": {"level": level(d.default_severity())},
            })
        })
        .collect();
    let results: Vec<_> = super::located(checked)
        .into_iter()
        .map(|(c, f, at)| {
            let rule_index = crate::rules::RULES.iter().position(|r| r.id == f.rule);
            serde_json::json!({
                "ruleId": f.rule,
                "ruleIndex": rule_index,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": super::repo_path(&c.path)},
                        "region": {
                            "startLine": at.line,
                            "startColumn": at.column,
                            "endLine": at.end_line,
                            "endColumn": at.end_column,
                        }
                    }
                }]
            })
        })
        .collect();
    let doc = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "outreach-lsp",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/outreach-lsp",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}
