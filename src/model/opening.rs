//! How a message opens: addressed by name, by a literal name, impersonally, or not at all.

use std::ops::Range;

use crate::model::{Message, Placeholder, Template};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opening {
    /// No greeting at the start of the message.
    Missing,
    /// Addressed with a placeholder (`Hi {{first_name}},`).
    Named { greeting: Range<usize> },
    /// Addressed with a literal name (`Hi Sarah,`): the name span.
    Hardcoded {
        greeting: Range<usize>,
        name: Range<usize>,
    },
    /// "Dear Sir or Madam", "Hi there", or a bare "Hi," with no name.
    Impersonal { span: Range<usize> },
}

/// Phrases that open a message without addressing anyone in particular.
const IMPERSONAL: &[&str] = &[
    "dear sir or madam",
    "dear sir/madam",
    "dear sir / madam",
    "dear sirs",
    "dear sir",
    "dear madam",
    "to whom it may concern",
    "dear linkedin member",
    "dear linkedin user",
    "dear member",
    "dear friend",
    "dear colleague",
    "dear hiring manager",
    "dear recruiter",
    "dear professional",
    "dear connection",
    "hello friend",
    "hi friend",
    "hey friend",
    "hello there",
    "hi there",
    "hey there",
    "hi all",
    "hello all",
    "hi everyone",
    "hello everyone",
    "hi team",
    "hello team",
    "hi folks",
    "greetings",
];

/// Words that open a message, longest first so "thanks for connecting" wins over "thanks".
const GREETINGS: &[&str] = &[
    "thank you for accepting my invitation",
    "thanks for accepting my invitation",
    "thank you for connecting",
    "thanks for connecting",
    "thank you for accepting",
    "thanks for accepting",
    "thanks for the connection",
    "thanks for the connect",
    "great to be connected",
    "great to connect",
    "nice to connect",
    "good to connect",
    "great connecting",
    "good morning",
    "good afternoon",
    "good evening",
    "hi again",
    "hello again",
    "hello",
    "hiya",
    "heya",
    "hey",
    "g'day",
    "g’day",
    "good day",
    "hi",
    "dear",
    "howdy",
    "hallo",
    "hola",
    "bonjour",
    "olá",
    "ola",
    "ciao",
    "hej",
    "salut",
    "morning",
    "thank you",
    "thanks",
    "congratulations",
    "congrats",
    "welcome",
];

const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "mx", "dr", "prof", "professor"];

/// Capitalised words after a greeting that are not names.
const NOT_NAMES: &[&str] = &[
    "there",
    "friend",
    "friends",
    "all",
    "everyone",
    "team",
    "folks",
    "sir",
    "madam",
    "colleague",
    "colleagues",
    "member",
    "connection",
    "linkedin",
    "buddy",
    "mate",
    "hiring",
    "recruiter",
    "again",
    "i",
    "i'm",
    "i’m",
    "we",
    "just",
    "so",
    "and",
    "from",
    "for",
    "it",
    "this",
    "my",
    "the",
    "quick",
    "hope",
    "thanks",
    "thank",
    "great",
    "nice",
    "good",
    "happy",
    "hello",
    "hi",
    "hey",
    // Roles and hopes, not names: "Hello Potential Partner", "Dear Valued Customer".
    "potential",
    "valued",
    "future",
    "partner",
    "partners",
    "customer",
    "client",
    "owner",
    "manager",
    "founder",
    "business",
    "sales",
    "marketing",
];

/// The length of the HTML tags (`<p>`, `<div class="x">`, `<br>`) at the start of `s`: a greeting in an
/// HTML email starts after them.
fn leading_tags(s: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = &s[at..];
        let trimmed = rest.trim_start();
        let ws = rest.len() - trimmed.len();
        let is_tag = trimmed.starts_with('<')
            && trimmed[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/');
        match (is_tag, trimmed.find('>')) {
            (true, Some(end)) if end < 80 && !trimmed[..end].contains('\n') => at += ws + end + 1,
            _ => return at + ws,
        }
    }
}

/// Whether a placeholder's name addresses the person: a name placeholder of the catalog or the
/// configuration, or any spelling of one (`firstName`, `FIRST_NAME`, `leadName`).
fn addresses(name: &str, is_name_placeholder: &impl Fn(&str) -> bool) -> bool {
    is_name_placeholder(name) || names_the_person(name)
}

/// Whether a written field name stands for the person's name: a catalog spelling of a name field
/// (`FNAME`, `First Name`, `leadName`), or any other name with "name" in it except those of other
/// things (`company_name`, `your_name`, `event_name`).
fn names_the_person(name: &str) -> bool {
    use crate::model::catalog::{alias, canonical};
    let name = name.trim();
    match canonical(name).or_else(|| alias(name)) {
        Some(n) => matches!(n, "first_name" | "last_name" | "full_name"),
        None => {
            let key = name.to_lowercase();
            key.contains("name")
                && ![
                    "company", "your", "my", "sender", "event", "product", "file", "account",
                ]
                .iter()
                .any(|w| key.contains(w))
        }
    }
}

/// The length of a hand-written stand-in for the person's name at the start of `s` (`[First Name]`,
/// `{FIRST_NAME}`, `(Name)`, `%FIRSTNAME%`, `*|FNAME|*`, `${firstName}`, `((first-name))`) when it is
/// followed by what ends a name-first greeting (a comma, a dash, `!`, `:` or the end of the line).
fn name_stand_in(s: &str) -> Option<usize> {
    // The stand-in word itself as the greeting: "Name," (not a real name: "Anna,").
    for word in ["Name", "First Name"] {
        if s.starts_with(word) && s[word.len()..].starts_with([',', '!']) {
            return Some(word.len());
        }
    }
    let (open, close) = [
        ("[[", "]]"),
        ("((", "))"),
        ("${", "}"),
        ("*|", "|*"),
        ("[", "]"),
        ("{", "}"),
        ("(", ")"),
        ("%", "%"),
        ("<", ">"),
    ]
    .into_iter()
    .find(|(o, _)| s.starts_with(o))?;
    let inner_end = s[open.len()..].find(close)? + open.len();
    let inner = &s[open.len()..inner_end];
    let names_a_name = inner.len() <= 30 && names_the_person(inner);
    let end = inner_end + close.len();
    let after = s[end..].trim_start_matches([' ', '\t']);
    let closes_greeting = after.is_empty()
        || after.starts_with([',', '!', ':', '—', '–', '-'])
        || after.starts_with("</");
    (names_a_name && closes_greeting).then_some(end)
}

fn starts_with_word(hay: &str, needle: &str) -> bool {
    hay.len() >= needle.len()
        && hay.is_char_boundary(needle.len())
        && hay[..needle.len()].eq_ignore_ascii_case(needle)
        && hay[needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether `s` opens with a greeting, addressed or not ("Hi", "Thanks for connecting", "Hi there").
pub fn starts_with_greeting(s: &str) -> bool {
    let s = s.trim_start();
    IMPERSONAL
        .iter()
        .chain(GREETINGS)
        .any(|g| starts_with_word(s, g))
}

/// Reads the opening of `m`. `is_name_placeholder` says whether a placeholder name addresses the person.
pub fn read(t: &Template<'_>, m: &Message, is_name_placeholder: impl Fn(&str) -> bool) -> Opening {
    let Some(line) = m.first_line.clone() else {
        return Opening::Missing;
    };
    let line_text = Line {
        text: t.text,
        prose: &t.prose,
        placeholders: t.placeholders_of(m),
    };
    read_line(&line_text, line, is_name_placeholder)
}

/// A text to read an opening in: the text, its prose view (same offsets) and its placeholders
/// (sorted): a template's, or one rendering of a message's first line.
pub struct Line<'a> {
    pub text: &'a str,
    pub prose: &'a str,
    pub placeholders: &'a [Placeholder],
}

/// Reads the opening on `line` of `l` (from its first visible character to its end).
pub fn read_line(
    l: &Line<'_>,
    line: Range<usize>,
    is_name_placeholder: impl Fn(&str) -> bool,
) -> Opening {
    let text = &l.prose[line.clone()];
    let lead = leading_tags(text);
    let start = line.start + lead;
    let rest = &l.prose[start..line.end];
    let placeholder_at = |at: usize| l.placeholders.iter().find(|p| p.span.start == at).cloned();
    // "{{first_name}}, …"
    if let Some(p) = placeholder_at(start) {
        if addresses(&p.name, &is_name_placeholder) {
            return Opening::Named {
                greeting: p.span.clone(),
            };
        }
    }
    // "[First Name],", "<p>{FIRST_NAME},</p>", "(Name) —": a stand-in for the name opens a
    // name-first greeting (the literal-placeholder rule reports the stand-in itself).
    if let Some(len) = name_stand_in(rest) {
        return Opening::Named {
            greeting: start..start + len,
        };
    }
    for phrase in IMPERSONAL {
        if starts_with_word(rest, phrase) {
            return Opening::Impersonal {
                span: start..start + phrase.len(),
            };
        }
    }
    let Some(greeting) = GREETINGS.iter().find(|g| starts_with_word(rest, g)) else {
        return Opening::Missing;
    };
    let g_end = start + greeting.len();
    // After the greeting: optional comma, honorific, then the name.
    let mut at = g_end;
    let skip = |at: &mut usize| {
        while *at < line.end && matches!(l.text.as_bytes()[*at], b' ' | b'\t' | b',') {
            *at += 1;
        }
    };
    skip(&mut at);
    let word_end = |from: usize| -> usize {
        l.text[from..line.end]
            .char_indices()
            .find(|(_, c)| !(c.is_alphabetic() || *c == '\'' || *c == '’' || *c == '-'))
            .map_or(line.end, |(i, _)| from + i)
    };
    let w_end = word_end(at);
    if HONORIFICS.contains(&l.text[at..w_end].to_lowercase().as_str()) {
        at = w_end;
        if l.text[at..].starts_with('.') {
            at += 1;
        }
        skip(&mut at);
    }
    if let Some(p) = placeholder_at(at) {
        return if addresses(&p.name, &is_name_placeholder) {
            Opening::Named {
                greeting: start..p.span.end,
            }
        } else {
            Opening::Impersonal { span: start..g_end }
        };
    }
    // A stand-in such as `[First Name]` or `*|FNAME|*` addresses the person (badly); the
    // literal-placeholder rule reports it.
    if l.text[at..line.end].starts_with(['[', '<', '%', '*', '{', '(', '$']) {
        return Opening::Named {
            greeting: start..at + 1,
        };
    }
    let w_end = word_end(at);
    let word = &l.text[at..w_end];
    // "Thanks again for connecting, {{first_name}}." — the name can close the opening sentence,
    // however long it is ("Thanks for the quick reply about the pilot at {{company}}, {{first_name}}.").
    let clause_end = l.text[g_end..line.end]
        .find(['.', '!', '?'])
        .map_or(line.end, |p| g_end + p);
    if let Some(p) = l.placeholders.iter().find(|p| {
        p.span.start >= g_end
            && p.span.end <= clause_end
            && addresses(&p.name, &is_name_placeholder)
    }) {
        return Opening::Named {
            greeting: start..p.span.end,
        };
    }
    let first_upper = word.chars().next().is_some_and(|c| c.is_uppercase());
    if first_upper
        && word.chars().count() >= 2
        && !NOT_NAMES.contains(&word.to_lowercase().as_str())
    {
        return Opening::Hardcoded {
            greeting: start..w_end,
            name: at..w_end,
        };
    }
    Opening::Impersonal { span: start..g_end }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &str) -> Opening {
        let t = Template::parse(text);
        read(&t, &t.messages[0], |n| n.ends_with("name"))
    }

    #[test]
    fn openings() {
        assert!(matches!(
            open("Hi {{first_name}}, hello"),
            Opening::Named { .. }
        ));
        assert!(matches!(
            open("{{first_name}}, quick one"),
            Opening::Named { .. }
        ));
        assert!(matches!(
            open("Thanks for the quick reply about the sensor pilot at {{company}}, {{first_name}}. More soon."),
            Opening::Named { .. }
        ));
        assert!(matches!(
            open("Thanks for the reply. {{first_name}}, more soon."),
            Opening::Impersonal { .. }
        ));
        assert!(matches!(
            open("Thanks for connecting, {{first_name}}!"),
            Opening::Named { .. }
        ));
        assert!(matches!(
            open("Dear Dr. {{last_name}},"),
            Opening::Named { .. }
        ));
        assert!(matches!(open("Hi Sarah, hello"), Opening::Hardcoded { .. }));
        assert!(matches!(open("Hello Zoë!"), Opening::Hardcoded { .. }));
        assert!(matches!(
            open("Hi there, hello"),
            Opening::Impersonal { .. }
        ));
        assert!(matches!(
            open("Dear Sir or Madam,"),
            Opening::Impersonal { .. }
        ));
        assert!(matches!(open("Hi, I wanted"), Opening::Impersonal { .. }));
        assert!(matches!(open("I wanted to connect"), Opening::Missing));
        // A stand-in for the name, written first, addresses the person (literal-placeholder reports it).
        for named in [
            "<p>{FIRST_NAME},</p>",
            "[[customer.firstname]], quick one",
            "((first-name)), quick one",
            "Name, quick one",
            "[Name]! Good to see",
        ] {
            assert!(matches!(open(named), Opening::Named { .. }), "{named}");
        }
        for missing in [
            "{COMPANY}, quick one",
            "Anna, quick one",
            "[Name of the event] was great",
        ] {
            assert!(!matches!(open(missing), Opening::Named { .. }), "{missing}");
        }
        assert!(matches!(open("Highly skilled"), Opening::Missing));
        assert!(matches!(open("Hi [First Name],"), Opening::Named { .. }));
        assert!(matches!(
            open("Thanks again for connecting, {{first_name}}. More"),
            Opening::Named { .. }
        ));
        assert!(matches!(
            open("Thanks. {{first_name}} is"),
            Opening::Impersonal { .. }
        ));
        assert!(matches!(open("Hi *|FNAME|*,"), Opening::Named { .. }));
        assert!(matches!(
            open("<p>Hi {{first_name}},</p>"),
            Opening::Named { .. }
        ));
        assert!(matches!(open("Hi {{firstName}},"), Opening::Named { .. }));
        assert!(matches!(open("Hi {{FIRST_NAME}},"), Opening::Named { .. }));
        assert!(matches!(open("Hola ${leadName},"), Opening::Named { .. }));
        assert!(matches!(open("Hello (Name),"), Opening::Named { .. }));
        assert!(matches!(
            open("Congrats on the new role, {{first_name}}!"),
            Opening::Named { .. }
        ));
        assert!(matches!(
            open("G'day {{firstName}},"),
            Opening::Named { .. }
        ));
        assert!(matches!(
            open("<p>{FIRST_NAME},</p>"),
            Opening::Named { .. }
        ));
        assert!(matches!(
            open("[First Name] — quick one"),
            Opening::Named { .. }
        ));
        assert!(matches!(
            open("{{first_name}} —\n\nI saw"),
            Opening::Named { .. }
        ));
        // A stand-in that is not a name, or a name stand-in inside a sentence, opens nothing.
        assert!(matches!(open("[Company] is hiring"), Opening::Missing));
        assert!(matches!(
            open("[Company Name], quick one"),
            Opening::Missing
        ));
        assert!(matches!(open("(Name) said that"), Opening::Missing));
        assert!(matches!(
            open("Hello Potential Partner,"),
            Opening::Impersonal { .. }
        ));
    }
}
