//! Byte offsets, lines and columns. The core speaks byte offsets only; this module converts them to the
//! line/column forms the CLI and the LSP need (UTF-8 bytes, UTF-16 code units or chars per line).

use std::ops::Range;

/// Whether two byte ranges share at least one byte (touching ends do not count).
pub fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Line starts of a text, for byte offset <-> (line, column) conversions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // About one line per 40 bytes of prose: reserve once instead of growing from empty.
        let mut starts = Vec::with_capacity(text.len() / 32 + 2);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line containing `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset.min(self.len)) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line)
            .copied()
            .unwrap_or(self.len)
            .min(self.len)
    }

    /// Follows an edit that replaced `start..old_end` with text ending at `new_end` and holding no line
    /// break (the caller checks): line starts after it move.
    pub fn replace(&mut self, start: usize, old_end: usize, new_end: usize) {
        let first_after = self.starts.partition_point(|&s| s <= start);
        for s in &mut self.starts[first_after..] {
            *s = *s - old_end + new_end;
        }
        self.len = self.len - old_end + new_end;
    }

    /// Byte range of a line without its line terminator.
    pub fn line_span(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }
}

/// Moves `offset` back to the nearest char boundary, so slicing never panics.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// How LinkedIn counts a message: the length of the JavaScript string in its text box, that is UTF-16
/// code units (an emoji outside the BMP counts 2), with every line break counting 1 (CRLF is one break).
pub fn linkedin_length(text: &str) -> usize {
    // Counted on the UTF-8 bytes, without decoding (simple loops the compiler vectorizes): one per char
    // (every byte but continuation bytes), one more per four-byte char (outside the BMP, two UTF-16
    // units), one less per CRLF.
    let bytes = text.as_bytes();
    // As i8, continuation bytes (0x80..=0xBF) are the ones below -0x40.
    let units: usize = bytes
        .iter()
        .map(|&b| ((b as i8) >= -0x40) as usize + (b >= 0xF0) as usize)
        .sum();
    let crlf = match memchr::memchr(b'\r', bytes) {
        Some(first) => bytes[first..].windows(2).filter(|w| w == b"\r\n").count(),
        None => 0,
    };
    units - crlf
}

/// 1-based line and column (in chars) of a byte offset, as shown by the CLI.
pub fn line_col_chars(text: &str, index: &LineIndex, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset);
    let line = index.line_of(offset);
    let start = index.line_start(line);
    (line + 1, text[start..offset].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_offsets() {
        let text = "ab\ncd\r\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_of(0), 0);
        assert_eq!(idx.line_of(3), 1);
        assert_eq!(idx.line_of(7), 2);
        assert_eq!(idx.line_of(100), 3);
        assert_eq!(idx.line_span(text, 1), 3..5);
        assert_eq!(idx.line_span(text, 2), 7..7);
    }

    #[test]
    fn linkedin_counts_utf16_and_one_per_break() {
        assert_eq!(linkedin_length("abc"), 3);
        assert_eq!(linkedin_length("a\r\nb"), 3);
        assert_eq!(linkedin_length("😀"), 2);
        assert_eq!(linkedin_length("é"), 1);
        assert_eq!(linkedin_length("e\u{301}"), 2);
    }
}
