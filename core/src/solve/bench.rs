//! The engine's hot paths, exposed for the criterion benches (feature `test-support`).

use super::{Backend, LpError, SolveError, exact, ffd, precheck};
use crate::fit::Fleet;
use crate::scenario::Scenario;

/// Which hot path to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HotPath {
    /// Build the master over the greedy plan's columns and solve its LP once.
    MasterLp,
    /// One round of column generation: the master LP, then pricing every node option.
    PricingRound,
}

/// Why a hot path could not run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BenchError {
    /// The scenario has no plan (or the greedy packer found none).
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// The LP backend failed.
    #[error(transparent)]
    Lp(#[from] LpError),
}

/// Runs one hot path on a scenario (node options, the greedy plan and the master are built
/// first, as the engine does); returns the LP value or the pool size after the round.
pub fn run(scenario: &Scenario, backend: Backend, path: HotPath) -> Result<f64, BenchError> {
    let options = scenario.node_options().output;
    let fleet = Fleet::new(scenario, &options);
    precheck(&fleet)?;
    let ffd_nodes = ffd::pack(&fleet)?;
    Ok(exact::hot_path(&fleet, &ffd_nodes, backend, path == HotPath::PricingRound)?)
}
