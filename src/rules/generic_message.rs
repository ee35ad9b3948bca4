use std::sync::LazyLock;

use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{Context, RuleDoc};

pub struct Rule;

pub static DOC: RuleDoc = RuleDoc {
    id: "generic-message",
    default_severity: Severity::Warning,
    summary: "Nothing in the message is specific to the recipient",
    severity_note: "",
    what: "Reports a message in which nothing is about this recipient: no recipient placeholder beyond their name (`{{company}}`, `{{title}}`, custom ones), no common-ground or reason placeholder, and no concrete reference such as their talk, post, article, project, or a place you met. A name in the greeting alone does not make a message personal.",
    why: "Generic requests are accepted far less often than personalized ones, and recipients feel free to ignore invitations that could have gone to anyone. One specific sentence is what turns a mass message into a note.",
    bad: "Hi {{first_name}}, I'm always looking to connect with great professionals. Let's connect!",
    good: "Hi {{first_name}}, I enjoyed {{recent_post | default: \"your post on hiring juniors\"}} and would love to hear how {{company}} runs its mentoring.",
    fix: "Mention something only this person would recognise. The quick fixes insert a sentence with a common-ground placeholder after the greeting.",
    options: "`[rules.generic-message] extra_phrases = [\"your launch\"]` adds phrases that count as concrete references.",
};

/// Concrete references to the recipient's work or situation.
pub static PHRASES: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "your talk",
        "your post",
        "your article",
        "your book",
        "your podcast",
        "your newsletter",
        "your paper",
        "your research",
        "your session",
        "your keynote",
        "your presentation",
        "your panel",
        "your thread",
        "your comment",
        "your episode",
        "your webinar",
        "your workshop",
        "your work on",
        "your work at",
        "your work with",
        "your project",
        "your team's",
        "your company's",
        "your startup",
        "your launch",
        "your recent",
        "your new role",
        "your promotion",
        "your move to",
        "your course",
        "your repo",
        "your library",
        "your open-source",
        "your open source",
        "your portfolio",
        "your thesis",
        "your study",
        "your report",
        "your essay",
        "your video",
        "your blog",
        "your campaign",
        "your app",
        "your product launch",
        "we met",
        "met you at",
        "saw you speak",
        "heard you speak",
        "heard you on",
        "congrats on",
        "congratulations on",
        "read your",
        "saw your",
        "enjoyed your",
        "loved your",
        "noticed your",
        "watched your",
        "listened to your",
        "mutual",
        "fellow",
        "we're both",
        "we are both",
        "we both",
        "alumni",
        "alum",
        "same group",
    ])
});

impl super::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_message(&self, cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
        if m.content.is_empty() || cx.signals(m).is_specific() {
            return;
        }
        out.push(cx.finding(
            DOC.id,
            DOC.default_severity,
            cx.anchor(m),
            "nothing in this message is specific to the recipient beyond their name",
            super::no_common_ground::common_ground_fixes(cx, m),
        ));
    }
}
