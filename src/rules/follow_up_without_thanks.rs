use std::sync::LazyLock;

use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::opening::Opening;
use crate::model::Message;
use crate::model::{Channel, Kind};
use crate::phrases::PhraseSet;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("follow-up-without-thanks"),
    severity: |kind| (kind == Kind::FollowUp).then_some(Severity::Info),
    check: Check::Message(check),
    phrases: &[&PHRASES],
    english: true,
    summary: "A LinkedIn follow-up that does not thank the person for connecting",
    what: "Reports a follow-up sent on LinkedIn (after an invitation was accepted) that never says thanks, thank you, appreciate or glad we connected. Email follow-ups are not checked: there was no invitation to accept.",
    why: "The person did you a small favour by accepting. Acknowledging it is the polite way to open the conversation, and the natural bridge to the reason you connected.",
    bad: "# Follow-up\n\nHi {{first_name}}, are you free for a call on Tuesday?",
    good: "# Follow-up\n\nHi {{first_name}}, thanks for connecting! Would you be open to a short call about {{topic | default: \"your work\"}}?",
    fix: "Add a line of thanks; the quick fix inserts one.",
    options: "`[rules.follow-up-without-thanks] extra_phrases = [\"cheers for\"]` adds phrases that count as thanks.",
    limitations: "Only the first LinkedIn message after a connection request in a sequence is expected to thank; a single follow-up file is judged on its own.",
};

pub static PHRASES: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "thanks",
        "thank you",
        "thx",
        "appreciate",
        "appreciated",
        "grateful",
        "glad we connected",
        "glad to be connected",
        "great to connect",
        "nice to connect",
        "good to connect",
        "great to be connected",
        "happy to be connected",
    ])
});

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    // Only the first message after the request owes thanks: a later bump has thanked already.
    let later = matches!(m.follows, Some(Kind::FollowUp | Kind::Message));
    if later || m.channel != Channel::LinkedinMessage || m.content.is_empty() {
        return;
    }
    if !cx.matches(&PHRASES, m.content.clone()).is_empty() {
        return;
    }
    let edit = match cx.signals(m).opening() {
        Opening::Missing => Edit::insert(
            m.content.start,
            "Thanks for connecting, {{first_name}}!\n\n",
        ),
        _ => {
            let (at, before, after) = cx.after_greeting(m);
            Edit::insert(at, format!("{before}Thanks for connecting!{after}"))
        }
    };
    out.extend(cx.report(&RULE, m.kind,
        cx.anchor(m),
        "this follow-up does not thank the person for connecting",
        vec![crate::rules::fix_fit::within_limit(
            cx,
            m,
            Fix::new("Insert a thank-you line", vec![edit]).preferred(),
        )],
    ));
}

