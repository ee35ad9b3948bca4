//! Property tests: edits, positions, the parser and every offered fix.

use outreach_lsp::finding::{apply_edits, Severity};
use outreach_lsp::server::document::{offset_of, position_of, Document, Encoding};
use outreach_lsp::{lint, Config};
use proptest::prelude::*;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// Text pieces that stress positions and the template syntax.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("é".to_string()),
        Just("😀".to_string()),
        Just("e\u{301}".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{{first_name}}".to_string()),
        Just("{{ company | default: \"x\" }}".to_string()),
        Just("---\n".to_string()),
        Just("# Follow-up\n".to_string()),
        Just("<!-- outreach-lsp-disable -->".to_string()),
        Just("`code`".to_string()),
        Just("Hi ".to_string()),
        Just("[First Name]".to_string()),
        Just("BUY NOW!! ".to_string()),
        "[ -~]{0,6}".prop_map(|s| s),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

/// Byte offset of a UTF-16 position computed on a plain String, the way an editor does.
fn byte_at(text: &str, line: u32, ch: u32) -> usize {
    let mut offset = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, l) in lines.iter().enumerate() {
        if i == line as usize {
            let body = l.trim_end_matches('\n').trim_end_matches('\r');
            let mut units = 0;
            for (b, c) in body.char_indices() {
                if units >= ch as usize {
                    return offset + b;
                }
                units += c.len_utf16();
                if units > ch as usize {
                    return offset + b; // inside a surrogate pair: the char's start
                }
            }
            return offset + body.len();
        }
        offset += l.len();
    }
    text.len()
}

fn check_findings(text: &str) {
    let result = lint(text, &Config::default());
    for f in &result.findings {
        assert!(
            f.span.start <= f.span.end && f.span.end <= text.len(),
            "{f:?}"
        );
        assert!(
            text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
            "{f:?}"
        );
        for fix in &f.fixes {
            assert!(
                apply_edits(text, &fix.edits).is_some(),
                "invalid fix {fix:?} for {f:?} in {text:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Random edit sequences on the rope store equal the same edits on a String, and the diagnostics of
    /// the result equal a fresh lint of the final text.
    #[test]
    fn edits_keep_store_and_string_equal(
        initial in text(),
        edits in prop::collection::vec((any::<u16>(), any::<u16>(), any::<u16>(), any::<u16>(), piece()), 1..30),
    ) {
        // CR-only line breaks are not produced by the pieces (the String model splits on \n), so the
        // two models count lines the same way.
        let mut doc = Document::new(&initial, 1, "outreach".into());
        let mut model = initial.clone();
        for (l1, c1, l2, c2, insert) in edits {
            let lines = model.split('\n').count() as u32;
            let (l1, l2) = (u32::from(l1) % (lines + 1), u32::from(l2) % (lines + 1));
            let (c1, c2) = (u32::from(c1) % 12, u32::from(c2) % 12);
            let a = byte_at(&model, l1, c1);
            let b = byte_at(&model, l2, c2);
            let (s, e) = (a.min(b), a.max(b));
            model.replace_range(s..e, &insert);
            doc.apply(&TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
                range_length: None,
                text: insert,
            }, Encoding::Utf16);
            prop_assert_eq!(doc.text(), model.clone());
        }
        let via_store = lint(&doc.text(), &Config::default()).findings;
        let fresh = lint(&model, &Config::default()).findings;
        prop_assert_eq!(via_store, fresh);
    }

    /// Any text lints without panicking; every span lies inside the text on char boundaries, and every
    /// fix applies.
    #[test]
    fn any_template_lints_with_valid_spans(t in text()) {
        check_findings(&t);
    }

    #[test]
    fn arbitrary_strings_lint(t in any::<String>()) {
        check_findings(&t);
    }

    /// Re-linting with the per-message cache gives exactly what a fresh lint gives, edit after edit.
    #[test]
    fn cached_lint_equals_fresh_lint(
        initial in text(),
        edits in prop::collection::vec((any::<u16>(), any::<u8>(), piece()), 1..20),
    ) {
        let config = Config::default();
        let mut cache = outreach_lsp::lint::LintCache::default();
        let mut t = format!("# Connection request\n{initial}\n# Follow-up\nThanks {{{{first_name}}}}\n");
        for (at, del, insert) in edits {
            let chars: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            let s = chars[usize::from(at) % chars.len()];
            let e = chars[(usize::from(at) % chars.len() + usize::from(del % 4)).min(chars.len() - 1)];
            t.replace_range(s..e, &insert);
            let cached = outreach_lsp::lint::lint_cached(&t, &config, Default::default(), &mut cache).findings;
            prop_assert_eq!(cached, lint(&t, &config).findings);
        }
    }

    /// Position mapping round-trips on char boundaries and clamps everything else.
    #[test]
    fn positions_round_trip(t in text(), line in 0u32..50, ch in 0u32..50) {
        let rope = ropey::Rope::from_str(&t);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let off = offset_of(&rope, Position::new(line, ch), enc);
            prop_assert!(off <= t.len() && t.is_char_boundary(off));
            let pos = position_of(&rope, off, enc);
            prop_assert_eq!(offset_of(&rope, pos, enc), off);
        }
    }
}

/// Every fix offered over the whole corpus removes its finding (or, for `message-too-long`, shortens the
/// message), adds no error, and leaves the text outside its edits unchanged.
#[test]
fn every_offered_fix_over_the_corpus_works() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let config = Config::default();
    let mut applied = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.ends_with(".outreach.md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let before = lint(&text, &config).findings;
        let count = |fs: &[outreach_lsp::Finding], rule: &str| {
            fs.iter().filter(|f| f.rule.as_str() == rule).count()
        };
        let errors = |fs: &[outreach_lsp::Finding]| {
            let mut v: Vec<&str> = fs
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.rule.as_str())
                .collect();
            v.sort();
            v
        };
        for f in &before {
            for fix in &f.fixes {
                let fixed = apply_edits(&text, &fix.edits)
                    .unwrap_or_else(|| panic!("{name}: fix {fix:?} does not apply"));
                applied += 1;
                // Text outside the edits is unchanged.
                let first = fix.edits.iter().map(|e| e.span.start).min().unwrap();
                let last = fix.edits.iter().map(|e| e.span.end).max().unwrap();
                assert_eq!(&fixed[..first], &text[..first], "{name}: {}", fix.title);
                assert_eq!(
                    &fixed[fixed.len() - (text.len() - last)..],
                    &text[last..],
                    "{name}: {}",
                    fix.title
                );
                let after = lint(&fixed, &config).findings;
                if f.rule.as_str() == "message-too-long" {
                    assert!(
                        after
                            .iter()
                            .all(|g| g.rule != f.rule || g.message != f.message),
                        "{name}: {} did not shorten",
                        fix.title
                    );
                } else {
                    assert!(
                        count(&after, f.rule.as_str()) < count(&before, f.rule.as_str()),
                        "{name}: `{}` did not remove {} ({})\n---\n{fixed}",
                        fix.title,
                        f.rule,
                        f.message
                    );
                }
                let (eb, ea) = (errors(&before), errors(&after));
                for e in &ea {
                    assert!(
                        ea.iter().filter(|x| x == &e).count()
                            <= eb.iter().filter(|x| x == &e).count(),
                        "{name}: `{}` added error {e}\n---\n{fixed}",
                        fix.title
                    );
                }
            }
        }
    }
    assert!(applied > 100, "only {applied} fixes were exercised");
}

/// A random template tree for the renderings property: words (one of them the marker `MARK`),
/// spintax groups and if/else blocks, written in Liquid.
#[derive(Debug, Clone)]
enum Node {
    Word(&'static str),
    Spin(Vec<Vec<Node>>),
    If(&'static str, Vec<Node>, Option<Vec<Node>>),
}

fn node(depth: u32) -> BoxedStrategy<Node> {
    let leaf = prop::sample::select(&["MARK", "hi", "we met"][..]).prop_map(Node::Word);
    if depth == 0 {
        return leaf.boxed();
    }
    let seq = prop::collection::vec(node(depth - 1), 0..3);
    prop_oneof![
        2 => leaf,
        1 => prop::collection::vec(seq.clone(), 2..4).prop_map(Node::Spin),
        1 => (prop::sample::select(&["company", "event"][..]), seq.clone(), prop::option::of(seq))
            .prop_map(|(f, a, b)| Node::If(f, a, b)),
    ]
    .boxed()
}

fn write_nodes(nodes: &[Node], out: &mut String) {
    for n in nodes {
        out.push(' ');
        match n {
            Node::Word(w) => out.push_str(w),
            Node::Spin(options) => {
                out.push('{');
                for (i, o) in options.iter().enumerate() {
                    if i > 0 {
                        out.push('|');
                    }
                    write_nodes(o, out);
                }
                out.push('}');
            }
            Node::If(f, a, b) => {
                out.push_str(&format!("{{% if {f} %}}"));
                write_nodes(a, out);
                if let Some(b) = b {
                    out.push_str("{% else %}");
                    write_nodes(b, out);
                }
                out.push_str("{% endif %}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    /// "Present in every rendering" computed by the algebra over the tree equals the brute force
    /// answer: every rendering (enumerated) contains the marker.
    #[test]
    fn every_rendering_algebra_equals_brute_force(nodes in prop::collection::vec(node(3), 1..5)) {
        use outreach_lsp::model::length::{every_rendering, rendering_count, tree};
        let mut text = String::from("Start");
        write_nodes(&nodes, &mut text);
        text.push_str(" end.");
        let t = outreach_lsp::model::Template::parse(&text);
        prop_assert!(t.syntax_errors.is_empty(), "{}: {:?}", text, t.syntax_errors);
        let m = &t.messages[0];
        let all_nodes = tree(&t, m.sent_span());
        prop_assume!(rendering_count(&all_nodes) <= 2000);
        let renderings = every_rendering(&all_nodes, &mut |p| p.name.clone(), 5000);
        let brute = renderings.iter().all(|r| r.contains("MARK"));
        let marks: Vec<std::ops::Range<usize>> = text
            .match_indices("MARK")
            .map(|(i, s)| i..i + s.len())
            .collect();
        let config = Config::default();
        let cx = outreach_lsp::rules::Context::new(&t, &config, outreach_lsp::Inputs::default());
        prop_assert_eq!(cx.in_every_rendering(m, &marks), brute, "{}", text);
    }
}
