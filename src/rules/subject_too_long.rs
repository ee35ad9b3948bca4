use crate::finding::{Finding, Severity};
use crate::model::channel::Channel;
use crate::model::length::{measure, LengthRange};
use crate::model::Message;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("subject-too-long"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[],
    english: false,
    summary: "A `Subject:` line longer than the channel shows (60 for email, 200 for InMail)",
    what: "Measures the `Subject:` line of an email or InMail with its placeholders filled in and compares it with the channel's subject limit. An InMail subject over 200 characters is refused by LinkedIn, so there the longest plausible value of every placeholder counts. An email's 60 characters are about what a phone shows before cutting the line, not a limit anything enforces, so an email subject is measured with a typical value of each placeholder (the catalog's typical length, such as 12 characters for `{{company}}`); the finding says how long the longest plausible values would make it.",
    why: "A subject is read in a list, cut at the edge of the screen. If the part that matters is past the cut, the message is judged by its first few words only.",
    bad: "---\nchannel: email\n---\nSubject: A quick question about how {{company}} is currently handling its data platform migration\n\nHi {{first_name}}, …",
    good: "---\nchannel: email\n---\nSubject: Data migration at {{company}}\n\nHi {{first_name}}, …",
    fix: "Put the specific part first and drop words that carry nothing (\"a quick question about\").",
    options: "Limits per channel in `.outreach.toml`: `[channels.email]` `subject_limit = 60`.",
    limitations: "An email subject that fits with typical values is not reported even when an unusually long company or name would push it past 60 characters; the message hover shows the whole range.",
};

/// Whether the channel refuses a longer subject (LinkedIn's InMail) rather than only cutting it
/// on screen (email), which decides whether the worst case or the typical case is measured.
fn hard_limit(channel: Channel) -> bool {
    matches!(channel, Channel::LinkedinInmail)
}

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let t = cx.template;
    let (Some(subject), (_, Some(limit))) = (m.subject.clone(), cx.limits(m)) else {
        return;
    };
    let range = measure(t, subject.clone(), |p| cx.bounds(p));
    let Some(message) = describe(range, limit, m.channel) else {
        return;
    };
    out.extend(cx.report(&RULE, m.kind, subject, message, Vec::new()));
}

/// The finding's message, or `None` when the subject fits.
fn describe(range: LengthRange, limit: usize, channel: Channel) -> Option<String> {
    let shown_by = channel.as_str();
    if range.min > limit {
        return Some(format!(
            "the subject renders to {} characters, over the {limit} that {shown_by} shows",
            range.describe()
        ));
    }
    if hard_limit(channel) {
        return (range.max > limit).then(|| {
            format!(
                "the subject renders to {} characters; long placeholder values can exceed the {limit} that {shown_by} allows",
                range.describe()
            )
        });
    }
    (range.typical > limit).then(|| {
        format!(
            "the subject renders to about {} characters with typical placeholder values (up to {} with the longest plausible ones), over the {limit} that {shown_by} shows before cutting it",
            range.typical, range.max
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(min: usize, typical: usize, max: usize) -> LengthRange {
        LengthRange { min, typical, max }
    }

    #[test]
    fn email_subjects_are_measured_with_typical_values() {
        // "Three notes on {{company}}'s checkout": fits with a typical company, not with the longest.
        assert_eq!(describe(range(27, 38, 66), 60, Channel::Email), None);
        let long = describe(range(50, 64, 92), 60, Channel::Email).unwrap();
        assert!(long.contains("about 64") && long.contains("up to 92"), "{long}");
        assert!(describe(range(61, 61, 61), 60, Channel::Email).is_some());
    }

    #[test]
    fn inmail_subjects_keep_the_worst_case() {
        assert!(describe(range(150, 170, 210), 200, Channel::LinkedinInmail).is_some());
        assert_eq!(
            describe(range(150, 170, 200), 200, Channel::LinkedinInmail),
            None
        );
    }
}
