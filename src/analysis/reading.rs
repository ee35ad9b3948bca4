//! A message read through the language layer, once: its words (placeholders and hand-written stand-ins
//! as slots of their category), its language, and every match of the questions the rules ask
//! (`vocabulary::QUESTIONS`), found in one pass.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::vocabulary::{Question, QUESTIONS};
use super::Context;
use crate::language::pattern::{Match, Patterns};
use crate::language::{self, Language, Slot, Words};
use crate::model::{catalog, Category, Message};
use crate::text::overlaps;

static PATTERNS: LazyLock<Patterns<Question>> = LazyLock::new(|| Patterns::new(QUESTIONS));

/// Stand-ins written by hand or pasted from another tool, which a sender fills in before sending:
/// `[Company]`, `[specific point]`, `{first_name}`, `(Name)`, `<name>`, `%FIRSTNAME%`, `*|FNAME|*`,
/// `{!Contact.FirstName}`, `${firstName}`. Whether each is reported is `literal-placeholder`'s
/// business; here each is a slot, so a note written with them is read as the note it will become.
static STAND_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\[([^\[\]\n]{1,80})\](?:[^(\[:]|$)",
        r"|\(\(([A-Za-z][A-Za-z _-]{0,30})\)\)",
        r"|(?-u:\b)(?:insert|Insert|INSERT)_([A-Za-z_]{2,40})(?-u:\b)",
        r"|\{([A-Za-z][A-Za-z0-9 _.-]{0,40})\}",
        r"|\$\{([A-Za-z_][A-Za-z0-9_.]{0,40})\}",
        r"|\(((?:[A-Z][a-z]+ ?){1,3})\)",
        r"|<([A-Za-z][A-Za-z _-]{0,30})>",
        r"|%([A-Z][A-Z_]{1,30})%",
        r"|\*\|([A-Z][A-Z_]{0,30})\|\*",
        r"|\{!([A-Za-z_.]{1,60})\}",
    ))
    .expect("static regex")
});

/// The slot a stand-in's words name: a catalog placeholder's category when they map to one (`[Company]`
/// is the recipient's company, `[event]` common ground), otherwise what the words say.
fn stand_in_slot(inner: &str, category: impl Fn(&str) -> Option<Category>) -> Slot {
    let last = inner.rsplit('.').next().unwrap_or(inner);
    // `[[company.name]]` names the company: a dotted name is read whole before its last part.
    let dotted = inner
        .contains('.')
        .then(|| catalog::canonical(inner))
        .flatten();
    if let Some(name) = dotted
        .or_else(|| catalog::alias(last))
        .or_else(|| catalog::alias(inner))
    {
        return category_slot(category(name).unwrap_or(Category::Recipient), name);
    }
    let l = inner.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
    // Written from the sender's side ("[Your Name]", "[your field]", "[my company]"), or a part of the
    // message's machinery (a link, a button, a signature): nothing about the recipient.
    if l.starts_with("your ")
        || l.starts_with("your_")
        || l.starts_with("my ")
        || has(&[
            "sender",
            "signature",
            "link",
            "url",
            "calendar",
            "calendly",
            "scheduler",
            "button",
            "phone",
            "email",
            "logo",
            "unsubscribe",
            "price",
        ])
    {
        Slot::Other
    } else if has(&[
        "mutual",
        "event",
        "shared",
        "both",
        "common",
        "group",
        "school",
        "university",
        "alumni",
        "conference",
        "post",
        "article",
        "talk",
        "podcast",
        "episode",
        "panel",
        "webinar",
    ]) {
        Slot::CommonGround
    } else if has(&["reason", "why"]) {
        Slot::Reason
    } else if has(&["name"]) {
        Slot::Name
    } else {
        // "[specific point]", "[their recent project]": something about the recipient.
        Slot::Recipient
    }
}

fn category_slot(category: Category, name: &str) -> Slot {
    match category {
        Category::CommonGround => Slot::CommonGround,
        Category::Reason => Slot::Reason,
        Category::Recipient if name == "first_name" || name == "full_name" => Slot::Name,
        Category::Recipient => Slot::Recipient,
        _ => Slot::Other,
    }
}

/// What a message says in the rendering that takes every choice's first option, for the questions about
/// something said (a pitch, pressure, guilt, a personal remark) that the option-by-option reading misses
/// because the phrase runs across options: "{One team|A client} went from {x|y} to {z|w}". Matches the
/// main reading already has are left out; the rest keep their spans in the template. Nothing is read
/// when the message has no choice, so plain messages pay nothing.
fn first_rendering_matches(
    t: &crate::model::Template<'_>,
    span: &Range<usize>,
    slots: &[(Range<usize>, Slot)],
    words: &Words,
) -> Vec<Match<Question>> {
    const SAID: [Question; 5] = [
        Question::Pitch,
        Question::MeetingAsk,
        Question::Pressure,
        Question::Guilt,
        Question::Personal,
    ];
    let choices: Vec<_> = t
        .choices
        .iter()
        .filter(|c| c.span.start >= span.start && c.span.end <= span.end && c.branches.len() > 1)
        .collect();
    if choices.is_empty() {
        return Vec::new();
    }
    // The message's prose with everything outside the first options blanked: same byte offsets, so
    // words and matches read here point into the template.
    let mut bytes = t.prose.as_bytes()[span.clone()].to_vec();
    for c in &choices {
        let keep = &c.branches[0].span;
        for at in (c.span.start..c.span.end).filter(|at| !keep.contains(at)) {
            bytes[at - span.start] = b' ';
        }
    }
    // Blanking whole options and tags keeps UTF-8 valid (only whole characters' bytes are replaced).
    let Ok(local) = String::from_utf8(bytes) else {
        return Vec::new();
    };
    let local_slots: Vec<(Range<usize>, Slot)> = slots
        .iter()
        .filter(|(r, _)| r.start >= span.start && r.end <= span.end)
        .filter(|(r, _)| local.as_bytes()[r.start - span.start] != b' ')
        .map(|(r, k)| (r.start - span.start..r.end - span.start, *k))
        .collect();
    let first = Words::read(&local, 0..local.len(), &local_slots);
    let sentence_of = |at: usize| words.sentences.partition_point(|s| s.span.end <= at);
    PATTERNS
        .find(&first)
        .into_iter()
        .filter(|m| SAID.contains(&m.tag))
        .map(|m| {
            let at = m.span.start + span.start..m.span.end + span.start;
            Match {
                tag: m.tag,
                sentence: sentence_of(at.start),
                span: at,
            }
        })
        .collect()
}

/// One message, read.
pub struct Reading {
    pub words: Words,
    pub language: Language,
    pub matches: Vec<Match<Question>>,
}

impl Reading {
    pub(crate) fn read(cx: &Context<'_>, m: &Message) -> Reading {
        let t = cx.template;
        let span = m.sent_span();
        let mut slots: Vec<(Range<usize>, Slot)> = Vec::new();
        for p in t.placeholders_of(m) {
            let slot = match cx.def(&p.name) {
                Some(d) if d.is_name() => Slot::Name,
                Some(d) => category_slot(d.category, &d.name),
                // `{{companyName}}` is `company` spelled another way; a name that maps to nothing
                // (`{{frist_name}}`, reported by unknown-placeholder) says nothing about anyone.
                None => catalog::alias(&p.name).map_or(Slot::Other, |n| {
                    category_slot(cx.category(n).unwrap_or(Category::Recipient), n)
                }),
            };
            slots.push((p.span.clone(), slot));
        }
        let prose = &t.prose[span.clone()];
        // Placeholders are sorted and do not overlap: a stand-in inside one is found by binary search.
        let placeholders = slots.len();
        // Found with the plain search, and taken apart only where one is (the capturing search over
        // the whole message cost four times as much).
        for whole in STAND_IN.find_iter(prose) {
            // The words inside the delimiters, read by trimming them (asking the regex for its
            // groups costs a second, slower search per stand-in).
            // The bracket pattern also ate the character after `]`: the stand-in ends at the bracket.
            let end = whole.start()
                + whole
                    .as_str()
                    .rfind([']', '}', ')', '>', '%', '*'])
                    .map_or(whole.len(), |p| p + 1);
            let inner = prose[whole.start()..end]
                .trim_start_matches(['[', '{', '(', '<', '%', '*', '|', '$', '!'])
                .trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '.'));
            let inner = ["insert_", "Insert_", "INSERT_"]
                .iter()
                .find_map(|p| inner.strip_prefix(p))
                .unwrap_or(inner);
            if inner.is_empty() {
                continue;
            }
            let s = span.start + whole.start()..span.start + end;
            let i = slots[..placeholders].partition_point(|(r, _)| r.end <= s.start);
            let inside_placeholder = slots[..placeholders]
                .get(i)
                .is_some_and(|(r, _)| r.start < s.end);
            if !inside_placeholder {
                slots.push((s, stand_in_slot(inner, |n| cx.category(n))));
            }
        }
        slots.sort_by_key(|(r, _)| r.start);
        // Compiled before any word is read, so the patterns' stems hold the first numbers.
        let patterns = &*PATTERNS;
        let mut words = Words::read(&t.prose, span.clone(), &slots);
        let mut matches = patterns.find(&words);
        let more: Vec<Match<Question>> = first_rendering_matches(t, &span, &slots, &words)
            .into_iter()
            .filter(|x| {
                !matches
                    .iter()
                    .any(|y| y.tag == x.tag && overlaps(&y.span, &x.span))
            })
            .collect();
        matches.extend(more);
        // "We offer a four-day week": the terms of a job, not an offer for sale.
        let terms: Vec<Range<usize>> = matches
            .iter()
            .filter(|m| m.tag == Question::JobTerms)
            .map(|m| m.span.clone())
            .collect();
        if !terms.is_empty() {
            matches.retain(|m| {
                m.tag != Question::Pitch || !terms.iter().any(|t| overlaps(t, &m.span))
            });
        }
        // "An opportunity at [Company]": the slot names the sender's side, not the recipient's.
        for m in matches.iter().filter(|m| m.tag == Question::SenderSlot) {
            for w in words.words.iter_mut() {
                if w.form == language::Form::Slot(Slot::Recipient)
                    && m.span.start <= w.span.start
                    && w.span.end <= m.span.end
                {
                    w.form = language::Form::Slot(Slot::Other);
                }
            }
        }
        let language = match t.settings().and_then(|s| s.language.as_deref()) {
            Some("en") => Language::English,
            Some(code) => Language::Other(code.to_string()),
            None => words.language(prose),
        };
        Reading {
            language,
            words,
            matches,
        }
    }

    /// The spans where `question` is answered.
    pub fn spans(&self, question: Question) -> impl Iterator<Item = Range<usize>> + '_ {
        self.matches
            .iter()
            .filter(move |m| m.tag == question)
            .map(|m| m.span.clone())
    }

    /// Whether the message is in a language the built-in patterns do not cover.
    pub fn other_language(&self) -> Option<&str> {
        match &self.language {
            Language::Other(name) => Some(name),
            _ => None,
        }
    }

    /// Whether a sentence asks the recipient something substantial: a question of eight words or more
    /// addressed to them ("Did your team end up testing usage-based pricing?"), not "How are you?".
    pub fn asks_the_recipient(&self) -> bool {
        static YOU: LazyLock<Vec<language::StemId>> = LazyLock::new(|| {
            ["you", "your", "you're", "you've", "you'd", "yourself"]
                .iter()
                .map(|w| language::stem_id(w))
                .collect()
        });
        self.words
            .questions()
            .any(|q| q.words.len() >= 8 && self.words.sentence_has(q, &YOU))
    }

    /// The kind of the slot read at exactly `span`, if one is.
    pub fn slot_at(&self, span: &Range<usize>) -> Option<Slot> {
        let i = self
            .words
            .words
            .partition_point(|w| w.span.start < span.start);
        match self.words.words.get(i) {
            Some(w) if w.span == *span => match w.form {
                language::Form::Slot(s) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// Slots in the message (placeholders and stand-ins) of one kind.
    pub fn slots(&self, slot: Slot) -> impl Iterator<Item = Range<usize>> + '_ {
        self.words
            .words
            .iter()
            .filter(move |w| w.form == language::Form::Slot(slot))
            .map(|w| w.span.clone())
    }
}
