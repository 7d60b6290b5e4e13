//! The root master LP's cover duals per workload: the LP's price of one more replica, kept for the plan's explanation.
//!
//! Once the root's column generation has converged (no pattern prices out), the master LP is
//! the LP relaxation of the whole problem over every pattern, and the dual of an item's cover
//! row is what one more pod of that item would add to its optimum, per hour. A workload's pods
//! may be split into several items (per zone, when spread); one more replica joins the
//! cheapest of them. The duals are read from one more solve of the converged master, so the
//! engine's own phases are untouched.

use super::EnginePhase;
use super::colgen::{CgOutcome, Engine};
use super::master::{Fixed, RowKind};

/// Per workload (scenario order), the LP price of one more replica in dollars per hour, or
/// `None` for a workload with no replicas; `None` overall when the root did not converge
/// (its rounds or the deadline ran out) or the LP failed.
pub(super) fn replica_duals(
    eng: &Engine<'_, '_, '_>,
    root: &CgOutcome,
) -> Option<Vec<Option<f64>>> {
    if eng.timed_out || root.rounds >= eng.budgets.root_rounds {
        return None;
    }
    let m = eng.m;
    let rows = m.rows();
    let fixed = Fixed::default();
    let model = m.model(&rows, &eng.pool, &fixed);
    let sol = eng.solve_lp(EnginePhase::ColumnGeneration, &model).ok()?;
    let mut cover = vec![0.0; m.items.len()];
    for (k, row) in rows.iter().enumerate() {
        if let RowKind::Cover(i) = *row {
            cover[i] = sol.duals[k].max(0.0) / m.scale(*row);
        }
    }
    Some(
        m.items_of
            .iter()
            .map(|items| items.iter().map(|&i| cover[i]).min_by(f64::total_cmp))
            .collect(),
    )
}
