//! The language layer: a message's prose as sentences and words, each word with a case- and
//! inflection-insensitive form (its stem), so rules can ask what the text does ("does any sentence ask
//! something of the recipient?", "does the sender offer a product?") instead of matching exact phrases.
//!
//! - Words and sentences come from Unicode segmentation (`unicode-segmentation`, UAX #29), so "I'm",
//!   "co-founder" and "Zürich" are one word each and "Dr. Smith" does not end a sentence at every dot
//!   it can avoid.
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
        for (offset, sentence) in region.split_sentence_bound_indices() {
            let start = span.start + offset;
            let first_word = out.words.len();
            let index = out.sentences.len();
            let mut slot_at = slots.partition_point(|(s, _)| s.end <= start);
            for (w_offset, word) in sentence.unicode_word_indices() {
                let w = start + w_offset..start + w_offset + word.len();
                // Slots in the sentence before this word.
                while let Some((s, kind)) = slots.get(slot_at) {
                    if s.start >= w.end {
                        break;
                    }
                    if s.start >= start && s.start < start + sentence.len() {
                        out.words.push(Word {
                            span: s.clone(),
                            form: Form::Slot(*kind),
                            sentence: index,
                        });
                    }
                    slot_at += 1;
                }
                if slots
                    .get(slot_at.saturating_sub(1))
                    .is_some_and(|(s, _)| s.start <= w.start && w.end <= s.end)
                {
                    continue;
                }
                let form = if word
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
                {
                    Form::Number
                } else {
                    Form::Word(stem_of(word))
                };
                out.words.push(Word {
                    span: w,
                    form,
                    sentence: index,
                });
            }
            while let Some((s, kind)) = slots.get(slot_at) {
                if s.start >= start + sentence.len() {
                    break;
                }
                if s.start >= start {
                    out.words.push(Word {
                        span: s.clone(),
                        form: Form::Slot(*kind),
                        sentence: index,
                    });
                }
                slot_at += 1;
            }
            let trimmed = sentence.trim_end();
            if trimmed.is_empty() {
                continue;
            }
            out.sentences.push(Sentence {
                span: start..start + trimmed.len(),
                words: first_word..out.words.len(),
                question: trimmed.ends_with('?') || trimmed.ends_with("?)"),
            });
        }
        out
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
];

/// Detects the language of a message's prose. Short texts are hard to tell apart, so only a reliable
/// detection of another language with enough words counts; anything else is English or unknown.
pub fn detect(prose: &str) -> Language {
    let letters = prose.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 40 {
        return Language::Unknown;
    }
    // Most messages are English: one cheap look at their words settles it.
    let (mut words, mut english) = (0usize, 0usize);
    for w in prose.unicode_words().take(200) {
        words += 1;
        if w.len() <= 5 && ENGLISH_WORDS.iter().any(|e| e.eq_ignore_ascii_case(w)) {
            english += 1;
        }
    }
    if english * 5 >= words {
        return Language::English;
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
