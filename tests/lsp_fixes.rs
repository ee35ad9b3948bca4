//! Every quick fix the server offers over the corpus, applied through LSP the way an editor applies it:
//! request the code actions of a diagnostic, apply the edit, and check the finding is gone and no error
//! was added.

mod common;

#[path = "common/files.rs"]
mod files;

use std::collections::BTreeMap;

use common::*;
use serde_json::{json, Value};

fn corpus(limit: usize) -> Vec<(String, String)> {
    let mut files = files::corpus_templates();
    // Bad templates first: they are the ones with fixes.
    files.sort_by_key(|(n, _)| !n.contains("bad"));
    files.truncate(limit);
    files
}

fn counts(diags: &[Value], severity: Option<u64>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for d in diags {
        if severity.is_none_or(|s| d["severity"] == s) {
            *m.entry(d["code"].as_str().unwrap_or_default().to_string())
                .or_default() += 1;
        }
    }
    m
}

async fn apply_every_fix(mut lsp: Lsp, limit: usize) {
    lsp.initialize().await;
    let mut applied = 0;
    for (name, text) in corpus(limit) {
        let uri = format!("file:///tmp/outreach-lsp-fixes/{name}");
        lsp.open(&uri, "markdown", &text).await;
        let mut version = 1;
        let before = lsp.diagnostics(&uri, Some(version)).await;
        for diag in &before {
            let rule = diag["code"].as_str().unwrap().to_string();
            let r = lsp
                .request(
                    "textDocument/codeAction",
                    json!({"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag], "only": ["quickfix"]}}),
                )
                .await;
            for action in r["result"].as_array().cloned().unwrap_or_default() {
                let fixed = apply_lsp_edits(&text, &action_edits(&action));
                version += 1;
                lsp.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": fixed}]}),
                )
                .await;
                let after = lsp.diagnostics(&uri, Some(version)).await;
                applied += 1;
                let title = action["title"].as_str().unwrap();
                let (b, a) = (counts(&before, None), counts(&after, None));
                if rule == "message-too-long" && !title.starts_with("Disable") {
                    let old = diag["message"].as_str().unwrap();
                    assert!(
                        !after.iter().any(|d| d["message"] == old),
                        "{name}: `{title}` did not shorten the message"
                    );
                } else {
                    assert!(
                        a.get(&rule).copied().unwrap_or(0) < b[&rule],
                        "{name}: `{title}` did not remove {rule}\n---\n{fixed}"
                    );
                }
                let (eb, ea) = (counts(&before, Some(1)), counts(&after, Some(1)));
                for (r, n) in &ea {
                    assert!(
                        *n <= eb.get(r).copied().unwrap_or(0),
                        "{name}: `{title}` added an error {r}\n---\n{fixed}"
                    );
                }
                // Back to the original text for the next fix.
                version += 1;
                lsp.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
                )
                .await;
                lsp.diagnostics(&uri, Some(version)).await;
            }
        }
        lsp.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    }
    assert!(applied > 100 || limit < 50, "only {applied} fixes applied");
    lsp.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fix_over_the_corpus_in_process() {
    apply_every_fix(Lsp::in_process(), usize::MAX).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixes_over_part_of_the_corpus_spawned() {
    apply_every_fix(Lsp::spawn(), 25).await;
}
