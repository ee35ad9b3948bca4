//! Hover: the findings under the cursor (the first with its rule's summary and a link to the full page,
//! the others one line each), a placeholder, a front matter key, a message's statistics.

use super::*;

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
    let t = a.template();
    let cx = Context::new(&t, &a.config, a.inputs());
    // (span, text): the narrowest thing under the cursor comes first.
    let mut sections: Vec<(Span<usize>, String)> = Vec::new();
    // Findings here, narrowest first: the first one with its rule's summary, fix and a link to the
    // full page; the others one line each (several full rule documents make a wall of text).
    let mut here: Vec<(&crate::finding::Finding, Option<String>)> = a
        .result
        .findings
        .iter()
        .filter(|f| contains(&f.span, at))
        .map(|f| (f, None))
        .collect();
    here.extend(
        a.result
            .suppressed
            .iter()
            .filter(|(f, _)| contains(&f.span, at))
            .map(|(f, i)| {
                let reason = a.result.suppressions[*i]
                    .reason
                    .as_deref()
                    .map_or_else(|| "no reason given".into(), md_text);
                (f, Some(reason))
            }),
    );
    here.sort_by_key(|(f, suppressed)| {
        (
            suppressed.is_some(),
            f.span.len(),
            std::cmp::Reverse(f.severity),
        )
    });
    let mut seen_rules: Vec<&str> = Vec::new();
    here.retain(|(f, _)| {
        let new = !seen_rules.contains(&f.rule.as_str());
        seen_rules.push(f.rule.as_str());
        new && crate::rules::find(f.rule.as_str()).is_some()
    });
    let has_findings = !here.is_empty();
    if let Some(((first, suppressed), rest)) = here.split_first() {
        // Editors that show the diagnostics in the hover already show each message once.
        let repeat = !session.hover_shows_diagnostics;
        let mut text = crate::rules::find(first.rule.as_str())
            .map(|r| rule_hover(r, first, suppressed.as_deref(), repeat))
            .unwrap_or_default();
        if !rest.is_empty() && repeat {
            text.push_str("\n\nAlso here:");
            for (f, suppressed) in rest {
                let note = if suppressed.is_some() {
                    " (suppressed)"
                } else {
                    ""
                };
                text.push_str(&format!(
                    "\n- **{}** ({}{note}): {}",
                    f.rule,
                    f.severity.as_str(),
                    f.message
                ));
            }
        } else if !rest.is_empty() {
            let ids: Vec<String> = rest
                .iter()
                .map(|(f, _)| format!("**{}**", f.rule))
                .collect();
            text.push_str(&format!("\n\nAlso here: {}", ids.join(", ")));
        }
        sections.push((first.span.clone(), text));
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
                    .map_or_else(|| "none given (add one after `--`)".into(), md_text),
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
    } else if let Some((span, text)) = choice_hover(&cx, at) {
        sections.push((span, text));
    } else if let Some(m) = t.messages.iter().find(|m| {
        m.heading.as_ref().map_or_else(
            || m.first_line.as_ref().is_some_and(|l| contains(l, at)),
            |h| contains(&h.line, at),
        )
    }) {
        // Statistics sit after the findings of the same line; on a first line of text (no heading)
        // that already has findings they would bury them, so they are left to the heading.
        if has_findings && m.heading.is_none() {
            return finish(sections, &a, session.markdown_hover, enc);
        }
        let anchor = m.anchor.clone();
        sections.push((anchor.start..anchor.end + 1, message_hover(&cx, m)));
    }
    finish(sections, &a, session.markdown_hover, enc)
}

/// The hover of the sections found, the narrowest first.
fn finish(
    mut sections: Vec<(Span<usize>, String)>,
    a: &Analysis,
    markdown: bool,
    enc: Encoding,
) -> Option<Hover> {
    sections.sort_by_key(|(s, _)| s.len());
    let range = sections.first().map(|(s, _)| s.clone());
    let sections: Vec<String> = sections.into_iter().map(|(_, s)| s).collect();
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: markup(markdown, sections.join("\n\n---\n\n")),
        range: range.map(|r| range_of(&a.rope, r, enc)),
    })
}

/// A finding's hover: its message, what the rule finds (one paragraph), how to fix it, and a link to
/// the rule's full page.
fn rule_hover(
    doc: &crate::rules::Rule,
    f: &crate::finding::Finding,
    suppressed: Option<&str>,
    with_message: bool,
) -> String {
    let mut s = if with_message {
        format!("## {}\n\n{}\n\n", doc.id, f.message)
    } else {
        format!("## {}\n\n", doc.id)
    };
    if let Some(reason) = suppressed {
        s.push_str(&format!("**Suppressed here** — reason: {reason}\n\n"));
    }
    let quick = f
        .fixes
        .iter()
        .find(|x| x.preferred)
        .map(|x| format!(" Quick fix: {}.", x.title))
        .unwrap_or_default();
    s.push_str(&format!(
        "{}\n\n**Fix.** {}{quick}\n\n[{} — full documentation]({})",
        doc.what,
        doc.fix,
        doc.id,
        doc.url()
    ));
    s
}

fn placeholder_hover(cx: &Context<'_>, p: &crate::model::Placeholder) -> String {
    let fallback = match p.fallback() {
        Some(f) => format!("“{}”", md_text(f)),
        None => "none".into(),
    };
    let mut text = match cx.def(&p.name) {
        Some(d) => format!(
            "### `{{{{{}}}}}` — {}\n\n{}\n\n| | |\n|---|---|\n| example | {} |\n| typical / maximum length | {} / {} characters |\n| often empty | {} |\n| fallback here | {} |\n| declared in | {} |",
            d.name,
            d.category.as_str(),
            if d.description.is_empty() { "(no description)".into() } else { md_text(&d.description) },
            md_text(&d.example),
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
                let samples: Vec<String> = col
                    .samples(3)
                    .iter()
                    .map(|s| format!("“{}”", md_text(s)))
                    .collect();
                format!(
                    "\n\n**Contacts:** filled for {filled} of {} in {} (column “{}”); e.g. {}",
                    c.rows,
                    md_text(&c.file_name()),
                    md_text(&col.header),
                    if samples.is_empty() {
                        "no values".into()
                    } else {
                        samples.join(", ")
                    }
                )
            }
            None => format!(
                "\n\n**Contacts:** not a column of {}",
                md_text(&c.file_name())
            ),
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
            "\n\nSubject: {} characters (typical {}, {}) — “{}”",
            r.describe(),
            r.typical,
            s.subject_limit
                .map_or("no limit".into(), |l| format!("limit {l}")),
            md_text(ex)
        ),
        _ => String::new(),
    };
    let t = cx.template;
    let renderings = insight::rendering_count(t, m);
    let dialect = format!(
        "Dialect: `{}` ({}).{}",
        t.dialect.as_str(),
        t.dialect_source.describe(),
        if renderings > 1 {
            format!(
                " {} distinct renderings (spintax and conditions); the length covers them all.",
                count_words(renderings)
            )
        } else {
            String::new()
        }
    );
    format!(
        "### {} — `{}` via `{}`\n\nKind: {}.\n\n{dialect}\n\nLength: **{}** characters (typical {}), {}{}\n\nWords: {} · Placeholders: {}\n\nGreeting {} · Reason {} · Common ground {}\n\n**With example values:**\n\n{}",
        md_text(&m.label(cx.text())),
        m.kind.as_str(),
        m.channel.as_str(),
        m.kind_reason(cx.text()),
        s.length.describe(),
        s.length.typical,
        limit,
        subject,
        s.words,
        if s.placeholders.is_empty() { "none".to_string() } else { s.placeholders.join(", ") },
        mark(s.greeting),
        mark(s.reason),
        mark(s.common_ground),
        md_quote(&s.example),
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
        md_quote(&text)
    )
}

/// `12`, or `more than 18 quintillion` when the count saturated.
fn count_words(n: u64) -> String {
    if n == u64::MAX {
        "more than 18 quintillion".into()
    } else {
        n.to_string()
    }
}

/// The longest option text shown on hover and in the outline, in characters.
const OPTION_PREVIEW: usize = 40;

/// An option's text on one line, cut to `OPTION_PREVIEW` characters.
pub(super) fn shorten(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= OPTION_PREVIEW {
        return one_line;
    }
    let cut: String = one_line.chars().take(OPTION_PREVIEW - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A user's text on one line, as an inline code span when it can be one, else as escaped text.
fn md_code(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.contains('`') || s.is_empty() {
        md_text(&s)
    } else {
        format!("`{s}`")
    }
}

/// The choice under the cursor: a spintax group anywhere in it (the innermost), a block on one of its
/// tags. Lists its options with their lengths, and for blocks the tag that picks each branch.
fn choice_hover(cx: &Context<'_>, at: usize) -> Option<(Span<usize>, String)> {
    use crate::model::tag;
    use crate::model::ChoiceKind;
    let t = cx.template;
    // Choices are sorted by start, a nested one after its parent: the last that matches is innermost.
    let (index, span) = t
        .choices
        .iter()
        .enumerate()
        .take_while(|(_, c)| c.span.start <= at)
        .filter_map(|(i, c)| {
            if !contains(&c.span, at) {
                return None;
            }
            if c.kind == ChoiceKind::Spintax {
                return Some((i, c.span.clone()));
            }
            let mut tags = vec![tag::opening(t, c), tag::closing(t, c)];
            tags.extend((1..c.branches.len()).filter_map(|b| tag::branch_tag(t, c, b)));
            tags.into_iter()
                .find(|r| r.start <= at && at < r.end)
                .map(|r| (i, r))
        })
        .last()?;
    let stats = insight::choice_stats(cx, index)?;
    let text = t.text;
    let mut out = match stats.kind {
        ChoiceKind::Spintax => format!(
            "### Spintax group — {} options\n\nThe sender picks one at random for each recipient.",
            stats.options.len()
        ),
        kind => format!(
            "### `{}` block — {} branches\n\nThe first branch whose condition holds is sent.",
            kind.as_str(),
            stats.options.len()
        ),
    };
    out.push_str("\n\n");
    for (i, o) in stats.options.iter().enumerate() {
        let written = &text[o.span.clone()];
        let shown = if o.implicit {
            "nothing (no `else`)".to_string()
        } else if written.trim().is_empty() {
            "(empty)".to_string()
        } else {
            format!("“{}”", md_text(&shorten(written)))
        };
        let condition = match &o.tag {
            Some(r) => format!("{} → ", md_code(&tag::inside(text, r.clone(), t.dialect))),
            None if o.implicit => "otherwise → ".to_string(),
            None => format!("{}. ", i + 1),
        };
        let renderings = if o.renderings > 1 {
            format!(" ({} renderings)", count_words(o.renderings))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "- {condition}{shown} · {} characters{renderings}\n",
            o.length.describe()
        ));
    }
    out.push_str(&format!(
        "\nLength of the {}: {} characters over {} renderings.",
        if stats.kind == ChoiceKind::Spintax {
            "group"
        } else {
            "block"
        },
        stats.length.describe(),
        count_words(stats.renderings)
    ));
    Some((span, out))
}
