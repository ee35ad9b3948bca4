//! Whether a fix keeps its message within the channel's length limit. A fix that writes text can push a
//! note that fits over 200 or 300 characters; such a fix is not safe nor preferred, and its title says
//! how long the message would get, so nobody applies it blind.

use std::ops::Range;

use crate::finding::{Applicability, Edit, Fix};
use crate::model::length::{measure, LengthRange};
use crate::model::Message;
use crate::rules::Context;

/// How a length range stands against a limit: 0 fits, 1 can go over, 2 is always over.
fn standing(r: &LengthRange, limit: usize) -> u8 {
    if r.max <= limit {
        0
    } else if r.min <= limit {
        1
    } else {
        2
    }
}

/// The length range of `m` after `edits`, and its limit, when that is worse than before (None when
/// the message stays as it stands against its limit, or has no limit).
pub fn over_after(cx: &Context<'_>, m: &Message, edits: &[Edit]) -> Option<(LengthRange, usize)> {
    let (Some(limit), _) = cx.limits(m) else {
        return None;
    };
    let t = cx.template;
    let inside = |r: &Range<usize>| m.content.start <= r.start && r.end <= m.content.end;
    if !edits.iter().any(|e| inside(&e.span)) {
        return None;
    }
    let before = cx.content_length(m);
    let mut after = before;
    for e in edits.iter().filter(|e| inside(&e.span)) {
        let removed = measure(t, e.span.clone(), |p| cx.bounds(p));
        let added = cx.written_length(&e.replacement);
        // Saturating: configured maximum lengths can be huge (found by the hostile CLI tests).
        after.min = after
            .min
            .saturating_add(added.min)
            .saturating_sub(removed.min);
        after.typical = after
            .typical
            .saturating_add(added.typical)
            .saturating_sub(removed.typical);
        after.max = after
            .max
            .saturating_add(added.max)
            .saturating_sub(removed.max);
    }
    (standing(&after, limit) > standing(&before, limit)).then_some((after, limit))
}

/// `fix` as it may be offered in `m`: unchanged when the message stays within its limit, else unsafe,
/// not preferred, with the resulting length in its title.
pub fn within_limit(cx: &Context<'_>, m: &Message, mut fix: Fix) -> Fix {
    if let Some((after, limit)) = over_after(cx, m, &fix.edits) {
        fix.applicability = Applicability::Unsafe;
        fix.preferred = false;
        fix.title = format!(
            "{} (the message would be {} characters, over the {limit} limit)",
            fix.title,
            after.describe()
        );
    }
    fix
}

/// The first of `candidates` (most helpful first) that keeps `m` within its limit, else the last one
/// (the shortest) marked as going over.
pub fn first_that_fits(cx: &Context<'_>, m: &Message, candidates: Vec<Fix>) -> Option<Fix> {
    let n = candidates.len();
    for (i, fix) in candidates.into_iter().enumerate() {
        if over_after(cx, m, &fix.edits).is_none() || i + 1 == n {
            return Some(within_limit(cx, m, fix));
        }
    }
    None
}

/// Checks the fixes of line-local file checks against the message's limit. Their findings are reused
/// line by line while the rest of the message changes, so the check cannot be made when they are
/// found; it is made on every lint instead (only findings with fixes pay for it).
pub fn limit_line_local_fixes(cx: &Context<'_>, findings: &mut [crate::finding::Finding]) {
    for f in findings.iter_mut().filter(|f| !f.fixes.is_empty()) {
        if !crate::rules::find(f.rule.as_str())
            .is_some_and(|r| matches!(r.check, crate::rules::Check::FileLines { .. }))
        {
            continue;
        }
        let Some(m) = cx.template.message_at(f.span.start) else {
            continue;
        };
        for fix in &mut f.fixes {
            *fix = within_limit(cx, m, std::mem::replace(fix, Fix::new("", Vec::new())));
        }
    }
}
