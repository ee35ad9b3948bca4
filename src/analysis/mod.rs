//! The analysis below the rules: everything a rule may read about a template — the parse, the
//! configuration, the contact list, the workspace — and what is worked out once per message and shared
//! (personalization signals, phrase matches, length bounds). It knows no rule: rules import it, never
//! the other way round.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex};

use crate::config::Config;
use crate::finding::{Finding, Fix, RuleId, Severity};
use crate::model::catalog::{self, Category, PlaceholderDef};
use crate::model::length::LengthRange;
use crate::model::{Account, Kind, Message, Placeholder, Template};
use crate::phrases::{select_leftmost_longest, CombinedPhrases, PhraseSet};

pub mod reading;
pub(crate) mod renderings;
pub mod rule;
pub mod signals;
pub mod vocabulary;

pub use rule::{Check, Rule};

static BUILTIN: LazyLock<Vec<PlaceholderDef>> = LazyLock::new(catalog::builtin);

/// The catalog by name, built once (later entries win, as in `Context::with_phrases`), so a context
/// only indexes the few definitions that come from elsewhere.
/// (FxHash: the keys are short names, where SipHash's setup costs more than the look-up; flooding does
/// not apply, the table is fixed and only look-ups take outside names.)
static BUILTIN_BY_NAME: LazyLock<rustc_hash::FxHashMap<&'static str, &'static PlaceholderDef>> =
    LazyLock::new(|| BUILTIN.iter().map(|d| (d.name.as_str(), d)).collect());

/// One empty cell per message of `template`: what is worked out once per message, on first use.
fn per_message<T>(template: &Template<'_>) -> Vec<OnceCell<T>> {
    (0..template.messages.len())
        .map(|_| OnceCell::new())
        .collect()
}

/// Every registered phrase set with the rule that registered it, searched together in one pass per
/// message. The registering rule owns the set: its `extra_phrases` setting extends it.
pub struct PhraseIndex {
    combined: CombinedPhrases,
    sets: Vec<(&'static PhraseSet, RuleId)>,
}

impl PhraseIndex {
    pub fn new(sets: Vec<(&'static PhraseSet, RuleId)>) -> PhraseIndex {
        let only_sets: Vec<&PhraseSet> = sets.iter().map(|(s, _)| *s).collect();
        PhraseIndex {
            combined: CombinedPhrases::new(&only_sets),
            sets,
        }
    }

    fn position(&self, set: &PhraseSet) -> Option<(u16, RuleId)> {
        self.sets
            .iter()
            .position(|(s, _)| std::ptr::eq(*s, set))
            .map(|i| (i as u16, self.sets[i].1))
    }
}

/// Extra inputs beyond the text and the configuration.
#[derive(Default, Clone, Copy)]
pub struct Inputs<'a> {
    /// Placeholders known from elsewhere (contact list columns).
    pub extra_placeholders: &'a [PlaceholderDef],
    /// Changes whenever the configuration, the contact list or the workspace change (invalidates a cache).
    pub generation: u64,
    /// The contact list the template will be sent to, if one is configured.
    pub contacts: Option<&'a crate::contacts::Contacts>,
    /// Why the contact list named in the front matter could not be used.
    pub contacts_error: Option<&'a str>,
    /// Messages of other templates, for `duplicate-message`.
    pub workspace: Option<&'a crate::workspace::WorkspaceIndex>,
    /// This template's own path (so it is not its own duplicate).
    pub path: Option<&'a std::path::Path>,
    /// Set by the server when the request that wants this lint is cancelled: the lint stops between
    /// rules and messages, and its (partial) result must be thrown away — see [`LintResult::cancelled`].
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

impl Inputs<'_> {
    pub fn cancelled(&self) -> bool {
        self.cancel
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    }
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

thread_local! {
    /// The texts fixes write, parsed once per thread (the same sentences are offered in every file):
    /// their literal length and placeholders, measured with each context's placeholder bounds; None
    /// for a text with tags or choices, parsed again each time. Bounded like the stem cache.
    static WRITTEN: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, WrittenParts>> =
        Default::default();
}

/// A written text's literal length and placeholders (`length::literal_and_placeholders`).
type WrittenParts = Option<(usize, Vec<Placeholder>)>;

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
    phrases: &'static PhraseIndex,
    signals: Vec<OnceCell<signals::Signals>>,
    readings: Vec<OnceCell<reading::Reading>>,
    /// The rendered length range of each message's content, measured once (fixes compare against it).
    content_lengths: Vec<OnceCell<LengthRange>>,
    /// Rendered lengths of texts that fixes write, by text (the same sentences recur in every message).
    written_lengths: std::cell::RefCell<rustc_hash::FxHashMap<String, LengthRange>>,
    /// The rendering tree of each message's sent text, built once (every signal asks it whether
    /// it holds in every rendering).
    trees: Vec<OnceCell<Vec<crate::model::length::Node<'a>>>>,
    /// Matches of all built-in phrase sets in each message, found in one pass: (set, span).
    phrase_hits: Vec<OnceCell<Vec<PhraseHit>>>,
    /// Placeholder definitions from outside the catalog by name (later sources win); the catalog's
    /// own are looked up in `BUILTIN_BY_NAME`.
    defs: rustc_hash::FxHashMap<&'a str, &'a PlaceholderDef>,
}

impl<'a> Context<'a> {
    /// A context whose phrase matches come from `phrases`: the patterns every rule registered
    /// (`rules::Context::new` passes them, since this layer does not know the rules).
    pub fn with_phrases(
        template: &'a Template<'a>,
        config: &'a Config,
        inputs: Inputs<'a>,
        phrases: &'static PhraseIndex,
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
            phrases,
            phrase_hits: per_message(template),
            signals: per_message(template),
            readings: per_message(template),
            content_lengths: per_message(template),
            trees: per_message(template),
            written_lengths: Default::default(),
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
        BUILTIN_BY_NAME
            .get(name)
            .or_else(|| crate::model::catalog::canonical(name).and_then(|c| BUILTIN_BY_NAME.get(c)))
            .copied()
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

    /// Matches of a registered phrase set, extended by its rule's `extra_phrases`, in the prose of
    /// `span`.
    pub fn matches(&self, set: &PhraseSet, span: Range<usize>) -> Vec<Range<usize>> {
        let Some((id, rule)) = self.phrases.position(set) else {
            // Every set a rule asks about is registered (`Rule::phrases`); a forgotten one would be
            // scanned on its own, outside the one pass, so debug builds (the tests) refuse it.
            debug_assert!(false, "a phrase set that no rule registered was matched");
            let prose = &self.template.prose[span.clone()];
            return set
                .find_all(prose)
                .map(|(r, _)| span.start + r.start..span.start + r.end)
                .collect();
        };
        let prose = &self.template.prose[span.clone()];
        let mut hits: Vec<Range<usize>> = match self.combined_hits(id, &span) {
            Some(h) => h,
            None => set
                .find_all(prose)
                .map(|(r, _)| span.start + r.start..span.start + r.end)
                .collect(),
        };
        if let Some(extra) = self
            .config
            .rule(rule.as_str())
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

    /// Matches of registered set `id` within `span`, from the message's single combined scan (`None`
    /// when `span` is not inside one message).
    fn combined_hits(&self, id: u16, span: &Range<usize>) -> Option<Vec<Range<usize>>> {
        let messages = &self.template.messages;
        let i = messages.partition_point(|m| m.span.end <= span.start);
        let m = messages.get(i)?;
        let whole = m.sent_span();
        if span.start < whole.start || span.end > whole.end {
            return None;
        }
        let all = self.phrase_hits[i].get_or_init(|| {
            self.phrases
                .combined
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

    /// The rendered length range of a message's content, measured once.
    pub fn content_length(&self, m: &Message) -> LengthRange {
        *self.content_lengths[m.index].get_or_init(|| {
            crate::model::length::measure(self.template, m.content.clone(), |p| self.bounds(p))
        })
    }

    /// The rendered length range of a text a fix writes (its placeholders measured as here), once
    /// per distinct text.
    pub fn written_length(&self, text: &str) -> LengthRange {
        if let Some(r) = self.written_lengths.borrow().get(text) {
            return *r;
        }
        let r = WRITTEN.with(|cache| {
            let mut cache = cache.borrow_mut();
            if !cache.contains_key(text) {
                if cache.len() > 1024 {
                    cache.clear();
                }
                let t = Template::parse(text);
                let parts = crate::model::length::literal_and_placeholders(&t, 0..text.len());
                cache.insert(text.into(), parts);
            }
            match cache.get(text) {
                // (Saturating sums of lengths: the order they are added in does not matter.)
                Some(Some((literal, placeholders))) => {
                    let mut r = LengthRange::exact(*literal);
                    for p in placeholders {
                        r += self.bounds(p);
                    }
                    r
                }
                _ => {
                    let t = Template::parse(text);
                    crate::model::length::measure(&t, 0..text.len(), |p| self.bounds(p))
                }
            }
        });
        self.written_lengths
            .borrow_mut()
            .insert(text.to_string(), r);
        r
    }

    /// A message read by the language layer (words, slots, language, question matches), once.
    pub fn reading(&self, m: &Message) -> &reading::Reading {
        self.readings[m.index].get_or_init(|| reading::Reading::read(self, m))
    }

    /// Whether a signal found at `ranges` is in every rendering of `m` (every option of a choice
    /// has it; see `renderings.rs`). Rules ask through `Signals`; without choices, any range will do.
    pub fn in_every_rendering(&self, m: &Message, ranges: &[Range<usize>]) -> bool {
        renderings::in_every_rendering(self.template, m.sent_span(), ranges, || self.tree(m))
    }

    /// The rendering tree of what `m` sends (its subject line through its content), built once.
    pub fn tree(&self, m: &Message) -> &[crate::model::length::Node<'a>] {
        self.trees[m.index].get_or_init(|| crate::model::length::tree(self.template, m.sent_span()))
    }

    /// The personalization signals of every message, computed once.
    pub fn signals(&self, m: &Message) -> &signals::Signals {
        self.signals[m.index].get_or_init(|| signals::Signals::compute(self, m))
    }

    /// The sentence of `m` that holds byte `at`, without its trailing space: where a finding about
    /// something the message says points.
    pub fn sentence_at(&self, m: &Message, at: usize) -> Option<Range<usize>> {
        let sentences = &self.reading(m).words.sentences;
        let i = sentences.partition_point(|s| s.span.end <= at);
        let s = sentences.get(i).filter(|s| s.span.start <= at)?;
        let text = &self.template.text[s.span.clone()];
        Some(s.span.start..s.span.start + text.trim_end().len())
    }

    /// The span message-level findings about something missing point at (the heading line, else the
    /// message's first line).
    pub fn anchor(&self, m: &Message) -> Range<usize> {
        m.anchor.clone()
    }

    /// A finding of `rule` at its severity for `kind`, or nothing where the rule is off for that kind.
    pub fn report(
        &self,
        rule: &Rule,
        kind: Kind,
        span: Range<usize>,
        message: impl Into<String>,
        fixes: Vec<Fix>,
    ) -> Option<Finding> {
        Some(self.report_as(rule, (rule.severity)(kind)?, span, message, fixes))
    }

    /// A finding of `rule` at a severity the rule decided from what it found.
    pub fn report_as(
        &self,
        rule: &Rule,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
        fixes: Vec<Fix>,
    ) -> Finding {
        Finding {
            rule: rule.id,
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
