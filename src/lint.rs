//! The entry point of the core: lint a text with a configuration, get findings back.

use crate::config::Config;
use crate::finding::{Finding, Severity};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

pub use crate::analysis::Inputs;
use crate::model::edit::{Change, Outline};
use crate::model::{Account, Channel, Kind, Template};
use crate::rules::{self, Check, Context, RULES};
use crate::suppression::{self, Suppression};

/// The result of linting one text.
#[derive(Debug, Clone, Default)]
pub struct LintResult {
    /// What to show, sorted by position.
    pub findings: Vec<Finding>,
    /// Findings a suppression silenced, with the index of that suppression.
    pub suppressed: Vec<(Finding, usize)>,
    pub suppressions: Vec<Suppression>,
    /// The lint stopped early because `Inputs::cancel` was set; the findings are incomplete.
    pub cancelled: bool,
}

/// At most this many findings of one rule are reported per file; the rest are summed up in one more.
pub const MAX_PER_RULE: usize = 500;

/// Keeps the first `MAX_PER_RULE` findings of each rule (already sorted by position) and replaces the rest
/// with one finding that says how many were left out, so hostile files give bounded answers.
fn cap_per_rule(findings: &mut Vec<Finding>) {
    let mut counts: HashMap<crate::finding::RuleId, usize> = HashMap::new();
    let mut extra: Vec<Finding> = Vec::new();
    findings.retain(|f| {
        let n = counts.entry(f.rule).or_default();
        *n += 1;
        if *n == MAX_PER_RULE + 1 {
            extra.push(Finding {
                fixes: Vec::new(),
                message: String::new(),
                ..f.clone()
            });
        }
        *n <= MAX_PER_RULE
    });
    for mut e in extra {
        let more = counts[&e.rule] - MAX_PER_RULE;
        e.message = format!("{more} more {} findings in this file are not shown", e.rule);
        findings.push(e);
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
}

/// Findings of the message rules, kept per message between runs, so an edit re-lints only the messages
/// it touched. Entries are checked against the message's whole text before reuse.
#[derive(Default)]
pub struct LintCache {
    /// Everything outside the messages that their findings depend on.
    context: Option<(String, u64, Account)>,
    entries: rustc_hash::FxHashMap<u64, Vec<CachedMessage>>,
    /// The last text linted and its parse: the next text, if it differs by typing inside a line of
    /// prose, is parsed by adjusting this one (`Template::reparse`) instead of from scratch. The text
    /// buffer is kept and refilled, so a big file is not allocated again on every keystroke.
    previous: Option<Outline>,
    previous_text: String,
    /// The findings of the file checks that read only the structure or only single lines, from the
    /// last lint (moved by the edit and reused when the parse was reused and the context is the same).
    file_findings: Vec<Finding>,
}

struct CachedMessage {
    text: String,
    /// The prose view of the same bytes: an unclosed comment or code fence earlier in the file changes
    /// what a message's text means without changing the text.
    prose: String,
    kind: Kind,
    channel: Channel,
    follows: Option<Kind>,
    /// Findings with spans relative to the message start.
    findings: Vec<Finding>,
}

fn quick_key(text: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    let b = text.as_bytes();
    b.len().hash(&mut h);
    b[..b.len().min(64)].hash(&mut h);
    b[b.len().saturating_sub(64)..].hash(&mut h);
    h.finish()
}

/// The finding with every offset in it (its span and its fixes' edits) mapped by `offset`.
fn move_offsets(mut f: Finding, offset: impl Fn(usize) -> usize) -> Finding {
    let move_range = |r: &mut std::ops::Range<usize>| *r = offset(r.start)..offset(r.end);
    move_range(&mut f.span);
    for e in f.fixes.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
        move_range(&mut e.span);
    }
    f
}

/// Lints `text`. Never panics on any input; files over `config.max_file_size` get one finding.
pub fn lint(text: &str, config: &Config) -> LintResult {
    lint_with(text, config, Inputs::default())
}

pub fn lint_with(text: &str, config: &Config, inputs: Inputs<'_>) -> LintResult {
    if text.len() > config.max_file_size {
        return lint_too_large(text, text.len() as u64, config);
    }
    let template = Template::parse_in(text, config.dialect);
    lint_template(&template, config, inputs)
}

/// The result for a file of `size` bytes over `max_file_size`, of which only `head` was read.
pub fn lint_too_large(head: &str, size: u64, config: &Config) -> LintResult {
    LintResult {
        findings: rules::apply_level(config, too_large(head, size, config))
            .into_iter()
            .collect(),
        ..LintResult::default()
    }
}

fn too_large(text: &str, size: u64, config: &Config) -> Finding {
    let end = text.find('\n').unwrap_or(text.len()).min(200);
    let end = crate::text::floor_char_boundary(text, end);
    Finding {
        rule: rules::FILE_TOO_LARGE.id,
        severity: Severity::Info,
        span: 0..end,
        message: format!(
            "not checked: this file is {} bytes, over the {}-byte limit (max_file_size)",
            size, config.max_file_size
        ),
        fixes: Vec::new(),
    }
}

pub fn lint_template(template: &Template<'_>, config: &Config, inputs: Inputs<'_>) -> LintResult {
    lint_template_cached(template, config, inputs, None)
}

/// Lints `text`, reusing the findings of unchanged messages from `cache` (and updating it).
pub fn lint_cached(
    text: &str,
    config: &Config,
    inputs: Inputs<'_>,
    cache: &mut LintCache,
) -> LintResult {
    if text.len() > config.max_file_size {
        return lint_with(text, config, inputs);
    }
    let reparsed = cache
        .previous
        .take()
        .and_then(|outline| outline.attach(&cache.previous_text).reparse(text))
        // A parse made under another configured dialect is not reused.
        .filter(|(t, _)| {
            t.dialect_source != crate::model::DialectSource::Config
                || Some(t.dialect) == config.dialect
        });
    let (template, change) = match reparsed {
        Some((t, c)) => (t, Some(c)),
        None => (Template::parse_in(text, config.dialect), None),
    };
    let result = lint_template_cached(&template, config, inputs, Some((cache, change)));
    // A cancelled lint left the cache partly filled: the next one starts from a full parse.
    if !result.cancelled {
        cache.previous = Some(template.into_outline());
        cache.previous_text.clear();
        cache.previous_text.push_str(text);
    }
    result
}

fn lint_template_cached(
    template: &Template<'_>,
    config: &Config,
    inputs: Inputs<'_>,
    cache: Option<(&mut LintCache, Option<Change>)>,
) -> LintResult {
    let cx = Context::new(template, config, inputs);
    let active: Vec<&rules::Rule> = RULES
        .iter()
        .copied()
        .filter(|r| config.level(r.id.as_str()) != Some(crate::finding::Level::Off))
        .collect();
    let cancelled = || LintResult {
        cancelled: true,
        ..LintResult::default()
    };
    // The context the cached findings depend on besides the text; nothing is reused across it.
    let context = cache.as_ref().map(|_| {
        let fm_text = template
            .front_matter
            .as_ref()
            .map_or(String::new(), |f| template.text[f.span.clone()].to_string());
        // The dialect changes how every message is read, and can change without the front matter.
        let fm_text = format!("{fm_text}\0{}", template.dialect.as_str());
        (fm_text, inputs.generation, cx.account)
    });
    let (mut cache, change) = match cache {
        Some((c, change)) => {
            let same = c.context == context;
            if !same {
                c.entries.clear();
                c.context = context;
            }
            (Some(c), change.filter(|_| same))
        }
        None => (None, None),
    };
    let mut raw = Vec::new();
    // When only prose changed (the parse was reused), file findings are reused too: those of
    // structure-only checks are moved; those of line-local checks are moved except on the edited
    // line, which is checked again.
    let edited_line = change.map(|c| {
        let text = template.text;
        let start = text[..c.start].rfind('\n').map_or(0, |p| p + 1);
        let end = text[c.new_end..]
            .find('\n')
            .map_or(text.len(), |p| c.new_end + p);
        (c, start..end)
    });
    // The last lint's file findings, in the old text's offsets.
    let previous = match (&mut cache, &edited_line) {
        (Some(c), Some(_)) => Some(std::mem::take(&mut c.file_findings)),
        _ => None,
    };
    let mut reusable = Vec::new();
    for rule in &active {
        if inputs.cancelled() {
            return cancelled();
        }
        let (check, lines) = match rule.check {
            Check::Message(_) | Check::Lint => continue,
            Check::File(check) => {
                check(&cx, &mut raw);
                continue;
            }
            Check::FileStructure(check) => (check, None),
            Check::FileLines { file, lines } => (file, Some(lines)),
        };
        let local = lines.is_some();
        match (&previous, &edited_line) {
            (Some(previous), Some((change, line))) => {
                let id = rule.id;
                // The edited line as it was: its findings are the ones a line-local check redoes.
                let old_line = line.start..line.end - change.new_end + change.old_end;
                let on_old_line =
                    |f: &Finding| f.span.start >= old_line.start && f.span.end <= old_line.end;
                reusable.extend(
                    previous
                        .iter()
                        .filter(|f| f.rule == id && !(local && on_old_line(f)))
                        .map(|f| move_offsets(f.clone(), |x| change.moved(x))),
                );
                if let Some(check_lines) = lines {
                    check_lines(&cx, line.clone(), &mut reusable);
                }
            }
            _ => check(&cx, &mut reusable),
        }
    }
    match &mut cache {
        Some(c) => {
            raw.extend(reusable.iter().cloned());
            c.file_findings = reusable;
        }
        None => raw.extend(reusable),
    }
    // Stops between rules when cancelled; the caller then throws the findings away.
    let run_messages = |m: &crate::model::Message, out: &mut Vec<Finding>| {
        for rule in &active {
            if inputs.cancelled() {
                return;
            }
            // A rule that does not apply to this kind of message is not run for it, nor an English
            // rule on a message in another language.
            if let (Check::Message(check), Some(_)) = (rule.check, (rule.severity)(m.kind)) {
                if rule.english && cx.reading(m).other_language().is_some() {
                    continue;
                }
                check(&cx, m, out);
            }
        }
    };
    match cache {
        None => {
            for m in &template.messages {
                run_messages(m, &mut raw);
            }
            if inputs.cancelled() {
                return cancelled();
            }
        }
        Some(cache) => {
            let mut old = std::mem::take(&mut cache.entries);
            for m in &template.messages {
                let text = &template.text[m.span.clone()];
                let key = quick_key(text);
                let hit = old.get_mut(&key).and_then(|v| {
                    let i = v.iter().position(|c| {
                        c.text == text
                            && c.prose == template.prose[m.span.clone()]
                            && c.kind == m.kind
                            && c.channel == m.channel
                            && c.follows == m.follows
                    })?;
                    Some(v.swap_remove(i))
                });
                let entry = match hit {
                    Some(c) => c,
                    None => {
                        let mut found = Vec::new();
                        run_messages(m, &mut found);
                        if inputs.cancelled() {
                            // Never cache a message whose rules did not all run.
                            return cancelled();
                        }
                        CachedMessage {
                            text: text.to_string(),
                            prose: template.prose[m.span.clone()].to_string(),
                            kind: m.kind,
                            channel: m.channel,
                            follows: m.follows,
                            findings: found
                                .into_iter()
                                .map(|f| move_offsets(f, |x| x - m.span.start))
                                .collect(),
                        }
                    }
                };
                raw.extend(
                    entry
                        .findings
                        .iter()
                        .cloned()
                        .map(|f| move_offsets(f, |x| x + m.span.start)),
                );
                cache.entries.entry(key).or_default().push(entry);
            }
        }
    }
    let suppressions = suppression::collect(template);
    let mut used = vec![false; suppressions.len()];
    let mut findings = Vec::new();
    let mut suppressed = Vec::new();
    for f in raw {
        let Some(f) = rules::apply_level(config, f) else {
            continue;
        };
        match suppressions
            .iter()
            .position(|s| s.applies(f.rule.as_str(), f.span.start))
        {
            Some(i) => {
                used[i] = true;
                suppressed.push((f, i));
            }
            None => findings.push(f),
        }
    }
    rules::fix_fit::limit_line_local_fixes(&cx, &mut findings);
    if config.level(rules::UNUSED_SUPPRESSION.id.as_str()) != Some(crate::finding::Level::Off) {
        let mut unused = Vec::new();
        rules::report_unused_suppressions(&cx, &suppressions, &used, &mut unused);
        findings.extend(
            unused
                .into_iter()
                .filter_map(|f| rules::apply_level(config, f)),
        );
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
    cap_per_rule(&mut findings);
    LintResult {
        findings,
        suppressed,
        suppressions,
        cancelled: false,
    }
}
