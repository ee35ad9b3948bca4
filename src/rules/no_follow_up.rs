use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::Kind;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("no-follow-up"),
    severity: |_| Some(Severity::Info),
    check: Check::File(check),
    phrases: &[],
    english: false,
    summary: "A sequence with a connection request and no follow-up step",
    what: "In a file with message sections (a sequence), reports a connection-request step when no section is a follow-up.",
    why: "Accepting is where the relationship starts, not where it ends: thanking the person and picking up the reason you connected is what turns a connection into a conversation.",
    bad: "# Connection request\n\nHi {{first_name}}, we're both in {{shared_group}} — I'd love to hear how you got into climate tech.",
    good: "# Connection request\n\nHi {{first_name}}, we're both in {{shared_group}} — I'd love to hear how you got into climate tech.\n\n# Follow-up after accepting\n\nThanks for connecting, {{first_name}}! …",
    fix: "Add a `# Follow-up` section; the quick fix appends a skeleton.",
    options: "",
    limitations: "",
};

const SKELETON: &str = "## Follow-up after connecting\n\nThanks for connecting, {{first_name}}! {{reason | default: \"I'd love to hear more about your work\"}} — would you be open to a short chat next week?\n";

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let t = cx.template;
    if !t.is_sequence || t.messages.iter().any(|m| m.kind == Kind::FollowUp) {
        return;
    }
    let Some(cr) = t
        .messages
        .iter()
        .find(|m| m.kind == Kind::ConnectionRequest)
    else {
        return;
    };
    let sep = if t.text.ends_with("\n\n") {
        ""
    } else if t.text.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    out.push(cx.report_as(&RULE, Severity::Info,
        cx.anchor(cr),
        "this sequence has a connection request but no follow-up for when the person accepts",
        vec![Fix::new("Append a follow-up section", vec![Edit::insert(t.text.len(), format!("{sep}{SKELETON}"))]).preferred()],
    ));
}

            // Writes a whole message: unsafe, but the one obvious thing to do.
