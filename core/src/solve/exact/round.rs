//! Integer plans from the LP: rounding down, and dives that fix columns and re-solve the residual.
//!
//! A plain dive first; then, with whole-unit prices and no proof yet, a guarded one whose
//! target is the rounded root bound: a fix that pushes the residual LP above it is undone, its
//! column is made tabu, and a single column is fixed instead (a limited backtrack). The two
//! reach different optima.

use super::bounds::Proof;
use super::colgen::{CgOutcome, Engine};
use super::failure::EnginePhase;
use super::incumbent::{Incumbent, Source};
use super::items::expand;
use super::master::{Column, Fixed};

/// floor(x + ε) copies of every column.
pub(super) fn round_down(pool: &[Column], x: &[f64]) -> Vec<(Column, u32)> {
    x.iter()
        .enumerate()
        .filter_map(|(j, &v)| {
            let k = (v + 1e-6).floor();
            (k >= 1.0).then(|| (pool[j].clone(), k as u32))
        })
        .collect()
}

/// The plain dive, then the guarded one, each until the incumbent is proven optimal or time runs out.
pub(super) fn dives(
    eng: &mut Engine<'_, '_, '_>,
    root: &CgOutcome,
    bound: Option<f64>,
    proof: Proof,
    best: &mut Incumbent,
) {
    for guarded in [false, true] {
        if Proof::proven(best.cost, bound)
            || eng.out_of_time()
            || eng.out_of_work()
            || (guarded && proof.unit.is_none())
        {
            break;
        }
        let mut dive = Dive {
            target: bound.filter(|_| guarded),
            bound,
            proof,
            fixed: Fixed::default(),
            x: root.x.clone(),
            tabu: Vec::new(),
            single: false,
        };
        for _step in 0..eng.budgets.dive_steps {
            if eng.out_of_time() || eng.out_of_work() || dive.tabu.len() > eng.budgets.dive_tabu {
                break;
            }
            eng.stats.dive_steps += 1;
            if !dive.step(eng, best) {
                break;
            }
        }
    }
}

/// One dive in progress.
struct Dive {
    /// The guarded dive's target (the rounded root bound); `None` for the plain dive.
    target: Option<f64>,
    /// The root bound, to stop once the incumbent meets it.
    bound: Option<f64>,
    proof: Proof,
    /// The columns fixed so far, with their copies.
    fixed: Fixed,
    /// The residual LP's solution over the pool.
    x: Vec<f64>,
    /// Columns whose fixing lost the target.
    tabu: Vec<Column>,
    /// Fix a single column next (after a backtrack).
    single: bool,
}

impl Dive {
    /// The columns to fix next: every column at one copy or more (rounded down), or else the
    /// largest fractional one (one copy). Empty when no column is left.
    fn next_fixes(&self, pool: &[Column]) -> Vec<(Column, u32)> {
        let mut by_x: Vec<(usize, f64)> = self
            .x
            .iter()
            .copied()
            .enumerate()
            .filter(|(j, v)| *v > 1e-9 && !self.tabu.contains(&pool[*j]))
            .collect();
        by_x.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut to_fix: Vec<(Column, u32)> = Vec::new();
        if !self.single {
            for &(j, v) in &by_x {
                let k = (v + 1e-6).floor();
                if k >= 1.0 {
                    to_fix.push((pool[j].clone(), k as u32));
                }
            }
        }
        if to_fix.is_empty()
            && let Some(&(j, _)) = by_x.first()
        {
            to_fix.push((pool[j].clone(), 1));
        }
        to_fix
    }

    /// One step: fix, re-solve the residual, offer the rounded result; false when the dive ends.
    fn step(&mut self, eng: &mut Engine<'_, '_, '_>, best: &mut Incumbent) -> bool {
        let m = eng.m;
        let to_fix = self.next_fixes(&eng.pool);
        if to_fix.is_empty() {
            return false;
        }
        let saved = self.fixed.clone();
        for (c, k) in &to_fix {
            match self.fixed.cols.iter_mut().find(|(fc, _)| fc == c) {
                Some(e) => e.1 += k,
                None => self.fixed.cols.push((c.clone(), *k)),
            }
        }
        let fixed_cost: f64 = self.fixed.cols.iter().map(|(c, n)| f64::from(*n) * m.cost(c)).sum();
        if fixed_cost >= best.cost - 1e-9 {
            return false;
        }
        let rounds = eng.budgets.dive_rounds;
        let cg = match eng.column_generation(&self.fixed, rounds, EnginePhase::Dive) {
            Ok(cg) => cg,
            Err(e) => {
                eng.failed(EnginePhase::Dive, e);
                return false;
            }
        };
        if let (Some(t), Some(lb)) = (self.target, cg.bound)
            && self.proof.round(fixed_cost + lb) > t + 1e-6
        {
            // This fix loses the target: undo it.
            eng.stats.dive_backtracks += 1;
            self.fixed = saved;
            if to_fix.len() > 1 || !self.single {
                self.single = true;
            } else {
                self.tabu.push(to_fix[0].0.clone());
            }
            return true;
        }
        self.single = false;
        self.x = cg.x;
        let mut cand = self.fixed.cols.clone();
        cand.extend(round_down(&eng.pool, &self.x));
        best.offer(m, expand(m, &cand), Source::Dive, &mut eng.stats);
        if Proof::proven(best.cost, self.bound) {
            return false;
        }
        if let Some(b) = cg.bound
            && fixed_cost + b >= best.cost - 1e-6
        {
            return false;
        }
        !self.x.iter().all(|v| *v < 1e-9)
    }
}
