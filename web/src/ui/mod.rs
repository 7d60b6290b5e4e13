//! The Yew components and the browser glue.
//!
//! `app` is the root: tabs, the example menu, the job bar (progress and cancel), and the effects
//! that run jobs in the worker (after a short pause when the document changes), save the
//! scenario in local storage and in the URL fragment. One module per view; `browser` holds every
//! call into the page's APIs (worker, storage, location, downloads, files, the panic screen).

pub mod app;
pub mod browser;
mod catalog;
mod cluster;
mod explain;
mod finance;
mod fmt;
mod intake;
mod plan;
mod rightsize;
mod whatif;
mod workloads;

pub use app::App;
