//! Tag syntax as the editor shows it: what a tag does (opens, continues or closes a block), its parts
//! for highlighting, which blocks are open at a point (for closing-tag completion), and the tags that
//! bound each branch of a choice. The parse (`choice.rs`) keeps tags only as markup spans and choices;
//! this reads a markup span's text again, per dialect, because the editor also needs the tags of blocks
//! that are not closed yet (the user is typing them). Names are read and looked up with the parse's
//! own functions (`choice::tag_name`, `choice::block_tag`), so both know the same tags.

use std::ops::Range;

use super::choice::{block_tag, tag_name, BlockTag};
use super::{Choice, ChoiceKind, Dialect, Template};

/// The kind of block a tag opens or closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    If,
    Unless,
    Case,
}

impl Block {
    /// The block a tag opening a choice of `kind` starts.
    fn of(kind: ChoiceKind) -> Block {
        match kind {
            ChoiceKind::Unless => Block::Unless,
            ChoiceKind::Case => Block::Case,
            // No tag opens a spintax group.
            ChoiceKind::If | ChoiceKind::Spintax => Block::If,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Block::If => "if",
            Block::Unless => "unless",
            Block::Case => "case",
        }
    }
}

/// What a tag does in its block structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Open(Block),
    /// `elsif`, `else`, `when`: ends one branch and starts the next.
    Branch,
    Close,
    /// A tag outside the block structure (`assign`, `raw`) or a comment.
    Other,
}

/// One piece of tag syntax, for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `{%`, `%}`, `{{`, `}}`, `*|`, `|*`.
    Delimiter,
    /// The tag's name (`if`, `#if`, `/if`, `ELSE:`, `random`) and word operators (`and`, `contains`).
    Keyword,
    /// A field a condition reads.
    Field,
    /// A quoted string or a number.
    Literal,
    /// `==`, `!=`, `<`, and spintax braces and separators.
    Operator,
    /// A comment tag and everything in it.
    Comment,
}

/// A tag read from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub span: Range<usize>,
    pub role: Role,
    /// The tag's name as written (`if`, `elsif`, `#if`, `END:IF`).
    pub name: String,
}

/// Words that are operators or constants in conditions, not fields.
const WORDS: &[&str] = &[
    "and", "or", "not", "contains", "blank", "empty", "nil", "null", "true", "false", "is",
    "defined", "if", "in",
];

/// The opening and closing delimiters of the tag at `span`, and the range of its inside, when the
/// text there is a tag of `dialect`.
fn delimiters(text: &str, span: &Range<usize>, dialect: Dialect) -> Option<Range<usize>> {
    let s = &text[span.clone()];
    let (open, close) = if dialect.has_percent_tags() && s.starts_with("{%") {
        ("{%", "%}")
    } else if dialect == Dialect::Handlebars && s.starts_with("{{") {
        ("{{", "}}")
    } else if dialect == Dialect::Mailchimp && s.starts_with("*|") {
        ("*|", "|*")
    } else {
        return None;
    };
    if s.len() < open.len() + close.len() || !s.ends_with(close) {
        return None;
    }
    let mut start = span.start + open.len();
    let mut end = span.end - close.len();
    // Liquid's whitespace control: `{%-` and `-%}`.
    if open == "{%" {
        if text.as_bytes().get(start) == Some(&b'-') {
            start += 1;
        }
        if end > start && text.as_bytes()[end - 1] == b'-' {
            end -= 1;
        }
    }
    Some(start..end)
}

/// Reads the tag at `span` (a markup span of `text`); None when the span is not a tag (spintax
/// braces, text between `{% case %}` and its first `{% when %}`).
pub fn read(text: &str, span: Range<usize>, dialect: Dialect) -> Option<Tag> {
    let inner = delimiters(text, &span, dialect)?;
    let name = tag_name(dialect, &text[inner]);
    let role = match block_tag(dialect, name) {
        Some(BlockTag::Open(kind)) => Role::Open(Block::of(kind)),
        Some(BlockTag::ElseIf | BlockTag::When | BlockTag::Else) => Role::Branch,
        Some(BlockTag::Close) => Role::Close,
        None => Role::Other,
    };
    let name = name.to_string();
    Some(Tag { span, role, name })
}

/// Every piece of tag and spintax syntax in `t`, for highlighting, sorted by start. Comment tags
/// come whole (they may span lines).
pub fn parts(t: &Template<'_>) -> Vec<(Range<usize>, Part)> {
    let text = t.text;
    let mut out = Vec::new();
    for r in &t.markup {
        let s = &text[r.clone()];
        if let Some(inner) = delimiters(text, r, t.dialect) {
            let body = text[inner.clone()].trim_start();
            let is_comment = body.starts_with('!')
                || (s.starts_with("{%") && body.split_whitespace().next() == Some("comment"));
            if is_comment {
                out.push((r.clone(), Part::Comment));
                continue;
            }
            out.push((r.start..inner.start, Part::Delimiter));
            condition_parts(text, inner.clone(), t.dialect, &mut out);
            out.push((inner.end..r.end, Part::Delimiter));
        } else if t.dialect.has_spintax() {
            spintax_parts(text, r.clone(), &mut out);
        }
    }
    out.retain(|(r, _)| !r.is_empty());
    out
}

/// `{`, `|`, `}`, `{{random|`, `}}` and a `RANDOM` keyword inside single braces.
fn spintax_parts(text: &str, r: Range<usize>, out: &mut Vec<(Range<usize>, Part)>) {
    let s = &text[r.clone()];
    match s {
        "{" | "|" | "}" | "}}" => out.push((r, Part::Operator)),
        _ if s.starts_with("{{") => {
            // `{{random|` or `{{ RANDOM |`.
            out.push((r.start..r.start + 2, Part::Operator));
            let word_start = r.start + 2 + (s[2..].len() - s[2..].trim_start().len());
            let word_len = text[word_start..r.end]
                .bytes()
                .take_while(u8::is_ascii_alphabetic)
                .count();
            out.push((word_start..word_start + word_len, Part::Keyword));
            out.push((r.end - 1..r.end, Part::Operator));
        }
        _ if s.eq_ignore_ascii_case("random") => out.push((r, Part::Keyword)),
        _ => {}
    }
}

/// The name and condition inside a tag: the first word is the name, then fields, literals and
/// operators.
fn condition_parts(
    text: &str,
    inner: Range<usize>,
    dialect: Dialect,
    out: &mut Vec<(Range<usize>, Part)>,
) {
    let bytes = text.as_bytes();
    let mut i = inner.start;
    let mut first = true;
    // In Mailchimp, what follows `=` is a value, not a field.
    let mut value_next = false;
    while i < inner.end {
        let c = bytes[i];
        if c.is_ascii_whitespace() || c == b',' {
            i += 1;
            continue;
        }
        let start = i;
        let part = if c == b'"' || c == b'\'' {
            i += 1;
            while i < inner.end && bytes[i] != c {
                i += 1;
            }
            i = (i + 1).min(inner.end);
            Part::Literal
        } else if matches!(c, b'=' | b'!' | b'<' | b'>') && !first {
            while i < inner.end && matches!(bytes[i], b'=' | b'!' | b'<' | b'>') {
                i += 1;
            }
            value_next = dialect == Dialect::Mailchimp;
            Part::Operator
        } else {
            while i < inner.end {
                let b = bytes[i];
                if b.is_ascii_whitespace() || matches!(b, b'=' | b'!' | b'<' | b'>' | b',') {
                    break;
                }
                if dialect == Dialect::Mailchimp && first && b == b':' {
                    i += 1;
                    // `END:IF` is one name.
                    if !text[start..i].eq_ignore_ascii_case("END:") {
                        break;
                    }
                    continue;
                }
                i += 1;
            }
            let word = &text[start..i];
            if first {
                Part::Keyword
            } else if value_next || word.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                Part::Literal
            } else if WORDS.contains(&word) {
                Part::Keyword
            } else {
                Part::Field
            }
        };
        // Never loop in place (a stray byte the branches above do not consume).
        if i == start {
            i += text[start..].chars().next().map_or(1, char::len_utf8);
        }
        first = false;
        out.push((start..i, part));
    }
}

/// A block that is open at a point: its kind and its opening tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBlock {
    pub block: Block,
    pub tag: Range<usize>,
}

/// The blocks open just before `at`, outermost first, from the tags that end before it.
pub fn open_blocks(t: &Template<'_>, at: usize) -> Vec<OpenBlock> {
    let mut stack: Vec<OpenBlock> = Vec::new();
    let end = t.markup.partition_point(|r| r.end <= at);
    for r in &t.markup[..end] {
        let Some(tag) = read(t.text, r.clone(), t.dialect) else {
            continue;
        };
        match tag.role {
            Role::Open(block) => stack.push(OpenBlock {
                block,
                tag: tag.span,
            }),
            Role::Close => {
                stack.pop();
            }
            Role::Branch | Role::Other => {}
        }
    }
    stack
}

/// How `dialect` writes the tag that closes `block` (without delimiters): `endif`, `/if`, `END:IF`.
pub fn closer(dialect: Dialect, block: Block) -> String {
    match dialect {
        Dialect::Handlebars => format!("/{}", block.as_str()),
        Dialect::Mailchimp => "END:IF".into(),
        _ => format!("end{}", block.as_str()),
    }
}

/// The tag that starts branch `i` of `choice` (`{% elsif x %}`, the opening tag for the first
/// branch, `{% when 'a' %}`); None for spintax options and the implicit empty branch of a block
/// without `else`.
pub fn branch_tag(t: &Template<'_>, choice: &Choice, i: usize) -> Option<Range<usize>> {
    let b = choice.branches.get(i)?;
    if choice.kind == ChoiceKind::Spintax || b.implicit {
        return None;
    }
    let k = t.markup.partition_point(|r| r.end < b.span.start);
    t.markup
        .get(k)
        .filter(|r| r.end == b.span.start && r.start >= choice.span.start)
        .cloned()
}

/// The opening syntax of a choice: its opening tag, or a spintax group's `{` / `{{random|`.
pub fn opening(t: &Template<'_>, choice: &Choice) -> Range<usize> {
    let k = t.markup.partition_point(|r| r.start < choice.span.start);
    t.markup
        .get(k)
        .filter(|r| r.start == choice.span.start && r.end <= choice.span.end)
        .cloned()
        .unwrap_or(choice.span.start..choice.span.start)
}

/// The closing tag of a block (`{% endif %}`), or a spintax group's `}` / `}}`.
pub fn closing(t: &Template<'_>, choice: &Choice) -> Range<usize> {
    let k = t.markup.partition_point(|r| r.end < choice.span.end);
    t.markup
        .get(k)
        .filter(|r| r.end == choice.span.end && r.start >= choice.span.start)
        .cloned()
        .unwrap_or(choice.span.end..choice.span.end)
}

/// The inside of a tag as written, trimmed (`elsif b == 'x'`, `#if first_name`, `IF:FNAME`).
pub fn inside(text: &str, span: Range<usize>, dialect: Dialect) -> String {
    match delimiters(text, &span, dialect) {
        Some(inner) => text[inner].trim().to_string(),
        None => text[span].trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, Part)> {
        let t = Template::parse(text);
        parts(&t)
            .into_iter()
            .map(|(r, p)| (text[r].to_string(), p))
            .collect()
    }

    /// The editor reads each tag as the parse did: every tag that opens, continues or closes a
    /// choice in the parse gets that role here, in every dialect, whatever the case of a merge tag.
    #[test]
    fn the_editor_reads_tags_as_the_parse_does() {
        for text in [
            "{% if a %}A{% elsif b %}B{% else %}C{% endif %}{% unless c %}U{% endunless %}{% case k %}{% when 'x' %}X{% else %}Y{% endcase %}",
            "---\ndialect: hubspot\n---\n{% if a %}A{% elif b %}B{% endif %}",
            "---\ndialect: handlebars\n---\n{{#if a}}A{{else if b}}B{{else}}C{{/if}}{{#unless c}}U{{/unless}}",
            "---\ndialect: mailchimp\n---\n*|IF:A|*A*|ELSEIF:B=x|*B*|Else:|*C*|end:if|**|IFNOT:C|*U*|END:IF|*",
        ] {
            let t = Template::parse(text);
            assert!(t.syntax_errors.is_empty(), "{text}: {:?}", t.syntax_errors);
            assert!(!t.choices.is_empty(), "{text}");
            let role = |r: &Range<usize>| read(text, r.clone(), t.dialect).map(|g| g.role);
            for c in &t.choices {
                let tag_at = |f: &dyn Fn(&Range<usize>) -> bool| {
                    t.markup.iter().find(|r| f(r)).expect("a tag there")
                };
                let opener = tag_at(&|r| r.start == c.span.start);
                assert!(
                    matches!(role(opener), Some(Role::Open(_))),
                    "{}",
                    &text[opener.clone()]
                );
                assert_eq!(role(tag_at(&|r| r.end == c.span.end)), Some(Role::Close), "{text}");
                for b in c.branches[1..].iter().filter(|b| !b.implicit) {
                    let before = tag_at(&|r| r.end == b.span.start);
                    assert_eq!(role(before), Some(Role::Branch), "{}", &text[before.clone()]);
                }
            }
        }
    }

    #[test]
    fn liquid_tag_parts() {
        let k = kinds("{%- if a == 'x' and b -%}A{% endif %}");
        let want: Vec<(String, Part)> = [
            ("{%-", Part::Delimiter),
            ("if", Part::Keyword),
            ("a", Part::Field),
            ("==", Part::Operator),
            ("'x'", Part::Literal),
            ("and", Part::Keyword),
            ("b", Part::Field),
            ("-%}", Part::Delimiter),
            ("{%", Part::Delimiter),
            ("endif", Part::Keyword),
            ("%}", Part::Delimiter),
        ]
        .into_iter()
        .map(|(s, p)| (s.to_string(), p))
        .collect();
        assert_eq!(k, want);
    }

    #[test]
    fn spintax_and_mailchimp_parts() {
        let k = kinds("{Hi|Hello} {{RANDOM | a | b}}");
        let ops: Vec<&str> = k.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(ops, ["{", "|", "}", "{{", "RANDOM", "|", "|", "}}"]);
        assert_eq!(k[4].1, Part::Keyword);
        let text = "---\ndialect: mailchimp\n---\n*|IF:FNAME|*Hi*|ELSE:|*Hello*|END:IF|*";
        let t = Template::parse(text);
        let got: Vec<(&str, Part)> = parts(&t).into_iter().map(|(r, p)| (&text[r], p)).collect();
        assert_eq!(
            got,
            [
                ("*|", Part::Delimiter),
                ("IF:", Part::Keyword),
                ("FNAME", Part::Field),
                ("|*", Part::Delimiter),
                ("*|", Part::Delimiter),
                ("ELSE:", Part::Keyword),
                ("|*", Part::Delimiter),
                ("*|", Part::Delimiter),
                ("END:IF", Part::Keyword),
                ("|*", Part::Delimiter),
            ]
        );
    }

    #[test]
    fn open_blocks_and_branch_tags() {
        let text = "{% if a %}A{% unless b %}B{% endunless %} {% case k %}{% when 'x' %}X ";
        let t = Template::parse(text);
        let open = open_blocks(&t, text.len());
        let blocks: Vec<Block> = open.iter().map(|o| o.block).collect();
        assert_eq!(blocks, [Block::If, Block::Case]);
        assert_eq!(&text[open[1].tag.clone()], "{% case k %}");
        assert_eq!(closer(Dialect::Liquid, Block::Case), "endcase");
        assert_eq!(closer(Dialect::Handlebars, Block::If), "/if");
        let text = "{% if a %}A{% elsif b %}B{% endif %}";
        let t = Template::parse(text);
        let c = &t.choices[0];
        let tags: Vec<&str> = (0..3)
            .map(|i| branch_tag(&t, c, i).map_or("-", |r| &text[r]))
            .collect();
        assert_eq!(tags, ["{% if a %}", "{% elsif b %}", "-"]);
        assert_eq!(&text[closing(&t, c)], "{% endif %}");
        assert_eq!(inside(text, opening(&t, c), t.dialect), "if a");
    }

    #[test]
    fn handlebars_roles() {
        let text = "{{#if a}}A{{else}}B{{/if}}{{! note }}";
        let t = Template::parse_in(text, Some(Dialect::Handlebars));
        let roles: Vec<Role> = t
            .markup
            .iter()
            .filter_map(|r| read(text, r.clone(), t.dialect))
            .map(|tag| tag.role)
            .collect();
        assert_eq!(
            roles,
            [
                Role::Open(Block::If),
                Role::Branch,
                Role::Close,
                Role::Other
            ]
        );
        assert_eq!(parts(&t).last().map(|p| p.1), Some(Part::Comment));
    }
}
