//! A hostile or broken client, file system and workspace (issue 16): each test drives the spawned
//! binary as a user or a misbehaving client would, with bounded time and memory.

#[path = "../common/extra.rs"]
mod extra;

mod files;
mod protocol;
