//! The fix of phrase rules whose phrase cannot be swapped for another word ("book a demo", "ASAP"):
//! removing the sentence that holds it. It deletes what the sender wrote, so it is unsafe and never
//! preferred; it is not offered when the sentence is the whole message or holds the greeting.

use std::ops::Range;

use crate::finding::{Edit, Fix};
use crate::model::Message;
use crate::rules::Context;

/// Sentence ends: the mark, then a space or the end of the line.
fn ends_sentence(line: &str, i: usize) -> bool {
    matches!(line.as_bytes()[i], b'.' | b'!' | b'?')
        && line.as_bytes().get(i + 1).is_none_or(|b| *b == b' ')
}

/// The fix removing the sentence around `phrase` in `m` (with the space after it), if there is one to
/// remove.
pub fn remove_sentence(cx: &Context<'_>, m: &Message, phrase: Range<usize>) -> Option<Fix> {
    let t = cx.template;
    let text = t.text;
    let line_no = t.lines.line_of(phrase.start);
    let line_span = t.lines.line_span(text, line_no);
    if phrase.end > line_span.end || line_span.start < m.content.start {
        return None;
    }
    let line = &text[line_span.clone()];
    let (at, end_in_line) = (phrase.start - line_span.start, phrase.end - line_span.start);
    // Start: after the previous sentence's end and its spaces, else the line's first non-space.
    let mut start = (0..at)
        .rev()
        .find(|&i| ends_sentence(line, i))
        .map_or(0, |i| i + 1);
    start += line[start..].len() - line[start..].trim_start().len();
    // End: after this sentence's mark and the spaces that follow, else the line's end.
    let mut end = (end_in_line..line.len())
        .find(|&i| ends_sentence(line, i))
        .map_or(line.len(), |i| i + 1);
    end += line[end..].len() - line[end..].trim_start().len();
    let span = line_span.start + start..line_span.start + end;
    // Not the greeting's line start, not the whole message, not through a placeholder or a comment.
    let greeting_line = m.first_line.as_ref().is_some_and(|f| f.start == span.start);
    let whole = text[m.content.clone()].trim() == text[span.clone()].trim();
    let cuts = |r: &Range<usize>| {
        crate::text::overlaps(r, &span) && !(span.start <= r.start && r.end <= span.end)
    };
    if greeting_line
        || whole
        || t.placeholders_of(m).iter().any(|p| cuts(&p.span))
        || !(span.start..span.end).all(|i| !text.is_char_boundary(i) || t.is_prose(i))
    {
        return None;
    }
    let sentence = text[span.clone()].trim();
    let shown: String = if sentence.chars().count() > 40 {
        sentence.chars().take(39).collect::<String>() + "…"
    } else {
        sentence.to_string()
    };
    Some(Fix::new(
        format!("Remove the sentence “{shown}”"),
        vec![Edit::replace(span, "")],
    ))
}
