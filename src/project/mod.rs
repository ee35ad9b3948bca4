//! The project around a template: which configuration applies to it, which contact list it is
//! checked against, which files of a folder are templates, the workspace index, and the one bounded
//! way every file is read. Used alike by `check`, `preview` and the server, so they agree on all of
//! it. No LSP types here.

pub mod config;
pub mod contacts;
pub mod discover;
pub mod index;
pub mod read;

pub use config::{ConfigResolver, Resolved};
pub use contacts::{ContactLists, TemplateContacts};
pub use index::Workspace;
pub use read::{Allowed, ReadError, TemplateText};

/// Canonical forms of the workspace folders, for [`Allowed::Within`] (a folder that cannot be
/// resolved is kept as given, and then admits nothing it does not lexically hold).
pub fn canonical_roots(roots: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    roots
        .iter()
        .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()))
        .collect()
}
