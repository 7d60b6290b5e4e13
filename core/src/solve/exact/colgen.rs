//! Column generation: the master LP, then pricing every kept option by a knapsack, until no column prices out.
//!
//! Options that price the same items at the same values share one sorted item set. Pricing is
//! heuristic first (bounded branch and bound on small problems, whose maximal columns the dive
//! needs; greedy fills on large ones), then exact branch and bound to certify when the
//! heuristic finds nothing (on mid-size problems, in the certification pass after the integer
//! phases only); a knapsack in which one dimension binds is solved exactly by dynamic
//! programming instead (few options only). Every option's value bound is valid in every round,
//! so every round gives a Lagrangian bound. Extra columns (the best pattern with one pod of a valuable item
//! forced in) widen the pool per round.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use super::failure::{self, EngineFailure, EnginePhase};
use super::master::{Column, Duals, Fixed, Master};
use super::stats::EngineStats;
use crate::solve::knapsack::{self, KItem, KResult, Prepared};
use crate::solve::lp::{self, LpError, LpSolution, Model};
use crate::solve::{Backend, Budgets, Clock};

/// Reduced costs above `-RC_TOL × price` count as zero (interior-point duals are accurate to
/// about 1e-8): a numerical tolerance, not a budget.
const RC_TOL: f64 = 1e-7;

/// What the column generation reached.
pub(super) struct CgOutcome {
    pub(super) x: Vec<f64>,
    /// The best Lagrangian bound found (cost of the residual problem), if any round certified one.
    pub(super) bound: Option<f64>,
    pub(super) rounds: usize,
    pub(super) lp_value: f64,
}

/// Engine state shared by the phases: the column pool, the backend, the clock and the counters.
pub(crate) struct Engine<'m, 'f, 'a> {
    pub(super) m: &'m Master<'f, 'a>,
    pub(super) pool: Vec<Column>,
    /// The pool's columns, for the test that a column is new.
    in_pool: BTreeSet<Column>,
    pub(super) backend: Backend,
    pub(super) clock: &'m dyn Clock,
    pub(super) deadline: Option<f64>,
    /// How much work each phase may do.
    pub(super) budgets: Budgets,
    /// An upper bound on the optimal cost (for the Lagrangian node-count bound).
    pub(super) ub_cost: f64,
    pub(crate) stats: EngineStats,
    pub(crate) timed_out: bool,
    /// The phases whose LP or MILP failed.
    pub(crate) failures: Vec<EngineFailure>,
    /// The phase a test makes fail (never outside tests).
    pub(super) forced: Option<EnginePhase>,
    /// LP work done so far ([`work`] of every LP solved, summed).
    lp_work: Cell<u64>,
    /// The LP work this input may use ([`Budgets::lp_work_for`]; unbounded under a time limit).
    pub(super) lp_budget: u64,
    /// Exact pricing certifies every round the heuristic finds nothing in, whatever the size
    /// (the certification pass after the integer phases).
    pub(super) certify: bool,
}

/// The pricing set-up of one round: item sets shared by options with the same key, and per
/// kept option (in order) its fleet index, the fixed part of its reduced cost and its set.
struct Pricing {
    groups: Vec<Vec<KItem>>,
    opt_group: Vec<(usize, f64, usize)>,
}

/// A column that prices out: (reduced cost, option, item set, the knapsack's packing).
type Found = (f64, usize, usize, KResult);

/// Per kept option: (option, fixed part of its reduced cost, a bound on its best pattern's value).
pub(super) type Upper = (usize, f64, f64);

/// A priced column and its reduced cost.
type Priced = (f64, Column);

impl<'m, 'f, 'a> Engine<'m, 'f, 'a> {
    /// An engine over `m` with an empty pool; `ub_cost` is the incumbent's cost.
    pub(super) fn new(
        m: &'m Master<'f, 'a>,
        backend: Backend,
        clock: &'m dyn Clock,
        deadline: Option<f64>,
        budgets: Budgets,
        ub_cost: f64,
    ) -> Engine<'m, 'f, 'a> {
        Engine {
            m,
            pool: Vec::new(),
            in_pool: BTreeSet::new(),
            backend,
            clock,
            deadline,
            budgets,
            ub_cost,
            stats: EngineStats::default(),
            timed_out: false,
            failures: Vec::new(),
            forced: None,
            lp_work: Cell::new(0),
            // A time limit bounds the LP work by the clock instead.
            lp_budget: if deadline.is_some() {
                u64::MAX
            } else {
                budgets.lp_work_for(m.fleet.scenario.n_pods())
            },
            certify: false,
        }
    }

    /// True when the problem is past `small_pricing` (priced by greedy fills) and within
    /// `certify_pricing`: the certification pass runs on it.
    pub(super) fn may_certify(&self) -> bool {
        let size = self.m.opts.len() * self.m.items.len();
        size > self.budgets.small_pricing && size <= self.budgets.certify_pricing
    }

    /// LP work done so far.
    pub(super) fn lp_work(&self) -> u64 {
        self.lp_work.get()
    }

    /// True when an LP of `model`'s size still fits in the LP work budget.
    pub(super) fn affordable(&self, model: &Model) -> bool {
        self.lp_work.get() + work(model) <= self.lp_budget
    }

    /// Spends `work` of the LP work budget when it is left; false (and nothing spent) when not.
    pub(super) fn charge(&self, work: u64) -> bool {
        if self.lp_work.get() + work > self.lp_budget {
            return false;
        }
        self.lp_work.set(self.lp_work.get() + work);
        true
    }

    /// True once the LP work budget is spent: column generation and the dives stop.
    pub(super) fn out_of_work(&self) -> bool {
        self.lp_work.get() >= self.lp_budget
    }

    /// Solves an LP of `phase` (or fails, when a test forces that phase to).
    pub(super) fn solve_lp(
        &self,
        phase: EnginePhase,
        model: &Model,
    ) -> Result<LpSolution, LpError> {
        if self.forced == Some(phase) {
            return Err(LpError::Forced);
        }
        self.lp_work.set(self.lp_work.get() + work(model));
        lp::solve_lp(model, self.backend)
    }

    /// Records that `phase` failed; the plan will carry a warning naming it.
    pub(super) fn failed(&mut self, phase: EnginePhase, error: LpError) {
        failure::record(&mut self.failures, phase, error);
    }

    /// True (and remembered) once the deadline has passed.
    pub(super) fn out_of_time(&mut self) -> bool {
        if let Some(d) = self.deadline
            && self.clock.now() >= d
        {
            self.timed_out = true;
        }
        self.timed_out
    }

    /// True once the deadline has passed (without remembering it as a time-out).
    pub(super) fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| self.clock.now() >= d)
    }

    /// Adds a column unless the pool has it; true when added.
    pub(super) fn add_column(&mut self, col: Column) -> bool {
        if !self.in_pool.insert(col.clone()) {
            return false;
        }
        self.pool.push(col);
        true
    }

    /// Reduced costs above `-tol` count as zero for option `o`.
    fn tol(&self, o: usize) -> f64 {
        RC_TOL * self.m.fleet.options[o].price.0.max(1e-3)
    }

    /// Column generation on the residual problem left by `fixed`, for at most `max_rounds`
    /// rounds, as part of `phase` (the root or a dive).
    pub(super) fn column_generation(
        &mut self,
        fixed: &Fixed,
        max_rounds: usize,
        phase: EnginePhase,
    ) -> Result<CgOutcome, LpError> {
        let m = self.m;
        let rows = m.rows();
        let residual = m.residual(fixed);
        let mut bound: Option<f64> = None;
        let mut rounds = 0;
        let mut last: Option<CgOutcome> = None;
        loop {
            rounds += 1;
            self.stats.cg_rounds += 1;
            let model = m.model(&rows, &self.pool, fixed);
            if let Some(out) = last.take()
                && !self.affordable(&model)
            {
                // The next round's LP would pass the LP work budget: stop with this one.
                return Ok(out);
            }
            let sol = self.solve_lp(phase, &model)?;
            let lp_value: f64 = sol.x.iter().zip(&model.costs).map(|(x, c)| x * c).sum();
            let duals = m.split_duals(&rows, &sol.duals, fixed);
            let (new_cols, uppers) = self.price(&duals, &residual);
            if let Some(lb) = self.lagrangian_bound(&duals, &uppers) {
                bound = Some(bound.map_or(lb, |b: f64| b.max(lb)));
            }
            let out = CgOutcome { x: sol.x, bound, rounds, lp_value };
            if new_cols.is_empty()
                || self.out_of_time()
                || self.out_of_work()
                || rounds >= max_rounds
            {
                return Ok(out);
            }
            if self.add_best(new_cols) == 0 {
                // Every priced column is already in the master: converged within tolerance.
                return Ok(out);
            }
            last = Some(out);
        }
    }

    /// Adds the best priced columns (at most a round's worth); returns how many were new.
    fn add_best(&mut self, mut new_cols: Vec<Priced>) -> usize {
        new_cols.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        self.stats.last_min_rc = Some(new_cols[0].0);
        let mut added = 0;
        for (_, c) in new_cols.into_iter().take(self.budgets.max_new_columns) {
            if self.add_column(c) {
                added += 1;
            }
        }
        *self.stats.columns.get_or_insert(0) += added as u64;
        added
    }

    /// One pricing round at these duals: the columns that price out (with their reduced costs)
    /// and, per kept option, `(option, fixed part of the reduced cost, value bound)`.
    fn price(&mut self, duals: &Duals, residual: &[u32]) -> (Vec<Priced>, Vec<Upper>) {
        let m = self.m;
        let small = m.opts.len() * m.items.len() <= self.budgets.small_pricing;
        let Pricing { groups, opt_group } = pricing(m, duals, residual);
        let prepared: Vec<Prepared<'_>> = groups.iter().map(|g| Prepared::new(g)).collect();
        // The best known upper bound on a pattern's value, per option.
        let mut uppers: Vec<Upper> = Vec::with_capacity(m.opts.len());
        let mut found: Vec<Found> = Vec::new();
        let mut candidates: Vec<(usize, f64, usize)> = Vec::new();
        for (k, &(o, fc, g)) in opt_group.iter().enumerate() {
            let cap = &m.fleet.usable[o];
            let lim = &m.fleet.lim_caps[o];
            let ub = prepared[g].upper_bound(cap, lim);
            // `uppers[k]` belongs to `opt_group[k]`: candidates refer to it by index.
            uppers.push((o, fc, ub));
            if fc - ub >= -1e-9 {
                continue;
            }
            if let Some(r) = self.price_by_dp(&groups[g], o) {
                // Exact: the option's bound is its best pattern's value.
                uppers[k].2 = uppers[k].2.min(r.upper);
                if fc - r.value < -self.tol(o) {
                    found.push((fc - r.value, o, g, r));
                }
                continue;
            }
            let r = if small {
                knapsack::solve(&groups[g], cap, lim, self.budgets.heuristic_knapsack_nodes)
            } else {
                prepared[g].greedy(cap, lim)
            };
            if fc - r.value < -self.tol(o) {
                found.push((fc - r.value, o, g, r));
            } else {
                candidates.push((k, fc, g));
            }
        }
        // Exact pricing certifies the bound (or finds what the heuristic missed); on large
        // problems the fractional bounds certify alone, except in the certification pass.
        if found.is_empty() && (small || self.certify) {
            found = self.price_exactly(&groups, &candidates, &mut uppers);
        }
        let new_cols = self.with_extra_columns(found, &groups, &prepared, small);
        (new_cols, uppers)
    }

    /// The exact pricing of option `o` by dynamic programming, when it applies: few kept options
    /// ([`Budgets::dp_max_options`]), one binding dimension and a table within
    /// [`Budgets::dp_knapsack_cells`].
    fn price_by_dp(&mut self, items: &[KItem], o: usize) -> Option<KResult> {
        if self.m.opts.len() > self.budgets.dp_max_options {
            return None;
        }
        let (cap, lim) = (&self.m.fleet.usable[o], &self.m.fleet.lim_caps[o]);
        let r = knapsack::dp(items, cap, lim, self.budgets.dp_knapsack_cells)?;
        self.stats.dp_pricings += 1;
        Some(r)
    }

    /// Branch and bound for every candidate option the heuristic did not price out; tightens
    /// their value bounds and returns what prices out.
    fn price_exactly(
        &mut self,
        groups: &[Vec<KItem>],
        candidates: &[(usize, f64, usize)],
        uppers: &mut [Upper],
    ) -> Vec<Found> {
        let m = self.m;
        let mut found = Vec::new();
        for &(k, fc, g) in candidates {
            let o = uppers[k].0;
            let cap = &m.fleet.usable[o];
            let lim = &m.fleet.lim_caps[o];
            let r = knapsack::solve(&groups[g], cap, lim, self.budgets.exact_knapsack_nodes);
            self.stats.exact_pricings += 1;
            uppers[k].2 = uppers[k].2.min(r.upper);
            if fc - r.value < -self.tol(o) {
                found.push((fc - r.value, o, g, r));
            }
        }
        found
    }

    /// The priced columns plus extra ones: the best pattern with one pod of each of the most
    /// valuable items forced in; for every option on small problems, for the best few on large ones.
    fn with_extra_columns(
        &self,
        mut found: Vec<Found>,
        groups: &[Vec<KItem>],
        prepared: &[Prepared<'_>],
        small: bool,
    ) -> Vec<Priced> {
        let m = self.m;
        let mut new_cols: Vec<Priced> = Vec::new();
        found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let extra_options = if small { found.len() } else { self.budgets.extra_options };
        for (k, (rc, o, g, r)) in found.into_iter().enumerate() {
            if k < extra_options {
                let cap = &m.fleet.usable[o];
                let lim = &m.fleet.lim_caps[o];
                let fc = rc + r.value;
                let items = &groups[g];
                let mut by_value: Vec<usize> = (0..items.len()).collect();
                by_value
                    .sort_by(|&a, &b| items[b].value.total_cmp(&items[a].value).then(a.cmp(&b)));
                for i in by_value
                    .into_iter()
                    .filter(|&i| !r.counts.iter().any(|(id, _)| *id == items[i].id))
                    .take(self.budgets.extra_columns)
                {
                    let by_dp = if m.opts.len() <= self.budgets.dp_max_options {
                        knapsack::dp_forced(items, cap, lim, i, self.budgets.dp_knapsack_cells)
                    } else {
                        None
                    };
                    let x = if by_dp.is_some() {
                        by_dp
                    } else if small {
                        let nodes = self.budgets.heuristic_knapsack_nodes;
                        knapsack::solve_forced(items, cap, lim, i, nodes)
                    } else {
                        prepared[g].greedy_forced(cap, lim, items[i].id)
                    };
                    if let Some(x) = x
                        && fc - x.value < -self.tol(o)
                    {
                        new_cols.push((fc - x.value, Column { opt: o, counts: x.counts }));
                    }
                }
            }
            new_cols.push((rc, Column { opt: o, counts: r.counts }));
        }
        new_cols
    }
}

/// The work of solving an LP: its nonzeros and columns, times its rows over a hundred (an
/// interior-point iteration factors a system whose cost grows with both).
pub(super) fn work(model: &Model) -> u64 {
    let nonzeros: usize = model.rows.iter().map(|r| r.coefs.len()).sum();
    let size = (nonzeros + model.costs.len()) as u64;
    (size.saturating_mul(model.rows.len() as u64) / WORK_ROWS).max(1)
}

/// Rows per unit of the LP work measure's row factor.
const WORK_ROWS: u64 = 100;

/// Groups the kept options by what they price (the same items at the same values share one
/// item set) and computes each option's fixed part of the reduced cost.
fn pricing(m: &Master<'_, '_>, duals: &Duals, residual: &[u32]) -> Pricing {
    let mut keys: BTreeMap<Vec<(usize, u64, u32)>, usize> = BTreeMap::new();
    let mut groups: Vec<Vec<KItem>> = Vec::new();
    let mut opt_group: Vec<(usize, f64, usize)> = Vec::with_capacity(m.opts.len());
    for &o in &m.opts {
        let key = m.knap_key(o, duals, residual);
        let g = match keys.get(&key) {
            Some(g) => *g,
            None => {
                groups.push(m.knap_items(&key));
                keys.insert(key, groups.len() - 1);
                groups.len() - 1
            }
        };
        opt_group.push((o, m.fixed_cost(o, duals), g));
    }
    Pricing { groups, opt_group }
}
