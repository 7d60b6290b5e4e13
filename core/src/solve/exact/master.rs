//! The master problem: rows (cover, spot share, floor, node-pool bounds, count limits, headroom), columns, scaling, duals and pricing keys.
//!
//! A pattern (column) is one node option with item counts. The master LP covers every item's
//! demand and carries the linear policies: the spot share, the on-demand floor, node-pool
//! bounds, count limits (inventory: at most so many nodes of a type, a type in a zone), and two necessary headroom conditions (zone: the other zones' free capacity holds
//! each zone's pods; node: the total free capacity is at least the usable capacity of the
//! smallest node able to hold the largest pod). Every row is `≥`; rows in millicores and bytes
//! are scaled for the interior-point solver and their duals scaled back.

use super::items::{self, Item, Items};
use super::prune;
use crate::fit::Fleet;
use crate::policy::{Headroom, PPM};
use crate::solve::ffd::pool_of;
use crate::solve::knapsack::KItem;
use crate::solve::lp::{Model, Row};

/// A pattern: one node option and item counts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Column {
    pub(crate) opt: usize,
    pub(crate) counts: Vec<(usize, u32)>,
}

/// The problem in master form.
pub(crate) struct Master<'f, 'a> {
    pub(crate) fleet: &'f Fleet<'a>,
    /// Options kept after pruning dominated ones (fleet indices).
    pub(crate) opts: Vec<usize>,
    /// For every fleet option, the kept option that dominates it (or itself).
    pub(crate) dominator: Vec<Option<usize>>,
    pub(crate) items: Vec<Item>,
    /// Item indices per workload.
    pub(crate) items_of: Vec<Vec<usize>>,
    /// Floor rows: (workload, min non-spot replicas).
    pub(crate) floors: Vec<(usize, u32)>,
    /// Headroom dimensions (indices into the fleet dims).
    pub(crate) hdims: Vec<usize>,
    /// Node headroom right-hand side per headroom dimension.
    pub(crate) node_k: Vec<u64>,
    pub(crate) spot_rows: bool,
    pub(crate) share: f64,
    pub(crate) pool: Vec<Option<usize>>,
}

/// Which rows the master has, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RowKind {
    Cover(usize),
    SpotShare,
    Floor(usize),
    PoolMax(usize),
    PoolMin(usize),
    /// At most `max_count` nodes of the options a count limit (inventory) covers.
    LimitMax(usize),
    Zone(usize, usize),
    Node(usize),
}

/// Totals of a set of fixed columns, to subtract from right-hand sides.
#[derive(Clone, Debug, Default)]
pub(super) struct Fixed {
    pub(super) cols: Vec<(Column, u32)>,
}

impl<'f, 'a> Master<'f, 'a> {
    /// The master of a fleet: kept options, items, floor rows and the headroom rows' dimensions.
    pub(crate) fn new(fleet: &'f Fleet<'a>) -> Master<'f, 'a> {
        let scenario = fleet.scenario;
        let pool: Vec<Option<usize>> =
            (0..fleet.options.len()).map(|o| pool_of(fleet, o)).collect();
        let dominator = prune::dominators(fleet, &pool);
        let opts: Vec<usize> =
            (0..fleet.options.len()).filter(|&o| dominator[o] == Some(o)).collect();
        let spot_opts = opts.iter().any(|&o| fleet.options[o].purchase.is_spot());
        let floor_on = scenario.policy.on_demand_floor && spot_opts;
        let Items { items, items_of, floors } = items::build(fleet, floor_on);
        let (hdims, node_k) = headroom_rows(fleet, &opts, &items);
        Master {
            fleet,
            opts,
            dominator,
            items,
            items_of,
            floors,
            hdims,
            node_k,
            spot_rows: spot_opts,
            share: scenario.policy.spot_max_share as f64 / PPM as f64,
            pool,
        }
    }

    fn headroom(&self) -> Headroom {
        self.fleet.scenario.policy.headroom
    }

    /// True when item `i` may sit on fleet option `o`.
    pub(super) fn item_admits(&self, i: usize, o: usize) -> bool {
        let it = &self.items[i];
        self.fleet.admits[it.workload][o]
            && it.zone.is_none_or(|z| self.fleet.options[o].zone == self.fleet.scenario.zones[z])
    }

    pub(super) fn rows(&self) -> Vec<RowKind> {
        let mut rows: Vec<RowKind> = (0..self.items.len()).map(RowKind::Cover).collect();
        if self.spot_rows {
            rows.push(RowKind::SpotShare);
        }
        rows.extend((0..self.floors.len()).map(RowKind::Floor));
        for (p, pool) in self.fleet.scenario.node_pools.iter().enumerate() {
            if pool.max_nodes.is_some() {
                rows.push(RowKind::PoolMax(p));
            }
            if pool.min_nodes > 0 {
                rows.push(RowKind::PoolMin(p));
            }
        }
        rows.extend((0..self.fleet.limits.len()).map(RowKind::LimitMax));
        match self.headroom() {
            Headroom::Zone => {
                for z in 0..self.fleet.scenario.zones.len() {
                    for h in 0..self.hdims.len() {
                        rows.push(RowKind::Zone(z, h));
                    }
                }
            }
            Headroom::Node => rows.extend((0..self.hdims.len()).map(RowKind::Node)),
            Headroom::None => {}
        }
        rows
    }

    pub(super) fn used(&self, col: &Column, d: usize) -> u64 {
        col.counts.iter().map(|(i, c)| self.items[*i].req[d] * u64::from(*c)).sum()
    }

    /// The coefficient of a column in a row.
    pub(super) fn coef(&self, row: RowKind, col: &Column) -> f64 {
        let o = col.opt;
        let opt = &self.fleet.options[o];
        match row {
            RowKind::Cover(i) => {
                col.counts.iter().find(|(j, _)| *j == i).map_or(0.0, |(_, c)| f64::from(*c))
            }
            RowKind::SpotShare => {
                let cpu = opt.capacity.cpu.0 as f64;
                self.share * cpu - if opt.purchase.is_spot() { cpu } else { 0.0 }
            }
            RowKind::Floor(f) => {
                if opt.purchase.is_spot() {
                    0.0
                } else {
                    col.counts
                        .iter()
                        .filter(|(i, _)| self.items[*i].floor == Some(f))
                        .map(|(_, c)| f64::from(*c))
                        .sum()
                }
            }
            RowKind::PoolMax(p) => {
                if self.pool[o] == Some(p) {
                    -1.0
                } else {
                    0.0
                }
            }
            RowKind::PoolMin(p) => {
                if self.pool[o] == Some(p) {
                    1.0
                } else {
                    0.0
                }
            }
            RowKind::LimitMax(l) => {
                if self.fleet.limits_of[o].contains(&l) {
                    -1.0
                } else {
                    0.0
                }
            }
            RowKind::Zone(z, h) => {
                let d = self.hdims[h];
                let used = self.used(col, d) as f64;
                if opt.zone == self.fleet.scenario.zones[z] {
                    -used
                } else {
                    self.fleet.usable[o][d] as f64 - used
                }
            }
            RowKind::Node(h) => {
                let d = self.hdims[h];
                self.fleet.usable[o][d] as f64 - self.used(col, d) as f64
            }
        }
    }

    /// The right-hand side of a row, given fixed columns and residual demands.
    pub(super) fn rhs(&self, row: RowKind, fixed: &Fixed) -> f64 {
        let base = match row {
            RowKind::Cover(i) => f64::from(self.items[i].demand),
            RowKind::SpotShare | RowKind::Zone(..) => 0.0,
            RowKind::Floor(f) => f64::from(self.floors[f].1),
            RowKind::PoolMax(p) => {
                -f64::from(self.fleet.scenario.node_pools[p].max_nodes.unwrap_or(u32::MAX))
            }
            RowKind::PoolMin(p) => f64::from(self.fleet.scenario.node_pools[p].min_nodes),
            RowKind::LimitMax(l) => -f64::from(self.fleet.limits[l].max_count),
            RowKind::Node(h) => self.node_k[h] as f64,
        };
        base - fixed.cols.iter().map(|(c, n)| f64::from(*n) * self.coef(row, c)).sum::<f64>()
    }

    pub(super) fn cost(&self, col: &Column) -> f64 {
        self.fleet.options[col.opt].price.0
    }

    /// Each item's demand left after the fixed columns.
    pub(super) fn residual(&self, fixed: &Fixed) -> Vec<u32> {
        (0..self.items.len())
            .map(|i| {
                let covered: u64 = fixed
                    .cols
                    .iter()
                    .map(|(c, n)| {
                        u64::from(*n)
                            * c.counts
                                .iter()
                                .filter(|(j, _)| *j == i)
                                .map(|(_, k)| u64::from(*k))
                                .sum::<u64>()
                    })
                    .sum();
                u64::from(self.items[i].demand).saturating_sub(covered) as u32
            })
            .collect()
    }

    /// Each row is divided by its scale in the LP (resource rows are in millicores and bytes;
    /// the interior-point solver needs coefficients near 1). Duals are scaled back.
    pub(super) fn scale(&self, row: RowKind) -> f64 {
        let max_usable = |d: usize| {
            self.opts.iter().map(|&o| self.fleet.usable[o][d]).max().unwrap_or(1).max(1) as f64
        };
        match row {
            RowKind::SpotShare => self
                .opts
                .iter()
                .map(|&o| self.fleet.options[o].capacity.cpu.0)
                .max()
                .unwrap_or(1)
                .max(1) as f64,
            RowKind::Zone(_, h) | RowKind::Node(h) => max_usable(self.hdims[h]),
            _ => 1.0,
        }
    }

    /// The master model over `pool` for the residual problem left by `fixed`.
    pub(super) fn model(&self, rows: &[RowKind], pool: &[Column], fixed: &Fixed) -> Model {
        let n_items = self.items.len();
        let scales: Vec<f64> = rows.iter().map(|r| self.scale(*r)).collect();
        let mut out: Vec<Row> = rows
            .iter()
            .zip(&scales)
            .map(|(r, s)| Row { coefs: Vec::new(), rhs: self.rhs(*r, fixed) / s })
            .collect();
        for (j, col) in pool.iter().enumerate() {
            for &(i, c) in &col.counts {
                out[i].coefs.push((j, f64::from(c)));
            }
            for (k, r) in rows.iter().enumerate().skip(n_items) {
                let v = self.coef(*r, col);
                if v != 0.0 {
                    out[k].coefs.push((j, v / scales[k]));
                }
            }
        }
        Model { costs: pool.iter().map(|c| self.cost(c)).collect(), rows: out }
    }
}

/// Dual values by row kind, for pricing.
pub(super) struct Duals {
    cover: Vec<f64>,
    spot: f64,
    floor: Vec<f64>,
    pool_max: Vec<f64>,
    pool_min: Vec<f64>,
    limit_max: Vec<f64>,
    zone: Vec<Vec<f64>>,
    node: Vec<f64>,
    /// Σ y·b over all rows.
    pub(super) yb: f64,
}

impl Master<'_, '_> {
    /// The LP's row duals by row kind, clamped at zero and scaled back to the rows' units.
    pub(super) fn split_duals(&self, rows: &[RowKind], y: &[f64], fixed: &Fixed) -> Duals {
        let nz = self.fleet.scenario.zones.len();
        let np = self.fleet.scenario.node_pools.len();
        let mut d = Duals {
            cover: vec![0.0; self.items.len()],
            spot: 0.0,
            floor: vec![0.0; self.floors.len()],
            pool_max: vec![0.0; np],
            pool_min: vec![0.0; np],
            limit_max: vec![0.0; self.fleet.limits.len()],
            zone: vec![vec![0.0; self.hdims.len()]; nz],
            node: vec![0.0; self.hdims.len()],
            yb: 0.0,
        };
        for (k, row) in rows.iter().enumerate() {
            let v = y[k].max(0.0) / self.scale(*row);
            d.yb += v * self.rhs(*row, fixed);
            match *row {
                RowKind::Cover(i) => d.cover[i] = v,
                RowKind::SpotShare => d.spot = v,
                RowKind::Floor(f) => d.floor[f] = v,
                RowKind::PoolMax(p) => d.pool_max[p] = v,
                RowKind::PoolMin(p) => d.pool_min[p] = v,
                RowKind::LimitMax(l) => d.limit_max[l] = v,
                RowKind::Zone(z, h) => d.zone[z][h] = v,
                RowKind::Node(h) => d.node[h] = v,
            }
        }
        d
    }

    /// The fixed part of the reduced cost of any pattern on option `o`: `c_o − Σ y·α`.
    pub(super) fn fixed_cost(&self, o: usize, duals: &Duals) -> f64 {
        let opt = &self.fleet.options[o];
        let mut f = opt.price.0;
        if self.spot_rows {
            let cpu = opt.capacity.cpu.0 as f64;
            f -= duals.spot * (self.share * cpu - if opt.purchase.is_spot() { cpu } else { 0.0 });
        }
        if let Some(p) = self.pool[o] {
            f -= duals.pool_min[p] - duals.pool_max[p];
        }
        for &l in &self.fleet.limits_of[o] {
            f += duals.limit_max[l];
        }
        for (h, &d) in self.hdims.iter().enumerate() {
            let usable = self.fleet.usable[o][d] as f64;
            for (z, zd) in duals.zone.iter().enumerate() {
                if opt.zone != self.fleet.scenario.zones[z] {
                    f -= zd[h] * usable;
                }
            }
            f -= duals.node[h] * usable;
        }
        f
    }

    /// What option `o` prices: (item, value, bound) for every admitted item of positive value,
    /// at these duals and residual demands. Options with the same key share one pricing set-up.
    pub(super) fn knap_key(
        &self,
        o: usize,
        duals: &Duals,
        residual: &[u32],
    ) -> Vec<(usize, u64, u32)> {
        let opt = &self.fleet.options[o];
        // What a unit of each headroom dimension used by a pod costs in the headroom rows.
        let penalty: Vec<f64> = (0..self.hdims.len())
            .map(|h| duals.zone.iter().map(|z| z[h]).sum::<f64>() + duals.node[h])
            .collect();
        let mut res = Vec::new();
        for (i, it) in self.items.iter().enumerate() {
            if !self.item_admits(i, o) {
                continue;
            }
            let mut v = duals.cover[i];
            if let Some(f) = it.floor
                && !opt.purchase.is_spot()
            {
                v += duals.floor[f];
            }
            for (&d, p) in self.hdims.iter().zip(&penalty) {
                v -= it.req[d] as f64 * p;
            }
            let ub = residual[i].min(it.per_node);
            if v > 1e-12 && ub > 0 {
                res.push((i, v.to_bits(), ub));
            }
        }
        res
    }

    /// The knapsack items of a pricing key.
    pub(super) fn knap_items(&self, key: &[(usize, u64, u32)]) -> Vec<KItem> {
        key.iter()
            .map(|&(i, v, ub)| KItem {
                id: i,
                value: f64::from_bits(v),
                req: self.items[i].req.clone(),
                lim: self.items[i].lim.clone(),
                ub,
            })
            .collect()
    }
}

/// The headroom rows' dimensions (cpu, memory, pods and any extended dimension a pod
/// requests) and, per dimension, the node headroom right-hand side: the usable capacity of the
/// smallest kept option able to hold the largest pod.
fn headroom_rows(fleet: &Fleet<'_>, opts: &[usize], items: &[Item]) -> (Vec<usize>, Vec<u64>) {
    let mut hdims = vec![0usize, 1, 2];
    for d in 4..fleet.dims.len() {
        if items.iter().any(|it| it.req[d] > 0) {
            hdims.push(d);
        }
    }
    let node_k: Vec<u64> = hdims
        .iter()
        .map(|&d| {
            items
                .iter()
                .map(|it| {
                    opts.iter()
                        .filter(|&&o| fleet.admits[it.workload][o])
                        .map(|&o| fleet.usable[o][d])
                        .min()
                        .unwrap_or(0)
                })
                .max()
                .unwrap_or(0)
                .max(fleet.free_at_least.get(d).copied().unwrap_or(0))
        })
        .collect();
    (hdims, node_k)
}
