//! Code shared by the benchmarks (not a benchmark itself: Cargo only discovers `benches/*.rs` and
//! `benches/*/main.rs`). The LSP client is the tests' client, started without parsing every frame.
#![allow(dead_code)]

pub mod corpus;
#[path = "../../tests/common/extra.rs"]
pub mod lsp;
