//! The entry point of the core: lint a text with a configuration, get findings back.

use crate::config::Config;
use crate::finding::{Finding, Severity};
use crate::model::catalog::PlaceholderDef;
use crate::model::Template;
use crate::rules::{self, Context, RULES};
use crate::suppression::{self, Suppression};

/// The result of linting one text.
#[derive(Debug, Clone, Default)]
pub struct LintResult {
    /// What to show, sorted by position.
    pub findings: Vec<Finding>,
    /// Findings a suppression silenced, with the index of that suppression.
    pub suppressed: Vec<(Finding, usize)>,
    pub suppressions: Vec<Suppression>,
}

/// Extra inputs beyond the text and the configuration.
#[derive(Default, Clone, Copy)]
pub struct Inputs<'a> {
    /// Placeholders known from elsewhere (contact list columns).
    pub extra_placeholders: &'a [PlaceholderDef],
}

/// Lints `text`. Never panics on any input; files over `config.max_file_size` get one finding.
pub fn lint(text: &str, config: &Config) -> LintResult {
    lint_with(text, config, Inputs::default())
}

pub fn lint_with(text: &str, config: &Config, inputs: Inputs<'_>) -> LintResult {
    if text.len() > config.max_file_size {
        return LintResult {
            findings: rules::apply_level(config, too_large(text, config))
                .into_iter()
                .collect(),
            ..LintResult::default()
        };
    }
    let template = Template::parse(text);
    lint_template(&template, config, inputs)
}

fn too_large(text: &str, config: &Config) -> Finding {
    let end = text.find('\n').unwrap_or(text.len()).min(200);
    let end = crate::text::floor_char_boundary(text, end);
    Finding {
        rule: "file-too-large",
        severity: Severity::Info,
        span: 0..end,
        message: format!(
            "not checked: this file is {} bytes, over the {}-byte limit (`max_file_size`)",
            text.len(),
            config.max_file_size
        ),
        fixes: Vec::new(),
    }
}

pub fn lint_template(template: &Template<'_>, config: &Config, inputs: Inputs<'_>) -> LintResult {
    let cx = Context::new(template, config, inputs.extra_placeholders);
    let mut raw = Vec::new();
    for rule in RULES {
        let id = rule.doc().id;
        if id == "unused-suppression" || config.level(id) == Some(crate::finding::Level::Off) {
            continue;
        }
        rule.check(&cx, &mut raw);
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
            .position(|s| s.applies(f.rule, f.span.start))
        {
            Some(i) => {
                used[i] = true;
                suppressed.push((f, i));
            }
            None => findings.push(f),
        }
    }
    if config.level("unused-suppression") != Some(crate::finding::Level::Off) {
        let mut unused = Vec::new();
        rules::unused_suppression::report(&cx, &suppressions, &used, &mut unused);
        findings.extend(
            unused
                .into_iter()
                .filter_map(|f| rules::apply_level(config, f)),
        );
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
    LintResult {
        findings,
        suppressed,
        suppressions,
    }
}
