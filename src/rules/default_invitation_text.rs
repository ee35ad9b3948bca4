use std::sync::LazyLock;

use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{phrase_findings, Context, PhraseCheck, RuleDoc};

pub struct Rule;

pub static DOC: RuleDoc = RuleDoc {
    id: "default-invitation-text",
    default_severity: Severity::Warning,
    summary: "LinkedIn's stock invitation sentence (\"I'd like to add you to my professional network\")",
    severity_note: "",
    what: "Finds LinkedIn's default invitation wording and its close variants: \"I'd like to add you to my professional network on LinkedIn\", \"I want to add you to my professional network\", \"I'd like to join your LinkedIn network\", \"I'd like to connect with you on LinkedIn\".",
    why: "Everyone knows the stock sentence; it says that the sender did not write anything. Requests that carry it are accepted much less often than ones with a personal note.",
    bad: "Hi {{first_name}}, I'd like to add you to my professional network on LinkedIn.",
    good: "Hi {{first_name}}, I enjoyed {{recent_post | default: \"your recent post\"}} and would love to hear more about {{topic | default: \"your work\"}}.",
    fix: "Replace it with one sentence of common ground and one of reason. The quick fix puts in a personalized opener.",
    options: "`[rules.default-invitation-text] extra_phrases = [\"…\"]` adds more stock sentences.",
};

pub static PHRASES: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "i'd like to add you to my professional network on linkedin",
        "i would like to add you to my professional network on linkedin",
        "i'd like to add you to my professional network",
        "i would like to add you to my professional network",
        "i want to add you to my professional network",
        "i'd like to add you to my network",
        "i would like to add you to my network",
        "i'd like to join your linkedin network",
        "i would like to join your linkedin network",
        "i'd like to join your professional network",
        "i would like to join your professional network",
        "i'd like to connect with you on linkedin",
        "i would like to connect with you on linkedin",
        "please accept my invitation to connect",
        "please join my network",
    ])
});

const OPENER: &str = "I enjoyed {{recent_post | default: \"your recent post\"}} and would love to hear more about {{topic | default: \"your work\"}}";

impl super::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_message(&self, cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
        phrase_findings(
            cx,
            m,
            PhraseCheck {
                id: DOC.id,
                set: &PHRASES,
                severity: |_| Some(DOC.default_severity),
                message: |p| {
                    format!("“{p}” is LinkedIn's stock invitation text; say why you are reaching out instead")
                },
            },
            |m, r| {
                // Writes a sentence: unsafe.
                vec![crate::rules::fix_fit::within_limit(
                    cx,
                    m,
                    Fix::new(
                        "Replace with a personalized opener",
                        vec![Edit::replace(r, OPENER)],
                    )
                    .preferred(),
                )]
            },
            out,
        );
    }
}
