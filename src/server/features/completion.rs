//! Completion of placeholders, filters, front matter keys and values, and the tag syntax of the
//! file's dialect (tags after `{%`, block helpers after `{{#` and `{{/`, merge tags after `*|`, a
//! spintax group after `{`), with the tag that closes the innermost open block first.

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
    let cursor = Cursor {
        at,
        before,
        after,
        rope: &a.rope,
        enc,
        snippets: session.snippets,
    };
    if let Some(items) = tag_completion(&cx, &cursor) {
        return Some(CompletionResponse::Array(items));
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

/// Where completion was asked: the text around the cursor on its line.
struct Cursor<'a> {
    at: usize,
    before: &'a str,
    after: &'a str,
    rope: &'a ropey::Rope,
    enc: Encoding,
    snippets: bool,
}

impl Cursor<'_> {
    /// An item replacing `typed` bytes before the cursor (plus `over` bytes after it) with `text`, a
    /// snippet when `snippet` and the client takes them, else `plain`.
    #[allow(clippy::too_many_arguments)]
    fn item(
        &self,
        label: &str,
        kind: CompletionItemKind,
        detail: String,
        typed: usize,
        over: usize,
        snippet: &str,
        plain: &str,
        sort: &str,
    ) -> CompletionItem {
        let range = Range::new(
            position_of(self.rope, self.at - typed, self.enc),
            position_of(self.rope, self.at + over, self.enc),
        );
        let (text, format) = if self.snippets {
            (snippet, InsertTextFormat::SNIPPET)
        } else {
            (plain, InsertTextFormat::PLAIN_TEXT)
        };
        CompletionItem {
            label: label.into(),
            kind: Some(kind),
            detail: Some(detail),
            filter_text: Some(label.into()),
            sort_text: Some(format!("{sort}{label}")),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, text.into()))),
            insert_text_format: Some(format),
            ..Default::default()
        }
    }
}

/// The tag syntax of the file's dialect at the cursor; None when the cursor is at none.
fn tag_completion(cx: &Context<'_>, c: &Cursor<'_>) -> Option<Vec<CompletionItem>> {
    use crate::model::Dialect;
    let t = cx.template;
    let line_start = c.at - c.before.len();
    if t.dialect.has_percent_tags() {
        if let Some(open) = c.before.rfind("{%") {
            if !c.before[open..].contains("%}") {
                return Some(percent_tags(cx, c, line_start + open));
            }
        }
    }
    if t.dialect == Dialect::Handlebars {
        if let Some(open) = c.before.rfind("{{") {
            let inside = &c.before[open + 2..];
            let helper = &inside[inside.len().min(1)..];
            if !inside.contains("}}")
                && inside.starts_with('#')
                && helper.contains(char::is_whitespace)
            {
                // `{{#if fir`: the field the helper reads.
                let word = helper.rsplit(char::is_whitespace).next().unwrap_or("");
                return Some(condition_fields(cx, c, word.len()));
            }
            if !inside.contains("}}") && (inside.starts_with('#') || inside.starts_with('/')) {
                return Some(block_helpers(
                    t,
                    c,
                    line_start + open,
                    &inside[1..],
                    inside.starts_with('#'),
                ));
            }
        }
    }
    if t.dialect == Dialect::Mailchimp {
        if let Some(open) = c.before.rfind("*|") {
            let typed = &c.before[open + 2..];
            if typed
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
            {
                return Some(merge_tags(cx, c, line_start + open, typed));
            }
        }
    }
    if t.dialect.has_spintax() {
        return spintax_group(t, c).map(|i| vec![i]);
    }
    None
}

/// What follows the word at the cursor: true when the tag is already closed by `close`.
fn closed_by(after: &str, close: &str) -> bool {
    after
        .trim_start_matches(|ch: char| ch.is_ascii_alphanumeric() || ch == '_')
        .trim_start()
        .trim_start_matches('-')
        .starts_with(close)
}

/// How a dialect's tag keywords (`elsif`, `if` after `{{#`, `IF:`) are completed: the snippet is
/// `lead`, the name, then, for a tag that takes an argument, `separator` and the argument as a tab
/// stop, then `close` (the tag's closing delimiter when it is not typed yet). Without snippets the
/// text stops before the argument. The closer of the innermost open block sorts first ("0") and is
/// preselected.
struct TagKeyword<'a> {
    lead: &'a str,
    separator: &'a str,
    close: &'a str,
    /// Bytes of the name already typed, which the item replaces.
    typed: usize,
}

impl TagKeyword<'_> {
    fn item(
        &self,
        c: &Cursor<'_>,
        name: &str,
        detail: String,
        argument: Option<&str>,
        sort: &str,
    ) -> CompletionItem {
        let TagKeyword {
            lead,
            separator,
            close,
            ..
        } = self;
        let (snippet, plain) = match argument {
            Some(a) => (
                format!("{lead}{name}{separator}${{1:{a}}}{close}$0"),
                format!("{lead}{name}{separator}"),
            ),
            None => (
                format!("{lead}{name}{close}$0"),
                format!("{lead}{name}{close}"),
            ),
        };
        let mut item = c.item(
            name,
            CompletionItemKind::KEYWORD,
            detail,
            self.typed,
            0,
            &snippet,
            &plain,
            sort,
        );
        item.preselect = (sort == "0").then_some(true);
        item
    }
}

/// The detail of a closing tag's item: the tag it closes and its line.
fn closes(t: &Template<'_>, block: &crate::model::tag::OpenBlock) -> String {
    format!(
        "closes `{}` (line {})",
        t.text[block.tag.clone()].trim(),
        t.lines.line_of(block.tag.start) + 1
    )
}

/// After `{%`: the tag names of the dialect. The closer of the innermost open block comes first (it
/// names the block it closes), then the branch tags that block takes, then the openers. In a tag's
/// condition, the known field names.
fn percent_tags(cx: &Context<'_>, c: &Cursor<'_>, open: usize) -> Vec<CompletionItem> {
    use crate::model::tag::{self, Block};
    use crate::model::Dialect;
    let t = cx.template;
    let inside = &t.text[open + 2..c.at];
    let body = inside.strip_prefix('-').unwrap_or(inside);
    let word_start = body.len() - body.trim_start().len();
    let typed = &body[word_start..];
    if typed.contains(char::is_whitespace) {
        // In the condition: fields.
        let word = typed.rsplit(char::is_whitespace).next().unwrap_or("");
        return condition_fields(cx, c, word.len());
    }
    let lead = if word_start == 0 { " " } else { "" };
    let close = if closed_by(c.after, "%}") { "" } else { " %}" };
    let open_blocks = tag::open_blocks(t, open);
    let hubl = t.dialect == Dialect::Hubspot;
    let mut items = Vec::new();
    let keyword = TagKeyword {
        lead,
        separator: " ",
        close,
        typed: typed.len(),
    };
    let word = |name: &str, detail: String, args: Option<&str>, sort: &str| {
        keyword.item(c, name, detail, args, sort)
    };
    if let Some(innermost) = open_blocks.last() {
        let closer = tag::closer(t.dialect, innermost.block);
        items.push(word(&closer, closes(t, innermost), None, "0"));
        let elsif = if hubl { "elif" } else { "elsif" };
        match innermost.block {
            Block::If => {
                items.push(word(
                    elsif,
                    "another condition".into(),
                    Some("condition"),
                    "1",
                ));
                items.push(word("else", "when no condition holds".into(), None, "1"));
            }
            Block::Unless => items.push(word("else", "when the condition holds".into(), None, "1")),
            Block::Case => {
                items.push(word(
                    "when",
                    "a value to compare with".into(),
                    Some("'value'"),
                    "1",
                ));
                items.push(word("else", "when no value matches".into(), None, "1"));
            }
        }
    }
    items.push(word(
        "if",
        "send a part only when a condition holds".into(),
        Some("condition"),
        "2",
    ));
    items.push(word(
        "unless",
        "send a part only when a condition fails".into(),
        Some("condition"),
        "2",
    ));
    if !hubl {
        items.push(word(
            "case",
            "pick a part by a field's value".into(),
            Some("field"),
            "2",
        ));
    }
    items
}

/// In a condition: the known field names.
fn condition_fields(cx: &Context<'_>, c: &Cursor<'_>, typed: usize) -> Vec<CompletionItem> {
    cx.known_names()
        .into_iter()
        .filter_map(|n| cx.def(n))
        .take(MAX_ITEMS)
        .map(|d| {
            c.item(
                &d.name,
                CompletionItemKind::VARIABLE,
                format!("{} · e.g. {}", d.category.as_str(), d.example),
                typed,
                0,
                &snippet_escape(&d.name),
                &d.name,
                sort_group(d.category),
            )
        })
        .collect()
}

/// After `{{#` (a block helper) or `{{/` (the closer of the innermost open block).
fn block_helpers(
    t: &Template<'_>,
    c: &Cursor<'_>,
    open: usize,
    typed: &str,
    opening: bool,
) -> Vec<CompletionItem> {
    use crate::model::tag;
    let keyword = TagKeyword {
        lead: "",
        separator: " ",
        close: if closed_by(c.after, "}}") { "" } else { "}}" },
        typed: typed.len(),
    };
    if opening {
        return [
            ("if", "send a part only when the field has a value"),
            ("unless", "send a part only when the field is empty"),
        ]
        .into_iter()
        .map(|(name, detail)| keyword.item(c, name, detail.into(), Some("field"), "1"))
        .collect();
    }
    let Some(innermost) = tag::open_blocks(t, open).pop() else {
        return Vec::new();
    };
    let name = innermost.block.as_str();
    vec![keyword.item(c, name, closes(t, &innermost), None, "0")]
}

/// After `*|` in Mailchimp: the catalog's merge tags, and the conditional tags (the closing one first
/// when a block is open).
fn merge_tags(cx: &Context<'_>, c: &Cursor<'_>, open: usize, typed: &str) -> Vec<CompletionItem> {
    use crate::model::tag;
    use crate::model::Dialect;
    let t = cx.template;
    let close = if c.after.starts_with("|*") { "" } else { "|*" };
    let mut items = Vec::new();
    // `*|IF:FN`: only the field after the colon is completed.
    let field_of = typed.split_once(':').filter(|(word, _)| {
        ["IF", "IFNOT", "ELSEIF"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w))
    });
    let typed = field_of.map_or(typed, |(_, field)| field);
    let open_blocks = if field_of.is_some() {
        Vec::new()
    } else {
        tag::open_blocks(t, open)
    };
    let keyword = TagKeyword {
        lead: "",
        separator: "",
        close,
        typed: typed.len(),
    };
    let mut conditional = |name: &str, detail: String, args: bool, sort: &str| {
        items.push(keyword.item(c, name, detail, args.then_some("FNAME"), sort));
    };
    if let Some(innermost) = open_blocks.last() {
        conditional("END:IF", closes(t, innermost), false, "0");
        conditional("ELSEIF:", "another condition".into(), true, "1");
        conditional("ELSE:", "when no condition holds".into(), false, "1");
    }
    if field_of.is_none() {
        conditional(
            "IF:",
            "send a part only when the field has a value".into(),
            true,
            "2",
        );
        conditional(
            "IFNOT:",
            "send a part only when the field is empty".into(),
            true,
            "2",
        );
    }
    let mut seen = std::collections::HashSet::new();
    for d in cx.known_names().into_iter().filter_map(|n| cx.def(n)) {
        if items.len() >= MAX_ITEMS {
            break;
        }
        let written = Dialect::Mailchimp.write_placeholder(&d.name);
        let tag = written
            .trim_start_matches("*|")
            .trim_end_matches("|*")
            .to_string();
        if !seen.insert(tag.clone()) {
            continue;
        }
        let text = format!("{tag}{close}");
        items.push(c.item(
            &tag,
            CompletionItemKind::VARIABLE,
            format!("{} · e.g. {}", d.category.as_str(), d.example),
            typed.len(),
            0,
            &snippet_escape(&text),
            &text,
            &format!("3{}", sort_group(d.category)),
        ));
    }
    items
}

/// After a lone `{` in prose (Liquid): a spintax group. Not after `{{` or inside a tag, and not when
/// the `{` already starts text (an existing group being edited).
fn spintax_group(t: &Template<'_>, c: &Cursor<'_>) -> Option<CompletionItem> {
    let before = c.before.strip_suffix('{')?;
    if before.ends_with(['{', '\\', '%']) || !t.is_prose(c.at - 1) {
        return None;
    }
    // Inside an unclosed `{{ … ` or `{% … ` on this line.
    let unclosed = |open: &str, close: &str| {
        before
            .rfind(open)
            .is_some_and(|o| !before[o..].contains(close))
    };
    if unclosed("{{", "}}") || unclosed("{%", "%}") {
        return None;
    }
    // An editor's automatic `}` is replaced too.
    let over = usize::from(c.after.starts_with('}'));
    let rest = &c.after[over..];
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let mut item = c.item(
        "{Hi|Hello}",
        CompletionItemKind::SNIPPET,
        "spintax group: the sender picks one option at random".into(),
        1,
        over,
        "{${1:Hi}|${2:Hello}}$0",
        "{Hi|Hello}",
        "0",
    );
    item.filter_text = Some("{".into());
    Some(item)
}
