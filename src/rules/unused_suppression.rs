use crate::finding::{Edit, Finding, Fix, Severity};
use crate::rules::{Check, Context, Rule, RuleId};
use crate::suppression::{Scope, Suppression};

pub static RULE: Rule = Rule {
    id: RuleId::new("unused-suppression"),
    severity: |_| Some(Severity::Info),
    check: Check::Lint,
    phrases: &[],
    english: false,
    summary: "A suppression comment or `disable:` entry that silences nothing",
    what: "Reports `outreach-lsp-disable…` comments and front matter `disable:` entries that did not silence any finding, and those that name a rule that does not exist.",
    why: "Stale suppressions hide future problems: the text they once excused has changed, but the switch stays off.",
    bad: "<!-- outreach-lsp-disable-next-line sales-pitch -->\nHi {{first_name}}, loved your talk at {{event}}; I'd love to hear more.",
    good: "Hi {{first_name}}, loved your talk at {{event}}; I'd love to hear more.",
    fix: "Remove the comment or the entry; the quick fix does it.",
    options: "",
    limitations: "",
};




/// Reports the suppressions that silenced nothing.
pub fn report(
    cx: &Context<'_>,
    suppressions: &[Suppression],
    used: &[bool],
    out: &mut Vec<Finding>,
) {
    let text = cx.text();
    for (s, used) in suppressions.iter().zip(used) {
        let unknown: Vec<&String> = s
            .rules
            .iter()
            .filter(|r| crate::rules::find(r).is_none())
            .collect();
        if *used && unknown.is_empty() {
            continue;
        }
        if s.scope == Scope::File && !unknown.is_empty() {
            continue; // reported by invalid-front-matter
        }
        let message = if !unknown.is_empty() {
            format!(
                "suppression names unknown rule{} {}",
                if unknown.len() > 1 { "s" } else { "" },
                unknown
                    .iter()
                    .map(|r| format!("“{r}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else if s.rules.is_empty() {
            "this suppression silences nothing".to_string()
        } else {
            format!(
                "this suppression of {} silences nothing",
                s.rules.join(", ")
            )
        };
        let removal = match s.scope {
            Scope::File => None,
            _ => {
                // Remove the whole line when the comment is alone on it.
                let line = cx.template.lines.line_of(s.span.start);
                let ls = cx.template.lines.line_span(text, line);
                let alone = text[ls.start..s.span.start].trim().is_empty()
                    && text[s.span.end.min(ls.end)..ls.end].trim().is_empty()
                    && s.span.end <= ls.end;
                Some(if alone {
                    Edit::replace(ls.start..cx.template.lines.line_start(line + 1), "")
                } else {
                    Edit::replace(s.span.clone(), "")
                })
            }
        };
        out.push(
            cx.report_as(&RULE, Severity::Info,
                s.span.clone(),
                message,
                removal
                    .map(|e| {
                        vec![Fix::new("Remove the unused suppression", vec![e])
                            .safe()
                            .preferred()]
                    })
                    .unwrap_or_default(),
            ),
        );
    }
}
