use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::opening::Opening;
use crate::model::Message;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("missing-greeting"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[],
    english: true,
    summary: "The message does not open by addressing the person",
    what: "Checks the first line of each message (after its heading and `Subject:` line) for a greeting that addresses the recipient: \"Hi {{first_name}},\", \"Hello Ana,\", \"Thanks for connecting, {{first_name}}!\", \"{{first_name}}, …\". Greetings without a name are reported by `impersonal-greeting` instead.",
    why: "A polite greeting with the person's name is the first sign that the note was written for them. Notes that start straight with a request read like a form letter.",
    bad: "I noticed we're both in {{shared_group}} and wanted to ask about your move into product.",
    good: "Hi {{first_name}},\n\nI noticed we're both in {{shared_group}} and wanted to ask about your move into product.",
    fix: "Start with `Hi {{first_name}},` — the quick fix inserts it.",
    options: "",
    limitations: "The first line is read in each way it can render (every option of a spintax group or condition on it, up to 64 renderings): a greeting must be in all of them, so `{% if first_name %}Hi {{first_name}},{% else %}Your post…{% endif %}` is reported. A greeting after a long preamble line is not seen.",
};

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let Some(first) = m.first_line.clone() else {
        return;
    };
    if !matches!(cx.signals(m).opening(), Opening::Missing) {
        return;
    }
    let end = first.start + cx.text()[first.clone()].trim_end().len();
    out.extend(cx.report(&RULE, m.kind,
        first.start..end,
        "the message does not open by addressing the person; start with a greeting such as “Hi {{first_name}},”",
        // Writes words the sender did not: offered, never applied blind.
        vec![crate::rules::fix_fit::within_limit(cx, m, Fix::new("Insert greeting \"Hi {{first_name}},\"", vec![Edit::insert(first.start, "Hi {{first_name}},\n\n")]).preferred())],
    ));
}

