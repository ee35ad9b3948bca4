use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::{Channel, Kind};
use crate::model::Message;
use crate::rules::{Check, Context, Rule, RuleId};

pub static RULE: Rule = Rule {
    id: RuleId::new("spam-formatting"),
    severity: |_| Some(Severity::Warning),
    check: Check::Message(check),
    phrases: &[],
    english: false,
    summary: "Shouting and clutter: ALL-CAPS words, `!!`/`??`, emoji runs, emoji-bullet lists in email, links in a connection note",
    what: "Reports words of four or more letters in capitals, repeated `!!` or `??`, runs of three or more emoji, a list whose lines start with emoji in an email (reported once, at its first bullet), and any link inside a connection-request note. Acronyms and names in capitals are not shouting: a built-in list (API, GDPR, AWS …), any capitalised word that cannot be an English word (no vowel, or a start such as PC-, JP-, DK- that English words do not have: PCBA, JPMC, DMARC), and capitals beside a short acronym (\"IPC APEX EXPO\").",
    why: "This is how spam looks, and filters and people both treat it that way. A link in an invitation from a stranger is also a common phishing pattern, so many people decline on sight.",
    bad: "Hi {{first_name}}!! AMAZING news 🚀🚀🚀 check https://example.com/offer",
    good: "Hi {{first_name}}, I enjoyed your talk at {{event}} and would love to hear how your team tests its APIs.",
    fix: "Write in sentence case with plain punctuation. Share links later in the conversation, once the person has accepted.",
    options: "`[rules.spam-formatting] extra_phrases = [\"KUBERNETES\"]` lists more capitalised words that are allowed.",
    limitations: "An acronym that looks like an English word (APEX, SAFE) is read as shouting unless it stands beside a short acronym or is allowed in `extra_phrases`; an emoji-bullet list is only reported in email.",
};

/// Capitalised words that are normal in professional writing.
const ACRONYMS: &[&str] = &[
    "ASAP", "NASA", "HTML", "JSON", "YAML", "TOML", "HTTP", "HTTPS", "REST", "GDPR", "HIPAA",
    "KPIS", "OKRS", "NOSQL", "HVAC", "NYSE", "NASDAQ", "FAANG", "MSFT", "NATO", "UNICEF", "UNESCO",
    "IEEE", "EMEA", "APAC", "LATAM", "DACH", "FINRA", "SHRM", "GAAP", "IFRS", "CISSP", "CCNA",
    "LLMS", "CUDA", "FPGA", "ASIC", "RISC", "SPAC", "STEM", "MOOC", "UCLA", "EPFL", "INSEAD",
    "OPEC", "NGOS", "CEOS", "CTOS", "CFOS", "VPNS", "SAAS", "AWS", "GCP", "UNIX", "LINUX", "POSIX",
    "JPEG", "ICML", "CVPR", "NEURIPS", "ACL", "SIGGRAPH", "OWASP", "PCIE", "USB", "WIFI", "IPSEC",
    "DEVOPS", "MLOPS", "FINOPS", "SOC2", "ISO", "PMP", "PMBOK", "SAFE", "ITIL", "TOGAF", "CSCS",
    "MBTI", "ESOP", "ESOPS", "SAFT", "FDIC", "SEC", "HMRC", "IRS", "CNCF", "KUBECON", "PYCON",
    "JSCONF", "RUSTCONF", "AIGA", "CPAS", "CFAS", "EBITDA", "ARPU", "CAGR", "MRR", "ARR", "SDRS",
    "BDRS", "AMER", "EMEIA", "MENA", "ASEAN", "OECD", "WHO", "NHS", "CERN", "MIT", "IBM", "SAP",
    "AMD", "ARM", "DARPA", "NIST",
];

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:https?://|www\.)[^\s<>()]+").expect("static regex"));

fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF | 0x2B00..=0x2BFF)
}

fn is_emoji_joiner(c: char) -> bool {
    matches!(c as u32, 0x200D | 0xFE0F | 0x1F3FB..=0x1F3FF)
}

/// Two-consonant starts that English words have ("FREE", "THIS", "SPECIAL"); other consonant pairs
/// start acronyms ("PCBA", "JPMC", "DKIM", "DMARC").
const ONSETS: &[&str] = &[
    "BL", "BR", "CH", "CL", "CR", "DR", "DW", "FL", "FR", "GH", "GL", "GN", "GR", "KL", "KN", "KR",
    "PH", "PL", "PR", "PS", "SC", "SH", "SK", "SL", "SM", "SN", "SP", "SQ", "ST", "SW", "TH", "TR",
    "TW", "WH", "WR",
];

/// A capitalised word that cannot be an English word written in capitals: no vowel, or a start no
/// English word has. Such words are names and acronyms, not shouting.
fn acronym_like(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_ascii_alphabetic());
    let vowel = |c: char| matches!(c, 'A' | 'E' | 'I' | 'O' | 'U' | 'Y');
    if !word.chars().any(vowel) {
        return true;
    }
    match (letters.next(), letters.next()) {
        (Some(a), Some(b)) if !vowel(a) && !vowel(b) => {
            let pair = [a as u8, b as u8];
            !ONSETS.iter().any(|o| o.as_bytes() == pair)
        }
        _ => false,
    }
}

/// Whether the word touching `r` on either side (across one space) is a short capitalised name
/// ("IPC" in "IPC APEX EXPO"): then the capitals are a name, not shouting.
fn beside_a_name(text: &str, r: &Range<usize>) -> bool {
    let short_caps = |w: &str| {
        let letters = w.chars().filter(|c| c.is_alphanumeric()).count();
        (2..=3).contains(&letters)
            && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            || (letters >= 2
                && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && acronym_like(w))
    };
    let before = text[..r.start].strip_suffix(' ').map(|b| {
        // (The character found may be several bytes long: start after it.)
        let s = b
            .char_indices()
            .rfind(|(_, c)| !c.is_alphanumeric())
            .map_or(0, |(p, c)| p + c.len_utf8());
        &b[s..]
    });
    let after = text[r.end..].strip_prefix(' ').map(|a| {
        let e = a.find(|c: char| !c.is_alphanumeric()).unwrap_or(a.len());
        &a[..e]
    });
    before.is_some_and(short_caps) || after.is_some_and(short_caps)
}

fn check(cx: &Context<'_>, m: &Message, out: &mut Vec<Finding>) {
    let t = cx.template;
    let allowed: Vec<String> = cx
        .config
        .rule(RULE.id.as_str())
        .map(|r| r.extra_phrases.iter().map(|p| p.to_uppercase()).collect())
        .unwrap_or_default();
    let span = m.sent_span();
    let prose = &t.prose[span.clone()];
    let base = span.start;
    // Placeholders are in text order and do not overlap: a binary search finds the only one
    // that can hold `at` (a scan per word was quadratic with many capitals and placeholders).
    let placeholders = t.placeholders_of(m);
    let in_placeholder = |at: usize| {
        let i = placeholders.partition_point(|p| p.span.start <= at);
        i > 0 && at < placeholders[i - 1].span.end
    };
    // ALL-CAPS words, adjacent ones reported together.
    let mut caps: Option<Range<usize>> = None;
    let flush = |caps: &mut Option<Range<usize>>, out: &mut Vec<Finding>| {
        if let Some(r) = caps.take() {
            let said = &t.text[r.clone()];
            if beside_a_name(t.text, &r) {
                return;
            }
            out.extend(cx.report(&RULE, m.kind,
                r.clone(),
                format!("“{said}” is in capitals, which reads as shouting"),
                vec![Fix::new(
                        "Change to lower case",
                        vec![Edit::replace(r, lower_keep_first(said))],
                    )
                    .safe()
                    .preferred()],
            ));
        }
    };
    // Emoji bullets in an email: the first bullet's line, the end of the last bullet line, how many.
    let email = m.channel == Channel::Email;
    let mut bullets: Option<(Range<usize>, usize, usize)> = None;
    let mut i = 0;
    let bytes = prose.as_bytes();
    while i < prose.len() {
        // Most bytes are ASCII spaces and punctuation: pass them without decoding.
        let b = bytes[i];
        if b.is_ascii() && !b.is_ascii_alphanumeric() && b != b'!' && b != b'?' {
            i += 1;
            continue;
        }
        let c = prose[i..].chars().next().unwrap_or(' ');
        if c.is_alphanumeric() {
            let start = i;
            while i < prose.len() {
                let b = bytes[i];
                if b.is_ascii() {
                    if !(b.is_ascii_alphanumeric() || b == b'\'') {
                        break;
                    }
                    i += 1;
                    continue;
                }
                let c = prose[i..].chars().next().unwrap_or(' ');
                if !(c.is_alphanumeric() || c == '\'') {
                    break;
                }
                i += c.len_utf8();
            }
            let word = &prose[start..i];
            // Capitals inside `%FIRSTNAME%`, `*|FNAME|*`, `[NAME]` belong to literal-placeholder.
            // Cheapest tests first: almost every word has a lower-case letter.
            let shouting = word.len() >= 4
                && word.chars().all(|c| !c.is_lowercase())
                && word.chars().filter(|c| c.is_alphabetic()).count() >= 4
                && !word.chars().any(|c| c.is_ascii_digit())
                && !ACRONYMS.contains(&word)
                && !acronym_like(word)
                && !allowed.iter().any(|a| a == word)
                && !in_placeholder(base + start)
                // (`_` joins the parts of a variable name: `{SENDER_EMAIL_SIGNATURE}`.)
                && !prose[..start].ends_with(['%', '|', '[', '{', '!', '.', '<', '_'])
                && !prose[i..].starts_with(['%', '|', ']', '}', '>', '_']);
            if shouting {
                let r = base + start..base + i;
                match &mut caps {
                    Some(c) if t.text[c.end..r.start].trim().is_empty() => c.end = r.end,
                    _ => {
                        flush(&mut caps, out);
                        caps = Some(r);
                    }
                }
            } else if caps.is_some() {
                // (Most words: skip the call when there is nothing to flush.)
                flush(&mut caps, out);
            }
            continue;
        }
        // `!!`, `??`, `?!?`
        if c == '!' || c == '?' {
            let start = i;
            while i < prose.len() && matches!(bytes[i], b'!' | b'?') {
                i += 1;
            }
            let run = &prose[start..i];
            if run.len() >= 2 && (run.len() >= 3 || run == "!!" || run == "??") {
                flush(&mut caps, out);
                let r = base + start..base + i;
                let keep = &run[..1];
                out.extend(cx.report(&RULE, m.kind,
                    r.clone(),
                    format!("“{run}” reads as shouting; one mark is enough"),
                    vec![Fix::new(
                            format!("Replace with “{keep}”"),
                            vec![Edit::replace(r, keep)],
                        )
                        .safe()
                        .preferred()],
                ));
            }
            continue;
        }
        if is_emoji(c) {
            let start = i;
            if email {
                let line_start = prose[..start].rfind('\n').map_or(0, |p| p + 1);
                if prose[line_start..start].trim_matches([' ', '\t', '-', '*']).is_empty() {
                    let line_end = prose[start..].find('\n').map_or(prose.len(), |p| start + p);
                    bullets = match bullets.take() {
                        Some((first, end, n)) if line_start == end + 1 => Some((first, line_end, n + 1)),
                        _ => Some((start..line_end, line_end, 1)),
                    };
                    if let Some((first, _, 2)) = &bullets {
                        let r = base + first.start..base + first.start + prose[first.clone()].trim_end().len();
                        out.extend(cx.report(&RULE, m.kind,
                            r,
                            "emoji bullets in an email read as marketing copy; write the points as plain sentences or a plain list",
                            Vec::new(),
                        ));
                    }
                }
            }
            let mut count = 0;
            let mut end = i;
            while i < prose.len() {
                let c = prose[i..].chars().next().unwrap_or(' ');
                if is_emoji(c) {
                    count += 1;
                    i += c.len_utf8();
                    end = i;
                } else if is_emoji_joiner(c) || c == ' ' {
                    i += c.len_utf8();
                } else {
                    break;
                }
            }
            if count >= 3 {
                flush(&mut caps, out);
                out.extend(cx.report(&RULE, m.kind,
                    base + start..base + end,
                    format!("{count} emoji in a row read as spam"),
                    Vec::new(),
                ));
            }
            i = end.max(start + c.len_utf8());
            continue;
        }
        i += c.len_utf8();
    }
    flush(&mut caps, out);
    if m.kind == Kind::ConnectionRequest {
        // Links: on the text without code (URLs are blanked in the prose view).
        let visible = &t.text[span.clone()];
        for l in LINK.find_iter(visible) {
            let r = base + l.start()..base + l.end();
            // Non-prose ranges are sorted and merged: only the last one starting at or before
            // the link can contain it (a scan per link was quadratic in links).
            let i = t.non_prose.partition_point(|n| n.start <= r.start);
            let inside_code = i > 0 && {
                let n = &t.non_prose[i - 1];
                r.end <= n.end
                    && !t.text[n.clone()].starts_with("](")
                    && !t.text[n.clone()].starts_with("(")
            };
            if inside_code {
                continue;
            }
            out.extend(cx.report(&RULE, m.kind, r,
                "a link in a connection request from a stranger looks like spam or phishing; share it after they accept",
                Vec::new()));
        }
    }
}


fn lower_keep_first(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().collect::<String>() + chars.as_str(),
        None => lower,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_a_variable_name_are_not_shouting() {
        let t = "---\nchannel: email\n---\nHi {{first_name}},\n\nThanks for reading.\n\n{SENDER_EMAIL_SIGNATURE}\n";
        let findings = crate::lint::lint(t, &crate::config::Config::default()).findings;
        assert!(
            !findings.iter().any(|f| f.rule.as_str() == "spam-formatting"),
            "{findings:?}"
        );
    }

    #[test]
    fn acronyms_are_not_words_in_capitals() {
        for a in ["PCBA", "JPMC", "QGIS", "DKIM", "DMARC", "HTML"] {
            assert!(acronym_like(a), "{a}");
        }
        for w in ["FREE", "THIS", "SPECIAL", "AMAZING", "GUARANTEED", "ONLY", "STOP"] {
            assert!(!acronym_like(w), "{w}");
        }
    }

    #[test]
    fn capitals_beside_a_short_acronym_are_a_name() {
        let text = "we met at IPC APEX EXPO in March";
        assert!(beside_a_name(text, &(14..23)));
        let text = "SPECIAL OFFER, THIS WEEK";
        assert!(!beside_a_name(text, &(0..13)));
        // Multi-byte characters next to the capitals are stepped over whole.
        let text = "😀 AMAZING news";
        assert!(!beside_a_name(text, &(5..12)));
        let text = "é AMAZING";
        assert!(!beside_a_name(text, &(3..10)));
    }
}
