//! Code actions: quick fixes for findings (computed from the current analysis), "fix all" of the safe
//! fixes, and personalization rewrites at the cursor.

use super::*;

fn action(
    title: String,
    kind: CodeActionKind,
    edit: WorkspaceEdit,
    diagnostic: Option<Diagnostic>,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic.map(|d| vec![d]),
        edit: Some(edit),
        command: None,
        is_preferred: preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

pub fn code_actions(
    state: &State,
    params: CodeActionParams,
    pinned: Pinned,
    cancel: &AtomicBool,
) -> Option<CodeActionResponse> {
    let uri = &params.text_document.uri;
    let a = state.linted(uri, pinned, cancel)?;
    if !a.is_template {
        return None;
    }
    let session = state.session();
    let enc = session.encoding;
    let wants = |k: &CodeActionKind| {
        params.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|o| {
                k.as_str() == o.as_str() || k.as_str().starts_with(&format!("{}.", o.as_str()))
            })
        })
    };
    let t = a.template();
    let mut out: Vec<CodeActionOrCommand> = Vec::new();
    let edit_of = |edits: Vec<TextEdit>| {
        convert::workspace_edit(uri, a.version, edits, session.document_changes)
    };
    let cursor = offset_of(&a.rope, params.range.start, enc);
    // What the findings under the cursor ask for, which decides the personalization rewrites offered.
    let mut asks_for: Vec<Category> = Vec::new();
    let mut disables: Vec<(String, CodeActionOrCommand)> = Vec::new();
    if wants(&CodeActionKind::QUICKFIX) {
        let touches = |f: &crate::finding::Finding, span: &Span<usize>| {
            f.span.start <= span.end && span.start <= f.span.end
        };
        // The findings to fix: those of the client's diagnostics, else ours under the range; each
        // with the diagnostic its actions name (the client's own, so it can link them, else ours).
        let mut targets: Vec<(Diagnostic, &crate::finding::Finding)> = Vec::new();
        for d in params
            .context
            .diagnostics
            .iter()
            .filter(|d| d.source.as_deref() == Some(convert::SOURCE))
        {
            let rule = match &d.code {
                Some(NumberOrString::String(s)) => s.as_str(),
                _ => continue,
            };
            // Fixes are not shipped in `data` (it would make every publish several times larger);
            // they come from the current finding of that rule there: the same span if the
            // diagnostic is current, else the first one it touches.
            let span = span_of(&a.rope, d.range, enc);
            let of_rule = || a.result.findings.iter().filter(|f| f.rule.as_str() == rule);
            let found = of_rule()
                .find(|f| f.span == span)
                .or_else(|| of_rule().find(|f| touches(f, &span)));
            if let Some(f) = found {
                if !targets.iter().any(|(_, g)| std::ptr::eq(*g, f)) {
                    targets.push((d.clone(), f));
                }
            }
        }
        if params.context.diagnostics.is_empty() {
            let span = span_of(&a.rope, params.range, enc);
            targets.extend(
                a.result
                    .findings
                    .iter()
                    .filter(|f| touches(f, &span))
                    .map(|f| (convert::diagnostic(&a.rope, f, enc), f)),
            );
        }
        order_targets(&mut targets, cursor);
        for (_, f) in &targets {
            asks_for.extend(personalization_asked(f.rule.as_str()));
        }
        // Two findings can propose the same edit (e.g. the same personalization sentence): offer it once.
        let mut offered: Vec<(String, Vec<TextEdit>)> = Vec::new();
        // Only one action is marked preferred, the one of the diagnostic under the cursor, so an
        // editor's "apply the preferred fix" key has a single choice.
        let mut preferred_given = false;
        for (diag, f) in &targets {
            // The finding's preferred fix first, then its safe ones, then the rest.
            let mut fixes: Vec<&crate::finding::Fix> = f.fixes.iter().collect();
            fixes.sort_by_key(|x| (!x.preferred, !x.is_safe()));
            for fx in fixes {
                let data = convert::fix_data(&a.rope, fx, enc);
                if offered
                    .iter()
                    .any(|(t, e)| *t == data.title && *e == data.edits)
                {
                    continue;
                }
                offered.push((data.title.clone(), data.edits.clone()));
                let preferred = data.preferred && !preferred_given;
                preferred_given |= preferred;
                out.push(action(
                    data.title,
                    CodeActionKind::QUICKFIX,
                    edit_of(data.edits),
                    Some(diag.clone()),
                    preferred,
                ));
            }
        }
        // "Disable…" last (after the rewrites too), grouped by rule (line before file), in the order of the targets.
        for (diag, f) in &targets {
            // Silencing "unused suppression" with another suppression would only move the problem.
            let silencers = if f.rule == crate::rules::UNUSED_SUPPRESSION.id {
                Vec::new()
            } else {
                crate::suppression::disable_fixes(&t, f.rule.as_str(), f.span.start)
            };
            for fx in silencers {
                if disables.iter().any(|(title, _)| *title == fx.title) {
                    continue;
                }
                let data = convert::fix_data(&a.rope, &fx, enc);
                disables.push((
                    fx.title.clone(),
                    action(
                        data.title,
                        CodeActionKind::QUICKFIX,
                        edit_of(data.edits),
                        Some(diag.clone()),
                        false,
                    ),
                ));
            }
        }
    }
    // Rewrites when asked for by kind (a "Refactor…" menu), else only those that fit a finding
    // under the cursor that asks for personalization.
    let asked_for_rewrites = params.context.only.as_ref().is_some_and(|only| {
        only.iter().any(|o| {
            let o = o.as_str();
            o == "refactor" || o.starts_with(CodeActionKind::REFACTOR_REWRITE.as_str())
        })
    });
    if asked_for_rewrites {
        out.extend(rewrites(&a, &t, params.range, enc, &edit_of, None));
    } else if wants(&CodeActionKind::REFACTOR_REWRITE) {
        asks_for.sort();
        asks_for.dedup();
        out.extend(rewrites(
            &a,
            &t,
            params.range,
            enc,
            &edit_of,
            Some(&asks_for),
        ));
    }
    // The whole-file conversions are source actions: offered when asked for by kind, like fix-all.
    if params.context.only.is_some() && wants(&CodeActionKind::new(CONVERT_KIND)) {
        out.extend(conversions(&a, &t, enc, &edit_of));
    }
    if wants(&CodeActionKind::REFACTOR_REWRITE) {
        out.extend(dialect_rewrites(&a, &t, params.range, enc, &edit_of));
    }
    out.extend(disables.into_iter().map(|(_, a)| a));
    // "Fix all" only when asked for by kind (on save, or a source-action menu): it is not a fix of
    // what is under the cursor.
    let fix_all_kind = CodeActionKind::new(FIX_ALL_KIND);
    if params.context.only.is_some() && wants(&fix_all_kind) {
        let (edits, taken) = crate::finding::fix_all(&a.result.findings, false);
        if !taken.is_empty() {
            let edits = crate::server::convert::text_edits(&a.rope, &edits, enc);
            let n = taken.len();
            out.push(action(
                format!(
                    "Fix all safe problems ({n} fix{})",
                    if n == 1 { "" } else { "es" }
                ),
                fix_all_kind,
                edit_of(edits),
                None,
                false,
            ));
        }
    }
    Some(out)
}

/// The code action kind of "fix all safe problems" (`source.fixAll` for this server).
pub const FIX_ALL_KIND: &str = "source.fixAll.outreach";

/// The code action kind of "Convert this file to <dialect>".
pub const CONVERT_KIND: &str = "source.convert.outreach";

/// "Convert this file to <dialect>" for each other dialect: one workspace edit; the title says how
/// many parts the target cannot express (they stay as written, see docs/dialects.md).
fn conversions(
    a: &Analysis,
    t: &Template<'_>,
    enc: Encoding,
    edit_of: &dyn Fn(Vec<TextEdit>) -> WorkspaceEdit,
) -> Vec<CodeActionOrCommand> {
    crate::model::Dialect::ALL
        .into_iter()
        .filter(|d| *d != t.dialect)
        .map(|to| {
            let c = crate::model::convert::convert(t, to);
            let edits = crate::server::convert::text_edits(&a.rope, &c.edits, enc);
            let title = match c.notes.len() {
                0 => format!("Convert this file to {}", to.display_name()),
                1 => format!(
                    "Convert this file to {} (1 part cannot be expressed and stays as written)",
                    to.display_name()
                ),
                n => format!(
                    "Convert this file to {} ({n} parts cannot be expressed and stay as written)",
                    to.display_name()
                ),
            };
            action(
                title,
                CodeActionKind::new(CONVERT_KIND),
                edit_of(edits),
                None,
                false,
            )
        })
        .collect()
}

/// At the cursor: "wrap in a conditional" on a placeholder without a fallback (its sentence is left
/// out when the field is empty); on a selected phrase in a Liquid file, "make this a spintax group".
fn dialect_rewrites(
    a: &Analysis,
    t: &Template<'_>,
    range: Range,
    enc: Encoding,
    edit_of: &dyn Fn(Vec<TextEdit>) -> WorkspaceEdit,
) -> Vec<CodeActionOrCommand> {
    let span = span_of(&a.rope, range, enc);
    let mut out = Vec::new();
    let at = t.placeholders.partition_point(|p| p.span.end < span.start);
    if let Some(p) = t.placeholders.get(at).filter(|p| {
        p.span.start <= span.start
            && span.end <= p.span.end
            && p.fallback().is_none()
            && !t.is_guarded(p)
    }) {
        let edits = crate::server::convert::text_edits(
            &a.rope,
            &crate::model::wrap::wrap_in_condition(t, p),
            enc,
        );
        out.push(action(
            format!(
                "Wrap in a conditional: send this only when `{}` has a value",
                p.name
            ),
            CodeActionKind::REFACTOR_REWRITE,
            edit_of(edits),
            None,
            false,
        ));
    }
    let selected = &a.text[span.clone()];
    let in_prose = !span.is_empty()
        && t.non_prose
            .iter()
            .all(|r| r.end <= span.start || span.end <= r.start)
        && t.placeholders
            .iter()
            .all(|p| p.span.end <= span.start || span.end <= p.span.start);
    if t.dialect == crate::model::Dialect::Liquid && in_prose && selected.len() <= 200 {
        if let Some(group) = crate::model::wrap::spintax_group(selected) {
            let keep_lead = &selected[..selected.len() - selected.trim_start().len()];
            let keep_tail = &selected[selected.trim_end().len()..];
            out.push(action(
                format!("Make this a spintax group: {group}"),
                CodeActionKind::REFACTOR_REWRITE,
                edit_of(vec![TextEdit::new(
                    range,
                    format!("{keep_lead}{group}{keep_tail}"),
                )]),
                None,
                false,
            ));
        }
    }
    out
}

/// The placeholder categories a finding asks the writer to add.
fn personalization_asked(rule: &str) -> Option<Category> {
    match rule {
        "no-common-ground" | "generic-message" | "default-invitation-text" => {
            Some(Category::CommonGround)
        }
        "no-reason" => Some(Category::Reason),
        _ => None,
    }
}

/// The diagnostic under the cursor first: those containing the cursor before those only touching the
/// range, the narrowest (the most specific) first, then the more severe; otherwise by position.
fn order_targets(targets: &mut [(Diagnostic, &crate::finding::Finding)], cursor: usize) {
    targets.sort_by_key(|(_, f)| {
        let holds = f.span.start <= cursor && cursor <= f.span.end;
        (
            !holds,
            f.span.len(),
            std::cmp::Reverse(f.severity),
            f.span.start,
        )
    });
}

/// Personalization that needs no finding: insert a common-ground or reason placeholder at the cursor,
/// or turn a selected name into `{{first_name}}`.
/// `only`: the categories to offer placeholders of, at most two each (None: every one, on request).
fn rewrites(
    a: &Analysis,
    t: &Template<'_>,
    range: Range,
    enc: Encoding,
    edit_of: &dyn Fn(Vec<TextEdit>) -> WorkspaceEdit,
    only: Option<&[Category]>,
) -> Vec<CodeActionOrCommand> {
    let span = span_of(&a.rope, range, enc);
    if t.front_matter
        .as_ref()
        .is_some_and(|f| span.start < f.span.end)
        || !t.is_prose(span.start.min(a.text.len().saturating_sub(1)))
            && !a.text.is_empty()
            && span.start < a.text.len()
    {
        return Vec::new();
    }
    let cx = Context::new(t, &a.config, a.inputs());
    let mut out = Vec::new();
    let selected = &a.text[span.clone()];
    let word = selected.trim();
    if !word.is_empty() && word.len() < 40 && !word.contains(['{', '}', '\n']) {
        let target = crate::model::catalog::alias(word).or_else(|| {
            let name_like = word.chars().next().is_some_and(char::is_uppercase)
                && word
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'');
            name_like.then_some("first_name")
        });
        if let Some(name) = target {
            let text = format!("{{{{{name}}}}}");
            out.push(action(
                format!("Replace selection with {text}"),
                CodeActionKind::REFACTOR_REWRITE,
                edit_of(vec![TextEdit::new(range, text)]),
                None,
                false,
            ));
        }
    }
    let mut defs: Vec<_> = cx
        .known_names()
        .into_iter()
        .filter_map(|n| cx.def(n).cloned())
        .filter(|d| matches!(d.category, Category::CommonGround | Category::Reason))
        .filter(|d| only.is_none_or(|c| c.contains(&d.category)))
        .collect();
    // Catalog order within a category puts the most common first.
    defs.sort_by_key(|d| d.category);
    let mut per_category: Vec<Category> = Vec::new();
    defs.retain(|d| {
        per_category.push(d.category);
        only.is_none() || per_category.iter().filter(|c| **c == d.category).count() <= 2
    });
    for d in defs {
        let text = if d.often_empty && !d.suggested_default.is_empty() {
            format!("{{{{{} | default: \"{}\"}}}}", d.name, d.suggested_default)
        } else {
            format!("{{{{{}}}}}", d.name)
        };
        out.push(action(
            format!(
                "Insert personalization placeholder ▸ {{{{{}}}}} ({})",
                d.name,
                d.category.as_str()
            ),
            CodeActionKind::REFACTOR_REWRITE,
            edit_of(vec![TextEdit::new(range, text)]),
            None,
            false,
        ));
    }
    out
}
