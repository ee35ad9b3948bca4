//! docs/rules/<id>.md is each rule's documentation (`RuleDoc::markdown`), the page diagnostics link to
//! (`codeDescription.href`) and hovers point at. This fails when a page is missing, stale or left over
//! from a removed rule. Regenerate them with:
//!
//!     OUTREACH_UPDATE_RULE_PAGES=1 cargo test --test rule_pages

use std::collections::BTreeMap;
use std::path::PathBuf;

use outreach_lsp::rules;

fn pages() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut index = String::from(
        "# Rules\n\nGenerated from the rules' documentation (`outreach-lsp explain <rule>` prints the same text); \
         do not edit by hand: `OUTREACH_UPDATE_RULE_PAGES=1 cargo test --test rule_pages` rewrites them.\n\n",
    );
    index.push_str("| rule | default | what it finds |\n|---|---|---|\n");
    for r in rules::RULES {
        let d = r.doc();
        out.insert(format!("{}.md", d.id), d.markdown());
        let sev = if d.severity_note.is_empty() {
            d.default_severity.as_str().to_string()
        } else {
            d.severity_note.to_string()
        };
        index.push_str(&format!(
            "| [`{0}`]({0}.md) | {sev} | {1} |\n",
            d.id, d.summary
        ));
    }
    out.insert("README.md".into(), index);
    out
}

#[test]
fn rule_pages_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let wanted = pages();
    if std::env::var_os("OUTREACH_UPDATE_RULE_PAGES").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".md") && !wanted.contains_key(&name) {
                std::fs::remove_file(&path).unwrap();
            }
        }
        for (name, text) in &wanted {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut problems = Vec::new();
    for (name, text) in &wanted {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(on_disk) if on_disk == *text => {}
            Ok(_) => problems.push(format!("docs/rules/{name} is stale")),
            Err(_) => problems.push(format!("docs/rules/{name} is missing")),
        }
    }
    for entry in std::fs::read_dir(&dir).into_iter().flatten() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if !wanted.contains_key(&name) {
            problems.push(format!("docs/rules/{name} belongs to no rule"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nrun: OUTREACH_UPDATE_RULE_PAGES=1 cargo test --test rule_pages",
        problems.join("\n")
    );
}
