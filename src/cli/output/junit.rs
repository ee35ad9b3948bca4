//! `--format junit`: JUnit XML as CI test-report views read it. One `<testsuite>` per checked template,
//! one failing `<testcase>` per finding, and one passing `<testcase>` for a template without findings
//! (so a clean run still lists what was checked). Schema in docs/ci.md (tests/schemas/junit.xsd).

use std::io::{self, Write};

use super::super::check::Checked;
use crate::text::LineIndex;

pub fn write(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let total_findings: usize = checked.iter().map(|c| c.findings.len()).sum();
    let total_cases: usize = checked.iter().map(|c| c.findings.len().max(1)).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="outreach-lsp" tests="{total_cases}" failures="{total_findings}" errors="0">"#
    )?;
    for c in checked {
        let path = attr(&super::repo_path(&c.path));
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{}" failures="{}" errors="0" skipped="0">"#,
            c.findings.len().max(1),
            c.findings.len()
        )?;
        if c.findings.is_empty() {
            writeln!(
                out,
                r#"    <testcase name="no problems" classname="{path}" file="{path}"/>"#
            )?;
        }
        let index = LineIndex::new(&c.text);
        for f in &c.findings {
            let at = super::Spot::of(&c.text, &index, f);
            writeln!(
                out,
                r#"    <testcase name="{} at {}:{}" classname="{path}" file="{path}" line="{}">"#,
                f.rule, at.line, at.column, at.line
            )?;
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}:{}:{}: {}[{}] {}</failure>"#,
                attr(&super::one_line(&f.message)),
                f.rule,
                path,
                at.line,
                at.column,
                f.severity.as_str(),
                f.rule,
                attr(&f.message)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// Text safe in an attribute or element: quick-xml escapes the markup characters; characters XML 1.0
/// forbids outright (most C0 controls, which a template may hold) become U+FFFD, since no escape
/// makes them legal.
fn attr(s: &str) -> String {
    let allowed: String = s
        .chars()
        .map(|ch| match ch {
            '\t' | '\n' | '\r' => ch,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect();
    quick_xml::escape::escape(allowed.as_str()).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_forbidden_controls() {
        assert_eq!(
            super::attr("a<b & \"c\"\u{0}"),
            "a&lt;b &amp; &quot;c&quot;\u{FFFD}"
        );
    }
}
