//! Repair and local improvement: every candidate made a valid plan (floor, shrink, spot share, headroom, node pools), then nodes deleted and shrunk while every rule holds.

use std::collections::BTreeSet;

use super::colgen::Engine;
use super::master::Master;
use crate::fit::{NodeState, headroom};
use crate::solve::ffd::{self, Batch, pool_of};
use crate::solve::spot_share_ok;

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
pub(super) fn finalize(m: &Master<'_, '_>, mut nodes: Vec<NodeState>) -> Option<Vec<NodeState>> {
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
    if !fleet.limits_hold(&nodes) {
        return None;
    }
    Some(nodes)
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
        let allowed = trial.iter_mut().filter(|n| {
            let o = &fleet.options[n.opt];
            (!o.purchase.is_spot() || spot_ok)
                && z.is_none_or(|z| o.zone == fleet.scenario.zones[z])
        });
        if fleet.first_fit(allowed, w, c) > 0 {
            return None;
        }
    }
    if !spot_share_ok(fleet, &trial, None, None) {
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
pub(super) fn improve(eng: &Engine<'_, '_, '_>, nodes: &mut Vec<NodeState>) {
    let (m, budgets) = (eng.m, &eng.budgets);
    let fleet = m.fleet;
    if nodes.len() <= budgets.improve_max_nodes {
        let mut failed: BTreeSet<(usize, Vec<(usize, u32)>)> = BTreeSet::new();
        let mut attempts = 0usize;
        let max_attempts =
            budgets.improve_attempts_per_node * nodes.len() + budgets.improve_extra_attempts;
        'outer: loop {
            let mut order: Vec<usize> = (0..nodes.len()).collect();
            order.sort_by(|&a, &b| {
                fleet.options[nodes[b].opt]
                    .price
                    .total_cmp(&fleet.options[nodes[a].opt].price)
                    .then(a.cmp(&b))
            });
            for i in order {
                if attempts >= max_attempts || eng.past_deadline() {
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
    shrink_keeping_rules(eng, nodes);
}

/// Moves nodes to cheaper options that hold their pods, keeping the spot share and headroom.
fn shrink_keeping_rules(eng: &Engine<'_, '_, '_>, nodes: &mut [NodeState]) {
    let fleet = eng.m.fleet;
    if nodes.len() > eng.budgets.improve_max_nodes {
        return;
    }
    for i in 0..nodes.len() {
        if eng.past_deadline() {
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
                    && fleet.limits_allow(nodes, Some(nodes[i].opt), o)
                    && fleet.content_fits(&nodes[i], o)
            })
            .collect();
        cands.sort_by(|&a, &b| {
            fleet.options[a].price.total_cmp(&fleet.options[b].price).then(a.cmp(&b))
        });
        for o in cands.into_iter().take(eng.budgets.shrink_candidates) {
            let mut node = fleet.empty_node(o);
            for (&w, &c) in &nodes[i].counts {
                fleet.place(&mut node, w, c);
            }
            let old = std::mem::replace(&mut nodes[i], node);
            if spot_share_ok(fleet, nodes, None, None)
                && headroom::check(fleet, nodes, fleet.scenario.policy.headroom).is_empty()
            {
                break;
            }
            nodes[i] = old;
        }
    }
}
