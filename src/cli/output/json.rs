//! `--format json`: an array of findings with 1-based char positions (schema in docs/ci.md).

use std::io::{self, Write};

use super::super::check::Checked;

pub fn write(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let items: Vec<_> = super::located(checked)
        .into_iter()
        .map(|(c, f, at)| {
            serde_json::json!({
                "file": c.path.display().to_string(),
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "message": f.message,
                "line": at.line,
                "column": at.column,
                "end_line": at.end_line,
                "end_column": at.end_column,
                "fixes": f.fixes.iter().map(|x| x.title.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}
