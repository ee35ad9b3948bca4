//! Contact lists and the workspace: preview, contact-data-missing, real lengths, duplicate-message,
//! workspace diagnostics, and reading only inside the workspace.

mod common;

use common::cli::run;
use common::*;
use serde_json::{json, Value};

const LEADS: &str = "First Name,Company Name,mutual_connection,Favourite Tool\r\nAna,Acme,João,Rust\r\nBo,,,Go\r\n\"Cy\",\"International Business Machines Consulting Services Group Worldwide\",Dee,\"{{evil}}\"\r\n";
const TEMPLATE: &str = "---\ncontacts: leads.csv\n---\nHi {{first_name}}, {{mutual_connection}} suggested we talk about {{favourite_tool}} at {{company}}. I'm writing a guide on streaming and would love to hear what worked for your team. I'm especially curious how you handled backfills, schema changes and the on-call load during the migration you led last year.\n";

fn workspace(name: &str) -> TempDir {
    let dir = temp_dir(name);
    std::fs::write(dir.join("leads.csv"), LEADS).unwrap();
    std::fs::write(dir.join("campaign.outreach.md"), TEMPLATE).unwrap();
    dir
}

#[test]
fn check_uses_the_contact_list() {
    let dir = workspace("contacts-check");
    let o = run(&["check", "--format", "json", "."], &dir);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let items = v.as_array().unwrap();
    let msgs: Vec<&str> = items
        .iter()
        .filter(|i| i["rule"] == "contact-data-missing")
        .map(|i| i["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("company is empty for 1 of 3 contacts")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("mutual_connection is empty for 1 of 3")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("favourite_tool holds template syntax") && m.contains("row 3")),
        "{msgs:?}"
    );
    // A CSV column is a known placeholder.
    assert!(!items.iter().any(|i| i["rule"] == "unknown-placeholder"));
    // Real lengths: only the third contact is over 300 characters.
    let long = items
        .iter()
        .find(|i| i["rule"] == "message-too-long")
        .expect("message-too-long");
    let m = long["message"].as_str().unwrap();
    assert!(
        m.contains("for 1 of 3 contacts") && m.contains("row 3"),
        "{m}"
    );
    assert_eq!(long["severity"], "warning");
    // The catalog guess (missing-fallback) defers to the data.
    assert!(!items.iter().any(|i| i["rule"] == "missing-fallback"));
    // --contacts on the command line overrides.
    std::fs::write(
        dir.join("other.csv"),
        "first_name,company,mutual_connection,favourite_tool\nAl,X,Y,Z\n",
    )
    .unwrap();
    let o = run(
        &[
            "check",
            "--format",
            "json",
            "--contacts",
            "other.csv",
            "campaign.outreach.md",
        ],
        &dir,
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        !v.as_array()
            .unwrap()
            .iter()
            .any(|i| i["rule"] == "contact-data-missing"),
        "{v}"
    );
}

#[test]
fn unknown_placeholders_suggest_csv_columns() {
    let dir = workspace("contacts-unknown");
    std::fs::write(
        dir.join("campaign.outreach.md"),
        "---\ncontacts: leads.csv\n---\nHi {{first_name}}, how is {{favorite_tool}}?\n",
    )
    .unwrap();
    let o = run(&["check", "--format", "json", "."], &dir);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let u = v
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["rule"] == "unknown-placeholder")
        .unwrap();
    assert!(
        u["message"].as_str().unwrap().contains("favourite_tool"),
        "{u}"
    );
}

#[test]
fn preview_renders_contacts_and_summarises() {
    let dir = workspace("contacts-preview");
    let o = run(&["preview", "campaign.outreach.md", "--contact", "2"], &dir);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Hi Bo, "), "{out}");
    assert!(out.contains("empty: mutual_connection"), "{out}");
    assert!(
        out.contains("1 of 3 contacts render over the limit (longest: row 3"),
        "{out}"
    );
    assert!(
        out.contains("row 3 would send a literal \"{{evil}}\""),
        "{out}"
    );
    // Cells are rendered literally, never interpreted.
    let o = run(
        &[
            "preview",
            "campaign.outreach.md",
            "--all",
            "--format",
            "json",
        ],
        &dir,
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = v["messages"][0]["renderings"].as_array().unwrap();
    assert_eq!(r.len(), 3);
    assert!(r[2]["text"].as_str().unwrap().contains("{{evil}}"));
    assert_eq!(r[2]["literal_cells"], json!(["favourite_tool"]));
    assert_eq!(r[2]["over_limit"], true);
    assert_eq!(
        v["summary"]["empty_without_fallback"][0]["placeholder"],
        "mutual_connection"
    );
    // Out-of-range contact: exit 2 with a one-line error.
    let o = run(&["preview", "campaign.outreach.md", "--contact", "9"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("contacts 1 to 3"));
    // No contact list: example values.
    std::fs::write(
        dir.join("plain.outreach.md"),
        "Hi {{first_name}}, loved your talk.\n",
    )
    .unwrap();
    let o = run(&["preview", "plain.outreach.md"], &dir);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Hi Ana, loved your talk."));
}

#[test]
fn duplicate_messages_across_templates() {
    let dir = temp_dir("duplicates");
    let a = "Hi {{first_name}}, I noticed we're both in the data engineering group and I'd love to hear how your team handles streaming pipelines at scale.\n";
    std::fs::write(dir.join("a.outreach.md"), a).unwrap();
    std::fs::write(dir.join("b.outreach.md"), a.replace("Hi", "Hello")).unwrap();
    std::fs::write(dir.join("c.outreach.md"), "Hi {{first_name}}, congratulations on the new role at {{company}}; I'd love to hear what drew you to logistics after years in banking.\n").unwrap();
    let o = run(
        &["check", "--format", "json", "--fail-on", "error", "."],
        &dir,
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let d: Vec<&Value> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["rule"] == "duplicate-message")
        .collect();
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d
        .iter()
        .any(|i| i["file"].as_str().unwrap().ends_with("a.outreach.md")
            && i["message"].as_str().unwrap().contains("b.outreach.md:1")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_with_contacts_and_workspace() {
    let dir = workspace("contacts-lsp");
    // A closed template elsewhere in the workspace, nearly the same as the open one.
    std::fs::create_dir_all(dir.join("old")).unwrap();
    std::fs::write(
        dir.join("old/copy.outreach.md"),
        TEMPLATE.replace("contacts: leads.csv", "contacts: ../leads.csv"),
    )
    .unwrap();
    let mut lsp = Lsp::spawn_in(&dir);
    let init = lsp
        .initialize_with(workspace_params(
            &dir,
            json!({"textDocument": {"diagnostic": {}}}),
            Value::Null,
        ))
        .await;
    assert_eq!(
        init["result"]["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    let uri = file_uri(&dir.join("campaign.outreach.md"));
    lsp.open(&uri, "markdown", TEMPLATE).await;
    // Once the workspace is indexed, the open template is a near-duplicate of the closed one.
    let d = lsp
        .diagnostics_where(&uri, |d| d.iter().any(|x| x["code"] == "duplicate-message"))
        .await;
    let dup = find(&d, "duplicate-message");
    assert!(
        dup["message"]
            .as_str()
            .unwrap()
            .contains("copy.outreach.md:4"),
        "{dup}"
    );
    assert!(d.iter().any(|x| x["code"] == "contact-data-missing"
        && x["message"]
            .as_str()
            .unwrap()
            .contains("company is empty for 1 of 3")));
    // Hover on a placeholder: how many contacts fill it, and samples.
    let col = TEMPLATE
        .lines()
        .nth(3)
        .unwrap()
        .find("{{company}}")
        .unwrap() as u64
        + 3;
    let r = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": col}}),
        )
        .await;
    let h = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        h.contains("filled for 2 of 3") && h.contains("“Acme”"),
        "{h}"
    );
    // Hover on the first line: its findings come first and alone (message statistics and the first
    // contact's rendering would bury them; they are on the heading hover and in the Preview); the
    // length finding counts the contacts.
    let r = lsp
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 0}}),
        )
        .await;
    let value = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.starts_with("## message-too-long")
            && value.contains("for 1 of 3 contacts in leads.csv"),
        "{r}"
    );
    // Code lens and the preview command (nothing is written).
    let r = lsp
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let lens = &r["result"][0]["command"];
    assert_eq!(lens["title"], "Preview with contact 1 of 3");
    let r = lsp
        .request(
            "workspace/executeCommand",
            json!({"command": lens["command"], "arguments": lens["arguments"]}),
        )
        .await;
    assert!(
        r["result"]["message"].as_str().unwrap().contains("Hi Ana,"),
        "{r}"
    );
    let r = lsp
        .request("outreach/preview", json!({"uri": uri, "contact": 2}))
        .await;
    assert!(r["result"]["messages"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Hi Bo,"));
    // Workspace diagnostics: the closed file, not the open one.
    let r = lsp
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    let items = r["result"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0]["uri"]
        .as_str()
        .unwrap()
        .ends_with("old/copy.outreach.md"));
    assert!(items[0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "duplicate-message"));
    // The contact list changes on disk: the open template is re-linted without a restart.
    std::fs::write(
        dir.join("leads.csv"),
        "first_name,company,mutual_connection,favourite_tool\nAl,X,Y,Z\n",
    )
    .unwrap();
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&dir.join("leads.csv")), "type": 2}]}),
    )
    .await;
    lsp.diagnostics_where(&uri, |d| {
        !d.iter().any(|x| x["code"] == "contact-data-missing")
    })
    .await;
    lsp.shutdown_and_exit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_lists_outside_the_workspace_are_refused() {
    let outside = temp_dir("outside-leads");
    std::fs::write(outside.join("leads.csv"), LEADS).unwrap();
    let dir = temp_dir("contacts-refuse");
    let text = format!("---\ncontacts: {}\n---\nHi {{{{first_name}}}}, we're both in {{{{shared_group | default: \"X\"}}}}. I'd love to hear more.\n", outside.join("leads.csv").display());
    std::fs::write(dir.join("t.outreach.md"), &text).unwrap();
    let mut lsp = Lsp::spawn_in(&dir);
    lsp.initialize_with(workspace_params(&dir, json!({}), Value::Null))
        .await;
    let uri = file_uri(&dir.join("t.outreach.md"));
    lsp.open(&uri, "markdown", &text).await;
    let d = lsp
        .diagnostics_where(&uri, |d| {
            d.iter().any(|x| x["code"] == "invalid-front-matter")
        })
        .await;
    let e = find(&d, "invalid-front-matter");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("must be inside the workspace"),
        "{e}"
    );
    assert_eq!(e["range"]["start"]["line"], 1);
    assert!(!d.iter().any(|x| x["code"] == "contact-data-missing"));
    // A config naming a file outside: a message and a diagnostic on the config, defaults otherwise.
    std::fs::write(
        dir.join(".outreach.toml"),
        format!("contacts = \"{}\"\n", outside.join("leads.csv").display()),
    )
    .unwrap();
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&dir.join(".outreach.toml")), "type": 1}]}),
    )
    .await;
    let uri2 = file_uri(&dir.join("u.outreach.md"));
    lsp.open(&uri2, "markdown", "Hi {{first_name}}\n").await;
    let m = lsp.wait_for("window/showMessage", |_| true).await;
    assert!(
        m["message"]
            .as_str()
            .unwrap()
            .contains("must be inside the workspace"),
        "{m}"
    );
    lsp.shutdown_and_exit().await;
}

/// A placeholder inside a condition is checked only for the contacts whose row picks its option:
/// `{{company}}` under `{% if company %}` is safe; `{{mutual_connection}}` under it is empty for
/// Bo (who has no company, so never gets it) and for Cy (who does): one contact.
#[test]
fn contact_data_missing_evaluates_conditions_per_row() {
    let dir = temp_dir("contacts-conditions");
    std::fs::write(
        dir.join("leads.csv"),
        "first_name,company,mutual_connection\nAna,Acme,João\nBo,,\nCy,Initech,\n",
    )
    .unwrap();
    let template = "---\ncontacts: leads.csv\n---\nHi {{first_name}}, {% if company %}I saw {{company}} is hiring and {{mutual_connection}} mentioned you.{% else %}we met at the fair.{% endif %} I'm writing because I'd value your view on our dock schedule.\n";
    std::fs::write(dir.join("t.outreach.md"), template).unwrap();
    let o = run(&["check", "--format", "json", "."], &dir);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let msgs: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["rule"] == "contact-data-missing")
        .map(|i| i["message"].as_str().unwrap().to_string())
        .collect();
    // company: empty only for Bo, who takes the else option.
    assert!(!msgs.iter().any(|m| m.starts_with("company")), "{msgs:?}");
    // mutual_connection: empty for Bo (not sent) and Cy (sent): one contact.
    assert!(
        msgs.iter()
            .any(|m| m.contains("mutual_connection is empty for 1 of 3")),
        "{msgs:?}"
    );
    // Not a column at all, but only inside an option nobody takes: nothing to report.
    let template = "---\ncontacts: leads.csv\n---\nHi {{first_name}}, {% if nickname %}or {{nickname}}{% endif %}, I'm writing because I'd value your view on our dock schedule and we met at the fair.\n";
    std::fs::write(dir.join("t.outreach.md"), template).unwrap();
    let o = run(&["check", "--format", "json", "."], &dir);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        !v.as_array()
            .unwrap()
            .iter()
            .any(|i| i["rule"] == "contact-data-missing"),
        "{v}"
    );
}
