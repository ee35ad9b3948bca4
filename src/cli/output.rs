//! Output formats of `check`: human (rendered by codespan-reporting), JSON and SARIF 2.1.0.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

use super::check::Checked;
use super::ColorWhen;
use crate::finding::Severity;
use crate::text::{line_col_chars, LineIndex};

/// A checked file's text as lines and columns are shown: a lone CR ends a line, as in the editor.
/// (Templates are read without a BOM, so line 1's columns need no correction.)
struct Shown {
    text: String,
}

impl Shown {
    fn of(text: &str) -> Shown {
        // Same length: every byte offset keeps its place.
        let mut bytes = text.as_bytes().to_vec();
        for i in memchr::memchr_iter(b'\r', text.as_bytes()) {
            if text.as_bytes().get(i + 1) != Some(&b'\n') {
                bytes[i] = b'\n';
            }
        }
        Shown {
            text: String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()),
        }
    }

    fn offset(&self, original: usize) -> usize {
        original.min(self.text.len())
    }
}

fn cs_severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
        Severity::Hint => CsSeverity::Help,
    }
}

pub fn human(checked: &[Checked], color: ColorWhen) -> io::Result<()> {
    let choice = match color {
        ColorWhen::Always => termcolor::ColorChoice::Always,
        ColorWhen::Never => termcolor::ColorChoice::Never,
        ColorWhen::Auto => {
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                termcolor::ColorChoice::Auto
            } else {
                termcolor::ColorChoice::Never
            }
        }
    };
    let stream = termcolor::StandardStream::stdout(choice);
    let mut out = stream.lock();
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    let mut counts = [0usize; 4];
    let shown: Vec<Shown> = checked.iter().map(|c| Shown::of(&c.text)).collect();
    for (c, shown) in checked.iter().zip(&shown) {
        if c.findings.is_empty() {
            continue;
        }
        let id = files.add(c.path.display().to_string(), shown.text.as_str());
        for f in &c.findings {
            counts[f.severity as usize] += 1;
            let span = shown.offset(f.span.start)..shown.offset(f.span.end);
            let mut d = Diagnostic::new(cs_severity(f.severity))
                .with_message(&f.message)
                .with_code(f.rule)
                .with_labels(vec![Label::primary(id, span)]);
            if let Some(fix) = f.fixes.iter().find(|x| x.preferred) {
                d = d.with_notes(vec![format!("fix: {}", fix.title)]);
            }
            term::emit_to_write_style(&mut out, &config, &files, &d).map_err(|e| match e {
                // Keep the kind: a closed pipe (`check | head`) is not an error to report.
                codespan_reporting::files::Error::Io(e) => e,
                e => io::Error::other(e.to_string()),
            })?;
        }
    }
    let total: usize = counts.iter().sum();
    let files_with = checked.iter().filter(|c| !c.findings.is_empty()).count();
    if total == 0 {
        writeln!(
            out,
            "No problems found in {} template{}.",
            checked.len(),
            plural(checked.len())
        )?;
    } else {
        writeln!(
            out,
            "Found {total} problem{} in {files_with} of {} template{}: {} error{}, {} warning{}, {} info.",
            plural(total),
            checked.len(),
            plural(checked.len()),
            counts[3],
            plural(counts[3]),
            counts[2],
            plural(counts[2]),
            counts[1] + counts[0],
        )?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// 1-based start and end (line, column in chars) of a finding.
fn position(
    shown: &Shown,
    index: &LineIndex,
    f: &crate::finding::Finding,
) -> (usize, usize, usize, usize) {
    let (l, col) = line_col_chars(&shown.text, index, shown.offset(f.span.start));
    let (el, ecol) = line_col_chars(&shown.text, index, shown.offset(f.span.end));
    (l, col, el, ecol)
}

pub fn json(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let mut items = Vec::new();
    for c in checked {
        let shown = Shown::of(&c.text);
        let index = LineIndex::new(&shown.text);
        for f in &c.findings {
            let (line, column, end_line, end_column) = position(&shown, &index, f);
            items.push(serde_json::json!({
                "file": c.path.display().to_string(),
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "message": f.message,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "fixes": f.fixes.iter().map(|x| x.title.clone()).collect::<Vec<_>>(),
            }));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

pub fn sarif(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
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
                "defaultConfiguration": {"level": sarif_level(d.default_severity())},
            })
        })
        .collect();
    let mut results = Vec::new();
    for c in checked {
        let shown = Shown::of(&c.text);
        let index = LineIndex::new(&shown.text);
        for f in &c.findings {
            let (line, column, end_line, end_column) = position(&shown, &index, f);
            let rule_index = crate::rules::RULES.iter().position(|r| r.id == f.rule);
            results.push(serde_json::json!({
                "ruleId": f.rule,
                "ruleIndex": rule_index,
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_path(&c.path)},
                        "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}
                    }
                }]
            }));
        }
    }
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

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn uri_path(p: &std::path::Path) -> String {
    let s = p.display().to_string().replace('\\', "/");
    s.strip_prefix("./").unwrap_or(&s).to_string()
}
