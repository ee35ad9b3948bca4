//! Fuzzing with proptest: the template parser, the front matter reader, position mapping, and the
//! whole server's message handling (arbitrary JSON-RPC frames into the in-process server).
//!
//! Properties:
//! - nothing panics; every span the parser returns lies inside the text, on char boundaries;
//! - position mapping clamps exactly as documented, and edits on the rope equal edits on a `String`
//!   (CR-only line breaks included);
//! - after any sequence of frames the server still answers a valid request, every request it was sent
//!   gets exactly one well-formed response, every published diagnostic range lies inside the text of
//!   the document version it was published for, and the server's text equals the client's (preview and
//!   diagnostics equal those of a fresh open of the same text).
//!
//! The seed corpus in `tests/fuzz-seeds/` is replayed before the random cases (see its README).
//! Default: a few hundred cases per target; `OUTREACH_LONG_TESTS=1` runs many more, and
//! `OUTREACH_FUZZ_SECONDS=N` keeps each target running new random cases until N seconds have passed
//! (`.ci/run` uses it to fuzz for a bounded time).

#[path = "common/extra.rs"]
mod extra;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use extra::*;
use outreach_lsp::model::{front_matter, Template};
use outreach_lsp::server::document::{offset_of, position_of, Document, Encoding};
use outreach_lsp::{lint, Config};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as PtConfig, TestCaseError, TestRunner};
use serde_json::{json, Value};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// A test runner that keeps running each property on fresh random cases, batch after batch, until
/// `OUTREACH_FUZZ_SECONDS` have passed (one batch when it is not set).
struct Fuzz {
    config: PtConfig,
}

impl Fuzz {
    fn new(config: PtConfig) -> Fuzz {
        Fuzz { config }
    }

    fn run<S: Strategy>(
        &mut self,
        strategy: &S,
        test: impl Fn(S::Value) -> Result<(), TestCaseError>,
    ) -> Result<(), proptest::test_runner::TestError<<S::Tree as ValueTree>::Value>>
    where
        S::Value: std::fmt::Debug,
    {
        let budget = fuzz_seconds();
        let start = Instant::now();
        let mut batches = 0u32;
        loop {
            // A new runner draws a new random seed, so each batch tries new cases.
            TestRunner::new(self.config.clone()).run(strategy, &test)?;
            batches += 1;
            if budget.is_none_or(|b| start.elapsed() >= b) {
                break;
            }
        }
        if budget.is_some() {
            eprintln!(
                "{batches} batches of {} cases in {:?}",
                self.config.cases,
                start.elapsed()
            );
        }
        Ok(())
    }
}

fn fuzz_seconds() -> Option<Duration> {
    std::env::var("OUTREACH_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_secs)
}

/// A watchdog limit: `base`, plus room for `properties` time-bounded fuzz runs.
fn limit(base: u64, properties: u32) -> Duration {
    Duration::from_secs(base) + fuzz_seconds().unwrap_or_default() * properties * 2
}

fn cases(default: u32, long: u32) -> u32 {
    if long_tests() {
        long
    } else {
        default
    }
}

// =====================================================================================================
// Text generators

/// Pieces that stress the template syntax, the YAML reader and line/position handling.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[ -~]{0,8}",
        1 => any::<String>().prop_map(|s| s.chars().take(6).collect()),
        2 => prop::sample::select(vec![
            "a", "é", "😀", "e\u{301}", "\u{feff}", "\u{2028}", "\u{85}", "\0", "\t", "ǅ", "ß",
            "\n", "\r\n", "\r", "\n\n", "\r\r\n",
            "{{", "}}", "{{{", "}}}", "\\{{", "{ {", "{{}}", "{{ }}", "{{first_name}}",
            "{{ first_name | default: \"there\" }}", "{{company|upcase}}", "{{x | bogus}}",
            "{{ a | default: \"unterminated }}", "{{ First Name }}", "{{😀}}", "{{é}}", "|", "default:",
            "\"", "'", "---", "---\n", "...\n", "---\r\n", "# ", "## Follow-up\n", "# Connection request\n",
            "#", "######## x\n", "<!--", "-->", "<!-- outreach-lsp-disable -->",
            "<!-- outreach-lsp-disable-next-line sales-pitch -- why -->",
            "<!-- outreach: kind=follow-up channel=email -->", "<!-- outreach-lsp-enable -->",
            "`", "```", "```\n", "~~~\n", "    indented code\n", "[First Name]", "%FIRSTNAME%", "*|FNAME|*",
            "XXX", "[link](http://x.y)", "<http://a.b>", "Subject: ", "Subject: Hi {{first_name}}\n",
            "Hi ", "Dear Sir or Madam,", "BUY NOW!!", "book a demo", "ASAP", "I I I me my",
            "channel: email\n", "channel: [\n", "kind: {\n", "account: free\n", "disable: [sales-pitch]\n",
            "placeholders:\n  podcast:\n    max_length: 99999999999999999999\n", "daily_limit: -5\n",
            "&a x\n", "*a\n", "!!binary x\n", "? k\n", ": v\n", "- - - -\n", "key: 'unterminated\n",
            "  ", "\u{a0}", "ﬁ", "İ", "Σ",
            "{%", "%}", "{% if x %}", "{% elsif y %}", "{% else %}", "{% endif %}", "{% case k %}",
            "{% when 'a' %}", "{Hi|Hello}", "{", "{{#if x}}", "{{else}}", "{{/if}}", "*|IF:FNAME|*",
            "*|ELSE:|*", "*|END:IF|*", "dialect: handlebars\n", "dialect: mailchimp\n",
        ]).prop_map(str::to_string),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec(hostile_piece(), 0..60).prop_map(|v| v.concat()),
        1 => (prop::collection::vec(hostile_piece(), 0..30), prop::collection::vec(hostile_piece(), 0..30))
            .prop_map(|(fm, body)| format!("---\n{}\n---\n{}", fm.concat(), body.concat())),
        1 => any::<Vec<u8>>().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => any::<String>(),
    ]
}

// =====================================================================================================
// 1. The parser and the front matter reader

fn check_span(text: &str, what: &str, span: &std::ops::Range<usize>) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} is outside the text of {} bytes",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} is not on char boundaries"
    );
    Ok(())
}

fn check_node(text: &str, node: &front_matter::Node) -> Result<(), TestCaseError> {
    check_span(text, "front matter node", &node.span)?;
    match &node.value {
        front_matter::Value::List(items) => {
            for i in items {
                check_node(text, i)?;
            }
        }
        front_matter::Value::Map(entries) => {
            for (k, v) in entries {
                check_node(text, k)?;
                check_node(text, v)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_front_matter(text: &str, fm: &front_matter::FrontMatter) -> Result<(), TestCaseError> {
    check_span(text, "front matter", &fm.span)?;
    check_span(text, "front matter yaml", &fm.yaml_span)?;
    prop_assert!(fm.span.start <= fm.yaml_span.start && fm.yaml_span.end <= fm.span.end);
    for (k, v) in &fm.entries {
        check_node(text, k)?;
        check_node(text, v)?;
    }
    for i in &fm.issues {
        check_span(text, "front matter issue", &i.span)?;
    }
    let s = &fm.settings;
    for (what, span) in [
        ("daily_limit", s.daily_limit.as_ref()),
        ("weekly_limit", s.weekly_limit.as_ref()),
    ] {
        if let Some((_, span)) = span {
            check_span(text, what, span)?;
        }
    }
    for (_, span) in &s.placeholders {
        check_span(text, "placeholder declaration", span)?;
    }
    for (_, span) in &s.disable {
        check_span(text, "disable entry", span)?;
    }
    if let Some(span) = &s.disable_span {
        check_span(text, "disable value", span)?;
    }
    Ok(())
}

fn check_template(text: &str) -> Result<(), TestCaseError> {
    let t = Template::parse(text);
    prop_assert_eq!(
        t.prose.len(),
        text.len(),
        "the prose view keeps byte offsets"
    );
    if let Some(fm) = &t.front_matter {
        check_front_matter(text, fm)?;
    }
    let mut last_end = 0;
    for r in &t.non_prose {
        check_span(text, "non-prose range", r)?;
        prop_assert!(
            r.start >= last_end,
            "non-prose ranges overlap or are unsorted: {:?}",
            t.non_prose
        );
        last_end = r.end;
    }
    for c in &t.comments {
        check_span(text, "comment", &c.span)?;
        check_span(text, "comment inner", &c.inner)?;
    }
    for p in &t.placeholders {
        check_span(text, "placeholder", &p.span)?;
        check_span(text, "placeholder name", &p.name_span)?;
        for f in &p.filters {
            check_span(text, "filter", &f.span)?;
            if let Some(a) = &f.argument_span {
                check_span(text, "filter argument", a)?;
            }
        }
    }
    for e in &t.syntax_errors {
        check_span(text, "syntax error", &e.span)?;
        if let Some(r) = &e.repair {
            for edit in &r.edits {
                check_span(text, "repair edit", &edit.span)?;
            }
        }
    }
    for m in &t.messages {
        check_span(text, "message", &m.span)?;
        check_span(text, "message content", &m.content)?;
        check_span(text, "message anchor", &m.anchor)?;
        for (what, s) in [
            ("subject", &m.subject),
            ("subject line", &m.subject_line),
            ("first line", &m.first_line),
        ] {
            if let Some(s) = s {
                check_span(text, what, s)?;
            }
        }
        if let Some(h) = &m.heading {
            check_span(text, "heading line", &h.line)?;
            check_span(text, "heading title", &h.title)?;
        }
        prop_assert!(m.placeholders.end <= t.placeholders.len());
        let _ = m.label(text);
    }
    // The core on the same text: findings and fixes inside the text too.
    let result = lint(text, &Config::default());
    for f in &result.findings {
        check_span(text, f.rule.as_str(), &f.span)?;
        for fix in &f.fixes {
            for e in &fix.edits {
                check_span(text, "fix edit", &e.span)?;
            }
        }
    }
    Ok(())
}

#[test]
fn parser_and_front_matter_on_arbitrary_input() {
    let _w = Watchdog::new("parser fuzz", limit(600, 3));
    let mut runner = Fuzz::new(PtConfig {
        cases: cases(512, 20_000),
        failure_persistence: None,
        ..PtConfig::default()
    });
    runner
        .run(&hostile_text(), |text| check_template(&text))
        .unwrap();
    // Arbitrary bytes, read the way a file is read (lossy), and front matter alone.
    runner
        .run(&any::<Vec<u8>>(), |bytes| {
            let text = String::from_utf8_lossy(&bytes);
            check_template(&text)?;
            let fm_text = format!("---\n{text}\n---\nHi\n");
            if let Some(fm) = front_matter::find(&fm_text) {
                check_front_matter(&fm_text, &fm)?;
            }
            Ok(())
        })
        .unwrap();
    runner
        .run(&prop::collection::vec(hostile_piece(), 0..40), |pieces| {
            for text in [
                format!("---\n{}", pieces.concat()),
                format!("\u{feff}---\r\n{}\r\n---\r\n", pieces.concat()),
            ] {
                if let Some(fm) = front_matter::find(&text) {
                    check_front_matter(&text, &fm)?;
                }
                check_template(&text)?;
            }
            Ok(())
        })
        .unwrap();
}

/// A few pathological front matters that a random generator rarely builds.
#[test]
fn deep_and_wide_front_matter() {
    let _w = Watchdog::new("deep front matter", Duration::from_secs(120));
    let texts = [
        format!("---\nchannel: {}\n---\nHi\n", "[".repeat(20_000)),
        format!(
            "---\nchannel: {}x{}\n---\nHi\n",
            "[".repeat(5_000),
            "]".repeat(5_000)
        ),
        format!("---\nk: {}\n---\nHi\n", "{a: ".repeat(5_000)),
        format!("---\n{}---\nHi\n", "- ".repeat(5_000) + "x\n"),
        format!(
            "---\n{}---\nHi\n",
            (0..5_000)
                .map(|i| format!("k{i}: &a{i} v\n"))
                .collect::<String>()
        ),
        format!(
            "---\nplaceholders:\n{}---\nHi\n",
            (0..2_000)
                .map(|i| format!("  p{i}:\n    max_length: {i}\n"))
                .collect::<String>()
        ),
        "---\n".repeat(10_000),
    ];
    for text in &texts {
        let start = Instant::now();
        let fm = front_matter::find(text).expect("starts with ---");
        check_front_matter(text, &fm).unwrap();
        check_template(text).unwrap();
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "took {:?}",
            start.elapsed()
        );
    }
}

// =====================================================================================================
// Position mapping

fn enc_pair(e: Enc) -> Encoding {
    match e {
        Enc::Utf8 => Encoding::Utf8,
        Enc::Utf16 => Encoding::Utf16,
    }
}

fn any_u32() -> impl Strategy<Value = u32> {
    prop_oneof![
        0u32..8,
        0u32..200,
        Just(u32::MAX),
        Just(u32::MAX - 1),
        Just(i32::MAX as u32),
        any::<u32>()
    ]
}

#[test]
fn position_mapping_on_arbitrary_text() {
    let _w = Watchdog::new("position fuzz", limit(600, 3));
    let mut runner = Fuzz::new(PtConfig {
        cases: cases(512, 20_000),
        failure_persistence: None,
        ..PtConfig::default()
    });
    runner
        .run(
            &(hostile_text(), any_u32(), any_u32(), any::<bool>()),
            |(text, line, ch, utf8)| {
                let enc = if utf8 { Enc::Utf8 } else { Enc::Utf16 };
                let rope = ropey::Rope::from_str(&text);
                prop_assert_eq!(
                    rope.len_lines(),
                    lines(&text).len(),
                    "LSP lines (\\n, \\r\\n, \\r only)"
                );
                let off = offset_of(&rope, Position::new(line, ch), enc_pair(enc));
                prop_assert!(off <= text.len() && text.is_char_boundary(off));
                prop_assert_eq!(
                    off,
                    offset_at(&text, line.into(), ch.into(), enc),
                    "clamping as documented"
                );
                let pos = position_of(&rope, off, enc_pair(enc));
                prop_assert_eq!(
                    (pos.line as u64, pos.character as u64),
                    position_at(&text, off, enc)
                );
                prop_assert_eq!(offset_of(&rope, pos, enc_pair(enc)), off, "round trip");
                Ok(())
            },
        )
        .unwrap();
    // Incremental edits with arbitrary (clamped, reversed, huge) ranges equal the same edits on a String.
    runner
        .run(
            &(
                hostile_text(),
                prop::collection::vec(
                    (
                        any_u32(),
                        any_u32(),
                        any_u32(),
                        any_u32(),
                        hostile_piece(),
                        any::<u8>(),
                    ),
                    1..25,
                ),
                any::<bool>(),
            ),
            |(initial, edits, utf8)| {
                let enc = if utf8 { Enc::Utf8 } else { Enc::Utf16 };
                let mut doc = Document::new(&initial, 1, "outreach".into());
                let mut model = initial.clone();
                for (l1, c1, l2, c2, insert, mode) in edits {
                    let n = lines(&model).len() as u32;
                    // Mostly positions near the text, sometimes anything at all.
                    let (l1, l2) = if mode % 4 == 0 {
                        (l1, l2)
                    } else {
                        (l1 % (n + 1), l2 % (n + 1))
                    };
                    let (c1, c2) = if mode % 5 == 0 {
                        (c1, c2)
                    } else {
                        (c1 % 14, c2 % 14)
                    };
                    let change = if mode == 255 {
                        model = insert.clone();
                        TextDocumentContentChangeEvent {
                            range: None,
                            range_length: None,
                            text: insert,
                        }
                    } else {
                        let a = offset_at(&model, l1.into(), c1.into(), enc);
                        let b = offset_at(&model, l2.into(), c2.into(), enc);
                        model.replace_range(a.min(b)..a.max(b), &insert);
                        TextDocumentContentChangeEvent {
                            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
                            range_length: Some(7),
                            text: insert,
                        }
                    };
                    doc.apply(&change, enc_pair(enc));
                    prop_assert_eq!(doc.text(), model.clone());
                }
                Ok(())
            },
        )
        .unwrap();
}

/// `position_of` documents that it clamps and rounds down to a character boundary; whatever byte
/// offset it gets (a finding's span can end anywhere), the position lies inside the document.
#[test]
fn any_offset_maps_to_a_position_inside_the_text() {
    let _w = Watchdog::new("offset fuzz", limit(600, 3));
    let mut runner = Fuzz::new(PtConfig {
        cases: cases(512, 20_000),
        failure_persistence: None,
        ..PtConfig::default()
    });
    runner
        .run(&(hostile_text(), any::<bool>()), |(text, utf8)| {
            let enc = if utf8 { Enc::Utf8 } else { Enc::Utf16 };
            let rope = ropey::Rope::from_str(&text);
            // Every position a client can name: per line, the unit offsets of its character
            // boundaries (end of the line's text included).
            let valid: Vec<Vec<u64>> = lines(&text)
                .iter()
                .map(|l| {
                    let mut units = vec![0u64];
                    for c in text[l.clone()].chars() {
                        units.push(units.last().unwrap() + enc.units(c) as u64);
                    }
                    units
                })
                .collect();
            for raw in 0..text.len() + 3 {
                let p = position_of(&rope, raw, enc_pair(enc));
                let ok = valid
                    .get(p.line as usize)
                    .is_some_and(|u| u.binary_search(&u64::from(p.character)).is_ok());
                if !ok {
                    let r = json!({"start": {"line": p.line, "character": p.character}, "end": {"line": p.line, "character": p.character}});
                    prop_assert!(
                        false,
                        "position_of(byte {raw}) = {p:?} in {text:?}: {:?}",
                        range_problem(&text, &r, enc)
                    );
                }
            }
            Ok(())
        })
        .unwrap();
}

// =====================================================================================================
// 2. The server: arbitrary JSON-RPC frames

/// Methods of LSP 3.17 (client-to-server and a few server-to-client ones sent the wrong way), plus the
/// server's own. `shutdown` and `exit` are left out: they legitimately end the session.
const METHODS: &[&str] = &[
    "initialize",
    "initialized",
    "$/cancelRequest",
    "$/setTrace",
    "$/logTrace",
    "$/progress",
    "textDocument/didOpen",
    "textDocument/didChange",
    "textDocument/didClose",
    "textDocument/didSave",
    "textDocument/willSave",
    "textDocument/willSaveWaitUntil",
    "textDocument/hover",
    "textDocument/completion",
    "completionItem/resolve",
    "textDocument/codeAction",
    "codeAction/resolve",
    "textDocument/documentSymbol",
    "textDocument/inlayHint",
    "inlayHint/resolve",
    "textDocument/semanticTokens/full",
    "textDocument/semanticTokens/full/delta",
    "textDocument/semanticTokens/range",
    "textDocument/definition",
    "textDocument/declaration",
    "textDocument/typeDefinition",
    "textDocument/implementation",
    "textDocument/references",
    "textDocument/documentHighlight",
    "textDocument/codeLens",
    "codeLens/resolve",
    "textDocument/documentLink",
    "documentLink/resolve",
    "textDocument/documentColor",
    "textDocument/colorPresentation",
    "textDocument/formatting",
    "textDocument/rangeFormatting",
    "textDocument/onTypeFormatting",
    "textDocument/rename",
    "textDocument/prepareRename",
    "textDocument/foldingRange",
    "textDocument/selectionRange",
    "textDocument/signatureHelp",
    "textDocument/linkedEditingRange",
    "textDocument/moniker",
    "textDocument/diagnostic",
    "textDocument/inlineValue",
    "textDocument/prepareCallHierarchy",
    "callHierarchy/incomingCalls",
    "callHierarchy/outgoingCalls",
    "textDocument/prepareTypeHierarchy",
    "typeHierarchy/supertypes",
    "typeHierarchy/subtypes",
    "workspace/symbol",
    "workspaceSymbol/resolve",
    "workspace/executeCommand",
    "workspace/didChangeConfiguration",
    "workspace/didChangeWatchedFiles",
    "workspace/didChangeWorkspaceFolders",
    "workspace/willCreateFiles",
    "workspace/didCreateFiles",
    "workspace/willRenameFiles",
    "workspace/didRenameFiles",
    "workspace/willDeleteFiles",
    "workspace/didDeleteFiles",
    "workspace/diagnostic",
    "window/workDoneProgress/cancel",
    "notebookDocument/didOpen",
    "notebookDocument/didChange",
    "notebookDocument/didSave",
    "notebookDocument/didClose",
    "window/showMessage",
    "window/logMessage",
    "telemetry/event",
    "textDocument/publishDiagnostics",
    "workspace/configuration",
    "workspace/applyEdit",
    "client/registerCapability",
    "workspace/workspaceFolders",
    "outreach/preview",
    "outreach/testPanic",
    "outreach/noSuchThing",
    "",
    "textDocument/",
    "$/",
    "TEXTDOCUMENT/HOVER",
    "textDocument/hover\u{0}",
];

/// URIs nobody opens (anything may be sent for them; they must never get diagnostics).
const UNKNOWN_URIS: &[&str] = &[
    "file:///nope/never-opened.outreach.md",
    "file:///",
    "file://",
    "untitled:",
    "untitled:Untitled-9",
    "file:///nope/.outreach.toml",
    "http://example.com/x.outreach.md",
    "file:///nope/%FF%FE.outreach.md",
    "file:///nope/a%20b.outreach.md",
    "not a uri",
    "",
    "file:///nope/../../etc/passwd.outreach.md",
    "file:///nope/😀.outreach.md",
    "urn:x",
    "file:///nope/README.md",
];

fn interesting_number() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!(0),
        json!(1),
        json!(-1),
        json!(2),
        json!(i32::MAX),
        json!(i32::MIN),
        json!(u32::MAX),
        json!(u32::MAX as u64 + 1),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1e300),
        json!(-1e300),
        json!(0.5),
        json!(-0.0),
        json!(9007199254740993u64),
        json!(1e15),
    ])
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        interesting_number(),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[ -~]{0,12}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
        prop::sample::select(UNKNOWN_URIS).prop_map(|s| json!(s)),
        prop::sample::select(vec![
            "utf-8",
            "utf-16",
            "utf-32",
            "markdown",
            "plaintext",
            "quickfix",
            "refactor",
            "off",
            "error",
            "warning",
            "info",
            "hint",
            "sales-pitch",
            "free",
            "premium",
            "**/*",
            "[",
            "{{",
            "x".repeat(10_000).leak() as &str
        ])
        .prop_map(|s| json!(s)),
    ]
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        3 => prop::sample::select(vec![
                            "textDocument", "uri", "position", "line", "character", "range", "start",
                            "end", "context", "diagnostics", "only", "triggerKind", "triggerCharacter",
                            "settings", "outreachLsp", "rules", "maxFileSize", "account", "include",
                            "exclude", "changes", "type", "message", "query", "command", "arguments",
                            "id", "items", "data", "edit", "newName", "options", "previousResultId",
                            "identifier", "event", "added", "removed", "files", "token", "value",
                        ]).prop_map(str::to_string),
                        1 => "[a-zA-Z$]{0,8}",
                    ],
                    inner,
                ),
                0..6,
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A position: sometimes fine, often hostile.
fn position_json() -> impl Strategy<Value = Value> {
    let coord =
        prop_oneof![3 => (0u64..6).prop_map(|n| json!(n)), 2 => interesting_number(), 1 => leaf()];
    prop_oneof![
        6 => (coord.clone(), coord).prop_map(|(l, c)| json!({"line": l, "character": c})),
        1 => leaf(),
        1 => Just(json!({"line": 0})),
    ]
}

/// Which document a request talks about.
#[derive(Debug, Clone)]
enum Target {
    /// One of the documents whose text the client tracks (never mutated by random frames).
    Tracked(usize),
    Scratch(usize),
    Unknown(&'static str),
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        3 => (0usize..2).prop_map(Target::Tracked),
        1 => (0usize..3).prop_map(Target::Scratch),
        2 => prop::sample::select(UNKNOWN_URIS).prop_map(Target::Unknown),
    ]
}

/// Params for a random method: plausible shapes with hostile values, or anything at all.
fn params() -> impl Strategy<Value = (Option<Target>, Value)> {
    prop_oneof![
        4 => (target(), position_json()).prop_map(|(t, p)| (Some(t), json!({"textDocument": {"uri": "$URI"}, "position": p}))),
        2 => (target(), position_json(), position_json(), arbitrary_json()).prop_map(|(t, a, b, d)| {
            (Some(t), json!({"textDocument": {"uri": "$URI"}, "range": {"start": a, "end": b}, "context": {"diagnostics": [d], "only": ["quickfix"]}}))
        }),
        2 => target().prop_map(|t| (Some(t), json!({"textDocument": {"uri": "$URI"}}))),
        1 => (target(), arbitrary_json()).prop_map(|(t, m)| (Some(t), json!({"uri": "$URI", "message": m}))),
        2 => arbitrary_json().prop_map(|s| (None, json!({"settings": s}))),
        1 => (arbitrary_json(), arbitrary_json()).prop_map(|(a, b)| (None, json!({"settings": {"outreachLsp": {"rules": a, "maxFileSize": b}}}))),
        1 => (prop::sample::select(UNKNOWN_URIS), leaf()).prop_map(|(u, t)| (None, json!({"changes": [{"uri": u, "type": t}]}))),
        3 => arbitrary_json().prop_map(|v| (None, v)),
        1 => Just((None, Value::Null)),
    ]
}

#[derive(Debug, Clone)]
enum Id {
    /// Tracked ids: each gets a fresh unique value when sent.
    Number,
    Negative,
    Str,
    Float,
    Huge,
    /// Not trackable (null, bool, object): only must not break anything.
    Odd(Value),
}

fn id_kind() -> impl Strategy<Value = Option<Id>> {
    prop_oneof![
        3 => Just(None),
        4 => Just(Some(Id::Number)),
        1 => Just(Some(Id::Negative)),
        2 => Just(Some(Id::Str)),
        1 => Just(Some(Id::Float)),
        1 => Just(Some(Id::Huge)),
        1 => prop::sample::select(vec![Value::Null, json!(true), json!({"a": 1}), json!([1])]).prop_map(|v| Some(Id::Odd(v))),
    ]
}

/// Framing variants that keep the stream in sync.
#[derive(Debug, Clone, Copy)]
enum Framing {
    Plain,
    LowerCase,
    WithContentType,
    LfOnly,
    LeadingBlankLines,
    Spaces,
}

fn framing() -> impl Strategy<Value = Framing> {
    prop_oneof![
        8 => Just(Framing::Plain),
        1 => Just(Framing::LowerCase),
        1 => Just(Framing::WithContentType),
        1 => Just(Framing::LfOnly),
        1 => Just(Framing::LeadingBlankLines),
        1 => Just(Framing::Spaces),
    ]
}

fn framed(body: &[u8], f: Framing) -> Vec<u8> {
    let n = body.len();
    let mut out = match f {
        Framing::Plain => format!("Content-Length: {n}\r\n\r\n"),
        Framing::LowerCase => format!("content-length: {n}\r\n\r\n"),
        Framing::WithContentType => format!("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: {n}\r\n\r\n"),
        Framing::LfOnly => format!("Content-Length: {n}\n\n"),
        Framing::LeadingBlankLines => format!("\r\n\r\nContent-Length: {n}\r\n\r\n"),
        Framing::Spaces => format!("Content-Length:    {n}  \r\n\r\n"),
    }
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// An edit position chosen when the op runs, relative to the text it is applied to.
#[derive(Debug, Clone, Copy)]
struct PosSel {
    line: u32,
    ch: u32,
    mode: u8,
}

fn pos_sel() -> impl Strategy<Value = PosSel> {
    (any::<u32>(), any::<u32>(), any::<u8>()).prop_map(|(line, ch, mode)| PosSel { line, ch, mode })
}

impl PosSel {
    fn resolve(self, text: &str, enc: Enc) -> (u64, u64) {
        let ls = lines(text);
        match self.mode % 16 {
            0 => (u64::from(self.line), u64::from(self.ch)), // anything in u32
            1 => (
                ls.len() as u64 + u64::from(self.line % 3),
                u64::from(self.ch % 5),
            ), // past the last line
            2 => (u64::from(self.line) % ls.len() as u64, u64::from(u32::MAX)), // past the line's end
            _ => {
                let l = (self.line as usize) % ls.len();
                let len: u64 = text[ls[l].clone()]
                    .chars()
                    .map(|c| enc.units(c) as u64)
                    .sum();
                (l as u64, u64::from(self.ch) % (len + 2))
            }
        }
    }
}

#[derive(Debug, Clone)]
enum ChangeSpec {
    Range(PosSel, PosSel, String),
    Full(String),
}

fn change_spec() -> impl Strategy<Value = ChangeSpec> {
    let insert = prop_oneof![4 => hostile_piece(), 1 => Just(String::new()), 1 => prop::collection::vec(hostile_piece(), 0..8).prop_map(|v| v.concat())];
    prop_oneof![
        12 => (pos_sel(), pos_sel(), insert.clone()).prop_map(|(a, b, t)| ChangeSpec::Range(a, b, t)),
        1 => prop::collection::vec(hostile_piece(), 0..20).prop_map(|v| ChangeSpec::Full(v.concat())),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    /// A valid incremental change of a tracked document (the next version).
    EditTracked(usize, Vec<ChangeSpec>, Framing),
    /// Scratch documents: didOpen (also a duplicate one), didChange (also before didOpen and after
    /// didClose), didClose, with any version.
    OpenScratch(usize, String, i32),
    ChangeScratch(usize, Vec<ChangeSpec>, i32),
    CloseScratch(usize),
    /// didChange / didOpen / didClose with broken params (wrong types, missing fields) for any document:
    /// the server must drop them without touching the text.
    BrokenMutation(usize, u8),
    /// A random method with random params.
    Random(&'static str, Option<Target>, Value, Option<Id>, Framing),
    /// `$/cancelRequest` for one of the recent requests.
    Cancel(u8),
    /// A frame whose body is not a JSON-RPC message.
    BadBody(Vec<u8>),
}

fn bad_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<Vec<u8>>(),
        prop::sample::select(vec![
            "", "{", "}", "[]", "[1,2]", "null", "42", "\"str\"", "{not json", "{\"jsonrpc\":\"2.0\"",
            "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"textDocument/hover\"}",
            "{\"id\":1,\"method\":\"textDocument/hover\",\"params\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":[],\"method\":\"x\"}", "{\"jsonrpc\":\"2.0\",\"method\":5}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":null}", "{\"jsonrpc\":\"2.0\",\"id\":8,\"error\":{\"code\":1,\"message\":\"x\"}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///nope/x.outreach.md\",\"languageId\":\"m\",\"version\":1,\"text\":\"\\ud800\"}}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"a\":1,\"a\":2}}", "\u{feff}{}", "{\"a\":\"\\u0000\"}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/hover\",\"id\":1e999}",
        ]).prop_map(|s| s.as_bytes().to_vec()),
        (1usize..3000).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes()),
        (1usize..3000).prop_map(|n| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n)).into_bytes()),
        Just(vec![0xff, 0xfe, b'{', b'}']),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => (0usize..2, prop::collection::vec(change_spec(), 1..4), framing()).prop_map(|(d, c, f)| Op::EditTracked(d, c, f)),
        2 => (0usize..3, prop::collection::vec(hostile_piece(), 0..12), prop_oneof![Just(1), Just(0), Just(-1), any::<i32>()])
            .prop_map(|(d, t, v)| Op::OpenScratch(d, t.concat(), v)),
        3 => (0usize..3, prop::collection::vec(change_spec(), 1..3), prop_oneof![2 => 0i32..20, 1 => any::<i32>()])
            .prop_map(|(d, c, v)| Op::ChangeScratch(d, c, v)),
        1 => (0usize..3).prop_map(Op::CloseScratch),
        2 => (0usize..5, any::<u8>()).prop_map(|(d, k)| Op::BrokenMutation(d, k)),
        12 => (prop::sample::select(METHODS), params(), id_kind(), framing())
            .prop_map(|(m, (t, p), id, f)| Op::Random(m, t, p, id, f)),
        1 => any::<u8>().prop_map(Op::Cancel),
        3 => bad_body().prop_map(Op::BadBody),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    utf8: bool,
    initial: [String; 2],
    ops: Vec<Op>,
}

fn case(max_ops: usize) -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        hostile_text(),
        hostile_text(),
        prop::collection::vec(op(), 0..max_ops),
    )
        .prop_map(|(utf8, a, b, ops)| Case {
            utf8,
            initial: [a, b],
            ops,
        })
}

const TRACKED: [(&str, &str); 2] = [
    ("file:///tmp/outreach-fuzz/a.outreach.md", "markdown"),
    ("untitled:Untitled-1", "outreach"),
];
const FRESH: [&str; 2] = [
    "file:///tmp/outreach-fuzz/fresh-a.outreach.md",
    "untitled:Fresh-1",
];
const SCRATCH: [&str; 3] = [
    "file:///tmp/outreach-fuzz/s0.outreach.md",
    "file:///tmp/outreach-fuzz/s1.md",
    "untitled:Scratch-2",
];

/// The client's model of the server's documents.
struct Model {
    enc: Enc,
    /// Open documents the client knows the text of: uri -> (text, version).
    open: HashMap<String, (String, i64)>,
    /// Every (uri, version) -> texts the document had at that version.
    history: HashMap<(String, i64), Vec<String>>,
    /// Ids of requests that must be answered: (times sent, times answered).
    expected: HashMap<String, (usize, usize)>,
    /// Ids of frames that are not requests (responses, broken messages): an error response to them
    /// is allowed, not required.
    maybe: HashSet<String>,
    /// Ids whose answers (any, or none) are fine: probes and requests inside raw seeds.
    lenient: HashSet<String>,
    recent_ids: Vec<Value>,
    /// Messages already checked and not consumed yet.
    stash: std::collections::VecDeque<Value>,
    next_fuzz_id: u64,
    sent: Vec<String>,
}

impl Model {
    fn new(enc: Enc) -> Model {
        Model {
            enc,
            open: HashMap::new(),
            history: HashMap::new(),
            expected: HashMap::new(),
            maybe: HashSet::new(),
            lenient: HashSet::new(),
            recent_ids: Vec::new(),
            stash: Default::default(),
            next_fuzz_id: 0,
            sent: Vec::new(),
        }
    }

    fn record(&mut self, uri: &str) {
        if let Some((t, v)) = self.open.get(uri) {
            self.history
                .entry((uri.to_string(), *v))
                .or_default()
                .push(t.clone());
        }
    }

    fn did_open(&mut self, uri: &str, text: &str, version: i64) {
        self.open
            .insert(uri.to_string(), (text.to_string(), version));
        self.record(uri);
    }

    /// Applies changes (as the server documents: clamped positions, reversed ranges read as the span
    /// between their ends); ignored when the document is not open.
    fn did_change(&mut self, uri: &str, changes: &[Value], version: i64) {
        let enc = self.enc;
        let Some((text, v)) = self.open.get_mut(uri) else {
            return;
        };
        for c in changes {
            match c.get("range") {
                None => *text = c["text"].as_str().unwrap().to_string(),
                Some(r) => {
                    let p = |w: &str| {
                        offset_at(
                            text,
                            r[w]["line"].as_u64().unwrap(),
                            r[w]["character"].as_u64().unwrap(),
                            enc,
                        )
                    };
                    let (a, b) = (p("start"), p("end"));
                    text.replace_range(a.min(b)..a.max(b), c["text"].as_str().unwrap());
                }
            }
        }
        *v = version;
        self.record(uri);
    }

    fn expect(&mut self, id: &Value) {
        self.expected.entry(id.to_string()).or_default().0 += 1;
        self.recent_ids.push(id.clone());
    }

    /// Frames whose JSON has an id and a method must be answered; other frames with an id may get an
    /// error response.
    fn observe_ids(&mut self, v: &Value) {
        if let Some(id) = v.get("id").filter(|i| i.is_number() || i.is_string()) {
            if v.get("method").is_some() {
                self.expect(id);
            } else {
                self.maybe.insert(id.to_string());
            }
        }
    }

    fn unanswered(&self) -> Vec<String> {
        self.expected
            .iter()
            .filter(|(_, (sent, answered))| answered < sent)
            .map(|(k, _)| k.clone())
            .collect()
    }

    fn fresh_id(&mut self, kind: &Id) -> Value {
        self.next_fuzz_id += 1;
        let n = self.next_fuzz_id;
        match kind {
            Id::Number => json!(1_000_000 + n),
            Id::Negative => json!(-(n as i64)),
            Id::Str => json!(format!("fuzz-{n}")),
            Id::Float => json!(n as f64 + 0.5),
            Id::Huge => json!(u64::MAX - n),
            Id::Odd(v) => v.clone(),
        }
    }
}

fn change_json(spec: &ChangeSpec, text: &str, enc: Enc) -> Value {
    match spec {
        ChangeSpec::Full(t) => json!({"text": t}),
        ChangeSpec::Range(a, b, t) => {
            let (l1, c1) = a.resolve(text, enc);
            let (l2, c2) = b.resolve(text, enc);
            json!({"range": {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}, "text": t})
        }
    }
}

/// Applies `changes` to a copy of the text, for resolving the positions of the next change.
fn preview_changes(model: &Model, uri: &str, specs: &[ChangeSpec]) -> Vec<Value> {
    let mut text = model
        .open
        .get(uri)
        .map(|(t, _)| t.clone())
        .unwrap_or_default();
    let mut out = Vec::new();
    for s in specs {
        let c = change_json(s, &text, model.enc);
        match c.get("range") {
            None => text = c["text"].as_str().unwrap().to_string(),
            Some(r) => {
                let p = |w: &str| {
                    offset_at(
                        &text,
                        r[w]["line"].as_u64().unwrap(),
                        r[w]["character"].as_u64().unwrap(),
                        model.enc,
                    )
                };
                let (a, b) = (p("start"), p("end"));
                text.replace_range(a.min(b)..a.max(b), c["text"].as_str().unwrap());
            }
        }
        out.push(c);
    }
    out
}

/// Checks one message from the server against the model.
fn check_incoming(model: &mut Model, m: &Value) {
    assert_eq!(m["jsonrpc"], "2.0", "not JSON-RPC 2.0: {m}");
    if let Some(method) = m.get("method") {
        if method == "textDocument/publishDiagnostics" {
            let uri = m["params"]["uri"].as_str().expect("uri");
            let diags = m["params"]["diagnostics"]
                .as_array()
                .expect("diagnostics array");
            let known = TRACKED.iter().any(|t| t.0 == uri)
                || SCRATCH.contains(&uri)
                || FRESH.contains(&uri);
            if !known {
                assert!(
                    diags.is_empty(),
                    "diagnostics for a document that was never opened: {m}"
                );
                return;
            }
            if diags.is_empty() {
                return;
            }
            let version = m["params"]["version"]
                .as_i64()
                .unwrap_or_else(|| panic!("diagnostics without a version: {m}"));
            let texts = model
                .history
                .get(&(uri.to_string(), version))
                .unwrap_or_else(|| {
                    panic!("diagnostics for {uri} version {version}, a version it never had: {m}")
                });
            let problems: Vec<String> = diags
                .iter()
                .filter_map(|d| {
                    let all: Vec<String> = texts
                        .iter()
                        .filter_map(|t| range_problem(t, &d["range"], model.enc))
                        .collect();
                    (all.len() == texts.len())
                        .then(|| format!("{}: {}", d["range"], all.join("; ")))
                })
                .collect();
            assert!(
                problems.is_empty(),
                "published ranges outside {uri} version {version}:\n{}\ntext(s): {texts:?}",
                problems.join("\n")
            );
        }
        return;
    }
    // A response: exactly one of result/error, for a request that was sent, answered once.
    assert!(
        m.get("result").is_some() != m.get("error").is_some(),
        "a response needs exactly one of result and error: {m}"
    );
    if let Some(e) = m.get("error") {
        assert!(
            e["code"].is_i64() && e["message"].is_string(),
            "malformed error: {m}"
        );
    }
    let id = &m["id"];
    if let Some((sent, answered)) = model.expected.get_mut(&id.to_string()) {
        *answered += 1;
        assert!(
            answered <= sent,
            "request {id} answered more often than it was sent: {m}"
        );
    } else {
        assert!(
            id.is_null()
                || (model.maybe.contains(&id.to_string()) && m.get("error").is_some())
                || model.lenient.contains(&id.to_string()),
            "a response to a request that was never sent: {m}"
        );
    }
}

async fn send_body(c: &mut Client, model: &mut Model, body: &Value, f: Framing) {
    let bytes = serde_json::to_vec(body).unwrap();
    model
        .sent
        .push(String::from_utf8_lossy(&bytes).into_owned());
    c.send_raw(&framed(&bytes, f)).await;
}

fn uri_of(t: &Target) -> String {
    match t {
        Target::Tracked(i) => TRACKED[*i].0.to_string(),
        Target::Scratch(i) => SCRATCH[*i].to_string(),
        Target::Unknown(u) => u.to_string(),
    }
}

fn substitute(v: &Value, uri: &str) -> Value {
    match v {
        Value::String(s) if s == "$URI" => json!(uri),
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute(x, uri)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), substitute(x, uri)))
                .collect(),
        ),
        other => other.clone(),
    }
}

const MUTATING: &[&str] = &[
    "textDocument/didOpen",
    "textDocument/didChange",
    "textDocument/didClose",
];

async fn run_op(c: &mut Client, model: &mut Model, op: &Op) {
    let enc = model.enc;
    match op {
        Op::EditTracked(d, specs, f) => {
            let uri = TRACKED[*d].0;
            let changes = preview_changes(model, uri, specs);
            let version = model.open[uri].1 + 1;
            let body = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}});
            model.did_change(uri, &changes, version);
            send_body(c, model, &body, *f).await;
        }
        Op::OpenScratch(d, text, v) => {
            let uri = SCRATCH[*d];
            let lang = if *d == 2 { "outreach" } else { "markdown" };
            let body = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": lang, "version": v, "text": text}}});
            model.did_open(uri, text, i64::from(*v));
            send_body(c, model, &body, Framing::Plain).await;
        }
        Op::ChangeScratch(d, specs, v) => {
            let uri = SCRATCH[*d];
            let changes = preview_changes(model, uri, specs);
            let body = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": v}, "contentChanges": changes}});
            model.did_change(uri, &changes, i64::from(*v));
            send_body(c, model, &body, Framing::Plain).await;
        }
        Op::CloseScratch(d) => {
            let uri = SCRATCH[*d];
            model.open.remove(uri);
            let body = json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}});
            send_body(c, model, &body, Framing::Plain).await;
        }
        Op::BrokenMutation(d, k) => {
            let uri = if *d < 2 {
                TRACKED[*d].0
            } else {
                SCRATCH[*d - 2]
            };
            let pos = json!({"line": 0, "character": 0});
            let params = match k % 12 {
                0 => {
                    json!({"textDocument": {"uri": uri, "version": "2"}, "contentChanges": [{"text": "X"}]})
                }
                1 => {
                    json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": {"text": "X"}})
                }
                2 => {
                    json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": -1, "character": 0}, "end": pos}, "text": "X"}]})
                }
                3 => {
                    json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 4294967296u64, "character": 0}, "end": pos}, "text": "X"}]})
                }
                4 => {
                    json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": pos, "end": pos}, "text": 5}]})
                }
                5 => {
                    json!({"textDocument": {"uri": uri, "version": 2.5}, "contentChanges": [{"text": "X"}]})
                }
                6 => {
                    json!({"textDocument": {"uri": uri, "version": 4294967296u64}, "contentChanges": [{"text": "X"}]})
                }
                7 => json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1}}),
                8 => {
                    json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": "1", "text": "X"}})
                }
                9 => json!({"textDocument": {"uri": 5}}),
                10 => json!([uri, 1, "X"]),
                _ => {
                    json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 0, "character": 1.5}, "end": pos}, "text": "X"}]})
                }
            };
            let method = if k % 12 >= 7 && k % 12 <= 8 {
                "textDocument/didOpen"
            } else if k % 12 == 9 {
                "textDocument/didClose"
            } else {
                "textDocument/didChange"
            };
            let body = json!({"jsonrpc": "2.0", "method": method, "params": params});
            send_body(c, model, &body, Framing::Plain).await;
        }
        Op::Random(method, target, params, id, f) => {
            let uri = match target {
                Some(Target::Unknown(u)) => u.to_string(),
                // Random frames never change a document the client tracks.
                Some(_) if MUTATING.contains(method) => UNKNOWN_URIS[0].to_string(),
                Some(t) => uri_of(t),
                None => UNKNOWN_URIS[0].to_string(),
            };
            let mut params = substitute(params, &uri);
            if MUTATING.contains(method) {
                // Whatever the random params hold, they never name a document the client tracks.
                let s = params.to_string();
                if TRACKED.iter().any(|t| s.contains(t.0)) || SCRATCH.iter().any(|u| s.contains(u))
                {
                    params = json!({"textDocument": {"uri": UNKNOWN_URIS[0]}});
                }
            }
            let mut body = json!({"jsonrpc": "2.0", "method": method, "params": params});
            if let Some(kind) = id {
                let id = model.fresh_id(kind);
                if !matches!(kind, Id::Odd(_)) {
                    model.expect(&id);
                }
                body["id"] = id;
            }
            send_body(c, model, &body, *f).await;
        }
        Op::Cancel(k) => {
            let id = if model.recent_ids.is_empty() {
                json!(k)
            } else {
                model.recent_ids[usize::from(*k) % model.recent_ids.len()].clone()
            };
            let body = json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": id}});
            send_body(c, model, &body, Framing::Plain).await;
        }
        Op::BadBody(bytes) => {
            model
                .sent
                .push(format!("(raw body) {}", String::from_utf8_lossy(bytes)));
            if let Ok(v) = serde_json::from_slice::<Value>(bytes) {
                model.observe_ids(&v);
            }
            let _ = enc;
            c.send_raw(&framed(bytes, Framing::Plain)).await;
        }
    }
}

/// The next message that satisfies `pred`; every message read on the way is checked once, and
/// the ones not consumed are kept for later waits.
async fn wait_for(
    c: &mut Client,
    model: &mut Model,
    what: &str,
    limit: Duration,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    if let Some(i) = model.stash.iter().position(&pred) {
        return model.stash.remove(i).unwrap();
    }
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let m = match tokio::time::timeout(left, c.recv_within(limit + Duration::from_secs(1)))
            .await
        {
            Ok(Some(m)) => m,
            Ok(None) => panic!("the server closed its output while the client waited for {what}"),
            Err(_) => panic!("no {what} within {limit:?}"),
        };
        check_incoming(model, &m);
        if pred(&m) {
            return m;
        }
        model.stash.push_back(m);
        if model.stash.len() > 2000 {
            model.stash.pop_front();
        }
    }
}

async fn drain_until(c: &mut Client, model: &mut Model, id: &Value, limit: Duration) -> Value {
    wait_for(c, model, &format!("the answer to {id}"), limit, |m| {
        m.get("method").is_none() && &m["id"] == id
    })
    .await
}

async fn wait_diags(
    c: &mut Client,
    model: &mut Model,
    uri: &str,
    version: i64,
    limit: Duration,
) -> Vec<Value> {
    let m = wait_for(
        c,
        model,
        &format!("diagnostics for {uri} version {version}"),
        limit,
        |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        },
    )
    .await;
    m["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn own_request(c: &mut Client, model: &mut Model, method: &str, params: Value) -> Value {
    let id = json!(format!("own-{}", c.next_id()));
    model.expect(&id);
    c.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
        .await;
    let limit = c.timeout;
    drain_until(c, model, &id, limit).await
}

/// Starts an in-process server with the tracked documents open.
async fn start(model: &mut Model, initial: &[String; 2]) -> Client {
    let mut c = Client::in_process();
    c.timeout = Duration::from_secs(10);
    let caps = if model.enc == Enc::Utf8 {
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}})
    } else {
        json!({})
    };
    let init = own_request(
        &mut c,
        model,
        "initialize",
        json!({"capabilities": caps, "processId": null}),
    )
    .await;
    let want = if model.enc == Enc::Utf8 {
        "utf-8"
    } else {
        "utf-16"
    };
    assert_eq!(
        init["result"]["capabilities"]["positionEncoding"], want,
        "{init}"
    );
    c.notify("initialized", json!({})).await;
    for (i, (uri, lang)) in TRACKED.iter().enumerate() {
        let body = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": lang, "version": 1, "text": initial[i]}}});
        model.did_open(uri, &initial[i], 1);
        send_body(&mut c, model, &body, Framing::Plain).await;
    }
    c
}

/// After whatever was sent: the server answers, has every request answered, and its text for the
/// tracked documents equals the client's (diagnostics and preview equal those of a fresh open).
async fn finish(mut c: Client, model: &mut Model) {
    let limit = Duration::from_secs(20);
    let hover = own_request(
        &mut c,
        model,
        "textDocument/hover",
        json!({"textDocument": {"uri": TRACKED[0].0}, "position": {"line": 0, "character": 0}}),
    )
    .await;
    assert!(
        hover.get("error").is_none(),
        "a valid hover after the fuzz frames failed: {hover}"
    );
    for (i, (uri, lang)) in TRACKED.iter().enumerate() {
        // A no-op edit so the last publication comes after every configuration change.
        let version = model.open[*uri].1 + 1;
        let changes = [
            json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": ""}),
        ];
        model.did_change(uri, &changes, version);
        let body = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}});
        send_body(&mut c, model, &body, Framing::Plain).await;
        let text = model.open[*uri].0.clone();
        let body = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": FRESH[i], "languageId": lang, "version": 1, "text": text}}});
        model.did_open(FRESH[i], &text, 1);
        send_body(&mut c, model, &body, Framing::Plain).await;
        let edited = wait_diags(&mut c, model, uri, version, limit).await;
        let fresh = wait_diags(&mut c, model, FRESH[i], 1, limit).await;
        assert_eq!(
            visible(&edited),
            visible(&fresh),
            "{uri}: diagnostics after the edits differ from a fresh open of the same text {text:?}"
        );
        let a = own_request(&mut c, model, "outreach/preview", json!({"uri": uri})).await;
        let b = own_request(&mut c, model, "outreach/preview", json!({"uri": FRESH[i]})).await;
        assert!(a.get("error").is_none(), "{a}");
        assert_eq!(
            a["result"], b["result"],
            "{uri}: the server's text differs from the client's {text:?}"
        );
    }
    // Every request gets its answer.
    let limit = Duration::from_secs(5);
    let deadline = Instant::now() + limit;
    while !model.unanswered().is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, c.recv_within(limit + Duration::from_secs(1))).await {
            Ok(Some(m)) => check_incoming(model, &m),
            _ => {
                let ids = model.unanswered();
                let frames: Vec<&String> = model
                    .sent
                    .iter()
                    .filter(|f| {
                        serde_json::from_str::<Value>(f)
                            .is_ok_and(|v| ids.contains(&v["id"].to_string()))
                    })
                    .collect();
                panic!("requests never answered: {ids:?}; the frames: {frames:#?}")
            }
        }
    }
    let down = own_request(&mut c, model, "shutdown", Value::Null).await;
    assert!(down.get("error").is_none(), "{down}");
    c.notify("exit", Value::Null).await;
    // In process, the output closes once the input does.
    c.close_input().await;
    let code = c.wait_exit(Duration::from_secs(5)).await;
    assert_eq!(code, Some(0), "serve() after shutdown and exit");
    // Nothing after the end but the end of the stream (checked for garbage by the reader).
    while let Some(m) = c.recv_within(Duration::from_secs(5)).await {
        check_incoming(model, &m);
    }
}

async fn run_case(case: &Case) {
    let enc = if case.utf8 { Enc::Utf8 } else { Enc::Utf16 };
    let mut model = Model::new(enc);
    let mut c = start(&mut model, &case.initial).await;
    for op in &case.ops {
        run_op(&mut c, &mut model, op).await;
        // Keep the inbox small and check messages as they come.
        while let Ok(Some(m)) =
            tokio::time::timeout(Duration::ZERO, c.recv_within(Duration::from_secs(1))).await
        {
            check_incoming(&mut model, &m);
        }
    }
    finish(c, &mut model).await;
}

// ---- the seed corpus

fn seeds_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-seeds")
}

/// Replays one seed: `*.jsonl` files hold one frame body per line (framed here with the right
/// Content-Length; `$DOC` is the tracked document's URI), `*.raw` files are sent byte for byte (they
/// may break the framing). Afterwards the server must answer a valid request; for `.raw` seeds the
/// request is repeated until one is answered (a broken frame may swallow a few that follow it).
async fn replay_seed(name: &str, bytes: &[u8]) {
    let mut model = Model::new(Enc::Utf16);
    let initial = [
        "Hi {{frist_name}},\n\nI'd like to add you to my professional network on LinkedIn.\n"
            .to_string(),
        "Hi there 😀\n{{".to_string(),
    ];
    let mut c = start(&mut model, &initial).await;
    if name.ends_with(".jsonl") {
        for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let line = String::from_utf8_lossy(line)
                .replace("$DOC", TRACKED[0].0)
                .replace("$UNTITLED", TRACKED[1].0)
                .replace("$S0", SCRATCH[0])
                .replace("$S1", SCRATCH[1])
                .replace("$S2", SCRATCH[2]);
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                // Seeds may change the tracked documents; the model follows well-formed changes.
                // (Seeds write these well-formed or clearly broken; versions must fit an i32.)
                let p = &v["params"];
                let uri = p["textDocument"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let version = p["textDocument"]["version"]
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok());
                if v.get("id").is_none() {
                    match (v["method"].as_str(), version) {
                        (Some("textDocument/didOpen"), Some(ver))
                            if p["textDocument"]["text"].is_string() =>
                        {
                            model.did_open(
                                &uri,
                                p["textDocument"]["text"].as_str().unwrap(),
                                ver.into(),
                            )
                        }
                        (Some("textDocument/didChange"), Some(ver))
                            if p["contentChanges"].is_array() =>
                        {
                            model.did_change(
                                &uri,
                                p["contentChanges"].as_array().unwrap(),
                                ver.into(),
                            )
                        }
                        (Some("textDocument/didClose"), _) if !uri.is_empty() => {
                            model.open.remove(&uri);
                        }
                        _ => {}
                    }
                }
                model.observe_ids(&v);
            }
            model.sent.push(line.clone());
            c.send_raw(&frame(line.as_bytes())).await;
        }
    } else {
        model.lenient.insert(json!("after").to_string());
        for attempt in 0..8 {
            model
                .lenient
                .insert(json!(format!("probe-{attempt}")).to_string());
        }
        c.send_raw(bytes).await;
        // Probe until the server is back in step.
        let mut answered = false;
        for attempt in 0..8 {
            let id = json!(format!("probe-{attempt}"));
            c.send(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {"textDocument": {"uri": TRACKED[0].0}, "position": {"line": 0, "character": 4}}})).await;
            let deadline = Instant::now() + Duration::from_millis(500);
            while let Ok(Some(m)) = tokio::time::timeout(
                deadline.saturating_duration_since(Instant::now()),
                c.recv_within(Duration::from_secs(20)),
            )
            .await
            {
                check_incoming(&mut model, &m);
                if m.get("method").is_none()
                    && m["id"].as_str().is_some_and(|s| s.starts_with("probe-"))
                {
                    answered = true;
                    break;
                }
            }
            if answered {
                break;
            }
        }
        assert!(
            answered,
            "seed {name}: the server never answered a valid request again"
        );
    }
    finish(c, &mut model).await;
}

#[test]
fn seed_corpus_then_random_frames() {
    let long = long_tests();
    let _w = Watchdog::new("server fuzz", limit(if long { 3 * 3600 } else { 900 }, 1));
    let rt = test_runtime();
    // 1. Every seed, first.
    let mut seeds: Vec<_> = std::fs::read_dir(seeds_dir())
        .expect("tests/fuzz-seeds exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl" || e == "raw"))
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 10, "the seed corpus is missing: {seeds:?}");
    // OUTREACH_FUZZ_SEED=name replays only the matching seeds (and skips the random cases).
    let only = std::env::var("OUTREACH_FUZZ_SEED").ok();
    if let Some(only) = &only {
        seeds.retain(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .contains(only.as_str())
        });
    }
    // OUTREACH_FUZZ_RANDOM_ONLY=1 skips the seeds (to look at the random cases alone).
    if std::env::var_os("OUTREACH_FUZZ_RANDOM_ONLY").is_some() {
        seeds.clear();
    }
    let start = Instant::now();
    let mut failures = Vec::new();
    for path in &seeds {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let t = Instant::now();
        let r = rt.block_on(async {
            tokio::spawn(async move { replay_seed(&name, &bytes).await }).await
        });
        if let Err(e) = r {
            failures.push(format!("seed {}: {}", path.display(), panic_message(e)));
        }
        eprintln!("seed {}: {:?}", path.display(), t.elapsed());
    }
    eprintln!("{} seeds replayed in {:?}", seeds.len(), start.elapsed());
    if only.is_some() {
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
        return;
    }
    // 2. Random cases.
    let mut runner = Fuzz::new(PtConfig {
        cases: cases(150, 2_000),
        // A failing case waits for its timeouts; keep shrinking bounded.
        max_shrink_iters: if long { 2_000 } else { 100 },
        max_shrink_time: if long { 600_000 } else { 30_000 },
        failure_persistence: None,
        ..PtConfig::default()
    });
    let start = Instant::now();
    // proptest's value trees for these nested strategies need deep stacks in debug builds.
    let result = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            runner.run(&case(if long { 150 } else { 60 }), |case| {
                let r =
                    rt.block_on(
                        async move { tokio::spawn(async move { run_case(&case).await }).await },
                    );
                r.map_err(|e| TestCaseError::fail(panic_message(e)))
            })
        })
        .unwrap()
        .join()
        .unwrap();
    eprintln!("random cases in {:?}", start.elapsed());
    if let Err(e) = result {
        failures.push(format!("random frames: {e}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn panic_message(e: tokio::task::JoinError) -> String {
    match e.try_into_panic() {
        Ok(p) => p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default(),
        Err(e) => e.to_string(),
    }
}
