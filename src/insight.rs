//! Facts about a template for people: message statistics, example renderings, placeholder details.
//! Used by hover, inlay hints, document symbols and previews; pure, like the rest of the core.

use crate::model::length::{measure, render, LengthRange};
use crate::model::opening::Opening;
use crate::model::{Message, Placeholder};
use crate::rules::Context;

#[derive(Debug, Clone)]
pub struct MessageStats {
    pub length: LengthRange,
    pub limit: Option<usize>,
    pub subject_length: Option<LengthRange>,
    pub subject_limit: Option<usize>,
    pub words: usize,
    pub placeholders: Vec<String>,
    pub greeting: bool,
    pub reason: bool,
    pub common_ground: bool,
    /// The message rendered with example values.
    pub example: String,
    pub subject_example: Option<String>,
}

/// The value shown for a placeholder in examples: its catalog example, else its fallback.
pub fn example_value(cx: &Context<'_>, p: &Placeholder) -> String {
    match cx.def(&p.name) {
        Some(d) if !d.example.is_empty() => d.example.clone(),
        _ => p
            .fallback()
            .map(str::to_string)
            .unwrap_or_else(|| format!("{{{{{}}}}}", p.name)),
    }
}

pub fn message_stats(cx: &Context<'_>, m: &Message) -> MessageStats {
    let t = cx.template;
    let s = cx.signals(m);
    let (limit, subject_limit) = cx.limits(m);
    let mut names: Vec<String> = Vec::new();
    for p in t.placeholders_of(m) {
        if !names.contains(&p.name) {
            names.push(p.name.clone());
        }
    }
    MessageStats {
        length: measure(t, m.content.clone(), |p| cx.bounds(p)),
        limit,
        subject_length: m.subject.clone().map(|sp| measure(t, sp, |p| cx.bounds(p))),
        subject_limit,
        words: s.words,
        placeholders: names,
        greeting: matches!(
            s.opening(),
            Opening::Named { .. } | Opening::Hardcoded { .. }
        ),
        reason: s.has_reason(),
        common_ground: s.has_common_ground(),
        example: render(t, m.content.clone(), |p| example_value(cx, p)),
        subject_example: m
            .subject
            .clone()
            .map(|sp| render(t, sp, |p| example_value(cx, p))),
    }
}

/// `212/300` or `180–420/300`: the compact form used in inlay hints.
pub fn length_label(stats: &MessageStats) -> String {
    match stats.limit {
        Some(l) => format!("{}/{}", stats.length.describe(), l),
        None => format!("{} chars", stats.length.describe()),
    }
}

/// The text a placeholder becomes for contact `row` (0-based): the cell, else the fallback, else empty.
/// Placeholders that are not columns keep their fallback, or — for the sender's own details — the example.
pub fn contact_value(cx: &Context<'_>, p: &Placeholder, row: usize) -> String {
    let Some(contacts) = cx.contacts else {
        return example_value(cx, p);
    };
    match contacts.value(&p.name, row) {
        Some(v) if !v.is_empty() => v.to_string(),
        Some(_) => p.fallback().unwrap_or_default().to_string(),
        None => match (p.fallback(), cx.def(&p.name)) {
            (Some(f), _) => f.to_string(),
            (None, Some(d)) if d.category == crate::model::Category::Sender => d.example.clone(),
            _ => String::new(),
        },
    }
}

/// Rendered length of `span` for every contact, in LinkedIn characters.
pub fn contact_lengths(cx: &Context<'_>, span: std::ops::Range<usize>) -> Vec<usize> {
    let Some(contacts) = cx.contacts else {
        return Vec::new();
    };
    let t = cx.template;
    if t.choices.is_empty() && t.markup.is_empty() {
        // The common case, no tags: the literal text is measured once.
        let pieces = crate::model::length::pieces(t, span);
        let literal: usize = pieces
            .iter()
            .map(|p| match p {
                crate::model::length::Piece::Text(s) => {
                    crate::text::linkedin_length(s) - s.matches("\\{{").count()
                }
                crate::model::length::Piece::Placeholder(_) => 0,
            })
            .sum();
        return (0..contacts.rows)
            .map(|row| {
                literal
                    + pieces
                        .iter()
                        .map(|p| match p {
                            crate::model::length::Piece::Placeholder(ph) => {
                                crate::text::linkedin_length(&contact_value(cx, ph, row))
                            }
                            crate::model::length::Piece::Text(_) => 0,
                        })
                        .sum::<usize>()
            })
            .collect();
    }
    // Conditions pick their option from each contact's row, as the sender does.
    let nodes = crate::model::length::tree(t, span);
    (0..contacts.rows)
        .map(|row| {
            let text = crate::model::length::render_nodes_for_fields(
                t,
                &nodes,
                &mut |p| contact_value(cx, p, row),
                &|name| contacts.field(name, row).map(str::to_string),
            );
            crate::text::linkedin_length(&text)
        })
        .collect()
}

/// A message rendered for one contact.
pub fn render_for_contact(cx: &Context<'_>, span: std::ops::Range<usize>, row: usize) -> String {
    match cx.contacts {
        // Conditions pick their option from the contact's row.
        Some(contacts) => crate::model::length::render_for_fields(
            cx.template,
            span,
            |p| contact_value(cx, p, row),
            &|name| contacts.field(name, row).map(str::to_string),
        ),
        None => render(cx.template, span, |p| contact_value(cx, p, row)),
    }
}

/// How many distinct renderings message `m` has (its subject and body; saturating).
pub fn rendering_count(t: &crate::model::Template<'_>, m: &Message) -> u64 {
    if t.choices.is_empty() {
        return 1;
    }
    crate::model::length::rendering_count(&crate::model::length::tree(t, m.sent_span()))
}

/// One option of a choice, for people.
#[derive(Debug, Clone)]
pub struct OptionStats {
    /// What the option renders, as written.
    pub span: std::ops::Range<usize>,
    /// The tag that starts it (`{% elsif x %}`); None for spintax options and the empty branch of a
    /// block without `else`.
    pub tag: Option<std::ops::Range<usize>>,
    /// The empty branch of a block without `else`.
    pub implicit: bool,
    pub length: LengthRange,
    /// Distinct renderings of the option itself (its nested choices).
    pub renderings: u64,
}

/// A choice's options with their rendered lengths.
#[derive(Debug, Clone)]
pub struct ChoiceStats {
    pub kind: crate::model::ChoiceKind,
    pub options: Vec<OptionStats>,
    pub length: LengthRange,
    pub renderings: u64,
}

/// The options of choice `index` of the template, each measured over its own renderings.
pub fn choice_stats(cx: &Context<'_>, index: usize) -> Option<ChoiceStats> {
    use crate::model::length::{measure_nodes, rendering_count, tree, Node};
    let t = cx.template;
    let choice = t.choices.get(index)?;
    let nodes = tree(t, choice.span.clone());
    let Some(Node::Choice { branches, .. }) = nodes
        .iter()
        .find(|n| matches!(n, Node::Choice { index: i, .. } if *i == index))
    else {
        return None;
    };
    let bounds = |p: &Placeholder| cx.bounds(p);
    let options = choice
        .branches
        .iter()
        .zip(branches)
        .enumerate()
        .map(|(i, (b, nodes))| OptionStats {
            span: b.span.clone(),
            tag: crate::model::tag::branch_tag(t, choice, i),
            implicit: b.implicit,
            length: measure_nodes(nodes, &bounds),
            renderings: rendering_count(nodes),
        })
        .collect();
    Some(ChoiceStats {
        kind: choice.kind,
        options,
        length: measure_nodes(&nodes, &bounds),
        renderings: rendering_count(&nodes),
    })
}
