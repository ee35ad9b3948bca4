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
use std::sync::{Arc, LazyLock};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// What stands at a word's place: a word of the text, or a slot the sender fills in (a placeholder or a
/// stand-in like `[Company]`) of some category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// The word's stem, shared by every occurrence of the word (see `stem_of`).
    Word(Arc<str>),
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

thread_local! {
    /// Stems of the words seen on this thread, by their exact spelling: outreach messages reuse a
    /// small vocabulary, so most words are stemmed once and then found here without allocating.
    static STEMS: RefCell<rustc_hash::FxHashMap<Box<str>, Arc<str>>> = RefCell::default();
}

/// `stem(word)`, cached per thread.
fn stem_of(word: &str) -> Arc<str> {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(s) = cache.get(word) {
            return s.clone();
        }
        // Bounded: a hostile text with millions of distinct words must not grow it without end.
        if cache.len() > 50_000 {
            cache.clear();
        }
        let s: Arc<str> = stem(word).into();
        cache.insert(word.into(), s.clone());
        s
    })
}

impl Words {
    /// The words and sentences of `text[span]`. `slots` are the byte spans of placeholders and
    /// stand-ins, sorted by start, with their kind: each becomes one slot word (the words inside it are
    /// not read).
    pub fn read(text: &str, span: Range<usize>, slots: &[(Range<usize>, Slot)]) -> Words {
        let mut out = Words::default();
        let region = &text[span.clone()];
        // Tokens in text order: the words of the text (UAX #29 word bounds) and the slots, a word
        // inside a slot being part of the slot.
        let mut slot_at = slots.partition_point(|(s, _)| s.end <= span.start);
        let mut sentence_start: Option<usize> = None;
        let mut first_word = 0;
        let mut last_end = span.start;
        let mut tokens: Vec<(Range<usize>, Form)> = Vec::new();
        // About one word per six bytes and one sentence per eighty in outreach prose: sized once
        // instead of grown by doubling (reallocation was a tenth of this layer's time).
        out.words.reserve(region.len() / 6 + 1);
        out.sentences.reserve(region.len() / 80 + 1);
        let words = region
            .unicode_word_indices()
            .map(|(o, w)| (span.start + o, w));
        for at in words.map(Some).chain(std::iter::once(None)) {
            let limit = at.map_or(span.end, |(a, _)| a);
            tokens.clear();
            while let Some((s, kind)) = slots.get(slot_at) {
                if s.start >= limit || s.start >= span.end {
                    break;
                }
                if s.start >= last_end {
                    tokens.push((s.clone(), Form::Slot(*kind)));
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
                    tokens.push((r, form));
                }
            }
            for (r, form) in tokens.drain(..) {
                if r.start < last_end {
                    continue;
                }
                // A sentence ends where the text between two tokens has `.`, `!`, `?` or a line
                // break: the rule messages follow, and cheaper than full sentence segmentation
                // (which was three quarters of this layer's time).
                let gap = &text[last_end..r.start];
                if sentence_start.is_some() && gap.contains(['.', '!', '?', '\n', '\r']) {
                    out.close_sentence(text, sentence_start.take(), first_word, last_end);
                }
                if sentence_start.is_none() {
                    sentence_start = Some(r.start);
                    first_word = out.words.len();
                }
                last_end = r.end;
                out.words.push(Word {
                    span: r,
                    form,
                    sentence: out.sentences.len(),
                });
            }
        }
        // The last sentence runs to its closing punctuation.
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

    /// True when the sentence's words include one of `stems` (already stemmed).
    pub fn sentence_has(&self, sentence: &Sentence, stems: &[String]) -> bool {
        self.words[sentence.words.clone()]
            .iter()
            .any(|w| matches!(&w.form, Form::Word(s) if stems.iter().any(|x| **x == **s)))
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

static ENGLISH_STEMS: LazyLock<rustc_hash::FxHashSet<String>> =
    LazyLock::new(|| ENGLISH_WORDS.iter().map(|w| stem(w)).collect());

impl Words {
    /// The language of the words read from `prose`. Short texts are hard to tell apart, so only a
    /// reliable detection of another language with enough words counts; anything else is English or
    /// unknown. Most messages are English, and their common words settle it without the detector.
    pub fn language(&self, prose: &str) -> Language {
        let (mut words, mut english) = (0, 0);
        for w in &self.words {
            if let Form::Word(s) = &w.form {
                words += 1;
                english += usize::from(ENGLISH_STEMS.contains(&**s));
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
                Form::Word(s) => s.to_string(),
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
