use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::opening::Opening;
use crate::model::Message;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("impersonal-greeting"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[],
    english: true,
    summary: "A greeting that addresses nobody (\"Dear Sir or Madam\", \"Hi there\", a bare \"Hi,\")",
    what: "Reports greetings that could open a letter to anyone: \"Dear Sir or Madam\", \"To whom it may concern\", \"Hi there\", \"Hello friend\", \"Dear LinkedIn member\", \"Hi all\", and a greeting word with no name after it (\"Hi,\", \"Thanks for connecting!\").",
    why: "Using the person's name is the cheapest personalization there is; skipping it tells the reader the same text went to everyone.",
    bad: "Hi there, I see you lead the platform team at {{company}} and would love to hear how you handle on-call.",
    good: "Hi {{first_name}}, I see you lead the platform team at {{company}} and would love to hear how you handle on-call.",
    fix: "Address the person with `{{first_name}}`; the quick fix replaces the greeting.",
    options: "",
    limitations: "The impersonal openers are a built-in English list. Each rendering of the first line is read: an impersonal option of a spintax group is reported at that option; a nameless greeting in the branch rendered only when the name is empty (`{% else %}Hello,`) is what to write there and is not reported.",
};

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    // One finding per rendering's opening that has the problem, at its own option.
    for opening in cx.signals(m).openings() {
        let Opening::Impersonal { span } = opening else {
            continue;
        };
        let said = &cx.text()[span.clone()];
        let replacement = if said.to_lowercase().starts_with("thank")
            || said.to_lowercase().starts_with("great")
            || said.to_lowercase().starts_with("nice")
            || said.to_lowercase().starts_with("good to")
        {
            format!("{said}, {{{{first_name}}}}")
        } else {
            "Hi {{first_name}}".to_string()
        };
        out.extend(cx.report(&RULE, m.kind,
            span.clone(),
            format!("“{said}” addresses nobody in particular; use the person's name"),
            vec![crate::rules::fix_fit::within_limit(
                cx,
                m,
                Fix::new(
                    format!("Replace with \"{replacement}\""),
                    vec![Edit::replace(span.clone(), replacement.clone())],
                )
                .safe()
                .preferred(),
            )],
        ));
    }
}
