use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::opening::Opening;
use crate::model::Message;
use crate::rules::{Context, RuleDoc};

pub struct Rule;

pub static DOC: RuleDoc = RuleDoc {
    id: "hardcoded-name",
    default_severity: Severity::Info,
    summary: "A literal first name in the greeting of a template (\"Hi Sarah,\")",
    severity_note: "",
    what: "Reports a greeting followed by a literal name instead of a placeholder.",
    why: "A template is sent to many people. A name left over from the first recipient greets everyone else by the wrong name — a mistake nobody forgets.",
    bad: "Hi Sarah, I enjoyed your talk at {{event}} and would love to hear more about your team's roadmap.",
    good: "Hi {{first_name}}, I enjoyed your talk at {{event}} and would love to hear more about your team's roadmap.",
    fix: "Replace the name with `{{first_name}}`; the quick fix does it. If the file is a one-off note for one person, disable the rule for the file.",
    options: "",
};

impl super::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_message(&self, cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
        let Opening::Hardcoded { name, .. } = cx.signals(m).opening() else {
            return;
        };
        out.push(cx.finding(
            DOC.id,
            DOC.default_severity,
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
