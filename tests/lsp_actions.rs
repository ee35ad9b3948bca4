//! The quick-fix menu as an editor asks for it: Ctrl+. on `[First Name]` (the cursor's diagnostics in
//! the context), "fix all" on save (`only: ["source.fixAll"]`), and rewrites on request.

mod common;

use common::*;
use serde_json::{json, Value};

const URI: &str = "file:///tmp/outreach-lsp-actions/note.outreach.md";
const NOTE: &str = "---\nchannel: linkedin-connection\n---\nHi [First Name],\n\nI saw your talk at {{event}} and loved it!! Would love to connect.\n";

/// The diagnostics whose range holds `pos` (what VS Code and Neovim send with Ctrl+. / code_action()).
fn at(diags: &[Value], line: u64, character: u64) -> Vec<Value> {
    diags
        .iter()
        .filter(|d| {
            let (s, e) = (&d["range"]["start"], &d["range"]["end"]);
            let after_start = (
                s["line"].as_u64().unwrap(),
                s["character"].as_u64().unwrap(),
            ) <= (line, character);
            let before_end = (line, character)
                <= (
                    e["line"].as_u64().unwrap(),
                    e["character"].as_u64().unwrap(),
                );
            after_start && before_end
        })
        .cloned()
        .collect()
}

fn titles(actions: &[Value]) -> Vec<String> {
    actions
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fix_menu_on_a_literal_placeholder() {
    let mut lsp = Lsp::in_process();
    lsp.initialize().await;
    lsp.open(URI, "markdown", NOTE).await;
    let diags = lsp.diagnostics(URI, Some(1)).await;
    // The cursor inside `[First Name]` (line 3, character 6).
    let here = at(&diags, 3, 6);
    assert!(here.len() >= 2, "{here:?}");
    let pos = json!({"line": 3, "character": 6});
    let r = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": pos, "end": pos},
                   "context": {"diagnostics": here, "triggerKind": 1}}),
        )
        .await;
    let actions = r["result"].as_array().unwrap().clone();
    let names = titles(&actions);
    assert_eq!(names[0], "Replace with {{first_name}}", "{names:#?}");
    // One preferred action in the whole menu (an editor's auto-fix key has one choice): the first.
    let preferred: Vec<&Value> = actions
        .iter()
        .filter(|a| a["isPreferred"] == true)
        .collect();
    assert_eq!(preferred.len(), 1, "{names:#?}");
    assert_eq!(preferred[0]["title"], "Replace with {{first_name}}");
    // "Disable…" actions come last, line before file for each rule.
    let first_disable = names.iter().position(|t| t.starts_with("Disable")).unwrap();
    assert!(
        names[first_disable..]
            .iter()
            .all(|t| t.starts_with("Disable")),
        "{names:#?}"
    );
    let line = names
        .iter()
        .position(|t| t == "Disable literal-placeholder for this line")
        .unwrap();
    let file = names
        .iter()
        .position(|t| t == "Disable literal-placeholder for this file")
        .unwrap();
    assert!(line < file);
    // Placeholder rewrites only for what the findings here ask for, a few each.
    let rewrites: Vec<&String> = names
        .iter()
        .filter(|t| t.starts_with("Insert personalization placeholder"))
        .collect();
    assert!(rewrites.len() <= 4, "{rewrites:#?}");
    assert!(names.len() <= 16, "{} actions: {names:#?}", names.len());
    // The preferred fix removes the error and adds nothing at warning or error level.
    let fixed = apply_lsp_edits(NOTE, &action_edits(&actions[0]));
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    )
    .await;
    let after = lsp.diagnostics(URI, Some(2)).await;
    assert!(!codes(&after).contains(&"literal-placeholder".to_string()));
    let serious = |ds: &[Value]| {
        ds.iter()
            .filter(|d| d["severity"].as_u64() <= Some(2))
            .count()
    };
    assert!(serious(&after) < serious(&diags));
    lsp.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_applies_every_safe_fix_in_one_edit() {
    let mut lsp = Lsp::in_process();
    lsp.initialize_with(
        json!({"capabilities": {"workspace": {"workspaceEdit": {"documentChanges": true}}}}),
    )
    .await;
    lsp.open(URI, "markdown", NOTE).await;
    lsp.diagnostics(URI, Some(1)).await;
    let pos = json!({"line": 0, "character": 0});
    let ask = |only: Value| {
        json!({"textDocument": {"uri": URI}, "range": {"start": pos, "end": pos},
               "context": {"diagnostics": [], "only": only, "triggerKind": 2}})
    };
    let r = lsp
        .request("textDocument/codeAction", ask(json!(["source.fixAll"])))
        .await;
    let actions = r["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.outreach");
    let fixed = apply_lsp_edits(NOTE, &action_edits(&actions[0]));
    assert_eq!(
        fixed,
        "---\nchannel: linkedin-connection\n---\nHi {{first_name}},\n\nI saw your talk at {{event | default: \"the event\"}} and loved it! Would love to connect.\n"
    );
    // Asked by its own kind too; and never offered in the quick-fix menu.
    let r = lsp
        .request(
            "textDocument/codeAction",
            ask(json!(["source.fixAll.outreach"])),
        )
        .await;
    assert_eq!(r["result"].as_array().unwrap().len(), 1);
    let r = lsp
        .request("textDocument/codeAction", ask(json!(["quickfix"])))
        .await;
    assert!(r["result"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["kind"] == "quickfix"));
    // The kind is advertised, so editors' codeActionsOnSave asks for it.
    lsp.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn placeholder_rewrites_on_request_only() {
    let mut lsp = Lsp::in_process();
    let init = lsp.initialize().await;
    let kinds = &init["result"]["capabilities"]["codeActionProvider"]["codeActionKinds"];
    assert!(
        kinds
            .as_array()
            .unwrap()
            .contains(&json!("source.fixAll.outreach")),
        "{kinds}"
    );
    let text = "---\nchannel: linkedin-connection\n---\nHi {{first_name}},\n\nI saw your talk at {{event | default: \"the meetup\"}} and I am hiring for a data role.\n";
    lsp.open(URI, "markdown", text).await;
    lsp.diagnostics(URI, Some(1)).await;
    // On plain prose with no finding there: no placeholder rewrites in the quick-fix menu.
    let pos = json!({"line": 5, "character": 60});
    let r = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": pos, "end": pos}, "context": {"diagnostics": []}}),
        )
        .await;
    let names = titles(r["result"].as_array().unwrap());
    assert!(
        !names
            .iter()
            .any(|t| t.starts_with("Insert personalization placeholder")),
        "{names:#?}"
    );
    // Asked for by kind (a Refactor menu): every common-ground and reason placeholder.
    let r = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": pos, "end": pos},
                   "context": {"diagnostics": [], "only": ["refactor"]}}),
        )
        .await;
    let names = titles(r["result"].as_array().unwrap());
    assert!(
        names
            .iter()
            .filter(|t| t.starts_with("Insert personalization placeholder"))
            .count()
            >= 5,
        "{names:#?}"
    );
    lsp.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_lists_several_findings_compactly_and_diagnostics_link_their_rule() {
    let mut lsp = Lsp::in_process();
    lsp.initialize().await;
    lsp.open(URI, "markdown", NOTE).await;
    let diags = lsp.diagnostics(URI, Some(1)).await;
    for d in &diags {
        let rule = d["code"].as_str().unwrap();
        assert_eq!(
            d["codeDescription"]["href"],
            format!("https://github.com/outreach-lsp/outreach-lsp/blob/main/docs/rules/{rule}.md")
        );
        let page =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("docs/rules/{rule}.md"));
        assert!(page.exists(), "{page:?}");
        // Plain text: no Markdown code marks, kinds in words.
        let message = d["message"].as_str().unwrap();
        assert!(
            !message.contains('`') && !message.contains("connection-request"),
            "{message}"
        );
    }
    // On `[First Name]`: literal-placeholder in full, no-reason (on the same line) in one line.
    let r = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 6}}),
        )
        .await;
    let value = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.starts_with("## literal-placeholder\n\n[First Name] would be sent as it is"),
        "{value}"
    );
    assert_eq!(value.matches("## ").count(), 1, "{value}");
    assert!(
        value.contains(
            "\n- **no-reason** (warning): this connection request never says why you are writing"
        ),
        "{value}"
    );
    assert!(
        value.lines().count() <= 14,
        "{} lines:\n{value}",
        value.lines().count()
    );
    lsp.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_in_vscode_does_not_repeat_the_diagnostics() {
    let mut lsp = Lsp::in_process();
    // VS Code (and code-server) show the diagnostics at the position in the hover popup themselves.
    lsp.initialize_with(json!({"clientInfo": {"name": "Visual Studio Code", "version": "1.100.3"}, "capabilities": {}}))
        .await;
    lsp.open(URI, "markdown", NOTE).await;
    lsp.diagnostics(URI, Some(1)).await;
    let r = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 6}}),
        )
        .await;
    let value = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.starts_with("## literal-placeholder\n\nReports "),
        "{value}"
    );
    assert!(!value.contains("would be sent as it is"), "{value}");
    assert!(!value.contains("never says why"), "{value}");
    assert!(value.contains("Also here: **no-reason**"), "{value}");
    lsp.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sales_pitch_can_be_removed_not_only_disabled() {
    let mut lsp = Lsp::in_process();
    lsp.initialize().await;
    let text = "---\nchannel: linkedin-connection\n---\nHi {{first_name}},\n\nI saw your talk at {{event | default: \"the meetup\"}}. Book a demo with me this week. I'd value your take on pipelines.\n";
    lsp.open(URI, "markdown", text).await;
    let diags = lsp.diagnostics(URI, Some(1)).await;
    let pitch = find(&diags, "sales-pitch").clone();
    let r = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": pitch["range"], "context": {"diagnostics": [pitch]}}),
        )
        .await;
    let actions = r["result"].as_array().unwrap().clone();
    let names = titles(&actions);
    assert_eq!(
        names[0], "Remove the sentence “Book a demo with me this week.”",
        "{names:#?}"
    );
    // It deletes what the sender wrote: offered, never preferred.
    assert!(actions[0].get("isPreferred").is_none(), "{:?}", actions[0]);
    let fixed = apply_lsp_edits(text, &action_edits(&actions[0]));
    assert!(
        fixed.ends_with("I saw your talk at {{event | default: \"the meetup\"}}. I'd value your take on pipelines.\n"),
        "{fixed}"
    );
    lsp.shutdown_and_exit().await;
}
