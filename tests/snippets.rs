//! The snippets shipped with the VS Code extension, expanded as VS Code would with their default
//! texts, lint clean: a new user's first template must not be flagged by the server that offered it.

use outreach_lsp::{lint, Config};

/// Expands VS Code snippet syntax: `${N:text}` becomes its (expanded) text, `$N` and `${N}` nothing,
/// `\}` `\$` `\\` their character.
fn expand(body: &str) -> String {
    fn inner(chars: &[char], i: &mut usize, stop_at_brace: bool) -> String {
        let mut out = String::new();
        while *i < chars.len() {
            let c = chars[*i];
            match c {
                '\\' if *i + 1 < chars.len() && matches!(chars[*i + 1], '}' | '$' | '\\') => {
                    out.push(chars[*i + 1]);
                    *i += 2;
                }
                '}' if stop_at_brace => {
                    *i += 1;
                    return out;
                }
                '$' if chars.get(*i + 1) == Some(&'{') => {
                    *i += 2;
                    while *i < chars.len() && chars[*i].is_ascii_digit() {
                        *i += 1;
                    }
                    if chars.get(*i) == Some(&':') {
                        *i += 1;
                        out.push_str(&inner(chars, i, true));
                    } else {
                        *i += 1; // `}` of `${N}`
                    }
                }
                '$' if chars.get(*i + 1).is_some_and(|d| d.is_ascii_digit()) => {
                    *i += 1;
                    while *i < chars.len() && chars[*i].is_ascii_digit() {
                        *i += 1;
                    }
                }
                _ => {
                    out.push(c);
                    *i += 1;
                }
            }
        }
        out
    }
    let chars: Vec<char> = body.chars().collect();
    inner(&chars, &mut 0, false)
}

#[test]
fn expansion_follows_vscode() {
    assert_eq!(expand("a ${1:b {{x\\}\\} ${2:c}} $0d\\$"), "a b {{x}} c d$");
}

#[test]
fn shipped_snippets_lint_clean() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("editors/vscode/snippets/outreach.code-snippets");
    let snippets: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut templates = 0;
    for (name, s) in &snippets {
        let body = match &s["body"] {
            serde_json::Value::Array(lines) => lines
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect::<Vec<_>>()
                .join("\n"),
            v => v.as_str().unwrap().to_string(),
        };
        let text = expand(&body);
        // A fragment (a placeholder) is checked inside a clean note.
        let text = if text.starts_with("---") {
            templates += 1;
            text
        } else {
            format!("---\nchannel: linkedin-message\nkind: message\n---\nHi {text},\n\nI'm reaching out because we both spoke at {{{{event | default: \"the meetup\"}}}} and I'd value your take on it.\n")
        };
        let findings = lint(&text, &Config::default()).findings;
        assert!(
            findings.is_empty(),
            "snippet “{name}” expands to a template with findings:\n{text}\n{:#?}",
            findings
                .iter()
                .map(|f| format!("{} {}: {}", f.rule, f.severity.as_str(), f.message))
                .collect::<Vec<_>>()
        );
    }
    assert!(templates >= 3, "only {templates} whole-template snippets");
}
