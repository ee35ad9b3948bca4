//! A broken or hostile client against the spawned server (issue 16, protocol points): each test
//! drives `outreach-lsp` over stdio the way such a client would, under a time limit, and checks the
//! server's peak memory (VmHWM from /proc) where memory is the point.

use std::time::{Duration, Instant};

use crate::common::{self, Lsp};
use serde_json::{json, Value};

/// Runs a test body on a small runtime, failing it when it takes longer than `limit`.
fn run<F: std::future::Future<Output = ()>>(limit: Duration, f: F) {
    common::extra::test_runtime().block_on(async {
        tokio::time::timeout(limit, f)
            .await
            .expect("the test ran over its time limit");
    });
}

/// Peak resident memory of a process so far, in MiB.
fn peak_rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status");
    kib / 1024
}

/// CPU time a process has used so far, in clock ticks (user + system).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// Fails when the spawned server's peak memory so far is over `mib` MiB.
fn assert_peak_below(lsp: &Lsp, mib: u64) {
    let peak = peak_rss_mib(lsp.pid());
    assert!(peak < mib, "the server peaked at {peak} MiB (limit {mib})");
}

/// Waits for the spawned server to end; its exit code.
async fn exit_code_within(lsp: &mut Lsp, limit: Duration) -> Option<i32> {
    let child = lsp.child.as_mut().unwrap();
    let status = tokio::time::timeout(limit, child.wait())
        .await
        .unwrap_or_else(|_| panic!("the server did not exit within {limit:?}"))
        .unwrap();
    status.code()
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// A client that offers what makes the server ask it things: dynamic file watching and
/// configuration pulls.
fn asking_capabilities(root: &std::path::Path) -> Value {
    json!({
        "rootUri": common::file_uri(root),
        "capabilities": {"workspace": {
            "configuration": true,
            "didChangeWatchedFiles": {"dynamicRegistration": true}
        }}
    })
}

/// Waits for a server→client request with `method`, leaving it unanswered.
async fn server_asks(lsp: &mut Lsp, method: &str) {
    loop {
        if lsp
            .inbox
            .iter()
            .any(|m| m["method"] == method && m.get("id").is_some())
        {
            return;
        }
        let m = lsp.read().await.expect("server closed the stream");
        lsp.inbox.push(m);
    }
}

const URI: &str = "file:///tmp/outreach-hostile/a.outreach.md";

// Point 1: `exit` (or the end of the input) ends the server whatever is in flight, even while its
// own requests to the client are unanswered, and even when the client dies in the middle of a frame.
#[test]
fn exits_while_its_requests_to_the_client_are_unanswered() {
    let dir = common::temp_dir("hostile-exit");
    run(Duration::from_secs(60), async {
        let mut lsp = Lsp::spawn_in(&*dir);
        lsp.silent = true;
        lsp.initialize_with(asking_capabilities(&dir)).await;
        server_asks(&mut lsp, "client/registerCapability").await;
        lsp.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        )
        .await;
        server_asks(&mut lsp, "workspace/configuration").await;
        assert_peak_below(&lsp, 300);
        let started = Instant::now();
        lsp.shutdown_and_exit().await;
        assert_eq!(
            exit_code_within(&mut lsp, Duration::from_secs(3)).await,
            Some(0)
        );
        eprintln!("exited {:?} after shutdown", started.elapsed());

        // The client dies in the middle of a frame right after `initialized`.
        let mut lsp = Lsp::spawn_in(&*dir);
        lsp.silent = true;
        lsp.initialize_with(asking_capabilities(&dir)).await;
        server_asks(&mut lsp, "client/registerCapability").await;
        lsp.send_raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":9,")
            .await;
        assert_peak_below(&lsp, 300);
        lsp.close_input().await;
        assert_eq!(
            exit_code_within(&mut lsp, Duration::from_secs(5)).await,
            Some(1)
        );
    });
}

// Point 2: requests to the client never hold a handler slot: with more unanswered
// `workspace/configuration` requests than tower-lsp runs handlers at once, requests are answered.
#[test]
fn unanswered_configuration_requests_block_no_answer() {
    let dir = common::temp_dir("hostile-slots");
    run(Duration::from_secs(60), async {
        let mut lsp = Lsp::spawn_in(&*dir);
        lsp.silent = true;
        lsp.initialize_with(asking_capabilities(&dir)).await;
        lsp.open(URI, "markdown", "Hi {{first_name}}, great to meet you.\n")
            .await;
        for _ in 0..6 {
            lsp.notify(
                "workspace/didChangeConfiguration",
                json!({"settings": null}),
            )
            .await;
        }
        server_asks(&mut lsp, "workspace/configuration").await;
        let r = tokio::time::timeout(
            Duration::from_secs(10),
            lsp.request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": URI}}),
            ),
        )
        .await
        .expect("a request is answered while configuration requests are pending");
        assert!(r["result"].is_array(), "{r}");
        assert_peak_below(&lsp, 300);
        lsp.shutdown_and_exit().await;
        assert_eq!(
            exit_code_within(&mut lsp, Duration::from_secs(3)).await,
            Some(0)
        );
    });
}

// Point 7: a result that would be huge is bounded before it is built, and the request after it is
// still answered (the server's output is not cut by the input's frame limit).
#[test]
fn huge_outlines_are_bounded_and_the_next_request_answered() {
    run(Duration::from_secs(240), async {
        let mut lsp = Lsp::spawn();
        // A debug build on a busy machine takes a while over 300,000 messages.
        lsp.timeout = Duration::from_secs(120);
        lsp.initialize().await;
        let text: String = (0..300_000).map(|i| format!("# M{i}\nHi\n")).collect();
        lsp.open(URI, "markdown", &text).await;
        let r = lsp
            .request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": URI}}),
            )
            .await;
        let symbols = r["result"].as_array().expect("an outline");
        assert!(
            !symbols.is_empty() && symbols.len() <= 10_001,
            "{}",
            symbols.len()
        );
        let down = lsp.request("shutdown", Value::Null).await;
        assert!(down.get("error").is_none(), "{down}");
        let peak = peak_rss_mib(lsp.pid());
        assert!(peak < 1500, "peak memory {peak} MiB");
        lsp.notify("exit", Value::Null).await;
        assert_eq!(
            exit_code_within(&mut lsp, Duration::from_secs(3)).await,
            Some(0)
        );
    });
}

// Point 7, completion: a contact list with 300,000 columns gives a bounded, incomplete list (it
// used to be an answer of about 100 MB, over the limit, and silently dropped).
#[test]
fn completion_with_a_huge_contact_list_is_bounded() {
    let dir = common::temp_dir("hostile-columns");
    let columns: Vec<String> = (0..300_000).map(|i| format!("col{i}")).collect();
    std::fs::write(
        dir.join("people.csv"),
        format!(
            "{}\n{}\n",
            columns.join(","),
            vec!["x"; columns.len()].join(",")
        ),
    )
    .unwrap();
    let text = "---\ncontacts: people.csv\n---\nHi {{";
    let path = dir.join("a.outreach.md");
    std::fs::write(&path, text).unwrap();
    let uri = common::file_uri(&path);
    run(Duration::from_secs(180), async {
        let mut lsp = Lsp::spawn_in(&*dir);
        lsp.timeout = Duration::from_secs(120);
        lsp.initialize_with(json!({"rootUri": common::file_uri(&dir), "capabilities": {}}))
            .await;
        lsp.open(&uri, "markdown", text).await;
        let r = lsp
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 5}}),
            )
            .await;
        assert_eq!(
            r["result"]["isIncomplete"],
            true,
            "{}",
            &r.to_string()[..300.min(r.to_string().len())]
        );
        let items = r["result"]["items"].as_array().unwrap();
        assert!(items.len() <= 1000, "{} items", items.len());
        assert!(
            items.iter().any(|i| i["label"] == "first_name"),
            "built-in names come first"
        );
        let down = lsp.request("shutdown", Value::Null).await;
        assert!(down.get("error").is_none(), "{down}");
        lsp.notify("exit", Value::Null).await;
        assert_eq!(
            exit_code_within(&mut lsp, Duration::from_secs(3)).await,
            Some(0)
        );
    });
}

/// Server CPU ticks spent linting a document until its diagnostics are published.
/// Fails unless the document was really linted (under the size limit, the slow rule reporting).
async fn lint_ticks(lsp: &mut Lsp, uri: &str, text: &str, rule: &str) -> u64 {
    let before = cpu_ticks(lsp.pid());
    lsp.open(uri, "markdown", text).await;
    let d = lsp.diagnostics(uri, Some(1)).await;
    let ticks = cpu_ticks(lsp.pid()) - before;
    assert!(
        common::codes(&d).iter().any(|c| c == rule),
        "{} bytes: no {rule} finding, so not linted: {:?}",
        text.len(),
        common::codes(&d)
    );
    ticks
}

// Point 8: lint cost grows linearly. Each input is linted at n and 4n; linear cost gives a ratio near
// 4, the quadratic paths gave 10 and more. Measured in the server's CPU ticks, not wall-clock.
#[test]
fn lint_cost_grows_linearly() {
    type Make = fn(usize) -> String;
    let inputs: [(&str, Make, usize, &str); 3] = [
        (
            "front-matter keys",
            |n| {
                let keys: String = (0..n).map(|i| format!("k{i}: v\n")).collect();
                format!("---\nchannel: linkedin-connection\n{keys}---\nHi {{{{first_name}}}}.\n")
            },
            3_000,
            "invalid-front-matter",
        ),
        (
            "links in a connection note",
            |n| {
                let links: Vec<String> = (0..n).map(|i| format!("[a](https://x.io/{i})")).collect();
                format!(
                    "---\nchannel: linkedin-connection\n---\nHi {{{{first_name}}}}, {}\n",
                    links.join(" ")
                )
            },
            30_000,
            "spam-formatting",
        ),
        (
            "capitals next to placeholders",
            |n| {
                let words: Vec<&str> = (0..n)
                    .map(|i| {
                        if i % 2 == 1 {
                            "GREAT {{company}}"
                        } else {
                            "AMAZING"
                        }
                    })
                    .collect();
                format!(
                    "---\nchannel: email\n---\nSubject: hi\n\nHi {{{{first_name}}}}, {}\n",
                    words.join(" ")
                )
            },
            50_000,
            "spam-formatting",
        ),
    ];
    run(Duration::from_secs(300), async {
        let mut lsp = Lsp::spawn();
        lsp.timeout = Duration::from_secs(120);
        lsp.initialize().await;
        let mut report = Vec::new();
        let mut superlinear = Vec::new();
        for (k, (what, make, n, rule)) in inputs.iter().enumerate() {
            let small = lint_ticks(
                &mut lsp,
                &format!("file:///tmp/oh/s{k}.outreach.md"),
                &make(*n),
                rule,
            )
            .await;
            let big = lint_ticks(
                &mut lsp,
                &format!("file:///tmp/oh/b{k}.outreach.md"),
                &make(4 * n),
                rule,
            )
            .await;
            assert!(
                small >= 20,
                "{what}: too little work to compare ({small} ticks)"
            );
            let ratio = big as f64 / small as f64;
            report.push(format!("{what}: {small} -> {big} ticks (x{ratio:.1})"));
            if ratio >= 7.0 {
                superlinear.push(*what);
            }
        }
        // All three are measured before judging, so a failure shows every ratio.
        assert!(
            superlinear.is_empty(),
            "4x the input cost 7x or more for {superlinear:?}: {report:#?}"
        );
        eprintln!("{report:#?}");
        lsp.shutdown_and_exit().await;
    });
}

// Point 11: transport memory. A header line without a newline is not buffered whole, and the valid
// request after it is served; a frame of many small numbers does not grow the server many times
// over its size.
#[test]
fn transport_memory_stays_near_the_input() {
    run(Duration::from_secs(120), async {
        let mut lsp = Lsp::spawn();
        lsp.initialize().await;
        let base = peak_rss_mib(lsp.pid());
        // 48 MiB of header without a newline, then a valid request on the next line.
        let chunk = vec![b'X'; 1 << 20];
        for _ in 0..48 {
            lsp.send_raw(&chunk).await;
        }
        lsp.send_raw(b"\r\n").await;
        let r = lsp
            .request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": URI}}),
            )
            .await;
        assert!(
            r.get("error").is_none(),
            "the request after a long header line: {r}"
        );
        let after_header = peak_rss_mib(lsp.pid());
        assert!(
            after_header < base + 40,
            "a long header line grew the server from {base} to {after_header} MiB"
        );
        // A 32 MiB frame of small numbers.
        let mut body = br#"{"jsonrpc":"2.0","id":77,"method":"workspace/executeCommand","params":{"command":"x","arguments":["#.to_vec();
        while body.len() < 32 << 20 {
            body.extend_from_slice(b"1,");
        }
        body.extend_from_slice(b"1]}}");
        lsp.send_raw(&frame(&body)).await;
        let r = lsp.response(77).await;
        assert!(r.get("error").is_some(), "{r}");
        let r = lsp.request("shutdown", Value::Null).await;
        assert!(r.get("error").is_none(), "{r}");
        let peak = peak_rss_mib(lsp.pid());
        // The frame itself, twice (read and forwarded), and no parsed tree of it.
        assert!(
            peak < after_header + 3 * 32 + 20,
            "a 32 MiB frame peaked the server at {peak} MiB (from {after_header})"
        );
        lsp.notify("exit", Value::Null).await;
        assert_eq!(
            exit_code_within(&mut lsp, Duration::from_secs(3)).await,
            Some(0)
        );
    });
}

// Point 13: a closed document is never published again: after quick open/edit/close sequences, the
// last diagnostics of every closed document are empty.
#[test]
fn closed_documents_stay_cleared() {
    run(Duration::from_secs(120), async {
        let mut lsp = Lsp::spawn();
        lsp.initialize().await;
        // Many findings make each publish take a while to build: a close that lands while one is
        // built used to be overtaken by it. Closes come at varied delays to hit that window.
        let line = "Hi {{frist_name}}, I WANT to SELL you THIS !!! ";
        let text = format!(
            "---\nchannel: linkedin-connection\n---\n{}\n",
            line.repeat(100)
        );
        let n = 300;
        for i in 0..n {
            let uri = format!("file:///tmp/oh/close{i}.outreach.md");
            lsp.open(&uri, "markdown", &text).await;
            lsp.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": 2},
                       "contentChanges": [{"text": format!("{text}AND MORE {{{{x{i}}}}}\n")}]}),
            )
            .await;
            if i % 3 == 1 {
                tokio::time::sleep(Duration::from_micros(300 * (i % 20) as u64)).await;
            }
            lsp.notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": uri}}),
            )
            .await;
        }
        // Every lint has finished once a later request of the same size is answered and a moment passed.
        assert_peak_below(&lsp, 400);
        let _ = lsp.request("shutdown", Value::Null).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        lsp.notify("exit", Value::Null).await;
        while let Some(m) = lsp.read().await {
            lsp.inbox.push(m);
        }
        let mut last: std::collections::HashMap<String, usize> = Default::default();
        for m in &lsp.inbox {
            if m["method"] == "textDocument/publishDiagnostics" {
                let d = m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
                last.insert(m["params"]["uri"].as_str().unwrap().to_string(), d);
            }
        }
        assert_eq!(last.len(), n, "every document was cleared on close");
        let stale: Vec<_> = last.iter().filter(|(_, d)| **d > 0).collect();
        assert!(stale.is_empty(), "published after close: {stale:?}");
    });
}

// Point 14: version regressions. After a lower version the new text is published, and after a
// repeated version code actions are computed on the text last applied.
#[test]
fn lower_and_repeated_versions_follow_the_applied_text() {
    run(Duration::from_secs(60), async {
        let mut lsp = Lsp::spawn();
        lsp.initialize().await;
        let change = |version: i64, text: &str| json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": text}]});
        lsp.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "markdown", "version": 5,
                   "text": "Hi {{first_name}}, nice to meet you.\n"}}),
        )
        .await;
        lsp.diagnostics(URI, Some(5)).await;
        // A lower version with new text: its diagnostics are published.
        lsp.notify(
            "textDocument/didChange",
            change(3, "Hi {{frist_name}}, nice to meet you.\n"),
        )
        .await;
        let d = lsp.diagnostics(URI, Some(3)).await;
        assert!(
            common::codes(&d).contains(&"unknown-placeholder".to_string()),
            "{d:?}"
        );
        // The same version again with other text: code actions follow the new text.
        lsp.notify(
            "textDocument/didChange",
            change(3, "Hi {{first_name}}, it is AMAZING to meet.\n"),
        )
        .await;
        let d = lsp.diagnostics(URI, Some(3)).await;
        assert!(
            !common::codes(&d).contains(&"unknown-placeholder".to_string()),
            "{d:?}"
        );
        let r = lsp
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": URI},
                       "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 40}},
                       "context": {"diagnostics": []}}),
            )
            .await;
        let titles: Vec<String> = r["result"]
            .as_array()
            .expect("actions")
            .iter()
            .map(|a| a["title"].as_str().unwrap_or("").to_string())
            .collect();
        assert!(
            !titles
                .iter()
                .any(|t| t.contains("first_name") && t.contains("frist")),
            "{titles:?}"
        );
        assert!(
            titles.iter().any(|t| t.contains("lower case")),
            "{titles:?}"
        );
        assert_peak_below(&lsp, 300);
        lsp.shutdown_and_exit().await;
    });
}

// Issue 14 point 4: the debug methods exist only under the test switch.
#[test]
fn debug_methods_need_the_test_switch() {
    run(Duration::from_secs(30), async {
        for (hooks, expect_found) in [(false, false), (true, true)] {
            let mut lsp = Lsp::spawn_with(std::env::temp_dir(), hooks);
            lsp.initialize().await;
            lsp.open(URI, "markdown", "Hi\n").await;
            let r = lsp
                .request("outreach/documentText", json!({"uri": URI}))
                .await;
            assert_eq!(r["result"]["text"] == "Hi\n", expect_found, "{r}");
            if !expect_found {
                assert_eq!(r["error"]["code"], -32601, "{r}");
            }
            lsp.shutdown_and_exit().await;
        }
    });
}
