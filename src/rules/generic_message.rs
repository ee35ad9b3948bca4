use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::analysis::vocabulary;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("generic-message"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[&vocabulary::CONCRETE],
    english: true,
    summary: "Nothing in the message is specific to the recipient",
    what: "Reports a message in which nothing is about this recipient: no recipient placeholder beyond their name (`{{company}}`, `{{title}}`, custom ones), no common-ground or reason placeholder, and no concrete reference such as their talk, post, article, project, or a place you met. A name in the greeting alone does not make a message personal. In a template with spintax or conditions, it must be there in every rendering: in each option of a choice, or outside the choice.",
    why: "Generic requests are accepted far less often than personalized ones, and recipients feel free to ignore invitations that could have gone to anyone. One specific sentence is what turns a mass message into a note.",
    bad: "Hi {{first_name}}, I'm always looking to connect with great professionals. Let's connect!",
    good: "Hi {{first_name}}, I enjoyed {{recent_post | default: \"your post on hiring juniors\"}} and would love to hear how {{company}} runs its mentoring.",
    fix: "Mention something only this person would recognise. The quick fixes insert a sentence with a common-ground placeholder after the greeting.",
    options: "`[rules.generic-message] extra_phrases = [\"your launch\"]` adds phrases that count as concrete references.",
    limitations: "Reads English phrasing and placeholders; on real templates it still flags about half of the messages it should not (real-world precision 0.54), mostly notes whose specific reference is phrased in words the patterns do not know. A stand-in such as `[Company]` counts as specific even when it names the sender's company.",
};


fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    if m.content.is_empty() || cx.signals(m).is_specific() {
        return;
    }
    out.extend(cx.report(&RULE, m.kind,
        cx.anchor(m),
        "nothing in this message is specific to the recipient beyond their name",
        super::no_common_ground::common_ground_fixes(cx, m),
    ));
}

