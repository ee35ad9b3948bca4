//! The sender dialects (issue 12): the per-dialect corpus in `tests/dialects/` with exact findings,
//! lengths over every rendering (property test), and the renderings of Liquid and Handlebars templates
//! compared with the `liquid` and `handlebars` crates as oracles.

use std::collections::BTreeMap;
use std::path::Path;

use outreach_lsp::model::length::{
    every_rendering, measure_nodes, render_nodes, rendering_count, tree, LengthRange,
};
use outreach_lsp::model::{Dialect, Placeholder, Template};
use outreach_lsp::text::linkedin_length;
use outreach_lsp::Config;
use proptest::prelude::*;

#[path = "common/labelled.rs"]
mod labelled;
#[path = "common/random.rs"]
mod random;

use random::for_random_syntax;

/// Every template of `tests/dialects/` gets exactly the findings its sidecar lists.
#[test]
fn dialect_corpus_has_exact_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dialects");
    let corpus = labelled::load(&dir);
    assert!(corpus.len() >= 16, "only {} templates", corpus.len());
    for d in Dialect::ALL {
        let n = corpus
            .iter()
            .filter(|l| l.name.starts_with(d.as_str()))
            .count();
        assert!(n >= 4, "{} has {n} templates", d.as_str());
    }
    let mut failures = Vec::new();
    for l in &corpus {
        let (mut actual, _) = labelled::actual(&l.text);
        actual.sort();
        let mut expect = l.expect.clone();
        expect.sort();
        if actual != expect {
            failures.push(format!("{}: expected {expect:?}, got {actual:?}", l.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The examples of issue 12, each of which used to produce a false finding.
#[test]
fn issue_examples_are_read_as_the_sender_renders_them() {
    let rules_of = |text: &str| -> Vec<String> {
        outreach_lsp::lint(text, &Config::default())
            .findings
            .iter()
            .map(|f| f.rule.to_string())
            .collect()
    };
    let body = " I'm writing because your talk on warehouse robotics at {{ contact.company }} answered a question my team has had for months, and I'd value your view on it.";
    let spintax = format!("{{Hi|Hello|Hey}} {{{{firstName}}}},{body}");
    let found = rules_of(&spintax);
    for rule in [
        "literal-placeholder",
        "missing-greeting",
        "unknown-placeholder",
        "malformed-placeholder",
    ] {
        assert!(!found.iter().any(|r| r == rule), "{rule} in {found:?}");
    }
    let guarded = format!(
        "Hi {{{{first_name}}}}, {{% if mutual_connection %}}{{{{mutual_connection}}}} suggested I write.{{% else %}}We met at the robotics fair.{{% endif %}}{body}"
    );
    let found = rules_of(&guarded);
    assert!(!found.iter().any(|r| r == "missing-fallback"), "{found:?}");
    let handlebars =
        format!("{{{{#if first_name}}}}Hi {{{{first_name}}}},{{{{else}}}}Hello,{{{{/if}}}}{body}");
    let found = rules_of(&handlebars);
    assert!(
        !found.iter().any(|r| r == "malformed-placeholder"),
        "{found:?}"
    );
    // An unbalanced tag is reported, not sent silently.
    let unbalanced = format!("Hi {{{{first_name}}}}, {{% if event %}}see you there.{body}");
    assert!(rules_of(&unbalanced)
        .iter()
        .any(|r| r == "malformed-placeholder"));
    let stray = format!("Hi {{{{first_name}}}},{body}{{{{/if}}}}");
    let t = Template::parse(&stray);
    assert_eq!(t.dialect, Dialect::Handlebars);
    assert!(rules_of(&stray)
        .iter()
        .any(|r| r == "malformed-placeholder"));
}

/// A literal stand-in is fixed in the file's own dialect.
#[test]
fn fixes_write_the_files_dialect() {
    let text = "---\ndialect: mailchimp\n---\nHi [First Name], your talk on kilns at the fair was the best hour of my week.";
    let result = outreach_lsp::lint(text, &Config::default());
    let f = result
        .findings
        .iter()
        .find(|f| f.rule.as_str() == "literal-placeholder")
        .expect("literal-placeholder");
    assert_eq!(f.fixes[0].edits[0].replacement, "*|FNAME|*");
    // A configured dialect applies when the front matter says nothing.
    let config = Config::from_toml("dialect = \"hubspot\"\n", None, &[]).unwrap();
    let result = outreach_lsp::lint(
        "Hi [First Name], your talk on kilns was the best hour of my week.",
        &config,
    );
    let f = result
        .findings
        .iter()
        .find(|f| f.rule.as_str() == "literal-placeholder")
        .expect("literal-placeholder");
    assert_eq!(f.fixes[0].edits[0].replacement, "{{ contact.firstname }}");
}

/// The fallback a fix adds is the dialect's own form.
#[test]
fn fallback_fixes_write_the_files_dialect() {
    let fix_for = |text: &str| -> String {
        let result = outreach_lsp::lint(text, &Config::default());
        let f = result
            .findings
            .iter()
            .find(|f| f.rule.as_str() == "missing-fallback")
            .unwrap_or_else(|| panic!("missing-fallback in {text}: {:?}", result.findings));
        let mut out = text.to_string();
        let e = &f.fixes[0].edits[0];
        out.replace_range(e.span.clone(), &e.replacement);
        out
    };
    let tail = " I'm writing because we are rebuilding our dock schedule and I'd value your view.";
    let hb = fix_for(&format!(
        "---\ndialect: handlebars\n---\nHi {{{{first_name}}}}, we met at {{{{event}}}}.{tail}"
    ));
    assert!(
        hb.contains("{{insert event \"default=the event\"}}"),
        "{hb}"
    );
    let hs = fix_for(&format!("---\ndialect: hubspot\n---\nHi {{{{ contact.firstname }}}}, we met at {{{{ contact.event }}}}.{tail}"));
    assert!(
        hs.contains("{{ contact.event|default('the event') }}"),
        "{hs}"
    );
    let mc = fix_for(&format!(
        "---\ndialect: mailchimp\n---\nHi *|FNAME|*, we met at *|EVENT|*.{tail}"
    ));
    assert!(
        mc.contains("*|IF:EVENT|**|EVENT|**|ELSE:|*the event*|END:IF|*"),
        "{mc}"
    );
    // The fixed text is read back without a syntax error or the finding.
    for fixed in [hb, hs, mc] {
        let rules: Vec<String> = outreach_lsp::lint(&fixed, &Config::default())
            .findings
            .iter()
            .map(|f| f.rule.to_string())
            .collect();
        assert!(
            !rules
                .iter()
                .any(|r| r == "missing-fallback" || r == "malformed-placeholder"),
            "{fixed}: {rules:?}"
        );
    }
}

/// The longest rendering is named by the options that produce it.
#[test]
fn message_too_long_names_the_longest_options() {
    let long = "a long sentence about the reasons I am writing to you today ".repeat(4);
    let text = format!(
        "---\naccount: free\n---\n{{Hi|Hello there, it has been a while}} {{{{first_name}}}}, {{short|{long}}} I would value your view on route planning."
    );
    let result = outreach_lsp::lint(&text, &Config::default());
    let f = result
        .findings
        .iter()
        .find(|f| f.rule.as_str() == "message-too-long")
        .expect("message-too-long");
    assert!(
        f.message.contains("longest of 4 renderings"),
        "{}",
        f.message
    );
    assert!(f.message.contains("option 2"), "{}", f.message);
}

/// The option (its byte span) of the spintax group or branch that holds `needle`.
fn option_holding(text: &str, needle: &str) -> std::ops::Range<usize> {
    let t = Template::parse(text);
    let at = text.find(needle).expect("needle");
    t.choices
        .iter()
        .flat_map(|c| c.branches.iter())
        .filter(|b| b.span.start <= at && at + needle.len() <= b.span.end)
        .min_by_key(|b| b.span.len())
        .expect("an option holds the needle")
        .span
        .clone()
}

/// Problems are reported in the option where they are written, inside its span; a phrase never
/// runs from one option into the next.
#[test]
fn problems_are_reported_in_their_option() {
    let body = "we are both in the Porto freight group, and I'm writing because we are rebuilding our dock schedule and would value your view";
    for (rule, text, needle) in [
        (
            "sales-pitch",
            format!("Hi {{{{first_name}}}}, {body} {{on it.|on our platform.}}"),
            "on our platform.",
        ),
        (
            "pushy-language",
            format!("Hi {{{{first_name}}}}, {body}. {{% if company %}}Please reply ASAP.{{% else %}}Thanks.{{% endif %}}"),
            "Please reply ASAP.",
        ),
        (
            "spam-formatting",
            format!("Hi {{{{first_name}}}}, {body}. {{{{#if company}}}}This is URGENT news.{{{{else}}}}Thanks.{{{{/if}}}}"),
            "This is URGENT news.",
        ),
        (
            "impersonal-greeting",
            format!("{{Hi {{{{first_name}}}}|Hi there}}, {body}."),
            "Hi there",
        ),
        (
            "hardcoded-name",
            format!("{{Hi {{{{first_name}}}}|Hello Sarah}}, {body}."),
            "Hello Sarah",
        ),
    ] {
        let option = option_holding(&text, needle);
        let findings = outreach_lsp::lint(&text, &Config::default()).findings;
        let f = findings
            .iter()
            .find(|f| f.rule.as_str() == rule)
            .unwrap_or_else(|| panic!("{rule} in {text}: {findings:?}"));
        assert!(
            option.start <= f.span.start && f.span.end <= option.end,
            "{rule} at {:?}, outside its option {option:?}: {text}",
            f.span
        );
    }
    // "book a demo" across two options is in no rendering ("Shall we book?", "Shall we a demo?"): not
    // a pitch. (A phrase whole in the first options' rendering is read: see sales_pitch's tests.)
    let across = format!("Hi {{{{first_name}}}}, {body}. Shall we {{book|a demo}}?");
    assert!(
        !outreach_lsp::lint(&across, &Config::default())
            .findings
            .iter()
            .any(|f| f.rule.as_str() == "sales-pitch"),
        "{across}"
    );
}

/// How a message opens is read in every rendering of its first line (issue 12's examples).
#[test]
fn openings_are_read_in_every_rendering() {
    let body = " we are both in the Porto freight group, and I'm writing because we are rebuilding our dock schedule and would value your view.";
    let rules_of = |text: String| -> Vec<String> {
        outreach_lsp::lint(&text, &Config::default())
            .findings
            .iter()
            .map(|f| f.rule.to_string())
            .collect()
    };
    let greeting_rules = ["missing-greeting", "impersonal-greeting", "hardcoded-name"];
    for named in [
        format!("{{Hi|Hello}} {{{{first_name}}}},{body}"),
        format!("{{% if first_name %}}Hi {{{{first_name}}}},{{% else %}}Hello,{{% endif %}}{body}"),
        format!("{{{{#if first_name}}}}Hi {{{{first_name}}}},{{{{else}}}}Hello,{{{{/if}}}}{body}"),
    ] {
        let found = rules_of(named.clone());
        assert!(
            !found.iter().any(|r| greeting_rules.contains(&r.as_str())),
            "{named}: {found:?}"
        );
    }
    let one_branch =
        format!("{{% if first_name %}}Hi {{{{first_name}}}},{{% else %}}Your post stayed with me.{{% endif %}}{body}");
    assert!(rules_of(one_branch).iter().any(|r| r == "missing-greeting"));
    // Spintax is not a guard: a nameless option is impersonal for the recipients who get it.
    let spun = format!("{{Hi {{{{first_name}}}}|Hello}},{body}");
    assert!(rules_of(spun).iter().any(|r| r == "impersonal-greeting"));
}

// ---- Random templates -------------------------------------------------------------------------

const FIELDS: &[&str] = &["first_name", "company", "event", "mutual_connection"];
const WORDS: &[&str] = &[
    "Hi",
    "there",
    "we met",
    "at the fair",
    "thanks",
    "ok",
    "é",
    "🙂",
];

/// A template tree, written out in Liquid or Handlebars.
#[derive(Debug, Clone)]
enum Item {
    Text(&'static str),
    Field(&'static str, Option<&'static str>),
    /// (condition field, negated, then, else)
    If(&'static str, bool, Vec<Item>, Option<Vec<Item>>),
    /// Liquid only.
    Spin(Vec<Vec<Item>>),
}

fn item(depth: u32, spintax: bool) -> BoxedStrategy<Item> {
    let leaf = prop_oneof![
        prop::sample::select(WORDS).prop_map(Item::Text),
        (
            prop::sample::select(FIELDS),
            prop::option::of(prop::sample::select(&["friend", "your team", ""][..]))
        )
            .prop_map(|(f, d)| Item::Field(f, d)),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    let seq = prop::collection::vec(item(depth - 1, spintax), 0..3);
    let cond = (
        prop::sample::select(FIELDS),
        any::<bool>(),
        seq.clone(),
        prop::option::of(seq.clone()),
    )
        .prop_map(|(f, n, a, b)| Item::If(f, n, a, b));
    if spintax {
        let spin = prop::collection::vec(seq, 1..4).prop_map(Item::Spin);
        prop_oneof![3 => leaf, 1 => cond, 1 => spin].boxed()
    } else {
        prop_oneof![3 => leaf, 1 => cond].boxed()
    }
}

fn write(items: &[Item], d: Dialect, defaults: bool, out: &mut String) {
    for it in items {
        // Separate items by a space so words never join into syntax.
        out.push(' ');
        match it {
            Item::Text(w) => out.push_str(w),
            Item::Field(f, Some(v)) if defaults => {
                out.push_str(&format!("{{{{{f} | default: \"{v}\"}}}}"))
            }
            Item::Field(f, _) => out.push_str(&format!("{{{{{f}}}}}")),
            Item::If(f, negated, a, b) => {
                let (open, close) = match (d, negated) {
                    (Dialect::Handlebars, false) => (format!("{{{{#if {f}}}}}"), "{{/if}}"),
                    (Dialect::Handlebars, true) => (format!("{{{{#unless {f}}}}}"), "{{/unless}}"),
                    (_, false) => (format!("{{% if {f} %}}"), "{% endif %}"),
                    (_, true) => (format!("{{% unless {f} %}}"), "{% endunless %}"),
                };
                out.push_str(&open);
                write(a, d, defaults, out);
                if let Some(b) = b {
                    out.push_str(if d == Dialect::Handlebars {
                        "{{else}}"
                    } else {
                        "{% else %}"
                    });
                    write(b, d, defaults, out);
                }
                out.push_str(close);
            }
            Item::Spin(options) => {
                out.push('{');
                for (i, o) in options.iter().enumerate() {
                    if i > 0 {
                        out.push('|');
                    }
                    write(o, d, defaults, out);
                }
                // A group needs two options to be spintax.
                if options.len() == 1 {
                    out.push('|');
                }
                out.push('}');
            }
        }
    }
}

fn value_of(row: &BTreeMap<&str, &str>, p: &Placeholder) -> String {
    row.get(p.name.as_str())
        .map(|v| v.to_string())
        .filter(|v| !v.is_empty())
        .or_else(|| p.fallback().map(str::to_string))
        .unwrap_or_default()
}

fn our_rendering(text: &str, d: Dialect, row: &BTreeMap<&str, &str>) -> String {
    let t = Template::parse_in(text, Some(d));
    assert!(t.syntax_errors.is_empty(), "{text}: {:?}", t.syntax_errors);
    let nodes = tree(&t, 0..text.len());
    let field = |name: &str| row.get(name).map(|v| v.to_string());
    let mut out = String::new();
    render_nodes(
        &nodes,
        &mut |p| value_of(row, p),
        &mut |c, _| c.pick(&field).expect("a condition we evaluate"),
        &t,
        &mut out,
    );
    out
}

fn rows() -> impl Strategy<Value = BTreeMap<&'static str, &'static str>> {
    prop::collection::btree_map(
        prop::sample::select(FIELDS),
        prop::sample::select(&["Ana", "Acme Robotics", "Web Summit", "João"][..]),
        0..4,
    )
}

/// For random Liquid templates and contacts, the rendering the parse gives equals the `liquid` crate's.
#[test]
fn liquid_renderings_equal_the_liquid_crate() {
    let parser = liquid::ParserBuilder::with_stdlib().build().unwrap();
    let mut runner = random::runner(400);
    let strategy = (prop::collection::vec(item(3, false), 1..6), rows());
    runner
        .run(&strategy, |(items, row)| {
            let mut text = String::from("A");
            write(&items, Dialect::Liquid, true, &mut text);
            text.push_str(" Z");
            let template = parser.parse(&text).unwrap();
            // Senders pass every column; an empty one is nil.
            let mut globals = liquid::Object::new();
            for f in FIELDS {
                let value = row.get(f).map_or(liquid::model::Value::Nil, |v| {
                    liquid::model::Value::scalar(v.to_string())
                });
                globals.insert((*f).into(), value);
            }
            let theirs = template.render(&globals).unwrap();
            let ours = our_rendering(&text, Dialect::Liquid, &row);
            prop_assert_eq!(ours, theirs, "template: {}", text);
            Ok(())
        })
        .unwrap();
}

/// The same for Handlebars templates and the `handlebars` crate.
#[test]
fn handlebars_renderings_equal_the_handlebars_crate() {
    let mut hb = handlebars::Handlebars::new();
    hb.register_escape_fn(handlebars::no_escape);
    let mut runner = random::runner(400);
    let strategy = (prop::collection::vec(item(3, false), 1..6), rows());
    runner
        .run(&strategy, |(items, row)| {
            let mut text = String::from("A");
            write(&items, Dialect::Handlebars, false, &mut text);
            text.push_str(" Z");
            let data: serde_json::Map<String, serde_json::Value> = row
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
                .collect();
            let theirs = hb.render_template(&text, &data).unwrap();
            let ours = our_rendering(&text, Dialect::Handlebars, &row);
            prop_assert_eq!(ours, theirs, "template: {}", text);
            Ok(())
        })
        .unwrap();
}

/// Every rendering of a random tree has a length inside the computed range, and both ends are
/// rendered by some choice of branches.
#[test]
fn lengths_over_the_tree_bound_every_rendering_tightly() {
    let mut runner = random::runner(400);
    let strategy = prop::collection::vec(item(3, true), 1..6);
    runner
        .run(&strategy, |items| {
            let mut text = String::from("A");
            write(&items, Dialect::Liquid, true, &mut text);
            text.push_str(" Z");
            let t = Template::parse_in(&text, Some(Dialect::Liquid));
            prop_assert!(
                t.syntax_errors.is_empty(),
                "{}: {:?}",
                text,
                t.syntax_errors
            );
            let nodes = tree(&t, 0..text.len());
            // Each placeholder renders to one value here, so the range is exactly that of the branches.
            let value = |p: &Placeholder| format!("<{}>", p.name);
            let bounds = |p: &Placeholder| LengthRange::exact(linkedin_length(&value(p)));
            let range = measure_nodes(&nodes, &bounds);
            let count = rendering_count(&nodes);
            prop_assume!(count <= 4000);
            let all = every_rendering(&nodes, &mut |p| value(p), 5000);
            prop_assert_eq!(all.len() as u64, count);
            let lengths: Vec<usize> = all.iter().map(|s| linkedin_length(s)).collect();
            for (s, l) in all.iter().zip(&lengths) {
                prop_assert!(
                    range.min <= *l && *l <= range.max,
                    "{} of {:?}: {}",
                    l,
                    range,
                    s
                );
            }
            prop_assert_eq!(lengths.iter().min().copied(), Some(range.min), "{}", text);
            prop_assert_eq!(lengths.iter().max().copied(), Some(range.max), "{}", text);
            Ok(())
        })
        .unwrap();
}

/// `text` with `len` chars from char `at` replaced by `insert` (positions taken modulo the text).
fn edit(text: &str, at: usize, len: usize, insert: &str) -> String {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let a = at % bounds.len();
    let b = (a + len).min(bounds.len() - 1);
    format!("{}{}{}", &text[..bounds[a]], insert, &text[bounds[b]..])
}

/// Typing in files with tags and spintax: whenever the parse is reused, it equals a full parse.
#[test]
fn reparse_equals_a_full_parse_with_tags_and_spintax() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let reused = AtomicUsize::new(0);
    let mut runner = random::runner(1500);
    let typed = prop_oneof![
        6 => "[a-zA-Z ]{0,3}",
        1 => prop::sample::select(&["|", "%", "*", "{", "}", "contact.firstname", ".", "random", "#"][..]).prop_map(str::to_string),
    ];
    let strategy = (
        prop::collection::vec(item(2, true), 1..5),
        any::<bool>(),
        any::<usize>(),
        0usize..3,
        typed,
    );
    runner
        .run(&strategy, |(items, handlebars, at, len, insert)| {
            let d = if handlebars {
                Dialect::Handlebars
            } else {
                Dialect::Liquid
            };
            let mut line = String::from("Hi there");
            write(&items, d, !handlebars, &mut line);
            let text = format!("# Step one\n{line} and more words here.\nSecond line with words\n");
            let new = edit(&text, at, len, &insert);
            if let Some((t, _)) = Template::parse(&text).reparse(&new) {
                reused.fetch_add(1, Ordering::Relaxed);
                let fresh = Template::parse(&new);
                prop_assert_eq!(
                    format!("{t:?}"),
                    format!("{fresh:?}"),
                    "{:?} -> {:?}",
                    text,
                    new
                );
            }
            Ok(())
        })
        .unwrap();
    let reused = reused.into_inner();
    assert!(reused > 100, "only {reused} edits reused the parse");
}

/// Any mix of the dialects' syntax parses and lints in every dialect without a panic, with spans
/// inside the text on character boundaries and tags sorted and disjoint.
#[test]
fn arbitrary_syntax_never_panics_and_spans_stay_in_bounds() {
    for_random_syntax(2000, 80, |text| {
        for d in Dialect::ALL {
            let t = Template::parse_in(text, Some(d));
            let ok = |r: &std::ops::Range<usize>| {
                r.start <= r.end
                    && r.end <= text.len()
                    && text.is_char_boundary(r.start)
                    && text.is_char_boundary(r.end)
            };
            for c in &t.choices {
                prop_assert!(ok(&c.span), "{:?} in {:?}", c.span, text);
                for b in &c.branches {
                    prop_assert!(
                        ok(&b.span) && c.span.start <= b.span.start && b.span.end <= c.span.end
                    );
                }
            }
            for w in t.markup.windows(2) {
                prop_assert!(w[0].end <= w[1].start, "{:?} in {:?}", t.markup, text);
            }
            for r in t
                .markup
                .iter()
                .chain(t.syntax_errors.iter().map(|e| &e.span))
            {
                prop_assert!(ok(r), "{:?} in {:?}", r, text);
            }
            for m in &t.messages {
                let _ = measure_nodes(&tree(&t, m.content.clone()), &|_| LengthRange::exact(1));
            }
            let mut config = Config::default();
            config.dialect = Some(d);
            let _ = outreach_lsp::lint(text, &config);
        }
        Ok(())
    });
}

/// Found by the fuzzer: the opening of a spintax greeting whose line ends after a multi-byte
/// character ("¡.") sliced inside that character when it looked for a title such as "Dr.".
#[test]
fn openings_after_multibyte_characters_do_not_panic() {
    for text in [
        "{Hi|Hello}0®0Σ¡.",
        "{Hi|Hello} ¡Dr. Ana, good to meet you.",
        "{% if first_name %}Hi ñ.{% else %}Hello ©.{% endif %} More.",
    ] {
        let r = outreach_lsp::lint(text, &outreach_lsp::Config::default());
        assert!(
            r.findings.iter().all(|f| f.span.end <= text.len()),
            "{text}"
        );
    }
}

/// Syntax of the other `{%`-tag dialect (Liquid's `| default: "…"` and `elsif` in a HubSpot file, HubL's
/// `|default('…')` and `elif` in a Liquid file) is reported once per construct, and the repair writes
/// the file's own dialect so that nothing is left to report.
#[test]
fn the_other_dialects_syntax_is_reported_and_repaired() {
    for (text, expected) in [
        (
            "---\ndialect: hubspot\n---\nHi {{ contact.firstname | default: \"there\" }}, {% if contact.company %}at {{ contact.company }}{% elsif contact.jobtitle %}as {{ contact.jobtitle }}{% endif %} you spoke about claims. I am writing because we test the same idea.",
            "---\ndialect: hubspot\n---\nHi {{ contact.firstname | default('there') }}, {% if contact.company %}at {{ contact.company }}{% elif contact.jobtitle %}as {{ contact.jobtitle }}{% endif %} you spoke about claims. I am writing because we test the same idea.",
        ),
        (
            "---\ndialect: liquid\n---\nHi {{ first_name|default(\"Ana's team\") }}, {% if company %}at {{ company }}{% elif title %}as {{ title }}{% endif %} you spoke about claims. I am writing because we test the same idea.",
            "---\ndialect: liquid\n---\nHi {{ first_name|default: \"Ana's team\" }}, {% if company %}at {{ company }}{% elsif title %}as {{ title }}{% endif %} you spoke about claims. I am writing because we test the same idea.",
        ),
    ] {
        let result = outreach_lsp::lint(text, &Config::default());
        let malformed: Vec<_> = result
            .findings
            .iter()
            .filter(|f| f.rule.as_str() == "malformed-placeholder")
            .collect();
        assert_eq!(malformed.len(), 2, "{malformed:#?}");
        assert!(
            malformed.iter().all(|f| f.message.contains("syntax, but this file is read as")),
            "{malformed:#?}"
        );
        let mut edits: Vec<_> = malformed
            .iter()
            .flat_map(|f| f.fixes[0].edits.clone())
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        let mut fixed = text.to_string();
        for e in edits {
            fixed.replace_range(e.span.clone(), &e.replacement);
        }
        assert_eq!(fixed, expected);
        let after = outreach_lsp::lint(&fixed, &Config::default());
        assert!(
            after.findings.iter().all(|f| f.rule.as_str() != "malformed-placeholder"),
            "{:#?}",
            after.findings
        );
    }
}
