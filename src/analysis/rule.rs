//! What a rule is: its id, its severity per message kind, what it reads (its check and scope), the
//! patterns it matches, and its documentation. Every rule is one `static` of this type in its own file
//! under `src/rules/`; hover, `explain`, the docs pages and the README table are generated from it.

use std::ops::Range;
use std::sync::LazyLock;

use super::Context;
use crate::finding::{Finding, RuleId, Severity};
use crate::model::{Kind, Message};
use crate::phrases::PhraseSet;

/// Where the rule's docs page lives (the target of an editor's link from a diagnostic).
pub const DOCS_BASE: &str = "https://github.com/outreach-lsp/outreach-lsp/blob/main/docs/rules/";

pub struct Rule {
    pub id: RuleId,
    /// The rule's severity for a message kind, or `None` where it does not apply (its checks are then
    /// not run for such messages). Configuration overrides it afterwards.
    pub severity: fn(Kind) -> Option<Severity>,
    pub check: Check,
    /// The phrase sets the rule matches with `Context::matches`. They are registered with the matcher
    /// that scans each message once for every rule.
    pub phrases: &'static [&'static LazyLock<PhraseSet>],
    /// The rule reads English phrasing: on a message in another language it is not run (and
    /// `unsupported-language` says so once), until a language pack exists.
    pub english: bool,
    /// One line for tables.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    /// A whole template that triggers the rule.
    pub bad: &'static str,
    /// A whole template that does not.
    pub good: &'static str,
    pub fix: &'static str,
    /// Settings beyond the severity (`extra_phrases`, thresholds), or "".
    pub options: &'static str,
    /// What the rule is known to get wrong or not to see, or "".
    pub limitations: &'static str,
}

type FileCheck = fn(&Context<'_>, &mut Vec<Finding>);

/// What a rule reads, and so what the lint cache may reuse after an edit.
#[derive(Clone, Copy)]
pub enum Check {
    /// One message, reading only inside it: its findings are kept per message while other messages
    /// are edited.
    Message(fn(&Context<'_>, &Message, &mut Vec<Finding>)),
    /// The whole file, prose included: run on every lint.
    File(FileCheck),
    /// Only the file's structure (front matter, placeholders, syntax errors, message kinds) and the
    /// inputs, never its prose. Typing in prose keeps the structure (`Template::reparse`), so the
    /// previous findings are moved instead of checked again.
    FileStructure(FileCheck),
    /// Each finding lies within one line and depends only on that line and the structure: after typing
    /// only the edited line is checked again (`lines`, with a byte range of whole lines).
    FileLines {
        file: FileCheck,
        lines: fn(&Context<'_>, Range<usize>, &mut Vec<Finding>),
    },
    /// Reported by the lint itself (file size, unused suppressions).
    Lint,
}

impl Check {
    /// The scope in words, for the docs.
    pub fn scope(&self) -> &'static str {
        match self {
            Check::Message(_) => "one message at a time",
            Check::File(_) => "the whole file",
            Check::FileStructure(_) => {
                "the file's structure (front matter, placeholders, message kinds)"
            }
            Check::FileLines { .. } => "one line at a time",
            Check::Lint => "the file as a whole, after the other rules",
        }
    }
}

impl Rule {
    /// The most severe of the rule's per-kind severities (what SARIF and `rules` list).
    pub fn default_severity(&self) -> Severity {
        Kind::ALL
            .into_iter()
            .filter_map(self.severity)
            .max()
            .unwrap_or(Severity::Info)
    }

    /// The severity per kind in words, generated from `severity`: "warning", or "warning for
    /// connection request, InMail; off for other kinds".
    pub fn severity_summary(&self) -> String {
        let per_kind: Vec<(Kind, Option<Severity>)> = Kind::ALL
            .into_iter()
            .map(|k| (k, (self.severity)(k)))
            .collect();
        if per_kind.iter().all(|(_, s)| *s == per_kind[0].1) {
            return per_kind[0].1.map_or("off", Severity::as_str).to_string();
        }
        let mut levels: Vec<Severity> = per_kind.iter().filter_map(|(_, s)| *s).collect();
        levels.sort_by(|a, b| b.cmp(a));
        levels.dedup();
        let mut parts: Vec<String> = levels
            .into_iter()
            .map(|level| {
                let kinds: Vec<&str> = per_kind
                    .iter()
                    .filter(|(_, s)| *s == Some(level))
                    .map(|(k, _)| k.in_words())
                    .collect();
                format!("{} for {}", level.as_str(), kinds.join(", "))
            })
            .collect();
        if per_kind.iter().any(|(_, s)| s.is_none()) {
            parts.push("off for other kinds".into());
        }
        parts.join("; ")
    }

    /// The rule's page under `docs/rules/`.
    pub fn url(&self) -> String {
        format!("{DOCS_BASE}{}.md", self.id)
    }

    /// How to switch the rule off, the same for every rule.
    pub fn how_to_disable(&self) -> String {
        format!(
            "- one line: `<!-- outreach-lsp-disable-next-line {id} -- why -->` above it\n\
             - a block: `<!-- outreach-lsp-disable {id} -->` … `<!-- outreach-lsp-enable -->`\n\
             - one file: `disable: [{id}]` in the front matter\n\
             - everywhere: `[rules]` `{id} = \"off\"` in `.outreach.toml` (or the editor setting `outreach.rules` in VS Code, `rules` in the server settings elsewhere)",
            id = self.id
        )
    }

    /// The full Markdown documentation (`explain`, hover, `docs/rules/<id>.md`).
    pub fn markdown(&self) -> String {
        let section = |title: &str, body: &str| {
            if body.is_empty() {
                String::new()
            } else {
                format!("\n## {title}\n\n{body}\n")
            }
        };
        format!(
            "# {id}\n\n{summary}. Default severity: **{severity}**. Reads {scope}.\n\n## What it does\n\n{what}\n\n## Why it matters\n\n{why}\n\n## Example\n\nFlagged:\n\n```markdown\n{bad}\n```\n\nBetter:\n\n```markdown\n{good}\n```\n\n## How to fix\n\n{fix}\n{options}{limitations}\n## How to disable\n\n{disable}\n",
            id = self.id,
            summary = self.summary,
            severity = self.severity_summary(),
            scope = self.check.scope(),
            what = self.what,
            why = self.why,
            bad = self.bad.trim_end(),
            good = self.good.trim_end(),
            fix = self.fix,
            options = section("Options", self.options),
            limitations = section("Known limitations", self.limitations),
            disable = self.how_to_disable(),
        )
    }
}
