//! What holds in every rendering of a message, read from its rendering tree (`length::tree`) instead
//! of enumerating renderings (10 spintax groups of 5 options are ten million of them).
//!
//! The algebra: a signal found at some spans is present in a sequence when one of its parts has it,
//! and in a choice when every option has it; an empty option (or the missing `else` of an `if`) has
//! nothing. A span that is not wholly inside one option of a choice (it straddles a boundary) counts
//! at the lowest level that holds it whole. Rules read the result through `Signals`, so no rule
//! handles branches itself; problems (a pitch, shouting) are found where they are written and need
//! none of this.

use std::ops::Range;

use crate::model::length::{tree, Node};
use crate::model::opening::{self, Line, Opening};
use crate::model::{Message, Placeholder, Template};

/// Whether `span` of `t` holds any choice (the common case, a message without one, skips the tree).
pub(crate) fn has_choices(t: &Template<'_>, span: &Range<usize>) -> bool {
    let i = t.choices.partition_point(|c| c.span.end <= span.start);
    t.choices
        .get(i)
        .is_some_and(|c| c.span.start < span.end && c.span.end > span.start)
}

/// Whether the signal found at `ranges` is in every rendering of `span`, whose rendering tree
/// `nodes` gives (asked for only when `span` has a choice).
pub(crate) fn in_every_rendering<'t>(
    t: &Template<'_>,
    span: Range<usize>,
    ranges: &[Range<usize>],
    nodes: impl FnOnce() -> &'t [Node<'t>],
) -> bool {
    let mut ranges: Vec<Range<usize>> = ranges
        .iter()
        .filter(|r| !r.is_empty() && span.start <= r.start && r.end <= span.end)
        .cloned()
        .collect();
    if ranges.is_empty() {
        return false;
    }
    if !has_choices(t, &span) {
        return true;
    }
    ranges.sort_by_key(|r| (r.start, r.end));
    present(t, nodes(), &span, &ranges)
}

/// The algebra over one sequence of nodes covering `span`; `ranges` sorted by start.
fn present(
    t: &Template<'_>,
    nodes: &[Node<'_>],
    span: &Range<usize>,
    ranges: &[Range<usize>],
) -> bool {
    let lo = ranges.partition_point(|r| r.start < span.start);
    let hi = ranges.partition_point(|r| r.start < span.end);
    let here: Vec<&Range<usize>> = ranges[lo..hi]
        .iter()
        .filter(|r| r.end <= span.end)
        .collect();
    if here.is_empty() {
        return false;
    }
    let choices: Vec<(usize, &Vec<Vec<Node<'_>>>)> = nodes
        .iter()
        .filter_map(|n| match n {
            Node::Choice { index, branches } => Some((*index, branches)),
            _ => None,
        })
        .collect();
    // A span outside every option of the choices here (in this sequence's own text, or across
    // an option's edge) is present in every rendering of this sequence.
    let inside_an_option = |r: &Range<usize>| {
        choices.iter().any(|(i, _)| {
            t.choices[*i]
                .branches
                .iter()
                .any(|b| b.span.start <= r.start && r.end <= b.span.end)
        })
    };
    if here.iter().any(|r| !inside_an_option(r)) {
        return true;
    }
    choices.iter().any(|(i, branches)| {
        let choice = &t.choices[*i];
        !branches.is_empty()
            && branches
                .iter()
                .zip(&choice.branches)
                .all(|(nodes, b)| present(t, nodes, &b.span, ranges))
    })
}

/// One way the first line of a message can render: its text and prose view (tags left out), its
/// placeholders, where each piece came from, and the options taken to get it.
#[derive(Debug, Clone, Default)]
struct LineRendering {
    text: String,
    prose: String,
    placeholders: Vec<Placeholder>,
    /// (offset in `text`, source span) of each piece, in order.
    pieces: Vec<(usize, Range<usize>)>,
    /// (choice index, option index).
    picks: Vec<(usize, usize)>,
    /// Where the line's first visible character is, once there is one.
    visible: Option<usize>,
    done: bool,
}

impl LineRendering {
    fn push(&mut self, t: &Template<'_>, span: Range<usize>) {
        if span.is_empty() {
            return;
        }
        let at = self.text.len();
        self.pieces.push((at, span.clone()));
        self.text.push_str(&t.text[span.clone()]);
        self.prose.push_str(&t.prose[span.clone()]);
        if self.visible.is_none() {
            self.visible = t.prose[span]
                .find(|c: char| !c.is_whitespace())
                .map(|p| at + p);
        }
        // The opening is decided within its first clause (`opening::read` reads the name up to the
        // first sentence end, at most 80 characters past the greeting): nothing after it is needed.
        if let Some(v) = self.visible {
            let from = at.max(v);
            if self.text.len() > v + OPENING_WINDOW || ends_sentence(&self.prose, from) {
                self.done = true;
            }
        }
    }

    fn push_placeholder(&mut self, t: &Template<'_>, p: &Placeholder) {
        let shift =
            |r: &Range<usize>, by: usize| r.start - p.span.start + by..r.end - p.span.start + by;
        let at = self.text.len();
        let mut moved = p.clone();
        moved.span = shift(&p.span, at);
        moved.name_span = shift(&p.name_span, at);
        for f in &mut moved.filters {
            f.span = shift(&f.span, at);
            if let Some(a) = f.argument_span.as_mut() {
                *a = shift(a, at);
            }
        }
        self.placeholders.push(moved);
        self.push(t, p.span.clone());
    }

    /// The source span of `r` in `text`: its ends mapped through the pieces they fall in.
    fn source(&self, r: &Range<usize>) -> Range<usize> {
        let start_piece = self
            .pieces
            .iter()
            .rfind(|(at, _)| *at <= r.start)
            .or(self.pieces.first());
        let end_piece = self
            .pieces
            .iter()
            .rfind(|(at, _)| *at < r.end)
            .or(self.pieces.first());
        match (start_piece, end_piece) {
            (Some((a, sa)), Some((b, sb))) => {
                let start = (sa.start + r.start.saturating_sub(*a)).min(sa.end);
                let end = (sb.start + r.end.saturating_sub(*b)).min(sb.end).max(start);
                start..end
            }
            _ => 0..0,
        }
    }
}

/// Whether `prose[from..]` holds a sentence end: `.`, `!` or `?` before a space or the end, not
/// after a title such as "Dr".
fn ends_sentence(prose: &str, from: usize) -> bool {
    let bytes = prose.as_bytes();
    (from..bytes.len()).any(|i| {
        matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
            && !(bytes[i] == b'.' && {
                // (The character before the word may be several bytes long: "¡Dr.")
                let word_start = prose[..i]
                    .char_indices()
                    .rfind(|(_, c)| !c.is_ascii_alphabetic())
                    .map_or(0, |(p, c)| p + c.len_utf8());
                matches!(
                    prose[word_start..i].to_ascii_lowercase().as_str(),
                    "mr" | "mrs" | "ms" | "mx" | "dr" | "prof" | "st"
                )
            })
    })
}

/// Bytes after the first visible character that decide an opening: HTML tags, a greeting, and the
/// clause after it (`opening::read` looks 80 characters past the greeting for the name).
const OPENING_WINDOW: usize = 160;

/// The renderings of a message's first line read, at most this many (a greeting has a choice or
/// two; on a line of many groups, the later groups are read in their first option).
const MAX_LINES: usize = 64;

/// Where node text starts in the template (tree text is always a slice of it).
fn offset_of(t: &Template<'_>, s: &str) -> usize {
    (s.as_ptr() as usize).saturating_sub(t.text.as_ptr() as usize)
}

fn first_lines(
    t: &Template<'_>,
    nodes: &[Node<'_>],
    mut lines: Vec<LineRendering>,
) -> Vec<LineRendering> {
    for node in nodes {
        if lines.iter().all(|l| l.done) {
            break;
        }
        match node {
            Node::Text(s) => {
                let at = offset_of(t, s);
                for l in lines.iter_mut().filter(|l| !l.done) {
                    // The line ends at the first line break after its first visible character.
                    let from = match l.visible {
                        Some(_) => Some(0),
                        None => t.prose[at..at + s.len()].find(|c: char| !c.is_whitespace()),
                    };
                    let cut = from.and_then(|f| s[f..].find('\n').map(|p| f + p));
                    match cut {
                        Some(c) => {
                            l.push(t, at..at + c);
                            l.done = true;
                        }
                        None => l.push(t, at..at + s.len()),
                    }
                }
            }
            Node::Placeholder(p) => {
                for l in lines.iter_mut().filter(|l| !l.done) {
                    l.push_placeholder(t, p);
                }
            }
            Node::Choice { index, branches } => {
                // Past the cap, later choices (further from the greeting) take their first
                // option, so the options of the earlier ones stay covered.
                let open = lines.iter().filter(|l| !l.done).count();
                let every_option = open.saturating_mul(branches.len()) <= MAX_LINES;
                let mut next = Vec::new();
                for l in lines {
                    if l.done {
                        next.push(l);
                        continue;
                    }
                    for (i, b) in branches.iter().enumerate() {
                        if i > 0 && !every_option {
                            break;
                        }
                        let mut taken = l.clone();
                        taken.picks.push((*index, i));
                        next.extend(first_lines(t, b, vec![taken]));
                    }
                }
                next.truncate(MAX_LINES);
                lines = next;
            }
        }
    }
    lines
}

/// How `m` opens, over every rendering of its first line: `Missing` when some rendering has no
/// greeting, else the first rendering's opening; and (None when the first line has no choice) each
/// impersonal or hard-coded opening some rendering has, at its own option's text. An impersonal greeting in an option rendered only when
/// the name is empty (`{% else %}Hello,`) is what the sender should write there, so it is left out.
pub(crate) fn openings(
    t: &Template<'_>,
    m: &Message,
    is_name_placeholder: &dyn Fn(&str) -> bool,
) -> (Opening, Option<Vec<Opening>>) {
    let single = || {
        let o = opening::read(t, m, is_name_placeholder);
        (o, None)
    };
    let Some(first) = m.first_line.clone() else {
        return single();
    };
    // Only a choice that starts on the first line can change how the message opens.
    let touches_first_line = {
        let i = t.choices.partition_point(|c| c.span.end <= first.start);
        t.choices[i..]
            .iter()
            .take_while(|c| c.span.start < first.end)
            .any(|c| c.span.end > first.start)
    };
    if !touches_first_line {
        return single();
    }
    let nodes = tree(t, m.content.clone());
    let lines = first_lines(t, &nodes, vec![LineRendering::default()]);
    let mut missing = None;
    let mut first: Option<Opening> = None;
    let mut fitting: Option<Opening> = None;
    let mut problems: Vec<Opening> = Vec::new();
    for l in &lines {
        let Some(visible) = l.visible else {
            missing = Some(Opening::Missing);
            continue;
        };
        let line = Line {
            text: &l.text,
            prose: &l.prose,
            placeholders: &l.placeholders,
        };
        let o = match opening::read_line(&line, visible..l.text.len(), is_name_placeholder) {
            Opening::Missing => Opening::Missing,
            Opening::Named { greeting } => Opening::Named {
                greeting: l.source(&greeting),
            },
            Opening::Hardcoded { greeting, name } => Opening::Hardcoded {
                greeting: l.source(&greeting),
                name: l.source(&name),
            },
            Opening::Impersonal { span } => Opening::Impersonal {
                span: l.source(&span),
            },
        };
        let nameless = matches!(o, Opening::Impersonal { .. })
            && l.picks.iter().any(|(c, b)| {
                t.choices[*c]
                    .absent_in(*b)
                    .iter()
                    .any(|n| is_name_placeholder(n))
            });
        match &o {
            Opening::Missing => missing = Some(o.clone()),
            Opening::Hardcoded { .. } => problems.push(o.clone()),
            Opening::Impersonal { .. } if !nameless => problems.push(o.clone()),
            _ => {}
        }
        let exempt = nameless && matches!(o, Opening::Impersonal { .. });
        if fitting.is_none() && !exempt {
            fitting = Some(o.clone());
        }
        first.get_or_insert(o);
    }
    let Some(combined) = missing.or(fitting).or(first) else {
        return single();
    };
    problems.sort_by_key(|o| match o {
        Opening::Hardcoded { name, .. } => (name.start, name.end),
        Opening::Impersonal { span } => (span.start, span.end),
        _ => (0, 0),
    });
    problems.dedup();
    (combined, Some(problems))
}
