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
