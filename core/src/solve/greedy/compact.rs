//! Compaction: a node moves to a cheaper option once a few of its pods move into the free
//! capacity of other nodes of its purchase class.
//!
//! Sizing a node to its content rounds it up to the next option: with whole-vCPU sizes each
//! node of a packing keeps up to one vCPU (or its memory share) free, and across hundreds of
//! small nodes that is most of the gap to the bound. Compaction takes each node in turn, and
//! for each cheaper option of its class (zone, purchase, pool) that could hold all but a few
//! pods, takes from the node the pods that best cover the excess, each onto the other node of
//! its purchase class that it fits most tightly (so no other node grows), and keeps the move
//! when the rest fits the cheaper option. A node whose every pod finds room elsewhere goes.
//! Every rule of placement is the fit rules' (`Fleet::room_for`, with the workload's zones);
//! the pods keep their purchase class, and a workload spread over zones keeps its zone, so
//! zone spread and the on-demand floor are as they were. The work is a
//! number of node visits ([`Budgets::compact_visits`](crate::solve::Budgets::compact_visits)).

use std::collections::BTreeMap;

use crate::fit::{Fleet, NodeState};
use crate::solve::ffd::pool_of;

/// Most pods taken off one node per move.
const MAX_MOVED: usize = 6;

/// Most cheaper options tried per node and pass.
const TARGETS: usize = 3;

/// Most passes over the nodes.
const PASSES: usize = 4;

/// Compacts `nodes` within `visits` node visits; true when it changed something. Nodes left
/// empty are removed.
pub(crate) fn compact(fleet: &Fleet<'_>, nodes: &mut Vec<NodeState>, visits: u64) -> bool {
    let mut budget = visits;
    // The nodes a pod may move to: those of its node's purchase class (and zone, for a
    // workload spread over zones; the fit rules keep every other zone rule).
    let mut class_of: Vec<usize> = Vec::with_capacity(nodes.len());
    let mut classes: BTreeMap<bool, usize> = BTreeMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let next = classes.len();
        let c = *classes.entry(fleet.options[n.opt].purchase.is_spot()).or_insert(next);
        if c == members.len() {
            members.push(Vec::new());
        }
        members[c].push(i);
        class_of.push(c);
    }
    let pooled = !fleet.scenario.node_pools.is_empty();
    let mut changed = false;
    for _ in 0..PASSES {
        let mut pass_changed = false;
        for j in 0..nodes.len() {
            if nodes[j].is_empty() {
                continue;
            }
            let cur = nodes[j].opt;
            let cur_opt = &fleet.options[cur];
            // The cheaper options of the node's class, dearest first (the likeliest to hold it).
            let mut targets: Vec<Option<usize>> = fleet
                .by_price
                .iter()
                .rev()
                .copied()
                .filter(|&o| {
                    let opt = &fleet.options[o];
                    opt.price.0 < cur_opt.price.0
                        && opt.zone == cur_opt.zone
                        && opt.purchase.is_spot() == cur_opt.purchase.is_spot()
                        && (!pooled || pool_of(fleet, o) == pool_of(fleet, cur))
                        && fleet.limits_allow(nodes, Some(cur), o)
                })
                .take(TARGETS)
                .map(Some)
                .collect();
            // No node at all: every pod finds room elsewhere.
            let pods: u32 = nodes[j].counts.values().sum();
            if pods as usize <= MAX_MOVED {
                targets.push(None);
            }
            for t in targets {
                if budget == 0 {
                    return changed;
                }
                if try_move(fleet, nodes, &members[class_of[j]], j, t, &mut budget) {
                    pass_changed = true;
                    break;
                }
            }
        }
        changed |= pass_changed;
        if !pass_changed {
            break;
        }
    }
    if changed {
        nodes.retain(|n| !n.is_empty());
    }
    changed
}

/// Moves node `j` to option `t` (`None`: removes it) after moving the pods that do not fit
/// it onto the other `members`, or swapping them there for smaller pods; false (and nothing
/// changed) when it cannot.
fn try_move(
    fleet: &Fleet<'_>,
    nodes: &mut [NodeState],
    members: &[usize],
    j: usize,
    t: Option<usize>,
    budget: &mut u64,
) -> bool {
    let cur = nodes[j].opt;
    // The nodes changed, as they were (restored when the node cannot shrink), and the pods moved.
    let mut saved: Vec<(usize, NodeState)> = vec![(j, nodes[j].clone())];
    let mut moved = 0usize;
    let mut ok = true;
    loop {
        let ex = Excess::of(fleet, &nodes[j], cur, t);
        if ex.is_zero() {
            break;
        }
        if moved >= MAX_MOVED || *budget == 0 {
            ok = false;
            break;
        }
        // The pods by how much of the excess they cover (each dimension's share of it), each
        // tried until one has room on another node.
        let mut cands: Vec<(f64, f64, usize)> = nodes[j]
            .counts
            .keys()
            .map(|&w| (ex.cover(fleet, w), ex.size(fleet, w), w))
            .filter(|c| c.0 > 0.0)
            .collect();
        // Most of the excess covered first, the smaller pod on ties, then the workload's index.
        cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        if let Some((w, i)) = cands
            .iter()
            .find_map(|&(_, _, w)| receiver(fleet, nodes, members, j, w, budget).map(|i| (w, i)))
        {
            if saved.iter().all(|(k, _)| *k != i) {
                saved.push((i, nodes[i].clone()));
            }
            fleet.remove(&mut nodes[j], w, 1);
            fleet.place(&mut nodes[i], w, 1);
            moved += 1;
            continue;
        }
        // No pod that covers the excess can leave: swap one for a smaller pod of another node.
        let Some((w, i, q)) = swap(fleet, nodes, members, j, &ex, &cands, budget) else {
            ok = false;
            break;
        };
        if saved.iter().all(|(k, _)| *k != i) {
            saved.push((i, nodes[i].clone()));
        }
        fleet.remove(&mut nodes[j], w, 1);
        fleet.remove(&mut nodes[i], q, 1);
        fleet.place(&mut nodes[i], w, 1);
        fleet.place(&mut nodes[j], q, 1);
        moved += 2;
    }
    let done = ok
        && match t {
            Some(t) => fleet.content_fits(&nodes[j], t),
            None => nodes[j].is_empty(),
        };
    if !done {
        for (k, n) in saved {
            nodes[k] = n;
        }
        return false;
    }
    match t {
        Some(t) => {
            let mut node = fleet.empty_node(t);
            for (&w, &c) in &nodes[j].counts {
                fleet.place(&mut node, w, c);
            }
            nodes[j] = node;
        }
        None => nodes[j] = fleet.empty_node(cur),
    }
    true
}

/// What a node holds beyond a target option's capacity, per request and limit dimension.
struct Excess {
    req: Vec<u64>,
    lim: Vec<u64>,
    /// The target's request capacity (empty: no node).
    cap: Vec<u64>,
}

impl Excess {
    fn of(fleet: &Fleet<'_>, node: &NodeState, cur: usize, t: Option<usize>) -> Excess {
        let used = |caps: &[u64], free: &[u64]| -> Vec<u64> {
            caps.iter().zip(free).map(|(u, f)| u.saturating_sub(*f)).collect()
        };
        let over = |used: Vec<u64>, cap: Option<&Vec<u64>>| -> Vec<u64> {
            match cap {
                Some(c) => used.iter().zip(c).map(|(u, c)| u.saturating_sub(*c)).collect(),
                None => used,
            }
        };
        let req = over(used(&fleet.usable[cur], &node.free), t.map(|t| &fleet.usable[t]));
        let lim = over(used(&fleet.lim_caps[cur], &node.lim_free), t.map(|t| &fleet.lim_caps[t]));
        Excess { req, lim, cap: t.map_or_else(Vec::new, |t| fleet.usable[t].clone()) }
    }

    fn is_zero(&self) -> bool {
        self.req.iter().chain(&self.lim).all(|&e| e == 0)
    }

    /// How much of the excess a pod of `w` covers: each dimension's share, summed.
    fn cover(&self, fleet: &Fleet<'_>, w: usize) -> f64 {
        let share = |r: u64, e: u64| if e > 0 { r.min(e) as f64 / e as f64 } else { 0.0 };
        let a: f64 = self.req.iter().zip(&fleet.req[w]).map(|(&e, &r)| share(r, e)).sum();
        let b: f64 = self.lim.iter().zip(&fleet.lim[w]).map(|(&e, &r)| share(r, e)).sum();
        a + b
    }

    /// A pod of `w` against the target's capacity: its shares, summed.
    fn size(&self, fleet: &Fleet<'_>, w: usize) -> f64 {
        self.cap
            .iter()
            .zip(&fleet.req[w])
            .filter(|(c, _)| **c > 0)
            .map(|(&c, &r)| r as f64 / c as f64)
            .sum()
    }

    /// The excess left (each dimension's share of the target, summed) once a pod of `w`
    /// leaves and one of `q` (if any) comes in.
    fn after(&self, fleet: &Fleet<'_>, w: usize, q: usize) -> f64 {
        (0..self.req.len())
            .map(|d| {
                let e = (self.req[d] + fleet.req[q][d]).saturating_sub(fleet.req[w][d]);
                let c = self.cap.get(d).copied().unwrap_or(0).max(1);
                e as f64 / c as f64
            })
            .sum::<f64>()
            + (0..self.lim.len())
                .map(|d| (self.lim[d] + fleet.lim[q][d]).saturating_sub(fleet.lim[w][d]) as f64)
                .sum::<f64>()
    }

    /// The excess now, measured as [`Excess::after`] does.
    fn now(&self) -> f64 {
        (0..self.req.len())
            .map(|d| self.req[d] as f64 / self.cap.get(d).copied().unwrap_or(0).max(1) as f64)
            .sum::<f64>()
            + self.lim.iter().map(|&e| e as f64).sum::<f64>()
    }
}

/// The swap that lowers the excess of node `j` most: a pod `w` of the candidates for a pod
/// `q` of another node `i` that has room for `w` once `q` leaves, `j` having room for `q`
/// once `w` leaves; as `(w, i, q)`.
fn swap(
    fleet: &Fleet<'_>,
    nodes: &mut [NodeState],
    members: &[usize],
    j: usize,
    ex: &Excess,
    cands: &[(f64, f64, usize)],
    budget: &mut u64,
) -> Option<(usize, usize, usize)> {
    let zone = fleet.options[nodes[j].opt].zone.clone();
    let now = ex.now();
    let mut best: Option<(f64, usize, usize, usize)> = None;
    for &(_, _, w) in cands {
        let spread_w = fleet.scenario.workloads[w].zone_spread.is_some();
        fleet.remove(&mut nodes[j], w, 1);
        for &i in members {
            *budget = budget.saturating_sub(1);
            if i == j
                || nodes[i].is_empty()
                || (spread_w && fleet.options[nodes[i].opt].zone != zone)
            {
                continue;
            }
            let same_zone = fleet.options[nodes[i].opt].zone == zone;
            let qs: Vec<usize> = nodes[i].counts.keys().copied().filter(|&q| q != w).collect();
            for q in qs {
                *budget = budget.saturating_sub(1);
                if fleet.scenario.workloads[q].zone_spread.is_some() && !same_zone {
                    continue;
                }
                let after = ex.after(fleet, w, q);
                if after >= now - 1e-12 || best.is_some_and(|b| after >= b.0 - 1e-12) {
                    continue;
                }
                if fleet.room_for(&nodes[j], q) == 0 {
                    continue;
                }
                fleet.remove(&mut nodes[i], q, 1);
                let fits = fleet.room_for(&nodes[i], w) > 0;
                fleet.place(&mut nodes[i], q, 1);
                if fits {
                    best = Some((after, w, i, q));
                }
            }
        }
        fleet.place(&mut nodes[j], w, 1);
    }
    best.map(|(_, w, i, q)| (w, i, q))
}

/// The node of `members` (not `j`) that a pod of `w` from node `j` fits most tightly: the
/// least free share left, the lowest index on ties.
fn receiver(
    fleet: &Fleet<'_>,
    nodes: &[NodeState],
    members: &[usize],
    j: usize,
    w: usize,
    budget: &mut u64,
) -> Option<usize> {
    let dims = fleet.req[w].len();
    let spread = fleet.scenario.workloads[w].zone_spread.is_some();
    let zone = &fleet.options[nodes[j].opt].zone;
    let mut to: Option<(f64, usize)> = None;
    for &i in members {
        *budget = budget.saturating_sub(1);
        if i == j
            || nodes[i].is_empty()
            || (spread && fleet.options[nodes[i].opt].zone != *zone)
            || fleet.room_for(&nodes[i], w) == 0
        {
            continue;
        }
        let u = &fleet.usable[nodes[i].opt];
        let left: f64 = (0..dims)
            .filter(|&d| u[d] > 0)
            .map(|d| (nodes[i].free[d] - fleet.req[w][d]) as f64 / u[d] as f64)
            .sum();
        if to.is_none_or(|(l, _)| left < l) {
            to = Some((left, i));
        }
    }
    to.map(|(_, i)| i)
}
