//! Open documents: a rope per document, edited incrementally, and exact conversion between LSP
//! positions (UTF-16 or UTF-8 code units) and the byte offsets the core uses.

use std::ops::Range;

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range as LspRange, TextDocumentContentChangeEvent};

/// How the client counts `Position.character`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub language_id: String,
}

impl Document {
    pub fn new(text: &str, version: i32, language_id: String) -> Self {
        Document {
            rope: Rope::from_str(text),
            version,
            language_id,
        }
    }

    pub fn text(&self) -> String {
        text_of(&self.rope)
    }

    /// Applies one change. Out-of-range positions are clamped, so no client input can panic here.
    pub fn apply(&mut self, change: &TextDocumentContentChangeEvent, enc: Encoding) {
        match change.range {
            None => self.rope = Rope::from_str(&change.text),
            Some(range) => {
                let span = span_of(&self.rope, range, enc);
                let (sc, ec) = (
                    self.rope.byte_to_char(span.start),
                    self.rope.byte_to_char(span.end),
                );
                self.rope.remove(sc..ec);
                self.rope.insert(sc, &change.text);
            }
        }
    }
}

/// The rope's text, copied chunk by chunk into one allocation (`Rope::to_string` goes through
/// `fmt::Write` and grows the string as it goes, which showed in the keystroke profile).
pub fn text_of(rope: &Rope) -> String {
    let mut text = String::with_capacity(rope.len_bytes());
    for chunk in rope.chunks() {
        text.push_str(chunk);
    }
    text
}

/// Byte offset of an LSP position, clamped into the document (a line past the end maps to the end; a
/// character past the line's end maps to the end of that line's text).
pub fn offset_of(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start_char = rope.line_to_char(line);
    let slice = rope.line(line);
    // Characters of the line without its terminator.
    let mut len_chars = slice.len_chars();
    while len_chars > 0 && matches!(slice.char(len_chars - 1), '\n' | '\r') {
        len_chars -= 1;
    }
    let col = pos.character as usize;
    let char_in_line = match enc {
        Encoding::Utf32 => col.min(len_chars),
        Encoding::Utf16 => {
            let max = slice.char_to_utf16_cu(len_chars);
            slice.utf16_cu_to_char(col.min(max))
        }
        Encoding::Utf8 => {
            let max = slice.char_to_byte(len_chars);
            // A byte offset inside a character rounds down to its start.
            slice.byte_to_char(col.min(max))
        }
    };
    rope.char_to_byte(line_start_char + char_in_line)
}

/// LSP position of a byte offset (clamped, and rounded down to a character boundary). An offset inside
/// a CRLF line break maps to the end of that line's text. (Publishing maps thousands of offsets with
/// `PositionCursor` instead.)
pub fn position_of(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let line = rope.char_to_line(rope.byte_to_char(offset));
    let line_char = rope.line_to_char(line);
    // An offset inside the line break (between \r and \n) maps to the end of the line's text.
    let slice = rope.line(line);
    let mut text_chars = slice.len_chars();
    while text_chars > 0 && matches!(slice.char(text_chars - 1), '\n' | '\r') {
        text_chars -= 1;
    }
    let char_idx = rope.byte_to_char(offset).min(line_char + text_chars);
    let character = match enc {
        Encoding::Utf32 => char_idx - line_char,
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_char),
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
    };
    Position::new(line as u32, character as u32)
}

/// Maps offsets of one text to LSP positions in a forward pass, for publishing thousands of
/// diagnostics: each call scans only the text since the previous one (findings come sorted by start,
/// and an end comes after its start). Same results as `position_of`; an offset before the previous
/// one is answered by `position_of` itself.
#[derive(Clone)]
pub struct PositionCursor<'a> {
    rope: &'a Rope,
    text: &'a str,
    enc: Encoding,
    offset: usize,
    line: u32,
    character: u32,
}

impl<'a> PositionCursor<'a> {
    /// `text` must be the rope's text.
    pub fn new(rope: &'a Rope, text: &'a str, enc: Encoding) -> Self {
        PositionCursor {
            rope,
            text,
            enc,
            offset: 0,
            line: 0,
            character: 0,
        }
    }

    fn units(&self, s: &str) -> u32 {
        let n = match self.enc {
            Encoding::Utf8 => s.len(),
            _ if s.is_ascii() => s.len(),
            Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
            Encoding::Utf32 => s.chars().count(),
        };
        n as u32
    }

    pub fn position(&mut self, offset: usize) -> Position {
        let text = self.text;
        let b = text.as_bytes();
        let mut target = crate::text::floor_char_boundary(text, offset.min(text.len()));
        // Between a CR and its LF: the end of the line's text.
        if target > 0 && b[target - 1] == b'\r' && b.get(target) == Some(&b'\n') {
            target -= 1;
        }
        if target < self.offset {
            return position_of(self.rope, offset, self.enc);
        }
        let scanned = &b[self.offset..target];
        let mut line_start = None;
        for i in memchr::memchr2_iter(b'\n', b'\r', scanned) {
            // A CR followed by an LF is one break, counted at the LF.
            if scanned[i] == b'\r' && b.get(self.offset + i + 1) == Some(&b'\n') {
                continue;
            }
            self.line += 1;
            line_start = Some(self.offset + i + 1);
        }
        match line_start {
            Some(start) => self.character = self.units(&text[start..target]),
            None => self.character += self.units(&text[self.offset..target]),
        }
        self.offset = target;
        Position::new(self.line, self.character)
    }

    /// The range of a span, leaving the cursor at its start.
    pub fn range(&mut self, span: Range<usize>) -> LspRange {
        let start = self.position(span.start);
        let end = self.clone().position(span.end);
        LspRange::new(start, end)
    }
}

pub fn range_of(rope: &Rope, span: Range<usize>, enc: Encoding) -> LspRange {
    LspRange::new(
        position_of(rope, span.start, enc),
        position_of(rope, span.end, enc),
    )
}

pub fn span_of(rope: &Rope, range: LspRange, enc: Encoding) -> Range<usize> {
    let a = offset_of(rope, range.start, enc);
    let b = offset_of(rope, range.end, enc);
    a.min(b)..a.max(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(LspRange::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn utf16_positions_with_emoji_and_combining() {
        let rope = Rope::from_str("a😀b\ne\u{301}x\n");
        // 😀 is 2 UTF-16 units.
        assert_eq!(offset_of(&rope, Position::new(0, 3), Encoding::Utf16), 5);
        assert_eq!(position_of(&rope, 5, Encoding::Utf16), Position::new(0, 3));
        // e + combining acute: 2 units, 3 bytes.
        assert_eq!(offset_of(&rope, Position::new(1, 2), Encoding::Utf16), 10);
        assert_eq!(position_of(&rope, 10, Encoding::Utf8), Position::new(1, 3));
        // Clamping.
        assert_eq!(offset_of(&rope, Position::new(0, 99), Encoding::Utf16), 6);
        assert_eq!(
            offset_of(&rope, Position::new(99, 0), Encoding::Utf16),
            rope.len_bytes()
        );
    }

    #[test]
    fn offsets_inside_a_line_break_map_to_the_end_of_the_line() {
        let rope = Rope::from_str("\r\r\nab\r\n");
        assert_eq!(position_of(&rope, 2, Encoding::Utf16), Position::new(1, 0));
        assert_eq!(position_of(&rope, 6, Encoding::Utf16), Position::new(2, 2));
    }

    #[test]
    fn crlf_and_cr_lines() {
        let rope = Rope::from_str("ab\r\ncd\ref");
        assert_eq!(rope.len_lines(), 3);
        assert_eq!(offset_of(&rope, Position::new(1, 1), Encoding::Utf16), 5);
        assert_eq!(offset_of(&rope, Position::new(0, 5), Encoding::Utf16), 2);
        assert_eq!(position_of(&rope, 8, Encoding::Utf16), Position::new(2, 1));
    }

    /// The cursor gives `position_of`'s answers for ascending offsets (and spans) on tricky texts.
    #[test]
    fn cursor_positions_match() {
        let texts = [
            "\r\r\nab\r\n".to_string(),
            "a😀b\ne\u{301}x\n\r\n\rz".to_string(),
            "Hi {{first_name}}, caf\u{e9} 😀 ok\r\nnext\rline\n\n".repeat(40),
            "x😀y".repeat(500),
        ];
        for text in &texts {
            let rope = Rope::from_str(text);
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let mut cursor = PositionCursor::new(&rope, text, enc);
                for offset in (0..=text.len() + 1).step_by(1) {
                    assert_eq!(
                        cursor.position(offset),
                        position_of(&rope, offset, enc),
                        "offset {offset} {enc:?}"
                    );
                    let end = (offset + 7).min(text.len());
                    assert_eq!(cursor.range(offset..end), range_of(&rope, offset..end, enc));
                }
                // Going back is answered too.
                assert_eq!(cursor.position(1), position_of(&rope, 1, enc));
            }
        }
    }

    #[test]
    fn incremental_edits() {
        let mut d = Document::new("Hi {{frist_name}},\n", 1, "outreach".into());
        d.apply(&change(0, 5, 0, 10, "first"), Encoding::Utf16);
        assert_eq!(d.text(), "Hi {{first_name}},\n");
        d.apply(&change(5, 0, 9, 0, "tail"), Encoding::Utf16);
        assert_eq!(d.text(), "Hi {{first_name}},\ntail");
        // A reversed range is read as the range between its two ends.
        d.apply(&change(0, 3, 0, 1, "X"), Encoding::Utf16);
        assert_eq!(d.text(), "HX{{first_name}},\ntail");
    }
}
