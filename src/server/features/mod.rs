//! Requests: hover, code actions, completion, document symbols, inlay hints, semantic tokens, previews,
//! pull diagnostics. Each answers for the document version pinned when the request arrived, and never
//! waits for a lint in progress. One file per feature; the helpers they share are here.

mod actions;
mod completion;
mod diagnostics;
mod hover;
mod outline;
mod preview;

pub use actions::{code_actions, CONVERT_KIND, FIX_ALL_KIND};
pub use completion::completion;
pub use diagnostics::{document_diagnostic, workspace_diagnostic};
pub use hover::hover;
pub use outline::{
    document_symbols, folding_ranges, inlay_hints, semantic_legend, semantic_tokens,
};
pub use preview::{code_lenses, execute_command, preview, PREVIEW_COMMAND};

use std::ops::Range as Span;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::convert;
use super::document::{offset_of, position_of, range_of, span_of, Encoding, PositionCursor};
use super::state::{Analysis, Pinned, State};
use crate::insight;
use crate::model::catalog::Category;
use crate::model::front_matter::{Value, KEYS};
use crate::model::{Channel, Kind, Template};
use crate::rules::Context;

/// The most messages one answer covers (symbols, hints, lenses, previews). Results are bounded before
/// they are built: 300,000 headings once made an outline larger than a client will read. Editors'
/// views are unusable long before this.
const MAX_MESSAGES_PER_ANSWER: usize = 10_000;

/// The most semantic tokens one answer holds (about 10 MB of JSON).
const MAX_SEMANTIC_TOKENS: usize = 500_000;

fn contains(span: &Span<usize>, at: usize) -> bool {
    span.start <= at && at <= span.end
}

fn markup(md: bool, text: String) -> HoverContents {
    HoverContents::Markup(MarkupContent {
        kind: if md {
            MarkupKind::Markdown
        } else {
            MarkupKind::PlainText
        },
        value: if md { text } else { plain(&text) },
    })
}

/// Markdown to readable plain text for clients that only take plain text.
fn plain(md: &str) -> String {
    md.lines()
        .filter(|l| !l.starts_with("```") && !l.starts_with("|---"))
        .map(|l| {
            unescape(
                &l.trim_start_matches('#')
                    .trim_start()
                    .replace("**", "")
                    .replace('`', ""),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Characters that could start Markdown syntax (links, images, emphasis, code, HTML, tables).
const MARKDOWN_SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '(', ')', '<', '>', '#', '|', '~', '&', '!', '{', '}', '$',
];

/// A user-supplied string (a contact cell, a placeholder's example, a fallback, a heading) as
/// literal Markdown text on one line: line breaks and control characters become spaces, and
/// everything that could start a link, an image, a heading or HTML is backslash-escaped.
pub(crate) fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if c.is_control() {
            out.push(' ');
            continue;
        }
        // A list, quote or setext marker only matters at the start.
        if MARKDOWN_SPECIAL.contains(&c) || (i == 0 && matches!(c, '-' | '+' | '=')) {
            out.push('\\');
        } else if c == '.' && i > 0 && s[..i].bytes().all(|d| d.is_ascii_digit()) {
            // "1." at the start would begin a numbered list.
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Multi-line user text as a Markdown quote, each line literal (see [`md_text`]).
pub(crate) fn md_quote(s: &str) -> String {
    s.lines()
        .map(|l| format!("> {}", md_text(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Undoes [`md_text`]'s escapes (for plain-text hovers).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The current analysis of a template, the session, and the byte offset of `position` in it.
fn template_at(
    state: &State,
    a: Option<Arc<Analysis>>,
    position: Position,
) -> Option<(Arc<Analysis>, super::state::Session, usize)> {
    let a = a?;
    if !a.is_template {
        return None;
    }
    let session = state.session();
    let at = offset_of(&a.rope, position, session.encoding);
    Some((a, session, at))
}
