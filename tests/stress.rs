//! Stress over the spawned binary: thousands of incremental edits interleaved with hover, completion
//! and code-action requests that stay in flight (the client never waits for an answer before sending
//! more), some of them cancelled.
//!
//! Checked: every request is answered (a result, or `RequestCancelled` for a cancelled one); every
//! published diagnostic lies inside the text of the version it names, and published versions never
//! go backwards; every code-action edit lies inside the version it names; at the end the diagnostics
//! and `outreach/preview` equal those of a fresh open of the same text under another URI.
//!
//! 10,000 edits by default (about 25 s on the 2-core machine, debug build); 50,000 with
//! `OUTREACH_LONG_TESTS=1`.

#[path = "common/extra.rs"]
mod extra;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use extra::*;
use serde_json::{json, Value};

const URI: &str = "file:///tmp/outreach-lsp-stress/sequence.outreach.md";
const FRESH: &str = "file:///tmp/outreach-lsp-stress/fresh.outreach.md";

const INITIAL: &str = "---\nchannel: linkedin-connection\naccount: free\nplaceholders:\n  podcast_name:\n    description: The recipient's podcast\n    example: Data Talks\n    max_length: 40\n    optional: true\n---\n# Connection request\n\nHi {{first_name}},\n\nLoved your episode of {{podcast_name | default: \"your podcast\"}} on hiring 😀. We're both in {{shared_group}}.\r\nI'd love to hear how {{company}} approaches {{topic}}.\n\n# Follow-up\n\nThanks for connecting, {{ first_name }}! <!-- outreach-lsp-disable-next-line sales-pitch -- legal -->\nBook a demo ASAP!! [First Name] `{{code}}`\n\n# InMail <!-- outreach: kind=inmail channel=linkedin-inmail -->\nSubject: Quick question about {{company}}\n\nDear Sir or Madam, I I I me my product, our platform, free trial.\n";

const PIECES: &[&str] = &[
    "a",
    "é",
    "😀",
    "e\u{301}",
    " ",
    "\n",
    "\r\n",
    "{{",
    "}}",
    "{{first_name}}",
    "{{ company | default: \"x\" }}",
    "{{frist_name}}",
    "[First Name]",
    "Hi ",
    "book a demo",
    "ASAP!!",
    "# Follow-up\n",
    "<!--",
    "-->",
    "`",
    "| default: \"",
    "---\n",
    "Subject: ",
    "thanks for connecting",
    "we're both in ",
    "XXX",
    "ü",
];

/// A small deterministic generator (no dependency on proptest's runner here).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A random character boundary of `text` that an LSP position can name (not between `\r` and `\n`).
fn boundary(rng: &mut Rng, text: &str) -> usize {
    let n = text.chars().count();
    let k = rng.below(n + 1);
    addressable(
        text,
        text.char_indices().nth(k).map_or(text.len(), |(i, _)| i),
    )
}

/// LSP has no position between the two bytes of a CRLF; such an offset moves before the `\r`.
fn addressable(text: &str, offset: usize) -> usize {
    if offset > 0
        && text.as_bytes()[offset - 1] == b'\r'
        && text.as_bytes().get(offset) == Some(&b'\n')
    {
        offset - 1
    } else {
        offset
    }
}

fn pos_json(text: &str, offset: usize) -> Value {
    let (line, character) = position_at(text, offset, Enc::Utf16);
    json!({"line": line, "character": character})
}

#[derive(Default)]
struct Session {
    /// Text of every version of URI (and FRESH).
    history: HashMap<(String, i64), String>,
    /// Requests in flight: id -> (method, version when sent, cancelled).
    pending: HashMap<i64, (String, i64, bool)>,
    answered: usize,
    cancelled_answers: usize,
    last_published: HashMap<String, (i64, Vec<Value>)>,
    publications: usize,
    /// Latest version sent, per uri.
    latest: HashMap<String, i64>,
}

impl Session {
    fn inside_some_version(&self, uri: &str, from: i64, range: &Value) -> Result<(), String> {
        let to = self.latest[uri];
        let mut first = None;
        for v in from..=to {
            if let Some(text) = self.history.get(&(uri.to_string(), v)) {
                match range_problem(text, range, Enc::Utf16) {
                    None => return Ok(()),
                    Some(p) => {
                        first.get_or_insert(format!("version {v}: {p}"));
                    }
                }
            }
        }
        Err(first.unwrap_or_default())
    }

    fn handle(&mut self, m: &Value) {
        assert_eq!(m["jsonrpc"], "2.0", "{m}");
        if m["method"] == "textDocument/publishDiagnostics" {
            let uri = m["params"]["uri"].as_str().unwrap().to_string();
            let diags = m["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let Some(version) = m["params"]["version"].as_i64() else {
                assert!(diags.is_empty(), "diagnostics without a version: {m}");
                return;
            };
            self.publications += 1;
            if let Some((prev, _)) = self.last_published.get(&uri) {
                assert!(
                    version >= *prev,
                    "{uri}: diagnostics for version {version} published after version {prev}"
                );
            }
            let text = self
                .history
                .get(&(uri.clone(), version))
                .unwrap_or_else(|| {
                    panic!("diagnostics for a version that was never sent: {uri} {version}")
                });
            for d in &diags {
                if let Some(p) = range_problem(text, &d["range"], Enc::Utf16) {
                    panic!(
                        "{uri} version {version}: diagnostic {} {} outside the text: {p}\n{text:?}",
                        d["code"], d["range"]
                    );
                }
            }
            self.last_published.insert(uri, (version, diags));
            return;
        }
        if m.get("method").is_some() {
            return; // other notifications
        }
        let id = m["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("a response with an unexpected id: {m}"));
        let (method, sent_version, cancelled) = self
            .pending
            .remove(&id)
            .unwrap_or_else(|| panic!("a response to no pending request (or answered twice): {m}"));
        self.answered += 1;
        if let Some(e) = m.get("error") {
            assert!(
                cancelled && e["code"] == -32800,
                "{method} (sent at version {sent_version}) failed: {m}"
            );
            self.cancelled_answers += 1;
            return;
        }
        let result = &m["result"];
        match method.as_str() {
            "textDocument/hover" => {
                if let Some(r) = result.get("range") {
                    if let Err(p) = self.inside_some_version(URI, sent_version, r) {
                        panic!("hover range {r} outside the document: {p}");
                    }
                }
            }
            "textDocument/completion" => {
                let items = result
                    .as_array()
                    .cloned()
                    .or_else(|| result["items"].as_array().cloned())
                    .unwrap_or_default();
                for i in items {
                    if let Some(r) = i["textEdit"].get("range") {
                        if let Err(p) = self.inside_some_version(URI, sent_version, r) {
                            panic!("completion edit {r} outside the document: {p}");
                        }
                    }
                }
            }
            "textDocument/codeAction" => {
                for a in result.as_array().cloned().unwrap_or_default() {
                    for dc in a["edit"]["documentChanges"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                    {
                        let v = dc["textDocument"]["version"]
                            .as_i64()
                            .expect("versioned edit");
                        let text = &self.history[&(URI.to_string(), v)];
                        for e in dc["edits"].as_array().unwrap() {
                            if let Some(p) = range_problem(text, &e["range"], Enc::Utf16) {
                                panic!(
                                    "code action `{}` edit {} outside version {v}: {p}",
                                    a["title"], e["range"]
                                );
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

async fn pump(c: &mut Client, s: &mut Session) {
    while let Ok(Some(m)) =
        tokio::time::timeout(Duration::ZERO, c.recv_within(Duration::from_secs(60))).await
    {
        s.handle(&m);
    }
}

async fn wait_until(
    c: &mut Client,
    s: &mut Session,
    what: &str,
    limit: Duration,
    done: impl Fn(&Session) -> bool,
) {
    let deadline = Instant::now() + limit;
    while !done(s) {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, c.recv_within(limit)).await {
            Ok(Some(m)) => s.handle(&m),
            Ok(None) => panic!("the server closed its output while waiting for {what}"),
            Err(_) => panic!("{what}: not within {limit:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_with_requests_in_flight_end_in_the_clients_text() {
    let edits: i64 = if long_tests() { 50_000 } else { 10_000 };
    let _w = Watchdog::new(
        "stress",
        Duration::from_secs(if long_tests() { 1800 } else { 300 }),
    );
    let started = Instant::now();
    let mut c = Client::spawn(SpawnOptions::default());
    c.timeout = Duration::from_secs(60);
    c.initialize_with(
        json!({"capabilities": {"workspace": {"workspaceEdit": {"documentChanges": true}}}}),
    )
    .await;
    let mut s = Session::default();
    let mut text = INITIAL.to_string();
    s.history.insert((URI.to_string(), 1), text.clone());
    s.latest.insert(URI.to_string(), 1);
    c.open(URI, &text).await;
    let mut rng = Rng(0x5eed);
    let mut requests = 0;
    let mut cancels = 0;
    let methods = [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/codeAction",
    ];
    for version in 2..=edits + 1 {
        // One to three changes per notification, applied in order.
        let mut changes = Vec::new();
        for _ in 0..1 + rng.below(3) * usize::from(rng.below(4) == 0) {
            let a = boundary(&mut rng, &text);
            let b = boundary(&mut rng, &text);
            let (start, mut end) = (a.min(b), a.max(b));
            // Mostly small deletions; bigger ones when the text grew large.
            let max_del = if text.len() > 6000 { 400 } else { 12 };
            while end - start > max_del {
                end = text[..end]
                    .char_indices()
                    .next_back()
                    .map_or(start, |(i, _)| i)
                    .max(start);
            }
            let kind = rng.below(10);
            let insert = if kind < 6 || text.len() < 800 {
                PIECES[rng.below(PIECES.len())]
            } else {
                ""
            };
            let end = if kind < 4 {
                start
            } else {
                addressable(&text, end)
            };
            // Sometimes the range is given end-first; the server reads it as the span between.
            let (p1, p2) = (pos_json(&text, start), pos_json(&text, end));
            let range = if rng.below(20) == 0 {
                json!({"start": p2, "end": p1})
            } else {
                json!({"start": p1, "end": p2})
            };
            changes.push(json!({"range": range, "text": insert}));
            text.replace_range(start..end, insert);
        }
        s.history.insert((URI.to_string(), version), text.clone());
        s.latest.insert(URI.to_string(), version);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": changes}),
        )
        .await;
        if rng.below(5) == 0 {
            let method = methods[rng.below(3)];
            let at = boundary(&mut rng, &text);
            let to = (at + rng.below(40)).min(text.len());
            let to = addressable(
                &text,
                (to..=text.len())
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap(),
            );
            let params = match method {
                "textDocument/codeAction" => {
                    json!({"textDocument": {"uri": URI}, "range": {"start": pos_json(&text, at), "end": pos_json(&text, to)}, "context": {"diagnostics": []}})
                }
                _ => json!({"textDocument": {"uri": URI}, "position": pos_json(&text, at)}),
            };
            let id = c.send_request(method, params).await;
            s.pending.insert(id, (method.to_string(), version, false));
            requests += 1;
            if rng.below(8) == 0 {
                if let Some(e) = s.pending.get_mut(&id) {
                    e.2 = true;
                }
                c.notify("$/cancelRequest", json!({"id": id})).await;
                cancels += 1;
            }
        }
        pump(&mut c, &mut s).await;
    }
    let last = edits + 1;
    let sent_at = started.elapsed();
    wait_until(
        &mut c,
        &mut s,
        "answers to every request",
        Duration::from_secs(120),
        |s| s.pending.is_empty(),
    )
    .await;
    wait_until(
        &mut c,
        &mut s,
        "diagnostics of the last version",
        Duration::from_secs(120),
        |s| s.last_published.get(URI).is_some_and(|(v, _)| *v == last),
    )
    .await;
    let all_done = started.elapsed();
    // A fresh open of the same text.
    s.history.insert((FRESH.to_string(), 1), text.clone());
    s.latest.insert(FRESH.to_string(), 1);
    c.open(FRESH, &text).await;
    wait_until(
        &mut c,
        &mut s,
        "diagnostics of the fresh document",
        Duration::from_secs(60),
        |s| s.last_published.contains_key(FRESH),
    )
    .await;
    let edited = s.last_published[URI].1.clone();
    let fresh = s.last_published[FRESH].1.clone();
    assert_eq!(
        visible(&edited),
        visible(&fresh),
        "diagnostics after {edits} edits differ from a fresh open of {text:?}"
    );
    let a = c.request("outreach/preview", json!({"uri": URI})).await;
    let b = c.request("outreach/preview", json!({"uri": FRESH})).await;
    assert!(a.get("error").is_none(), "{a}");
    assert_eq!(
        a["result"], b["result"],
        "the server's text differs from the client's"
    );
    eprintln!(
        "{edits} edits, {requests} requests ({cancels} cancelled, {} answered as cancelled), {} publications: sent in {sent_at:?}, all answered in {all_done:?}",
        s.cancelled_answers, s.publications
    );
    assert_eq!(s.answered, requests);
    let code = c.shutdown_and_exit().await;
    assert_eq!(code, Some(0));
}
