use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::Kind;
use crate::model::Message;
use crate::analysis::vocabulary;
use crate::rules::{Check, Context, Question, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("no-reason"),
    severity: |kind| applies(kind).then_some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[&vocabulary::REASON],
    english: true,
    summary: "The message never says why you are writing",
    what: "Looks for a stated purpose: \"because\", \"I'm reaching out\", an intent with its object (\"I'd love to hear …\", \"would like to find a time to go through it\", \"I need to speak with …\"), \"I'm hiring / working on / researching …\", \"let me know\", \"please send …\", an offer of the sender's (whether it belongs is `sales-pitch`'s business), a thank-you for their invitation, a question that asks the recipient something (\"Open to a quick chat?\", \"How did you test it?\", \"anything I can do for you?\"), or a `{{reason}}` / `{{topic}}` placeholder. \"I'd like to connect\" and LinkedIn's stock sentence do not count: they state the request, not the reason. Later steps of a sequence are not judged: the thread already has its reason. In a template with spintax or conditions, it must be there in every rendering: in each option of a choice, or outside the choice.",
    why: "People accept requests that come with a clear professional reason — a project, a role, a question, a collaboration — and hesitate at ones that leave them guessing what the sender wants.",
    bad: "Hi {{first_name}}, we're both in {{shared_group}}. Let's connect!",
    good: "Hi {{first_name}}, we're both in {{shared_group}}. I'm reaching out because I'm hiring a data lead in Lisbon and would value your view on the market.",
    fix: "Add one sentence that says what you hope for from the conversation. The quick fix inserts one with `{{reason}}`.",
    options: "`[rules.no-reason] extra_phrases = [\"quick question\"]` adds phrases that count as a reason.",
    limitations: "Reads English word patterns; network growth (\"I'm building my network\") and a bare ask that ends its sentence (\"I'd love to connect and learn from your experience.\", \"pick your brain sometime!\") are not reasons, but a vague purpose in other words (\"always keen to hear how people's skills fit together\") still counts as one, and a reason written in words the patterns do not know is missed.",
};




fn applies(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::ConnectionRequest | Kind::Inmail | Kind::Email | Kind::Message
    )
}

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    // A later step of a sequence continues the thread its first step opened with a reason. An offer
    // is a reason too (whether it belongs in the message is sales-pitch's business).
    if m.content.is_empty()
        || m.follows.is_some()
        || cx.signals(m).has_reason()
        || cx.reading(m).spans(Question::Pitch).next().is_some()
    {
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
    out.extend(cx.report(
        &RULE,
        m.kind,
        cx.anchor(m),
        format!("this {} never says why you are writing (looked for: a purpose such as \"I'm reaching out because …\" or \"I'd love to hear …\", a question that asks the recipient something, an offer, or a {{{{reason}}}} placeholder; \"I'd like to connect\" alone is the request, not a reason)", m.kind.in_words()),
        super::fix_fit::first_that_fits(cx, m, candidates)
            .into_iter()
            .collect(),
    ));
}
