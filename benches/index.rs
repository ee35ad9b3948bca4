//! The workspace index: building it for a workspace of generated templates, and updating it for one
//! changed file (what a watched-file event costs; it must not depend on the workspace's size).
//!
//! ```sh
//! cargo bench --bench index -- --warm-up-time 1 --measurement-time 3
//! ```

mod common;

use std::path::PathBuf;

use common::corpus;
use criterion::{criterion_group, criterion_main, Criterion};
use outreach_lsp::workspace::WorkspaceIndex;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("index");
    g.sample_size(10);
    for n in [2_000, 20_000] {
        let files: Vec<(PathBuf, String)> = corpus::corpus(7, n)
            .into_iter()
            .map(|t| (PathBuf::from(t.name), t.text))
            .collect();
        g.bench_function(format!("build {n} templates"), |b| {
            b.iter(|| WorkspaceIndex::build(&files))
        });
        let mut index = WorkspaceIndex::build(&files);
        let (path, text) = files[n / 2].clone();
        let changed = text.replace("Hi ", "Hello ");
        let mut flip = false;
        g.bench_function(format!("update one file of {n}"), |b| {
            b.iter(|| {
                flip = !flip;
                index.update_file(&path, Some(if flip { &changed } else { &text }));
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
