//! Completion of placeholders, filters and front matter keys and values.

use super::*;

pub fn completion(
    state: &State,
    params: CompletionParams,
    pinned: Pinned,
) -> Option<CompletionResponse> {
    let p = &params.text_document_position;
    let a = state.unlinted_view(&p.text_document.uri, pinned);
    let (a, session, at) = template_at(state, a, p.position)?;
    let enc = session.encoding;
    let t = a.template();
    let cx = Context::new(&t, &a.config, a.inputs());
    let line_start = a.text[..at].rfind('\n').map_or(0, |p| p + 1);
    let before = &a.text[line_start..at];
    let line_end = a.text[at..].find('\n').map_or(a.text.len(), |p| at + p);
    let after = &a.text[at..line_end];
    let pos = params.text_document_position.position;
    if let Some(fm) = &t.front_matter {
        if at >= fm.yaml_span.start && at <= fm.yaml_span.end {
            return Some(CompletionResponse::Array(front_matter_completion(before)));
        }
    }
    let open = before.rfind("{{")?;
    let inside = &before[open + 2..];
    if inside.contains("}}") || (open > 0 && before.as_bytes()[open - 1] == b'\\') {
        return None;
    }
    if let Some(bar) = inside.rfind('|') {
        return Some(CompletionResponse::Array(filter_completion(
            &cx,
            inside,
            bar,
            at,
            Range::new(pos, pos),
            &a.rope,
            enc,
            session.snippets,
        )));
    }
    // After `{{`: placeholder names; close the braces when they are not closed yet.
    let typed_start = open + 2 + (inside.len() - inside.trim_start().len());
    let replace_start = line_start + typed_start;
    let rest = after.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let closed = rest.trim_start().starts_with("}}");
    let range = Range::new(position_of(&a.rope, replace_start, enc), pos);
    let mut names = cx.known_names();
    // A contact list can have a million columns: items are built for at most MAX_ITEMS names, and
    // the list is marked incomplete so the client asks again as the user types. Over the cap, only
    // names starting with what was typed are offered, built-in ones first.
    let incomplete = names.len() > MAX_ITEMS;
    if incomplete {
        let typed = inside.trim_start().to_ascii_lowercase();
        names.retain(|n| n.to_ascii_lowercase().starts_with(&typed));
        names.sort_by_key(|n| {
            cx.def(n)
                .is_none_or(|d| d.origin != crate::model::catalog::Origin::Catalog)
        });
    }
    let items: Vec<CompletionItem> = names
        .into_iter()
        .filter_map(|n| cx.def(n))
        .take(MAX_ITEMS)
        .map(|d| CompletionItem {
            label: d.name.clone(),
            kind: Some(CompletionItemKind::VARIABLE),
            detail: Some(format!("{} · e.g. {}", d.category.as_str(), d.example)),
            documentation: Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: format!(
                    "{}\n\nExample: `{}` · typical {} / max {} characters{}\n\nFrom the {}.",
                    d.description,
                    d.example,
                    d.typical_length,
                    d.max_length,
                    if d.often_empty {
                        " · often empty: add `| default:`"
                    } else {
                        ""
                    },
                    d.origin.describe()
                ),
            })),
            sort_text: Some(format!("{}{}", sort_group(d.category), d.name)),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                if closed {
                    d.name.clone()
                } else {
                    format!("{}}}}}", d.name)
                },
            ))),
            ..Default::default()
        })
        .collect();
    if incomplete {
        return Some(CompletionResponse::List(CompletionList {
            is_incomplete: true,
            items,
        }));
    }
    Some(CompletionResponse::Array(items))
}

/// What each filter of the template syntax does (the dialect's filters: `KNOWN_FILTERS`).
fn filter_doc(name: &str) -> &'static str {
    match name {
        "default" => "The text to send when the value is empty.",
        "capitalize" => "First letter in capitals, the rest as it is (\"ana\" → \"Ana\").",
        "upcase" => "All in capitals.",
        "downcase" => "All in lower case.",
        "strip" => "Without spaces at either end.",
        _ => "",
    }
}

/// After `|` in a placeholder: every filter, `default` first with the catalog's fallback for that
/// placeholder. The inserted text follows the user's spacing: a space after `|` when there is one
/// before it and none was typed yet.
#[allow(clippy::too_many_arguments)]
fn filter_completion(
    cx: &Context<'_>,
    inside: &str,
    bar: usize,
    at: usize,
    cursor: Range,
    rope: &ropey::Rope,
    enc: Encoding,
    snippets: bool,
) -> Vec<CompletionItem> {
    let after_bar = &inside[bar + 1..];
    let typed = after_bar.trim_start();
    let replace_start = at - typed.len();
    let range = Range::new(position_of(rope, replace_start, enc), cursor.end);
    let spaced_before = inside[..bar].ends_with([' ', '\t']);
    let lead = if spaced_before && after_bar.len() == typed.len() {
        " "
    } else {
        ""
    };
    let name = inside[..bar].split('|').next().unwrap_or("").trim();
    let fallback = cx
        .def(name)
        .map(|d| d.suggested_default.as_str())
        .filter(|d| !d.is_empty())
        .unwrap_or("…");
    crate::model::placeholder::KNOWN_FILTERS
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (label, text, format) = if *f == "default" {
                let text = if snippets {
                    format!("{lead}default: \"${{1:{}}}\"", snippet_escape(fallback))
                } else {
                    format!("{lead}default: \"{fallback}\"")
                };
                let format = if snippets {
                    InsertTextFormat::SNIPPET
                } else {
                    InsertTextFormat::PLAIN_TEXT
                };
                (format!("default: \"{fallback}\""), text, format)
            } else {
                (
                    f.to_string(),
                    format!("{lead}{f}"),
                    InsertTextFormat::PLAIN_TEXT,
                )
            };
            CompletionItem {
                label,
                kind: Some(if *f == "default" {
                    CompletionItemKind::SNIPPET
                } else {
                    CompletionItemKind::FUNCTION
                }),
                detail: Some(filter_doc(f).into()),
                // Typing the filter's name (after the space) finds it.
                filter_text: Some(format!("{lead}{f}")),
                sort_text: Some(format!("{i}")),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, text))),
                insert_text_format: Some(format),
                preselect: (*f == "default").then_some(true),
                ..Default::default()
            }
        })
        .collect()
}

/// A snippet's placeholder text with `$`, `}` and `\\` escaped.
fn snippet_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}

/// The most placeholder names one completion answer lists.
const MAX_ITEMS: usize = 1000;

fn sort_group(c: Category) -> &'static str {
    match c {
        Category::Recipient => "1",
        Category::CommonGround => "2",
        Category::Reason => "3",
        Category::Sender => "4",
    }
}

fn front_matter_completion(before: &str) -> Vec<CompletionItem> {
    let simple = |label: &str, detail: &str, kind| CompletionItem {
        label: label.into(),
        kind: Some(kind),
        detail: Some(detail.into()),
        ..Default::default()
    };
    if let Some((key, _)) = before.split_once(':') {
        let key = key.trim();
        return match key {
            "channel" => Channel::ALL
                .iter()
                .map(|c| simple(c.as_str(), c.describe(), CompletionItemKind::ENUM_MEMBER))
                .collect(),
            "kind" => Kind::ALL
                .iter()
                .map(|k| simple(k.as_str(), k.describe(), CompletionItemKind::ENUM_MEMBER))
                .collect(),
            "account" => vec![
                simple(
                    "free",
                    "200-character invitation notes",
                    CompletionItemKind::ENUM_MEMBER,
                ),
                simple(
                    "premium",
                    "300-character invitation notes",
                    CompletionItemKind::ENUM_MEMBER,
                ),
            ],
            "disable" => crate::rules::RULES
                .iter()
                .map(|r| simple(r.id.as_str(), r.summary, CompletionItemKind::ENUM_MEMBER))
                .collect(),
            _ => Vec::new(),
        };
    }
    if before.starts_with(' ') {
        return Vec::new();
    }
    KEYS.iter()
        .map(|(k, d)| CompletionItem {
            label: (*k).into(),
            kind: Some(CompletionItemKind::PROPERTY),
            documentation: Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: (*d).into(),
            })),
            insert_text: Some(format!("{k}: ")),
            ..Default::default()
        })
        .collect()
}
