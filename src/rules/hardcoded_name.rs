use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::opening::Opening;
use crate::model::Message;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("hardcoded-name"),
    severity: |_| Some(Severity::Info),
    check: Check::Message(check),
    phrases: &[],
    english: true,
    summary: "A literal first name in the greeting of a template (\"Hi Sarah,\")",
    what: "Reports a greeting followed by a literal name instead of a placeholder.",
    why: "A template is sent to many people. A name left over from the first recipient greets everyone else by the wrong name — a mistake nobody forgets.",
    bad: "Hi Sarah, I enjoyed your talk at {{event}} and would love to hear more about your team's roadmap.",
    good: "Hi {{first_name}}, I enjoyed your talk at {{event}} and would love to hear more about your team's roadmap.",
    fix: "Replace the name with `{{first_name}}`; the quick fix does it. If the file is a one-off note for one person, disable the rule for the file.",
    options: "",
    limitations: "A capitalised word after the greeting that is a role or a hope (\"Hello Potential Partner\") is known from a small list; other capitalised words read as names.",
};

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    // One finding per rendering's opening that has the problem, at its own option.
    for opening in cx.signals(m).openings() {
        let Opening::Hardcoded { name, .. } = opening else {
            continue;
        };
        out.extend(cx.report(&RULE, m.kind,
            name.clone(),
            format!(
                "“{}” is a literal name in a template; use {{{{first_name}}}}",
                &cx.text()[name.clone()]
            ),
            vec![crate::rules::fix_fit::within_limit(
                cx,
                m,
                Fix::new(
                    "Replace with {{first_name}}",
                    vec![Edit::replace(name.clone(), "{{first_name}}")],
                )
                .safe()
                .preferred(),
            )],
        ));
    }
}
