//! Code shared by the benchmarks (not a benchmark itself: Cargo only discovers `benches/*.rs` and
//! `benches/*/main.rs`).
#![allow(dead_code)]

pub mod corpus;
pub mod lsp;
