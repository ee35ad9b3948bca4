//! Suppression comments: `<!-- outreach-lsp-disable … -->`, `…-enable`, `…-disable-next-line`, and the
//! front matter `disable:` list. Each remembers whether it silenced anything.

use std::ops::Range;

use crate::model::Template;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Block,
    NextLine,
    File,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The comment (or front matter list item) that says it.
    pub span: Range<usize>,
    /// Rule ids; empty means every rule.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// The bytes it covers.
    pub covers: Range<usize>,
    pub scope: Scope,
}

impl Suppression {
    pub fn applies(&self, rule: &str, at: usize) -> bool {
        self.covers.start <= at
            && at < self.covers.end.max(self.covers.start + 1)
            && (self.rules.is_empty() || self.rules.iter().any(|r| r == rule))
    }
}

const PREFIX: &str = "outreach-lsp-";

fn parse_directive(inner: &str) -> Option<(&str, Vec<String>, Option<String>)> {
    let rest = inner.strip_prefix(PREFIX)?;
    let (head, reason) = match rest.split_once("--") {
        Some((h, r)) => (h, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
        None => (rest, None),
    };
    let head = head.trim();
    let (verb, names) = head.split_once(char::is_whitespace).unwrap_or((head, ""));
    let rules = names
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    Some((verb, rules, reason))
}

/// Collects the template's suppressions, in source order.
pub fn collect(t: &Template<'_>) -> Vec<Suppression> {
    let mut out = Vec::new();
    if let Some(s) = t.settings() {
        for (id, span) in &s.disable {
            out.push(Suppression {
                span: span.clone(),
                rules: vec![id.clone()],
                reason: None,
                covers: 0..t.text.len(),
                scope: Scope::File,
            });
        }
    }
    let mut open: Vec<usize> = Vec::new();
    for c in &t.comments {
        let Some((verb, rules, reason)) = parse_directive(&t.text[c.inner.clone()]) else {
            continue;
        };
        match verb {
            "disable" => {
                open.push(out.len());
                out.push(Suppression {
                    span: c.span.clone(),
                    rules,
                    reason,
                    covers: c.span.end..t.text.len(),
                    scope: Scope::Block,
                });
            }
            "disable-next-line" => {
                let line = t.lines.line_of(c.span.end.saturating_sub(1));
                let next = t.lines.line_span(t.text, line + 1);
                out.push(Suppression {
                    span: c.span.clone(),
                    rules,
                    reason,
                    covers: next,
                    scope: Scope::NextLine,
                });
            }
            "enable" => {
                open.retain(|&i| {
                    let s = &mut out[i];
                    let closes = rules.is_empty()
                        || s.rules.is_empty()
                        || s.rules.iter().any(|r| rules.contains(r));
                    if closes {
                        s.covers.end = c.span.start;
                    }
                    !closes
                });
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        let text = "<!-- outreach-lsp-disable a, b -- legacy copy -->\nx\n<!-- outreach-lsp-enable -->\n<!-- outreach-lsp-disable-next-line c -->\ny\nz\n";
        let t = Template::parse(text);
        let s = collect(&t);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].rules, vec!["a", "b"]);
        assert_eq!(s[0].reason.as_deref(), Some("legacy copy"));
        let x = text.find("\nx\n").unwrap() + 1;
        let y = text.find("\ny\n").unwrap() + 1;
        let z = text.find("\nz\n").unwrap() + 1;
        assert!(s[0].applies("a", x));
        assert!(!s[0].applies("a", y));
        assert!(s[1].applies("c", y));
        assert!(!s[1].applies("c", z));
    }
}

/// Fixes that silence a finding: on its line (a comment above it) and in the whole file (front matter).
pub fn disable_fixes(t: &Template<'_>, rule: &str, at: usize) -> Vec<crate::finding::Fix> {
    use crate::finding::{Edit, Fix};
    let mut fixes = Vec::new();
    let in_front_matter = t.front_matter.as_ref().is_some_and(|f| at < f.span.end);
    if !in_front_matter {
        let line = t.lines.line_of(at);
        let start = t.lines.line_start(line);
        let line_text = &t.text[t.lines.line_span(t.text, line)];
        let indent: String = line_text
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        fixes.push(Fix::new(
            format!("Disable {rule} for this line"),
            vec![Edit::insert(
                start,
                format!("{indent}<!-- outreach-lsp-disable-next-line {rule} -->\n"),
            )],
        ));
    }
    let edit = match &t.front_matter {
        Some(fm) => match &fm.settings.disable_span {
            Some(span) if fm.settings.disable.iter().any(|(r, _)| r == rule) => {
                let _ = span;
                return fixes;
            }
            Some(span) if !span.is_empty() => {
                let mut ids: Vec<&str> = fm.settings.disable.iter().map(|(r, _)| r.as_str()).collect();
                ids.push(rule);
                // Block lists end with their line break; keep it.
                let end = span.start + t.text[span.clone()].trim_end().len();
                Edit::replace(span.start..end, format!("[{}]", ids.join(", ")))
            }
            _ => match fm.entries.iter().find(|(k, _)| matches!(&k.value, crate::model::front_matter::Value::Scalar(s) if s == "disable")) {
                // `disable:` with no value.
                Some((k, _)) => Edit::insert(k.span.end + 1, format!(" [{rule}]")),
                None => Edit::insert(fm.yaml_span.end, format!("disable: [{rule}]\n")),
            },
        },
        None => {
            let at = if t.text.starts_with('\u{feff}') { 3 } else { 0 };
            Edit::insert(at, format!("---\ndisable: [{rule}]\n---\n"))
        }
    };
    fixes.push(Fix::new(
        format!("Disable {rule} for this file"),
        vec![edit],
    ));
    fixes
}

#[cfg(test)]
mod disable_tests {
    use super::*;
    use crate::finding::apply_edits;

    fn file_fix(text: &str) -> String {
        let t = Template::parse(text);
        let fixes = disable_fixes(&t, "sales-pitch", text.len().saturating_sub(1));
        let f = fixes.iter().find(|f| f.title.ends_with("file")).unwrap();
        apply_edits(text, &f.edits).unwrap()
    }

    #[test]
    fn file_level() {
        assert_eq!(file_fix("Hi\n"), "---\ndisable: [sales-pitch]\n---\nHi\n");
        assert_eq!(
            file_fix("---\nchannel: email\n---\nHi\n"),
            "---\nchannel: email\ndisable: [sales-pitch]\n---\nHi\n"
        );
        assert_eq!(
            file_fix("---\ndisable: [self-focused]\n---\nHi\n"),
            "---\ndisable: [self-focused, sales-pitch]\n---\nHi\n"
        );
        let out = file_fix("---\ndisable:\n  - self-focused\n---\nHi\n");
        let t = Template::parse(&out);
        assert_eq!(t.settings().unwrap().disable.len(), 2, "{out}");
    }

    #[test]
    fn line_level() {
        let text = "Hi\n  buy now\n";
        let t = Template::parse(text);
        let fixes = disable_fixes(&t, "sales-pitch", 5);
        let out = apply_edits(text, &fixes[0].edits).unwrap();
        assert_eq!(
            out,
            "Hi\n  <!-- outreach-lsp-disable-next-line sales-pitch -->\n  buy now\n"
        );
    }
}
