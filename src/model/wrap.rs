//! Wrapping text in a dialect's constructs, for the editor's rewrites: a conditional around the
//! sentence of a placeholder that may be empty (so the sentence is left out instead of sent with a
//! hole), and a spintax group around a selected phrase.

use std::ops::Range;

use super::{Dialect, Placeholder, Template};
use crate::finding::Edit;

/// The opening and closing tags of a block shown only when field `name` (as the file writes it)
/// has a value.
pub fn condition_tags(dialect: Dialect, name: &str) -> (String, &'static str) {
    match dialect {
        Dialect::Liquid | Dialect::Hubspot => (format!("{{% if {name} %}}"), "{% endif %}"),
        Dialect::Handlebars => (format!("{{{{#if {name}}}}}"), "{{/if}}"),
        Dialect::Mailchimp => (format!("*|IF:{name}|*"), "*|END:IF|*"),
    }
}

/// The sentence around `p` in its line: from after the previous `.`, `!` or `?` (or the line's
/// start) to the next one (or the line's end), with the spaces after it, so nothing is left doubled
/// when the block renders empty. Just the placeholder when the sentence would cut through a tag,
/// another choice or a comment.
pub fn sentence_of(t: &Template<'_>, p: &Placeholder) -> Range<usize> {
    let text = t.text;
    let line_start = text[..p.span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[p.span.end..]
        .find('\n')
        .map_or(text.len(), |i| p.span.end + i);
    let is_stop = |c: char| matches!(c, '.' | '!' | '?');
    let mut start = text[line_start..p.span.start]
        .rfind(is_stop)
        .map_or(line_start, |i| line_start + i + 1);
    start += text[start..p.span.start].len() - text[start..p.span.start].trim_start().len();
    let mut end = text[p.span.end..line_end]
        .find(is_stop)
        .map_or(line_end, |i| p.span.end + i + 1);
    if end < line_end {
        end += text[end..line_end].len() - text[end..line_end].trim_start().len();
    } else {
        end = start.max(p.span.end) + text[start.max(p.span.end)..line_end].trim_end().len();
    }
    let sentence = start..end;
    // Only whole constructs may lie inside it; it may not start or end inside one.
    let crosses = |r: &Range<usize>| {
        (r.start < sentence.start && sentence.start < r.end)
            || (r.start < sentence.end && sentence.end < r.end)
    };
    let bad = t.choices.iter().any(|c| crosses(&c.span))
        || t.markup.iter().any(crosses)
        || t.comments.iter().any(|c| crosses(&c.span))
        || t.non_prose.iter().any(crosses);
    if bad || start > p.span.start || end < p.span.end {
        p.span.clone()
    } else {
        sentence
    }
}

/// Edits wrapping `p`'s sentence in a block shown only when `p` has a value, in the file's dialect.
pub fn wrap_in_condition(t: &Template<'_>, p: &Placeholder) -> Vec<Edit> {
    let span = sentence_of(t, p);
    let (open, close) = condition_tags(t.dialect, &p.name);
    vec![
        Edit::insert(span.start, open),
        Edit::insert(span.end, close),
    ]
}

/// Greetings that make a useful first group: the selected one first, then the others.
const GREETINGS: &[&str] = &["Hi", "Hello", "Hey"];

/// The spintax group replacing a selected phrase (Liquid senders only): the greeting alternatives for
/// a greeting, else the phrase twice (it renders as before; the second option is for the writer to
/// reword). None when the phrase cannot be an option (braces, bars, line breaks).
pub fn spintax_group(phrase: &str) -> Option<String> {
    let trimmed = phrase.trim();
    if trimmed.is_empty() || phrase.contains(['{', '}', '|', '\n', '\r', '\\']) {
        return None;
    }
    let options: Vec<&str> = match GREETINGS.iter().find(|g| g.eq_ignore_ascii_case(trimmed)) {
        Some(_) => std::iter::once(trimmed)
            .chain(
                GREETINGS
                    .iter()
                    .copied()
                    .filter(|g| !g.eq_ignore_ascii_case(trimmed)),
            )
            .collect(),
        None => vec![trimmed, trimmed],
    };
    Some(format!("{{{}}}", options.join("|")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(text: &str, dialect: Dialect, name: &str) -> String {
        let t = Template::parse_in(text, Some(dialect));
        let p = t.placeholders.iter().find(|p| p.name == name).unwrap();
        let mut out = text.to_string();
        let mut edits = wrap_in_condition(&t, p);
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        for e in edits {
            out.replace_range(e.span, &e.replacement);
        }
        out
    }

    #[test]
    fn wraps_the_sentence() {
        assert_eq!(
            wrapped(
                "Hi {{first_name}}. We met at {{event}}. Talk soon.",
                Dialect::Liquid,
                "event"
            ),
            "Hi {{first_name}}. {% if event %}We met at {{event}}. {% endif %}Talk soon."
        );
        assert_eq!(
            wrapped(
                "Hi *|FNAME|*,\nYour work at *|COMPANY|* is great",
                Dialect::Mailchimp,
                "COMPANY"
            ),
            "Hi *|FNAME|*,\n*|IF:COMPANY|*Your work at *|COMPANY|* is great*|END:IF|*"
        );
        // A sentence that would cut through a block: only the placeholder.
        assert_eq!(
            wrapped(
                "{% if a %}x. We met at {{event}}{% endif %} there.",
                Dialect::Liquid,
                "event"
            ),
            "{% if a %}x. We met at {% if event %}{{event}}{% endif %}{% endif %} there."
        );
    }

    #[test]
    fn spintax_groups() {
        assert_eq!(spintax_group("Hello").as_deref(), Some("{Hello|Hi|Hey}"));
        assert_eq!(spintax_group("thanks").as_deref(), Some("{thanks|thanks}"));
        assert_eq!(spintax_group("a|b"), None);
    }
}
