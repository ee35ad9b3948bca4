//! Requests: hover, code actions, completion, document symbols, inlay hints, semantic tokens, preview.
//! Each answers from the latest document text, never waiting for a lint in progress.

use std::ops::Range as Span;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::convert::{self, FixData};
use super::document::{offset_of, position_of, range_of, span_of, Encoding};
use super::state::{Analysis, Pinned, State};
use crate::insight;
use crate::model::catalog::Category;
use crate::model::front_matter::{Value, KEYS};
use crate::model::{Channel, Kind, Template};
use crate::rules::Context;

fn contains(span: &Span<usize>, at: usize) -> bool {
    span.start <= at && at <= span.end
}

fn markup(md: bool, text: String) -> HoverContents {
    HoverContents::Markup(MarkupContent {
        kind: if md {
            MarkupKind::Markdown
        } else {
            MarkupKind::PlainText
        },
        value: if md { text } else { plain(&text) },
    })
}

/// Markdown to readable plain text for clients that only take plain text.
fn plain(md: &str) -> String {
    md.lines()
        .filter(|l| !l.starts_with("```") && !l.starts_with("|---"))
        .map(|l| {
            l.trim_start_matches('#')
                .trim_start()
                .replace("**", "")
                .replace('`', "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------- hover

/// The current analysis of a template, the session, and the byte offset of `position` in it.
fn template_at(
    state: &State,
    a: Option<Arc<Analysis>>,
    position: Position,
) -> Option<(Arc<Analysis>, super::state::Session, usize)> {
    let a = a?;
    if !a.is_template {
        return None;
    }
    let session = state.session();
    let at = offset_of(&a.rope, position, session.encoding);
    Some((a, session, at))
}

pub fn hover(
    state: &State,
    params: HoverParams,
    pinned: Pinned,
    cancel: &AtomicBool,
) -> Option<Hover> {
    let p = params.text_document_position_params;
    let a = state.linted(&p.text_document.uri, pinned, cancel);
    let (a, session, at) = template_at(state, a, p.position)?;
    let enc = session.encoding;
    let t = Template::parse(&a.text);
    let cx = Context::new(&t, &a.config, a.inputs());
    // (span, text): the narrowest thing under the cursor comes first.
    let mut sections: Vec<(Span<usize>, String)> = Vec::new();
    let mut seen_rules: Vec<&str> = Vec::new();
    for f in a.result.findings.iter().filter(|f| contains(&f.span, at)) {
        if seen_rules.contains(&f.rule) {
            continue;
        }
        seen_rules.push(f.rule);
        if let Some(rule) = crate::rules::find(f.rule) {
            sections.push((f.span.clone(), rule_hover(rule.doc(), &f.message, None)));
        }
    }
    for (f, i) in a
        .result
        .suppressed
        .iter()
        .filter(|(f, _)| contains(&f.span, at))
    {
        let s = &a.result.suppressions[*i];
        if let Some(rule) = crate::rules::find(f.rule) {
            let reason = s.reason.clone().unwrap_or_else(|| "no reason given".into());
            sections.push((
                f.span.clone(),
                rule_hover(rule.doc(), &f.message, Some(&reason)),
            ));
        }
    }
    if let Some((si, s)) = a
        .result
        .suppressions
        .iter()
        .enumerate()
        .find(|(_, s)| contains(&s.span, at))
    {
        let silenced: Vec<String> = a
            .result
            .suppressed
            .iter()
            .filter(|(_, i)| *i == si)
            .map(|(f, _)| format!("- `{}`: {}", f.rule, f.message))
            .collect();
        let rules = if s.rules.is_empty() {
            "all rules".to_string()
        } else {
            s.rules.join(", ")
        };
        sections.push((
            s.span.clone(),
            format!(
                "### Suppression of {rules}\n\nReason: {}\n\n{}",
                s.reason
                    .as_deref()
                    .unwrap_or("none given (add one after `--`)"),
                if silenced.is_empty() {
                    "It silences nothing.".to_string()
                } else {
                    format!("It silences:\n{}", silenced.join("\n"))
                }
            ),
        ));
    }
    if let Some(p) = t.placeholders.iter().find(|p| contains(&p.span, at)) {
        sections.push((p.span.clone(), placeholder_hover(&cx, p)));
    } else if let Some((k, doc)) = front_matter_at(&t, at) {
        sections.push((k, doc));
    } else if let Some(m) = t.messages.iter().find(|m| {
        m.heading.as_ref().map_or_else(
            || m.first_line.as_ref().is_some_and(|l| contains(l, at)),
            |h| contains(&h.line, at),
        )
    }) {
        // Statistics sit after the findings of the same line.
        let anchor = m.anchor.clone();
        sections.push((anchor.start..anchor.end + 1, message_hover(&cx, m)));
    }
    sections.sort_by_key(|(s, _)| s.len());
    let range = sections.first().map(|(s, _)| s.clone());
    let sections: Vec<String> = sections.into_iter().map(|(_, s)| s).collect();
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: markup(session.markdown_hover, sections.join("\n\n---\n\n")),
        range: range.map(|r| range_of(&a.rope, r, enc)),
    })
}

fn rule_hover(doc: &crate::rules::RuleDoc, message: &str, suppressed: Option<&str>) -> String {
    let mut s = format!("## {}\n\n{}\n\n", doc.id, message);
    if let Some(reason) = suppressed {
        s.push_str(&format!("**Suppressed here** — reason: {reason}\n\n"));
    }
    s.push_str(&format!(
        "**What it finds.** {}\n\n**Why it matters.** {}\n\n**How to fix.** {}\n\n**How to disable.**\n{}",
        doc.what,
        doc.why,
        doc.fix,
        doc.how_to_disable()
    ));
    s
}

fn placeholder_hover(cx: &Context<'_>, p: &crate::model::Placeholder) -> String {
    let fallback = match p.fallback() {
        Some(f) => format!("`\"{f}\"`"),
        None => "none".into(),
    };
    let mut text = match cx.def(&p.name) {
        Some(d) => format!(
            "### `{{{{{}}}}}` — {}\n\n{}\n\n| | |\n|---|---|\n| example | {} |\n| typical / maximum length | {} / {} characters |\n| often empty | {} |\n| fallback here | {} |\n| declared in | {} |",
            d.name,
            d.category.as_str(),
            if d.description.is_empty() { "(no description)" } else { &d.description },
            d.example,
            d.typical_length,
            d.max_length,
            if d.often_empty { "yes — give it a `| default:`" } else { "no" },
            fallback,
            d.origin.describe(),
        ),
        None => format!("### `{{{{{}}}}}` — unknown placeholder\n\nNot in the catalog, the front matter or the configuration.", p.name),
    };
    if let Some(c) = cx.contacts {
        let line = match c.column(&p.name) {
            Some(col) => {
                let filled = c.rows - col.empty_count();
                let samples: Vec<String> =
                    col.samples(3).iter().map(|s| format!("“{s}”")).collect();
                format!(
                    "\n\n**Contacts:** filled for {filled} of {} in {} (column `{}`); e.g. {}",
                    c.rows,
                    c.file_name(),
                    col.header,
                    if samples.is_empty() {
                        "no values".into()
                    } else {
                        samples.join(", ")
                    }
                )
            }
            None => format!("\n\n**Contacts:** not a column of {}", c.file_name()),
        };
        text.push_str(&line);
    }
    text
}

fn front_matter_at(t: &Template<'_>, at: usize) -> Option<(Span<usize>, String)> {
    let fm = t.front_matter.as_ref()?;
    for (k, v) in &fm.entries {
        let key_here = contains(&k.span, at);
        let value_here = contains(&v.span, at) && !v.span.is_empty();
        if !(key_here || value_here) {
            continue;
        }
        let Value::Scalar(name) = &k.value else {
            continue;
        };
        let doc = KEYS.iter().find(|(key, _)| key == name).map(|(_, d)| *d)?;
        let allowed = match name.as_str() {
            "channel" => format!(
                "\n\nAllowed values:\n{}",
                Channel::ALL
                    .iter()
                    .map(|c| format!("- `{}` — {}", c.as_str(), c.describe()))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            "kind" => format!(
                "\n\nAllowed values:\n{}",
                Kind::ALL
                    .iter()
                    .map(|k| format!("- `{}` — {}", k.as_str(), k.describe()))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            _ => String::new(),
        };
        let span = if key_here {
            k.span.clone()
        } else {
            v.span.clone()
        };
        return Some((span, format!("### `{name}`\n\n{doc}{allowed}")));
    }
    None
}

fn message_hover(cx: &Context<'_>, m: &crate::model::Message) -> String {
    let s = insight::message_stats(cx, m);
    let mark = |b: bool| if b { "✓" } else { "✗" };
    let limit = s
        .limit
        .map_or("no limit".to_string(), |l| format!("limit {l}"));
    let subject = match (&s.subject_length, &s.subject_example) {
        (Some(r), Some(ex)) => format!(
            "\n\nSubject: {} characters ({}) — “{}”",
            r.describe(),
            s.subject_limit
                .map_or("no limit".into(), |l| format!("limit {l}")),
            ex
        ),
        _ => String::new(),
    };
    format!(
        "### {} — `{}` via `{}`\n\nLength: **{}** characters (typical {}), {}{}\n\nWords: {} · Placeholders: {}\n\nGreeting {} · Reason {} · Common ground {}\n\n**With example values:**\n\n{}",
        m.label(cx.text()),
        m.kind.as_str(),
        m.channel.as_str(),
        s.length.describe(),
        s.length.typical,
        limit,
        subject,
        s.words,
        if s.placeholders.is_empty() { "none".to_string() } else { s.placeholders.join(", ") },
        mark(s.greeting),
        mark(s.reason),
        mark(s.common_ground),
        s.example.lines().map(|l| format!("> {l}")).collect::<Vec<_>>().join("\n"),
    ) + &first_contact(cx, m)
}

fn first_contact(cx: &Context<'_>, m: &crate::model::Message) -> String {
    let Some(c) = cx.contacts.filter(|c| c.rows > 0) else {
        return String::new();
    };
    let text = insight::render_for_contact(cx, m.content.clone(), 0);
    format!(
        "\n\n**For contact 1 of {} ({} characters):**\n\n{}",
        c.rows,
        crate::text::linkedin_length(&text),
        text.lines()
            .map(|l| format!("> {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

// ---------------------------------------------------------------- code actions

fn action(
    title: String,
    kind: CodeActionKind,
    edit: WorkspaceEdit,
    diagnostic: Option<Diagnostic>,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic.map(|d| vec![d]),
        edit: Some(edit),
        command: None,
        is_preferred: preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

pub fn code_actions(
    state: &State,
    params: CodeActionParams,
    pinned: Pinned,
    cancel: &AtomicBool,
) -> Option<CodeActionResponse> {
    let uri = &params.text_document.uri;
    let a = state.linted(uri, pinned, cancel)?;
    if !a.is_template {
        return None;
    }
    let session = state.session();
    let enc = session.encoding;
    let wants = |k: &CodeActionKind| {
        params.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|o| {
                k.as_str() == o.as_str() || k.as_str().starts_with(&format!("{}.", o.as_str()))
            })
        })
    };
    let t = Template::parse(&a.text);
    let mut out: Vec<CodeActionOrCommand> = Vec::new();
    let edit_of = |edits: Vec<TextEdit>| {
        convert::workspace_edit(uri, a.version, edits, session.document_changes)
    };
    if wants(&CodeActionKind::QUICKFIX) {
        // The findings to fix: the client's diagnostics, else ours under the range.
        let touches = |f: &crate::finding::Finding, span: &Span<usize>| {
            f.span.start <= span.end && span.start <= f.span.end
        };
        // A current finding as a fix target: its diagnostic, its fixes, its span and its rule.
        let target_of = |f: &crate::finding::Finding| {
            let fixes: Vec<FixData> = f
                .fixes
                .iter()
                .map(|x| convert::fix_data(&a.rope, x, enc))
                .collect();
            (
                convert::diagnostic(&a.rope, f, a.version, enc),
                fixes,
                f.span.clone(),
                f.rule.to_string(),
            )
        };
        let mut targets: Vec<(Diagnostic, Vec<FixData>, Span<usize>, String)> = Vec::new();
        for d in params
            .context
            .diagnostics
            .iter()
            .filter(|d| d.source.as_deref() == Some(convert::SOURCE))
        {
            let rule = match &d.code {
                Some(NumberOrString::String(s)) => s.clone(),
                _ => continue,
            };
            // Fixes are not shipped in `data` (it would make every publish several times larger);
            // they come from the current finding of that rule there: the same span if the
            // diagnostic is current, else the first one it touches.
            let span = span_of(&a.rope, d.range, enc);
            let found = a
                .result
                .findings
                .iter()
                .filter(|f| f.rule == rule)
                .find(|f| f.span == span)
                .or_else(|| {
                    a.result
                        .findings
                        .iter()
                        .find(|f| f.rule == rule && touches(f, &span))
                });
            if let Some(f) = found {
                let (_, fixes, span, rule) = target_of(f);
                // The client's own diagnostic, so it can link the action to what it shows.
                targets.push((d.clone(), fixes, span, rule));
            }
        }
        if params.context.diagnostics.is_empty() {
            let span = span_of(&a.rope, params.range, enc);
            targets.extend(
                a.result
                    .findings
                    .iter()
                    .filter(|f| touches(f, &span))
                    .map(target_of),
            );
        }
        let mut disables: Vec<(String, CodeActionOrCommand)> = Vec::new();
        // Two findings can propose the same edit (e.g. the same personalization sentence): offer it once.
        let mut offered: Vec<(String, Vec<TextEdit>)> = Vec::new();
        for (diag, fixes, span, rule) in targets {
            for fx in fixes {
                if offered
                    .iter()
                    .any(|(t, e)| *t == fx.title && *e == fx.edits)
                {
                    continue;
                }
                offered.push((fx.title.clone(), fx.edits.clone()));
                out.push(action(
                    fx.title,
                    CodeActionKind::QUICKFIX,
                    edit_of(fx.edits),
                    Some(diag.clone()),
                    fx.preferred,
                ));
            }
            // Silencing "unused suppression" with another suppression would only move the problem.
            let silencers = if rule == "unused-suppression" {
                Vec::new()
            } else {
                crate::suppression::disable_fixes(&t, &rule, span.start)
            };
            for fx in silencers {
                if disables.iter().any(|(title, _)| *title == fx.title) {
                    continue;
                }
                let data = convert::fix_data(&a.rope, &fx, enc);
                disables.push((
                    fx.title.clone(),
                    action(
                        data.title,
                        CodeActionKind::QUICKFIX,
                        edit_of(data.edits),
                        Some(diag.clone()),
                        false,
                    ),
                ));
            }
        }
        out.extend(disables.into_iter().map(|(_, a)| a));
    }
    if wants(&CodeActionKind::REFACTOR_REWRITE) {
        out.extend(rewrites(&a, &t, params.range, enc, &edit_of));
    }
    Some(out)
}

/// Personalization that needs no finding: insert a common-ground or reason placeholder at the cursor,
/// or turn a selected name into `{{first_name}}`.
fn rewrites(
    a: &Analysis,
    t: &Template<'_>,
    range: Range,
    enc: Encoding,
    edit_of: &dyn Fn(Vec<TextEdit>) -> WorkspaceEdit,
) -> Vec<CodeActionOrCommand> {
    let span = span_of(&a.rope, range, enc);
    if t.front_matter
        .as_ref()
        .is_some_and(|f| span.start < f.span.end)
        || !t.is_prose(span.start.min(a.text.len().saturating_sub(1)))
            && !a.text.is_empty()
            && span.start < a.text.len()
    {
        return Vec::new();
    }
    let cx = Context::new(t, &a.config, a.inputs());
    let mut out = Vec::new();
    let selected = &a.text[span.clone()];
    let word = selected.trim();
    if !word.is_empty() && word.len() < 40 && !word.contains(['{', '}', '\n']) {
        let target = crate::model::catalog::alias(word).or_else(|| {
            let name_like = word.chars().next().is_some_and(char::is_uppercase)
                && word
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'');
            name_like.then_some("first_name")
        });
        if let Some(name) = target {
            let text = format!("{{{{{name}}}}}");
            out.push(action(
                format!("Replace selection with {text}"),
                CodeActionKind::REFACTOR_REWRITE,
                edit_of(vec![TextEdit::new(range, text)]),
                None,
                false,
            ));
        }
    }
    let mut defs: Vec<_> = cx
        .known_names()
        .into_iter()
        .filter_map(|n| cx.def(n).cloned())
        .filter(|d| matches!(d.category, Category::CommonGround | Category::Reason))
        .collect();
    defs.sort_by_key(|d| (d.category, d.name.clone()));
    for d in defs {
        let text = if d.often_empty && !d.suggested_default.is_empty() {
            format!("{{{{{} | default: \"{}\"}}}}", d.name, d.suggested_default)
        } else {
            format!("{{{{{}}}}}", d.name)
        };
        out.push(action(
            format!(
                "Insert personalization placeholder ▸ {{{{{}}}}} ({})",
                d.name,
                d.category.as_str()
            ),
            CodeActionKind::REFACTOR_REWRITE,
            edit_of(vec![TextEdit::new(range, text)]),
            None,
            false,
        ));
    }
    out
}

// ---------------------------------------------------------------- completion

pub fn completion(
    state: &State,
    params: CompletionParams,
    pinned: Pinned,
) -> Option<CompletionResponse> {
    let p = &params.text_document_position;
    let a = state.unlinted_view(&p.text_document.uri, pinned);
    let (a, session, at) = template_at(state, a, p.position)?;
    let enc = session.encoding;
    let t = Template::parse(&a.text);
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
        // After `|`: filters, `default` as a snippet.
        let typed = inside[bar + 1..].trim_start();
        let replace_start = at - typed.len();
        let range = Range::new(position_of(&a.rope, replace_start, enc), pos);
        let mut items = vec![CompletionItem {
            label: "default: \"…\"".into(),
            kind: Some(CompletionItemKind::SNIPPET),
            detail: Some("fallback when the value is empty".into()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                if session.snippets {
                    "default: \"${1:there}\"".into()
                } else {
                    "default: \"\"".into()
                },
            ))),
            insert_text_format: Some(if session.snippets {
                InsertTextFormat::SNIPPET
            } else {
                InsertTextFormat::PLAIN_TEXT
            }),
            preselect: Some(true),
            ..Default::default()
        }];
        for f in ["capitalize", "upcase", "downcase", "strip"] {
            items.push(CompletionItem {
                label: f.into(),
                kind: Some(CompletionItemKind::FUNCTION),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, f.into()))),
                ..Default::default()
            });
        }
        return Some(CompletionResponse::Array(items));
    }
    // After `{{`: placeholder names; close the braces when they are not closed yet.
    let typed_start = open + 2 + (inside.len() - inside.trim_start().len());
    let replace_start = line_start + typed_start;
    let rest = after.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let closed = rest.trim_start().starts_with("}}");
    let range = Range::new(position_of(&a.rope, replace_start, enc), pos);
    let items = cx
        .known_names()
        .into_iter()
        .filter_map(|n| cx.def(n))
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
    Some(CompletionResponse::Array(items))
}

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
                .map(|r| simple(r.doc().id, r.doc().summary, CompletionItemKind::ENUM_MEMBER))
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

// ---------------------------------------------------------------- symbols, hints, tokens

#[allow(deprecated)]
pub fn document_symbols(
    state: &State,
    params: DocumentSymbolParams,
    pinned: Pinned,
) -> Option<DocumentSymbolResponse> {
    let a = state.unlinted_view(&params.text_document.uri, pinned)?;
    if !a.is_template {
        return Some(DocumentSymbolResponse::Nested(Vec::new()));
    }
    let enc = state.session().encoding;
    let t = Template::parse(&a.text);
    let mut symbols = Vec::new();
    if let Some(fm) = &t.front_matter {
        symbols.push(DocumentSymbol {
            name: "Front matter".into(),
            detail: None,
            kind: SymbolKind::MODULE,
            tags: None,
            deprecated: None,
            range: range_of(&a.rope, fm.span.clone(), enc),
            selection_range: range_of(&a.rope, 0..3.min(a.text.len()), enc),
            children: None,
        });
    }
    for m in &t.messages {
        let sel = m
            .heading
            .as_ref()
            .map_or(m.anchor.clone(), |h| h.title.clone());
        let full = m.span.start.min(sel.start)..m.span.end.max(sel.end);
        symbols.push(DocumentSymbol {
            name: {
                let l = m.label(&a.text);
                if l.is_empty() {
                    "Message".into()
                } else {
                    l
                }
            },
            detail: Some(format!("{} · {}", m.kind.as_str(), m.channel.as_str())),
            kind: SymbolKind::STRING,
            tags: None,
            deprecated: None,
            range: range_of(&a.rope, full, enc),
            selection_range: range_of(&a.rope, sel, enc),
            children: None,
        });
    }
    Some(DocumentSymbolResponse::Nested(symbols))
}

pub fn inlay_hints(
    state: &State,
    params: InlayHintParams,
    pinned: Pinned,
) -> Option<Vec<InlayHint>> {
    let a = state.unlinted_view(&params.text_document.uri, pinned)?;
    if !a.is_template {
        return Some(Vec::new());
    }
    let enc = state.session().encoding;
    let t = Template::parse(&a.text);
    let cx = Context::new(&t, &a.config, a.inputs());
    let visible = span_of(&a.rope, params.range, enc);
    let mut hints = Vec::new();
    for m in &t.messages {
        let line = m
            .heading
            .as_ref()
            .map(|h| h.line.clone())
            .or_else(|| m.first_line.clone());
        let Some(line) = line else { continue };
        if line.end < visible.start || line.start > visible.end {
            continue;
        }
        let s = insight::message_stats(&cx, m);
        let over = s.limit.is_some_and(|l| s.length.max > l);
        hints.push(InlayHint {
            position: position_of(&a.rope, line.end, enc),
            label: InlayHintLabel::String(format!(
                "{}{}",
                insight::length_label(&s),
                if over { " ⚠" } else { "" }
            )),
            kind: None,
            text_edits: None,
            tooltip: Some(InlayHintTooltip::String(format!(
                "{} via {}: renders to {} characters (typical {}){}",
                m.kind.as_str(),
                m.channel.as_str(),
                s.length.describe(),
                s.length.typical,
                s.limit.map_or(String::new(), |l| format!(", limit {l}"))
            ))),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    Some(hints)
}

const TOKEN_TYPES: [SemanticTokenType; 6] = [
    SemanticTokenType::VARIABLE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::STRING,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
];

pub fn semantic_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DEFAULT_LIBRARY],
    }
}

pub fn semantic_tokens(
    state: &State,
    params: SemanticTokensParams,
    pinned: Pinned,
) -> Option<SemanticTokensResult> {
    let a = state.unlinted_view(&params.text_document.uri, pinned)?;
    let enc = state.session().encoding;
    let mut spans: Vec<(Span<usize>, u32, u32)> = Vec::new();
    if a.is_template {
        let t = Template::parse(&a.text);
        let cx = Context::new(&t, &a.config, a.inputs());
        for p in &t.placeholders {
            let builtin = cx
                .def(&p.name)
                .is_some_and(|d| d.origin == crate::model::catalog::Origin::Catalog);
            spans.push((p.span.start..p.span.start + 2, 5, 0));
            spans.push((p.name_span.clone(), 0, u32::from(builtin)));
            for f in &p.filters {
                let name_start = a.text[f.span.clone()]
                    .find(|c: char| c.is_ascii_alphabetic())
                    .map_or(f.span.start, |o| f.span.start + o);
                spans.push((name_start..name_start + f.name.len(), 1, 0));
                if let Some(arg) = &f.argument_span {
                    spans.push((arg.clone(), 2, 0));
                }
            }
            spans.push((p.span.end - 2..p.span.end, 5, 0));
        }
        if let Some(fm) = &t.front_matter {
            for (k, _) in &fm.entries {
                spans.push((k.span.clone(), 3, 0));
            }
        }
        for c in &t.comments {
            if !a.text[c.span.clone()].contains('\n') {
                spans.push((c.span.clone(), 4, 0));
            }
        }
    }
    spans.sort_by_key(|s| s.0.start);
    let mut data = Vec::with_capacity(spans.len());
    let (mut last_line, mut last_col) = (0u32, 0u32);
    for (span, ty, modifiers) in spans {
        let start = position_of(&a.rope, span.start, enc);
        let end = position_of(&a.rope, span.end, enc);
        if end.line != start.line || end.character <= start.character {
            continue;
        }
        let delta_line = start.line - last_line;
        let delta_start = if delta_line == 0 {
            start.character - last_col
        } else {
            start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: ty,
            token_modifiers_bitset: modifiers,
        });
        last_line = start.line;
        last_col = start.character;
    }
    Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    }))
}

// ---------------------------------------------------------------- preview

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
    let t = Template::parse(&a.text);
    let cx = Context::new(&t, &a.config, a.inputs());
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
    let messages: Vec<_> = t
        .messages
        .iter()
        .filter(|m| only.is_none_or(|i| i == m.index))
        .map(|m| {
            let mut s = insight::message_stats(&cx, m);
            if let Some(row) = contact {
                s.example = insight::render_for_contact(&cx, m.content.clone(), row - 1);
                s.subject_example = m
                    .subject
                    .clone()
                    .map(|sp| insight::render_for_contact(&cx, sp, row - 1));
                s.length = crate::model::length::LengthRange::exact(crate::text::linkedin_length(
                    &s.example,
                ));
            }
            serde_json::json!({
                "index": m.index,
                "contact": contact,
                "label": m.label(&a.text),
                "kind": m.kind.as_str(),
                "channel": m.channel.as_str(),
                "subject": s.subject_example,
                "text": s.example,
                "length": {"min": s.length.min, "typical": s.length.typical, "max": s.length.max},
                "limit": s.limit,
            })
        })
        .collect();
    Ok(serde_json::json!({"messages": messages}))
}

// ---------------------------------------------------------------- pull diagnostics

fn full_report(a: &Analysis, enc: Encoding) -> FullDocumentDiagnosticReport {
    FullDocumentDiagnosticReport {
        result_id: None,
        items: a
            .result
            .findings
            .iter()
            .map(|f| convert::diagnostic(&a.rope, f, a.version, enc))
            .collect(),
    }
}

/// Open documents get their diagnostics pushed; a pull for one returns an empty report so clients
/// that do both do not show everything twice. Closed templates are linted from disk.
pub fn document_diagnostic(
    state: &State,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let uri = params.text_document.uri;
    let enc = state.session().encoding;
    let items = if state.is_open(&uri) {
        FullDocumentDiagnosticReport::default()
    } else {
        match uri.to_file_path().map(|p| p.into_owned()) {
            Some(path) => match std::fs::read_to_string(&path) {
                Ok(text) if state.is_workspace_template(&path) => {
                    full_report(&state.analyze_closed(&path, text), enc)
                }
                _ => FullDocumentDiagnosticReport::default(),
            },
            None => FullDocumentDiagnosticReport::default(),
        }
    };
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: items,
        },
    ))
}

/// Diagnostics of every template in the workspace that is not open (LSP 3.17 `workspace/diagnostic`).
pub fn workspace_diagnostic(
    state: &State,
    _params: WorkspaceDiagnosticParams,
    cancelled: &std::sync::atomic::AtomicBool,
) -> WorkspaceDiagnosticReportResult {
    let enc = state.session().encoding;
    let items = state
        .closed_workspace_files()
        .into_iter()
        .take_while(|_| !cancelled.load(std::sync::atomic::Ordering::SeqCst))
        .filter_map(|(path, text)| {
            let uri = Uri::from_file_path(&path)?;
            let a = state.analyze_closed(&path, text);
            Some(WorkspaceDocumentDiagnosticReport::Full(
                WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version: None,
                    full_document_diagnostic_report: full_report(&a, enc),
                },
            ))
        })
        .collect();
    WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items })
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
    let t = Template::parse(&a.text);
    Some(
        t.messages
            .iter()
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
    let text = format!(
        "{} — {}, {} characters:\n\n{}{}",
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
