//! The MILP polish: an integer program over the generated columns, warm-started from the incumbent and cut at the bound.
//!
//! Its budget is a branch-and-bound node limit (deterministic: the same input gives the same
//! plan on any machine); the time is only a safety net.

use super::bounds::Proof;
use super::colgen::Engine;
use super::failure::EnginePhase;
use super::incumbent::{Incumbent, Source};
use super::items::{column_of, expand};
use super::master::{Column, Fixed};
use crate::solve::Backend;
use crate::solve::lp::{self, LpError, Model, Row};

/// Runs the polish when the pool is small enough and time is left; offers its plan.
pub(super) fn polish(eng: &mut Engine<'_, '_, '_>, bound: Option<f64>, best: &mut Incumbent) {
    let budgets = eng.budgets;
    if Proof::proven(best.cost, bound)
        || eng.out_of_time()
        || eng.pool.len() > budgets.milp_max_columns
    {
        return;
    }
    let seconds =
        eng.deadline.map_or(budgets.milp_safety_seconds, |d| (d - eng.clock.now()).max(0.0));
    if seconds <= budgets.milp_min_seconds {
        return;
    }
    let m = eng.m;
    // Warm start: the best plan's nodes, added to the pool as columns.
    for n in &best.nodes {
        if let Some(c) = column_of(m, n) {
            eng.add_column(c);
        }
    }
    let (model, ub) = milp_model(eng, bound);
    // The MILP's work: its LP's, once per branch-and-bound node it may explore (a fraction of
    // its node limit, `milp_work_factor`); skipped when the LP work budget cannot pay for it.
    let work = super::colgen::work(&model).saturating_mul(budgets.milp_work_factor);
    if !eng.charge(work) {
        return;
    }
    eng.stats.milp_runs += 1;
    let (warm, warm_ok) = warm_start(eng, best, &ub);
    if !warm_ok && eng.backend != Backend::Highs {
        return;
    }
    let solved = if eng.forced == Some(EnginePhase::MilpPolish) {
        Err(LpError::Forced)
    } else {
        lp::solve_milp(&model, &ub, &warm, eng.backend, budgets.milp_nodes, seconds)
    };
    match solved {
        Ok(Some(xs)) => {
            let cols: Vec<(Column, u32)> = xs
                .iter()
                .enumerate()
                .filter(|(_, v)| **v >= 0.5)
                .map(|(j, v)| (eng.pool[j].clone(), v.round() as u32))
                .collect();
            best.offer(m, expand(m, &cols), Source::Milp, &mut eng.stats);
        }
        // The search ended at its limits without a solution: nothing to offer.
        Ok(None) => {}
        Err(e) => eng.failed(EnginePhase::MilpPolish, e),
    }
}

/// The master over the whole pool with integer copies, a cut at the bound, and per-column
/// copy bounds (enough copies to cover an item's demand, or a few for an empty column).
fn milp_model(eng: &Engine<'_, '_, '_>, bound: Option<f64>) -> (Model, Vec<f64>) {
    let m = eng.m;
    let rows = m.rows();
    let mut model = m.model(&rows, &eng.pool, &Fixed::default());
    if let Some(b) = bound {
        model.rows.push(Row {
            coefs: eng.pool.iter().enumerate().map(|(j, c)| (j, m.cost(c))).collect(),
            rhs: b - 1e-6,
        });
    }
    let ub: Vec<f64> = eng
        .pool
        .iter()
        .map(|c| {
            let by_items = c
                .counts
                .iter()
                .map(|(i, k)| {
                    f64::from(m.items[*i].demand).div_euclid(f64::from(*k).max(1.0)) + 1.0
                })
                .fold(0.0, f64::max);
            if c.counts.is_empty() { (m.items.len() as f64).max(4.0) } else { by_items }
        })
        .collect();
    (model, ub)
}

/// The incumbent as copies of pool columns, and whether it is a feasible start (every node
/// maps to a column, within its copy bound). HiGHS takes even a partial start.
fn warm_start(eng: &Engine<'_, '_, '_>, best: &Incumbent, ub: &[f64]) -> (Vec<f64>, bool) {
    let mut warm = vec![0.0; eng.pool.len()];
    let mut mapped = true;
    for n in &best.nodes {
        match column_of(eng.m, n).and_then(|c| eng.pool.iter().position(|p| *p == c)) {
            Some(j) => warm[j] += 1.0,
            None => mapped = false,
        }
    }
    let ok = mapped && warm.iter().zip(ub).all(|(w, u)| w <= u);
    (warm, ok)
}
