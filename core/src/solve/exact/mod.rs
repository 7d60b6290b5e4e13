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
//! - greedy incumbents first: every packer of [`crate::solve::greedy`] at every node size, and
//!   the Karpenter model's plan (repaired to kplan's rules), before any LP;
//! - [`lns`]: large-neighbourhood search on the incumbent (nodes freed and their pods re-packed);
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
mod lns;
mod master;
mod polish;
mod prune;
mod round;
pub(crate) use crate::plan::stats;

use super::greedy::{self, GreedyRun};
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

/// Plans to start from besides FFD's.
#[derive(Clone, Debug, Default)]
pub(crate) struct Starts {
    /// Other packers' plans, repaired to the rules before they are offered.
    pub(crate) repair: Vec<Vec<NodeState>>,
    /// Plans that already keep every rule, offered as they are.
    pub(crate) valid: Vec<Vec<NodeState>>,
}

/// Runs the whole pipeline from an FFD incumbent (and the `starts`), with the configuration's
/// backend and budgets (the default ones when it names none), until `deadline` on its clock or
/// the budgets are spent.
pub(crate) fn solve(
    fleet: &Fleet<'_>,
    ffd_nodes: &[NodeState],
    starts: &Starts,
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
    eng.stats.lp_budget = eng.lp_budget;
    if m.items.is_empty() {
        return ExactOutcome::of(eng, best, Some(0.0), false);
    }
    // The greedy packers and the other packers' plans, before any LP: the incumbent when the
    // LP phases cannot run; else offered after them (the LP phases start from FFD, as they
    // search best from the plan they are given).
    let mut greedy_best = Incumbent::ffd(fleet, ffd_nodes);
    let pods = fleet.scenario.n_pods().max(1);
    // The greedy packers and the neighbourhood search do not count inventory limits yet: with
    // count limits they stay out, and FFD, the Karpenter model and the LP phases (which do) run.
    let unlimited = fleet.limits.is_empty();
    let max_runs = if unlimited { (budgets.greedy_placements / pods).max(2) } else { 0 };
    for run in GreedyRun::all(&budgets).into_iter().take(max_runs as usize) {
        if eng.past_deadline() {
            break;
        }
        eng.stats.greedy_runs += 1;
        if let Some(nodes) = greedy::pack(fleet, run, &budgets) {
            greedy_best.offer_valid(fleet, nodes, Source::Greedy, &mut EngineStats::default());
        }
    }
    for start in &starts.repair {
        greedy_best.offer(&m, start.clone(), Source::Greedy, &mut EngineStats::default());
    }
    for start in &starts.valid {
        greedy_best.offer_valid(fleet, start.clone(), Source::Greedy, &mut EngineStats::default());
    }
    seed(&mut eng, ffd_nodes);
    let t_greedy = clock.now();
    eng.stats.seconds.greedy = Some(t_greedy - t_start);
    let proof = Proof::of(fleet, &m);
    // The aggregate bound (every pod's requests against pooled capacity) is weaker than a
    // converged column generation but holds when the budgets cut it short.
    let aggregate = bounds::aggregate_bound(&eng).unwrap_or_else(|e| {
        eng.failed(EnginePhase::AggregateBound, e);
        None
    });
    eng.stats.aggregate_bound = aggregate;
    let root_model = m.model(&m.rows(), &eng.pool, &Fixed::default());
    if Proof::proven(greedy_best.cost, aggregate.map(|b| proof.round(b)))
        || !eng.affordable(&root_model)
    {
        // The greedy plan meets the bound, or the master is too large for the LP budget: the
        // incumbent is improved by local search alone.
        drop(root_model);
        let bound = aggregate.map(|b| proof.round(b));
        finish(&mut eng, &mut best, greedy_best, bound);
        eng.stats.seconds.root = Some(clock.now() - t_greedy);
        return ExactOutcome::of(eng, best, bound, false);
    }
    drop(root_model);
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
    eng.stats.seconds.root = Some(t_root - t_greedy);
    eng.stats.root_lp = Some(root.lp_value);
    eng.stats.root_rounds = Some(root.rounds as u64);
    eng.stats.replica_duals = duals::replica_duals(&eng, &root);
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
    eng.stats.seconds.milp = Some(clock.now() - t_dive);
    let bound = certify(&mut eng, bound, proof, &mut best);
    finish(&mut eng, &mut best, greedy_best, bound);
    ExactOutcome::of(eng, best, bound, false)
}

/// The certification pass of a mid-size problem ([`Engine::may_certify`]): its root column
/// generation stops as soon as the greedy fills find no column, which proves nothing, so once
/// the integer phases are done (they see the pool they always did, so their plans do not
/// change) column generation resumes over the whole pool with exact pricing whenever the
/// greedy fills find nothing. Its round-down is offered as a plan; the bound is the larger of
/// the old and the new.
fn certify(
    eng: &mut Engine<'_, '_, '_>,
    bound: Option<f64>,
    proof: Proof,
    best: &mut Incumbent,
) -> Option<f64> {
    if !eng.may_certify()
        || Proof::proven(best.cost, bound)
        || eng.out_of_time()
        || eng.out_of_work()
    {
        return bound;
    }
    let rounds_before = eng.stats.cg_rounds;
    eng.certify = true;
    let phase = EnginePhase::ColumnGeneration;
    let cg = eng.column_generation(&Fixed::default(), eng.budgets.root_rounds, phase);
    eng.certify = false;
    eng.stats.certify_rounds = eng.stats.cg_rounds - rounds_before;
    let cg = match cg {
        Ok(cg) => cg,
        Err(e) => {
            eng.failed(phase, e);
            return bound;
        }
    };
    let rounded = round::round_down(&eng.pool, &cg.x);
    best.offer(eng.m, items::expand(eng.m, &rounded), Source::Rounding, &mut eng.stats);
    match (bound, cg.bound.map(|b| proof.round(b))) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The last phases: the final deletions and shrinks of the LP phases' plan, the greedy
/// incumbent in its place when that is cheaper, large-neighbourhood search (unless the plan
/// is proven optimal), and the deletions and shrinks once more after it.
fn finish(
    eng: &mut Engine<'_, '_, '_>,
    best: &mut Incumbent,
    greedy: Incumbent,
    bound: Option<f64>,
) {
    let clock = eng.clock;
    let t_start = clock.now();
    improve::improve(eng, &mut best.nodes);
    best.cost = incumbent::cost(eng.m.fleet, &best.nodes);
    if greedy.cost < best.cost - 1e-9 {
        *best = greedy;
        eng.stats.improved_by.record(Source::Greedy);
    }
    let t_lns = clock.now();
    if !Proof::proven(best.cost, bound) && eng.m.fleet.limits.is_empty() {
        lns::search(eng, best);
    }
    let t_improve = clock.now();
    eng.stats.seconds.lns = Some(t_improve - t_lns);
    improve::improve(eng, &mut best.nodes);
    best.cost = incumbent::cost(eng.m.fleet, &best.nodes);
    eng.stats.seconds.improve = Some(clock.now() - t_improve + (t_lns - t_start));
    eng.stats.pool = Some(eng.pool.len() as u64);
    eng.stats.lp_work = eng.lp_work();
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
