use std::sync::LazyLock;

use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{Question, phrase_findings, Context, Rule, Check, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("pushy-language"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[&PHRASES],
    english: true,
    summary: "Pressure and urgency (\"ASAP\", \"act now\", \"last chance\", \"guaranteed\")",
    what: "Finds words that push the reader to act now: \"ASAP\", \"act now\", \"last chance\", \"don't miss\", \"you must\", \"before it's too late\", \"guaranteed\", \"limited time\", \"urgent\", \"right away\".",
    why: "A stranger owes you nothing. Pressure from someone the reader has never met reads as aggressive or as spam, and makes a decline the easy answer.",
    bad: "Hi {{first_name}}, last chance to join our founders' circle — you must reply ASAP!",
    good: "Hi {{first_name}}, we're both in {{shared_group}}. If a founders' circle on hiring sounds useful, I'd be glad to share details — no rush.",
    fix: "Drop the urgency. Make the ask small and easy to decline.",
    options: "`[rules.pushy-language] extra_phrases = [\"…\"]`.",
    limitations: "Scarcity and deadline wordings outside the built-in patterns are missed; guilt in a breakup message is only caught when it uses the known shapes.",
};

pub static PHRASES: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "asap",
        "act now",
        "act fast",
        "last chance",
        "don't miss",
        "do not miss",
        "don't miss out",
        "you must",
        "you need to",
        "before it's too late",
        "guaranteed",
        "guarantee",
        "limited time",
        "urgent",
        "urgently",
        "right away",
        "immediately",
        "only today",
        "today only",
        "expires soon",
        "hurry",
        "final notice",
        "respond now",
        "reply now",
        "call now",
        "now or never",
    ])
});

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    phrase_findings(
        cx,
        m,
        &RULE,
        &PHRASES,
        &[Question::Pressure],
        |p| {
                format!(
                "“{p}” pressures someone who owes you nothing; make the ask easy to decline"
            )
            },
        |m, r| {
            super::sentence_fix::remove_sentence(cx, m, r)
                .into_iter()
                .collect()
        },
        out,
    );
}

