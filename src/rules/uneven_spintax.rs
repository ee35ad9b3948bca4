use std::ops::Range;

use crate::finding::{Finding, Severity};
use crate::model::opening::{starts_with_greeting, Opening};
use crate::model::{Branch, ChoiceKind, Message, Template};
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("uneven-spintax"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[],
    english: false,
    summary: "A spintax option that does not fit its siblings: far longer, empty where the sentence needs it, or a greeting without the name",
    what: "Compares the options of each spintax group (`{a|b|c}`, `{{random|a|b}}`) with each other. Reports, as a warning, an empty option in a group that starts a sentence which goes on after the group (`{Hi|Hello|} {{first_name}},` sends \", Ana,\" to some recipients), and a greeting option without the name placeholder its sibling options have (`{Hi {{first_name}}|Hey there}`); and, as information, an option more than twice as long as the longest of its non-empty siblings and more than 20 characters longer. A greeting option that opens the message is already read as the message's opening in that rendering: an impersonal one is reported there by `impersonal-greeting` (or `hardcoded-name`), not twice.",
    why: "Each recipient gets one option, and never sees the others: an option that breaks the sentence, drops the name or says three times as much goes to a share of the list, unnoticed, because the template reads fine as a whole.",
    bad: "{Hi|Hello|} {{first_name}}, I saw your talk on kiln design at {{event}} and would value your view on glaze costs.",
    good: "{Hi|Hello|Hey} {{first_name}}, I saw your talk on kiln design at {{event}} and would value your view on glaze costs.",
    fix: "Make the options interchangeable: give each one the name, fill or remove the empty option, or split a long option into its own sentence.",
    options: "",
    limitations: "An empty option is reported only in a group that opens a sentence or a line and whose options do not end the sentence themselves; an empty option in the middle of a sentence (`{really |}`) is taken as deliberate. Lengths compare typical renderings (placeholders at their example length).",
};

/// How much longer than every sibling an option may be before it is reported.
const LONGER_FACTOR: usize = 2;
const LONGER_BY: usize = 20;

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let t = cx.template;
    let span = m.sent_span();
    let first = t.choices.partition_point(|c| c.span.start < span.start);
    for c in t.choices[first..]
        .iter()
        .take_while(|c| c.span.start < span.end)
        .filter(|c| c.kind == ChoiceKind::Spintax && c.span.end <= span.end)
    {
        let options = &c.branches;
        if options.len() < 2 {
            continue;
        }
        uneven_lengths(cx, &c.span, options, out);
        empty_where_needed(cx, t, &c.span, options, out, m);
        greeting_without_name(cx, t, options, out, m);
    }
}

fn uneven_lengths(cx: &Context<'_>, span: &Range<usize>, options: &[Branch], out: &mut Vec<Finding>) {
    // The group's own tree: one node, the choice, whose options are measured.
    let nodes = crate::model::length::tree(cx.template, span.clone());
    let Some(crate::model::length::Node::Choice { branches, .. }) = nodes.first() else {
        return;
    };
    let lengths: Vec<usize> = branches
        .iter()
        .map(|b| crate::model::length::measure_nodes(b, &|p| cx.bounds(p)).typical)
        .collect();
    if lengths.len() != options.len() {
        return;
    }
    for (i, b) in options.iter().enumerate() {
        // An empty sibling makes the option optional, which is not a length to compare.
        let Some(others) = lengths
            .iter()
            .enumerate()
            .filter(|(j, l)| *j != i && **l > 0)
            .map(|(_, l)| *l)
            .max()
        else {
            continue;
        };
        let len = lengths[i];
        if len > LONGER_FACTOR * others && len > others + LONGER_BY {
            out.push(cx.report_as(&RULE, Severity::Info,
                b.span.clone(),
                format!("option {} of this spintax group is about {len} characters, its siblings at most {others}: the recipients who get it read a much longer message; shorten it or make it a sentence of its own", i + 1),
                Vec::new(),
            ));
        }
    }
}

/// Whether the group at `span` opens a sentence or a line.
fn starts_sentence(t: &Template<'_>, span: &Range<usize>) -> bool {
    let line_start = t.text[..span.start].rfind('\n').map_or(0, |p| p + 1);
    let before = t.prose[line_start..span.start].trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?'])
}

fn empty_where_needed(
    cx: &Context<'_>,
    t: &Template<'_>,
    span: &Range<usize>,
    options: &[Branch],
    out: &mut Vec<Finding>,
    m: &Message,
) {
    let Some(empty) = options
        .iter()
        .position(|b| t.text[b.span.clone()].trim().is_empty())
    else {
        return;
    };
    if !starts_sentence(t, span) {
        return;
    }
    // Options that are whole sentences may be left out; a fragment the sentence goes on from may not.
    let whole_sentences = options
        .iter()
        .map(|b| t.text[b.span.clone()].trim())
        .filter(|s| !s.is_empty())
        .all(|s| s.ends_with(['.', '!', '?', ':']));
    let line_end = t.text[span.end..]
        .find('\n')
        .map_or(t.text.len(), |p| span.end + p)
        .min(m.span.end);
    let after = t.prose[span.end..line_end].trim();
    if whole_sentences || !after.chars().any(char::is_alphanumeric) {
        return;
    }
    let shown: String = t.text[span.end..line_end].trim().chars().take(30).collect();
    out.extend(cx.report(&RULE, m.kind,
        span.clone(),
        format!("option {} of this spintax group is empty, but the group opens a sentence that goes on after it: some recipients get one that starts “{shown}…”", empty + 1),
        Vec::new(),
    ));
}

fn greeting_without_name(
    cx: &Context<'_>,
    t: &Template<'_>,
    options: &[Branch],
    out: &mut Vec<Finding>,
    m: &Message,
) {
    let names = |b: &Branch| {
        t.placeholders_of(m).iter().any(|p| {
            b.span.start <= p.span.start && p.span.end <= b.span.end && cx.is_name_placeholder(&p.name)
        })
    };
    let greets = |b: &Branch| starts_with_greeting(&t.prose[b.span.clone()]);
    if !options.iter().any(|b| greets(b) && names(b)) {
        return;
    }
    // An option that opens the message is read as an opening already: impersonal-greeting or
    // hardcoded-name reports it at the option, once.
    let reported: Vec<Range<usize>> = cx
        .signals(m)
        .openings()
        .filter_map(|o| match o {
            Opening::Impersonal { span } => Some(span.clone()),
            Opening::Hardcoded { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect();
    for (i, b) in options.iter().enumerate() {
        let already = reported
            .iter()
            .any(|r| b.span.start <= r.start && r.end <= b.span.end);
        if greets(b) && !names(b) && !already {
            out.extend(cx.report(&RULE, m.kind,
                b.span.clone(),
                format!("option {} of this greeting has no name, while its sibling options greet the person by name: the recipients who get it are greeted impersonally", i + 1),
                Vec::new(),
            ));
        }
    }
}
