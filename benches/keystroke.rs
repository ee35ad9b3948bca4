//! Keystroke latency through the language server, in process: `outreach_lsp::server::serve` runs on
//! a tokio runtime shaped like the binary's (multi-threaded, two workers) behind `tokio::io::duplex`
//! pipes with Content-Length framing. After `initialize` and `didOpen`, one iteration is:
//!
//! 1. send one incremental `textDocument/didChange` (version + 1) that types one character in the
//!    middle of the middle prose line — or, every other iteration, deletes it again, so the document
//!    keeps its size;
//! 2. wait for the `textDocument/publishDiagnostics` carrying that version.
//!
//! The time covers the server's whole path: framing, the edit to the rope, the re-lint, mapping the
//! findings to LSP ranges, serialising the notification, and the client reading it.
//!
//! ```sh
//! cargo bench --bench keystroke -- --warm-up-time 1 --measurement-time 3
//! ```

mod common;

use std::time::{Duration, Instant};

use common::corpus;
use common::lsp::{frame, Client};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;

struct Session {
    rt: tokio::runtime::Runtime,
    client: Client,
    uri: String,
    version: i64,
    line: u32,
    column: u32,
    inserted: bool,
}

impl Session {
    fn open(name: &str, text: &str) -> Session {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        // A path that need not exist: the server only looks for `.outreach.toml` above it.
        let dir = std::env::temp_dir().join("outreach-lsp-bench");
        let uri = format!("file://{}/{name}.outreach.md", dir.display());
        let (_, line, column) = corpus::middle_of(text);
        let mut client = rt.block_on(async {
            let mut c = Client::in_process_unparsed();
            c.initialize().await;
            c.open(&uri, text).await;
            let first = c.published(&uri, 1).await;
            eprintln!(
                "{name}: {} bytes, typing at line {} column {}; {} diagnostics on open, {} bytes of JSON",
                text.len(),
                line + 1,
                column + 1,
                first.count(),
                first.bytes
            );
            c
        });
        client.slow_frames = 0;
        Session {
            rt,
            client,
            uri,
            version: 1,
            line,
            column,
            inserted: false,
        }
    }

    /// Runs `iters` keystrokes; returns the time spent from sending each edit to receiving its
    /// diagnostics.
    fn keystrokes(&mut self, iters: u64) -> Duration {
        let Session {
            rt,
            client,
            uri,
            version,
            line,
            column,
            inserted,
        } = self;
        rt.block_on(async {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                *version += 1;
                let start = json!({"line": *line, "character": *column});
                let change = if *inserted {
                    let end = json!({"line": *line, "character": *column + 1});
                    json!({"range": {"start": start, "end": end}, "text": ""})
                } else {
                    json!({"range": {"start": start, "end": start}, "text": "x"})
                };
                *inserted = !*inserted;
                let frame = frame(
                    &serde_json::to_vec(&json!({
                        "jsonrpc": "2.0",
                        "method": "textDocument/didChange",
                        "params": {
                            "textDocument": {"uri": uri.as_str(), "version": *version},
                            "contentChanges": [change],
                        },
                    }))
                    .expect("serialisable"),
                );
                let t = Instant::now();
                client.send_raw(&frame).await;
                client.published(uri, *version).await;
                total += t.elapsed();
            }
            total
        })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.client.slow_frames > 0 {
            eprintln!(
                "note: {} frames did not match the fast path and were parsed in full",
                self.client.slow_frames
            );
        }
        self.rt.block_on(async {
            let _ = self
                .client
                .request("shutdown", serde_json::Value::Null)
                .await;
            self.client.notify("exit", serde_json::Value::Null).await;
            self.client.wait_exit(Duration::from_secs(5)).await;
        });
    }
}

fn bench_keystroke(c: &mut Criterion) {
    let mut g = c.benchmark_group("keystroke");

    let small = corpus::two_kib_template();
    let mut s = Session::open("two-kib", &small);
    g.bench_function("2KiB", |b| b.iter_custom(|iters| s.keystrokes(iters)));
    drop(s);

    let big = corpus::big_sequence(corpus::SEED, corpus::BIG_SIZE);
    let mut s = Session::open("one-mib", &big);
    g.sample_size(20);
    g.bench_function("1MiB", |b| b.iter_custom(|iters| s.keystrokes(iters)));
    drop(s);

    g.finish();
}

criterion_group!(benches, bench_keystroke);
criterion_main!(benches);
