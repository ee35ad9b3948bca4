//! Precision and recall of every rule over the hand-written corpus in `tests/corpus/`.

use std::path::Path;

#[path = "common/labelled.rs"]
mod labelled;

#[test]
fn corpus_precision_and_recall_per_rule() {
    let corpus = labelled::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"));
    assert!(
        corpus.len() >= 80,
        "the corpus needs at least 80 templates, has {}",
        corpus.len()
    );
    // Each finding counts on its own: the sidecars here list one occurrence per line.
    let score = labelled::score(&corpus, false);
    println!("{}", score.report(corpus.len()));
    // Exact: every labelled finding is reported and nothing else is (the report lists each mismatch).
    let mut failures = Vec::new();
    for m in &score.mismatches {
        for (line, rule) in &m.missing {
            failures.push(format!(
                "{}.outreach.md:{line} {rule}: expected, not reported",
                m.name
            ));
        }
        for (line, rule) in &m.unexpected {
            failures.push(format!(
                "{}.outreach.md:{line} {rule}: reported, not expected",
                m.name
            ));
        }
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
        let tp = score.per_rule.get(rule).map_or(0, |c| c.tp);
        if tp == 0 {
            failures.push(format!("{rule}: never triggered correctly by the corpus"));
        }
    }
    assert!(
        score.clean_good >= 20,
        "only {} good templates are free of warnings and errors",
        score.clean_good
    );
    assert!(
        failures.is_empty(),
        "the corpus does not match its labels:\n{}",
        failures.join("\n")
    );
}
