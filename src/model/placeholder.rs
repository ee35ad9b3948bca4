//! `{{ name | default: "text" }}` placeholders (a Liquid-compatible subset), parsed with exact byte spans.

use std::ops::Range;

use super::dialect::Dialect;
use crate::finding::Edit;

/// Syntax errors kept per file; the linter reports at most a few hundred per rule anyway.
const MAX_ERRORS: usize = 10_000;

/// Filters a placeholder may use. Anything else would be sent wrong by the mail-merge tool.
pub const KNOWN_FILTERS: &[&str] = &["default", "capitalize", "upcase", "downcase", "strip"];

/// HubL's filters of the same kinds (HubSpot templates).
const HUBL_FILTERS: &[&str] = &[
    "default",
    "capitalize",
    "upper",
    "lower",
    "title",
    "trim",
    "upcase",
    "downcase",
    "strip",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub name: String,
    /// The whole `| name: "arg"` text.
    pub span: Range<usize>,
    pub argument: Option<String>,
    /// Span of the quoted argument, quotes included.
    pub argument_span: Option<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// The whole `{{ ... }}`.
    pub span: Range<usize>,
    pub name: String,
    pub name_span: Range<usize>,
    pub filters: Vec<Filter>,
}

impl Placeholder {
    /// The `| default: "…"` fallback, when there is one.
    pub fn fallback(&self) -> Option<&str> {
        self.filters
            .iter()
            .find(|f| f.name == "default")
            .and_then(|f| f.argument.as_deref())
    }
}

/// Broken placeholder syntax, with the repair when one is obvious.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Range<usize>,
    pub message: String,
    pub repair: Option<Repair>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Scans `text` for placeholders, skipping the byte ranges in `skip` (code, comments, front matter).
/// `skip` must be sorted and non-overlapping.
pub fn scan(text: &str, skip: &[Range<usize>]) -> (Vec<Placeholder>, Vec<SyntaxError>) {
    scan_in(text, skip, Dialect::Liquid)
}

/// As [`scan`], reading the placeholder forms of `dialect` (`| "x"` in Liquid senders,
/// `|default('x')` and `personalization_token(…)` in HubL).
pub fn scan_in(
    text: &str,
    skip: &[Range<usize>],
    dialect: Dialect,
) -> (Vec<Placeholder>, Vec<SyntaxError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let bytes = text.as_bytes();
    let mut skip_iter = skip.iter().peekable();
    let mut lines = LineCursor::default();
    let mut i = 0;
    while i + 1 < bytes.len() {
        // Jump over skipped regions.
        while let Some(r) = skip_iter.peek() {
            if r.end <= i {
                skip_iter.next();
            } else {
                break;
            }
        }
        if let Some(r) = skip_iter.peek() {
            if r.start <= i {
                i = r.end;
                continue;
            }
        }
        let limit = skip_iter.peek().map_or(bytes.len(), |r| r.start);
        match (bytes[i], bytes[i + 1]) {
            (b'\\', b'{') if bytes.get(i + 2) == Some(&b'{') => {
                // `\{{` is a literal brace pair.
                i += 3;
                // A literal `{{` may be followed by a literal `}}` on the same line; skip it too.
                let line_end = lines.end_of(bytes, i).min(limit);
                if let Some(close) = find(bytes, b"}}", i, line_end) {
                    i = close + 2;
                }
            }
            (b'{', b'{') => {
                let line_end = lines.end_of(bytes, i).min(limit);
                let close = lines.close_after(bytes, i + 2, line_end);
                let reopen = find(bytes, b"{{", i + 2, line_end);
                match close {
                    Some(c) if reopen.is_none_or(|o| o > c) => {
                        // `{{{x}}}`-style triple braces: take the innermost pair.
                        let mut end = c + 2;
                        while end < line_end && bytes[end] == b'}' && bytes[i + 2] == b'{' {
                            end += 1;
                        }
                        match parse_inner(text, i, c, dialect) {
                            Ok(p) => found.push(p),
                            Err(e) => errors.push(e),
                        }
                        i = c + 2;
                    }
                    _ => {
                        if errors.len() < MAX_ERRORS {
                            errors.push(unclosed(text, i, reopen.unwrap_or(line_end)));
                        }
                        i += 2;
                    }
                }
            }
            (b'}', b'}') => {
                if errors.len() < MAX_ERRORS {
                    errors.push(stray_close(text, i));
                }
                i += 2;
                while i < bytes.len() && bytes[i] == b'}' {
                    i += 1;
                }
            }
            // Skip straight to the next brace or backslash before the next skipped region.
            _ => {
                i = memchr::memchr3(b'{', b'}', b'\\', &bytes[i + 1..limit.max(i + 1)])
                    .map_or(limit.max(i + 1), |p| i + 1 + p)
            }
        }
    }
    (found, errors)
}

/// Remembers the current line's end and the next `}}`, so a line full of `{{` is scanned once, not once per
/// brace (which would be quadratic).
#[derive(Default)]
struct LineCursor {
    line: Option<(usize, usize)>,
    /// (searched from, searched up to, found).
    close: Option<(usize, usize, Option<usize>)>,
}

impl LineCursor {
    fn end_of(&mut self, bytes: &[u8], at: usize) -> usize {
        match self.line {
            Some((start, end)) if start <= at && at <= end => end,
            _ => {
                let end = line_end(bytes, at);
                self.line = Some((at, end));
                end
            }
        }
    }

    /// The first `}}` at or after `from` and before `to`.
    fn close_after(&mut self, bytes: &[u8], from: usize, to: usize) -> Option<usize> {
        if let Some((searched_from, searched_to, found)) = self.close {
            // A previous search from an earlier point already knows the answer for any later point
            // up to what it found (or, when it found nothing, up to where it searched).
            let known = match found {
                Some(f) => f >= from,
                None => to <= searched_to,
            };
            if searched_from <= from && known {
                return found.filter(|&f| f + 2 <= to);
            }
        }
        let until = self.line.map_or(to, |(_, e)| e.max(to));
        let found = find(bytes, b"}}", from, until);
        self.close = Some((from, until, found));
        found.filter(|&f| f + 2 <= to)
    }
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &bytes[from.min(bytes.len())..]).map_or(bytes.len(), |p| from + p)
}

fn find(bytes: &[u8], needle: &[u8], from: usize, to: usize) -> Option<usize> {
    if from >= to {
        return None;
    }
    // Needles are two bytes: jump between candidates of the first byte (cheaper than a memmem searcher
    // built per call).
    let mut at = from;
    while let Some(p) = memchr::memchr(needle[0], &bytes[at..to]) {
        let start = at + p;
        if bytes[start..to].starts_with(needle) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

/// True for `snake_case` names, the only form placeholders take.
pub fn is_snake_case(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `FirstName`, `firstName`, `first-name`, `First Name` → `first_name`.
pub fn to_snake_case(raw: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in raw.trim().chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = true;
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
            prev_lower = false;
        }
    }
    out.trim_end_matches('_').to_string()
}

fn unclosed(text: &str, open: usize, stop: usize) -> SyntaxError {
    // Offer to close right after the name that follows the braces.
    let bytes = text.as_bytes();
    let mut j = open + 2;
    while j < stop && bytes[j] == b' ' {
        j += 1;
    }
    let name_start = j;
    while j < stop && is_name_byte(bytes[j]) {
        j += 1;
    }
    let mut close_at = j;
    // `{{first_name}` is missing one brace only.
    let single = j < stop && bytes[j] == b'}';
    if single {
        close_at = j + 1;
    }
    let end = if single { j + 1 } else { j.max(open + 2) };
    let repair = (j > name_start).then(|| Repair {
        title: "Close the placeholder with `}}`".to_string(),
        edits: vec![Edit {
            span: close_at..close_at,
            replacement: if single { "}".into() } else { "}}".into() },
        }],
    });
    SyntaxError {
        span: open..end,
        message: "unclosed placeholder: `{{` has no matching `}}` on this line".to_string(),
        repair,
    }
}

fn stray_close(text: &str, at: usize) -> SyntaxError {
    let bytes = text.as_bytes();
    let mut start = at;
    while start > 0 && is_name_byte(bytes[start - 1]) {
        start -= 1;
    }
    // `first_name}}` lacks its opening braces; a lone `}}` is just removed.
    let single_open = start > 0 && bytes[start - 1] == b'{';
    let repair = if start < at {
        Some(Repair {
            title: "Open the placeholder with `{{`".to_string(),
            edits: vec![Edit {
                span: start..start,
                replacement: if single_open { "{".into() } else { "{{".into() },
            }],
        })
    } else {
        Some(Repair {
            title: "Remove the stray `}}`".to_string(),
            edits: vec![Edit {
                span: at..at + 2,
                replacement: String::new(),
            }],
        })
    };
    let span_start = if single_open { start - 1 } else { start };
    SyntaxError {
        span: span_start..at + 2,
        message: "stray `}}` without an opening `{{`".to_string(),
        repair,
    }
}

fn skip_ws(bytes: &[u8], mut j: usize, end: usize) -> usize {
    while j < end && (bytes[j] == b' ' || bytes[j] == b'\t') {
        j += 1;
    }
    j
}

/// Parses `{{ ... }}` where `open` is the offset of `{{` and `close` the offset of `}}`.
fn parse_inner(
    text: &str,
    open: usize,
    close: usize,
    dialect: Dialect,
) -> Result<Placeholder, SyntaxError> {
    let bytes = text.as_bytes();
    let span = open..close + 2;
    let err = |message: String, repair: Option<Repair>| SyntaxError {
        span: span.clone(),
        message,
        repair,
    };
    let replace_all = |title: &str, with: String| {
        Some(Repair {
            title: title.to_string(),
            edits: vec![Edit {
                span: span.clone(),
                replacement: with,
            }],
        })
    };
    let mut j = skip_ws(bytes, open + 2, close);
    if j == close {
        return Err(err(
            "empty placeholder `{{ }}`".into(),
            replace_all("Remove the empty placeholder", String::new()),
        ));
    }
    if matches!(bytes[j], b'#' | b'/') && matches!(dialect, Dialect::Liquid | Dialect::Hubspot) {
        // `{{#if x}}` / `{{/if}}` in a Liquid or HubSpot file: say whose syntax it is and what this
        // file's engine writes instead, since the engine would send it as text.
        return Err(err(
            format!(
                "`{}` is Handlebars block syntax, but this file is read as {}, which writes conditions as `{{% if … %}}` … `{{% endif %}}`",
                &text[span.clone()],
                dialect.display_name()
            ),
            None,
        ));
    }
    if matches!(bytes[j], b'#' | b'/' | b'>' | b'!' | b'^' | b'{') {
        return Err(err(
            "block or partial syntax from another template language is not supported; use `{{ name | default: \"…\" }}`".into(),
            None,
        ));
    }
    let name_start = j;
    while j < close && is_name_byte(bytes[j]) {
        j += 1;
    }
    let name_end = j;
    if name_end == name_start {
        return Err(err(
            format!(
                "`{}` is not a placeholder name",
                text[name_start..close].trim()
            ),
            None,
        ));
    }
    let name = text[name_start..name_end].to_string();
    j = skip_ws(bytes, j, close);
    if dialect == Dialect::Hubspot && name == "personalization_token" && bytes.get(j) == Some(&b'(')
    {
        if let Some(p) = personalization_token(text, span.clone(), j, close) {
            return Ok(p);
        }
    }
    let filters_allowed: &[&str] = if dialect == Dialect::Hubspot {
        HUBL_FILTERS
    } else {
        KNOWN_FILTERS
    };
    let mut filters = Vec::new();
    if j < close {
        let rest = &text[j..close];
        if let Some(fallback) = rest.strip_prefix("||") {
            // Klenty-style `{{FirstName||there}}`.
            let snake = to_snake_case(&name);
            let written = dialect.write_with_default(&snake, fallback.trim());
            return Err(err(
                format!(
                    "`||` fallback syntax is not {}; use `{written}`",
                    dialect.as_str()
                ),
                replace_all(&format!("Convert to `{written}`"), written.clone()),
            ));
        }
        if let Some(fallback) = rest.strip_prefix(':') {
            // Snov-style `{{first_name: there}}`.
            let snake = to_snake_case(&name);
            let written = dialect.write_with_default(&snake, fallback.trim());
            return Err(err(
                format!(
                    "`name: fallback` syntax is not {}; use `{written}`",
                    dialect.as_str()
                ),
                replace_all(&format!("Convert to `{written}`"), written.clone()),
            ));
        }
        if rest.starts_with('(') {
            return Err(err(
                "function-call placeholders from another tool are not supported".into(),
                None,
            ));
        }
        if !rest.starts_with('|') {
            // `{{first name}}`: words where one snake_case name belongs.
            let joined = to_snake_case(&text[name_start..close]);
            return Err(err(
                format!("placeholder names are one snake_case word; did you mean `{joined}`?"),
                replace_all(
                    &format!("Replace with `{{{{{joined}}}}}`"),
                    format!("{{{{{joined}}}}}"),
                ),
            ));
        }
        while j < close {
            let fstart = j;
            if bytes[j] != b'|' {
                return Err(err(
                    format!("unexpected `{}` in placeholder", text[j..close].trim()),
                    None,
                ));
            }
            j = skip_ws(bytes, j + 1, close);
            if dialect == Dialect::Liquid && j < close && matches!(bytes[j], b'"' | b'\'') {
                // `{{FIRST_NAME | "there"}}`: the senders' short form of `| default:`.
                let quote = bytes[j];
                let Some(aend) = (j + 1..close).find(|&k| bytes[k] == quote) else {
                    return Err(err("unterminated string in fallback".into(), None));
                };
                filters.push(Filter {
                    name: "default".into(),
                    span: fstart..aend + 1,
                    argument: Some(text[j + 1..aend].to_string()),
                    argument_span: Some(j..aend + 1),
                });
                j = skip_ws(bytes, aend + 1, close);
                continue;
            }
            let fname_start = j;
            while j < close && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            let fname = &text[fname_start..j];
            if fname.is_empty() {
                return Err(err("empty filter after `|`".into(), None));
            }
            if !filters_allowed.contains(&fname) {
                let best = filters_allowed
                    .iter()
                    .max_by(|a, b| {
                        strsim::jaro_winkler(fname, a).total_cmp(&strsim::jaro_winkler(fname, b))
                    })
                    .copied()
                    .unwrap_or("default");
                let repair =
                    (strsim::jaro_winkler(&fname.to_lowercase(), best) > 0.8).then(|| Repair {
                        title: format!("Replace the filter with `{best}`"),
                        edits: vec![Edit {
                            span: fname_start..j,
                            replacement: best.to_string(),
                        }],
                    });
                return Err(SyntaxError {
                    span: span.clone(),
                    message: format!(
                        "unknown filter `{fname}` (known: {})",
                        filters_allowed.join(", ")
                    ),
                    repair,
                });
            }
            j = skip_ws(bytes, j, close);
            let mut argument = None;
            let mut argument_span = None;
            if dialect == Dialect::Liquid && j < close && bytes[j] == b'(' {
                // HubL's call form pasted into a Liquid file: Liquid stops at the `(`.
                let liquid = match (j..close).find(|&k| bytes[k] == b')') {
                    Some(cp) => {
                        quoted_argument(fname, ": ", strip_quotes(text[j + 1..cp].trim()), "")
                    }
                    None => format!("{fname}: \"…\""),
                };
                let end = (j..close)
                    .find(|&k| bytes[k] == b')')
                    .map_or(close, |k| k + 1);
                return Err(SyntaxError {
                    span: span.clone(),
                    message: format!(
                        "`{}` is HubSpot (HubL) syntax, but this file is read as {}, which writes `| {liquid}`",
                        &text[fstart..end],
                        dialect.display_name()
                    ),
                    repair: Some(Repair {
                        title: format!("Write `{liquid}`"),
                        edits: vec![Edit {
                            span: fname_start..end,
                            replacement: liquid,
                        }],
                    }),
                });
            }
            if dialect == Dialect::Hubspot && j < close && bytes[j] == b':' {
                // Liquid's colon form in a HubSpot file: HubL passes arguments in parentheses.
                let rest = text[j + 1..close].trim_start();
                let value_at = close - rest.len();
                let quoted = rest.starts_with(['"', '\'']);
                let value_end = if quoted {
                    (value_at + 1..close)
                        .find(|&k| bytes[k] == bytes[value_at])
                        .map_or(close, |k| k + 1)
                } else {
                    (value_at..close)
                        .find(|&k| bytes[k] == b'|')
                        .unwrap_or(close)
                };
                let hubl = quoted_argument(
                    fname,
                    "(",
                    strip_quotes(text[value_at..value_end].trim()),
                    ")",
                );
                return Err(SyntaxError {
                    span: span.clone(),
                    message: format!(
                        "`{}` is Liquid syntax, but this file is read as HubSpot (HubL), which writes `|{hubl}`",
                        text[fstart..value_end].trim_end()
                    ),
                    repair: Some(Repair {
                        title: format!("Write `{hubl}`"),
                        edits: vec![Edit {
                            span: fname_start..value_end,
                            replacement: hubl,
                        }],
                    }),
                });
            }
            let hubl_call = dialect == Dialect::Hubspot && j < close && bytes[j] == b'(';
            if hubl_call {
                // HubL `|default('there')`.
                let open_paren = j;
                let Some(close_paren) = (j..close).find(|&k| bytes[k] == b')') else {
                    return Err(err("unclosed `(` in filter".into(), None));
                };
                let raw = text[open_paren + 1..close_paren].trim();
                let inner_start = open_paren
                    + 1
                    + (text[open_paren + 1..close_paren].len()
                        - text[open_paren + 1..close_paren].trim_start().len());
                if !raw.is_empty() {
                    argument = Some(strip_quotes(raw).to_string());
                    argument_span = Some(inner_start..inner_start + raw.len());
                }
                j = close_paren + 1;
            } else if j < close && bytes[j] == b':' {
                j = skip_ws(bytes, j + 1, close);
                if j < close && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let quote = bytes[j];
                    let astart = j;
                    let Some(aend) = (j + 1..close).find(|&k| bytes[k] == quote) else {
                        return Err(err("unterminated string in filter argument".into(), None));
                    };
                    argument = Some(text[astart + 1..aend].to_string());
                    argument_span = Some(astart..aend + 1);
                    j = aend + 1;
                } else {
                    let astart = j;
                    while j < close && bytes[j] != b'|' {
                        j += 1;
                    }
                    let raw = text[astart..j].trim_end();
                    let aend = astart + raw.len();
                    return Err(SyntaxError {
                        span: span.clone(),
                        message: format!("the argument of `{fname}` must be quoted"),
                        repair: Some(Repair {
                            title: "Quote the argument".into(),
                            edits: vec![Edit {
                                span: astart..aend,
                                replacement: format!("\"{}\"", raw.replace('"', "'")),
                            }],
                        }),
                    });
                }
            }
            if fname == "default" && argument.is_none() && !hubl_call {
                return Err(err(
                    "`default` needs a value: `| default: \"…\"`".into(),
                    None,
                ));
            }
            let fend = j;
            filters.push(Filter {
                name: fname.to_string(),
                span: fstart..fend,
                argument,
                argument_span,
            });
            j = skip_ws(bytes, j, close);
        }
    }
    Ok(Placeholder {
        span,
        name,
        name_span: name_start..name_end,
        filters,
    })
}

fn strip_quotes(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'"' | b'\'') && b[b.len() - 1] == b[0] {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

/// HubL `{{ personalization_token("contact.firstname", "there") }}`; `paren` is the `(`.
fn personalization_token(
    text: &str,
    span: Range<usize>,
    paren: usize,
    close: usize,
) -> Option<Placeholder> {
    let bytes = text.as_bytes();
    let end = (paren..close).rev().find(|&k| bytes[k] == b')')?;
    // The quoted arguments, with their spans.
    let mut args = Vec::new();
    let mut k = paren + 1;
    while k < end {
        if matches!(bytes[k], b'"' | b'\'') {
            let q = bytes[k];
            let e = (k + 1..end).find(|&x| bytes[x] == q)?;
            args.push(k + 1..e);
            k = e + 1;
        } else {
            k += 1;
        }
    }
    let name = args.first()?.clone();
    let filters = args
        .get(1)
        .map(|d| Filter {
            name: "default".into(),
            span: d.start - 1..d.end + 1,
            argument: Some(text[d.clone()].to_string()),
            argument_span: Some(d.start - 1..d.end + 1),
        })
        .into_iter()
        .collect();
    Some(Placeholder {
        span,
        name: text[name.clone()].to_string(),
        name_span: name,
        filters,
    })
}

/// `default: "x"` or `default('x')`: a filter with its argument in whichever quotes the argument does
/// not contain (both engines accept either), so a repair never changes the fallback's text.
fn quoted_argument(filter: &str, open: &str, value: &str, close: &str) -> String {
    let q = if open == "(" && !value.contains('\'') || value.contains('"') {
        '\''
    } else {
        '"'
    };
    format!("{filter}{open}{q}{value}{q}{close}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialect_fallback_forms() {
        let (p, e) = scan_in("{{FIRST_NAME | \"there\"}}", &[], Dialect::Liquid);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(p[0].fallback(), Some("there"));
        let (p, e) = scan_in(
            "{{ contact.firstname|default('there') }}",
            &[],
            Dialect::Hubspot,
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(p[0].name, "contact.firstname");
        assert_eq!(p[0].fallback(), Some("there"));
        let text = "{{ personalization_token(\"contact.company\", \"your team\") }}";
        let (p, e) = scan_in(text, &[], Dialect::Hubspot);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(p[0].name, "contact.company");
        assert_eq!(p[0].fallback(), Some("your team"));
        // The short form is not HubL.
        let (_, e) = scan_in("{{x | \"y\"}}", &[], Dialect::Hubspot);
        assert_eq!(e.len(), 1);
    }

    fn one(text: &str) -> Placeholder {
        let (p, e) = scan(text, &[]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(p.len(), 1);
        p.into_iter().next().unwrap()
    }

    #[test]
    fn plain_and_default() {
        let p = one("Hi {{ first_name }},");
        assert_eq!(p.name, "first_name");
        assert_eq!(p.span, 3..19);
        assert_eq!(p.name_span, 6..16);
        let p = one("{{company | default: \"your team\"}}");
        assert_eq!(p.fallback(), Some("your team"));
        let p = one("{{company|default:'x'}}");
        assert_eq!(p.fallback(), Some("x"));
    }

    #[test]
    fn escapes_and_multibyte() {
        let (p, e) = scan("é \\{{not}} 😀 {{title}}", &[]);
        assert!(e.is_empty());
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].name, "title");
    }

    #[test]
    fn errors() {
        let cases = [
            "Hi {{first_name,",
            "Hi first_name}},",
            "{{ }}",
            "{{x | shout}}",
            "{{FirstName||there}}",
            "{{first_name: there}}",
            "{{first name}}",
            "{{x | default: there}}",
            "{{#if x}}",
        ];
        for c in cases {
            let (_, e) = scan(c, &[]);
            assert_eq!(e.len(), 1, "{c}");
        }
    }

    #[test]
    fn skip_regions() {
        let text = "`{{x}}` {{y}}";
        let code_span = std::ops::Range { start: 0, end: 7 };
        let (p, _) = scan(text, std::slice::from_ref(&code_span));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].name, "y");
    }

    #[test]
    fn snake() {
        assert_eq!(to_snake_case("FirstName"), "first_name");
        assert_eq!(to_snake_case("first name"), "first_name");
        assert!(is_snake_case("first_name"));
        assert!(!is_snake_case("FirstName"));
    }
}
