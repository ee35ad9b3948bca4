//! `--format github`: GitHub Actions workflow commands (`::error file=…,line=…::message`), which the
//! runner turns into annotations on the pull request's lines. One line per finding, nothing else.

use std::io::{self, Write};

use super::super::check::Checked;
use crate::finding::Severity;

pub fn write(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    for (c, f, at) in super::located(checked) {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        let mut props = format!(
            "file={},line={},endLine={}",
            property(&super::repo_path(&c.path)),
            at.line,
            at.end_line
        );
        // The runner uses columns only for a range on one line.
        if at.line == at.end_line {
            props.push_str(&format!(",col={},endColumn={}", at.column, at.end_column));
        }
        props.push_str(&format!(
            ",title={}",
            property(&format!("outreach-lsp ({})", f.rule))
        ));
        writeln!(out, "::{command} {props}::{}", data(&f.message))?;
    }
    Ok(())
}

/// The runner reads `%`, CR and LF in a command's message as escapes, so they are written escaped.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values additionally end at `,` and `:`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(data("50% off\r\nnow"), "50%25 off%0D%0Anow");
        assert_eq!(property("a,b:c%"), "a%2Cb%3Ac%25");
    }
}
