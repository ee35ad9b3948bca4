//! The editor side of dialects, driven over LSP JSON-RPC (in-process and the spawned binary): every
//! request reads the file in its dialect (front matter, `.outreach.toml`, detection), hover shows
//! choices and renderings, semantic tokens colour tag syntax, completion offers the dialect's tags,
//! and symbols and folding follow choices.

mod common;

use common::*;
use serde_json::{json, Value};

const URI: &str = "file:///tmp/outreach-lsp-tests/dialects.outreach.md";

async fn hover_text(lsp: &mut Lsp, uri: &str, line: u32, character: u32) -> String {
    let r = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
        .await;
    assert!(r.get("error").is_none(), "{r}");
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

async fn completion_items(lsp: &mut Lsp, uri: &str, line: u32, character: u32) -> Vec<Value> {
    let r = lsp
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
        .await;
    assert!(r.get("error").is_none(), "{r}");
    let result = &r["result"];
    let items = result
        .as_array()
        .or_else(|| result["items"].as_array())
        .cloned()
        .unwrap_or_default();
    // In the order the editor shows them.
    let mut items = items;
    items.sort_by(|a, b| {
        let key = |i: &Value| {
            i["sortText"]
                .as_str()
                .or(i["label"].as_str())
                .unwrap_or("")
                .to_string()
        };
        key(a).cmp(&key(b))
    });
    items
}

fn labels(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

fn item<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {:?}", labels(items)))
}

async fn change(lsp: &mut Lsp, uri: &str, version: i64, text: &str) {
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    )
    .await;
}

/// The semantic tokens of a document as (line, character, length, type name).
async fn tokens(lsp: &mut Lsp, uri: &str, legend: &[Value]) -> Vec<(u64, u64, u64, String)> {
    let r = lsp
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let data: Vec<u64> = r["result"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut ch) = (0, 0);
    data.chunks(5)
        .map(|t| {
            if t[0] > 0 {
                line += t[0];
                ch = t[1];
            } else {
                ch += t[1];
            }
            (
                line,
                ch,
                t[2],
                legend[t[3] as usize].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The type of the token covering (line, character), if any.
fn token_at(tokens: &[(u64, u64, u64, String)], line: u64, character: u64) -> Option<&str> {
    tokens
        .iter()
        .find(|(l, c, n, _)| *l == line && *c <= character && character < c + n)
        .map(|t| t.3.as_str())
}

async fn configured_dialect_reaches_every_request(mut lsp: Lsp) {
    let dir = temp_dir(&format!("dialect-config-{}", lsp.child.is_some()));
    std::fs::write(dir.join(".outreach.toml"), "dialect = \"mailchimp\"\n").unwrap();
    let file = dir.join("note.outreach.md");
    let uri = file_uri(&file);
    let init = lsp
        .initialize_with(workspace_params(&dir, json!({}), Value::Null))
        .await;
    let legend = init["result"]["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"]
        .as_array()
        .unwrap()
        .clone();
    // Read alone, this text is Liquid (its `| default:` outweighs one merge tag); the configuration
    // says Mailchimp, and every request must read it so, as the lint does.
    let text = "# Connection request\n\nHi *|FNAME|*, see you at {{ event | default: \"the fair\" }} next week.\n\n*|";
    lsp.open(&uri, "markdown", text).await;
    lsp.diagnostics(&uri, Some(1)).await;
    let hover = hover_text(&mut lsp, &uri, 2, 6).await;
    assert!(hover.contains("first_name"), "{hover}");
    assert!(!hover.contains("unknown"), "{hover}");
    let hover = hover_text(&mut lsp, &uri, 0, 3).await;
    assert!(
        hover.contains("Dialect: `mailchimp` (set by `dialect` in .outreach.toml)"),
        "{hover}"
    );
    let toks = tokens(&mut lsp, &uri, &legend).await;
    assert_eq!(token_at(&toks, 2, 3), Some("operator"), "{toks:?}");
    assert_eq!(token_at(&toks, 2, 6), Some("variable"), "{toks:?}");
    let items = completion_items(&mut lsp, &uri, 4, 2).await;
    let l = labels(&items);
    assert!(l.contains(&"FNAME") && l.contains(&"IF:"), "{l:?}");
    // No block is open, so nothing closes one.
    assert!(!l.contains(&"END:IF"), "{l:?}");
    assert_eq!(item(&items, "FNAME")["textEdit"]["newText"], "FNAME|*");
    lsp.shutdown_and_exit().await;
}
both_transports!(configured_dialect_reaches_every_request);

const CHOICES: &str = "# Connection request\n\n{Hi|Hello|Hey} {{first_name}}, {% if mutual_connection %}we both know {{mutual_connection}}.{% else %}I saw your post about {{topic | default: \"data teams\"}}.{% endif %} Would love to connect.\n";

async fn hover_on_choices_and_headings(mut lsp: Lsp) {
    lsp.initialize().await;
    lsp.open(URI, "markdown", CHOICES).await;
    lsp.diagnostics(URI, Some(1)).await;
    let heading = hover_text(&mut lsp, URI, 0, 3).await;
    assert!(
        heading.contains("Dialect: `liquid` (detected from the syntax in this file)"),
        "{heading}"
    );
    // Three greetings times two branches.
    assert!(heading.contains("6 distinct renderings"), "{heading}");
    let group = hover_text(&mut lsp, URI, 2, 5).await;
    assert!(group.contains("Spintax group — 3 options"), "{group}");
    for line in [
        "- 1. “Hi” · 2 characters",
        "- 2. “Hello” · 5 characters",
        "- 3. “Hey” · 3 characters",
    ] {
        assert!(group.contains(line), "{line} in {group}");
    }
    assert!(
        group.contains("2–5 characters over 3 renderings"),
        "{group}"
    );
    // On the `{% else %}` tag: the block, each branch with the tag that picks it.
    let else_at = CHOICES.lines().nth(2).unwrap().find("{% else").unwrap() as u32;
    let block = hover_text(&mut lsp, URI, 2, else_at + 3).await;
    assert!(block.contains("`if` block — 2 branches"), "{block}");
    assert!(
        block
            .contains("- `if mutual_connection` → “we both know \\{\\{mutual\\_connection\\}\\}.”"),
        "{block}"
    );
    assert!(
        block.contains("- `else` → “I saw your post about"),
        "{block}"
    );
    // In a branch's prose, not on a tag: no block hover.
    let know = CHOICES.lines().nth(2).unwrap().find("know").unwrap() as u32;
    let prose = hover_text(&mut lsp, URI, 2, know + 1).await;
    assert!(!prose.contains("block —"), "{prose}");
    lsp.shutdown_and_exit().await;
}
both_transports!(hover_on_choices_and_headings);

async fn semantic_tokens_for_tags(mut lsp: Lsp) {
    let init = lsp.initialize().await;
    let legend = init["result"]["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"]
        .as_array()
        .unwrap()
        .clone();
    // Appended: the indices clients know stay where they were.
    assert_eq!(
        legend,
        json!(["variable", "function", "string", "property", "comment", "operator", "keyword"])
            .as_array()
            .unwrap()
            .clone()
    );
    let text = "{% if a == 'x' %}A{% endif %} {Hi|Hello} {{RANDOM|b|c}}\n";
    lsp.open(URI, "markdown", text).await;
    let toks = tokens(&mut lsp, URI, &legend).await;
    let at = |s: &str| text.find(s).unwrap() as u64;
    for (col, want) in [
        (0, "operator"),
        (at("if"), "keyword"),
        (at("a =="), "variable"),
        (at("=="), "operator"),
        (at("'x'"), "string"),
        (at("endif"), "keyword"),
        (at("{Hi"), "operator"),
        (at("|Hello"), "operator"),
        (at("RANDOM"), "keyword"),
    ] {
        assert_eq!(
            token_at(&toks, 0, col),
            Some(want),
            "column {col}: {toks:?}"
        );
    }
    // Option text is prose: no token.
    assert_eq!(token_at(&toks, 0, at("Hello")), None);
    // Handlebars (front matter): the helper is a keyword, its field a variable.
    let text =
        "---\ndialect: handlebars\n---\n{{#if first_name}}Hi {{first_name}}{{else}}Hello{{/if}}\n";
    change(&mut lsp, URI, 2, text).await;
    let toks = tokens(&mut lsp, URI, &legend).await;
    assert_eq!(token_at(&toks, 3, 2), Some("keyword"), "{toks:?}");
    assert_eq!(token_at(&toks, 3, 6), Some("variable"), "{toks:?}");
    let slash = text.lines().nth(3).unwrap().find("/if").unwrap() as u64;
    assert_eq!(token_at(&toks, 3, slash), Some("keyword"), "{toks:?}");
    lsp.shutdown_and_exit().await;
}
both_transports!(semantic_tokens_for_tags);

async fn completion_of_tags(mut lsp: Lsp) {
    lsp.initialize().await;
    // Liquid: after `{%` inside an open `if`, its closer first, naming it.
    let text = "{% if mutual_connection %}We both know {{mutual_connection}}.\n{%";
    lsp.open(URI, "markdown", text).await;
    let items = completion_items(&mut lsp, URI, 1, 2).await;
    assert_eq!(
        labels(&items),
        ["endif", "else", "elsif", "case", "if", "unless"]
    );
    let endif = &items[0];
    assert_eq!(endif["preselect"], true);
    assert_eq!(
        endif["detail"],
        "closes `{% if mutual_connection %}` (line 1)"
    );
    assert_eq!(endif["textEdit"]["newText"], " endif %}");
    // Outside any block: only openers.
    change(&mut lsp, URI, 2, "Hi {{first_name}}, {% ").await;
    let items = completion_items(&mut lsp, URI, 0, 22).await;
    assert_eq!(labels(&items), ["case", "if", "unless"]);
    assert_eq!(item(&items, "if")["textEdit"]["newText"], "if ");
    // In a condition: field names.
    change(&mut lsp, URI, 3, "{% if mut").await;
    let items = completion_items(&mut lsp, URI, 0, 9).await;
    let mutual = item(&items, "mutual_connection");
    assert_eq!(mutual["textEdit"]["range"]["start"]["character"], 6);
    // HubL: `elif`, no `case`.
    change(
        &mut lsp,
        URI,
        4,
        "---\ndialect: hubspot\n---\n{% if contact.firstname %}Hi\n{% ",
    )
    .await;
    let items = completion_items(&mut lsp, URI, 4, 3).await;
    assert_eq!(labels(&items), ["endif", "elif", "else", "if", "unless"]);
    // Handlebars: helpers after `{{#`, the open block's closer after `{{/`.
    change(
        &mut lsp,
        URI,
        5,
        "---\ndialect: handlebars\n---\n{{#if first_name}}Hi {{first_name}}{{/",
    )
    .await;
    let items = completion_items(&mut lsp, URI, 3, 39).await;
    assert_eq!(labels(&items), ["if"]);
    assert_eq!(items[0]["textEdit"]["newText"], "if}}");
    assert!(items[0]["detail"]
        .as_str()
        .unwrap()
        .contains("{{#if first_name}}"));
    change(&mut lsp, URI, 6, "---\ndialect: handlebars\n---\n{{#").await;
    let items = completion_items(&mut lsp, URI, 3, 3).await;
    assert_eq!(labels(&items), ["if", "unless"]);
    assert_eq!(item(&items, "if")["textEdit"]["newText"], "if ");
    // The helper's field.
    change(&mut lsp, URI, 7, "---\ndialect: handlebars\n---\n{{#if fir").await;
    let items = completion_items(&mut lsp, URI, 3, 9).await;
    let first = item(&items, "first_name");
    assert_eq!(first["textEdit"]["range"]["start"]["character"], 6);
    assert!(!labels(&items).contains(&"unless"));
    // Mailchimp: after `*|IF:`, the merge tag it tests.
    change(&mut lsp, URI, 8, "---\ndialect: mailchimp\n---\n*|IF:F").await;
    let items = completion_items(&mut lsp, URI, 3, 6).await;
    let fname = item(&items, "FNAME");
    assert_eq!(fname["textEdit"]["newText"], "FNAME|*");
    assert_eq!(fname["textEdit"]["range"]["start"]["character"], 5);
    assert!(!labels(&items).contains(&"IF:"));
    // Mailchimp: END:IF first inside an open IF.
    change(
        &mut lsp,
        URI,
        9,
        "---\ndialect: mailchimp\n---\n*|IF:FNAME|*Hi *|FNAME|*,\n*|",
    )
    .await;
    let items = completion_items(&mut lsp, URI, 4, 2).await;
    assert_eq!(labels(&items)[..3], ["END:IF", "ELSE:", "ELSEIF:"]);
    assert_eq!(items[0]["textEdit"]["newText"], "END:IF|*");
    assert_eq!(item(&items, "ELSEIF:")["textEdit"]["newText"], "ELSEIF:");
    assert_eq!(items[0]["detail"], "closes `*|IF:FNAME|*` (line 4)");
    lsp.shutdown_and_exit().await;
}
both_transports!(completion_of_tags);

async fn completion_of_spintax_and_snippets(mut lsp: Lsp) {
    lsp.initialize_with(json!({"capabilities": {"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}}))
        .await;
    // A lone `{` in Liquid prose starts a group (an editor's automatic `}` is replaced too).
    lsp.open(URI, "markdown", "Hi {}\n").await;
    let items = completion_items(&mut lsp, URI, 0, 4).await;
    assert_eq!(labels(&items), ["{Hi|Hello}"]);
    let edit = &items[0]["textEdit"];
    assert_eq!(edit["newText"], "{${1:Hi}|${2:Hello}}$0");
    assert_eq!(edit["range"]["start"]["character"], 3);
    assert_eq!(edit["range"]["end"]["character"], 5);
    assert_eq!(
        apply_lsp_edits("Hi {}\n", std::slice::from_ref(edit)),
        "Hi {${1:Hi}|${2:Hello}}$0\n"
    );
    // `{{`: placeholders, no group.
    change(&mut lsp, URI, 2, "Hi {{\n").await;
    let items = completion_items(&mut lsp, URI, 0, 5).await;
    assert!(labels(&items).contains(&"first_name"));
    assert!(!labels(&items).contains(&"{Hi|Hello}"));
    // Before existing text (editing a group), inside a tag, and in Mailchimp: no group.
    for (v, text, ch) in [
        (3, "Hi {Hello|Hey}\n", 4),
        (4, "{% if {\n", 7),
        (5, "---\ndialect: mailchimp\n---\nHi {\n", 4),
    ] {
        change(&mut lsp, URI, v, text).await;
        let line = text.lines().count() as u32 - 1;
        let items = completion_items(&mut lsp, URI, line, ch).await;
        assert!(!labels(&items).contains(&"{Hi|Hello}"), "{text}");
    }
    // Tag snippets take the condition as a tab stop.
    change(&mut lsp, URI, 6, "{%").await;
    let items = completion_items(&mut lsp, URI, 0, 2).await;
    assert_eq!(
        item(&items, "if")["textEdit"]["newText"],
        " if ${1:condition} %}$0"
    );
    assert_eq!(item(&items, "if")["insertTextFormat"], 2);
    // Handlebars helpers take the field; Mailchimp's `IF:` takes the merge tag right after the colon;
    // the closer of the open block needs no tab stop.
    change(&mut lsp, URI, 7, "---\ndialect: handlebars\n---\n{{#").await;
    let items = completion_items(&mut lsp, URI, 3, 3).await;
    assert_eq!(
        item(&items, "unless")["textEdit"]["newText"],
        "unless ${1:field}}}$0"
    );
    change(
        &mut lsp,
        URI,
        8,
        "---\ndialect: mailchimp\n---\n*|IF:FNAME|*Hi\n*|",
    )
    .await;
    let items = completion_items(&mut lsp, URI, 4, 2).await;
    assert_eq!(
        item(&items, "ELSEIF:")["textEdit"]["newText"],
        "ELSEIF:${1:FNAME}|*$0"
    );
    assert_eq!(item(&items, "END:IF")["textEdit"]["newText"], "END:IF|*$0");
    assert_eq!(item(&items, "END:IF")["preselect"], true);
    assert!(item(&items, "ELSE:")["preselect"].is_null());
    lsp.shutdown_and_exit().await;
}
both_transports!(completion_of_spintax_and_snippets);

const BLOCK: &str = "# Follow-up\n\n{Thanks|Thank you} for connecting, {{first_name}}!\n{% if mutual_connection %}\nWe both know {{mutual_connection}}.\n{% elsif company %}\nI follow {{company}}.\n{% else %}\nHope all is well.\n{% endif %}\n";

async fn symbols_and_folding_of_choices(mut lsp: Lsp) {
    lsp.initialize().await;
    lsp.open(URI, "markdown", BLOCK).await;
    let r = lsp
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let symbols = r["result"].as_array().unwrap();
    assert_eq!(symbols.len(), 1);
    let children = symbols[0]["children"].as_array().unwrap();
    let names: Vec<&str> = children
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["{Thanks|Thank you}", "if mutual_connection"]);
    assert_eq!(children[1]["detail"], "if · 3 options");
    let options = |c: &Value, key: &str| -> Vec<String> {
        c["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o[key].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(options(&children[0], "name"), ["Thanks", "Thank you"]);
    assert_eq!(
        options(&children[1], "detail"),
        ["if mutual_connection", "elsif company", "else"]
    );
    assert_eq!(
        options(&children[1], "name"),
        [
            "We both know {{mutual_connection}}.",
            "I follow {{company}}.",
            "Hope all is well."
        ]
    );
    // Each branch starts at its tag.
    let elsif = &children[1]["children"][1];
    assert_eq!(
        elsif["selectionRange"]["start"],
        json!({"line": 5, "character": 0})
    );
    let r = lsp
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let mut folds: Vec<(u64, u64)> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    folds.sort();
    // The whole block (its `endif` stays visible), then the `elsif` and `else` branches.
    assert_eq!(folds, [(3, 8), (5, 6), (7, 8)]);
    lsp.shutdown_and_exit().await;
}
both_transports!(symbols_and_folding_of_choices);

/// Hover on a step's heading names the kind inferred for it and why: the heading's words, or its place
/// after the step before it (issue 11, item 3), on two real-world sequences.
async fn hover_on_headings_says_kind_and_why(mut lsp: Lsp) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realworld");
    lsp.initialize().await;
    // (file, uri, [(heading start, expected reason)])
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: [Case; 2] = [
        (
            "seq-good-day-headings-name-dash-f.outreach.md",
            "file:///tmp/seq-email.outreach.md",
            &[
                ("## Email 1", "from the heading's words (“email”)"),
                (
                    "## Email 2",
                    "from its place: the heading (“bump”) names a later step, and it comes after an email",
                ),
            ],
        ),
        (
            "seq-good-connect-accept-bump-breakup-f.outreach.md",
            "file:///tmp/seq-linkedin.outreach.md",
            &[
                ("## Connection Request", "from the heading's words (“connection”)"),
                ("## First Message", "from the heading's words (“after … connect”)"),
                (
                    "## Bump",
                    "from its place: the heading (“bump”) names a later step, and it comes after a follow-up",
                ),
            ],
        ),
    ];
    for (file, uri, headings) in cases {
        let text = std::fs::read_to_string(dir.join(file)).expect("real-world template");
        lsp.open(uri, "markdown", &text).await;
        lsp.diagnostics(uri, Some(1)).await;
        for (heading, why) in headings {
            let line = text.lines().position(|l| l.starts_with(heading)).unwrap() as u32;
            let hover = hover_text(&mut lsp, uri, line, 4).await;
            assert!(
                hover.contains(&format!("Kind: {why}.")),
                "{file} {heading}: {hover}"
            );
        }
    }
    lsp.shutdown_and_exit().await;
}
both_transports!(hover_on_headings_says_kind_and_why);
