//! What personalizes a message, computed once per message and shared by the rules that reason about it
//! (greeting, common ground, reason, concrete references, title targeting, who the text is about).

use std::ops::Range;

use super::vocabulary::{self, Question};
use super::Context;
use crate::language::Slot;
use crate::model::opening::Opening;
use crate::model::{Category, Message};

/// The stems of `vocabulary::ASK_WORDS`: a question with one of them asks something of the recipient.
static ASKS: std::sync::LazyLock<Vec<crate::language::StemId>> = std::sync::LazyLock::new(|| {
    vocabulary::ASK_WORDS
        .iter()
        .map(|w| crate::language::stem_id(w))
        .collect()
});

/// Second-person words (stems), for questions put to the recipient.
static YOU: std::sync::LazyLock<Vec<crate::language::StemId>> = std::sync::LazyLock::new(|| {
    ["you", "your", "you're", "you've", "you'd", "yourself"]
        .iter()
        .map(|w| crate::language::stem_id(w))
        .collect()
});

/// Words after a would-be reason that make it network growth ("building my network").
const NETWORK: &[&str] = &["network", "networks", "connections", "circle"];
/// Words that may follow a vague ask without giving it an object ("… sometime!").
const VAGUE_TAIL: &[&str] = &[
    "sometime", "someday", "soon", "one", "day", "at", "some", "point", "if", "possible", "too",
    "as", "well", "there", "here", "on", "linkedin",
];
/// Words skipped before the object of a preposition.
const DETERMINERS: &[&str] = &["the", "this", "that", "your", "our", "a", "an", "my", "its"];
/// Objects so broad that "your experience in …" says nothing about the person.
const GENERIC_FIELDS: &[&str] = &[
    "industry",
    "field",
    "space",
    "sector",
    "area",
    "domain",
    "world",
    "market",
    "business",
    "profession",
    "career",
    "role",
    "job",
    "work",
    "company",
];

/// Up to `n` lower-case words of `prose` after `at` (letters, digits and apostrophes).
fn next_words(prose: &str, at: usize, n: usize) -> Vec<String> {
    prose[at..]
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .take(n)
        .map(str::to_lowercase)
        .collect()
}

fn ends_with_preposition(phrase: &str) -> bool {
    let last = phrase
        .rsplit(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase();
    matches!(last.as_str(), "in" | "at" | "with" | "on" | "from" | "as")
}

#[derive(Debug, Clone, Default)]
pub struct Signals {
    pub opening: Option<Opening>,
    pub common_ground: Vec<Range<usize>>,
    pub reason: Vec<Range<usize>>,
    pub concrete: Vec<Range<usize>>,
    /// Recipient placeholders beyond the name (`{{company}}`, `{{title}}`, custom ones).
    pub specific_placeholders: Vec<Range<usize>>,
    pub title: Vec<Range<usize>>,
    pub stock_text: Vec<Range<usize>>,
    pub words: usize,
    pub first_person: usize,
    pub second_person: usize,
    pub reason_placeholder: bool,
    /// Whether each needed signal is in every rendering (`Context::in_every_rendering`): what the
    /// `has_…` questions answer, so no rule reads a choice's options itself.
    everywhere: Everywhere,
    /// Impersonal and hard-coded openings of the renderings, each at its option (None when the
    /// message has one opening: `opening` says it).
    opening_problems: Option<Vec<Opening>>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Everywhere {
    reason: bool,
    common_ground: bool,
    specific: bool,
}

#[cfg(test)]
const FIRST_PERSON: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself", "we", "we're", "we've",
    "we'd", "we'll", "our", "ours", "us",
];
#[cfg(test)]
const SECOND_PERSON: &[&str] = &[
    "you", "you're", "you've", "you'd", "you'll", "your", "yours", "yourself",
];

/// Who a lower-case word (with `'` apostrophes) is about: 1 for the first-person pronouns, 2 for the
/// second-person ones (the lists above, tested to agree), else 0. A `match` compiles to a few length
/// and byte comparisons, cheaper than comparing with every entry of the lists.
fn person(word: &[u8]) -> u8 {
    match word {
        b"i" | b"i'm" | b"i've" | b"i'd" | b"i'll" | b"me" | b"my" | b"mine" | b"myself"
        | b"we" | b"we're" | b"we've" | b"we'd" | b"we'll" | b"our" | b"ours" | b"us" => 1,
        b"you" | b"you're" | b"you've" | b"you'd" | b"you'll" | b"your" | b"yours"
        | b"yourself" => 2,
        _ => 0,
    }
}

impl Signals {
    pub fn opening(&self) -> &Opening {
        self.opening.as_ref().unwrap_or(&Opening::Missing)
    }

    /// The openings that are problems (impersonal, hard-coded), each where it is written: one per
    /// rendering that has its own, else the message's one opening.
    pub fn openings(&self) -> impl Iterator<Item = &Opening> {
        let single = self.opening_problems.is_none().then_some(self.opening());
        self.opening_problems.iter().flatten().chain(single)
    }

    /// In every rendering, something the sender shares with the person.
    pub fn has_common_ground(&self) -> bool {
        self.everywhere.common_ground
    }
    /// In every rendering, a reason for writing.
    pub fn has_reason(&self) -> bool {
        self.everywhere.reason
    }
    /// In every rendering, something specific to this recipient beyond their name.
    pub fn is_specific(&self) -> bool {
        self.everywhere.specific
    }

    pub(crate) fn compute(cx: &Context<'_>, m: &Message) -> Signals {
        let t = cx.template;
        let span = m.sent_span();
        let (opening, opening_problems) =
            super::renderings::openings(t, m, &|n| cx.is_name_placeholder(n));
        let mut s = Signals {
            opening: Some(opening),
            opening_problems,
            ..Signals::default()
        };
        let mut reason_placeholders: Vec<Range<usize>> = Vec::new();
        s.stock_text = cx.matches(&vocabulary::STOCK_INVITATION, span.clone());
        s.common_ground = cx.matches(&vocabulary::COMMON_GROUND, span.clone());
        s.concrete = cx.matches(&vocabulary::CONCRETE, span.clone());
        s.title = cx.matches(&vocabulary::TITLE, span.clone());
        // A reason phrase that only introduces "connect"/"add you" is the generic ask, not a reason.
        let prose = &t.prose;
        s.reason = cx
            .matches(&vocabulary::REASON, span.clone())
            .into_iter()
            .filter(|r| {
                !s.stock_text
                    .iter()
                    .any(|st| st.start <= r.start && r.start < st.end)
            })
            .filter(|r| {
                let phrase = prose[r.clone()].to_lowercase();
                if !vocabulary::NEEDS_OBJECT.iter().any(|p| phrase.ends_with(p)) {
                    return true;
                }
                let next: String = prose[r.end..]
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .collect::<String>()
                    .to_lowercase();
                !vocabulary::NOT_A_REASON.contains(&next.as_str())
            })
            .collect();
        // What the language layer reads: the same questions asked in other words, questions to the
        // recipient, and stand-ins (`[Company]`, `[specific point]`) as the slots they will become.
        let reading = cx.reading(m);
        s.reason.extend(reading.spans(Question::Reason));
        // A question is an ask when it has an ask word, or when it is put to the recipient at some
        // length ("Is that something you are changing at {{company}} this year?").
        s.reason.extend(
            reading
                .words
                .questions()
                .filter(|q| {
                    reading.words.sentence_has(q, &ASKS)
                        || (q.words.len() >= 6 && reading.words.sentence_has(q, &YOU))
                })
                .map(|q| q.span.clone()),
        );
        // "I'd love to connect and learn from your experience.", "Hoping to pick your brain sometime!":
        // an ask that ends its sentence with nothing to ask about is not a reason, nor is the intent
        // just before it.
        let vague: Vec<Range<usize>> = reading
            .spans(Question::VagueAsk)
            .filter(|v| {
                // Only a bare ask: "I'm opening a boutique hotel and would love to learn from your
                // experience" says what the sender wants to learn about.
                let before = prose[..v.start]
                    .rsplit(['.', '!', '?', '\n', ','])
                    .next()
                    .unwrap_or("");
                if before.split_whitespace().count() > 6 {
                    return false;
                }
                let rest = &prose[v.end..];
                let sentence_rest = rest.split(['.', '!', '?', '\n']).next().unwrap_or("");
                sentence_rest
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .all(|w| VAGUE_TAIL.contains(&w.to_lowercase().as_str()))
            })
            .collect();
        if !vague.is_empty() {
            s.reason.retain(|r| {
                !vague.iter().any(|v| {
                    r.start < v.end
                        && (r.end > v.start
                            || prose[r.end..v.start].split_whitespace().count() <= 3)
                })
            });
        }
        // "I'm building my network", "hoping to grow my connections": network growth is the request
        // to connect, not a reason for it.
        s.reason.retain(|r| {
            !next_words(prose, r.end, 3)
                .iter()
                .any(|w| NETWORK.contains(&w.as_str()))
        });
        s.common_ground
            .extend(reading.spans(Question::CommonGround));
        // "Your background in fleet maintenance" is about them; "your experience in the industry" could
        // be said to anyone.
        s.concrete
            .extend(reading.spans(Question::Concrete).filter(|r| {
                !ends_with_preposition(&prose[r.clone()])
                    || !next_words(prose, r.end, 3)
                        .iter()
                        .find(|w| !DETERMINERS.contains(&w.as_str()))
                        .is_some_and(|w| GENERIC_FIELDS.contains(&w.as_str()))
            }));
        s.specific_placeholders
            .extend(reading.slots(Slot::Recipient));
        s.common_ground.extend(reading.slots(Slot::CommonGround));
        for r in reading.slots(Slot::Reason) {
            reason_placeholders.push(r.clone());
            s.reason.push(r);
            s.reason_placeholder = true;
        }
        for p in t.placeholders_of(m) {
            if p.span.start < span.start || p.span.end > span.end {
                continue;
            }
            if let Some(d) = cx.def(&p.name) {
                match d.category {
                    Category::CommonGround => s.common_ground.push(p.span.clone()),
                    Category::Reason => {
                        reason_placeholders.push(p.span.clone());
                        s.reason.push(p.span.clone());
                        s.reason_placeholder = true;
                    }
                    // (Unless the sentence makes it the sender's: "we're looking for a {{position}}".)
                    Category::Recipient
                        if !d.is_name() && reading.slot_at(&p.span) != Some(Slot::Other) =>
                    {
                        if p.name == "title" {
                            s.title.push(p.span.clone());
                        }
                        s.specific_placeholders.push(p.span.clone());
                    }
                    _ => {}
                }
            }
        }
        // A question or an intent inside a personal remark ("What are your plans for tonight?") is
        // not a professional reason: it is what unprofessional-tone reports.
        let personal: Vec<Range<usize>> = reading
            .matches
            .iter()
            .filter(|m| m.tag == Question::Personal)
            .filter_map(|m| reading.words.sentences.get(m.sentence))
            .map(|sentence| sentence.span.clone())
            .collect();
        if !personal.is_empty() {
            s.reason.retain(|r| {
                !personal
                    .iter()
                    .any(|p| p.start <= r.start && r.start < p.end)
            });
        }
        s.everywhere = if super::renderings::has_choices(t, &span) {
            let specific: Vec<Range<usize>> = [
                &s.common_ground,
                &s.concrete,
                &s.specific_placeholders,
                &reason_placeholders,
            ]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
            Everywhere {
                reason: cx.in_every_rendering(m, &s.reason),
                common_ground: cx.in_every_rendering(m, &s.common_ground),
                specific: cx.in_every_rendering(m, &specific),
            }
        } else {
            Everywhere {
                reason: !s.reason.is_empty(),
                common_ground: !s.common_ground.is_empty(),
                specific: !s.common_ground.is_empty()
                    || !s.concrete.is_empty()
                    || !s.specific_placeholders.is_empty()
                    || s.reason_placeholder,
            }
        };
        // Words, and who they are about (placeholders are not words).
        let phs = t.placeholders_of(m);
        let mut word_start = None;
        let bytes = prose.as_bytes();
        let count_word = |w: Range<usize>, s: &mut Signals| {
            // Placeholders are sorted: the one that could contain this word is found by binary search.
            let k = phs.partition_point(|p| p.span.end <= w.start);
            if phs.get(k).is_some_and(|p| p.span.start <= w.start) {
                return;
            }
            s.words += 1;
            // Pronouns have at most 8 chars and one apostrophe (3 bytes as ’), and start with a letter
            // checked below: anything else is not one, without normalising it.
            if w.len() > 10
                || !matches!(
                    bytes[w.start].to_ascii_lowercase(),
                    b'i' | b'm' | b'w' | b'o' | b'u' | b'y'
                )
            {
                return;
            }
            // Pronouns are short ASCII words (with ' or ’): normalise into a small buffer, no allocation.
            let mut buf = [0u8; 10];
            let mut n = 0;
            let mut rest = prose[w].as_bytes();
            while let Some(&b) = rest.first() {
                let (b, len) = match rest {
                    [0xE2, 0x80, 0x99, ..] => (b'\'', 3), // ’
                    _ if b.is_ascii() => (b, 1),
                    _ => return,
                };
                if n == buf.len() {
                    return;
                }
                buf[n] = b.to_ascii_lowercase();
                n += 1;
                rest = &rest[len..];
            }
            match person(&buf[..n]) {
                1 => s.first_person += 1,
                2 => s.second_person += 1,
                _ => {}
            }
        };
        let mut i = span.start;
        while i < span.end {
            // ASCII is read byte by byte; other characters are decoded.
            let b = bytes[i];
            let (is_word, len) = if b.is_ascii() {
                (
                    b.is_ascii_alphanumeric() || (b == b'\'' && word_start.is_some()),
                    1,
                )
            } else {
                let c = prose[i..].chars().next().unwrap_or(' ');
                (
                    c.is_alphanumeric() || (c == '’' && word_start.is_some()),
                    c.len_utf8(),
                )
            };
            match (is_word, word_start) {
                (true, None) => word_start = Some(i),
                (false, Some(ws)) => {
                    count_word(ws..i, &mut s);
                    word_start = None;
                }
                _ => {}
            }
            i += len;
        }
        if let Some(ws) = word_start {
            count_word(ws..span.end, &mut s);
        }
        s
    }
}

// `reason_placeholder` is kept apart so a `{{reason}}` always counts as specific.
impl Signals {
    pub fn has_reason_placeholder(&self) -> bool {
        self.reason_placeholder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_agrees_with_the_lists() {
        for p in FIRST_PERSON {
            assert_eq!(person(p.as_bytes()), 1, "{p}");
        }
        for p in SECOND_PERSON {
            assert_eq!(person(p.as_bytes()), 2, "{p}");
        }
        for w in [
            "",
            "it",
            "they",
            "yo",
            "yours'",
            "i'",
            "ourselves",
            "mine's",
        ] {
            assert_eq!(person(w.as_bytes()), 0, "{w}");
        }
    }

    #[test]
    fn pronoun_initials_match_the_lists() {
        assert!(FIRST_PERSON
            .iter()
            .all(|p| matches!(p.as_bytes()[0], b'i' | b'm' | b'w' | b'o' | b'u')));
        assert!(SECOND_PERSON.iter().all(|p| p.starts_with('y')));
    }
}
