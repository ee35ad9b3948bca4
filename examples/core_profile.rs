//! A fixed amount of core work for instruction-count profiling (`valgrind --tool=callgrind`), where
//! criterion's timing loop would make runs differ:
//!
//! ```sh
//! cargo build --release --example core_profile
//! valgrind --tool=callgrind target/release/examples/core_profile lint corpus 1
//! valgrind --tool=callgrind target/release/examples/core_profile keystroke two_kib 200
//! ```
//!
//! Arguments: `parse`, `lint` or `keystroke`; `corpus`, `big` or `two_kib`; how many passes (default 1).
//! `keystroke` is the core's share of `benches/keystroke.rs`: one cached lint of each text first, then
//! per pass one character typed in the middle of the middle prose line (or deleted again, every other
//! pass) and the text linted with the same `LintCache`, as the server does.

#[path = "../benches/common/corpus.rs"]
mod corpus;

use std::hint::black_box;

use outreach_lsp::lint::LintCache;
use outreach_lsp::model::Template;
use outreach_lsp::Config;
use outreach_lsp::Inputs;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map_or("lint", String::as_str);
    let input = args.get(2).map_or("corpus", String::as_str);
    let passes: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let texts: Vec<String> = match input {
        "corpus" => corpus::corpus(corpus::SEED, corpus::CORPUS_SIZE)
            .into_iter()
            .map(|g| g.text)
            .collect(),
        "big" => vec![corpus::big_sequence(corpus::SEED, corpus::BIG_SIZE)],
        "two_kib" => vec![corpus::two_kib_template()],
        other => panic!("unknown input {other}: corpus, big or two_kib"),
    };
    let config = Config::default();
    let mut n = 0;
    if what == "keystroke" {
        for t in &texts {
            n += keystrokes(t, &config, passes);
        }
    } else {
        for _ in 0..passes {
            for t in &texts {
                n += match what {
                    "parse" => Template::parse(black_box(t)).messages.len(),
                    "lint" => outreach_lsp::lint(black_box(t), &config).findings.len(),
                    other => panic!("unknown work {other}: parse, lint or keystroke"),
                };
            }
        }
    }
    println!("{what} {input} x{passes}: {n}");
}

/// `passes` edits of `text` (typing one character, then deleting it), each linted with one cache.
fn keystrokes(text: &str, config: &Config, passes: usize) -> usize {
    let (at, _, _) = corpus::middle_of(text);
    let mut cache = LintCache::default();
    let mut n = outreach_lsp::lint::lint_cached(text, config, Inputs::default(), &mut cache)
        .findings
        .len();
    let typed = format!("{}x{}", &text[..at], &text[at..]);
    for i in 0..passes {
        let current = if i % 2 == 0 { &typed } else { text };
        n += outreach_lsp::lint::lint_cached(
            black_box(current),
            config,
            Inputs::default(),
            &mut cache,
        )
        .findings
        .len();
    }
    n
}
