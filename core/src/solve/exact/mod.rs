//! The exact engine: column generation for a proven lower bound, then integer plans by rounding, diving and MILP.
//!
//! The phases, one module each, in the order [`solve`] runs them:
//! - [`prune`]: dominated node options are dropped (each maps to the option that dominates it);
//! - [`items`]: pods of one shape and set of rules become items (workloads merged when nothing
//!   tells them apart; spread workloads split into per-zone items by round-robin quotas);
//! - [`master`]: a pattern (column) is one node option with item counts; the master LP covers
//!   every item's demand and carries the linear policies (spot share, on-demand floor,
//!   node-pool bounds, two necessary headroom conditions);
//! - [`colgen`]: column generation, pricing a bounded multi-dimensional knapsack per option,
//!   heuristic first and branch and bound to certify;
//! - [`bounds`]: the Lagrangian and Farley bounds of every round and the aggregate bound, a
//!   lower bound on the cost of any plan, rounded up to the next cost a plan can have;
//! - [`round`]: round-down + FFD of the residual, and dives that fix columns and re-solve;
//! - [`polish`]: a node-limited MILP over the generated columns;
//! - [`improve`]: every candidate is repaired with the full rules (floor, spot share, headroom
//!   re-pack, node pools) before it may become the [`Incumbent`], and the final plan is
//!   improved by deleting and shrinking nodes, so the plan returned always passes the verifier.

mod bounds;
mod colgen;
mod duals;
mod failure;
mod improve;
mod incumbent;
mod items;
mod master;
mod polish;
mod prune;
mod round;
pub(crate) mod stats;

use super::{SolveConfig, default_budgets};
use crate::fit::{Fleet, NodeState};
use bounds::Proof;
use colgen::Engine;
pub(crate) use failure::EngineFailure;
pub use failure::EnginePhase;
use incumbent::{Incumbent, Source};
use master::{Fixed, Master};
use stats::EngineStats;

/// The result of the exact engine.
pub(crate) struct ExactOutcome {
    pub(crate) nodes: Vec<NodeState>,
    pub(crate) bound: Option<f64>,
    pub(crate) stats: EngineStats,
    pub(crate) timed_out: bool,
    /// The phases whose LP or MILP failed, in the order they first failed.
    pub(crate) failures: Vec<EngineFailure>,
    /// The root failed, so the nodes are the greedy plan's.
    pub(crate) greedy: bool,
}

impl ExactOutcome {
    fn of(eng: Engine<'_, '_, '_>, best: Incumbent, bound: Option<f64>, greedy: bool) -> Self {
        ExactOutcome {
            nodes: best.nodes,
            bound,
            stats: eng.stats,
            timed_out: eng.timed_out,
            failures: eng.failures,
            greedy,
        }
    }
}

/// Runs the whole pipeline from an FFD incumbent, with the configuration's backend and
/// budgets (the default ones when it names none), until `deadline` on its clock.
pub(crate) fn solve(
    fleet: &Fleet<'_>,
    ffd_nodes: &[NodeState],
    cfg: &SolveConfig<'_>,
    deadline: Option<f64>,
) -> ExactOutcome {
    let (backend, clock) = (cfg.backend, cfg.clock);
    let t_start = clock.now();
    let m = Master::new(fleet);
    let budgets = cfg.budgets.unwrap_or_else(default_budgets);
    let mut best = Incumbent::ffd(fleet, ffd_nodes);
    let mut eng = Engine::new(&m, backend, clock, deadline, budgets, best.cost);
    eng.forced = cfg.forced_failure();
    eng.stats.items = m.items.len() as u64;
    eng.stats.options = m.opts.len() as u64;
    seed(&mut eng, ffd_nodes);
    if m.items.is_empty() {
        return ExactOutcome::of(eng, best, Some(0.0), false);
    }
    let proof = Proof::of(fleet, &m);
    let phase = EnginePhase::ColumnGeneration;
    let root = match eng.column_generation(&Fixed::default(), budgets.root_rounds, phase) {
        Ok(r) => r,
        Err(e) => {
            // The LP backend failed; the greedy plan stands, without a bound.
            eng.stats.lp_error = true;
            eng.failed(phase, e);
            return ExactOutcome::of(eng, best, None, true);
        }
    };
    let t_root = clock.now();
    eng.stats.seconds.root = Some(t_root - t_start);
    eng.stats.root_lp = Some(root.lp_value);
    eng.stats.root_rounds = Some(root.rounds as u64);
    eng.stats.replica_duals = duals::replica_duals(&eng, &root);
    // The aggregate bound (every pod's requests against pooled capacity) is weaker than a
    // converged column generation but holds when the time budget cuts it short.
    let aggregate = bounds::aggregate_bound(&eng).unwrap_or_else(|e| {
        eng.failed(EnginePhase::AggregateBound, e);
        None
    });
    eng.stats.aggregate_bound = aggregate;
    let bound = match (root.bound, aggregate) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
    .map(|b| proof.round(b));
    let rounded = round::round_down(&eng.pool, &root.x);
    best.offer(&m, items::expand(&m, &rounded), Source::Rounding, &mut eng.stats);
    round::dives(&mut eng, &root, bound, proof, &mut best);
    let t_dive = clock.now();
    eng.stats.seconds.dive = Some(t_dive - t_root);
    polish::polish(&mut eng, bound, &mut best);
    let t_milp = clock.now();
    eng.stats.seconds.milp = Some(t_milp - t_dive);
    improve::improve(&eng, &mut best.nodes);
    eng.stats.seconds.improve = Some(clock.now() - t_milp);
    eng.stats.pool = Some(eng.pool.len() as u64);
    ExactOutcome::of(eng, best, bound, false)
}

/// The greedy plan's nodes as the pool's first columns.
fn seed(eng: &mut Engine<'_, '_, '_>, nodes: &[NodeState]) {
    for n in nodes {
        if let Some(c) = items::column_of(eng.m, n) {
            eng.add_column(c);
        }
    }
}

/// One master LP over the greedy plan's columns, or one round of column generation after it:
/// the engine's two hot paths, for benchmarks. Returns the LP value, or the pool size after
/// the round's columns were added.
#[cfg(feature = "test-support")]
pub(crate) fn hot_path(
    fleet: &Fleet<'_>,
    ffd_nodes: &[NodeState],
    backend: super::Backend,
    price: bool,
) -> Result<f64, super::LpError> {
    let m = Master::new(fleet);
    let cost = incumbent::cost(fleet, ffd_nodes);
    let mut eng = Engine::new(&m, backend, &super::NoClock, None, default_budgets(), cost);
    seed(&mut eng, ffd_nodes);
    if price {
        eng.column_generation(&Fixed::default(), 1, EnginePhase::ColumnGeneration)?;
        Ok(eng.pool.len() as f64)
    } else {
        let rows = m.rows();
        let model = m.model(&rows, &eng.pool, &Fixed::default());
        let sol = eng.solve_lp(EnginePhase::ColumnGeneration, &model)?;
        Ok(sol.x.iter().zip(&model.costs).map(|(x, c)| x * c).sum())
    }
}
