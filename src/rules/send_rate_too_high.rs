use crate::finding::{Edit, Finding, Fix, Severity};
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("send-rate-too-high"),
    severity: |_| Some(Severity::Warning),
    check: Check::FileStructure(check),
    phrases: &[],
    english: false,
    summary: "A planned send rate above 20 a day or 100 a week",
    what: "Reads `daily_limit` and `weekly_limit` from the front matter and reports values above 20 a day or 100 a week.",
    why: "Blasting invitations makes the sender look aggressive, leaves hundreds pending, and gets accounts restricted: LinkedIn limits people who send more than roughly a hundred invitations a week. Fewer, better-chosen requests are accepted more often.",
    bad: "---\ndaily_limit: 80\n---\nHi {{first_name}}, …",
    good: "---\ndaily_limit: 15\nweekly_limit: 80\n---\nHi {{first_name}}, …",
    fix: "Lower the limit; the quick fix sets the recommended value.",
    options: "```toml\n[rules.send-rate-too-high]\ndaily_limit = 20\nweekly_limit = 100\n```",
    limitations: "",
};

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(s) = cx.template.settings() else {
        return;
    };
    let rs = cx.config.rule(RULE.id.as_str());
    let daily = rs.and_then(|r| r.daily_limit).unwrap_or(20);
    let weekly = rs.and_then(|r| r.weekly_limit).unwrap_or(100);
    for (value, max, per) in [
        (&s.daily_limit, daily, "day"),
        (&s.weekly_limit, weekly, "week"),
    ] {
        let Some((n, span)) = value else { continue };
        if *n <= max {
            continue;
        }
        out.push(cx.report_as(&RULE, Severity::Warning,
            span.clone(),
            format!("{n} a {per} is above the recommended {max}; sending that many invitations reads as aggressive and risks restrictions"),
            vec![Fix::new(format!("Set to {max}"), vec![Edit::replace(span.clone(), max.to_string())]).safe().preferred()],
        ));
    }
}

