//! The kplan browser app: the whole engine runs in the page, with no server.
//!
//! - [`state`]: the app's state and its reducer (pure, tested natively): the scenario as an
//!   editable document, checked on every edit, and the results of the solver's jobs.
//! - [`protocol`] and [`engine`]: the jobs the web worker runs (plan, compare, commit) and what it
//!   answers; `engine` is plain Rust, so the worker's answers are tested natively too.
//! - [`share`]: the scenario compressed into the URL fragment.
//! - [`ui`]: the Yew components and the browser glue (worker, storage, downloads).

#![forbid(unsafe_code)]

pub mod engine;
pub mod protocol;
pub mod share;
pub mod state;
pub mod ui;
