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
/// it onto the other `members`; false (and nothing changed) when it cannot.
fn try_move(
    fleet: &Fleet<'_>,
    nodes: &mut [NodeState],
    members: &[usize],
    j: usize,
    t: Option<usize>,
    budget: &mut u64,
) -> bool {
    let dims = fleet.req.first().map_or(0, Vec::len);
    let cur = nodes[j].opt;
    let used: Vec<u64> =
        fleet.usable[cur].iter().zip(&nodes[j].free).map(|(u, f)| u.saturating_sub(*f)).collect();
    let lim_used: Vec<u64> = fleet.lim_caps[cur]
        .iter()
        .zip(&nodes[j].lim_free)
        .map(|(u, f)| u.saturating_sub(*f))
        .collect();
    let zero = vec![0u64; dims];
    let zero_lim = vec![0u64; lim_used.len()];
    let (cap, lim_cap) = match t {
        Some(t) => (&fleet.usable[t], &fleet.lim_caps[t]),
        None => (&zero, &zero_lim),
    };
    let mut excess: Vec<u64> = used.iter().zip(cap).map(|(u, c)| u.saturating_sub(*c)).collect();
    let mut lim_excess: Vec<u64> =
        lim_used.iter().zip(lim_cap).map(|(u, c)| u.saturating_sub(*c)).collect();
    let mut undo: Vec<(usize, usize)> = Vec::new();
    let mut ok = true;
    while excess.iter().chain(&lim_excess).any(|&e| e > 0) {
        if undo.len() >= MAX_MOVED {
            ok = false;
            break;
        }
        // The pods by how much of the excess they cover (each dimension's share of it), each
        // tried until one has room on another node.
        let mut cands: Vec<(f64, f64, usize)> = Vec::new();
        for &w in nodes[j].counts.keys() {
            let mut cover = 0.0;
            let mut size = 0.0;
            for d in 0..dims {
                let r = fleet.req[w][d];
                if excess[d] > 0 {
                    cover += r.min(excess[d]) as f64 / excess[d] as f64;
                }
                if cap.get(d).is_some_and(|&c| c > 0) {
                    size += r as f64 / cap[d] as f64;
                }
            }
            for (d, e) in lim_excess.iter().enumerate() {
                if *e > 0 {
                    cover += fleet.lim[w][d].min(*e) as f64 / *e as f64;
                }
            }
            if cover > 0.0 {
                cands.push((cover, size, w));
            }
        }
        // Most of the excess covered first, the smaller pod on ties, then the workload's index.
        cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        let found = cands
            .iter()
            .find_map(|&(_, _, w)| receiver(fleet, nodes, members, j, w, budget).map(|i| (w, i)));
        let Some((w, i)) = found else {
            // No pod that covers the excess can leave: the next target may need other pods.
            ok = false;
            break;
        };
        fleet.remove(&mut nodes[j], w, 1);
        fleet.place(&mut nodes[i], w, 1);
        undo.push((i, w));
        for d in 0..dims {
            excess[d] = excess[d].saturating_sub(fleet.req[w][d]);
        }
        for (d, e) in lim_excess.iter_mut().enumerate() {
            *e = e.saturating_sub(fleet.lim[w][d]);
        }
        if *budget == 0 {
            ok = false;
            break;
        }
    }
    let done = ok
        && match t {
            Some(t) => fleet.content_fits(&nodes[j], t),
            None => nodes[j].is_empty(),
        };
    if !done {
        for &(i, w) in undo.iter().rev() {
            fleet.remove(&mut nodes[i], w, 1);
            fleet.place(&mut nodes[j], w, 1);
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
