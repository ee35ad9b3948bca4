use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::{Dialect, Placeholder};
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("missing-fallback"),
    severity: |_| Some(Severity::Info),
    check: Check::FileStructure(check),
    phrases: &[],
    english: false,
    summary: "An often-empty placeholder without a `| default:` fallback",
    what: "Reports placeholders that are often empty in real contact data (a mutual connection, a shared group, an event, a recent post, a school, a reason, and custom placeholders marked `optional: true`) when they have no `| default: \"…\"` and no condition guards them (`{% if mutual_connection %}…{{mutual_connection}}…{% endif %}` needs no fallback).",
    why: "When the field is empty the sentence around it breaks: \"We're both connected to .\" reads worse than no personalization at all.",
    bad: "Hi {{first_name}}, I noticed we're both connected to {{mutual_connection}}.",
    good: "Hi {{first_name}}, I noticed we're both connected to {{mutual_connection | default: \"a few people\"}}.",
    fix: "Add `| default: \"…\"` with words that keep the sentence correct. The quick fix proposes a default for each catalog placeholder.",
    options: "",
    limitations: "",
};

/// The preferred fix that adds the placeholder's suggested fallback (or an ellipsis to fill in), in
/// the file's dialect.
pub fn fallback_fix(cx: &Context<'_>, p: &Placeholder) -> Fix {
    let value = cx
        .def(&p.name)
        .map(|d| d.suggested_default.clone())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "…".to_string());
    let dialect = cx.template.dialect;
    let (title, edit) = match dialect {
        Dialect::Liquid => (
            format!("Add fallback | default: \"{value}\""),
            add_default(p, &value),
        ),
        Dialect::Hubspot => {
            let at = p.filters.last().map_or(p.name_span.end, |f| f.span.end);
            (
                format!("Add fallback |default('{value}')"),
                Edit::insert(at, format!("|default('{value}')")),
            )
        }
        Dialect::Handlebars | Dialect::Mailchimp => {
            let written = dialect.write_with_default(&p.name, &value);
            (
                format!("Replace with {written}"),
                Edit::replace(p.span.clone(), written),
            )
        }
    };
    let fix = Fix::new(title, vec![edit]).preferred();
    // The catalog's fallback reads well for that placeholder: safe. An ellipsis is left to fill in.
    if value == "…" {
        fix
    } else {
        fix.safe()
    }
}

/// The edit that adds `| default: "value"` to a placeholder.
pub fn add_default(p: &Placeholder, value: &str) -> Edit {
    let at = p.filters.last().map_or(p.name_span.end, |f| f.span.end);
    Edit::insert(at, format!(" | default: \"{value}\""))
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    // With a contact list, the real data decides (contact-data-missing).
    if cx.contacts.is_some() {
        return;
    }
    for p in &cx.template.placeholders {
        let Some(d) = cx.def(&p.name) else { continue };
        // Inside `{% if x %}`, `x` is only rendered when it has a value.
        if !d.often_empty || p.fallback().is_some() || cx.template.is_guarded(p) {
            continue;
        }
        out.push(cx.report_as(&RULE, Severity::Info,
            p.span.clone(),
            format!(
                "{} is often empty and has no fallback; add | default: \"…\"",
                p.name
            ),
            vec![fallback_fix(cx, p)],
        ));
    }
}

