use crate::contacts::is_suspicious;
use crate::finding::{Finding, Severity};
use crate::model::catalog::Category;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("contact-data-missing"),
    severity: |_| Some(Severity::Warning),
    check: Check::FileStructure(check),
    phrases: &[],
    english: false,
    summary: "With a contact list: a placeholder that is empty for some contacts and has no fallback, or cells that would be sent as template syntax",
    what: "When a contact list is configured (`contacts` in the front matter or `.outreach.toml`), checks each placeholder against the real data: a column with empty cells and no `| default:` fallback, a placeholder that is not a column of the list at all, and cells that hold `{{`, `}}` or markup — rows are data, never instructions, so such a cell is sent literally. A placeholder inside a condition (`{% if company %}…{{company}}…{% endif %}`) counts only for the contacts whose row picks its option.",
    why: "A template that is fine for the first ten contacts breaks for the 37 whose company is blank: \"I loved what  is building\". Checking against the list you are about to send to finds those contacts before they receive it.",
    bad: "---\ncontacts: leads.csv\n---\nHi {{first_name}}, I loved what {{company}} is building.",
    good: "---\ncontacts: leads.csv\n---\nHi {{first_name}}, I loved what {{company | default: \"your team\"}} is building.",
    fix: "Add a `| default: \"…\"` fallback (the quick fix does), fill the cells in the list, or clean the flagged cells.",
    options: "",
    limitations: "",
};

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(contacts) = cx.contacts else { return };
    let total = contacts.rows;
    if total == 0 {
        return;
    }
    let file = contacts.file_name();
    for p in &cx.template.placeholders {
        let def = cx.def(&p.name);
        let fallback_fix = || vec![super::missing_fallback::fallback_fix(cx, p)];
        // Inside `{% if … %}`, only the contacts whose row picks its option receive it.
        let conditional = cx.template.is_conditional(p);
        let rendered = |row: usize| {
            !conditional
                || cx.template.is_rendered_for(p, &|name: &str| {
                    contacts.field(name, row).map(str::to_string)
                })
        };
        match contacts.column(&p.name) {
            Some(col) => {
                let empty = if conditional {
                    col.values
                        .iter()
                        .enumerate()
                        .filter(|(row, v)| v.trim().is_empty() && rendered(*row))
                        .count()
                } else {
                    col.empty_count()
                };
                if empty > 0 && p.fallback().is_none() {
                    out.push(cx.report_as(&RULE, Severity::Warning,
                        p.span.clone(),
                        format!("{} is empty for {empty} of {total} contact{} in {file} and has no fallback", p.name, plural(total)),
                        fallback_fix(),
                    ));
                }
                let bad: Vec<usize> = col
                    .values
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| is_suspicious(v))
                    .map(|(i, _)| i + 1)
                    .collect();
                if let Some(first) = bad.first() {
                    out.push(cx.report_as(&RULE, Severity::Warning,
                        p.span.clone(),
                        format!(
                            "{} holds template syntax or markup in {} row{} of {file} (first: row {first}); it would be sent literally",
                            p.name,
                            bad.len(),
                            plural(bad.len())
                        ),
                        Vec::new(),
                    ));
                }
            }
            None => {
                // Sender placeholders are filled by the sender, not per contact.
                if def.is_some_and(|d| d.category == Category::Sender) || p.fallback().is_some()
                {
                    continue;
                }
                let receiving = (0..total).filter(|row| rendered(*row)).count();
                if receiving == 0 {
                    continue;
                }
                let whom = if receiving == total {
                    format!("all {total} contact{}", plural(total))
                } else {
                    format!("the {receiving} of {total} contacts it is sent to")
                };
                out.push(cx.report_as(&RULE, Severity::Warning,
                    p.span.clone(),
                    format!("{} is not a column of {file}: it would be empty for {whom}", p.name),
                    fallback_fix(),
                ));
            }
        }
    }
}

