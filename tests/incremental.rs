//! The parse reused across an edit (`Template::reparse`) equals a full parse of the new text, and
//! incremental linting (`lint_cached`, which uses it) equals a fresh lint — on random templates with
//! random edits, and on the benchmark corpus with typing.

#[path = "../benches/common/corpus.rs"]
mod corpus;
#[path = "common/random.rs"]
mod random;

use std::sync::atomic::{AtomicUsize, Ordering};

use outreach_lsp::lint::{lint_cached, Inputs, LintCache};
use outreach_lsp::model::Template;
use outreach_lsp::Config;
use proptest::prelude::*;

/// Pieces of templates: structure, markup, placeholders and plenty of plain words.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Hi ",
        "there",
        " ",
        "  ",
        "word",
        "é",
        "😀",
        "e\u{301}",
        ", ",
        ". ",
        "!",
        "?",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        "# Connection request\n",
        "## Follow-up\n",
        "## Step 3: InMail\n",
        "#",
        "Subject: ",
        "subject:",
        "Subject: Hi {{first_name}}\n",
        "{{first_name}}",
        "{{ company | default: \"x\" }}",
        "{{frist_name}}",
        "{{",
        "}}",
        "{",
        "}",
        "[First Name]",
        "[link](http://a.b)",
        "](",
        "`code`",
        "`",
        "```\n",
        "~~~\n",
        "<!-- c -->",
        "<!--",
        "-->",
        "<!-- outreach: kind=follow-up channel=email -->",
        "<!-- outreach-lsp-disable-next-line sales-pitch -- why -->",
        "---\n",
        "---",
        "channel: email\n",
        "kind: inmail\n",
        "XXX",
        "%FIRSTNAME%",
        "*|FNAME|*",
        "book a demo",
        "ASAP",
        "Thanks",
        "I I I",
        "\\",
        "<",
        ">",
        "-",
        "--",
        "|",
        ":",
        "    ",
        "we're both in ",
    ])
}

fn template_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|p| p.concat())
}

/// What is typed or pasted: mostly letters and spaces, sometimes markup.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-zA-Z ]{0,3}",
        2 => "[a-z.,:;!?'\"-]{1,2}",
        1 => piece().prop_map(str::to_string),
        1 => "[é😀ü]{1}",
        1 => Just(String::new()),
    ]
}

/// `text` with `len` chars from char `at` replaced by `insert` (positions taken modulo the text).
/// One edit in three lands right after a brace, where placeholder syntax is most fragile.
fn edit(text: &str, at: usize, len: usize, insert: &str) -> String {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let braces: Vec<usize> = bounds
        .iter()
        .enumerate()
        .filter(|(_, &b)| matches!(text.as_bytes().get(b), Some(b'{' | b'}')))
        .map(|(i, _)| i + 1)
        .collect();
    let a = if at % 3 == 0 && !braces.is_empty() {
        braces[(at / 3) % braces.len()]
    } else {
        at % bounds.len()
    };
    let b = (a + len).min(bounds.len() - 1);
    let (start, end) = (bounds[a], bounds[b]);
    format!("{}{}{}", &text[..start], insert, &text[end..])
}

fn same_parse(new: &str, reparsed: &Template<'_>) -> Result<(), TestCaseError> {
    let fresh = Template::parse(new);
    prop_assert_eq!(
        format!("{reparsed:?}"),
        format!("{fresh:?}"),
        "text: {:?}",
        new
    );
    Ok(())
}

#[test]
fn reparse_equals_a_full_parse_on_random_edits() {
    let reused = AtomicUsize::new(0);
    let mut runner = random::runner(3000);
    let strategy = (template_text(), any::<usize>(), 0usize..4, typed());
    runner
        .run(&strategy, |(text, at, len, insert)| {
            let new = edit(&text, at, len, &insert);
            if let Some((t, _)) = Template::parse(&text).reparse(&new) {
                reused.fetch_add(1, Ordering::Relaxed);
                same_parse(&new, &t)?;
            }
            Ok(())
        })
        .unwrap();
    let reused = reused.into_inner();
    // The generator must reach the reuse path often enough for this test to mean something.
    assert!(reused > 200, "only {reused} of 3000 edits reused the parse");
}

/// Sequences of edits, each checked against a full parse and a fresh lint (structure grows and
/// shrinks on the way; the lint cache moves structure findings across reused parses).
#[test]
fn reparse_and_cached_lint_equal_fresh_ones_along_edit_sequences() {
    let config = Config::default();
    let mut runner = random::runner(1000);
    let strategy = (
        template_text(),
        prop::collection::vec((any::<usize>(), 0usize..4, typed()), 1..25),
    );
    runner
        .run(&strategy, |(initial, edits)| {
            let mut text = format!(
                "# Connection request\n{initial}\n# Follow-up\nThanks {{{{first_name}}}}\n"
            );
            let mut cache = LintCache::default();
            lint_cached(&text, &config, Inputs::default(), &mut cache);
            for (at, len, insert) in edits {
                let new = edit(&text, at, len, &insert);
                if let Some((t, _)) = Template::parse(&text).reparse(&new) {
                    same_parse(&new, &t)?;
                }
                let cached = lint_cached(&new, &config, Inputs::default(), &mut cache);
                prop_assert_eq!(
                    format!("{:?}", cached.findings),
                    format!("{:?}", outreach_lsp::lint(&new, &config).findings),
                    "text: {:?}",
                    &new
                );
                text = new;
            }
            Ok(())
        })
        .unwrap();
}

/// Typing letters anywhere in realistic templates: most keystrokes reuse the parse, and every
/// lint through the cache equals a fresh lint.
#[test]
fn typing_in_the_corpus_reuses_the_parse_and_lints_the_same() {
    let config = Config::default();
    let texts: Vec<String> = corpus::corpus(corpus::SEED, 150)
        .into_iter()
        .map(|g| g.text)
        .chain([corpus::big_sequence(corpus::SEED, 64 * 1024)])
        .collect();
    let (mut tried, mut reused) = (0, 0);
    let mut rng = corpus::Rng::new(7);
    for text in &texts {
        let mut cache = LintCache::default();
        let mut current = text.clone();
        lint_cached(&current, &config, Inputs::default(), &mut cache);
        for step in 0..12 {
            let at = rng.below(current.len() + 1);
            let insert = ["x", "ab", " ", "", "Hi", "é", ":", "-"][rng.below(8)];
            let next = edit(&current, at, usize::from(step % 3 == 0), insert);
            tried += 1;
            if let Some((t, _)) = Template::parse(&current).reparse(&next) {
                reused += 1;
                let fresh = format!("{:?}", Template::parse(&next));
                assert_eq!(
                    format!("{t:?}"),
                    fresh,
                    "after editing {current:?} into {next:?}"
                );
            }
            let cached = lint_cached(&next, &config, Inputs::default(), &mut cache);
            let full = outreach_lsp::lint(&next, &config);
            assert_eq!(
                format!("{:?}", cached.findings),
                format!("{:?}", full.findings),
                "text: {next:?}"
            );
            current = next;
        }
    }
    // Random positions include front matter, headings, blank lines and line starts, which are refused.
    assert!(
        reused * 3 > tried,
        "typing reused the parse for only {reused} of {tried} edits"
    );
}
