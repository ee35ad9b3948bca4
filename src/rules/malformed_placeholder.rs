use crate::finding::{Finding, Fix, Severity};
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("malformed-placeholder"),
    severity: |_| Some(Severity::Error),
    check: Check::FileStructure(check),
    phrases: &[],
    english: false,
    summary: "Broken placeholder syntax: unclosed `{{`, stray `}}`, empty `{{ }}`, unknown filter",
    what: "Reports placeholder syntax that the template engine cannot read: an opening `{{` with no closing `}}` on the same line, a `}}` with no opening, an empty `{{ }}`, a filter other than `default`, `capitalize`, `upcase`, `downcase` and `strip`, an unquoted `default` value, and syntax pasted from other tools (`{{FirstName||there}}`, `{{first_name: there}}`, Handlebars blocks in a Liquid or HubSpot file). Liquid and HubSpot (HubL) share `{% if %}` tags but not everything: Liquid's `| default: \"…\"` and `{% elsif %}` in a HubSpot file, or HubL's `|default('…')` and `{% elif %}` in a Liquid file, are reported once each, naming the file's dialect, with a fix that writes its own form.",
    why: "Broken braces are sent to the recipient as they are. Half a placeholder in the first line of a note tells the reader that a machine wrote it and nobody checked.",
    bad: "Hi {{first_name, loved your post on {{recent_post | defualt: \"hiring\"}}.",
    good: "Hi {{first_name}}, loved {{recent_post | default: \"your recent post\"}}.",
    fix: "Close or open the braces, use `| default: \"…\"` for fallbacks, and write a literal brace pair as `\\{{`. The quick fix repairs the common cases.",
    options: "",
    limitations: "",
};

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for e in &cx.template.syntax_errors {
        let fixes = e
            .repair
            .iter()
            .enumerate()
            // A repair completes or removes the broken syntax itself: safe. Only the first is
            // preferred (editors apply the preferred one on a key press).
            .map(|(i, r)| {
                let fix = Fix::new(crate::finding::plain_text(&r.title), r.edits.clone()).safe();
                if i == 0 {
                    fix.preferred()
                } else {
                    fix
                }
            })
            .collect();
        out.push(cx.report_as(
            &RULE,
            Severity::Error,
            e.span.clone(),
            crate::finding::plain_text(&e.message),
            fixes,
        ));
    }
}

