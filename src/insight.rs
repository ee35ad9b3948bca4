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
    match contacts.field(&p.name, row) {
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
    if !cx.template.choices.is_empty() {
        // Each contact's longest rendering: the branches its data decides, the longest of the rest.
        let nodes = crate::model::length::tree(cx.template, span);
        return (0..contacts.rows)
            .map(|row| longest_for(cx, &nodes, row))
            .collect();
    }
    let pieces = crate::model::length::pieces(cx.template, span);
    let literal: usize = pieces
        .iter()
        .map(|p| match p {
            crate::model::length::Piece::Text(s) => {
                crate::text::linkedin_length(s) - s.matches("\\{{").count()
            }
            crate::model::length::Piece::Placeholder(_) => 0,
        })
        .sum();
    (0..contacts.rows)
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
        .collect()
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

fn longest_for(cx: &Context<'_>, nodes: &[crate::model::length::Node<'_>], row: usize) -> usize {
    use crate::model::length::Node;
    nodes
        .iter()
        .map(|node| match node {
            Node::Text(s) => crate::text::linkedin_length(s) - s.matches("\\{{").count(),
            Node::Placeholder(p) => crate::text::linkedin_length(&contact_value(cx, p, row)),
            Node::Choice { index, branches } => {
                match decided_by(cx, Some(row), &cx.template.choices[*index])
                    .and_then(|i| branches.get(i))
                {
                    Some(b) => longest_for(cx, b, row),
                    None => branches
                        .iter()
                        .map(|b| longest_for(cx, b, row))
                        .max()
                        .unwrap_or(0),
                }
            }
        })
        .sum()
}

/// A message rendered for one contact: conditions follow the contact's data, spintax takes its
/// first option.
pub fn render_for_contact(cx: &Context<'_>, span: std::ops::Range<usize>, row: usize) -> String {
    render_variant(cx, span, Some(row), 0).unwrap_or_default()
}

/// The branch a contact's data decides for `c`, when it can be evaluated (never for spintax).
fn decided_by(cx: &Context<'_>, row: Option<usize>, c: &crate::model::Choice) -> Option<usize> {
    let contacts = cx.contacts?;
    let row = row?;
    c.pick(&|name: &str| contacts.field(name, row).map(str::to_string))
}

/// How many renderings `span` has: every choice varies with example values (`row` None); for a
/// contact, the conditions its data decides are fixed and only the rest (spintax) varies.
pub fn variant_count(cx: &Context<'_>, span: std::ops::Range<usize>, row: Option<usize>) -> u64 {
    let t = cx.template;
    if t.choices.is_empty() {
        return 1;
    }
    let nodes = crate::model::length::tree(t, span);
    crate::model::length::count_where(&nodes, t, &|c| decided_by(cx, row, c))
}

/// Rendering number `n` (0-based, in the order `preview --variant` counts) of `span`, with example
/// values (`row` None) or a contact's; None when out of range.
pub fn render_variant(
    cx: &Context<'_>,
    span: std::ops::Range<usize>,
    row: Option<usize>,
    n: u64,
) -> Option<String> {
    let t = cx.template;
    let mut value = |p: &Placeholder| match row {
        Some(r) => contact_value(cx, p, r),
        None => example_value(cx, p),
    };
    if t.choices.is_empty() && t.markup.is_empty() {
        return (n == 0).then(|| render(t, span, value));
    }
    let nodes = crate::model::length::tree(t, span);
    crate::model::length::nth_rendering(&nodes, t, &mut value, &|c| decided_by(cx, row, c), n)
}
