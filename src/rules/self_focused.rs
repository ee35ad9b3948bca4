use std::sync::LazyLock;

use crate::finding::{Finding, Severity};
use crate::language::{Form, Slot, StemId, Word};
use crate::model::Message;
use crate::rules::{Check, Context, Question, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("self-focused"),
    severity: |_| Some(Severity::Info),
    check: Check::Message(check),
    phrases: &[],
    english: true,
    summary: "The message talks about the sender far more than about the recipient",
    what: "Reports a message that is about the sender: in 40 words or more, first-person words (I, me, my, we, our, us …) outnumbering second-person words (you, your …) more than two to one, where the \"you\" of a courtesy formula (\"I hope this finds you well\", \"thanks for your time\") does not count; or, in 35 words or more, a message that is mostly the sender's offer (two or more pitch phrases, as `sales-pitch` reads them, told in the first person) and addresses the reader at most once. A message that asks the reader about their own work or view (a question to them, not a request for their time: \"How did you decide what to promise?\", \"Who handles DNS for {{domain}}?\") is turned toward them and is not reported, however often it says \"I\".",
    why: "A note that is all about the sender asks the reader to care before giving them a reason to. Turning sentences toward the recipient — their work, their view — makes the same request feel like an invitation.",
    bad: "Hi {{first_name}}, I am a product designer and I have worked at three startups. I love my work and I am proud of my portfolio. I am now looking for my next role and I think my skills would be great. I would love to connect with you.",
    good: "Hi {{first_name}}, your redesign of {{company}}'s onboarding caught my eye — especially how you cut the sign-up steps. I'm a product designer exploring my next role and would love to hear what your team looks for.",
    fix: "Rewrite a few sentences to be about the recipient: what you noticed about their work, what you would like to hear from them.",
    options: "",
    limitations: "Counts pronouns and pitch phrases: a self-centred message written without either (a long third-person company history) is missed, and a short one is never reported. Any question about the reader excuses the message, even one tacked onto a long self-description.",
};

/// Second-person and first-person words, and words of a meeting request, as stems.
static YOU: LazyLock<Vec<StemId>> =
    LazyLock::new(|| stems(&["you", "your", "you're", "you've", "you'd", "yourself"]));
static ME: LazyLock<Vec<StemId>> = LazyLock::new(|| {
    stems(&["i", "i'm", "i've", "i'd", "i'll", "me", "my", "we", "we're", "we've", "we'd", "we'll", "our", "us"])
});
static WH: LazyLock<Vec<StemId>> =
    LazyLock::new(|| stems(&["who", "what", "how", "which", "where", "when", "why"]));
static MEETING: LazyLock<Vec<StemId>> = LazyLock::new(|| {
    stems(&[
        "call", "chat", "meet", "meeting", "minutes", "min", "demo", "coffee", "zoom", "connect",
        "time", "slot", "calendar", "walkthrough",
    ])
});

fn stems(words: &[&str]) -> Vec<StemId> {
    words.iter().map(|w| crate::language::stem_id(w)).collect()
}

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let s = cx.signals(m);
    let reading = cx.reading(m);
    let words = &reading.words;
    let is_you = |w: &Word| matches!(&w.form, Form::Word(st) if YOU.contains(st));
    // "I hope this finds you well", "thanks for your time": politeness, not attention to the reader.
    let courtesy: Vec<_> = reading.spans(Question::Courtesy).collect();
    let polite = words
        .words
        .iter()
        .filter(|w| {
            is_you(w)
                && courtesy
                    .iter()
                    .any(|c| c.start <= w.span.start && w.span.end <= c.end)
        })
        .count();
    let second_person = s.second_person.saturating_sub(polite);
    // A question about the reader's own work or view ("How did you decide that?", "Who handles DNS
    // for {{domain}}?") turns the message toward them, however often the sender says "I"; asking for
    // their time, or offering something of the sender's ("Would it help if I sent …?"), does not.
    let asks_about_them = words.questions().any(|q| {
        let sentence = &words.words[q.words.clone()];
        let about_them = words.sentence_has(q, &YOU)
            || sentence.iter().any(|w| w.form == Form::Slot(Slot::Recipient))
            || sentence
                .first()
                .is_some_and(|w| matches!(&w.form, Form::Word(st) if WH.contains(st)));
        about_them && !words.sentence_has(q, &MEETING) && !words.sentence_has(q, &ME)
    });
    if asks_about_them {
        return;
    }
    let message = if s.words >= 40 && s.first_person >= 5 && s.first_person > 2 * second_person {
        format!(
            "{} first-person words against {} about the recipient; turn a few sentences toward them",
            s.first_person, second_person
        )
    } else {
        // An offer told in the third person ("AdaptHome could…", "a flat $199 sprint") has few
        // pronouns: a message that is mostly pitch and barely addresses the reader is about the sender.
        let offers = reading.spans(Question::Pitch).count();
        if s.words < 35 || offers < 2 || s.first_person < 2 || second_person > 1 {
            return;
        }
        format!(
            "this message is mostly about your offer ({offers} pitch phrases) and addresses the recipient {second_person} time(s); turn a few sentences toward them"
        )
    };
    out.extend(cx.report(&RULE, m.kind, cx.anchor(m), message, Vec::new()));
}
