//! Writes the benchmark corpus to disk for `scripts/bench-memory.sh` (not a benchmark; it is a bench
//! target only so that it shares `benches/common/corpus.rs` with the benchmarks):
//!
//! ```sh
//! cargo bench --bench gen_corpus -- --out DIR
//! ```
//!
//! `DIR/corpus/` gets the 10,000 templates, `DIR/big/big-sequence.outreach.md` the 1 MiB sequence
//! file and `DIR/docs10k/` 100 documents of about 10 KiB. Without `--out` it only prints the sizes.

mod common;

use std::path::PathBuf;

use common::corpus;

fn write(path: PathBuf, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folder");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn main() {
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        // `cargo bench` also passes `--bench`; anything but `--out` is ignored.
        if a == "--out" {
            out = args.next().map(PathBuf::from);
        }
    }
    let templates = corpus::corpus(corpus::SEED, corpus::CORPUS_SIZE);
    let big = corpus::big_sequence(corpus::SEED, corpus::BIG_SIZE);
    let docs: Vec<String> = (0..100)
        .map(|i| corpus::sized_template(corpus::SEED ^ (1000 + i), 10 * 1024))
        .collect();
    let corpus_bytes: usize = templates.iter().map(|g| g.text.len()).sum();
    let docs_bytes: usize = docs.iter().map(String::len).sum();
    println!(
        "corpus: {} templates, {corpus_bytes} bytes; big sequence: {} bytes; docs10k: {} documents, {docs_bytes} bytes",
        templates.len(),
        big.len(),
        docs.len()
    );
    let Some(dir) = out else {
        println!("(pass `--out DIR` to write them)");
        return;
    };
    for g in &templates {
        write(dir.join("corpus").join(&g.name), &g.text);
    }
    write(dir.join("big").join("big-sequence.outreach.md"), &big);
    for (i, d) in docs.iter().enumerate() {
        write(
            dir.join("docs10k").join(format!("doc-{i:03}.outreach.md")),
            d,
        );
    }
    println!("written to {}", dir.display());
}
