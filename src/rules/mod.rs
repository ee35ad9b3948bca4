//! The rules: one file each (detection, documentation, fixes), registered in `RULES` with one line.
//! What a rule is (`Rule`, `Check`) and what it may read (`Context`) live in `crate::analysis`.

use std::ops::Range;
use std::sync::LazyLock;

use crate::analysis::PhraseIndex;
use crate::config::Config;
use crate::finding::{Finding, Fix};
use crate::lint::Inputs;
use crate::model::{Message, Template};
use crate::phrases::PhraseSet;

pub use crate::analysis::vocabulary::Question;
pub use crate::analysis::{Check, Context, Rule};
pub use crate::finding::RuleId;

/// Declares each rule's module and lists its `RULE` in `RULES`, so adding a rule is one file and one
/// line here (`tests/rules_doc.rs` checks every file under `src/rules/` is listed).
// Helpers the rules share for their fixes: not rules, so they live apart from the one-file-per-rule
// folder the registry test reads.
#[path = "support/fix_fit.rs"]
pub mod fix_fit;
#[path = "support/sentence_fix.rs"]
mod sentence_fix;

macro_rules! registry {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*
        /// Every rule, in the order they are documented.
        pub static RULES: &[&Rule] = &[$(&$module::RULE),*];
    };
}

registry!(
    unknown_placeholder,
    malformed_placeholder,
    literal_placeholder,
    missing_fallback,
    message_too_long,
    uneven_spintax,
    subject_too_long,
    invalid_front_matter,
    generic_message,
    default_invitation_text,
    missing_greeting,
    impersonal_greeting,
    hardcoded_name,
    no_common_ground,
    no_reason,
    sales_pitch,
    title_targeting,
    unprofessional_tone,
    pushy_language,
    spam_formatting,
    self_focused,
    no_follow_up,
    follow_up_without_thanks,
    send_rate_too_high,
    unused_suppression,
    contact_data_missing,
    duplicate_message,
    unsupported_language,
    file_too_large,
);

pub use file_too_large::RULE as FILE_TOO_LARGE;
pub use unused_suppression::{report as report_unused_suppressions, RULE as UNUSED_SUPPRESSION};

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id.as_str() == id)
}

pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id.as_str())
}

/// Every phrase set the rules registered, scanned in one pass per message.
static PHRASES: LazyLock<PhraseIndex> = LazyLock::new(|| {
    let sets = RULES
        .iter()
        .flat_map(|r| r.phrases.iter().map(|set| (&***set, r.id)))
        .collect();
    PhraseIndex::new(sets)
});

impl<'a> Context<'a> {
    /// The context rules run in, with the phrase sets every rule registered. (Defined here because the
    /// analysis layer does not know the rules.)
    pub fn new(template: &'a Template<'a>, config: &'a Config, inputs: Inputs<'a>) -> Self {
        Context::with_phrases(template, config, inputs, &PHRASES)
    }
}

/// Maps a rule's configured level onto a finding, or drops it when the rule is off.
pub fn apply_level(config: &Config, mut f: Finding) -> Option<Finding> {
    match config.level(f.rule.as_str()) {
        Some(crate::finding::Level::Off) => None,
        Some(crate::finding::Level::On(s)) => {
            f.severity = s;
            Some(f)
        }
        None => Some(f),
    }
}

/// The README rule table, generated from the rules' definitions.
pub fn markdown_table() -> String {
    let mut s = String::from("| rule | default | what it finds |\n|---|---|---|\n");
    for r in RULES {
        s.push_str(&format!(
            "| [`{id}`]({id}.md) | {} | {} |\n",
            r.severity_summary(),
            r.summary,
            id = r.id,
        ));
    }
    s
}

/// The shared shape of phrase rules: one finding per sentence of a message's prose (subject included)
/// that holds one of the rule's phrases or answers one of its `questions` (word patterns of the language
/// layer), at the rule's severity for the message's kind. The finding covers that sentence.
#[allow(clippy::too_many_arguments)]
pub fn phrase_findings(
    cx: &Context<'_>,
    m: &Message,
    rule: &Rule,
    set: &PhraseSet,
    questions: &[Question],
    message: impl Fn(&str) -> String,
    fixes: impl Fn(&Message, Range<usize>) -> Vec<Fix>,
    out: &mut Vec<Finding>,
) {
    let span = m.sent_span();
    let mut hits = cx.matches(set, span);
    if !questions.is_empty() {
        let reading = cx.reading(m);
        for q in questions {
            hits.extend(reading.spans(*q));
        }
        hits.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    }
    let sentences = &cx.reading(m).words.sentences;
    let sentence_of = |at: usize| sentences.partition_point(|s| s.span.end <= at);
    let mut last_sentence = None;
    for r in hits {
        let sentence = sentence_of(r.start);
        if last_sentence == Some(sentence) {
            continue;
        }
        last_sentence = Some(sentence);
        let phrase = &cx.template.text[r.clone()];
        // The finding covers the sentence that says it (the message quotes the words).
        let span = cx.sentence_at(m, r.start).unwrap_or_else(|| r.clone());
        out.extend(cx.report(rule, m.kind, span, message(phrase), fixes(m, r)));
    }
}
