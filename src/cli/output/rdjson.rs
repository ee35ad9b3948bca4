//! `--format rdjson`: reviewdog's Diagnostic Format (one `DiagnosticResult` object), so reviewdog can
//! post findings as review comments and offer the preferred fix as a suggestion. Columns are 1-based
//! UTF-8 byte counts, as that format defines them.

use std::io::{self, Write};

use super::super::check::Checked;
use crate::finding::Severity;
use crate::text::LineIndex;

pub fn write(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let mut diagnostics = Vec::new();
    for c in checked {
        if c.findings.is_empty() {
            continue;
        }
        let index = LineIndex::new(&c.text);
        for f in &c.findings {
            let at = super::Spot::of(&c.text, &index, f);
            let mut d = serde_json::json!({
                "message": f.message,
                "location": {
                    "path": super::repo_path(&c.path),
                    "range": {
                        "start": {"line": at.line, "column": at.byte_column},
                        "end": {"line": at.end_line, "column": at.end_byte_column},
                    }
                },
                "severity": severity(f.severity),
                "code": {"value": f.rule},
            });
            if let Some(fix) = f.fixes.iter().find(|x| x.preferred) {
                let suggestions: Vec<_> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "range": {
                                "start": position(&c.text, &index, e.span.start),
                                "end": position(&c.text, &index, e.span.end),
                            },
                            "text": e.replacement,
                        })
                    })
                    .collect();
                d["suggestions"] = serde_json::Value::Array(suggestions);
            }
            diagnostics.push(d);
        }
    }
    let doc = serde_json::json!({
        "source": {"name": "outreach-lsp", "url": "https://crates.io/crates/outreach-lsp"},
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn position(text: &str, index: &LineIndex, offset: usize) -> serde_json::Value {
    let offset = crate::text::floor_char_boundary(text, offset);
    let line = index.line_of(offset);
    serde_json::json!({"line": line + 1, "column": offset - index.line_start(line) + 1})
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info | Severity::Hint => "INFO",
    }
}
