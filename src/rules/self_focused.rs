use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("self-focused"),
    severity: |_| Some(Severity::Info),
    check: Check::Message(check),
    phrases: &[],
    english: true,
    summary: "The message talks about the sender far more than about the recipient",
    what: "In a message of 40 words or more, counts first-person words (I, me, my, we, our, us …) and second-person words (you, your …). Reports the message when the first outnumber the second more than two to one.",
    why: "A note that is all about the sender asks the reader to care before giving them a reason to. Turning sentences toward the recipient — their work, their view — makes the same request feel like an invitation.",
    bad: "Hi {{first_name}}, I am a product designer and I have worked at three startups. I love my work and I am proud of my portfolio. I am now looking for my next role and I think my skills would be great. I would love to connect with you.",
    good: "Hi {{first_name}}, your redesign of {{company}}'s onboarding caught my eye — especially how you cut the sign-up steps. I'm a product designer exploring my next role and would love to hear what your team looks for.",
    fix: "Rewrite a few sentences to be about the recipient: what you noticed about their work, what you would like to hear from them.",
    options: "",
    limitations: "Counts first- and second-person pronouns; a message about the sender's company written in the third person is not seen (real-world recall 0.43).",
};

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let s = cx.signals(m);
    if s.words < 40 || s.first_person < 5 || s.first_person <= 2 * s.second_person {
        return;
    }
    out.extend(cx.report(&RULE, m.kind,
        cx.anchor(m),
        format!("{} first-person words against {} about the recipient; turn a few sentences toward them", s.first_person, s.second_person),
        Vec::new(),
    ));
}

