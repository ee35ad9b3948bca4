//! The server driven over LSP JSON-RPC, both in-process and as a spawned binary.

mod common;

use common::*;
use serde_json::{json, Value};

const FIXTURE: &str =
    "Hi {{frist_name}},\n\nI'd like to add you to my professional network on LinkedIn.\n";
const URI: &str = "file:///tmp/outreach-lsp-tests/fixture.outreach.md";

async fn diagnostics_with_contract_ranges(mut lsp: Lsp) {
    let init = lsp.initialize().await;
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    lsp.open(URI, "markdown", FIXTURE).await;
    let diags = lsp.diagnostics(URI, Some(1)).await;
    let unknown = find(&diags, "unknown-placeholder");
    assert_eq!(
        unknown["range"],
        json!({"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 17}})
    );
    assert_eq!(unknown["severity"], 1);
    assert_eq!(unknown["source"], "outreach-lsp");
    assert!(unknown["message"].as_str().unwrap().contains("first_name"));
    let stock = find(&diags, "default-invitation-text");
    assert_eq!(stock["range"]["start"]["line"], 2);
    assert_eq!(stock["severity"], 2);
    // `data` names the rule; fixes are computed on request, not shipped in every publish.
    assert_eq!(unknown["data"], json!({"rule": "unknown-placeholder"}));
    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    )
    .await;
    assert!(lsp
        .diagnostics_where(URI, |d| d.is_empty())
        .await
        .is_empty());
    lsp.shutdown_and_exit().await;
}
both_transports!(diagnostics_with_contract_ranges);

async fn preferred_quick_fix_removes_the_finding(mut lsp: Lsp) {
    lsp.initialize_with(
        json!({"capabilities": {"workspace": {"workspaceEdit": {"documentChanges": true}}}}),
    )
    .await;
    lsp.open(URI, "markdown", FIXTURE).await;
    let diags = lsp.diagnostics(URI, Some(1)).await;
    let unknown = find(&diags, "unknown-placeholder").clone();
    let r = lsp
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": unknown["range"], "context": {"diagnostics": [unknown]}}),
        )
        .await;
    let actions = r["result"].as_array().unwrap();
    let preferred: Vec<&Value> = actions
        .iter()
        .filter(|a| a["isPreferred"] == true)
        .collect();
    assert_eq!(preferred.len(), 1, "{actions:?}");
    let fix = preferred[0];
    assert_eq!(fix["title"], "Replace with {{first_name}}");
    assert_eq!(fix["kind"], "quickfix");
    // Versioned document changes, since the client supports them.
    assert_eq!(
        fix["edit"]["documentChanges"][0]["textDocument"]["version"],
        1
    );
    assert!(actions
        .iter()
        .any(|a| a["title"] == "Disable unknown-placeholder for this line"));
    assert!(actions
        .iter()
        .any(|a| a["title"] == "Disable unknown-placeholder for this file"));
    let fixed = apply_lsp_edits(FIXTURE, &action_edits(fix));
    assert!(fixed.starts_with("Hi {{first_name}},"));
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    )
    .await;
    let diags = lsp.diagnostics(URI, Some(2)).await;
    assert!(!codes(&diags).contains(&"unknown-placeholder".to_string()));
    assert!(codes(&diags).contains(&"default-invitation-text".to_string()));
    lsp.shutdown_and_exit().await;
}
both_transports!(preferred_quick_fix_removes_the_finding);

async fn hover_on_placeholder_and_finding(mut lsp: Lsp) {
    lsp.initialize().await;
    let text = "Hi {{first_name}}, we're both in {{shared_group | default: \"DataOps\"}}. I'd love to hear about {{topic}}.\n";
    lsp.open(URI, "markdown", text).await;
    lsp.diagnostics(URI, Some(1)).await;
    let r = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 8}}),
        )
        .await;
    let value = r["result"]["contents"]["value"].as_str().unwrap();
    assert_eq!(r["result"]["contents"]["kind"], "markdown");
    assert!(
        value.contains("first_name") && value.contains("Ana"),
        "{value}"
    );
    // `{{topic}}` has a missing-fallback finding: its documentation comes first.
    let col = text.find("{{topic}}").unwrap() as u64 + 3;
    let r = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": col}}),
        )
        .await;
    let value = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("## missing-fallback"), "{value}");
    // Compact: the message once, a paragraph, the fix and a link to the rule's full page.
    assert_eq!(
        value.matches("often empty and has no fallback").count(),
        1,
        "{value}"
    );
    assert!(!value.contains("How to disable"), "{value}");
    assert!(
        value.contains("(https://github.com/outreach-lsp/outreach-lsp/blob/main/docs/rules/missing-fallback.md)"),
        "{value}"
    );
    lsp.shutdown_and_exit().await;
}
both_transports!(hover_on_placeholder_and_finding);

async fn non_templates_get_an_empty_list(mut lsp: Lsp) {
    lsp.initialize().await;
    let uri = "file:///tmp/outreach-lsp-tests/README.md";
    lsp.open(uri, "markdown", "# Readme\n\nHi [First Name], buy now!!\n")
        .await;
    assert!(lsp.diagnostics(uri, Some(1)).await.is_empty());
    // Markdown with `channel` in its front matter is a template.
    let uri2 = "file:///tmp/outreach-lsp-tests/note.md";
    lsp.open(
        uri2,
        "markdown",
        "---\nchannel: linkedin-connection\n---\nHi [First Name]\n",
    )
    .await;
    let d = lsp.diagnostics(uri2, Some(1)).await;
    assert!(codes(&d).contains(&"literal-placeholder".to_string()));
    lsp.shutdown_and_exit().await;
}
both_transports!(non_templates_get_an_empty_list);

async fn bad_messages_get_errors_and_the_server_keeps_serving(mut lsp: Lsp) {
    lsp.initialize().await;
    // Malformed JSON.
    lsp.send_raw(b"Content-Length: 9\r\n\r\n{not json").await;
    let err = lsp.read().await.unwrap();
    assert_eq!(err["error"]["code"], -32700, "{err}");
    // Unknown request.
    let r = lsp.request("outreach/noSuchThing", json!({})).await;
    assert_eq!(r["error"]["code"], -32601);
    // Bad params for a known request.
    let r = lsp.request("textDocument/hover", json!({"nope": 1})).await;
    assert!(r["error"]["code"].as_i64().is_some(), "{r}");
    // Positions far outside the document are clamped.
    lsp.open(URI, "markdown", FIXTURE).await;
    lsp.diagnostics(URI, Some(1)).await;
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 999, "character": 999}, "end": {"line": 999, "character": 1000}}, "text": "\nBye"},
            {"range": {"start": {"line": 0, "character": 500}, "end": {"line": 0, "character": 2}}, "text": ""}
        ]}),
    )
    .await;
    lsp.diagnostics(URI, Some(2)).await;
    let r = lsp
        .request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": {"line": 4000000000u64, "character": 4000000000u64}}))
        .await;
    assert!(r.get("error").is_none(), "{r}");
    // Requests for documents that are not open.
    let r = lsp
        .request("textDocument/codeAction", json!({"textDocument": {"uri": "file:///nope.outreach.md"}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}))
        .await;
    assert_eq!(r["result"], Value::Null);
    lsp.shutdown_and_exit().await;
}
both_transports!(bad_messages_get_errors_and_the_server_keeps_serving);

async fn utf8_is_negotiated_and_emoji_map_exactly(mut lsp: Lsp) {
    let init = lsp
        .initialize_with(
            json!({"capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
        )
        .await;
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    let text = "Hi 😀 e\u{301} {{frist_name}}, hello\n";
    lsp.open(URI, "markdown", text).await;
    let d = lsp.diagnostics(URI, Some(1)).await;
    let u = find(&d, "unknown-placeholder");
    let start = text.find("{{").unwrap() as u64;
    assert_eq!(u["range"]["start"]["character"], start);
    assert_eq!(u["range"]["end"]["character"], start + 14);
    lsp.shutdown_and_exit().await;
}
both_transports!(utf8_is_negotiated_and_emoji_map_exactly);

async fn utf16_positions_with_emoji(mut lsp: Lsp) {
    lsp.initialize().await;
    let text = "Hi 😀 e\u{301} {{frist_name}}, hello\n";
    lsp.open(URI, "markdown", text).await;
    let d = lsp.diagnostics(URI, Some(1)).await;
    let u = find(&d, "unknown-placeholder");
    let start: usize = text[..text.find("{{").unwrap()]
        .chars()
        .map(char::len_utf16)
        .sum();
    assert_eq!(u["range"]["start"]["character"], start as u64);
    // Typing after the emoji, in UTF-16 units.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 5}}, "text": "!"}
        ]}),
    )
    .await;
    let d = lsp.diagnostics(URI, Some(2)).await;
    assert_eq!(
        find(&d, "unknown-placeholder")["range"]["start"]["character"],
        start as u64 + 1
    );
    lsp.shutdown_and_exit().await;
}
both_transports!(utf16_positions_with_emoji);

async fn completion_after_braces(mut lsp: Lsp) {
    lsp.initialize().await;
    let text = "Hi {{fir\n";
    lsp.open(URI, "markdown", text).await;
    let r = lsp
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 8}}),
        )
        .await;
    let items = r["result"].as_array().unwrap();
    let first = items
        .iter()
        .find(|i| i["label"] == "first_name")
        .expect("first_name offered");
    assert_eq!(first["textEdit"]["newText"], "first_name}}");
    assert_eq!(first["textEdit"]["range"]["start"]["character"], 5);
    assert!(first["documentation"]["value"]
        .as_str()
        .unwrap()
        .contains("Ana"));
    assert!(items.iter().any(|i| i["label"] == "mutual_connection"));
    // After `| `: every filter, `default` first with the catalog's fallback for that placeholder.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "Hi {{event | }}\n"}]}),
    )
    .await;
    let r = lsp
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 13}}),
        )
        .await;
    let items = r["result"].as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "default: \"the event\"",
            "capitalize",
            "upcase",
            "downcase",
            "strip"
        ]
    );
    // The user typed the space: the text goes right at the cursor.
    assert_eq!(items[0]["textEdit"]["newText"], "default: \"the event\"");
    assert_eq!(items[0]["textEdit"]["range"]["start"]["character"], 13);
    // Right after `|` (completion triggered by typing it), a space keeps the spacing of ` |`.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": "Hi {{company |}}\n"}]}),
    )
    .await;
    let r = lsp
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 14}}),
        )
        .await;
    let items = r["result"].as_array().unwrap();
    assert_eq!(
        items[0]["textEdit"]["newText"],
        " default: \"your company\""
    );
    assert_eq!(items[1]["textEdit"]["newText"], " capitalize");
    // Front matter values.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 4}, "contentChanges": [{"text": "---\nchannel: \n---\nHi\n"}]}),
    )
    .await;
    let r = lsp
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 9}}),
        )
        .await;
    assert!(r["result"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["label"] == "linkedin-inmail"));
    lsp.shutdown_and_exit().await;
}
both_transports!(completion_after_braces);

async fn symbols_hints_and_tokens(mut lsp: Lsp) {
    lsp.initialize().await;
    let text = "# Connection request\n\nHi {{first_name}}, we're both in {{shared_group | default: \"X\"}}. I'd love to hear about your work.\n\n# Follow-up\n\nThanks for connecting, {{first_name}}!\n";
    lsp.open(URI, "markdown", text).await;
    let r = lsp
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let symbols = r["result"].as_array().unwrap();
    assert_eq!(symbols.len(), 2);
    assert_eq!(symbols[0]["name"], "Connection request");
    assert_eq!(
        symbols[0]["detail"],
        "connection-request · linkedin-connection"
    );
    assert_eq!(symbols[1]["detail"], "follow-up · linkedin-message");
    let r = lsp
        .request("textDocument/inlayHint", json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}))
        .await;
    let hints = r["result"].as_array().unwrap();
    assert_eq!(hints.len(), 2);
    assert!(
        hints[0]["label"].as_str().unwrap().ends_with("/300"),
        "{hints:?}"
    );
    let r = lsp
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let data = r["result"]["data"].as_array().unwrap();
    assert_eq!(data.len() % 5, 0);
    assert!(data.len() >= 5 * 9, "{data:?}");
    lsp.shutdown_and_exit().await;
}
both_transports!(symbols_hints_and_tokens);

async fn settings_switch_rules_off(mut lsp: Lsp) {
    lsp.initialize_with(json!({"capabilities": {}, "initializationOptions": {"rules": {"default-invitation-text": "off", "generic-message": "error"}}}))
        .await;
    lsp.open(URI, "markdown", FIXTURE).await;
    let d = lsp.diagnostics(URI, Some(1)).await;
    assert!(!codes(&d).contains(&"default-invitation-text".to_string()));
    assert_eq!(find(&d, "generic-message")["severity"], 1);
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"outreachLsp": {"rules": {"unknown-placeholder": "off"}}}}),
    )
    .await;
    // The new settings apply (a timeout, and a failure, if they never do).
    let d = lsp
        .diagnostics_where(URI, |d| {
            d.iter().any(|x| x["code"] == "default-invitation-text")
        })
        .await;
    let c = codes(&d);
    assert!(c.contains(&"default-invitation-text".to_string()), "{c:?}");
    assert!(!c.contains(&"unknown-placeholder".to_string()), "{c:?}");
    // Invalid settings: an error message, and defaults.
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"outreachLsp": {"rules": {"nope": "off"}}}}),
    )
    .await;
    let m = lsp.wait_for("window/showMessage", |_| true).await;
    assert!(m["message"].as_str().unwrap().contains("nope"), "{m}");
    lsp.shutdown_and_exit().await;
}
both_transports!(settings_switch_rules_off);

async fn large_files_get_one_info(mut lsp: Lsp) {
    lsp.initialize_with(
        json!({"capabilities": {}, "initializationOptions": {"maxFileSize": 1000}}),
    )
    .await;
    let text = "Hi {{frist_name}} ".repeat(200);
    lsp.open(URI, "markdown", &text).await;
    let d = lsp.diagnostics(URI, Some(1)).await;
    assert_eq!(codes(&d), vec!["file-too-large"]);
    assert_eq!(d[0]["severity"], 3);
    lsp.shutdown_and_exit().await;
}
both_transports!(large_files_get_one_info);

async fn rapid_edits_end_in_the_clients_text(mut lsp: Lsp) {
    lsp.initialize().await;
    let mut text = String::from("Hi {{first_name}},\n\nWe're both in {{shared_group}}.\n");
    lsp.open(URI, "markdown", &text).await;
    // 500 incremental edits sent without waiting: insertions with multi-byte text and deletions.
    let pieces = ["é", "😀", "a", "{{", "}}", "\n", "ñ", " "];
    let mut seed: u64 = 42;
    for v in 2..502 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let at = (seed >> 33) as usize % (chars.len() + 1);
        let byte = chars.get(at).map_or(text.len(), |c| c.0);
        let pos = position16(&text, byte);
        let change = if seed % 3 == 0 && at < chars.len() {
            let end = byte + chars[at].1.len_utf8();
            let end_pos = position16(&text, end);
            text.replace_range(byte..end, "");
            json!({"range": {"start": pos, "end": end_pos}, "text": ""})
        } else {
            let p = pieces[(seed >> 20) as usize % pieces.len()];
            text.insert_str(byte, p);
            json!({"range": {"start": pos, "end": pos}, "text": p})
        };
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": v}, "contentChanges": [change]}),
        )
        .await;
    }
    let after_edits = lsp.diagnostics(URI, Some(501)).await;
    // A fresh document with the final text gives the same diagnostics.
    let fresh = "file:///tmp/outreach-lsp-tests/fresh.outreach.md";
    lsp.open(fresh, "markdown", &text).await;
    let fresh_diags = lsp.diagnostics(fresh, Some(1)).await;
    let strip = |d: &[Value]| {
        d.iter()
            .map(|x| (x["code"].clone(), x["range"].clone(), x["message"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&after_edits), strip(&fresh_diags));
    // And the server's text is exactly the client's.
    let r = lsp
        .request("outreach/documentText", json!({"uri": URI}))
        .await;
    assert_eq!(r["result"]["version"], 501);
    assert_eq!(r["result"]["text"].as_str().unwrap(), text);
    let r = lsp.request("outreach/preview", json!({"uri": URI})).await;
    let r2 = lsp.request("outreach/preview", json!({"uri": fresh})).await;
    assert_eq!(r["result"], r2["result"]);
    lsp.shutdown_and_exit().await;
}
both_transports!(rapid_edits_end_in_the_clients_text);

fn position16(text: &str, byte: usize) -> Value {
    let before = &text[..byte];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let character: usize = text[line_start..byte].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

async fn workspace_config_file_and_broken_config(mut lsp: Lsp) {
    let dir = temp_dir(&format!("config-{}", lsp.child.is_some()));
    std::fs::write(
        dir.join(".outreach.toml"),
        "account = \"free\"\n[rules]\nsales-pitch = \"error\"\n",
    )
    .unwrap();
    let file = dir.join("note.outreach.md");
    let uri = file_uri(&file);
    lsp.initialize_with(workspace_params(&dir, json!({}), Value::Null))
        .await;
    let text = "Hi {{first_name}}, we're both in {{shared_group | default: \"X\"}}. I'd love to hear about your work. Book a demo.\n";
    lsp.open(&uri, "markdown", text).await;
    let d = lsp.diagnostics(&uri, Some(1)).await;
    assert_eq!(find(&d, "sales-pitch")["severity"], 1);
    // Break the config: an error on the config file and a message, then defaults.
    std::fs::write(
        dir.join(".outreach.toml"),
        "[rules]\nsales-pich = \"error\"\n",
    )
    .unwrap();
    let config_uri = file_uri(&dir.join(".outreach.toml"));
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    )
    .await;
    // Defaults while the config is broken (times out, and fails, if that never happens).
    let d = lsp
        .diagnostics_where(&uri, |d| {
            d.iter()
                .any(|x| x["code"] == "sales-pitch" && x["severity"] == 2)
        })
        .await;
    assert_eq!(find(&d, "sales-pitch")["severity"], 2);
    let cfg = lsp.diagnostics(&config_uri, None).await;
    assert_eq!(cfg[0]["range"]["start"]["line"], 1);
    assert!(cfg[0]["message"].as_str().unwrap().contains("sales-pitch"));
    lsp.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(dir);
}
both_transports!(workspace_config_file_and_broken_config);

async fn refactor_actions_without_a_finding(mut lsp: Lsp) {
    lsp.initialize().await;
    let text = "Hi Sarah, we're both in {{shared_group | default: \"X\"}}. I'd love to hear about your work.\n";
    lsp.open(URI, "markdown", text).await;
    lsp.diagnostics(URI, Some(1)).await;
    let r = lsp
        .request("textDocument/codeAction", json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 8}}, "context": {"diagnostics": [], "only": ["refactor"]}}))
        .await;
    let actions = r["result"].as_array().unwrap();
    assert!(actions.iter().all(|a| a["kind"] == "refactor.rewrite"));
    let replace = actions
        .iter()
        .find(|a| a["title"] == "Replace selection with {{first_name}}")
        .expect("name replacement offered");
    assert_eq!(
        apply_lsp_edits(text, &action_edits(replace)),
        text.replace("Sarah", "{{first_name}}")
    );
    assert!(actions.iter().any(|a| a["title"]
        .as_str()
        .unwrap()
        .starts_with("Insert personalization placeholder ▸ {{mutual_connection")));
    lsp.shutdown_and_exit().await;
}
both_transports!(refactor_actions_without_a_finding);

// ---- process-level behaviour of the binary

#[tokio::test]
async fn exits_promptly_with_status_0_after_shutdown_and_exit() {
    let mut lsp = Lsp::spawn();
    lsp.initialize().await;
    lsp.shutdown_and_exit().await;
    // stdin stays open (we still hold it); the process must end on its own.
    let mut child = lsp.child.take().unwrap();
    let status = tokio::time::timeout(std::time::Duration::from_secs(1), child.wait())
        .await
        .expect("exited within a second")
        .unwrap();
    assert_eq!(status.code(), Some(0));
    // Nothing but frames on stdout after the last response.
    assert!(lsp.read().await.is_none());
}

#[tokio::test]
async fn exit_without_shutdown_is_status_1() {
    let mut lsp = Lsp::spawn();
    lsp.initialize().await;
    lsp.notify("exit", Value::Null).await;
    let status = tokio::time::timeout(
        std::time::Duration::from_secs(1),
        lsp.child.as_mut().unwrap().wait(),
    )
    .await
    .expect("exited within a second")
    .unwrap();
    assert_eq!(status.code(), Some(1));
}

#[tokio::test]
async fn end_of_input_mid_message_ends_cleanly() {
    let mut lsp = Lsp::spawn();
    lsp.initialize().await;
    lsp.open(URI, "markdown", FIXTURE).await;
    lsp.diagnostics(URI, Some(1)).await;
    // A truncated frame, then the client goes away.
    lsp.send_raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":")
        .await;
    let mut child = lsp.child.take().unwrap();
    drop(lsp);
    let status = tokio::time::timeout(std::time::Duration::from_secs(2), child.wait())
        .await
        .expect("exited after its input ended")
        .unwrap();
    assert!(status.code().is_some(), "ended by itself, not by a signal");
}

async fn hover_forms(mut lsp: Lsp) {
    // A client that only takes plain text.
    lsp.initialize_with(
        json!({"capabilities": {"textDocument": {"hover": {"contentFormat": ["plaintext"]}}}}),
    )
    .await;
    let text = "---\nchannel: linkedin-connection\n---\n# Connection request\n\nHi {{frist_name}}, we're both in {{shared_group | default: \"DataOps\"}}. I'd love to hear about your work.\n";
    lsp.open(URI, "markdown", text).await;
    lsp.diagnostics(URI, Some(1)).await;
    let hover = |line: u64, character: u64| json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
    let r = lsp.request("textDocument/hover", hover(5, 6)).await;
    assert_eq!(r["result"]["contents"]["kind"], "plaintext");
    let v = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        v.starts_with("unknown-placeholder") && !v.contains("##") && !v.contains('`'),
        "{v}"
    );
    // A front matter key: what it means and its values.
    let r = lsp.request("textDocument/hover", hover(1, 2)).await;
    let v = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("linkedin-inmail") && v.contains("invitation note"),
        "{v}"
    );
    // A message heading: statistics and an example rendering.
    let r = lsp.request("textDocument/hover", hover(3, 4)).await;
    let v = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("connection-request via linkedin-connection"),
        "{v}"
    );
    assert!(
        v.contains("limit 300") && v.contains("Greeting") && v.contains("With example values"),
        "{v}"
    );
    assert!(v.contains("we're both in Data Engineering Portugal"), "{v}");
    // Nothing to say on an empty line.
    let r = lsp.request("textDocument/hover", hover(4, 0)).await;
    assert_eq!(r["result"], Value::Null);
    lsp.shutdown_and_exit().await;
}
both_transports!(hover_forms);
