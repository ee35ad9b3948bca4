use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::{Kind, Message};
use crate::analysis::vocabulary;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("no-common-ground"),
    severity: |kind| applies(kind).then_some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[&vocabulary::COMMON_GROUND],
    english: true,
    summary: "A connection request or InMail that mentions nothing you share with the person",
    what: "Looks for anything the sender and the recipient share: a mutual connection, a group, a school, a former employer, an event, a post of theirs, an interest — as words (\"we met at\", \"we're both\", \"mutual\", \"your talk\", \"fellow\") or as a common-ground placeholder (`{{mutual_connection}}`, `{{shared_group}}`, `{{school}}`, `{{event}}`, `{{recent_post}}`, `{{shared_interest}}`, `{{mutual_connections_count}}`). In a template with spintax or conditions, it must be there in every rendering: in each option of a choice, or outside the choice.",
    why: "A request from a stranger with no shared connection or interaction is the one most often ignored or reported as spam. Naming what you have in common tells the person why you, of all people, are asking.",
    bad: "Hi {{first_name}}, I'm growing my network in fintech and would like to connect.",
    good: "Hi {{first_name}}, we're both in {{shared_group | default: \"the Fintech Builders group\"}} and I'd love to hear how you approach fraud modelling.",
    fix: "Add one sentence about what you share. The quick fixes insert one with a common-ground placeholder after the greeting.",
    options: "`[rules.no-common-ground] extra_phrases = [\"our cohort\"]` adds phrases that count as common ground.",
    limitations: "Shared ground written in words the patterns do not know (a shared past employer named in free text, say) is not seen; \"I'm also in fleet analytics\", \"we were both on the attendee list\", \"your write-up\" and stand-ins such as `[post/article]` or `[Event Name]` are. A recruiter or job-seeker note is expected to name something shared like any other request.",
};


/// Common-ground sentences, one per placeholder, inserted after the greeting.
const SENTENCES: &[(&str, &str, &str)] = &[
    ("mutual_connection", "a mutual connection", "I noticed we're both connected to {{mutual_connection | default: \"a few of the same people\"}}."),
    ("shared_group", "a shared group", "We're both members of {{shared_group | default: \"the same professional group\"}}."),
    ("event", "an event", "I saw you were at {{event | default: \"the same event\"}} too."),
    ("recent_post", "a recent post", "I enjoyed {{recent_post | default: \"your recent post\"}}."),
    ("shared_interest", "a shared interest", "It looks like we share an interest in {{shared_interest | default: \"the same field\"}}."),
];

/// One fix per common-ground placeholder, each inserting one sentence after the greeting.
pub fn common_ground_fixes(cx: &Context<'_>, m: &Message) -> Vec<Fix> {
    let (at, before, after) = cx.after_greeting(m);
    SENTENCES
        .iter()
        // Several good choices: none is marked preferred.
        // They write a sentence (unsafe), and say so when it would overflow the channel's limit.
        .map(|(_, label, sentence)| {
            super::fix_fit::within_limit(
                cx,
                m,
                Fix::new(
                    format!("Insert personalization: {label}"),
                    vec![Edit::insert(at, format!("{before}{sentence}{after}"))],
                ),
            )
        })
        .collect()
}

fn applies(kind: Kind) -> bool {
    matches!(kind, Kind::ConnectionRequest | Kind::Inmail)
}

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    if m.content.is_empty() || cx.signals(m).has_common_ground() {
        return;
    }
    out.extend(cx.report(&RULE, m.kind,
        cx.anchor(m),
        format!("this {} mentions nothing you share with the person (a mutual connection, group, school, event, post or interest)", m.kind.in_words()),
        common_ground_fixes(cx, m),
    ));
}

