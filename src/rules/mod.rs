//! The rules: one file each (detection, documentation, fixes), registered in `RULES`.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex};

use crate::config::Config;
use crate::finding::{Finding, Fix, Severity};
use crate::model::catalog::{self, Category, PlaceholderDef};
use crate::model::length::LengthRange;
use crate::model::{Account, Message, Placeholder, Template};
use crate::phrases::{select_leftmost_longest, CombinedPhrases, PhraseSet};

pub mod signals;

mod contact_data_missing;
mod default_invitation_text;
mod duplicate_message;
mod file_too_large;
pub mod fix_fit;
mod follow_up_without_thanks;
mod generic_message;
mod hardcoded_name;
mod impersonal_greeting;
mod invalid_front_matter;
mod literal_placeholder;
mod malformed_placeholder;
mod message_too_long;
mod missing_fallback;
mod missing_greeting;
mod no_common_ground;
mod no_follow_up;
mod no_reason;
mod pushy_language;
mod sales_pitch;
mod self_focused;
mod send_rate_too_high;
mod sentence_fix;
mod spam_formatting;
mod subject_too_long;
mod title_targeting;
mod unknown_placeholder;
mod unprofessional_tone;
pub mod unused_suppression;

/// A rule's documentation, in fixed sections. Hover, `explain` and the README table come from here.
pub struct RuleDoc {
    pub id: &'static str,
    pub default_severity: Severity,
    /// One line for tables.
    pub summary: &'static str,
    /// Where the default severity differs by message kind.
    pub severity_note: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    /// A whole template that triggers the rule.
    pub bad: &'static str,
    /// A whole template that does not.
    pub good: &'static str,
    pub fix: &'static str,
    /// Settings beyond the severity (`extra_phrases`, thresholds), or "".
    pub options: &'static str,
}

impl RuleDoc {
    /// How to switch the rule off, the same for every rule.
    pub fn how_to_disable(&self) -> String {
        format!(
            "- one line: `<!-- outreach-lsp-disable-next-line {id} -- why -->` above it\n\
             - a block: `<!-- outreach-lsp-disable {id} -->` … `<!-- outreach-lsp-enable -->`\n\
             - one file: `disable: [{id}]` in the front matter\n\
             - everywhere: `[rules]` `{id} = \"off\"` in `.outreach.toml` (or the editor setting `outreachLsp.rules`)",
            id = self.id
        )
    }

    /// The full Markdown documentation (`explain`, hover).
    pub fn markdown(&self) -> String {
        let severity = if self.severity_note.is_empty() {
            format!("Default severity: **{}**.", self.default_severity.as_str())
        } else {
            format!("Default severity: {}.", self.severity_note)
        };
        let options = if self.options.is_empty() {
            String::new()
        } else {
            format!("\n## Options\n\n{}\n", self.options)
        };
        format!(
            "# {id}\n\n{summary}. {severity}\n\n## What it does\n\n{what}\n\n## Why it matters\n\n{why}\n\n## Example\n\nFlagged:\n\n```markdown\n{bad}\n```\n\nBetter:\n\n```markdown\n{good}\n```\n\n## How to fix\n\n{fix}\n{options}\n## How to disable\n\n{disable}\n",
            id = self.id,
            summary = self.summary,
            what = self.what,
            why = self.why,
            bad = self.bad.trim_end(),
            good = self.good.trim_end(),
            fix = self.fix,
            disable = self.how_to_disable(),
        )
    }
}

pub trait Rule: Sync + Send {
    fn doc(&self) -> &'static RuleDoc;
    /// Findings about one message, reading only inside it, so results can be kept per message while
    /// other messages are edited. Severity is the rule's default for the message kind; configuration
    /// overrides it afterwards.
    fn check_message(&self, _cx: &Context<'_>, _m: &Message, _out: &mut Vec<Finding>) {}
    /// Findings about the whole file (front matter, placeholders, sequence structure).
    fn check_file(&self, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}
    /// True when `check_file` reads only the file's structure — front matter, placeholders, syntax
    /// errors, message kinds — and the inputs, never its prose. Typing in prose keeps the structure
    /// (`Template::reparse`), so the lint cache then moves the previous findings instead of checking
    /// again. Say true only when that holds.
    fn file_check_reads_structure_only(&self) -> bool {
        false
    }
    /// True when every `check_file` finding lies within one line and depends only on that line's
    /// text and the structure. The lint cache then re-checks only the edited line
    /// (`check_file_lines`) when the parse was reused, and moves the other lines' findings.
    fn file_check_is_line_local(&self) -> bool {
        false
    }
    /// `check_file` restricted to the findings within `lines`, a byte range of whole lines.
    fn check_file_lines(&self, cx: &Context<'_>, _lines: Range<usize>, out: &mut Vec<Finding>) {
        self.check_file(cx, out);
    }
}

/// Every rule, in the order they are documented.
pub static RULES: &[&dyn Rule] = &[
    &unknown_placeholder::Rule,
    &malformed_placeholder::Rule,
    &literal_placeholder::Rule,
    &missing_fallback::Rule,
    &message_too_long::Rule,
    &subject_too_long::Rule,
    &invalid_front_matter::Rule,
    &generic_message::Rule,
    &default_invitation_text::Rule,
    &missing_greeting::Rule,
    &impersonal_greeting::Rule,
    &hardcoded_name::Rule,
    &no_common_ground::Rule,
    &no_reason::Rule,
    &sales_pitch::Rule,
    &title_targeting::Rule,
    &unprofessional_tone::Rule,
    &pushy_language::Rule,
    &spam_formatting::Rule,
    &self_focused::Rule,
    &no_follow_up::Rule,
    &follow_up_without_thanks::Rule,
    &send_rate_too_high::Rule,
    &unused_suppression::Rule,
    &contact_data_missing::Rule,
    &duplicate_message::Rule,
    &file_too_large::Rule,
];

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.doc().id == id)
}

pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.doc().id)
}

static BUILTIN: LazyLock<Vec<PlaceholderDef>> = LazyLock::new(catalog::builtin);

/// The catalog by name, built once (later entries win, as in `Context::new`), so a context only
/// indexes the few definitions that come from elsewhere.
/// (FxHash: the keys are short names, where SipHash's setup costs more than the look-up; flooding does
/// not apply, the table is fixed and only look-ups take outside names.)
static BUILTIN_BY_NAME: LazyLock<rustc_hash::FxHashMap<&'static str, &'static PlaceholderDef>> =
    LazyLock::new(|| BUILTIN.iter().map(|d| (d.name.as_str(), d)).collect());

/// Every built-in phrase set, searched in one pass per message instead of one pass per set.
static COMBINED: LazyLock<(CombinedPhrases, Vec<&'static PhraseSet>)> = LazyLock::new(|| {
    let sets: Vec<&'static PhraseSet> = vec![
        &default_invitation_text::PHRASES,
        &no_common_ground::PHRASES,
        &generic_message::PHRASES,
        &title_targeting::PHRASES,
        &no_reason::PHRASES,
        &sales_pitch::PHRASES,
        &unprofessional_tone::PHRASES,
        &pushy_language::PHRASES,
        &follow_up_without_thanks::PHRASES,
        &message_too_long::FILLER,
    ];
    (CombinedPhrases::new(&sets), sets)
});

pub fn builtin_placeholders() -> &'static [PlaceholderDef] {
    &BUILTIN
}

/// Extra phrases from configuration, compiled once per distinct list.
static EXTRA: LazyLock<Mutex<BTreeMap<Vec<String>, Arc<PhraseSet>>>> =
    LazyLock::new(|| Mutex::new(BTreeMap::new()));

fn extra_set(phrases: &[String]) -> Arc<PhraseSet> {
    let mut cache = EXTRA.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() > 64 {
        cache.clear();
    }
    cache
        .entry(phrases.to_vec())
        .or_insert_with(|| Arc::new(PhraseSet::new(phrases)))
        .clone()
}

/// A match of one built-in phrase set: (set index, span).
type PhraseHit = (u16, Range<usize>);

/// Everything a rule may look at.
pub struct Context<'a> {
    pub template: &'a Template<'a>,
    pub config: &'a Config,
    pub account: Account,
    /// Extra known placeholders (e.g. contact list columns).
    pub extra_placeholders: &'a [PlaceholderDef],
    pub contacts: Option<&'a crate::contacts::Contacts>,
    pub contacts_error: Option<&'a str>,
    pub workspace: Option<&'a crate::workspace::WorkspaceIndex>,
    pub path: Option<&'a std::path::Path>,
    signals: Vec<OnceCell<signals::Signals>>,
    /// Matches of all built-in phrase sets in each message, found in one pass: (set, span).
    phrase_hits: Vec<OnceCell<Vec<PhraseHit>>>,
    /// Placeholder definitions from outside the catalog by name (later sources win); the catalog's
    /// own are looked up in `BUILTIN_BY_NAME`.
    defs: rustc_hash::FxHashMap<&'a str, &'a PlaceholderDef>,
}

impl<'a> Context<'a> {
    pub fn new(
        template: &'a Template<'a>,
        config: &'a Config,
        inputs: crate::lint::Inputs<'a>,
    ) -> Self {
        let extra_placeholders = inputs.extra_placeholders;
        let contact_defs: &'a [PlaceholderDef] = inputs.contacts.map_or(&[], |c| c.defs.as_slice());
        let account = template
            .settings()
            .and_then(|s| s.account)
            .or(config.account)
            .unwrap_or_default();
        // Later inserts win: catalog < contact columns < config < front matter.
        let mut defs: rustc_hash::FxHashMap<&'a str, &'a PlaceholderDef> =
            rustc_hash::FxHashMap::default();
        let file_defs = template
            .settings()
            .into_iter()
            .flat_map(|s| s.placeholders.iter().map(|(d, _)| d));
        for d in contact_defs
            .iter()
            .chain(extra_placeholders)
            .chain(&config.placeholders)
            .chain(file_defs)
        {
            defs.insert(d.name.as_str(), d);
        }
        Context {
            template,
            config,
            account,
            extra_placeholders,
            contacts: inputs.contacts,
            contacts_error: inputs.contacts_error,
            workspace: inputs.workspace,
            path: inputs.path,
            phrase_hits: (0..template.messages.len())
                .map(|_| OnceCell::new())
                .collect(),
            signals: (0..template.messages.len())
                .map(|_| OnceCell::new())
                .collect(),
            defs,
        }
    }

    pub fn text(&self) -> &'a str {
        self.template.text
    }

    /// A placeholder definition: the file's own, then configuration, then contact columns, then the catalog.
    pub fn def(&self, name: &str) -> Option<&'a PlaceholderDef> {
        if !self.defs.is_empty() {
            if let Some(d) = self.defs.get(name) {
                return Some(d);
            }
        }
        BUILTIN_BY_NAME.get(name).copied()
    }

    /// Every known placeholder name, without duplicates.
    pub fn known_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        if let Some(s) = self.template.settings() {
            names.extend(s.placeholders.iter().map(|(d, _)| d.name.as_str()));
        }
        names.extend(self.config.placeholders.iter().map(|d| d.name.as_str()));
        names.extend(self.extra_placeholders.iter().map(|d| d.name.as_str()));
        if let Some(c) = self.contacts {
            names.extend(c.defs.iter().map(|d| d.name.as_str()));
        }
        names.extend(BUILTIN.iter().map(|d| d.name.as_str()));
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(*n));
        names
    }

    pub fn category(&self, name: &str) -> Option<Category> {
        self.def(name).map(|d| d.category)
    }

    pub fn is_name_placeholder(&self, name: &str) -> bool {
        self.def(name).is_some_and(|d| d.is_name())
    }

    /// The length range one placeholder can render to.
    pub fn bounds(&self, p: &Placeholder) -> LengthRange {
        let fallback = p.fallback().map(crate::text::linkedin_length);
        match self.def(&p.name) {
            Some(d) => {
                let min = if d.often_empty {
                    fallback.unwrap_or(0)
                } else {
                    1.min(d.max_length)
                };
                LengthRange {
                    min,
                    typical: d.typical_length,
                    max: d.max_length.max(fallback.unwrap_or(0)),
                }
            }
            // An unknown placeholder is reported elsewhere; assume a typical field.
            None => LengthRange {
                min: 0,
                typical: 12,
                max: 40,
            },
        }
    }

    /// The body and subject limits of a message's channel.
    pub fn limits(&self, m: &Message) -> (Option<usize>, Option<usize>) {
        let l = self.config.limits(m.channel);
        (l.body_for(self.account), l.subject)
    }

    /// Matches of a rule's phrases (built-in plus `extra_phrases`) in the prose of `span`.
    pub fn matches(
        &self,
        rule: &str,
        builtin: &PhraseSet,
        span: Range<usize>,
    ) -> Vec<Range<usize>> {
        let prose = &self.template.prose[span.clone()];
        let mut hits: Vec<Range<usize>> = match self.combined_hits(builtin, &span) {
            Some(h) => h,
            None => builtin
                .find_all(prose)
                .map(|(r, _)| span.start + r.start..span.start + r.end)
                .collect(),
        };
        if let Some(extra) = self
            .config
            .rule(rule)
            .filter(|r| !r.extra_phrases.is_empty())
        {
            let set = extra_set(&extra.extra_phrases);
            hits.extend(
                set.find_all(prose)
                    .map(|(r, _)| span.start + r.start..span.start + r.end),
            );
            hits.sort_by_key(|r| r.start);
            hits.dedup_by(|b, a| b.start < a.end);
        }
        hits
    }

    /// Matches of a built-in set within `span`, from the message's single combined scan.
    fn combined_hits(&self, set: &PhraseSet, span: &Range<usize>) -> Option<Vec<Range<usize>>> {
        let (combined, sets) = &*COMBINED;
        let id = sets.iter().position(|s| std::ptr::eq(*s, set))? as u16;
        let messages = &self.template.messages;
        let i = messages.partition_point(|m| m.span.end <= span.start);
        let m = messages.get(i)?;
        let whole = m
            .subject_line
            .as_ref()
            .map_or(m.content.start, |s| s.start.min(m.content.start))
            ..m.content.end;
        if span.start < whole.start || span.end > whole.end {
            return None;
        }
        let all = self.phrase_hits[i].get_or_init(|| {
            combined
                .scan(&self.template.prose[whole.clone()])
                .into_iter()
                .map(|(s, r)| (s, whole.start + r.start..whole.start + r.end))
                .collect()
        });
        Some(select_leftmost_longest(
            all.iter()
                .filter(|(s, r)| *s == id && r.start >= span.start && r.end <= span.end)
                .map(|(_, r)| r.clone())
                .collect(),
        ))
    }

    /// The personalization signals of every message, computed once.
    pub fn signals(&self, m: &Message) -> &signals::Signals {
        self.signals[m.index].get_or_init(|| signals::Signals::compute(self, m))
    }

    /// The span message-level findings point at.
    pub fn anchor(&self, m: &Message) -> Range<usize> {
        m.anchor.clone()
    }

    pub fn finding(
        &self,
        rule: &'static str,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
        fixes: Vec<Fix>,
    ) -> Finding {
        Finding {
            rule,
            severity,
            span,
            message: message.into(),
            fixes,
        }
    }

    /// Where a sentence goes after the greeting line of `m` (or at the start of its content).
    pub fn after_greeting(&self, m: &Message) -> (usize, &'static str, &'static str) {
        let t = self.template;
        match &m.first_line {
            Some(first) => {
                let opening = self.signals(m).opening();
                let has_greeting = !matches!(opening, crate::model::opening::Opening::Missing);
                let line_text = &t.text[first.clone()];
                // A greeting alone on its line ("Hi Ana,"): insert after the blank line that follows.
                let greeting_only = has_greeting
                    && line_text.trim_end().len() <= 40
                    && line_text.trim_end().ends_with([',', '!', ':']);
                if greeting_only {
                    let line = t.lines.line_of(first.start);
                    let next = t.lines.line_start(line + 1);
                    if next >= t.text.len() {
                        (first.end, "\n\n", "")
                    } else {
                        let next_span = t.lines.line_span(t.text, line + 1);
                        if t.text[next_span.clone()].trim().is_empty() {
                            (t.lines.line_start(line + 2).min(m.span.end), "", "\n")
                        } else {
                            (next, "", "\n")
                        }
                    }
                } else if has_greeting {
                    // Greeting and text on one line: add the sentence right after the greeting.
                    match line_text.find([',', '!']) {
                        Some(p) if p < 60 => (first.start + p + 1, " ", ""),
                        _ => (first.start, "", " "),
                    }
                } else {
                    (m.content.start, "", " ")
                }
            }
            None => (m.content.start, "", ""),
        }
    }
}

/// Maps a rule's configured level onto a finding, or drops it when the rule is off.
pub fn apply_level(config: &Config, mut f: Finding) -> Option<Finding> {
    match config.level(f.rule) {
        Some(crate::finding::Level::Off) => None,
        Some(crate::finding::Level::On(s)) => {
            f.severity = s;
            Some(f)
        }
        None => Some(f),
    }
}

/// The README rule table, generated from the rules' documentation.
pub fn markdown_table() -> String {
    let mut s = String::from("| rule | default | what it finds |\n|---|---|---|\n");
    for r in RULES {
        let d = r.doc();
        let sev = if d.severity_note.is_empty() {
            d.default_severity.as_str().to_string()
        } else {
            d.severity_note.to_string()
        };
        s.push_str(&format!("| `{}` | {} | {} |\n", d.id, sev, d.summary));
    }
    s
}

/// What a phrase rule reports: its id, its phrases, its severity per kind and its message.
pub struct PhraseCheck<'s> {
    pub id: &'static str,
    pub set: &'s PhraseSet,
    pub severity: fn(crate::model::Kind) -> Option<Severity>,
    pub message: fn(&str) -> String,
}

/// The shared shape of phrase rules: one finding per occurrence of a phrase in a message's prose.
pub fn phrase_findings(
    cx: &Context<'_>,
    m: &Message,
    check: PhraseCheck<'_>,
    fixes: impl Fn(&Message, Range<usize>) -> Vec<Fix>,
    out: &mut Vec<Finding>,
) {
    let Some(sev) = (check.severity)(m.kind) else {
        return;
    };
    let span = m.subject_line.as_ref().map_or(m.content.start, |s| s.start)..m.content.end;
    for r in cx.matches(check.id, check.set, span) {
        let phrase = &cx.template.text[r.clone()];
        out.push(cx.finding(
            check.id,
            sev,
            r.clone(),
            (check.message)(phrase),
            fixes(m, r),
        ));
    }
}
