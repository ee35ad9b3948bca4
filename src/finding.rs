//! What the core reports: findings with byte spans, and the fixes that go with them.

use std::ops::Range;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "hint" => Some(Severity::Hint),
            "info" | "information" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A configured rule level: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        if s == "off" {
            Some(Level::Off)
        } else {
            Severity::parse(s).map(Level::On)
        }
    }
}

/// One text replacement, in byte offsets of the document the finding was computed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            span: at..at,
            replacement: text.into(),
        }
    }
    pub fn replace(span: Range<usize>, text: impl Into<String>) -> Edit {
        Edit {
            span,
            replacement: text.into(),
        }
    }
}

/// Whether a fix can be applied without a person reading it (as in ruff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Replaces exactly what the finding names with the obvious thing (a misspelt placeholder, `!!`
    /// to `!`) and makes nothing else worse: "fix all", `check --fix` and fix-on-save apply it.
    Safe,
    /// Writes new words or changes what the message says: only applied when chosen by hand (or with
    /// `check --fix --unsafe-fixes`).
    Unsafe,
}

/// A proposed change that resolves a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    /// The one fix an editor may apply on the preferred quick-fix key; at most one per finding.
    pub preferred: bool,
    pub applicability: Applicability,
}

impl Fix {
    /// An unsafe fix (the conservative default); rules mark the obvious replacements `.safe()`.
    pub fn new(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            preferred: false,
            applicability: Applicability::Unsafe,
        }
    }
    pub fn preferred(mut self) -> Fix {
        self.preferred = true;
        self
    }
    pub fn safe(mut self) -> Fix {
        self.applicability = Applicability::Safe;
        self
    }
    pub fn is_safe(&self) -> bool {
        self.applicability == Applicability::Safe
    }
}

/// The edits of every safe fix of `findings` (unsafe ones too when `unsafe_fixes`), one fix per
/// finding (its preferred one if that qualifies, else its first qualifying one), leaving out any fix
/// whose edits overlap one already taken. Returns the edits and the titles of the fixes taken.
pub fn fix_all<'f>(
    findings: impl IntoIterator<Item = &'f Finding>,
    unsafe_fixes: bool,
) -> (Vec<Edit>, Vec<(&'f Finding, &'f Fix)>) {
    let mut edits: Vec<Edit> = Vec::new();
    let mut taken = Vec::new();
    for f in findings {
        let allowed = |x: &&Fix| x.is_safe() || unsafe_fixes;
        let Some(fix) = f
            .fixes
            .iter()
            .filter(allowed)
            .find(|x| x.preferred)
            .or_else(|| f.fixes.iter().find(allowed))
        else {
            continue;
        };
        // Two insertions at one offset, or overlapping replacements, would depend on each other.
        let clashes = fix.edits.iter().any(|e| {
            edits.iter().any(|o| {
                crate::text::overlaps(&e.span, &o.span)
                    || e.span.start == o.span.start
                    || (e.span.is_empty() && o.span.contains(&e.span.start))
                    || (o.span.is_empty() && e.span.contains(&o.span.start))
            })
        });
        // A fix that is offered twice (two findings proposing the same edit) is applied once.
        if fix.edits.iter().all(|e| edits.contains(e)) {
            continue;
        }
        if clashes {
            continue;
        }
        edits.extend(fix.edits.iter().cloned());
        taken.push((f, fix));
    }
    (edits, taken)
}

/// A rule's id (`no-reason`). Only rule definitions make one (`RuleId::new` in `src/rules/`), so code
/// compares findings with a rule's own id instead of a string it spelled again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(&'static str);

impl RuleId {
    pub(crate) const fn new(id: &'static str) -> RuleId {
        RuleId(id)
    }
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// One problem in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub span: Range<usize>,
    pub message: String,
    pub fixes: Vec<Fix>,
}

/// A message for people: inline code spans (`x`) become quoted (“x”), since editors show diagnostic
/// messages as plain text.
pub fn plain_text(message: &str) -> String {
    if !message.contains('`') {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len() + 8);
    let mut open = false;
    for c in message.chars() {
        if c == '`' {
            out.push(if open { '”' } else { '“' });
            open = !open;
        } else {
            out.push(c);
        }
    }
    out
}

/// Applies non-overlapping edits to a text (used by tests, `check --fix` previews and the fix property test).
pub fn apply_edits(text: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        if e.span.start < at
            || e.span.end > text.len()
            || e.span.start > e.span.end
            || !text.is_char_boundary(e.span.start)
            || !text.is_char_boundary(e.span.end)
        {
            return None;
        }
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}
