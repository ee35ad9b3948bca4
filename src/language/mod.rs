//! The language layer: a message's prose as sentences and words, each word with a case- and
//! inflection-insensitive form (its stem), so rules can ask what the text does ("does any sentence ask
//! something of the recipient?", "does the sender offer a product?") instead of matching exact phrases.
//!
//! - Words come from Unicode segmentation (`unicode-segmentation`, UAX #29), so "I'm", "co-founder"
//!   and "Zürich" are one word each. A sentence ends at `.`, `!`, `?` or a line break between words:
//!   UAX #29 sentence breaking cost three times the rest of the layer, and messages are plain.
//! - Word forms are Snowball English stems (`rust-stemmers`): "posts", "posted" and "posting" match
//!   "post".
//! - Patterns (`pattern.rs`) are data: word sequences with alternatives, gaps and slots, all compiled into
//!   one matcher that runs once over a message's words.
//! - The message's language is detected (`whatlang`, trigram statistics, no network); the English
//!   patterns only run on English.
//!
//! Pure: no LSP, no rules. Byte spans are offsets into the text the words came from.

pub mod pattern;

use std::cell::RefCell;
use std::ops::Range;
use std::sync::{LazyLock, PoisonError, RwLock};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// What stands at a word's place: a word of the text, or a slot the sender fills in (a placeholder or a
/// stand-in like `[Company]`) of some category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// The word's stem, as its number in the table of stems (see `stem_id`).
    Word(StemId),
    Number,
    Slot(Slot),
}

/// The kinds of slot patterns can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The recipient's name.
    Name,
    /// Something about the recipient (company, title, recent post …).
    Recipient,
    /// Something the sender and recipient share (event, group, mutual connection).
    CommonGround,
    /// Why the sender writes.
    Reason,
    /// The sender's own details, or anything else.
    Other,
}

#[derive(Debug, Clone)]
pub struct Word {
    pub span: Range<usize>,
    pub form: Form,
    /// Index of the sentence the word is in.
    pub sentence: usize,
}

#[derive(Debug, Clone)]
pub struct Sentence {
    pub span: Range<usize>,
    /// The sentence's words, as indices into `Words::words`.
    pub words: Range<usize>,
    /// It ends with a question mark.
    pub question: bool,
}

/// A message's prose as words and sentences.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub words: Vec<Word>,
    pub sentences: Vec<Sentence>,
}

/// The stem of one word ("Posts" -> "post"), lower-cased, with apostrophes normalised to `'`.
pub fn stem(word: &str) -> String {
    let lower = word.to_lowercase().replace(['’', '‘'], "'");
    ENGLISH.stem(&lower).into_owned()
}

/// A stem by number: every word with the same stem has the same `StemId`, so the pattern matcher
/// and the language check compare integers, not strings. Numbers come from one table per process
/// (`STEM_TABLE`), so patterns compiled on one thread match words read on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StemId(u32);

impl StemId {
    /// The id of every stem that found the table full (see `MAX_STEMS`): it equals no pattern's
    /// stem, since those are always entered.
    const UNLISTED: StemId = StemId(u32::MAX);

    /// A dense index for tables by stem (`StemId::UNLISTED` is past the end of any).
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }

    /// Whether this is the stem of one of `ENGLISH_WORDS` (they are entered first, so they have
    /// the lowest numbers).
    fn is_common_english(self) -> bool {
        (self.0 as usize) < STEM_TABLE_START.with_english
    }
}

/// How many distinct stems the table takes from text before new ones become `StemId::UNLISTED`:
/// a hostile text with millions of distinct words must not grow it without end, and the stems a
/// pattern names are entered whatever the count.
const MAX_STEMS: usize = 1 << 20;

#[derive(Default)]
struct StemTable {
    ids: rustc_hash::FxHashMap<Box<str>, StemId>,
    texts: Vec<Box<str>>,
}

impl StemTable {
    fn enter(&mut self, stem: &str, always: bool) -> StemId {
        if let Some(id) = self.ids.get(stem) {
            return *id;
        }
        if !always && self.texts.len() >= MAX_STEMS {
            return StemId::UNLISTED;
        }
        let id = StemId(self.texts.len() as u32);
        self.texts.push(stem.into());
        self.ids.insert(stem.into(), id);
        id
    }
}

/// How many stems `ENGLISH_WORDS` entered at the start of the table.
struct TableStart {
    with_english: usize,
}

/// (FxHash: short keys from text, looked up on a miss of the per-thread cache; only the stems of
/// the built-in lists are entered without a bound.)
static STEM_TABLE: LazyLock<RwLock<StemTable>> = LazyLock::new(|| {
    let mut table = StemTable::default();
    for w in ENGLISH_WORDS {
        table.enter(&stem(w), true);
    }
    RwLock::new(table)
});

static STEM_TABLE_START: LazyLock<TableStart> = LazyLock::new(|| TableStart {
    with_english: STEM_TABLE
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .texts
        .len(),
});

/// The id of an already stemmed word; `always` enters it even when the table is full (the stems
/// of built-in patterns and word lists).
fn enter_stem(stem: &str, always: bool) -> StemId {
    LazyLock::force(&STEM_TABLE_START);
    if let Some(id) = STEM_TABLE
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .ids
        .get(stem)
    {
        return *id;
    }
    STEM_TABLE
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .enter(stem, always)
}

/// The id of the stem of `word` (`stem_id("Posts") == stem_id("post")`), for built-in word lists.
pub fn stem_id(word: &str) -> StemId {
    enter_stem(&stem(word), true)
}

/// The id of a stem as written (already stemmed), for built-in patterns.
pub(crate) fn raw_stem_id(stem: &str) -> StemId {
    enter_stem(stem, true)
}

/// The text of a stem (for tests and debugging); empty for `StemId::UNLISTED`.
pub fn stem_text(id: StemId) -> String {
    STEM_TABLE
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .texts
        .get(id.0 as usize)
        .map_or(String::new(), |s| s.to_string())
}

thread_local! {
    /// Stem ids of the words seen on this thread, by their exact spelling: outreach messages reuse
    /// a small vocabulary, so most words are stemmed once and then found here without allocating
    /// or locking the shared table.
    static STEMS: RefCell<rustc_hash::FxHashMap<Box<str>, StemId>> = RefCell::default();
}

/// The stem id of a word of the text, cached per thread.
fn stem_of(word: &str) -> StemId {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(s) = cache.get(word) {
            return *s;
        }
        // Bounded: a hostile text with millions of distinct words must not grow it without end.
        if cache.len() > 50_000 {
            cache.clear();
        }
        let s = enter_stem(&stem(word), false);
        cache.insert(word.into(), s);
        s
    })
}

/// The state of `Words::read` between tokens.
struct Reader<'t> {
    text: &'t str,
    out: Words,
    sentence_start: Option<usize>,
    first_word: usize,
    last_end: usize,
}

impl Reader<'_> {
    /// Adds the next token (a word or a slot), first closing the open sentence if the text since
    /// the last token ends one.
    fn push(&mut self, r: Range<usize>, form: Form) {
        if r.start < self.last_end {
            return;
        }
        // A sentence ends where the text between two tokens has `.`, `!`, `?` or a line break:
        // the rule messages follow, and cheaper than full sentence segmentation (which was three
        // quarters of this layer's time). (All ASCII, so the bytes can be searched.)
        let gap = &self.text.as_bytes()[self.last_end..r.start];
        if self.sentence_start.is_some()
            && gap
                .iter()
                .any(|b| matches!(b, b'.' | b'!' | b'?' | b'\n' | b'\r'))
        {
            let start = self.sentence_start.take();
            self.out
                .close_sentence(self.text, start, self.first_word, self.last_end);
        }
        if self.sentence_start.is_none() {
            self.sentence_start = Some(r.start);
            self.first_word = self.out.words.len();
        }
        self.last_end = r.end;
        let sentence = self.out.sentences.len();
        self.out.words.push(Word {
            span: r,
            form,
            sentence,
        });
    }
}

impl Words {
    /// The words and sentences of `text[span]`. `slots` are the byte spans of placeholders and
    /// stand-ins, sorted by start, with their kind: each becomes one slot word (the words inside it are
    /// not read).
    pub fn read(text: &str, span: Range<usize>, slots: &[(Range<usize>, Slot)]) -> Words {
        let region = &text[span.clone()];
        let mut state = Reader {
            text,
            out: Words::default(),
            sentence_start: None,
            first_word: 0,
            last_end: span.start,
        };
        // Tokens in text order: the words of the text (UAX #29 word bounds) and the slots, a word
        // inside a slot being part of the slot.
        let mut slot_at = slots.partition_point(|(s, _)| s.end <= span.start);
        // About one word per six bytes and one sentence per eighty in outreach prose: sized once
        // instead of grown by doubling (reallocation was a tenth of this layer's time).
        state.out.words.reserve(region.len() / 6 + 1);
        state.out.sentences.reserve(region.len() / 80 + 1);
        let words = region
            .unicode_word_indices()
            .map(|(o, w)| (span.start + o, w));
        for at in words.map(Some).chain(std::iter::once(None)) {
            let limit = at.map_or(span.end, |(a, _)| a);
            while let Some((s, kind)) = slots.get(slot_at) {
                if s.start >= limit || s.start >= span.end {
                    break;
                }
                if s.start >= state.last_end {
                    state.push(s.clone(), Form::Slot(*kind));
                }
                slot_at += 1;
            }
            if let Some((a, w)) = at {
                let r = a..a + w.len();
                let in_slot = slots
                    .get(slot_at.saturating_sub(1))
                    .is_some_and(|(s, _)| s.start <= r.start && r.end <= s.end);
                if !in_slot {
                    let form = if w
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
                    {
                        Form::Number
                    } else {
                        Form::Word(stem_of(w))
                    };
                    state.push(r, form);
                }
            }
        }
        // The last sentence runs to its closing punctuation.
        let Reader {
            mut out,
            sentence_start,
            first_word,
            last_end,
            ..
        } = state;
        let tail = &text[last_end..span.end];
        let close = tail
            .find(['\n', '\r'])
            .unwrap_or(tail.len())
            .min(tail.trim_end().len());
        out.close_sentence(text, sentence_start, first_word, last_end + close);
        out
    }

    /// Ends the sentence from `start` (if one is open) after its last token at `end`, taking the
    /// punctuation right after it.
    fn close_sentence(&mut self, text: &str, start: Option<usize>, first_word: usize, end: usize) {
        let Some(start) = start else {
            return;
        };
        let punct = text[end..]
            .char_indices()
            .take_while(|(_, c)| matches!(c, '.' | '!' | '?' | ')' | '"' | '”' | '’' | '\''))
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        let span = start..end.max(start) + punct;
        let trimmed = text[span.clone()].trim_end();
        self.sentences.push(Sentence {
            question: trimmed.ends_with('?') || trimmed.ends_with("?)"),
            span,
            words: first_word..self.words.len(),
        });
    }

    /// The sentences that ask something (end with a question mark).
    pub fn questions(&self) -> impl Iterator<Item = &Sentence> {
        self.sentences.iter().filter(|s| s.question)
    }

    /// True when the sentence's words include one of `stems` (see `stem_id`).
    pub fn sentence_has(&self, sentence: &Sentence, stems: &[StemId]) -> bool {
        self.words[sentence.words.clone()]
            .iter()
            .any(|w| matches!(&w.form, Form::Word(s) if stems.contains(s)))
    }
}

/// The language a message is written in, when it can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Language {
    English,
    /// Another language, by its English name ("French") or the code the file gave (`fr`).
    Other(String),
    /// Too short or too mixed to tell: treated as English.
    Unknown,
}

/// Common English words: a text where they are frequent is English without asking the detector.
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "to", "you", "your", "i", "a", "of", "in", "for", "is", "with", "on", "at", "my",
    "we", "it", "that", "this", "are", "be", "would", "i'm", "i'd", "our", "about", "if", "have",
    "from", "how", "what", "did", "do", "can", "will", "not", "but", "so", "just", "get", "was",
    "or", "an", "as", "by", "me", "hi", "thanks", "your", "you're", "we're", "i've", "there",
    "they", "their", "quick", "question", "happy", "team", "love", "work", "who", "when", "way",
    "either",
];

impl Words {
    /// The language of the words read from `prose`. Short texts are hard to tell apart, so only a
    /// reliable detection of another language with enough words counts; anything else is English or
    /// unknown. Most messages are English, and their common words settle it without the detector.
    pub fn language(&self, prose: &str) -> Language {
        let (mut words, mut english) = (0, 0);
        for w in &self.words {
            if let Form::Word(s) = &w.form {
                words += 1;
                english += usize::from(s.is_common_english());
                if words == 200 {
                    break;
                }
            }
        }
        if words < 8 {
            return Language::Unknown;
        }
        if english * 5 >= words {
            return Language::English;
        }
        detect(prose)
    }
}

/// Detects the language of a text with the trigram detector alone (see `Words::language`).
pub fn detect(prose: &str) -> Language {
    let letters = prose.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 40 {
        return Language::Unknown;
    }
    match whatlang::detect(prose) {
        Some(info) if info.lang() == whatlang::Lang::Eng => Language::English,
        Some(info) if info.is_reliable() && info.confidence() > 0.5 => {
            Language::Other(info.lang().eng_name().to_string())
        }
        _ => Language::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        Words::read(text, 0..text.len(), &[])
            .words
            .into_iter()
            .map(|w| match w.form {
                Form::Word(s) => stem_text(s),
                Form::Number => "#".into(),
                Form::Slot(_) => "@".into(),
            })
            .collect()
    }

    #[test]
    fn words_are_stems() {
        assert_eq!(words("Your recent Posts!"), ["your", "recent", "post"]);
        assert_eq!(
            words("I'm also in fleet analytics"),
            ["i'm", "also", "in", "fleet", "analyt"]
        );
        assert_eq!(words("only 3 spots"), ["onli", "#", "spot"]);
        assert_eq!(stem("I’m"), stem("i'm"));
    }

    #[test]
    fn slots_replace_their_words() {
        let text = "Hi [First Name], I saw {{company}} is hiring.";
        let slots = [(3..15, Slot::Name), (23..34, Slot::Recipient)];
        let w = Words::read(text, 0..text.len(), &slots);
        let forms: Vec<&Form> = w.words.iter().map(|w| &w.form).collect();
        assert_eq!(forms[1], &Form::Slot(Slot::Name));
        assert!(forms.contains(&&Form::Slot(Slot::Recipient)));
        assert!(!forms.contains(&&Form::Word(stem_of("first"))));
        assert_eq!(
            w.words
                .iter()
                .filter(|w| matches!(w.form, Form::Slot(_)))
                .count(),
            2
        );
    }

    #[test]
    fn questions_are_sentences_ending_with_a_question_mark() {
        let text = "Hi Ana. Open to a quick chat about it? Thanks.";
        let w = Words::read(text, 0..text.len(), &[]);
        let q: Vec<&str> = w.questions().map(|s| &text[s.span.clone()]).collect();
        assert_eq!(q, ["Open to a quick chat about it?"]);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_sentence() {
        let text = "Hello there,\r\rI'd like to connect";
        let w = Words::read(text, 0..text.len(), &[]);
        let s: Vec<&str> = w.sentences.iter().map(|s| &text[s.span.clone()]).collect();
        assert_eq!(s, ["Hello there", "I'd like to connect"]);
    }

    #[test]
    fn languages() {
        assert_eq!(
            detect("Bonjour Marie, je me permets de vous écrire car nous recrutons un développeur pour notre équipe à Lyon."),
            Language::Other("French".into())
        );
        assert_eq!(
            detect("Hi Ana, I saw your talk on pricing experiments at the Lisbon meetup and would love to hear more."),
            Language::English
        );
        assert_eq!(detect("Hi Ana!"), Language::Unknown);
    }
}
