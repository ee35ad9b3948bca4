//! Fuzzing the client side of the protocol: random interleavings of requests, notifications and
//! answers to the server's own requests (never, late, at once, or to ids it never used). The server
//! must answer every request and end within a second of `exit`. Seeds: `FUZZ_CLIENT_SEEDS` cases
//! (default 6), starting at `FUZZ_CLIENT_SEED` (default fixed, so a failure names its seed).

mod common;

use std::time::{Duration, Instant};

use common::Lsp;
use serde_json::{json, Value};

/// A small deterministic generator (xorshift), so a failing seed replays exactly.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn one_case(seed: u64) {
    let mut rng = Rng(seed | 1);
    let dir = common::temp_dir(&format!("fuzz-client-{seed}"));
    let mut lsp = Lsp::spawn_in(&*dir);
    lsp.silent = true;
    lsp.initialize_with(json!({
        "rootUri": common::file_uri(&dir),
        "capabilities": {"workspace": {"configuration": true,
            "didChangeWatchedFiles": {"dynamicRegistration": true}},
            "textDocument": {"diagnostic": {}}}
    }))
    .await;
    let uris: Vec<String> = (0..3)
        .map(|i| format!("file:///tmp/fuzz-client/{seed}-{i}.outreach.md"))
        .collect();
    let mut versions = [0i64; 3];
    let mut pending_requests: Vec<i64> = Vec::new();
    // Server requests held back, to be answered late (or never).
    let mut held: Vec<Value> = Vec::new();
    let mut next_id = 10_000;
    for step in 0..120 {
        // Now and then, read everything up to the answer of a marker request (reads are never cut
        // off by a timeout, so the stream stays in step), handling the server's requests met there.
        if step % 8 == 7 {
            next_id += 1;
            let marker = next_id;
            lsp.send(
                &json!({"jsonrpc": "2.0", "id": marker, "method": "textDocument/documentSymbol",
                "params": {"textDocument": {"uri": "file:///tmp/fuzz-client/none.outreach.md"}}}),
            )
            .await;
            loop {
                let m = lsp.read().await.expect("the server closed the stream");
                if m.get("method").is_some() && m.get("id").is_some() {
                    match rng.below(3) {
                        0 => {} // never answered
                        1 => held.push(m),
                        _ => {
                            let result = if m["method"] == "workspace/configuration" {
                                json!([{"rules": {"pushy-language": "off"}}])
                            } else {
                                Value::Null
                            };
                            lsp.send(&json!({"jsonrpc": "2.0", "id": m["id"], "result": result}))
                                .await;
                        }
                    }
                } else if let Some(id) = m.get("id").and_then(Value::as_i64) {
                    pending_requests.retain(|&p| p != id);
                    if id == marker {
                        break;
                    }
                }
            }
        }
        let d = rng.below(uris.len() as u64) as usize;
        let uri = &uris[d];
        match rng.below(10) {
            0 => {
                versions[d] += 1;
                lsp.notify(
                    "textDocument/didOpen",
                    json!({"textDocument": {"uri": uri,
                    "languageId": "markdown", "version": versions[d],
                    "text": "Hi {{frist_name}}, I WANT to connect!!!\n"}}),
                )
                .await;
            }
            1 | 2 => {
                // Versions go up, down or repeat.
                versions[d] += rng.below(3) as i64 - 1;
                lsp.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri,
                    "version": versions[d]}, "contentChanges": [{"text":
                    format!("Hi {{{{first_name}}}}, GREAT {} to meet.\n", rng.below(100))}]}),
                )
                .await;
            }
            3 => {
                lsp.notify(
                    "textDocument/didClose",
                    json!({"textDocument": {"uri": uri}}),
                )
                .await;
            }
            4 => {
                lsp.notify(
                    "workspace/didChangeConfiguration",
                    json!({"settings": null}),
                )
                .await;
            }
            5 => {
                // An answer to an id the server never used.
                lsp.send(&json!({"jsonrpc": "2.0", "id": 900_000 + rng.below(50), "result": null}))
                    .await;
            }
            6 if !held.is_empty() => {
                let m = held.remove(rng.below(held.len() as u64) as usize);
                lsp.send(&json!({"jsonrpc": "2.0", "id": m["id"], "error":
                    {"code": -32603, "message": "late and failed"}}))
                    .await;
            }
            _ => {
                next_id += 1;
                let method = [
                    "textDocument/hover",
                    "textDocument/documentSymbol",
                    "textDocument/codeAction",
                    "textDocument/diagnostic",
                ][rng.below(4) as usize];
                let pos = json!({"line": 0, "character": rng.below(30)});
                lsp.send(
                    &json!({"jsonrpc": "2.0", "id": next_id, "method": method, "params": {
                    "textDocument": {"uri": uri}, "position": pos,
                    "range": {"start": pos, "end": pos}, "context": {"diagnostics": []}}}),
                )
                .await;
                pending_requests.push(next_id);
            }
        }
    }
    // Every request is answered, though some of the server's own requests never will be.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !pending_requests.is_empty() {
        assert!(
            Instant::now() < deadline,
            "seed {seed}: requests never answered: {pending_requests:?}"
        );
        let m = lsp.read().await.expect("the server closed the stream");
        if m.get("method").is_none() {
            if let Some(id) = m.get("id").and_then(Value::as_i64) {
                pending_requests.retain(|&p| p != id);
            }
        }
    }
    lsp.shutdown_and_exit().await;
    let child = lsp.child.as_mut().unwrap();
    let status = tokio::time::timeout(Duration::from_secs(1), child.wait())
        .await
        .unwrap_or_else(|_| panic!("seed {seed}: the server did not exit within a second"))
        .unwrap();
    assert_eq!(status.code(), Some(0), "seed {seed}");
}

#[test]
fn random_clients_get_answers_and_the_server_exits() {
    let first = env_u64("FUZZ_CLIENT_SEED", 0x5eed_0016);
    let cases = env_u64("FUZZ_CLIENT_SEEDS", 6);
    let runtime = common::extra::test_runtime();
    for seed in first..first + cases {
        runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(90), one_case(seed))
                .await
                .unwrap_or_else(|_| panic!("seed {seed}: over the time limit"))
        });
    }
}
