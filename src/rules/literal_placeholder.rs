use std::sync::LazyLock;

use regex::Regex;

use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::catalog::alias;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("literal-placeholder"),
    severity: |_| Some(Severity::Error),
    check: Check::FileLines {
        file: check,
        lines: check_lines,
    },
    phrases: &[],
    english: false,
    summary: "Text that looks like a placeholder but would be sent literally (`[First Name]`, `[specific topic]`, `%FIRSTNAME%`, `XXX`)",
    what: "Reports hand-written or pasted stand-ins that no template engine here replaces: `[First Name]`, `[Company]`, `[insert …]`, any other bracketed note such as `[specific topic]` or `[SIMILAR_COMPANY]`, `(Company Name)`, `<name>`, `<name-of-recruiter>`, `{first_name}`, `{first-name}`, `{SENDER_SIGNATURE}`, `((first-name))`, braced notes such as `{Feature 1}`, `insert_company_name`, the word `Name,` opening a line, `XXX`, `%FIRSTNAME%` (ActiveCampaign), `*|FNAME|*` (Mailchimp), `{!Contact.FirstName}` (Salesforce), and the syntax of another dialect than the file's: spintax `{Hi|Hello}` outside Liquid, `{% if %}` tags in Handlebars or Mailchimp, `*|FNAME|*` outside Mailchimp.",
    why: "These reach the recipient exactly as written. \"Hi [First Name]\" is the most recognisable mark of a careless mass message, and it costs the acceptance the note was meant to earn.",
    bad: "Hi [First Name], I saw that [Company] is hiring data engineers.",
    good: "Hi {{first_name}}, I saw that {{company}} is hiring data engineers.",
    fix: "Replace the stand-in with the matching placeholder; the quick fix does it when the name maps to a catalog placeholder, written in the file's dialect (`{{first_name}}`, `*|FNAME|*` in Mailchimp, `{{ contact.firstname }}` in HubSpot). Fill in `[insert …]` and `XXX` by hand.",
    options: "",
    limitations: "A stand-in that is valid syntax of the file's own dialect is not reported; text in single brackets that is a real Markdown link is left alone.",
};

struct Pattern {
    re: Regex,
    /// How to read the captured name into a catalog placeholder.
    map: fn(&str) -> Option<&'static str>,
    /// Report even when the name maps to nothing.
    always: bool,
    /// Text every match contains: when one is missing from the prose, the regex is not run (most
    /// templates have no `[`, `<`, `%`…, and starting a search costs more than looking for a byte).
    needs: &'static [&'static str],
    /// Report the name group only, not the words around it (`Hi Name,` reports `Name`).
    name_only: bool,
}

fn bracket(inner: &str) -> Option<&'static str> {
    let l = inner.trim().to_lowercase();
    let l = l
        .trim_start_matches("insert ")
        .trim_start_matches("add ")
        .trim_start_matches("recipient's ")
        .trim_start_matches("their ");
    alias(l)
}

/// A tool's variable name (`candidateFirstName`, `contact_company`): the catalog name it spells, also
/// after a lower-case prefix naming whose field it is.
fn variable(inner: &str) -> Option<&'static str> {
    alias(inner).or_else(|| {
        let rest = inner.trim_start_matches(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest = rest.strip_prefix('_').unwrap_or(rest);
        (!rest.is_empty() && rest.len() < inner.len())
            .then(|| alias(rest))
            .flatten()
            .or_else(|| inner.split_once('_').and_then(|(_, r)| alias(r)))
    })
}

/// Whether `needle` (one or two bytes) occurs in `hay`: cheaper than building a substring searcher.
fn salesforce(inner: &str) -> Option<&'static str> {
    alias(inner.rsplit('.').next().unwrap_or(inner))
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |re: &str, map: fn(&str) -> Option<&'static str>, always, needs| Pattern {
        re: Regex::new(re).expect("static regex"),
        map,
        always,
        needs,
        name_only: false,
    };
    vec![
        // [insert …], [your name here]
        p(
            r"(?i)\[(insert[^\[\]\n]{0,60}|enter[^\[\]\n]{0,60}|add [^\[\]\n]{0,60}|[^\[\]\n]{0,40} here)\]",
            bracket,
            true,
            &["[", "]"],
        ),
        // [First Name], [Company] (not Markdown links: checked after the match)
        p(
            r"\[([A-Za-z][A-Za-z' _-]{0,30})\]",
            bracket,
            false,
            &["[", "]"],
        ),
        // <name>, <First Name>
        p(r"<([A-Za-z][A-Za-z _]{0,30})>", alias, false, &["<", ">"]),
        // {first_name} — single braces, not part of {{ }}
        p(
            r"\{([A-Za-z][A-Za-z0-9 _]{0,30})\}",
            alias,
            false,
            &["{", "}"],
        ),
        // {candidateFirstName}, {schedulerLink}, {their_company}: variable names of another tool
        p(
            r"\{([a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)\}",
            variable,
            true,
            &["{", "}"],
        ),
        // {SENDER_EMAIL_SIGNATURE}, {COMPANY}: upper-case variables of another tool (EmailBison,
        // Woodpecker); a catalog name gets the fix from the pattern above
        p(
            r"\{([A-Z][A-Z0-9]+(?:_[A-Z0-9]+)*)\}",
            variable,
            true,
            &["{", "}"],
        ),
        // ((first-name)), ((industry)): a PR tool's double-parenthesis fields
        p(
            r"\(\(([A-Za-z][A-Za-z0-9 _-]{0,30})\)\)",
            |inner| alias(&inner.replace('-', "_")),
            true,
            &["(("],
        ),
        // %FIRSTNAME%
        p(r"%([A-Z][A-Z_]{1,30})%", alias, true, &["%"]),
        // *|FNAME|*
        p(r"\*\|([A-Z][A-Z_]{0,30})\|\*", alias, true, &["*|"]),
        // {!Contact.FirstName}
        p(r"\{!([A-Za-z_.]{1,60})\}", salesforce, true, &["{!"]),
        // XXX, xxx
        p(r"(?-u:\b)(XXX+|xxx+)(?-u:\b)", |_| None, true, &[]),
        // {Hi|Hello} spintax
        p(
            r"\{([^{}|\n]{1,40}(?:\|[^{}|\n]{1,40})+)\}",
            |_| None,
            true,
            &["{", "|", "}"],
        ),
        // [specific topic], [post/article], [SIMILAR_COMPANY]: any other bracketed words are a note
        // to the writer (links, `[x]` boxes and `[1]` references are left out below)
        p(r"\[([^\[\]\n]{2,100})\]", |_| None, true, &["[", "]"]),
        // (Name), (Company Name), (Your Name): a stand-in when the words name a field
        p(
            r"\(([A-Z][a-z]+(?: [A-Z][a-z]+){0,3})\)",
            alias,
            false,
            &["(", ")"],
        ),
        // {first-name}, {salesperson-name}, <name-of-recruiter>: hyphenated field names
        p(
            r"\{([a-z]+(?:-[a-z]+){1,4})\}",
            alias,
            true,
            &["{", "-", "}"],
        ),
        p(r"<([a-z]+(?:-[a-z]+){1,4})>", alias, true, &["<", "-", ">"]),
        // {Feature 1}, {specific result}: braced words with a space are a note to the writer
        p(
            r"\{([A-Za-z][A-Za-z0-9']*(?: [A-Za-z0-9']+){1,5})\}",
            alias,
            true,
            &["{", " ", "}"],
        ),
        // insert_company_name, INSERT_PERSONALIZED_CONTENT: an instruction left as a token
        p(
            r"(?-u:\b)(?:insert|Insert|INSERT)_([A-Za-z_]{2,40})(?-u:\b)",
            alias,
            true,
            &["_"],
        ),
        // "Name," or "Hi First Name," opening a line: the stand-in word itself as the greeting
        Pattern {
            name_only: true,
            ..p(
                r"(?m)^(?:<[a-z]{1,4}>)?(?:(?:Hi|Hello|Hey|Dear) )?((?:First )?Name)[,!]",
                alias,
                true,
                &["Name"],
            )
        },
        // {% if x %} tags, in a dialect without them (Handlebars, Mailchimp)
        p(r"\{%-?\s*([a-z]+)[^%\n]{0,80}%\}", |_| None, true, &["{%"]),
    ]
});

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    check_lines(cx, 0..cx.template.text.len(), out);
}

// No pattern matches across a line break, and a match is judged by its line and the placeholders.

fn check_lines(cx: &Context<'_>,
    lines: std::ops::Range<usize>,
    out: &mut Vec<Finding>,
) {
    let t = cx.template;
    let prose = &t.prose;
    let region = &prose[lines.clone()];
    // Placeholders and syntax errors are sorted by start: find overlaps by binary search.
    let overlaps = |spans: &[std::ops::Range<usize>], s: usize, e: usize| {
        let i = spans.partition_point(|r| r.end <= s);
        spans.get(i).is_some_and(|r| r.start < e)
    };
    let placeholder_spans: Vec<std::ops::Range<usize>> =
        t.placeholders.iter().map(|p| p.span.clone()).collect();
    let mut error_spans: Vec<std::ops::Range<usize>> =
        t.syntax_errors.iter().map(|p| p.span.clone()).collect();
    error_spans.sort_by_key(|r| r.start);
    let taken =
        |s: usize, e: usize| overlaps(&placeholder_spans, s, e) || overlaps(&error_spans, s, e);
    let mut seen: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for pat in PATTERNS.iter() {
        if !pat
            .needs
            .iter()
            .all(|n| memchr::memmem::find(region.as_bytes(), n.as_bytes()).is_some())
        {
            continue;
        }
        // Most matches are dropped by the checks below, which need only the match bounds: find
        // first, and ask for the name group only for the matches that stay.
        for m in pat.re.find_iter(region) {
            let (s, e) = (lines.start + m.start(), lines.start + m.end());
            let seen_overlap = seen.range(..e).next_back().is_some_and(|(_, &end)| end > s);
            if taken(s, e) || seen_overlap {
                continue;
            }
            let bytes = prose.as_bytes();
            // `[text](url)` and `[text][ref]` are links, not stand-ins.
            if bytes[s] == b'[' && matches!(bytes.get(e), Some(b'(' | b'[' | b':')) {
                continue;
            }
            if bytes[s] == b'[' && t.text.as_bytes().get(e) == Some(&b'(') {
                continue;
            }
            // `[x]` boxes, `[1]` references and `[…]` elisions are not stand-ins.
            if bytes[s] == b'[' {
                let inner = &t.text[s + 1..e - 1];
                if !inner.chars().any(char::is_alphabetic)
                    || matches!(inner.trim(), "x" | "X" | "sic" | "ed" | "sic!")
                {
                    continue;
                }
            }
            // `{` directly after another brace or `\` belongs to something else.
            if bytes[s] == b'{' && s > 0 && matches!(bytes[s - 1], b'{' | b'\\') {
                continue;
            }
            let caps = pat.re.captures_at(prose, s);
            let inner = caps
                .as_ref()
                .and_then(|c| c.get(1))
                .map_or("", |g| g.as_str());
            // Liquid tags are the file's own syntax in Liquid and HubSpot (read as tags, not text).
            if t.text[s..].starts_with("{%") && t.dialect.has_percent_tags() {
                continue;
            }
            let (s, e) = match caps.as_ref().and_then(|c| c.get(1)) {
                Some(g) if pat.name_only => (g.start(), g.end()),
                _ => (s, e),
            };
            let target = (pat.map)(inner);
            if target.is_none() && !pat.always {
                continue;
            }
            seen.insert(s, e);
            let literal = &t.text[s..e];
            let (message, fixes) = match target {
                Some(name) => {
                    // Written the way the file's sender writes placeholders (`*|FNAME|*` in Mailchimp).
                    let written = t.dialect.write_placeholder(name);
                    (
                        format!("{literal} would be sent as it is; use {written}"),
                        // (Whether it keeps the message within its limit is checked after the
                        // lint, `fix_fit::limit_line_local_fixes`: this check sees one line.)
                        vec![Fix::new(
                            format!("Replace with {written}"),
                            vec![Edit::replace(s..e, written.clone())],
                        )
                        .safe()
                        .preferred()],
                    )
                }
                None if literal.starts_with("{%") || (literal.starts_with('{') && literal.contains('|')) => (
                    format!(
                        "{literal} would be sent as it is: this file is read as {} ({}), which has no {}",
                        t.dialect.as_str(),
                        t.dialect_source.describe(),
                        if literal.starts_with("{%") { "{% %} tags" } else { "spintax" }
                    ),
                    Vec::new(),
                ),
                None => (
                    format!("{literal} would be sent as it is; write the text or use a {{{{placeholder}}}}"),
                    Vec::new(),
                ),
            };
            out.push(cx.report_as(&RULE, Severity::Error, s..e, message, fixes));
        }
    }
}


#[cfg(test)]
mod tests {
    use crate::config::Config;

    /// The stand-ins `literal-placeholder` reports in `text`, as written.
    fn reported(text: &str) -> Vec<String> {
        crate::lint::lint(text, &Config::default())
            .findings
            .iter()
            .filter(|f| f.rule.as_str() == "literal-placeholder")
            .map(|f| text[f.span.clone()].to_string())
            .collect()
    }

    #[test]
    fn other_tools_shapes_and_left_instructions() {
        assert_eq!(reported("Hi ((first-name)), I cover retail."), ["((first-name))"]);
        assert_eq!(
            reported("Hi {{first_name}}, it adds {Feature 1} and more."),
            ["{Feature 1}"]
        );
        assert_eq!(
            reported("Hi {{first_name}}, the team at insert_company_name is growing."),
            ["insert_company_name"]
        );
        assert_eq!(reported("Name, the team is growing.\nThanks"), ["Name"]);
        assert_eq!(reported("Hi Name, the team is growing."), ["Name"]);
        // Real names and ordinary words stay.
        assert!(reported("Hi {{first_name}}, Name your price (within reason).").is_empty());
        assert!(reported("Hi Anna, the {{company}} team is growing.").is_empty());
    }
}
