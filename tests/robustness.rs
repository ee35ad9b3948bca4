//! Hostile input, panics in handlers, staying responsive, and never writing files.
//!
//! Each hostile input must end in a clear error or an answer within a bounded time, with the server
//! still serving (or exiting by itself when its input ends). Times are measured with `Instant` and
//! the bounds are generous (these tests run the debug build): they catch hangs and super-linear
//! blow-ups, they are not benchmarks.

#[path = "common/extra.rs"]
mod extra;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use extra::*;
use serde_json::{json, Value};

/// `outreach/testPanic` panics only when this is set; it is read when the request arrives, so the
/// in-process server sees it too. Set once, before any test of this file does anything else.
fn hooks_on() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::env::set_var("OUTREACH_LSP_TEST_HOOKS", "1"));
}

/// `run_guarded`, with the test hooks on.
fn run<F: std::future::Future<Output = ()>>(name: &str, limit: Duration, f: F) {
    hooks_on();
    run_guarded(name, limit, f);
}

fn spawn_with(env: &[(&str, &str)], dir: Option<&Path>) -> Client {
    let mut opts = SpawnOptions {
        dir: dir.map(Path::to_path_buf),
        ..SpawnOptions::default()
    };
    opts.env = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    opts.env
        .push(("OUTREACH_LSP_TEST_HOOKS".into(), "1".into()));
    let mut c = Client::spawn(opts);
    c.timeout = Duration::from_secs(60);
    c
}

fn spawn() -> Client {
    spawn_with(&[], None)
}

const DOC: &str = "file:///tmp/outreach-lsp-robust/big.outreach.md";
const SMALL: &str = "file:///tmp/outreach-lsp-robust/small.outreach.md";
const SMALL_TEXT: &str =
    "Hi {{frist_name}},\n\nI'd like to add you to my professional network on LinkedIn.\n";

/// A 5 MiB template on one line.
fn five_mib_line() -> String {
    let mut t =
        String::from("Hi {{first_name}}, we're both in {{shared_group | default: \"DataOps\"}}. ");
    while t.len() < 5 << 20 {
        t.push_str("lorem ipsum dolor sit amet ");
    }
    t
}

fn assert_ranges_inside(text: &str, diags: &[Value]) {
    for d in diags {
        if let Some(p) = range_problem(text, &d["range"], Enc::Utf16) {
            panic!(
                "diagnostic {} at {} is outside the document: {p}",
                d["code"], d["range"]
            );
        }
    }
}

/// Opens `text` and returns its diagnostics and how long they took (from sending didOpen).
async fn open_and_time(
    c: &mut Client,
    uri: &str,
    text: &str,
    limit: Duration,
) -> (Vec<Value>, Duration) {
    let start = Instant::now();
    c.open(uri, text).await;
    let d = c.diagnostics(uri, 1, limit).await;
    (d, start.elapsed())
}

async fn hover_works(c: &mut Client, uri: &str, limit: Duration) -> Duration {
    let start = Instant::now();
    let id = c
        .send_request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 4}}),
        )
        .await;
    let r = c.response_within(&json!(id), limit).await;
    assert!(r.get("error").is_none(), "hover failed: {r}");
    start.elapsed()
}

// =====================================================================================================
// Hostile documents

#[test]
fn five_mib_single_line_gets_one_file_too_large_info() {
    run("5 MiB line", Duration::from_secs(120), async {
        let mut c = spawn();
        c.initialize().await;
        let text = five_mib_line();
        let (d, took) = open_and_time(&mut c, DOC, &text, Duration::from_secs(10)).await;
        assert_eq!(codes(&d), ["file-too-large"], "{d:?}");
        assert_eq!(d[0]["severity"], 3);
        assert_ranges_inside(&text, &d);
        assert!(took < Duration::from_secs(10), "took {took:?}");
        let h = hover_works(&mut c, DOC, Duration::from_secs(10)).await;
        eprintln!("5 MiB line over the limit: diagnostics in {took:?}, hover in {h:?}");
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

#[test]
fn five_mib_single_line_lints_in_bounded_time_with_a_raised_limit() {
    run("5 MiB line, linted", Duration::from_secs(240), async {
        let mut c = spawn();
        c.initialize_with(
            json!({"capabilities": {}, "initializationOptions": {"maxFileSize": 10485760}}),
        )
        .await;
        let mut text = five_mib_line();
        let (d, took) = open_and_time(&mut c, DOC, &text, Duration::from_secs(30)).await;
        assert!(
            !codes(&d).contains(&"file-too-large".to_string()),
            "{:?}",
            codes(&d)
        );
        assert_ranges_inside(&text, &d);
        // Typing at the end of the line: a new version, linted in bounded time too.
        let end = position_at(&text, text.len(), Enc::Utf16);
        text.push_str(" {{frist_name}}");
        let start = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": DOC, "version": 2}, "contentChanges": [{"range": {"start": {"line": end.0, "character": end.1}, "end": {"line": end.0, "character": end.1}}, "text": " {{frist_name}}"}]}),
        )
        .await;
        let d2 = c.diagnostics(DOC, 2, Duration::from_secs(30)).await;
        let took2 = start.elapsed();
        assert!(
            codes(&d2).contains(&"unknown-placeholder".to_string()),
            "{:?}",
            codes(&d2)
        );
        assert_ranges_inside(&text, &d2);
        let h = hover_works(&mut c, DOC, Duration::from_secs(30)).await;
        eprintln!("5 MiB line linted: open {took:?}, edit {took2:?}, hover {h:?}");
        assert!(took < Duration::from_secs(30) && took2 < Duration::from_secs(30));
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

fn codes(d: &[Value]) -> Vec<String> {
    d.iter()
        .map(|x| x["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// 100,000 placeholders, on one line and one per line.
#[test]
fn a_hundred_thousand_placeholders_lint_in_bounded_time() {
    run("100,000 placeholders", Duration::from_secs(240), async {
        let mut c = spawn();
        c.initialize().await;
        let one_line = format!("Hi {{{{first_name}}}}, {}\n", "{{company}} ".repeat(99_999));
        let many_lines = format!("Hi {{{{first_name}}}},\n{}", "{{company}}\n".repeat(99_999));
        for (i, text) in [one_line, many_lines].iter().enumerate() {
            let uri = format!("file:///tmp/outreach-lsp-robust/placeholders-{i}.outreach.md");
            let (d, took) = open_and_time(&mut c, &uri, text, Duration::from_secs(20)).await;
            assert_ranges_inside(text, &d);
            let h = hover_works(&mut c, &uri, Duration::from_secs(20)).await;
            eprintln!(
                "100,000 placeholders ({}): {} diagnostics in {took:?}, hover {h:?}",
                ["one line", "one per line"][i],
                d.len()
            );
        }
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

/// `{{` a million times (2 MB, under the default size limit): a bounded-time answer, and a bounded
/// answer (the client refuses frames over 64 MiB).
#[test]
fn a_million_open_braces_lint_in_bounded_time() {
    run("a million {{", Duration::from_secs(240), async {
        let mut c = spawn();
        c.initialize().await;
        let text = "{{".repeat(1_000_000);
        let (d, took) = open_and_time(&mut c, DOC, &text, Duration::from_secs(20)).await;
        assert_ranges_inside(&text, &d);
        let h = hover_works(&mut c, DOC, Duration::from_secs(20)).await;
        eprintln!(
            "a million {{{{: {} diagnostics in {took:?}, hover {h:?}",
            d.len()
        );
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

// =====================================================================================================
// Files on disk: invalid UTF-8, a config with 10,000 phrases

fn check(args: &[&str], dir: &Path) -> (i32, String, String, Duration) {
    let start = Instant::now();
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run check");
    (
        out.status.code().expect("check ended by a signal"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        start.elapsed(),
    )
}

#[test]
fn invalid_utf8_on_disk_is_a_one_line_error_and_exit_2() {
    hooks_on();
    let _w = Watchdog::new("invalid UTF-8", Duration::from_secs(120));
    let dir = TempDir::new("utf8");
    let d = dir.path();
    std::fs::write(d.join("bad.outreach.md"), b"Hi \xff\xfe {{first_name}}\n").unwrap();
    let mut big = b"Hi {{first_name}}, ".repeat(200_000);
    big.extend_from_slice(b"\xc3"); // a truncated two-byte sequence at the very end of 3.8 MB
    std::fs::write(d.join("big-bad.outreach.md"), &big).unwrap();
    std::fs::write(d.join("good.outreach.md"), "Hi [First Name], book a demo\n").unwrap();
    let (code, stdout, stderr, took) = check(&["check", "--format", "json", "."], d);
    assert_eq!(code, 2, "stdout: {stdout}\nstderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 2, "one line per bad file: {stderr:?}");
    for name in ["/bad.outreach.md", "/big-bad.outreach.md"] {
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.contains(name) && l.contains("UTF-8"))
                .count(),
            1,
            "{name}: {stderr:?}"
        );
    }
    // The other file was still checked.
    let findings: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert!(
        findings.as_array().unwrap().iter().any(|f| f["file"]
            .as_str()
            .unwrap()
            .ends_with("good.outreach.md")
            && f["rule"] == "literal-placeholder"),
        "{stdout}"
    );
    assert!(took < Duration::from_secs(10), "check took {took:?}");
    // Alone, and in the human format: still one line, exit 2.
    let (code, _, stderr, _) = check(&["check", "bad.outreach.md"], d);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.lines().filter(|l| !l.trim().is_empty()).count(),
        1,
        "{stderr:?}"
    );
}

/// A workspace whose `.outreach.toml` is not UTF-8: the server reports it and keeps serving with
/// defaults.
#[test]
fn the_server_reports_a_config_that_is_not_utf8_and_keeps_serving() {
    run("config not UTF-8", Duration::from_secs(120), async {
        let dir = TempDir::new("badconfig");
        std::fs::write(
            dir.path().join(".outreach.toml"),
            b"account = \"fr\xffee\"\n",
        )
        .unwrap();
        let file = dir.path().join("note.outreach.md");
        std::fs::write(&file, SMALL_TEXT).unwrap();
        let uri = file_uri(&file);
        let mut c = spawn_with(&[], Some(dir.path()));
        c.initialize_with(workspace_params(dir.path(), json!({}), Value::Null))
            .await;
        c.open(&uri, SMALL_TEXT).await;
        let d = c.diagnostics(&uri, 1, Duration::from_secs(10)).await;
        assert!(
            codes(&d).contains(&"unknown-placeholder".to_string()),
            "defaults apply: {d:?}"
        );
        let m = c
            .notification("window/showMessage", Duration::from_secs(10), |_| true)
            .await;
        assert!(
            m["message"].as_str().unwrap().contains(".outreach.toml"),
            "{m}"
        );
        hover_works(&mut c, &uri, Duration::from_secs(10)).await;
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

fn phrase(i: usize) -> String {
    format!("zorbex{i} deal")
}

fn phrases_workspace() -> (TempDir, PathBuf, String) {
    let dir = TempDir::new("phrases");
    let list: Vec<String> = (0..10_000).map(|i| format!("\"{}\"", phrase(i))).collect();
    std::fs::write(
        dir.path().join(".outreach.toml"),
        format!(
            "[rules.sales-pitch]\nseverity = \"error\"\nextra_phrases = [{}]\n",
            list.join(", ")
        ),
    )
    .unwrap();
    let text = format!(
        "Hi {{{{first_name}}}}, we're both in {{{{shared_group | default: \"DataOps\"}}}}. I'd love to hear about your work. {}. Also {}. And {}, not zorbex42deal nor zorbex10000 deal.\n",
        phrase(0),
        phrase(5_000),
        phrase(9_999)
    );
    let file = dir.path().join("note.outreach.md");
    std::fs::write(&file, &text).unwrap();
    (dir, file, text)
}

#[test]
fn a_config_with_ten_thousand_extra_phrases_checks_in_bounded_time() {
    hooks_on();
    let _w = Watchdog::new("10,000 phrases", Duration::from_secs(120));
    let (dir, _file, text) = phrases_workspace();
    let (code, stdout, stderr, took) = check(&["check", "--format", "json", "."], dir.path());
    assert_eq!(code, 1, "{stderr}");
    let findings: Value = serde_json::from_str(&stdout).unwrap();
    let mut columns: Vec<u64> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "sales-pitch")
        .map(|f| {
            assert_eq!(f["severity"], "error", "{f}");
            f["column"].as_u64().unwrap()
        })
        .collect();
    columns.sort();
    // A phrase finding covers the sentence that holds the phrase (issue 11): "zorbex0 deal.",
    // "Also zorbex5000 deal.", "And zorbex9999 deal, …".
    let expected: Vec<u64> = [
        phrase(0),
        format!("Also {}", phrase(5_000)),
        format!("And {}", phrase(9_999)),
    ]
    .iter()
    .map(|s| text.find(s.as_str()).unwrap() as u64 + 1)
    .collect();
    assert_eq!(
        columns, expected,
        "the three phrases, and nothing else: {stdout}"
    );
    eprintln!("check with 10,000 extra phrases: {took:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn the_server_loads_ten_thousand_extra_phrases_in_bounded_time() {
    run("10,000 phrases, server", Duration::from_secs(120), async {
        let (dir, file, text) = phrases_workspace();
        let uri = file_uri(&file);
        let mut c = spawn_with(&[], Some(dir.path()));
        c.initialize_with(workspace_params(dir.path(), json!({}), Value::Null))
            .await;
        let (d, took) = open_and_time(&mut c, &uri, &text, Duration::from_secs(10)).await;
        let sales: Vec<&Value> = d.iter().filter(|x| x["code"] == "sales-pitch").collect();
        assert_eq!(sales.len(), 3, "{d:?}");
        assert!(sales.iter().all(|x| x["severity"] == 1));
        // Typing re-lints with the same (cached) config quickly.
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": " "}]}),
        )
        .await;
        let start = Instant::now();
        c.diagnostics(&uri, 2, Duration::from_secs(10)).await;
        eprintln!(
            "server with 10,000 extra phrases: open {took:?}, edit {:?}",
            start.elapsed()
        );
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

// =====================================================================================================
// Broken framing

/// Sends 20 hovers back to back after `garbage`; the server must get back in step and answer the
/// requests from the fourth on (a broken frame may swallow the next ones), and, when a message was
/// lost (`expect_error`), say so with an error response.
async fn recovers_after(garbage: &[u8], expect_error: bool) {
    let mut c = spawn();
    c.initialize().await;
    c.open(SMALL, SMALL_TEXT).await;
    c.diagnostics(SMALL, 1, Duration::from_secs(10)).await;
    let mut bytes = garbage.to_vec();
    let mut ids = Vec::new();
    for i in 0..20 {
        let id = 1000 + i;
        ids.push(id);
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {"textDocument": {"uri": SMALL}, "position": {"line": 0, "character": 4}}});
        bytes.extend(frame(&serde_json::to_vec(&body).unwrap()));
    }
    c.send_raw(&bytes).await;
    let start = Instant::now();
    let mut answered = Vec::new();
    let mut parse_errors = 0;
    while start.elapsed() < Duration::from_secs(10)
        && !ids[3..].iter().all(|i| answered.contains(i))
    {
        let left = Duration::from_secs(10).saturating_sub(start.elapsed());
        let Ok(Some(m)) = tokio::time::timeout(left, c.recv_within(Duration::from_secs(60))).await
        else {
            break;
        };
        if m.get("method").is_some() {
            continue;
        }
        if let Some(id) = m["id"].as_i64() {
            assert!(m.get("error").is_none(), "{m}");
            answered.push(id);
        } else {
            assert!(m["error"]["code"].as_i64().is_some(), "{m}");
            parse_errors += 1;
        }
    }
    let garbage_text = String::from_utf8_lossy(&garbage[..garbage.len().min(80)]).into_owned();
    assert!(
        parse_errors >= 1 || !expect_error,
        "{garbage_text:?}: no error response for the broken frame"
    );
    let missing: Vec<&i64> = ids[3..].iter().filter(|i| !answered.contains(i)).collect();
    assert!(
        missing.is_empty(),
        "{garbage_text:?}: after the broken frame the server answered {answered:?} of requests {ids:?} ({parse_errors} parse errors); never {missing:?}"
    );
    hover_works(&mut c, SMALL, Duration::from_secs(10)).await;
    assert_eq!(c.shutdown_and_exit().await, Some(0));
}

#[test]
fn a_truncated_frame_followed_by_valid_frames() {
    run("truncated frame", Duration::from_secs(120), async {
        recovers_after(
            b"Content-Length: 120\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":",
            true,
        )
        .await;
    });
}

#[test]
fn a_truncated_header_followed_by_valid_frames() {
    run("truncated header", Duration::from_secs(120), async {
        // Glued to the next header, nothing is lost: resynchronising silently is fine.
        recovers_after(b"Content-Len", false).await;
    });
}

#[test]
fn a_non_numeric_or_overflowing_content_length_followed_by_valid_frames() {
    run("bad Content-Length", Duration::from_secs(120), async {
        recovers_after(b"Content-Length: twelve\r\n\r\n{\"a\": 1}", true).await;
        recovers_after(b"Content-Length: 99999999999999999999999\r\n\r\n{}", true).await;
    });
}

/// A frame that announces 10^12 bytes: a clear error at once (not after reading a terabyte), the
/// process stays up, and it ends by itself when its input closes.
#[test]
fn an_absurd_content_length_gets_a_prompt_error() {
    run("absurd Content-Length", Duration::from_secs(60), async {
        let mut c = spawn();
        c.initialize().await;
        let start = Instant::now();
        c.send_raw(b"Content-Length: 1000000000000\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"textDocument/hover\"")
            .await;
        let m = c
            .recv_within(Duration::from_secs(5))
            .await
            .expect("an answer");
        assert!(m["error"]["code"].as_i64().is_some(), "{m}");
        eprintln!(
            "absurd Content-Length: error after {:?}: {}",
            start.elapsed(),
            m["error"]["message"]
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            c.child.as_mut().unwrap().try_wait().unwrap().is_none(),
            "the server died"
        );
        c.close_input().await;
        let code = c.wait_exit(Duration::from_secs(2)).await;
        assert!(code.is_some(), "ended by a signal");
    });
}

/// The client goes away in the middle of a message: the process ends by itself within 2 s.
#[test]
fn closing_stdin_mid_message_ends_the_process() {
    run("stdin closed", Duration::from_secs(180), async {
        let big_declared = format!("Content-Length: {}\r\n\r\n{}", 4 << 20, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///x.outreach.md\",\"languageId\":\"markdown\",\"version\":1,\"text\":\"")
            + &"a".repeat(1 << 20);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("mid-header", b"Content-Len".to_vec()),
            ("after the header", b"Content-Length: 50\r\n".to_vec()),
            (
                "mid-body",
                b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":".to_vec(),
            ),
            ("mid-body of a 4 MiB frame", big_declared.into_bytes()),
        ];
        for (what, bytes) in cases {
            let mut c = spawn();
            c.initialize().await;
            c.open(SMALL, SMALL_TEXT).await;
            c.diagnostics(SMALL, 1, Duration::from_secs(10)).await;
            c.send_raw(&bytes).await;
            let start = Instant::now();
            c.close_input().await;
            let code = c.wait_exit(Duration::from_secs(2)).await;
            assert!(code.is_some(), "{what}: ended by a signal");
            eprintln!(
                "stdin closed {what}: exited with {code:?} after {:?}",
                start.elapsed()
            );
        }
        // While a 5 MiB document is being linted.
        let mut c = spawn();
        c.initialize_with(
            json!({"capabilities": {}, "initializationOptions": {"maxFileSize": 10485760}}),
        )
        .await;
        c.open(DOC, &five_mib_line()).await;
        c.send_raw(b"Content-Length: 500\r\n\r\n{").await;
        let start = Instant::now();
        c.close_input().await;
        let code = c.wait_exit(Duration::from_secs(2)).await;
        assert!(code.is_some(), "during a lint: ended by a signal");
        eprintln!(
            "stdin closed during a 5 MiB lint: exited with {code:?} after {:?}",
            start.elapsed()
        );
    });
}

// =====================================================================================================
// A handler that panics

async fn panic_is_caught(mut c: Client) {
    c.initialize().await;
    c.open(SMALL, SMALL_TEXT).await;
    c.diagnostics(SMALL, 1, Duration::from_secs(10)).await;
    for round in 0..3 {
        let id = c.send_request("outreach/testPanic", json!({})).await;
        let r = c.response_within(&json!(id), Duration::from_secs(10)).await;
        assert_eq!(r["error"]["code"], -32603, "round {round}: {r}");
        assert!(
            r["error"]["message"]
                .as_str()
                .unwrap()
                .contains("outreach/testPanic"),
            "{r}"
        );
        // Still serving: a hover, an edit and its diagnostics, a preview.
        hover_works(&mut c, SMALL, Duration::from_secs(10)).await;
        let v = 2 + round;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": SMALL, "version": v}, "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]}),
        )
        .await;
        let d = c.diagnostics(SMALL, v, Duration::from_secs(10)).await;
        assert!(
            codes(&d).contains(&"unknown-placeholder".to_string()),
            "{d:?}"
        );
        let p = c.request("outreach/preview", json!({"uri": SMALL})).await;
        assert!(p.get("error").is_none(), "{p}");
    }
    assert_eq!(c.shutdown_and_exit().await, Some(0));
}

#[test]
fn a_panicking_handler_is_caught_in_process() {
    run("panic in process", Duration::from_secs(60), async {
        panic_is_caught(Client::in_process()).await;
    });
}

#[test]
fn a_panicking_handler_is_caught_and_logged_in_the_binary() {
    run("panic in the binary", Duration::from_secs(60), async {
        let dir = TempDir::new("panic-log");
        let log = dir.path().join("server.log");
        let c = spawn_with(&[("OUTREACH_LSP_LOG_FILE", log.to_str().unwrap())], None);
        panic_is_caught(c).await;
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(
            logged.contains("test panic requested"),
            "the panic is logged: {logged:?}"
        );
    });
}

// =====================================================================================================
// Staying responsive

/// While a 5 MiB document is linted, requests about another document are answered at once.
#[test]
fn requests_are_answered_while_a_big_document_is_linted() {
    run(
        "responsive during a lint",
        Duration::from_secs(180),
        async {
            let mut c = spawn();
            c.initialize_with(
                json!({"capabilities": {}, "initializationOptions": {"maxFileSize": 10485760}}),
            )
            .await;
            c.open(SMALL, SMALL_TEXT).await;
            c.diagnostics(SMALL, 1, Duration::from_secs(10)).await;
            let start = Instant::now();
            c.open(DOC, &five_mib_line()).await;
            let h = hover_works(&mut c, SMALL, Duration::from_secs(10)).await;
            let linted = c.inbox.iter().any(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == DOC
            });
            c.diagnostics(DOC, 1, Duration::from_secs(60)).await;
            let lint = start.elapsed();
            eprintln!("hover on a small document in {h:?} while a 5 MiB lint took {lint:?} (lint already done: {linted})");
            assert!(h < Duration::from_secs(2), "hover took {h:?}");
            assert_eq!(c.shutdown_and_exit().await, Some(0));
        },
    );
}

/// CPU time (user + system) the process has used so far, from `/proc/PID/stat`.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap();
    // Linux reports clock ticks of 1/100 s (USER_HZ) on every architecture it runs on.
    Duration::from_millis(ticks * 10)
}

/// Waits until the process has used no CPU for 300 ms; returns its CPU time then.
async fn settle(pid: u32, limit: Duration) -> Duration {
    let start = Instant::now();
    let mut last = cpu_time(pid);
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = cpu_time(pid);
        if now == last || start.elapsed() > limit {
            return now;
        }
        last = now;
    }
}

/// Cancelled requests stop their work. A hover on a 5 MiB document that was just edited has to lint
/// it (the lint worker holds the document's cache, so the hover lints on its own): measured once,
/// that edit costs the worker's lint plus the hover's. Then four such hovers are sent and each is
/// cancelled at once: the CPU time the server spends on that edit must stay near one lint, not five.
#[test]
fn cancelled_requests_stop_their_work() {
    run("cancellation", Duration::from_secs(300), async {
        let mut c = spawn();
        let pid = c.child.as_ref().unwrap().id().unwrap();
        c.initialize_with(
            json!({"capabilities": {}, "initializationOptions": {"maxFileSize": 10485760}}),
        )
        .await;
        c.open(SMALL, SMALL_TEXT).await;
        c.diagnostics(SMALL, 1, Duration::from_secs(10)).await;
        let text = five_mib_line();
        c.open(DOC, &text).await;
        c.diagnostics(DOC, 1, Duration::from_secs(60)).await;
        let edit = |v: i64| json!({"textDocument": {"uri": DOC, "version": v}, "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]});
        let idle = settle(pid, Duration::from_secs(60)).await;
        // One edit with one hover that runs to the end: two lints of the whole document.
        c.notify("textDocument/didChange", edit(2)).await;
        let one = hover_works(&mut c, DOC, Duration::from_secs(60)).await;
        c.diagnostics(DOC, 2, Duration::from_secs(60)).await;
        let after_one = settle(pid, Duration::from_secs(60)).await;
        let two_lints = after_one - idle;
        // One edit with four hovers, each cancelled at once, then a hover on the small document.
        c.notify("textDocument/didChange", edit(3)).await;
        let mut ids = Vec::new();
        for _ in 0..4 {
            let id = c
                .send_request(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": DOC}, "position": {"line": 0, "character": 5}}),
                )
                .await;
            c.notify("$/cancelRequest", json!({"id": id})).await;
            ids.push(id);
        }
        let small = hover_works(&mut c, SMALL, Duration::from_secs(120)).await;
        for id in ids {
            let r = c
                .response_within(&json!(id), Duration::from_secs(120))
                .await;
            assert!(r.get("error").is_none_or(|e| e["code"] == -32800), "{r}");
        }
        c.diagnostics(DOC, 3, Duration::from_secs(60)).await;
        let cancelled = settle(pid, Duration::from_secs(120)).await - after_one;
        eprintln!(
            "edit + one hover on the 5 MiB document: {one:?} wall, {two_lints:?} CPU; \
             edit + four cancelled hovers: {cancelled:?} CPU; a small hover meanwhile: {small:?}"
        );
        assert!(
            two_lints >= Duration::from_millis(100),
            "a lint of 5 MiB took too little CPU time ({two_lints:?}) to tell anything"
        );
        // Not cancelled, it would be five lints (2.5 × two_lints); a cancelled hover may still
        // read and parse the text before it notices.
        assert!(
            cancelled < two_lints * 7 / 4,
            "the cancelled hovers kept working: {cancelled:?} of CPU (one lint is about {:?})",
            two_lints / 2
        );
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

// =====================================================================================================
// The server never writes files

/// Every file under `dir`: relative path -> (bytes, modification time).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    (b"<dir>".to_vec(), meta.modified().unwrap()),
                );
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    (std::fs::read(&p).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    out
}

/// The server's network sockets, and Unix sockets bound to a path (none: it never opens a
/// connection; unnamed socket pairs, which the async runtime uses internally for signals, are fine).
fn network_sockets(pid: u32) -> Vec<String> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|rd| {
            rd.filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
                .filter_map(|l| {
                    let l = l.to_string_lossy().into_owned();
                    Some(
                        l.strip_prefix("socket:[")?
                            .trim_end_matches(']')
                            .to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut found = Vec::new();
    for table in ["tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix"] {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/net/{table}")) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // tcp/udp/raw: the inode is column 9; unix: column 6, then an optional path.
            let (inode, named) = if table == "unix" {
                (cols.get(6).copied(), cols.len() > 7)
            } else {
                (cols.get(9).copied(), true)
            };
            if let Some(inode) = inode {
                if named && inodes.iter().any(|i| i == inode) {
                    found.push(format!("{table}: {line}"));
                }
            }
        }
    }
    found
}

#[test]
fn the_server_never_writes_files() {
    run("never writes", Duration::from_secs(180), async {
        let sandbox = TempDir::new("nowrite");
        let ws = sandbox.path().join("workspace");
        let files: &[(&str, &str)] = &[
            (".outreach.toml", "account = \"free\"\ninclude = [\"campaigns/**/*.md\"]\n[rules.sales-pitch]\nseverity = \"error\"\nextra_phrases = [\"our agency\"]\n"),
            ("intro.outreach.md", "Hi [First Name],\n\nI'd like to add you to my professional network on LinkedIn. Our agency can help, book a demo ASAP!!\n"),
            ("campaigns/q3/step.md", "# Connection request\n\nHi {{frist_name}}, we're both in {{shared_group}}.\n\n# Follow-up\n\nThanks!\n"),
            ("note.md", "---\nchannel: email\n---\nSubject: hello\n\nDear Sir or Madam, %FIRSTNAME%\n"),
            ("README.md", "# Not a template\n\nHi [First Name]\n"),
            ("drafts/old.outreach.txt", "Hi Sarah, <!-- outreach-lsp-disable-next-line hardcoded-name -- one-off -->\nBUY NOW\n"),
        ];
        for (name, text) in files {
            let p = ws.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
        let dirs = [
            "home",
            "tmp",
            "xdg-config",
            "xdg-cache",
            "xdg-data",
            "xdg-state",
        ];
        for d in dirs {
            std::fs::create_dir_all(sandbox.path().join(d)).unwrap();
        }
        // Older timestamps, so a rewrite with the same content would still show.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let before = snapshot(sandbox.path());
        let env: Vec<(String, String)> = [
            ("HOME", "home"),
            ("TMPDIR", "tmp"),
            ("XDG_CONFIG_HOME", "xdg-config"),
            ("XDG_CACHE_HOME", "xdg-cache"),
            ("XDG_DATA_HOME", "xdg-data"),
            ("XDG_STATE_HOME", "xdg-state"),
        ]
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                sandbox.path().join(v).to_string_lossy().into_owned(),
            )
        })
        .chain([("OUTREACH_LSP_LOG".to_string(), "trace".to_string())])
        .collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut c = spawn_with(&env, Some(&ws));
        let root = file_uri(&ws);
        c.configuration = json!({"rules": {"self-focused": "off"}});
        c.initialize_with(json!({
            "rootUri": root,
            "workspaceFolders": [{"uri": root, "name": "ws"}],
            "capabilities": {
                "workspace": {"workspaceEdit": {"documentChanges": true}, "configuration": true, "didChangeWatchedFiles": {"dynamicRegistration": true}, "applyEdit": true},
                "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}
            }
        }))
        .await;
        let mut edits_offered = 0;
        for (name, text) in files {
            let uri = file_uri(&ws.join(name));
            c.open(&uri, text).await;
            let d = c.diagnostics(&uri, 1, Duration::from_secs(10)).await;
            for diag in &d {
                let r = c
                    .request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}}))
                    .await;
                for a in r["result"].as_array().cloned().unwrap_or_default() {
                    if a.get("edit").is_some() {
                        edits_offered += 1;
                    }
                }
            }
            let whole =
                json!({"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}});
            for (method, params) in [
                (
                    "textDocument/hover",
                    json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 4}}),
                ),
                (
                    "textDocument/completion",
                    json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 4}}),
                ),
                (
                    "textDocument/codeAction",
                    json!({"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": [], "only": ["refactor"]}}),
                ),
                (
                    "textDocument/documentSymbol",
                    json!({"textDocument": {"uri": uri}}),
                ),
                (
                    "textDocument/inlayHint",
                    json!({"textDocument": {"uri": uri}, "range": whole}),
                ),
                (
                    "textDocument/semanticTokens/full",
                    json!({"textDocument": {"uri": uri}}),
                ),
                ("outreach/preview", json!({"uri": uri})),
                (
                    "textDocument/formatting",
                    json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
                ),
                (
                    "textDocument/rename",
                    json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 4}, "newName": "x"}),
                ),
                (
                    "textDocument/willSaveWaitUntil",
                    json!({"textDocument": {"uri": uri}, "reason": 1}),
                ),
                (
                    "workspace/executeCommand",
                    json!({"command": "outreach.applyFix", "arguments": [uri]}),
                ),
            ] {
                c.request(method, params).await;
            }
            c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": format!("{text}\nP.S. edited in the editor only\n")}]}))
                .await;
            c.notify(
                "textDocument/willSave",
                json!({"textDocument": {"uri": uri}, "reason": 1}),
            )
            .await;
            c.notify(
                "textDocument/didSave",
                json!({"textDocument": {"uri": uri}, "text": "saved text that is not on disk"}),
            )
            .await;
            c.diagnostics(&uri, 2, Duration::from_secs(10)).await;
        }
        let config_uri = file_uri(&ws.join(".outreach.toml"));
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": config_uri, "type": 2}]}),
        )
        .await;
        c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        )
        .await;
        c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"outreachLsp": {"account": "premium"}}}),
        )
        .await;
        for (name, _) in files {
            c.notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": file_uri(&ws.join(name))}}),
            )
            .await;
        }
        hover_works(
            &mut c,
            &file_uri(&ws.join("nothing.outreach.md")),
            Duration::from_secs(10),
        )
        .await;
        let pid = c.child.as_ref().unwrap().id().unwrap();
        let open_sockets = network_sockets(pid);
        assert!(
            edits_offered > 5,
            "the session should have been offered edits ({edits_offered})"
        );
        assert_eq!(c.shutdown_and_exit().await, Some(0));
        assert!(
            open_sockets.is_empty(),
            "the server opened network sockets: {open_sockets:?}"
        );
        let after = snapshot(sandbox.path());
        let changed: Vec<String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| k.display().to_string())
            .collect();
        assert!(changed.is_empty(), "the server changed files: {changed:?}");
    });
}

// =====================================================================================================
// Data files named by a template or a config must be inside the workspace

/// A contact list outside the workspace (by a relative path, an absolute path, or a symlink inside the
/// workspace that points out of it) is refused with a clear message, never opened: it is a FIFO here,
/// so a server that opened it would hang. A list inside the workspace is read (the control case).
#[test]
fn data_files_outside_the_workspace_are_refused() {
    run("outside the workspace", Duration::from_secs(120), async {
        let sandbox = TempDir::new("outside");
        let ws = sandbox.path().join("workspace");
        let outside = sandbox.path().join("outside");
        std::fs::create_dir_all(&ws).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        let secret = outside.join("leads.csv");
        let fifo = Command::new("mkfifo")
            .arg(&secret)
            .status()
            .is_ok_and(|s| s.success());
        if !fifo {
            std::fs::write(&secret, "First Name,Company Name\nAna,\n").unwrap();
        }
        std::os::unix::fs::symlink(&secret, ws.join("link.csv")).unwrap();
        std::fs::write(
            ws.join("inside.csv"),
            "First Name,Company Name\nAna,\nBruno,Northwind\n",
        )
        .unwrap();
        let body = "Hi {{first_name}}, we're both in {{shared_group | default: \"DataOps\"}}. How is {{company}} doing, {{frist_name}}? I'd love to hear about your work.\n";
        let cases = [
            ("relative", "../outside/leads.csv".to_string(), true),
            ("absolute", secret.display().to_string(), true),
            ("symlink", "link.csv".to_string(), true),
            ("inside", "inside.csv".to_string(), false),
        ];
        let mut c = spawn_with(&[], Some(&ws));
        c.initialize_with(workspace_params(&ws, json!({}), Value::Null))
            .await;
        for (what, name, refused) in &cases {
            let file = ws.join(format!("{what}.outreach.md"));
            let text = format!("---\ncontacts: {name}\n---\n{body}");
            std::fs::write(&file, &text).unwrap();
            let uri = file_uri(&file);
            c.open(&uri, &text).await;
            let d = c.diagnostics(&uri, 1, Duration::from_secs(10)).await;
            let refusal = d.iter().find(|x| {
                x["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("inside the workspace")
            });
            if *refused {
                let r =
                    refusal.unwrap_or_else(|| panic!("{what}: no refusal in {:?}", visible(&d)));
                assert_eq!(
                    r["range"]["start"]["line"], 1,
                    "{what}: on the contacts line: {r}"
                );
                assert!(
                    codes(&d).contains(&"unknown-placeholder".to_string()),
                    "{what}: the template is still linted: {:?}",
                    visible(&d)
                );
            } else {
                assert!(refusal.is_none(), "{what}: {:?}", visible(&d));
                assert!(
                    codes(&d).contains(&"contact-data-missing".to_string()),
                    "the control case reads the list inside the workspace: {:?}",
                    visible(&d)
                );
            }
        }
        // Named by the workspace config.
        std::fs::write(
            ws.join(".outreach.toml"),
            "contacts = \"../outside/leads.csv\"\n",
        )
        .unwrap();
        let config_uri = file_uri(&ws.join(".outreach.toml"));
        let file = ws.join("by-config.outreach.md");
        std::fs::write(&file, body).unwrap();
        let uri = file_uri(&file);
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": config_uri, "type": 1}]}),
        )
        .await;
        c.open(&uri, body).await;
        c.diagnostics(&uri, 1, Duration::from_secs(10)).await;
        let p = c
            .notification(
                "textDocument/publishDiagnostics",
                Duration::from_secs(10),
                |p| {
                    p["uri"] == config_uri
                        && p["diagnostics"].as_array().is_some_and(|d| !d.is_empty())
                },
            )
            .await;
        let message = p["diagnostics"][0]["message"].as_str().unwrap().to_string();
        assert!(message.contains("inside the workspace"), "{message}");
        let shown = c
            .notification("window/showMessage", Duration::from_secs(10), |_| true)
            .await;
        assert!(
            shown["message"]
                .as_str()
                .unwrap()
                .contains("inside the workspace"),
            "{shown}"
        );
        hover_works(&mut c, &uri, Duration::from_secs(10)).await;
        assert_eq!(c.shutdown_and_exit().await, Some(0));
    });
}

/// The benchmarks' client (frames left unparsed, `publishDiagnostics` recognised by substring search)
/// sees what the parsing client sees: the same diagnostics for each version, every frame on the fast
/// path, and the server's own requests still answered.
#[test]
fn unparsed_client_waits_for_the_same_diagnostics() {
    run("unparsed client", Duration::from_secs(60), async {
        let uri = "file:///tmp/outreach-lsp-unparsed/a.outreach.md";
        let text = "# Connection request\n\nHi {{frist_name}}, I'd like to add you to my professional network.\n";
        let mut parsed = Client::in_process();
        parsed.initialize().await;
        parsed.open(uri, text).await;
        let expected = parsed.diagnostics(uri, 1, Duration::from_secs(20)).await;
        assert!(!expected.is_empty(), "the fixture has findings");

        let mut fast = Client::in_process_unparsed();
        fast.initialize().await;
        fast.open(uri, text).await;
        let first = fast.published(uri, 1).await;
        assert_eq!(first.count(), expected.len());
        let body: Value = serde_json::from_slice(&first.body).unwrap();
        assert_eq!(body["params"]["diagnostics"], json!(expected));
        // A later version, skipping nothing: the classifier must read the notification's own version,
        // not the `version` inside a diagnostic's `data`.
        fast.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"text": "# Connection request\n\nHi {{first_name}}!\n"}]}),
        )
        .await;
        let second = fast.published(uri, 2).await;
        let body: Value = serde_json::from_slice(&second.body).unwrap();
        assert_eq!(body["params"]["version"], 2);
        assert_eq!(fast.slow_frames, 0, "every frame matched the fast path");
        // Requests still work on the unparsed client (frames are parsed when read).
        let r = fast.request("shutdown", Value::Null).await;
        assert!(r.get("error").is_none(), "{r}");
    });
}
