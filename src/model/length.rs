//! How long a message is once rendered: a range, because placeholder values vary in length.

use std::ops::Range;

use crate::model::{Placeholder, Template};
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

/// Splits `span` into what is sent: comments are dropped, `\{{` becomes `{{`, placeholders stand alone.
pub fn pieces<'a>(t: &'a Template<'_>, span: Range<usize>) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut at = span.start;
    let ci = t.comments.partition_point(|c| c.span.end <= span.start);
    let pi = t.placeholders.partition_point(|p| p.span.end <= span.start);
    let mut comments = t.comments[ci..].iter().peekable();
    let mut placeholders = t.placeholders[pi..].iter().peekable();
    loop {
        let next_c = comments.peek().filter(|c| c.span.start < span.end);
        let next_p = placeholders.peek().filter(|p| p.span.start < span.end);
        let (start, end, ph) = match (next_c, next_p) {
            (None, None) => break,
            (Some(c), Some(p)) if c.span.start <= p.span.start => {
                let r = (c.span.start, c.span.end, None);
                comments.next();
                r
            }
            (Some(c), None) => {
                let r = (c.span.start, c.span.end, None);
                comments.next();
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

/// Measures the rendered length of `span`, with `bounds` giving each placeholder's length range.
pub fn measure(
    t: &Template<'_>,
    span: Range<usize>,
    bounds: impl Fn(&Placeholder) -> LengthRange,
) -> LengthRange {
    let mut total = LengthRange::default();
    for piece in pieces(t, span) {
        match piece {
            Piece::Text(s) => total += LengthRange::exact(literal_length(s)),
            Piece::Placeholder(p) => total += bounds(p),
        }
    }
    total
}

/// Renders `span` with `value` giving each placeholder's text.
pub fn render(
    t: &Template<'_>,
    span: Range<usize>,
    mut value: impl FnMut(&Placeholder) -> String,
) -> String {
    let mut out = String::new();
    for piece in pieces(t, span) {
        match piece {
            Piece::Text(s) => out.push_str(&s.replace("\\{{", "{{")),
            Piece::Placeholder(p) => out.push_str(&value(p)),
        }
    }
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
}
