use crate::finding::{Finding, Severity};
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("invalid-front-matter"),
    severity: |_| Some(Severity::Error),
    check: Check::FileStructure(check),
    phrases: &[],
    english: false,
    summary: "Front matter that is not valid YAML, has unknown keys, or has bad values",
    what: "Checks the YAML between the `---` lines at the top of a template: it must parse, each key must be one of `channel`, `kind`, `account`, `daily_limit`, `weekly_limit`, `placeholders`, `disable`, `contacts` (or the descriptive `name`, `description`, `tags`), and each value must be one the key allows. Rule ids under `disable` must exist.",
    why: "A misspelt key is silently ignored by most tools: `chanel: email` leaves the template checked as a LinkedIn note. Reporting it at its line keeps the settings you wrote the settings in force.",
    bad: "---\nchanel: email\naccount: gold\n---\nHi {{first_name}}, …",
    good: "---\nchannel: email\naccount: free\n---\nHi {{first_name}}, …",
    fix: "Correct the key or value named in the message; hover a key to see what it accepts.",
    options: "",
    limitations: "",
};

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(fm) = &cx.template.front_matter else {
        return;
    };
    for issue in &fm.issues {
        out.push(cx.report_as(&RULE, Severity::Error,
            issue.span.clone(),
            crate::finding::plain_text(&issue.message),
            Vec::new(),
        ));
    }
    if let (Some(error), Some((_, span))) = (cx.contacts_error, &fm.settings.contacts) {
        out.push(cx.report_as(&RULE, Severity::Error,
            span.clone(),
            error.to_string(),
            Vec::new(),
        ));
    }
    for (id, span) in &fm.settings.disable {
        if crate::rules::find(id).is_none() {
            let hint = crate::model::closest(id, crate::rules::ids())
                .map(|h| format!("; did you mean “{h}”?"))
                .unwrap_or_default();
            out.push(cx.report_as(&RULE, Severity::Error,
                span.clone(),
                format!("disable: unknown rule “{id}”{hint}"),
                Vec::new(),
            ));
        }
    }
}

