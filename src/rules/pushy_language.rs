use std::sync::LazyLock;

use crate::finding::{Finding, Severity};
use crate::model::channel::last_touch;
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{Question, phrase_findings, Context, Rule, Check, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("pushy-language"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[&PHRASES],
    english: true,
    summary: "Pressure, urgency and guilt (\"ASAP\", \"only 3 spots left\", \"reply by Friday\", \"I guess you're not interested\")",
    what: "Finds words that push the reader to act now or blame them for not answering: urgency (\"ASAP\", \"act now\", \"right away\", \"urgent\"), scarcity (\"only 3 spots left\", \"the places are already taken\", \"first come, first served\"), deadlines (\"reply by Friday\", \"our rate rises on 1 April\", \"goes away in 24 hours\", \"last chance\"), and guilt (\"I guess you're not interested\", \"I'll assume you don't care\", \"you've ignored my messages\", \"I'll take the hint\"). Word forms and a few words in between are allowed, so \"only 12 places are left\" and \"you keep ignoring\" are found too. A breakup (a step whose heading says breakup, closing, last or final) gets the same checks, and its findings say how such a message should close.",
    why: "A stranger owes you nothing. Pressure from someone the reader has never met reads as aggressive or as spam, and makes a decline the easy answer. Guilt is the breakup message's typical fault: \"I guess you're not interested\" turns a silence the reader was entitled to into their fault; a last message that closes the thread politely and leaves the door open gets more replies and keeps the relationship.",
    bad: "## Breakup\n\nHi {{first_name}}, I guess you're not interested in growing {{company}}. Last chance: reply by Friday or I'll take you off my list.",
    good: "## Breakup\n\nHi {{first_name}}, I haven't heard back, which is completely fine; I'll close this out on my side. If planning at {{company}} comes back on your radar, my inbox is open.",
    fix: "Drop the urgency and the blame. Make the ask small and easy to decline; in a breakup, say you are closing the thread and how to reach you later.",
    options: "`[rules.pushy-language] extra_phrases = [\"…\"]`.",
    limitations: "Reproach for silence is read from its usual shapes (\"you haven't answered any of my messages\", \"I still haven't heard back\", \"surprised I haven't heard back\", \"anyone home?\"). Scarcity, deadline and guilt wordings are read as English word patterns; other wordings are missed, and a sentence that only implies a deadline is not seen.",
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
    let reading = cx.reading(m);
    let guilt: Vec<&str> = reading
        .spans(Question::Guilt)
        .map(|r| &cx.template.text[r])
        .collect();
    // A breakup (last touch) closes the thread: its findings say what such a message should do.
    let last_touch = m
        .heading
        .as_ref()
        .is_some_and(|h| last_touch(&cx.template.text[h.title.clone()]));
    let close = if last_touch {
        "; a breakup message closes the thread warmly and leaves the door open"
    } else {
        ""
    };
    phrase_findings(
        cx,
        m,
        &RULE,
        &PHRASES,
        &[Question::Pressure, Question::Guilt],
        |p| {
            if guilt.contains(&p) {
                format!("“{p}” blames the reader for not answering; nobody owes a reply{close}")
            } else {
                format!(
                    "“{p}” pressures someone who owes you nothing; make the ask easy to decline{close}"
                )
            }
        },
        |m, r| {
            super::sentence_fix::remove_sentence(cx, m, r)
                .into_iter()
                .collect()
        },
        out,
    );
}
