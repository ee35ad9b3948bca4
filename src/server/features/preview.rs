//! Previews: messages rendered with example values or a contact's row, the code lenses and the
//! command that show them.

use super::*;

/// `outreach/preview {uri, message?}`: each message rendered with example values. Writes nothing.
pub fn preview(state: &State, params: serde_json::Value) -> Result<serde_json::Value> {
    let uri: Uri = params
        .get("uri")
        .and_then(|u| u.as_str())
        .and_then(|u| u.parse().ok())
        .ok_or_else(|| Error::invalid_params("expected {\"uri\": \"file:///…\"}"))?;
    let a: Arc<Analysis> = state
        .snapshot(&uri)
        .ok_or_else(|| Error::invalid_params("document is not open"))?;
    let t = a.template();
    let cx = Context::new(&t, &a.config, a.inputs());
    let enc = state.session().encoding;
    let only = params
        .get("message")
        .and_then(|m| m.as_u64())
        .map(|m| m as usize);
    // 1-based contact row; rendered with example values when there is no contact list.
    let contact = params
        .get("contact")
        .and_then(|c| c.as_u64())
        .map(|c| c as usize)
        .filter(|_| a.contacts.is_some());
    if let (Some(c), Some(list)) = (contact, &a.contacts) {
        if c == 0 || c > list.rows {
            return Err(Error::invalid_params(format!(
                "contact {c}: the list has contacts 1 to {}",
                list.rows
            )));
        }
    }
    // 1-based rendering of each message (`preview --variant`); the first when absent.
    let variant =
        match params.get("variant") {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(v.as_u64().filter(|n| *n > 0).ok_or_else(|| {
                Error::invalid_params("`variant` must be a rendering number from 1")
            })?),
        };
    let row = contact.map(|c| c - 1);
    let mut messages = Vec::new();
    for m in t
        .messages
        .iter()
        .filter(|m| only.is_none_or(|i| i == m.index))
        .take(MAX_MESSAGES_PER_ANSWER)
    {
        let renderings = insight::variant_count(&cx, m.content.clone(), row);
        let mut s = insight::message_stats(&cx, m);
        // The requested rendering (for the contact, when there is one): its text and exact length.
        if variant.is_some() || row.is_some() {
            let n = variant.unwrap_or(1);
            s.example =
                insight::render_variant(&cx, m.content.clone(), row, n - 1).ok_or_else(|| {
                    Error::invalid_params(format!(
                        "variant {n}: message {} has {renderings} rendering{} (1 to {renderings})",
                        m.index,
                        if renderings == 1 { "" } else { "s" }
                    ))
                })?;
            s.length =
                crate::model::length::LengthRange::exact(crate::text::linkedin_length(&s.example));
        }
        if let Some(r) = row {
            s.subject_example = m
                .subject
                .clone()
                .map(|sp| insight::render_for_contact(&cx, sp, r));
        }
        messages.push(serde_json::json!({
            "index": m.index,
            "contact": contact,
            "label": m.label(&a.text),
            "kind": m.kind.as_str(),
            "channel": m.channel.as_str(),
            "subject": s.subject_example,
            "text": s.example,
            "length": {"min": s.length.min, "typical": s.length.typical, "max": s.length.max},
            "limit": s.limit,
            "variant": variant.unwrap_or(1),
            "renderings": renderings,
            // Where the message is, so an editor can preview the one at the cursor.
            "range": range_of(&a.rope, m.span.clone(), enc),
        }));
    }
    Ok(serde_json::json!({
        "messages": messages,
        "contacts": a.contacts.as_ref().map_or(0, |c| c.rows),
    }))
}

// ---------------------------------------------------------------- contact previews

pub const PREVIEW_COMMAND: &str = "outreach-lsp.preview";

/// "Preview with contact 1" above each message when a contact list is configured.
pub fn code_lenses(state: &State, params: CodeLensParams, pinned: Pinned) -> Option<Vec<CodeLens>> {
    let a = state.unlinted_view(&params.text_document.uri, pinned)?;
    let Some(contacts) = a.contacts.as_ref().filter(|c| c.rows > 0 && a.is_template) else {
        return Some(Vec::new());
    };
    let enc = state.session().encoding;
    let t = a.template();
    Some(
        t.messages
            .iter()
            .take(MAX_MESSAGES_PER_ANSWER)
            .map(|m| CodeLens {
                range: range_of(&a.rope, m.anchor.clone(), enc),
                command: Some(Command {
                    title: format!("Preview with contact 1 of {}", contacts.rows),
                    command: PREVIEW_COMMAND.into(),
                    arguments: Some(vec![
                        serde_json::json!(params.text_document.uri.as_str()),
                        serde_json::json!(m.index),
                        serde_json::json!(1),
                    ]),
                }),
                data: None,
            })
            .collect(),
    )
}

/// `outreach-lsp.preview [uri, message, contact]`: the message rendered for that contact. The result
/// carries the text; a `message` field is also shown to the user. No file is written.
pub fn execute_command(state: &State, params: ExecuteCommandParams) -> Result<serde_json::Value> {
    if params.command != PREVIEW_COMMAND {
        return Err(Error::invalid_params(format!(
            "unknown command {}",
            params.command
        )));
    }
    let args = &params.arguments;
    let uri = args.first().and_then(|v| v.as_str()).unwrap_or_default();
    let message = args.get(1).and_then(|v| v.as_u64()).unwrap_or(0);
    let contact = args.get(2).and_then(|v| v.as_u64()).unwrap_or(1);
    let result = preview(
        state,
        serde_json::json!({"uri": uri, "message": message, "contact": contact}),
    )?;
    let m = &result["messages"][0];
    let who = if m["contact"].is_null() {
        "example values".to_string()
    } else {
        format!("contact {}", m["contact"])
    };
    let count = m["renderings"].as_u64().unwrap_or(1);
    let which = if count > 1 {
        format!(", rendering {} of {count}", m["variant"])
    } else {
        String::new()
    };
    let text = format!(
        "{} — {}{which}, {} characters:\n\n{}{}",
        m["label"].as_str().unwrap_or(""),
        who,
        m["length"]["typical"],
        m["subject"]
            .as_str()
            .map(|s| format!("Subject: {s}\n\n"))
            .unwrap_or_default(),
        m["text"].as_str().unwrap_or("")
    );
    Ok(serde_json::json!({"message": text, "preview": result}))
}
