//! How long a message is once rendered: a range, because placeholder values vary in length.

use std::ops::Range;

use crate::model::{Choice, Placeholder, Template};
use crate::text::linkedin_length;

/// Rendered length in LinkedIn characters: shortest, typical (example values) and longest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LengthRange {
    pub min: usize,
    pub typical: usize,
    pub max: usize,
}

impl LengthRange {
    pub fn exact(n: usize) -> Self {
        LengthRange {
            min: n,
            typical: n,
            max: n,
        }
    }

    pub fn describe(&self) -> String {
        if self.min == self.max {
            format!("{}", self.min)
        } else {
            format!("{}–{}", self.min, self.max)
        }
    }
}

impl std::ops::AddAssign for LengthRange {
    fn add_assign(&mut self, o: Self) {
        // Saturating: a configured `max_length` near usize::MAX must still read as "too long",
        // not wrap around to a short message.
        self.min = self.min.saturating_add(o.min);
        self.typical = self.typical.saturating_add(o.typical);
        self.max = self.max.saturating_add(o.max);
    }
}

/// A piece of sent text: literal text or a placeholder.
pub enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a Placeholder),
}

/// Splits `span` into what is sent: comments and tags are dropped, `\{{` becomes `{{`, placeholders
/// stand alone. Every branch of a choice is included, one after another: read the choices with
/// [`tree`].
pub fn pieces<'a>(t: &'a Template<'_>, span: Range<usize>) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut at = span.start;
    let ci = t.comments.partition_point(|c| c.span.end <= span.start);
    let mi = t.markup.partition_point(|r| r.end <= span.start);
    let pi = t.placeholders.partition_point(|p| p.span.end <= span.start);
    // Comments and tags alike render to nothing: walk them as one sorted list of spans.
    let mut silent: Vec<Range<usize>> = Vec::new();
    if mi < t.markup.len() && t.markup[mi].start < span.end {
        silent.extend(
            t.comments[ci..]
                .iter()
                .take_while(|c| c.span.start < span.end)
                .map(|c| c.span.clone()),
        );
        silent.extend(
            t.markup[mi..]
                .iter()
                .take_while(|r| r.start < span.end)
                .cloned(),
        );
        silent.sort_by_key(|r| r.start);
    } else {
        silent.extend(
            t.comments[ci..]
                .iter()
                .take_while(|c| c.span.start < span.end)
                .map(|c| c.span.clone()),
        );
    }
    let mut silent = silent.into_iter().peekable();
    let mut placeholders = t.placeholders[pi..].iter().peekable();
    loop {
        let next_c = silent.peek().filter(|c| c.start < span.end);
        let next_p = placeholders.peek().filter(|p| p.span.start < span.end);
        let (start, end, ph) = match (next_c, next_p) {
            (None, None) => break,
            (Some(c), Some(p)) if c.start <= p.span.start => {
                let r = (c.start, c.end, None);
                silent.next();
                r
            }
            (Some(c), None) => {
                let r = (c.start, c.end, None);
                silent.next();
                r
            }
            (_, Some(p)) => {
                let r = (p.span.start, p.span.end, Some(*p));
                placeholders.next();
                r
            }
        };
        if start < at {
            continue;
        }
        if start > at {
            out.push(Piece::Text(&t.text[at..start]));
        }
        if let Some(p) = ph {
            out.push(Piece::Placeholder(p));
        }
        at = end.min(span.end).max(at);
    }
    if at < span.end {
        out.push(Piece::Text(&t.text[at..span.end]));
    }
    out
}

fn literal_length(s: &str) -> usize {
    let escaped = match memchr::memchr(b'\\', s.as_bytes()) {
        Some(_) => s.matches("\\{{").count(),
        None => 0,
    };
    linkedin_length(s) - escaped
}

/// A message as the sender renders it: text, placeholders, and choices between branches (tags and
/// comments render to nothing and are left out).
#[derive(Debug)]
pub enum Node<'a> {
    Text(&'a str),
    Placeholder(&'a Placeholder),
    Choice {
        /// Index into `Template::choices`.
        index: usize,
        /// One sequence per branch, in the choice's order.
        branches: Vec<Vec<Node<'a>>>,
    },
}

/// The rendering tree of `span`. A choice that does not lie wholly inside `span` (a block across a
/// message heading) is not a choice here: its branches read as plain text.
pub fn tree<'a>(t: &'a Template<'_>, span: Range<usize>) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    sequence(t, span, &mut out, 0);
    out
}

fn sequence<'a>(t: &'a Template<'_>, span: Range<usize>, out: &mut Vec<Node<'a>>, depth: usize) {
    let mut at = span.start;
    let mut ci = t.comments.partition_point(|c| c.span.end <= span.start);
    let mut mi = t.markup.partition_point(|r| r.end <= span.start);
    let mut pi = t.placeholders.partition_point(|p| p.span.end <= span.start);
    let mut hi = t.choices.partition_point(|c| c.span.start < span.start);
    loop {
        while t.comments.get(ci).is_some_and(|c| c.span.start < at) {
            ci += 1;
        }
        while t.markup.get(mi).is_some_and(|r| r.start < at) {
            mi += 1;
        }
        while t.placeholders.get(pi).is_some_and(|p| p.span.start < at) {
            pi += 1;
        }
        while t
            .choices
            .get(hi)
            .is_some_and(|c| c.span.start < at || c.span.end > span.end)
            && t.choices.get(hi).is_some_and(|c| c.span.start < span.end)
        {
            hi += 1;
        }
        let within = |start: usize| start < span.end;
        // (start, end, what): 0 choice, 1 markup or comment, 2 placeholder. A choice starts where its
        // opening tag does, and wins that tie.
        let mut next: Option<(usize, usize, u8)> = None;
        let mut offer = |start: usize, end: usize, what: u8| {
            if within(start) && next.is_none_or(|(s, _, w)| (start, what) < (s, w)) {
                next = Some((start, end, what));
            }
        };
        if let Some(c) = t.choices.get(hi).filter(|_| depth < 64) {
            offer(c.span.start, c.span.end, 0);
        }
        if let Some(r) = t.markup.get(mi) {
            offer(r.start, r.end, 1);
        }
        if let Some(c) = t.comments.get(ci) {
            offer(c.span.start, c.span.end, 1);
        }
        if let Some(p) = t.placeholders.get(pi) {
            offer(p.span.start, p.span.end, 2);
        }
        let Some((start, end, what)) = next else {
            break;
        };
        if start > at {
            out.push(Node::Text(&t.text[at..start]));
        }
        match what {
            0 => {
                let choice = &t.choices[hi];
                let branches = choice
                    .branches
                    .iter()
                    .map(|b| {
                        let mut seq = Vec::new();
                        sequence(t, b.span.clone(), &mut seq, depth + 1);
                        seq
                    })
                    .collect();
                out.push(Node::Choice {
                    index: hi,
                    branches,
                });
            }
            2 => out.push(Node::Placeholder(&t.placeholders[pi])),
            _ => {}
        }
        at = end.min(span.end).max(at);
    }
    if at < span.end {
        out.push(Node::Text(&t.text[at..span.end]));
    }
}

/// The length range over every rendering of `nodes`, without enumerating them: a sequence adds,
/// a choice takes the least of its branches' minimums and the greatest of their maximums (its
/// typical length is its first branch's).
pub fn measure_nodes(
    nodes: &[Node<'_>],
    bounds: &dyn Fn(&Placeholder) -> LengthRange,
) -> LengthRange {
    let mut total = LengthRange::default();
    for node in nodes {
        total += match node {
            Node::Text(s) => LengthRange::exact(literal_length(s)),
            Node::Placeholder(p) => bounds(p),
            Node::Choice { branches, .. } => {
                let each: Vec<LengthRange> =
                    branches.iter().map(|b| measure_nodes(b, bounds)).collect();
                LengthRange {
                    min: each.iter().map(|r| r.min).min().unwrap_or(0),
                    typical: each.first().map_or(0, |r| r.typical),
                    max: each.iter().map(|r| r.max).max().unwrap_or(0),
                }
            }
        };
    }
    total
}

/// The branches that make the longest rendering: (choice index, branch index), outer choices first,
/// only for the choices that rendering passes through.
pub fn longest_picks(
    nodes: &[Node<'_>],
    bounds: &dyn Fn(&Placeholder) -> LengthRange,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for node in nodes {
        if let Node::Choice { index, branches } = node {
            let best = branches
                .iter()
                .enumerate()
                .max_by_key(|(i, b)| (measure_nodes(b, bounds).max, std::cmp::Reverse(*i)))
                .map_or(0, |(i, _)| i);
            out.push((*index, best));
            if let Some(b) = branches.get(best) {
                out.extend(longest_picks(b, bounds));
            }
        }
    }
    out
}

/// How many distinct choices of branches `nodes` has (saturating).
pub fn rendering_count(nodes: &[Node<'_>]) -> u64 {
    nodes.iter().fold(1u64, |n, node| match node {
        Node::Choice { branches, .. } => n.saturating_mul(
            branches
                .iter()
                .map(|b| rendering_count(b))
                .fold(0u64, u64::saturating_add),
        ),
        _ => n,
    })
}

/// How many renderings `nodes` has when `decided` fixes the branch of the choices it can (a
/// contact's data deciding conditions) and the others vary (saturating).
pub fn count_where(
    nodes: &[Node<'_>],
    t: &Template<'_>,
    decided: &dyn Fn(&Choice) -> Option<usize>,
) -> u64 {
    nodes.iter().fold(1u64, |n, node| match node {
        Node::Choice { index, branches } => n.saturating_mul(
            match decided(&t.choices[*index]).and_then(|i| branches.get(i)) {
                Some(b) => count_where(b, t, decided),
                None => branches
                    .iter()
                    .map(|b| count_where(b, t, decided))
                    .fold(0u64, u64::saturating_add),
            },
        ),
        _ => n,
    })
}

/// The rendering number `n` (0-based) of `nodes`, in the order of [`every_rendering`] (the last
/// choice varies fastest), without enumerating the ones before it; `decided` as for
/// [`count_where`]. None when `n` is out of range.
pub fn nth_rendering(
    nodes: &[Node<'_>],
    t: &Template<'_>,
    value: &mut dyn FnMut(&Placeholder) -> String,
    decided: &dyn Fn(&Choice) -> Option<usize>,
    n: u64,
) -> Option<String> {
    if n >= count_where(nodes, t, decided) {
        return None;
    }
    // Mixed radix: each node's own index, last node first.
    let mut digits = vec![0u64; nodes.len()];
    let mut rest = n;
    for (i, node) in nodes.iter().enumerate().rev() {
        if let Node::Choice { .. } = node {
            let c = count_where(std::slice::from_ref(node), t, decided).max(1);
            digits[i] = rest % c;
            rest /= c;
        }
    }
    let mut out = String::new();
    for (node, digit) in nodes.iter().zip(digits) {
        match node {
            Node::Text(s) => out.push_str(&s.replace("\\{{", "{{")),
            Node::Placeholder(p) => out.push_str(&value(p)),
            Node::Choice { index, branches } => {
                let mut d = digit;
                let forced = decided(&t.choices[*index]).filter(|&i| i < branches.len());
                for (i, b) in branches.iter().enumerate() {
                    if forced.is_some_and(|f| f != i) {
                        continue;
                    }
                    let c = count_where(b, t, decided);
                    if d < c {
                        out.push_str(&nth_rendering(b, t, value, decided, d)?);
                        break;
                    }
                    d -= c;
                }
            }
        }
    }
    Some(out)
}

/// Renders `nodes`, `pick` choosing the branch of each choice it meets.
pub fn render_nodes(
    nodes: &[Node<'_>],
    value: &mut dyn FnMut(&Placeholder) -> String,
    pick: &mut dyn FnMut(&Choice, usize) -> usize,
    t: &Template<'_>,
    out: &mut String,
) {
    for node in nodes {
        match node {
            Node::Text(s) => out.push_str(&s.replace("\\{{", "{{")),
            Node::Placeholder(p) => out.push_str(&value(p)),
            Node::Choice { index, branches } => {
                let i =
                    pick(&t.choices[*index], branches.len()).min(branches.len().saturating_sub(1));
                if let Some(b) = branches.get(i) {
                    render_nodes(b, value, pick, t, out);
                }
            }
        }
    }
}

/// Every rendering of `nodes` (at most `limit`), in branch order.
pub fn every_rendering(
    nodes: &[Node<'_>],
    value: &mut dyn FnMut(&Placeholder) -> String,
    limit: usize,
) -> Vec<String> {
    let mut acc = vec![String::new()];
    for node in nodes {
        match node {
            Node::Text(s) => acc
                .iter_mut()
                .for_each(|a| a.push_str(&s.replace("\\{{", "{{"))),
            Node::Placeholder(p) => {
                let v = value(p);
                acc.iter_mut().for_each(|a| a.push_str(&v));
            }
            Node::Choice { branches, .. } => {
                let tails: Vec<String> = branches
                    .iter()
                    .flat_map(|b| every_rendering(b, value, limit))
                    .collect();
                let mut next = Vec::new();
                'outer: for a in &acc {
                    for tail in &tails {
                        if next.len() >= limit {
                            break 'outer;
                        }
                        next.push(format!("{a}{tail}"));
                    }
                }
                acc = next;
            }
        }
    }
    acc
}

/// Measures the rendered length of `span` over every rendering, with `bounds` giving each
/// placeholder's length range.
pub fn measure(
    t: &Template<'_>,
    span: Range<usize>,
    bounds: impl Fn(&Placeholder) -> LengthRange,
) -> LengthRange {
    if t.choices.is_empty() && t.markup.is_empty() {
        // The common case: no tags, so no tree to build.
        let mut total = LengthRange::default();
        for piece in pieces(t, span) {
            match piece {
                Piece::Text(s) => total += LengthRange::exact(literal_length(s)),
                Piece::Placeholder(p) => total += bounds(p),
            }
        }
        return total;
    }
    measure_nodes(&tree(t, span), &bounds)
}

/// The length of `span`'s literal text and its placeholders, for measuring it again with other
/// placeholder bounds (`measure` is the literal length plus each placeholder's bounds); None when
/// the template has tags or choices, which `measure` reads through the tree.
pub fn literal_and_placeholders(
    t: &Template<'_>,
    span: Range<usize>,
) -> Option<(usize, Vec<Placeholder>)> {
    if !(t.choices.is_empty() && t.markup.is_empty()) {
        return None;
    }
    let mut literal = 0usize;
    let mut placeholders = Vec::new();
    for piece in pieces(t, span) {
        match piece {
            Piece::Text(s) => literal = literal.saturating_add(literal_length(s)),
            Piece::Placeholder(p) => placeholders.push(p.clone()),
        }
    }
    Some((literal, placeholders))
}

/// Renders `span` with `value` giving each placeholder's text. Of each choice the first branch is
/// rendered (the first spintax option; the `if` branch, as for a contact with every field filled).
pub fn render(
    t: &Template<'_>,
    span: Range<usize>,
    mut value: impl FnMut(&Placeholder) -> String,
) -> String {
    let mut out = String::new();
    if t.choices.is_empty() && t.markup.is_empty() {
        for piece in pieces(t, span) {
            match piece {
                Piece::Text(s) => out.push_str(&s.replace("\\{{", "{{")),
                Piece::Placeholder(p) => out.push_str(&value(p)),
            }
        }
        return out;
    }
    render_nodes(&tree(t, span), &mut value, &mut |_, _| 0, t, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_with_placeholders_and_comments() {
        let t = Template::parse("Hi {{first_name}}! <!-- note --> \\{{x}}");
        let m = &t.messages[0];
        let r = measure(&t, m.content.clone(), |_| LengthRange {
            min: 1,
            typical: 5,
            max: 20,
        });
        // "Hi " + name + "! " + " " + "{{x}}"
        assert_eq!(r.min, 3 + 1 + 2 + 1 + 5);
        assert_eq!(r.max, 3 + 20 + 2 + 1 + 5);
        let s = render(&t, m.content.clone(), |p| p.name.to_uppercase());
        assert_eq!(s, "Hi FIRST_NAME!  {{x}}");
    }

    #[test]
    fn tags_render_to_nothing_and_choices_take_one_branch() {
        let t = Template::parse(
            "{Hi|Hello there} {{first_name}}{% if event %}, see you at {{event}}{% endif %}!",
        );
        let m = &t.messages[0];
        let flat: usize = pieces(&t, m.content.clone())
            .iter()
            .map(|p| match p {
                Piece::Text(s) => s.len(),
                Piece::Placeholder(_) => 0,
            })
            .sum();
        // "Hi" + "Hello there" + " " + ", see you at " + "!": no tag text.
        assert_eq!(flat, 2 + 11 + 1 + 13 + 1);
        let one = |_: &Placeholder| LengthRange::exact(3);
        let r = measure(&t, m.content.clone(), one);
        assert_eq!((r.min, r.max), (2 + 1 + 3 + 1, 11 + 1 + 3 + 13 + 3 + 1));
        assert_eq!(
            render(&t, m.content.clone(), |_| "X".into()),
            "Hi X, see you at X!"
        );
    }
}
