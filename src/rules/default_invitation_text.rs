use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::Message;
use crate::analysis::vocabulary;
use crate::rules::{phrase_findings, Context, Rule, Check, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("default-invitation-text"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[&vocabulary::STOCK_INVITATION],
    english: true,
    summary: "LinkedIn's stock invitation sentence (\"I'd like to add you to my professional network\")",
    what: "Finds LinkedIn's default invitation wording and its close variants: \"I'd like to add you to my professional network on LinkedIn\", \"I want to add you to my professional network\", \"I'd like to join your LinkedIn network\", \"I'd like to connect with you on LinkedIn\".",
    why: "Everyone knows the stock sentence; it says that the sender did not write anything. Requests that carry it are accepted much less often than ones with a personal note.",
    bad: "Hi {{first_name}}, I'd like to add you to my professional network on LinkedIn.",
    good: "Hi {{first_name}}, I enjoyed {{recent_post | default: \"your recent post\"}} and would love to hear more about {{topic | default: \"your work\"}}.",
    fix: "Replace it with one sentence of common ground and one of reason. The quick fix puts in a personalized opener.",
    options: "`[rules.default-invitation-text] extra_phrases = [\"…\"]` adds more stock sentences.",
    limitations: "",
};


const OPENER: &str = "I enjoyed {{recent_post | default: \"your recent post\"}} and would love to hear more about {{topic | default: \"your work\"}}";

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    phrase_findings(
        cx,
        m,
        &RULE,
        &vocabulary::STOCK_INVITATION,
        &[],
        |p| {
                format!("“{p}” is LinkedIn's stock invitation text; say why you are reaching out instead")
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

