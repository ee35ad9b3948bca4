use std::sync::LazyLock;

use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::opening::Opening;
use crate::model::Message;
use crate::model::{Channel, Kind};
use crate::phrases::PhraseSet;
use crate::rules::{Context, RuleDoc};

pub struct Rule;

pub static DOC: RuleDoc = RuleDoc {
    id: "follow-up-without-thanks",
    default_severity: Severity::Info,
    summary: "A LinkedIn follow-up that does not thank the person for connecting",
    severity_note: "",
    what: "Reports a follow-up sent on LinkedIn (after an invitation was accepted) that never says thanks, thank you, appreciate or glad we connected. Email follow-ups are not checked: there was no invitation to accept.",
    why: "The person did you a small favour by accepting. Acknowledging it is the polite way to open the conversation, and the natural bridge to the reason you connected.",
    bad: "# Follow-up\n\nHi {{first_name}}, are you free for a call on Tuesday?",
    good: "# Follow-up\n\nHi {{first_name}}, thanks for connecting! Would you be open to a short call about {{topic | default: \"your work\"}}?",
    fix: "Add a line of thanks; the quick fix inserts one.",
    options: "`[rules.follow-up-without-thanks] extra_phrases = [\"cheers for\"]` adds phrases that count as thanks.",
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

impl super::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_message(&self, cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
        if m.kind != Kind::FollowUp || m.channel != Channel::LinkedinMessage || m.content.is_empty()
        {
            return;
        }
        if !cx.matches(DOC.id, &PHRASES, m.content.clone()).is_empty() {
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
        out.push(cx.finding(
            DOC.id,
            DOC.default_severity,
            cx.anchor(m),
            "this follow-up does not thank the person for connecting",
            vec![crate::rules::fix_fit::within_limit(
                cx,
                m,
                Fix::new("Insert a thank-you line", vec![edit]).preferred(),
            )],
        ));
    }
}
