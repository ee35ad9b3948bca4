use std::sync::LazyLock;

use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::Kind;
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{Context, RuleDoc};

pub struct Rule;

pub static DOC: RuleDoc = RuleDoc {
    id: "no-reason",
    default_severity: Severity::Warning,
    summary: "The message never says why you are writing",
    severity_note: "**warning** for `connection-request`, `inmail`, `email` and `message`; off for replies and follow-ups",
    what: "Looks for a stated purpose: \"because\", \"I'm reaching out\", \"I'd like to …\" / \"I'd love to …\" followed by something other than \"connect\", \"would value your view\", \"I'm hiring\", \"I'm working on\", \"to learn\", a question, or a `{{reason}}` / `{{topic}}` placeholder. \"I'd like to connect\" and LinkedIn's stock sentence do not count: they state the request, not the reason.",
    why: "People accept requests that come with a clear professional reason — a project, a role, a question, a collaboration — and hesitate at ones that leave them guessing what the sender wants.",
    bad: "Hi {{first_name}}, we're both in {{shared_group}}. Let's connect!",
    good: "Hi {{first_name}}, we're both in {{shared_group}}. I'm reaching out because I'm hiring a data lead in Lisbon and would value your view on the market.",
    fix: "Add one sentence that says what you hope for from the conversation. The quick fix inserts one with `{{reason}}`.",
    options: "`[rules.no-reason] extra_phrases = [\"quick question\"]` adds phrases that count as a reason.",
};

pub static PHRASES: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "because",
        "since i",
        "reaching out",
        "i'd like to",
        "i would like to",
        "i'd love to",
        "i would love to",
        "would love to",
        "love to hear",
        "love to learn",
        "love to chat",
        "i want to",
        "i wanted to",
        "would value",
        "would appreciate",
        "i'd appreciate",
        "i'm hiring",
        "i am hiring",
        "we're hiring",
        "we are hiring",
        "i'm looking for",
        "i am looking for",
        "i'm looking to",
        "looking to",
        "i'm working on",
        "i am working on",
        "i'm building",
        "i am building",
        "i'm researching",
        "i'm writing",
        "i'm organizing",
        "i'm organising",
        "i'm putting together",
        "i'm curious",
        "curious",
        "hoping to",
        "i hope to",
        "so that",
        "to learn",
        "learn more",
        "to hear",
        "to ask",
        "to discuss",
        "to exchange",
        "swap notes",
        "compare notes",
        "your advice",
        "your perspective",
        "your thoughts",
        "your view",
        "your take",
        "your input",
        "your insight",
        "pick your brain",
        "interested in",
        "keen to",
        "would you be open",
        "are you open",
        "would you be up for",
        "could you",
        "would you",
        "happy to share",
        "happy to help",
        "invite you",
        "to collaborate",
        "collaborate",
        "collaboration",
        "partner with",
        "the reason",
        "my reason",
        "quick question",
        "a question",
        "i'm applying",
        "i am applying",
        "i'm moving",
        "i'm transitioning",
        "i'm exploring",
        "i am exploring",
        "so i can",
    ])
});

/// Intent phrases that only count when followed by more than "connect".
pub const NEEDS_OBJECT: &[&str] = &[
    "i'd like to",
    "i would like to",
    "i'd love to",
    "i would love to",
    "would love to",
    "i want to",
    "i wanted to",
    "hoping to",
    "i hope to",
    "keen to",
    "looking to",
    "i'm looking to",
];

/// Words after an intent phrase that make it the bare request to connect.
pub const NOT_A_REASON: &[&str] = &[
    "connect", "add", "join", "be", "network", "expand", "grow", "invite", "link", "stay", "keep",
    "include",
];

pub fn applies(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::ConnectionRequest | Kind::Inmail | Kind::Email | Kind::Message
    )
}

impl super::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_message(&self, cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
        if !applies(m.kind) || m.content.is_empty() || cx.signals(m).has_reason() {
            return;
        }
        let (at, before, after) = cx.after_greeting(m);
        // The fullest sentence that keeps the message within its limit (a reason can be long; a topic
        // is shorter). It writes words: unsafe, preferred only when it fits.
        let sentences = [
            (
                "Insert a reason: {{reason}}",
                "I'm reaching out because {{reason | default: \"I'd value your perspective\"}}.",
            ),
            (
                "Insert a reason: {{topic}}",
                "I'd value your take on {{topic | default: \"your work\"}}.",
            ),
        ];
        let candidates = sentences
            .iter()
            .map(|(title, sentence)| {
                Fix::new(
                    *title,
                    vec![Edit::insert(at, format!("{before}{sentence}{after}"))],
                )
                .preferred()
            })
            .collect();
        out.push(
            cx.finding(
                DOC.id,
                DOC.default_severity,
                cx.anchor(m),
                format!("this {} never says why you are writing", m.kind.in_words()),
                super::fix_fit::first_that_fits(cx, m, candidates)
                    .into_iter()
                    .collect(),
            ),
        );
    }
}
