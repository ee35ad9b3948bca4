//! Output of `check`: picks a format and holds what the formats share (positions, paths, the summary
//! line). Each format lives in its own file under `output/`; docs/ci.md describes every one's schema.

mod concise;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod rdjson;
mod sarif;
mod statistics;

use std::io::{self, Write};

use super::check::Checked;
use super::{ColorWhen, Format};
use crate::finding::{Finding, Severity};
use crate::text::{line_col_chars, LineIndex};

/// What `check` prints, chosen by `--format`, `--statistics` and `--quiet`.
pub struct Choice {
    pub format: Format,
    pub color: ColorWhen,
    pub statistics: bool,
    pub quiet: bool,
}

pub fn write(choice: &Choice, checked: &[Checked]) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if choice.quiet {
        return writeln!(out, "{}", summary_line(checked));
    }
    if choice.statistics {
        return match choice.format {
            Format::Json => statistics::json(&mut out, checked),
            _ => statistics::text(&mut out, checked),
        };
    }
    match choice.format {
        Format::Human => {
            drop(out);
            human::write(checked, choice.color)
        }
        Format::Json => json::write(&mut out, checked),
        Format::Sarif => sarif::write(&mut out, checked),
        Format::Github => github::write(&mut out, checked),
        Format::Gitlab => gitlab::write(&mut out, checked),
        Format::Junit => junit::write(&mut out, checked),
        Format::Rdjson => rdjson::write(&mut out, checked),
        Format::Concise => concise::write(&mut out, checked),
    }
}

/// Where a finding is: 1-based lines; columns 1-based in chars, and in UTF-8 bytes for formats whose
/// spec counts bytes (rdjson).
#[derive(Debug, Clone, Copy)]
pub struct Spot {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_column: usize,
    pub end_byte_column: usize,
}

impl Spot {
    pub fn of(text: &str, index: &LineIndex, f: &Finding) -> Spot {
        let (line, column) = line_col_chars(text, index, f.span.start);
        let (end_line, end_column) = line_col_chars(text, index, f.span.end);
        let byte_col = |offset: usize| {
            let offset = crate::text::floor_char_boundary(text, offset);
            offset - index.line_start(index.line_of(offset)) + 1
        };
        Spot {
            line,
            column,
            end_line,
            end_column,
            byte_column: byte_col(f.span.start),
            end_byte_column: byte_col(f.span.end),
        }
    }
}

/// Every finding of every file with its position, in file order.
pub fn located(checked: &[Checked]) -> Vec<(&Checked, &Finding, Spot)> {
    let mut all = Vec::new();
    for c in checked {
        if c.findings.is_empty() {
            continue;
        }
        let index = LineIndex::new(&c.text);
        for f in &c.findings {
            all.push((c, f, Spot::of(&c.text, &index, f)));
        }
    }
    all
}

/// A path as CI tools want it: forward slashes, no leading `./` (they resolve it from the repo root).
pub fn repo_path(p: &std::path::Path) -> String {
    let s = p.display().to_string().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// One line for messages that must fit on one (annotations, quickfix lines).
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// "No problems found in N templates." or "Found N problems in M of N templates: …".
pub fn summary_line(checked: &[Checked]) -> String {
    let mut counts = [0usize; 4];
    for f in checked.iter().flat_map(|c| &c.findings) {
        counts[f.severity as usize] += 1;
    }
    let total: usize = counts.iter().sum();
    let files_with = checked.iter().filter(|c| !c.findings.is_empty()).count();
    if total == 0 {
        format!(
            "No problems found in {} template{}.",
            checked.len(),
            plural(checked.len())
        )
    } else {
        format!(
            "Found {total} problem{} in {files_with} of {} template{}: {} error{}, {} warning{}, {} info.",
            plural(total),
            checked.len(),
            plural(checked.len()),
            counts[Severity::Error as usize],
            plural(counts[Severity::Error as usize]),
            counts[Severity::Warning as usize],
            plural(counts[Severity::Warning as usize]),
            counts[Severity::Info as usize] + counts[Severity::Hint as usize],
        )
    }
}
