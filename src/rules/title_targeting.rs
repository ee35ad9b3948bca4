use crate::finding::{Finding, Severity};
use crate::model::Message;
use crate::analysis::vocabulary;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("title-targeting"),
    severity: |_| Some(Severity::Info),
    check: Check::Message(check),
    phrases: &[&vocabulary::TITLE],
    english: true,
    summary: "The person is approached for their job title or seniority alone",
    what: "Reports a message that addresses the recipient through their title or rank (`{{title}}`, \"as a CEO\", \"senior decision-maker\", \"C-level leaders like you\") when nothing else in it gives common ground or a specific reason.",
    why: "Mass requests to senior people at attractive companies are seen as list-building. If the title is the only reason you picked them, the recipient can tell.",
    bad: "Hi {{first_name}}, as a {{title}} you're exactly the kind of senior decision-maker I want in my network.",
    good: "Hi {{first_name}}, as {{title}} at {{company}} you rolled out {{recent_post | default: \"the new onboarding flow\"}} — I'd love to hear what you learned.",
    fix: "Say what connects you to this person beyond their role: a shared group, a talk, a post, a mutual connection, or a specific question.",
    options: "`[rules.title-targeting] extra_phrases = [\"…\"]`.",
    limitations: "Needs the title or seniority in words or a `{{title}}` placeholder; flattery by role in other words is missed.",
};


fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let s = cx.signals(m);
    if s.title.is_empty()
        || s.has_common_ground()
        || !s.concrete.is_empty()
        || s.has_reason_placeholder()
    {
        return;
    }
    let said = &cx.text()[s.title[0].clone()];
    // Points at the sentence that approaches the person by title.
    let span = cx
        .sentence_at(m, s.title[0].start)
        .unwrap_or_else(|| cx.anchor(m));
    out.extend(cx.report(&RULE, m.kind,
        span,
        format!("the person is approached for their title (“{said}”) and nothing else; add common ground or a specific reason"),
        Vec::new(),
    ));
}

