use std::collections::HashMap;

use crate::finding::{Edit, Finding, Fix, Severity};
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("unknown-placeholder"),
    severity: |_| Some(Severity::Error),
    check: Check::FileStructure(check),
    phrases: &[],
    english: false,
    summary: "A placeholder that is neither in the catalog, the front matter, the config nor the contact list",
    what: "Reports `{{ name }}` placeholders whose name is not known: not in the built-in catalog, not declared under `placeholders:` in the front matter or in `.outreach.toml`, and not a column of the configured contact list. The message names the closest known placeholder.",
    why: "A mail-merge tool either leaves an unknown placeholder in the text or replaces it with nothing. Either way the person receives `{{frist_name}}` or `Hi ,` — the clearest possible sign of a mass message, sent to someone you wanted to impress.",
    bad: "Hi {{frist_name}}, I enjoyed your talk on data contracts and would love to hear how your team rolled them out.",
    good: "Hi {{first_name}}, I enjoyed your talk on data contracts and would love to hear how your team rolled them out.",
    fix: "Use the suggested name (the quick fix offers the closest ones), or declare the placeholder in the front matter:\n\n```yaml\nplaceholders:\n  podcast_name:\n    description: The recipient's podcast\n    example: Data Talks\n```",
    options: "",
    limitations: "",
};

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    // The list of names is only needed for suggestions, once something is unknown.
    let mut names: Option<Vec<&str>> = None;
    // The same unknown name tends to repeat through a file: rank the candidates once per name.
    let mut ranked: HashMap<&str, Vec<&str>> = HashMap::new();
    for p in &cx.template.placeholders {
        if cx.def(&p.name).is_some() {
            continue;
        }
        let names = names.get_or_insert_with(|| cx.known_names());
        let candidates: &Vec<&str> = ranked
            .entry(&p.name)
            .or_insert_with(|| crate::model::ranked(&p.name, names.iter().copied(), 3));
        let message = match candidates.first() {
            Some(best) => format!("unknown placeholder “{}”; did you mean “{best}”?", p.name),
            None => format!(
                "unknown placeholder “{}”; declare it under placeholders: in the front matter or use a known one",
                p.name
            ),
        };
        let fixes = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let fix = Fix::new(
                    format!("Replace with {{{{{c}}}}}"),
                    vec![Edit::replace(p.name_span.clone(), *c)],
                );
                // The closest known name is the obvious correction of a typo; the others are guesses.
                if i == 0 {
                    fix.safe().preferred()
                } else {
                    fix
                }
            })
            .collect();
        out.push(cx.report_as(&RULE, Severity::Error, p.span.clone(), message, fixes));
    }
}

