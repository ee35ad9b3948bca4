//! What the property tests share: a runner that writes no regression file, and random mixes of every
//! dialect's tag, merge-tag and spintax syntax for the properties that must hold on any input (no
//! panic, spans inside the text on character boundaries), used by the parse (tests/dialects.rs) and
//! conversion (tests/convert.rs) tests.

// Each test binary includes this file and uses part of it.
#![allow(dead_code)]

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Pieces of syntax from every dialect (Liquid, HubL, Handlebars, Mailchimp, spintax, front
/// matter), with words, quotes and multi-byte characters to glue them.
pub const SYNTAX_BITS: &[&str] = &[
    "{",
    "}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{%-",
    "-%}",
    "|",
    "||",
    "*|",
    "|*",
    "#if x",
    "#unless y",
    "/if",
    "/unless",
    "else",
    "else if z",
    "endif",
    "if a",
    "elsif b",
    "unless c",
    "case k",
    "when 'v'",
    "endcase",
    "endunless",
    " ",
    "é",
    "😀",
    "\n",
    "random",
    "RANDOM",
    "fallback|",
    "insert x \"default=d\"",
    "IF:FNAME",
    "ELSE:",
    "END:IF",
    "IFNOT:X",
    "'",
    "\"",
    "-",
    ":",
    "contact.firstname",
    "default(",
    ")",
    "\\",
    "# ",
    "`",
    "<!--",
    "-->",
    "x",
    "==",
    "!=",
    "blank",
    "and",
    "or",
    "contains",
    "| default: ",
    "---\n",
    "dialect: mailchimp\n",
];

/// A runner of `cases` cases; a failure is shrunk and reported, never saved to a file.
pub fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Checks `property` on `cases` texts of up to `max_bits` random pieces of `SYNTAX_BITS`; a
/// failure is shrunk to a small text. Nothing is written to disk (no regression file).
pub fn for_random_syntax(
    cases: u32,
    max_bits: usize,
    property: impl Fn(&str) -> Result<(), TestCaseError>,
) {
    let strategy = prop::collection::vec(prop::sample::select(SYNTAX_BITS), 0..max_bits);
    runner(cases)
        .run(&strategy, |bits| property(&bits.concat()))
        .unwrap();
}
