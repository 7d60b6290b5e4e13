//! kplan-core plans the capacity and the cost of Kubernetes clusters.
//!
//! Scenario (workloads, catalog choice, policies) + embedded instance catalogs → the cheapest
//! set of nodes that runs everything, a proven lower bound on that cost, and the money explained.
//!
//! The crate is pure: it reads no files, no clock and no environment, and builds for
//! `wasm32-unknown-unknown`. The caller supplies text, a time budget and a clock.
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod catalog;
pub mod cost;
pub mod current;
pub mod diag;
pub mod examples;
pub mod explain;
pub mod fit;
pub mod input;
pub mod money;
pub mod overhead;
pub mod plan;
pub mod policy;
pub mod quantity;
pub mod query;
pub mod report;
pub mod resources;
pub mod rightsize;
pub mod scenario;
pub mod solve;
pub mod whatif;
pub mod workload;
