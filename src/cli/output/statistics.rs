//! `--statistics`: how many findings each rule produced, most first (ties by rule id), then the summary
//! line; with `--format json`, an array of `{rule, severity, count}`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::super::check::Checked;
use crate::finding::Severity;

/// (rule, highest severity seen, count), most frequent first.
fn counts(checked: &[Checked]) -> Vec<(&'static str, Severity, usize)> {
    let mut by_rule: BTreeMap<&'static str, (Severity, usize)> = BTreeMap::new();
    for f in checked.iter().flat_map(|c| &c.findings) {
        let e = by_rule.entry(f.rule.as_str()).or_insert((f.severity, 0));
        e.0 = e.0.max(f.severity);
        e.1 += 1;
    }
    let mut rows: Vec<_> = by_rule.into_iter().map(|(r, (s, n))| (r, s, n)).collect();
    // Stable sort keeps the BTreeMap's rule order among equal counts.
    rows.sort_by_key(|r| std::cmp::Reverse(r.2));
    rows
}

pub fn text(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let rows = counts(checked);
    let width = rows
        .iter()
        .map(|r| r.2.to_string().len())
        .max()
        .unwrap_or(1);
    for (rule, severity, n) in rows {
        writeln!(out, "{n:>width$}  {:<8} {rule}", severity.as_str())?;
    }
    writeln!(out, "{}", super::summary_line(checked))
}

pub fn json(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let rows: Vec<_> = counts(checked)
        .into_iter()
        .map(|(rule, severity, n)| {
            serde_json::json!({"rule": rule, "severity": severity.as_str(), "count": n})
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)
}
