//! The parts of a template where the sender picks one of several texts: a spintax group (`{a|b}`,
//! `{{random|a|b}}`), an if/elsif/else chain, an unless, a case. Each is a [`Choice`] with exact byte
//! spans for its options; the tag syntax around them is [`Scan::markup`], which renders to nothing.
//! The scan is per dialect (see `dialect.rs`) and error-tolerant: unbalanced or unknown tags become
//! syntax errors, and the rest of the file is still read.

use std::ops::Range;

use super::dialect::Dialect;
use super::placeholder::{Filter, Placeholder, SyntaxError};

/// Tags kept per file at most; a file with more is not a template anyone sends.
const MAX_ITEMS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceKind {
    /// `{a|b}` or `{{random|a|b}}`: the sender picks one option at random.
    Spintax,
    /// `{% if %}…{% elsif %}…{% else %}…{% endif %}`, `{{#if}}`, `*|IF:|*`.
    If,
    /// `{% unless x %}…{% endunless %}`, `{{#unless}}`, `*|IFNOT:|*`.
    Unless,
    /// `{% case x %}{% when 'a' %}…{% endcase %}`.
    Case,
}

impl ChoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChoiceKind::Spintax => "spintax group",
            ChoiceKind::If => "if",
            ChoiceKind::Unless => "unless",
            ChoiceKind::Case => "case",
        }
    }
}

/// What a block tag does, read from its name. The one table of block tag names per dialect: the
/// scan below and the editor's tag reading (`tag.rs`) both look names up here, so a new tag is
/// taught once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockTag {
    /// Opens a block of this kind (`if`, `#unless`, `IFNOT:`).
    Open(ChoiceKind),
    /// Ends a branch and starts one with a condition (`elsif`, HubL's `elif`, `ELSEIF:`).
    ElseIf,
    /// Ends a `case` branch and starts the one for a value (`when`).
    When,
    /// Ends a branch and starts the last one (`else`; also Handlebars' `{{else if x}}`, whose
    /// condition the scan reads).
    Else,
    /// Closes the innermost block (`endif`, `/if`, `END:IF`).
    Close,
}

/// The block tags of the `{% %}` dialects (Liquid, HubL), by name.
const PERCENT_BLOCK_TAGS: &[(&str, BlockTag)] = &[
    ("if", BlockTag::Open(ChoiceKind::If)),
    ("elsif", BlockTag::ElseIf),
    ("else", BlockTag::Else),
    ("endif", BlockTag::Close),
    ("unless", BlockTag::Open(ChoiceKind::Unless)),
    ("endunless", BlockTag::Close),
    ("case", BlockTag::Open(ChoiceKind::Case)),
    ("when", BlockTag::When),
    ("endcase", BlockTag::Close),
    // HubL's spelling, read in both; kept out of typo hints (HUBL_ONLY).
    ("elif", BlockTag::ElseIf),
];

/// Names in `PERCENT_BLOCK_TAGS` that a Liquid typo is not pointed to.
const HUBL_ONLY: &[&str] = &["elif"];

/// Handlebars' block tags, by name (with the `#`); any `/name` closes a block.
const HANDLEBARS_BLOCK_TAGS: &[(&str, BlockTag)] = &[
    ("#if", BlockTag::Open(ChoiceKind::If)),
    ("#unless", BlockTag::Open(ChoiceKind::Unless)),
    ("else", BlockTag::Else),
];

/// Mailchimp's conditional merge tags, by name (any case); the field follows the `:` of `IF:`,
/// `IFNOT:` and `ELSEIF:`.
const MERGE_BLOCK_TAGS: &[(&str, BlockTag)] = &[
    ("IF:", BlockTag::Open(ChoiceKind::If)),
    ("IFNOT:", BlockTag::Open(ChoiceKind::Unless)),
    ("ELSEIF:", BlockTag::ElseIf),
    ("ELSE:", BlockTag::Else),
    ("ELSE", BlockTag::Else),
    ("END:IF", BlockTag::Close),
];

/// A tag's name as written, from the text inside its delimiters: the first word (`if`, `#if`,
/// `/if`, `else`), or in Mailchimp the text up to and with the first `:` (`IF:`, `ELSE:`), or the
/// whole tag (`END:IF`, `ELSE`).
pub fn tag_name(dialect: Dialect, inner: &str) -> &str {
    let s = inner.trim();
    if dialect == Dialect::Mailchimp {
        return match s.find(':') {
            Some(c) if !s[..c].eq_ignore_ascii_case("END") => &s[..=c],
            _ => s,
        };
    }
    split_word(s).0
}

/// What the tag named `name` (see [`tag_name`]) does in a block of `dialect`; None for a tag
/// outside the block structure, a comment, or a placeholder.
pub fn block_tag(dialect: Dialect, name: &str) -> Option<BlockTag> {
    let table = match dialect {
        Dialect::Handlebars if name.starts_with('/') => return Some(BlockTag::Close),
        Dialect::Handlebars => HANDLEBARS_BLOCK_TAGS,
        Dialect::Mailchimp => MERGE_BLOCK_TAGS,
        _ => PERCENT_BLOCK_TAGS,
    };
    table
        .iter()
        .find(|(n, _)| {
            n.eq_ignore_ascii_case(name) && (dialect == Dialect::Mailchimp || *n == name)
        })
        .map(|(_, tag)| *tag)
}

/// A condition of a tag, as far as it can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// `x`: the field has a value.
    Var(String),
    /// `x == blank` / `x == empty`: the field has no value.
    Blank(String),
    /// `x == "a"`.
    Eq(String, String),
    /// `x contains "a"`.
    Contains(String, String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Const(bool),
    /// Something this reader does not evaluate (comparisons of numbers, two fields…).
    Unknown,
}

/// The fields `fields` finds in `a` and in `b` (`a and b`, `a or b`): all of them when one side's are
/// enough (`union`), else only those both sides have.
fn combine<'e>(
    a: &'e Expr,
    b: &'e Expr,
    union: bool,
    holds: bool,
    fields: fn(&'e Expr, bool) -> Vec<&'e str>,
) -> Vec<&'e str> {
    let (x, y) = (fields(a, holds), fields(b, holds));
    if union {
        let mut out = x;
        out.extend(y);
        out
    } else {
        x.into_iter().filter(|n| y.contains(n)).collect()
    }
}

impl Expr {
    /// The fields that have a value whenever the expression is `holds`.
    pub fn present_when(&self, holds: bool) -> Vec<&str> {
        let both = |a, b, union, holds| combine(a, b, union, holds, Expr::present_when);
        match self {
            Expr::Var(x) | Expr::Contains(x, _) if holds => vec![x.as_str()],
            Expr::Eq(x, v) if holds && !v.is_empty() => vec![x.as_str()],
            Expr::Blank(x) if !holds => vec![x.as_str()],
            Expr::Not(e) => e.present_when(!holds),
            // `a and b` holding: both hold; failing: one of them fails.
            Expr::And(a, b) => both(a, b, holds, holds),
            Expr::Or(a, b) => both(a, b, !holds, holds),
            _ => Vec::new(),
        }
    }

    /// The fields that are empty whenever the expression is `holds` (the mirror of
    /// [`Expr::present_when`]).
    pub fn absent_when(&self, holds: bool) -> Vec<&str> {
        let both = |a, b, union, holds| combine(a, b, union, holds, Expr::absent_when);
        match self {
            Expr::Var(x) if !holds => vec![x.as_str()],
            Expr::Blank(x) if holds => vec![x.as_str()],
            Expr::Not(e) => e.absent_when(!holds),
            // `a and b` holding: both hold; failing: one of them fails.
            Expr::And(a, b) => both(a, b, holds, holds),
            Expr::Or(a, b) => both(a, b, !holds, holds),
            _ => Vec::new(),
        }
    }

    /// Evaluates against a contact's fields; a field is present when it has a non-empty value (how
    /// senders treat an empty column). `None` when the expression cannot be evaluated.
    pub fn eval(&self, field: &dyn Fn(&str) -> Option<String>) -> Option<bool> {
        let value = |x: &str| field(x).filter(|v| !v.is_empty());
        Some(match self {
            Expr::Var(x) => value(x).is_some(),
            Expr::Blank(x) => value(x).is_none(),
            Expr::Eq(x, v) => value(x).unwrap_or_default() == *v,
            Expr::Contains(x, v) => value(x).is_some_and(|s| s.contains(v.as_str())),
            Expr::Not(e) => !e.eval(field)?,
            Expr::And(a, b) => a.eval(field)? && b.eval(field)?,
            Expr::Or(a, b) => a.eval(field)? || b.eval(field)?,
            Expr::Const(b) => *b,
            Expr::Unknown => return None,
        })
    }
}

/// One option of a choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// What this option renders (may be empty).
    pub span: Range<usize>,
    /// The option's own condition (`elsif x`), None for `else`, spintax and implicit options.
    pub condition: Option<Expr>,
    /// The empty option of an `if` without `else`, placed at the closing tag.
    pub implicit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub kind: ChoiceKind,
    /// From the opening tag (or `{`) to the end of the closing one.
    pub span: Range<usize>,
    pub branches: Vec<Branch>,
}

impl Choice {
    /// A spintax group over `span` with these options (no conditions: the sender picks one).
    fn spintax(span: Range<usize>, options: Vec<Range<usize>>) -> Choice {
        Choice {
            kind: ChoiceKind::Spintax,
            span,
            branches: options
                .into_iter()
                .map(|span| Branch {
                    span,
                    condition: None,
                    implicit: false,
                })
                .collect(),
        }
    }

    /// The fields that have a value whenever branch `i` is rendered (its condition holds and the
    /// conditions before it failed).
    pub fn present_in(&self, i: usize) -> Vec<&str> {
        let mut out = Vec::new();
        for (j, b) in self.branches.iter().enumerate().take(i + 1) {
            if let Some(c) = &b.condition {
                out.extend(c.present_when(j == i));
            }
        }
        out
    }

    /// The fields that are empty whenever branch `i` is rendered (`{% else %}` of `{% if x %}`: x).
    pub fn absent_in(&self, i: usize) -> Vec<&str> {
        let mut out = Vec::new();
        for (j, b) in self.branches.iter().enumerate().take(i + 1) {
            if let Some(c) = &b.condition {
                out.extend(c.absent_when(j == i));
            }
        }
        out
    }

    /// The branch rendered for a contact: the first whose condition holds, else the `else` (or the
    /// implicit empty one). None for spintax and conditions this reader cannot evaluate.
    pub fn pick(&self, field: &dyn Fn(&str) -> Option<String>) -> Option<usize> {
        if self.kind == ChoiceKind::Spintax {
            return None;
        }
        for (i, b) in self.branches.iter().enumerate() {
            match &b.condition {
                Some(c) => {
                    if c.eval(field)? {
                        return Some(i);
                    }
                }
                None => return Some(i),
            }
        }
        None
    }
}

/// What the dialect scan found.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Sorted by start; nested choices follow the choice that holds them.
    pub choices: Vec<Choice>,
    /// Tag syntax that renders to nothing, sorted and disjoint.
    pub markup: Vec<Range<usize>>,
    /// Placeholders in the dialect's own syntax (`*|FNAME|*`, `{{insert …}}`, `{{fallback|…}}`).
    pub placeholders: Vec<Placeholder>,
    /// Spans the `{{ }}` scanner must leave alone (those placeholders).
    pub claimed: Vec<Range<usize>>,
    pub errors: Vec<SyntaxError>,
}

/// An open block while scanning.
struct Open {
    kind: ChoiceKind,
    /// The opening tag, and its name as written (for messages).
    tag: Range<usize>,
    name: &'static str,
    branches: Vec<Branch>,
    /// Start of the current branch's text and its condition; None before the first `when`.
    current: Option<(usize, Option<Expr>)>,
    seen_else: bool,
    /// The field a `case` compares.
    subject: String,
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    dialect: Dialect,
    skip: &'a [Range<usize>],
    out: Scan,
    stack: Vec<Open>,
    /// Searches asked from increasing points, remembered (see [`Next`]).
    line: Next,
    close: Next,
    bar: Next,
    right_brace: Next,
    percent_close: Next,
    merge_close: Next,
}

/// Spintax groups are looked for this far at most (no real group is longer).
const SPINTAX_WINDOW: usize = 4096;

/// The next occurrence of a needle at or after a point, remembered: the scan asks from increasing
/// points, so a line of a million `{{` or `{` is searched about once, not once per brace.
#[derive(Default)]
struct Next {
    from: usize,
    to: usize,
    found: Option<usize>,
    valid: bool,
}

impl Next {
    fn find(&mut self, bytes: &[u8], needle: &[u8], from: usize, to: usize) -> Option<usize> {
        if self.valid && from >= self.from {
            match self.found {
                Some(f) if f >= from => return (f + needle.len() <= to).then_some(f),
                None if to <= self.to => return None,
                _ => {}
            }
        }
        let found = find(bytes, needle, from, to.max(from));
        *self = Next {
            from,
            to,
            found,
            valid: true,
        };
        found
    }
}

/// Scans `text` for the dialect's tags, spintax and special placeholders, leaving out the `skip`
/// ranges (code, comments, front matter; sorted and disjoint).
pub fn scan(text: &str, skip: &[Range<usize>], dialect: Dialect) -> Scan {
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        dialect,
        skip,
        out: Scan::default(),
        stack: Vec::new(),
        line: Next::default(),
        close: Next::default(),
        bar: Next::default(),
        right_brace: Next::default(),
        percent_close: Next::default(),
        merge_close: Next::default(),
    };
    s.run();
    let Scan {
        mut choices,
        mut markup,
        mut placeholders,
        mut claimed,
        mut errors,
    } = s.out;
    choices.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end)));
    markup.sort_by_key(|r| r.start);
    // Broken syntax can be read two ways at once (a `{%` inside a spintax option's `{{…}}`): keep
    // the tags disjoint.
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(markup.len());
    for r in markup {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ if r.is_empty() => {}
            _ => merged.push(r),
        }
    }
    let markup = merged;
    placeholders.sort_by_key(|p| p.span.start);
    claimed.sort_by_key(|r| r.start);
    errors.sort_by_key(|e| e.span.start);
    Scan {
        choices,
        markup,
        placeholders,
        claimed,
        errors,
    }
}

fn error(span: Range<usize>, message: String) -> SyntaxError {
    SyntaxError {
        span,
        message,
        repair: None,
    }
}

impl Scanner<'_> {
    fn full(&self) -> bool {
        self.out.markup.len() + self.out.errors.len() + self.out.placeholders.len() > MAX_ITEMS
    }

    fn run(&mut self) {
        let bytes = self.bytes;
        let mut skip_at = 0;
        let mut i = 0;
        let triggers: &[u8] = match self.dialect {
            Dialect::Mailchimp => b"*",
            _ => b"{",
        };
        while i < bytes.len() && !self.full() {
            while skip_at < self.skip.len() && self.skip[skip_at].end <= i {
                skip_at += 1;
            }
            if let Some(r) = self.skip.get(skip_at) {
                if r.start <= i {
                    i = r.end;
                    continue;
                }
            }
            let limit = self.skip.get(skip_at).map_or(bytes.len(), |r| r.start);
            let Some(p) = memchr::memchr(triggers[0], &bytes[i..limit]) else {
                i = limit;
                continue;
            };
            i += p;
            i = match self.dialect {
                Dialect::Mailchimp => self.mailchimp(i, limit),
                _ => self.brace(i, limit),
            };
        }
        // Blocks still open at the end of the file.
        while let Some(open) = self.stack.pop() {
            let closer = self.closer_for(open.name);
            self.out.errors.push(error(
                open.tag.clone(),
                format!(
                    "`{}` has no closing `{closer}`",
                    self.text[open.tag.clone()].trim()
                ),
            ));
        }
    }

    fn closer_for(&self, name: &str) -> String {
        match self.dialect {
            Dialect::Handlebars => format!("{{{{/{name}}}}}"),
            Dialect::Mailchimp => "*|END:IF|*".to_string(),
            _ => format!("{{% end{name} %}}"),
        }
    }

    /// At a `{`: a tag, a Handlebars block, a special placeholder, or spintax. Returns where to go on.
    fn brace(&mut self, i: usize, limit: usize) -> usize {
        let bytes = self.bytes;
        let next = bytes.get(i + 1).copied();
        if i > 0 && bytes[i - 1] == b'\\' {
            // `\{` and `\{{` are literal braces.
            return i + 1 + usize::from(next == Some(b'{'));
        }
        let line_end = self.line.find(bytes, b"\n", i, limit).unwrap_or(limit);
        match next {
            Some(b'%') if self.dialect.has_percent_tags() => self.percent_tag(i, limit),
            Some(b'{') => {
                let close = self.close.find(bytes, b"}}", i + 2, line_end);
                let Some(close) = close else { return i + 2 };
                let inner_start = skip_ws(bytes, i + 2, close);
                let inner = &self.text[inner_start..close];
                if self.dialect == Dialect::Handlebars {
                    if let Some(end) = self.handlebars(i, inner_start, close) {
                        return end;
                    }
                }
                if self.dialect.has_spintax() {
                    let word: String = inner
                        .bytes()
                        .take_while(u8::is_ascii_alphabetic)
                        .map(|b| b.to_ascii_lowercase() as char)
                        .collect();
                    let after = skip_ws(bytes, inner_start + word.len(), close);
                    if word == "random" && bytes.get(after) == Some(&b'|') {
                        return self.random(i, after, line_end);
                    }
                    if word == "fallback" && bytes.get(after) == Some(&b'|') {
                        if let Some(end) = self.fallback(i, after, line_end) {
                            return end;
                        }
                    }
                }
                // A plain `{{ … }}`: the placeholder scanner reads it.
                if bytes.get(i + 2) == Some(&b'{') {
                    close + 2
                } else {
                    i + 2
                }
            }
            _ if self.dialect.has_spintax() => {
                if i > 0 && bytes[i - 1] == b'{' {
                    return i + 1;
                }
                // Only a `{` with a `|` and a `}` after it on the line can open a group (checked
                // first, so a line of lone braces costs linear time).
                let window = line_end.min(i + SPINTAX_WINDOW);
                let has_bar = self.bar.find(bytes, b"|", i + 1, window).is_some();
                if !has_bar || self.right_brace.find(bytes, b"}", i + 1, window).is_none() {
                    if has_bar {
                        self.out.errors.push(error(
                            i..i + 1,
                            "unclosed spintax group: `{` has no matching `}` on this line".into(),
                        ));
                    }
                    return i + 1;
                }
                // Go on inside the group: its options hold tags, placeholders and nested groups.
                match self.spintax(i, window, 0, true) {
                    Some(_) => i + 1,
                    None => {
                        if has_bar {
                            self.out.errors.push(error(
                                i..i + 1,
                                "unclosed spintax group: `{` has no matching `}` on this line"
                                    .into(),
                            ));
                        }
                        i + 1
                    }
                }
            }
            _ => i + 1,
        }
    }

    /// `{a|b|{c|d}}` from `open`; returns the end after `}`, or None when unclosed on the line. With
    /// `record`, the group (not its nested groups, found when the scan reaches them) is recorded.
    fn spintax(
        &mut self,
        open: usize,
        line_end: usize,
        depth: usize,
        record: bool,
    ) -> Option<usize> {
        let bytes = self.bytes;
        if depth > 20 {
            return None;
        }
        let mut branches = Vec::new();
        let mut separators = Vec::new();
        let mut start = open + 1;
        let mut i = open + 1;
        while i < line_end {
            match bytes[i] {
                b'\\' => i += 2,
                b'{' if bytes.get(i + 1) == Some(&b'{') => {
                    // A placeholder inside an option.
                    i = find(bytes, b"}}", i + 2, line_end).map_or(line_end, |c| c + 2);
                }
                b'{' if bytes.get(i + 1) == Some(&b'%') => {
                    i = find(bytes, b"%}", i + 2, line_end).map_or(line_end, |c| c + 2);
                }
                b'{' => i = self.spintax(i, line_end, depth + 1, false)?,
                b'|' => {
                    branches.push(start..i);
                    separators.push(i..i + 1);
                    i += 1;
                    start = i;
                }
                b'}' => {
                    if separators.is_empty() || !record {
                        // `{first_name}`: braces, not a choice (literal-placeholder reads it).
                        return Some(i + 1);
                    }
                    branches.push(start..i);
                    // `{RANDOM|a|b}`: some senders write the keyword inside single braces too.
                    if branches.len() > 2
                        && self.text[branches[0].clone()].eq_ignore_ascii_case("random")
                    {
                        let keyword = branches.remove(0);
                        self.out.markup.push(keyword);
                    }
                    self.out.markup.push(open..open + 1);
                    self.out.markup.extend(separators);
                    self.out.markup.push(i..i + 1);
                    self.out
                        .choices
                        .push(Choice::spintax(open..i + 1, branches));
                    return Some(i + 1);
                }
                _ => i += 1,
            }
        }
        None
    }

    /// `{{random|a|b}}` / `{{RANDOM | a | b}}`; `bar` is the first `|`.
    fn random(&mut self, open: usize, bar: usize, line_end: usize) -> usize {
        let bytes = self.bytes;
        let mut bars = vec![bar];
        let mut i = bar + 1;
        let close = loop {
            if i >= line_end {
                break None;
            }
            if bytes[i..].starts_with(b"{{") {
                match find(bytes, b"}}", i + 2, line_end) {
                    Some(c) => i = c + 2,
                    None => break None,
                }
            } else if bytes[i..].starts_with(b"}}") {
                break Some(i);
            } else {
                if bytes[i] == b'|' {
                    bars.push(i);
                }
                i += 1;
            }
        };
        let Some(close) = close else {
            self.out.errors.push(error(
                open..bar + 1,
                "unclosed `{{random|…`: no `}}` on this line".into(),
            ));
            return bar + 1;
        };
        // Spaces inside options are kept, as the senders document (`| hello |` sends " hello ").
        let mut branches = Vec::new();
        self.out.markup.push(open..bar + 1);
        for (k, &b) in bars.iter().enumerate() {
            let end = bars.get(k + 1).copied().unwrap_or(close);
            branches.push(b + 1..end);
            if k > 0 {
                self.out.markup.push(b..b + 1);
            }
        }
        self.out.markup.push(close..close + 2);
        self.out
            .choices
            .push(Choice::spintax(open..close + 2, branches));
        close + 2
    }

    /// `{{fallback|{{first_name}}|there}}`: one placeholder with a fallback.
    fn fallback(&mut self, open: usize, bar: usize, line_end: usize) -> Option<usize> {
        let bytes = self.bytes;
        let inner_open = skip_ws(bytes, bar + 1, line_end);
        if !bytes[inner_open..].starts_with(b"{{") {
            return None;
        }
        let inner_close = find(bytes, b"}}", inner_open + 2, line_end)?;
        let bar2 = skip_ws(bytes, inner_close + 2, line_end);
        if bytes.get(bar2) != Some(&b'|') {
            return None;
        }
        let close = find(bytes, b"}}", bar2 + 1, line_end)?;
        let (ns, ne) = trim(self.text, inner_open + 2..inner_close);
        let (fs, fe) = trim(self.text, bar2 + 1..close);
        let span = open..close + 2;
        self.out.placeholders.push(Placeholder {
            span: span.clone(),
            name: self.text[ns..ne].to_string(),
            name_span: ns..ne,
            filters: vec![Filter {
                name: "default".into(),
                span: bar2..close,
                argument: Some(self.text[fs..fe].to_string()),
                argument_span: Some(fs..fe),
            }],
        });
        self.out.claimed.push(span);
        Some(close + 2)
    }

    /// Handlebars `{{#if x}}`, `{{else}}`, `{{/if}}`, `{{insert …}}`, `{{! … }}`. None for a plain
    /// `{{name}}`.
    fn handlebars(&mut self, open: usize, inner: usize, close: usize) -> Option<usize> {
        let bytes = self.bytes;
        let tag = open..close + 2;
        let body = self.text[inner..close].trim_end();
        match bytes[inner] {
            b'!' => {
                // `{{!-- … --}}` may hold `}}`: it ends at `--}}`.
                let end = if body.starts_with("!--") {
                    memchr::memmem::find(&bytes[inner..], b"--}}")
                        .map_or(close + 2, |p| inner + p + 4)
                } else {
                    close + 2
                };
                self.out.markup.push(open..end);
                Some(end)
            }
            // (A tag starting with white space is a placeholder, `{{ name }}`.)
            b'#' | b'/' | b'e' => {
                let (name, rest) = split_word(body);
                match block_tag(Dialect::Handlebars, name) {
                    Some(BlockTag::Open(kind)) => {
                        let cond = Expr::Var(rest.trim().to_string());
                        self.open_block(kind, tag.clone(), kind.as_str(), Some(cond));
                    }
                    Some(BlockTag::Close) => self.close_block(tag.clone(), body[1..].trim()),
                    Some(_) => self.handlebars_else(&tag, body),
                    None if name.starts_with('#') => {
                        let helper = &name[1..];
                        self.out.errors.push(error(
                            tag.clone(),
                            format!("unknown block helper `{{{{#{helper}}}}}`: only `#if` and `#unless` are read"),
                        ));
                        self.out.markup.push(tag.clone());
                    }
                    None => return None,
                }
                Some(tag.end)
            }
            b'i' if body.starts_with("insert ") => {
                // `{{insert first_name "default=there"}}`
                let rest = &body[7..];
                let lead = rest.len() - rest.trim_start().len();
                let ns = inner + 7 + lead;
                let ne = ns + self.text[ns..close].find([' ', '\t']).unwrap_or(close - ns);
                let mut filters = Vec::new();
                let tail = &self.text[ne..close];
                if let Some(q) = tail.find("\"default=") {
                    let a_start = ne + q;
                    let v_start = a_start + 9;
                    if let Some(end) = self.text[v_start..close].find('"') {
                        filters.push(Filter {
                            name: "default".into(),
                            span: a_start..v_start + end + 1,
                            argument: Some(self.text[v_start..v_start + end].to_string()),
                            argument_span: Some(a_start..v_start + end + 1),
                        });
                    }
                }
                self.out.placeholders.push(Placeholder {
                    span: tag.clone(),
                    name: self.text[ns..ne].to_string(),
                    name_span: ns..ne,
                    filters,
                });
                self.out.claimed.push(tag.clone());
                Some(tag.end)
            }
            _ => None,
        }
    }

    /// `{{else}}` or `{{else if x}}`.
    fn handlebars_else(&mut self, tag: &Range<usize>, body: &str) {
        let rest = body[4..].trim();
        let cond = rest
            .strip_prefix("if ")
            .map(|x| Expr::Var(x.trim().to_string()));
        if !rest.is_empty() && cond.is_none() {
            self.out.errors.push(error(
                tag.clone(),
                format!(
                    "`{{{{{body}}}}}` is not understood: use `{{{{else}}}}` or `{{{{else if x}}}}`"
                ),
            ));
        }
        self.branch(tag.clone(), cond, rest.is_empty());
    }

    /// `{% … %}` at `open`.
    fn percent_tag(&mut self, open: usize, limit: usize) -> usize {
        let bytes = self.bytes;
        let search_end = limit.min(open + 2000);
        let Some(close) = self.percent_close.find(bytes, b"%}", open + 2, search_end) else {
            self.out.errors.push(error(
                open..open + 2,
                "unclosed tag: `{%` has no `%}`".into(),
            ));
            return open + 2;
        };
        let tag = open..close + 2;
        let mut inner = &self.text[open + 2..close];
        inner = inner.strip_prefix('-').unwrap_or(inner);
        inner = inner.strip_suffix('-').unwrap_or(inner);
        let (name, rest) = split_word(inner.trim());
        let rest = rest.trim();
        // One table serves the `{% %}` dialects (Liquid, HubL).
        match block_tag(Dialect::Liquid, name) {
            Some(BlockTag::Open(ChoiceKind::Case)) => {
                self.open_block(ChoiceKind::Case, tag.clone(), "case", None);
                if let Some(top) = self.stack.last_mut().filter(|t| t.tag == tag) {
                    // No branch before the first `{% when %}`.
                    top.current = None;
                    top.subject = rest.to_string();
                }
            }
            Some(BlockTag::Open(kind)) => {
                self.open_block(kind, tag.clone(), kind.as_str(), Some(condition(rest)))
            }
            Some(BlockTag::When) => match self.stack.last().map(|t| (t.kind, t.subject.clone())) {
                Some((ChoiceKind::Case, subject)) => {
                    let mut cond: Option<Expr> = None;
                    for v in split_values(rest) {
                        let e = Expr::Eq(subject.clone(), v);
                        cond = Some(match cond {
                            None => e,
                            Some(c) => Expr::Or(Box::new(c), Box::new(e)),
                        });
                    }
                    self.branch(tag.clone(), Some(cond.unwrap_or(Expr::Unknown)), false);
                }
                _ => {
                    self.out.errors.push(error(
                        tag.clone(),
                        "`{% when %}` outside a `{% case %}`".into(),
                    ));
                    self.out.markup.push(tag.clone());
                }
            },
            Some(BlockTag::ElseIf) => {
                // Liquid spells it `elsif`, HubL `elif`; each engine stops at the other's word. The
                // branch is still read as meant, so the rest of the file is linted as it would render
                // once the word is fixed.
                let own = if self.dialect == Dialect::Hubspot {
                    "elif"
                } else {
                    "elsif"
                };
                if name != own {
                    let at = name.as_ptr() as usize - self.text.as_ptr() as usize;
                    self.out.errors.push(SyntaxError {
                        span: tag.clone(),
                        message: format!(
                            "`{{% {name} %}}` is {} syntax, but this file is read as {}, which writes `{{% {own} %}}`",
                            if name == "elif" { "HubSpot (HubL)" } else { "Liquid" },
                            self.dialect.display_name()
                        ),
                        repair: Some(super::placeholder::Repair {
                            title: format!("Write `{own}`"),
                            edits: vec![crate::finding::Edit {
                                span: at..at + name.len(),
                                replacement: own.to_string(),
                            }],
                        }),
                    });
                }
                self.branch(tag.clone(), Some(condition(rest)), false)
            }
            Some(BlockTag::Else) => self.branch(tag.clone(), None, true),
            Some(BlockTag::Close) => self.close_block(tag.clone(), &name[3..]),
            None => return self.other_percent_tag(open, close, tag.clone(), name),
        }
        tag.end
    }

    /// A `{% … %}` tag outside the block structure: a comment (its end returned), `assign`,
    /// `capture`, `raw`, or an unknown tag (an error with the nearest block tag's name).
    fn other_percent_tag(
        &mut self,
        open: usize,
        close: usize,
        tag: Range<usize>,
        name: &str,
    ) -> usize {
        let bytes = self.bytes;
        match name {
            "comment" => {
                // Everything up to `{% endcomment %}` is dropped.
                let end = memchr::memmem::find(&bytes[close..], b"endcomment")
                    .and_then(|p| find(bytes, b"%}", close + p, bytes.len()))
                    .map_or(close + 2, |c| c + 2);
                self.out.markup.push(open..end);
                return end;
            }
            "assign" | "capture" | "endcapture" | "raw" | "endraw" => {
                self.out.markup.push(tag.clone());
            }
            _ => {
                let known = PERCENT_BLOCK_TAGS
                    .iter()
                    .map(|(n, _)| *n)
                    .filter(|n| !HUBL_ONLY.contains(n));
                let hint = super::closest(name, known)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                self.out.errors.push(error(
                    tag.clone(),
                    format!("unknown tag `{{% {name} %}}`{hint}"),
                ));
                self.out.markup.push(tag.clone());
            }
        }
        tag.end
    }

    /// `*|…|*` at `at` (Mailchimp).
    fn mailchimp(&mut self, at: usize, limit: usize) -> usize {
        let bytes = self.bytes;
        if bytes.get(at + 1) != Some(&b'|') {
            return at + 1;
        }
        let line_end = self.line.find(bytes, b"\n", at, limit).unwrap_or(limit);
        let Some(close) = self.merge_close.find(bytes, b"|*", at + 2, line_end) else {
            self.out.errors.push(error(
                at..at + 2,
                "unclosed merge tag: `*|` has no `|*` on this line".into(),
            ));
            return at + 2;
        };
        let tag = at..close + 2;
        let inner = &self.text[at + 2..close];
        let field = |s: &str| -> Expr {
            if let Some((f, v)) = s.split_once("!=") {
                return Expr::Not(Box::new(Expr::Eq(
                    f.trim().to_string(),
                    v.trim().to_string(),
                )));
            }
            match s.split_once('=') {
                Some((f, v)) => Expr::Eq(f.trim().to_string(), v.trim().to_string()),
                None => Expr::Var(s.trim().to_string()),
            }
        };
        let name = tag_name(Dialect::Mailchimp, inner);
        // What follows the name: the field of `IF:`, `IFNOT:` and `ELSEIF:`.
        let argument = &inner.trim()[name.len()..];
        match block_tag(Dialect::Mailchimp, name) {
            // Every Mailchimp block is closed by `END:IF`.
            Some(BlockTag::Open(kind)) => {
                self.open_block(kind, tag.clone(), "if", Some(field(argument)))
            }
            Some(BlockTag::ElseIf | BlockTag::When) => {
                self.branch(tag.clone(), Some(field(argument)), false)
            }
            Some(BlockTag::Else) => self.branch(tag.clone(), None, true),
            Some(BlockTag::Close) => self.close_block(tag.clone(), "if"),
            None => self.merge_tag(at, close, tag.clone()),
        }
        tag.end
    }

    /// `*|NAME|*`: a placeholder, or an error when it is not a merge tag's name.
    fn merge_tag(&mut self, at: usize, close: usize, tag: Range<usize>) {
        let (ns, ne) = trim(self.text, at + 2..close);
        if ns == ne
            || !self.text[ns..ne]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
        {
            self.out.errors.push(error(
                tag.clone(),
                format!("`{}` is not a merge tag", &self.text[tag.clone()]),
            ));
        } else {
            self.out.placeholders.push(Placeholder {
                span: tag,
                name: self.text[ns..ne].to_string(),
                name_span: ns..ne,
                filters: Vec::new(),
            });
        }
    }

    fn open_block(
        &mut self,
        kind: ChoiceKind,
        tag: Range<usize>,
        name: &'static str,
        condition: Option<Expr>,
    ) {
        self.out.markup.push(tag.clone());
        if self.stack.len() > 64 {
            self.out
                .errors
                .push(error(tag, "blocks nested more than 64 deep".into()));
            return;
        }
        // An unless renders its first branch when the condition fails.
        let condition = match (kind, condition) {
            (ChoiceKind::Unless, Some(c)) => Some(Expr::Not(Box::new(c))),
            (_, c) => c,
        };
        self.stack.push(Open {
            kind,
            subject: String::new(),
            current: Some((tag.end, condition)),
            tag,
            name,
            branches: Vec::new(),
            seen_else: false,
        });
    }

    /// An `elsif`/`else`/`when` tag: ends the current branch and starts the next.
    fn branch(&mut self, tag: Range<usize>, condition: Option<Expr>, is_else: bool) {
        self.out.markup.push(tag.clone());
        let text = self.text;
        let Some(top) = self.stack.last_mut() else {
            self.out.errors.push(error(
                tag.clone(),
                format!("`{}` outside any block", text[tag].trim()),
            ));
            return;
        };
        if top.seen_else {
            self.out.errors.push(error(
                tag.clone(),
                format!("`{}` after the block's else", text[tag].trim()),
            ));
            return;
        }
        if top.kind == ChoiceKind::Unless && !is_else {
            self.out.errors.push(error(
                tag.clone(),
                format!("`{}` inside an unless block", text[tag.clone()].trim()),
            ));
        }
        match top.current.take() {
            Some((start, cond)) => top.branches.push(Branch {
                span: start..tag.start,
                condition: cond,
                implicit: false,
            }),
            // Text between `{% case %}` and the first `{% when %}` is not rendered.
            None => self.out.markup.push(top.tag.end..tag.start),
        }
        top.seen_else = is_else;
        top.current = Some((tag.end, condition));
    }

    fn close_block(&mut self, tag: Range<usize>, name: &str) {
        self.out.markup.push(tag.clone());
        let Some(mut top) = self.stack.pop() else {
            let opener = match self.dialect {
                Dialect::Handlebars => format!("{{{{#{name}}}}}"),
                Dialect::Mailchimp => "*|IF:…|*".to_string(),
                _ => format!("{{% {name} %}}"),
            };
            self.out.errors.push(error(
                tag.clone(),
                format!("`{}` without an opening `{opener}`", self.text[tag].trim()),
            ));
            return;
        };
        if top.name != name {
            self.out.errors.push(error(
                tag.clone(),
                format!(
                    "`{}` closes `{}`; expected `{}`",
                    self.text[tag.clone()].trim(),
                    self.text[top.tag.clone()].trim(),
                    self.closer_for(top.name)
                ),
            ));
        }
        match top.current.take() {
            Some((start, cond)) => top.branches.push(Branch {
                span: start..tag.start,
                condition: cond,
                implicit: false,
            }),
            None => self.out.markup.push(top.tag.end..tag.start),
        }
        if !top.seen_else {
            top.branches.push(Branch {
                span: tag.start..tag.start,
                condition: None,
                implicit: true,
            });
        }
        self.out.choices.push(Choice {
            kind: top.kind,
            span: top.tag.start..tag.end,
            branches: top.branches,
        });
    }
}

fn split_word(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| c.is_whitespace()).unwrap_or(s.len());
    (&s[..end], &s[end..])
}

fn trim(text: &str, r: Range<usize>) -> (usize, usize) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    (r.start + lead, r.start + lead + s.trim().len())
}

fn skip_ws(bytes: &[u8], mut j: usize, end: usize) -> usize {
    while j < end && (bytes[j] == b' ' || bytes[j] == b'\t') {
        j += 1;
    }
    j
}

fn find(bytes: &[u8], needle: &[u8], from: usize, to: usize) -> Option<usize> {
    if from >= to {
        return None;
    }
    memchr::memmem::find(&bytes[from..to], needle).map(|p| from + p)
}

/// `'a', "b" or c` → the values of a `when`.
fn split_values(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != "or")
        .map(|v| unquote(v).unwrap_or(v).to_string())
        .collect()
}

fn unquote(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    (b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0])
        .then(|| &s[1..s.len() - 1])
}

/// Reads a Liquid/HubL condition: comparisons joined by `and`/`or`, evaluated right to left as
/// Liquid does (`a or b and c` is `a or (b and c)`).
pub fn condition(s: &str) -> Expr {
    let tokens = tokenize(s);
    if tokens.is_empty() {
        return Expr::Unknown;
    }
    let mut parts: Vec<&[String]> = Vec::new();
    let mut ops: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t == "and" || t == "or" {
            parts.push(&tokens[start..i]);
            ops.push(t.as_str());
            start = i + 1;
        }
    }
    parts.push(&tokens[start..]);
    let mut expr = comparison(parts.pop().unwrap_or(&[]));
    while let (Some(p), Some(op)) = (parts.pop(), ops.pop()) {
        let left = comparison(p);
        expr = if op == "and" {
            Expr::And(Box::new(left), Box::new(expr))
        } else {
            Expr::Or(Box::new(left), Box::new(expr))
        };
    }
    expr
}

fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '\'' {
            chars.next();
            let mut end = s.len();
            for (j, d) in chars.by_ref() {
                if d == c {
                    end = j + 1;
                    break;
                }
            }
            out.push(s[i..end].to_string());
        } else if matches!(c, '=' | '!' | '<' | '>') {
            let mut end = i + 1;
            chars.next();
            if let Some(&(_, '=' | '>')) = chars.peek() {
                chars.next();
                end += 1;
            }
            out.push(s[i..end].to_string());
        } else {
            let mut end = s.len();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_whitespace() || matches!(d, '=' | '!' | '<' | '>' | '"' | '\'') {
                    end = j;
                    break;
                }
                chars.next();
            }
            out.push(s[i..end].to_string());
        }
    }
    out
}

fn comparison(tokens: &[String]) -> Expr {
    let operand = |t: &str| -> Result<String, Expr> {
        // Ok(field name) or Err(a constant's meaning as an expression).
        if let Some(v) = unquote(t) {
            return Err(Expr::Eq(String::new(), v.to_string()));
        }
        match t {
            "blank" | "empty" | "nil" | "null" => Err(Expr::Blank(String::new())),
            "true" => Err(Expr::Const(true)),
            "false" => Err(Expr::Const(false)),
            _ if t
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') =>
            {
                Err(Expr::Unknown)
            }
            _ => Ok(t.to_string()),
        }
    };
    match tokens {
        [] => Expr::Unknown,
        [not, rest @ ..] if not == "not" => Expr::Not(Box::new(comparison(rest))),
        [x] => match operand(x) {
            Ok(name) => Expr::Var(name),
            Err(Expr::Const(b)) => Expr::Const(b),
            Err(_) => Expr::Unknown,
        },
        [x, is, defined] if is == "is" && defined == "defined" => match operand(x) {
            Ok(name) => Expr::Var(name),
            Err(_) => Expr::Unknown,
        },
        [a, op, b] => {
            let (field, constant) = match (operand(a), operand(b)) {
                (Ok(f), Err(c)) | (Err(c), Ok(f)) => (f, c),
                _ => return Expr::Unknown,
            };
            let positive = match (op.as_str(), constant) {
                ("==" | "!=" | "<>", Expr::Blank(_)) => Expr::Blank(field),
                ("==" | "!=" | "<>", Expr::Eq(_, v)) => Expr::Eq(field, v),
                ("contains", Expr::Eq(_, v)) => Expr::Contains(field, v),
                _ => return Expr::Unknown,
            };
            if op == "==" || op == "contains" {
                positive
            } else {
                Expr::Not(Box::new(positive))
            }
        }
        _ => Expr::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_liquid(text: &str) -> Scan {
        scan(text, &[], Dialect::Liquid)
    }

    #[test]
    fn spintax_nested_and_empty() {
        let text = "{Hi|Hello|} {{first_name}}, {a|{b|c}}";
        let s = scan_liquid(text);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.choices.len(), 3);
        let outer = &s.choices[0];
        let opts: Vec<&str> = outer
            .branches
            .iter()
            .map(|b| &text[b.span.clone()])
            .collect();
        assert_eq!(opts, ["Hi", "Hello", ""]);
        let nested: Vec<&str> = s.choices[1]
            .branches
            .iter()
            .map(|b| &text[b.span.clone()])
            .collect();
        assert_eq!(nested, ["a", "{b|c}"]);
        assert_eq!(&text[s.choices[2].span.clone()], "{b|c}");
    }

    #[test]
    fn single_brace_random_keyword() {
        let text = "{RANDOM|world|friends}";
        let s = scan_liquid(text);
        let opts: Vec<&str> = s.choices[0]
            .branches
            .iter()
            .map(|b| &text[b.span.clone()])
            .collect();
        assert_eq!(opts, ["world", "friends"]);
    }

    #[test]
    fn random_and_fallback() {
        let text = "{{RANDOM | Hi there | Hello}} {{fallback|{{first_name}}|friend}}";
        let s = scan_liquid(text);
        let opts: Vec<&str> = s.choices[0]
            .branches
            .iter()
            .map(|b| &text[b.span.clone()])
            .collect();
        assert_eq!(opts, [" Hi there ", " Hello"]);
        assert_eq!(s.placeholders[0].name, "first_name");
        assert_eq!(s.placeholders[0].fallback(), Some("friend"));
    }

    #[test]
    fn liquid_if_chain() {
        let text = "{% if a %}A{% elsif b == 'x' %}B{% else %}C{% endif %}";
        let s = scan_liquid(text);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        let c = &s.choices[0];
        assert_eq!(c.kind, ChoiceKind::If);
        let opts: Vec<&str> = c.branches.iter().map(|b| &text[b.span.clone()]).collect();
        assert_eq!(opts, ["A", "B", "C"]);
        assert_eq!(c.present_in(0), ["a"]);
        assert_eq!(c.present_in(1), ["b"]);
        assert!(c.present_in(2).is_empty());
        // The else is rendered when `a` is empty (and `b` is not "x", which says nothing of b).
        assert!(c.absent_in(0).is_empty());
        assert_eq!(c.absent_in(1), ["a"]);
        assert_eq!(c.absent_in(2), ["a"]);
        assert_eq!(condition("a == blank").absent_when(true), ["a"]);
        assert_eq!(
            condition("not a or b").absent_when(true),
            Vec::<&str>::new()
        );
        assert_eq!(condition("a or b").absent_when(false), ["a", "b"]);
    }

    #[test]
    fn unless_and_case() {
        let text = "{% unless x %}U{% else %}E{% endunless %}{% case k %} {% when 'a', 'b' %}A{% endcase %}";
        let s = scan_liquid(text);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.choices[0].present_in(1), ["x"]);
        assert!(s.choices[0].present_in(0).is_empty());
        let case = &s.choices[1];
        assert_eq!(case.branches.len(), 2);
        assert!(case.branches[1].implicit);
        let f = |n: &str| (n == "k").then(|| "b".to_string());
        assert_eq!(case.pick(&f), Some(0));
    }

    #[test]
    fn errors() {
        for (text, n) in [
            ("{% if x %}a", 1),
            ("a{% endif %}", 1),
            ("{% iff x %}", 1),
            ("{Hi|Hello there", 1),
            ("{% if x %}a{% endunless %}", 1),
            ("{% if x %}{% else %}{% else %}{% endif %}", 1),
        ] {
            let s = scan_liquid(text);
            assert_eq!(s.errors.len(), n, "{text}: {:?}", s.errors);
        }
        let s = scan("{{/if}}", &[], Dialect::Handlebars);
        assert_eq!(s.errors.len(), 1);
    }

    #[test]
    fn handlebars_and_mailchimp() {
        let text = "{{#if first_name}}Hi {{first_name}}{{else}}Hello{{/if}} {{insert company \"default=your team\"}}";
        let s = scan(text, &[], Dialect::Handlebars);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.choices[0].branches.len(), 2);
        assert_eq!(s.placeholders[0].fallback(), Some("your team"));
        let text = "*|IF:FNAME|*Hi *|FNAME|*,*|ELSE:|*Hello,*|END:IF|*";
        let s = scan(text, &[], Dialect::Mailchimp);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.placeholders[0].name, "FNAME");
        assert_eq!(s.choices[0].present_in(0), ["FNAME"]);
    }

    #[test]
    fn conditions() {
        assert_eq!(
            condition("a != blank and b"),
            Expr::And(
                Box::new(Expr::Not(Box::new(Expr::Blank("a".into())))),
                Box::new(Expr::Var("b".into()))
            )
        );
        let c = condition("a or b and c");
        assert!(matches!(c, Expr::Or(..)));
        assert_eq!(condition("x contains \"y\"").present_when(true), ["x"]);
    }
}
