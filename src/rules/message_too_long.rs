use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::length::{longest_picks, measure_nodes, rendering_count, tree};
use crate::model::Message;
use crate::phrases::PhraseSet;
use crate::rules::{Check, Context, Rule, RuleId};
use std::sync::LazyLock;

pub static RULE: Rule = Rule {
    id: RuleId::new("message-too-long"),
    severity: |_| Some(Severity::Error),
    check: Check::Message(check),
    phrases: &[&FILLER],
    english: false,
    summary: "The rendered message can exceed its channel's limit (300 characters for a connection note)",
    what: "Renders each message with the shortest and the longest plausible value of every placeholder and compares the result with the channel's limit: 300 characters for a LinkedIn invitation note (200 on a free account), 8,000 for a LinkedIn message, 1,900 for an InMail body. Characters are counted the way LinkedIn's own counter does: UTF-16 code units, so most emoji count 2, and each line break counts 1. HTML comments are not counted. The finding is an error when even the shortest rendering is over the limit, and a warning when only long placeholder values (or some contacts' data) can push it over.",
    why: "LinkedIn refuses a note over the limit, and mail-merge tools cut it or skip the contact silently. A note that fits for \"Ana\" at \"Acme\" can overflow for \"Maximilian\" at \"International Business Solutions GmbH\".",
    bad: "---\naccount: free\n---\nHi {{first_name}}, I came across your profile while researching leaders in the logistics space and was really impressed by everything you have accomplished over the years at {{company}}. I would love to connect and learn more about your journey, your team, and what you are working on next.",
    good: "---\naccount: free\n---\nHi {{first_name}}, your talk at {{event | default: \"the meetup\"}} on route planning stuck with me. I'd love to hear how your team handles peak season.",
    fix: "Cut filler (\"I hope this message finds you well\"), sign-offs and repeated thanks; a connection note needs a greeting, one line of common ground and one line of reason. Give long placeholders a shorter alternative, or declare a smaller `max_length` for custom ones.",
    options: "Limits per channel in `.outreach.toml`:\n\n```toml\n[channels.linkedin-connection]\nlimit = 300\nfree_limit = 200\n```",
    limitations: "Placeholder lengths come from the catalog (typical and maximum) or the contact list; a value longer than the catalog's maximum is only caught with a contact list.",
};

/// Padding that can go without losing anything.
pub static FILLER: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::new(&[
        "i hope this message finds you well",
        "i hope this finds you well",
        "hope this finds you well",
        "i hope you're doing well",
        "i hope you are doing well",
        "hope you're doing well",
        "hope you are well",
        "i hope all is well",
        "i hope you're having a great week",
        "i know you're busy",
        "i know you are busy",
        "thanks in advance",
        "thank you in advance",
        "looking forward to hearing from you",
        "i look forward to hearing from you",
    ])
});

const SIGN_OFFS: &[&str] = &[
    "best",
    "best regards",
    "kind regards",
    "regards",
    "warm regards",
    "cheers",
    "thanks",
    "thank you",
    "many thanks",
    "sincerely",
    "all the best",
    "best wishes",
];

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let t = cx.template;
    let (Some(limit), _) = cx.limits(m) else {
        return;
    };
    if m.content.is_empty() {
        return;
    }
    let what = format!("{} ({})", m.channel.as_str(), cx.account.as_str());
    let nodes = tree(t, m.content.clone());
    let bounds = |p: &crate::model::Placeholder| cx.bounds(p);
    let range = measure_nodes(&nodes, &bounds);
    let (severity, message) = if let Some(contacts) = cx.contacts.filter(|c| c.rows > 0) {
        // Real lengths, contact by contact.
        let lengths = crate::insight::contact_lengths(cx, m.content.clone());
        let over = lengths.iter().filter(|&&l| l > limit).count();
        let Some((row, longest)) = lengths
            .iter()
            .enumerate()
            .max_by_key(|(i, l)| (**l, std::cmp::Reverse(*i)))
        else {
            return;
        };
        if over == 0 {
            return;
        }
        (
            if over == lengths.len() { Severity::Error } else { Severity::Warning },
            format!(
                "renders over the {limit}-character limit of {what} for {over} of {} contacts in {} (longest: row {}, {longest} characters)",
                contacts.rows,
                contacts.file_name(),
                row + 1
            ),
        )
    } else if range.max <= limit {
        return;
    } else if range.min > limit {
        (
            Severity::Error,
            if range.min == range.max {
                format!("renders to {} characters, over the {limit}-character limit of {what}", range.min)
            } else {
                format!("renders to {} characters, over the {limit}-character limit of {what} even with the shortest values", range.describe())
            },
        )
    } else {
        (
            Severity::Warning,
            // The limit is hard (LinkedIn refuses the note), so the worst case is reported, with the
            // typical length beside it so the reader can tell a rare overflow from a common one.
            format!("renders to {} characters (typical {}); long placeholder values can exceed the {limit}-character limit of {what}", range.describe(), range.typical),
        )
    };
    // With spintax or conditions, say which options make the longest rendering.
    let message = match rendering_count(&nodes) {
        0 | 1 => message,
        n => format!(
            "{}; longest of {n} renderings with {}",
            message.replace(
                "long placeholder values can exceed",
                "long options or placeholder values can exceed"
            ),
            describe_picks(t, &longest_picks(&nodes, &bounds))
        ),
    };
    let mut fixes = Vec::new();
    for r in cx.matches(&FILLER, m.content.clone()) {
        // Take the phrase with its punctuation and the space after it.
        let mut end = r.end;
        let bytes = t.text.as_bytes();
        while end < m.content.end && matches!(bytes[end], b'.' | b'!' | b',' | b';') {
            end += 1;
        }
        while end < m.content.end && bytes[end] == b' ' {
            end += 1;
        }
        let phrase = &t.text[r.clone()];
        fixes.push(Fix::new(
            format!("Remove filler “{phrase}”"),
            vec![Edit::replace(r.start..end, "")],
        ));
    }
    if let Some(sign_off) = sign_off(cx, m) {
        fixes.push(Fix::new(
            "Remove the sign-off",
            vec![Edit::replace(sign_off, "")],
        ));
    }
    out.push(cx.report_as(&RULE, severity, cx.anchor(m), message, fixes));
}

/// "option 2 “Hello there” of the spintax group on line 1, the else branch of the if on line 3".
fn describe_picks(t: &crate::model::Template<'_>, picks: &[(usize, usize)]) -> String {
    let mut parts: Vec<String> = picks
        .iter()
        .take(4)
        .map(|&(c, b)| {
            let choice = &t.choices[c];
            let line = t.lines.line_of(choice.span.start) + 1;
            let branch = &choice.branches[b];
            let text = t.text[branch.span.clone()].trim();
            let shown: String = text.chars().take(30).collect();
            let ellipsis = if shown.len() < text.len() { "…" } else { "" };
            if branch.implicit {
                format!("the {} on line {line} left out", choice.kind.as_str())
            } else {
                format!(
                    "option {} “{shown}{ellipsis}” of the {} on line {line}",
                    b + 1,
                    choice.kind.as_str()
                )
            }
        })
        .collect();
    if picks.len() > 4 {
        parts.push(format!("{} more choices", picks.len() - 4));
    }
    parts.join(", ")
}

/// The trailing sign-off ("Best,\nMarta") of a message, from the end of the text before it.
fn sign_off(cx: &Context<'_>, m: &crate::model::Message) -> Option<std::ops::Range<usize>> {
    let t = cx.template;
    let first = t.lines.line_of(m.content.start);
    let last = t.lines.line_of(m.content.end.saturating_sub(1));
    for line in (first + 1..=last).rev().take(3) {
        let span = t.lines.line_span(t.text, line);
        let words = t.text[span.clone()]
            .trim()
            .trim_end_matches([',', '!', '.'])
            .to_lowercase();
        if SIGN_OFFS.contains(&words.as_str()) {
            // Remove from the end of the previous non-blank text to the end of the message.
            let before = t.text[..span.start].trim_end().len().max(m.content.start);
            return Some(before..m.content.end);
        }
    }
    None
}
