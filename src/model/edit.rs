//! Reusing a parse across a small edit. Typing inside a sentence of one message cannot change the
//! structure of the file (lines, headings, comments, code, placeholders, front matter): the old parse,
//! with the offsets after the edit moved and the edited message rebuilt, is the parse of the new text.
//! Anything that could change the structure is refused, and the caller parses the whole text again.
//! `tests/incremental.rs` checks the result equals a full parse on random templates and edits.

use super::*;

/// The bytes that differ between two texts: `old[start..old_end]` became `new[start..new_end]`. Both
/// ends are on character boundaries of both texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Change {
    pub fn between(old: &str, new: &str) -> Change {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let max = a.len().min(b.len());
        // Whole blocks first (a slice comparison is a memcmp), then byte by byte.
        const BLOCK: usize = 256;
        let mut start = 0;
        while start + BLOCK <= max && a[start..start + BLOCK] == b[start..start + BLOCK] {
            start += BLOCK;
        }
        start += a[start..max]
            .iter()
            .zip(&b[start..max])
            .take_while(|(x, y)| x == y)
            .count();
        // The common prefix may end inside a character that then differs.
        while !(old.is_char_boundary(start) && new.is_char_boundary(start)) {
            start -= 1;
        }
        let room = max - start;
        let mut suffix = 0;
        while suffix + BLOCK <= room
            && a[a.len() - suffix - BLOCK..a.len() - suffix]
                == b[b.len() - suffix - BLOCK..b.len() - suffix]
        {
            suffix += BLOCK;
        }
        suffix += a[..a.len() - suffix]
            .iter()
            .rev()
            .zip(b[..b.len() - suffix].iter().rev())
            .take(room - suffix)
            .take_while(|(x, y)| x == y)
            .count();
        while !(old.is_char_boundary(a.len() - suffix) && new.is_char_boundary(b.len() - suffix)) {
            suffix -= 1;
        }
        Change {
            start,
            old_end: a.len() - suffix,
            new_end: b.len() - suffix,
        }
    }

    /// Where an offset of the old text is in the new one (offsets inside the change are not asked for).
    pub fn moved(&self, offset: usize) -> usize {
        if offset >= self.old_end {
            offset - self.old_end + self.new_end
        } else {
            offset
        }
    }

    pub fn move_range(&self, r: &mut Range<usize>) {
        r.start = self.moved(r.start);
        r.end = self.moved(r.end);
    }
}

/// Characters that no part of the template syntax reacts to in the middle of a line: typing them (or
/// deleting them) changes words, never structure. Brackets, braces, `<`, backticks, `~`, `\` and line
/// breaks are left out on purpose.
fn inert(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            ' ' | '.'
                | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '\''
                | '"'
                | '&'
                | '@'
                | '$'
                | '%'
                | '^'
                | '*'
                | '_'
                | '+'
                | '='
                | '/'
                | '-'
                | '#'
                | '|'
                | '>'
        )
        || (!c.is_ascii() && !matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'))
}

/// A line on which no comment, inline code, link target or escaped brace can start or end. (It may
/// hold placeholders: the edit must not touch them, and braces are not inert, so none appear or go.)
fn plain_line(line: &str) -> bool {
    !line.contains(['<', '`', '\\']) && !line.contains("](")
}

impl Template<'_> {
    /// The parse of `new_text`, made from this parse of the old text when the edit between them is
    /// typing inside the prose of one line (after its first word) that holds no markup, with that edit;
    /// None when the edit could change the structure, and the text must be parsed again.
    pub fn reparse<'n>(mut self, new_text: &'n str) -> Option<(Template<'n>, Change)> {
        let old_text = self.text;
        let c = Change::between(old_text, new_text);
        if c.start == c.old_end && c.start == c.new_end {
            return Some((self.into_outline().attach(new_text), c));
        }
        let removed = &old_text[c.start..c.old_end];
        let inserted = &new_text[c.start..c.new_end];
        if !removed.chars().chain(inserted.chars()).all(inert) {
            return None;
        }
        // `|`, `%` and `*` make or split spintax options and tags (`{a|b}`, `{%`, `*|`); and typing
        // can make another dialect's syntax appear, which changes how the whole file is read.
        if removed.contains(['|', '%', '*']) || inserted.contains(['|', '%', '*']) {
            return None;
        }
        if matches!(
            self.dialect_source,
            DialectSource::Detected | DialectSource::Default
        ) {
            // A mark of a dialect appearing or going (`contact.firstname` typed) changes the dialect
            // detected; any such mark overlapping the edit lies in these windows.
            let window = |t: &str, end: usize| {
                let a = crate::text::floor_char_boundary(t, c.start.saturating_sub(24));
                let b = crate::text::floor_char_boundary(t, (end + 24).min(t.len()));
                Dialect::has_marker(&t[a..b])
            };
            if window(old_text, c.old_end) || window(new_text, c.new_end) {
                return None;
            }
        }
        if self
            .front_matter
            .as_ref()
            .is_some_and(|f| c.start <= f.span.end)
        {
            return None;
        }
        let line = self.lines.line_of(c.start);
        let line_start = self.lines.line_start(line);
        // Line 0 could become front matter (`---`); the first word decides headings and fences.
        let first_word = old_text[line_start..c.start].find(|ch: char| !ch.is_whitespace());
        if line == 0 || first_word.is_none() {
            return None;
        }
        let old_line = self.lines.line_span(old_text, line);
        // Past the line's text, or between a CR and its LF.
        if c.old_end > old_line.end || old_text[..c.start].ends_with('\r') {
            return None;
        }
        let new_line = line_start..old_line.end - c.old_end + c.new_end;
        if !plain_line(&old_text[old_line.clone()]) || !plain_line(&new_text[new_line]) {
            return None;
        }
        if matches!(
            old_text[line_start..].trim_start().as_bytes().first(),
            Some(b'#' | b'`' | b'~')
        ) {
            return None;
        }
        // Next to a brace, typing splits or joins `{{` and `}}` (`}a}` -> `}}`) outside any span.
        let bytes = old_text.as_bytes();
        let brace = |i: Option<usize>| {
            i.and_then(|i| bytes.get(i))
                .is_some_and(|b| matches!(b, b'{' | b'}'))
        };
        if brace(c.start.checked_sub(1)) || brace(Some(c.old_end)) {
            return None;
        }
        // Inside (or touching) code, a comment, a placeholder or a syntax error spanning lines.
        let touches = |r: &Range<usize>| r.start <= c.old_end && c.start <= r.end;
        if self.non_prose.iter().any(touches)
            || self.placeholders.iter().any(|p| touches(&p.span))
            || self.syntax_errors.iter().any(|e| touches(&e.span))
        {
            return None;
        }
        // (`Message::index` is the message's place in `messages`.)
        let edited = self.message_at(c.start).map(|m| m.index);

        // Nothing can change but offsets after the edit, and the edited message.
        self.lines.replace(c.start, c.old_end, c.new_end);
        self.prose.replace_range(c.start..c.old_end, inserted);
        for r in &mut self.non_prose {
            c.move_range(r);
        }
        for m in &mut self.comments {
            c.move_range(&mut m.span);
            c.move_range(&mut m.inner);
        }
        for p in &mut self.placeholders {
            c.move_range(&mut p.span);
            c.move_range(&mut p.name_span);
            for f in &mut p.filters {
                c.move_range(&mut f.span);
                if let Some(a) = f.argument_span.as_mut() {
                    c.move_range(a);
                }
            }
        }
        for r in &mut self.markup {
            c.move_range(r);
        }
        for ch in &mut self.choices {
            c.move_range(&mut ch.span);
            for b in &mut ch.branches {
                c.move_range(&mut b.span);
            }
        }
        for e in &mut self.syntax_errors {
            c.move_range(&mut e.span);
            for edit in e.repair.iter_mut().flat_map(|r| r.edits.iter_mut()) {
                c.move_range(&mut edit.span);
            }
        }
        let file = self.front_matter.as_ref().map(|f| &f.settings);
        let (file_channel, file_kind) = (file.and_then(|s| s.channel), file.and_then(|s| s.kind));
        // Typing in prose changes no step's kind, so each step follows the same step as before.
        let previous: Vec<Option<(Kind, Channel)>> = std::iter::once(None)
            .chain(self.messages.iter().map(|m| Some((m.kind, m.channel))))
            .collect();
        for (i, m) in self.messages.iter_mut().enumerate() {
            if Some(i) == edited {
                let over = match &m.heading {
                    Some(h) => section_override(new_text, h, &self.comments),
                    None => (None, None),
                };
                let placeholders = m.placeholders.clone();
                let span = m.span.start..c.moved(m.span.end);
                let (kind, channel) = (m.kind, m.channel);
                *m = build_message(
                    new_text,
                    &self.lines,
                    &self.prose,
                    m.index,
                    m.heading.clone(),
                    span,
                    over,
                    file_channel,
                    file_kind,
                    &self.markup,
                    previous[i],
                );
                // The edit changed what the step is (it now opens with `Subject:`, say): the steps
                // after it may take another kind from it, so parse again.
                if (m.kind, m.channel) != (kind, channel) {
                    return None;
                }
                m.placeholders = placeholders;
                continue;
            }
            c.move_range(&mut m.span);
            if let Some(h) = m.heading.as_mut() {
                c.move_range(&mut h.line);
                c.move_range(&mut h.title);
            }
            for r in [&mut m.subject, &mut m.subject_line, &mut m.first_line]
                .into_iter()
                .flatten()
            {
                c.move_range(r);
            }
            c.move_range(&mut m.content);
            c.move_range(&mut m.anchor);
        }
        Some((self.into_outline().attach(new_text), c))
    }
}

/// A parse without the text it was made from, so it can be kept beside its own copy of that text
/// (a `Template` borrows its text): the template with an empty text.
#[derive(Debug, Clone)]
pub struct Outline(Template<'static>);

impl Template<'_> {
    pub fn into_outline(self) -> Outline {
        // Rebuilt field by field: the text's lifetime changes, which `..self` cannot express.
        let Template {
            lines,
            front_matter,
            prose,
            non_prose,
            comments,
            placeholders,
            syntax_errors,
            messages,
            is_sequence,
            dialect,
            dialect_source,
            choices,
            markup,
            text: _,
        } = self;
        Outline(Template {
            text: "",
            lines,
            front_matter,
            prose,
            non_prose,
            comments,
            placeholders,
            syntax_errors,
            messages,
            is_sequence,
            dialect,
            dialect_source,
            choices,
            markup,
        })
    }
}

impl Outline {
    /// The parse again, given the text it was made from.
    pub fn attach(self, text: &str) -> Template<'_> {
        Template { text, ..self.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_between_texts() {
        let c = |a: &str, b: &str| {
            let c = Change::between(a, b);
            (c.start, c.old_end, c.new_end)
        };
        assert_eq!(c("abc", "abc"), (3, 3, 3));
        assert_eq!(c("abc", "abxc"), (2, 2, 3));
        assert_eq!(c("aaaa", "aaa"), (3, 4, 3));
        // é (C3 A9) -> è (C3 A8): the change covers the whole character.
        assert_eq!(c("xé", "xè"), (1, 3, 3));
        let long = "word ".repeat(300);
        let edited = format!("{}Z{}", &long[..700], &long[700..]);
        assert_eq!(c(&long, &edited), (700, 700, 701));
        assert_eq!(c(&edited, &long), (700, 701, 700));
    }

    #[test]
    fn typing_in_a_sentence_reuses_the_parse() {
        let old =
            "---\nchannel: email\n---\nSubject: Hi\n\nHi {{first_name}}, we met at the fair.\n";
        let new = old.replace("the fair", "the big fair");
        let (t, _) = Template::parse(old).reparse(&new).expect("reused");
        assert_eq!(format!("{t:?}"), format!("{:?}", Template::parse(&new)));
        // Between a CR and its LF, on a heading, or in a comment: parsed again.
        assert!(Template::parse("a\nb c\r\nd")
            .reparse("a\nb c\rx\nd")
            .is_none());
        assert!(Template::parse("a\n## Step 1\nb")
            .reparse("a\n## Step 12\nb")
            .is_none());
        assert!(Template::parse("a\nb <!-- c -->\n")
            .reparse("a\nb <!-- cd -->\n")
            .is_none());
    }
}
