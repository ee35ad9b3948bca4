//! outreach-lsp: a linter and language server for outreach message templates.
//!
//! The core (`model`, `rules`, `lint`, `config`) knows nothing about LSP: text in, findings with byte
//! spans out. `server` maps it to LSP; `cli` to a terminal and CI.

pub(crate) mod analysis;
pub mod cli;
pub mod config;
pub mod contacts;
pub mod finding;
pub(crate) mod insight;
pub mod language;
pub mod lint;
pub mod model;
pub(crate) mod phrases;
pub mod project;
pub mod rules;
pub mod server;
pub(crate) mod suppression;
pub mod text;
pub mod workspace;

pub use config::Config;
pub use finding::{Edit, Finding, Fix, Severity};
pub use lint::{lint, Inputs, LintResult};
