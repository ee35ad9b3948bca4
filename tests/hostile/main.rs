//! A hostile or broken client, file system and workspace (issue 16): each test drives the spawned
//! binary as a user or a misbehaving client would, with bounded time and memory.

// One copy of the shared test client (its `extra` module is the low-level client both files use).
#[path = "../common/mod.rs"]
mod common;

mod files;
mod protocol;
