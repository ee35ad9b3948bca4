//! Every rule documents itself completely, and its examples behave as documented.

use outreach_lsp::{lint, rules, Config};

#[test]
fn every_rule_has_every_section() {
    for r in rules::RULES {
        let d = r.doc();
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
        assert!(d.how_to_disable().contains(d.id));
    }
}

#[test]
fn bad_examples_trigger_and_good_examples_do_not() {
    for r in rules::RULES {
        let d = r.doc();
        if d.id == "file-too-large" {
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
            contacts: (d.id == "contact-data-missing").then_some(&contacts),
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
        .any(|f| f.rule == "file-too-large"));
}

#[test]
fn readme_rule_table_is_current() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- rules:start -->")
        .expect("README has the rules:start marker")
        + "<!-- rules:start -->".len();
    let end = readme
        .find("<!-- rules:end -->")
        .expect("README has the rules:end marker");
    assert_eq!(
        readme[start..end].trim(),
        rules::markdown_table().trim(),
        "README rule table is out of date: run `cargo run -- rule-table` and paste it between the markers"
    );
}

#[test]
fn readme_placeholder_table_is_current() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- placeholders:start -->").expect("marker")
        + "<!-- placeholders:start -->".len();
    let end = readme.find("<!-- placeholders:end -->").expect("marker");
    assert_eq!(
        readme[start..end].trim(),
        outreach_lsp::model::catalog::markdown_table().trim()
    );
}
