//! Labelled template corpora (`tests/corpus/`, `tests/realworld/`): loading each `<name>.outreach.md` with
//! its `<name>.expected` sidecar, linting it the way the CLI does, and scoring findings per rule.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use outreach_lsp::finding::Severity;
use outreach_lsp::text::LineIndex;
use outreach_lsp::Config;

/// (line, rule) pairs, 1-based lines.
pub type Findings = Vec<(usize, String)>;

/// One template and the findings a reviewer expects for it.
pub struct Labelled {
    /// The file name without `.outreach.md`.
    pub name: String,
    pub text: String,
    pub expect: Findings,
}

/// Every `*.outreach.md` in `dir` (sorted by name) with its sidecar; panics on a missing or malformed
/// sidecar, or one naming an unknown rule, so a labelling mistake cannot pass silently.
pub fn load(dir: &Path) -> Vec<Labelled> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{} is not readable: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".outreach.md"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let stem = name.trim_end_matches(".outreach.md");
        let sidecar = std::fs::read_to_string(dir.join(format!("{stem}.expected")))
            .unwrap_or_else(|_| panic!("{stem}.expected is missing"));
        let mut expect = Vec::new();
        for line in sidecar.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (n, rule) = line
                .split_once(' ')
                .unwrap_or_else(|| panic!("{stem}: bad line {line:?}"));
            let n: usize = n
                .parse()
                .unwrap_or_else(|_| panic!("{stem}: bad line number {line:?}"));
            assert!(
                outreach_lsp::rules::find(rule.trim()).is_some(),
                "{stem}: unknown rule {rule}"
            );
            expect.push((n, rule.trim().to_string()));
        }
        out.push(Labelled {
            name: stem.to_string(),
            text,
            expect,
        });
    }
    out
}

/// What the linter reports for `text` with the default configuration, and whether nothing reaches warning.
pub fn actual(text: &str) -> (Findings, bool) {
    let result = outreach_lsp::lint(text, &Config::default());
    let index = LineIndex::new(text);
    let clean = result
        .findings
        .iter()
        .all(|f| f.severity < Severity::Warning);
    (
        result
            .findings
            .iter()
            .map(|f| (index.line_of(f.span.start) + 1, f.rule.to_string()))
            .collect(),
        clean,
    )
}

/// True positives, false positives and false negatives of one rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fneg: usize,
}

impl Counts {
    /// 1.0 when the rule reported nothing (no false positive either).
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }

    /// 1.0 when nothing was expected of the rule.
    pub fn recall(&self) -> f64 {
        if self.tp + self.fneg == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fneg) as f64
        }
    }

    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fneg += o.fneg;
    }
}

/// A difference between the labels and the linter for one template.
pub struct Mismatch {
    pub name: String,
    /// Expected but not reported.
    pub missing: Findings,
    /// Reported but not expected.
    pub unexpected: Findings,
}

/// The comparison of a whole corpus.
pub struct Score {
    pub per_rule: BTreeMap<String, Counts>,
    pub mismatches: Vec<Mismatch>,
    /// Templates named `*good*` that expect nothing and get nothing at warning or above.
    pub clean_good: usize,
}

impl Score {
    /// Micro-averaged over every rule.
    pub fn overall(&self) -> Counts {
        let mut all = Counts::default();
        for c in self.per_rule.values() {
            all.add(*c);
        }
        all
    }

    /// The per-rule table, the overall row and every mismatch, as printed by the corpus tests.
    pub fn report(&self, templates: usize) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<26} {:>4} {:>4} {:>4} {:>9} {:>7}",
            "rule", "tp", "fp", "fn", "precision", "recall"
        );
        for (rule, c) in &self.per_rule {
            let _ = writeln!(
                s,
                "{rule:<26} {:>4} {:>4} {:>4} {:>9.2} {:>7.2}",
                c.tp,
                c.fp,
                c.fneg,
                c.precision(),
                c.recall()
            );
        }
        let o = self.overall();
        let _ = writeln!(
            s,
            "{:<26} {:>4} {:>4} {:>4} {:>9.2} {:>7.2}   ({templates} templates)",
            "OVERALL",
            o.tp,
            o.fp,
            o.fneg,
            o.precision(),
            o.recall()
        );
        for m in &self.mismatches {
            for (line, rule) in &m.missing {
                let _ = writeln!(
                    s,
                    "{}.outreach.md:{line} {rule}: expected, not reported",
                    m.name
                );
            }
            for (line, rule) in &m.unexpected {
                let _ = writeln!(
                    s,
                    "{}.outreach.md:{line} {rule}: reported, not expected",
                    m.name
                );
            }
        }
        s
    }
}

/// Lints every template and compares with its labels. With `once_per_line`, a rule counts at most once per
/// line on both sides (sidecars there label a line, not each stand-in on it); otherwise each reported
/// finding must match its own expected line.
pub fn score(corpus: &[Labelled], once_per_line: bool) -> Score {
    let mut per_rule: BTreeMap<String, Counts> = BTreeMap::new();
    let mut mismatches = Vec::new();
    let mut clean_good = 0;
    for t in corpus {
        let (mut got, clean) = actual(&t.text);
        let mut expect = t.expect.clone();
        if once_per_line {
            got.sort();
            got.dedup();
            expect.sort();
            expect.dedup();
        }
        if t.expect.is_empty() && clean && t.name.contains("good") {
            clean_good += 1;
        }
        let mut missing = Vec::new();
        for e in expect {
            match got.iter().position(|g| *g == e) {
                Some(i) => {
                    got.remove(i);
                    per_rule.entry(e.1.clone()).or_default().tp += 1;
                }
                None => {
                    per_rule.entry(e.1.clone()).or_default().fneg += 1;
                    missing.push(e);
                }
            }
        }
        for g in &got {
            per_rule.entry(g.1.clone()).or_default().fp += 1;
        }
        if !missing.is_empty() || !got.is_empty() {
            mismatches.push(Mismatch {
                name: t.name.clone(),
                missing,
                unexpected: got,
            });
        }
    }
    Score {
        per_rule,
        mismatches,
        clean_good,
    }
}
