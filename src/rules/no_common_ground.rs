use std::sync::LazyLock;

use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::{Kind, Message};
use crate::phrases::PhraseSet;
use crate::rules::{Context, RuleDoc};

pub struct Rule;

pub static DOC: RuleDoc = RuleDoc {
    id: "no-common-ground",
    default_severity: Severity::Warning,
    summary: "A connection request or InMail that mentions nothing you share with the person",
    severity_note: "**warning** for `connection-request` and `inmail`, off for other kinds",
    what: "Looks for anything the sender and the recipient share: a mutual connection, a group, a school, a former employer, an event, a post of theirs, an interest — as words (\"we met at\", \"we're both\", \"mutual\", \"your talk\", \"fellow\") or as a common-ground placeholder (`{{mutual_connection}}`, `{{shared_group}}`, `{{school}}`, `{{event}}`, `{{recent_post}}`, `{{shared_interest}}`, `{{mutual_connections_count}}`).",
    why: "A request from a stranger with no shared connection or interaction is the one most often ignored or reported as spam. Naming what you have in common tells the person why you, of all people, are asking.",
    bad: "Hi {{first_name}}, I'm growing my network in fintech and would like to connect.",
    good: "Hi {{first_name}}, we're both in {{shared_group | default: \"the Fintech Builders group\"}} and I'd love to hear how you approach fraud modelling.",
    fix: "Add one sentence about what you share. The quick fixes insert one with a common-ground placeholder after the greeting.",
    options: "`[rules.no-common-ground] extra_phrases = [\"our cohort\"]` adds phrases that count as common ground.",
};

pub static PHRASES: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "we met",
        "met you at",
        "met at",
        "meeting you at",
        "mutual",
        "in common",
        "we're both",
        "we are both",
        "we both",
        "you and i both",
        "both of us",
        "fellow",
        "alumni",
        "alumnus",
        "alumna",
        "alum",
        "same group",
        "same team",
        "same school",
        "same university",
        "same program",
        "same class",
        "same conference",
        "same community",
        "same meetup",
        "worked together",
        "work together",
        "we worked",
        "also worked at",
        "used to work",
        "our time at",
        "graduated from",
        "also studied",
        "i also studied",
        "both studied",
        "both attended",
        "also attended",
        "we both attended",
        "your talk",
        "your post",
        "your article",
        "your session",
        "your presentation",
        "your keynote",
        "your panel",
        "your podcast",
        "your newsletter",
        "your book",
        "your comment",
        "your paper",
        "your research",
        "your thread",
        "your episode",
        "your webinar",
        "your workshop",
        "saw you speak",
        "heard you speak",
        "heard you on",
        "introduced us",
        "introduce us",
        "suggested i reach out",
        "suggested we connect",
        "suggested i contact",
        "recommended i reach out",
        "referred me",
        "pointed me to you",
        "shared connection",
        "shared interest",
        "share an interest",
        "share a passion",
        "also passionate about",
        "member of",
        "members of",
    ])
});

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

pub fn applies(kind: Kind) -> bool {
    matches!(kind, Kind::ConnectionRequest | Kind::Inmail)
}

impl super::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_message(&self, cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
        if !applies(m.kind) || m.content.is_empty() || cx.signals(m).has_common_ground() {
            return;
        }
        out.push(cx.finding(
            DOC.id,
            DOC.default_severity,
            cx.anchor(m),
            format!("this {} mentions nothing you share with the person (a mutual connection, group, school, event, post or interest)", m.kind.in_words()),
            common_ground_fixes(cx, m),
        ));
    }
}
