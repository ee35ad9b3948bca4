//! `--format human`: source lines with caret underlines (codespan-reporting), then the summary line.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

use super::super::check::Checked;
use super::super::ColorWhen;
use crate::finding::Severity;

fn cs_severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
        Severity::Hint => CsSeverity::Help,
    }
}

pub fn write(checked: &[Checked], color: ColorWhen) -> io::Result<()> {
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
    for c in checked {
        if c.findings.is_empty() {
            continue;
        }
        let id = files.add(c.path.display().to_string(), c.text.as_str());
        for f in &c.findings {
            let mut d = Diagnostic::new(cs_severity(f.severity))
                .with_message(&f.message)
                .with_code(f.rule)
                .with_labels(vec![Label::primary(id, f.span.clone())]);
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
    writeln!(out, "{}", super::summary_line(checked))
}
