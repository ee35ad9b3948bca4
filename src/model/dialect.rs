//! The template language a file is written in. Sending tools do not share one syntax: lemlist,
//! Instantly and Smartlead speak a Liquid dialect with spintax, SendGrid speaks Handlebars, Mailchimp
//! its own `*|TAG|*` merge tags, HubSpot HubL. The dialect decides what the parser accepts and how
//! fixes write a placeholder.

/// One template language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// `{{ name | default: "x" }}`, `{% if %}` tags, spintax `{a|b}` and `{{random|a|b}}`.
    #[default]
    Liquid,
    /// `{{name}}`, `{{#if x}}…{{else}}…{{/if}}`, `{{insert name "default=x"}}`.
    Handlebars,
    /// `*|FNAME|*`, `*|IF:FNAME|*…*|ELSE:|*…*|END:IF|*`.
    Mailchimp,
    /// HubL: `{{ contact.firstname|default('x') }}`, `{% if %}` tags.
    Hubspot,
}

/// Every text `detect` looks for.
const MARKERS: &[&str] = &[
    "*|",
    "|*",
    "personalization_token",
    "default(",
    "default:",
    "contact.",
    "{%",
];

/// Where the file's dialect came from (said on hover).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialectSource {
    FrontMatter,
    Config,
    /// Recognised from the syntax in the file.
    Detected,
    /// Nothing said otherwise: Liquid.
    Default,
}

impl DialectSource {
    pub fn describe(self) -> &'static str {
        match self {
            DialectSource::FrontMatter => "set by `dialect:` in the front matter",
            DialectSource::Config => "set by `dialect` in .outreach.toml",
            DialectSource::Detected => "detected from the syntax in this file",
            DialectSource::Default => "the default",
        }
    }
}

impl Dialect {
    pub const ALL: [Dialect; 4] = [
        Dialect::Liquid,
        Dialect::Handlebars,
        Dialect::Mailchimp,
        Dialect::Hubspot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Liquid => "liquid",
            Dialect::Handlebars => "handlebars",
            Dialect::Mailchimp => "mailchimp",
            Dialect::Hubspot => "hubspot",
        }
    }

    pub fn parse(s: &str) -> Option<Dialect> {
        let s = s.trim().to_ascii_lowercase();
        Some(match s.as_str() {
            "liquid" => Dialect::Liquid,
            "handlebars" => Dialect::Handlebars,
            "mailchimp" => Dialect::Mailchimp,
            "hubspot" | "hubl" => Dialect::Hubspot,
            _ => return None,
        })
    }

    /// Whether the dialect's senders render spintax (`{a|b}`, `{{random|a|b}}`).
    pub fn has_spintax(self) -> bool {
        self == Dialect::Liquid
    }

    /// Whether `{% … %}` tags are the dialect's own.
    pub fn has_percent_tags(self) -> bool {
        matches!(self, Dialect::Liquid | Dialect::Hubspot)
    }

    /// How this dialect names the field `name` (a catalog name or another snake_case field):
    /// `FNAME` in Mailchimp, `contact.firstname` in HubSpot, unchanged in Liquid and Handlebars.
    pub fn field_name(self, name: &str) -> String {
        match self {
            Dialect::Liquid | Dialect::Handlebars => name.to_string(),
            Dialect::Mailchimp => match name {
                "first_name" => "FNAME".to_string(),
                "last_name" => "LNAME".to_string(),
                other => other.to_ascii_uppercase(),
            },
            Dialect::Hubspot => {
                let property = match name {
                    "first_name" => "firstname",
                    "last_name" => "lastname",
                    "title" => "jobtitle",
                    other => other,
                };
                format!("contact.{property}")
            }
        }
    }

    /// How this dialect writes the catalog placeholder `name` (what a fix inserts).
    pub fn write_placeholder(self, name: &str) -> String {
        let field = self.field_name(name);
        match self {
            Dialect::Liquid | Dialect::Handlebars => format!("{{{{{field}}}}}"),
            Dialect::Mailchimp => format!("*|{field}|*"),
            Dialect::Hubspot => format!("{{{{ {field} }}}}"),
        }
    }

    /// The dialect's name as people write it (`HubSpot`), for titles and messages.
    pub fn display_name(self) -> &'static str {
        match self {
            Dialect::Liquid => "Liquid",
            Dialect::Handlebars => "Handlebars",
            Dialect::Mailchimp => "Mailchimp",
            Dialect::Hubspot => "HubSpot",
        }
    }

    /// How this dialect writes placeholder `name` (as the file writes it) with a fallback for an empty
    /// value. Mailchimp has no fallback syntax: a conditional block does the job.
    pub fn write_with_default(self, name: &str, default: &str) -> String {
        match self {
            Dialect::Liquid => format!("{{{{{name} | default: \"{default}\"}}}}"),
            Dialect::Handlebars => format!("{{{{insert {name} \"default={default}\"}}}}"),
            Dialect::Hubspot => format!("{{{{ {name}|default('{default}') }}}}"),
            Dialect::Mailchimp => {
                let tag = name.to_ascii_uppercase();
                format!("*|IF:{tag}|**|{tag}|**|ELSE:|*{default}*|END:IF|*")
            }
        }
    }

    /// The dialect the syntax of `body` belongs to, when it says; None for plain `{{name}}` text. A file
    /// that mixes syntaxes is read in the one it uses most (ties go to Liquid), so the other's
    /// constructs are reported as text that would be sent literally.
    pub fn detect(body: &str) -> Option<Dialect> {
        // Every mark counted in one pass (overlapping: `{{` inside `{{#if` counts for both).
        let counts = mark_counts(body);
        let count = |needle: &str| {
            DETECT_MARKS
                .iter()
                .position(|m| *m == needle)
                .map_or(0, |i| counts[i])
        };
        let mailchimp = count("*|");
        let braces = count("{{");
        let handlebars = count("{{#if")
            + count("{{#unless")
            + count("{{/if")
            + count("{{/unless")
            + count("{{insert ");
        // `{%` tags are both Liquid and HubL, so they count for both and only break a tie (in
        // Liquid's favour): a file of HubSpot tokens with an `{% if %}` block stays HubSpot.
        let hubspot = count("{%")
            + count("personalization_token(")
            + count("|default(")
            + count("| default(")
            + count("contact.firstname")
            + count("contact.lastname")
            + count("contact.jobtitle");
        let liquid = count("{%")
            + count("{{random")
            + count("{{RANDOM")
            + count("{{Random")
            + count("| default:")
            + count("|default:");
        if mailchimp > 0 && count("|*") > 0 && mailchimp > braces {
            return Some(Dialect::Mailchimp);
        }
        let best = [
            (liquid, Dialect::Liquid),
            (handlebars, Dialect::Handlebars),
            (hubspot, Dialect::Hubspot),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, d)| (*n, *d == Dialect::Liquid))?;
        Some(best.1)
    }

    /// Whether `s` holds any of the marks `detect` looks for (so an edit that touches none of them
    /// cannot change what is detected).
    pub fn has_marker(s: &str) -> bool {
        MARKERS
            .iter()
            .any(|m| memchr::memmem::find(s.as_bytes(), m.as_bytes()).is_some())
    }

    /// The dialect of a file: its front matter, then the configuration, then its syntax.
    pub fn choose(
        front_matter: Option<Dialect>,
        config: Option<Dialect>,
        body: &str,
    ) -> (Dialect, DialectSource) {
        if let Some(d) = front_matter {
            return (d, DialectSource::FrontMatter);
        }
        if let Some(d) = config {
            return (d, DialectSource::Config);
        }
        match Dialect::detect(body) {
            Some(d) => (d, DialectSource::Detected),
            None => (Dialect::Liquid, DialectSource::Default),
        }
    }
}

/// The marks `Dialect::detect` counts.
const DETECT_MARKS: [&str; 20] = [
    "*|",
    "|*",
    "{{",
    "{{#if",
    "{{#unless",
    "{{/if",
    "{{/unless",
    "{{insert ",
    "personalization_token(",
    "|default(",
    "| default(",
    "contact.firstname",
    "contact.lastname",
    "contact.jobtitle",
    "{%",
    "{{random",
    "{{RANDOM",
    "{{Random",
    "| default:",
    "|default:",
];

/// Whether a mark starts with a byte that is rare in prose (see `mark_counts`).
fn at_rare_byte(m: &str) -> bool {
    matches!(m.as_bytes()[0], b'*' | b'|' | b'{')
}

/// How often each of `DETECT_MARKS` occurs in `body` (overlapping: `{{` inside `{{#if` counts for
/// both). The marks that start with `*`, `|` or `{` are tried where those bytes are (found with
/// `memchr`, rare in prose), the others searched for alone: a tenth of the cost of one automaton
/// stepping through every byte, which was a sixth of a parse.
fn mark_counts(body: &str) -> [usize; DETECT_MARKS.len()] {
    let mut counts = [0usize; DETECT_MARKS.len()];
    let bytes = body.as_bytes();
    for at in memchr::memchr3_iter(b'*', b'|', b'{', bytes) {
        let rest = &bytes[at..];
        for (count, m) in counts.iter_mut().zip(DETECT_MARKS) {
            if m.as_bytes()[0] == rest[0] && rest.starts_with(m.as_bytes()) {
                *count += 1;
            }
        }
    }
    // Searchers built once (building one cost as much as searching a message).
    static FINDERS: std::sync::LazyLock<Vec<Option<memchr::memmem::Finder<'static>>>> =
        std::sync::LazyLock::new(|| {
            DETECT_MARKS
                .iter()
                .map(|m| (!at_rare_byte(m)).then(|| memchr::memmem::Finder::new(m.as_bytes())))
                .collect()
        });
    for (count, finder) in counts.iter_mut().zip(FINDERS.iter()) {
        if let Some(finder) = finder {
            // (None of these marks can overlap itself, so the non-overlapping search counts all.)
            *count = finder.find_iter(bytes).count();
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_counted_as_an_overlapping_automaton_counts_them() {
        let automaton = aho_corasick::AhoCorasick::new(DETECT_MARKS).expect("patterns");
        let pieces = [
            "{{",
            "{%",
            "*|",
            "|*",
            "|",
            "*",
            "{",
            "#if",
            "/if",
            "#unless",
            "insert ",
            "random",
            "RANDOM",
            "contact.",
            "firstname",
            "lastname",
            "jobtitle",
            "personalization_token(",
            " default:",
            "default(",
            "| default(",
            "Hi ",
            "é",
            "}}",
            "x",
        ];
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let mut expected = [0usize; DETECT_MARKS.len()];
            for m in automaton.find_overlapping_iter(&text) {
                expected[m.pattern().as_usize()] += 1;
            }
            assert_eq!(mark_counts(&text), expected, "{text}");
        }
    }

    #[test]
    fn detection() {
        assert_eq!(Dialect::detect("Hi *|FNAME|*,"), Some(Dialect::Mailchimp));
        assert_eq!(
            Dialect::detect("{{#if first_name}}Hi{{/if}}"),
            Some(Dialect::Handlebars)
        );
        assert_eq!(
            Dialect::detect("Hi {{ contact.firstname|default('there') }}"),
            Some(Dialect::Hubspot)
        );
        assert_eq!(
            Dialect::detect("{% if x %}a{% endif %}"),
            Some(Dialect::Liquid)
        );
        assert_eq!(
            Dialect::detect("Hi {{ contact.firstname }}, {% if x %}a{% else %}b{% endif %}"),
            Some(Dialect::Hubspot)
        );
        assert_eq!(Dialect::detect("Hi {{first_name}}"), None);
        // Mixed: the syntax used most decides.
        assert_eq!(
            Dialect::detect("Hi *|FNAME|*, at {{ event | default: \"x\" }}"),
            Some(Dialect::Liquid)
        );
        assert_eq!(
            Dialect::choose(None, Some(Dialect::Mailchimp), "{% if %}"),
            (Dialect::Mailchimp, DialectSource::Config)
        );
    }

    #[test]
    fn writes_placeholders() {
        assert_eq!(
            Dialect::Mailchimp.write_placeholder("first_name"),
            "*|FNAME|*"
        );
        assert_eq!(
            Dialect::Hubspot.write_placeholder("first_name"),
            "{{ contact.firstname }}"
        );
        assert_eq!(Dialect::Liquid.write_placeholder("company"), "{{company}}");
        assert_eq!(
            Dialect::Handlebars.write_with_default("event", "the fair"),
            "{{insert event \"default=the fair\"}}"
        );
        assert_eq!(
            Dialect::Mailchimp.write_with_default("FNAME", "there"),
            "*|IF:FNAME|**|FNAME|**|ELSE:|*there*|END:IF|*"
        );
    }
}
