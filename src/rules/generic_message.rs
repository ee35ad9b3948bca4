use crate::finding::{Finding, Severity};
use crate::model::{Kind, Message};
use crate::analysis::vocabulary;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("generic-message"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[&vocabulary::CONCRETE],
    english: true,
    summary: "Nothing in the message is specific to the recipient",
    what: "Reports a message in which nothing is about this recipient: no placeholder about them beyond their name (`{{company}}`, `{{title}}`, custom ones, or a stand-in such as `[Company]` or `[their recent project]`), no common-ground or reason placeholder, and no concrete reference such as their post, talk, article, project, launch, a place you met, something you looked at (\"I looked at {{domain}}\"), a conversation you had with them (\"thank you for taking the time to talk with me\", \"you mentioned …\"), the role on their team or their posting, or their background in something named (\"your background in fleet maintenance\", not \"your experience in the industry\"). References are read as word patterns, so \"your recent post\" and \"your write-up on …\" count like \"your post\". A name in the greeting alone does not make a message personal. A later step of a sequence (a bump, a nudge, a breakup) is not judged: it continues a thread whose first steps carried the specifics; the first message after a connection request is, unless it asks the person a real question about their work. In a template with spintax or conditions, it must be there in every rendering: in each option of a choice, or outside the choice.",
    why: "Generic requests are accepted far less often than personalized ones, and recipients feel free to ignore invitations that could have gone to anyone. One specific sentence is what turns a mass message into a note.",
    bad: "Hi {{first_name}}, I'm always looking to connect with great professionals. Let's connect!",
    good: "Hi {{first_name}}, I enjoyed {{recent_post | default: \"your post on hiring juniors\"}} and would love to hear how {{company}} runs its mentoring.",
    fix: "Mention something only this person would recognise. The quick fixes insert a sentence with a common-ground placeholder after the greeting.",
    options: "`[rules.generic-message] extra_phrases = [\"your launch\"]` adds phrases that count as concrete references.",
    limitations: "Reads English word patterns and placeholders. A stand-in counts as the placeholder it stands for, except where the sentence makes it the sender's (\"an exciting opportunity at [Company]\", \"we're looking for a {{position}}\", the sender's own search or background: \"looking for [Industry] recruiters in [Location]\", \"exploring roles in [field]\", \"I'm a [Job Title] with [X] years of experience\"); a remark on the person's general background (\"your background in X\") is read as specific.",
};


fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    // A later step of a sequence (a bump, a nudge, a breakup) continues a thread whose earlier steps
    // carried the specifics. The first message after a connection request continues it when it asks
    // the person something of substance; "let me know if I can help" does not.
    let continues_thread = match m.follows {
        None => false,
        Some(Kind::ConnectionRequest) => cx.reading(m).asks_the_recipient(),
        Some(_) => true,
    };
    if m.content.is_empty() || continues_thread || cx.signals(m).is_specific() {
        return;
    }
    out.extend(cx.report(&RULE, m.kind,
        cx.anchor(m),
        "nothing in this message is specific to the recipient beyond their name (looked for: a placeholder about them such as {{company}}, a common-ground or reason placeholder, or a mention of their post, talk, project, company or a place you met)",
        super::no_common_ground::common_ground_fixes(cx, m),
    ));
}

