//! outreach-lsp: a linter and language server for outreach message templates.
//!
//! The core (`model`, `rules`, `lint`, `config`) knows nothing about LSP: text in, findings with byte
//! spans out. `server` maps it to LSP; `cli` to a terminal and CI.

pub mod cli;
pub mod config;
pub mod contacts;
pub mod finding;
pub mod insight;
pub mod lint;
pub mod model;
pub mod phrases;
pub mod project;
pub mod rules;
pub mod server;
pub mod suppression;
pub mod text;
pub mod workspace;

pub use config::Config;
pub use finding::{Edit, Finding, Fix, Severity};
pub use lint::{lint, LintResult};
