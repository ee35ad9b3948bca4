//! The template model: front matter, messages (sections), placeholders, comments and the prose view the
//! rules read. Pure: text in, spans out.

pub mod catalog;
pub mod channel;
pub mod choice;
pub mod convert;
pub mod dialect;
pub mod edit;
pub mod front_matter;
pub mod length;
pub mod opening;
pub mod placeholder;
pub mod tag;
pub mod wrap;

use std::ops::Range;

use crate::text::LineIndex;
pub use catalog::{Category, PlaceholderDef};
pub use channel::{Account, Channel, HeadingKind, Kind};
pub use choice::{Branch, Choice, ChoiceKind};
pub use dialect::{Dialect, DialectSource};
pub use front_matter::FrontMatter;
pub use placeholder::Placeholder;

/// An HTML comment (`<!-- … -->`): suppressions and section settings live in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Range<usize>,
    /// The text between `<!--` and `-->`, trimmed.
    pub inner: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The whole heading line (without its line break).
    pub line: Range<usize>,
    /// The title text after the `#` marks.
    pub title: Range<usize>,
    pub level: usize,
}

/// Where a message's kind came from (shown on hover).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindSource {
    Section,
    Heading,
    FrontMatter,
    /// The step's place in the sequence: the step after a connection request is the follow-up, later
    /// ones are messages (or emails, InMails in a sequence of those).
    Position,
    Channel,
}

/// One message of a template: the whole file, or one section of a sequence.
#[derive(Debug, Clone)]
pub struct Message {
    pub index: usize,
    /// From the heading (or the start of the body) to the end of the section.
    pub span: Range<usize>,
    pub heading: Option<Heading>,
    /// The subject text after `Subject:`, for emails and InMails.
    pub subject: Option<Range<usize>>,
    pub subject_line: Option<Range<usize>>,
    /// What is sent as the body: after the heading and subject, whitespace-trimmed.
    pub content: Range<usize>,
    pub kind: Kind,
    pub kind_source: KindSource,
    pub channel: Channel,
    /// The kind of the step before this one in a sequence (`None` for the first step or a single
    /// message): only the first message after a connection request owes thanks, and a step with no kind
    /// of its own takes one from its place.
    pub follows: Option<Kind>,
    /// Where message-level findings point: the heading line, else the first non-blank line.
    pub anchor: Range<usize>,
    /// The first non-blank line of the content, where the greeting belongs.
    pub first_line: Option<Range<usize>>,
    /// Indices into `Template::placeholders` of the placeholders in the content and subject.
    pub placeholders: Range<usize>,
}

/// "a follow-up", "an email", "an InMail".
fn with_article(words: &str) -> String {
    let article = if words.starts_with(['a', 'e', 'i', 'o', 'u', 'I']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {words}")
}

impl Message {
    /// Why the message has its kind, in words (shown on hover).
    pub fn kind_reason(&self, text: &str) -> String {
        // The heading's words that decided (or, for a later step, that named it one).
        let cue = self
            .heading
            .as_ref()
            .and_then(|h| text.get(h.title.clone()))
            .and_then(channel::Kind::read_heading)
            .map(|(_, why)| why);
        match (self.kind_source, self.follows) {
            (KindSource::Section, _) => "set in the heading's outreach comment".into(),
            (KindSource::Heading, _) => match cue {
                Some(why) => format!("from the heading's words (“{why}”)"),
                None => "from the heading's words".into(),
            },
            (KindSource::Position, Some(previous)) if cue.is_some() => format!(
                "from its place: the heading (“{}”) names a later step, and it comes after {}",
                cue.unwrap_or_default(),
                with_article(previous.in_words())
            ),
            (KindSource::FrontMatter, _) => "from the front matter".into(),
            (KindSource::Position, Some(previous)) => {
                format!(
                    "from its place: it comes after {}",
                    with_article(previous.in_words())
                )
            }
            (KindSource::Position, None) => "from its place in the sequence".into(),
            (KindSource::Channel, _) => "the channel's default (nothing else says)".into(),
        }
    }

    /// What the recipient reads: the subject line (if any) through the end of the content.
    pub fn sent_span(&self) -> Range<usize> {
        self.subject_line
            .as_ref()
            .map_or(self.content.start, |s| s.start.min(self.content.start))
            ..self.content.end
    }

    pub fn label(&self, text: &str) -> String {
        match &self.heading {
            Some(h) => text[h.title.clone()].trim().to_string(),
            None => format!("{} message", self.kind.as_str()),
        }
    }
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template<'t> {
    pub text: &'t str,
    pub lines: LineIndex,
    pub front_matter: Option<FrontMatter>,
    /// The text with non-prose bytes (front matter, code, comments, link targets) blanked to spaces.
    pub prose: String,
    /// Sorted, disjoint byte ranges that are not prose.
    pub non_prose: Vec<Range<usize>>,
    pub comments: Vec<Comment>,
    pub placeholders: Vec<Placeholder>,
    pub syntax_errors: Vec<placeholder::SyntaxError>,
    pub messages: Vec<Message>,
    /// True when the file has message sections (headings).
    pub is_sequence: bool,
    /// The template language the file is read in, and why.
    pub dialect: Dialect,
    pub dialect_source: DialectSource,
    /// Spintax groups and conditional blocks, sorted by start (a nested one after its parent).
    pub choices: Vec<Choice>,
    /// Tag syntax that renders to nothing (also in `non_prose`), sorted and disjoint.
    pub markup: Vec<Range<usize>>,
}

impl<'t> Template<'t> {
    pub fn parse(text: &'t str) -> Template<'t> {
        Template::parse_in(text, None)
    }

    /// Parses `text`; `config_dialect` (from `.outreach.toml`) applies when the front matter names none.
    pub fn parse_in(text: &'t str, config_dialect: Option<Dialect>) -> Template<'t> {
        let lines = LineIndex::new(text);
        let front_matter = front_matter::find(text);
        let body_start = front_matter.as_ref().map_or(0, |f| f.span.end);
        let mut non_prose = Vec::new();
        if body_start > 0 {
            non_prose.push(0..body_start);
        }
        let mut comments = Vec::new();
        let mut headings = Vec::new();
        scan_markdown(
            text,
            body_start,
            &lines,
            &mut non_prose,
            &mut comments,
            &mut headings,
        );
        non_prose.sort_by_key(|r| r.start);
        let non_prose = merge(non_prose);
        let (dialect, dialect_source) = Dialect::choose(
            front_matter.as_ref().and_then(|f| f.settings.dialect),
            config_dialect,
            &text[body_start..],
        );
        let dialect_scan = choice::scan(text, &non_prose, dialect);
        // Tags render to nothing: they are not prose, and placeholders are not looked for in them.
        let non_prose = if dialect_scan.markup.is_empty() {
            non_prose
        } else {
            let mut all = non_prose;
            all.extend(dialect_scan.markup.iter().cloned());
            all.sort_by_key(|r| r.start);
            merge(all)
        };
        let mut prose = text.to_string();
        // SAFETY of the byte edit: each masked byte becomes an ASCII space except line breaks, and whole
        // char ranges are masked, so the string stays valid UTF-8 with the same offsets.
        {
            let bytes = unsafe_free_mask(&prose, &non_prose);
            prose = bytes;
        }
        if !dialect_scan.choices.is_empty() {
            prose = break_between_options(prose, &dialect_scan.choices);
        }
        let (mut placeholders, mut syntax_errors) = if dialect_scan.claimed.is_empty() {
            placeholder::scan_in(text, &non_prose, dialect)
        } else {
            let mut skip = non_prose.clone();
            skip.extend(dialect_scan.claimed.iter().cloned());
            skip.sort_by_key(|r| r.start);
            placeholder::scan_in(text, &merge(skip), dialect)
        };
        placeholders.extend(dialect_scan.placeholders);
        placeholders.sort_by_key(|p| p.span.start);
        if !dialect_scan.errors.is_empty() {
            syntax_errors.extend(dialect_scan.errors);
            syntax_errors.sort_by_key(|e| e.span.start);
        }

        let file = front_matter.as_ref().map(|f| &f.settings);
        let file_channel = file.and_then(|s| s.channel);
        let file_kind = file.and_then(|s| s.kind);
        let mut messages = Vec::new();
        let is_sequence = !headings.is_empty();
        if headings.is_empty() {
            messages.push(build_message(
                text,
                &lines,
                &prose,
                0,
                None,
                body_start..text.len(),
                (None, None),
                file_channel,
                file_kind,
                &dialect_scan.markup,
                None,
            ));
        } else {
            for (i, h) in headings.iter().enumerate() {
                let end = headings
                    .get(i + 1)
                    .map_or(text.len(), |n: &Heading| n.line.start);
                let over = section_override(text, h, &comments);
                let previous = messages.last().map(|m: &Message| (m.kind, m.channel));
                messages.push(build_message(
                    text,
                    &lines,
                    &prose,
                    i,
                    Some(h.clone()),
                    h.line.start..end,
                    over,
                    file_channel,
                    file_kind,
                    &dialect_scan.markup,
                    previous,
                ));
            }
        }
        // Placeholder index ranges per message.
        for m in &mut messages {
            let lo = placeholders.partition_point(|p| p.span.start < m.span.start);
            let hi = placeholders.partition_point(|p| p.span.start < m.span.end);
            m.placeholders = lo..hi;
        }
        Template {
            text,
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
            choices: dialect_scan.choices,
            markup: dialect_scan.markup,
        }
    }

    pub fn settings(&self) -> Option<&front_matter::FileSettings> {
        self.front_matter.as_ref().map(|f| &f.settings)
    }

    /// The placeholders of one message.
    pub fn placeholders_of(&self, m: &Message) -> &[Placeholder] {
        &self.placeholders[m.placeholders.clone()]
    }

    /// Whether `p` is rendered only when its field has a value: it lies in a branch of a condition
    /// that tests the field (`{% if x %}…{{x}}…`, the else of `{% unless x %}`, `*|IF:X|*`).
    pub fn is_guarded(&self, p: &Placeholder) -> bool {
        let upto = self
            .choices
            .partition_point(|c| c.span.start <= p.span.start);
        // The nearest 512 choices before it: enough for any real nesting, and bounded on files
        // with tens of thousands of blocks.
        self.choices[upto.saturating_sub(512)..upto]
            .iter()
            .filter(|c| c.span.end >= p.span.end && c.kind != ChoiceKind::Spintax)
            .any(|c| {
                c.branches.iter().enumerate().any(|(i, b)| {
                    b.span.start <= p.span.start
                        && p.span.end <= b.span.end
                        && c.present_in(i)
                            .iter()
                            .any(|n| catalog::same_placeholder(n, &p.name))
                })
            })
    }

    /// The conditional choices (not spintax) whose options hold `p`, with the option holding it.
    fn conditions_around<'s>(
        &'s self,
        p: &'s Placeholder,
    ) -> impl Iterator<Item = (&'s Choice, usize)> + 's {
        let upto = self
            .choices
            .partition_point(|c| c.span.start <= p.span.start);
        self.choices[upto.saturating_sub(512)..upto]
            .iter()
            .filter(|c| c.span.end >= p.span.end && c.kind != ChoiceKind::Spintax)
            .filter_map(|c| {
                c.branches
                    .iter()
                    .position(|b| b.span.start <= p.span.start && p.span.end <= b.span.end)
                    .map(|i| (c, i))
            })
    }

    /// Whether `p` is in a conditional option at all (`{% if company %}…{{first_name}}…`).
    pub fn is_conditional(&self, p: &Placeholder) -> bool {
        self.conditions_around(p).next().is_some()
    }

    /// Whether `p` is rendered for a contact whose fields `field` gives: every condition around it
    /// picks its option. A condition this reader cannot evaluate counts as picking it.
    pub fn is_rendered_for(&self, p: &Placeholder, field: &dyn Fn(&str) -> Option<String>) -> bool {
        self.conditions_around(p)
            .all(|(c, i)| c.pick(field).is_none_or(|picked| picked == i))
    }

    pub fn is_prose(&self, offset: usize) -> bool {
        let i = self.non_prose.partition_point(|r| r.end <= offset);
        self.non_prose.get(i).is_none_or(|r| r.start > offset)
    }

    /// The message containing `offset`, if any.
    pub fn message_at(&self, offset: usize) -> Option<&Message> {
        self.messages
            .iter()
            .find(|m| m.span.start <= offset && offset < m.span.end.max(m.span.start + 1))
            .or_else(|| {
                self.messages
                    .last()
                    .filter(|m| offset >= m.span.start && offset <= self.text.len())
            })
    }
}

fn unsafe_free_mask(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in ranges {
        out.push_str(&text[at..r.start]);
        for c in text[r.clone()].chars() {
            if c == '\n' || c == '\r' {
                out.push(c);
            } else {
                for _ in 0..c.len_utf8() {
                    out.push(' ');
                }
            }
        }
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The options of a choice are never read together: the tag between two options (`|`,
/// `{% else %}`) becomes a line break in the prose, so a phrase or a sentence never runs from one
/// option into the next. One byte of the (already blanked) tag changes, so offsets stay.
fn break_between_options(prose: String, choices: &[Choice]) -> String {
    let mut bytes = prose.into_bytes();
    for c in choices {
        for pair in c.branches.windows(2) {
            let at = pair[0].span.end;
            if at < pair[1].span.start && bytes.get(at) == Some(&b' ') {
                bytes[at] = b'\n';
            }
        }
    }
    // A space became a line break: still UTF-8 (checked, not assumed).
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn merge(ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        if r.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// One pass over the body: fenced code, comments, inline code, link targets, headings.
fn scan_markdown(
    text: &str,
    body_start: usize,
    lines: &LineIndex,
    non_prose: &mut Vec<Range<usize>>,
    comments: &mut Vec<Comment>,
    headings: &mut Vec<Heading>,
) {
    let bytes = text.as_bytes();
    let first_line = lines.line_of(body_start);
    let mut fence: Option<(u8, usize, usize)> = None; // (char, count, start offset)
    let mut in_comment: Option<usize> = None;
    let mut line = first_line;
    while line < lines.line_count() {
        let span = lines.line_span(text, line);
        let full_end = lines.line_start(line + 1);
        line += 1;
        if span.start < body_start {
            continue;
        }
        let content = &text[span.clone()];
        let trimmed = content.trim_start_matches(' ');
        let indent = content.len() - trimmed.len();
        // Fenced code blocks.
        if in_comment.is_none() && indent <= 3 {
            let fc = trimmed.as_bytes().first().copied();
            if let Some(c @ (b'`' | b'~')) = fc {
                let count = trimmed.bytes().take_while(|&b| b == c).count();
                if count >= 3 {
                    match fence {
                        None => {
                            fence = Some((c, count, span.start));
                            continue;
                        }
                        Some((fc, fcount, start))
                            if fc == c && count >= fcount && trimmed[count..].trim().is_empty() =>
                        {
                            non_prose.push(start..span.end);
                            fence = None;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
        }
        if fence.is_some() {
            continue;
        }
        // Comments, inline code and link targets within the line.
        let mut i = span.start;
        if let Some(start) = in_comment {
            match text[span.clone()].find("-->") {
                Some(p) => {
                    let end = span.start + p + 3;
                    push_comment(text, start, end, comments, non_prose);
                    in_comment = None;
                    i = end;
                }
                None => continue,
            }
        } else if indent <= 3 && trimmed.starts_with('#') {
            let level = trimmed.bytes().take_while(|&b| b == b'#').count();
            let after = &trimmed[level..];
            if level <= 6 && (after.is_empty() || after.starts_with(' ') || after.starts_with('\t'))
            {
                let title_start = span.start + indent + level;
                let title_text = &text[title_start..span.end];
                let lead = title_text.len() - title_text.trim_start().len();
                let mut title_end = span.end;
                if let Some(p) = title_text.find("<!--") {
                    title_end = title_start + p;
                }
                let t = text[title_start + lead..title_end].trim_end();
                let t = t.trim_end_matches('#').trim_end();
                headings.push(Heading {
                    line: span.clone(),
                    title: title_start + lead..title_start + lead + t.len(),
                    level,
                });
            }
        }
        while i < span.end {
            let b = bytes[i];
            if b == b'<' && text[i..span.end].starts_with("<!--") {
                match text[i + 4..span.end].find("-->") {
                    Some(p) => {
                        let end = i + 4 + p + 3;
                        push_comment(text, i, end, comments, non_prose);
                        i = end;
                    }
                    None => {
                        in_comment = Some(i);
                        break;
                    }
                }
            } else if b == b'`' {
                let run = bytes[i..span.end]
                    .iter()
                    .take_while(|&&c| c == b'`')
                    .count();
                let ticks = &text[i..i + run];
                match text[i + run..span.end].find(ticks) {
                    Some(p) => {
                        let end = i + run + p + run;
                        non_prose.push(i..end);
                        i = end;
                    }
                    None => i += run,
                }
            } else if b == b']' && bytes.get(i + 1) == Some(&b'(') {
                match text[i + 2..span.end].find(')') {
                    Some(p) => {
                        let end = i + 2 + p + 1;
                        non_prose.push(i + 1..end);
                        i = end;
                    }
                    None => i += 1,
                }
            } else {
                i += 1;
            }
            // Jump to the next byte that can start a comment, code span or link target.
            i = memchr::memchr3(b'<', b'`', b']', &bytes[i.min(span.end)..span.end])
                .map_or(span.end, |p| i + p);
        }
        let _ = full_end;
    }
    if let Some(start) = in_comment {
        // An unclosed comment runs to the end, as in HTML.
        push_comment(text, start, text.len(), comments, non_prose);
    }
    if let Some((_, _, start)) = fence {
        non_prose.push(start..text.len());
    }
}

fn push_comment(
    text: &str,
    start: usize,
    end: usize,
    comments: &mut Vec<Comment>,
    non_prose: &mut Vec<Range<usize>>,
) {
    let inner_start = (start + 4).min(end);
    let inner_end = if text[..end].ends_with("-->") && end >= inner_start + 3 {
        end - 3
    } else {
        end
    };
    let raw = &text[inner_start..inner_end];
    let lead = raw.len() - raw.trim_start().len();
    let inner = inner_start + lead..inner_start + lead + raw.trim().len();
    comments.push(Comment {
        span: start..end,
        inner,
    });
    non_prose.push(start..end);
}

/// `## Step 2 <!-- outreach: kind=follow-up channel=linkedin-message -->`.
fn section_override(
    text: &str,
    h: &Heading,
    comments: &[Comment],
) -> (Option<Kind>, Option<Channel>) {
    let mut kind = None;
    let mut channel = None;
    // Comments are in text order: look at those starting on the heading line only (a linear filter
    // per heading was quadratic on long sequences).
    let first = comments.partition_point(|c| c.span.start < h.line.start);
    for c in comments[first..]
        .iter()
        .take_while(|c| c.span.start < h.line.end)
    {
        let inner = &text[c.inner.clone()];
        let Some(rest) = inner.strip_prefix("outreach:") else {
            continue;
        };
        for pair in rest.split([' ', ',', ';']).filter(|s| !s.is_empty()) {
            if let Some((k, v)) = pair.split_once('=') {
                match k.trim() {
                    "kind" => kind = Kind::parse(v.trim()),
                    "channel" => channel = Channel::parse(v.trim()),
                    _ => {}
                }
            }
        }
    }
    (kind, channel)
}

/// The kind a step takes from the step before it: after a connection request (or an accept reply) comes
/// the follow-up, after that further messages; a sequence of emails or InMails goes on as one.
fn kind_after(previous: (Kind, Channel)) -> Kind {
    match previous.0 {
        Kind::ConnectionRequest | Kind::AcceptReply | Kind::ContextRequest => Kind::FollowUp,
        Kind::FollowUp | Kind::Message => Kind::Message,
        Kind::Email => Kind::Email,
        Kind::Inmail => Kind::Inmail,
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn build_message(
    text: &str,
    lines: &LineIndex,
    prose: &str,
    index: usize,
    heading: Option<Heading>,
    span: Range<usize>,
    (section_kind, section_channel): (Option<Kind>, Option<Channel>),
    file_channel: Option<Channel>,
    file_kind: Option<Kind>,
    markup: &[Range<usize>],
    previous: Option<(Kind, Channel)>,
) -> Message {
    let heading_kind = heading
        .as_ref()
        .and_then(|h| Kind::from_heading(&text[h.title.clone()]));
    let (kind_hint, kind_source) = match (section_kind, heading_kind) {
        (Some(k), _) => (Some(k), KindSource::Section),
        (None, Some(HeadingKind::Kind(k))) => (Some(k), KindSource::Heading),
        // A later step ("Bump", "Day 14") follows from the step before it, whatever the file says.
        (None, Some(HeadingKind::LaterStep)) => match previous {
            Some(p) => (Some(kind_after(p)), KindSource::Position),
            None => (file_kind, KindSource::FrontMatter),
        },
        (None, None) => match (file_kind, previous) {
            (Some(k), _) => (Some(k), KindSource::FrontMatter),
            (None, Some(p)) => (Some(kind_after(p)), KindSource::Position),
            (None, None) => (None, KindSource::Channel),
        },
    };
    let kind_source = if kind_hint.is_none() {
        KindSource::Channel
    } else {
        kind_source
    };
    let channel = section_channel
        .or_else(|| match kind_source {
            KindSource::Section | KindSource::Heading | KindSource::Position => {
                kind_hint.map(|k| k.default_channel(file_channel))
            }
            _ => None,
        })
        .or(file_channel)
        .or_else(|| kind_hint.map(|k| k.default_channel(None)))
        .unwrap_or(Channel::LinkedinConnection);
    let mut kind = kind_hint.unwrap_or_else(|| channel.default_kind());
    let mut channel = channel;

    // Body lines after the heading.
    let body_start = heading
        .as_ref()
        .map_or(span.start, |h| {
            lines.line_start(lines.line_of(h.line.start) + 1)
        })
        .min(span.end);
    let mut first = None;
    let mut line = lines.line_of(body_start);
    while lines.line_start(line) < span.end && line < lines.line_count() {
        let ls = lines.line_span(text, line);
        if ls.start >= body_start && !prose[ls.clone()].trim().is_empty() {
            first = Some(ls);
            break;
        }
        line += 1;
    }
    let mut subject = None;
    let mut subject_line = None;
    let mut content_start = body_start;
    if let Some(ls) = first.clone() {
        let l = &text[ls.clone()];
        let trimmed = l.trim_start();
        // Compared as bytes: byte 8 may fall inside a character (found by the time-bounded fuzz run).
        let is_subject = trimmed
            .as_bytes()
            .get(..8)
            .is_some_and(|b| b.eq_ignore_ascii_case(b"subject:"));
        // Nothing says what this is, and it opens with a subject line: it is an email.
        if is_subject
            && kind_source == KindSource::Channel
            && section_channel.is_none()
            && file_channel.is_none()
        {
            kind = Kind::Email;
            channel = Channel::Email;
        }
        let wants_subject = matches!(kind, Kind::Email | Kind::Inmail)
            || matches!(channel, Channel::Email | Channel::LinkedinInmail);
        if wants_subject && is_subject {
            let s_start = ls.start + (l.len() - trimmed.len()) + 8;
            let raw = &text[s_start..ls.end];
            let lead = raw.len() - raw.trim_start().len();
            subject = Some(s_start + lead..s_start + lead + raw.trim().len());
            subject_line = Some(ls.clone());
            content_start = lines.line_start(lines.line_of(ls.start) + 1).min(span.end);
        }
    }
    // Trim the content to its non-blank prose.
    let mut c_start = content_start;
    let mut c_end = span.end;
    let pb = prose.as_bytes();
    // Tags are blanked in the prose but belong to the content (a message may open with `{Hi|Hello}`).
    let in_markup = |at: usize| {
        let i = markup.partition_point(|r| r.end <= at);
        markup.get(i).is_some_and(|r| r.start <= at)
    };
    while c_start < c_end && pb[c_start].is_ascii_whitespace() && !in_markup(c_start) {
        c_start += 1;
    }
    while c_end > c_start && pb[c_end - 1].is_ascii_whitespace() && !in_markup(c_end - 1) {
        c_end -= 1;
    }
    let content = c_start..c_end;
    let first_line = if c_start < c_end {
        let l = lines.line_of(c_start);
        let ls = lines.line_span(text, l);
        Some(c_start..ls.end.min(c_end))
    } else {
        None
    };
    let anchor = heading
        .as_ref()
        .map(|h| h.line.clone())
        .or_else(|| subject_line.clone())
        .or_else(|| first_line.clone())
        .unwrap_or(span.start..span.start);
    Message {
        index,
        span,
        heading,
        subject,
        subject_line,
        content,
        kind,
        kind_source,
        channel,
        follows: previous.map(|p| p.0),
        anchor,
        first_line,
        placeholders: 0..0,
    }
}

/// The closest candidate to `name` by Jaro-Winkler similarity, when it is close enough to suggest.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    ranked(name, candidates, 1).into_iter().next()
}

/// Up to `n` candidates close to `name`, best first.
pub fn ranked<'a>(name: &str, candidates: impl Iterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let key = placeholder::to_snake_case(name);
    // A name the alias table knows (`FNAME`, `company_name`) ranks its placeholder first.
    let alias = catalog::canonical(name);
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| {
            let s =
                strsim::jaro_winkler(&key, c).max(strsim::normalized_damerau_levenshtein(&key, c));
            (if alias == Some(c) { 2.0 } else { s }, c)
        })
        .filter(|(s, _)| *s >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_later_step_takes_its_kind_from_its_place() {
        let t = Template::parse(
            "## Connection request\nHi {{first_name}}.\n## Day 14\nHi again.\n## Bump\nStill here.\n",
        );
        let kinds: Vec<Kind> = t.messages.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [Kind::ConnectionRequest, Kind::FollowUp, Kind::Message]
        );
        assert_eq!(t.messages[1].kind_source, KindSource::Position);
        assert!(t.messages[1]
            .kind_reason(t.text)
            .contains("(“day 14”) names a later step, and it comes after a connection request"));
        assert_eq!(
            t.messages[0].kind_reason(t.text),
            "from the heading's words (“connection”)"
        );
    }

    use super::*;

    #[test]
    fn single_message() {
        let t = Template::parse(
            "---\nchannel: email\n---\nSubject: Hello there\n\nHi {{first_name}},\n",
        );
        assert_eq!(t.messages.len(), 1);
        let m = &t.messages[0];
        assert_eq!(m.kind, Kind::Email);
        assert_eq!(&t.text[m.subject.clone().unwrap()], "Hello there");
        assert_eq!(&t.text[m.content.clone()], "Hi {{first_name}},");
        assert_eq!(t.placeholders_of(m).len(), 1);
    }

    /// An email whose first line has a character across byte 8 (where `Subject:` would end).
    #[test]
    fn first_line_with_a_wide_character_at_byte_8() {
        let t = Template::parse("---\nchannel: email\n---\nabcdefg😀 hi\n");
        assert_eq!(t.messages[0].subject, None);
        assert_eq!(&t.text[t.messages[0].content.clone()], "abcdefg😀 hi");
    }

    #[test]
    fn sequence_kinds_and_channels() {
        let text = "# Connection request\nHi\n\n## Follow-up\nThanks\n\n## Step 3 <!-- outreach: kind=inmail -->\nYo\n";
        let t = Template::parse(text);
        assert!(t.is_sequence);
        let kinds: Vec<_> = t.messages.iter().map(|m| (m.kind, m.channel)).collect();
        assert_eq!(
            kinds,
            vec![
                (Kind::ConnectionRequest, Channel::LinkedinConnection),
                (Kind::FollowUp, Channel::LinkedinMessage),
                (Kind::Inmail, Channel::LinkedinInmail)
            ]
        );
        assert_eq!(
            &text[t.messages[2].heading.as_ref().unwrap().title.clone()],
            "Step 3"
        );
    }

    #[test]
    fn code_and_comments_are_not_prose() {
        let text = "Hi `{{x}}` <!-- c --> [a](http://x.y)\n```\n{{y}}\n```\nend";
        let t = Template::parse(text);
        assert!(t.placeholders.is_empty());
        assert_eq!(t.comments.len(), 1);
        assert!(!t.prose.contains("http"));
        assert!(t.prose.contains("[a"));
        assert_eq!(t.prose.len(), text.len());
        assert!(t.prose.ends_with("end"));
    }

    #[test]
    fn headings_in_code_are_not_sections() {
        let t = Template::parse("Hi\n```\n# not a heading\n```\n");
        assert!(!t.is_sequence);
    }

    #[test]
    fn closest_names() {
        let names = ["first_name", "last_name", "company"];
        assert_eq!(
            closest("frist_name", names.iter().copied()),
            Some("first_name")
        );
        assert_eq!(
            closest("FirstName", names.iter().copied()),
            Some("first_name")
        );
        assert_eq!(closest("zzz", names.iter().copied()), None);
    }
}
