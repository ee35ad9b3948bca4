use std::sync::LazyLock;

use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{Context, RuleDoc};

pub struct Rule;

pub static DOC: RuleDoc = RuleDoc {
    id: "title-targeting",
    default_severity: Severity::Info,
    summary: "The person is approached for their job title or seniority alone",
    severity_note: "",
    what: "Reports a message that addresses the recipient through their title or rank (`{{title}}`, \"as a CEO\", \"senior decision-maker\", \"C-level leaders like you\") when nothing else in it gives common ground or a specific reason.",
    why: "Mass requests to senior people at attractive companies are seen as list-building. If the title is the only reason you picked them, the recipient can tell.",
    bad: "Hi {{first_name}}, as a {{title}} you're exactly the kind of senior decision-maker I want in my network.",
    good: "Hi {{first_name}}, as {{title}} at {{company}} you rolled out {{recent_post | default: \"the new onboarding flow\"}} — I'd love to hear what you learned.",
    fix: "Say what connects you to this person beyond their role: a shared group, a talk, a post, a mutual connection, or a specific question.",
    options: "`[rules.title-targeting] extra_phrases = [\"…\"]`.",
};

pub static PHRASES: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "as a ceo",
        "as a cto",
        "as a cfo",
        "as a cmo",
        "as a coo",
        "as a founder",
        "as a vp",
        "as a director",
        "as a head of",
        "as a leader",
        "as an executive",
        "as a senior",
        "as a manager",
        "as a decision-maker",
        "as a decision maker",
        "decision-maker",
        "decision-makers",
        "decision maker",
        "decision makers",
        "c-level",
        "c-suite",
        "leaders like you",
        "executives like you",
        "founders like you",
        "ceos like you",
        "people in your position",
        "someone in your position",
        "someone in your role",
        "people at your level",
        "senior leaders",
        "top executives",
    ])
});

impl super::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_message(&self, cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
        let s = cx.signals(m);
        if s.title.is_empty()
            || s.has_common_ground()
            || !s.concrete.is_empty()
            || s.has_reason_placeholder()
        {
            return;
        }
        let said = &cx.text()[s.title[0].clone()];
        out.push(cx.finding(
            DOC.id,
            DOC.default_severity,
            cx.anchor(m),
            format!("the person is approached for their title (“{said}”) and nothing else; add common ground or a specific reason"),
            Vec::new(),
        ));
    }
}
