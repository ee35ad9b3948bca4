//! Converting a template from one sender's dialect to another's (Liquid, Handlebars, Mailchimp,
//! HubSpot): placeholders are renamed through the catalog's one name table and written with the
//! target's fallback form, conditionals are rewritten tag by tag, and the front matter's `dialect:`
//! follows. The result is a list of edits, so an editor can apply it as one workspace edit.
//!
//! What the target cannot say (spintax outside Liquid, `contains` outside Liquid, `and`/`or` in
//! Handlebars and Mailchimp, filters the target lacks, broken syntax) is **left as written**, whole,
//! and listed as a [`Note`] with its span: nothing is dropped or changed in meaning silently, and the
//! linter then reports what is left in the target's terms. See docs/dialects.md.

use std::ops::Range;

use super::catalog;
use super::choice::{Choice, ChoiceKind, Expr};
use super::dialect::Dialect;
use super::placeholder::{to_snake_case, Placeholder};
use super::Template;
use crate::finding::Edit;

/// A part of the source the conversion left as written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub span: Range<usize>,
    pub message: String,
}

/// A conversion: edits to the source text (sorted, disjoint) and what could not be converted.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub from: Dialect,
    pub to: Dialect,
    pub edits: Vec<Edit>,
    pub notes: Vec<Note>,
}

impl Conversion {
    /// The converted text.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut at = 0;
        let mut edits: Vec<&Edit> = self.edits.iter().collect();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        for e in edits {
            // Overlapping or out-of-text edits cannot come from `convert`; skipped, never a panic.
            if e.span.start < at || e.span.end > text.len() || e.span.start > e.span.end {
                continue;
            }
            out.push_str(&text[at..e.span.start]);
            out.push_str(&e.replacement);
            at = e.span.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// Converts the parsed template `t` (read in its own dialect) to `to`.
pub fn convert(t: &Template<'_>, to: Dialect) -> Conversion {
    let from = t.dialect;
    let mut c = Converter {
        t,
        from,
        to,
        edits: Vec::new(),
        notes: Vec::new(),
        frozen: Vec::new(),
        folded: Vec::new(),
    };
    if from != to {
        c.run();
        c.front_matter();
    }
    let Converter {
        mut edits,
        mut notes,
        ..
    } = c;
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    // Disjoint by construction; kept so even a mistake here cannot garble the text.
    let mut kept: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        if kept.last().is_some_and(|l| e.span.start < l.span.end) {
            continue;
        }
        kept.push(e);
    }
    notes.sort_by_key(|n| n.span.start);
    Conversion {
        from,
        to,
        edits: kept,
        notes,
    }
}

struct Converter<'a, 't> {
    t: &'a Template<'t>,
    from: Dialect,
    to: Dialect,
    edits: Vec<Edit>,
    notes: Vec<Note>,
    /// Spans left as written (sorted, disjoint): nothing inside them is converted.
    frozen: Vec<Range<usize>>,
    /// Fallback blocks replaced whole by a placeholder (sorted, disjoint).
    folded: Vec<Range<usize>>,
}

/// Whether `span` lies inside one of the sorted, disjoint `ranges`.
fn covered(ranges: &[Range<usize>], span: &Range<usize>) -> bool {
    let i = ranges.partition_point(|r| r.start <= span.start);
    i > 0 && span.end <= ranges[i - 1].end
}

/// The tag text around a choice's branches: the opening tag, the tags between branches and the
/// closing tag (an implicit empty branch has no tag of its own).
fn gaps(c: &Choice) -> Vec<Range<usize>> {
    let written: Vec<&Range<usize>> = c
        .branches
        .iter()
        .filter(|b| !b.implicit)
        .map(|b| &b.span)
        .collect();
    let mut out = Vec::with_capacity(written.len() + 1);
    let mut at = c.span.start;
    for b in written {
        out.push(at..b.start);
        at = b.end;
    }
    out.push(at..c.span.end);
    out
}

impl Converter<'_, '_> {
    fn note(&mut self, span: Range<usize>, message: String) {
        self.notes.push(Note { span, message });
    }

    fn run(&mut self) {
        let t = self.t;
        let to = self.to.display_name();
        // Broken syntax is not guessed at.
        let mut errors: Vec<Range<usize>> =
            t.syntax_errors.iter().map(|e| e.span.clone()).collect();
        errors.sort_by_key(|r| r.start);
        let errors = merge(errors);
        for e in &t.syntax_errors {
            self.note(
                e.span.clone(),
                format!(
                    "broken syntax is left as written: {}",
                    e.message.trim_end_matches('.')
                ),
            );
        }
        // Choices, outer ones first: a choice left as written keeps everything inside it.
        let mut choice_frozen: Vec<Range<usize>> = Vec::new();
        for choice in &t.choices {
            if covered(&choice_frozen, &choice.span) || covered(&errors, &choice.span) {
                continue;
            }
            let tags = gaps(choice);
            let near = &errors[errors.partition_point(|e| e.end <= choice.span.start)..];
            let broken = near
                .iter()
                .take_while(|e| e.start < choice.span.end)
                .any(|e| tags.iter().any(|g| crate::text::overlaps(e, g)));
            if broken {
                self.note(
                    choice.span.clone(),
                    format!(
                        "this {} has broken tags; left as written",
                        choice.kind.as_str()
                    ),
                );
                choice_frozen.push(choice.span.clone());
                continue;
            }
            if let Err(why) = self.choice(choice, &tags) {
                self.note(
                    choice.span.clone(),
                    format!("{why} in {to}; left as written"),
                );
                choice_frozen.push(choice.span.clone());
            }
        }
        let mut frozen = errors;
        frozen.extend(choice_frozen);
        frozen.sort_by_key(|r| r.start);
        self.frozen = merge(frozen);
        for p in &t.placeholders {
            // Left as written, or inside a folded fallback block (see `fold_fallback`).
            if covered(&self.frozen, &p.span) || covered(&self.folded, &p.span) {
                continue;
            }
            match self.placeholder(p) {
                Ok(text) => self.edits.push(Edit {
                    span: p.span.clone(),
                    replacement: text,
                }),
                Err(why) => self.note(
                    p.span.clone(),
                    format!(
                        "`{}`: {why} in {to}; left as written",
                        &t.text[p.span.clone()]
                    ),
                ),
            }
        }
        // Tags that are not part of a choice (`{% comment %}`, `{% assign %}`, `{{! … }}`).
        let mut tags: Vec<Range<usize>> = t.choices.iter().flat_map(gaps).collect();
        tags.sort_by_key(|r| r.start);
        let tags = merge(tags);
        for m in &t.markup {
            for rest in subtract(m, &tags) {
                let written = t.text[rest.clone()].trim();
                if written.is_empty() || covered(&self.frozen, &rest) {
                    continue;
                }
                self.note(
                    rest.clone(),
                    format!(
                        "`{}` has no equivalent in {to}; left as written",
                        short(written)
                    ),
                );
            }
        }
    }

    /// The field a written name stands for, in snake_case: the catalog's name when it knows it.
    fn field(&self, name: &str) -> String {
        if let Some(c) = catalog::canonical(name) {
            return c.to_string();
        }
        match self.from {
            Dialect::Hubspot => name.strip_prefix("contact.").unwrap_or(name).to_string(),
            Dialect::Mailchimp => to_snake_case(name),
            _ => name.to_string(),
        }
    }

    fn name(&self, written: &str) -> String {
        self.to.field_name(&self.field(written))
    }

    fn placeholder(&self, p: &Placeholder) -> Result<String, String> {
        let mut filters = Vec::new();
        let mut fallback = None;
        for f in &p.filters {
            if f.name == "default" {
                fallback = f.argument.as_deref().filter(|a| !a.is_empty());
            } else {
                filters.push(
                    filter_name(&f.name, self.to)
                        .ok_or_else(|| format!("the `{}` filter has no equivalent", f.name))?,
                );
            }
        }
        write_placeholder(self.to, &self.name(&p.name), fallback, &filters)
    }

    /// Rewrites a choice's tags (its branches are converted where they stand).
    fn choice(&mut self, choice: &Choice, tags: &[Range<usize>]) -> Result<(), String> {
        if choice.kind == ChoiceKind::Spintax {
            return Err("spintax has no equivalent".into());
        }
        if self.fold_fallback(choice) {
            return Ok(());
        }
        let to = self.to;
        let written: Vec<_> = choice.branches.iter().filter(|b| !b.implicit).collect();
        let mut replacements = Vec::with_capacity(tags.len());
        // Closers owed at the end: one per block opened (an `elsif` the target cannot chain becomes
        // `else` + a nested block).
        let mut closers: Vec<&'static str> = Vec::new();
        for (i, b) in written.iter().enumerate() {
            let Some(cond) = &b.condition else {
                if i == 0 {
                    return Err("a block without a condition has no equivalent".into());
                }
                replacements.push(else_tag(to).to_string());
                continue;
            };
            let test = write_test(cond, to, &|n| self.name(n))
                .ok_or_else(|| format!("the condition `{}` has no equivalent", describe(cond)))?;
            if i == 0 {
                let (open, close) = opener(to, &test)?;
                replacements.push(open);
                closers.push(close);
                continue;
            }
            let chained = match (&test, closers.last()) {
                (Test::Holds(x), Some(&c)) if c == if_closer(to) => elsif_tag(to, x),
                _ => None,
            };
            match chained {
                Some(tag) => replacements.push(tag),
                None => {
                    let (open, close) = opener(to, &test)?;
                    replacements.push(format!("{}{open}", else_tag(to)));
                    closers.push(close);
                }
            }
        }
        replacements.push(closers.iter().rev().copied().collect());
        for (gap, text) in tags.iter().zip(replacements) {
            self.edits.push(Edit {
                span: gap.clone(),
                replacement: text,
            });
        }
        Ok(())
    }

    /// Mailchimp writes a fallback as `*|IF:X|**|X|**|ELSE:|*text*|END:IF|*`; a target with a
    /// fallback form gets the placeholder with its fallback back.
    fn fold_fallback(&mut self, choice: &Choice) -> bool {
        let t = self.t;
        if self.from != Dialect::Mailchimp || choice.kind != ChoiceKind::If {
            return false;
        }
        let [then, other] = &choice.branches[..] else {
            return false;
        };
        let (Some(Expr::Var(x)), None, false) = (&then.condition, &other.condition, other.implicit)
        else {
            return false;
        };
        let Some(p) = t
            .placeholders
            .iter()
            .find(|p| p.span == then.span && p.filters.is_empty())
        else {
            return false;
        };
        let fallback = &t.text[other.span.clone()];
        if p.name != *x || fallback.is_empty() || fallback.contains(['*', '\n']) {
            return false;
        }
        match write_placeholder(self.to, &self.name(&p.name), Some(fallback), &[]) {
            Ok(text) => {
                self.edits.push(Edit {
                    span: choice.span.clone(),
                    replacement: text,
                });
                self.folded.push(choice.span.clone());
                true
            }
            Err(_) => false,
        }
    }

    /// Updates (or adds) the front matter's `dialect:`. A file without front matter gets one only
    /// when it would not be read in the target otherwise.
    fn front_matter(&mut self) {
        let t = self.t;
        let name = self.to.as_str();
        match &t.front_matter {
            Some(fm) => {
                let entry = fm.entries.iter().find(|(k, _)| {
                    matches!(&k.value, super::front_matter::Value::Scalar(s) if s == "dialect")
                });
                match entry {
                    Some((_, v)) if !v.span.is_empty() => self.edits.push(Edit {
                        span: v.span.clone(),
                        replacement: name.to_string(),
                    }),
                    // An unclosed front matter is reported by the linter; it is not edited.
                    _ if !t.text[fm.yaml_span.end..fm.span.end].trim().is_empty() => {
                        let at = fm.yaml_span.end;
                        self.edits.push(Edit {
                            span: at..at,
                            replacement: format!("dialect: {name}\n"),
                        });
                    }
                    _ => {}
                }
            }
            None => {
                let body = Conversion {
                    from: self.from,
                    to: self.to,
                    edits: self.edits.clone(),
                    notes: Vec::new(),
                }
                .apply(t.text);
                let read_as = Dialect::detect(&body).unwrap_or_default();
                if read_as != self.to || t.dialect_source == super::DialectSource::Config {
                    self.edits.push(Edit {
                        span: 0..0,
                        replacement: format!("---\ndialect: {name}\n---\n"),
                    });
                }
            }
        }
    }
}

/// A condition as a target writes it: a test that must hold, or one that must fail (`unless`,
/// `IFNOT:`, `#unless`).
enum Test {
    Holds(String),
    Fails(String),
}

fn if_closer(to: Dialect) -> &'static str {
    match to {
        Dialect::Liquid | Dialect::Hubspot => "{% endif %}",
        Dialect::Handlebars => "{{/if}}",
        Dialect::Mailchimp => "*|END:IF|*",
    }
}

fn else_tag(to: Dialect) -> &'static str {
    match to {
        Dialect::Liquid | Dialect::Hubspot => "{% else %}",
        Dialect::Handlebars => "{{else}}",
        Dialect::Mailchimp => "*|ELSE:|*",
    }
}

fn elsif_tag(to: Dialect, test: &str) -> Option<String> {
    Some(match to {
        Dialect::Liquid => format!("{{% elsif {test} %}}"),
        Dialect::Hubspot => format!("{{% elif {test} %}}"),
        Dialect::Handlebars => format!("{{{{else if {test}}}}}"),
        Dialect::Mailchimp => format!("*|ELSEIF:{test}|*"),
    })
}

/// The opening tag of a block testing `test`, and its closing tag.
fn opener(to: Dialect, test: &Test) -> Result<(String, &'static str), String> {
    Ok(match (to, test) {
        (_, Test::Holds(x)) => (
            match to {
                Dialect::Liquid | Dialect::Hubspot => format!("{{% if {x} %}}"),
                Dialect::Handlebars => format!("{{{{#if {x}}}}}"),
                Dialect::Mailchimp => format!("*|IF:{x}|*"),
            },
            if_closer(to),
        ),
        (Dialect::Liquid, Test::Fails(x)) => (format!("{{% unless {x} %}}"), "{% endunless %}"),
        (Dialect::Handlebars, Test::Fails(x)) => (format!("{{{{#unless {x}}}}}"), "{{/unless}}"),
        (Dialect::Mailchimp, Test::Fails(x)) => (format!("*|IFNOT:{x}|*"), "*|END:IF|*"),
        (Dialect::Hubspot, Test::Fails(x)) => (format!("{{% if not {x} %}}"), "{% endif %}"),
    })
}

/// `expr` as `to` writes a test, or None when it cannot.
fn write_test(expr: &Expr, to: Dialect, name: &dyn Fn(&str) -> String) -> Option<Test> {
    // A negated field reads best, and renders the same in every engine, as the dialect's own
    // negated block (`unless`, `#unless`, `IFNOT:`) rather than a comparison with blank.
    if to != Dialect::Hubspot {
        let field = match expr {
            Expr::Not(inner) => match &**inner {
                Expr::Var(x) => Some(x),
                _ => None,
            },
            Expr::Blank(x) => Some(x),
            _ => None,
        };
        if let Some(x) = field.and_then(|x| positive(&Expr::Var(x.clone()), to, name)) {
            return Some(Test::Fails(x));
        }
    }
    if let Some(x) = positive(expr, to, name) {
        return Some(Test::Holds(x));
    }
    match expr {
        Expr::Not(inner) => positive(inner, to, name).map(Test::Fails),
        Expr::Blank(x) => positive(&Expr::Var(x.clone()), to, name).map(Test::Fails),
        _ => None,
    }
}

/// Pushes a negation down to the comparisons (De Morgan), so every target only negates leaves.
fn negate(e: &Expr) -> Expr {
    match e {
        Expr::Not(inner) => (**inner).clone(),
        Expr::And(a, b) => Expr::Or(Box::new(negate(a)), Box::new(negate(b))),
        Expr::Or(a, b) => Expr::And(Box::new(negate(a)), Box::new(negate(b))),
        Expr::Const(b) => Expr::Const(!b),
        Expr::Var(x) => Expr::Blank(x.clone()),
        Expr::Blank(x) => Expr::Not(Box::new(Expr::Var(x.clone()))),
        other => Expr::Not(Box::new(other.clone())),
    }
}

fn quoted(v: &str) -> Option<String> {
    if !v.contains('"') {
        Some(format!("\"{v}\""))
    } else if !v.contains('\'') {
        Some(format!("'{v}'"))
    } else {
        None
    }
}

/// The operands of a run of one operator (`a or b or c`), in order.
fn run_of<'e>(e: &'e Expr, and: bool, out: &mut Vec<&'e Expr>) {
    match (e, and) {
        (Expr::And(a, b), true) | (Expr::Or(a, b), false) => {
            run_of(a, and, out);
            run_of(b, and, out);
        }
        _ => out.push(e),
    }
}

/// `expr` as a test that holds when it does, or None.
fn positive(expr: &Expr, to: Dialect, name: &dyn Fn(&str) -> String) -> Option<String> {
    let percent = matches!(to, Dialect::Liquid | Dialect::Hubspot);
    match expr {
        Expr::Var(x) => Some(name(x)),
        Expr::Not(inner) => match &**inner {
            Expr::Blank(x) => positive(&Expr::Var(x.clone()), to, name),
            Expr::Var(x) => match to {
                Dialect::Liquid => Some(format!("{} == blank", name(x))),
                Dialect::Hubspot => Some(format!("not {}", name(x))),
                _ => None,
            },
            Expr::Eq(x, v) => match to {
                _ if percent => Some(format!("{} != {}", name(x), quoted(v)?)),
                Dialect::Mailchimp if simple_value(v) => Some(format!("{}!={v}", name(x))),
                _ => None,
            },
            Expr::Contains(..) | Expr::Unknown => None,
            other => positive(&negate(other), to, name),
        },
        Expr::Blank(x) => match to {
            Dialect::Liquid => Some(format!("{} == blank", name(x))),
            Dialect::Hubspot => Some(format!("not {}", name(x))),
            _ => None,
        },
        Expr::Eq(x, v) => match to {
            _ if percent => Some(format!("{} == {}", name(x), quoted(v)?)),
            Dialect::Mailchimp if simple_value(v) => Some(format!("{}={v}", name(x))),
            _ => None,
        },
        Expr::Contains(x, v) if to == Dialect::Liquid => {
            Some(format!("{} contains {}", name(x), quoted(v)?))
        }
        Expr::Const(b) if percent => Some(b.to_string()),
        Expr::And(..) | Expr::Or(..) if percent => {
            let and = matches!(expr, Expr::And(..));
            let mut operands = Vec::new();
            run_of(expr, and, &mut operands);
            let word = if and { " and " } else { " or " };
            let mut parts = Vec::with_capacity(operands.len());
            for (i, o) in operands.iter().enumerate() {
                let nested = matches!(o, Expr::And(..) | Expr::Or(..));
                // Liquid reads `a or b and c` as `a or (b and c)`: only the last operand may be a
                // run of the other operator. HubL binds `and` tighter, so it takes no mix at all.
                if nested && (to == Dialect::Hubspot || i + 1 < operands.len()) {
                    return None;
                }
                parts.push(positive(o, to, name)?);
            }
            Some(parts.join(word))
        }
        _ => None,
    }
}

/// A value Mailchimp's `*|IF:X=value|*` can hold as written.
fn simple_value(v: &str) -> bool {
    v == v.trim() && !v.contains(['|', '*', '=', '!', '\n'])
}

/// A condition in words, for notes.
fn describe(e: &Expr) -> String {
    match e {
        Expr::Var(x) => x.clone(),
        Expr::Blank(x) => format!("{x} is blank"),
        Expr::Eq(x, v) => format!("{x} == \"{v}\""),
        Expr::Contains(x, v) => format!("{x} contains \"{v}\""),
        Expr::Not(e) => format!("not {}", describe(e)),
        Expr::And(a, b) => format!("{} and {}", describe(a), describe(b)),
        Expr::Or(a, b) => format!("{} or {}", describe(a), describe(b)),
        Expr::Const(b) => b.to_string(),
        Expr::Unknown => "…".into(),
    }
}

/// The target's name of a text filter (`upcase` is HubL's `upper`), or None.
fn filter_name(name: &str, to: Dialect) -> Option<&'static str> {
    let kind = match name {
        "upcase" | "upper" => 0,
        "downcase" | "lower" => 1,
        "capitalize" => 2,
        "strip" | "trim" => 3,
        _ => return None,
    };
    match to {
        Dialect::Liquid => Some(["upcase", "downcase", "capitalize", "strip"][kind]),
        Dialect::Hubspot => Some(["upper", "lower", "capitalize", "trim"][kind]),
        _ => None,
    }
}

/// A placeholder in `to`'s syntax: `field` as the target names it, an optional non-empty fallback,
/// and text filters already in the target's names.
pub fn write_placeholder(
    to: Dialect,
    field: &str,
    fallback: Option<&str>,
    filters: &[&str],
) -> Result<String, String> {
    let bad = |what: &str| Err(format!("a fallback with {what} cannot be written"));
    if fallback.is_some_and(|f| f.contains("}}") || f.contains('\n')) {
        return bad("`}}` or a line break");
    }
    let extra: String = filters.iter().map(|f| format!(" | {f}")).collect();
    match to {
        Dialect::Liquid => Ok(match fallback {
            Some(d) => match quoted(d) {
                Some(q) => format!("{{{{{field} | default: {q}{extra}}}}}"),
                None => return bad("both kinds of quote"),
            },
            None => format!("{{{{{field}{extra}}}}}"),
        }),
        Dialect::Hubspot => {
            let extra: String = filters.iter().map(|f| format!("|{f}")).collect();
            Ok(match fallback {
                Some(d) if d.contains(')') => return bad("`)`"),
                Some(d) if !d.contains('\'') => format!("{{{{ {field}|default('{d}'){extra} }}}}"),
                Some(d) if !d.contains('"') => format!("{{{{ {field}|default(\"{d}\"){extra} }}}}"),
                Some(_) => return bad("both kinds of quote"),
                None => format!("{{{{ {field}{extra} }}}}"),
            })
        }
        _ if !filters.is_empty() => Err(format!("the `{}` filter has no equivalent", filters[0])),
        Dialect::Handlebars => Ok(match fallback {
            Some(d) if d.contains('"') => return bad("`\"`"),
            Some(d) => format!("{{{{insert {field} \"default={d}\"}}}}"),
            None => format!("{{{{{field}}}}}"),
        }),
        Dialect::Mailchimp => Ok(match fallback {
            Some(d) if d.contains("*|") || d.contains("|*") => return bad("`*|`"),
            Some(d) => format!("*|IF:{field}|**|{field}|**|ELSE:|*{d}*|END:IF|*"),
            None => format!("*|{field}|*"),
        }),
    }
}

/// `r` minus the sorted, disjoint `cuts`.
fn subtract(r: &Range<usize>, cuts: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = r.start;
    let first = cuts.partition_point(|c| c.end <= r.start);
    for c in cuts[first..].iter().take_while(|c| c.start < r.end) {
        if c.start > at {
            out.push(at..c.start);
        }
        at = at.max(c.end);
    }
    if at < r.end {
        out.push(at..r.end);
    }
    out
}

fn merge(sorted: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// At most 60 characters of `s`, for messages.
fn short(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(text: &str, from: Dialect, to: Dialect) -> (String, Vec<Note>) {
        let t = Template::parse_in(text, Some(from));
        let c = convert(&t, to);
        (c.apply(text), c.notes)
    }

    #[test]
    fn placeholders_and_fallbacks() {
        let text = "Hi {{firstName}}, at {{event | default: \"the fair\"}} with {{ company }}.";
        let (mc, notes) = conv(text, Dialect::Liquid, Dialect::Mailchimp);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            mc,
            "---\ndialect: mailchimp\n---\nHi *|FNAME|*, at *|IF:EVENT|**|EVENT|**|ELSE:|*the fair*|END:IF|* with *|COMPANY|*."
        );
        let (back, notes) = conv(&mc, Dialect::Mailchimp, Dialect::Liquid);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            back,
            "---\ndialect: liquid\n---\nHi {{first_name}}, at {{event | default: \"the fair\"}} with {{company}}."
        );
        let (hs, _) = conv(text, Dialect::Liquid, Dialect::Hubspot);
        assert!(
            hs.ends_with("Hi {{ contact.firstname }}, at {{ contact.event|default('the fair') }} with {{ contact.company }}."),
            "{hs}"
        );
        let (hb, _) = conv(text, Dialect::Liquid, Dialect::Handlebars);
        assert!(
            hb.ends_with(
                "Hi {{first_name}}, at {{insert event \"default=the fair\"}} with {{company}}."
            ),
            "{hb}"
        );
    }

    #[test]
    fn conditionals() {
        let text =
            "{% if a %}A{% elsif b == 'x' %}B{% else %}C{% endif %}{% unless c %}U{% endunless %}";
        let (hs, notes) = conv(text, Dialect::Liquid, Dialect::Hubspot);
        assert!(notes.is_empty(), "{notes:?}");
        assert!(
            hs.ends_with("{% if contact.a %}A{% elif contact.b == \"x\" %}B{% else %}C{% endif %}{% if not contact.c %}U{% endif %}"),
            "{hs}"
        );
        let (mc, notes) = conv(text, Dialect::Liquid, Dialect::Mailchimp);
        assert!(notes.is_empty(), "{notes:?}");
        assert!(
            mc.ends_with("*|IF:A|*A*|ELSEIF:B=x|*B*|ELSE:|*C*|END:IF|**|IFNOT:C|*U*|END:IF|*"),
            "{mc}"
        );
        // Handlebars has no comparison: the block is left whole, with a note.
        let (hb, notes) = conv(text, Dialect::Liquid, Dialect::Handlebars);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].message.contains("b == \"x\""), "{notes:?}");
        assert!(hb.contains("{% if a %}A{% elsif"), "{hb}");
        assert!(hb.ends_with("{{#unless c}}U{{/unless}}"), "{hb}");
    }

    #[test]
    fn what_cannot_be_said_is_left_with_a_note() {
        let text = "---\ndialect: liquid\n---\n{Hi|Hello} {{first_name | upcase}}, {% case k %}{% when 'a' %}A{% endcase %}{% if x contains 'y' %}Y{% endif %}";
        let (hb, notes) = conv(text, Dialect::Liquid, Dialect::Handlebars);
        assert!(
            hb.starts_with(
                "---\ndialect: handlebars\n---\n{Hi|Hello} {{first_name | upcase}}, {% case"
            ),
            "{hb}"
        );
        assert_eq!(notes.len(), 4, "{notes:?}");
        // A case becomes an if chain where the target compares.
        let (hs, notes) = conv(text, Dialect::Liquid, Dialect::Hubspot);
        assert!(
            hs.contains("{% if contact.k == \"a\" %}A{% endif %}"),
            "{hs}"
        );
        assert!(hs.contains("{{ contact.firstname|upper }}"), "{hs}");
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn same_dialect_is_unchanged() {
        let (out, notes) = conv("{Hi|Hey} {{x}}", Dialect::Liquid, Dialect::Liquid);
        assert_eq!(out, "{Hi|Hey} {{x}}");
        assert!(notes.is_empty());
    }
}
