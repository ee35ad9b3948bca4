use crate::finding::{Finding, Severity};
use crate::model::length::measure;
use crate::model::Message;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("subject-too-long"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[],
    english: false,
    summary: "A `Subject:` line longer than the channel shows (60 for email, 200 for InMail)",
    what: "Measures the `Subject:` line of an email or InMail with its placeholders filled in and compares it with the channel's subject limit: 200 characters for an InMail (LinkedIn's hard limit) and 60 for an email (about what inboxes show before cutting it).",
    why: "A subject is read in a list, cut at the edge of the screen. If the part that matters is past the cut, the message is judged by its first few words only.",
    bad: "---\nchannel: email\n---\nSubject: A quick question about how {{company}} is currently handling its data platform migration\n\nHi {{first_name}}, …",
    good: "---\nchannel: email\n---\nSubject: Data migration at {{company}}\n\nHi {{first_name}}, …",
    fix: "Put the specific part first and drop words that carry nothing (\"a quick question about\").",
    options: "Limits per channel in `.outreach.toml`: `[channels.email]` `subject_limit = 60`.",
    limitations: "",
};

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let t = cx.template;
    let (Some(subject), (_, Some(limit))) = (m.subject.clone(), cx.limits(m)) else {
        return;
    };
    let range = measure(t, subject.clone(), |p| cx.bounds(p));
    if range.max <= limit {
        return;
    }
    let message = if range.min > limit {
        format!(
            "the subject renders to {} characters, over the {limit} that {} shows",
            range.describe(),
            m.channel.as_str()
        )
    } else {
        format!("the subject renders to {} characters; long values can exceed the {limit} that {} shows", range.describe(), m.channel.as_str())
    };
    out.extend(cx.report(&RULE, m.kind, subject, message, Vec::new()));
}

