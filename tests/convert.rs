//! Dialect conversion (issue 12): random templates converted between every pair of dialects render
//! the same for every contact, the `liquid` and `handlebars` crates render the converted files as we
//! do, and the editor's conversion / wrap / spintax actions and the CLI's `convert` and
//! `preview --variant` work the way a user drives them.

mod common;
#[path = "common/random.rs"]
mod random;

use std::collections::BTreeMap;

use common::cli::{run, stderr, stdout};
use common::*;
use outreach_lsp::model::catalog::canonical;
use outreach_lsp::model::convert::convert;
use outreach_lsp::model::length::{render_nodes, tree};
use outreach_lsp::model::{Dialect, Placeholder, Template};
use proptest::prelude::*;
use random::for_random_syntax;
use serde_json::{json, Value};

// ---- Random templates, written in Liquid ------------------------------------------------------

const FIELDS: &[&str] = &["first_name", "company", "event", "mutual_connection"];
const VALUES: &[&str] = &["Ana", "Acme Robotics", "Web Summit", "João"];
const WORDS: &[&str] = &["Hi", "there", "we met", "at the fair", "thanks", "é", "🙂"];

#[derive(Debug, Clone)]
enum Item {
    Text(&'static str),
    Field(&'static str, Option<&'static str>),
    /// (field, negated, then, an `elsif` on a field, else)
    If(
        &'static str,
        bool,
        Vec<Item>,
        Option<(&'static str, Vec<Item>)>,
        Option<Vec<Item>>,
    ),
}

fn item(depth: u32) -> BoxedStrategy<Item> {
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
    let seq = prop::collection::vec(item(depth - 1), 0..3);
    let cond = (
        prop::sample::select(FIELDS),
        any::<bool>(),
        seq.clone(),
        prop::option::of((prop::sample::select(FIELDS), seq.clone())),
        prop::option::of(seq),
    )
        .prop_map(|(f, negated, a, elsif, b)| {
            // Liquid has no `elsif` inside `unless`.
            let elsif = if negated { None } else { elsif };
            Item::If(f, negated, a, elsif, b)
        });
    prop_oneof![3 => leaf, 1 => cond].boxed()
}

fn write(items: &[Item], out: &mut String) {
    for it in items {
        out.push(' ');
        match it {
            Item::Text(w) => out.push_str(w),
            Item::Field(f, Some(v)) => out.push_str(&format!("{{{{{f} | default: \"{v}\"}}}}")),
            Item::Field(f, None) => out.push_str(&format!("{{{{{f}}}}}")),
            Item::If(f, negated, a, elsif, b) => {
                out.push_str(&if *negated {
                    format!("{{% unless {f} %}}")
                } else {
                    format!("{{% if {f} %}}")
                });
                write(a, out);
                if let Some((g, c)) = elsif {
                    out.push_str(&format!("{{% elsif {g} %}}"));
                    write(c, out);
                }
                if let Some(b) = b {
                    out.push_str("{% else %}");
                    write(b, out);
                }
                out.push_str(if *negated {
                    "{% endunless %}"
                } else {
                    "{% endif %}"
                });
            }
        }
    }
}

/// Every combination of present and empty fields.
fn rows() -> Vec<BTreeMap<&'static str, &'static str>> {
    (0..1u32 << FIELDS.len())
        .map(|mask| {
            FIELDS
                .iter()
                .zip(VALUES)
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, (f, v))| (*f, *v))
                .collect()
        })
        .collect()
}

/// The field a written name stands for (`FNAME`, `contact.firstname` → `first_name`).
fn field_of(name: &str) -> &str {
    canonical(name).unwrap_or(name)
}

fn value_of(row: &BTreeMap<&str, &str>, p: &Placeholder) -> String {
    row.get(field_of(&p.name))
        .map(|v| v.to_string())
        .filter(|v| !v.is_empty())
        .or_else(|| p.fallback().map(str::to_string))
        .unwrap_or_default()
}

/// The body (after the front matter) and our rendering of it for each row; the dialect comes from
/// the file itself (its front matter).
fn ours(text: &str, expect: Dialect) -> (String, Vec<String>) {
    let t = Template::parse(text);
    assert_eq!(t.dialect, expect, "{text}");
    assert!(t.syntax_errors.is_empty(), "{text}: {:?}", t.syntax_errors);
    let start = t.front_matter.as_ref().map_or(0, |f| f.span.end);
    let nodes = tree(&t, start..text.len());
    let renderings = rows()
        .iter()
        .map(|row| {
            let field = |name: &str| row.get(field_of(name)).map(|v| v.to_string());
            let mut out = String::new();
            render_nodes(
                &nodes,
                &mut |p| value_of(row, p),
                &mut |c, _| c.pick(&field).expect("a condition we evaluate"),
                &t,
                &mut out,
            );
            out
        })
        .collect();
    (text[start..].to_string(), renderings)
}

fn converted(text: &str, to: Dialect) -> String {
    let t = Template::parse(text);
    let c = convert(&t, to);
    assert!(
        c.notes.is_empty(),
        "{} -> {}: {:?}\n{text}",
        t.dialect.as_str(),
        to.as_str(),
        c.notes
    );
    c.apply(text)
}

fn liquid_oracle(body: &str) -> Vec<String> {
    let parser = liquid::ParserBuilder::with_stdlib().build().unwrap();
    let template = parser.parse(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    rows()
        .iter()
        .map(|row| {
            let mut globals = liquid::Object::new();
            for f in FIELDS {
                let value = row.get(f).map_or(liquid::model::Value::Nil, |v| {
                    liquid::model::Value::scalar(v.to_string())
                });
                globals.insert((*f).into(), value);
            }
            template.render(&globals).unwrap()
        })
        .collect()
}

/// SendGrid's `{{insert name "default=x"}}`, which the `handlebars` crate does not know.
fn insert_helper(
    h: &handlebars::Helper,
    _: &handlebars::Handlebars,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let value = h.param(0).and_then(|p| p.value().as_str()).unwrap_or("");
    let default = h
        .param(1)
        .and_then(|p| p.value().as_str())
        .and_then(|s| s.strip_prefix("default="))
        .unwrap_or("");
    out.write(if value.is_empty() { default } else { value })?;
    Ok(())
}

fn handlebars_oracle(body: &str) -> Vec<String> {
    let mut hb = handlebars::Handlebars::new();
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_helper("insert", Box::new(insert_helper));
    rows()
        .iter()
        .map(|row| {
            let data: serde_json::Map<String, Value> = row
                .iter()
                .map(|(k, v)| (k.to_string(), Value::from(*v)))
                .collect();
            hb.render_template(body, &data)
                .unwrap_or_else(|e| panic!("{e}: {body}"))
        })
        .collect()
}

/// Liquid → B → C for every pair: each file renders as the original for every contact, and the
/// crates render the Liquid and Handlebars ones as we do.
#[test]
fn conversion_keeps_every_rendering_between_every_pair_of_dialects() {
    let mut runner = random::runner(150);
    let strategy = prop::collection::vec(item(3), 1..6);
    runner
        .run(&strategy, |items| {
            let mut liquid = String::from("---\ndialect: liquid\n---\nA");
            write(&items, &mut liquid);
            liquid.push_str(" Z");
            let (body, base) = ours(&liquid, Dialect::Liquid);
            prop_assert_eq!(&liquid_oracle(&body), &base, "{}", liquid);
            for b in Dialect::ALL {
                let tb = converted(&liquid, b);
                let (_, rb) = ours(&tb, b);
                prop_assert_eq!(&rb, &base, "{} -> {}", liquid, tb);
                for c in Dialect::ALL {
                    let tc = converted(&tb, c);
                    let (body, rc) = ours(&tc, c);
                    prop_assert_eq!(&rc, &base, "{} -> {} -> {}", liquid, tb, tc);
                    match c {
                        Dialect::Liquid => prop_assert_eq!(&liquid_oracle(&body), &base, "{}", tc),
                        Dialect::Handlebars => {
                            prop_assert_eq!(&handlebars_oracle(&body), &base, "{}", tc)
                        }
                        _ => {}
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

/// Converting there and back gives the original text when both dialects say it the same way.
#[test]
fn round_trip_gives_the_original_text() {
    let liquid = "---\ndialect: liquid\n---\nHi {{first_name | default: \"there\"}}, {% if event %}we met at {{event}}.{% else %}we have not met.{% endif %}{% unless company %} Where do you work?{% endunless %}";
    for b in [Dialect::Mailchimp, Dialect::Hubspot] {
        let there = converted(liquid, b);
        assert_eq!(converted(&there, Dialect::Liquid), liquid, "{there}");
    }
}

// ---- The editor -------------------------------------------------------------------------------

const URI: &str = "file:///tmp/outreach-lsp-convert/note.outreach.md";

async fn actions(lsp: &mut Lsp, range: Value, only: Option<Value>) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(only) = only {
        context["only"] = only;
    }
    let r = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range, "context": context}),
        )
        .await;
    r["result"].as_array().cloned().unwrap_or_default()
}

fn titled<'a>(actions: &'a [Value], prefix: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| {
            let titles: Vec<&str> = actions
                .iter()
                .map(|a| a["title"].as_str().unwrap())
                .collect();
            panic!("no {prefix:?} in {titles:#?}")
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn convert_action_rewrites_the_file() {
    let text = "---\nchannel: email\ndialect: liquid\n---\nSubject: The fair\n\nHi {{first_name | default: \"there\"}},\n\n{% if event %}We met at {{event}}.{% endif %} I'm writing because your talk on kilns was the best hour of my week.\n";
    let mut lsp = Lsp::in_process();
    let init = lsp.initialize().await;
    let kinds = &init["result"]["capabilities"]["codeActionProvider"]["codeActionKinds"];
    assert!(
        kinds
            .as_array()
            .unwrap()
            .contains(&json!("source.convert.outreach")),
        "{kinds}"
    );
    lsp.open(URI, "markdown", text).await;
    lsp.diagnostics(URI, Some(1)).await;
    let pos = json!({"line": 6, "character": 0});
    let range = json!({"start": pos, "end": pos});
    // Not in the quick-fix menu; offered as source actions.
    let plain = actions(&mut lsp, range.clone(), None).await;
    assert!(
        plain
            .iter()
            .all(|a| !a["title"].as_str().unwrap().starts_with("Convert")),
        "{plain:#?}"
    );
    let offered = actions(&mut lsp, range.clone(), Some(json!(["source"]))).await;
    let to_mailchimp = titled(&offered, "Convert this file to Mailchimp");
    assert_eq!(to_mailchimp["title"], "Convert this file to Mailchimp");
    assert_eq!(to_mailchimp["kind"], "source.convert.outreach");
    assert_eq!(
        apply_lsp_edits(text, &action_edits(to_mailchimp)),
        "---\nchannel: email\ndialect: mailchimp\n---\nSubject: The fair\n\nHi *|IF:FNAME|**|FNAME|**|ELSE:|*there*|END:IF|*,\n\n*|IF:EVENT|*We met at *|EVENT|*.*|END:IF|* I'm writing because your talk on kilns was the best hour of my week.\n"
    );
    let to_hubspot = titled(&offered, "Convert this file to HubSpot");
    assert_eq!(
        apply_lsp_edits(text, &action_edits(to_hubspot)),
        "---\nchannel: email\ndialect: hubspot\n---\nSubject: The fair\n\nHi {{ contact.firstname|default('there') }},\n\n{% if contact.event %}We met at {{ contact.event }}.{% endif %} I'm writing because your talk on kilns was the best hour of my week.\n"
    );
    // Never its own dialect.
    assert!(offered
        .iter()
        .all(|a| a["title"] != "Convert this file to Liquid"));
    // What the target cannot say is counted in the title.
    let spun = "---\ndialect: liquid\n---\n{Hi|Hello} {{first_name}}, we met at {{event | default: \"the fair\"}} and I'd value your view on kilns.\n";
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": spun}]}),
    )
    .await;
    lsp.diagnostics(URI, Some(2)).await;
    let offered = actions(&mut lsp, range, Some(json!(["source.convert"]))).await;
    let to_handlebars = titled(&offered, "Convert this file to Handlebars");
    assert_eq!(
        to_handlebars["title"],
        "Convert this file to Handlebars (1 part cannot be expressed and stays as written)"
    );
    assert_eq!(
        apply_lsp_edits(spun, &action_edits(to_handlebars)),
        "---\ndialect: handlebars\n---\n{Hi|Hello} {{first_name}}, we met at {{insert event \"default=the fair\"}} and I'd value your view on kilns.\n"
    );
    lsp.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrap_and_spintax_actions() {
    let text = "Hi {{first_name}}, thanks for the talk. We met at {{event}} last May. I'd value your view on kilns.\n";
    let mut lsp = Lsp::in_process();
    lsp.initialize().await;
    lsp.open(URI, "markdown", text).await;
    lsp.diagnostics(URI, Some(1)).await;
    // The cursor on `{{event}}`.
    let pos = json!({"line": 0, "character": 53});
    let offered = actions(&mut lsp, json!({"start": pos, "end": pos}), None).await;
    let wrap = titled(&offered, "Wrap in a conditional");
    assert_eq!(wrap["kind"], "refactor.rewrite");
    let wrapped = apply_lsp_edits(text, &action_edits(wrap));
    assert_eq!(
        wrapped,
        "Hi {{first_name}}, thanks for the talk. {% if event %}We met at {{event}} last May. {% endif %}I'd value your view on kilns.\n"
    );
    // The wrapped placeholder needs no fallback any more, and is not offered the wrap again.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": wrapped}]}),
    )
    .await;
    let diags = lsp.diagnostics(URI, Some(2)).await;
    assert!(
        !codes(&diags).contains(&"missing-fallback".to_string()),
        "{diags:?}"
    );
    let pos = json!({"line": 0, "character": 67});
    let offered = actions(&mut lsp, json!({"start": pos, "end": pos}), None).await;
    assert!(offered
        .iter()
        .all(|a| !a["title"].as_str().unwrap().starts_with("Wrap")));
    // Selecting "Hi" in a Liquid file: a spintax group of greetings.
    let sel = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 2}});
    let offered = actions(&mut lsp, sel, None).await;
    let group = titled(&offered, "Make this a spintax group");
    assert!(apply_lsp_edits(&wrapped, &action_edits(group))
        .starts_with("{Hi|Hello|Hey} {{first_name}},"));
    lsp.shutdown_and_exit().await;
}

// ---- The command line -------------------------------------------------------------------------

const SPUN: &str = "---\ndialect: liquid\n---\n{Hi|Hello} {{first_name}},\n\n{% if event %}We met at {{event}}.{% else %}We have not met yet.{% endif %} I'd value your view on kilns.\n";

#[test]
fn cli_convert_prints_writes_and_says_what_it_left() {
    let dir = temp_dir("cli-convert");
    let file = dir.join("a.outreach.md");
    std::fs::write(&file, SPUN).unwrap();
    let o = run(&["convert", "--to", "hubspot", "a.outreach.md"], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "---\ndialect: hubspot\n---\n{Hi|Hello} {{ contact.firstname }},\n\n{% if contact.event %}We met at {{ contact.event }}.{% else %}We have not met yet.{% endif %} I'd value your view on kilns.\n"
    );
    assert_eq!(
        stderr(&o),
        "a.outreach.md:4:1: not converted: spintax has no equivalent in HubSpot; left as written\n"
    );
    // Nothing left out: exit 0; `--write` rewrites the file and prints nothing on stdout.
    let plain = "Hi {{first_name}}, we met at {{event | default: \"the fair\"}}.\n";
    std::fs::write(&file, plain).unwrap();
    let o = run(
        &["convert", "--to", "mailchimp", "--write", "a.outreach.md"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        // Read as Mailchimp from its syntax alone: no front matter is added.
        "Hi *|FNAME|*, we met at *|IF:EVENT|**|EVENT|**|ELSE:|*the fair*|END:IF|*.\n"
    );
    // Back again: the fallback block becomes a fallback.
    let o = run(&["convert", "--to", "liquid", "a.outreach.md"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Hi {{first_name}}, we met at {{event | default: \"the fair\"}}.\n"
    );
    // Plain `{{name}}` text reads as Liquid: converted to Handlebars, it says so in front matter.
    std::fs::write(&file, "Hi {{first_name}}, we met at the fair.\n").unwrap();
    let o = run(&["convert", "--to", "handlebars", "a.outreach.md"], &dir);
    assert_eq!(
        stdout(&o),
        "---\ndialect: handlebars\n---\nHi {{first_name}}, we met at the fair.\n"
    );
    // Bad input: exit 2 with one line.
    let o = run(
        &["convert", "--to", "mailchimp", "missing.outreach.md"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    let o = run(&["convert", "--to", "klingon", "a.outreach.md"], &dir);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn cli_preview_variants() {
    let dir = temp_dir("cli-variants");
    std::fs::write(dir.join("a.outreach.md"), SPUN).unwrap();
    let o = run(&["preview", "a.outreach.md"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("— 4 renderings"), "{out}");
    assert!(
        out.contains("-- example values, rendering 1 of 4:"),
        "{out}"
    );
    assert!(out.contains("Hi Ana,\n\nWe met at Web Summit."), "{out}");
    // The last choice varies fastest: rendering 2 is the `else` branch, 3 the second greeting.
    let o = run(&["preview", "--variant", "2", "a.outreach.md"], &dir);
    let out = stdout(&o);
    assert!(out.contains("rendering 2 of 4"), "{out}");
    assert!(out.contains("Hi Ana,\n\nWe have not met yet."), "{out}");
    let o = run(&["preview", "--variant", "3", "a.outreach.md"], &dir);
    assert!(
        stdout(&o).contains("Hello Ana,\n\nWe met at"),
        "{}",
        stdout(&o)
    );
    let o = run(&["preview", "--variant", "5", "a.outreach.md"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: --variant 5: message \"connection-request message\" has 4 renderings (1 to 4)\n"
    );
    let o = run(&["preview", "--all-variants", "a.outreach.md"], &dir);
    let out = stdout(&o);
    for n in 1..=4 {
        assert!(out.contains(&format!("rendering {n} of 4")), "{out}");
    }
    // With a contact, its data decides the condition; only the spintax varies.
    std::fs::write(dir.join("c.csv"), "first_name,event\nBo,\nCy,Kiln Days\n").unwrap();
    let o = run(
        &[
            "preview",
            "--all",
            "--all-variants",
            "--contacts",
            "c.csv",
            "a.outreach.md",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("-- contact 1, rendering 2 of 2:"), "{out}");
    assert!(out.contains("Hello Bo,\n\nWe have not met yet."), "{out}");
    assert!(out.contains("Hi Cy,\n\nWe met at Kiln Days."), "{out}");
    assert!(!out.contains("We met at ."), "{out}");
    // JSON says the counts too.
    let o = run(
        &[
            "preview",
            "--format",
            "json",
            "--variant",
            "4",
            "a.outreach.md",
        ],
        &dir,
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["messages"][0]["rendering_count"], 4);
    assert_eq!(v["messages"][0]["renderings"][0]["variant"], 4);
}

/// A huge number of renderings is listed up to a cap with a line saying how many more.
#[test]
fn cli_all_variants_is_capped() {
    let dir = temp_dir("cli-variants-cap");
    let groups = "{a|b|c|d|e} ".repeat(10);
    std::fs::write(
        dir.join("a.outreach.md"),
        format!("---\ndialect: liquid\nchannel: email\n---\n{groups}\n"),
    )
    .unwrap();
    let o = run(&["preview", "--all-variants", "a.outreach.md"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("— 9765625 renderings"), "{out}");
    assert_eq!(out.matches("-- example values").count(), 50);
    assert!(
        out.contains("…and 9765575 more renderings (too many to list; some may read the same)"),
        "{out}"
    );
    let o = run(&["preview", "--variant", "9765625", "a.outreach.md"], &dir);
    assert!(
        stdout(&o).contains("\ne e e e e e e e e e\n"),
        "{}",
        stdout(&o)
    );
}

/// Any mix of the dialects' syntax converts to every dialect without a panic, with edits inside the
/// text on character boundaries, sorted and disjoint.
#[test]
fn arbitrary_syntax_converts_without_a_panic() {
    for_random_syntax(1000, 60, |text| {
        for from in Dialect::ALL {
            let t = Template::parse_in(text, Some(from));
            for to in Dialect::ALL {
                let c = convert(&t, to);
                let mut at = 0;
                for e in &c.edits {
                    prop_assert!(at <= e.span.start && e.span.start <= e.span.end);
                    prop_assert!(e.span.end <= text.len());
                    prop_assert!(
                        text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end)
                    );
                    at = e.span.end;
                }
                let _ = c.apply(text);
            }
        }
        Ok(())
    });
}

/// The dialect examples convert to every other dialect with no finding added, except what the
/// target cannot express (Liquid's spintax), which the linter then reports.
#[test]
fn examples_convert_and_stay_clean() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for name in [
        "liquid-spintax",
        "handlebars-sendgrid",
        "mailchimp",
        "hubspot",
    ] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.outreach.md"))).unwrap();
        let rules = |t: &str| -> Vec<String> {
            outreach_lsp::lint(t, &outreach_lsp::Config::default())
                .findings
                .iter()
                .map(|f| f.rule.to_string())
                .collect()
        };
        assert_eq!(rules(&text), Vec::<String>::new(), "{name}");
        for to in Dialect::ALL {
            let c = convert(&Template::parse(&text), to);
            let out = c.apply(&text);
            assert_eq!(
                Template::parse(&out).dialect,
                to,
                "{name} -> {}",
                to.as_str()
            );
            let found = rules(&out);
            if c.notes.is_empty() {
                assert_eq!(
                    found,
                    Vec::<String>::new(),
                    "{name} -> {}:\n{out}",
                    to.as_str()
                );
            } else {
                assert!(
                    found.iter().any(|r| r == "literal-placeholder"),
                    "{name} -> {}: {found:?}",
                    to.as_str()
                );
            }
        }
    }
}

/// `outreach/preview` with `variant`: the same numbering as the CLI, and a clear error past the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_request_picks_a_variant() {
    let mut lsp = Lsp::in_process();
    lsp.initialize().await;
    lsp.open(URI, "markdown", SPUN).await;
    lsp.diagnostics(URI, Some(1)).await;
    let r = lsp
        .request("outreach/preview", json!({"uri": URI, "variant": 2}))
        .await;
    let m = &r["result"]["messages"][0];
    assert_eq!(m["renderings"], 4, "{r}");
    assert_eq!(m["variant"], 2);
    assert!(
        m["text"]
            .as_str()
            .unwrap()
            .starts_with("Hi Ana,\n\nWe have not met yet."),
        "{m}"
    );
    let r = lsp
        .request("outreach/preview", json!({"uri": URI, "variant": 5}))
        .await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("has 4 renderings"),
        "{r}"
    );
    lsp.shutdown_and_exit().await;
}

/// A Liquid condition: comparisons joined by `and`/`or` (written flat; Liquid groups from the right).
#[derive(Debug, Clone)]
struct Cond(Vec<(&'static str, u8)>, Vec<bool>);

fn cond() -> impl Strategy<Value = Cond> {
    (
        prop::collection::vec((prop::sample::select(FIELDS), 0u8..4), 1..4),
        prop::collection::vec(any::<bool>(), 3),
    )
        .prop_map(|(leaves, ands)| Cond(leaves, ands))
}

fn write_cond(c: &Cond) -> String {
    let mut out = String::new();
    for (i, (f, how)) in c.0.iter().enumerate() {
        if i > 0 {
            out.push_str(if c.1[i - 1] { " and " } else { " or " });
        }
        let value = VALUES[FIELDS.iter().position(|x| x == f).unwrap()];
        out.push_str(&match how {
            0 => f.to_string(),
            1 => format!("{f} == \"{value}\""),
            2 => format!("{f} != \"{value}\""),
            _ => format!("{f} == \"other\""),
        });
    }
    out
}

/// Comparisons and `and`/`or`: wherever the target can express the conditions (no note), the
/// converted file and its conversion back render as the original for every contact.
#[test]
fn comparisons_convert_where_the_target_can_say_them() {
    let mut runner = random::runner(300);
    let strategy = (cond(), prop::option::of(cond()), any::<bool>());
    let converted_somewhere = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&strategy, |(a, b, with_else)| {
            let mut liquid = format!(
                "---\ndialect: liquid\n---\nA {{% if {} %}}one {{{{company}}}}",
                write_cond(&a)
            );
            if let Some(b) = &b {
                liquid.push_str(&format!("{{% elsif {} %}}two", write_cond(b)));
            }
            if with_else {
                liquid.push_str("{% else %}three");
            }
            liquid.push_str("{% endif %} Z");
            // The `liquid` crate groups a mix of `and` and `or` differently from Shopify's documented
            // right-to-left reading (which this program follows): the oracle judges one-operator
            // conditions only.
            let mixed = |c: &Cond| {
                let ops = &c.1[..c.0.len() - 1];
                ops.iter().any(|o| *o) && ops.iter().any(|o| !*o)
            };
            let oracle = !mixed(&a) && b.as_ref().is_none_or(|b| !mixed(b));
            let (body, base) = ours(&liquid, Dialect::Liquid);
            if oracle {
                prop_assert_eq!(&liquid_oracle(&body), &base, "{}", liquid);
            }
            for to in [Dialect::Handlebars, Dialect::Mailchimp, Dialect::Hubspot] {
                let t = Template::parse(&liquid);
                let c = convert(&t, to);
                if !c.notes.is_empty() {
                    // Left whole: the file still reads the block as the source wrote it.
                    prop_assert!(c.apply(&liquid).contains("{% if "), "{:?}", c.notes);
                    continue;
                }
                converted_somewhere.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let there = c.apply(&liquid);
                let (_, rendered) = ours(&there, to);
                prop_assert_eq!(&rendered, &base, "{} -> {}", liquid, there);
                let back = converted(&there, Dialect::Liquid);
                let (body, rendered) = ours(&back, Dialect::Liquid);
                prop_assert_eq!(&rendered, &base, "{} -> {} -> {}", liquid, there, back);
                if oracle {
                    prop_assert_eq!(&liquid_oracle(&body), &base, "{}", back);
                }
            }
            Ok(())
        })
        .unwrap();
    assert!(converted_somewhere.into_inner() > 200);
}
