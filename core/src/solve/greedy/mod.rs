//! Greedy packers from the vector bin-packing literature, run as the exact engine's first incumbents.
//!
//! Each packer places the pods of `ffd::batches` (zone targets round-robin for spread
//! workloads, the on-demand floor kept off spot) onto nodes it opens with at most a given CPU
//! size, then sizes every node to its content, compacts the nodes (`compact`: a node moves to
//! a cheaper option once a few of its pods move into other nodes' free capacity) and finishes
//! the plan as first-fit decreasing does (spot share, headroom spares, pool minimums), so that
//! every plan it returns is valid:
//! - [`Heuristic::DotProduct`], [`Heuristic::L2Norm`], [`Heuristic::BalancedFit`]: item-centric
//!   best fit over a bounded set of open nodes, pods taken largest first; the node is the one
//!   whose free capacity has the largest dot product with the pod, the one left with the least
//!   L2 norm of free capacity, or the one whose CPU and memory use end up closest (Panigrahy,
//!   Talwar, Uyeda and Wieder, "Heuristics for Vector Bin Packing", 2011);
//! - [`Heuristic::VectorBalance`]: bin-centric, per zone (each zone taking its bound pods and an
//!   equal share of the unbound ones): the pods sorted by their CPU to memory ratio, each node filled by taking from the CPU-heavy end while its CPU is the less used of
//!   the two and from the memory-heavy end otherwise.
//!
//! `Packer` is also the re-packer of the large-neighbourhood search (`exact/lns.rs`).

use std::collections::BTreeMap;

pub(crate) mod compact;

use super::ffd::{self, Batch, pool_of};
use super::{Budgets, SolveError};
use crate::fit::{Fleet, NodeState};
use crate::plan::Plan;
use crate::policy::PPM;
use crate::scenario::Scenario;

/// A greedy packer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Heuristic {
    /// Best fit by the dot product of the pod and the node's free capacity.
    DotProduct,
    /// Best fit by the L2 norm of the free capacity left.
    L2Norm,
    /// Best fit by the balance of CPU and memory use.
    BalancedFit,
    /// Per zone, nodes filled alternately from the CPU-heavy and the memory-heavy pods.
    VectorBalance,
    /// Per zone, as many nodes as the hostname rules (or the node size) need, opened first and
    /// sized so that their capacity adds up to the pods' requests, then filled best fit
    /// decreasing (least L2 norm left).
    Presized,
}

impl Heuristic {
    /// Every packer, in the order the engine runs them.
    pub const ALL: [Heuristic; 5] = [
        Heuristic::Presized,
        Heuristic::VectorBalance,
        Heuristic::DotProduct,
        Heuristic::L2Norm,
        Heuristic::BalancedFit,
    ];

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Heuristic::DotProduct => "dot-product",
            Heuristic::L2Norm => "l2-norm",
            Heuristic::BalancedFit => "balanced-fit",
            Heuristic::VectorBalance => "vector-balance",
            Heuristic::Presized => "presized",
        }
    }
}

/// One greedy run: a packer and the largest node it opens (millicores of CPU capacity;
/// `u64::MAX`: any).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GreedyRun {
    /// The packer.
    pub heuristic: Heuristic,
    /// The largest node it opens, in millicores of CPU capacity.
    pub max_node_cpu: u64,
}

impl GreedyRun {
    /// Every run the budgets name: each packer at each node size.
    pub fn all(budgets: &Budgets) -> Vec<GreedyRun> {
        let mut caps = budgets.greedy_node_cpus.to_vec();
        caps.dedup();
        Heuristic::ALL
            .iter()
            .flat_map(|&heuristic| {
                caps.iter().map(move |&max_node_cpu| GreedyRun { heuristic, max_node_cpu })
            })
            .collect()
    }

    /// A label: the packer and its node size.
    pub fn label(&self) -> String {
        if self.max_node_cpu == u64::MAX {
            self.heuristic.as_str().to_string()
        } else {
            format!("{} (nodes ≤ {} vCPU)", self.heuristic.as_str(), self.max_node_cpu / 1000)
        }
    }
}

/// Every greedy run of `budgets` on the scenario, each with its finished plan (or `None` when
/// the run could not place a pod or keep the node pools' limits): the incumbents the exact
/// engine starts from, so its plan is never dearer than any of them.
pub fn plans(
    scenario: &Scenario,
    budgets: &Budgets,
) -> Result<Vec<(GreedyRun, Option<Plan>)>, SolveError> {
    let options = scenario.node_options().output;
    let fleet = Fleet::new(scenario, &options);
    super::precheck(&fleet)?;
    Ok(GreedyRun::all(budgets)
        .into_iter()
        .map(|run| {
            let plan = pack(&fleet, run, budgets).map(|nodes| {
                let hourly = nodes.iter().map(|n| options[n.opt].price).sum();
                let facts = super::greedy_facts(super::Method::Ffd, 0.0, hourly, None);
                let mut plan = super::to_plan(&fleet, &nodes, facts);
                plan.solver.method = format!("greedy {}", run.label());
                plan
            });
            (run, plan)
        })
        .collect())
}

/// Packs the scenario with `run` and finishes the plan (sizes, spot share, headroom, pools);
/// `None` when the run cannot place a pod or finish within the node pools' limits.
pub(crate) fn pack(fleet: &Fleet<'_>, run: GreedyRun, budgets: &Budgets) -> Option<Vec<NodeState>> {
    let batches = ffd::batches(fleet);
    let mut p = Packer::new(fleet, run.max_node_cpu);
    if !p.run(&batches, run.heuristic, budgets) {
        return None;
    }
    finish(fleet, p.nodes, budgets.compact_visits).ok()
}

/// Sizes every node to its content, compacts the nodes within `compact_visits` node visits and
/// makes the node set a plan as first-fit decreasing does: spot share, headroom spares, pool
/// minimums; an error when a pool's maximum is passed.
pub(crate) fn finish(
    fleet: &Fleet<'_>,
    mut nodes: Vec<NodeState>,
    compact_visits: u64,
) -> Result<Vec<NodeState>, SolveError> {
    nodes.retain(|n| !n.is_empty());
    ffd::shrink(fleet, &mut nodes);
    compact::compact(fleet, &mut nodes, compact_visits);
    ffd::repair_spot_share(fleet, &mut nodes)?;
    ffd::ensure_headroom(fleet, &mut nodes)?;
    ffd::ensure_pool_minimums(fleet, &mut nodes)?;
    for (p, pool) in fleet.scenario.node_pools.iter().enumerate() {
        if let Some(max) = pool.max_nodes
            && nodes.iter().filter(|n| pool_of(fleet, n.opt) == Some(p)).count() as u64
                > u64::from(max)
        {
            return Err(SolveError::Infeasible(super::Infeasible {
                workload: None,
                reason: format!("node pool {} would pass its max_nodes", pool.name),
            }));
        }
    }
    Ok(nodes)
}

/// A packing in progress: the nodes it opened, and the tallies that decide the next node.
#[derive(Clone)]
pub(crate) struct Packer<'f, 'a> {
    fleet: &'f Fleet<'a>,
    /// The nodes opened so far.
    pub(crate) nodes: Vec<NodeState>,
    /// The largest node to open (millicores of CPU capacity).
    max_cpu: u64,
    /// CPU capacity of spot nodes and of every node (with the nodes outside the packing).
    spot_cpu: u128,
    total_cpu: u128,
    /// CPU capacity per zone (with the nodes outside the packing).
    zone_cpu: Vec<u64>,
    /// Nodes per pool (with the nodes outside the packing).
    pool_nodes: Vec<u64>,
    /// Per unit of CPU and of memory: the weight that makes the scenario's two demands equal.
    weight: [f64; 2],
    /// New-node choices that depend on nothing but the pod, zone and spot flag.
    cache: BTreeMap<(usize, Option<usize>, bool, u64), Option<usize>>,
    /// The options of each zone (the last entry: options in no zone of the scenario).
    zone_opts: std::rc::Rc<Vec<Vec<usize>>>,
}

impl<'f, 'a> Packer<'f, 'a> {
    /// A packer opening nodes of at most `max_cpu` millicores.
    pub(crate) fn new(fleet: &'f Fleet<'a>, max_cpu: u64) -> Self {
        let (mut cpu, mut mem) = (0f64, 0f64);
        for (w, wl) in fleet.scenario.workloads.iter().enumerate() {
            cpu += fleet.req[w][0] as f64 * f64::from(wl.replicas);
            mem += fleet.req[w][1] as f64 * f64::from(wl.replicas);
        }
        let weight = [1.0 / cpu.max(1.0), 1.0 / mem.max(1.0)];
        Packer {
            fleet,
            nodes: Vec::new(),
            max_cpu,
            spot_cpu: 0,
            total_cpu: 0,
            zone_cpu: vec![0; fleet.scenario.zones.len()],
            pool_nodes: vec![0; fleet.scenario.node_pools.len()],
            weight,
            cache: BTreeMap::new(),
            zone_opts: std::rc::Rc::new(zone_options(fleet)),
        }
    }

    /// The packer beside nodes of these options, outside the packing (they count towards the
    /// spot share, the zones' loads and the pools' sizes).
    pub(crate) fn beside(mut self, outside: &[usize]) -> Self {
        for &o in outside {
            self.count(o);
        }
        self
    }

    /// The packer opening nodes of at most `max_cpu` millicores.
    pub(crate) fn with_max_cpu(mut self, max_cpu: u64) -> Self {
        self.max_cpu = max_cpu;
        self
    }

    /// Adds a node of option `o` to the tallies.
    fn count(&mut self, o: usize) {
        let opt = &self.fleet.options[o];
        let c = u128::from(opt.capacity.cpu.0);
        self.total_cpu += c;
        if opt.purchase.is_spot() {
            self.spot_cpu += c;
        }
        if let Some(z) = self.fleet.scenario.zones.iter().position(|z| *z == opt.zone) {
            self.zone_cpu[z] += opt.capacity.cpu.0;
        }
        if let Some(p) = pool_of(self.fleet, o) {
            self.pool_nodes[p] += 1;
        }
    }

    /// Opens a node for a pod of batch `b`; its index, or `None` when no option can take it.
    fn open(&mut self, b: &Batch) -> Option<usize> {
        let o = self.new_option(b.workload, b.zone, b.spot_ok)?;
        self.count(o);
        self.nodes.push(self.fleet.empty_node(o));
        Some(self.nodes.len() - 1)
    }

    /// The option of a new node for workload `w`: in its zone (the least loaded one it can use
    /// when it has none), the lowest price per unit of weighted capacity among the options of at
    /// most `max_cpu` (any size when none holds the pod), larger capacity on ties.
    fn new_option(&mut self, w: usize, zone: Option<usize>, spot_ok: bool) -> Option<usize> {
        let fleet = self.fleet;
        let scenario = fleet.scenario;
        let zone = zone.or_else(|| {
            let zones = ffd::usable_zones(fleet, w);
            if scenario.zones.len() <= 1 {
                zones.first().copied()
            } else {
                zones.into_iter().min_by_key(|&z| (self.zone_cpu[z], z))
            }
        });
        let limited = scenario.node_pools.iter().any(|p| p.max_nodes.is_some());
        let spot_opts = spot_ok && fleet.options.iter().any(|o| o.purchase.is_spot());
        let key = (w, zone, spot_ok, self.max_cpu);
        if !limited
            && !spot_opts
            && let Some(c) = self.cache.get(&key)
        {
            return *c;
        }
        let mut best: [Option<(f64, u64, usize)>; 2] = [None, None];
        let all: Vec<usize>;
        let candidates: &[usize] = match zone {
            Some(z) => &self.zone_opts[z],
            None => {
                all = (0..fleet.options.len()).collect();
                &all
            }
        };
        for &o in candidates {
            let opt = &fleet.options[o];
            // The candidates are the zone's options already.
            if !fleet.admits[w][o] || !self.fits_empty(o, w) {
                continue;
            }
            if opt.purchase.is_spot() {
                let c = u128::from(opt.capacity.cpu.0);
                if !spot_ok
                    || (self.spot_cpu + c) * u128::from(PPM)
                        > u128::from(scenario.policy.spot_max_share) * (self.total_cpu + c)
                {
                    continue;
                }
            }
            if let Some(p) = pool_of(fleet, o) {
                if scenario.node_pools[p]
                    .max_nodes
                    .is_some_and(|m| self.pool_nodes[p] >= u64::from(m))
                {
                    continue;
                }
            } else if !scenario.node_pools.is_empty() {
                continue;
            }
            let size = self.weight[0] * fleet.usable[o][0] as f64
                + self.weight[1] * fleet.usable[o][1] as f64;
            let score = opt.price.0 / size.max(1e-300);
            let cand = (score, fleet.usable[o][0], o);
            let k = usize::from(opt.capacity.cpu.0 > self.max_cpu);
            let better = |b: &(f64, u64, usize)| {
                cand.0 < b.0 * (1.0 - 1e-12) || (cand.0 <= b.0 * (1.0 + 1e-12) && cand.1 > b.1)
            };
            if best[k].as_ref().is_none_or(better) {
                best[k] = Some(cand);
            }
        }
        let choice = best[0].or(best[1]).map(|b| b.2);
        if !limited && !spot_opts {
            self.cache.insert(key, choice);
        }
        choice
    }

    /// True when one pod of workload `w` fits on an empty node of option `o`.
    fn fits_empty(&self, o: usize, w: usize) -> bool {
        let f = self.fleet;
        f.req[w].iter().zip(&f.usable[o]).all(|(r, u)| r <= u)
            && f.lim[w].iter().zip(&f.lim_caps[o]).all(|(r, u)| r <= u)
            && f.scenario.workloads[w].max_per_node != Some(0)
    }

    /// True when a pod of batch `b` may go on node `j` (before capacity).
    fn compatible(&self, b: &Batch, j: usize) -> bool {
        let opt = &self.fleet.options[self.nodes[j].opt];
        (!opt.purchase.is_spot() || b.spot_ok)
            && b.zone.is_none_or(|z| opt.zone == self.fleet.scenario.zones[z])
    }

    /// The share of node `j`'s CPU and memory still free, and of its capacity a pod of `w` takes.
    fn shares(&self, j: usize, w: usize) -> ([f64; 2], [f64; 2]) {
        let (f, n) = (self.fleet, &self.nodes[j]);
        let u = &f.usable[n.opt];
        let share = |x: u64, d: usize| if u[d] == 0 { 0.0 } else { x as f64 / u[d] as f64 };
        ([share(n.free[0], 0), share(n.free[1], 1)], [share(f.req[w][0], 0), share(f.req[w][1], 1)])
    }

    /// The pod's size for the largest-first order: its larger weighted share of demand.
    fn size(&self, w: usize) -> f64 {
        let r = &self.fleet.req[w];
        (self.weight[0] * r[0] as f64).max(self.weight[1] * r[1] as f64)
    }

    /// Places the batches with heuristic `h`; false when a pod found no option.
    pub(crate) fn run(&mut self, batches: &[Batch], h: Heuristic, budgets: &Budgets) -> bool {
        match h {
            Heuristic::VectorBalance => self.balance(batches),
            Heuristic::Presized => self.presized(batches, budgets.greedy_open_nodes),
            h => self.best_fit(batches, h, budgets.greedy_open_nodes),
        }
    }

    /// The zone passes of the per-zone packers: pass z takes the batches bound to zone z and
    /// the unbound ones that may use it; the last pass (`zones`) whatever is left, anywhere.
    fn pass_group(&self, batches: &[Batch], usable: &[Vec<usize>], pass: usize) -> Vec<usize> {
        let zones = self.fleet.scenario.zones.len();
        (0..batches.len())
            .filter(|&k| {
                pass == zones
                    || batches[k].zone == Some(pass)
                    || (batches[k].zone.is_none() && usable[k].contains(&pass))
            })
            .collect()
    }

    /// Pre-sized nodes per zone, then best fit decreasing; false when a pod found no option.
    fn presized(&mut self, batches: &[Batch], window: usize) -> bool {
        let fleet = self.fleet;
        let zones = fleet.scenario.zones.len();
        // The zones an unbound batch may use (a bound one uses its own).
        let usable: Vec<Vec<usize>> =
            batches
                .iter()
                .map(|b| {
                    if b.zone.is_some() { Vec::new() } else { ffd::usable_zones(fleet, b.workload) }
                })
                .collect();
        let mut left: Vec<u32> = batches.iter().map(|b| b.count).collect();
        for pass in 0..=zones {
            let mut group = self.pass_group(batches, &usable, pass);
            group.retain(|&k| left[k] > 0);
            if group.is_empty() {
                continue;
            }
            let (hard, need) = self.seed(batches, &left, &group);
            let bins_start = self.nodes.len();
            if let (Some(k), Some(need)) = (hard, need) {
                // The hostname rule's pods seed the nodes it needs, sized to share the rest.
                let h = self.hard_nodes(batches, &left, &group, k);
                let total = [need[0].saturating_mul(h), need[1].saturating_mul(h)];
                let (mut cap_cpu, mut cap_mem) = (0u64, 0u64);
                for i in 0..h {
                    let mut b = batches[k];
                    if pass < zones {
                        b.zone = Some(pass);
                    }
                    // Round this node's size up or down so that the capacities add up to the total.
                    let want = [
                        ((i + 1) * total[0] / h).saturating_sub(cap_cpu),
                        ((i + 1) * total[1] / h).saturating_sub(cap_mem),
                    ];
                    let Some(j) = self.open_sized(&b, Some(want)) else { return false };
                    let o = self.nodes[j].opt;
                    cap_cpu += fleet.usable[o][0];
                    cap_mem += fleet.usable[o][1];
                }
            }
            // Best fit decreasing over the pass's nodes (the first `window` with room).
            let mut order = group.clone();
            order.sort_by(|&a, &b| {
                let (wa, wb) = (batches[a].workload, batches[b].workload);
                self.size(wb).total_cmp(&self.size(wa)).then(a.cmp(&b))
            });
            // Hostname-rule pods first, so that each finds its seeded node.
            if let Some(k) = hard {
                let g = fleet.scenario.workloads[batches[k].workload].anti_affinity.clone();
                order.sort_by_key(|&x| {
                    let wl = &fleet.scenario.workloads[batches[x].workload];
                    !(x == k || (g.is_some() && wl.anti_affinity == g))
                });
            }
            let mut active: Vec<usize> = (bins_start..self.nodes.len()).collect();
            for k in order {
                let mut b = batches[k];
                if pass < zones && b.zone.is_none() {
                    b.zone = Some(pass);
                }
                while left[k] > 0 {
                    let mut best: Option<(f64, usize)> = None;
                    for &j in active.iter().take(window) {
                        if !self.compatible(&b, j)
                            || fleet.room_for(&self.nodes[j], b.workload) == 0
                        {
                            continue;
                        }
                        let (free, req) = self.shares(j, b.workload);
                        let l = [free[0] - req[0], free[1] - req[1]];
                        let score = l[0] * l[0] + l[1] * l[1];
                        if best.is_none_or(|(s, _)| score < s) {
                            best = Some((score, j));
                        }
                    }
                    let j = match best {
                        Some((_, j)) => j,
                        None => {
                            let Some(j) = self.open(&b) else { return false };
                            if fleet.room_for(&self.nodes[j], b.workload) == 0 {
                                return false;
                            }
                            active.push(j);
                            j
                        }
                    };
                    fleet.place(&mut self.nodes[j], b.workload, 1);
                    left[k] -= 1;
                    // A node with no room for the smallest pod of the pass leaves the window.
                    if self.nodes[j].free[0] == 0 || self.nodes[j].free[1] == 0 {
                        active.retain(|&x| x != j);
                    }
                }
            }
        }
        true
    }

    /// How many nodes the hostname rule of batch `k` needs for the pods left in `group`.
    fn hard_nodes(&self, batches: &[Batch], left: &[u32], group: &[usize], k: usize) -> u64 {
        let wl = &self.fleet.scenario.workloads[batches[k].workload];
        let mut h = wl
            .max_per_node
            .filter(|m| *m > 0)
            .map_or(0, |m| u64::from(left[k]).div_ceil(u64::from(m)));
        if let Some(g) = wl.anti_affinity.as_deref() {
            let n: u64 = group
                .iter()
                .filter(|&&x| {
                    self.fleet.scenario.workloads[batches[x].workload].anti_affinity.as_deref()
                        == Some(g)
                })
                .map(|&x| u64::from(left[x]))
                .sum();
            h = h.max(n);
        }
        h.max(1)
    }

    /// Item-centric best fit over at most `open_max` open nodes; false when a pod found no option.
    pub(crate) fn best_fit(&mut self, batches: &[Batch], h: Heuristic, open_max: usize) -> bool {
        let fleet = self.fleet;
        let mut order: Vec<usize> = (0..batches.len()).collect();
        order.sort_by(|&a, &b| {
            let (wa, wb) = (batches[a].workload, batches[b].workload);
            self.size(wb).total_cmp(&self.size(wa)).then(a.cmp(&b))
        });
        let mut open: Vec<usize> = Vec::new();
        for k in order {
            let b = batches[k];
            for _ in 0..b.count {
                let mut best: Option<(f64, usize)> = None;
                for &j in &open {
                    if !self.compatible(&b, j) || fleet.room_for(&self.nodes[j], b.workload) == 0 {
                        continue;
                    }
                    let (free, req) = self.shares(j, b.workload);
                    let left = [free[0] - req[0], free[1] - req[1]];
                    let score = match h {
                        Heuristic::DotProduct => -(free[0] * req[0] + free[1] * req[1]),
                        Heuristic::L2Norm => left[0] * left[0] + left[1] * left[1],
                        _ => (left[0] - left[1]).abs() + 1e-3 * (left[0] + left[1]),
                    };
                    if best.is_none_or(|(s, _)| score < s) {
                        best = Some((score, j));
                    }
                }
                let j = match best {
                    Some((_, j)) => j,
                    None => {
                        let Some(j) = self.open(&b) else { return false };
                        if fleet.room_for(&self.nodes[j], b.workload) == 0 {
                            return false;
                        }
                        open.push(j);
                        if open.len() > open_max {
                            // Close the fullest of the others.
                            let fullest = open[..open.len() - 1]
                                .iter()
                                .enumerate()
                                .min_by(|x, y| {
                                    let fx = self.free_share(*x.1);
                                    let fy = self.free_share(*y.1);
                                    fx.total_cmp(&fy).then(x.0.cmp(&y.0))
                                })
                                .map(|(i, _)| i);
                            if let Some(i) = fullest {
                                open.remove(i);
                            }
                        }
                        j
                    }
                };
                fleet.place(&mut self.nodes[j], b.workload, 1);
            }
        }
        true
    }

    /// The mean share of node `j`'s CPU and memory still free.
    fn free_share(&self, j: usize) -> f64 {
        let n = &self.nodes[j];
        let u = &self.fleet.usable[n.opt];
        let share = |d: usize| if u[d] == 0 { 0.0 } else { n.free[d] as f64 / u[d] as f64 };
        share(0) + share(1)
    }

    /// Bin-centric vector balancing, per zone; false when a pod found no option.
    ///
    /// Each zone's pass takes the batches bound to it and the unbound ones that may use it.
    /// When a hostname rule (an anti-affinity group, `max_per_node`) needs at least `h` more
    /// nodes, each new node is seeded with a pod of the rule and sized for `1/h` of what is
    /// left, so that the rule's nodes share the other pods instead of standing half empty.
    pub(crate) fn balance(&mut self, batches: &[Batch]) -> bool {
        let fleet = self.fleet;
        let scenario = fleet.scenario;
        let weight = self.weight;
        let ratio = |w: usize| {
            let (c, m) = (weight[0] * fleet.req[w][0] as f64, weight[1] * fleet.req[w][1] as f64);
            if c + m <= 0.0 { 0.0 } else { (c - m) / (c + m) }
        };
        // The zones an unbound batch may use (a bound one uses its own).
        let usable: Vec<Vec<usize>> =
            batches
                .iter()
                .map(|b| {
                    if b.zone.is_some() { Vec::new() } else { ffd::usable_zones(fleet, b.workload) }
                })
                .collect();
        let mut total: Vec<u32> = batches.iter().map(|b| b.count).collect();
        let zones = scenario.zones.len();
        for pass in 0..=zones {
            // Pass z < zones: zone z, with the batches bound to it and an equal share of each
            // unbound batch that may use it (so that every zone packs a like mix); the last
            // pass: whatever is left, anywhere.
            let mut left: Vec<u32> = (0..batches.len())
                .map(|k| {
                    let b = &batches[k];
                    if pass == zones || b.zone == Some(pass) {
                        total[k]
                    } else if b.zone.is_some() {
                        0
                    } else {
                        match usable[k].iter().position(|&z| z == pass) {
                            Some(i) => {
                                let n = usable[k].len() as u64;
                                let c = u64::from(b.count);
                                let share = (c * (i as u64 + 1) / n - c * i as u64 / n) as u32;
                                share.min(total[k])
                            }
                            None => 0,
                        }
                    }
                })
                .collect();
            let mut group: Vec<usize> = (0..batches.len()).filter(|&k| left[k] > 0).collect();
            // Memory-heavy first, CPU-heavy last.
            group.sort_by(|&a, &b| {
                ratio(batches[a].workload).total_cmp(&ratio(batches[b].workload)).then(a.cmp(&b))
            });
            let (mut lo, mut hi) = (0usize, group.len());
            loop {
                while lo < hi && left[group[lo]] == 0 {
                    lo += 1;
                }
                while hi > lo && left[group[hi - 1]] == 0 {
                    hi -= 1;
                }
                if lo >= hi {
                    break;
                }
                let (seed, need) = self.seed(batches, &left, &group[lo..hi]);
                let seed = seed.unwrap_or(group[hi - 1]);
                let mut b = batches[seed];
                if pass < zones {
                    b.zone = Some(pass);
                }
                let Some(j) = self.open_sized(&b, need) else { return false };
                if fleet.room_for(&self.nodes[j], b.workload) == 0 {
                    return false;
                }
                fleet.place(&mut self.nodes[j], b.workload, 1);
                left[seed] -= 1;
                total[seed] -= 1;
                loop {
                    let (free, _) = self.shares(j, b.workload);
                    let cpu_end = free[0] >= free[1];
                    let pick = self
                        .pick(batches, &group[lo..hi], &left, j, cpu_end)
                        .or_else(|| self.pick(batches, &group[lo..hi], &left, j, !cpu_end));
                    let Some(k) = pick else { break };
                    fleet.place(&mut self.nodes[j], batches[k].workload, 1);
                    left[k] -= 1;
                    total[k] -= 1;
                }
            }
        }
        true
    }

    /// The seed of the next node when a hostname rule needs `h` more nodes: a pod of the rule
    /// (the largest), and the CPU and memory a node should hold (`1/h` of what is left).
    fn seed(
        &self,
        batches: &[Batch],
        left: &[u32],
        group: &[usize],
    ) -> (Option<usize>, Option<[u64; 2]>) {
        let fleet = self.fleet;
        let mut per_group: BTreeMap<&str, u64> = BTreeMap::new();
        let mut best: Option<(u64, usize)> = None;
        let (mut cpu, mut mem) = (0u128, 0u128);
        for &k in group {
            let w = batches[k].workload;
            let n = u64::from(left[k]);
            if n == 0 {
                continue;
            }
            cpu += u128::from(fleet.req[w][0]) * u128::from(n);
            mem += u128::from(fleet.req[w][1]) * u128::from(n);
            let wl = &fleet.scenario.workloads[w];
            if let Some(m) = wl.max_per_node.filter(|m| *m > 0) {
                let h = n.div_ceil(u64::from(m));
                if best.is_none_or(|(bh, _)| h > bh) {
                    best = Some((h, k));
                }
            }
            if let Some(g) = wl.anti_affinity.as_deref() {
                *per_group.entry(g).or_insert(0) += n;
            }
        }
        for (g, h) in per_group {
            if best.is_none_or(|(bh, _)| h > bh) {
                // The group's largest pod with pods left.
                let k = group
                    .iter()
                    .copied()
                    .filter(|&k| {
                        left[k] > 0
                            && fleet.scenario.workloads[batches[k].workload]
                                .anti_affinity
                                .as_deref()
                                == Some(g)
                    })
                    .max_by(|&a, &b| {
                        self.size(batches[a].workload)
                            .total_cmp(&self.size(batches[b].workload))
                            .then(b.cmp(&a))
                    });
                if let Some(k) = k {
                    best = Some((h, k));
                }
            }
        }
        match best {
            Some((h, k)) if h > 1 => {
                let h = u128::from(h);
                (Some(k), Some([cpu.div_ceil(h) as u64, mem.div_ceil(h) as u64]))
            }
            _ => (None, None),
        }
    }

    /// Opens a node for batch `b` able to hold `need` (CPU, memory) when one can, the smallest
    /// such at the lowest price per unit; else as [`Packer::open`] does.
    fn open_sized(&mut self, b: &Batch, need: Option<[u64; 2]>) -> Option<usize> {
        let Some(need) = need else { return self.open(b) };
        let fleet = self.fleet;
        let saved = self.max_cpu;
        // The smallest option (by CPU capacity) in reach that holds the need sets the size.
        let in_zone: Vec<usize>;
        let candidates: &[usize] = match b.zone {
            Some(z) => &self.zone_opts[z],
            None => {
                in_zone = (0..fleet.options.len()).collect();
                &in_zone
            }
        };
        let size = candidates
            .iter()
            .filter(|&&o| {
                fleet.admits[b.workload][o]
                    && fleet.options[o].capacity.cpu.0 <= saved
                    && fleet.usable[o][0] >= need[0]
                    && fleet.usable[o][1] >= need[1]
            })
            .map(|&o| fleet.options[o].capacity.cpu.0)
            .min();
        let Some(size) = size else { return self.open(b) };
        self.max_cpu = size;
        let j = self.open(b);
        self.max_cpu = saved;
        j
    }

    /// The first batch of `group` with pods left that fits node `j`, from the CPU-heavy end or
    /// the memory-heavy one.
    fn pick(
        &self,
        batches: &[Batch],
        group: &[usize],
        left: &[u32],
        j: usize,
        cpu_end: bool,
    ) -> Option<usize> {
        let fits = |k: &usize| {
            left[*k] > 0
                && self.compatible(&batches[*k], j)
                && self.fleet.room_for(&self.nodes[j], batches[*k].workload) > 0
        };
        if cpu_end {
            group.iter().rev().copied().find(fits)
        } else {
            group.iter().copied().find(fits)
        }
    }
}

/// The options of each zone of the scenario, in index order.
fn zone_options(fleet: &Fleet<'_>) -> Vec<Vec<usize>> {
    let zones = &fleet.scenario.zones;
    let mut res = vec![Vec::new(); zones.len()];
    for (o, opt) in fleet.options.iter().enumerate() {
        if let Some(z) = zones.iter().position(|z| *z == opt.zone) {
            res[z].push(o);
        }
    }
    res
}

#[cfg(test)]
mod tests;
