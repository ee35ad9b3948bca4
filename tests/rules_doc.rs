//! Every rule documents itself completely, and its examples behave as documented.

#[path = "common/labelled.rs"]
mod labelled;

use outreach_lsp::{lint, rules, Config};

#[test]
fn every_rule_has_every_section() {
    for r in rules::RULES {
        let d = r;
        for (name, text) in [
            ("summary", d.summary),
            ("what", d.what),
            ("why", d.why),
            ("bad", d.bad),
            ("good", d.good),
            ("fix", d.fix),
        ] {
            assert!(
                text.trim().len() > 10,
                "{}: section {name} is missing or too short",
                d.id
            );
        }
        let md = d.markdown();
        for s in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## How to fix",
            "## How to disable",
        ] {
            assert!(md.contains(s), "{}: {s}", d.id);
        }
        assert!(d.how_to_disable().contains(d.id.as_str()));
    }
}

#[test]
fn bad_examples_trigger_and_good_examples_do_not() {
    for r in rules::RULES {
        let d = r;
        if d.id.as_str() == "file-too-large" {
            continue; // needs a multi-megabyte file: checked below
        }
        // Rules about the data and the workspace get a contact list and another template.
        let contacts =
            outreach_lsp::contacts::Contacts::parse(b"first_name,company\nAna,Acme\nBo,\n")
                .unwrap();
        let index = outreach_lsp::workspace::WorkspaceIndex::build(&[(
            std::path::PathBuf::from("other.outreach.md"),
            d.bad.to_string(),
        )]);
        let inputs = outreach_lsp::lint::Inputs {
            contacts: (d.id.as_str() == "contact-data-missing").then_some(&contacts),
            workspace: Some(&index),
            path: Some(std::path::Path::new("this.outreach.md")),
            ..Default::default()
        };
        let bad = outreach_lsp::lint::lint_with(d.bad, &Config::default(), inputs);
        assert!(
            bad.findings.iter().any(|f| f.rule == d.id),
            "{}: its bad example does not trigger it: {:?}",
            d.id,
            bad.findings.iter().map(|f| f.rule).collect::<Vec<_>>()
        );
        let good = outreach_lsp::lint::lint_with(d.good, &Config::default(), inputs);
        assert!(
            !good.findings.iter().any(|f| f.rule == d.id),
            "{}: its good example triggers it",
            d.id
        );
    }
    let big = "Hi {{first_name}}\n".repeat(300_000);
    assert!(lint(&big, &Config::default())
        .findings
        .iter()
        .any(|f| f.rule.as_str() == "file-too-large"));
}

/// Checks that the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` in `file` is `generated`;
/// with `UPDATE_DOCS=1` writes it there instead.
fn check_generated(file: &str, name: &str, generated: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let (open, close) = (
        format!("<!-- {name}:start -->"),
        format!("<!-- {name}:end -->"),
    );
    let start = text
        .find(&open)
        .unwrap_or_else(|| panic!("{file} has no {open}"))
        + open.len();
    let end = text
        .find(&close)
        .unwrap_or_else(|| panic!("{file} has no {close}"));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}\n{}\n{}", &text[..start], generated.trim(), &text[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        text[start..end].trim(),
        generated.trim(),
        "{file}: the generated {name} table is out of date: run UPDATE_DOCS=1 cargo test --test rules_doc"
    );
}

#[test]
fn rule_table_is_current() {
    check_generated("docs/rules/README.md", "rules", &rules::markdown_table());
}

/// The measured precision and recall of every rule on both labelled corpora, in rule order.
#[test]
fn measured_table_is_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let real = labelled::score(&labelled::load(&root.join("tests/realworld")), true);
    let own = labelled::score(&labelled::load(&root.join("tests/corpus")), false);
    let cell = |c: Option<&labelled::Counts>| match c {
        Some(c) if c.tp + c.fp + c.fneg > 0 => format!(
            "{:.2} | {:.2} | {}/{}/{}",
            c.precision(),
            c.recall(),
            c.tp,
            c.fp,
            c.fneg
        ),
        _ => "– | – | –".to_string(),
    };
    let mut table = String::from(
        "| rule | real-world precision | recall | tp/fp/fn | own corpus precision | recall | tp/fp/fn |\n|---|---|---|---|---|---|---|\n",
    );
    for r in rules::RULES {
        let id = r.id.as_str();
        let (a, b) = (real.per_rule.get(id), own.per_rule.get(id));
        if a.is_none() && b.is_none() {
            continue;
        }
        table.push_str(&format!("| `{id}` | {} | {} |\n", cell(a), cell(b)));
    }
    let (a, b) = (real.overall(), own.overall());
    table.push_str(&format!(
        "| overall | {} | {} |\n",
        cell(Some(&a)),
        cell(Some(&b))
    ));
    check_generated("docs/rules/README.md", "measured", &table);
}

#[test]
fn placeholder_table_is_current() {
    check_generated(
        "docs/templates.md",
        "placeholders",
        &outreach_lsp::model::catalog::markdown_table(),
    );
}

/// Adding a rule is one file under `src/rules/` and one line in the registry: every file there is
/// registered, under the id its file name spells, and nothing else is.
#[test]
fn every_rule_file_is_registered_once() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            let stem = name.strip_suffix(".rs")?;
            (stem != "mod").then(|| stem.replace('_', "-"))
        })
        .collect();
    files.sort();
    let mut ids: Vec<&str> = rules::ids().collect();
    ids.sort();
    assert_eq!(ids, files, "src/rules/*.rs and the registry disagree");
}

/// A phrase set belongs to the one rule that registered it (its `extra_phrases` extend it).
#[test]
fn every_phrase_set_has_one_owner() {
    let mut seen: Vec<(*const (), &str)> = Vec::new();
    for r in rules::RULES {
        for set in r.phrases {
            let ptr = &***set as *const _ as *const ();
            if let Some((_, owner)) = seen.iter().find(|(p, _)| *p == ptr) {
                panic!("{} and {owner} both register one phrase set", r.id);
            }
            seen.push((ptr, r.id.as_str()));
        }
    }
}

/// `docs/rules/<id>.md` is generated from the rule (the page a diagnostic links to). Run with
/// `UPDATE_DOCS=1` to write the pages.
#[test]
fn rule_pages_are_current() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules"));
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    if update {
        std::fs::create_dir_all(dir).unwrap();
    }
    let mut expected: Vec<String> = Vec::new();
    for r in rules::RULES {
        let name = format!("{}.md", r.id);
        let path = dir.join(&name);
        let page = r.markdown();
        if update {
            std::fs::write(&path, &page).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!("{name} is missing: run UPDATE_DOCS=1 cargo test --test rules_doc")
        });
        assert_eq!(
            on_disk, page,
            "{name} is stale: run UPDATE_DOCS=1 cargo test --test rules_doc"
        );
        assert!(r.url().ends_with(&format!("docs/rules/{name}")));
        expected.push(name);
    }
    let mut pages: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".md") && n != "README.md")
        .collect();
    pages.sort();
    expected.sort();
    assert_eq!(
        pages, expected,
        "docs/rules has pages of rules that do not exist"
    );
}
