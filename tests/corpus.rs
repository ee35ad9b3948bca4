//! Precision and recall of every rule over the hand-written corpus in `tests/corpus/`.

use std::collections::BTreeMap;
use std::path::Path;

use outreach_lsp::finding::Severity;
use outreach_lsp::text::LineIndex;
use outreach_lsp::Config;

/// (line, rule) pairs, 1-based lines.
type Expect = Vec<(usize, String)>;

fn corpus() -> Vec<(String, String, Expect)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".outreach.md"))
        .collect();
    names.sort();
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
        out.push((stem.to_string(), text, expect));
    }
    out
}

fn actual(text: &str) -> (Expect, bool) {
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

#[test]
fn corpus_precision_and_recall_per_rule() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 80,
        "the corpus needs at least 80 templates, has {}",
        corpus.len()
    );
    // rule -> (true positives, false positives, false negatives)
    let mut stats: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut report = Vec::new();
    let mut clean_good = 0;
    for (name, text, expect) in &corpus {
        let (mut got, clean) = actual(text);
        if expect.is_empty() && clean && name.contains("good") {
            clean_good += 1;
        }
        let mut missing = Vec::new();
        for e in expect {
            match got.iter().position(|g| g == e) {
                Some(i) => {
                    got.remove(i);
                    stats.entry(e.1.clone()).or_default().0 += 1;
                }
                None => {
                    stats.entry(e.1.clone()).or_default().2 += 1;
                    missing.push(e.clone());
                }
            }
        }
        for g in &got {
            stats.entry(g.1.clone()).or_default().1 += 1;
        }
        if !missing.is_empty() || !got.is_empty() {
            report.push(format!("{name}: missing {missing:?}, unexpected {got:?}"));
        }
    }
    let mut failures = Vec::new();
    println!(
        "{:<26} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "rule", "tp", "fp", "fn", "precision", "recall"
    );
    for (rule, (tp, fp, fneg)) in &stats {
        let precision = *tp as f64 / (*tp + *fp).max(1) as f64;
        let recall = *tp as f64 / (*tp + *fneg).max(1) as f64;
        println!("{rule:<26} {tp:>4} {fp:>4} {fneg:>4} {precision:>9.2} {recall:>7.2}");
        if precision < 0.9 || recall < 0.9 {
            failures.push(format!(
                "{rule}: precision {precision:.2}, recall {recall:.2}"
            ));
        }
    }
    for r in &report {
        println!("{r}");
    }
    // Every etiquette and template rule must be exercised by the corpus.
    for rule in outreach_lsp::rules::ids() {
        // These need a multi-megabyte file, a contact list or a second template: tested elsewhere.
        if matches!(
            rule,
            "file-too-large" | "contact-data-missing" | "duplicate-message"
        ) {
            continue;
        }
        let (tp, _, _) = stats.get(rule).copied().unwrap_or_default();
        if tp == 0 {
            failures.push(format!("{rule}: never triggered correctly by the corpus"));
        }
    }
    assert!(
        clean_good >= 20,
        "only {clean_good} good templates are free of warnings and errors"
    );
    assert!(
        failures.is_empty(),
        "rules below 0.9:\n{}",
        failures.join("\n")
    );
}
