//! A fixed amount of core work for instruction-count profiling (`valgrind --tool=callgrind`), where
//! criterion's timing loop would make runs differ:
//!
//! ```sh
//! cargo build --release --example core_profile
//! valgrind --tool=callgrind target/release/examples/core_profile lint corpus 1
//! ```
//!
//! Arguments: `parse` or `lint`; `corpus`, `big` or `two_kib`; how many passes (default 1).

#[path = "../benches/common/corpus.rs"]
mod corpus;

use std::hint::black_box;

use outreach_lsp::model::Template;
use outreach_lsp::Config;

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
    for _ in 0..passes {
        for t in &texts {
            n += match what {
                "parse" => Template::parse(black_box(t)).messages.len(),
                "lint" => outreach_lsp::lint(black_box(t), &config).findings.len(),
                other => panic!("unknown work {other}: parse or lint"),
            };
        }
    }
    println!("{what} {input} x{passes}: {n}");
}
