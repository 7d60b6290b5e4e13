//! Lower bounds: Lagrangian and Farley bounds from column generation's duals, the aggregate bound, and their rounding.

use super::colgen::{Engine, Upper};
use super::failure::EnginePhase;
use super::master::{Duals, Master};
use crate::fit::Fleet;
use crate::solve::lp::{LpError, Model, Row};

impl Engine<'_, '_, '_> {
    /// A lower bound on the (residual) LP optimum from duals and an upper bound on every
    /// option's best pattern value `(option, fixed part of the reduced cost, value bound)`; the
    /// larger of two valid bounds:
    /// - Lagrangian: `Σ y·b + Σ_o K_o · min(0, rc_o)`, with `K_o` nodes of option `o` at most
    ///   (what the incumbent's cost buys);
    /// - Farley: `y/θ` is dual feasible for `θ = max(1, max_o (y·a)/c_o)`, so `Σ y·b / θ` is a bound.
    pub(super) fn lagrangian_bound(&self, duals: &Duals, uppers: &[Upper]) -> Option<f64> {
        let m = self.m;
        let mut lagrangian = duals.yb;
        let mut theta: f64 = 1.0;
        let mut farley_ok = true;
        for &(o, fc, upper) in uppers {
            let price = m.fleet.options[o].price.0;
            let rc = fc - upper;
            if rc < 0.0 {
                let k =
                    if price > 0.0 { (self.ub_cost / price).floor() + 1.0 } else { f64::INFINITY };
                lagrangian += k * rc;
            }
            let ya = price - fc + upper;
            if price > 0.0 {
                theta = theta.max(ya / price);
            } else if ya > 1e-12 {
                farley_ok = false;
            }
        }
        let farley = if farley_ok { Some(duals.yb / theta) } else { None };
        let lagrangian = lagrangian.is_finite().then_some(lagrangian);
        match (lagrangian, farley) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

/// A lower bound from pooled capacity: the cheapest fractional set of nodes whose usable
/// capacity, summed, covers every pod's requests in every resource. It relaxes every placement
/// rule (zones, spot, pools, per-node limits), so it holds for any plan.
/// `Ok(None)` when no such bound holds (a free option with capacity).
pub(super) fn aggregate_bound(eng: &Engine<'_, '_, '_>) -> Result<Option<f64>, LpError> {
    let m = eng.m;
    let dims = m.fleet.usable.first().map_or(0, Vec::len);
    let mut demand = vec![0.0f64; dims];
    for it in &m.items {
        for (d, r) in it.req.iter().enumerate() {
            demand[d] += *r as f64 * f64::from(it.demand);
        }
    }
    let mut model = Model {
        costs: m.opts.iter().map(|&o| m.fleet.options[o].price.0).collect(),
        rows: Vec::new(),
    };
    for (d, need) in demand.iter().enumerate() {
        if *need <= 0.0 {
            continue;
        }
        // Rows are scaled to a demand of 1 so that millicores and bytes sit side by side.
        let coefs: Vec<(usize, f64)> = m
            .opts
            .iter()
            .enumerate()
            .map(|(j, &o)| (j, m.fleet.usable[o][d] as f64 / need))
            .filter(|(_, c)| *c > 0.0)
            .collect();
        model.rows.push(Row { coefs, rhs: 1.0 });
    }
    let sol = eng.solve_lp(EnginePhase::AggregateBound, &model)?;
    // The LP's dual objective with non-negative duals scaled down to dual feasibility.
    let mut ya = vec![0.0; model.costs.len()];
    for (r, y) in model.rows.iter().zip(&sol.duals) {
        for (j, a) in &r.coefs {
            ya[*j] += y * a;
        }
    }
    let mut theta: f64 = 1.0;
    for (c, ya) in model.costs.iter().zip(ya) {
        if *c > 0.0 {
            theta = theta.max(ya / c);
        } else if ya > 1e-12 {
            return Ok(None);
        }
    }
    let yb: f64 = model.rows.iter().zip(&sol.duals).map(|(r, y)| y * r.rhs).sum();
    Ok(Some(yb / theta))
}

/// How a bound becomes a proof: rounding it up to the next cost a plan can have, and the test
/// that a cost meets it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Proof {
    /// When every kept option's price is a whole multiple of the cheapest: that price.
    pub(super) unit: Option<f64>,
}

impl Proof {
    /// The proof rule for the master's kept options.
    pub(super) fn of(fleet: &Fleet<'_>, m: &Master<'_, '_>) -> Proof {
        Proof { unit: price_unit(fleet, m) }
    }

    /// The bound rounded up to a multiple of the price unit (any plan costs such a multiple).
    pub(super) fn round(&self, b: f64) -> f64 {
        match self.unit {
            Some(g) => ((b / g) - 1e-6).ceil() * g,
            None => b,
        }
    }

    /// True when cost `c` meets bound `b` (within rounding): the plan is optimal.
    pub(super) fn proven(c: f64, b: Option<f64>) -> bool {
        b.is_some_and(|b| c <= b + 1e-6 * c.max(1.0))
    }
}

/// When every kept option's price is a whole multiple of the cheapest, any plan costs a multiple of it.
fn price_unit(fleet: &Fleet<'_>, m: &Master<'_, '_>) -> Option<f64> {
    let prices: Vec<f64> = m.opts.iter().map(|&o| fleet.options[o].price.0).collect();
    let g = prices.iter().copied().fold(f64::INFINITY, f64::min);
    if g.is_nan() || g <= 0.0 || g.is_infinite() {
        return None;
    }
    prices.iter().all(|p| ((p / g) - (p / g).round()).abs() < 1e-9).then_some(g)
}
