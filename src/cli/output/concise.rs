//! `--format concise`: `path:line:col: severity[rule] message`, one line per finding (the shape
//! `errorformat`, Vim's quickfix list and editors' generic linter plugins parse), then the summary line.

use std::io::{self, Write};

use super::super::check::Checked;

pub fn write(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    for (c, f, at) in super::located(checked) {
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            c.path.display(),
            at.line,
            at.column,
            f.severity.as_str(),
            f.rule,
            super::one_line(&f.message)
        )?;
    }
    writeln!(out, "{}", super::summary_line(checked))
}
