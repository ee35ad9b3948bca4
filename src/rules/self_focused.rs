use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::rules::{Check, Context, Question, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("self-focused"),
    severity: |_| Some(Severity::Info),
    check: Check::Message(check),
    phrases: &[],
    english: true,
    summary: "The message talks about the sender far more than about the recipient",
    what: "Reports a message that is about the sender: in 40 words or more, first-person words (I, me, my, we, our, us …) outnumbering second-person words (you, your …) more than two to one; or, in 35 words or more, a message that is mostly the sender's offer (two or more pitch phrases, as `sales-pitch` reads them, told in the first person) and addresses the reader at most once.",
    why: "A note that is all about the sender asks the reader to care before giving them a reason to. Turning sentences toward the recipient — their work, their view — makes the same request feel like an invitation.",
    bad: "Hi {{first_name}}, I am a product designer and I have worked at three startups. I love my work and I am proud of my portfolio. I am now looking for my next role and I think my skills would be great. I would love to connect with you.",
    good: "Hi {{first_name}}, your redesign of {{company}}'s onboarding caught my eye — especially how you cut the sign-up steps. I'm a product designer exploring my next role and would love to hear what your team looks for.",
    fix: "Rewrite a few sentences to be about the recipient: what you noticed about their work, what you would like to hear from them.",
    options: "",
    limitations: "Counts pronouns and pitch phrases: a self-centred message written without either (a long third-person company history) is missed, and a short one is never reported.",
};

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let s = cx.signals(m);
    let message = if s.words >= 40 && s.first_person >= 5 && s.first_person > 2 * s.second_person {
        format!(
            "{} first-person words against {} about the recipient; turn a few sentences toward them",
            s.first_person, s.second_person
        )
    } else {
        // An offer told in the third person ("AdaptHome could…", "a flat $199 sprint") has few
        // pronouns: a message that is mostly pitch and barely addresses the reader is about the sender.
        let offers = cx.reading(m).spans(Question::Pitch).count();
        if s.words < 35 || offers < 2 || s.first_person < 2 || s.second_person > 1 {
            return;
        }
        format!(
            "this message is mostly about your offer ({offers} pitch phrases) and addresses the recipient {} time(s); turn a few sentences toward them",
            s.second_person
        )
    };
    out.extend(cx.report(&RULE, m.kind, cx.anchor(m), message, Vec::new()));
}
