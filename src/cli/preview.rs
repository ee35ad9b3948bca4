//! `outreach-lsp preview`: renders each message for chosen contacts with fallbacks applied, marks
//! per-contact problems, and summarises them. Writes nothing but stdout.

use std::process::ExitCode;
use std::sync::Arc;

use std::io::Write;

use serde_json::json;

use super::{PreviewArgs, PreviewFormat};
use crate::contacts::{is_suspicious, Contacts};
use crate::insight;
use crate::lint::Inputs;
use crate::model::Template;
use crate::project::read::Allowed;
use crate::project::ContactLists;
use crate::rules::Context;
use crate::text::linkedin_length;

pub fn run(args: &PreviewArgs) -> ExitCode {
    match render(args) {
        Ok(out) => {
            // Cells are data: an ESC or BEL in one must not reach the terminal as a command.
            let out = match args.format {
                PreviewFormat::Text => without_control_chars(&out),
                PreviewFormat::Json => out,
            };
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write output: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(e) => {
            eprintln!("error: {}", without_control_chars(&e));
            ExitCode::from(2)
        }
    }
}

fn render(args: &PreviewArgs) -> Result<String, String> {
    let path = &args.template;
    let (config, text) = super::read_one_template(path, args.config.as_deref(), "previewed")?;
    let lists = ContactLists::new(false);
    let contacts: Option<Arc<Contacts>> = match &args.contacts {
        Some(p) => Some(lists.get(p, Allowed::Named)?),
        None => {
            let found = lists.for_template(Some(path), &text, &config, Allowed::Named);
            if let Some(e) = found.error {
                return Err(e);
            }
            if let Some((source, e)) = found.config_error {
                let src = source.map_or_else(String::new, |s| format!("{}: ", s.display()));
                return Err(format!("{src}contacts: {e}"));
            }
            found.contacts
        }
    };
    let template = Template::parse_in(&text, config.dialect);
    let inputs = Inputs {
        contacts: contacts.as_deref(),
        ..Inputs::default()
    };
    let cx = Context::new(&template, &config, inputs);
    let rows: Vec<usize> = match (&contacts, args.contact, args.all) {
        (None, _, _) => vec![],
        (Some(c), Some(n), _) => {
            if n == 0 || n > c.rows {
                return Err(format!(
                    "--contact {n}: {} has contacts 1 to {}",
                    c.file_name(),
                    c.rows
                ));
            }
            vec![n - 1]
        }
        (Some(c), None, true) => (0..c.rows).collect(),
        (Some(c), None, false) => (0..c.rows.min(1)).collect(),
    };
    let mut messages = Vec::new();
    for m in &template.messages {
        let (limit, subject_limit) = cx.limits(m);
        let label = m.label(&text);
        let mut more: Vec<serde_json::Value> = Vec::new();
        let renderings: Vec<serde_json::Value> = if contacts.is_some() {
            let mut out = Vec::new();
            for &row in &rows {
                let picked = variants(&cx, m.content.clone(), Some(row), args, &label)?;
                if let Some(n) = picked.more {
                    more.push(json!({"row": row + 1, "more": n, "exact": picked.exact}));
                }
                for (variant, body) in picked.texts {
                    out.push((row, variant, picked.count, body));
                }
            }
            out.into_iter()
                .map(|(row, variant, count, body)| {
                    let subject = m.subject.clone().map(|s| insight::render_for_contact(&cx, s, row));
                    let length = linkedin_length(&body);
                    let mut empty = Vec::new();
                    let mut literal = Vec::new();
                    for p in template.placeholders_of(m) {
                        // A placeholder inside `{% if x %}` is not sent when `x` is empty.
                        if template.is_guarded(p) {
                            continue;
                        }
                        let cell = contacts.as_ref().and_then(|c| c.field(&p.name, row));
                        if cell.is_none_or(str::is_empty) && p.fallback().is_none() && !empty.contains(&p.name) {
                            empty.push(p.name.clone());
                        }
                        if cell.is_some_and(is_suspicious) && !literal.contains(&p.name) {
                            literal.push(p.name.clone());
                        }
                    }
                    json!({
                        "row": row + 1,
                        "variant": variant,
                        "renderings": count,
                        "subject": subject,
                        "subject_over_limit": subject.as_ref().zip(subject_limit).is_some_and(|(s, l)| linkedin_length(s) > l),
                        "text": body,
                        "length": length,
                        "over_limit": limit.is_some_and(|l| length > l),
                        "empty_without_fallback": empty,
                        "literal_cells": literal,
                    })
                })
                .collect()
        } else {
            let s = insight::message_stats(&cx, m);
            let picked = variants(&cx, m.content.clone(), None, args, &label)?;
            if let Some(n) = picked.more {
                more.push(json!({"row": null, "more": n, "exact": picked.exact}));
            }
            picked
                .texts
                .into_iter()
                .map(|(variant, body)| {
                    json!({"row": null, "variant": variant, "renderings": picked.count, "subject": s.subject_example, "text": body, "length": linkedin_length(&body), "over_limit": limit.is_some_and(|l| linkedin_length(&body) > l), "empty_without_fallback": [], "literal_cells": []})
                })
                .collect()
        };
        // The summary covers every contact, not only the rendered ones.
        let (over, longest) = match (&contacts, limit) {
            (Some(_), Some(l)) => {
                let lengths = insight::contact_lengths(&cx, m.content.clone());
                let over = lengths.iter().filter(|&&x| x > l).count();
                let longest = lengths
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, x)| (**x, std::cmp::Reverse(*i)))
                    .map(|(i, x)| json!({"row": i + 1, "length": x}));
                (over, longest)
            }
            _ => (0, None),
        };
        messages.push(json!({
            "index": m.index,
            "label": label,
            "kind": m.kind.as_str(),
            "channel": m.channel.as_str(),
            "limit": limit,
            "rendering_count": insight::variant_count(&cx, m.content.clone(), None),
            "renderings": renderings,
            "more_renderings": more,
            "contacts_over_limit": over,
            "longest": longest,
        }));
    }
    let mut empty_summary = Vec::new();
    let mut literal_rows = Vec::new();
    if let Some(c) = &contacts {
        let mut seen = Vec::new();
        for p in &template.placeholders {
            if seen.contains(&p.name) {
                continue;
            }
            seen.push(p.name.clone());
            let column = c
                .column(&p.name)
                .or_else(|| crate::model::catalog::canonical(&p.name).and_then(|n| c.column(n)));
            let (count, rows) = match column {
                Some(col) => {
                    let rows: Vec<usize> = col
                        .values
                        .iter()
                        .enumerate()
                        .filter(|(_, v)| v.trim().is_empty())
                        .map(|(i, _)| i + 1)
                        .collect();
                    (rows.len(), rows)
                }
                None if cx
                    .def(&p.name)
                    .is_some_and(|d| d.category == crate::model::Category::Sender) =>
                {
                    (0, vec![])
                }
                None => (c.rows, (1..=c.rows).collect()),
            };
            if count > 0
                && template
                    .placeholders
                    .iter()
                    .any(|q| q.name == p.name && q.fallback().is_none() && !template.is_guarded(q))
            {
                empty_summary.push(json!({"placeholder": p.name, "contacts": count, "rows": rows.iter().take(20).collect::<Vec<_>>()}));
            }
            if let Some(col) = column {
                for (i, v) in col.values.iter().enumerate() {
                    if is_suspicious(v) {
                        literal_rows.push(json!({"row": i + 1, "placeholder": p.name, "cell": v}));
                    }
                }
            }
        }
    }
    let doc = json!({
        "template": path.display().to_string(),
        "contacts": contacts.as_ref().map(|c| c.path.as_ref().map(|p| {
            // Shown relative to the working folder when it is below it.
            let cwd = std::env::current_dir().ok().and_then(|d| std::fs::canonicalize(d).ok());
            cwd.and_then(|d| p.strip_prefix(d).ok().map(|r| r.display().to_string()))
                .unwrap_or_else(|| p.display().to_string())
        })),
        "contact_count": contacts.as_ref().map(|c| c.rows),
        "messages": messages,
        "summary": {"empty_without_fallback": empty_summary, "literal_cells": literal_rows},
    });
    Ok(match args.format {
        PreviewFormat::Json => serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n",
        PreviewFormat::Text => text_report(&doc),
    })
}

/// The distinct renderings `--all-variants` lists at most per message and contact.
const SHOWN_VARIANTS: usize = 50;

/// Renderings looked at (to find the distinct ones) at most per message and contact.
const ENUMERATED_VARIANTS: u64 = 10_000;

/// The renderings of one message (for one contact, or with example values) that were asked for.
struct Picked {
    /// (1-based rendering number, text).
    texts: Vec<(u64, String)>,
    /// How many renderings there are (choices of options, some may read the same).
    count: u64,
    /// `--all-variants`: how many distinct ones were not shown.
    more: Option<u64>,
    /// Whether `more` counts distinct texts exactly (false: too many to enumerate).
    exact: bool,
}

fn variants(
    cx: &Context<'_>,
    span: std::ops::Range<usize>,
    row: Option<usize>,
    args: &PreviewArgs,
    label: &str,
) -> Result<Picked, String> {
    let count = insight::variant_count(cx, span.clone(), row);
    let whose = row.map_or(String::new(), |r| format!(" for contact {}", r + 1));
    if let Some(n) = args.variant {
        if n == 0 || n > count {
            return Err(format!(
                "--variant {n}: message \"{label}\" has {count} rendering{}{whose} (1 to {count})",
                if count == 1 { "" } else { "s" }
            ));
        }
        let text = insight::render_variant(cx, span, row, n - 1).unwrap_or_default();
        return Ok(Picked {
            texts: vec![(n, text)],
            count,
            more: None,
            exact: true,
        });
    }
    if !args.all_variants {
        let text = insight::render_variant(cx, span, row, 0).unwrap_or_default();
        return Ok(Picked {
            texts: vec![(1, text)],
            count,
            more: None,
            exact: true,
        });
    }
    let mut seen = std::collections::HashSet::new();
    let mut texts = Vec::new();
    let mut distinct = 0u64;
    for i in 0..count.min(ENUMERATED_VARIANTS) {
        let Some(text) = insight::render_variant(cx, span.clone(), row, i) else {
            break;
        };
        if seen.insert(text.clone()) {
            distinct += 1;
            if texts.len() < SHOWN_VARIANTS {
                texts.push((i + 1, text));
            }
        }
    }
    let exact = count <= ENUMERATED_VARIANTS;
    let shown = texts.len() as u64;
    let more = if exact {
        (distinct > shown).then_some(distinct - shown)
    } else {
        Some(count - shown)
    };
    Ok(Picked {
        texts,
        count,
        more,
        exact,
    })
}

/// `text` without control characters other than line breaks and tabs (C0, DEL and C1).
pub fn without_control_chars(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
        .collect()
}

fn text_report(doc: &serde_json::Value) -> String {
    let mut s = String::new();
    let count = doc["contact_count"].as_u64();
    match (&doc["contacts"], count) {
        (serde_json::Value::String(p), Some(n)) => s.push_str(&format!(
            "{} for {} contacts in {p}\n",
            doc["template"].as_str().unwrap_or(""),
            n
        )),
        _ => s.push_str(&format!(
            "{} with example values (no contact list)\n",
            doc["template"].as_str().unwrap_or("")
        )),
    }
    for m in doc["messages"].as_array().into_iter().flatten() {
        let limit = m["limit"]
            .as_u64()
            .map_or("no limit".to_string(), |l| format!("limit {l}"));
        let n = m["rendering_count"].as_u64().unwrap_or(1);
        s.push_str(&format!(
            "\n== {} ({} via {}, {limit}) — {n} rendering{}\n",
            m["label"].as_str().unwrap_or(""),
            m["kind"].as_str().unwrap_or(""),
            m["channel"].as_str().unwrap_or(""),
            if n == 1 { "" } else { "s" }
        ));
        for r in m["renderings"].as_array().into_iter().flatten() {
            let who = r["row"]
                .as_u64()
                .map_or("example values".to_string(), |n| format!("contact {n}"));
            let mut flags = Vec::new();
            if r["over_limit"] == true {
                flags.push("OVER LIMIT".to_string());
            }
            for e in r["empty_without_fallback"].as_array().into_iter().flatten() {
                flags.push(format!("empty: {}", e.as_str().unwrap_or("")));
            }
            for e in r["literal_cells"].as_array().into_iter().flatten() {
                flags.push(format!("literal markup in: {}", e.as_str().unwrap_or("")));
            }
            let count = r["renderings"].as_u64().unwrap_or(1);
            let which = if count > 1 {
                format!(", rendering {} of {count}", r["variant"])
            } else {
                String::new()
            };
            s.push_str(&format!(
                "-- {who}{which}: {} characters{}\n",
                r["length"],
                if flags.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", flags.join("; "))
                }
            ));
            if let Some(sub) = r["subject"].as_str() {
                s.push_str(&format!("Subject: {sub}\n"));
            }
            s.push_str(r["text"].as_str().unwrap_or(""));
            s.push('\n');
        }
        for more in m["more_renderings"].as_array().into_iter().flatten() {
            let who = more["row"]
                .as_u64()
                .map_or(String::new(), |n| format!(" for contact {n}"));
            let n = more["more"].as_u64().unwrap_or(0);
            if more["exact"] == true {
                s.push_str(&format!(
                    "…and {n} more distinct rendering{}{who}\n",
                    if n == 1 { "" } else { "s" }
                ));
            } else {
                s.push_str(&format!(
                    "…and {n} more renderings{who} (too many to list; some may read the same)\n"
                ));
            }
        }
        if count.is_some() {
            if let serde_json::Value::Object(l) = &m["longest"] {
                s.push_str(&format!(
                    "   {} of {} contacts render over the limit (longest: row {}, {} characters)\n",
                    m["contacts_over_limit"],
                    count.unwrap_or(0),
                    l["row"],
                    l["length"]
                ))
            }
        }
    }
    if count.is_some() {
        s.push_str("\nSummary\n");
        let empty = doc["summary"]["empty_without_fallback"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if empty.is_empty() {
            s.push_str("  every placeholder is filled or has a fallback for every contact\n");
        }
        for e in empty {
            let n = e["contacts"].as_u64().unwrap_or(0);
            s.push_str(&format!(
                "  `{}` is empty for {n} contact{} without a fallback\n",
                e["placeholder"].as_str().unwrap_or(""),
                if n == 1 { "" } else { "s" }
            ));
        }
        let literal = doc["summary"]["literal_cells"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for l in &literal {
            s.push_str(&format!(
                "  row {} would send a literal {:?} in `{}`\n",
                l["row"],
                l["cell"].as_str().unwrap_or(""),
                l["placeholder"].as_str().unwrap_or("")
            ));
        }
    }
    s
}
