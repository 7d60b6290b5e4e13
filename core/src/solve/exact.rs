//! The exact engine: column generation for a proven lower bound, then integer plans by rounding, diving and MILP.
//!
//! Items are pods of one shape and set of rules (workloads merged when nothing tells them apart;
//! spread workloads split into per-zone items by round-robin quotas). A pattern (column) is one
//! node option with item counts. The master LP covers every item's demand and carries the
//! linear policies: the spot share, the on-demand floor, node-pool bounds, and two necessary
//! headroom conditions (zone: the other zones' free capacity holds each zone's pods; node: the
//! total free capacity is at least the usable capacity of the smallest node able to hold the
//! largest pod). Pricing is a bounded multi-dimensional knapsack per node option, heuristic
//! first and branch-and-bound to certify. The Lagrangian bound of every certified round is a
//! lower bound on the cost of any plan; integer plans come from round-down + FFD of the
//! residual, a dive that fixes columns and re-solves the residual, and a MILP polish over the
//! generated columns. Every candidate is repaired with the full headroom re-pack test, so the
//! plan returned always passes the verifier.

use std::collections::BTreeMap;

use super::ffd::{self, Batch, pool_of};
use super::knapsack::{self, KItem};
use super::lp::{self, Model, Row};
use super::{Backend, Clock, SolveError};
use crate::fit::{Fleet, NodeState, headroom};
use crate::policy::{Headroom, PPM};

/// Reduced costs above `-RC_TOL × price` count as zero (interior-point duals are accurate to about 1e-8).
const RC_TOL: f64 = 1e-7;

/// Extra columns per option and round (the best pattern with a valuable item forced in).
const EXTRA_COLUMNS: usize = 10;

/// Most columns added to the master per round.
const MAX_NEW_COLUMNS: usize = 60;

/// Column-generation rounds per dive step (the residual LP, re-solved after each fix).
const DIVE_ROUNDS: usize = 60;

/// Options × items up to which pricing runs branch and bound from the start.
const SMALL_PRICING: usize = 4000;

/// Branch-and-bound nodes per heuristic knapsack on small problems.
const SMALL_NODE_LIMIT: usize = 3000;

/// Branch-and-bound nodes per certifying knapsack.
const EXACT_NODE_LIMIT: usize = 20_000;

/// Branch-and-bound nodes of the MILP polish: a deterministic budget, so that the same input
/// gives the same plan on any machine.
const MILP_NODE_LIMIT: u64 = 1000;

/// Seconds after which the MILP polish stops whatever its nodes (without a caller's budget).
const MILP_SAFETY_SECONDS: f64 = 60.0;

/// On large problems, how many of the best-pricing options also get extra columns.
const EXTRA_OPTIONS: usize = 8;

/// A kind of pod for the master: one row of demand.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// Member workloads and how many of this item's pods belong to each.
    pub(crate) members: Vec<(usize, u32)>,
    /// Scenario zone index for spread items; `None` for any zone.
    pub(crate) zone: Option<usize>,
    pub(crate) demand: u32,
    pub(crate) req: Vec<u64>,
    pub(crate) lim: Vec<u64>,
    pub(crate) per_node: u32,
    /// Floor row index when the (single) member is a spot workload with a PDB floor.
    pub(crate) floor: Option<usize>,
    /// The representative workload (for admission).
    pub(crate) workload: usize,
}

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
enum RowKind {
    Cover(usize),
    SpotShare,
    Floor(usize),
    PoolMax(usize),
    PoolMin(usize),
    Zone(usize, usize),
    Node(usize),
}

/// Totals of a set of fixed columns, to subtract from right-hand sides.
#[derive(Clone, Debug, Default)]
struct Fixed {
    cols: Vec<(Column, u32)>,
}

impl<'f, 'a> Master<'f, 'a> {
    pub(crate) fn new(fleet: &'f Fleet<'a>) -> Master<'f, 'a> {
        let scenario = fleet.scenario;
        let n_opts = fleet.options.len();
        let pool: Vec<Option<usize>> = (0..n_opts).map(|o| pool_of(fleet, o)).collect();
        let usable_any = |o: usize| (0..scenario.workloads.len()).any(|w| fleet.admits[w][o]);
        let allowed =
            |o: usize| usable_any(o) && (scenario.node_pools.is_empty() || pool[o].is_some());
        // Dominance: same zone, pool and spot class; no dearer; at least as large everywhere; admits a superset.
        let mut dominator: Vec<Option<usize>> = vec![None; n_opts];
        let cands: Vec<usize> = (0..n_opts).filter(|&o| allowed(o)).collect();
        for &o in &cands {
            let oo = &fleet.options[o];
            let mut dom = o;
            for &p in &cands {
                if p == o {
                    continue;
                }
                let po = &fleet.options[p];
                if po.zone != oo.zone
                    || po.purchase.is_spot() != oo.purchase.is_spot()
                    || pool[p] != pool[o]
                {
                    continue;
                }
                if po.purchase.is_spot() && po.capacity.cpu != oo.capacity.cpu {
                    continue;
                }
                if po.price.0 > oo.price.0 || po.capacity.cpu < oo.capacity.cpu {
                    continue;
                }
                let bigger = fleet.usable[p].iter().zip(&fleet.usable[o]).all(|(a, b)| a >= b)
                    && fleet.lim_caps[p].iter().zip(&fleet.lim_caps[o]).all(|(a, b)| a >= b)
                    && (0..scenario.workloads.len())
                        .all(|w| !fleet.admits[w][o] || fleet.admits[w][p]);
                if !bigger {
                    continue;
                }
                let strictly = po.price.0 < oo.price.0
                    || fleet.usable[p] != fleet.usable[o]
                    || fleet.lim_caps[p] != fleet.lim_caps[o]
                    || po.capacity.cpu != oo.capacity.cpu;
                if strictly || p < o {
                    // Prefer the cheapest dominator, then the lowest index.
                    let better = dom == o
                        || po.price.0 < fleet.options[dom].price.0
                        || (po.price.0 == fleet.options[dom].price.0 && p < dom);
                    if better {
                        dom = p;
                    }
                }
            }
            dominator[o] = Some(dom);
        }
        // Resolve chains so every dominator is itself kept.
        for o in 0..n_opts {
            let mut d = dominator[o];
            let mut steps = 0;
            while let Some(x) = d {
                if dominator[x] == Some(x) || steps > n_opts {
                    break;
                }
                d = dominator[x];
                steps += 1;
            }
            dominator[o] = d;
        }
        let opts: Vec<usize> = (0..n_opts).filter(|&o| dominator[o] == Some(o)).collect();

        // Items.
        let spot_opts = opts.iter().any(|&o| fleet.options[o].purchase.is_spot());
        let floor_on = scenario.policy.on_demand_floor && spot_opts;
        let mut floors = Vec::new();
        let mut items: Vec<Item> = Vec::new();
        // Pods merge into one item when requests, limits, admitted options and floor agree.
        type MergeKey = (Vec<u64>, Vec<u64>, Vec<bool>, bool);
        let mut merge: BTreeMap<MergeKey, usize> = BTreeMap::new();
        let mut items_of = vec![Vec::new(); scenario.workloads.len()];
        for w in fleet.decreasing_order() {
            let wl = &scenario.workloads[w];
            if wl.replicas == 0 {
                continue;
            }
            let floor = match (floor_on && wl.spot, wl.min_available) {
                (true, Some(m)) if m > 0 => {
                    floors.push((w, m.min(wl.replicas)));
                    Some(floors.len() - 1)
                }
                _ => None,
            };
            let per_node = wl.max_per_node.unwrap_or(u32::MAX);
            let spread = wl.zone_spread.is_some() && scenario.zones.len() > 1;
            let quotas: Vec<(Option<usize>, u32)> = if spread {
                let zones = ffd::usable_zones(fleet, w);
                let n = zones.len().max(1) as u32;
                zones
                    .iter()
                    .enumerate()
                    .map(|(zi, z)| {
                        let zi = zi as u32;
                        (
                            Some(*z),
                            if wl.replicas > zi { (wl.replicas - zi).div_ceil(n) } else { 0 },
                        )
                    })
                    .filter(|(_, q)| *q > 0)
                    .collect()
            } else {
                vec![(None, wl.replicas)]
            };
            let mergeable = floor.is_none() && wl.max_per_node.is_none();
            for (zone, quota) in quotas {
                let key =
                    (fleet.req[w].clone(), fleet.lim[w].clone(), fleet.admits[w].clone(), spread);
                let existing = if mergeable { merge.get(&key).copied() } else { None };
                let existing = existing.filter(|&i| items[i].zone == zone);
                match existing {
                    Some(i) => {
                        items[i].members.push((w, quota));
                        items[i].demand += quota;
                        items_of[w].push(i);
                    }
                    None => {
                        items.push(Item {
                            members: vec![(w, quota)],
                            zone,
                            demand: quota,
                            req: fleet.req[w].clone(),
                            lim: fleet.lim[w].clone(),
                            per_node,
                            floor,
                            workload: w,
                        });
                        let i = items.len() - 1;
                        if mergeable && zone.is_none() {
                            merge.insert(key, i);
                        }
                        items_of[w].push(i);
                    }
                }
            }
        }
        // Headroom rows: cpu, memory, pods and any extended dimension a pod requests.
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
            })
            .collect();
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
    fn item_admits(&self, i: usize, o: usize) -> bool {
        let it = &self.items[i];
        self.fleet.admits[it.workload][o]
            && it.zone.is_none_or(|z| self.fleet.options[o].zone == self.fleet.scenario.zones[z])
    }

    fn rows(&self) -> Vec<RowKind> {
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

    fn used(&self, col: &Column, d: usize) -> u64 {
        col.counts.iter().map(|(i, c)| self.items[*i].req[d] * u64::from(*c)).sum()
    }

    /// The coefficient of a column in a row.
    fn coef(&self, row: RowKind, col: &Column) -> f64 {
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
    fn rhs(&self, row: RowKind, fixed: &Fixed) -> f64 {
        let base = match row {
            RowKind::Cover(i) => f64::from(self.items[i].demand),
            RowKind::SpotShare | RowKind::Zone(..) => 0.0,
            RowKind::Floor(f) => f64::from(self.floors[f].1),
            RowKind::PoolMax(p) => {
                -f64::from(self.fleet.scenario.node_pools[p].max_nodes.unwrap_or(u32::MAX))
            }
            RowKind::PoolMin(p) => f64::from(self.fleet.scenario.node_pools[p].min_nodes),
            RowKind::Node(h) => self.node_k[h] as f64,
        };
        base - fixed.cols.iter().map(|(c, n)| f64::from(*n) * self.coef(row, c)).sum::<f64>()
    }

    fn cost(&self, col: &Column) -> f64 {
        self.fleet.options[col.opt].price.0
    }

    /// Each row is divided by its scale in the LP (resource rows are in millicores and bytes;
    /// the interior-point solver needs coefficients near 1). Duals are scaled back.
    fn scale(&self, row: RowKind) -> f64 {
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
    fn model(&self, rows: &[RowKind], pool: &[Column], fixed: &Fixed) -> Model {
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
struct Duals {
    cover: Vec<f64>,
    spot: f64,
    floor: Vec<f64>,
    pool_max: Vec<f64>,
    pool_min: Vec<f64>,
    zone: Vec<Vec<f64>>,
    node: Vec<f64>,
    /// Σ y·b over all rows.
    yb: f64,
}

impl Master<'_, '_> {
    fn split_duals(&self, rows: &[RowKind], y: &[f64], fixed: &Fixed) -> Duals {
        let nz = self.fleet.scenario.zones.len();
        let np = self.fleet.scenario.node_pools.len();
        let mut d = Duals {
            cover: vec![0.0; self.items.len()],
            spot: 0.0,
            floor: vec![0.0; self.floors.len()],
            pool_max: vec![0.0; np],
            pool_min: vec![0.0; np],
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
                RowKind::Zone(z, h) => d.zone[z][h] = v,
                RowKind::Node(h) => d.node[h] = v,
            }
        }
        d
    }

    /// The fixed part of the reduced cost of any pattern on option `o`: `c_o − Σ y·α`.
    fn fixed_cost(&self, o: usize, duals: &Duals) -> f64 {
        let opt = &self.fleet.options[o];
        let mut f = opt.price.0;
        if self.spot_rows {
            let cpu = opt.capacity.cpu.0 as f64;
            f -= duals.spot * (self.share * cpu - if opt.purchase.is_spot() { cpu } else { 0.0 });
        }
        if let Some(p) = self.pool[o] {
            f -= duals.pool_min[p] - duals.pool_max[p];
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
    fn knap_key(&self, o: usize, duals: &Duals, residual: &[u32]) -> Vec<(usize, u64, u32)> {
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
    fn knap_items(&self, key: &[(usize, u64, u32)]) -> Vec<KItem> {
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

/// What the column generation reached.
struct CgOutcome {
    x: Vec<f64>,
    /// The best Lagrangian bound found (cost of the residual problem), if any round certified one.
    bound: Option<f64>,
    rounds: usize,
    lp_value: f64,
}

/// Engine state shared by the phases.
pub(crate) struct Engine<'m, 'f, 'a> {
    m: &'m Master<'f, 'a>,
    pool: Vec<Column>,
    backend: Backend,
    clock: &'m dyn Clock,
    deadline: Option<f64>,
    /// An upper bound on the optimal cost (for the Lagrangian node-count bound).
    ub_cost: f64,
    pub(crate) stats: BTreeMap<String, f64>,
    pub(crate) timed_out: bool,
}

impl Engine<'_, '_, '_> {
    fn out_of_time(&mut self) -> bool {
        if let Some(d) = self.deadline
            && self.clock.now() >= d
        {
            self.timed_out = true;
        }
        self.timed_out
    }

    fn add_column(&mut self, col: Column) -> bool {
        if self.pool.contains(&col) {
            return false;
        }
        self.pool.push(col);
        true
    }

    /// Reduced costs above `-tol` count as zero for option `o`.
    fn tol(&self, o: usize) -> f64 {
        RC_TOL * self.m.fleet.options[o].price.0.max(1e-3)
    }

    /// A lower bound on the (residual) LP optimum from duals and an upper bound on every
    /// option's best pattern value `(option, fixed part of the reduced cost, value bound)`; the
    /// larger of two valid bounds:
    /// - Lagrangian: `Σ y·b + Σ_o K_o · min(0, rc_o)`, with `K_o` nodes of option `o` at most
    ///   (what the incumbent's cost buys);
    /// - Farley: `y/θ` is dual feasible for `θ = max(1, max_o (y·a)/c_o)`, so `Σ y·b / θ` is a bound.
    fn lagrangian_bound(&self, duals: &Duals, uppers: &[(usize, f64, f64)]) -> Option<f64> {
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

    fn bump(&mut self, key: &str, by: f64) {
        *self.stats.entry(key.to_string()).or_insert(0.0) += by;
    }

    /// Column generation on the residual problem left by `fixed`.
    fn column_generation(&mut self, fixed: &Fixed, max_rounds: usize) -> Result<CgOutcome, String> {
        let m = self.m;
        let rows = m.rows();
        let residual: Vec<u32> = (0..m.items.len())
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
                u64::from(m.items[i].demand).saturating_sub(covered) as u32
            })
            .collect();
        let mut bound: Option<f64> = None;
        let mut rounds = 0;
        loop {
            rounds += 1;
            self.bump("cg_rounds", 1.0);
            let model = m.model(&rows, &self.pool, fixed);
            let sol = lp::solve_lp(&model, self.backend)?;
            let lp_value: f64 = sol.x.iter().zip(&model.costs).map(|(x, c)| x * c).sum();
            let duals = m.split_duals(&rows, &sol.duals, fixed);
            // Options that price the same items at the same values share one sorted item set.
            let small = m.opts.len() * m.items.len() <= SMALL_PRICING;
            let mut keys: BTreeMap<Vec<(usize, u64, u32)>, usize> = BTreeMap::new();
            let mut groups: Vec<Vec<KItem>> = Vec::new();
            let mut opt_group: Vec<(usize, f64, usize)> = Vec::with_capacity(m.opts.len());
            for &o in &m.opts {
                let key = m.knap_key(o, &duals, &residual);
                let g = match keys.get(&key) {
                    Some(g) => *g,
                    None => {
                        groups.push(m.knap_items(&key));
                        keys.insert(key, groups.len() - 1);
                        groups.len() - 1
                    }
                };
                opt_group.push((o, m.fixed_cost(o, &duals), g));
            }
            let prepared: Vec<knapsack::Prepared<'_>> =
                groups.iter().map(|g| knapsack::Prepared::new(g)).collect();
            // Price every option: heuristic first (bounded branch and bound on small problems,
            // whose maximal columns the dive needs; greedy fills on large ones).
            let mut new_cols: Vec<(f64, Column)> = Vec::new();
            let mut found: Vec<(f64, usize, usize, knapsack::KResult)> = Vec::new();
            let mut candidates: Vec<(usize, f64, usize)> = Vec::new();
            // The best known upper bound on a pattern's value, per option.
            let mut uppers: Vec<(usize, f64, f64)> = Vec::with_capacity(m.opts.len());
            for (k, &(o, fc, g)) in opt_group.iter().enumerate() {
                let cap = &m.fleet.usable[o];
                let lim = &m.fleet.lim_caps[o];
                let ub = prepared[g].upper_bound(cap, lim);
                // `uppers[k]` belongs to `opt_group[k]`: candidates refer to it by index.
                uppers.push((o, fc, ub));
                if fc - ub >= -1e-9 {
                    continue;
                }
                let r = if small {
                    knapsack::solve(&groups[g], cap, lim, SMALL_NODE_LIMIT)
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
            // problems the fractional bounds certify alone.
            if found.is_empty() && small {
                for &(k, fc, g) in &candidates {
                    let o = uppers[k].0;
                    let cap = &m.fleet.usable[o];
                    let lim = &m.fleet.lim_caps[o];
                    let r = knapsack::solve(&groups[g], cap, lim, EXACT_NODE_LIMIT);
                    self.bump("exact_pricings", 1.0);
                    uppers[k].2 = uppers[k].2.min(r.upper);
                    if fc - r.value < -self.tol(o) {
                        found.push((fc - r.value, o, g, r));
                    }
                }
            }
            // Extra columns: the best pattern with one pod of each of the most valuable items
            // forced in; for every option on small problems, for the best few on large ones.
            found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let extra_options = if small { found.len() } else { EXTRA_OPTIONS };
            for (k, (rc, o, g, r)) in found.into_iter().enumerate() {
                if k < extra_options {
                    let cap = &m.fleet.usable[o];
                    let lim = &m.fleet.lim_caps[o];
                    let fc = rc + r.value;
                    let items = &groups[g];
                    let mut by_value: Vec<usize> = (0..items.len()).collect();
                    by_value.sort_by(|&a, &b| {
                        items[b].value.total_cmp(&items[a].value).then(a.cmp(&b))
                    });
                    for i in by_value
                        .into_iter()
                        .filter(|&i| !r.counts.iter().any(|(id, _)| *id == items[i].id))
                        .take(EXTRA_COLUMNS)
                    {
                        let x = if small {
                            knapsack::solve_forced(items, cap, lim, i, SMALL_NODE_LIMIT)
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
            // Every option's value bound is valid in every round, so every round gives a bound.
            if let Some(lb) = self.lagrangian_bound(&duals, &uppers) {
                bound = Some(bound.map_or(lb, |b: f64| b.max(lb)));
            }
            if new_cols.is_empty() || self.out_of_time() || rounds >= max_rounds {
                return Ok(CgOutcome { x: sol.x, bound, rounds, lp_value });
            }
            new_cols.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            self.stats.insert("last_min_rc".into(), new_cols[0].0);
            let mut added = 0;
            for (_, c) in new_cols.into_iter().take(MAX_NEW_COLUMNS) {
                if self.add_column(c) {
                    added += 1;
                }
            }
            self.bump("columns", added as f64);
            if added == 0 {
                // Every priced column is already in the master: converged within tolerance.
                return Ok(CgOutcome { x: sol.x, bound, rounds, lp_value });
            }
        }
    }
}

/// A column for a node state (options mapped to their dominators, workloads to items).
fn column_of(m: &Master<'_, '_>, node: &NodeState) -> Option<Column> {
    let opt = m.dominator[node.opt]?;
    let mut counts: BTreeMap<usize, u32> = BTreeMap::new();
    for (&w, &c) in &node.counts {
        let zone = &m.fleet.options[node.opt].zone;
        let item = m.items_of[w]
            .iter()
            .copied()
            .find(|&i| m.items[i].zone.is_none_or(|z| m.fleet.scenario.zones[z] == *zone))?;
        *counts.entry(item).or_insert(0) += c;
    }
    Some(Column { opt, counts: counts.into_iter().collect() })
}

/// Turns column copies into nodes, placing at most each item's demand, split over member workloads by quota.
fn expand(m: &Master<'_, '_>, cols: &[(Column, u32)]) -> Vec<NodeState> {
    let fleet = m.fleet;
    let mut left: Vec<Vec<(usize, u32)>> = m.items.iter().map(|it| it.members.clone()).collect();
    let mut nodes = Vec::new();
    for (col, n) in cols {
        for _ in 0..*n {
            let mut node = fleet.empty_node(col.opt);
            for &(i, c) in &col.counts {
                let mut want = c;
                for (w, q) in left[i].iter_mut() {
                    if want == 0 {
                        break;
                    }
                    let take =
                        want.min(*q).min(fleet.room_for(&node, *w).min(u64::from(u32::MAX)) as u32);
                    if take > 0 {
                        fleet.place(&mut node, *w, take);
                        *q -= take;
                        want -= take;
                    }
                }
            }
            nodes.push(node);
        }
    }
    // Place what is left (first fit into these nodes, then new nodes), per member and zone.
    let mut batches: Vec<Batch> = Vec::new();
    let spot_allowed = fleet.scenario.spot_allowed();
    for (i, it) in m.items.iter().enumerate() {
        for &(w, q) in &left[i] {
            if q == 0 {
                continue;
            }
            let wl = &fleet.scenario.workloads[w];
            let mut q = q;
            if let Some(f) = it.floor {
                let on_demand: u32 = nodes
                    .iter()
                    .filter(|n| !fleet.options[n.opt].purchase.is_spot())
                    .map(|n| n.count(w))
                    .sum();
                let need = m.floors[f].1.saturating_sub(on_demand).min(q);
                if need > 0 {
                    batches.push(Batch { workload: w, zone: it.zone, spot_ok: false, count: need });
                    q -= need;
                }
            }
            if q > 0 {
                batches.push(Batch {
                    workload: w,
                    zone: it.zone,
                    spot_ok: wl.spot && spot_allowed,
                    count: q,
                });
            }
        }
    }
    for b in batches {
        if ffd::place_batch(fleet, &mut nodes, b).is_err() {
            return Vec::new();
        }
    }
    nodes
}

/// Moves floor pods of spot workloads off spot nodes until every floor holds.
fn repair_floor(m: &Master<'_, '_>, nodes: &mut Vec<NodeState>) -> bool {
    let fleet = m.fleet;
    for &(w, min) in &m.floors {
        let on_demand: u32 = nodes
            .iter()
            .filter(|n| !fleet.options[n.opt].purchase.is_spot())
            .map(|n| n.count(w))
            .sum();
        let mut need = min.saturating_sub(on_demand);
        if need == 0 {
            continue;
        }
        // Take replicas from spot nodes, keeping their zone.
        let mut moved: Vec<(Option<usize>, u32)> = Vec::new();
        for n in nodes.iter_mut().filter(|n| fleet.options[n.opt].purchase.is_spot()) {
            let c = n.count(w).min(need);
            if c > 0 {
                fleet.remove(n, w, c);
                let zone =
                    fleet.scenario.zones.iter().position(|z| *z == fleet.options[n.opt].zone);
                let zone =
                    if fleet.scenario.workloads[w].zone_spread.is_some() { zone } else { None };
                moved.push((zone, c));
                need -= c;
            }
            if need == 0 {
                break;
            }
        }
        for (zone, c) in moved {
            if ffd::place_batch(fleet, nodes, Batch { workload: w, zone, spot_ok: false, count: c })
                .is_err()
            {
                return false;
            }
        }
    }
    nodes.retain(|n| !n.is_empty() || !fleet.options[n.opt].purchase.is_spot());
    true
}

/// Makes a node set a valid plan: floor, shrink, spot share, headroom, pool minimums, pool maximums.
pub(crate) fn finalize(m: &Master<'_, '_>, mut nodes: Vec<NodeState>) -> Option<Vec<NodeState>> {
    let fleet = m.fleet;
    if !repair_floor(m, &mut nodes) {
        return None;
    }
    // Nodes left empty by the expansion are dropped before headroom decides what spares it needs.
    nodes.retain(|n| !n.is_empty());
    ffd::shrink(fleet, &mut nodes);
    ffd::repair_spot_share(fleet, &mut nodes).ok()?;
    ffd::ensure_headroom(fleet, &mut nodes).ok()?;
    ffd::ensure_pool_minimums(fleet, &mut nodes).ok()?;
    for (p, pool) in fleet.scenario.node_pools.iter().enumerate() {
        if let Some(max) = pool.max_nodes
            && nodes.iter().filter(|n| pool_of(fleet, n.opt) == Some(p)).count() as u64
                > u64::from(max)
        {
            return None;
        }
    }
    Some(nodes)
}

fn cost(fleet: &Fleet<'_>, nodes: &[NodeState]) -> f64 {
    nodes.iter().map(|n| fleet.options[n.opt].price.0).sum()
}

/// Re-places the pods of node `i` on the other nodes; the new node list when every rule still holds.
fn try_remove(m: &Master<'_, '_>, nodes: &[NodeState], i: usize) -> Option<Vec<NodeState>> {
    let fleet = m.fleet;
    let mut trial: Vec<NodeState> =
        nodes.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, n)| n.clone()).collect();
    let lost = &nodes[i];
    let lost_opt = &fleet.options[lost.opt];
    let zone = fleet.scenario.zones.iter().position(|z| *z == lost_opt.zone);
    for (&w, &c) in &lost.counts {
        let wl = &fleet.scenario.workloads[w];
        let z =
            if wl.zone_spread.is_some() && fleet.scenario.zones.len() > 1 { zone } else { None };
        // Pods on a non-spot node may count towards a floor: keep them off spot.
        let spot_ok = wl.spot && fleet.scenario.spot_allowed() && lost_opt.purchase.is_spot();
        let mut left = c;
        for n in trial.iter_mut() {
            if left == 0 {
                break;
            }
            let o = &fleet.options[n.opt];
            if (o.purchase.is_spot() && !spot_ok)
                || z.is_some_and(|z| o.zone != fleet.scenario.zones[z])
            {
                continue;
            }
            let room = fleet.room_for(n, w).min(u64::from(left)) as u32;
            if room > 0 {
                fleet.place(n, w, room);
                left -= room;
            }
        }
        if left > 0 {
            return None;
        }
    }
    if !super::spot_share_ok(fleet, &trial, None, None) {
        return None;
    }
    let pools_ok = fleet.scenario.node_pools.iter().enumerate().all(|(p, pool)| {
        trial.iter().filter(|n| pool_of(fleet, n.opt) == Some(p)).count() as u64
            >= u64::from(pool.min_nodes)
    });
    if !pools_ok || !headroom::check(fleet, &trial, fleet.scenario.policy.headroom).is_empty() {
        return None;
    }
    Some(trial)
}

/// Deletes nodes (most expensive first) whose pods fit on the others, then shrinks every node.
fn improve(
    m: &Master<'_, '_>,
    nodes: &mut Vec<NodeState>,
    clock: &dyn Clock,
    deadline: Option<f64>,
) {
    let fleet = m.fleet;
    if nodes.len() <= 2000 {
        let mut failed: std::collections::BTreeSet<(usize, Vec<(usize, u32)>)> =
            std::collections::BTreeSet::new();
        let mut attempts = 0usize;
        let max_attempts = 2 * nodes.len() + 10;
        'outer: loop {
            let mut order: Vec<usize> = (0..nodes.len()).collect();
            order.sort_by(|&a, &b| {
                fleet.options[nodes[b].opt]
                    .price
                    .total_cmp(&fleet.options[nodes[a].opt].price)
                    .then(a.cmp(&b))
            });
            for i in order {
                if attempts >= max_attempts || deadline.is_some_and(|d| clock.now() >= d) {
                    break 'outer;
                }
                let sig = (
                    nodes[i].opt,
                    nodes[i].counts.iter().map(|(w, c)| (*w, *c)).collect::<Vec<_>>(),
                );
                if failed.contains(&sig) {
                    continue;
                }
                attempts += 1;
                match try_remove(m, nodes, i) {
                    Some(trial) => {
                        *nodes = trial;
                        continue 'outer;
                    }
                    None => {
                        failed.insert(sig);
                    }
                }
            }
            break;
        }
    }
    shrink_keeping_rules(m, nodes, clock, deadline);
}

/// Moves nodes to cheaper options that hold their pods, keeping the spot share and headroom.
fn shrink_keeping_rules(
    m: &Master<'_, '_>,
    nodes: &mut [NodeState],
    clock: &dyn Clock,
    deadline: Option<f64>,
) {
    let fleet = m.fleet;
    if nodes.len() > 2000 {
        return;
    }
    for i in 0..nodes.len() {
        if deadline.is_some_and(|d| clock.now() >= d) {
            return;
        }
        let cur = &fleet.options[nodes[i].opt];
        let pool = pool_of(fleet, nodes[i].opt);
        let mut cands: Vec<usize> = (0..fleet.options.len())
            .filter(|&o| {
                let opt = &fleet.options[o];
                opt.zone == cur.zone
                    && opt.purchase.is_spot() == cur.purchase.is_spot()
                    && opt.price.0 < cur.price.0 - 1e-12
                    && pool_of(fleet, o) == pool
                    && fleet.content_fits(&nodes[i], o)
            })
            .collect();
        cands.sort_by(|&a, &b| {
            fleet.options[a].price.total_cmp(&fleet.options[b].price).then(a.cmp(&b))
        });
        for o in cands.into_iter().take(8) {
            let mut node = fleet.empty_node(o);
            for (&w, &c) in &nodes[i].counts {
                fleet.place(&mut node, w, c);
            }
            let old = std::mem::replace(&mut nodes[i], node);
            if super::spot_share_ok(fleet, nodes, None, None)
                && headroom::check(fleet, nodes, fleet.scenario.policy.headroom).is_empty()
            {
                break;
            }
            nodes[i] = old;
        }
    }
}

/// The result of the exact engine.
pub(crate) struct ExactOutcome {
    pub(crate) nodes: Vec<NodeState>,
    pub(crate) bound: Option<f64>,
    pub(crate) stats: BTreeMap<String, f64>,
    pub(crate) timed_out: bool,
}

/// Runs the whole pipeline from an FFD incumbent.
pub(crate) fn solve(
    fleet: &Fleet<'_>,
    ffd_nodes: &[NodeState],
    backend: Backend,
    clock: &dyn Clock,
    deadline: Option<f64>,
) -> Result<ExactOutcome, SolveError> {
    let t_start = clock.now();
    let m = Master::new(fleet);
    let ffd_cost = cost(fleet, ffd_nodes);
    let mut best = ffd_nodes.to_vec();
    let mut best_cost = ffd_cost;
    let mut eng = Engine {
        m: &m,
        pool: Vec::new(),
        backend,
        clock,
        deadline,
        ub_cost: ffd_cost,
        stats: BTreeMap::new(),
        timed_out: false,
    };
    eng.stats.insert("items".into(), m.items.len() as f64);
    eng.stats.insert("options".into(), m.opts.len() as f64);
    for n in ffd_nodes {
        if let Some(c) = column_of(&m, n) {
            eng.add_column(c);
        }
    }
    if m.items.is_empty() {
        return Ok(ExactOutcome {
            nodes: best,
            bound: Some(0.0),
            stats: eng.stats,
            timed_out: false,
        });
    }
    let unit = price_unit(fleet, &m);
    let round_bound = |b: f64| match unit {
        Some(g) => ((b / g) - 1e-6).ceil() * g,
        None => b,
    };
    let root = match eng.column_generation(&Fixed::default(), 500) {
        Ok(r) => r,
        Err(e) => {
            // The LP backend failed (numerics); the greedy plan stands, without a bound.
            eng.stats.insert("lp_error".into(), 1.0);
            let _ = e;
            return Ok(ExactOutcome {
                nodes: best,
                bound: None,
                stats: eng.stats,
                timed_out: eng.timed_out,
            });
        }
    };
    let t_root = clock.now();
    eng.stats.insert("seconds_root".into(), t_root - t_start);
    eng.stats.insert("root_lp".into(), root.lp_value);
    eng.stats.insert("root_rounds".into(), root.rounds as f64);
    // The aggregate bound (every pod's requests against pooled capacity) is weaker than a
    // converged column generation but holds when the time budget cuts it short.
    let aggregate = aggregate_bound(&m, backend);
    if let Some(a) = aggregate {
        eng.stats.insert("aggregate_bound".into(), a);
    }
    let bound = match (root.bound, aggregate) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
    .map(round_bound);
    let proven = |c: f64, b: Option<f64>| b.is_some_and(|b| c <= b + 1e-6 * c.max(1.0));
    let consider = |nodes: Vec<NodeState>,
                    best: &mut Vec<NodeState>,
                    best_cost: &mut f64,
                    tag: &str,
                    stats: &mut BTreeMap<String, f64>| {
        if nodes.is_empty() && !m.items.is_empty() {
            return;
        }
        if let Some(n) = finalize(&m, nodes) {
            let c = cost(fleet, &n);
            if c < *best_cost - 1e-9 {
                *best_cost = c;
                *best = n;
                stats.insert(format!("improved_by_{tag}"), 1.0);
            }
        }
    };
    // Round down the root LP.
    let rounded = round_down(&m, &eng.pool, &root.x);
    let nodes = expand(&m, &rounded);
    let mut stats = std::mem::take(&mut eng.stats);
    consider(nodes, &mut best, &mut best_cost, "rounding", &mut stats);
    eng.stats = stats;

    // Dive: fix columns, re-solve the residual, repeat. A plain dive first; then, with
    // whole-unit prices and no proof yet, a guarded one whose target is the rounded root bound:
    // a fix that pushes the residual LP above it is undone, its column is made tabu, and a
    // single column is fixed instead (a limited backtrack). The two reach different optima.
    for guarded in [false, true] {
        if proven(best_cost, bound) || eng.out_of_time() || (guarded && unit.is_none()) {
            break;
        }
        let target = bound.filter(|_| guarded);
        let mut fixed = Fixed::default();
        let mut x = root.x.clone();
        let mut tabu: Vec<Column> = Vec::new();
        let mut single = false;
        for _step in 0..400 {
            if eng.out_of_time() || tabu.len() > 30 {
                break;
            }
            eng.bump("dive_steps", 1.0);
            let mut by_x: Vec<(usize, f64)> = x
                .iter()
                .copied()
                .enumerate()
                .filter(|(j, v)| *v > 1e-9 && !tabu.contains(&eng.pool[*j]))
                .collect();
            by_x.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut to_fix: Vec<(Column, u32)> = Vec::new();
            if !single {
                for &(j, v) in &by_x {
                    let k = (v + 1e-6).floor();
                    if k >= 1.0 {
                        to_fix.push((eng.pool[j].clone(), k as u32));
                    }
                }
            }
            if to_fix.is_empty() {
                let Some(&(j, _)) = by_x.first() else { break };
                to_fix.push((eng.pool[j].clone(), 1));
            }
            let saved = fixed.clone();
            for (c, k) in &to_fix {
                match fixed.cols.iter_mut().find(|(fc, _)| fc == c) {
                    Some(e) => e.1 += k,
                    None => fixed.cols.push((c.clone(), *k)),
                }
            }
            let fixed_cost: f64 = fixed.cols.iter().map(|(c, n)| f64::from(*n) * m.cost(c)).sum();
            if fixed_cost >= best_cost - 1e-9 {
                break;
            }
            let cg = match eng.column_generation(&fixed, DIVE_ROUNDS) {
                Ok(r) => r,
                Err(_) => break,
            };
            if let (Some(t), Some(lb)) = (target, cg.bound)
                && round_bound(fixed_cost + lb) > t + 1e-6
            {
                // This fix loses the target: undo it.
                eng.bump("dive_backtracks", 1.0);
                fixed = saved;
                if to_fix.len() > 1 || !single {
                    single = true;
                } else {
                    tabu.push(to_fix[0].0.clone());
                }
                continue;
            }
            single = false;
            x = cg.x;
            let mut cand = fixed.cols.clone();
            cand.extend(round_down(&m, &eng.pool, &x));
            let nodes = expand(&m, &cand);
            let mut stats = std::mem::take(&mut eng.stats);
            consider(nodes, &mut best, &mut best_cost, "dive", &mut stats);
            eng.stats = stats;
            if proven(best_cost, bound) {
                break;
            }
            if let Some(b) = cg.bound
                && fixed_cost + b >= best_cost - 1e-6
            {
                break;
            }
            if x.iter().all(|v| *v < 1e-9) {
                break;
            }
        }
    }

    let t_dive = clock.now();
    eng.stats.insert("seconds_dive".into(), t_dive - t_root);
    // MILP polish over the generated columns.
    if !proven(best_cost, bound) && !eng.out_of_time() && eng.pool.len() <= 3000 {
        // The node limit is the budget (deterministic); the time is only a safety net.
        let seconds = deadline.map_or(MILP_SAFETY_SECONDS, |d| (d - clock.now()).max(0.0));
        if seconds > 0.05 {
            eng.bump("milp_runs", 1.0);
            // Warm start: the best plan's nodes, added to the pool as columns.
            for n in &best {
                if let Some(c) = column_of(&m, n) {
                    eng.add_column(c);
                }
            }
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
            let mut warm = vec![0.0; eng.pool.len()];
            let mut mapped = true;
            for n in &best {
                match column_of(&m, n).and_then(|c| eng.pool.iter().position(|p| *p == c)) {
                    Some(j) => warm[j] += 1.0,
                    None => mapped = false,
                }
            }
            let warm_ok = mapped && warm.iter().zip(&ub).all(|(w, u)| w <= u);
            if (warm_ok || backend == Backend::Highs)
                && let Ok(Some(xs)) =
                    lp::solve_milp(&model, &ub, &warm, backend, MILP_NODE_LIMIT, seconds)
            {
                let cols: Vec<(Column, u32)> = xs
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v >= 0.5)
                    .map(|(j, v)| (eng.pool[j].clone(), v.round() as u32))
                    .collect();
                let nodes = expand(&m, &cols);
                let mut stats = std::mem::take(&mut eng.stats);
                consider(nodes, &mut best, &mut best_cost, "milp", &mut stats);
                eng.stats = stats;
            }
        }
    }

    let t_milp = clock.now();
    eng.stats.insert("seconds_milp".into(), t_milp - t_dive);
    improve(&m, &mut best, clock, deadline);
    eng.stats.insert("seconds_improve".into(), clock.now() - t_milp);
    eng.stats.insert("pool".into(), eng.pool.len() as f64);
    Ok(ExactOutcome { nodes: best, bound, stats: eng.stats, timed_out: eng.timed_out })
}

/// A lower bound from pooled capacity: the cheapest fractional set of nodes whose usable
/// capacity, summed, covers every pod's requests in every resource. It relaxes every placement
/// rule (zones, spot, pools, per-node limits), so it holds for any plan.
fn aggregate_bound(m: &Master<'_, '_>, backend: Backend) -> Option<f64> {
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
    let sol = lp::solve_lp(&model, backend).ok()?;
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
            return None;
        }
    }
    let yb: f64 = model.rows.iter().zip(&sol.duals).map(|(r, y)| y * r.rhs).sum();
    Some(yb / theta)
}

/// floor(x + ε) copies of every column.
fn round_down(_m: &Master<'_, '_>, pool: &[Column], x: &[f64]) -> Vec<(Column, u32)> {
    x.iter()
        .enumerate()
        .filter_map(|(j, &v)| {
            let k = (v + 1e-6).floor();
            (k >= 1.0).then(|| (pool[j].clone(), k as u32))
        })
        .collect()
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

/// One master LP over the greedy plan's columns, or one round of column generation after it:
/// the engine's two hot paths, for benchmarks. Returns the LP value, or the pool size after
/// the round's columns were added.
#[cfg(feature = "test-support")]
pub(crate) fn hot_path(
    fleet: &Fleet<'_>,
    ffd_nodes: &[NodeState],
    backend: Backend,
    price: bool,
) -> Result<f64, String> {
    let m = Master::new(fleet);
    let mut eng = Engine {
        m: &m,
        pool: Vec::new(),
        backend,
        clock: &super::NoClock,
        deadline: None,
        ub_cost: cost(fleet, ffd_nodes),
        stats: BTreeMap::new(),
        timed_out: false,
    };
    for n in ffd_nodes {
        if let Some(c) = column_of(&m, n) {
            eng.add_column(c);
        }
    }
    if price {
        eng.column_generation(&Fixed::default(), 1)?;
        Ok(eng.pool.len() as f64)
    } else {
        let rows = m.rows();
        let model = m.model(&rows, &eng.pool, &Fixed::default());
        let sol = lp::solve_lp(&model, backend)?;
        Ok(sol.x.iter().zip(&model.costs).map(|(x, c)| x * c).sum())
    }
}
