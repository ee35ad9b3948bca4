use crate::finding::Severity;
use crate::rules::{Check, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("file-too-large"),
    severity: |_| Some(Severity::Info),
    check: Check::Lint,
    phrases: &[],
    english: false,
    summary: "A file over `max_file_size` (4 MiB by default) is not checked",
    what: "Instead of linting a file larger than the configured limit, reports one informational finding on its first line.",
    why: "Templates are short. A multi-megabyte file matched by a glob is almost always a log or an export, and checking it on every keystroke would freeze the editor for nothing.",
    bad: "(a 5 MiB export named leads.outreach.txt)",
    good: "(templates of a few kilobytes)",
    fix: "Exclude the file in `.outreach.toml` (`exclude = [\"exports/**\"]`) or raise `max_file_size`.",
    options: "`max_file_size = 4194304` (bytes) in `.outreach.toml`, or `maxFileSize` in editor settings.",
    limitations: "",
};



